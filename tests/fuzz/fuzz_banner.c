/*
 * Fuzz the generic banner classifier (probes/banner.c), which hands what
 * it recognises to the SSH, FTP, SMTP, Telnet and Redis parsers, and the
 * banner probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/banner/ by `make check`.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/banner.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct banner		b;
	enum parse_result	r;
	int			eof;

	for (eof = 0; eof < 2; eof++) {
		r = banner_classify(data, size, eof == 1, &b);
		if (r == PARSE_BAD && (eof == 0 || size > 0))
			__builtin_trap();
		if (r == PARSE_MORE && eof == 1)
			__builtin_trap();
		if (r == PARSE_OK) {
			FUZZ_INSIDE(b.text, data, size);
			FUZZ_INSIDE(b.version, data, size);
			if (banner_service(b.kind) == NULL)
				__builtin_trap();
		}
	}
	fuzz_session(&probe_banner, 10001, data, size);
	return 0;
}
