/*
 * banner.c - the generic banner probe.  Part of the fallback sequence
 * for ports with no probe of their own: it sends nothing, waits for the
 * first line (or packet) the server sends, and tells what it is: SSH,
 * FTP, SMTP, POP3, IMAP, Telnet, a Redis error, VNC, MySQL.  Anything
 * else is recorded as banner.text with the service left unknown.  The
 * protocol parsers are the dedicated probes' own (ssh.h, ftp.h, smtp.h,
 * telnet.h, redis.h, mysql.h).
 */
#include "probes/banner.h"

#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/ftp.h"
#include "probes/mysql.h"
#include "probes/probe_internal.h"
#include "probes/redis.h"
#include "probes/smtp.h"
#include "probes/ssh.h"
#include "probes/telnet.h"

/* Telnet commands that open a negotiation, RFC 854 and RFC 855. */
#define TELNET_IAC		255
#define TELNET_SB		250
#define TELNET_WILL		251
#define TELNET_DONT		254

/* RFC 6143 7.1.1: "RFB 003.008\n", 12 bytes. */
#define RFB_VERSION_LEN		12

static const char *const banner_services[] = {
	[BANNER_UNKNOWN] = "",
	[BANNER_SSH] = "ssh",
	[BANNER_FTP] = "ftp",
	[BANNER_SMTP] = "smtp",
	[BANNER_POP3] = "pop3",
	[BANNER_IMAP] = "imap",
	[BANNER_TELNET] = "telnet",
	[BANNER_REDIS] = "redis",
	[BANNER_VNC] = "vnc",
	[BANNER_MYSQL] = "mysql",
};

const char *
banner_service(enum banner_kind k)
{
	if ((size_t)k >= sizeof(banner_services) / sizeof(banner_services[0]))
		return "";
	return banner_services[k];
}

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool
starts(const uint8_t *p, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && memcmp(p, prefix, n) == 0;
}

/*
 * A MySQL first packet (mysql.h): PARSE_OK (b filled), PARSE_MORE (could
 * still be one), PARSE_BAD (is not one).
 */
static enum parse_result
banner_mysql(const uint8_t *p, size_t len, bool eof, struct banner *b)
{
	struct mysql_greeting	g;
	enum parse_result	r;

	if ((r = mysql_parse_greeting(p, len, eof, &g)) != PARSE_OK)
		return r;
	b->kind = BANNER_MYSQL;
	b->mysql_error = g.error;
	b->mysql_errno = g.err_code;
	b->text = g.error ? g.err_msg : g.server_version;
	b->version = g.server_version;
	return PARSE_OK;
}

static bool
banner_rfb(const uint8_t *p, size_t len)
{
	return len >= RFB_VERSION_LEN && starts(p, len, "RFB ") &&
	    is_digit(p[4]) && is_digit(p[5]) && is_digit(p[6]) &&
	    p[7] == '.' && is_digit(p[8]) && is_digit(p[9]) &&
	    is_digit(p[10]) && p[11] == '\n';
}

/* An FTP or SMTP greeting: which one, or neither. */
static enum parse_result
banner_reply(const uint8_t *p, size_t len, bool eof, struct banner *b)
{
	struct ftp_reply	 fr;
	struct smtp_reply	 sr;
	enum parse_result	 r;

	r = ftp_parse_reply(p, len, &fr);
	if (r == PARSE_MORE && !eof)
		return PARSE_MORE;
	if (r == PARSE_BAD || fr.nlines == 0)
		return PARSE_OK;		/* unknown */
	if (ftp_greeting_is_ftp(&fr)) {
		b->kind = BANNER_FTP;
		return PARSE_OK;
	}
	if (smtp_parse_reply(p, len, &sr) != PARSE_BAD && sr.nlines > 0 &&
	    smtp_greeting_is_smtp(&sr))
		b->kind = BANNER_SMTP;
	return PARSE_OK;
}

enum parse_result
banner_classify(const uint8_t *p, size_t len, bool eof, struct banner *b)
{
	struct ssh_ident	 id;
	const uint8_t		*nl;
	size_t			 n, linelen;
	enum parse_result	 r;

	memset(b, 0, sizeof(*b));
	if (len == 0)
		return eof ? PARSE_BAD : PARSE_MORE;

	/* Telnet: IAC, then WILL, WONT, DO, DONT or SB. */
	if (p[0] == TELNET_IAC) {
		if (len < 2 && !eof)
			return PARSE_MORE;
		if (len >= 2 && p[1] >= TELNET_SB && p[1] <= TELNET_DONT) {
			b->kind = BANNER_TELNET;
			return PARSE_OK;
		}
	}
	if ((r = banner_mysql(p, len, eof, b)) != PARSE_BAD)
		return r;
	memset(b, 0, sizeof(*b));

	/* Text: decide on the first line. */
	n = len < BANNER_TEXT_MAX ? len : BANNER_TEXT_MAX;
	nl = memchr(p, '\n', n);
	if (nl == NULL && !eof && len < BANNER_TEXT_MAX)
		return PARSE_MORE;
	linelen = nl != NULL ? (size_t)(nl - p) : n;
	if (linelen > 0 && p[linelen - 1] == '\r')
		linelen--;
	b->text = span_of(p, linelen);

	if (starts(p, linelen, "SSH-")) {
		if (ssh_parse_ident((const char *)p, linelen, &id) == PARSE_OK)
			b->kind = BANNER_SSH;
	} else if (banner_rfb(p, len)) {
		b->kind = BANNER_VNC;
		b->version = span_of(p + 4, 7);
	} else if (starts(p, linelen, "+OK")) {
		b->kind = BANNER_POP3;		/* RFC 1939 section 4 */
	} else if (starts(p, linelen, "* OK") ||
	    starts(p, linelen, "* PREAUTH")) {
		b->kind = BANNER_IMAP;		/* RFC 9051 7.1 */
	} else if (linelen > 1 && p[0] == '-' && p[1] >= 'A' &&
	    p[1] <= 'Z') {
		b->kind = BANNER_REDIS;		/* "-DENIED", "-ERR max..." */
	} else if (is_digit(p[0])) {
		return banner_reply(p, len, eof, b);
	}
	return PARSE_OK;
}

static void
banner_record(struct obs *obs, const uint8_t *p, size_t len,
    const struct banner *b)
{
	struct ssh_ident	id;
	struct ftp_reply	fr;
	struct smtp_reply	sr;
	struct mysql_greeting	g;
	struct telnet		t;
	char			text[BANNER_TEXT_MAX];

	obs_set_service(obs, banner_service(b->kind));
	switch (b->kind) {
	case BANNER_SSH:
		if (ssh_parse_ident((const char *)b->text.p, b->text.len,
		    &id) == PARSE_OK)
			ssh_record(obs, &id);
		break;
	case BANNER_FTP:
		if (ftp_parse_reply(p, len, &fr) != PARSE_BAD &&
		    fr.nlines > 0)
			ftp_record_greeting(obs, &fr);
		break;
	case BANNER_SMTP:
		if (smtp_parse_reply(p, len, &sr) != PARSE_BAD &&
		    sr.nlines > 0)
			smtp_record_greeting(obs, &sr);
		break;
	case BANNER_TELNET:
		telnet_init(&t);
		telnet_feed(&t, p, len);
		telnet_record(obs, &t);
		obs_set_service(obs, "telnet");
		if (telnet_banner(&t, text, sizeof(text)) > 0)
			obs_set(obs, "banner.text", text);
		return;
	case BANNER_REDIS:
		if (!redis_record_error(obs, span_of(b->text.p + 1,
		    b->text.len - 1)))
			obs_set_service(obs, "");
		break;
	case BANNER_VNC:
		obs_set_span(obs, "vnc.protocol", b->version);
		break;
	case BANNER_MYSQL:
		if (mysql_parse_greeting(p, len, true, &g) == PARSE_OK)
			mysql_record(obs, &g);
		break;
	case BANNER_POP3:
		obs_set_span(obs, "pop3.banner", b->text);
		break;
	case BANNER_IMAP:
		obs_set_span(obs, "imap.banner", b->text);
		break;
	case BANNER_UNKNOWN:
	default:
		break;
	}
	obs_set_span(obs, "banner.text", b->text);
}

static enum probe_status
banner_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct banner	 b;
	const uint8_t	*p;
	size_t		 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	if (banner_classify(p, len, false, &b) != PARSE_OK)
		return PROBE_MORE;
	banner_record(probe_obs(s), p, len, &b);
	evbuffer_drain(in, len);
	return PROBE_DONE;
}

/* Closed or quiet before a decision: decide on what there is, as if the
 * last line had ended. */
static void
banner_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct banner	 b;
	const uint8_t	*p;
	size_t		 len;

	if ((len = evbuffer_get_length(in)) == 0 ||
	    (p = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (p[len - 1] != '\n' && banner_classify(p, len, true, &b) ==
	    PARSE_OK && b.kind != BANNER_MYSQL && b.kind != BANNER_TELNET) {
		if (evbuffer_add(in, "\r\n", 2) == -1)
			return;
		len = evbuffer_get_length(in);
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return;
	}
	if (banner_classify(p, len, true, &b) == PARSE_OK)
		banner_record(probe_obs(s), p, len, &b);
}

static const uint16_t banner_ports[] = { 0 };

const struct probe probe_banner = {
	.name		= "banner",
	.service	= "",
	.ports		= banner_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST | PROBE_GENERIC,
	.state_size	= 0,
	.read_max	= 4096,
	.on_read	= banner_on_read,
	.on_eof		= banner_on_eof,
};
