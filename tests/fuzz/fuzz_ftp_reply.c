/*
 * Fuzz the FTP reply parser and greeting identification (probes/ftp.c),
 * and the anonymous-login conversation over a fake session.  Built by
 * `make fuzz`; replayed over tests/fuzz/corpus/ftp_reply/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/ftp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ftp_reply	 r;
	enum parse_result	 res;
	const char		*name;
	struct span		 version;
	char			 text[16];
	size_t			 i;

	res = ftp_parse_reply(data, size, &r);
	if (r.nlines > FTP_REPLY_LINES_MAX || r.used > size ||
	    (res == PARSE_OK && (r.used == 0 || r.nlines == 0 ||
	    r.code < 100 || r.code > 599)))
		__builtin_trap();
	if (res != PARSE_BAD) {
		for (i = 0; i < r.nlines; i++)
			FUZZ_INSIDE(r.line[i], data, size);
		if (ftp_reply_text(&r, text, sizeof(text)) >= sizeof(text) ||
		    strlen(text) >= sizeof(text))
			__builtin_trap();
		if (ftp_identify(&r, &name, &version)) {
			if (name == NULL)
				__builtin_trap();
			FUZZ_INSIDE(version, data, size);
		}
		(void)ftp_greeting_is_ftp(&r);
	}
	fuzz_session(&probe_ftp, 21, data, size);
	return 0;
}
