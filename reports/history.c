/*
 * history.c - a report's past: the complete scans before its scan, and
 * what they say of one establishment (its trend; since when each of its
 * findings has been seen; which came back after a fix).
 *
 * A finding's identity across scans is (establishment, fid), as for the
 * diff.  Scans where the establishment was not scanned say nothing of
 * its findings: they neither fix nor interrupt one.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/store.h"

/* A finding of the report's scan, by fid, and what its past says. */
struct past {
	char		*fid;
	uint64_t	 present;
	const char	*since;
	bool		 reappeared;
};

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
	vg_err_set(err, store_path(ctx->store), "out of memory reading the "
	    "history");
	return -1;
}

time_t
rep_iso_time(const char *iso)
{
	struct tm	tm;
	int		n = 0;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ%n",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec, &n) != 6 || iso[n] != '\0')
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

int
rep_history_load(struct report_ctx *ctx, struct rep_pool *pool,
    struct rep_history *h, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	int64_t		 id[SUMMARY_HISTORY_MAX];
	const char	*st[SUMMARY_HISTORY_MAX];
	size_t		 n = 0, i;
	int		 step, rc = -1;

	memset(h, 0, sizeof(*h));
	if (sqlite3_prepare_v2(store_sqlite(ctx->store), "SELECT id, started "
	    "FROM scans WHERE status = 'complete' AND id < ?1 ORDER BY id "
	    "DESC LIMIT ?2", -1, &q, NULL) != SQLITE_OK)
		return db_fail(ctx, err, "scans");
	sqlite3_bind_int64(q, 1, ctx->scan.id);
	sqlite3_bind_int(q, 2, SUMMARY_HISTORY_MAX - 1);
	while ((step = sqlite3_step(q)) == SQLITE_ROW &&
	    n < SUMMARY_HISTORY_MAX - 1) {
		id[n] = sqlite3_column_int64(q, 0);
		st[n] = rep_pool_strdup(pool,
		    (const char *)sqlite3_column_text(q, 1));
		n++;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_fail(ctx, err, "scans");
		goto out;
	}
	for (i = n; i > 0; i--) {
		h->id[h->n] = id[i - 1];
		h->started[h->n] = st[i - 1];
		h->t[h->n] = rep_iso_time(st[i - 1]);
		h->n++;
	}
	h->id[h->n] = ctx->scan.id;
	h->started[h->n] = ctx->scan.started;
	h->t[h->n] = rep_iso_time(ctx->scan.started);
	h->n++;
	if (!rep_pool_ok(pool)) {
		oom(ctx, err);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

size_t
rep_history_index(const struct rep_history *h, int64_t id)
{
	size_t	lo = 0, hi = h->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n && h->id[lo] == id ? lo : SIZE_MAX;
}

static int
past_cmp(const void *a, const void *b)
{
	return strcmp(((const struct past *)a)->fid,
	    ((const struct past *)b)->fid);
}

static const struct past *
past_find(const struct past *v, size_t n, const char *fid)
{
	struct past	key;

	if (fid == NULL || n == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.fid = (char *)(uintptr_t)fid;
	return bsearch(&key, v, n, sizeof(*v), past_cmp);
}

static void
past_free(struct past *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].fid);
	free(v);
}

/* The scans of the history the establishment was in. */
static int
scanned_mask(struct report_ctx *ctx, const struct rep_history *h,
    const char *est, uint64_t *mask, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	size_t		 i;
	int		 step;

	*mask = 0;
	if (sqlite3_prepare_v2(store_sqlite(ctx->store), "SELECT scan FROM "
	    "establishments WHERE id = ?1 AND scan >= ?2 AND scan <= ?3", -1,
	    &q, NULL) != SQLITE_OK)
		return db_fail(ctx, err, "establishments");
	sqlite3_bind_text(q, 1, est, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, h->id[0]);
	sqlite3_bind_int64(q, 3, h->id[h->n - 1]);
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if ((i = rep_history_index(h, sqlite3_column_int64(q,
		    0))) != SIZE_MAX)
			*mask |= (uint64_t)1 << i;
	sqlite3_finalize(q);
	if (step != SQLITE_DONE)
		return db_fail(ctx, err, "establishments");
	return 0;
}

int
rep_est_history(struct report_ctx *ctx, const struct rep_history *h,
    struct rep_est *est, struct diff *d, struct vg_err *err)
{
	sqlite3_stmt		*q = NULL;
	struct past		*v = NULL, *nv;
	const struct past	*p;
	struct sum_episode	 ep[SUMMARY_HISTORY_MAX];
	const char		*fid, *sevs;
	enum fp_severity	 sev;
	uint64_t		 scanned;
	size_t			 n = 0, cap = 0, i, k, nep, first, last;
	size_t			 slot[SUMMARY_HISTORY_MAX];
	int			 step, rc = -1;

	if (h->n == 0)
		return 0;
	last = h->n - 1;
	if (scanned_mask(ctx, h, est->id, &scanned, err) == -1)
		return -1;
	/* The trend: the last scans the establishment was in. */
	for (i = h->n, k = 0; i > 0 && k < SUMMARY_TREND_MAX; i--)
		if ((scanned >> (i - 1) & 1) != 0)
			k++;
	if (k > 0 && (est->trend = calloc(k, sizeof(*est->trend))) == NULL)
		return oom(ctx, err);
	for (i = 0; i < h->n; i++)
		slot[i] = SIZE_MAX;
	for (i = h->n, first = k; i > 0 && first > 0; i--) {
		if ((scanned >> (i - 1) & 1) == 0)
			continue;
		first--;
		slot[i - 1] = first;
		est->trend[first].scan = h->id[i - 1];
		est->trend[first].started = h->started[i - 1];
	}
	est->ntrend = k;

	if (sqlite3_prepare_v2(store_sqlite(ctx->store), "SELECT fid, scan, "
	    "severity FROM findings WHERE establishment = ?1 AND scan >= ?2 "
	    "AND scan <= ?3 ORDER BY fid, scan", -1, &q, NULL) != SQLITE_OK)
		return db_fail(ctx, err, "findings");
	sqlite3_bind_text(q, 1, est->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, h->id[0]);
	sqlite3_bind_int64(q, 3, h->id[last]);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fid = (const char *)sqlite3_column_text(q, 0);
		i = rep_history_index(h, sqlite3_column_int64(q, 1));
		if (fid == NULL || i == SIZE_MAX)
			continue;
		if (slot[i] != SIZE_MAX) {
			sevs = (const char *)sqlite3_column_text(q, 2);
			if (sevs == NULL || fp_severity_parse(sevs, &sev) == -1)
				sev = FP_SEV_INFO;
			est->trend[slot[i]].counts[sev]++;
		}
		if (n == 0 || strcmp(v[n - 1].fid, fid) != 0) {
			if ((nv = rep_grow(v, &cap, n, sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
			memset(&v[n], 0, sizeof(v[n]));
			if ((v[n].fid = strdup(fid)) == NULL)
				goto nomem;
			n++;
		}
		v[n - 1].present |= (uint64_t)1 << i;
	}
	if (step != SQLITE_DONE) {
		db_fail(ctx, err, "findings");
		goto out;
	}
	/* Rows come sorted by fid, so v is too. */
	for (i = 0; i < n; i++) {
		if ((v[i].present >> last & 1) == 0)
			continue;
		nep = summary_episodes(scanned | (uint64_t)1 << last,
		    v[i].present, h->n, ep, SUMMARY_HISTORY_MAX);
		if (nep == 0 || nep > SUMMARY_HISTORY_MAX)
			continue;
		v[i].since = h->started[ep[nep - 1].first];
		v[i].reappeared = ep[nep - 1].reappeared;
	}
	for (i = 0; i < est->nfindings; i++) {
		if ((p = past_find(v, n, est->findings[i].fid)) == NULL)
			continue;
		est->findings[i].since = p->since;
		est->findings[i].reappeared = p->reappeared;
	}
	for (i = 0; d != NULL && i < d->n; i++) {
		if (d->v[i].kind == DIFF_FIXED ||
		    (p = past_find(v, n, d->v[i].fid)) == NULL)
			continue;
		d->v[i].since = p->since;
		d->v[i].reappeared = p->reappeared;
	}
	rc = 0;
	goto out;
nomem:
	oom(ctx, err);
out:
	sqlite3_finalize(q);
	past_free(v, n);
	return rc;
}
