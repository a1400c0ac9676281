/*
 * report.c - the per-establishment model, read from the store, and the
 * loop that hands each establishment to a report format.
 *
 * A finding belongs to the establishment its row names.  Hosts, ports
 * and services belong to every establishment whose ranges hold their
 * address (the scanner records the addresses it resolved from host
 * names as /32 ranges), and also to the establishment one of whose
 * findings names their address.  The scan-wide tables are read once and
 * sorted by address, so that an establishment's share is found by
 * binary search rather than by testing every row against every range.
 *
 * Memory: strings live in two pools, one for the run (scan, index) and
 * one reset after each establishment, so a national scan is reported
 * establishment by establishment in bounded memory.
 */
#include "report_internal.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define POOL_BLOCK	(64 * 1024)
#define POOL_ALIGN	alignof(max_align_t)
#define OUTDIR_MODE	0750	/* reports describe weaknesses: not for all */
#define OUTFILE_MODE	0640

static const struct report_format *const formats[] = {
	&report_fmt_html,
	&report_fmt_pdf,
	&report_fmt_json,
	&report_fmt_csv,
};

#define NFORMATS	(sizeof(formats) / sizeof(formats[0]))

/* The exposure levels, by worst severity + 1 (none first). */
static const char *const level_keys[] = {
	"none", "info", "low", "medium", "high", "critical",
};

struct pool_block {
	struct pool_block	*next;
	size_t			 used, size;
	alignas(max_align_t) char data[];
};

struct rep_pool {
	struct pool_block	*head;
	size_t			 total, max;
	bool			 failed;
};

/* What report_write() reads once for the whole scan. */
struct scan_data {
	struct rep_host		*hosts;
	size_t			 nhosts;
	struct rep_port		*ports;
	size_t			 nports;
	struct rep_service	*services;
	size_t			 nservices;
};

struct est_row {
	const char	*id, *name, *category, *region, *contact;
	const char	*ranges, *hostnames;
};

struct rep_pool *
rep_pool_new(size_t max)
{
	struct rep_pool	*p;

	if ((p = calloc(1, sizeof(*p))) != NULL)
		p->max = max;
	return p;
}

void
rep_pool_reset(struct rep_pool *p)
{
	struct pool_block	*b, *next;

	if (p == NULL)
		return;
	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->head = NULL;
	p->total = 0;
	p->failed = false;
}

void
rep_pool_free(struct rep_pool *p)
{
	rep_pool_reset(p);
	free(p);
}

bool
rep_pool_ok(const struct rep_pool *p)
{
	return !p->failed;
}

static void *
pool_alloc(struct rep_pool *p, size_t n)
{
	struct pool_block	*b = p->head;
	size_t			 off, size;

	if (n > p->max) {
		p->failed = true;
		return NULL;
	}
	if (b != NULL) {
		off = (b->used + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
		if (off <= b->size && n <= b->size - off) {
			b->used = off + n;
			return b->data + off;
		}
	}
	size = n > POOL_BLOCK ? n : POOL_BLOCK;
	if (p->total + size > p->max ||
	    (b = malloc(sizeof(*b) + size)) == NULL) {
		p->failed = true;
		return NULL;
	}
	p->total += size;
	b->size = size;
	b->used = n;
	b->next = p->head;
	p->head = b;
	return b->data;
}

char *
rep_pool_strdup(struct rep_pool *p, const char *s)
{
	char	*d;
	size_t	 n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((d = pool_alloc(p, n)) != NULL)
		memcpy(d, s, n);
	return d;
}

static const char *
col(struct rep_pool *p, sqlite3_stmt *q, int i)
{
	return rep_pool_strdup(p, (const char *)sqlite3_column_text(q, i));
}

/*
 * Room for element n of the array v of *cap elements of `size` bytes:
 * returns v, or a larger array that replaces it, or NULL (v untouched)
 * when out of memory or over REPORT_ROWS_MAX.
 */
void *
rep_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void	*nv;
	size_t	 ncap;

	if (n < *cap)
		return v;
	if (n >= REPORT_ROWS_MAX)
		return NULL;
	ncap = *cap == 0 ? 32 : *cap * 2;
	if ((nv = reallocarray(v, ncap, size)) == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}

const char *
rep_word(const char *list, char *buf, size_t len)
{
	size_t	n;

	if (list == NULL)
		return NULL;
	list += strspn(list, " \t,");
	if (*list == '\0')
		return NULL;
	n = strcspn(list, " \t,");
	if (len > 0)
		snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), list);
	return list + n;
}

int
rep_ranges_parse(const char *ranges, struct vg_cidr **out, size_t *nout)
{
	struct vg_cidr	*v = NULL, *nv;
	const char	*p = ranges;
	char		 tok[ADDR_STRLEN + 8];
	size_t		 n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	while ((p = rep_word(p, tok, sizeof(tok))) != NULL &&
	    n < REPORT_RANGES_MAX) {
		if ((nv = rep_grow(v, &cap, n, sizeof(*v))) == NULL) {
			free(v);
			return -1;
		}
		v = nv;
		/* Bad or cut words are skipped: the registry checked them. */
		if (cidr_parse(tok, true, &v[n]) == 0)
			n++;
	}
	*out = v;
	*nout = n;
	return 0;
}

bool
rep_ranges_contain(const struct vg_cidr *v, size_t n,
    const struct vg_addr *a)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (cidr_contains(&v[i], a))
			return true;
	return false;
}

const char *
rep_pick(const struct report_ctx *ctx, const char *fr, const char *en)
{
	bool	want_en = strcmp(ctx->cat->lang, "en") == 0;
	const char	*a = want_en ? en : fr, *b = want_en ? fr : en;

	if (a != NULL && a[0] != '\0')
		return a;
	return b != NULL ? b : "";
}

const char *
rep_level_key(int worst)
{
	if (worst < -1 || worst > FP_SEV_CRITICAL)
		worst = -1;
	return level_keys[worst + 1];
}

const struct report_format *
report_format_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

/* mkdir -p, naming the directory that could not be made. */
int
rep_make_dirs(const char *path, struct vg_err *err)
{
	char		 buf[PATH_MAX], *p, c;
	struct stat	 sb;
	size_t		 len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		vg_err_set(err, path, "invalid output directory");
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(buf, OUTDIR_MODE) == -1 && errno != EEXIST) {
			vg_err_set(err, buf, "cannot create directory: %s",
			    strerror(errno));
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		vg_err_set(err, path, "not a directory");
		return -1;
	}
	return 0;
}

int
rep_out_open(struct report_ctx *ctx, const char *name, struct vg_err *err)
{
	int	fd;

	if (snprintf(ctx->out_path, sizeof(ctx->out_path), "%s/%s",
	    ctx->outdir, name) >= (int)sizeof(ctx->out_path) ||
	    snprintf(ctx->out_tmp, sizeof(ctx->out_tmp), "%s.tmp",
	    ctx->out_path) >= (int)sizeof(ctx->out_tmp)) {
		vg_err_set(err, ctx->outdir, "path too long");
		return -1;
	}
	fd = open(ctx->out_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, OUTFILE_MODE);
	if (fd == -1 || (ctx->out = fdopen(fd, "w")) == NULL) {
		vg_err_set(err, ctx->out_tmp, "cannot create: %s",
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return 0;
}

int
rep_out_commit(struct report_ctx *ctx, struct vg_err *err)
{
	FILE	*fp = ctx->out;
	int	 bad;

	ctx->out = NULL;
	bad = fflush(fp) == EOF || ferror(fp);
	if (fclose(fp) == EOF)
		bad = 1;
	if (bad) {
		vg_err_set(err, ctx->out_tmp, "write error: %s",
		    strerror(errno));
		unlink(ctx->out_tmp);
		return -1;
	}
	if (rename(ctx->out_tmp, ctx->out_path) == -1) {
		vg_err_set(err, ctx->out_path, "cannot rename from %s: %s",
		    ctx->out_tmp, strerror(errno));
		unlink(ctx->out_tmp);
		return -1;
	}
	ctx->nfiles++;
	return 0;
}

void
rep_out_abort(struct report_ctx *ctx)
{
	if (ctx->out == NULL)
		return;
	fclose(ctx->out);
	ctx->out = NULL;
	unlink(ctx->out_tmp);
}

static int
db_fail(struct report_ctx *ctx, struct vg_err *err, const char *what)
{
	vg_err_set(err, store_path(ctx->store), "cannot read %s: %s", what,
	    sqlite3_errmsg(store_sqlite(ctx->store)));
	return -1;
}

static int
prepare(struct report_ctx *ctx, const char *sql, sqlite3_stmt **q,
    struct vg_err *err, const char *what)
{
	if (sqlite3_prepare_v2(store_sqlite(ctx->store), sql, -1, q, NULL) !=
	    SQLITE_OK)
		return db_fail(ctx, err, what);
	return 0;
}

static int
oom(struct report_ctx *ctx, struct vg_err *err)
{
	vg_err_set(err, store_path(ctx->store), "out of memory, or more "
	    "than %u rows or %zu MiB of text in one report", REPORT_ROWS_MAX,
	    REPORT_POOL_MAX >> 20);
	return -1;
}

/* The --mmdb facts of an address, in the pool; 0 or -1 (pool full). */
static int
geo(struct report_ctx *ctx, struct rep_pool *pool, const struct vg_addr *a,
    struct rep_geo *g, struct vg_err *err)
{
	if (enrich_lookup(ctx->enrich, a, ctx->cat->lang, pool, g) == -1)
		return oom(ctx, err);
	return 0;
}

int
rep_load_scan(struct report_ctx *ctx, struct rep_pool *pool,
    struct vg_err *err)
{
	struct rep_scan	*s = &ctx->scan;
	sqlite3_stmt	*q = NULL;
	int64_t		 id = ctx->opts->scan;
	int		 rc = -1;

	if (id == 0) {
		if (store_last_scans(ctx->store, true, &id, 1) == 0) {
			if (store_last_scans(ctx->store, false, &id, 1) == 0) {
				vg_err_set(err, store_path(ctx->store),
				    "no scan in this store");
				return -1;
			}
			s->fallback = true;
		}
	}
	if (prepare(ctx, "SELECT id, started, finished, status, mode, ports, "
	    "targets, source, rules_version, vigie_version FROM scans "
	    "WHERE id = ?", &q, err, "scans") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	switch (sqlite3_step(q)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE:
		vg_err_set(err, store_path(ctx->store), "scan %lld not found",
		    (long long)id);
		goto out;
	default:
		db_fail(ctx, err, "scans");
		goto out;
	}
	s->id = sqlite3_column_int64(q, 0);
	s->started = col(pool, q, 1);
	s->finished = col(pool, q, 2);
	s->status = col(pool, q, 3);
	s->mode = col(pool, q, 4);
	s->ports = col(pool, q, 5);
	s->targets = col(pool, q, 6);
	s->source = col(pool, q, 7);
	s->rules_version = col(pool, q, 8);
	s->vigie_version = col(pool, q, 9);
	s->complete = s->status != NULL && strcmp(s->status, "complete") == 0;
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
key_cmp(const struct vg_addr *a, int pa, const char *xa,
    const struct vg_addr *b, int pb, const char *xb)
{
	int	c;

	if ((c = addr_cmp(a, b)) != 0)
		return c;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(xa != NULL ? xa : "", xb != NULL ? xb : "");
}

static int
host_cmp(const void *va, const void *vb)
{
	const struct rep_host	*a = va, *b = vb;

	return addr_cmp(&a->addr, &b->addr);
}

static int
port_cmp(const void *va, const void *vb)
{
	const struct rep_port	*a = va, *b = vb;

	return key_cmp(&a->addr, a->port, a->proto, &b->addr, b->port,
	    b->proto);
}

static int
service_cmp(const void *va, const void *vb)
{
	const struct rep_service	*a = va, *b = vb;

	return key_cmp(&a->addr, a->port, a->proto, &b->addr, b->port,
	    b->proto);
}

static int
load_hosts(struct report_ctx *ctx, struct rep_pool *pool,
    struct scan_data *sd, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct rep_host	*h, *nv;
	const char	*ip;
	size_t		 cap = 0;
	int		 step, rc = -1;

	if (prepare(ctx, "SELECT ip, state, open, closed, filtered FROM hosts "
	    "WHERE scan = ?", &q, err, "hosts") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(sd->hosts, &cap, sd->nhosts,
		    sizeof(*h))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		sd->hosts = nv;
		h = &sd->hosts[sd->nhosts];
		memset(h, 0, sizeof(*h));
		ip = (const char *)sqlite3_column_text(q, 0);
		if (ip == NULL || addr_parse(ip, &h->addr) == -1)
			continue;
		h->ip = col(pool, q, 0);
		h->state = col(pool, q, 1);
		h->open = sqlite3_column_int64(q, 2);
		h->closed = sqlite3_column_int64(q, 3);
		h->filtered = sqlite3_column_int64(q, 4);
		if (geo(ctx, pool, &h->addr, &h->geo, err) == -1)
			goto out;
		sd->nhosts++;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "hosts");
		goto out;
	}
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	if (sd->nhosts > 0)
		qsort(sd->hosts, sd->nhosts, sizeof(*sd->hosts), host_cmp);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
load_ports(struct report_ctx *ctx, struct rep_pool *pool,
    struct scan_data *sd, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct rep_port	*p, *nv;
	const char	*ip;
	size_t		 cap = 0;
	int		 step, rc = -1;

	if (prepare(ctx, "SELECT ip, port, proto, state, ts FROM ports "
	    "WHERE scan = ?", &q, err, "ports") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(sd->ports, &cap, sd->nports,
		    sizeof(*p))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		sd->ports = nv;
		p = &sd->ports[sd->nports];
		memset(p, 0, sizeof(*p));
		ip = (const char *)sqlite3_column_text(q, 0);
		if (ip == NULL || addr_parse(ip, &p->addr) == -1)
			continue;
		p->ip = col(pool, q, 0);
		p->port = sqlite3_column_int(q, 1);
		p->proto = col(pool, q, 2);
		p->state = col(pool, q, 3);
		p->ts = col(pool, q, 4);
		sd->nports++;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "ports");
		goto out;
	}
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	if (sd->nports > 0)
		qsort(sd->ports, sd->nports, sizeof(*sd->ports), port_cmp);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
load_services(struct report_ctx *ctx, struct rep_pool *pool,
    struct scan_data *sd, struct vg_err *err)
{
	sqlite3_stmt		*q = NULL;
	struct rep_service	*s, *nv;
	const char		*ip;
	size_t			 cap = 0;
	int			 step, rc = -1;

	/* Not the fields: they can be large, and are read for one
	 * establishment at a time (assign()). */
	if (prepare(ctx, "SELECT ip, port, proto, service, product, version, "
	    "status, probe, tls, ts FROM services WHERE scan = ?", &q, err,
	    "services") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(sd->services, &cap, sd->nservices,
		    sizeof(*s))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		sd->services = nv;
		s = &sd->services[sd->nservices];
		memset(s, 0, sizeof(*s));
		ip = (const char *)sqlite3_column_text(q, 0);
		if (ip == NULL || addr_parse(ip, &s->addr) == -1)
			continue;
		s->ip = col(pool, q, 0);
		s->port = sqlite3_column_int(q, 1);
		s->proto = col(pool, q, 2);
		s->service = col(pool, q, 3);
		s->product = col(pool, q, 4);
		s->version = col(pool, q, 5);
		s->status = col(pool, q, 6);
		s->probe = col(pool, q, 7);
		s->tls = sqlite3_column_int(q, 8) != 0;
		s->ts = col(pool, q, 9);
		sd->nservices++;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "services");
		goto out;
	}
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	if (sd->nservices > 0)
		qsort(sd->services, sd->nservices, sizeof(*sd->services),
		    service_cmp);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
load_establishments(struct report_ctx *ctx, struct rep_pool *pool,
    struct est_row **out, size_t *nout, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct est_row	*e, *nv;
	size_t		 cap = 0;
	int		 step, rc = -1;

	*out = NULL;
	*nout = 0;
	if (prepare(ctx, "SELECT id, name, category, region, contact, ranges, "
	    "hostnames FROM establishments WHERE scan = ?1 AND (?2 IS NULL "
	    "OR id = ?2) ORDER BY id", &q, err, "establishments") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	if (ctx->opts->establishment != NULL)
		sqlite3_bind_text(q, 2, ctx->opts->establishment, -1,
		    SQLITE_TRANSIENT);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(*out, &cap, *nout, sizeof(*e))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		*out = nv;
		e = &(*out)[(*nout)++];
		e->id = col(pool, q, 0);
		e->name = col(pool, q, 1);
		e->category = col(pool, q, 2);
		e->region = col(pool, q, 3);
		e->contact = col(pool, q, 4);
		e->ranges = col(pool, q, 5);
		e->hostnames = col(pool, q, 6);
		if (!rep_pool_ok(pool)) {
			oom(ctx, err);
			goto out;
		}
		/* The id names a file: refuse what could escape outdir. */
		if (!esc_is_safe_name(e->id)) {
			vg_err_set(err, store_path(ctx->store), "scan %lld: "
			    "establishment id is not a safe file name "
			    "(letters, digits, '-', '_')",
			    (long long)ctx->scan.id);
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "establishments");
		goto out;
	}
	if (*nout == 0 && ctx->opts->establishment != NULL) {
		vg_err_set(err, store_path(ctx->store), "establishment %s is "
		    "not in scan %lld", ctx->opts->establishment,
		    (long long)ctx->scan.id);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
finding_cmp(const void *va, const void *vb)
{
	const struct rep_finding	*a = va, *b = vb;
	int				 c, ra, rb;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	ra = msg_theme_rank(a->theme);
	rb = msg_theme_rank(b->theme);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if ((c = strcmp(a->rule != NULL ? a->rule : "",
	    b->rule != NULL ? b->rule : "")) != 0)
		return c;
	if (a->has_addr && b->has_addr &&
	    (c = addr_cmp(&a->addr, &b->addr)) != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return strcmp(a->fid != NULL ? a->fid : "",
	    b->fid != NULL ? b->fid : "");
}

static int
load_findings(struct report_ctx *ctx, struct rep_pool *pool,
    struct rep_est *est, struct vg_err *err)
{
	sqlite3_stmt		*q = NULL;
	struct rep_finding	*f, *nv;
	size_t			 cap = 0;
	int			 step, rc = -1;

	if (prepare(ctx, "SELECT f.scan, f.fid, f.establishment, f.ip, "
	    "f.port, f.proto, f.rule, f.severity, f.confidence, f.theme, "
	    "f.service, f.title_fr, f.title_en, f.advice_fr, f.advice_en, "
	    "f.evidence, f.refs, f.ts, s.product, s.version "
	    "FROM findings f LEFT JOIN services s ON s.scan = f.scan AND "
	    "s.ip = f.ip AND s.port = f.port AND s.proto = f.proto "
	    "WHERE f.scan = ? AND f.establishment = ?", &q, err,
	    "findings") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	sqlite3_bind_text(q, 2, est->id, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(est->findings, &cap, est->nfindings,
		    sizeof(*f))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		est->findings = nv;
		f = &est->findings[est->nfindings++];
		memset(f, 0, sizeof(*f));
		f->scan = sqlite3_column_int64(q, 0);
		f->fid = col(pool, q, 1);
		f->establishment = col(pool, q, 2);
		f->ip = col(pool, q, 3);
		f->has_addr = f->ip != NULL && addr_parse(f->ip, &f->addr) == 0;
		f->port = sqlite3_column_int(q, 4);
		f->proto = col(pool, q, 5);
		f->rule = col(pool, q, 6);
		f->severity = col(pool, q, 7);
		f->confidence = col(pool, q, 8);
		f->theme = col(pool, q, 9);
		f->service = col(pool, q, 10);
		f->title_fr = col(pool, q, 11);
		f->title_en = col(pool, q, 12);
		f->advice_fr = col(pool, q, 13);
		f->advice_en = col(pool, q, 14);
		f->evidence = col(pool, q, 15);
		f->refs = col(pool, q, 16);
		f->ts = col(pool, q, 17);
		f->product = col(pool, q, 18);
		f->version = col(pool, q, 19);
		if (f->has_addr && geo(ctx, pool, &f->addr, &f->geo, err) ==
		    -1)
			goto out;
		if (f->severity == NULL ||
		    fp_severity_parse(f->severity, &f->sev) == -1)
			f->sev = FP_SEV_INFO;
		est->counts[f->sev]++;
		if ((int)f->sev > est->worst)
			est->worst = (int)f->sev;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	if (est->nfindings > 0)
		qsort(est->findings, est->nfindings, sizeof(*est->findings),
		    finding_cmp);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

/* First index in a sorted array whose address is >= key.  Each element
 * is `size` bytes and has its struct vg_addr at offset `off`. */
static size_t
lower_bound(const void *base, size_t n, size_t size, size_t off,
    const struct vg_addr *key)
{
	const char	*b = base;
	size_t		 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr_cmp((const struct vg_addr *)(const void *)
		    (b + mid * size + off), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define ADDR_AT(base, i, size, off)					\
	((const struct vg_addr *)(const void *)				\
	    ((const char *)(base) + (i) * (size) + (off)))

/* Push every address of a sorted array that one of the CIDRs holds. */
static int
gather(struct vg_addr **addrs, size_t *n, size_t *cap, const void *base,
    size_t nel, size_t size, size_t off, const struct vg_cidr *c)
{
	struct vg_addr	*nv;
	size_t		 i;

	for (i = lower_bound(base, nel, size, off, &c->addr); i < nel &&
	    cidr_contains(c, ADDR_AT(base, i, size, off)); i++) {
		if (*n > 0 && addr_cmp(&(*addrs)[*n - 1],
		    ADDR_AT(base, i, size, off)) == 0)
			continue;	/* the rows of one address */
		if ((nv = rep_grow(*addrs, cap, *n, sizeof(**addrs))) == NULL)
			return -1;
		*addrs = nv;
		(*addrs)[(*n)++] = *ADDR_AT(base, i, size, off);
	}
	return 0;
}

static int
vaddr_cmp(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

/* A copy of a service with its fields, in the establishment's pool. */
static int
service_copy(struct report_ctx *ctx, struct rep_pool *pool,
    sqlite3_stmt *q, const struct rep_service *s, struct rep_service **out,
    struct vg_err *err)
{
	struct rep_service	*c;
	int			 step;

	if ((c = pool_alloc(pool, sizeof(*c))) == NULL)
		return oom(ctx, err);
	*c = *s;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	sqlite3_bind_text(q, 2, s->ip, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, s->port);
	sqlite3_bind_text(q, 4, s->proto, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(q)) == SQLITE_ROW)
		c->fields = col(pool, q, 0);
	else if (step != SQLITE_DONE)
		return db_fail(ctx, err, "services");
	*out = c;
	return 0;
}

/* The establishment's addresses, hosts, ports and services. */
static int
assign(struct report_ctx *ctx, struct rep_pool *pool,
    const struct scan_data *sd, struct rep_est *est, struct vg_err *err)
{
	struct vg_addr		*addrs = NULL;
	struct rep_host		*h;
	struct rep_service	*sc;
	sqlite3_stmt		*q = NULL;
	void			*nv;
	char			 ip[ADDR_STRLEN];
	size_t			 n = 0, cap = 0, i, j, k, hcap = 0, pcap = 0,
				 scap = 0;
	int			 rc = -1;

	if (prepare(ctx, "SELECT fields FROM services WHERE scan = ? AND "
	    "ip = ? AND port = ? AND proto = ?", &q, err, "services") == -1)
		return -1;
	for (i = 0; i < est->ncidrs; i++) {
		if (gather(&addrs, &n, &cap, sd->hosts, sd->nhosts,
		    sizeof(*sd->hosts), offsetof(struct rep_host, addr),
		    &est->cidrs[i]) == -1 ||
		    gather(&addrs, &n, &cap, sd->ports, sd->nports,
		    sizeof(*sd->ports), offsetof(struct rep_port, addr),
		    &est->cidrs[i]) == -1 ||
		    gather(&addrs, &n, &cap, sd->services, sd->nservices,
		    sizeof(*sd->services), offsetof(struct rep_service, addr),
		    &est->cidrs[i]) == -1)
			goto nomem;
	}
	for (i = 0; i < est->nfindings; i++) {
		if (!est->findings[i].has_addr)
			continue;
		if ((nv = rep_grow(addrs, &cap, n, sizeof(*addrs))) == NULL)
			goto nomem;
		addrs = nv;
		addrs[n++] = est->findings[i].addr;
	}
	if (n > 0)
		qsort(addrs, n, sizeof(*addrs), vaddr_cmp);
	for (i = 0, j = 0; i < n; i++)
		if (j == 0 || addr_cmp(&addrs[j - 1], &addrs[i]) != 0)
			addrs[j++] = addrs[i];
	n = j;

	for (i = 0; i < n; i++) {
		k = lower_bound(sd->hosts, sd->nhosts, sizeof(*sd->hosts),
		    offsetof(struct rep_host, addr), &addrs[i]);
		if (k < sd->nhosts &&
		    addr_cmp(&sd->hosts[k].addr, &addrs[i]) == 0) {
			h = &sd->hosts[k];
		} else {
			/* Seen in ports, services or findings only. */
			if ((h = pool_alloc(pool, sizeof(*h))) == NULL)
				goto nomem;
			memset(h, 0, sizeof(*h));
			h->addr = addrs[i];
			h->ip = rep_pool_strdup(pool, addr_str(&addrs[i], ip));
			if (geo(ctx, pool, &h->addr, &h->geo, err) == -1)
				goto out;
		}
		if ((nv = rep_grow(est->hosts, &hcap, est->nhosts,
		    sizeof(*est->hosts))) == NULL)
			goto nomem;
		est->hosts = nv;
		est->hosts[est->nhosts++] = h;

		for (k = lower_bound(sd->ports, sd->nports, sizeof(*sd->ports),
		    offsetof(struct rep_port, addr), &addrs[i]);
		    k < sd->nports &&
		    addr_cmp(&sd->ports[k].addr, &addrs[i]) == 0; k++) {
			if ((nv = rep_grow(est->ports, &pcap, est->nports,
			    sizeof(*est->ports))) == NULL)
				goto nomem;
			est->ports = nv;
			est->ports[est->nports++] = &sd->ports[k];
		}
		for (k = lower_bound(sd->services, sd->nservices,
		    sizeof(*sd->services), offsetof(struct rep_service, addr),
		    &addrs[i]); k < sd->nservices &&
		    addr_cmp(&sd->services[k].addr, &addrs[i]) == 0; k++) {
			if ((nv = rep_grow(est->services, &scap, est->nservices,
			    sizeof(*est->services))) == NULL)
				goto nomem;
			est->services = nv;
			if (service_copy(ctx, pool, q, &sd->services[k], &sc,
			    err) == -1)
				goto out;
			est->services[est->nservices++] = sc;
		}
	}
	if (!rep_pool_ok(pool))
		goto nomem;
	rc = 0;
	goto out;
nomem:
	oom(ctx, err);
out:
	sqlite3_finalize(q);
	free(addrs);
	return rc;
}

/* The last complete scan before ours, 0 when none. */
static int
previous_scan(struct report_ctx *ctx, int64_t *prev, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	int		 rc = -1;

	if (prepare(ctx, "SELECT max(id) FROM scans WHERE status = "
	    "'complete' AND id < ?", &q, err, "scans") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		db_fail(ctx, err, "scans");
		goto out;
	}
	*prev = sqlite3_column_int64(q, 0);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static void
est_fini(struct rep_est *est)
{
	free(est->cidrs);
	free(est->hosts);
	free(est->ports);
	free(est->services);
	free(est->findings);
	free(est->trend);
	memset(est, 0, sizeof(*est));
}

static int
add_index_row(struct report_ctx *ctx, struct rep_pool *pool, size_t *cap,
    const struct rep_est *est, struct vg_err *err)
{
	struct rep_index_row	*r, *nv;

	if ((nv = rep_grow(ctx->index, cap, ctx->nindex, sizeof(*r))) == NULL)
		return oom(ctx, err);
	ctx->index = nv;
	r = &ctx->index[ctx->nindex++];
	memset(r, 0, sizeof(*r));
	r->id = rep_pool_strdup(pool, est->id);
	r->name = rep_pool_strdup(pool, est->name);
	r->category = rep_pool_strdup(pool, est->category);
	r->region = rep_pool_strdup(pool, est->region);
	memcpy(r->counts, est->counts, sizeof(r->counts));
	r->worst = est->worst;
	r->nhosts = est->nhosts;
	r->nservices = est->nservices;
	if (!rep_pool_ok(pool))
		return oom(ctx, err);
	return 0;
}

int
report_write(struct store *st, const struct report_opts *opts,
    struct vg_err *err)
{
	struct report_ctx	 ctx;
	struct scan_data	 sd;
	struct rep_est		 est;
	struct rep_history	 hist;
	struct diff		 d;
	struct est_row		*rows = NULL;
	struct rep_pool		*pool = NULL, *epool = NULL;
	struct enrich		*enrich = NULL;
	const char		*fmtname, *lang;
	size_t			 nrows = 0, i, icap = 0;
	int64_t			 prev = 0;
	int			 rc = -1;

	memset(&ctx, 0, sizeof(ctx));
	memset(&sd, 0, sizeof(sd));
	memset(&est, 0, sizeof(est));
	memset(&d, 0, sizeof(d));
	ctx.store = st;
	ctx.opts = opts;
	ctx.outdir = opts->outdir;
	fmtname = opts->format != NULL ? opts->format : "html";
	lang = opts->lang != NULL ? opts->lang : "fr";
	if (opts->summary)
		return summary_write(st, opts, err);
	if ((ctx.fmt = report_format_find(fmtname)) == NULL) {
		vg_err_set(err, "--format", "unknown report format '%s' "
		    "(html, pdf, json, csv)", fmtname);
		return -1;
	}
	ctx.link_ext = ctx.fmt->ext;
	if ((ctx.cat = msg_catalog_find(lang)) == NULL) {
		vg_err_set(err, "--lang", "unknown language '%s' (fr, en)",
		    lang);
		return -1;
	}
	if (ctx.outdir == NULL || ctx.outdir[0] == '\0') {
		vg_err_set(err, "--out", "no output directory given");
		return -1;
	}
	if ((pool = rep_pool_new(REPORT_POOL_MAX)) == NULL ||
	    (epool = rep_pool_new(REPORT_POOL_MAX)) == NULL) {
		vg_err_set(err, store_path(st), "out of memory");
		goto out;
	}
	if (opts->nmmdb > 0) {
		if ((enrich = enrich_open(opts->mmdb, opts->nmmdb,
		    err)) == NULL)
			goto out;
		ctx.enrich = enrich;
	}
	if (rep_load_scan(&ctx, pool, err) == -1 ||
	    load_hosts(&ctx, pool, &sd, err) == -1 ||
	    load_ports(&ctx, pool, &sd, err) == -1 ||
	    load_services(&ctx, pool, &sd, err) == -1 ||
	    load_establishments(&ctx, pool, &rows, &nrows, err) == -1 ||
	    previous_scan(&ctx, &prev, err) == -1 ||
	    rep_history_load(&ctx, pool, &hist, err) == -1)
		goto out;
	if (rep_make_dirs(ctx.outdir, err) == -1)
		goto out;
	if (ctx.fmt->begin != NULL && ctx.fmt->begin(&ctx, err) == -1)
		goto out;

	for (i = 0; i < nrows; i++) {
		est.id = rows[i].id;
		est.name = rows[i].name;
		est.category = rows[i].category;
		est.region = rows[i].region;
		est.contact = rows[i].contact;
		est.ranges = rows[i].ranges;
		est.hostnames = rows[i].hostnames;
		est.worst = -1;
		if (rep_ranges_parse(est.ranges, &est.cidrs,
		    &est.ncidrs) == -1) {
			oom(&ctx, err);
			goto out;
		}
		if (load_findings(&ctx, epool, &est, err) == -1 ||
		    assign(&ctx, epool, &sd, &est, err) == -1)
			goto out;
		if (prev != 0) {
			if (diff_compute(st, prev, ctx.scan.id, est.id, &d,
			    err) == -1)
				goto out;
			/* Not in the previous scan: nothing to compare. */
			if (d.nonly_to == 0)
				est.diff = &d;
		}
		if (rep_est_history(&ctx, &hist, &est, est.diff != NULL ? &d :
		    NULL, err) == -1)
			goto out;
		if (ctx.fmt->establishment(&ctx, &est, err) == -1 ||
		    add_index_row(&ctx, pool, &icap, &est, err) == -1)
			goto out;
		diff_fini(&d);
		est_fini(&est);
		rep_pool_reset(epool);
	}
	if (ctx.fmt->end != NULL && ctx.fmt->end(&ctx, err) == -1)
		goto out;
	rc = ctx.nfiles;
out:
	rep_out_abort(&ctx);
	if (ctx.fmt != NULL && ctx.fmt->fini != NULL)
		ctx.fmt->fini(&ctx);
	enrich_free(enrich);
	diff_fini(&d);
	est_fini(&est);
	free(rows);
	free(sd.hosts);
	free(sd.ports);
	free(sd.services);
	free(ctx.index);
	rep_pool_free(epool);
	rep_pool_free(pool);
	return rc;
}
