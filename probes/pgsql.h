/*
 * pgsql.h - the PostgreSQL probe's pure parts: the SSLRequest and
 * StartupMessage we send, and the backend messages we read (frontend/
 * backend protocol 3.0, PostgreSQL documentation chapter 55, "Message
 * Formats").  For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_PGSQL_H
#define VIGIE_PROBES_PGSQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define PGSQL_SSL_REQUEST_LEN	8	/* Int32 length, Int32 80877103 */
#define PGSQL_STARTUP_MAX	128	/* our StartupMessage fits */
#define PGSQL_MSG_MAX		8192	/* a longer backend message: refused */
#define PGSQL_MSG_HEADER	5	/* type byte, Int32 length */

/* Backend message types (55.7). */
#define PGSQL_MSG_AUTH		'R'
#define PGSQL_MSG_ERROR		'E'
#define PGSQL_MSG_NOTICE	'N'
#define PGSQL_MSG_PARAMETER	'S'
#define PGSQL_MSG_KEY_DATA	'K'
#define PGSQL_MSG_READY		'Z'
#define PGSQL_MSG_NEGOTIATE	'v'

/* Authentication request codes (55.7, "AuthenticationOk" and after). */
#define PGSQL_AUTH_OK		0
#define PGSQL_AUTH_KERBEROS5	2
#define PGSQL_AUTH_CLEARTEXT	3
#define PGSQL_AUTH_MD5		5
#define PGSQL_AUTH_GSS		7
#define PGSQL_AUTH_SSPI		9
#define PGSQL_AUTH_SASL		10

/* Write the SSLRequest; returns PGSQL_SSL_REQUEST_LEN, or 0 when outlen
 * is too small. */
size_t			pgsql_build_ssl_request(uint8_t *out, size_t outlen);
/* Write a protocol 3.0 StartupMessage for `user` and `database` (no
 * password is ever part of it); returns its length, or 0 when it does
 * not fit. */
size_t			pgsql_build_startup(uint8_t *out, size_t outlen,
			    const char *user, const char *database);

/* One backend message: a type byte and an Int32 length that counts
 * itself. */
struct pgsql_msg {
	uint8_t		type;
	struct span	body;
	size_t		used;		/* 1 + length */
};

/*
 * Parse the message at the start of the bytes.  PARSE_MORE while it is
 * incomplete; PARSE_BAD when the type is not an ASCII letter or the
 * length is under 4 or over PGSQL_MSG_MAX.
 */
enum parse_result	pgsql_parse_msg(const uint8_t *, size_t,
			    struct pgsql_msg *);

/* ErrorResponse and NoticeResponse fields (55.8); empty when absent. */
struct pgsql_error {
	struct span	severity;	/* localised: "FATAL", "FATAL" ... */
	struct span	severity_v;	/* never localised (9.6 and later) */
	struct span	code;		/* SQLSTATE: "28000" */
	struct span	message;
	struct span	detail;
	struct span	hint;
	struct span	file;		/* "auth.c" */
	struct span	line;
	struct span	routine;	/* "ClientAuthentication" */
};

/* PARSE_OK, or PARSE_BAD when a field is not NUL-terminated or the list
 * is not closed by a zero byte. */
enum parse_result	pgsql_parse_error(struct span body,
			    struct pgsql_error *);

/* An authentication request: its code, and for SASL the mechanisms. */
struct pgsql_auth {
	uint32_t	code;
	struct span	mechanisms;	/* "SCRAM-SHA-256\0...\0\0" */
};

enum parse_result	pgsql_parse_auth(struct span body,
			    struct pgsql_auth *);

/*
 * "trust" (AuthenticationOk: no password asked), "password" (in clear),
 * "md5", "scram-sha-256", "gss", "sspi", "kerberos5", "sasl" (other
 * mechanisms), or NULL for an unknown code.
 */
const char		*pgsql_auth_name(const struct pgsql_auth *);

/* Record an ErrorResponse's fields under pgsql.error*. */
void			pgsql_record_error(struct obs *,
			    const struct pgsql_error *);

#endif /* VIGIE_PROBES_PGSQL_H */
