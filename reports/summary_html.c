/*
 * summary_html.c - the national summary as one self-contained page,
 * summary.html, for the CERT's analysts: key figures first, then the
 * trend, the establishments to call first, the breakdowns by category,
 * region and kind of finding, and the time findings take to be fixed.
 *
 * The same rules as the per-establishment pages (fmt_html.c, whose
 * pieces it uses): inline CSS and SVG, no script, no external resource,
 * a Content-Security-Policy that forbids both, every untrusted string
 * (names and regions from the registry, titles from the store) escaped.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/err.h"

#define SUM_FILE	"summary.html"
#define TREND_H		250	/* px of the trend chart */
#define BAR_W		120	/* px of the widest inline bar */
#define DATE_MAX	96

static const char	sum_css[] =
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(150px,1fr));gap:12px;margin:12px 0 18px}\n"
    ".kpi{border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "background:#fafbfc}\n"
    ".kpi b{display:block;font-size:26px;line-height:1.2;"
    "font-variant-numeric:tabular-nums}\n"
    ".kpi span{color:var(--muted);font-size:13px}\n"
    ".kpi.alert b{color:var(--critical)}\n"
    ".kpi small{color:var(--muted);font-size:12.5px;margin-left:4px}\n"
    "td.bar{width:130px}\n"
    ".wrap{max-width:1240px}\n"
    "td.name{min-width:180px}\n"
    "table.wide{font-size:13px}"
    "table.wide td,table.wide th{padding:5px 6px}\n"
    ".nw{white-space:nowrap}\n"
    ".rule{font-size:12px;color:var(--muted)}\n";

static void
h(struct report_ctx *c, const char *markup)
{
	fputs(markup, c->out);
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

/* "12 j", or a dash when there is nothing to say. */
static void
days(struct report_ctx *c, double d, bool have)
{
	char	buf[32];

	if (!have) {
		html_msg(c, MSG_SUM_NA);
		return;
	}
	snprintf(buf, sizeof(buf), "%.0f", d);
	html_msgf(c, MSG_SUM_DAYS, buf, NULL, NULL, NULL);
}

static void
th(struct report_ctx *c, enum msg_id id, bool numeric)
{
	h(c, numeric ? "<th class=\"num\">" : "<th>");
	html_msg(c, id);
	h(c, "</th>");
}

static void
sev_ths(struct report_ctx *c)
{
	int	s;

	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		th(c, (enum msg_id)(MSG_SEV_INFO + s), true);
}

static void
td_num(struct report_ctx *c, size_t n)
{
	fprintf(c->out, "<td class=\"num%s\">%zu</td>", n == 0 ? " zero" :
	    "", n);
}

static void
sev_tds(struct report_ctx *c, const size_t counts[REPORT_NSEV])
{
	int	s;

	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		td_num(c, counts[s]);
}

/* One horizontal bar, its length the share of `max`, split by
 * severity. */
static void
stack_bar(struct report_ctx *c, const size_t counts[REPORT_NSEV],
    size_t max)
{
	long	x = 0, w;
	int	s;

	fprintf(c->out, "<svg width=\"%d\" height=\"14\" viewBox=\"0 0 %d 14\" "
	    "aria-hidden=\"true\"><rect width=\"%d\" height=\"14\" rx=\"2\" "
	    "fill=\"#eef2f6\"/>", BAR_W, BAR_W, BAR_W);
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO && max > 0; s--) {
		if (counts[s] == 0)
			continue;
		w = (long)(counts[s] * BAR_W / max);
		if (w < 2)
			w = 2;
		if (x + w > BAR_W)
			w = BAR_W - x;
		fprintf(c->out, "<rect x=\"%ld\" width=\"%ld\" height=\"14\" "
		    "fill=\"%s\"/>", x, w,
		    html_sev_color((enum fp_severity)s));
		x += w;
	}
	h(c, "</svg>");
}

static void
kpi(struct report_ctx *c, bool alert, const char *value, const char *extra,
    enum msg_id label)
{
	fprintf(c->out, "<div class=\"kpi%s\"><b>", alert ? " alert" : "");
	html_text(c, value);
	if (extra != NULL) {
		h(c, "<small>");
		html_text(c, extra);
		h(c, "</small>");
	}
	h(c, "</b><span>");
	html_msg(c, label);
	h(c, "</span></div>\n");
}

static void
overview(struct report_ctx *c, const struct summary *s)
{
	char	n1[24], n2[24], n3[24], pct[24], d[DATE_MAX], *txt;
	const char *args[1];

	html_section(c, "overview", "1.", MSG_SUM_OVERVIEW_H);
	snprintf(n1, sizeof(n1), "%lld", (long long)c->scan.id);
	snprintf(n3, sizeof(n3), "%zu", s->nhistory);
	h(c, "<p>");
	html_msgf(c, MSG_SUM_INTRO, n1, html_date(c, c->scan.started, d,
	    sizeof(d)), n3, NULL);
	h(c, "</p>\n<div class=\"kpis\">\n");
	snprintf(n1, sizeof(n1), "%zu", s->nests);
	kpi(c, false, n1, NULL, MSG_SUM_KPI_ESTS);
	snprintf(n2, sizeof(n2), "%zu", s->nexposed);
	snprintf(pct, sizeof(pct), "%zu %%", s->nests == 0 ? 0 :
	    (s->nexposed * 100 + s->nests / 2) / s->nests);
	kpi(c, false, n2, pct, MSG_SUM_KPI_EXPOSED);
	snprintf(n3, sizeof(n3), "%zu", s->ncritical);
	kpi(c, s->ncritical > 0, n3, NULL, MSG_SUM_KPI_CRITICAL);
	snprintf(n1, sizeof(n1), "%zu", s->nfindings);
	kpi(c, false, n1, NULL, MSG_SUM_KPI_FINDINGS);
	if (s->ttf[REPORT_NSEV].nfixed > 0) {
		snprintf(n2, sizeof(n2), "%.0f", s->ttf[REPORT_NSEV].median);
		args[0] = n2;
		txt = msg_fmt(msg_get(c->cat, MSG_SUM_DAYS), args, 1);
		kpi(c, false, txt != NULL ? txt : n2, NULL, MSG_SUM_KPI_TTF);
		free(txt);
	} else {
		kpi(c, false, msg_get(c->cat, MSG_SUM_NA), NULL,
		    MSG_SUM_KPI_TTF);
	}
	h(c, "</div>\n<div class=\"summary\">\n");
	html_counts_table(c, s->counts);
	html_sev_chart(c, s->counts);
	h(c, "</div>\n</section>\n");
}

static void
trend(struct report_ctx *c, const struct summary *s)
{
	const struct sum_point	*p;
	struct rep_trend_point	*pts;
	char			 d[DATE_MAX];
	size_t			 i;

	html_section(c, "trend", "2.", MSG_SUM_TREND_H);
	h(c, "<p>");
	html_msg(c, MSG_SUM_TREND_INTRO);
	h(c, "</p>\n");
	if (s->ntrend < 2) {
		h(c, "<p class=\"meta\">");
		html_msg(c, MSG_SUM_TREND_ONE);
		h(c, "</p>\n");
	}
	html_sev_legend(c);
	if ((pts = calloc(s->ntrend, sizeof(*pts))) != NULL) {
		for (i = 0; i < s->ntrend; i++) {
			pts[i].scan = s->trend[i].scan;
			pts[i].started = s->trend[i].started;
			memcpy(pts[i].counts, s->trend[i].counts,
			    sizeof(pts[i].counts));
		}
		html_trend_chart(c, pts, s->ntrend, TREND_H);
		free(pts);
	}
	h(c, "<table class=\"wide\"><thead><tr>");
	th(c, MSG_SUM_COL_SCAN, false);
	th(c, MSG_SUM_COL_DATE, false);
	th(c, MSG_SUM_COL_ESTS, true);
	th(c, MSG_SUM_COL_EXPOSED, true);
	sev_ths(c);
	th(c, MSG_TOTAL, true);
	th(c, MSG_SUM_COL_NEW, true);
	th(c, MSG_SUM_COL_FIXED, true);
	h(c, "</tr></thead><tbody>\n");
	for (i = s->ntrend; i > 0; i--) {
		p = &s->trend[i - 1];
		fprintf(c->out, "<tr><td>%lld</td><td class=\"nw\">",
		    (long long)p->scan);
		msg_day(c->cat, p->started, d, sizeof(d));
		html_text(c, d);
		h(c, "</td>");
		td_num(c, p->nest);
		td_num(c, p->nexposed);
		sev_tds(c, p->counts);
		fprintf(c->out, "<td class=\"num\"><b>%zu</b></td>",
		    total(p->counts));
		if (p->compared) {
			fprintf(c->out, "<td class=\"num new\">+%zu</td>"
			    "<td class=\"num fixed\">−%zu</td>", p->nnew,
			    p->nfixed);
		} else {
			h(c, "<td class=\"num zero\">");
			html_msg(c, MSG_SUM_NA);
			h(c, "</td><td class=\"num zero\">");
			html_msg(c, MSG_SUM_NA);
			h(c, "</td>");
		}
		h(c, "</tr>\n");
	}
	h(c, "</tbody></table>\n</section>\n");
}

static void
top(struct report_ctx *c, const struct summary *s)
{
	const struct sum_est	*e;
	size_t			 i;

	html_section(c, "top", "3.", MSG_SUM_TOP_H);
	if (s->ntop == 0) {
		h(c, "<p>");
		html_msg(c, MSG_SUM_TOP_NONE);
		h(c, "</p>\n</section>\n");
		return;
	}
	h(c, "<p>");
	html_msg(c, MSG_SUM_TOP_INTRO);
	h(c, "</p>\n<table class=\"wide\"><thead><tr>");
	th(c, MSG_SUM_COL_RANK, true);
	th(c, MSG_COL_FINESS, false);
	th(c, MSG_COL_NAME, false);
	th(c, MSG_REGION, false);
	th(c, MSG_COL_LEVEL, false);
	sev_ths(c);
	th(c, MSG_COL_REPORT, false);
	h(c, "</tr></thead><tbody>\n");
	for (i = 0; i < s->ntop; i++) {
		e = s->top[i];
		fprintf(c->out, "<tr><td class=\"num\">%zu</td>"
		    "<td class=\"mono\">", i + 1);
		html_text(c, e->id);
		h(c, "</td><td class=\"name\">");
		html_text(c, e->name);
		h(c, "<br><span class=\"meta\">");
		html_text(c, msg_category(c->cat, e->category));
		h(c, "</span></td><td>");
		html_text(c, e->region);
		fprintf(c->out, "</td><td><span class=\"sev bg-%s\">",
		    rep_level_key(e->worst));
		html_text(c, msg_level(c->cat, e->worst));
		h(c, "</span></td>");
		sev_tds(c, e->counts);
		/* Ids are safe file names (report.c refuses others); the
		 * per-establishment pages sit beside this one when made
		 * into the same directory. */
		h(c, "<td>");
		if (esc_is_safe_name(e->id)) {
			h(c, "<a href=\"");
			esc_html_attr(c->out, e->id);
			h(c, ".html\">");
			html_msg(c, MSG_OPEN_REPORT);
			h(c, "</a>");
		}
		h(c, "</td></tr>\n");
	}
	h(c, "</tbody></table>\n</section>\n");
}

static void
groups(struct report_ctx *c, const char *id, const char *n,
    enum msg_id title, enum msg_id col, const struct sum_group *g,
    size_t ng, bool categories)
{
	size_t	i, max = 0, tot;

	for (i = 0; i < ng; i++)
		if ((tot = total(g[i].counts)) > max)
			max = tot;
	html_section(c, id, n, title);
	h(c, "<table class=\"wide\"><thead><tr>");
	th(c, col, false);
	th(c, MSG_SUM_COL_ESTS, true);
	th(c, MSG_SUM_COL_EXPOSED, true);
	th(c, MSG_SUM_COL_WITH_CRIT, true);
	sev_ths(c);
	th(c, MSG_TOTAL, true);
	h(c, "<th></th></tr></thead><tbody>\n");
	for (i = 0; i < ng; i++) {
		h(c, "<tr><td>");
		if (categories)
			html_text(c, msg_category(c->cat, g[i].key));
		else if (g[i].key == NULL || g[i].key[0] == '\0')
			html_msg(c, MSG_SUM_NOT_GIVEN);
		else
			html_text(c, g[i].key);
		h(c, "</td>");
		td_num(c, g[i].nest);
		td_num(c, g[i].nexposed);
		td_num(c, g[i].ncritical);
		sev_tds(c, g[i].counts);
		fprintf(c->out, "<td class=\"num\"><b>%zu</b></td>"
		    "<td class=\"bar\">", total(g[i].counts));
		stack_bar(c, g[i].counts, max);
		h(c, "</td></tr>\n");
	}
	h(c, "</tbody></table>\n</section>\n");
}

static void
rules(struct report_ctx *c, const struct summary *s)
{
	const struct sum_rule	*r;
	const char		*title;
	size_t			 i;

	html_section(c, "rules", "6.", MSG_SUM_RULE_H);
	if (s->nrules == 0) {
		h(c, "<p>");
		html_msg(c, MSG_SUM_TOP_NONE);
		h(c, "</p>\n</section>\n");
		return;
	}
	h(c, "<p>");
	html_msg(c, MSG_SUM_RULE_INTRO);
	h(c, "</p>\n<table class=\"wide\"><thead><tr>");
	th(c, MSG_SEVERITY, false);
	th(c, MSG_SUM_COL_TITLE, false);
	th(c, MSG_SUM_COL_FINDINGS, true);
	th(c, MSG_SUM_COL_ESTS_AFFECTED, true);
	h(c, "</tr></thead><tbody>\n");
	for (i = 0; i < s->nrules; i++) {
		r = &s->rules[i];
		title = rep_pick(c, r->title_fr, r->title_en);
		h(c, "<tr><td>");
		html_sev_badge(c, r->sev);
		h(c, "</td><td>");
		html_text(c, title[0] != '\0' ? title : r->rule);
		h(c, "<br><span class=\"rule mono\">");
		html_text(c, r->rule);
		h(c, "</span></td>");
		td_num(c, r->nfindings);
		td_num(c, r->nest);
		h(c, "</tr>\n");
	}
	h(c, "</tbody></table>\n</section>\n");
}

static void
ttf(struct report_ctx *c, const struct summary *s)
{
	const struct sum_ttf	*t;
	char			 n[24];
	int			 k;

	html_section(c, "time-to-fix", "7.", MSG_SUM_TTF_H);
	snprintf(n, sizeof(n), "%zu", s->nhistory);
	h(c, "<p>");
	html_msgf(c, MSG_SUM_TTF_INTRO, n, NULL, NULL, NULL);
	h(c, "</p>\n<table class=\"wide\"><thead><tr>");
	th(c, MSG_SEVERITY, false);
	th(c, MSG_SUM_COL_FIXED_N, true);
	th(c, MSG_SUM_COL_MEDIAN, true);
	th(c, MSG_SUM_COL_MEAN, true);
	th(c, MSG_SUM_COL_OPEN, true);
	th(c, MSG_SUM_COL_OPEN_AGE, true);
	th(c, MSG_SUM_COL_OLDEST, true);
	th(c, MSG_SUM_COL_REAPPEARED, true);
	h(c, "</tr></thead><tbody>\n");
	for (k = FP_SEV_CRITICAL; k >= -1; k--) {
		t = &s->ttf[k == -1 ? REPORT_NSEV : k];
		if (k == -1) {
			h(c, "<tr class=\"total\"><td>");
			html_msg(c, MSG_SUM_ALL);
		} else {
			h(c, "<tr><td>");
			html_sev_badge(c, (enum fp_severity)k);
		}
		h(c, "</td>");
		td_num(c, t->nfixed);
		h(c, "<td class=\"num\">");
		days(c, t->median, t->nfixed > 0);
		h(c, "</td><td class=\"num\">");
		days(c, t->mean, t->nfixed > 0);
		h(c, "</td>");
		td_num(c, t->nopen);
		h(c, "<td class=\"num\">");
		days(c, t->open_median, t->nopen > 0);
		h(c, "</td><td class=\"num\">");
		days(c, t->open_max, t->nopen > 0);
		h(c, "</td>");
		td_num(c, t->nreappeared);
		h(c, "</tr>\n");
	}
	h(c, "</tbody></table>\n</section>\n");
}

static const char *
status_text(const struct report_ctx *c, const char *status)
{
	if (status != NULL && strcmp(status, "complete") == 0)
		return msg_get(c->cat, MSG_STATUS_COMPLETE);
	if (status != NULL && strcmp(status, "running") == 0)
		return msg_get(c->cat, MSG_STATUS_RUNNING);
	return status;
}

static void
scan_info(struct report_ctx *c)
{
	char	d1[DATE_MAX], d2[DATE_MAX], id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	html_section(c, "scan", "8.", MSG_SUM_SCAN_H);
	h(c, "<dl class=\"kv\">\n");
	html_kv(c, MSG_METHOD_SCAN_ID, id);
	html_kv(c, MSG_METHOD_STARTED, html_date(c, c->scan.started, d1,
	    sizeof(d1)));
	html_kv(c, MSG_METHOD_FINISHED, c->scan.finished != NULL ?
	    html_date(c, c->scan.finished, d2, sizeof(d2)) : NULL);
	html_kv(c, MSG_METHOD_STATUS, status_text(c, c->scan.status));
	html_kv(c, MSG_METHOD_SOURCE, c->scan.source);
	html_kv(c, MSG_METHOD_PORTS, c->scan.ports);
	html_kv(c, MSG_METHOD_RULES, c->scan.rules_version);
	html_kv(c, MSG_METHOD_VERSION, c->scan.vigie_version);
	h(c, "</dl>\n<p class=\"meta\">");
	html_msg(c, MSG_SUM_FILES);
	h(c, "</p>\n</section>\n");
}

int
summary_html(struct report_ctx *c, const struct summary *s,
    struct vg_err *err)
{
	const char	*args[1];
	char		 id[24], *title;

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	args[0] = id;
	if ((title = msg_fmt(msg_get(c->cat, MSG_SUM_TITLE), args, 1)) ==
	    NULL) {
		vg_err_set(err, c->outdir, "out of memory");
		return -1;
	}
	if (rep_out_open(c, SUM_FILE, err) == -1) {
		free(title);
		return -1;
	}
	html_head(c, title, sum_css);
	html_banner(c, title, MSG_SUM_CONFIDENTIAL);
	free(title);
	overview(c, s);
	trend(c, s);
	top(c, s);
	groups(c, "categories", "4.", MSG_SUM_CAT_H, MSG_CATEGORY, s->cats,
	    s->ncats, true);
	groups(c, "regions", "5.", MSG_SUM_REGION_H, MSG_REGION, s->regions,
	    s->nregions, false);
	rules(c, s);
	ttf(c, s);
	scan_info(c);
	html_foot(c);
	return rep_out_commit(c, err);
}
