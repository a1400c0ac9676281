/*
 * ftp.c - FTP probe.  Reads the greeting (RFC 959, section 4.2), records
 * the server software when the greeting names it, then tries an anonymous
 * login (RFC 1635) and stops there: USER, PASS, QUIT.  It never opens a
 * data connection and never lists or reads a file.
 */
#include "probes/ftp.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* Reply codes, RFC 959 section 4.2.2. */
#define FTP_READY_SOON		120	/* service ready in nnn minutes */
#define FTP_READY		220	/* service ready for new user */
#define FTP_NOT_NEEDED		202	/* superfluous (no password needed) */
#define FTP_LOGGED_IN		230	/* user logged in, proceed */
#define FTP_NEED_PASSWORD	331	/* user name okay, need password */

/* The anonymous login of RFC 1635; the password is the customary
 * placeholder for an e-mail address. */
static const char	ftp_user[] = "USER anonymous\r\n";
static const char	ftp_pass[] = "PASS anonymous@\r\n";
static const char	ftp_quit_cmd[] = "QUIT\r\n";

#define FTP_CODE_LEN		3	/* "NNN" */
#define FTP_TEXT_MAX		1024	/* what we record of a greeting */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum ftp_step {
	FTP_GREETING,
	FTP_USER,
	FTP_PASS,
};

struct ftp_state {
	enum ftp_step	step;
};

/* Could the bytes begin a reply line: "NNN", then ' ', '-' or its end? */
static bool
ftp_prefix_ok(const uint8_t *p, size_t len)
{
	if (len > 0 && (p[0] < '1' || p[0] > '5'))
		return false;
	if (len > 1 && (p[1] < '0' || p[1] > '9'))
		return false;
	if (len > 2 && (p[2] < '0' || p[2] > '9'))
		return false;
	if (len > 3 && p[3] != ' ' && p[3] != '-' && p[3] != '\r' &&
	    p[3] != '\n')
		return false;
	return true;
}

static bool
ftp_same_code(const uint8_t *line, size_t len, const uint8_t *first)
{
	return len >= FTP_CODE_LEN && memcmp(line, first, FTP_CODE_LEN) == 0;
}

enum parse_result
ftp_parse_reply(const uint8_t *p, size_t len, struct ftp_reply *r)
{
	const uint8_t	*nl, *line;
	size_t		 pos = 0, n, linelen;

	r->code = 0;
	r->nlines = 0;
	r->used = 0;
	if (!ftp_prefix_ok(p, len))
		return PARSE_BAD;
	while (pos < len) {
		if ((nl = memchr(p + pos, '\n', len - pos)) == NULL) {
			if (len - pos >= FTP_LINE_MAX ||
			    memchr(p + pos, '\0', len - pos) != NULL)
				return PARSE_BAD;
			return PARSE_MORE;
		}
		line = p + pos;
		n = (size_t)(nl - line);
		if (n >= FTP_LINE_MAX || memchr(line, '\0', n) != NULL)
			return PARSE_BAD;
		linelen = n;
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;
		pos += n + 1;

		if (r->nlines == 0) {
			if (linelen < FTP_CODE_LEN ||
			    !ftp_prefix_ok(line, linelen))
				return PARSE_BAD;
			r->code = (unsigned int)(line[0] - '0') * 100 +
			    (unsigned int)(line[1] - '0') * 10 +
			    (unsigned int)(line[2] - '0');
			r->line[r->nlines++] = linelen > FTP_CODE_LEN ?
			    span_of(line + 4, linelen - 4) : span_of(NULL, 0);
			if (linelen == FTP_CODE_LEN || line[3] == ' ') {
				r->used = pos;
				return PARSE_OK;
			}
			continue;
		}
		if (r->nlines == FTP_REPLY_LINES_MAX)
			return PARSE_BAD;
		/* The last line repeats the code, then a space (or ends). */
		if (ftp_same_code(line, linelen, p) &&
		    (linelen == FTP_CODE_LEN || line[3] == ' ')) {
			r->line[r->nlines++] = linelen > FTP_CODE_LEN ?
			    span_of(line + 4, linelen - 4) : span_of(NULL, 0);
			r->used = pos;
			return PARSE_OK;
		}
		/* Lines in between may or may not repeat "NNN-". */
		if (ftp_same_code(line, linelen, p) && linelen > FTP_CODE_LEN &&
		    line[3] == '-')
			r->line[r->nlines++] = span_of(line + 4, linelen - 4);
		else
			r->line[r->nlines++] = span_of(line, linelen);
	}
	return PARSE_MORE;
}

size_t
ftp_reply_text(const struct ftp_reply *r, char *out, size_t outlen)
{
	const uint8_t	*s;
	size_t		 i, n, o = 0;

	if (outlen == 0)
		return 0;
	for (i = 0; i < r->nlines; i++) {
		s = r->line[i].p;
		n = r->line[i].len;
		while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if (o > 0 && o + 1 < outlen)
			out[o++] = ' ';
		if (n > outlen - 1 - o)
			n = outlen - 1 - o;
		memcpy(out + o, s, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

/* Server software as named in greetings; `versioned` when a version may
 * follow the name. */
static const struct {
	const char	*needle;
	const char	*name;
	bool		 versioned;
} ftp_products[] = {
	{ .needle = "vsFTPd", .name = "vsFTPd", .versioned = true },
	{ .needle = "ProFTPD", .name = "ProFTPD", .versioned = true },
	{ .needle = "FileZilla Server", .name = "FileZilla Server",
	  .versioned = true },
	{ .needle = "Pure-FTPd", .name = "Pure-FTPd" },
	{ .needle = "Microsoft FTP Service",
	  .name = "Microsoft FTP Service" },
	{ .needle = "Serv-U FTP Server", .name = "Serv-U", .versioned = true },
	{ .needle = "Wing FTP Server", .name = "Wing FTP Server" },
};

bool
ftp_identify(const struct ftp_reply *r, const char **name,
    struct span *version)
{
	const uint8_t	*hit, *end;
	size_t		 i, l;

	*name = NULL;
	*version = span_of(NULL, 0);
	for (l = 0; l < r->nlines; l++) {
		for (i = 0; i < NELEM(ftp_products); i++) {
			hit = parse_find_nocase(r->line[l].p, r->line[l].len,
			    ftp_products[i].needle);
			if (hit == NULL)
				continue;
			*name = ftp_products[i].name;
			if (ftp_products[i].versioned) {
				hit += strlen(ftp_products[i].needle);
				end = r->line[l].p + r->line[l].len;
				*version = parse_version_token(hit,
				    (size_t)(end - hit));
			}
			return true;
		}
	}
	return false;
}

static bool
ftp_mentions(const struct ftp_reply *r, const char *word)
{
	size_t	l;

	for (l = 0; l < r->nlines; l++)
		if (parse_find_nocase(r->line[l].p, r->line[l].len,
		    word) != NULL)
			return true;
	return false;
}

bool
ftp_greeting_is_ftp(const struct ftp_reply *r)
{
	const char	*name;
	struct span	 v;

	if (ftp_mentions(r, "SMTP"))
		return false;
	return ftp_identify(r, &name, &v) || ftp_mentions(r, "FTP");
}

void
ftp_record_greeting(struct obs *obs, const struct ftp_reply *r)
{
	char		 text[FTP_TEXT_MAX];
	const char	*name;
	struct span	 version;

	obs_set_service(obs, "ftp");
	if (ftp_reply_text(r, text, sizeof(text)) > 0)
		obs_set(obs, "ftp.banner", text);
	if (r->code != FTP_READY)
		obs_setf(obs, "ftp.greeting_code", "%u", r->code);
	if (ftp_identify(r, &name, &version)) {
		obs_set(obs, "product", name);
		obs_set_span(obs, "version", version);
	}
}

/* Record the answer to USER or PASS as the verdict on anonymous login. */
static void
ftp_record_login(struct obs *obs, const struct ftp_reply *r, bool ok)
{
	char	text[FTP_TEXT_MAX];

	obs_set(obs, "ftp.anonymous", ok ? "yes" : "no");
	ftp_reply_text(r, text, sizeof(text));
	obs_setf(obs, "ftp.anonymous_reply", "%u %s", r->code, text);
}

static enum probe_status
ftp_send_quit(struct probe_session *s)
{
	probe_write(s, ftp_quit_cmd, sizeof(ftp_quit_cmd) - 1);
	return PROBE_DONE;
}

static enum probe_status
ftp_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct ftp_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct ftp_reply	 r;
	const uint8_t		*p;
	size_t			 len;

	/* The reply's spans point into `in`: drain it only once used. */
	for (;;) {
		if ((len = evbuffer_get_length(in)) == 0)
			return PROBE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PROBE_DONE;
		switch (ftp_parse_reply(p, len, &r)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			/* Garbage after a valid greeting ends the session
			 * with what we learned; before it, this is not FTP. */
			return st->step == FTP_GREETING ? PROBE_MISMATCH :
			    PROBE_DONE;
		}

		switch (st->step) {
		case FTP_GREETING:
			if (ftp_mentions(&r, "SMTP"))
				return PROBE_MISMATCH;
			ftp_record_greeting(obs, &r);
			evbuffer_drain(in, r.used);
			if (r.code == FTP_READY_SOON)
				break;		/* a 220 follows */
			if (r.code != FTP_READY)
				return PROBE_DONE;	/* 421: recorded */
			if (probe_write(s, ftp_user,
			    sizeof(ftp_user) - 1) == -1)
				return PROBE_DONE;
			st->step = FTP_USER;
			break;
		case FTP_USER:
			if (r.code / 100 == 1) {
				evbuffer_drain(in, r.used);
				break;		/* preliminary reply */
			}
			if (r.code == FTP_NEED_PASSWORD) {
				evbuffer_drain(in, r.used);
				if (probe_write(s, ftp_pass,
				    sizeof(ftp_pass) - 1) == -1)
					return PROBE_DONE;
				st->step = FTP_PASS;
				break;
			}
			ftp_record_login(obs, &r, r.code == FTP_LOGGED_IN);
			evbuffer_drain(in, r.used);
			return ftp_send_quit(s);
		case FTP_PASS:
		default:
			if (r.code / 100 == 1) {
				evbuffer_drain(in, r.used);
				break;
			}
			ftp_record_login(obs, &r, r.code == FTP_LOGGED_IN ||
			    r.code == FTP_NOT_NEEDED);
			evbuffer_drain(in, r.used);
			return ftp_send_quit(s);
		}
	}
}

/* The server closed, or went quiet, mid-reply: record a greeting cut
 * short, as if its last line had ended. */
static void
ftp_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct ftp_state	*st = probe_state(s);
	struct ftp_reply	 r;
	const uint8_t		*p;
	size_t			 len;
	enum parse_result	 res;

	if (st->step != FTP_GREETING || evbuffer_get_length(in) == 0)
		return;
	if (evbuffer_add(in, "\r\n", 2) == -1)
		return;
	len = evbuffer_get_length(in);
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return;
	res = ftp_parse_reply(p, len, &r);
	if (res == PARSE_BAD || r.nlines == 0 || ftp_mentions(&r, "SMTP"))
		return;
	ftp_record_greeting(probe_obs(s), &r);
}

static const uint16_t ftp_ports[] = { 21, 0 };

const struct probe probe_ftp = {
	.name		= "ftp",
	.service	= "ftp",
	.ports		= ftp_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct ftp_state),
	.read_max	= 16384,
	.on_read	= ftp_on_read,
	.on_eof		= ftp_on_eof,
};
