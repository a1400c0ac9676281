/*
 * targets.c - port sets and target sets.
 *
 * A target set is a sorted list of disjoint address ranges, each tagged
 * with the establishments that registered it (two establishments may
 * share an address: it is scanned once and attributed to both).  The
 * exclusion list is applied after expansion.
 */
#include "vigie/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/err.h"

#include "scanner_internal.h"

#define V6_MAX_ADDRS	65536	/* an IPv6 range must fit /112 */

/* Port sets. */

/* nmap's 100 most frequent TCP ports (nmap-services frequencies). */
static const uint16_t	top100[] = {
	7, 9, 13, 21, 22, 23, 25, 26, 37, 53, 79, 80, 81, 88, 106, 110, 111,
	113, 119, 135, 139, 143, 144, 179, 199, 389, 427, 443, 444, 445, 465,
	513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995,
	1025, 1026, 1027, 1028, 1029, 1110, 1433, 1720, 1723, 1755, 1900,
	2000, 2001, 2049, 2121, 2717, 3000, 3128, 3306, 3389, 3986, 4899,
	5000, 5009, 5051, 5060, 5101, 5190, 5357, 5432, 5631, 5666, 5800,
	5900, 6000, 6001, 6646, 7070, 8000, 8008, 8009, 8080, 8081, 8443,
	8888, 9100, 9999, 10000, 32768, 49152, 49153, 49154, 49155, 49156,
	49157, 0
};

/* Remote access: SSH, Telnet, RDP, VNC, TeamViewer, VPN portals. */
static const uint16_t	remote_access[] = {
	22, 23, 264, 443, 1194, 1723, 2222, 3389, 4433, 5800, 5900, 5901,
	5938, 8443, 10443, 0
};

static const uint16_t	databases[] = {
	1433, 1521, 3306, 5432, 5984, 6379, 9200, 11211, 27017, 0
};

/* DICOM (104, 11112, 4242 Orthanc, 2761/2762 DICOM-TLS), HL7 MLLP (2575),
 * Orthanc's web (8042). */
static const uint16_t	health[] = {
	104, 2575, 2761, 2762, 4242, 8042, 11112, 0
};

static const uint16_t	web[] = {
	80, 443, 8000, 8008, 8080, 8443, 8888, 0
};

static const uint16_t	file_sharing[] = {
	21, 139, 445, 2049, 0
};

static const struct {
	const char	*name;
	const uint16_t	*const *sets;
} named_sets[] = {
	{ "top100", (const uint16_t *const[]){ top100, NULL } },
	{ "remote-access", (const uint16_t *const[]){ remote_access, NULL } },
	{ "databases", (const uint16_t *const[]){ databases, NULL } },
	{ "health", (const uint16_t *const[]){ health, NULL } },
	{ "web", (const uint16_t *const[]){ web, NULL } },
	{ "file-sharing", (const uint16_t *const[]){ file_sharing, NULL } },
	{ "default", (const uint16_t *const[]){ top100, remote_access,
	    databases, health, web, file_sharing, NULL } },
};

static int
port_add(uint16_t **v, size_t *n, unsigned lo, unsigned hi)
{
	uint16_t	*nv;
	unsigned	 p;

	nv = realloc(*v, (*n + (hi - lo + 1)) * sizeof(**v));
	if (nv == NULL)
		return -1;
	*v = nv;
	for (p = lo; p <= hi; p++)
		nv[(*n)++] = (uint16_t)p;
	return 0;
}

static int
cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static void
port_uniq(uint16_t *v, size_t *n)
{
	size_t	i, o = 0;

	if (*n < 2)
		return;
	qsort(v, *n, sizeof(*v), cmp_u16);
	for (i = 0; i < *n; i++)
		if (o == 0 || v[o - 1] != v[i])
			v[o++] = v[i];
	*n = o;
}

static int
parse_port_num(const char *s, const char *end, unsigned *out)
{
	unsigned	v = 0;

	if (s == end || end - s > 5)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

int
portset_parse(struct portset *ps, const char *spec, struct vg_err *err)
{
	const char	*p = spec, *end, *dash;
	char		 item[64];
	bool		 udp = false;
	unsigned	 lo, hi;
	size_t		 i, len;
	int		 found;

	if (*spec == '\0') {
		vg_err_set(err, "--ports", "empty port list");
		return -1;
	}
	while (*p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		if (len >= 2 && (p[0] == 'T' || p[0] == 'U') && p[1] == ':') {
			udp = p[0] == 'U';
			p += 2;
			len -= 2;
		}
		if (len == 0) {
			vg_err_set(err, "--ports", "empty item in '%s'", spec);
			return -1;
		}
		found = 0;
		for (i = 0; i < sizeof(named_sets) / sizeof(named_sets[0]);
		    i++) {
			const uint16_t *const	*set;
			const uint16_t		*q;

			if (strlen(named_sets[i].name) != len ||
			    strncmp(named_sets[i].name, p, len) != 0)
				continue;
			found = 1;
			for (set = named_sets[i].sets; *set != NULL; set++)
				for (q = *set; *q != 0; q++)
					if (port_add(udp ? &ps->udp : &ps->tcp,
					    udp ? &ps->nudp : &ps->ntcp, *q,
					    *q) == -1)
						goto nomem;
		}
		if (!found) {
			dash = memchr(p, '-', len);
			if (dash == NULL) {
				if (parse_port_num(p, p + len, &lo) == -1)
					goto bad;
				hi = lo;
			} else if (parse_port_num(p, dash, &lo) == -1 ||
			    parse_port_num(dash + 1, p + len, &hi) == -1 ||
			    hi < lo) {
				goto bad;
			}
			if (port_add(udp ? &ps->udp : &ps->tcp,
			    udp ? &ps->nudp : &ps->ntcp, lo, hi) == -1)
				goto nomem;
		}
		p = *end == ',' ? end + 1 : end;
	}
	port_uniq(ps->tcp, &ps->ntcp);
	port_uniq(ps->udp, &ps->nudp);
	return 0;
bad:
	vg_err_set(err, "--ports", "'%s' is not a port, a range (1-1024) "
	    "or a named set (top100, remote-access, databases, health, web, "
	    "file-sharing, default)", item);
	return -1;
nomem:
	vg_err_set(err, "--ports", "out of memory");
	return -1;
}

void
portset_fini(struct portset *ps)
{
	free(ps->tcp);
	free(ps->udp);
	memset(ps, 0, sizeof(*ps));
}

bool
portset_has_tcp(const struct portset *ps, uint16_t port)
{
	if (ps->ntcp == 0)
		return false;
	return bsearch(&port, ps->tcp, ps->ntcp, sizeof(port), cmp_u16) !=
	    NULL;
}

static size_t
ports_str(const uint16_t *v, size_t n, char *out, size_t len)
{
	size_t	i = 0, j, o = 0;
	int	w;

	while (i < n && o < len) {
		for (j = i; j + 1 < n && v[j + 1] == v[j] + 1; j++)
			;
		if (j == i)
			w = snprintf(out + o, len - o, "%s%u", o ? "," : "",
			    v[i]);
		else
			w = snprintf(out + o, len - o, "%s%u-%u", o ? "," : "",
			    v[i], v[j]);
		if (w < 0)
			break;
		o += (size_t)w;
		i = j + 1;
	}
	return o < len ? o : len - 1;
}

void
portset_str(const struct portset *ps, char *out, size_t len)
{
	size_t	o;

	if (len == 0)
		return;
	out[0] = '\0';
	o = ports_str(ps->tcp, ps->ntcp, out, len);
	if (ps->nudp > 0 && o + 3 < len) {
		o += (size_t)snprintf(out + o, len - o, "%sU:", o ? "," : "");
		if (o < len)
			ports_str(ps->udp, ps->nudp, out + o, len - o);
	}
}

/* Target sets. */

void
targetset_init(struct targetset *ts)
{
	memset(ts, 0, sizeof(*ts));
}

void
targetset_fini(struct targetset *ts)
{
	size_t	i;

	for (i = 0; i < ts->n; i++)
		free(ts->v[i].owners);
	free(ts->v);
	free(ts->cum);
	memset(ts, 0, sizeof(*ts));
}

static int
ts_push(struct targetset *ts, const struct vg_addr *first, uint64_t count,
    const uint32_t *owners, size_t nowners)
{
	struct target_range	*nv, *r;

	nv = realloc(ts->v, (ts->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	ts->v = nv;
	r = &nv[ts->n];
	memset(r, 0, sizeof(*r));
	r->r.first = *first;
	r->r.count = count;
	if (nowners > 0) {
		if ((r->owners = malloc(nowners * sizeof(*owners))) == NULL)
			return -1;
		memcpy(r->owners, owners, nowners * sizeof(*owners));
		r->nowners = nowners;
	}
	ts->n++;
	return 0;
}

int
targetset_add(struct targetset *ts, const struct vg_cidr *c, uint32_t owner,
    struct vg_err *err)
{
	char		s[ADDR_STRLEN + 8];
	uint64_t	count;
	unsigned	hostbits;

	hostbits = (c->addr.family == 4 ? 32u : 128u) - c->plen;
	if (c->addr.family == 6 && hostbits > 16) {
		vg_err_set(err, cidr_str(c, s, sizeof(s)), "IPv6 prefix too "
		    "large to enumerate (at most /112)");
		return -1;
	}
	count = (uint64_t)1 << hostbits;
	if (ts_push(ts, &c->addr, count, owner == UINT32_MAX ? NULL : &owner,
	    owner == UINT32_MAX ? 0 : 1) == -1) {
		vg_err_set(err, "targets", "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Positions: an address as a 64-bit key within its family and upper
 * half.  IPv6 ranges never cross a /64, so (family, upper, lower) orders
 * them and lower is enough for arithmetic.
 */
struct pos {
	uint8_t		family;
	uint64_t	hi, lo;
};

static struct pos
addr_pos(const struct vg_addr *a)
{
	struct pos	p = { .family = a->family };
	int		i;

	if (a->family == 4) {
		p.lo = addr_v4(a);
		return p;
	}
	for (i = 0; i < 8; i++) {
		p.hi = p.hi << 8 | a->a[i];
		p.lo = p.lo << 8 | a->a[8 + i];
	}
	return p;
}

static void
pos_addr(const struct pos *p, uint64_t lo, struct vg_addr *a)
{
	int	i;

	if (p->family == 4) {
		addr_from_v4(a, (uint32_t)lo);
		return;
	}
	memset(a, 0, sizeof(*a));
	a->family = 6;
	for (i = 7; i >= 0; i--) {
		a->a[i] = (uint8_t)(p->hi >> (8 * (7 - i)));
		a->a[8 + i] = (uint8_t)(lo >> (8 * (7 - i)));
	}
}

struct edge {
	struct pos	p;		/* group: family + hi; position: lo */
	int		delta;		/* +1 start, -1 end */
	uint32_t	owner;		/* UINT32_MAX: none */
};

static int
edge_cmp(const void *x, const void *y)
{
	const struct edge	*a = x, *b = y;

	if (a->p.family != b->p.family)
		return a->p.family < b->p.family ? -1 : 1;
	if (a->p.hi != b->p.hi)
		return a->p.hi < b->p.hi ? -1 : 1;
	if (a->p.lo != b->p.lo)
		return a->p.lo < b->p.lo ? -1 : 1;
	return a->delta - b->delta;	/* ends before starts */
}

/* Active owners during the sweep: a small multiset. */
struct active {
	uint32_t	*own;
	unsigned	*cnt;
	size_t		 n, cap;
	size_t		 depth;		/* ranges covering the position */
};

static int
active_change(struct active *ac, uint32_t owner, int delta)
{
	size_t	i;

	ac->depth = (size_t)((long)ac->depth + delta);
	if (owner == UINT32_MAX)
		return 0;
	for (i = 0; i < ac->n; i++)
		if (ac->own[i] == owner)
			break;
	if (i == ac->n) {
		if (delta < 0)
			return 0;
		if (ac->n == ac->cap) {
			size_t		 cap = ac->cap ? ac->cap * 2 : 8;
			uint32_t	*o = realloc(ac->own, cap * sizeof(*o));
			unsigned	*c;

			if (o == NULL)
				return -1;
			ac->own = o;
			if ((c = realloc(ac->cnt, cap * sizeof(*c))) == NULL)
				return -1;
			ac->cnt = c;
			ac->cap = cap;
		}
		ac->own[ac->n] = owner;
		ac->cnt[ac->n++] = 0;
	}
	if (delta > 0) {
		ac->cnt[i]++;
	} else if (--ac->cnt[i] == 0) {
		ac->own[i] = ac->own[--ac->n];
		ac->cnt[i] = ac->cnt[ac->n];
	}
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Emit [lo, hi) of group p, minus what the exclusion list refuses, as
 * runs of allowed addresses.  IPv4 is walked in the largest aligned
 * blocks the exclusion list leaves whole, so a /8 costs a few dozen
 * checks; IPv6 ranges are small and walked address by address.
 */
static int
emit_allowed(struct targetset *out, const struct pos *p, uint64_t lo,
    uint64_t hi, uint32_t *owners, size_t nowners, const struct exclude *ex)
{
	struct vg_addr	a, start;
	struct vg_cidr	blk;
	uint64_t	x = lo, run = 0, size;
	unsigned	k;

	if (nowners > 1)
		qsort(owners, nowners, sizeof(*owners), cmp_u32);
	while (x < hi) {
		k = 0;
		if (p->family == 4)
			while (k < 32 && (x & (((uint64_t)2 << k) - 1)) == 0 &&
			    x + ((uint64_t)2 << k) <= hi)
				k++;
		pos_addr(p, x, &a);
		for (;; k--) {
			blk.addr = a;
			blk.plen = (uint8_t)((p->family == 4 ? 32 : 128) - k);
			if (k == 0 || exclude_clear(ex, &blk))
				break;
		}
		size = (uint64_t)1 << k;
		if (k == 0 && exclude_why(ex, &a) != NULL) {
			if (run > 0 && ts_push(out, &start, run, owners,
			    nowners) == -1)
				return -1;
			run = 0;
			out->nrefused++;
		} else {
			if (run == 0)
				start = a;
			run += size;
		}
		x += size;
	}
	if (run > 0 && ts_push(out, &start, run, owners, nowners) == -1)
		return -1;
	return 0;
}

int
targetset_finish(struct targetset *ts, const struct exclude *ex,
    struct vg_err *err)
{
	struct targetset	 out;
	struct active		 ac = { 0 };
	struct edge		*e = NULL;
	size_t			 ne = 0, i;
	uint64_t		 sum;
	int			 rc = -1;

	targetset_init(&out);
	if (ts->n > 0 && (e = calloc(ts->n * 2, sizeof(*e))) == NULL)
		goto nomem;
	/* Input ranges come from targetset_add: one owner at most. */
	for (i = 0; i < ts->n; i++) {
		struct pos	p = addr_pos(&ts->v[i].r.first);
		uint32_t	o = ts->v[i].nowners > 0 ? ts->v[i].owners[0] :
				    UINT32_MAX;

		e[ne].p = p;
		e[ne].delta = 1;
		e[ne++].owner = o;
		e[ne].p = p;
		e[ne].p.lo = p.lo + ts->v[i].r.count;
		e[ne].delta = -1;
		e[ne++].owner = o;
	}
	if (ne > 1)
		qsort(e, ne, sizeof(*e), edge_cmp);
	for (i = 0; i < ne; i++) {
		if (active_change(&ac, e[i].owner, e[i].delta) == -1)
			goto nomem;
		if (i + 1 < ne && ac.depth > 0 &&
		    e[i + 1].p.family == e[i].p.family &&
		    e[i + 1].p.hi == e[i].p.hi && e[i + 1].p.lo > e[i].p.lo &&
		    emit_allowed(&out, &e[i].p, e[i].p.lo, e[i + 1].p.lo,
		    ac.own, ac.n, ex) == -1)
			goto nomem;
	}
	/* Coalesce neighbours with the same owners. */
	{
		size_t	o = 0;

		for (i = 0; i < out.n; i++) {
			struct target_range	*prev = o ? &out.v[o - 1] : NULL;
			struct vg_addr		 next;

			if (prev != NULL) {
				next = prev->r.first;
				addr_add(&next, prev->r.count);
			}
			if (prev != NULL &&
			    addr_cmp(&next, &out.v[i].r.first) == 0 &&
			    prev->nowners == out.v[i].nowners &&
			    (prev->nowners == 0 || memcmp(prev->owners,
			    out.v[i].owners, prev->nowners *
			    sizeof(uint32_t)) == 0)) {
				prev->r.count += out.v[i].r.count;
				free(out.v[i].owners);
				continue;
			}
			out.v[o++] = out.v[i];
		}
		out.n = o;
	}
	if (out.n > 0 && (out.cum = calloc(out.n, sizeof(*out.cum))) == NULL)
		goto nomem;
	for (i = 0, sum = 0; i < out.n; i++) {
		out.cum[i] = sum;
		sum += out.v[i].r.count;
	}
	out.naddrs = sum;
	targetset_fini(ts);
	*ts = out;
	memset(&out, 0, sizeof(out));
	rc = 0;
	goto out;
nomem:
	vg_err_set(err, "targets", "out of memory");
out:
	targetset_fini(&out);
	free(e);
	free(ac.own);
	free(ac.cnt);
	return rc;
}

void
targetset_addr(const struct targetset *ts, uint64_t i, struct vg_addr *a,
    size_t *ri)
{
	size_t	lo = 0, hi = ts->n, mid;

	/* The last range whose cum <= i. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (ts->cum[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	*a = ts->v[lo].r.first;
	addr_add(a, i - ts->cum[lo]);
	if (ri != NULL)
		*ri = lo;
}

const struct target_range *
targetset_find(const struct targetset *ts, const struct vg_addr *a)
{
	struct vg_addr	end;
	size_t		i;

	/* Ranges are sorted; a binary search would do for large sets. */
	for (i = 0; i < ts->n; i++) {
		if (ts->v[i].r.first.family != a->family ||
		    addr_cmp(a, &ts->v[i].r.first) < 0)
			continue;
		end = ts->v[i].r.first;
		addr_add(&end, ts->v[i].r.count);
		if (addr_cmp(a, &end) < 0 || (ts->v[i].r.count > 0 &&
		    addr_cmp(&end, &ts->v[i].r.first) <= 0))
			return &ts->v[i];
	}
	return NULL;
}
