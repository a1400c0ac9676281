/*
 * Fuzz the X.224 Connection Confirm parser (probes/rdp.c) and the RDP
 * probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/rdp_cc/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/rdp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rdp_cc	cc;
	size_t		i;

	if (rdp_parse_cc(data, size, &cc) == PARSE_OK) {
		if (cc.tpkt_len > size || cc.tpkt_len > RDP_CC_MAX ||
		    cc.tpkt_len < 11)
			__builtin_trap();
		(void)rdp_protocol_name(cc.neg_value);
		(void)rdp_failure_name(cc.neg_value);
		if (rdp_nla_verdict(&cc, RDP_PROTOCOL_SSL |
		    RDP_PROTOCOL_HYBRID) == NULL)
			__builtin_trap();
	}
	/* Every prefix of a valid confirm asks for more, or is refused. */
	for (i = 0; i < size && i < 32; i++)
		if (rdp_parse_cc(data, i, &cc) == PARSE_OK && cc.tpkt_len > i)
			__builtin_trap();
	fuzz_session(&probe_rdp, 3389, data, size);
	return 0;
}
