/*
 * exclude.c - the exclusion list.
 *
 * Built in: the special-purpose ranges of RFC 6890 and its successors,
 * which a scan of establishments' public ranges must never touch: a
 * registry typo that names 10.0.0.0/8 or a TEST-NET stays unscanned.  A
 * lab lifts the refusal for its own ranges only with --allow.  On top,
 * the operator's list (--exclude FILE): ranges an establishment asked us
 * not to scan.
 */
#include "vigie/targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/err.h"

#include "scanner_internal.h"

static const struct {
	const char	*cidr;
	const char	*why;
} reserved[] = {
	{ "0.0.0.0/8", "reserved: this network (RFC 791)" },
	{ "10.0.0.0/8", "reserved: private (RFC 1918)" },
	{ "100.64.0.0/10", "reserved: shared address space (RFC 6598)" },
	{ "127.0.0.0/8", "reserved: loopback (RFC 1122)" },
	{ "169.254.0.0/16", "reserved: link local (RFC 3927)" },
	{ "172.16.0.0/12", "reserved: private (RFC 1918)" },
	{ "192.0.0.0/24", "reserved: IETF protocol assignments (RFC 6890)" },
	{ "192.0.2.0/24", "reserved: TEST-NET-1 (RFC 5737)" },
	{ "192.88.99.0/24", "reserved: 6to4 relay anycast (RFC 7526)" },
	{ "192.168.0.0/16", "reserved: private (RFC 1918)" },
	{ "198.18.0.0/15", "reserved: benchmarking (RFC 2544)" },
	{ "198.51.100.0/24", "reserved: TEST-NET-2 (RFC 5737)" },
	{ "203.0.113.0/24", "reserved: TEST-NET-3 (RFC 5737)" },
	{ "224.0.0.0/4", "reserved: multicast (RFC 5771)" },
	{ "240.0.0.0/4", "reserved: future use (RFC 1112)" },
	{ "::/128", "reserved: unspecified (RFC 4291)" },
	{ "::1/128", "reserved: loopback (RFC 4291)" },
	{ "::ffff:0:0/96", "reserved: IPv4-mapped (RFC 4291)" },
	{ "64:ff9b::/96", "reserved: IPv4-IPv6 translation (RFC 6052)" },
	{ "100::/64", "reserved: discard-only (RFC 6666)" },
	{ "2001::/23", "reserved: IETF protocol assignments (RFC 2928)" },
	{ "2001:db8::/32", "reserved: documentation (RFC 3849)" },
	{ "fc00::/7", "reserved: unique local (RFC 4193)" },
	{ "fe80::/10", "reserved: link local (RFC 4291)" },
	{ "ff00::/8", "reserved: multicast (RFC 4291)" },
};

#define NRESERVED	(sizeof(reserved) / sizeof(reserved[0]))

static struct vg_cidr	reserved_cidr[NRESERVED];
static bool		reserved_ready;

/* Parsed once; the table is constant. */
static const struct vg_cidr *
reserved_at(size_t i)
{
	size_t	j;

	if (!reserved_ready) {
		for (j = 0; j < NRESERVED; j++)
			if (cidr_parse(reserved[j].cidr, false,
			    &reserved_cidr[j]) == -1)
				abort();	/* our own table is wrong */
		reserved_ready = true;
	}
	return &reserved_cidr[i];
}

void
exclude_init(struct exclude *ex)
{
	memset(ex, 0, sizeof(*ex));
	ex->builtin = true;
	(void)reserved_at(0);
}

void
exclude_fini(struct exclude *ex)
{
	free(ex->deny);
	free(ex->allow);
	memset(ex, 0, sizeof(*ex));
}

static int
push(struct vg_cidr **v, size_t *n, const struct vg_cidr *c)
{
	struct vg_cidr	*nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL)
		return -1;
	nv[(*n)++] = *c;
	*v = nv;
	return 0;
}

int
exclude_add(struct exclude *ex, const struct vg_cidr *c)
{
	return push(&ex->deny, &ex->ndeny, c);
}

int
exclude_allow(struct exclude *ex, const struct vg_cidr *c)
{
	return push(&ex->allow, &ex->nallow, c);
}

int
exclude_load(struct exclude *ex, const char *path, struct vg_err *err)
{
	FILE		*fp;
	char		*line = NULL, *p, *end, where[300];
	size_t		 cap = 0;
	unsigned long	 lineno = 0;
	struct vg_cidr	 c;
	int		 rc = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		vg_err_set(err, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu", path, lineno);
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		for (end = p + strlen(p); end > p && (end[-1] == ' ' ||
		    end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r');
		    end--)
			;
		*end = '\0';
		if (*p == '\0')
			continue;
		if (cidr_parse(p, false, &c) == -1) {
			vg_err_set(err, where, "'%.64s' is not an address or "
			    "a CIDR with its host bits clear", p);
			goto out;
		}
		if (exclude_add(ex, &c) == -1) {
			vg_err_set(err, where, "out of memory");
			goto out;
		}
	}
	if (ferror(fp)) {
		vg_err_set(err, path, "read error: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(fp);
	return rc;
}

static bool
allowed(const struct exclude *ex, const struct vg_addr *a)
{
	size_t	i;

	for (i = 0; i < ex->nallow; i++)
		if (cidr_contains(&ex->allow[i], a))
			return true;
	return false;
}

const char *
exclude_why(const struct exclude *ex, const struct vg_addr *a)
{
	size_t	i;

	for (i = 0; i < ex->ndeny; i++)
		if (cidr_contains(&ex->deny[i], a))
			return "excluded by the exclusion list";
	if (!ex->builtin || allowed(ex, a))
		return NULL;
	for (i = 0; i < NRESERVED; i++)
		if (cidr_contains(reserved_at(i), a))
			return reserved[i].why;
	return NULL;
}

const char *
exclude_reserved(const struct exclude *ex, const struct vg_cidr *c)
{
	size_t	i;

	if (!ex->builtin)
		return NULL;
	for (i = 0; i < ex->nallow; i++)
		if (ex->allow[i].plen <= c->plen &&
		    cidr_contains(&ex->allow[i], &c->addr))
			return NULL;
	for (i = 0; i < NRESERVED; i++)
		if (cidr_overlap(reserved_at(i), c))
			return reserved[i].why;
	return NULL;
}

bool
exclude_clear(const struct exclude *ex, const struct vg_cidr *c)
{
	size_t	i, j;
	bool	covered;

	for (i = 0; i < ex->ndeny; i++)
		if (cidr_overlap(&ex->deny[i], c))
			return false;
	if (!ex->builtin)
		return true;
	for (i = 0; i < NRESERVED; i++) {
		if (!cidr_overlap(reserved_at(i), c))
			continue;
		/* Clear only if an allowed range holds the whole block. */
		covered = false;
		for (j = 0; j < ex->nallow && !covered; j++)
			covered = ex->allow[j].plen <= c->plen &&
			    cidr_contains(&ex->allow[j], &c->addr);
		if (!covered)
			return false;
	}
	return true;
}
