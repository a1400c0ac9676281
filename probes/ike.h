/*
 * ike.h - the IKE probe's pure parts, for tests and fuzzers: the
 * requests it sends (IKEv2 IKE_SA_INIT, RFC 7296; IKEv1 Main and
 * Aggressive Mode first messages, RFC 2408 and 2409), the parser of the
 * messages that answer them, and the names and judgements of what they
 * chose.
 *
 * Every IKE message starts with the same 28-byte header (RFC 2408 3.1,
 * RFC 7296 3.1): initiator and responder SPIs (v1: cookies), the first
 * payload's type, the version (major in the high nibble), the exchange
 * type, flags, a message id and the whole message's length.  Payloads
 * then chain by a generic header: next payload, flags, length.  The
 * payload numbers differ between versions (v1: 1-20 and 130-132; v2:
 * 33-53).
 */
#ifndef VIGIE_PROBES_IKE_H
#define VIGIE_PROBES_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

#define IKE_PORT		500	/* IANA isakmp */
#define IKE_NATT_PORT		4500	/* RFC 3948: IKE after a marker */
#define IKE_NON_ESP_MARKER	4	/* RFC 3948 2.2: four zero bytes */
#define IKE_HDR_LEN		28
#define IKE_SPI_LEN		8
#define IKE_MSG_MAX		8192	/* longer messages are refused */
#define IKE_DGRAM_MAX		1400	/* our requests stay under this */
#define IKE_NOTIFY_MAX		16
#define IKE_VID_MAX		16
#define IKE_ID_MAX		128	/* bytes of an identity kept */
#define IKE_COOKIE_MAX		64	/* RFC 7296 2.6 */

/* Versions (major, the header's high nibble). */
#define IKE_V1			1
#define IKE_V2			2

/* Exchange types: RFC 2408 4.1 (v1), RFC 7296 3.1 (v2). */
#define IKE_V1_MAIN		2	/* Identity Protection */
#define IKE_V1_AGGRESSIVE	4
#define IKE_V1_INFORMATIONAL	5
#define IKE_V2_SA_INIT		34
#define IKE_V2_INFORMATIONAL	37

/* IKEv2 notify types we act on (RFC 7296 3.10.1). */
#define IKE_N_NO_PROPOSAL_CHOSEN	14
#define IKE_N_INVALID_KE_PAYLOAD	17
#define IKE_N_COOKIE			16390

/* IKEv1 authentication methods (RFC 2409 appendix A; XAUTH: the
 * draft-ietf-ipsec-isakmp-xauth private values). */
#define IKE_V1_AUTH_PSK		1
#define IKE_V1_AUTH_RSA_SIG	3
#define IKE_V1_AUTH_XAUTH_PSK	65001	/* XAUTHInitPreShared */

/*
 * A suite: what one SA payload's chosen proposal holds.  Zero means
 * absent.  IKEv2 fills encr, keylen, prf, integ and group; IKEv1 encr
 * (its own numbering), keylen, hash, auth and group.
 */
struct ike_suite {
	uint16_t	encr;
	uint16_t	keylen;		/* bits */
	uint16_t	prf;
	uint16_t	integ;
	uint16_t	hash;
	uint16_t	auth;
	uint16_t	group;
};

/* One message.  Spans point into the parsed bytes. */
struct ike_msg {
	uint8_t		spi_i[IKE_SPI_LEN];
	uint8_t		spi_r[IKE_SPI_LEN];
	uint8_t		version;	/* major: IKE_V1 or IKE_V2 */
	uint8_t		exchange;
	uint8_t		flags;
	uint32_t	msgid;
	size_t		len;		/* the header's, the bytes used */
	bool		encrypted;	/* v1 E flag or v2 SK: not looked in */
	bool		has_sa;		/* an SA with a proposal and suite */
	uint8_t		proposal;	/* that proposal's number */
	struct ike_suite suite;
	bool		has_ke;
	uint16_t	ke_group;	/* v2: the KE payload's group */
	bool		has_nonce;
	bool		has_hash;	/* v1 HASH: aggressive mode's HASH_R */
	bool		has_sig;	/* v1 SIG */
	bool		has_cert;
	bool		has_certreq;
	bool		has_id;
	uint8_t		id_type;
	struct span	id;		/* the identification data */
	size_t		nnotify;
	uint16_t	notify[IKE_NOTIFY_MAX];
	uint16_t	ke_wanted;	/* INVALID_KE_PAYLOAD's group */
	struct span	cookie;		/* v2 COOKIE's data */
	size_t		nvid;
	struct span	vid[IKE_VID_MAX];
};

/*
 * Parse one message at the start of the bytes.  PARSE_MORE while the
 * header or the length it announces is not all there; PARSE_BAD when the
 * bytes are not an IKE message (a version other than 1 or 2, a length
 * under 28 or over IKE_MSG_MAX, a payload running past the message) or
 * say more of one thing than the bounds above allow.
 */
enum parse_result	ike_parse(const uint8_t *, size_t, struct ike_msg *);

/* The requests. */
enum ike_offer {
	IKE_OFFER_V2,		/* IKEv2: every algorithm, strong first */
	IKE_OFFER_V2_WEAK,	/* IKEv2: only proposals holding a weak one */
	IKE_OFFER_V1,		/* IKEv1 main mode: strong to weak suites */
	IKE_OFFER_V1_WEAK,	/* IKEv1 main mode: weak suites only */
	IKE_OFFER_V1_AGGR,	/* IKEv1 aggressive mode, pre-shared key */
	IKE_OFFER_N
};

/* Each request's initiator SPI (v1: cookie).  Fixed, so that a recorded
 * answer replays; "Vigie" and the offer, readable in a capture. */
extern const uint8_t	ike_offer_spi[IKE_OFFER_N][IKE_SPI_LEN];

/* The offer an initiator SPI belongs to, or IKE_OFFER_N. */
enum ike_offer		ike_offer_of(const uint8_t spi[IKE_SPI_LEN]);

/* Whether we can send a key exchange value for that group (v2). */
bool			ike_group_supported(uint16_t group);

/*
 * Build a request into out.  For the IKEv2 offers, `group` is the group
 * of the KE payload (the IKEv1 ones have theirs) and a non-empty
 * `cookie` is sent back first, as RFC 7296 2.6 asks.  Returns the
 * length, or 0 when `len` is too small, the group unsupported or the
 * cookie longer than IKE_COOKIE_MAX.  The key exchange values are valid
 * points of their groups (the generator, 2 for MODP) with no private key
 * behind them: we never go further.
 */
size_t			ike_build(enum ike_offer, uint16_t group,
			    struct span cookie, uint8_t *out, size_t len);

/* The group the IKEv2 offers start with. */
#define IKE_FIRST_GROUP_V2	19	/* ECP_256 */
#define IKE_FIRST_GROUP_WEAK	2	/* MODP_1024 */

/* Names: strongSwan's spelling ("AES_CBC", "PRF_HMAC_SHA2_256",
 * "MODP_2048"), or NULL when unknown. */
const char		*ike_encr_name(uint8_t version, uint16_t);
const char		*ike_prf_name(uint16_t);
const char		*ike_integ_name(uint16_t);
const char		*ike_hash_name(uint16_t);	/* v1 */
const char		*ike_auth_name(uint16_t);	/* v1 */
const char		*ike_group_name(uint16_t);
const char		*ike_notify_name(uint8_t version, uint16_t);

/*
 * A suite as one string, "AES_CBC_256/HMAC_SHA2_256_128/
 * PRF_HMAC_SHA2_256/MODP_2048" (v2) or "AES_CBC_128/SHA1/PSK/MODP_1024"
 * (v1); unknown numbers as such.  Always NUL-terminated.
 */
void			ike_suite_str(uint8_t version, const struct ike_suite *,
			    char *out, size_t outlen);

/*
 * Weak: DES, 3DES and the other 64-bit block ciphers or NULL; MD5 or
 * SHA-1 as PRF, integrity or hash; a Diffie-Hellman group under 2048
 * bits of MODP (1, 2, 5, 22).
 */
bool			ike_suite_weak(uint8_t version,
			    const struct ike_suite *);
bool			ike_group_weak(uint16_t group);

/*
 * A vendor ID's name ("strongSwan", "RFC 3947 NAT-T", "Dead Peer
 * Detection") and, when it tells one, the product ("strongSwan",
 * "Cisco", "Microsoft Windows"...); NULL when unknown.
 */
const char		*ike_vid_name(const uint8_t *, size_t,
			    const char **product);

#endif /* VIGIE_PROBES_IKE_H */
