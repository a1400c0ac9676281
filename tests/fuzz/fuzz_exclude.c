/*
 * Fuzz the exclusion-list loader (scanner/exclude.c): comments, blanks,
 * CIDRs of both families, through a memory file to exclude_load(), as
 * --exclude FILE would.  What loads is then asked about a few addresses
 * and ranges: a listed range is always refused.  Built by `make fuzz`;
 * replayed over tests/fuzz/corpus/exclude/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/targets.h"
#include "fuzz_file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probes[] = {
		"198.51.100.7", "10.1.2.3", "2001:db8::1", "8.8.8.8",
		"::ffff:10.0.0.1", "0.0.0.0",
	};
	struct exclude	 ex;
	struct vg_err	 err;
	struct vg_cidr	 c;
	struct vg_addr	 a;
	const char	*path;
	size_t		 i;

	if ((path = fuzz_file(data, size)) == NULL)
		return 0;
	exclude_init(&ex);
	vg_err_clear(&err);
	if (exclude_load(&ex, path, &err) == -1) {
		/* A failure always says where, and what. */
		if (!fuzz_where_ok(err.where, path) || err.msg[0] == '\0')
			__builtin_trap();
		exclude_fini(&ex);
		return 0;
	}
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (addr_parse(probes[i], &a) == 0)
			(void)exclude_why(&ex, &a);
	/* Every listed range refuses its own first address. */
	for (i = 0; i < ex.ndeny; i++) {
		if (exclude_why(&ex, &ex.deny[i].addr) == NULL)
			__builtin_trap();
		(void)exclude_reserved(&ex, &ex.deny[i]);
	}
	if (cidr_parse("198.51.100.0/24", false, &c) == 0) {
		exclude_allow(&ex, &c);
		(void)exclude_reserved(&ex, &c);
	}
	exclude_fini(&ex);
	return 0;
}
