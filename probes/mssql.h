/*
 * mssql.h - the MSSQL probe's pure parts: the TDS PRELOGIN message we
 * send and the server's PRELOGIN answer we read ([MS-TDS] 2.2.6.5,
 * packet header 2.2.3.1).  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_MSSQL_H
#define VIGIE_PROBES_MSSQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

/* Packet header, [MS-TDS] 2.2.3.1. */
#define TDS_HEADER_LEN		8
#define TDS_TYPE_RESPONSE	0x04	/* tabular result: the answer */
#define TDS_TYPE_PRELOGIN	0x12
#define TDS_STATUS_EOM		0x01	/* last packet of the message */
#define TDS_PACKET_MAX		4096	/* a longer answer: refused */

/* PRELOGIN option tokens, [MS-TDS] 2.2.6.5. */
#define TDS_PL_VERSION		0x00
#define TDS_PL_ENCRYPTION	0x01
#define TDS_PL_INSTOPT		0x02
#define TDS_PL_THREADID		0x03
#define TDS_PL_MARS		0x04
#define TDS_PL_TRACEID		0x05
#define TDS_PL_FEDAUTHREQUIRED	0x06
#define TDS_PL_NONCEOPT		0x07
#define TDS_PL_TERMINATOR	0xff
#define TDS_PL_OPTION_LEN	5	/* token, offset, length */
#define TDS_PL_VERSION_LEN	6	/* UL_VERSION, US_SUBBUILD */

/* B_FENCRYPTION values. */
#define TDS_ENCRYPT_OFF		0x00
#define TDS_ENCRYPT_ON		0x01
#define TDS_ENCRYPT_NOT_SUP	0x02
#define TDS_ENCRYPT_REQ		0x03
#define TDS_ENCRYPT_CLIENT_CERT	0x80	/* a flag, TDS 7.4 */

#define MSSQL_PRELOGIN_MAX	64	/* our PRELOGIN fits */

/*
 * Write our PRELOGIN packet: VERSION, ENCRYPTION (ENCRYPT_OFF: what the
 * server then answers tells its own setting), INSTOPT (no instance
 * name), THREADID and MARS (off).  Returns its length, or 0 when outlen
 * is too small.
 */
size_t			mssql_build_prelogin(uint8_t *out, size_t outlen);

/* What a PRELOGIN answer tells. */
struct mssql_prelogin {
	bool		have_version;
	uint8_t		major;
	uint8_t		minor;
	uint16_t	build;
	uint16_t	subbuild;
	bool		have_encryption;
	uint8_t		encryption;
	bool		have_instopt;
	uint8_t		instopt;
	bool		have_mars;
	uint8_t		mars;
	bool		have_fedauth;
	uint8_t		fedauth;
	size_t		used;		/* the whole packet */
};

/*
 * Parse one TDS packet holding a PRELOGIN answer.  PARSE_MORE while the
 * packet is incomplete; PARSE_BAD when it is not a response packet, its
 * length is under the header or over TDS_PACKET_MAX, the option list has
 * no terminator, or an option's data lies outside the payload.
 */
enum parse_result	mssql_parse_prelogin(const uint8_t *, size_t,
			    struct mssql_prelogin *);

/* "SQL Server 2019" for major 15 (minor 50 of major 10 is 2008 R2), or
 * NULL for a major version without a name. */
const char		*mssql_release_name(uint8_t major, uint8_t minor);
/* "off", "on", "not_supported", "required", or NULL. */
const char		*mssql_encryption_name(uint8_t);

/* Record mssql.* fields, product and version. */
void			mssql_record_prelogin(struct obs *,
			    const struct mssql_prelogin *);

#endif /* VIGIE_PROBES_MSSQL_H */
