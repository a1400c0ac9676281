/*
 * Fuzz the login form reader of VPN portal pages (probes/vpn_portal.c):
 * HTML with forms, inputs, selects, scripts and comments.  Built by
 * `make fuzz`; replayed over tests/fuzz/corpus/vpn_form/ by `make check`.
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

	memset(&f, 0, sizeof(f));
	r = vpn_parse_login_form(data, size, &f);
	if (r != PARSE_OK && r != PARSE_MORE && r != PARSE_BAD)
		__builtin_trap();
	if (r == PARSE_BAD && (f.nfields != 0 || f.ngroups != 0))
		__builtin_trap();
	fuzz_check_facts(&f);
	return 0;
}
