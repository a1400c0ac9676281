/*
 * diff.c - what changed between two scans.
 *
 * A finding is the same in both scans when its (establishment, fid)
 * pair is: the fid hashes the address, port, rule and evidence
 * (finding_identity() in fp.h).  Only establishments present in both
 * scans are compared: one missing from a scan was not scanned, and its
 * findings are neither fixed nor new.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define DIFF_KIND_WIDTH	10	/* columns of "persisting" */
#define DIFF_SEV_WIDTH	8	/* columns of "critical" */

/*
 * The three kinds in one statement; ?1 from, ?2 to, ?3 the one
 * establishment when there is one.  The filter goes into every branch
 * (F on findings, A on establishments): a report asks this once per
 * establishment, and must not read the whole scan each time.
 */
#define DIFF_SQL(P, F, A)						\
    "WITH common(id) AS (SELECT a.id FROM establishments a"		\
    " WHERE a.scan = ?1" A " AND EXISTS (SELECT 1 FROM establishments b" \
    " WHERE b.scan = ?2 AND b.id = a.id)) "				\
    "SELECT k, x.establishment, (SELECT e.name FROM establishments e"	\
    " WHERE e.scan = ?2 AND e.id = x.establishment), x.fid, x.rule,"	\
    " x.severity, x.ip, x.port, x.proto, x.theme, x.title_fr, x.title_en " \
    "FROM (SELECT 0 AS k, f.* FROM findings f WHERE " P "f.scan = ?2" F	\
    " AND NOT EXISTS (SELECT 1 FROM findings g WHERE g.scan = ?1"	\
    " AND g.fid = f.fid AND g.establishment = f.establishment)"		\
    " UNION ALL"							\
    " SELECT 1, f.* FROM findings f WHERE " P "f.scan = ?1" F		\
    " AND NOT EXISTS (SELECT 1 FROM findings g WHERE g.scan = ?2"	\
    " AND g.fid = f.fid AND g.establishment = f.establishment)"		\
    " UNION ALL"							\
    " SELECT 2, f.* FROM findings f WHERE " P "f.scan = ?2" F		\
    " AND EXISTS (SELECT 1 FROM findings g WHERE g.scan = ?1"		\
    " AND g.fid = f.fid AND g.establishment = f.establishment)) x "	\
    "WHERE x.establishment IN (SELECT id FROM common)"

/* For one establishment, "+f.scan" keeps SQLite from walking the whole
 * scan through the primary key: findings_est finds its few rows. */
static const char	diff_sql_all[] = DIFF_SQL("", "", "");
static const char	diff_sql_one[] = DIFF_SQL("+",
			    " AND f.establishment = ?3", " AND a.id = ?3");

/* Establishments of scan ?1 missing from scan ?2. */
#define ONLY_SQL(A)							\
    "SELECT count(*) FROM establishments a WHERE a.scan = ?1" A		\
    " AND NOT EXISTS (SELECT 1 FROM establishments b WHERE b.scan = ?2"	\
    " AND b.id = a.id)"

static const char	only_sql_all[] = ONLY_SQL("");
static const char	only_sql_one[] = ONLY_SQL(" AND a.id = ?3");

static char *
col_dup(sqlite3_stmt *q, int i, bool *oom)
{
	const char	*s = (const char *)sqlite3_column_text(q, i);
	char		*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = true;
	return d;
}

static void
item_fini(struct diff_item *it)
{
	free(it->est);
	free(it->est_name);
	free(it->fid);
	free(it->rule);
	free(it->severity);
	free(it->ip);
	free(it->proto);
	free(it->theme);
	free(it->title_fr);
	free(it->title_en);
}

void
diff_fini(struct diff *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		item_fini(&d->v[i]);
	free(d->v);
	free(d->from_started);
	free(d->to_started);
	memset(d, 0, sizeof(*d));
}

static int
str_cmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
ip_cmp(const char *a, const char *b)
{
	struct vg_addr	x, y;

	if (a != NULL && b != NULL && addr_parse(a, &x) == 0 &&
	    addr_parse(b, &y) == 0)
		return addr_cmp(&x, &y);
	return str_cmp(a, b);
}

static int
item_cmp(const void *va, const void *vb)
{
	const struct diff_item	*a = va, *b = vb;
	int			 c;

	if ((c = str_cmp(a->est, b->est)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if ((c = str_cmp(a->rule, b->rule)) != 0)
		return c;
	if ((c = ip_cmp(a->ip, b->ip)) != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return str_cmp(a->fid, b->fid);
}

/* The start date of a scan, or NULL with err set when it is not there. */
static int
scan_started(struct store *st, int64_t id, char **out, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	int		 rc = -1;

	*out = NULL;
	if (sqlite3_prepare_v2(store_sqlite(st), "SELECT started FROM scans "
	    "WHERE id = ?", -1, &q, NULL) != SQLITE_OK) {
		vg_err_set(err, store_path(st), "cannot read scans: %s",
		    sqlite3_errmsg(store_sqlite(st)));
		goto out;
	}
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		vg_err_set(err, store_path(st), "scan %lld not found",
		    (long long)id);
		goto out;
	}
	if ((*out = strdup((const char *)sqlite3_column_text(q, 0) != NULL ?
	    (const char *)sqlite3_column_text(q, 0) : "")) == NULL) {
		vg_err_set(err, store_path(st), "out of memory");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

static int
count_only(struct store *st, int64_t a, int64_t b, const char *est,
    size_t *out, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	int		 rc = -1;

	if (sqlite3_prepare_v2(store_sqlite(st), est != NULL ? only_sql_one :
	    only_sql_all, -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	if (est != NULL)
		sqlite3_bind_text(q, 3, est, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) != SQLITE_ROW)
		goto fail;
	*out = (size_t)sqlite3_column_int64(q, 0);
	rc = 0;
	goto out;
fail:
	vg_err_set(err, store_path(st), "cannot read establishments: %s",
	    sqlite3_errmsg(store_sqlite(st)));
out:
	sqlite3_finalize(q);
	return rc;
}

int
diff_compute(struct store *st, int64_t from, int64_t to, const char *est,
    struct diff *d, struct vg_err *err)
{
	sqlite3_stmt		*q = NULL;
	struct diff_item	*it, *nv;
	size_t			 cap = 0;
	const char		*s;
	bool			 oom = false;
	int			 rc = -1, step;

	memset(d, 0, sizeof(*d));
	d->from = from;
	d->to = to;
	if (scan_started(st, from, &d->from_started, err) == -1 ||
	    scan_started(st, to, &d->to_started, err) == -1 ||
	    count_only(st, from, to, est, &d->nonly_from, err) == -1 ||
	    count_only(st, to, from, est, &d->nonly_to, err) == -1)
		goto out;
	if (sqlite3_prepare_v2(store_sqlite(st), est != NULL ? diff_sql_one :
	    diff_sql_all, -1, &q, NULL) != SQLITE_OK)
		goto dbfail;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	if (est != NULL)
		sqlite3_bind_text(q, 3, est, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (d->n >= REPORT_ROWS_MAX) {
			vg_err_set(err, store_path(st), "more than %u changed "
			    "findings; refusing", REPORT_ROWS_MAX);
			goto out;
		}
		if (d->n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((nv = reallocarray(d->v, cap, sizeof(*nv))) ==
			    NULL) {
				oom = true;
				break;
			}
			d->v = nv;
		}
		it = &d->v[d->n++];
		memset(it, 0, sizeof(*it));
		it->kind = (enum diff_kind)sqlite3_column_int(q, 0);
		it->est = col_dup(q, 1, &oom);
		it->est_name = col_dup(q, 2, &oom);
		it->fid = col_dup(q, 3, &oom);
		it->rule = col_dup(q, 4, &oom);
		it->severity = col_dup(q, 5, &oom);
		it->ip = col_dup(q, 6, &oom);
		it->port = sqlite3_column_int(q, 7);
		it->proto = col_dup(q, 8, &oom);
		it->theme = col_dup(q, 9, &oom);
		it->title_fr = col_dup(q, 10, &oom);
		it->title_en = col_dup(q, 11, &oom);
		if ((s = it->severity) == NULL ||
		    fp_severity_parse(s, &it->sev) == -1)
			it->sev = FP_SEV_INFO;
		if (it->kind == DIFF_NEW)
			d->nnew++;
		else if (it->kind == DIFF_FIXED)
			d->nfixed++;
		else
			d->npersisting++;
		if (oom)
			break;
	}
	if (oom) {
		vg_err_set(err, store_path(st), "out of memory");
		goto out;
	}
	if (step != SQLITE_DONE)
		goto dbfail;
	if (d->n > 0)
		qsort(d->v, d->n, sizeof(*d->v), item_cmp);
	rc = 0;
	goto out;
dbfail:
	vg_err_set(err, store_path(st), "cannot read findings: %s",
	    sqlite3_errmsg(store_sqlite(st)));
out:
	sqlite3_finalize(q);
	if (rc == -1)
		diff_fini(d);
	return rc;
}

/* The last complete scan, before `before` when not 0; 0 when none. */
static int
last_complete(struct store *st, int64_t before, int64_t *out,
    struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	int		 rc = -1;

	if (sqlite3_prepare_v2(store_sqlite(st), "SELECT max(id) FROM scans "
	    "WHERE status = 'complete' AND (?1 = 0 OR id < ?1)", -1, &q,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, before);
	if (sqlite3_step(q) != SQLITE_ROW)
		goto fail;
	*out = sqlite3_column_int64(q, 0);	/* NULL reads as 0 */
	rc = 0;
	goto out;
fail:
	vg_err_set(err, store_path(st), "cannot read scans: %s",
	    sqlite3_errmsg(store_sqlite(st)));
out:
	sqlite3_finalize(q);
	return rc;
}

int
diff_resolve(struct store *st, int64_t *from, int64_t *to,
    struct vg_err *err)
{
	if (*to == 0) {
		if (last_complete(st, 0, to, err) == -1)
			return -1;
		if (*to == 0) {
			vg_err_set(err, store_path(st), "no complete scan to "
			    "compare; a diff needs two");
			return -1;
		}
	}
	if (*from == 0) {
		if (last_complete(st, *to, from, err) == -1)
			return -1;
		if (*from == 0) {
			vg_err_set(err, store_path(st), "only one complete "
			    "scan before scan %lld; a diff needs two",
			    (long long)*to);
			return -1;
		}
	}
	if (*from == *to) {
		vg_err_set(err, store_path(st), "cannot compare scan %lld "
		    "with itself", (long long)*from);
		return -1;
	}
	return 0;
}

/* Print s and pad it to `width` columns (UTF-8 aware). */
static void
put_padded(FILE *out, const char *s, size_t width)
{
	size_t	cols = 0, i;

	esc_term(out, s);
	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	while (cols++ < width)
		fputc(' ', out);
}

static void
put_msg(FILE *out, const struct msg_catalog *cat, enum msg_id id,
    const char *const *args, size_t nargs)
{
	char	*s;

	if ((s = msg_fmt(msg_get(cat, id), args, nargs)) == NULL)
		return;
	esc_term(out, s);
	fputc('\n', out);
	free(s);
}

static void
put_item(FILE *out, const struct msg_catalog *cat,
    const struct diff_item *it)
{
	struct vg_addr	a;
	char		ep[ENDPOINT_STRLEN];
	const char	*where = it->ip != NULL ? it->ip : "";

	if (it->ip != NULL && it->port > 0 && it->port <= 65535 &&
	    addr_parse(it->ip, &a) == 0)
		where = endpoint_str(&a, (uint16_t)it->port, ep);
	fputs(it->kind == DIFF_NEW ? "  + " : "  - ", out);
	put_padded(out, msg_get(cat, it->kind == DIFF_NEW ? MSG_DIFF_NEW :
	    MSG_DIFF_FIXED), DIFF_KIND_WIDTH);
	fputc(' ', out);
	put_padded(out, fp_severity_str(it->sev), DIFF_SEV_WIDTH);
	fputc(' ', out);
	esc_term(out, it->rule);
	fputc(' ', out);
	esc_term(out, where);
	fputc('\n', out);
}

int
diff_print_lang(struct store *st, int64_t from, int64_t to,
    const char *lang, FILE *out, struct vg_err *err)
{
	const struct msg_catalog	*cat;
	struct diff			 d;
	const char			*args[4];
	char				 n1[24], n2[24], n3[24], n4[24];
	size_t				 i, j, k, persisting, nest = 0;
	bool				 changed;

	if ((cat = msg_catalog_find(lang)) == NULL) {
		vg_err_set(err, "--lang", "unknown language '%s' (fr, en)",
		    lang);
		return -1;
	}
	if (diff_resolve(st, &from, &to, err) == -1 ||
	    diff_compute(st, from, to, NULL, &d, err) == -1)
		return -1;
	snprintf(n1, sizeof(n1), "%lld", (long long)d.from);
	snprintf(n3, sizeof(n3), "%lld", (long long)d.to);
	args[0] = n1;
	args[1] = d.from_started;
	args[2] = n3;
	args[3] = d.to_started;
	put_msg(out, cat, MSG_DIFF_HEADER, args, 4);

	for (i = 0; i < d.n; i = j) {
		/* One establishment: [i, j). */
		persisting = 0;
		changed = false;
		for (j = i; j < d.n && str_cmp(d.v[j].est, d.v[i].est) == 0;
		    j++) {
			if (d.v[j].kind == DIFF_PERSISTING)
				persisting++;
			else
				changed = true;
		}
		if (!changed)
			continue;
		nest++;
		esc_term(out, d.v[i].est);
		fputc(' ', out);
		esc_term(out, d.v[i].est_name);
		fputc('\n', out);
		for (k = i; k < j; k++)
			if (d.v[k].kind != DIFF_PERSISTING)
				put_item(out, cat, &d.v[k]);
		if (persisting > 0) {
			fputs("  = ", out);
			put_padded(out, msg_get(cat, MSG_DIFF_PERSISTING),
			    DIFF_KIND_WIDTH);
			fprintf(out, " %zu\n", persisting);
		}
	}
	if (nest == 0)
		put_msg(out, cat, MSG_DIFF_NO_CHANGE, NULL, 0);
	if (d.nonly_from > 0) {
		snprintf(n1, sizeof(n1), "%zu", d.nonly_from);
		snprintf(n2, sizeof(n2), "%lld", (long long)d.to);
		args[0] = n1;
		args[1] = n2;
		put_msg(out, cat, MSG_DIFF_ONLY_FROM, args, 2);
	}
	if (d.nonly_to > 0) {
		snprintf(n1, sizeof(n1), "%zu", d.nonly_to);
		snprintf(n2, sizeof(n2), "%lld", (long long)d.to);
		args[0] = n1;
		args[1] = n2;
		put_msg(out, cat, MSG_DIFF_ONLY_TO, args, 2);
	}
	snprintf(n1, sizeof(n1), "%zu", d.nnew);
	snprintf(n2, sizeof(n2), "%zu", d.nfixed);
	snprintf(n3, sizeof(n3), "%zu", d.npersisting);
	snprintf(n4, sizeof(n4), "%zu", nest);
	args[0] = n1;
	args[1] = n2;
	args[2] = n3;
	args[3] = n4;
	put_msg(out, cat, MSG_DIFF_SUMMARY, args, 4);
	diff_fini(&d);
	if (fflush(out) == EOF || ferror(out)) {
		vg_err_set(err, "output", "write error");
		return -1;
	}
	return 0;
}

int
diff_print(struct store *st, int64_t from, int64_t to, FILE *out,
    struct vg_err *err)
{
	return diff_print_lang(st, from, to, "en", out, err);
}
