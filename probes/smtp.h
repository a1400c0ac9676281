/*
 * smtp.h - the SMTP probe's pure parsers: a (multi-line) reply (RFC 5321,
 * section 4.2), the EHLO extension keywords (section 4.1.1.1), the
 * product named in a greeting and the answer to STARTTLS (RFC 3207).
 * For tests, fuzzers and the banner probe.
 */
#ifndef VIGIE_PROBES_SMTP_H
#define VIGIE_PROBES_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define SMTP_LINE_MAX		2048	/* RFC 5321 4.5.3.1.5 says 512 */
#define SMTP_REPLY_LINES_MAX	64

/*
 * One reply.  `line[i]` is the text of line i after "NNN-" or "NNN ",
 * without its line ending; the spans point into the parsed bytes.  `used`
 * counts the bytes up to the last line's ending.
 */
struct smtp_reply {
	unsigned int	 code;		/* 200 to 599; 0 before line 1 */
	size_t		 nlines;
	struct span	 line[SMTP_REPLY_LINES_MAX];
	size_t		 used;
};

/*
 * Parse the reply at the start of the bytes.  PARSE_OK when its last line
 * ("NNN " or "NNN") is complete; PARSE_MORE before that, with the complete
 * lines so far in `r`; PARSE_BAD when a line does not start with the
 * code of the first, holds a NUL byte, or a bound is passed.
 */
enum parse_result	smtp_parse_reply(const uint8_t *, size_t,
			    struct smtp_reply *);

/* Join the reply's lines with single spaces into out (NUL-terminated,
 * truncated).  Returns the length written. */
size_t			smtp_reply_text(const struct smtp_reply *, char *out,
			    size_t outlen);

/*
 * The extension keywords of an EHLO reply (every line but the first),
 * upper-cased and space-separated, into out.  *starttls tells whether
 * STARTTLS (RFC 3207) is among them.  Returns the length written.
 */
size_t			smtp_ehlo_keywords(const struct smtp_reply *,
			    char *out, size_t outlen, bool *starttls);

/* The parameters of one EHLO keyword ("AUTH" gives "PLAIN LOGIN"); false
 * when the keyword is absent. */
bool			smtp_ehlo_param(const struct smtp_reply *,
			    const char *keyword, struct span *params);

/*
 * The server software named in a greeting ("ESMTP Exim 4.96", "ESMTP
 * Postfix (Debian/GNU)", "Microsoft ESMTP MAIL Service"...).  True when
 * recognised: *name is static, *version a span into the reply (empty when
 * none is shown).
 */
bool			smtp_identify(const struct smtp_reply *,
			    const char **name, struct span *version);

/* True when a greeting reads like an SMTP server's ("SMTP" in it, or a
 * mail server we know). */
bool			smtp_greeting_is_smtp(const struct smtp_reply *);

/* Record a greeting: service "smtp", smtp.banner, smtp.greeting_code when
 * it is not 220, product and version when recognised. */
void			smtp_record_greeting(struct obs *,
			    const struct smtp_reply *);

/*
 * Record the answer to STARTTLS (RFC 3207, 4): smtp.starttls_result is
 * "accepted" on 220, else "refused", with smtp.starttls_reply (the code
 * and the text: "454 4.7.0 TLS not available ...").  True when the server
 * is ready for the TLS handshake.
 */
bool			smtp_record_starttls(struct obs *,
			    const struct smtp_reply *);

#endif /* VIGIE_PROBES_SMTP_H */
