/*
 * versions.h - version strings: dpkg's ordering, version ranges, and the
 * banners that carry a version (SSH identification, HTTP Server header,
 * a probe's product and version fields).
 *
 * Everything here is pure: strings in, values out, bounded, no I/O, no
 * globals.  The banner parsers read remote bytes (already sanitised by
 * the observation setters) and can only answer "no version here".  For
 * tests and fuzzers; the version data set and its checks are in
 * versions_load.c and check_version.c.
 */
#ifndef VIGIE_FINGERPRINTS_VERSIONS_H
#define VIGIE_FINGERPRINTS_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

#define VERS_MAX	64	/* bytes of a version or revision, and NUL */
#define VERS_DISTRO_MAX	24	/* bytes of a distribution name */
#define VERS_CONDS_MAX	2	/* conditions of one range: ">= a < b" */

/*
 * Compare two Debian package versions, [epoch:]upstream[-revision], the
 * way dpkg does (deb-version(7)): epochs as numbers, then upstream and
 * revision part by part, non-digits by character with '~' before
 * anything, even the end, and letters before other characters; digits as
 * numbers.  A missing epoch is 0 and a missing revision is "".
 * Returns <0, 0 or >0.  An invalid version (see vers_dpkg_valid) sorts
 * before every valid one; two invalid ones compare by bytes.
 */
int	vers_dpkg_cmp(const char *a, const char *b);
/* Same ordering for two upstream versions alone (no epoch, no revision:
 * ':' and '-' are ordinary characters). */
int	vers_upstream_cmp(const char *a, const char *b);
/* A version dpkg would accept: digits for the epoch, an upstream part
 * starting with a digit, [A-Za-z0-9.+~-] (and ':' after an epoch), a
 * revision of [A-Za-z0-9.+~].  At most VERS_MAX - 1 bytes. */
bool	vers_dpkg_valid(const char *);

/*
 * A version range: every condition must hold.  Written "< 9.8p1",
 * ">= 8.5p1 < 9.8p1", "= 2.3.4" or a bare "2.3.4" (equality), compared
 * with vers_upstream_cmp().
 */
enum vers_op {
	VERS_LT,
	VERS_LE,
	VERS_EQ,
	VERS_GE,
	VERS_GT,
};

struct vers_cond {
	enum vers_op	op;
	char		v[VERS_MAX];
};

struct vers_range {
	struct vers_cond	c[VERS_CONDS_MAX];
	size_t			n;
};

/* 0, or -1 with *why set to a static reason. */
int	vers_range_parse(const char *, struct vers_range *, const char **why);
bool	vers_range_has(const struct vers_range *, const char *version);

/*
 * Normalise the version at the start of `s` (at most `len` bytes) into
 * out: the token "<digit>[A-Za-z0-9._+~-]*" is kept up to its first '-'
 * or '+' (a build suffix: "1.0.2k-fips", "4.17.12-Debian"), except that a
 * pre-release ("1.3.6rc4", "2.0-beta1") gets dpkg's '~' so that it sorts
 * before the release, and '_' becomes '.' ("4.90_1").  Returns the bytes
 * of `s` the token used, 0 when `s` does not start with a digit or the
 * version does not fit.
 */
size_t	vers_normalize(const char *s, size_t len, char *out, size_t outlen);

/* The distribution family a banner names, for backport awareness. */
enum vers_family {
	VERS_FAMILY_NONE,	/* an upstream build, or nothing said */
	VERS_FAMILY_DEBIAN,	/* Debian, Raspbian */
	VERS_FAMILY_UBUNTU,
	VERS_FAMILY_EL,		/* RHEL, CentOS, Rocky, Alma, Oracle */
	VERS_FAMILY_OTHER,	/* another distribution that backports */
};

/* What a banner says of one piece of software. */
struct vers_sw {
	char			version[VERS_MAX];	/* normalised */
	char			revision[VERS_MAX];	/* package revision */
	enum vers_family	family;
	char			distro[VERS_DISTRO_MAX];	/* "centos" */
	bool			upstream;	/* "(Unix)", "(Win64)" */
};

/*
 * The distribution a free text names in a parenthesised comment
 * ("Apache/2.4.6 (CentOS)"), or as a "-Debian"/"-Ubuntu" suffix of a
 * version ("4.17.12-Debian").  Sets sw->family and sw->distro; leaves
 * them alone and returns false when nothing is named.  A comment naming
 * an upstream build ("(Unix)", "(Win64)") sets sw->upstream instead.
 */
bool	vers_distro_marker(const char *text, struct vers_sw *sw);

/*
 * An SSH identification's software and comments fields (ssh.software,
 * ssh.comments): "OpenSSH_9.2p1" and "Debian-2+deb12u3".  `token` is the
 * product as it appears before '_' ("OpenSSH"), matched without regard to
 * case.  A "Debian-", "Raspbian-" or "Ubuntu-" comment gives the package
 * revision.  False when the software is not `token` with a version.
 */
bool	vers_from_ssh(const char *software, const char *comments,
	    const char *token, struct vers_sw *);

/*
 * An HTTP Server (or X-Powered-By) header: "Apache/2.4.6 (CentOS)
 * OpenSSL/1.0.2k-fips PHP/5.4.16".  Finds the product `token` (the text
 * before '/', without regard to case) and its version; the distribution
 * is taken from any parenthesised comment of the header.  False when the
 * token is absent or has no version.
 */
bool	vers_from_server(const char *server, const char *token,
	    struct vers_sw *);

/* A probe's bare version field ("3.0.3", "4.17.12-Debian"). */
bool	vers_from_text(const char *version, struct vers_sw *);

/*
 * A Debian or Ubuntu package revision that a probe found apart from the
 * version ("0+deb12u1", "0ubuntu0.22.04.1" in a MariaDB greeting): sets
 * sw->revision and the family it names.  A build from the vendor's own
 * repository for that distribution ("1:10.11.6+maria~ubu2204") is an
 * upstream build: sw->upstream, no revision.  False, leaving sw alone,
 * when `rev` is no such revision.
 */
bool	vers_revision(const char *rev, struct vers_sw *);

#endif /* VIGIE_FINGERPRINTS_VERSIONS_H */
