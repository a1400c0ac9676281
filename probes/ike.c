/*
 * ike.c - IKE probe, UDP 500 (and 4500 behind the non-ESP marker).
 *
 * Five first messages leave at once, each with an initiator SPI of its
 * own, and every answer is matched to its request by that SPI:
 *   - IKEv2 IKE_SA_INIT offering every algorithm, strong ones first: the
 *     version, the suite the responder prefers, its notifications;
 *   - IKEv2 IKE_SA_INIT whose every proposal holds a weak algorithm: an
 *     SA back means the responder accepts weak cryptography;
 *   - IKEv1 Main Mode with suites from strong to weak, then one with weak
 *     suites only: the same two questions for IKEv1, and vendor IDs;
 *   - IKEv1 Aggressive Mode with pre-shared key suites: a responder that
 *     answers sends, in clear, a hash keyed by the pre-shared key, which
 *     can be attacked offline (ike-aggressive-mode-psk).
 * An IKEv2 answer of INVALID_KE_PAYLOAD names the group the responder
 * wants, one of COOKIE asks for proof that we receive its answers (RFC
 * 7296 2.6, under load): the request is sent again, with that group or
 * that cookie, at most twice.
 * Nothing goes beyond the first round trip: no key is computed, no
 * identity proven, and the responder's half-open SAs expire on their own.
 *
 * What silence means is not recorded: a responder may ignore a version,
 * a mode or an identity it does not know.  ike.weak and ike.aggressive
 * say "no" or "refused" only after an explicit refusal.
 */
#include "probes/ike.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define GENERIC_LEN	4	/* next payload, flags, length */
#define V1_FLAG_E	0x01	/* RFC 2408 3.1: payloads encrypted */
#define V2_FLAG_I	0x08	/* RFC 7296 3.1: sent by the initiator */
#define ATTR_TV		0x8000	/* attribute format bit: type/value */
#define ATTR_KEYLEN	14	/* v1 and v2: key length, in bits */
#define NONCE_LEN	32
#define IKE_N_STATUS	16384	/* first status notification type */

/* IKEv1 payload types (RFC 2408 3.1, RFC 3947). */
#define V1_SA		1
#define V1_PROPOSAL	2
#define V1_TRANSFORM	3
#define V1_KE		4
#define V1_ID		5
#define V1_CERT		6
#define V1_CR		7
#define V1_HASH		8
#define V1_SIG		9
#define V1_NONCE	10
#define V1_N		11
#define V1_VID		13

/* IKEv2 payload types (RFC 7296 3.2, RFC 7383). */
#define V2_SA		33
#define V2_KE		34
#define V2_IDI		35
#define V2_IDR		36
#define V2_CERT		37
#define V2_CERTREQ	38
#define V2_NONCE	40
#define V2_N		41
#define V2_VID		43
#define V2_SK		46
#define V2_SKF		53

/* IKEv2 transform types (RFC 7296 3.3.2). */
#define T_ENCR		1
#define T_PRF		2
#define T_INTEG		3
#define T_DH		4

/* IKEv1 attribute classes (RFC 2409 appendix A) and values. */
#define A_ENCR		1
#define A_HASH		2
#define A_AUTH		3
#define A_GROUP		4
#define A_LIFE_TYPE	11
#define A_LIFE		12
#define V1_LIFE_SECONDS	1
#define V1_LIFETIME	28800	/* 8 hours, RFC 2407's default */
#define V1_DOI_IPSEC	1	/* RFC 2407 4.2 */
#define V1_SIT_IDENTITY	1
#define V1_PROTO_ISAKMP	1
#define V1_KEY_IKE	1	/* RFC 2407 4.4.1 */
#define V1_ID_FQDN	2	/* RFC 2407 4.6.2.1 */
#define V2_PROTO_IKE	1

/* Algorithm numbers: IKEv2 (IANA "IKEv2 Parameters"). */
#define E2_DES		2
#define E2_3DES		3
#define E2_AES_CBC	12
#define E2_AES_GCM_16	20
#define E2_CHACHA20	28
#define P2_MD5		1
#define P2_SHA1		2
#define P2_SHA2_256	5
#define P2_SHA2_384	6
#define P2_SHA2_512	7
#define I2_MD5_96	1
#define I2_SHA1_96	2
#define I2_SHA2_256	12
#define I2_SHA2_384	13
#define I2_SHA2_512	14
/* IKEv1 (RFC 2409 appendix A, RFC 3602, RFC 4868). */
#define E1_DES		1
#define E1_3DES		5
#define E1_AES		7
#define H1_MD5		1
#define H1_SHA1		2
#define H1_SHA2_256	4
/* Groups (both). */
#define G_MODP_768	1
#define G_MODP_1024	2
#define G_MODP_1536	5
#define G_MODP_2048	14
#define G_MODP_3072	15
#define G_MODP_4096	16
#define G_ECP_256	19
#define G_ECP_384	20
#define G_ECP_521	21
#define G_MODP_1024_160	22
#define G_CURVE25519	31

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Names. */

struct name {
	uint16_t	 v;
	const char	*s;
};

static const char *
lookup(const struct name *t, size_t n, uint16_t v)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

static const struct name encr2_names[] = {
	{ 1, "DES_IV64" }, { E2_DES, "DES_CBC" }, { E2_3DES, "3DES_CBC" },
	{ 4, "RC5" }, { 5, "IDEA" }, { 6, "CAST" }, { 7, "BLOWFISH" },
	{ 11, "NULL" }, { E2_AES_CBC, "AES_CBC" }, { 13, "AES_CTR" },
	{ 14, "AES_CCM_8" }, { 15, "AES_CCM_12" }, { 16, "AES_CCM_16" },
	{ 18, "AES_GCM_8" }, { 19, "AES_GCM_12" },
	{ E2_AES_GCM_16, "AES_GCM_16" }, { 23, "CAMELLIA_CBC" },
	{ E2_CHACHA20, "CHACHA20_POLY1305" },
};

static const struct name encr1_names[] = {
	{ E1_DES, "DES_CBC" }, { 2, "IDEA" }, { 3, "BLOWFISH" },
	{ 4, "RC5" }, { E1_3DES, "3DES_CBC" }, { 6, "CAST" },
	{ E1_AES, "AES_CBC" }, { 8, "CAMELLIA_CBC" },
};

static const struct name prf_names[] = {
	{ P2_MD5, "PRF_HMAC_MD5" }, { P2_SHA1, "PRF_HMAC_SHA1" },
	{ 4, "PRF_AES128_XCBC" }, { P2_SHA2_256, "PRF_HMAC_SHA2_256" },
	{ P2_SHA2_384, "PRF_HMAC_SHA2_384" },
	{ P2_SHA2_512, "PRF_HMAC_SHA2_512" }, { 8, "PRF_AES128_CMAC" },
};

static const struct name integ_names[] = {
	{ I2_MD5_96, "HMAC_MD5_96" }, { I2_SHA1_96, "HMAC_SHA1_96" },
	{ 3, "DES_MAC" }, { 5, "AES_XCBC_96" }, { 6, "HMAC_MD5_128" },
	{ 7, "HMAC_SHA1_160" }, { 8, "AES_CMAC_96" },
	{ I2_SHA2_256, "HMAC_SHA2_256_128" },
	{ I2_SHA2_384, "HMAC_SHA2_384_192" },
	{ I2_SHA2_512, "HMAC_SHA2_512_256" },
};

static const struct name hash_names[] = {
	{ H1_MD5, "MD5" }, { H1_SHA1, "SHA1" }, { 3, "TIGER" },
	{ H1_SHA2_256, "SHA2_256" }, { 5, "SHA2_384" }, { 6, "SHA2_512" },
};

static const struct name auth_names[] = {
	{ IKE_V1_AUTH_PSK, "PSK" }, { 2, "DSS" },
	{ IKE_V1_AUTH_RSA_SIG, "RSA_SIG" }, { 4, "RSA_ENC" },
	{ 5, "RSA_ENC_REV" }, { 9, "ECDSA_256" }, { 10, "ECDSA_384" },
	{ 11, "ECDSA_521" }, { 64221, "HYBRID_RSA" },
	{ IKE_V1_AUTH_XAUTH_PSK, "XAUTH_PSK" }, { 65002, "XAUTH_PSK_R" },
	{ 65005, "XAUTH_RSA" }, { 65006, "XAUTH_RSA_R" },
};

static const struct name group_names[] = {
	{ G_MODP_768, "MODP_768" }, { G_MODP_1024, "MODP_1024" },
	{ G_MODP_1536, "MODP_1536" }, { G_MODP_2048, "MODP_2048" },
	{ G_MODP_3072, "MODP_3072" }, { G_MODP_4096, "MODP_4096" },
	{ 17, "MODP_6144" }, { 18, "MODP_8192" }, { G_ECP_256, "ECP_256" },
	{ G_ECP_384, "ECP_384" }, { G_ECP_521, "ECP_521" },
	{ G_MODP_1024_160, "MODP_1024_160" }, { 23, "MODP_2048_224" },
	{ 24, "MODP_2048_256" }, { 25, "ECP_192" }, { 26, "ECP_224" },
	{ 27, "ECP_224_BP" }, { 28, "ECP_256_BP" }, { 29, "ECP_384_BP" },
	{ 30, "ECP_512_BP" }, { G_CURVE25519, "CURVE_25519" },
	{ 32, "CURVE_448" },
};

static const struct name notify2_names[] = {
	{ 1, "UNSUPPORTED_CRITICAL_PAYLOAD" }, { 4, "INVALID_IKE_SPI" },
	{ 5, "INVALID_MAJOR_VERSION" }, { 7, "INVALID_SYNTAX" },
	{ 9, "INVALID_MESSAGE_ID" }, { 11, "INVALID_SPI" },
	{ IKE_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN" },
	{ IKE_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD" },
	{ 24, "AUTHENTICATION_FAILED" }, { 43, "TEMPORARY_FAILURE" },
	{ 16384, "INITIAL_CONTACT" }, { 16387, "IPCOMP_SUPPORTED" },
	{ 16388, "NAT_DETECTION_SOURCE_IP" },
	{ 16389, "NAT_DETECTION_DESTINATION_IP" },
	{ IKE_N_COOKIE, "COOKIE" }, { 16392, "HTTP_CERT_LOOKUP_SUPPORTED" },
	{ 16396, "MOBIKE_SUPPORTED" }, { 16404, "MULTIPLE_AUTH_SUPPORTED" },
	{ 16406, "REDIRECT_SUPPORTED" }, { 16407, "REDIRECT" },
	{ 16417, "EAP_ONLY_AUTHENTICATION" },
	{ 16418, "CHILDLESS_IKEV2_SUPPORTED" },
	{ 16430, "IKEV2_FRAGMENTATION_SUPPORTED" },
	{ 16431, "SIGNATURE_HASH_ALGORITHMS" }, { 16435, "USE_PPK" },
	{ 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED" },
};

/* RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706. */
static const struct name notify1_names[] = {
	{ 1, "INVALID_PAYLOAD_TYPE" }, { 2, "DOI_NOT_SUPPORTED" },
	{ 3, "SITUATION_NOT_SUPPORTED" }, { 4, "INVALID_COOKIE" },
	{ 5, "INVALID_MAJOR_VERSION" }, { 6, "INVALID_MINOR_VERSION" },
	{ 7, "INVALID_EXCHANGE_TYPE" }, { 8, "INVALID_FLAGS" },
	{ 9, "INVALID_MESSAGE_ID" }, { 10, "INVALID_PROTOCOL_ID" },
	{ 11, "INVALID_SPI" }, { 12, "INVALID_TRANSFORM_ID" },
	{ 13, "ATTRIBUTES_NOT_SUPPORTED" }, { 14, "NO_PROPOSAL_CHOSEN" },
	{ 15, "BAD_PROPOSAL_SYNTAX" }, { 16, "PAYLOAD_MALFORMED" },
	{ 17, "INVALID_KEY_INFORMATION" }, { 18, "INVALID_ID_INFORMATION" },
	{ 24, "AUTHENTICATION_FAILED" }, { 29, "UNSUPPORTED_EXCHANGE_TYPE" },
	{ 24576, "RESPONDER_LIFETIME" }, { 24578, "INITIAL_CONTACT" },
	{ 36136, "R_U_THERE" }, { 36137, "R_U_THERE_ACK" },
};

const char *
ike_encr_name(uint8_t version, uint16_t v)
{
	return version == IKE_V1 ? lookup(encr1_names, NELEM(encr1_names), v) :
	    lookup(encr2_names, NELEM(encr2_names), v);
}

const char *
ike_prf_name(uint16_t v)
{
	return lookup(prf_names, NELEM(prf_names), v);
}

const char *
ike_integ_name(uint16_t v)
{
	return lookup(integ_names, NELEM(integ_names), v);
}

const char *
ike_hash_name(uint16_t v)
{
	return lookup(hash_names, NELEM(hash_names), v);
}

const char *
ike_auth_name(uint16_t v)
{
	return lookup(auth_names, NELEM(auth_names), v);
}

const char *
ike_group_name(uint16_t v)
{
	return lookup(group_names, NELEM(group_names), v);
}

const char *
ike_notify_name(uint8_t version, uint16_t v)
{
	return version == IKE_V1 ?
	    lookup(notify1_names, NELEM(notify1_names), v) :
	    lookup(notify2_names, NELEM(notify2_names), v);
}

/* Append "/NAME" (or "/PREFIX_N" when unknown) to out at *o. */
static void
add_part(char *out, size_t outlen, size_t *o, const char *name,
    const char *prefix, uint16_t v, uint16_t keylen)
{
	int	n;

	if (*o >= outlen)
		return;
	if (name != NULL && keylen != 0)
		n = snprintf(out + *o, outlen - *o, "%s%s_%u",
		    *o > 0 ? "/" : "", name, keylen);
	else if (name != NULL)
		n = snprintf(out + *o, outlen - *o, "%s%s", *o > 0 ? "/" : "",
		    name);
	else
		n = snprintf(out + *o, outlen - *o, "%s%s_%u",
		    *o > 0 ? "/" : "", prefix, v);
	if (n > 0)
		*o += (size_t)n < outlen - *o ? (size_t)n : outlen - *o - 1;
}

void
ike_suite_str(uint8_t version, const struct ike_suite *s, char *out,
    size_t outlen)
{
	size_t	o = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	add_part(out, outlen, &o, ike_encr_name(version, s->encr), "ENCR",
	    s->encr, s->keylen);
	if (version == IKE_V1) {
		add_part(out, outlen, &o, ike_hash_name(s->hash), "HASH",
		    s->hash, 0);
		add_part(out, outlen, &o, ike_auth_name(s->auth), "AUTH",
		    s->auth, 0);
	} else {
		if (s->integ != 0)
			add_part(out, outlen, &o, ike_integ_name(s->integ),
			    "INTEG", s->integ, 0);
		add_part(out, outlen, &o, ike_prf_name(s->prf), "PRF", s->prf,
		    0);
	}
	add_part(out, outlen, &o, ike_group_name(s->group), "DH", s->group,
	    0);
}

/* Judgements. */

bool
ike_group_weak(uint16_t g)
{
	return g == G_MODP_768 || g == G_MODP_1024 || g == G_MODP_1536 ||
	    g == G_MODP_1024_160;
}

bool
ike_suite_weak(uint8_t version, const struct ike_suite *s)
{
	if (ike_group_weak(s->group))
		return true;
	if (version == IKE_V1)
		return (s->encr >= E1_DES && s->encr <= 6) ||
		    s->hash == H1_MD5 || s->hash == H1_SHA1;
	/* DES_IV64 to 3IDEA, and NULL. */
	return (s->encr >= 1 && s->encr <= 8) || s->encr == 11 ||
	    s->prf == P2_MD5 || s->prf == P2_SHA1 ||
	    (s->integ >= I2_MD5_96 && s->integ <= 4) || s->integ == 6 ||
	    s->integ == 7;
}

/* Vendor IDs: a prefix of the payload (ike-scan's ike-vendor-ids and
 * nmap's ike-fingerprints.lua list them; most are the MD5 of a string,
 * checked here where the string is known), or a text prefix for vendors
 * that send text. */
struct vid {
	const char	*hex;		/* prefix, lowercase hex */
	const char	*text;		/* or a text prefix */
	const char	*name;
	const char	*product;
};

static const struct vid vids[] = {
	{ .hex = "882fe56d6fd20dbc2251613b2ebe5beb",	/* MD5 "strongSwan" */
	  .name = "strongSwan", .product = "strongSwan" },
	{ .hex = "4a131c81070358455c5728f20e95452f",	/* MD5 "RFC 3947" */
	  .name = "RFC 3947 NAT-T" },
	{ .hex = "90cb80913ebb696e086381b5ec427b1f",
	  .name = "draft-ietf-ipsec-nat-t-ike-02\\n" },
	{ .hex = "cd60464335df21f87cfdb2fc68b6a448",
	  .name = "draft-ietf-ipsec-nat-t-ike-02" },
	{ .hex = "7d9419a65310ca6f2c179d9215529d56",
	  .name = "draft-ietf-ipsec-nat-t-ike-03" },
	{ .hex = "4485152d18b6bbcd0be8a8469579ddcc",
	  .name = "draft-ietf-ipsec-nat-t-ike-00" },
	{ .hex = "16f6ca16e4a4066d83821a0f0aeaa862",
	  .name = "draft-ietf-ipsec-nat-t-ike-01" },
	{ .hex = "afcad71368a1f1c96b8696fc7757",	/* RFC 3706 + version */
	  .name = "Dead Peer Detection" },
	{ .hex = "09002689dfd6b712", .name = "XAUTH" },
	{ .hex = "4048b7d56ebce88525e7de7f00d6c2d3",	/* "FRAGMENTATION" */
	  .name = "IKE fragmentation" },
	{ .hex = "12f5f28c457168a9702d9fe274cc",	/* "CISCO-UNITY" */
	  .name = "Cisco Unity", .product = "Cisco" },
	{ .hex = "1f07f70eaa6514d3b0fa96542a",
	  .name = "Cisco VPN Concentrator", .product = "Cisco" },
	{ .text = "CISCO(COPYRIGHT)", .name = "Cisco copyright",
	  .product = "Cisco" },
	{ .text = "FLEXVPN-SUPPORTED", .name = "Cisco FlexVPN",
	  .product = "Cisco" },
	{ .hex = "1e2b516905991c7d7c96fcbfb587e461",	/* "MS NT5 ..." */
	  .name = "MS NT5 ISAKMPOAKLEY", .product = "Microsoft Windows" },
	{ .hex = "fb1de3cdf341b7ea16b7e5be0855f120",
	  .name = "MS-Negotiation Discovery Capable",
	  .product = "Microsoft Windows" },
	{ .hex = "26244d38eddb61b3172a36e3d0cfb819",
	  .name = "Microsoft Vid-Initial-Contact",
	  .product = "Microsoft Windows" },
	{ .hex = "e3a5966a76379fe707228231e5ce8652",
	  .name = "IKE CGA version 1", .product = "Microsoft Windows" },
	{ .hex = "1d6e178f6c2c0be284985465450fe9d4",	/* nmap */
	  .name = "Fortinet FortiGate", .product = "Fortinet FortiGate" },
	{ .hex = "f4ed19e0c114eb516faaac0ee37daf2807b4381f",
	  .name = "Check Point", .product = "Check Point" },
	{ .hex = "404bf439522ca3f6", .name = "SonicWall",
	  .product = "SonicWall" },
	{ .hex = "5b362bc820f6", .name = "SonicWall",
	  .product = "SonicWall" },
	{ .hex = "9b096d9ac3275a7d6fe8b91c583111b09efed1a0",
	  .name = "Juniper NetScreen", .product = "Juniper" },
	{ .hex = "166f932d55eb64d8e4df4fd37e2313f0d0fd8451",
	  .name = "Juniper NetScreen", .product = "Juniper" },
	{ .hex = "4865617274426561745f4e6f74696679",	/* text */
	  .name = "Heartbeat Notify" },
	{ .hex = "7003cbc1097dbe9c2600ba6983bc8b35",	/* "KAME/racoon" */
	  .name = "KAME/racoon", .product = "ipsec-tools racoon" },
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool
hex_prefix(const char *hex, const uint8_t *p, size_t len)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; hex[2 * i] != '\0' && hex[2 * i + 1] != '\0'; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (i >= len || hi < 0 || lo < 0 || p[i] != (hi << 4 | lo))
			return false;
	}
	return true;
}

const char *
ike_vid_name(const uint8_t *p, size_t len, const char **product)
{
	size_t	i, n;

	*product = NULL;
	for (i = 0; i < NELEM(vids); i++) {
		if (vids[i].hex != NULL && !hex_prefix(vids[i].hex, p, len))
			continue;
		if (vids[i].text != NULL && ((n = strlen(vids[i].text)) >
		    len || memcmp(vids[i].text, p, n) != 0))
			continue;
		*product = vids[i].product;
		return vids[i].name;
	}
	return NULL;
}

/* Parser. */

struct cursor {
	const uint8_t	*p;
	size_t		 len;
};

/* IKEv2 SA payload: the first proposal and, of each type, the first
 * transform (a responder sends one of each). */
static int
sa_v2(struct ike_msg *m, const uint8_t *p, size_t len)
{
	size_t		plen, tlen, off, aoff, alen;
	uint16_t	id, atype, keylen;
	uint8_t		type;

	if (len < 8)
		return -1;
	plen = be16(p + 2);
	if (plen < 8 || plen > len || 8 + (size_t)p[6] > plen)
		return -1;
	m->proposal = p[4];
	for (off = 8 + (size_t)p[6]; off < plen; off += tlen) {
		if (plen - off < 8)
			return -1;
		tlen = be16(p + off + 2);
		if (tlen < 8 || tlen > plen - off)
			return -1;
		type = p[off + 4];
		id = be16(p + off + 6);
		keylen = 0;
		for (aoff = off + 8; aoff < off + tlen; aoff += alen) {
			if (off + tlen - aoff < 4)
				return -1;
			atype = be16(p + aoff);
			if (atype & ATTR_TV) {
				alen = 4;
				if ((atype & ~ATTR_TV) == ATTR_KEYLEN)
					keylen = be16(p + aoff + 2);
			} else {
				alen = 4 + (size_t)be16(p + aoff + 2);
				if (alen > off + tlen - aoff)
					return -1;
			}
		}
		switch (type) {
		case T_ENCR:
			if (m->suite.encr == 0) {
				m->suite.encr = id;
				m->suite.keylen = keylen;
			}
			break;
		case T_PRF:
			if (m->suite.prf == 0)
				m->suite.prf = id;
			break;
		case T_INTEG:
			if (m->suite.integ == 0)
				m->suite.integ = id;
			break;
		case T_DH:
			if (m->suite.group == 0)
				m->suite.group = id;
			break;
		default:
			break;
		}
		m->has_sa = true;
	}
	return 0;
}

/* IKEv1 SA payload: DOI, situation, then Proposal payloads holding
 * Transform payloads; the first transform of the first proposal. */
static int
sa_v1(struct ike_msg *m, const uint8_t *p, size_t len)
{
	size_t		plen, tlen, off, aoff, alen;
	uint16_t	atype, v;

	if (len < 8 + 8)
		return -1;
	p += 8;			/* DOI, situation (SIT_IDENTITY_ONLY) */
	len -= 8;
	plen = be16(p + 2);
	if (plen < 8 || plen > len || 8 + (size_t)p[6] > plen)
		return -1;
	m->proposal = p[4];
	off = 8 + (size_t)p[6];
	if (plen - off < 8)
		return p[7] == 0 ? 0 : -1;
	tlen = be16(p + off + 2);
	if (tlen < 8 || tlen > plen - off)
		return -1;
	for (aoff = off + 8; aoff < off + tlen; aoff += alen) {
		if (off + tlen - aoff < 4)
			return -1;
		atype = be16(p + aoff);
		v = be16(p + aoff + 2);
		if (!(atype & ATTR_TV)) {
			alen = 4 + (size_t)v;
			if (alen > off + tlen - aoff)
				return -1;
			continue;	/* life duration and the like */
		}
		alen = 4;
		switch (atype & ~ATTR_TV) {
		case A_ENCR:
			m->suite.encr = v;
			break;
		case A_HASH:
			m->suite.hash = v;
			break;
		case A_AUTH:
			m->suite.auth = v;
			break;
		case A_GROUP:
			m->suite.group = v;
			break;
		case ATTR_KEYLEN:
			m->suite.keylen = v;
			break;
		default:
			break;
		}
	}
	m->has_sa = true;
	return 0;
}

static void
add_notify(struct ike_msg *m, uint16_t type, const uint8_t *data,
    size_t dlen)
{
	if (m->nnotify < IKE_NOTIFY_MAX)
		m->notify[m->nnotify++] = type;
	if (m->version == IKE_V2 && type == IKE_N_INVALID_KE_PAYLOAD &&
	    dlen >= 2 && m->ke_wanted == 0)
		m->ke_wanted = be16(data);
	if (m->version == IKE_V2 && type == IKE_N_COOKIE &&
	    m->cookie.len == 0)
		m->cookie = span_of(data, dlen);
}

static void
add_id(struct ike_msg *m, uint8_t type, const uint8_t *data, size_t dlen)
{
	if (m->has_id)
		return;
	m->has_id = true;
	m->id_type = type;
	m->id = span_of(data, dlen < IKE_ID_MAX ? dlen : IKE_ID_MAX);
}

/* One payload's body.  0, or -1 when malformed. */
static int
payload(struct ike_msg *m, uint8_t type, const uint8_t *p, size_t len)
{
	size_t	spi;

	if (m->version == IKE_V1) {
		switch (type) {
		case V1_SA:
			return m->has_sa ? 0 : sa_v1(m, p, len);
		case V1_KE:
			m->has_ke = true;
			break;
		case V1_ID:
			if (len < 4)
				return -1;
			add_id(m, p[0], p + 4, len - 4);
			break;
		case V1_CERT:
			m->has_cert = true;
			break;
		case V1_CR:
			m->has_certreq = true;
			break;
		case V1_HASH:
			m->has_hash = true;
			break;
		case V1_SIG:
			m->has_sig = true;
			break;
		case V1_NONCE:
			m->has_nonce = true;
			break;
		case V1_N:
			if (len < 8 || (spi = p[5]) > len - 8)
				return -1;
			add_notify(m, be16(p + 6), p + 8 + spi, len - 8 - spi);
			break;
		case V1_VID:
			if (m->nvid < IKE_VID_MAX)
				m->vid[m->nvid++] = span_of(p, len);
			break;
		default:
			break;
		}
		return 0;
	}
	switch (type) {
	case V2_SA:
		return m->has_sa ? 0 : sa_v2(m, p, len);
	case V2_KE:
		if (len < 4)
			return -1;
		m->has_ke = true;
		m->ke_group = be16(p);
		break;
	case V2_IDI:
	case V2_IDR:
		if (len < 4)
			return -1;
		add_id(m, p[0], p + 4, len - 4);
		break;
	case V2_CERT:
		m->has_cert = true;
		break;
	case V2_CERTREQ:
		m->has_certreq = true;
		break;
	case V2_NONCE:
		m->has_nonce = true;
		break;
	case V2_N:
		if (len < 4 || (spi = p[1]) > len - 4)
			return -1;
		add_notify(m, be16(p + 2), p + 4 + spi, len - 4 - spi);
		break;
	case V2_VID:
		if (m->nvid < IKE_VID_MAX)
			m->vid[m->nvid++] = span_of(p, len);
		break;
	default:
		break;
	}
	return 0;
}

enum parse_result
ike_parse(const uint8_t *p, size_t len, struct ike_msg *m)
{
	size_t	mlen, off, plen;
	uint8_t	next, ver;

	memset(m, 0, sizeof(*m));
	if (len > 17 && (p[17] >> 4) != IKE_V1 && (p[17] >> 4) != IKE_V2)
		return PARSE_BAD;
	if (len < IKE_HDR_LEN)
		return PARSE_MORE;
	mlen = be32(p + 24);
	if (mlen < IKE_HDR_LEN || mlen > IKE_MSG_MAX)
		return PARSE_BAD;
	if (len < mlen)
		return PARSE_MORE;
	ver = p[17] >> 4;
	memcpy(m->spi_i, p, IKE_SPI_LEN);
	memcpy(m->spi_r, p + IKE_SPI_LEN, IKE_SPI_LEN);
	m->version = ver;
	m->exchange = p[18];
	m->flags = p[19];
	m->msgid = be32(p + 20);
	m->len = mlen;
	next = p[16];
	if (ver == IKE_V1 && (m->flags & V1_FLAG_E)) {
		m->encrypted = true;
		return PARSE_OK;
	}
	for (off = IKE_HDR_LEN; next != 0; off += plen) {
		if (mlen - off < GENERIC_LEN)
			return PARSE_BAD;
		plen = be16(p + off + 2);
		if (plen < GENERIC_LEN || plen > mlen - off)
			return PARSE_BAD;
		if (ver == IKE_V2 && (next == V2_SK || next == V2_SKF)) {
			m->encrypted = true;	/* always the last one */
			break;
		}
		if (payload(m, next, p + off + GENERIC_LEN,
		    plen - GENERIC_LEN) == -1)
			return PARSE_BAD;
		next = p[off];
	}
	return PARSE_OK;
}

/* Requests. */

const uint8_t	ike_offer_spi[IKE_OFFER_N][IKE_SPI_LEN] = {
	[IKE_OFFER_V2]		= { 'V', 'i', 'g', 'i', 'e', '-', 'v', '2' },
	[IKE_OFFER_V2_WEAK]	= { 'V', 'i', 'g', 'i', 'e', '-', 'w', '2' },
	[IKE_OFFER_V1]		= { 'V', 'i', 'g', 'i', 'e', '-', 'v', '1' },
	[IKE_OFFER_V1_WEAK]	= { 'V', 'i', 'g', 'i', 'e', '-', 'w', '1' },
	[IKE_OFFER_V1_AGGR]	= { 'V', 'i', 'g', 'i', 'e', '-', 'a', '1' },
};

enum ike_offer
ike_offer_of(const uint8_t spi[IKE_SPI_LEN])
{
	size_t	i;

	for (i = 0; i < IKE_OFFER_N; i++)
		if (memcmp(spi, ike_offer_spi[i], IKE_SPI_LEN) == 0)
			return (enum ike_offer)i;
	return IKE_OFFER_N;
}

/* A constant nonce: we never derive keys from it. */
static const uint8_t	nonce[NONCE_LEN] = "Vigie exposure audit, no secret";

/* The NIST curves' generators (FIPS 186-4 D.1.2), x then y. */
static const uint8_t	ecp256_g[64] = {
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6,
	0xe5, 0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb,
	0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb,
	0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31,
	0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

static const uint8_t	ecp384_g[96] = {
	0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37, 0x8e, 0xb1, 0xc7,
	0x1e, 0xf3, 0x20, 0xad, 0x74, 0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7,
	0x9b, 0x98, 0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38, 0x55,
	0x02, 0xf2, 0x5d, 0xbf, 0x55, 0x29, 0x6c, 0x3a, 0x54, 0x5e, 0x38,
	0x72, 0x76, 0x0a, 0xb7,
	0x36, 0x17, 0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f, 0x5d, 0x9e, 0x98,
	0xbf, 0x92, 0x92, 0xdc, 0x29, 0xf8, 0xf4, 0x1d, 0xbd, 0x28, 0x9a,
	0x14, 0x7c, 0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0, 0x0a,
	0x60, 0xb1, 0xce, 0x1d, 0x7e, 0x81, 0x9d, 0x7a, 0x43, 0x1d, 0x7c,
	0x90, 0xea, 0x0e, 0x5f,
};

/*
 * A group's key exchange value: its length, and the bytes to copy, or
 * NULL for "zeros then 2" (MODP: g = 2 itself, RFC 3526, a valid public
 * value) or "9 then zeros" (X25519's base point, RFC 7748).
 */
static size_t
ke_value(uint16_t group, const uint8_t **fixed)
{
	*fixed = NULL;
	switch (group) {
	case G_MODP_768:
		return 96;
	case G_MODP_1024:
		return 128;
	case G_MODP_1536:
		return 192;
	case G_MODP_2048:
		return 256;
	case G_MODP_3072:
		return 384;
	case G_MODP_4096:
		return 512;
	case G_ECP_256:
		*fixed = ecp256_g;
		return sizeof(ecp256_g);
	case G_ECP_384:
		*fixed = ecp384_g;
		return sizeof(ecp384_g);
	case G_CURVE25519:
		return 32;
	default:
		return 0;
	}
}

bool
ike_group_supported(uint16_t group)
{
	const uint8_t	*fixed;

	return ke_value(group, &fixed) != 0;
}

/* A bounded writer: every put is checked once, at the end. */
struct wbuf {
	uint8_t	*p;
	size_t	 len;
	size_t	 o;
	bool	 over;
};

static void
put(struct wbuf *w, const void *src, size_t n)
{
	if (w->over || n > w->len - w->o) {
		w->over = true;
		return;
	}
	memcpy(w->p + w->o, src, n);
	w->o += n;
}

static void
put8(struct wbuf *w, uint8_t v)
{
	put(w, &v, 1);
}

static void
put16(struct wbuf *w, uint16_t v)
{
	uint8_t	b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(w, b, sizeof(b));
}

static void
put32(struct wbuf *w, uint32_t v)
{
	uint8_t	b[4] = {
		(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
		(uint8_t)v,
	};

	put(w, b, sizeof(b));
}

/* Write a 16-bit length at `at`, now that it is known. */
static void
patch16(struct wbuf *w, size_t at, size_t v)
{
	if (!w->over && at + 2 <= w->o && v <= 0xffff) {
		w->p[at] = (uint8_t)(v >> 8);
		w->p[at + 1] = (uint8_t)v;
	} else {
		w->over = true;
	}
}

/* A generic payload header whose length is patched by payload_end(). */
static size_t
payload_begin(struct wbuf *w, uint8_t next)
{
	size_t	at = w->o;

	put8(w, next);
	put8(w, 0);
	put16(w, 0);
	return at;
}

static void
payload_end(struct wbuf *w, size_t at)
{
	patch16(w, at + 2, w->o - at);
}

static void
put_ke(struct wbuf *w, uint16_t group, size_t n, const uint8_t *fixed)
{
	size_t	i;

	if (fixed != NULL) {
		put(w, fixed, n);
		return;
	}
	for (i = 0; i < n; i++)
		put8(w, group == G_CURVE25519 ? (i == 0 ? 9 : 0) :
		    (i == n - 1 ? 2 : 0));
}

/* IKEv2 offers: proposals made of lists of transforms. */
struct xf {
	uint8_t		type;
	uint16_t	id;
	uint16_t	keylen;
};

struct xf_list {
	const struct xf	*v;
	size_t		 n;
};

#define XF_LIST(a)	{ .v = (a), .n = NELEM(a) }

static const struct xf	encr_cbc[] = {
	{ T_ENCR, E2_AES_CBC, 256 }, { T_ENCR, E2_AES_CBC, 128 },
	{ T_ENCR, E2_3DES, 0 }, { T_ENCR, E2_DES, 0 },
};
static const struct xf	encr_cbc_strong[] = {
	{ T_ENCR, E2_AES_CBC, 256 }, { T_ENCR, E2_AES_CBC, 128 },
};
static const struct xf	encr_weak[] = {
	{ T_ENCR, E2_3DES, 0 }, { T_ENCR, E2_DES, 0 },
};
static const struct xf	encr_aead[] = {
	{ T_ENCR, E2_AES_GCM_16, 256 }, { T_ENCR, E2_AES_GCM_16, 128 },
	{ T_ENCR, E2_CHACHA20, 0 },
};
static const struct xf	prf_all[] = {
	{ T_PRF, P2_SHA2_256, 0 }, { T_PRF, P2_SHA2_384, 0 },
	{ T_PRF, P2_SHA2_512, 0 }, { T_PRF, P2_SHA1, 0 }, { T_PRF, P2_MD5, 0 },
};
static const struct xf	prf_strong[] = {
	{ T_PRF, P2_SHA2_256, 0 }, { T_PRF, P2_SHA2_384, 0 },
	{ T_PRF, P2_SHA2_512, 0 },
};
static const struct xf	prf_weak[] = {
	{ T_PRF, P2_SHA1, 0 }, { T_PRF, P2_MD5, 0 },
};
static const struct xf	integ_all[] = {
	{ T_INTEG, I2_SHA2_256, 0 }, { T_INTEG, I2_SHA2_384, 0 },
	{ T_INTEG, I2_SHA2_512, 0 }, { T_INTEG, I2_SHA1_96, 0 },
	{ T_INTEG, I2_MD5_96, 0 },
};
static const struct xf	integ_strong[] = {
	{ T_INTEG, I2_SHA2_256, 0 }, { T_INTEG, I2_SHA2_384, 0 },
	{ T_INTEG, I2_SHA2_512, 0 },
};
static const struct xf	integ_weak[] = {
	{ T_INTEG, I2_SHA1_96, 0 }, { T_INTEG, I2_MD5_96, 0 },
};
static const struct xf	dh_all[] = {
	{ T_DH, G_ECP_256, 0 }, { T_DH, G_ECP_384, 0 }, { T_DH, G_ECP_521, 0 },
	{ T_DH, G_CURVE25519, 0 }, { T_DH, G_MODP_2048, 0 },
	{ T_DH, G_MODP_3072, 0 }, { T_DH, G_MODP_4096, 0 },
	{ T_DH, G_MODP_1536, 0 }, { T_DH, G_MODP_1024, 0 },
	{ T_DH, G_MODP_768, 0 },
};
static const struct xf	dh_weak[] = {
	{ T_DH, G_MODP_1536, 0 }, { T_DH, G_MODP_1024, 0 },
	{ T_DH, G_MODP_768, 0 },
};

#define PROPOSAL_LISTS	4

struct v2_proposal {
	struct xf_list	l[PROPOSAL_LISTS];	/* n == 0: unused */
};

/* Everything: CBC suites, then AEAD ones (RFC 5282 keeps them apart). */
static const struct v2_proposal	offer_v2[] = {
	{ { XF_LIST(encr_cbc), XF_LIST(prf_all), XF_LIST(integ_all),
	    XF_LIST(dh_all) } },
	{ { XF_LIST(encr_aead), XF_LIST(prf_all), XF_LIST(dh_all) } },
};

/* Each proposal holds a weak algorithm of one kind and anything of the
 * others, so that any suite with a weak part matches one of them, and
 * the proposal chosen says which part. */
static const struct v2_proposal	offer_v2_weak[] = {
	{ { XF_LIST(encr_weak), XF_LIST(prf_all), XF_LIST(integ_all),
	    XF_LIST(dh_all) } },
	{ { XF_LIST(encr_cbc_strong), XF_LIST(prf_weak), XF_LIST(integ_all),
	    XF_LIST(dh_all) } },
	{ { XF_LIST(encr_cbc_strong), XF_LIST(prf_strong),
	    XF_LIST(integ_weak), XF_LIST(dh_all) } },
	{ { XF_LIST(encr_cbc_strong), XF_LIST(prf_strong),
	    XF_LIST(integ_strong), XF_LIST(dh_weak) } },
	{ { XF_LIST(encr_aead), XF_LIST(prf_weak), XF_LIST(dh_all) } },
	{ { XF_LIST(encr_aead), XF_LIST(prf_strong), XF_LIST(dh_weak) } },
};

static void
put_v2_sa(struct wbuf *w, const struct v2_proposal *props, size_t nprops)
{
	size_t	i, j, k, ntrans, pat, tat;

	for (i = 0; i < nprops; i++) {
		ntrans = 0;
		for (j = 0; j < PROPOSAL_LISTS; j++)
			ntrans += props[i].l[j].n;
		pat = w->o;
		put8(w, i + 1 < nprops ? 2 : 0);	/* more / last */
		put8(w, 0);
		put16(w, 0);
		put8(w, (uint8_t)(i + 1));
		put8(w, V2_PROTO_IKE);
		put8(w, 0);				/* no SPI */
		put8(w, (uint8_t)ntrans);
		for (j = 0; j < PROPOSAL_LISTS; j++)
			for (k = 0; k < props[i].l[j].n; k++) {
				const struct xf	*x = &props[i].l[j].v[k];

				ntrans--;
				tat = w->o;
				put8(w, ntrans > 0 ? 3 : 0);
				put8(w, 0);
				put16(w, 0);
				put8(w, x->type);
				put8(w, 0);
				put16(w, x->id);
				if (x->keylen != 0) {
					put16(w, ATTR_TV | ATTR_KEYLEN);
					put16(w, x->keylen);
				}
				patch16(w, tat + 2, w->o - tat);
			}
		patch16(w, pat + 2, w->o - pat);
	}
}

static void
put_header(struct wbuf *w, enum ike_offer o, uint8_t next, uint8_t version,
    uint8_t exchange, uint8_t flags)
{
	static const uint8_t	zero[IKE_SPI_LEN];

	put(w, ike_offer_spi[o], IKE_SPI_LEN);
	put(w, zero, IKE_SPI_LEN);
	put8(w, next);
	put8(w, version);
	put8(w, exchange);
	put8(w, flags);
	put32(w, 0);			/* message id */
	put32(w, 0);			/* length, patched */
}

static void
build_v2(struct wbuf *w, enum ike_offer o, uint16_t group, struct span cookie)
{
	const struct v2_proposal	*props;
	const uint8_t			*fixed;
	size_t				 n, at, nprops;

	if (o == IKE_OFFER_V2) {
		props = offer_v2;
		nprops = NELEM(offer_v2);
	} else {
		props = offer_v2_weak;
		nprops = NELEM(offer_v2_weak);
	}
	if ((n = ke_value(group, &fixed)) == 0) {
		w->over = true;
		return;
	}
	put_header(w, o, cookie.len > 0 ? V2_N : V2_SA, 0x20, IKE_V2_SA_INIT,
	    V2_FLAG_I);
	if (cookie.len > 0) {		/* RFC 7296 2.6: the first payload */
		at = payload_begin(w, V2_SA);
		put8(w, 0);		/* protocol: none */
		put8(w, 0);		/* no SPI */
		put16(w, IKE_N_COOKIE);
		put(w, cookie.p, cookie.len);
		payload_end(w, at);
	}
	at = payload_begin(w, V2_KE);
	put_v2_sa(w, props, nprops);
	payload_end(w, at);
	at = payload_begin(w, V2_NONCE);
	put16(w, group);
	put16(w, 0);
	put_ke(w, group, n, fixed);
	payload_end(w, at);
	at = payload_begin(w, 0);
	put(w, nonce, sizeof(nonce));
	payload_end(w, at);
}

/* IKEv1 suites: each transform is a whole suite. */
struct v1_suite {
	uint16_t	encr;
	uint16_t	keylen;
	uint16_t	hash;
	uint16_t	group;
};

static const struct v1_suite	v1_main[] = {
	{ E1_AES, 256, H1_SHA2_256, G_MODP_2048 },
	{ E1_AES, 128, H1_SHA2_256, G_MODP_2048 },
	{ E1_AES, 256, H1_SHA1, G_MODP_2048 },
	{ E1_AES, 128, H1_SHA1, G_MODP_2048 },
	{ E1_AES, 256, H1_SHA1, G_MODP_1536 },
	{ E1_AES, 128, H1_SHA1, G_MODP_1024 },
	{ E1_3DES, 0, H1_SHA1, G_MODP_1024 },
	{ E1_3DES, 0, H1_MD5, G_MODP_1024 },
	{ E1_DES, 0, H1_MD5, G_MODP_768 },
};

static const struct v1_suite	v1_weak[] = {
	{ E1_AES, 256, H1_SHA2_256, G_MODP_1024 },
	{ E1_AES, 256, H1_SHA2_256, G_MODP_1536 },
	{ E1_AES, 128, H1_SHA2_256, G_MODP_1024 },
	{ E1_AES, 256, H1_SHA1, G_MODP_2048 },
	{ E1_AES, 128, H1_SHA1, G_MODP_2048 },
	{ E1_AES, 256, H1_SHA1, G_MODP_1536 },
	{ E1_AES, 256, H1_SHA1, G_MODP_1024 },
	{ E1_AES, 128, H1_SHA1, G_MODP_1024 },
	{ E1_3DES, 0, H1_SHA2_256, G_MODP_2048 },
	{ E1_3DES, 0, H1_SHA1, G_MODP_2048 },
	{ E1_3DES, 0, H1_SHA1, G_MODP_1024 },
	{ E1_3DES, 0, H1_MD5, G_MODP_1024 },
	{ E1_DES, 0, H1_SHA1, G_MODP_1024 },
	{ E1_DES, 0, H1_MD5, G_MODP_768 },
};

/* Aggressive mode sends its key exchange at once: one group for all. */
#define AGGR_GROUP	G_MODP_1024
static const struct v1_suite	v1_aggr[] = {
	{ E1_AES, 256, H1_SHA2_256, AGGR_GROUP },
	{ E1_AES, 256, H1_SHA1, AGGR_GROUP },
	{ E1_AES, 128, H1_SHA1, AGGR_GROUP },
	{ E1_3DES, 0, H1_SHA1, AGGR_GROUP },
	{ E1_3DES, 0, H1_MD5, AGGR_GROUP },
	{ E1_DES, 0, H1_MD5, AGGR_GROUP },
};

static const uint16_t	auth_main[] = {
	IKE_V1_AUTH_PSK, IKE_V1_AUTH_XAUTH_PSK, IKE_V1_AUTH_RSA_SIG,
};
static const uint16_t	auth_weak[] = {
	IKE_V1_AUTH_PSK, IKE_V1_AUTH_RSA_SIG,
};
static const uint16_t	auth_aggr[] = {
	IKE_V1_AUTH_PSK, IKE_V1_AUTH_XAUTH_PSK,
};

/* Vendor IDs we send, so that responders send theirs: NAT traversal
 * (RFC 3947 and its widespread draft) and Dead Peer Detection. */
static const uint8_t	our_vids[][16] = {
	{ 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28,
	  0xf2, 0x0e, 0x95, 0x45, 0x2f },
	{ 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e, 0x08, 0x63, 0x81,
	  0xb5, 0xec, 0x42, 0x7b, 0x1f },
	{ 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86, 0x96,
	  0xfc, 0x77, 0x57, 0x01, 0x00 },
};

static const char	aggr_id[] = "vigie.invalid";	/* RFC 6761 */

static void
put_v1_attr(struct wbuf *w, uint16_t type, uint16_t v)
{
	put16(w, ATTR_TV | type);
	put16(w, v);
}

static void
put_v1_sa(struct wbuf *w, const struct v1_suite *s, size_t ns,
    const uint16_t *auth, size_t nauth)
{
	size_t	i, j, n = ns * nauth, t = 0, pat, tat;

	put32(w, V1_DOI_IPSEC);
	put32(w, V1_SIT_IDENTITY);
	pat = payload_begin(w, 0);		/* the one proposal */
	put8(w, 1);
	put8(w, V1_PROTO_ISAKMP);
	put8(w, 0);				/* no SPI */
	put8(w, (uint8_t)n);
	for (i = 0; i < ns; i++)
		for (j = 0; j < nauth; j++) {
			t++;
			tat = payload_begin(w, t < n ? V1_TRANSFORM : 0);
			put8(w, (uint8_t)t);
			put8(w, V1_KEY_IKE);
			put16(w, 0);
			put_v1_attr(w, A_ENCR, s[i].encr);
			if (s[i].keylen != 0)
				put_v1_attr(w, ATTR_KEYLEN, s[i].keylen);
			put_v1_attr(w, A_HASH, s[i].hash);
			put_v1_attr(w, A_AUTH, auth[j]);
			put_v1_attr(w, A_GROUP, s[i].group);
			put_v1_attr(w, A_LIFE_TYPE, V1_LIFE_SECONDS);
			put_v1_attr(w, A_LIFE, V1_LIFETIME);
			payload_end(w, tat);
		}
	payload_end(w, pat);
}

static void
put_v1_vids(struct wbuf *w)
{
	size_t	i, at;

	for (i = 0; i < NELEM(our_vids); i++) {
		at = payload_begin(w, i + 1 < NELEM(our_vids) ? V1_VID : 0);
		put(w, our_vids[i], sizeof(our_vids[i]));
		payload_end(w, at);
	}
}

static void
build_v1(struct wbuf *w, enum ike_offer o)
{
	const uint8_t	*fixed;
	size_t		 at, n;
	bool		 aggr = o == IKE_OFFER_V1_AGGR;

	put_header(w, o, V1_SA, 0x10, aggr ? IKE_V1_AGGRESSIVE : IKE_V1_MAIN,
	    0);
	at = payload_begin(w, aggr ? V1_KE : V1_VID);
	if (o == IKE_OFFER_V1)
		put_v1_sa(w, v1_main, NELEM(v1_main), auth_main,
		    NELEM(auth_main));
	else if (o == IKE_OFFER_V1_WEAK)
		put_v1_sa(w, v1_weak, NELEM(v1_weak), auth_weak,
		    NELEM(auth_weak));
	else
		put_v1_sa(w, v1_aggr, NELEM(v1_aggr), auth_aggr,
		    NELEM(auth_aggr));
	payload_end(w, at);
	if (aggr) {
		n = ke_value(AGGR_GROUP, &fixed);
		at = payload_begin(w, V1_NONCE);
		put_ke(w, AGGR_GROUP, n, fixed);
		payload_end(w, at);
		at = payload_begin(w, V1_ID);
		put(w, nonce, sizeof(nonce));
		payload_end(w, at);
		at = payload_begin(w, V1_VID);
		put8(w, V1_ID_FQDN);
		put8(w, 0);			/* protocol and port: 0 */
		put16(w, 0);			/* (RFC 2407 4.6.2) */
		put(w, aggr_id, sizeof(aggr_id) - 1);
		payload_end(w, at);
	}
	put_v1_vids(w);
}

size_t
ike_build(enum ike_offer o, uint16_t group, struct span cookie, uint8_t *out,
    size_t len)
{
	struct wbuf	w = { .p = out, .len = len };

	if (len > IKE_DGRAM_MAX)
		w.len = IKE_DGRAM_MAX;
	switch (o) {
	case IKE_OFFER_V2:
	case IKE_OFFER_V2_WEAK:
		if (cookie.len > IKE_COOKIE_MAX)
			return 0;
		build_v2(&w, o, group, cookie);
		break;
	case IKE_OFFER_V1:
	case IKE_OFFER_V1_WEAK:
	case IKE_OFFER_V1_AGGR:
		build_v1(&w, o);
		break;
	default:
		return 0;
	}
	if (w.over)
		return 0;
	out[24] = (uint8_t)(w.o >> 24);
	out[25] = (uint8_t)(w.o >> 16);
	out[26] = (uint8_t)(w.o >> 8);
	out[27] = (uint8_t)w.o;
	return w.o;
}

/* The module. */

enum slot_state {
	SLOT_WAITING,		/* sent, nothing back yet */
	SLOT_ACCEPTED,		/* an SA came back */
	SLOT_REFUSED,		/* a notification said no */
	SLOT_ENDED,		/* answered, neither: cannot tell */
};

#define SLOT_SENDS_MAX	3	/* a request, then a group, then a cookie */

struct slot {
	enum slot_state	 state;
	uint16_t	 group;		/* v2: our last KE group */
	unsigned int	 sends;
	uint8_t		 cookie[IKE_COOKIE_MAX];	/* v2: the last asked */
	size_t		 cookie_len;
	uint8_t		 version;	/* of the answer */
	uint8_t		 proposal;
	struct ike_suite suite;
	bool		 hash;		/* aggressive: HASH_R */
	bool		 sig;
	uint16_t	 ke_wanted;	/* v2: INVALID_KE_PAYLOAD */
};

struct notify_seen {
	uint8_t		version;
	uint16_t	type;
};

#define VID_KEEP	32	/* bytes of a vendor ID kept */

struct ike_state {
	struct slot		slot[IKE_OFFER_N];
	bool			identified;
	unsigned int		versions;	/* bit per major version */
	bool			cookie;
	size_t			nnotify;
	struct notify_seen	notify[IKE_NOTIFY_MAX];
	size_t			nvid;
	uint8_t			vid[IKE_VID_MAX][VID_KEEP];
	uint8_t			vid_len[IKE_VID_MAX];
	bool			has_id;
	uint8_t			id_type;
	uint8_t			id[IKE_ID_MAX];
	size_t			id_len;
};

static bool
natt(struct probe_session *s)
{
	return probe_port(s) == IKE_NATT_PORT;
}

/* Send (again) an offer, with the slot's group and cookie. */
static int
send_offer(struct probe_session *s, enum ike_offer o, struct slot *sl)
{
	uint8_t	pkt[IKE_NON_ESP_MARKER + IKE_DGRAM_MAX];
	size_t	off = natt(s) ? IKE_NON_ESP_MARKER : 0, n;

	memset(pkt, 0, off);
	n = ike_build(o, sl->group, span_of(sl->cookie, sl->cookie_len),
	    pkt + off, sizeof(pkt) - off);
	if (n == 0 || probe_write(s, pkt, off + n) == -1)
		return -1;
	sl->sends++;
	return 0;
}

static int
ike_start(struct probe_session *s)
{
	struct ike_state	*st = probe_state(s);
	size_t			 i;

	st->slot[IKE_OFFER_V2].group = IKE_FIRST_GROUP_V2;
	st->slot[IKE_OFFER_V2_WEAK].group = IKE_FIRST_GROUP_WEAK;
	for (i = 0; i < IKE_OFFER_N; i++)
		if (send_offer(s, (enum ike_offer)i, &st->slot[i]) == -1)
			return -1;
	return 0;
}

static void
note_notify(struct ike_state *st, uint8_t version, uint16_t type)
{
	size_t	i;

	for (i = 0; i < st->nnotify; i++)
		if (st->notify[i].version == version &&
		    st->notify[i].type == type)
			return;
	if (st->nnotify < IKE_NOTIFY_MAX) {
		st->notify[st->nnotify].version = version;
		st->notify[st->nnotify++].type = type;
	}
}

static void
note_vid(struct ike_state *st, struct span v)
{
	size_t	i, n = v.len < VID_KEEP ? v.len : VID_KEEP;

	for (i = 0; i < st->nvid; i++)
		if (st->vid_len[i] == n && memcmp(st->vid[i], v.p, n) == 0)
			return;
	if (st->nvid < IKE_VID_MAX && n > 0) {
		memcpy(st->vid[st->nvid], v.p, n);
		st->vid_len[st->nvid++] = (uint8_t)n;
	}
}

/* An error notification: below 16384 in both versions (RFC 2408
 * 3.14.1, RFC 7296 3.10.1); the rest is status. */
static bool
has_error(const struct ike_msg *m)
{
	size_t	i;

	for (i = 0; i < m->nnotify; i++)
		if (m->notify[i] != 0 && m->notify[i] < IKE_N_STATUS)
			return true;
	return false;
}

/* One answer to one of our requests. */
static void
handle(struct probe_session *s, struct ike_state *st, enum ike_offer o,
    const struct ike_msg *m)
{
	struct slot	*sl = &st->slot[o];
	size_t		 i;

	st->identified = true;
	st->versions |= 1u << m->version;
	for (i = 0; i < m->nnotify; i++)
		note_notify(st, m->version, m->notify[i]);
	for (i = 0; i < m->nvid; i++)
		note_vid(st, m->vid[i]);
	if (sl->state != SLOT_WAITING)
		return;			/* a repeat: learnt already */
	sl->version = m->version;
	if (m->has_sa) {
		sl->state = SLOT_ACCEPTED;
		sl->proposal = m->proposal;
		sl->suite = m->suite;
		sl->hash = m->has_hash;
		sl->sig = m->has_sig;
		if (m->has_id && !st->has_id) {
			st->has_id = true;
			st->id_type = m->id_type;
			st->id_len = m->id.len;
			memcpy(st->id, m->id.p, m->id.len);
		}
		return;
	}
	if (m->ke_wanted != 0)
		sl->ke_wanted = m->ke_wanted;
	if (m->cookie.len > 0)
		st->cookie = true;
	/* IKEv2 asks again, once for each thing a responder may want. */
	if (o == IKE_OFFER_V2 || o == IKE_OFFER_V2_WEAK) {
		if (m->cookie.len > 0 && m->cookie.len <= IKE_COOKIE_MAX) {
			if (m->cookie.len == sl->cookie_len && memcmp(
			    m->cookie.p, sl->cookie, sl->cookie_len) == 0)
				return;		/* an old answer, again */
			sl->cookie_len = m->cookie.len;
			memcpy(sl->cookie, m->cookie.p, m->cookie.len);
			if (sl->sends < SLOT_SENDS_MAX &&
			    send_offer(s, o, sl) == 0)
				return;
		} else if (m->ke_wanted != 0) {
			if (m->ke_wanted == sl->group)
				return;		/* an old answer, again */
			sl->group = m->ke_wanted;
			if (ike_group_supported(sl->group) &&
			    sl->sends < SLOT_SENDS_MAX &&
			    send_offer(s, o, sl) == 0)
				return;
		}
	}
	sl->state = !m->encrypted && has_error(m) ? SLOT_REFUSED :
	    SLOT_ENDED;
}

/* Whether a `sep`-separated list holds item. */
static bool
list_has(const char *list, const char *sep, const char *item)
{
	size_t		 n = strlen(item), k = strlen(sep);
	const char	*p = list;

	while (*p != '\0') {
		if (strncmp(p, item, n) == 0 &&
		    (p[n] == '\0' || strncmp(p + n, sep, k) == 0))
			return true;
		if ((p = strstr(p, sep)) == NULL)
			break;
		p += k;
	}
	return false;
}

/* Append item to a `sep`-separated list, once, bounded. */
static void
list_add(char *out, size_t outlen, const char *sep, const char *item)
{
	size_t	o = strlen(out);

	if (list_has(out, sep, item))
		return;
	snprintf(out + o, outlen - o, "%s%s", o > 0 ? sep : "", item);
}

static void
id_str(const struct ike_state *st, char *out, size_t outlen)
{
	static const char *const	types[] = {
		[1] = "ipv4", [2] = "fqdn", [3] = "user_fqdn", [5] = "ipv6",
		[9] = "der_asn1_dn", [11] = "key_id",
	};
	const char			*t = st->id_type < NELEM(types) ?
					    types[st->id_type] : NULL;
	char				 val[IKE_ID_MAX * 4 + 1];

	if (st->id_type == 1 && st->id_len == 4)
		snprintf(val, sizeof(val), "%u.%u.%u.%u", st->id[0], st->id[1],
		    st->id[2], st->id[3]);
	else
		obs_sanitize(val, sizeof(val), st->id, st->id_len);
	if (t != NULL)
		snprintf(out, outlen, "%s:%s", t, val);
	else
		snprintf(out, outlen, "%u:%s", st->id_type, val);
}

static void
ike_record(struct probe_session *s, struct ike_state *st)
{
	struct obs		*obs = probe_obs(s);
	const struct slot	*sl;
	const char		*name, *product = NULL, *p;
	char			 list[OBS_VAL_MAX], item[160], weak[320];
	bool			 weak_yes = false, weak_no = true;
	size_t			 i, j;

	if (!st->identified)
		return;
	obs_set_service(obs, "ike");
	list[0] = '\0';
	for (i = IKE_V1; i <= IKE_V2; i++)
		if (st->versions & (1u << i)) {
			snprintf(item, sizeof(item), "%zu", i);
			list_add(list, sizeof(list), ",", item);
		}
	obs_set(obs, "ike.version", list);

	sl = &st->slot[IKE_OFFER_V2];
	if (sl->state == SLOT_ACCEPTED) {
		ike_suite_str(sl->version, &sl->suite, item, sizeof(item));
		obs_set(obs, "ike.transforms", item);
	}
	sl = &st->slot[IKE_OFFER_V1];
	if (sl->state == SLOT_ACCEPTED) {
		ike_suite_str(sl->version, &sl->suite, item, sizeof(item));
		obs_set(obs, "ike.v1_transforms", item);
	}
	if (st->slot[IKE_OFFER_V2].ke_wanted != 0 &&
	    (name = ike_group_name(st->slot[IKE_OFFER_V2].ke_wanted)) != NULL)
		obs_set(obs, "ike.ke_group", name);
	if (st->cookie)
		obs_set(obs, "ike.cookie", "yes");

	list[0] = '\0';
	for (i = 0; i < st->nnotify; i++) {
		name = ike_notify_name(st->notify[i].version,
		    st->notify[i].type);
		if (name != NULL)
			snprintf(item, sizeof(item), "%s", name);
		else
			snprintf(item, sizeof(item), "v%u:%u",
			    st->notify[i].version, st->notify[i].type);
		list_add(list, sizeof(list), ",", item);
	}
	obs_set(obs, "ike.notify", list);

	list[0] = '\0';
	for (i = 0; i < st->nvid; i++) {
		name = ike_vid_name(st->vid[i], st->vid_len[i], &p);
		if (name != NULL) {
			snprintf(item, sizeof(item), "%s", name);
			if (product == NULL)
				product = p;
		} else {
			for (j = 0; j < st->vid_len[i]; j++)
				snprintf(item + 2 * j, sizeof(item) - 2 * j,
				    "%02x", st->vid[i][j]);
		}
		list_add(list, sizeof(list), ",", item);
	}
	obs_set(obs, "ike.vendor_ids", list);
	if (product != NULL)
		obs_set(obs, "product", product);

	/* Weak cryptography: accepted in any answer, or a weak group asked
	 * for by the weak offer; "no" only when every version that spoke
	 * refused the weak offers in words. */
	weak[0] = '\0';
	for (i = 0; i < IKE_OFFER_N; i++) {
		sl = &st->slot[i];
		if (sl->state == SLOT_ACCEPTED &&
		    ike_suite_weak(sl->version, &sl->suite)) {
			weak_yes = true;
			j = (size_t)snprintf(item, sizeof(item), "v%u ",
			    sl->version);
			ike_suite_str(sl->version, &sl->suite, item + j,
			    sizeof(item) - j);
			list_add(weak, sizeof(weak), "; ", item);
		}
	}
	/* A responder asks for a group only after choosing a proposal. */
	sl = &st->slot[IKE_OFFER_V2_WEAK];
	if (sl->ke_wanted != 0 && ike_group_weak(sl->ke_wanted)) {
		weak_yes = true;
		snprintf(item, sizeof(item), "v2 %s",
		    ike_group_name(sl->ke_wanted));
		list_add(weak, sizeof(weak), "; ", item);
	}
	if ((st->versions & (1u << IKE_V2)) &&
	    st->slot[IKE_OFFER_V2_WEAK].state != SLOT_REFUSED)
		weak_no = false;
	if ((st->versions & (1u << IKE_V1)) &&
	    st->slot[IKE_OFFER_V1_WEAK].state != SLOT_REFUSED)
		weak_no = false;
	if (weak_yes) {
		obs_set(obs, "ike.weak", "yes");
		obs_set(obs, "ike.weak_accepted", weak);
	} else if (weak_no) {
		obs_set(obs, "ike.weak", "no");
	}

	/* Aggressive mode. */
	sl = &st->slot[IKE_OFFER_V1_AGGR];
	switch (sl->state) {
	case SLOT_ACCEPTED:
		obs_set(obs, "ike.aggressive", sl->hash &&
		    (sl->suite.auth == IKE_V1_AUTH_PSK ||
		    sl->suite.auth == IKE_V1_AUTH_XAUTH_PSK) ? "psk-hash" :
		    "answered");
		ike_suite_str(IKE_V1, &sl->suite, item, sizeof(item));
		obs_set(obs, "ike.aggressive_transforms", item);
		if (st->has_id) {
			id_str(st, list, sizeof(list));
			obs_set(obs, "ike.aggressive_id", list);
		}
		break;
	case SLOT_REFUSED:
		obs_set(obs, "ike.aggressive", "refused");
		break;
	case SLOT_ENDED:
		obs_set(obs, "ike.aggressive", "unclear");
		break;
	default:
		obs_set(obs, "ike.aggressive", "no-answer");
		break;
	}
}

static bool
all_answered(const struct ike_state *st)
{
	size_t	i;

	for (i = 0; i < IKE_OFFER_N; i++)
		if (st->slot[i].state == SLOT_WAITING)
			return false;
	return true;
}

static enum probe_status
ike_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct ike_state	*st = probe_state(s);
	struct ike_msg		 m;
	enum parse_result	 r;
	enum ike_offer		 o;
	const uint8_t		*p;
	size_t			 n, off = natt(s) ? IKE_NON_ESP_MARKER : 0;

	while ((n = evbuffer_get_length(in)) > 0) {
		if (n > off + IKE_MSG_MAX)
			n = off + IKE_MSG_MAX;
		if ((p = evbuffer_pullup(in, (ev_ssize_t)n)) == NULL)
			break;
		if (n <= off) {
			r = PARSE_MORE;
		} else if (off > 0 && be32(p) != 0) {
			r = PARSE_BAD;		/* ESP, not IKE */
		} else {
			r = ike_parse(p + off, n - off, &m);
		}
		if (r == PARSE_MORE)
			break;
		if (r == PARSE_BAD) {
			evbuffer_drain(in, evbuffer_get_length(in));
			if (!st->identified)
				return PROBE_MISMATCH;
			break;
		}
		if ((o = ike_offer_of(m.spi_i)) != IKE_OFFER_N)
			handle(s, st, o, &m);
		evbuffer_drain(in, off + m.len);
	}
	if (st->identified && all_answered(st)) {
		ike_record(s, st);
		return PROBE_DONE;
	}
	return PROBE_MORE;
}

/* The deadline: record what answered, if anything did. */
static void
ike_on_eof(struct probe_session *s, struct evbuffer *in)
{
	(void)in;
	ike_record(s, probe_state(s));
}

static const uint16_t ike_ports[] = { IKE_PORT, IKE_NATT_PORT, 0 };

const struct probe probe_ike = {
	.name		= "ike",
	.service	= "ike",
	.ports		= ike_ports,
	.transport	= PROBE_UDP,
	.state_size	= sizeof(struct ike_state),
	.read_max	= 8 * IKE_MSG_MAX,
	.start		= ike_start,
	.on_read	= ike_on_read,
	.on_eof		= ike_on_eof,
};
