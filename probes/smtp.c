/*
 * smtp.c - SMTP probe (ports 25 and 587).  Reads the greeting (RFC 5321,
 * section 4.2) and says EHLO (section 4.1.1.1) to learn the extensions
 * the server offers.  When STARTTLS is among them (RFC 3207), it asks
 * for it: on 220 the runtime upgrades the connection and records the TLS
 * facts (probes/tls.c), then EHLO is said again over TLS, where servers
 * often offer more (AUTH, typically); a refusal (454, ...) is recorded.
 * Then QUIT.  No mail is ever sent, nor any password.
 *
 * When STARTTLS was accepted, the TLS measurements of probes/tls.h
 * follow, each on a connection of its own: greeting, EHLO, STARTTLS,
 * then one hand-built ClientHello in place of the handshake, and the
 * server's first answer read by tls.c (smtp_tls_legacy...).
 */
#include "probes/smtp.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"
#include "probes/tls.h"

/* Reply codes, RFC 5321 section 4.2.3. */
#define SMTP_READY		220	/* <domain> Service ready */
#define SMTP_OK			250	/* requested action okay */

/* Our EHLO names a domain that cannot exist (RFC 2606 ".invalid"). */
static const char	smtp_ehlo[] = "EHLO vigie.invalid\r\n";
static const char	smtp_starttls[] = "STARTTLS\r\n";	/* RFC 3207 4 */
static const char	smtp_quit[] = "QUIT\r\n";

#define SMTP_CODE_LEN		3	/* "NNN" */
#define SMTP_TEXT_MAX		1024	/* what we record of one reply */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum smtp_step {
	SMTP_GREETING,			/* waiting for the greeting */
	SMTP_EHLO,			/* EHLO sent */
	SMTP_STARTTLS,			/* STARTTLS sent */
	SMTP_IN_TLS,			/* the runtime's handshake, or
					 * a measurement's ClientHello */
	SMTP_EHLO_TLS,			/* EHLO sent again, over TLS */
};

struct smtp_state {
	enum smtp_step	step;
};

/* Could the bytes begin a reply line: "NNN", then ' ', '-' or its end?
 * RFC 5321 4.2: the first digit is 2 to 5. */
static bool
smtp_prefix_ok(const uint8_t *p, size_t len)
{
	if (len > 0 && (p[0] < '2' || p[0] > '5'))
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

enum parse_result
smtp_parse_reply(const uint8_t *p, size_t len, struct smtp_reply *r)
{
	const uint8_t	*nl, *line;
	size_t		 pos = 0, n, linelen;

	r->code = 0;
	r->nlines = 0;
	r->used = 0;
	if (!smtp_prefix_ok(p, len))
		return PARSE_BAD;
	while (pos < len) {
		if (len - pos >= SMTP_CODE_LEN &&
		    memcmp(p + pos, p, SMTP_CODE_LEN) != 0)
			return PARSE_BAD;
		if (!smtp_prefix_ok(p + pos, len - pos))
			return PARSE_BAD;
		if ((nl = memchr(p + pos, '\n', len - pos)) == NULL) {
			if (len - pos >= SMTP_LINE_MAX ||
			    memchr(p + pos, '\0', len - pos) != NULL)
				return PARSE_BAD;
			return PARSE_MORE;
		}
		line = p + pos;
		n = (size_t)(nl - line);
		if (n >= SMTP_LINE_MAX || memchr(line, '\0', n) != NULL)
			return PARSE_BAD;
		linelen = n;
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;
		if (linelen < SMTP_CODE_LEN)
			return PARSE_BAD;
		if (r->nlines == SMTP_REPLY_LINES_MAX)
			return PARSE_BAD;
		pos += n + 1;
		if (r->nlines == 0)
			r->code = (unsigned int)(line[0] - '0') * 100 +
			    (unsigned int)(line[1] - '0') * 10 +
			    (unsigned int)(line[2] - '0');
		r->line[r->nlines++] = linelen > SMTP_CODE_LEN ?
		    span_of(line + 4, linelen - 4) : span_of(NULL, 0);
		if (linelen == SMTP_CODE_LEN || line[3] == ' ') {
			r->used = pos;
			return PARSE_OK;
		}
	}
	return PARSE_MORE;
}

/* Append s (trimmed) to out at *o, after a space when not first. */
static void
smtp_append(char *out, size_t outlen, size_t *o, const uint8_t *s, size_t n)
{
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	if (*o > 0 && *o + 1 < outlen)
		out[(*o)++] = ' ';
	if (n > outlen - 1 - *o)
		n = outlen - 1 - *o;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

size_t
smtp_reply_text(const struct smtp_reply *r, char *out, size_t outlen)
{
	size_t	i, o = 0;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	for (i = 0; i < r->nlines; i++)
		smtp_append(out, outlen, &o, r->line[i].p, r->line[i].len);
	return o;
}

/* An EHLO line without leading blanks, and the length of its keyword
 * (its first word). */
static size_t
smtp_keyword(struct span *line)
{
	size_t	n = 0;

	while (line->len > 0 && (line->p[0] == ' ' || line->p[0] == '\t')) {
		line->p++;
		line->len--;
	}
	while (n < line->len && line->p[n] != ' ' && line->p[n] != '\t')
		n++;
	return n;
}

size_t
smtp_ehlo_keywords(const struct smtp_reply *r, char *out, size_t outlen,
    bool *starttls)
{
	struct span	line;
	size_t		i, k, n, o = 0;

	*starttls = false;
	if (outlen == 0)
		return 0;
	out[0] = '\0';
	for (i = 1; i < r->nlines; i++) {
		line = r->line[i];
		if ((n = smtp_keyword(&line)) == 0)
			continue;
		if (n == 8 && strncasecmp((const char *)line.p, "STARTTLS",
		    8) == 0)
			*starttls = true;
		k = o;
		smtp_append(out, outlen, &o, line.p, n);
		for (; k < o; k++)
			out[k] = (char)toupper((unsigned char)out[k]);
	}
	return o;
}

bool
smtp_ehlo_param(const struct smtp_reply *r, const char *keyword,
    struct span *params)
{
	struct span	line;
	size_t		i, n, klen = strlen(keyword);

	*params = span_of(NULL, 0);
	for (i = 1; i < r->nlines; i++) {
		line = r->line[i];
		n = smtp_keyword(&line);
		if (n != klen || strncasecmp((const char *)line.p, keyword,
		    n) != 0)
			continue;
		while (n < line.len && line.p[n] == ' ')
			n++;
		*params = span_of(line.p + n, line.len - n);
		return true;
	}
	return false;
}

/* Mail servers as named in greetings; `versioned` when a version may
 * follow the name. */
static const struct {
	const char	*needle;
	const char	*name;
	bool		 versioned;
} smtp_products[] = {
	{ .needle = "Microsoft ESMTP MAIL Service",
	  .name = "Microsoft ESMTP MAIL Service", .versioned = true },
	{ .needle = "Exim",	 .name = "Exim",	.versioned = true },
	{ .needle = "Postfix",	 .name = "Postfix" },
	{ .needle = "Sendmail",	 .name = "Sendmail",	.versioned = true },
	{ .needle = "OpenSMTPD", .name = "OpenSMTPD" },
	{ .needle = "MDaemon",	 .name = "MDaemon",	.versioned = true },
	{ .needle = "Haraka",	 .name = "Haraka",	.versioned = true },
	{ .needle = "IceWarp",	 .name = "IceWarp",	.versioned = true },
};

bool
smtp_identify(const struct smtp_reply *r, const char **name,
    struct span *version)
{
	const uint8_t	*hit, *end;
	size_t		 i;

	*name = NULL;
	*version = span_of(NULL, 0);
	/* The greeting's first line names the server; later lines are
	 * often free text that could mention anything. */
	if (r->nlines == 0)
		return false;
	for (i = 0; i < NELEM(smtp_products); i++) {
		hit = parse_find_nocase(r->line[0].p, r->line[0].len,
		    smtp_products[i].needle);
		if (hit == NULL)
			continue;
		*name = smtp_products[i].name;
		if (smtp_products[i].versioned) {
			hit += strlen(smtp_products[i].needle);
			end = r->line[0].p + r->line[0].len;
			*version = parse_version_token(hit,
			    (size_t)(end - hit));
		}
		return true;
	}
	return false;
}

static bool
smtp_mentions(const struct smtp_reply *r, const char *word)
{
	size_t	l;

	for (l = 0; l < r->nlines; l++)
		if (parse_find_nocase(r->line[l].p, r->line[l].len,
		    word) != NULL)
			return true;
	return false;
}

bool
smtp_greeting_is_smtp(const struct smtp_reply *r)
{
	const char	*name;
	struct span	 v;

	return smtp_mentions(r, "SMTP") || smtp_identify(r, &name, &v);
}

void
smtp_record_greeting(struct obs *obs, const struct smtp_reply *r)
{
	char		 text[SMTP_TEXT_MAX];
	const char	*name;
	struct span	 version;

	obs_set_service(obs, "smtp");
	if (smtp_reply_text(r, text, sizeof(text)) > 0)
		obs_set(obs, "smtp.banner", text);
	if (r->code != SMTP_READY)
		obs_setf(obs, "smtp.greeting_code", "%u", r->code);
	if (smtp_identify(r, &name, &version)) {
		obs_set(obs, "product", name);
		obs_set_span(obs, "version", version);
	}
}

/* Record an EHLO reply, said in clear or (`tls`) again over TLS.  True
 * when it offers STARTTLS. */
static bool
smtp_record_ehlo(struct obs *obs, const struct smtp_reply *r, bool tls)
{
	char		text[SMTP_TEXT_MAX];
	struct span	auth;
	bool		starttls;

	if (r->code != SMTP_OK) {
		obs_setf(obs, tls ? "smtp.ehlo_tls_code" : "smtp.ehlo_code",
		    "%u", r->code);
		return false;
	}
	if (smtp_ehlo_keywords(r, text, sizeof(text), &starttls) > 0)
		obs_set(obs, tls ? "smtp.ehlo_tls" : "smtp.ehlo", text);
	if (!tls)
		obs_set(obs, "smtp.starttls", starttls ? "yes" : "no");
	if (smtp_ehlo_param(r, "AUTH", &auth))
		obs_set_span(obs, tls ? "smtp.auth_tls" : "smtp.auth", auth);
	return starttls;
}

bool
smtp_record_starttls(struct obs *obs, const struct smtp_reply *r)
{
	char	text[SMTP_TEXT_MAX];

	if (r->code == SMTP_READY) {
		obs_set(obs, "smtp.starttls_result", "accepted");
		return true;
	}
	obs_set(obs, "smtp.starttls_result", "refused");
	smtp_reply_text(r, text, sizeof(text));
	obs_setf(obs, "smtp.starttls_reply", "%u%s%s", r->code,
	    text[0] != '\0' ? " " : "", text);
	return false;
}

/* A greeting that names FTP and not SMTP belongs to the FTP probe. */
static bool
smtp_looks_ftp(const struct smtp_reply *r)
{
	return smtp_mentions(r, "FTP") && !smtp_greeting_is_smtp(r);
}

/* Say QUIT (RFC 5321 4.1.1.10) and end the session. */
static enum probe_status
smtp_leave(struct probe_session *s)
{
	probe_write(s, smtp_quit, sizeof(smtp_quit) - 1);
	return PROBE_DONE;
}

static enum probe_status
smtp_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct smtp_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct smtp_reply	 r;
	const uint8_t		*p;
	size_t			 len;

	for (;;) {
		if (st->step == SMTP_IN_TLS)
			return PROBE_DONE;	/* nothing asked yet */
		if ((len = evbuffer_get_length(in)) == 0)
			return PROBE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PROBE_DONE;
		switch (smtp_parse_reply(p, len, &r)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return st->step == SMTP_GREETING ? PROBE_MISMATCH :
			    PROBE_DONE;
		}

		/* The reply's spans point into `in`: record, then drain. */
		switch (st->step) {
		case SMTP_GREETING:
			if (smtp_looks_ftp(&r))
				return PROBE_MISMATCH;
			smtp_record_greeting(obs, &r);
			evbuffer_drain(in, r.used);
			if (r.code != SMTP_READY)
				return PROBE_DONE;	/* 554, 421: recorded */
			if (probe_write(s, smtp_ehlo, sizeof(smtp_ehlo) - 1) ==
			    -1)
				return PROBE_DONE;
			st->step = SMTP_EHLO;
			break;
		case SMTP_EHLO:
			if (!smtp_record_ehlo(obs, &r, false)) {
				evbuffer_drain(in, r.used);
				return smtp_leave(s);
			}
			evbuffer_drain(in, r.used);
			if (probe_write(s, smtp_starttls,
			    sizeof(smtp_starttls) - 1) == -1)
				return PROBE_DONE;
			st->step = SMTP_STARTTLS;
			break;
		case SMTP_STARTTLS:
			if (!smtp_record_starttls(obs, &r)) {
				evbuffer_drain(in, r.used);
				return smtp_leave(s);	/* 454, 502, ... */
			}
			/* Bytes after the 220 came before our ClientHello,
			 * so they are not TLS, and nothing learnt before
			 * TLS is to be kept (RFC 3207, 4.2): dropped. */
			evbuffer_drain(in, len);
			st->step = SMTP_IN_TLS;
			return PROBE_STARTTLS;
		case SMTP_EHLO_TLS:
		default:
			smtp_record_ehlo(obs, &r, true);
			evbuffer_drain(in, r.used);
			return smtp_leave(s);
		}
	}
}

/* The handshake is done and its facts recorded: EHLO again, over TLS
 * (RFC 3207, 4.2: what the server offered in clear no longer holds). */
static enum probe_status
smtp_on_tls(struct probe_session *s)
{
	struct smtp_state	*st = probe_state(s);

	if (st == NULL || st->step != SMTP_IN_TLS)
		return PROBE_DONE;
	if (probe_write(s, smtp_ehlo, sizeof(smtp_ehlo) - 1) == -1)
		return PROBE_DONE;
	st->step = SMTP_EHLO_TLS;
	return PROBE_MORE;
}

/* The server closed, or went quiet, mid-greeting: record it as if its
 * last line had ended.  Or it accepted STARTTLS and the handshake did
 * not complete: say so, next to "accepted". */
static void
smtp_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct smtp_state	*st = probe_state(s);
	struct smtp_reply	 r;
	const uint8_t		*p;
	size_t			 len;

	if (st->step == SMTP_IN_TLS) {
		obs_set(probe_obs(s), "smtp.starttls_result",
		    "accepted, no TLS session");
		return;
	}
	if (st->step != SMTP_GREETING || evbuffer_get_length(in) == 0)
		return;
	if (evbuffer_add(in, "\r\n", 2) == -1)
		return;
	len = evbuffer_get_length(in);
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (smtp_parse_reply(p, len, &r) == PARSE_BAD || r.nlines == 0 ||
	    smtp_looks_ftp(&r))
		return;
	smtp_record_greeting(probe_obs(s), &r);
}

/* --- the TLS measurements over STARTTLS (probes/tls.h) ------------------- */

/*
 * A measurement's preamble: the greeting, EHLO and STARTTLS, as the
 * probe says them, with nothing recorded (the probe did).  PROBE_MORE
 * while it goes on; PROBE_STARTTLS once the server said 220 to
 * STARTTLS, whatever came after it left in `in`; PROBE_DONE when the
 * server refused or broke off.
 */
static enum probe_status
smtp_preamble(struct probe_session *s, struct evbuffer *in)
{
	struct smtp_state	*st = probe_state(s);
	struct smtp_reply	 r;
	const uint8_t		*p;
	size_t			 len;

	for (;;) {
		if ((len = evbuffer_get_length(in)) == 0)
			return PROBE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PROBE_DONE;
		switch (smtp_parse_reply(p, len, &r)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return PROBE_DONE;
		}
		evbuffer_drain(in, r.used);
		switch (st->step) {
		case SMTP_GREETING:
			if (r.code != SMTP_READY ||
			    probe_write(s, smtp_ehlo, sizeof(smtp_ehlo) - 1) ==
			    -1)
				return PROBE_DONE;
			st->step = SMTP_EHLO;
			break;
		case SMTP_EHLO:
			if (r.code != SMTP_OK)
				return smtp_leave(s);
			if (probe_write(s, smtp_starttls,
			    sizeof(smtp_starttls) - 1) == -1)
				return PROBE_DONE;
			st->step = SMTP_STARTTLS;
			break;
		case SMTP_STARTTLS:
			if (r.code != SMTP_READY)
				return smtp_leave(s);	/* 454 this time */
			st->step = SMTP_IN_TLS;
			return PROBE_STARTTLS;
		default:
			return PROBE_DONE;
		}
	}
}

/*
 * Say the preamble, then measure with the module's offer (its arg).
 * Bytes that came with the 220 stay in `in` and are read as the server's
 * answer: only the server can have sent them, there is nothing to
 * protect (the handshake stops at that answer), and bytes that are not
 * TLS prove nothing.
 */
static enum probe_status
smtp_measure_read(struct probe_session *s, struct evbuffer *in)
{
	struct smtp_state	*st = probe_state(s);
	enum tls_offer		 offer = (enum tls_offer)probe_arg(s);
	enum probe_status	 ps;

	if (st->step != SMTP_IN_TLS) {
		if ((ps = smtp_preamble(s, in)) != PROBE_STARTTLS)
			return ps;
		if (tls_measure_write(s, offer) == -1)
			return PROBE_DONE;
	}
	return tls_measure_read(s, in, offer);
}

/* Closed or silent before STARTTLS was accepted: nothing proven.  After
 * it, as a measurement says (tls_measure_eof()). */
static void
smtp_measure_eof(struct probe_session *s, struct evbuffer *in)
{
	struct smtp_state	*st = probe_state(s);

	if (st->step == SMTP_IN_TLS)
		tls_measure_eof(s, in, (enum tls_offer)probe_arg(s));
}

/*
 * Every link asks that the probe's STARTTLS was accepted and its
 * handshake done (the runtime goes on to a link's `then` when it says
 * no, so each says it); the later ones also ask what tls.c's say.
 */
static bool
smtp_tls_up(const struct obs *so_far)
{
	const char	*v = obs_get(so_far, "smtp.starttls_result");

	return v != NULL && strcmp(v, "accepted") == 0;
}

static bool
smtp_want_tls1(const struct obs *so_far)
{
	return smtp_tls_up(so_far) && tls_want_tls1(so_far);
}

static bool
smtp_want_tls12(const struct obs *so_far)
{
	return smtp_tls_up(so_far) && tls_want_tls12(so_far);
}

static bool
smtp_want_ssl3(const struct obs *so_far)
{
	return smtp_tls_up(so_far) && tls_want_ssl3(so_far);
}

/* The chain of probes/tls.c's, in the same order, for the same reasons. */
const struct probe probe_smtp_tls_ssl3 = {
	.name		= "smtp_tls_ssl3",
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_SSL3,
	.on_read	= smtp_measure_read,
	.on_eof		= smtp_measure_eof,
	.wanted		= smtp_want_ssl3,
};

const struct probe probe_smtp_tls_v12 = {
	.name		= "smtp_tls_v12",
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_TLS12,
	.on_read	= smtp_measure_read,
	.on_eof		= smtp_measure_eof,
	.wanted		= smtp_want_tls12,
	.then		= &probe_smtp_tls_ssl3,
};

const struct probe probe_smtp_tls_v1 = {
	.name		= "smtp_tls_v1",
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_TLS1,
	.on_read	= smtp_measure_read,
	.on_eof		= smtp_measure_eof,
	.wanted		= smtp_want_tls1,
	.then		= &probe_smtp_tls_v12,
};

const struct probe probe_smtp_tls_weak = {
	.name		= "smtp_tls_weak",
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_WEAK,
	.on_read	= smtp_measure_read,
	.on_eof		= smtp_measure_eof,
	.wanted		= smtp_tls_up,
	.then		= &probe_smtp_tls_v1,
};

const struct probe probe_smtp_tls_legacy = {
	.name		= "smtp_tls_legacy",
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= TLS_MEASURE_READ_MAX,
	.arg		= TLS_OFFER_LEGACY,
	.on_read	= smtp_measure_read,
	.on_eof		= smtp_measure_eof,
	.wanted		= smtp_tls_up,
	.then		= &probe_smtp_tls_weak,
};

static const uint16_t smtp_ports[] = { 25, 587, 0 };

const struct probe probe_smtp = {
	.name		= "smtp",
	.service	= "smtp",
	.ports		= smtp_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct smtp_state),
	.read_max	= 16384,
	.on_read	= smtp_on_read,
	.on_eof		= smtp_on_eof,
	.on_tls		= smtp_on_tls,
	.then		= &probe_smtp_tls_legacy,
};
