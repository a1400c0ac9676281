/*
 * mysql.c - MySQL/MariaDB probe (port 3306).  The server speaks first:
 * a Protocol::HandshakeV10 packet with its version string, or an
 * ERR_Packet when it refuses the client's address (1130, "Host ... is not
 * allowed to connect"), which still proves a MySQL server.  We send
 * nothing and close after the first packet.
 */
#include "probes/mysql.h"

#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* Connection phase packets (MySQL internals manual, "Protocol::
 * HandshakeV10" and "ERR_Packet"). */
#define MYSQL_PROTOCOL_10	0x0a
#define MYSQL_ERR		0xff
#define MYSQL_SQLSTATE_MARKER	'#'
#define MYSQL_SQLSTATE_LEN	5
#define MYSQL_ERR_FIXED		3	/* header byte, error code */
#define MYSQL_SEQ_FIRST		0	/* the server's first packet */
#define MYSQL_CONN_ID_LEN	4
#define MYSQL_AUTH1_LEN		8	/* auth-plugin-data-part-1 */
#define MYSQL_RESERVED_LEN	10
#define MYSQL_AUTH2_MIN		13	/* auth-plugin-data-part-2, at least */

/* MariaDB announces itself to old clients as MySQL 5.5.5. */
#define MARIADB_PREFIX		"5.5.5-"
#define MARIADB_NAME		"MariaDB"

static uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static bool
printable(const uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* The rest of HandshakeV10 after the version's NUL, as far as it goes. */
static void
mysql_greeting_tail(const uint8_t *p, size_t n, struct mysql_greeting *g)
{
	size_t	o, end, start;

	if (n < MYSQL_CONN_ID_LEN)
		return;
	g->conn_id = get_le32(p);
	o = MYSQL_CONN_ID_LEN + MYSQL_AUTH1_LEN + 1;	/* and a filler */
	if (n < o + 2)
		return;
	g->caps = get_le16(p + o);
	g->have_caps = true;
	o += 2;
	/* Character set, status flags, upper capabilities, the length of
	 * the scramble, ten reserved bytes. */
	if (n < o + 1 + 2 + 2 + 1 + MYSQL_RESERVED_LEN)
		return;
	g->caps |= (uint32_t)get_le16(p + o + 3) << 16;
	o += 6 + MYSQL_RESERVED_LEN;
	if (!(g->caps & MYSQL_CLIENT_PLUGIN_AUTH) || o + MYSQL_AUTH2_MIN >= n)
		return;
	/* The plugin name is the packet's last string.  Servers disagree
	 * on the scramble's length before it and on the final NUL, but a
	 * scramble never holds a NUL byte: the name starts after the last
	 * NUL before its own end. */
	end = p[n - 1] == '\0' ? n - 1 : n;
	for (start = end; start > o && p[start - 1] != '\0'; start--)
		continue;
	if (start > o && start < end && printable(p + start, end - start))
		g->auth_plugin = span_of(p + start, end - start);
}

enum parse_result
mysql_parse_greeting(const uint8_t *p, size_t len, bool eof,
    struct mysql_greeting *g)
{
	const uint8_t	*pl, *nul;
	size_t		 plen, total, n;

	memset(g, 0, sizeof(*g));
	/* Reject early: a length under MYSQL_GREETING_MAX has its two high
	 * bytes small, the first packet has sequence id 0, and its payload
	 * starts with 10 or 0xff. */
	if ((len > 1 && p[1] > (MYSQL_GREETING_MAX >> 8)) ||
	    (len > 2 && p[2] != 0) || (len > 3 && p[3] != MYSQL_SEQ_FIRST) ||
	    (len > 4 && p[4] != MYSQL_PROTOCOL_10 && p[4] != MYSQL_ERR))
		return PARSE_BAD;
	if (len <= MYSQL_HEADER_LEN)
		return eof ? PARSE_BAD : PARSE_MORE;
	plen = (size_t)p[0] | (size_t)p[1] << 8;
	if (plen < MYSQL_GREETING_MIN || plen > MYSQL_GREETING_MAX)
		return PARSE_BAD;
	total = MYSQL_HEADER_LEN + plen;
	if (len < total) {
		if (!eof)
			return PARSE_MORE;
		g->truncated = true;
		total = len;
	}
	g->used = total;
	pl = p + MYSQL_HEADER_LEN;
	n = total - MYSQL_HEADER_LEN;

	if (pl[0] == MYSQL_ERR) {
		if (n < MYSQL_ERR_FIXED)
			return PARSE_BAD;
		g->error = true;
		g->err_code = get_le16(pl + 1);
		pl += MYSQL_ERR_FIXED;
		n -= MYSQL_ERR_FIXED;
		if (n >= 1 + MYSQL_SQLSTATE_LEN &&
		    pl[0] == MYSQL_SQLSTATE_MARKER) {
			g->sqlstate = span_of(pl + 1, MYSQL_SQLSTATE_LEN);
			pl += 1 + MYSQL_SQLSTATE_LEN;
			n -= 1 + MYSQL_SQLSTATE_LEN;
		}
		g->err_msg = span_of(pl, n);
		return PARSE_OK;
	}

	g->protocol = pl[0];
	pl++;
	n--;
	if ((nul = memchr(pl, '\0', n)) == NULL) {
		if (!g->truncated)
			return PARSE_BAD;
		nul = pl + n;
	}
	if (nul == pl || !printable(pl, (size_t)(nul - pl)))
		return PARSE_BAD;
	g->server_version = span_of(pl, (size_t)(nul - pl));
	if (nul < pl + n)
		mysql_greeting_tail(nul + 1, (size_t)(pl + n - nul - 1), g);
	return PARSE_OK;
}

static bool
span_has(struct span s, const char *needle)
{
	return parse_find_nocase(s.p, s.len, needle) != NULL;
}

static bool
span_starts(struct span s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return s.len >= n && strncasecmp((const char *)s.p, prefix, n) == 0;
}

static bool
span_ends(struct span s, const char *suffix)
{
	size_t	n = strlen(suffix);

	return s.len >= n && strncasecmp((const char *)s.p + s.len - n,
	    suffix, n) == 0;
}

void
mysql_split_version(struct span v, struct mysql_version *mv)
{
	struct span	rest;
	size_t		i;

	memset(mv, 0, sizeof(*mv));
	mv->product = "MySQL";
	if (v.len == 0)
		return;
	if (span_has(v, MARIADB_NAME)) {
		mv->product = MARIADB_NAME;
		if (span_starts(v, MARIADB_PREFIX)) {
			v.p += strlen(MARIADB_PREFIX);
			v.len -= strlen(MARIADB_PREFIX);
		}
	}
	for (i = 0; i < v.len && ((v.p[i] >= '0' && v.p[i] <= '9') ||
	    v.p[i] == '.'); i++)
		continue;
	while (i > 0 && v.p[i - 1] == '.')
		i--;
	mv->version = span_of(v.p, i);

	/* What follows: "-MariaDB", then the package revision, then build
	 * tags such as "-log" that say nothing of the distribution. */
	rest = span_of(v.p + i, v.len - i);
	if (span_starts(rest, "-" MARIADB_NAME)) {
		rest.p += 1 + strlen(MARIADB_NAME);
		rest.len -= 1 + strlen(MARIADB_NAME);
	}
	if (rest.len > 0 && rest.p[0] == '-') {
		rest.p++;
		rest.len--;
	}
	if (span_ends(rest, "-log"))
		rest.len -= 4;
	if (span_has(rest, "ubuntu") || span_has(rest, "maria~ubu"))
		mv->distro = "ubuntu";
	else if (span_has(rest, "deb"))
		mv->distro = "debian";
	if (mv->distro != NULL)
		mv->distro_rev = rest;
}

void
mysql_record(struct obs *obs, const struct mysql_greeting *g)
{
	struct mysql_version	mv;

	obs_set_service(obs, "mysql");
	if (g->error) {
		obs_setf(obs, "mysql.errno", "%u", g->err_code);
		obs_set_span(obs, "mysql.sqlstate", g->sqlstate);
		obs_set_span(obs, "mysql.error", g->err_msg);
		return;
	}
	obs_setf(obs, "mysql.protocol", "%u", g->protocol);
	obs_set_span(obs, "mysql.version", g->server_version);
	mysql_split_version(g->server_version, &mv);
	obs_set(obs, "product", mv.product);
	obs_set_span(obs, "version", mv.version);
	if (mv.distro != NULL) {
		obs_set(obs, "mysql.distro", mv.distro);
		obs_set_span(obs, "mysql.distro_rev", mv.distro_rev);
	}
	if (g->have_caps)
		obs_set(obs, "mysql.ssl", (g->caps & MYSQL_CLIENT_SSL) ?
		    "yes" : "no");
	obs_set_span(obs, "mysql.auth_plugin", g->auth_plugin);
}

static enum probe_status
mysql_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct mysql_greeting	 g;
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (mysql_parse_greeting(p, len, false, &g)) {
	case PARSE_OK:
		mysql_record(probe_obs(s), &g);
		evbuffer_drain(in, g.used);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
}

/* The connection ended inside the packet: what came is recorded. */
static void
mysql_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct mysql_greeting	 g;
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0 ||
	    (p = evbuffer_pullup(in, -1)) == NULL)
		return;
	if (mysql_parse_greeting(p, len, true, &g) == PARSE_OK)
		mysql_record(probe_obs(s), &g);
}

static const uint16_t mysql_ports[] = { 3306, 0 };

const struct probe probe_mysql = {
	.name		= "mysql",
	.service	= "mysql",
	.ports		= mysql_ports,
	.transport	= PROBE_TCP,
	.flags		= PROBE_SERVER_FIRST,
	.state_size	= 0,
	.read_max	= 4096,
	.on_read	= mysql_on_read,
	.on_eof		= mysql_on_eof,
};
