/*
 * mssql.c - Microsoft SQL Server probe (port 1433).  Sends one TDS
 * PRELOGIN message ([MS-TDS] 2.2.6.5) and reads the server's PRELOGIN
 * answer: the server's version (major.minor.build, which names the
 * release: 15 is SQL Server 2019), its encryption setting and whether
 * the instance option matched.  We never send a LOGIN7, so no account
 * is tried and nothing is logged as a failed login.
 */
#include "probes/mssql.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/*
 * What we announce as our own version: the value of [MS-TDS] 4.1's
 * example PRELOGIN (9.0.0.0, sub-build 0).  A server does not check it.
 */
static const uint8_t	mssql_client_version[TDS_PL_VERSION_LEN] = {
	0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
};

#define MSSQL_NOPTIONS		5	/* VERSION ... MARS */
#define MSSQL_PACKET_ID		1	/* the first packet, as in 4.1 */
#define MSSQL_PRODUCT		"Microsoft SQL Server"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t
mssql_build_prelogin(uint8_t *out, size_t outlen)
{
	/* Each option: its token and the length of its data. */
	static const struct {
		uint8_t	token;
		uint8_t	len;
	} opts[MSSQL_NOPTIONS] = {
		{ .token = TDS_PL_VERSION,	.len = TDS_PL_VERSION_LEN },
		{ .token = TDS_PL_ENCRYPTION,	.len = 1 },
		{ .token = TDS_PL_INSTOPT,	.len = 1 },	/* "" */
		{ .token = TDS_PL_THREADID,	.len = 4 },
		{ .token = TDS_PL_MARS,		.len = 1 },
	};
	size_t	i, table, data, total, t, d;

	table = MSSQL_NOPTIONS * TDS_PL_OPTION_LEN + 1;
	for (data = 0, i = 0; i < MSSQL_NOPTIONS; i++)
		data += opts[i].len;
	total = TDS_HEADER_LEN + table + data;
	if (outlen < total)
		return 0;
	memset(out, 0, total);
	out[0] = TDS_TYPE_PRELOGIN;
	out[1] = TDS_STATUS_EOM;
	put_be16(out + 2, (uint16_t)total);
	out[6] = MSSQL_PACKET_ID;
	t = TDS_HEADER_LEN;
	d = table;			/* offsets count from the payload */
	for (i = 0; i < MSSQL_NOPTIONS; i++) {
		out[t] = opts[i].token;
		put_be16(out + t + 1, (uint16_t)d);
		put_be16(out + t + 3, opts[i].len);
		t += TDS_PL_OPTION_LEN;
		d += opts[i].len;
	}
	out[t] = TDS_PL_TERMINATOR;
	/* The data, in option order; ENCRYPT_OFF, the empty instance name,
	 * thread id 0 and MARS off are all zero bytes. */
	memcpy(out + TDS_HEADER_LEN + table, mssql_client_version,
	    TDS_PL_VERSION_LEN);
	out[TDS_HEADER_LEN + table + TDS_PL_VERSION_LEN] = TDS_ENCRYPT_OFF;
	return total;
}

/* One option's data: PARSE_OK, or PARSE_BAD when it is too short. */
static enum parse_result
prelogin_option(uint8_t token, const uint8_t *d, size_t len,
    struct mssql_prelogin *pl)
{
	switch (token) {
	case TDS_PL_VERSION:
		if (len < TDS_PL_VERSION_LEN)
			return PARSE_BAD;
		/* UL_VERSION is sent major, minor, then a big-endian build
		 * (as every client reads it); US_SUBBUILD likewise. */
		pl->have_version = true;
		pl->major = d[0];
		pl->minor = d[1];
		pl->build = get_be16(d + 2);
		pl->subbuild = get_be16(d + 4);
		return PARSE_OK;
	case TDS_PL_ENCRYPTION:
		if (len < 1)
			return PARSE_BAD;
		pl->have_encryption = true;
		pl->encryption = d[0];
		return PARSE_OK;
	case TDS_PL_INSTOPT:
		if (len < 1)
			return PARSE_OK;	/* some servers send none */
		pl->have_instopt = true;
		pl->instopt = d[0];
		return PARSE_OK;
	case TDS_PL_MARS:
		if (len < 1)
			return PARSE_OK;
		pl->have_mars = true;
		pl->mars = d[0];
		return PARSE_OK;
	case TDS_PL_FEDAUTHREQUIRED:
		if (len < 1)
			return PARSE_OK;
		pl->have_fedauth = true;
		pl->fedauth = d[0];
		return PARSE_OK;
	default:
		return PARSE_OK;	/* THREADID, TRACEID, NONCEOPT ... */
	}
}

enum parse_result
mssql_parse_prelogin(const uint8_t *p, size_t len, struct mssql_prelogin *pl)
{
	const uint8_t	*payload;
	size_t		 plen, o, off, olen, n;

	memset(pl, 0, sizeof(*pl));
	if (len < 1)
		return PARSE_MORE;
	if (p[0] != TDS_TYPE_RESPONSE)
		return PARSE_BAD;
	if (len < TDS_HEADER_LEN)
		return PARSE_MORE;
	n = get_be16(p + 2);
	if (n <= TDS_HEADER_LEN || n > TDS_PACKET_MAX)
		return PARSE_BAD;
	if (len < n)
		return PARSE_MORE;
	payload = p + TDS_HEADER_LEN;
	plen = n - TDS_HEADER_LEN;
	for (o = 0; ; o += TDS_PL_OPTION_LEN) {
		if (o >= plen)
			return PARSE_BAD;	/* no terminator */
		if (payload[o] == TDS_PL_TERMINATOR)
			break;
		if (plen - o < TDS_PL_OPTION_LEN)
			return PARSE_BAD;
		off = get_be16(payload + o + 1);
		olen = get_be16(payload + o + 3);
		if (off > plen || olen > plen - off)
			return PARSE_BAD;
		if (prelogin_option(payload[o], payload + off, olen, pl) !=
		    PARSE_OK)
			return PARSE_BAD;
	}
	if (!pl->have_version)
		return PARSE_BAD;
	pl->used = n;
	return PARSE_OK;
}

/* Major versions and the releases they name (Microsoft's "SQL Server
 * versions and builds" list); 10.50 is 2008 R2. */
static const struct {
	uint8_t		 major;
	const char	*name;
} mssql_releases[] = {
	{ .major = 7,	.name = "SQL Server 7.0" },
	{ .major = 8,	.name = "SQL Server 2000" },
	{ .major = 9,	.name = "SQL Server 2005" },
	{ .major = 10,	.name = "SQL Server 2008" },
	{ .major = 11,	.name = "SQL Server 2012" },
	{ .major = 12,	.name = "SQL Server 2014" },
	{ .major = 13,	.name = "SQL Server 2016" },
	{ .major = 14,	.name = "SQL Server 2017" },
	{ .major = 15,	.name = "SQL Server 2019" },
	{ .major = 16,	.name = "SQL Server 2022" },
	{ .major = 17,	.name = "SQL Server 2025" },
};

#define MSSQL_2008_R2_MINOR	50

const char *
mssql_release_name(uint8_t major, uint8_t minor)
{
	size_t	i;

	if (major == 10 && minor == MSSQL_2008_R2_MINOR)
		return "SQL Server 2008 R2";
	for (i = 0; i < NELEM(mssql_releases); i++)
		if (mssql_releases[i].major == major)
			return mssql_releases[i].name;
	return NULL;
}

const char *
mssql_encryption_name(uint8_t v)
{
	switch (v) {
	case TDS_ENCRYPT_OFF:
		return "off";
	case TDS_ENCRYPT_ON:
		return "on";
	case TDS_ENCRYPT_NOT_SUP:
		return "not_supported";
	case TDS_ENCRYPT_REQ:
		return "required";
	default:
		return NULL;
	}
}

void
mssql_record_prelogin(struct obs *obs, const struct mssql_prelogin *pl)
{
	const char	*name;
	uint8_t		 enc;

	obs_set(obs, "product", MSSQL_PRODUCT);
	obs_setf(obs, "version", "%u.%u.%u", pl->major, pl->minor,
	    pl->build);
	obs_setf(obs, "mssql.version", "%u.%u.%u.%u", pl->major, pl->minor,
	    pl->build, pl->subbuild);
	if ((name = mssql_release_name(pl->major, pl->minor)) != NULL)
		obs_set(obs, "mssql.release", name);
	if (pl->have_encryption) {
		enc = pl->encryption & (uint8_t)~TDS_ENCRYPT_CLIENT_CERT;
		if ((name = mssql_encryption_name(enc)) != NULL)
			obs_set(obs, "mssql.encryption", name);
		else
			obs_setf(obs, "mssql.encryption", "%u", enc);
		if (pl->encryption & TDS_ENCRYPT_CLIENT_CERT)
			obs_set(obs, "mssql.client_cert", "yes");
	}
	if (pl->have_instopt)
		obs_setf(obs, "mssql.instopt", "%u", pl->instopt);
	if (pl->have_mars)
		obs_set(obs, "mssql.mars", pl->mars != 0 ? "on" : "off");
	if (pl->have_fedauth)
		obs_set(obs, "mssql.fedauth_required", pl->fedauth != 0 ?
		    "yes" : "no");
}

static int
mssql_start(struct probe_session *s)
{
	uint8_t	pkt[MSSQL_PRELOGIN_MAX];
	size_t	n;

	if ((n = mssql_build_prelogin(pkt, sizeof(pkt))) == 0)
		return -1;
	return probe_write(s, pkt, n);
}

static enum probe_status
mssql_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct mssql_prelogin	 pl;
	struct obs		*obs = probe_obs(s);
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (mssql_parse_prelogin(p, len, &pl)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
	obs_set_service(obs, "mssql");
	mssql_record_prelogin(obs, &pl);
	evbuffer_drain(in, pl.used);
	return PROBE_DONE;
}

static const uint16_t mssql_ports[] = { 1433, 0 };

const struct probe probe_mssql = {
	.name		= "mssql",
	.service	= "mssql",
	.ports		= mssql_ports,
	.transport	= PROBE_TCP,
	.read_max	= TDS_PACKET_MAX,
	.start		= mssql_start,
	.on_read	= mssql_on_read,
};
