/*
 * Fuzz the SMTP reply parser, EHLO keywords and greeting identification
 * (probes/smtp.c), and the conversation over a fake session: EHLO,
 * STARTTLS and, when the first read ends where the server accepts it,
 * the EHLO over TLS in the second (fuzz_session.h); and the TLS
 * measurements through STARTTLS (smtp_tls_legacy...), whose preamble is
 * the same conversation and whose end is a ServerHello.  Built
 * by `make fuzz`; replayed over tests/fuzz/corpus/smtp_reply/ by
 * `make check`.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/smtp.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply	 r;
	enum parse_result	 res;
	const char		*name;
	struct span		 v;
	char			 text[24];
	size_t			 i;
	const struct probe	*m;
	bool			 tls;

	res = smtp_parse_reply(data, size, &r);
	if (r.nlines > SMTP_REPLY_LINES_MAX || r.used > size ||
	    (res == PARSE_OK && (r.used == 0 || r.code < 200 ||
	    r.code > 599)))
		__builtin_trap();
	if (res != PARSE_BAD) {
		for (i = 0; i < r.nlines; i++)
			FUZZ_INSIDE(r.line[i], data, size);
		if (smtp_reply_text(&r, text, sizeof(text)) >= sizeof(text) ||
		    smtp_ehlo_keywords(&r, text, sizeof(text), &tls) >=
		    sizeof(text) || strlen(text) >= sizeof(text))
			__builtin_trap();
		if (smtp_ehlo_param(&r, "AUTH", &v))
			FUZZ_INSIDE(v, data, size);
		if (smtp_identify(&r, &name, &v))
			FUZZ_INSIDE(v, data, size);
		(void)smtp_greeting_is_smtp(&r);
	}
	fuzz_session(&probe_smtp, 25, data, size);
	for (m = probe_smtp.then; m != NULL; m = m->then)
		fuzz_session(m, 587, data, size);
	return 0;
}
