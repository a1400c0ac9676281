/*
 * rdp.c - RDP probe (port 3389).  Sends one X.224 Connection Request
 * carrying an RDP Negotiation Request for TLS and CredSSP (MS-RDPBCGR
 * 2.2.1.1), reads the Connection Confirm (2.2.1.2) and records the
 * protocol the server selected, or the failure it gave: what one request
 * tells about the security layer and Network Level Authentication.
 */
#include "probes/rdp.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* TPKT header, RFC 1006 section 6 (T.123 section 8). */
#define TPKT_VERSION		0x03
#define TPKT_RESERVED		0x00
#define TPKT_HEADER_LEN		4

/* X.224 TPDUs, ISO/IEC 8073 section 13 (MS-RDPBCGR 2.2.1.1, 2.2.1.2). */
#define X224_TPDU_CR		0xe0	/* Connection Request, CDT 0 */
#define X224_TPDU_CC		0xd0	/* Connection Confirm */
#define X224_CODE_MASK		0xf0	/* the low nibble is CDT */
#define X224_FIXED_LEN		6	/* code, DST-REF, SRC-REF, class */
#define X224_CLASS_0		0x00

/* RDP_NEG_REQ, RDP_NEG_RSP, RDP_NEG_FAILURE: MS-RDPBCGR 2.2.1.1.1,
 * 2.2.1.2.1, 2.2.1.2.2. */
#define RDP_NEG_TYPE_REQ	0x01
#define RDP_NEG_TYPE_RSP	0x02
#define RDP_NEG_TYPE_FAILURE	0x03
#define RDP_NEG_BLOCK_LEN	8	/* the length field's only value */

/* Offsets in the Connection Confirm. */
#define CC_LI			4
#define CC_CODE			5
#define CC_DST_REF		6
#define CC_SRC_REF		8
#define CC_CLASS		10
#define CC_NEG			11
#define CC_MIN_LEN		(TPKT_HEADER_LEN + 1 + X224_FIXED_LEN)

/*
 * What we ask for: TLS and CredSSP, as nmap's and ZGrab2's RDP probes do,
 * so a server that can do NLA picks it.
 * TODO(#4): the full security recipe (research 3.1): separate
 * connections offering 0x0, 0x1 and 0x1|0x2|0x8, a pause between them,
 * then the NTLM challenge inside CredSSP for the host's names and build.
 */
#define RDP_REQUESTED		(RDP_PROTOCOL_SSL | RDP_PROTOCOL_HYBRID)

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

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

size_t
rdp_build_cr(uint8_t *out, size_t outlen, uint32_t requested)
{
	if (outlen < RDP_CR_LEN)
		return 0;
	out[0] = TPKT_VERSION;
	out[1] = TPKT_RESERVED;
	out[2] = 0;
	out[3] = RDP_CR_LEN;
	out[4] = RDP_CR_LEN - TPKT_HEADER_LEN - 1;	/* LI = 14 */
	out[5] = X224_TPDU_CR;
	out[6] = out[7] = 0;		/* DST-REF */
	out[8] = out[9] = 0;		/* SRC-REF */
	out[10] = X224_CLASS_0;
	out[11] = RDP_NEG_TYPE_REQ;
	out[12] = 0;			/* flags */
	out[13] = RDP_NEG_BLOCK_LEN;	/* length, little-endian */
	out[14] = 0;
	out[15] = (uint8_t)(requested & 0xff);
	out[16] = (uint8_t)(requested >> 8 & 0xff);
	out[17] = (uint8_t)(requested >> 16 & 0xff);
	out[18] = (uint8_t)(requested >> 24 & 0xff);
	return RDP_CR_LEN;
}

enum parse_result
rdp_parse_cc(const uint8_t *p, size_t len, struct rdp_cc *cc)
{
	memset(cc, 0, sizeof(*cc));
	if ((len > 0 && p[0] != TPKT_VERSION) ||
	    (len > 1 && p[1] != TPKT_RESERVED) ||
	    (len > CC_CODE && (p[CC_CODE] & X224_CODE_MASK) != X224_TPDU_CC))
		return PARSE_BAD;
	if (len < TPKT_HEADER_LEN)
		return PARSE_MORE;
	cc->tpkt_len = get_be16(p + 2);
	if (cc->tpkt_len < CC_MIN_LEN || cc->tpkt_len > RDP_CC_MAX)
		return PARSE_BAD;
	if (len > CC_LI) {
		cc->li = p[CC_LI];
		if (cc->li < X224_FIXED_LEN ||
		    TPKT_HEADER_LEN + 1 + (size_t)cc->li > cc->tpkt_len)
			return PARSE_BAD;
	}
	if (len < cc->tpkt_len)
		return PARSE_MORE;

	cc->dst_ref = get_be16(p + CC_DST_REF);
	cc->src_ref = get_be16(p + CC_SRC_REF);
	cc->class_opt = p[CC_CLASS];
	cc->neg = RDP_NEG_NONE;
	if (cc->li >= X224_FIXED_LEN + RDP_NEG_BLOCK_LEN) {
		cc->neg_type = p[CC_NEG];
		cc->neg_flags = p[CC_NEG + 1];
		cc->neg_len = get_le16(p + CC_NEG + 2);
		cc->neg_value = get_le32(p + CC_NEG + 4);
		if (cc->neg_len != RDP_NEG_BLOCK_LEN)
			cc->neg = RDP_NEG_OTHER;
		else if (cc->neg_type == RDP_NEG_TYPE_RSP)
			cc->neg = RDP_NEG_RSP;
		else if (cc->neg_type == RDP_NEG_TYPE_FAILURE)
			cc->neg = RDP_NEG_FAILURE;
		else
			cc->neg = RDP_NEG_OTHER;
	}
	return PARSE_OK;
}

const char *
rdp_protocol_name(uint32_t proto)
{
	switch (proto) {
	case RDP_PROTOCOL_RDP:
		return "standard_rdp";
	case RDP_PROTOCOL_SSL:
		return "ssl";
	case RDP_PROTOCOL_HYBRID:
		return "hybrid";
	case RDP_PROTOCOL_RDSTLS:
		return "rdstls";
	case RDP_PROTOCOL_HYBRID_EX:
		return "hybrid_ex";
	case RDP_PROTOCOL_RDSAAD:
		return "rdsaad";
	default:
		return NULL;
	}
}

const char *
rdp_failure_name(uint32_t code)
{
	static const char *const names[] = {
		[RDP_SSL_REQUIRED_BY_SERVER] = "ssl_required_by_server",
		[RDP_SSL_NOT_ALLOWED_BY_SERVER] = "ssl_not_allowed_by_server",
		[RDP_SSL_CERT_NOT_ON_SERVER] = "ssl_cert_not_on_server",
		[RDP_INCONSISTENT_FLAGS] = "inconsistent_flags",
		[RDP_HYBRID_REQUIRED_BY_SERVER] = "hybrid_required_by_server",
		[RDP_SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER] =
		    "ssl_with_user_auth_required_by_server",
	};

	if (code >= NELEM(names))
		return NULL;
	return names[code];
}

const char *
rdp_nla_verdict(const struct rdp_cc *cc, uint32_t requested)
{
	uint32_t	credssp = RDP_PROTOCOL_HYBRID | RDP_PROTOCOL_HYBRID_EX;

	switch (cc->neg) {
	case RDP_NEG_NONE:
		/* A stack older than negotiation: Standard RDP Security. */
		return "not_supported";
	case RDP_NEG_RSP:
		if ((cc->neg_value & credssp) != 0 &&
		    (cc->neg_value & ~credssp) == 0)
			return "supported";
		/* Offered CredSSP, the server chose less. */
		if ((requested & credssp) != 0 &&
		    (cc->neg_value == RDP_PROTOCOL_RDP ||
		    cc->neg_value == RDP_PROTOCOL_SSL))
			return "not_supported";
		return "unknown";
	case RDP_NEG_FAILURE:
		if (cc->neg_value == RDP_HYBRID_REQUIRED_BY_SERVER)
			return "required";
		if (cc->neg_value == RDP_SSL_NOT_ALLOWED_BY_SERVER)
			return "not_supported";
		return "unknown";
	case RDP_NEG_OTHER:
	default:
		return "unknown";
	}
}

static void
rdp_record(struct obs *obs, const struct rdp_cc *cc)
{
	const char	*name;

	obs_set_service(obs, "rdp");
	obs_setf(obs, "rdp.x224_src_ref", "0x%04x", cc->src_ref);
	switch (cc->neg) {
	case RDP_NEG_RSP:
		if ((name = rdp_protocol_name(cc->neg_value)) != NULL)
			obs_set(obs, "rdp.selected_protocol", name);
		else
			obs_setf(obs, "rdp.selected_protocol", "0x%08x",
			    cc->neg_value);
		obs_setf(obs, "rdp.neg_flags", "0x%02x", cc->neg_flags);
		break;
	case RDP_NEG_FAILURE:
		if ((name = rdp_failure_name(cc->neg_value)) != NULL)
			obs_set(obs, "rdp.neg_failure", name);
		else
			obs_setf(obs, "rdp.neg_failure", "0x%08x",
			    cc->neg_value);
		break;
	case RDP_NEG_NONE:
		/* No block: the server only speaks Standard RDP Security
		 * (MS-RDPBCGR 2.2.1.2: the block is optional). */
		obs_set(obs, "rdp.selected_protocol", "standard_rdp");
		obs_set(obs, "rdp.negotiation", "none");
		break;
	case RDP_NEG_OTHER:
	default:
		obs_setf(obs, "rdp.negotiation", "type 0x%02x length %u",
		    cc->neg_type, cc->neg_len);
		break;
	}
	obs_set(obs, "rdp.nla", rdp_nla_verdict(cc, RDP_REQUESTED));
}

static int
rdp_start(struct probe_session *s)
{
	uint8_t	cr[RDP_CR_LEN];

	rdp_build_cr(cr, sizeof(cr), RDP_REQUESTED);
	return probe_write(s, cr, sizeof(cr));
}

static enum probe_status
rdp_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct rdp_cc	 cc;
	const uint8_t	*p;
	size_t		 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (rdp_parse_cc(p, len, &cc)) {
	case PARSE_OK:
		rdp_record(probe_obs(s), &cc);
		evbuffer_drain(in, cc.tpkt_len);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
}

static const uint16_t rdp_ports[] = { 3389, 0 };

const struct probe probe_rdp = {
	.name		= "rdp",
	.service	= "rdp",
	.ports		= rdp_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= 0,
	.read_max	= 4096,
	.start		= rdp_start,
	.on_read	= rdp_on_read,
};
