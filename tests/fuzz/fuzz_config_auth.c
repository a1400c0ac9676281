/*
 * Fuzz the XML answers of VPN portals (probes/vpn_portal.c): AnyConnect's
 * and ocserv's config-auth, and Citrix nFactor's AuthenticateResponse,
 * through the shared tag scanner; then the answer as the reply to the
 * AnyConnect init in a plan.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/config_auth/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_vpn.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vpn_facts	f;
	struct vpn_plan		pl;
	struct vpn_page		pg;
	enum parse_result	r;
	size_t			n;

	memset(&f, 0, sizeof(f));
	r = vpn_parse_config_auth(data, size, &f);
	if (r != PARSE_OK && r != PARSE_MORE && r != PARSE_BAD)
		__builtin_trap();
	fuzz_check_facts(&f);

	memset(&f, 0, sizeof(f));
	r = vpn_parse_nfactor(data, size, &f);
	if (r != PARSE_OK && r != PARSE_MORE && r != PARSE_BAD)
		__builtin_trap();
	fuzz_check_facts(&f);

	/* The same bytes as a root page, then as each follow-up's answer. */
	memset(&pg, 0, sizeof(pg));
	pg.host = "vpn.example.org";
	pg.status = 200;
	pg.location = pg.server = pg.cookies = pg.title = "";
	pg.body = data;
	pg.body_len = size;
	memset(&f, 0, sizeof(f));
	vpn_plan_start(&pl, &f, &pg, 443);
	for (n = 0; n < VREQ_COUNT; n++)
		vpn_absorb(&pl, &f, (enum vpn_req)n, &pg);
	fuzz_check_facts(&f);
	for (n = 0; vpn_plan_next(&pl) != VREQ_NONE; n++)
		;
	if (n > VPN_FOLLOW_MAX)
		__builtin_trap();
	return 0;
}
