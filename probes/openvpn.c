/*
 * openvpn.c - OpenVPN probe, TCP and UDP 1194.  Sends what a client
 * sends first, P_CONTROL_HARD_RESET_CLIENT_V2, and reads the server's
 * P_CONTROL_HARD_RESET_SERVER_V2, which acknowledges our session id:
 * then the service is OpenVPN, and it answered a packet that carried no
 * tls-auth HMAC nor tls-crypt wrapping, so anyone can make it start a TLS
 * handshake.  We send nothing more: no TLS, no credentials.
 *
 * A server with tls-auth or tls-crypt drops our reset without a word
 * (over TCP it also closes).  That silence cannot tell OpenVPN from a
 * firewall, so on its own port the probe records openvpn.answer=none
 * and no service: "open, no answer", never "not a VPN".  Over UDP, where
 * silence cannot even tell an open port from a filtered one, it also
 * sets probe.udp_state=open|filtered, which the scanner records as the
 * port's state (scanner/scan.c, on_service()).
 */
#include "probes/openvpn.h"

#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define OPCODE_SHIFT	3	/* opcode in the high 5 bits (ssl_pkt.h) */
#define KEY_ID_MASK	0x07
#define PACKET_ID_LEN	4
#define HEADER_MIN	(1 + OPENVPN_SID_LEN + 1)	/* op, sid, acks */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const uint8_t	openvpn_client_sid[OPENVPN_SID_LEN] = {
	'V', 'i', 'g', 'i', 'e', 'O', 'V', 'P',
};

static const char *const opcode_names[] = {
	[OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V1] =
	    "P_CONTROL_HARD_RESET_CLIENT_V1",
	[OPENVPN_P_CONTROL_HARD_RESET_SERVER_V1] =
	    "P_CONTROL_HARD_RESET_SERVER_V1",
	[OPENVPN_P_CONTROL_SOFT_RESET_V1] = "P_CONTROL_SOFT_RESET_V1",
	[OPENVPN_P_CONTROL_V1] = "P_CONTROL_V1",
	[OPENVPN_P_ACK_V1] = "P_ACK_V1",
	[OPENVPN_P_DATA_V1] = "P_DATA_V1",
	[OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V2] =
	    "P_CONTROL_HARD_RESET_CLIENT_V2",
	[OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2] =
	    "P_CONTROL_HARD_RESET_SERVER_V2",
	[OPENVPN_P_DATA_V2] = "P_DATA_V2",
	[OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V3] =
	    "P_CONTROL_HARD_RESET_CLIENT_V3",
	[OPENVPN_P_CONTROL_WKC_V1] = "P_CONTROL_WKC_V1",
};

struct openvpn_state {
	bool	got_bytes;		/* the server sent something */
};

const char *
openvpn_opcode_name(uint8_t op)
{
	return op < NELEM(opcode_names) ? opcode_names[op] : NULL;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

size_t
openvpn_build_reset(uint8_t *out, size_t len, bool tcp)
{
	size_t	pkt = HEADER_MIN + PACKET_ID_LEN, o = 0;

	if (len < pkt + (tcp ? OPENVPN_TCP_LEN : 0))
		return 0;
	if (tcp) {
		out[o++] = (uint8_t)(pkt >> 8);
		out[o++] = (uint8_t)pkt;
	}
	out[o++] = OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V2 << OPCODE_SHIFT;
	memcpy(out + o, openvpn_client_sid, OPENVPN_SID_LEN);
	o += OPENVPN_SID_LEN;
	out[o++] = 0;				/* no ack */
	memset(out + o, 0, PACKET_ID_LEN);	/* our first message: 0 */
	return o + PACKET_ID_LEN;
}

enum parse_result
openvpn_parse_packet(const uint8_t *p, size_t len, struct openvpn_packet *pk)
{
	size_t	o, i;

	memset(pk, 0, sizeof(*pk));
	if (len < 1)
		return PARSE_MORE;
	pk->opcode = p[0] >> OPCODE_SHIFT;
	pk->key_id = p[0] & KEY_ID_MASK;
	/* Only control packets: data packets never answer a reset. */
	if (pk->opcode == 0 || pk->opcode == OPENVPN_P_DATA_V1 ||
	    pk->opcode == OPENVPN_P_DATA_V2 ||
	    openvpn_opcode_name(pk->opcode) == NULL)
		return PARSE_BAD;
	if (len < HEADER_MIN)
		return PARSE_MORE;
	memcpy(pk->sid, p + 1, OPENVPN_SID_LEN);
	o = 1 + OPENVPN_SID_LEN;
	pk->nacks = p[o++];
	if (pk->nacks > OPENVPN_ACK_MAX)
		return PARSE_BAD;
	if (pk->nacks > 0) {
		if (len - o < pk->nacks * PACKET_ID_LEN + OPENVPN_SID_LEN)
			return PARSE_MORE;
		for (i = 0; i < pk->nacks; i++, o += PACKET_ID_LEN)
			pk->acks[i] = be32(p + o);
		memcpy(pk->remote_sid, p + o, OPENVPN_SID_LEN);
		o += OPENVPN_SID_LEN;
	}
	if (pk->opcode != OPENVPN_P_ACK_V1) {
		if (len - o < PACKET_ID_LEN)
			return PARSE_MORE;
		pk->has_packet_id = true;
		pk->packet_id = be32(p + o);
		o += PACKET_ID_LEN;
	}
	pk->payload = span_of(p + o, len - o);
	pk->used = len;
	return PARSE_OK;
}

enum parse_result
openvpn_parse_tcp(const uint8_t *p, size_t len, struct openvpn_packet *pk)
{
	enum parse_result	r;
	size_t			plen;

	memset(pk, 0, sizeof(*pk));
	if (len < OPENVPN_TCP_LEN)
		return PARSE_MORE;
	plen = (size_t)p[0] << 8 | p[1];
	if (plen < HEADER_MIN || plen > OPENVPN_PACKET_MAX)
		return PARSE_BAD;
	/* The opcode can be judged before the whole packet is in. */
	if (len == OPENVPN_TCP_LEN)
		return PARSE_MORE;
	if (len < OPENVPN_TCP_LEN + plen) {
		r = openvpn_parse_packet(p + OPENVPN_TCP_LEN,
		    len - OPENVPN_TCP_LEN, pk);
		memset(pk, 0, sizeof(*pk));
		return r == PARSE_BAD ? PARSE_BAD : PARSE_MORE;
	}
	r = openvpn_parse_packet(p + OPENVPN_TCP_LEN, plen, pk);
	if (r == PARSE_MORE)		/* the length cut the header short */
		return PARSE_BAD;
	if (r == PARSE_OK)
		pk->used = OPENVPN_TCP_LEN + plen;
	return r;
}

/* Module. */

static int
start(struct probe_session *s, bool tcp)
{
	uint8_t	pkt[OPENVPN_TCP_LEN + HEADER_MIN + PACKET_ID_LEN];
	size_t	n = openvpn_build_reset(pkt, sizeof(pkt), tcp);

	return n == 0 ? -1 : probe_write(s, pkt, n);
}

static int
openvpn_tcp_start(struct probe_session *s)
{
	return start(s, true);
}

static int
openvpn_udp_start(struct probe_session *s)
{
	return start(s, false);
}

/* Is this the answer to our reset?  A server reset (V2, or V1 from a
 * very old server) that, if it acknowledges anything, acknowledges our
 * session. */
static bool
answers_us(const struct openvpn_packet *pk)
{
	if (pk->opcode != OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2 &&
	    pk->opcode != OPENVPN_P_CONTROL_HARD_RESET_SERVER_V1)
		return false;
	return pk->nacks == 0 || memcmp(pk->remote_sid, openvpn_client_sid,
	    OPENVPN_SID_LEN) == 0;
}

static enum probe_status
on_read(struct probe_session *s, struct evbuffer *in, bool tcp)
{
	struct openvpn_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct openvpn_packet	 pk;
	enum parse_result	 r;
	const uint8_t		*p;
	size_t			 n = evbuffer_get_length(in);

	if (n == 0)
		return PROBE_MORE;
	st->got_bytes = true;
	if (n > OPENVPN_TCP_LEN + OPENVPN_PACKET_MAX)
		n = OPENVPN_TCP_LEN + OPENVPN_PACKET_MAX;
	if ((p = evbuffer_pullup(in, (ev_ssize_t)n)) == NULL)
		return PROBE_MORE;
	r = tcp ? openvpn_parse_tcp(p, n, &pk) :
	    openvpn_parse_packet(p, n, &pk);
	if (r == PARSE_MORE)
		return PROBE_MORE;
	if (r == PARSE_BAD || !answers_us(&pk)) {
		evbuffer_drain(in, n);
		return PROBE_MISMATCH;
	}
	obs_set_service(obs, "openvpn");
	obs_set(obs, "openvpn.answer", "reset");
	obs_set(obs, "openvpn.opcode", openvpn_opcode_name(pk.opcode));
	obs_set(obs, "openvpn.tls_auth", "no");
	obs_set(obs, "openvpn.session_echo", pk.nacks > 0 ? "yes" : "no");
	evbuffer_drain(in, n);
	return PROBE_DONE;
}

static enum probe_status
openvpn_tcp_on_read(struct probe_session *s, struct evbuffer *in)
{
	return on_read(s, in, true);
}

static enum probe_status
openvpn_udp_on_read(struct probe_session *s, struct evbuffer *in)
{
	return on_read(s, in, false);
}

/* Silence on OpenVPN's own port: say so, and claim nothing. */
static void
on_eof(struct probe_session *s, bool tcp)
{
	struct openvpn_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);

	if (st->got_bytes || probe_port(s) != OPENVPN_PORT)
		return;
	obs_set(obs, "openvpn.answer", "none");
	if (!tcp)
		obs_set(obs, "probe.udp_state", "open|filtered");
}

static void
openvpn_tcp_on_eof(struct probe_session *s, struct evbuffer *in)
{
	(void)in;
	on_eof(s, true);
}

static void
openvpn_udp_on_eof(struct probe_session *s, struct evbuffer *in)
{
	(void)in;
	on_eof(s, false);
}

static const uint16_t openvpn_ports[] = { OPENVPN_PORT, 0 };

const struct probe probe_openvpn = {
	.name		= "openvpn",
	.service	= "openvpn",
	.ports		= openvpn_ports,
	.transport	= PROBE_TCP,
	.state_size	= sizeof(struct openvpn_state),
	.read_max	= 2 * (OPENVPN_TCP_LEN + OPENVPN_PACKET_MAX),
	.start		= openvpn_tcp_start,
	.on_read	= openvpn_tcp_on_read,
	.on_eof		= openvpn_tcp_on_eof,
};

static const uint16_t openvpn_udp_ports[] = { OPENVPN_PORT, 0 };

const struct probe probe_openvpn_udp = {
	.name		= "openvpn_udp",
	.service	= "openvpn",
	.ports		= openvpn_udp_ports,
	.transport	= PROBE_UDP,
	.state_size	= sizeof(struct openvpn_state),
	.read_max	= 2 * OPENVPN_PACKET_MAX,
	.start		= openvpn_udp_start,
	.on_read	= openvpn_udp_on_read,
	.on_eof		= openvpn_udp_on_eof,
};
