/*
 * summary.c - the national view for the CERT (`vigie report --summary`):
 * what one scan found across every establishment, and how that moves
 * from scan to scan.
 *
 * The scan is the one a per-establishment report would take (--scan, else
 * the last complete one).  Its history is the complete scans before it,
 * at most SUMMARY_HISTORY_MAX with it, oldest first.  A finding's
 * identity across scans is (establishment, fid), as for `vigie diff`;
 * walking each identity over the history gives the trend's new and fixed
 * counts and the time to fix: from the first scan where a finding is
 * seen to the first later scan of its establishment where it is gone.
 * An establishment missing from a scan was not scanned then: that scan
 * neither fixes nor opens anything for it.  Scans are days apart, so a
 * time to fix is known to within the interval between two scans.
 *
 * Memory: a row per establishment of the scan and a row per rule, plus
 * the history's findings streamed in (establishment, fid) order, one
 * identity held at a time.
 */
#include "report_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define SECONDS_PER_DAY	86400.0

/* An establishment's scans, as bits over the history. */
struct est_mask {
	char		*id;
	uint64_t	 scanned;
};

/* Durations in days, by severity and for all (REPORT_NSEV). */
struct ttf_acc {
	double		*fixed[REPORT_NSEV + 1], *open[REPORT_NSEV + 1];
	size_t		 nfixed[REPORT_NSEV + 1], nopen[REPORT_NSEV + 1];
	size_t		 cfixed[REPORT_NSEV + 1], copen[REPORT_NSEV + 1];
	size_t		 nreappeared[REPORT_NSEV + 1];
};

size_t
summary_episodes(uint64_t scanned, uint64_t present, size_t n,
    struct sum_episode *out, size_t max)
{
	size_t	i, k = 0, first = 0;
	bool	in = false;

	if (n > SUMMARY_HISTORY_MAX)
		n = SUMMARY_HISTORY_MAX;
	for (i = 0; i < n; i++) {
		if ((scanned >> i & 1) == 0)
			continue;
		if ((present >> i & 1) != 0) {
			if (!in) {
				in = true;
				first = i;
			}
		} else if (in) {
			if (k < max) {
				out[k].first = first;
				out[k].fixed = i;
				out[k].reappeared = k > 0;
			}
			k++;
			in = false;
		}
	}
	if (in) {
		if (k < max) {
			out[k].first = first;
			out[k].fixed = SIZE_MAX;
			out[k].reappeared = k > 0;
		}
		k++;
	}
	return k;
}

static int
dbl_cmp(const void *va, const void *vb)
{
	double	a = *(const double *)va, b = *(const double *)vb;

	return a < b ? -1 : a > b ? 1 : 0;
}

double
summary_median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), dbl_cmp);
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
db_fail(struct report_ctx *ctx, struct vg_err *err, const char *what)
{
	vg_err_set(err, store_path(ctx->store), "cannot read %s: %s", what,
	    sqlite3_errmsg(store_sqlite(ctx->store)));
	return -1;
}

static int
oom(struct report_ctx *ctx, struct vg_err *err)
{
	vg_err_set(err, store_path(ctx->store), "out of memory, or more "
	    "than %u rows or %zu MiB of text in the summary", REPORT_ROWS_MAX,
	    REPORT_POOL_MAX >> 20);
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

static const char *
col(struct rep_pool *p, sqlite3_stmt *q, int i)
{
	return rep_pool_strdup(p, (const char *)sqlite3_column_text(q, i));
}

static enum fp_severity
sev_of(sqlite3_stmt *q, int i)
{
	const char		*s = (const char *)sqlite3_column_text(q, i);
	enum fp_severity	 sev;

	if (s == NULL || fp_severity_parse(s, &sev) == -1)
		return FP_SEV_INFO;
	return sev;
}

/* The scan's establishments and their findings by severity. */
static int
load_ests(struct report_ctx *ctx, struct rep_pool *pool, struct summary *s,
    struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct sum_est	*e = NULL, *nv;
	const char	*id;
	size_t		 cap = 0, n;
	enum fp_severity sev;
	int		 step, rc = -1;

	if (prepare(ctx, "SELECT e.id, e.name, e.category, e.region, "
	    "f.severity, count(f.fid) FROM establishments e LEFT JOIN "
	    "findings f ON f.scan = e.scan AND f.establishment = e.id "
	    "WHERE e.scan = ?1 GROUP BY e.id, f.severity ORDER BY e.id", &q,
	    err, "establishments") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(q, 0);
		if (id == NULL)
			continue;
		if (s->nests == 0 || strcmp(s->ests[s->nests - 1].id,
		    id) != 0) {
			if ((nv = rep_grow(s->ests, &cap, s->nests,
			    sizeof(*s->ests))) == NULL) {
				oom(ctx, err);
				goto out;
			}
			s->ests = nv;
			e = &s->ests[s->nests++];
			memset(e, 0, sizeof(*e));
			e->id = col(pool, q, 0);
			e->name = col(pool, q, 1);
			e->category = col(pool, q, 2);
			e->region = col(pool, q, 3);
			e->worst = -1;
			if (!rep_pool_ok(pool)) {
				oom(ctx, err);
				goto out;
			}
		}
		e = &s->ests[s->nests - 1];
		n = (size_t)sqlite3_column_int64(q, 5);
		if (n == 0 || sqlite3_column_type(q, 4) == SQLITE_NULL)
			continue;
		sev = sev_of(q, 4);
		e->counts[sev] += n;
		e->nfindings += n;
		if ((int)sev > e->worst)
			e->worst = (int)sev;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "establishments");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
rule_cmp(const void *va, const void *vb)
{
	const struct sum_rule	*a = va, *b = vb;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->nest != b->nest)
		return a->nest > b->nest ? -1 : 1;
	if (a->nfindings != b->nfindings)
		return a->nfindings > b->nfindings ? -1 : 1;
	return strcmp(a->rule != NULL ? a->rule : "",
	    b->rule != NULL ? b->rule : "");
}

static int
load_rules(struct report_ctx *ctx, struct rep_pool *pool, struct summary *s,
    struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct sum_rule	*r, *nv;
	size_t		 cap = 0;
	int		 step, rc = -1;

	if (prepare(ctx, "SELECT rule, severity, max(title_fr), "
	    "max(title_en), count(*), count(DISTINCT establishment) FROM "
	    "findings WHERE scan = ?1 GROUP BY rule, severity", &q, err,
	    "findings") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((nv = rep_grow(s->rules, &cap, s->nrules,
		    sizeof(*s->rules))) == NULL) {
			oom(ctx, err);
			goto out;
		}
		s->rules = nv;
		r = &s->rules[s->nrules++];
		memset(r, 0, sizeof(*r));
		r->rule = col(pool, q, 0);
		r->sev = sev_of(q, 1);
		r->title_fr = col(pool, q, 2);
		r->title_en = col(pool, q, 3);
		r->nfindings = (size_t)sqlite3_column_int64(q, 4);
		r->nest = (size_t)sqlite3_column_int64(q, 5);
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	if (s->nrules > 0)
		qsort(s->rules, s->nrules, sizeof(*s->rules), rule_cmp);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

/* The trend's counts: establishments and findings of each scan. */
static int
load_trend(struct report_ctx *ctx, struct rep_pool *pool,
    const struct rep_history *h, struct summary *s, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	size_t		 first, i;
	int		 step, rc = -1;

	s->ntrend = h->n < SUMMARY_TREND_MAX ? h->n : SUMMARY_TREND_MAX;
	first = h->n - s->ntrend;
	if ((s->trend = calloc(s->ntrend, sizeof(*s->trend))) == NULL)
		return oom(ctx, err);
	for (i = 0; i < s->ntrend; i++) {
		s->trend[i].scan = h->id[first + i];
		s->trend[i].started = h->started[first + i];
		s->trend[i].compared = first + i > 0;
	}
	(void)pool;
	if (prepare(ctx, "SELECT scan, count(*) FROM establishments WHERE "
	    "scan >= ?1 AND scan <= ?2 GROUP BY scan", &q, err,
	    "establishments") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, s->trend[0].scan);
	sqlite3_bind_int64(q, 2, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		i = rep_history_index(h, sqlite3_column_int64(q, 0));
		if (i != SIZE_MAX && i >= first)
			s->trend[i - first].nest =
			    (size_t)sqlite3_column_int64(q, 1);
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "establishments");
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (prepare(ctx, "SELECT scan, severity, count(*) FROM findings "
	    "WHERE scan >= ?1 AND scan <= ?2 GROUP BY scan, severity", &q,
	    err, "findings") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, s->trend[0].scan);
	sqlite3_bind_int64(q, 2, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		i = rep_history_index(h, sqlite3_column_int64(q, 0));
		if (i != SIZE_MAX && i >= first)
			s->trend[i - first].counts[sev_of(q, 1)] +=
			    (size_t)sqlite3_column_int64(q, 2);
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (prepare(ctx, "SELECT scan, count(DISTINCT establishment) FROM "
	    "findings WHERE scan >= ?1 AND scan <= ?2 GROUP BY scan", &q,
	    err, "findings") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, s->trend[0].scan);
	sqlite3_bind_int64(q, 2, ctx->scan.id);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		i = rep_history_index(h, sqlite3_column_int64(q, 0));
		if (i != SIZE_MAX && i >= first)
			s->trend[i - first].nexposed =
			    (size_t)sqlite3_column_int64(q, 1);
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static void
mask_free(struct est_mask *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(m[i].id);
	free(m);
}

static int
mask_cmp(const void *key, const void *elt)
{
	return strcmp(key, ((const struct est_mask *)elt)->id);
}

/* Which history scans each establishment was in, sorted by id. */
static int
load_masks(struct report_ctx *ctx, const struct rep_history *h,
    struct est_mask **out, size_t *nout, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct est_mask	*m = NULL, *nv;
	const char	*id;
	size_t		 n = 0, cap = 0, i;
	int		 step, rc = -1;

	if (prepare(ctx, "SELECT id, scan FROM establishments WHERE "
	    "scan >= ?1 AND scan <= ?2 ORDER BY id", &q, err,
	    "establishments") == -1)
		return -1;
	sqlite3_bind_int64(q, 1, h->id[0]);
	sqlite3_bind_int64(q, 2, h->id[h->n - 1]);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(q, 0);
		i = rep_history_index(h, sqlite3_column_int64(q, 1));
		if (id == NULL || i == SIZE_MAX)
			continue;
		if (n == 0 || strcmp(m[n - 1].id, id) != 0) {
			if ((nv = rep_grow(m, &cap, n, sizeof(*m))) == NULL) {
				oom(ctx, err);
				goto out;
			}
			m = nv;
			if ((m[n].id = strdup(id)) == NULL) {
				oom(ctx, err);
				goto out;
			}
			m[n++].scanned = 0;
		}
		m[n - 1].scanned |= (uint64_t)1 << i;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "establishments");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	if (rc == -1) {
		mask_free(m, n);
		m = NULL;
		n = 0;
	}
	*out = m;
	*nout = n;
	return rc;
}

static int
push(double **v, size_t *n, size_t *cap, double x)
{
	double	*nv;

	if ((nv = rep_grow(*v, cap, *n, sizeof(**v))) == NULL)
		return -1;
	*v = nv;
	(*v)[(*n)++] = x;
	return 0;
}

/* One identity's history, folded into the trend and time to fix. */
static int
fold(const struct rep_history *h, struct summary *s, struct ttf_acc *acc,
    uint64_t scanned, uint64_t present, enum fp_severity sev)
{
	struct sum_episode	 ep[SUMMARY_HISTORY_MAX];
	size_t			 nep, k, first = h->n - s->ntrend, j;
	size_t			 last = h->n - 1;
	double			 d;
	int			 x;

	present &= scanned;
	nep = summary_episodes(scanned, present, h->n, ep,
	    SUMMARY_HISTORY_MAX);
	for (k = 0; k < nep && k < SUMMARY_HISTORY_MAX; k++) {
		/* New: seen where its establishment was scanned before. */
		if (ep[k].first >= first && (scanned &
		    (((uint64_t)1 << ep[k].first) - 1)) != 0)
			s->trend[ep[k].first - first].nnew++;
		for (j = 0; j < 2; j++) {
			x = j == 0 ? (int)sev : REPORT_NSEV;
			if (ep[k].reappeared)
				acc->nreappeared[x]++;
			if (ep[k].fixed != SIZE_MAX) {
				d = difftime(h->t[ep[k].fixed],
				    h->t[ep[k].first]) / SECONDS_PER_DAY;
				if (push(&acc->fixed[x], &acc->nfixed[x],
				    &acc->cfixed[x], d) == -1)
					return -1;
			} else if ((present >> last & 1) != 0) {
				d = difftime(h->t[last], h->t[ep[k].first]) /
				    SECONDS_PER_DAY;
				if (push(&acc->open[x], &acc->nopen[x],
				    &acc->copen[x], d) == -1)
					return -1;
			}
		}
		if (ep[k].fixed != SIZE_MAX && ep[k].fixed >= first)
			s->trend[ep[k].fixed - first].nfixed++;
	}
	return 0;
}

/* Every (establishment, fid) of the history, walked in turn. */
static int
walk_history(struct report_ctx *ctx, const struct rep_history *h,
    struct summary *s, struct ttf_acc *acc, struct vg_err *err)
{
	sqlite3_stmt		*q = NULL;
	struct est_mask		*m = NULL;
	const struct est_mask	*em;
	const char		*est, *fid;
	char			 cur_est[REPORT_WORD_MAX] = "",
				 cur_fid[REPORT_WORD_MAX] = "";
	uint64_t		 present = 0, scanned = 0;
	enum fp_severity	 sev = FP_SEV_INFO;
	size_t			 nm = 0, i;
	bool			 have = false;
	int			 step, rc = -1;

	if (load_masks(ctx, h, &m, &nm, err) == -1)
		return -1;
	if (prepare(ctx, "SELECT establishment, fid, scan, severity FROM "
	    "findings WHERE scan >= ?1 AND scan <= ?2 ORDER BY "
	    "establishment, fid, scan", &q, err, "findings") == -1)
		goto out;
	sqlite3_bind_int64(q, 1, h->id[0]);
	sqlite3_bind_int64(q, 2, h->id[h->n - 1]);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		est = (const char *)sqlite3_column_text(q, 0);
		fid = (const char *)sqlite3_column_text(q, 1);
		i = rep_history_index(h, sqlite3_column_int64(q, 2));
		if (est == NULL || fid == NULL || i == SIZE_MAX)
			continue;
		if (!have || strcmp(est, cur_est) != 0 ||
		    strcmp(fid, cur_fid) != 0) {
			if (have && fold(h, s, acc, scanned, present,
			    sev) == -1) {
				oom(ctx, err);
				goto out;
			}
			snprintf(cur_est, sizeof(cur_est), "%s", est);
			snprintf(cur_fid, sizeof(cur_fid), "%s", fid);
			em = nm == 0 ? NULL : bsearch(cur_est, m, nm,
			    sizeof(*m), mask_cmp);
			scanned = em != NULL ? em->scanned : 0;
			present = 0;
			have = true;
		}
		present |= (uint64_t)1 << i;
		sev = sev_of(q, 3);	/* the latest scan's */
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	if (have && fold(h, s, acc, scanned, present, sev) == -1) {
		oom(ctx, err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	mask_free(m, nm);
	return rc;
}

static int
group_cmp_key(const void *va, const void *vb)
{
	const struct sum_group	*a = va, *b = vb;
	const char		*ka = a->key != NULL ? a->key : "";
	const char		*kb = b->key != NULL ? b->key : "";

	/* Not given: last. */
	if ((ka[0] == '\0') != (kb[0] == '\0'))
		return ka[0] == '\0' ? 1 : -1;
	return strcmp(ka, kb);
}

static size_t
group_total(const struct sum_group *g)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < REPORT_NSEV; i++)
		n += g->counts[i];
	return n;
}

static int
group_cmp_exposure(const void *va, const void *vb)
{
	const struct sum_group	*a = va, *b = vb;
	int			 i;

	for (i = FP_SEV_CRITICAL; i >= FP_SEV_INFO; i--)
		if (a->counts[i] != b->counts[i])
			return a->counts[i] > b->counts[i] ? -1 : 1;
	if (group_total(a) != group_total(b))
		return group_total(a) > group_total(b) ? -1 : 1;
	return group_cmp_key(va, vb);
}

static int
add_to_group(struct sum_group **v, size_t *n, size_t *cap,
    const char *key, const struct sum_est *e)
{
	struct sum_group	*g = NULL, *nv;
	size_t			 i;
	int			 s;

	if (key == NULL)
		key = "";
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0) {
			g = &(*v)[i];
			break;
		}
	if (g == NULL) {
		if ((nv = rep_grow(*v, cap, *n, sizeof(**v))) == NULL)
			return -1;
		*v = nv;
		g = &(*v)[(*n)++];
		memset(g, 0, sizeof(*g));
		g->key = key;
	}
	g->nest++;
	if (e->nfindings > 0)
		g->nexposed++;
	if (e->counts[FP_SEV_CRITICAL] > 0)
		g->ncritical++;
	for (s = 0; s < REPORT_NSEV; s++)
		g->counts[s] += e->counts[s];
	return 0;
}

static int
top_cmp(const void *va, const void *vb)
{
	const struct sum_est	*a = *(const struct sum_est *const *)va;
	const struct sum_est	*b = *(const struct sum_est *const *)vb;
	int			 i;

	for (i = FP_SEV_CRITICAL; i >= FP_SEV_INFO; i--)
		if (a->counts[i] != b->counts[i])
			return a->counts[i] > b->counts[i] ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Categories, regions, the national counts and the most exposed. */
static int
aggregate(struct summary *s)
{
	const struct sum_est	**all = NULL;
	size_t			 ccap = 0, rcap = 0, i, n = 0;
	int			 k;

	for (i = 0; i < s->nests; i++) {
		const struct sum_est	*e = &s->ests[i];

		if (add_to_group(&s->cats, &s->ncats, &ccap, e->category,
		    e) == -1 || add_to_group(&s->regions, &s->nregions,
		    &rcap, e->region, e) == -1)
			return -1;
		for (k = 0; k < REPORT_NSEV; k++)
			s->counts[k] += e->counts[k];
		s->nfindings += e->nfindings;
		if (e->nfindings > 0)
			s->nexposed++;
		if (e->counts[FP_SEV_CRITICAL] > 0)
			s->ncritical++;
	}
	if (s->ncats > 0)
		qsort(s->cats, s->ncats, sizeof(*s->cats), group_cmp_key);
	if (s->nregions > 0)
		qsort(s->regions, s->nregions, sizeof(*s->regions),
		    group_cmp_exposure);
	if (s->nexposed == 0)
		return 0;
	if ((all = calloc(s->nexposed, sizeof(*all))) == NULL)
		return -1;
	for (i = 0; i < s->nests; i++)
		if (s->ests[i].nfindings > 0)
			all[n++] = &s->ests[i];
	qsort(all, n, sizeof(*all), top_cmp);
	s->ntop = n < SUMMARY_TOP_MAX ? n : SUMMARY_TOP_MAX;
	s->top = all;
	return 0;
}

static void
ttf_fini(struct ttf_acc *acc)
{
	int	i;

	for (i = 0; i <= REPORT_NSEV; i++) {
		free(acc->fixed[i]);
		free(acc->open[i]);
	}
}

static void
ttf_stats(struct ttf_acc *acc, struct summary *s)
{
	double	sum;
	size_t	j;
	int	i;

	for (i = 0; i <= REPORT_NSEV; i++) {
		struct sum_ttf	*t = &s->ttf[i];

		t->nfixed = acc->nfixed[i];
		t->nopen = acc->nopen[i];
		t->nreappeared = acc->nreappeared[i];
		for (sum = 0, j = 0; j < acc->nfixed[i]; j++)
			sum += acc->fixed[i][j];
		t->mean = t->nfixed > 0 ? sum / (double)t->nfixed : 0;
		t->median = summary_median(acc->fixed[i], acc->nfixed[i]);
		t->open_median = summary_median(acc->open[i], acc->nopen[i]);
		t->open_max = t->nopen > 0 ? acc->open[i][t->nopen - 1] : 0;
	}
}

int
summary_build(struct report_ctx *ctx, struct rep_pool *pool,
    struct summary *s, struct vg_err *err)
{
	struct rep_history	h;
	struct ttf_acc	acc;
	int		rc = -1;

	memset(s, 0, sizeof(*s));
	memset(&acc, 0, sizeof(acc));
	memset(&h, 0, sizeof(h));
	if (rep_history_load(ctx, pool, &h, err) == -1 ||
	    load_ests(ctx, pool, s, err) == -1 ||
	    load_rules(ctx, pool, s, err) == -1 ||
	    load_trend(ctx, pool, &h, s, err) == -1 ||
	    walk_history(ctx, &h, s, &acc, err) == -1)
		goto out;
	if (aggregate(s) == -1) {
		oom(ctx, err);
		goto out;
	}
	ttf_stats(&acc, s);
	s->nhistory = h.n;
	rc = 0;
out:
	ttf_fini(&acc);
	if (rc == -1)
		summary_fini(s);
	return rc;
}

void
summary_fini(struct summary *s)
{
	if (s == NULL)
		return;
	free(s->ests);
	free(s->top);
	free(s->cats);
	free(s->regions);
	free(s->rules);
	free(s->trend);
	memset(s, 0, sizeof(*s));
}

int
summary_write(struct store *st, const struct report_opts *opts,
    struct vg_err *err)
{
	struct report_ctx	 ctx;
	struct summary		 s;
	struct rep_pool		*pool = NULL;
	const char		*fmt = opts->format != NULL ? opts->format :
				    "html";
	int			 rc = -1;

	memset(&ctx, 0, sizeof(ctx));
	memset(&s, 0, sizeof(s));
	ctx.store = st;
	ctx.opts = opts;
	ctx.outdir = opts->outdir;
	ctx.link_ext = "html";
	if (strcmp(fmt, "html") != 0 && strcmp(fmt, "csv") != 0) {
		vg_err_set(err, "--summary", "the summary is written as html "
		    "or csv, not '%s'", fmt);
		return -1;
	}
	if (opts->establishment != NULL) {
		vg_err_set(err, "--summary", "the summary covers every "
		    "establishment: --establishment does not apply");
		return -1;
	}
	if ((ctx.cat = msg_catalog_find(opts->lang)) == NULL) {
		vg_err_set(err, "--lang", "unknown language '%s' (fr, en)",
		    opts->lang);
		return -1;
	}
	if (ctx.outdir == NULL || ctx.outdir[0] == '\0') {
		vg_err_set(err, "--out", "no output directory given");
		return -1;
	}
	if ((pool = rep_pool_new(REPORT_POOL_MAX)) == NULL) {
		vg_err_set(err, store_path(st), "out of memory");
		return -1;
	}
	if (rep_load_scan(&ctx, pool, err) == -1 ||
	    summary_build(&ctx, pool, &s, err) == -1 ||
	    rep_make_dirs(ctx.outdir, err) == -1)
		goto out;
	if ((strcmp(fmt, "html") == 0 ? summary_html(&ctx, &s, err) :
	    summary_csv(&ctx, &s, err)) == -1)
		goto out;
	rc = ctx.nfiles;
out:
	rep_out_abort(&ctx);
	summary_fini(&s);
	rep_pool_free(pool);
	return rc;
}
