/*
 * banner.h - the generic banner probe's pure classifier: what service
 * the first bytes a server sends on its own belong to.  For tests and
 * fuzzers.
 */
#ifndef VIGIE_PROBES_BANNER_H
#define VIGIE_PROBES_BANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

#define BANNER_TEXT_MAX		512	/* bytes judged without a line end */

enum banner_kind {
	BANNER_UNKNOWN,			/* text recorded, service unknown */
	BANNER_SSH,
	BANNER_FTP,
	BANNER_SMTP,
	BANNER_POP3,
	BANNER_IMAP,
	BANNER_TELNET,
	BANNER_REDIS,
	BANNER_VNC,
	BANNER_MYSQL,
};

/*
 * What the classifier found.  `text` is the first line without its ending
 * (at most BANNER_TEXT_MAX bytes of it); for MySQL, the server version or
 * the error message; for VNC, "RFB 003.008".  `version` is the VNC
 * protocol version or the MySQL server version.  Spans point into the
 * classified bytes.
 */
struct banner {
	enum banner_kind	 kind;
	struct span		 text;
	struct span		 version;
	bool			 mysql_error;	/* an ERR packet, no greeting */
	uint16_t		 mysql_errno;
};

/*
 * Classify the first bytes a server sent.  PARSE_MORE while a decision
 * needs more (a first line or reply not yet complete, a MySQL packet not
 * yet whole) and `eof` is false; with `eof`, decides on what there is.
 * PARSE_OK with a kind (BANNER_UNKNOWN included); PARSE_BAD only when
 * there are no bytes at all at eof.
 */
enum parse_result	banner_classify(const uint8_t *, size_t, bool eof,
			    struct banner *);

/* The service name of a kind: "ssh", ... "" for BANNER_UNKNOWN. */
const char		*banner_service(enum banner_kind);

#endif /* VIGIE_PROBES_BANNER_H */
