/*
 * rdp.h - the RDP probe's pure parts: building the X.224 Connection
 * Request with an RDP Negotiation Request, and parsing the server's X.224
 * Connection Confirm with its RDP Negotiation Response or Failure
 * (MS-RDPBCGR 2.2.1.1 and 2.2.1.2).  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_RDP_H
#define VIGIE_PROBES_RDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/parse.h"

/* requestedProtocols / selectedProtocol bits, MS-RDPBCGR 2.2.1.1.1. */
#define RDP_PROTOCOL_RDP	0x00000000u	/* Standard RDP Security */
#define RDP_PROTOCOL_SSL	0x00000001u	/* TLS 1.0, 1.1 or 1.2 */
#define RDP_PROTOCOL_HYBRID	0x00000002u	/* CredSSP (NLA) */
#define RDP_PROTOCOL_RDSTLS	0x00000004u
#define RDP_PROTOCOL_HYBRID_EX	0x00000008u	/* CredSSP + Early User Auth */
#define RDP_PROTOCOL_RDSAAD	0x00000010u

/* failureCode values, MS-RDPBCGR 2.2.1.2.2. */
#define RDP_SSL_REQUIRED_BY_SERVER		1
#define RDP_SSL_NOT_ALLOWED_BY_SERVER		2
#define RDP_SSL_CERT_NOT_ON_SERVER		3
#define RDP_INCONSISTENT_FLAGS			4
#define RDP_HYBRID_REQUIRED_BY_SERVER		5
#define RDP_SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER	6

#define RDP_CR_LEN	19	/* TPKT + X.224 CR + RDP_NEG_REQ, no cookie */
#define RDP_CC_MAX	1024	/* larger TPKT lengths are refused */

enum rdp_neg {
	RDP_NEG_NONE,			/* no negotiation block (old stacks) */
	RDP_NEG_RSP,			/* RDP_NEG_RSP: a protocol selected */
	RDP_NEG_FAILURE,		/* RDP_NEG_FAILURE: a failure code */
	RDP_NEG_OTHER,			/* a block of another type or size */
};

struct rdp_cc {
	size_t		tpkt_len;	/* bytes of the whole TPKT */
	uint8_t		li;		/* X.224 length indicator */
	uint16_t	dst_ref;
	uint16_t	src_ref;	/* Windows and xrdp send 0x1234 */
	uint8_t		class_opt;
	enum rdp_neg	neg;
	uint8_t		neg_type;
	uint8_t		neg_flags;
	uint16_t	neg_len;
	uint32_t	neg_value;	/* selectedProtocol or failureCode */
};

/* Write the 19-byte Connection Request asking for `requested` into out.
 * Returns RDP_CR_LEN, or 0 when outlen is too small. */
size_t			rdp_build_cr(uint8_t *out, size_t outlen,
			    uint32_t requested);

/*
 * Parse a Connection Confirm.  PARSE_OK once the whole TPKT is there
 * (cc->tpkt_len bytes: what follows is left alone); PARSE_MORE before;
 * PARSE_BAD when the bytes are not a TPKT carrying an X.224 CC.
 */
enum parse_result	rdp_parse_cc(const uint8_t *, size_t, struct rdp_cc *);

/* "standard_rdp", "ssl", "hybrid", "rdstls", "hybrid_ex", "rdsaad", or
 * NULL for another value. */
const char		*rdp_protocol_name(uint32_t);
/* "ssl_required_by_server" ... or NULL for another code. */
const char		*rdp_failure_name(uint32_t);
/* What one answer to a request for `requested` says of NLA:
 * "required", "supported", "not_supported" or "unknown". */
const char		*rdp_nla_verdict(const struct rdp_cc *,
			    uint32_t requested);

#endif /* VIGIE_PROBES_RDP_H */
