/*
 * ftp.h - the FTP probe's pure parsers: a (multi-line) reply (RFC 959,
 * section 4.2) and the product named in a greeting.  For tests, fuzzers
 * and the banner probe.
 */
#ifndef VIGIE_PROBES_FTP_H
#define VIGIE_PROBES_FTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define FTP_LINE_MAX		2048	/* one reply line, with CR LF */
#define FTP_REPLY_LINES_MAX	64	/* lines of one multi-line reply */

/*
 * One reply.  `line[i]` is the text of line i without its code prefix
 * ("220-" or "220 ") or line ending; the spans point into the parsed
 * bytes.  `used` counts the bytes up to the last line's ending.
 */
struct ftp_reply {
	unsigned int	 code;		/* 100 to 599; 0 before line 1 */
	size_t		 nlines;
	struct span	 line[FTP_REPLY_LINES_MAX];
	size_t		 used;
};

/*
 * Parse the reply at the start of the bytes.  PARSE_OK when its last line
 * is complete; PARSE_MORE before that, with the complete lines so far in
 * `r`; PARSE_BAD when the first line is not "NNN", "NNN-" or "NNN ", a
 * line holds a NUL byte, or a bound is passed.
 */
enum parse_result	ftp_parse_reply(const uint8_t *, size_t,
			    struct ftp_reply *);

/* Join the reply's lines with single spaces into out (NUL-terminated,
 * truncated to outlen - 1).  Returns the length written. */
size_t			ftp_reply_text(const struct ftp_reply *, char *out,
			    size_t outlen);

/*
 * The server software named in a greeting ("220 (vsFTPd 3.0.3)",
 * "220 ProFTPD 1.3.8 Server", "220 Microsoft FTP Service"...).  True when
 * recognised: *name is a static string, *version a span into the reply
 * (empty when the greeting shows none).
 */
bool			ftp_identify(const struct ftp_reply *,
			    const char **name, struct span *version);

/* True when a greeting reads like an FTP server's (a product we know, or
 * "FTP" in the text) and not like an SMTP server's. */
bool			ftp_greeting_is_ftp(const struct ftp_reply *);

/* Record a greeting: service "ftp", ftp.banner, ftp.greeting_code when
 * it is not 220, and product and version when recognised. */
void			ftp_record_greeting(struct obs *,
			    const struct ftp_reply *);

#endif /* VIGIE_PROBES_FTP_H */
