/*
 * Fuzz the SNMP GetResponse parser (probes/snmp.c) and the SNMP probe
 * session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/snmp_response/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/snmp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snmp_reply	r;

	if (snmp_parse_response(data, size, &r) == PARSE_OK) {
		FUZZ_INSIDE(r.community, data, size);
		FUZZ_INSIDE(r.oid, data, size);
		FUZZ_INSIDE(r.value, data, size);
	}
	fuzz_session(&probe_snmp, 161, data, size);
	return 0;
}
