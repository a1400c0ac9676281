/*
 * vnc.h - the VNC probe's pure parsers: the RFB ProtocolVersion message
 * and the security handshake's first server message, the list of
 * security types (RFC 6143, sections 7.1.1 and 7.1.2).  For tests and
 * fuzzers.
 */
#ifndef VIGIE_PROBES_VNC_H
#define VIGIE_PROBES_VNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define RFB_VERSION_LEN		12	/* "RFB 003.008\n", RFC 6143 7.1.1 */
#define VNC_TYPES_MAX		255	/* the count is one byte */
#define VNC_REASON_MAX		512	/* bytes of a failure reason kept */

/* Security types (RFC 6143 7.1.2 and the IANA "RFB Security Types"
 * registry). */
#define VNC_SEC_INVALID		0
#define VNC_SEC_NONE		1
#define VNC_SEC_VNC_AUTH	2

/* "RFB 003.008\n": major 3, minor 8. */
struct vnc_version {
	unsigned int	major;
	unsigned int	minor;
	struct span	text;		/* "003.008" */
};

/*
 * Parse the server's ProtocolVersion.  PARSE_MORE while the bytes are a
 * prefix of one, PARSE_BAD as soon as they cannot be.
 */
enum parse_result	vnc_parse_version(const uint8_t *, size_t,
			    struct vnc_version *);

/*
 * The version to answer with (RFC 6143 7.1.1: the highest both support):
 * 8 for 3.8 and later (Apple's 3.889 included), 7 for 3.7, else 3 (3.3,
 * and the 3.4-3.6 some servers send, which mean 3.3).  Writes the
 * 12-byte reply into out; returns the minor version, or 0 when outlen is
 * too small.
 */
unsigned int		vnc_build_reply(const struct vnc_version *,
			    uint8_t *out, size_t outlen);

/*
 * What the server offered.  Version 3.7 and later send a count and that
 * many types; 3.3 sends the one type the server imposes (a U32).  A count
 * (or a 3.3 type) of 0 is a refusal followed by a reason string.
 */
struct vnc_security {
	size_t		used;		/* bytes consumed */
	size_t		ntypes;
	uint32_t	types[VNC_TYPES_MAX];
	bool		failed;		/* no type: a reason follows */
	struct span	reason;		/* at most VNC_REASON_MAX bytes */
	bool		reason_cut;	/* the reason was longer */
};

/*
 * Parse the security types message for the minor version we answered
 * with.  PARSE_OK when complete (a reason longer than VNC_REASON_MAX is
 * cut once that much has come); PARSE_MORE before; PARSE_BAD when a 3.3
 * type is out of range.
 */
enum parse_result	vnc_parse_security(const uint8_t *, size_t,
			    unsigned int minor, struct vnc_security *);

/* A short name for a security type ("none", "vnc_auth", "vencrypt"), or
 * NULL when it has none. */
const char		*vnc_type_name(uint32_t);

/* Record vnc.security_types, vnc.no_auth and a refusal's reason. */
void			vnc_record_security(struct obs *,
			    const struct vnc_security *);

#endif /* VIGIE_PROBES_VNC_H */
