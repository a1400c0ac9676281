/*
 * telnet.c - Telnet probe (port 23).  Telnet servers open with option
 * negotiation (RFC 854, RFC 855) and then print a banner and a login
 * prompt.  We refuse every option offered or asked for, so the server
 * falls back to the plain network virtual terminal and goes on to its
 * prompt; we record the negotiations seen and the printable text, and
 * stop at the prompt.  No credential is ever typed.
 */
#include "probes/telnet.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* Commands, RFC 854 page 14. */
#define TELNET_SE	240	/* end of subnegotiation */
#define TELNET_NOP	241
#define TELNET_GA	249	/* go ahead */
#define TELNET_SB	250	/* subnegotiation begins (RFC 855) */
#define TELNET_WILL	251
#define TELNET_WONT	252
#define TELNET_DO	253
#define TELNET_DONT	254
#define TELNET_IAC	255	/* interpret as command */

#define ASCII_ESC	0x1b	/* starts an ANSI escape sequence */
#define ASCII_DEL	0x7f

#define TELNET_PROMPT_WORD_MAX	64	/* "Router>" with no blank */
#define TELNET_OBS_MAX		1024

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum telnet_scan {
	T_DATA,
	T_IAC,			/* after IAC */
	T_OPT,			/* after IAC WILL/WONT/DO/DONT */
	T_SB_OPT,		/* after IAC SB */
	T_SB,			/* inside a subnegotiation */
	T_SB_IAC,		/* IAC inside a subnegotiation */
	T_ESC,			/* after ESC in the text */
	T_CSI,			/* inside ESC [ ... final byte */
};

static const char *const telnet_cmds[] = {
	[TELNET_SE - TELNET_SE] = "SE",
	[TELNET_NOP - TELNET_SE] = "NOP",
	[242 - TELNET_SE] = "DM",
	[243 - TELNET_SE] = "BRK",
	[244 - TELNET_SE] = "IP",
	[245 - TELNET_SE] = "AO",
	[246 - TELNET_SE] = "AYT",
	[247 - TELNET_SE] = "EC",
	[248 - TELNET_SE] = "EL",
	[TELNET_GA - TELNET_SE] = "GA",
	[TELNET_SB - TELNET_SE] = "SB",
	[TELNET_WILL - TELNET_SE] = "WILL",
	[TELNET_WONT - TELNET_SE] = "WONT",
	[TELNET_DO - TELNET_SE] = "DO",
	[TELNET_DONT - TELNET_SE] = "DONT",
	[TELNET_IAC - TELNET_SE] = "IAC",
};

/* Option codes and the RFC defining each (IANA telnet-options). */
static const struct {
	uint8_t		 code;
	const char	*name;
} telnet_opts[] = {
	{ .code = 0,  .name = "BINARY" },	/* RFC 856 */
	{ .code = 1,  .name = "ECHO" },		/* RFC 857 */
	{ .code = 3,  .name = "SGA" },		/* RFC 858 */
	{ .code = 5,  .name = "STATUS" },	/* RFC 859 */
	{ .code = 6,  .name = "TM" },		/* RFC 860 */
	{ .code = 24, .name = "TTYPE" },	/* RFC 1091 */
	{ .code = 31, .name = "NAWS" },		/* RFC 1073 */
	{ .code = 32, .name = "TSPEED" },	/* RFC 1079 */
	{ .code = 33, .name = "LFLOW" },	/* RFC 1372 */
	{ .code = 34, .name = "LINEMODE" },	/* RFC 1184 */
	{ .code = 35, .name = "XDISPLOC" },	/* RFC 1096 */
	{ .code = 36, .name = "ENVIRON" },	/* RFC 1408 */
	{ .code = 37, .name = "AUTHENTICATION" },	/* RFC 2941 */
	{ .code = 38, .name = "ENCRYPT" },	/* RFC 2946 */
	{ .code = 39, .name = "NEW-ENVIRON" },	/* RFC 1572 */
	{ .code = 44, .name = "COM-PORT" },	/* RFC 2217 */
};

const char *
telnet_cmd_name(uint8_t c)
{
	if (c < TELNET_SE)
		return NULL;
	return telnet_cmds[c - TELNET_SE];
}

const char *
telnet_opt_name(uint8_t o)
{
	size_t	i;

	for (i = 0; i < NELEM(telnet_opts); i++)
		if (telnet_opts[i].code == o)
			return telnet_opts[i].name;
	return NULL;
}

void
telnet_init(struct telnet *t)
{
	memset(t, 0, sizeof(*t));
}

static bool
telnet_text_full(const struct telnet *t)
{
	return t->text_len + 1 >= TELNET_TEXT_MAX;
}

static void
telnet_text_add(struct telnet *t, char c)
{
	if (telnet_text_full(t))
		return;
	t->text[t->text_len++] = c;
	t->text[t->text_len] = '\0';
}

static void
telnet_note(struct telnet *t, uint8_t cmd, uint8_t opt)
{
	size_t	i;

	t->negotiated = true;
	for (i = 0; i < t->nopts; i++)
		if (t->opts[i].cmd == cmd && t->opts[i].opt == opt)
			return;
	if (t->nopts == TELNET_OPTS_MAX)
		return;
	t->opts[t->nopts].cmd = cmd;
	t->opts[t->nopts].opt = opt;
	t->nopts++;
}

/* Queue IAC `answer` `opt` unless this option was refused already. */
static void
telnet_refuse(struct telnet *t, uint8_t *refused, uint8_t answer,
    uint8_t opt)
{
	uint8_t	bit = (uint8_t)(1u << (opt % 8));

	if ((refused[opt / 8] & bit) != 0 ||
	    t->reply_len + 3 > TELNET_REPLY_MAX)
		return;
	refused[opt / 8] |= bit;
	t->reply[t->reply_len++] = TELNET_IAC;
	t->reply[t->reply_len++] = answer;
	t->reply[t->reply_len++] = opt;
}

static void
telnet_data(struct telnet *t, uint8_t c)
{
	if (c == TELNET_IAC)
		t->scan = T_IAC;
	else if (c == ASCII_ESC)
		t->scan = T_ESC;
	else if (c == '\n')
		telnet_text_add(t, '\n');
	else if (c == '\t')
		telnet_text_add(t, ' ');
	else if (c >= 0x20 && c != ASCII_DEL)
		telnet_text_add(t, (char)c);
	/* CR, NUL and the other controls are dropped. */
}

enum parse_result
telnet_feed(struct telnet *t, const uint8_t *p, size_t len)
{
	size_t	i;
	uint8_t	c;

	for (i = 0; i < len; i++) {
		c = p[i];
		switch (t->scan) {
		case T_IAC:
			t->scan = T_DATA;
			if (c == TELNET_WILL || c == TELNET_WONT ||
			    c == TELNET_DO || c == TELNET_DONT) {
				t->cmd = c;
				t->scan = T_OPT;
			} else if (c == TELNET_SB) {
				t->scan = T_SB_OPT;
			} else if (c == TELNET_IAC) {
				/* An escaped 255 data byte: not text. */
			} else if (c >= TELNET_SE) {
				t->negotiated = true;	/* NOP, GA, ... */
			} else {
				return PARSE_BAD;
			}
			break;
		case T_OPT:
			telnet_note(t, t->cmd, c);
			if (t->cmd == TELNET_DO)
				telnet_refuse(t, t->refused_do, TELNET_WONT, c);
			else if (t->cmd == TELNET_WILL)
				telnet_refuse(t, t->refused_will, TELNET_DONT,
				    c);
			t->scan = T_DATA;
			break;
		case T_SB_OPT:
			telnet_note(t, TELNET_SB, c);
			t->scan = T_SB;
			break;
		case T_SB:
			if (c == TELNET_IAC)
				t->scan = T_SB_IAC;
			break;
		case T_SB_IAC:
			/* IAC SE ends it; IAC IAC is a data byte inside. */
			t->scan = c == TELNET_SE ? T_DATA : T_SB;
			break;
		case T_ESC:
			if (c == '[')
				t->scan = T_CSI;
			else if (c == TELNET_IAC)
				t->scan = T_IAC;
			else
				t->scan = T_DATA;
			break;
		case T_CSI:
			/* ECMA-48: parameters, then a final byte 0x40-0x7e. */
			if (c == TELNET_IAC)
				t->scan = T_IAC;
			else if (c >= 0x40 && c <= 0x7e)
				t->scan = T_DATA;
			break;
		case T_DATA:
		default:
			t->scan = T_DATA;
			telnet_data(t, c);
			break;
		}
	}
	if (telnet_text_full(t) || telnet_prompt(t))
		return PARSE_OK;
	return PARSE_MORE;
}

bool
telnet_prompt(const struct telnet *t)
{
	static const char *const words[] = {
		"login", "user", "password", "passcode",
	};
	const char	*line;
	size_t		 end = t->text_len, start, i, n;
	char		 last;

	while (end > 0 && t->text[end - 1] == ' ')
		end--;
	if (end == 0)
		return false;
	last = t->text[end - 1];
	if (last != ':' && last != '>' && last != '#' && last != '$')
		return false;
	for (start = end; start > 0 && t->text[start - 1] != '\n'; start--)
		continue;
	while (start < end && t->text[start] == ' ')
		start++;
	line = t->text + start;
	n = end - start;
	for (i = 0; i < NELEM(words); i++)
		if (parse_find_nocase((const uint8_t *)line, n,
		    words[i]) != NULL)
			return true;
	/* A device's command prompt: "Router>", "switch#". */
	return last != ':' && n > 1 && n <= TELNET_PROMPT_WORD_MAX &&
	    memchr(line, ' ', n) == NULL;
}

size_t
telnet_options_str(const struct telnet *t, char *out, size_t outlen)
{
	const char	*cmd, *opt;
	size_t		 i, o = 0;
	int		 n;

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	for (i = 0; i < t->nopts; i++) {
		cmd = telnet_cmd_name(t->opts[i].cmd);
		opt = telnet_opt_name(t->opts[i].opt);
		if (opt != NULL)
			n = snprintf(out + o, outlen - o, "%s%s %s",
			    i > 0 ? ", " : "", cmd != NULL ? cmd : "?", opt);
		else
			n = snprintf(out + o, outlen - o, "%s%s %u",
			    i > 0 ? ", " : "", cmd != NULL ? cmd : "?",
			    t->opts[i].opt);
		if (n < 0 || (size_t)n >= outlen - o) {
			out[o] = '\0';
			break;
		}
		o += (size_t)n;
	}
	return o;
}

size_t
telnet_banner(const struct telnet *t, char *out, size_t outlen)
{
	size_t	i, o = 0;
	bool	space = false;

	if (outlen == 0)
		return 0;
	for (i = 0; i < t->text_len && o + 1 < outlen; i++) {
		if (t->text[i] == ' ' || t->text[i] == '\n') {
			space = true;
			continue;
		}
		if (space && o > 0) {
			out[o++] = ' ';
			if (o + 1 >= outlen)
				break;
		}
		space = false;
		out[o++] = t->text[i];
	}
	out[o] = '\0';
	return o;
}

/* Another protocol's greeting, seen before any negotiation. */
static bool
telnet_foreign(const struct telnet *t)
{
	const char	*s = t->text;

	if (t->negotiated || memchr(s, '\n', t->text_len) == NULL)
		return false;
	if (strncmp(s, "SSH-", 4) == 0 || strncmp(s, "+OK", 3) == 0 ||
	    strncmp(s, "* OK", 4) == 0 || strncmp(s, "RFB ", 4) == 0)
		return true;
	/* An FTP or SMTP reply: "220 " or "220-". */
	return t->text_len >= 4 && s[0] >= '1' && s[0] <= '5' &&
	    s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
	    (s[3] == ' ' || s[3] == '-');
}

void
telnet_record(struct obs *obs, const struct telnet *t)
{
	char	buf[TELNET_OBS_MAX];

	if (!t->negotiated && !telnet_prompt(t))
		return;
	obs_set_service(obs, "telnet");
	if (telnet_banner(t, buf, sizeof(buf)) > 0)
		obs_set(obs, "telnet.banner", buf);
	if (telnet_options_str(t, buf, sizeof(buf)) > 0)
		obs_set(obs, "telnet.options", buf);
}

static enum probe_status
telnet_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct telnet		*t = probe_state(s);
	const uint8_t		*p;
	size_t			 len;
	enum parse_result	 r;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	r = telnet_feed(t, p, len);
	evbuffer_drain(in, len);
	if (t->reply_len > 0) {
		probe_write(s, t->reply, t->reply_len);
		t->reply_len = 0;
	}
	if (r == PARSE_BAD && !t->negotiated)
		return PROBE_MISMATCH;
	if (telnet_foreign(t))
		return PROBE_MISMATCH;
	if (t->negotiated || telnet_prompt(t))
		obs_set_service(probe_obs(s), "telnet");
	if (r == PARSE_MORE)
		return PROBE_MORE;
	telnet_record(probe_obs(s), t);
	return PROBE_DONE;
}

static void
telnet_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct telnet	*t = probe_state(s);
	const uint8_t	*p;
	size_t		 len;

	if ((len = evbuffer_get_length(in)) > 0 &&
	    (p = evbuffer_pullup(in, -1)) != NULL) {
		telnet_feed(t, p, len);
		evbuffer_drain(in, len);
	}
	if (!telnet_foreign(t))
		telnet_record(probe_obs(s), t);
}

static const uint16_t telnet_ports[] = { 23, 0 };

const struct probe probe_telnet = {
	.name		= "telnet",
	.service	= "telnet",
	.ports		= telnet_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct telnet),
	.read_max	= 16384,
	.on_read	= telnet_on_read,
	.on_eof		= telnet_on_eof,
};
