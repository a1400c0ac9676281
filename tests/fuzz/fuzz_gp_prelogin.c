/*
 * Fuzz GlobalProtect's prelogin.esp answer (probes/vpn_portal.c): the
 * prelogin-response, its saml-request decoded from base64 and the IdP's
 * host read from it; and the base64 decoder and URL host reader on the
 * raw input.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/gp_prelogin/ by `make check`.
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
	enum parse_result	r;
	uint8_t			out[256];
	char			host[VPN_HOST_MAX];
	size_t			n;

	memset(&f, 0, sizeof(f));
	r = vpn_parse_prelogin(data, size, &f);
	if (r != PARSE_OK && r != PARSE_MORE && r != PARSE_BAD)
		__builtin_trap();
	fuzz_check_facts(&f);
	if (f.idp[0] != '\0' && strpbrk(f.idp, " \"<>\\/") != NULL)
		__builtin_trap();

	n = vpn_base64_decode((const char *)data, size, out, sizeof(out));
	if (n > sizeof(out) || n > size)
		__builtin_trap();
	if (vpn_url_host((const char *)data, size, host, sizeof(host)) &&
	    (host[0] == '\0' || strlen(host) >= sizeof(host)))
		__builtin_trap();
	return 0;
}
