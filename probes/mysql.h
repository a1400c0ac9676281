/*
 * mysql.h - the MySQL/MariaDB probe's pure parser: the first packet a
 * server sends, Protocol::HandshakeV10 or an ERR_Packet (MySQL client/
 * server protocol, connection phase), and the split of the server version
 * string.  For tests, fuzzers and the banner probe.
 */
#ifndef VIGIE_PROBES_MYSQL_H
#define VIGIE_PROBES_MYSQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define MYSQL_HEADER_LEN	4	/* 3-byte length, sequence id */
#define MYSQL_GREETING_MAX	1024	/* larger first packets: refused */
#define MYSQL_GREETING_MIN	8	/* smaller payloads: refused */

/* Capability flags (MySQL source include/mysql_com.h). */
#define MYSQL_CLIENT_SSL		0x00000800u
#define MYSQL_CLIENT_SECURE_CONNECTION	0x00008000u
#define MYSQL_CLIENT_PLUGIN_AUTH	0x00080000u

/*
 * The first packet.  Spans point into the parsed bytes.  When the
 * connection ended inside the packet (`truncated`), the fields that came
 * are set and the others are zero.
 */
struct mysql_greeting {
	size_t		 used;		/* bytes of the packet consumed */
	bool		 truncated;
	bool		 error;		/* an ERR_Packet, no greeting */
	uint16_t	 err_code;	/* 1130: host not allowed */
	struct span	 sqlstate;	/* 5 characters, or empty */
	struct span	 err_msg;
	uint8_t		 protocol;	/* 10 */
	struct span	 server_version;
	uint32_t	 conn_id;
	uint32_t	 caps;		/* lower and upper capability flags */
	bool		 have_caps;
	struct span	 auth_plugin;	/* "mysql_native_password", ... */
};

/*
 * Parse the first packet.  PARSE_MORE while it is incomplete and `eof`
 * is false; PARSE_BAD as soon as the bytes cannot start one (so that the
 * banner probe does not wait on other protocols); with `eof`, PARSE_OK
 * on what came of a packet (`truncated` set) when it holds at least the
 * error code or one character of the version.
 */
enum parse_result	mysql_parse_greeting(const uint8_t *, size_t, bool eof,
			    struct mysql_greeting *);

/*
 * "5.5.5-10.11.6-MariaDB-0+deb12u1" gives product "MariaDB", version
 * "10.11.6", distro "debian" and distro_rev "0+deb12u1";
 * "8.0.36-0ubuntu0.22.04.1" gives "MySQL", "8.0.36", "ubuntu",
 * "0ubuntu0.22.04.1"; "5.7.44-log" gives "MySQL", "5.7.44" and no
 * distribution.  `product` and `distro` are static strings (distro NULL
 * when unknown); spans point into `v`.
 */
struct mysql_version {
	const char	*product;
	struct span	 version;
	const char	*distro;
	struct span	 distro_rev;
};

void			mysql_split_version(struct span v,
			    struct mysql_version *);

/* Record a parsed first packet: service "mysql", the mysql.* fields and
 * the generic product and version.  Shared with the banner probe. */
void			mysql_record(struct obs *,
			    const struct mysql_greeting *);

#endif /* VIGIE_PROBES_MYSQL_H */
