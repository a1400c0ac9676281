/*
 * ssh.h - the SSH probe's pure parser: the server's identification
 * string (RFC 4253, section 4.2), for tests, fuzzers and the banner probe.
 */
#ifndef VIGIE_PROBES_SSH_H
#define VIGIE_PROBES_SSH_H

#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define SSH_IDENT_MAX		253	/* RFC 4253 4.2: 255 with CR LF */
#define SSH_LINE_MAX		1024	/* a line before the identification */
#define SSH_PREAMBLE_LINES_MAX	32	/* lines accepted before it */

/*
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" gives proto "2.0", software
 * "OpenSSH_9.2p1", comments "Debian-2+deb12u3", product "OpenSSH",
 * version "9.2p1", distro "debian" and distro_rev "2+deb12u3".  Spans
 * point into the parsed line; `product_name` and `distro` are static
 * strings (NULL when not recognised: record the `product` span then).
 */
struct ssh_ident {
	struct span	 proto;
	struct span	 software;
	struct span	 comments;
	struct span	 product;
	struct span	 version;
	const char	*product_name;	/* canonical spelling, or NULL */
	const char	*distro;	/* "debian", "ubuntu", ... or NULL */
	struct span	 distro_rev;
};

/*
 * Parse one identification line, without its line ending.  PARSE_OK or
 * PARSE_BAD (not "SSH-", over SSH_IDENT_MAX, control bytes, no software).
 */
enum parse_result	ssh_parse_ident(const char *line, size_t len,
			    struct ssh_ident *);

/*
 * Find the identification line in what the server sent so far, skipping
 * the other lines RFC 4253 allows before it.  PARSE_OK sets *used to the
 * bytes up to and including its line ending; PARSE_MORE asks for more;
 * PARSE_BAD when a bound is passed or a line holds a NUL byte.
 */
enum parse_result	ssh_find_ident(const uint8_t *, size_t,
			    struct ssh_ident *, size_t *used);

/* Split software and comments into product, version and distribution.
 * Called by ssh_parse_ident(); exposed for tests. */
void			ssh_split_software(struct ssh_ident *);

/* Record an identification in an observation: service "ssh", the ssh.*
 * fields and the generic product and version.  Shared with the banner
 * probe. */
void			ssh_record(struct obs *, const struct ssh_ident *);

#endif /* VIGIE_PROBES_SSH_H */
