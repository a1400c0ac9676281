/*
 * summary_csv.c - the national summary as CSV, one file per table, for
 * the CERT's spreadsheets and dashboards:
 *
 *   summary-severities.csv   severity, findings, establishments
 *   summary-rules.csv        rule, severity, title, findings, establishments
 *   summary-categories.csv   category, establishments, exposed,
 *                            with_critical, critical ... info, findings
 *   summary-regions.csv      region, and the same columns
 *   summary-top.csv          rank, establishment, name, category, region,
 *                            critical ... info, findings
 *   summary-trend.csv        scan, started, establishments, exposed,
 *                            critical ... info, findings, new, fixed
 *   summary-time-to-fix.csv  severity, fixed, median_days, mean_days,
 *                            open, open_median_days, open_max_days,
 *                            reappeared
 *
 * Column names are stable (add, never rename).  Values are language
 * independent: severities and rules by their ids, dates in ISO 8601,
 * days with one decimal.  Every cell goes through esc_csv(), names from
 * the registry included.
 */
#include "report_internal.h"

#include <stdio.h>

#include "vigie/err.h"

static const char *const sev_cols[] = {
	"critical", "high", "medium", "low", "info",
};

static void
cell(FILE *fp, const char *s, bool last)
{
	esc_csv(fp, s);
	fputc(last ? '\n' : ',', fp);
}

static void
cell_u(FILE *fp, size_t n, bool last)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%zu", n);
	cell(fp, buf, last);
}

static void
cell_days(FILE *fp, double d, bool have, bool last)
{
	char	buf[32];

	buf[0] = '\0';
	if (have)
		snprintf(buf, sizeof(buf), "%.1f", d);
	cell(fp, buf, last);
}

static void
header(FILE *fp, const char *const *cols, size_t n, bool sevs,
    const char *const *after, size_t nafter)
{
	size_t	i;

	for (i = 0; i < n; i++)
		cell(fp, cols[i], !sevs && nafter == 0 && i == n - 1);
	for (i = 0; sevs && i < REPORT_NSEV; i++)
		cell(fp, sev_cols[i], nafter == 0 && i == REPORT_NSEV - 1);
	for (i = 0; i < nafter; i++)
		cell(fp, after[i], i == nafter - 1);
}

static size_t
total(const size_t counts[REPORT_NSEV])
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < REPORT_NSEV; i++)
		n += counts[i];
	return n;
}

/* critical ... info, then the total. */
static void
sev_cells(FILE *fp, const size_t counts[REPORT_NSEV], bool last)
{
	int	s;

	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		cell_u(fp, counts[s], false);
	cell_u(fp, total(counts), last);
}

static int
severities(struct report_ctx *c, const struct summary *s,
    struct vg_err *err)
{
	static const char *const	 cols[] = { "severity", "findings",
					     "establishments" };
	size_t				 i, n;
	int				 k;

	if (rep_out_open(c, "summary-severities.csv", err) == -1)
		return -1;
	header(c->out, cols, 3, false, NULL, 0);
	for (k = FP_SEV_CRITICAL; k >= FP_SEV_INFO; k--) {
		for (n = 0, i = 0; i < s->nests; i++)
			if (s->ests[i].counts[k] > 0)
				n++;
		cell(c->out, fp_severity_str((enum fp_severity)k), false);
		cell_u(c->out, s->counts[k], false);
		cell_u(c->out, n, true);
	}
	return rep_out_commit(c, err);
}

static int
rules(struct report_ctx *c, const struct summary *s, struct vg_err *err)
{
	static const char *const	 cols[] = { "rule", "severity",
					     "title", "findings",
					     "establishments" };
	const struct sum_rule		*r;
	size_t				 i;

	if (rep_out_open(c, "summary-rules.csv", err) == -1)
		return -1;
	header(c->out, cols, 5, false, NULL, 0);
	for (i = 0; i < s->nrules; i++) {
		r = &s->rules[i];
		cell(c->out, r->rule, false);
		cell(c->out, fp_severity_str(r->sev), false);
		cell(c->out, rep_pick(c, r->title_fr, r->title_en), false);
		cell_u(c->out, r->nfindings, false);
		cell_u(c->out, r->nest, true);
	}
	return rep_out_commit(c, err);
}

static int
groups(struct report_ctx *c, const char *file, const char *key,
    const struct sum_group *g, size_t n, struct vg_err *err)
{
	static const char *const	 after[] = { "findings" };
	const char			*cols[] = { key, "establishments",
					    "exposed", "with_critical" };
	size_t				 i;

	if (rep_out_open(c, file, err) == -1)
		return -1;
	header(c->out, cols, 4, true, after, 1);
	for (i = 0; i < n; i++) {
		cell(c->out, g[i].key, false);
		cell_u(c->out, g[i].nest, false);
		cell_u(c->out, g[i].nexposed, false);
		cell_u(c->out, g[i].ncritical, false);
		sev_cells(c->out, g[i].counts, true);
	}
	return rep_out_commit(c, err);
}

static int
top(struct report_ctx *c, const struct summary *s, struct vg_err *err)
{
	static const char *const	 cols[] = { "rank", "establishment",
					     "name", "category", "region" };
	static const char *const	 after[] = { "findings" };
	const struct sum_est		*e;
	size_t				 i;

	if (rep_out_open(c, "summary-top.csv", err) == -1)
		return -1;
	header(c->out, cols, 5, true, after, 1);
	for (i = 0; i < s->ntop; i++) {
		e = s->top[i];
		cell_u(c->out, i + 1, false);
		cell(c->out, e->id, false);
		cell(c->out, e->name, false);
		cell(c->out, e->category, false);
		cell(c->out, e->region, false);
		sev_cells(c->out, e->counts, true);
	}
	return rep_out_commit(c, err);
}

static int
trend(struct report_ctx *c, const struct summary *s, struct vg_err *err)
{
	static const char *const	 cols[] = { "scan", "started",
					     "establishments", "exposed" };
	static const char *const	 after[] = { "findings", "new",
					     "fixed" };
	const struct sum_point		*p;
	char				 id[24];
	size_t				 i;

	if (rep_out_open(c, "summary-trend.csv", err) == -1)
		return -1;
	header(c->out, cols, 4, true, after, 3);
	for (i = 0; i < s->ntrend; i++) {
		p = &s->trend[i];
		snprintf(id, sizeof(id), "%lld", (long long)p->scan);
		cell(c->out, id, false);
		cell(c->out, p->started, false);
		cell_u(c->out, p->nest, false);
		cell_u(c->out, p->nexposed, false);
		sev_cells(c->out, p->counts, false);
		if (p->compared) {
			cell_u(c->out, p->nnew, false);
			cell_u(c->out, p->nfixed, true);
		} else {
			cell(c->out, "", false);
			cell(c->out, "", true);
		}
	}
	return rep_out_commit(c, err);
}

static int
ttf(struct report_ctx *c, const struct summary *s, struct vg_err *err)
{
	static const char *const	 cols[] = { "severity", "fixed",
					     "median_days", "mean_days",
					     "open", "open_median_days",
					     "open_max_days", "reappeared" };
	const struct sum_ttf		*t;
	int				 k;

	if (rep_out_open(c, "summary-time-to-fix.csv", err) == -1)
		return -1;
	header(c->out, cols, 8, false, NULL, 0);
	for (k = REPORT_NSEV; k >= FP_SEV_INFO; k--) {
		t = &s->ttf[k];
		cell(c->out, k == REPORT_NSEV ? "all" :
		    fp_severity_str((enum fp_severity)k), false);
		cell_u(c->out, t->nfixed, false);
		cell_days(c->out, t->median, t->nfixed > 0, false);
		cell_days(c->out, t->mean, t->nfixed > 0, false);
		cell_u(c->out, t->nopen, false);
		cell_days(c->out, t->open_median, t->nopen > 0, false);
		cell_days(c->out, t->open_max, t->nopen > 0, false);
		cell_u(c->out, t->nreappeared, true);
	}
	return rep_out_commit(c, err);
}

int
summary_csv(struct report_ctx *c, const struct summary *s,
    struct vg_err *err)
{
	if (severities(c, s, err) == -1 || rules(c, s, err) == -1 ||
	    groups(c, "summary-categories.csv", "category", s->cats,
	    s->ncats, err) == -1 ||
	    groups(c, "summary-regions.csv", "region", s->regions,
	    s->nregions, err) == -1 ||
	    top(c, s, err) == -1 || trend(c, s, err) == -1 ||
	    ttf(c, s, err) == -1)
		return -1;
	return 0;
}
