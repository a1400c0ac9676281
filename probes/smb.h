/*
 * smb.h - the SMB probes' pure parts: the NetBIOS session service
 * framing (RFC 1002 4.3), the SMB1 and SMB2 NEGOTIATE requests we send
 * (MS-CIFS 2.2.4.52.1, MS-SMB2 2.2.3) and the server's NEGOTIATE
 * responses (MS-CIFS 2.2.4.52.2, MS-SMB2 2.2.4).  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_SMB_H
#define VIGIE_PROBES_SMB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define NBSS_HEADER_LEN		4
#define SMB_MSG_MAX		16384	/* a longer message: refused */
#define SMB_REQUEST_MAX		256	/* our requests fit */
#define SMB_NAME_MAX		64	/* characters of a name kept */

/* NetBIOS session service packet types, RFC 1002 4.3.1. */
#define NBSS_MESSAGE		0x00
#define NBSS_REQUEST		0x81
#define NBSS_POSITIVE		0x82
#define NBSS_NEGATIVE		0x83
#define NBSS_RETARGET		0x84
#define NBSS_KEEPALIVE		0x85

/* SMB2 dialect revisions, MS-SMB2 2.2.3. */
#define SMB2_DIALECT_202	0x0202
#define SMB2_DIALECT_210	0x0210
#define SMB2_DIALECT_300	0x0300
#define SMB2_DIALECT_302	0x0302
#define SMB2_DIALECT_311	0x0311
#define SMB2_DIALECT_WILDCARD	0x02ff	/* "SMB 2.???": go on in SMB2 */

#define SMB1_NO_DIALECT		0xffff	/* MS-CIFS 2.2.4.52.2 */

/* One NetBIOS session service packet. */
struct nbss_frame {
	uint8_t		type;
	struct span	payload;
	size_t		used;		/* header and payload */
};

/* PARSE_MORE while incomplete; PARSE_BAD for an unknown type, a set
 * reserved bit, or a length over SMB_MSG_MAX. */
enum parse_result	nbss_parse(const uint8_t *, size_t,
			    struct nbss_frame *);

/* A SESSION REQUEST calling "*SMBSERVER" (what port 139 wants first);
 * returns its length, or 0 when outlen is too small. */
size_t			nbss_build_request(uint8_t *out, size_t outlen);

/*
 * SMB1 NEGOTIATE in a session message, offering "NT LM 0.12" and, when
 * `smb2` is true, "SMB 2.002" and "SMB 2.???" after it (MS-SMB2
 * 3.2.4.2.2.1, the multi-protocol negotiate).  Returns its length, or 0.
 */
size_t			smb1_build_negotiate(uint8_t *out, size_t outlen,
			    bool smb2);

/* SMB2 NEGOTIATE offering every dialect from 2.0.2 to 3.1.1, with the
 * negotiate contexts 3.1.1 needs; `message_id` is 1 after a
 * multi-protocol negotiate, else 0.  Returns its length, or 0. */
size_t			smb2_build_negotiate(uint8_t *out, size_t outlen,
			    uint64_t message_id);

/* SMB1 SESSION_SETUP_ANDX (MS-SMB 2.2.4.6.1) and SMB2 SESSION_SETUP
 * (MS-SMB2 2.2.5) carrying an NTLM NEGOTIATE, the first leg of a session
 * setup; `message_id` follows the NEGOTIATE's.  Return their length, or
 * 0 when outlen is too small. */
size_t			smb1_build_session_setup(uint8_t *out, size_t outlen);
size_t			smb2_build_session_setup(uint8_t *out, size_t outlen,
			    uint64_t message_id);

/* A NEGOTIATE response, SMB1 or SMB2. */
struct smb_negotiate {
	unsigned int	version;	/* 1 or 2 */
	uint32_t	status;		/* NT status; 0 is success */
	/* SMB1 */
	uint16_t	dialect_index;	/* into what we offered */
	uint16_t	word_count;
	uint8_t		security_mode;
	uint32_t	capabilities;
	struct span	domain;		/* UTF-16LE, without the NUL */
	struct span	server;
	/* SMB2 */
	uint16_t	dialect;
	uint16_t	security_mode2;
	uint32_t	capabilities2;
	bool		have_guid;
	uint8_t		guid[16];
};

/*
 * Parse the payload of a session message holding a NEGOTIATE response.
 * PARSE_OK, or PARSE_BAD when it is not one (other protocol id, other
 * command, too short).  An error status is PARSE_OK with `status` set.
 */
enum parse_result	smb_parse_negotiate(struct span,
			    struct smb_negotiate *);

/* A SESSION_SETUP response: STATUS_MORE_PROCESSING_REQUIRED with the
 * server's security blob (its NTLM CHALLENGE); SMB1 adds NativeOS,
 * NativeLanMan and the primary domain (UTF-16LE, without the NUL). */
struct smb_session {
	uint32_t	status;
	struct span	blob;
	struct span	native_os;
	struct span	native_lanman;
	struct span	domain;
};

/* PARSE_OK (an error status included), or PARSE_BAD when the payload is
 * not a SESSION_SETUP response or its blob lies outside it. */
enum parse_result	smb_parse_session_setup(struct span,
			    struct smb_session *);

/* "2.0.2", "2.1", "3.0", "3.0.2", "3.1.1", "2.???" or NULL. */
const char		*smb2_dialect_name(uint16_t);

/* "required", "enabled" or "disabled", from the security mode. */
const char		*smb_signing(const struct smb_negotiate *);

/* The server GUID of a Samba server is its NetBIOS name in lower case,
 * padded with NUL bytes (Windows' is random): true when it reads so. */
bool			smb_guid_is_samba(const struct smb_negotiate *);

/* Copy a UTF-16LE name as ASCII ('?' for anything else) into out, at
 * most SMB_NAME_MAX characters; returns the length. */
size_t			smb_name_ascii(struct span, char *out, size_t outlen);

#endif /* VIGIE_PROBES_SMB_H */
