/*
 * rdp.h - the RDP probe's pure parts: the X.224 Connection Request with
 * an RDP Negotiation Request, the server's X.224 Connection Confirm with
 * its RDP Negotiation Response or Failure (MS-RDPBCGR 2.2.1.1, 2.2.1.2),
 * what one answer to one offer proves, and the CredSSP TSRequest that
 * carries NTLM once TLS is up (MS-CSSP 2.2.1).  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_RDP_H
#define VIGIE_PROBES_RDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "vigie/probe.h"
#include "probes/parse.h"

struct obs;

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

/*
 * The three offers of the security recipe (research 3.1), one connection
 * each.  The first also offers TLS, so that a server without CredSSP
 * picks TLS and shows its certificate on the same connection.
 */
#define RDP_OFFER_CREDSSP	(RDP_PROTOCOL_SSL | RDP_PROTOCOL_HYBRID | \
				    RDP_PROTOCOL_HYBRID_EX)
#define RDP_OFFER_STANDARD	RDP_PROTOCOL_RDP
#define RDP_OFFER_TLS		RDP_PROTOCOL_SSL

#define RDP_CR_LEN	19	/* TPKT + X.224 CR + RDP_NEG_REQ, no cookie */
#define RDP_CC_MAX	1024	/* larger TPKT lengths are refused */

/* The TSRequest we send is this long; the server's may be this long. */
#define RDP_TSREQ_LEN	57
#define RDP_TSREQ_MAX	8192

/* Windows answers with this X.224 SRC-REF; xrdp copies it, FreeRDP
 * (and what is built on it) sends 0 (nmap-service-probes). */
#define RDP_SRC_REF_WINDOWS	0x1234

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

/*
 * What one answer to one offer proves.  Each string is NULL when the
 * answer says nothing of it, else a static string:
 *   standard_security  "allowed", "refused"
 *   nla                "required", "supported", "not_supported"
 *   tls                "supported", "not_supported"
 */
struct rdp_facts {
	const char	*standard_security;
	const char	*nla;
	const char	*tls;
	bool		 starttls;	/* it selected TLS or CredSSP */
	bool		 credssp;	/* it selected CredSSP */
};

/* A server's TSRequest (MS-CSSP 2.2.1): spans point into the input. */
struct rdp_tsreq {
	size_t		len;		/* bytes of the whole TSRequest */
	uint32_t	version;
	struct span	nego_token;	/* the first negoToken, or empty */
	bool		have_error;
	uint32_t	error_code;	/* errorCode: an NTSTATUS */
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

/* What the answer `cc` to an offer of `offered` proves. */
void			rdp_judge(const struct rdp_cc *, uint32_t offered,
			    struct rdp_facts *);

/* How an answer is recorded: a protocol name ("hybrid"), a failure name
 * ("hybrid_required_by_server"), "none" (no block), or a number in hex.
 * Writes a NUL-terminated string into out. */
void			rdp_answer_str(const struct rdp_cc *, char *out,
			    size_t outlen);

/* "standard_rdp", "ssl", "hybrid", "rdstls", "hybrid_ex", "rdsaad", or
 * NULL for another value. */
const char		*rdp_protocol_name(uint32_t);
/* "ssl_required_by_server" ... or NULL for another code. */
const char		*rdp_failure_name(uint32_t);

/* Write the TSRequest carrying our NTLM NEGOTIATE into out.  Returns
 * RDP_TSREQ_LEN, or 0 when outlen is too small. */
size_t			rdp_build_tsrequest(uint8_t *out, size_t outlen);

/*
 * Parse the server's TSRequest (DER).  PARSE_OK once it is whole
 * (ts->len bytes); PARSE_MORE before; PARSE_BAD when it is not a
 * TSRequest, is longer than RDP_TSREQ_MAX, or its fields do not nest.
 */
enum parse_result	rdp_parse_tsrequest(const uint8_t *, size_t,
			    struct rdp_tsreq *);

/*
 * The first connection's step once TLS is up (the runtime's PROBE_STARTTLS
 * done): when the server selected CredSSP, send the TSRequest and read its
 * answer (PROBE_MORE); otherwise nothing more to learn (PROBE_DONE).
 */
enum probe_status	rdp_on_tls(struct probe_session *);

/*
 * Whether the follow-up connections can add anything to what the earlier
 * ones recorded (`so_far`): the Standard-only offer unless the first
 * answer already proved Standard RDP Security allowed; the TLS-only offer
 * only while CredSSP is supported and its enforcement unproved.
 */
bool			rdp_std_wanted(const struct obs *so_far);
/* True when the bytes begin with the MCS Disconnect Provider Ultimatum
 * xrdp sends for an empty X.224 Data TPDU (Windows and FreeRDP close
 * without one). */
bool			rdp_is_xrdp_ultimatum(const uint8_t *, size_t);
bool			rdp_tls_wanted(const struct obs *so_far);

#endif /* VIGIE_PROBES_RDP_H */
