/*
 * rdp.c - RDP probe (port 3389): the security-negotiation recipe of
 * research 3.1, one offer per connection, each an X.224 Connection
 * Request carrying an RDP Negotiation Request (MS-RDPBCGR 2.2.1.1)
 * answered by a Connection Confirm (2.2.1.2):
 *
 *   rdp      TLS or CredSSP (SSL | HYBRID | HYBRID_EX).  Identifies the
 *            service.  When the server selects TLS or CredSSP the
 *            connection goes on in TLS (the runtime records the
 *            certificate), and when it selected CredSSP a TSRequest
 *            carrying an NTLM NEGOTIATE (MS-CSSP 2.2.1, MS-NLMP 2.2.1.1)
 *            brings the server's CHALLENGE: its NetBIOS and DNS names
 *            and its Windows version.  No AUTHENTICATE message is ever
 *            sent: the exchange stops at the challenge.
 *   rdp_std  Standard RDP Security alone: allowed, or refused with the
 *            failure code that says what the server requires.
 *   rdp_tls  TLS alone: accepted means NLA is not enforced; refused with
 *            HYBRID_REQUIRED_BY_SERVER means it is.
 *
 * The second and third run as follow-ups (struct probe's `then`), each
 * only when the answers before it leave something to prove: three
 * connections at most, one for a server that only knows Standard RDP
 * Security.  What they prove is summed up in rdp.standard_security,
 * rdp.nla and rdp.tls; the answers themselves are kept for the evidence.
 * A server older than the negotiation (no RDP_NEG_RSP at all) only does
 * Standard RDP Security.
 */
#include "probes/rdp.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/ntlm.h"
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

/* DER (X.690) as MS-CSSP 2.2.1 uses it: the TSRequest is a SEQUENCE of
 * context-tagged fields [0] version, [1] negoTokens, [4] errorCode... */
#define DER_INTEGER		0x02
#define DER_OCTET_STRING	0x04
#define DER_SEQUENCE		0x30
#define DER_CONTEXT(n)		(0xa0 | (n))	/* constructed [n] */
#define DER_LONG_FORM		0x80
#define DER_LEN_BYTES_MAX	2	/* RDP_TSREQ_MAX fits in two */
#define TSREQ_VERSION		6	/* MS-CSSP 2.2.1: the current one */
#define TSREQ_VERSION_TAG	0
#define TSREQ_NEGO_TOKENS_TAG	1
#define TSREQ_ERROR_CODE_TAG	4
#define NEGO_TOKEN_TAG		0	/* NegoData: [0] negoToken */

/* Bytes kept of a server's answer, per connection: the Confirm, then
 * the TSRequest over TLS. */
#define RDP_READ_MAX		(RDP_CC_MAX + RDP_TSREQ_MAX)

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum rdp_step {
	RDP_WANT_CC,		/* the Connection Confirm */
	RDP_IN_TLS,		/* upgraded, nothing asked yet */
	RDP_WANT_TSREQ,		/* the server's TSRequest, over TLS */
	RDP_WANT_ULTIMATUM,	/* xrdp's answer to an empty Data TPDU */
};

struct rdp_state {
	enum rdp_step	step;
	bool		credssp;	/* the server selected CredSSP */
};

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

void
rdp_answer_str(const struct rdp_cc *cc, char *out, size_t outlen)
{
	const char	*name = NULL;

	switch (cc->neg) {
	case RDP_NEG_NONE:
		name = "none";
		break;
	case RDP_NEG_RSP:
		name = rdp_protocol_name(cc->neg_value);
		break;
	case RDP_NEG_FAILURE:
		name = rdp_failure_name(cc->neg_value);
		break;
	case RDP_NEG_OTHER:
	default:
		snprintf(out, outlen, "type 0x%02x length %u", cc->neg_type,
		    cc->neg_len);
		return;
	}
	if (name != NULL)
		snprintf(out, outlen, "%s", name);
	else
		snprintf(out, outlen, "0x%08x", cc->neg_value);
}

/* The facts of a server that only does Standard RDP Security. */
static void
standard_only(struct rdp_facts *f)
{
	f->standard_security = "allowed";
	f->nla = "not_supported";
	f->tls = "not_supported";
}

/* An answer to an offer that included CredSSP (and TLS). */
static void
judge_credssp(const struct rdp_cc *cc, struct rdp_facts *f)
{
	if (cc->neg == RDP_NEG_NONE) {
		standard_only(f);
		return;
	}
	if (cc->neg == RDP_NEG_RSP) {
		switch (cc->neg_value) {
		case RDP_PROTOCOL_RDP:
			standard_only(f);
			break;
		case RDP_PROTOCOL_SSL:
			f->tls = "supported";
			f->nla = "not_supported";
			f->starttls = true;
			break;
		case RDP_PROTOCOL_HYBRID:
		case RDP_PROTOCOL_HYBRID_EX:
			f->tls = "supported";
			f->nla = "supported";
			f->starttls = f->credssp = true;
			break;
		default:
			break;		/* not what we offered */
		}
		return;
	}
	if (cc->neg != RDP_NEG_FAILURE)
		return;
	switch (cc->neg_value) {
	case RDP_SSL_NOT_ALLOWED_BY_SERVER:
		standard_only(f);
		break;
	case RDP_SSL_CERT_NOT_ON_SERVER:
		/* No certificate: neither TLS nor CredSSP, which runs in it. */
		f->tls = "not_supported";
		f->nla = "not_supported";
		break;
	case RDP_HYBRID_REQUIRED_BY_SERVER:
		f->nla = "required";
		f->standard_security = "refused";
		break;
	case RDP_SSL_REQUIRED_BY_SERVER:
	case RDP_SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER:
		f->standard_security = "refused";
		break;
	default:
		break;
	}
}

/* An answer to an offer of Standard RDP Security alone. */
static void
judge_standard(const struct rdp_cc *cc, struct rdp_facts *f)
{
	if (cc->neg == RDP_NEG_NONE ||
	    (cc->neg == RDP_NEG_RSP && cc->neg_value == RDP_PROTOCOL_RDP)) {
		f->standard_security = "allowed";
		return;
	}
	if (cc->neg != RDP_NEG_FAILURE)
		return;
	switch (cc->neg_value) {
	case RDP_HYBRID_REQUIRED_BY_SERVER:
		f->nla = "required";
		f->standard_security = "refused";
		break;
	case RDP_SSL_REQUIRED_BY_SERVER:
	case RDP_SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER:
		f->standard_security = "refused";
		break;
	default:
		break;		/* 2, 3, 4: not answers to this offer */
	}
}

/* An answer to an offer of TLS alone. */
static void
judge_tls(const struct rdp_cc *cc, struct rdp_facts *f)
{
	if (cc->neg == RDP_NEG_NONE) {
		standard_only(f);
		return;
	}
	if (cc->neg == RDP_NEG_RSP) {
		if (cc->neg_value == RDP_PROTOCOL_SSL) {
			f->tls = "supported";
		} else if (cc->neg_value == RDP_PROTOCOL_RDP) {
			f->standard_security = "allowed";
			f->tls = "not_supported";
		}
		return;
	}
	if (cc->neg != RDP_NEG_FAILURE)
		return;
	switch (cc->neg_value) {
	case RDP_SSL_NOT_ALLOWED_BY_SERVER:
		standard_only(f);
		break;
	case RDP_SSL_CERT_NOT_ON_SERVER:
		f->tls = "not_supported";
		break;
	case RDP_HYBRID_REQUIRED_BY_SERVER:
		f->nla = "required";
		break;
	default:
		break;
	}
}

void
rdp_judge(const struct rdp_cc *cc, uint32_t offered, struct rdp_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (offered & (RDP_PROTOCOL_HYBRID | RDP_PROTOCOL_HYBRID_EX))
		judge_credssp(cc, f);
	else if (offered == RDP_PROTOCOL_RDP)
		judge_standard(cc, f);
	else if (offered == RDP_PROTOCOL_SSL)
		judge_tls(cc, f);
}

/* DER */

/*
 * One TLV at the start of [p, p+len): its tag, the length of its header
 * and of its content.  PARSE_MORE when the header is cut; PARSE_BAD for
 * an indefinite or over-long length.  The content may still be cut.
 */
static enum parse_result
der_tlv(const uint8_t *p, size_t len, uint8_t *tag, size_t *hdr,
    size_t *clen)
{
	size_t	n, i;

	if (len < 2)
		return PARSE_MORE;
	*tag = p[0];
	if ((p[0] & 0x1f) == 0x1f)
		return PARSE_BAD;		/* multi-byte tags: not here */
	if (!(p[1] & DER_LONG_FORM)) {
		*hdr = 2;
		*clen = p[1];
		return PARSE_OK;
	}
	n = p[1] & ~DER_LONG_FORM;
	if (n == 0 || n > DER_LEN_BYTES_MAX)
		return PARSE_BAD;		/* indefinite, or too long */
	if (len < 2 + n)
		return PARSE_MORE;
	*clen = 0;
	for (i = 0; i < n; i++)
		*clen = *clen << 8 | p[2 + i];
	*hdr = 2 + n;
	return PARSE_OK;
}

/* A TLV lying wholly inside [p, p+len), whose content is *inner. */
static bool
der_inside(const uint8_t *p, size_t len, uint8_t want, struct span *inner,
    size_t *used)
{
	uint8_t	tag;
	size_t	hdr, clen;

	if (der_tlv(p, len, &tag, &hdr, &clen) != PARSE_OK || tag != want ||
	    clen > len - hdr)
		return false;
	*inner = span_of(p + hdr, clen);
	*used = hdr + clen;
	return true;
}

/* An INTEGER of at most 32 bits, unsigned: 1 to 4 bytes, or 5 with a
 * leading zero (DER's sign byte). */
static bool
der_uint32(struct span s, uint32_t *v)
{
	size_t	i, n = s.len;
	const uint8_t	*p = s.p;

	if (n == 5 && p[0] == 0) {
		p++;
		n--;
	}
	if (n == 0 || n > 4)
		return false;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = *v << 8 | p[i];
	return true;
}

/* Wrap `body` of `len` bytes in a short-form header; returns the header
 * length, 2.  Every length of our TSRequest is under 128. */
static size_t
der_header(uint8_t *out, uint8_t tag, size_t len)
{
	out[0] = tag;
	out[1] = (uint8_t)len;
	return 2;
}

size_t
rdp_build_tsrequest(uint8_t *out, size_t outlen)
{
	uint8_t	*p = out;
	size_t	 tok = NTLM_NEGOTIATE_LEN;

	if (outlen < RDP_TSREQ_LEN)
		return 0;
	/* SEQUENCE { [0] INTEGER 6, [1] SEQUENCE OF SEQUENCE {
	 * [0] OCTET STRING negotiate } } */
	p += der_header(p, DER_SEQUENCE, RDP_TSREQ_LEN - 2);
	p += der_header(p, DER_CONTEXT(TSREQ_VERSION_TAG), 3);
	p += der_header(p, DER_INTEGER, 1);
	*p++ = TSREQ_VERSION;
	p += der_header(p, DER_CONTEXT(TSREQ_NEGO_TOKENS_TAG), tok + 8);
	p += der_header(p, DER_SEQUENCE, tok + 6);
	p += der_header(p, DER_SEQUENCE, tok + 4);
	p += der_header(p, DER_CONTEXT(NEGO_TOKEN_TAG), tok + 2);
	p += der_header(p, DER_OCTET_STRING, tok);
	p += ntlm_build_negotiate(p, tok);
	return (size_t)(p - out);
}

/* negoTokens: SEQUENCE OF SEQUENCE { [0] OCTET STRING }; the first. */
static bool
tsreq_nego_token(struct span f, struct span *token)
{
	struct span	seq, item, tagged;
	size_t		used;

	return der_inside(f.p, f.len, DER_SEQUENCE, &seq, &used) &&
	    der_inside(seq.p, seq.len, DER_SEQUENCE, &item, &used) &&
	    der_inside(item.p, item.len, DER_CONTEXT(NEGO_TOKEN_TAG),
	    &tagged, &used) &&
	    der_inside(tagged.p, tagged.len, DER_OCTET_STRING, token, &used);
}

enum parse_result
rdp_parse_tsrequest(const uint8_t *p, size_t len, struct rdp_tsreq *ts)
{
	enum parse_result	r;
	struct span		body, f, v;
	uint8_t			tag;
	size_t			hdr, clen, o, n;
	bool			have_version = false;

	memset(ts, 0, sizeof(*ts));
	if (len > 0 && p[0] != DER_SEQUENCE)
		return PARSE_BAD;
	if ((r = der_tlv(p, len, &tag, &hdr, &clen)) != PARSE_OK)
		return r;
	if (clen > RDP_TSREQ_MAX - hdr)
		return PARSE_BAD;
	if (len < hdr + clen)
		return PARSE_MORE;
	ts->len = hdr + clen;
	body = span_of(p + hdr, clen);

	for (o = 0; o < body.len; o += hdr + clen) {
		if (der_tlv(body.p + o, body.len - o, &tag, &hdr, &clen) !=
		    PARSE_OK || clen > body.len - o - hdr)
			return PARSE_BAD;
		f = span_of(body.p + o + hdr, clen);
		switch (tag) {
		case DER_CONTEXT(TSREQ_VERSION_TAG):
			if (!der_inside(f.p, f.len, DER_INTEGER, &v, &n) ||
			    !der_uint32(v, &ts->version))
				return PARSE_BAD;
			have_version = true;
			break;
		case DER_CONTEXT(TSREQ_NEGO_TOKENS_TAG):
			if (!tsreq_nego_token(f, &ts->nego_token))
				return PARSE_BAD;
			break;
		case DER_CONTEXT(TSREQ_ERROR_CODE_TAG):
			if (!der_inside(f.p, f.len, DER_INTEGER, &v, &n) ||
			    !der_uint32(v, &ts->error_code))
				return PARSE_BAD;
			ts->have_error = true;
			break;
		default:
			/* authInfo, pubKeyAuth, clientNonce: not ours. */
			break;
		}
	}
	return have_version ? PARSE_OK : PARSE_BAD;
}

/* Recording */

static void
record_facts(struct obs *obs, const struct rdp_facts *f, bool all)
{
	if (f->standard_security != NULL || all)
		obs_set(obs, "rdp.standard_security",
		    f->standard_security != NULL ? f->standard_security :
		    "unknown");
	if (f->nla != NULL || all)
		obs_set(obs, "rdp.nla", f->nla != NULL ? f->nla : "unknown");
	if (f->tls != NULL || all)
		obs_set(obs, "rdp.tls", f->tls != NULL ? f->tls : "unknown");
}

/* The first connection's answer, under the names it always had. */
static void
record_first(struct obs *obs, const struct rdp_cc *cc,
    const struct rdp_facts *f)
{
	char	answer[48];

	obs_set_service(obs, "rdp");
	obs_setf(obs, "rdp.x224_src_ref", "0x%04x", cc->src_ref);
	rdp_answer_str(cc, answer, sizeof(answer));
	switch (cc->neg) {
	case RDP_NEG_RSP:
		obs_set(obs, "rdp.selected_protocol", answer);
		obs_setf(obs, "rdp.neg_flags", "0x%02x", cc->neg_flags);
		break;
	case RDP_NEG_FAILURE:
		obs_set(obs, "rdp.neg_failure", answer);
		break;
	case RDP_NEG_NONE:
		/* No block: the server only speaks Standard RDP Security
		 * (MS-RDPBCGR 2.2.1.2: the block is optional). */
		obs_set(obs, "rdp.selected_protocol", "standard_rdp");
		obs_set(obs, "rdp.negotiation", "none");
		break;
	case RDP_NEG_OTHER:
	default:
		obs_set(obs, "rdp.negotiation", answer);
		break;
	}
	record_facts(obs, f, true);
}

static void
record_tsrequest(struct obs *obs, const struct rdp_tsreq *ts)
{
	struct ntlm_challenge	c;

	obs_setf(obs, "rdp.credssp_version", "%u", ts->version);
	if (ts->have_error)
		obs_setf(obs, "rdp.credssp_error", "0x%08x", ts->error_code);
	if (ts->nego_token.len == 0 ||
	    ntlm_find_challenge(ts->nego_token, &c) != PARSE_OK)
		return;
	ntlm_record_names(obs, "rdp.ntlm", &c);
	if (c.have_version)
		obs_setf(obs, "rdp.ntlm.version", "%u.%u.%u", c.major,
		    c.minor, c.build);
}

/* A whole TPKT at the head of `in`: PARSE_OK with cc filled (the caller
 * drains cc->tpkt_len), PARSE_MORE, or PARSE_BAD. */
static enum parse_result
read_cc(struct evbuffer *in, struct rdp_cc *cc)
{
	const uint8_t	*p;
	size_t		 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PARSE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PARSE_BAD;
	return rdp_parse_cc(p, len, cc);
}

/* The first connection: TLS or CredSSP offered. */

static int
rdp_start(struct probe_session *s)
{
	uint8_t	cr[RDP_CR_LEN];

	rdp_build_cr(cr, sizeof(cr), RDP_OFFER_CREDSSP);
	return probe_write(s, cr, sizeof(cr));
}

enum probe_status
rdp_on_tls(struct probe_session *s)
{
	struct rdp_state	*st = probe_state(s);
	uint8_t			 req[RDP_TSREQ_LEN];

	if (st == NULL || st->step != RDP_IN_TLS || !st->credssp)
		return PROBE_DONE;
	rdp_build_tsrequest(req, sizeof(req));
	if (probe_write(s, req, sizeof(req)) == -1)
		return PROBE_DONE;
	st->step = RDP_WANT_TSREQ;
	return PROBE_MORE;
}

static enum probe_status
rdp_on_tsrequest(struct probe_session *s, struct evbuffer *in)
{
	struct rdp_tsreq	 ts;
	const uint8_t		*p;
	size_t			 len;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (rdp_parse_tsrequest(p, len, &ts)) {
	case PARSE_OK:
		record_tsrequest(probe_obs(s), &ts);
		evbuffer_drain(in, ts.len);
		return PROBE_DONE;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		obs_set(probe_obs(s), "rdp.credssp", "not a TSRequest");
		return PROBE_DONE;
	}
}

static enum probe_status
rdp_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct rdp_state	*st = probe_state(s);
	struct rdp_facts	 f;
	struct rdp_cc		 cc;

	switch (st->step) {
	case RDP_WANT_CC:
		break;
	case RDP_WANT_TSREQ:
		return rdp_on_tsrequest(s, in);
	case RDP_IN_TLS:
	default:
		return PROBE_DONE;	/* nothing asked: nothing to read */
	}
	switch (read_cc(in, &cc)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
	rdp_judge(&cc, RDP_OFFER_CREDSSP, &f);
	record_first(probe_obs(s), &cc, &f);
	evbuffer_drain(in, cc.tpkt_len);
	if (!f.starttls)
		return PROBE_DONE;
	st->credssp = f.credssp;
	st->step = RDP_IN_TLS;
	return PROBE_STARTTLS;
}

/* The follow-ups: one offer each, one Confirm read. */

static int
rdp_std_start(struct probe_session *s)
{
	uint8_t	cr[RDP_CR_LEN];

	rdp_build_cr(cr, sizeof(cr), RDP_OFFER_STANDARD);
	return probe_write(s, cr, sizeof(cr));
}

static int
rdp_tls_start(struct probe_session *s)
{
	uint8_t	cr[RDP_CR_LEN];

	rdp_build_cr(cr, sizeof(cr), RDP_OFFER_TLS);
	return probe_write(s, cr, sizeof(cr));
}

static enum probe_status
followup_read(struct probe_session *s, struct evbuffer *in,
    uint32_t offered, const char *key)
{
	struct obs		*obs = probe_obs(s);
	struct rdp_facts	 f;
	struct rdp_cc		 cc;
	char			 answer[48];

	switch (read_cc(in, &cc)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
	rdp_judge(&cc, offered, &f);
	obs_set_service(obs, "rdp");
	rdp_answer_str(&cc, answer, sizeof(answer));
	obs_set(obs, key, answer);
	record_facts(obs, &f, false);
	evbuffer_drain(in, cc.tpkt_len);
	return PROBE_DONE;
}

/*
 * xrdp's tell.  Given an X.224 Data TPDU with no MCS PDU in it, xrdp
 * answers at once with an MCS Disconnect Provider Ultimatum (T.125,
 * "rn-user-requested") and closes, whatever the negotiation before;
 * Windows and FreeRDP close without a word.  nmap names xrdp from the
 * same ultimatum, which xrdp sends when a client stays silent.  Nothing
 * reaches a session: the server drops the connection at the MCS layer.
 */
static const uint8_t	x224_empty_data[] = {
	0x03, 0x00, 0x00, 0x07, 0x02, 0xf0, 0x80,
};
static const uint8_t	mcs_ultimatum[] = {
	0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x21, 0x80,
};

bool
rdp_is_xrdp_ultimatum(const uint8_t *p, size_t len)
{
	return len >= sizeof(mcs_ultimatum) &&
	    memcmp(p, mcs_ultimatum, sizeof(mcs_ultimatum)) == 0;
}

static enum probe_status
rdp_std_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct rdp_state	*st = probe_state(s);
	enum probe_status	 r;
	const uint8_t		*p;
	size_t			 len;

	if (st->step == RDP_WANT_CC) {
		if ((r = followup_read(s, in, RDP_OFFER_STANDARD,
		    "rdp.rdp_only")) != PROBE_DONE)
			return r;
		if (probe_write(s, x224_empty_data,
		    sizeof(x224_empty_data)) == -1)
			return PROBE_DONE;
		st->step = RDP_WANT_ULTIMATUM;
	}
	len = evbuffer_get_length(in);
	if (len < sizeof(mcs_ultimatum))
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, (ssize_t)sizeof(mcs_ultimatum))) != NULL &&
	    rdp_is_xrdp_ultimatum(p, len)) {
		obs_set(probe_obs(s), "rdp.mcs_ultimatum", "yes");
		if (obs_get(probe_obs(s), "product") == NULL)
			obs_set(probe_obs(s), "product", "xrdp");
	}
	evbuffer_drain(in, len);
	return PROBE_DONE;
}

static enum probe_status
rdp_tls_on_read(struct probe_session *s, struct evbuffer *in)
{
	return followup_read(s, in, RDP_OFFER_TLS, "rdp.ssl_only");
}

static bool
is(const char *v, const char *s)
{
	return v != NULL && strcmp(v, s) == 0;
}

bool
rdp_std_wanted(const struct obs *so_far)
{
	const char	*std = obs_get(so_far, "rdp.standard_security");

	return !is(std, "allowed") && !is(std, "refused");
}

bool
rdp_tls_wanted(const struct obs *so_far)
{
	return is(obs_get(so_far, "rdp.nla"), "supported") &&
	    !is(obs_get(so_far, "rdp.standard_security"), "allowed") &&
	    obs_get(so_far, "rdp.ssl_only") == NULL;
}

static const uint16_t rdp_ports[] = { 3389, 0 };
static const uint16_t rdp_followup_ports[] = { 0 };

const struct probe probe_rdp_tls = {
	.name		= "rdp_tls",
	.service	= "rdp",
	.ports		= rdp_followup_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.read_max	= RDP_CC_MAX,
	.start		= rdp_tls_start,
	.on_read	= rdp_tls_on_read,
	.wanted		= rdp_tls_wanted,
};

const struct probe probe_rdp_std = {
	.name		= "rdp_std",
	.service	= "rdp",
	.ports		= rdp_followup_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= sizeof(struct rdp_state),
	.read_max	= RDP_CC_MAX,
	.start		= rdp_std_start,
	.on_read	= rdp_std_on_read,
	.then		= &probe_rdp_tls,
	.wanted		= rdp_std_wanted,
};

const struct probe probe_rdp = {
	.name		= "rdp",
	.service	= "rdp",
	.ports		= rdp_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= sizeof(struct rdp_state),
	.read_max	= RDP_READ_MAX,
	.start		= rdp_start,
	.on_read	= rdp_on_read,
	.on_tls		= rdp_on_tls,
	.then		= &probe_rdp_std,
};
