/*
 * vnc.c - VNC probe (ports 5900, 5901).  The server speaks first with
 * its RFB ProtocolVersion (RFC 6143 7.1.1); we answer with the highest
 * version both support and read the security types it offers (7.1.2),
 * then close.  "None" among them means the desktop is open to anyone.
 * We never choose a type, never authenticate and never reach the
 * framebuffer (ServerInit).
 */
#include "probes/vnc.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define RFB_PREFIX_LEN		4
#define RFB_DOT			7	/* where "RFB 003.008\n" has its '.' */
#define RFB_U32_LEN		4	/* 3.3 security type, reason length */
#define RFB_TYPE_MAX		255	/* 3.7+ types are one byte */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* IANA "RFB Security Types" registry names, shortened. */
static const struct {
	uint32_t	 type;
	const char	*name;
} vnc_types[] = {
	{ .type = VNC_SEC_INVALID,	.name = "invalid" },
	{ .type = VNC_SEC_NONE,		.name = "none" },
	{ .type = VNC_SEC_VNC_AUTH,	.name = "vnc_auth" },
	{ .type = 5,			.name = "ra2" },
	{ .type = 6,			.name = "ra2ne" },
	{ .type = 16,			.name = "tight" },
	{ .type = 17,			.name = "ultra" },
	{ .type = 18,			.name = "tls" },
	{ .type = 19,			.name = "vencrypt" },
	{ .type = 20,			.name = "sasl" },
	{ .type = 21,			.name = "md5" },
	{ .type = 22,			.name = "xvp" },
	{ .type = 23,			.name = "secure_tunnel" },
	{ .type = 24,			.name = "integrated_ssh" },
	{ .type = 30,			.name = "apple_dh" },
	{ .type = 113,			.name = "ultra_mslogon2" },
};

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

enum parse_result
vnc_parse_version(const uint8_t *p, size_t len, struct vnc_version *v)
{
	static const char	pattern[] = "RFB ddd.ddd\n";
	size_t			i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < len && i < RFB_VERSION_LEN; i++) {
		if (pattern[i] == 'd' ? !is_digit(p[i]) : p[i] !=
		    (uint8_t)pattern[i])
			return PARSE_BAD;
	}
	if (len < RFB_VERSION_LEN)
		return PARSE_MORE;
	for (i = RFB_PREFIX_LEN; i < RFB_DOT; i++)
		v->major = v->major * 10 + (unsigned int)(p[i] - '0');
	for (i = RFB_DOT + 1; i < RFB_VERSION_LEN - 1; i++)
		v->minor = v->minor * 10 + (unsigned int)(p[i] - '0');
	v->text = span_of(p + RFB_PREFIX_LEN, RFB_VERSION_LEN -
	    RFB_PREFIX_LEN - 1);
	return PARSE_OK;
}

unsigned int
vnc_build_reply(const struct vnc_version *v, uint8_t *out, size_t outlen)
{
	unsigned int	minor;

	if (outlen < RFB_VERSION_LEN + 1)
		return 0;
	if (v->major > 3 || (v->major == 3 && v->minor >= 8))
		minor = 8;
	else if (v->major == 3 && v->minor == 7)
		minor = 7;
	else
		minor = 3;
	snprintf((char *)out, outlen, "RFB 003.%03u\n", minor);
	return minor;
}

/* A reason string after a U32 length at p: PARSE_OK or PARSE_MORE. */
static enum parse_result
vnc_reason(const uint8_t *p, size_t len, size_t off, struct vnc_security *sec)
{
	uint32_t	rlen;

	if (len < off + RFB_U32_LEN)
		return PARSE_MORE;
	rlen = get_be32(p + off);
	off += RFB_U32_LEN;
	if (rlen > VNC_REASON_MAX) {
		rlen = VNC_REASON_MAX;
		sec->reason_cut = true;
	}
	if (len < off + rlen)
		return PARSE_MORE;
	sec->reason = span_of(p + off, rlen);
	sec->used = off + rlen;
	return PARSE_OK;
}

enum parse_result
vnc_parse_security(const uint8_t *p, size_t len, unsigned int minor,
    struct vnc_security *sec)
{
	uint32_t	type;
	size_t		i, n;

	memset(sec, 0, sizeof(*sec));
	if (minor < 7) {
		/* 3.3: the server decides (RFC 6143 appendix A.1). */
		if (len < RFB_U32_LEN)
			return PARSE_MORE;
		if ((type = get_be32(p)) > RFB_TYPE_MAX)
			return PARSE_BAD;
		if (type == VNC_SEC_INVALID) {
			sec->failed = true;
			return vnc_reason(p, len, RFB_U32_LEN, sec);
		}
		sec->ntypes = 1;
		sec->types[0] = type;
		sec->used = RFB_U32_LEN;
		return PARSE_OK;
	}
	if (len < 1)
		return PARSE_MORE;
	if ((n = p[0]) == 0) {
		sec->failed = true;
		return vnc_reason(p, len, 1, sec);
	}
	if (len < 1 + n)
		return PARSE_MORE;
	for (i = 0; i < n; i++)
		sec->types[i] = p[1 + i];
	sec->ntypes = n;
	sec->used = 1 + n;
	return PARSE_OK;
}

const char *
vnc_type_name(uint32_t type)
{
	size_t	i;

	for (i = 0; i < NELEM(vnc_types); i++)
		if (vnc_types[i].type == type)
			return vnc_types[i].name;
	return NULL;
}

void
vnc_record_security(struct obs *obs, const struct vnc_security *sec)
{
	char		 list[VNC_TYPES_MAX * 16];
	const char	*name;
	size_t		 i, o = 0;
	bool		 none = false;
	int		 n;

	if (sec->failed) {
		obs_set_span(obs, "vnc.error", sec->reason);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < sec->ntypes; i++) {
		if (sec->types[i] == VNC_SEC_NONE)
			none = true;
		name = vnc_type_name(sec->types[i]);
		if (name != NULL)
			n = snprintf(list + o, sizeof(list) - o, "%s%s",
			    i > 0 ? "," : "", name);
		else
			n = snprintf(list + o, sizeof(list) - o, "%s%u",
			    i > 0 ? "," : "", sec->types[i]);
		if (n < 0 || (size_t)n >= sizeof(list) - o)
			break;
		o += (size_t)n;
	}
	obs_set(obs, "vnc.security_types", list);
	obs_set(obs, "vnc.no_auth", none ? "yes" : "no");
}

/* Per session: the version the server sent, and ours once answered. */
struct vnc_state {
	struct vnc_version	version;
	unsigned int		minor;		/* 0 until we answered */
};

static enum probe_status
vnc_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct vnc_state	*st = probe_state(s);
	struct vnc_security	 sec;
	struct obs		*obs = probe_obs(s);
	const uint8_t		*p;
	uint8_t			 reply[RFB_VERSION_LEN + 1];
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	if (st->minor == 0) {
		switch (vnc_parse_version(p, len, &st->version)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return PROBE_MISMATCH;
		}
		obs_set_service(obs, "vnc");
		obs_set_span(obs, "vnc.protocol", st->version.text);
		obs_setf(obs, "vnc.version", "%u.%u", st->version.major,
		    st->version.minor);
		st->minor = vnc_build_reply(&st->version, reply,
		    sizeof(reply));
		if (probe_write(s, reply, RFB_VERSION_LEN) == -1)
			return PROBE_DONE;
		evbuffer_drain(in, RFB_VERSION_LEN);
		if ((len = evbuffer_get_length(in)) == 0)
			return PROBE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PROBE_DONE;
	}
	switch (vnc_parse_security(p, len, st->minor, &sec)) {
	case PARSE_OK:
		vnc_record_security(obs, &sec);
		evbuffer_drain(in, sec.used);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		obs_set(obs, "vnc.error", "malformed security types");
		return PROBE_DONE;
	}
}

static const uint16_t vnc_ports[] = { 5900, 5901, 0 };

const struct probe probe_vnc = {
	.name		= "vnc",
	.service	= "vnc",
	.ports		= vnc_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= sizeof(struct vnc_state),
	.read_max	= 4096,
	.on_read	= vnc_on_read,
};
