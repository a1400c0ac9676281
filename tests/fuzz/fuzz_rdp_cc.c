/*
 * Fuzz the X.224 Connection Confirm parser (probes/rdp.c), what each
 * offer makes of an answer, and the RDP probe's three connections.
 * Built by `make fuzz`; replayed over tests/fuzz/corpus/rdp_cc/ by
 * `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/rdp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A verdict is NULL or one of its allowed words. */
static int
word_ok(const char *v, const char *a, const char *b, const char *c)
{
	return v == NULL || strcmp(v, a) == 0 || strcmp(v, b) == 0 ||
	    (c != NULL && strcmp(v, c) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t	offers[] = {
		RDP_OFFER_CREDSSP, RDP_OFFER_STANDARD, RDP_OFFER_TLS,
	};
	struct rdp_facts	f;
	struct rdp_cc		cc;
	char			answer[48];
	size_t			i;

	if (rdp_parse_cc(data, size, &cc) == PARSE_OK) {
		if (cc.tpkt_len > size || cc.tpkt_len > RDP_CC_MAX ||
		    cc.tpkt_len < 11)
			__builtin_trap();
		rdp_answer_str(&cc, answer, sizeof(answer));
		if (memchr(answer, '\0', sizeof(answer)) == NULL)
			__builtin_trap();
		for (i = 0; i < sizeof(offers) / sizeof(offers[0]); i++) {
			rdp_judge(&cc, offers[i], &f);
			if (!word_ok(f.standard_security, "allowed",
			    "refused", NULL) ||
			    !word_ok(f.nla, "required", "supported",
			    "not_supported") ||
			    !word_ok(f.tls, "supported", "not_supported",
			    NULL) || (f.credssp && !f.starttls))
				__builtin_trap();
		}
	}
	/* Every prefix of a valid confirm asks for more, or is refused. */
	for (i = 0; i < size && i < 32; i++)
		if (rdp_parse_cc(data, i, &cc) == PARSE_OK && cc.tpkt_len > i)
			__builtin_trap();
	fuzz_session(&probe_rdp, 3389, data, size);
	fuzz_session(&probe_rdp_std, 3389, data, size);
	fuzz_session(&probe_rdp_tls, 3389, data, size);
	return 0;
}
