/*
 * fmt_html.c - one self-contained HTML page per establishment
 * (<id>.html) and an index (index.html), written for two readers: the
 * establishment's management (summary, level, action plan) and its IT
 * team (technical detail, how the scan was made).
 *
 * Self-contained: inline CSS, an inline SVG chart, no script, no
 * external resource, so the file can be mailed, archived and printed
 * (A4).  A Content-Security-Policy forbids scripts and remote loads as
 * a second line of defence; the first is that every untrusted string
 * goes through esc_html() or esc_html_attr(), and every text of ours
 * comes from the message catalog, escaped as well.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define HTML_INDEX_FILE	"index.html"
#define CHART_ROW	28	/* px per bar of the severity chart */
#define CHART_LABEL	120	/* px for the labels */
#define CHART_BAR	330	/* px of the longest bar */
#define CHART_WIDTH	(CHART_LABEL + CHART_BAR + 60)
#define DATE_MAX	96
#define TREND_W		860	/* the trend charts' viewBox width */
#define TREND_LEFT	44	/* room for the y axis labels */
#define TREND_BOTTOM	34	/* room for the dates */
#define TREND_TOP	26	/* room for the totals */
#define TREND_COL_MAX	56	/* px of a column, at most */
#define TREND_TICKS	4
#define TREND_EST_H	200	/* px of an establishment's trend */
#define PRIORITIES_MAX	3	/* actions in the management summary */

/* CSS class suffixes and chart colours, by severity. */
static const char *const sev_class[REPORT_NSEV] = {
	[FP_SEV_INFO] = "info",
	[FP_SEV_LOW] = "low",
	[FP_SEV_MEDIUM] = "medium",
	[FP_SEV_HIGH] = "high",
	[FP_SEV_CRITICAL] = "critical",
};

static const char *const sev_color[REPORT_NSEV] = {
	[FP_SEV_INFO] = "#546e7a",
	[FP_SEV_LOW] = "#9a7b00",
	[FP_SEV_MEDIUM] = "#e65c00",
	[FP_SEV_HIGH] = "#c62828",
	[FP_SEV_CRITICAL] = "#6d0f1f",
};

static const char	css[] =
    ":root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9e2ec;--bg:#f3f5f8;"
    "--brand:#0b3a6e;--critical:#6d0f1f;--high:#c62828;--medium:#e65c00;"
    "--low:#9a7b00;--info:#546e7a;--none:#2e7d32}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\","
    "Roboto,\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);"
    "background:var(--bg)}\n"
    "header.top{background:var(--brand);color:#fff;padding:26px 0 20px;"
    "margin-bottom:22px}\n"
    ".wrap{max-width:1000px;margin:0 auto;padding:0 24px}\n"
    "main{padding-bottom:32px}\n"
    ".brand{font-size:12.5px;letter-spacing:.09em;text-transform:uppercase;"
    "opacity:.85}\n"
    "h1{font-size:25px;line-height:1.25;margin:6px 0 6px}\n"
    ".sub{opacity:.92;font-size:14px}\n"
    ".conf{font-size:12.5px;margin-top:12px;padding:6px 10px;"
    "border-left:3px solid #ffb300;background:rgba(255,255,255,.1)}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;"
    "padding:18px 24px;margin:0 0 18px}\n"
    "h2{font-size:19px;margin:0 0 12px;color:var(--brand);"
    "border-bottom:2px solid var(--line);padding-bottom:6px}\n"
    "h2 .n{display:inline-block;min-width:1.6em;color:var(--muted)}\n"
    "h3{font-size:16px;margin:18px 0 8px}\n"
    "p{margin:6px 0 10px}\n"
    ".warn{background:#fff4e5;border:1px solid #ffb74d;border-radius:8px;"
    "padding:10px 16px;margin:0 0 18px;font-weight:600}\n"
    ".summary{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:center}\n"
    ".lvl{min-width:170px;text-align:center;color:#fff;border-radius:8px;"
    "padding:12px 14px}\n"
    ".lvl small{display:block;font-size:11px;text-transform:uppercase;"
    "letter-spacing:.07em;opacity:.9}\n"
    ".lvl b{display:block;font-size:24px}\n"
    ".bg-critical{background:var(--critical)}.bg-high{background:var(--high)}"
    ".bg-medium{background:var(--medium)}.bg-low{background:var(--low)}"
    ".bg-info{background:var(--info)}.bg-none{background:var(--none)}\n"
    ".sev{display:inline-block;color:#fff;border-radius:4px;padding:0 7px;"
    "font-size:12px;font-weight:600;white-space:nowrap;line-height:20px}\n"
    "dl.kv{display:grid;grid-template-columns:max-content 1fr;"
    "gap:3px 18px;margin:10px 0}\n"
    "dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}\n"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "th{background:#eef2f6;font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.total td{font-weight:700}\n"
    "td.zero{color:#b0bac5}\n"
    ".counts{width:auto;min-width:240px}\n"
    ".prio{margin:6px 0 14px;padding-left:22px}"
    ".prio li{margin:5px 0;padding-left:2px}\n"
    ".item{border:1px solid var(--line);border-left:6px solid var(--info);"
    "border-radius:6px;padding:10px 14px;margin:10px 0;break-inside:avoid}\n"
    ".item.b-critical{border-left-color:var(--critical)}"
    ".item.b-high{border-left-color:var(--high)}"
    ".item.b-medium{border-left-color:var(--medium)}"
    ".item.b-low{border-left-color:var(--low)}\n"
    ".item h4{margin:0 0 4px;font-size:15px}\n"
    ".meta{color:var(--muted);font-size:13px}\n"
    ".mono,code{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,"
    "monospace;font-size:13px}\n"
    ".eps{margin:4px 0 0;padding:0;list-style:none;display:flex;"
    "flex-wrap:wrap;gap:4px 8px}\n"
    ".eps li{background:#eef2f6;border-radius:4px;padding:0 6px}\n"
    ".ev{background:#f7f9fb;border:1px solid var(--line);border-radius:4px;"
    "padding:4px 8px;margin:4px 0 8px;white-space:pre-wrap;"
    "overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,"
    "monospace;font-size:12.5px}\n"
    ".host{border-top:1px solid var(--line);padding-top:8px;margin-top:14px}\n"
    ".host h3{margin:6px 0 2px}\n"
    ".st{font-size:13px;font-weight:600;border-radius:4px;padding:1px 7px;"
    "margin-left:8px;background:#eef2f6;color:var(--muted)}\n"
    ".st-up{background:#e8f5e9;color:var(--none)}\n"
    "dl.fields{display:grid;grid-template-columns:max-content 1fr;"
    "gap:2px 12px;margin:6px 0;font-size:12.5px}\n"
    "dl.fields dt{color:var(--muted)}dl.fields dd{margin:0;"
    "overflow-wrap:anywhere}\n"
    "details{margin:4px 0 8px}summary{cursor:pointer;color:var(--muted);"
    "font-size:13px}\n"
    ".chg{margin:4px 0 10px;padding-left:20px}.chg li{margin:3px 0}\n"
    ".new{color:var(--high);font-weight:700}"
    ".fixed{color:var(--none);font-weight:700}\n"
    ".hist{margin-top:4px;font-size:13px;color:var(--muted)}\n"
    ".tag{display:inline-block;border-radius:4px;padding:0 6px;"
    "font-size:12px;font-weight:600}\n"
    ".tag.re{background:#fde7e9;color:var(--high)}\n"
    ".geo{margin:0 0 2px}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;"
    "margin:4px 0 6px}\n"
    ".legend i{display:inline-block;width:11px;height:11px;"
    "border-radius:2px;margin-right:5px;vertical-align:-1px}\n"
    "svg.trend{width:100%;height:auto;max-width:860px}\n"
    "a{color:#0b5cad}\n"
    "footer{color:var(--muted);font-size:12px;text-align:center;"
    "margin:18px 0 28px}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{*{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}body{background:#fff;font-size:12px}"
    ".wrap{max-width:none;padding:0}header.top{padding:14px 16px;"
    "border-radius:6px}section{border:none;padding:0;margin:0 0 16px}"
    "h2{break-after:avoid}.host,.item,tr{break-inside:avoid}"
    "details{display:none}a{color:inherit;text-decoration:none}"
    "svg.chart{width:380px;height:auto}.keep,svg.trend{break-inside:avoid}"
    "}\n";

/* Our own markup. */
static void
h(struct report_ctx *c, const char *markup)
{
	fputs(markup, c->out);
}

/* Untrusted text. */
static void
t(struct report_ctx *c, const char *text)
{
	esc_html(c->out, text);
}

static void
m(struct report_ctx *c, enum msg_id id)
{
	esc_html(c->out, msg_get(c->cat, id));
}

/* A catalog text with up to four arguments, escaped whole. */
static void
mf(struct report_ctx *c, enum msg_id id, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	const char	*args[4] = { a1, a2, a3, a4 };
	char		*s;

	if ((s = msg_fmt(msg_get(c->cat, id), args, 4)) == NULL) {
		m(c, id);
		return;
	}
	esc_html(c->out, s);
	free(s);
}

void
html_text(struct report_ctx *c, const char *untrusted)
{
	t(c, untrusted);
}

void
html_msg(struct report_ctx *c, enum msg_id id)
{
	m(c, id);
}

void
html_msgf(struct report_ctx *c, enum msg_id id, const char *a1,
    const char *a2, const char *a3, const char *a4)
{
	mf(c, id, a1, a2, a3, a4);
}

const char *
html_sev_color(enum fp_severity s)
{
	return sev_color[(unsigned)s <= FP_SEV_CRITICAL ? s : FP_SEV_INFO];
}

const char *
html_sev_class(enum fp_severity s)
{
	return sev_class[(unsigned)s <= FP_SEV_CRITICAL ? s : FP_SEV_INFO];
}

const char *
html_date(const struct report_ctx *c, const char *iso, char *buf,
    size_t len)
{
	msg_date(c->cat, iso, buf, len);
	return buf;
}

static void
num(struct report_ctx *c, size_t n)
{
	fprintf(c->out, "%zu", n);
}

static const char *
date(const struct report_ctx *c, const char *iso, char buf[DATE_MAX])
{
	msg_date(c->cat, iso, buf, DATE_MAX);
	return buf;
}

/* The day only: "28 octobre 2024", for "since" notes. */
static const char *
date_day(const struct report_ctx *c, const char *iso, char buf[DATE_MAX])
{
	msg_day(c->cat, iso, buf, DATE_MAX);
	return buf;
}

void
html_sev_badge(struct report_ctx *c, enum fp_severity s)
{
	fprintf(c->out, "<span class=\"sev bg-%s\">", sev_class[s]);
	esc_html(c->out, msg_severity(c->cat, s));
	h(c, "</span>");
}

/* "ip:port", "[v6]:port", or the address alone for port 0; "/udp"
 * after a UDP port, so that OpenVPN on TCP and UDP 1194 read apart. */
static void
endpoint(struct report_ctx *c, const struct vg_addr *a, bool has_addr,
    const char *ip, int port, const char *proto)
{
	char	ep[ENDPOINT_STRLEN];

	if (has_addr && port > 0 && port <= 65535)
		t(c, endpoint_str(a, (uint16_t)port, ep));
	else
		t(c, ip);
	if (port > 0 && proto != NULL && strcmp(proto, "udp") == 0)
		h(c, "/udp");
}

void
html_head(struct report_ctx *c, const char *title, const char *extra_css)
{
	fprintf(c->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", c->cat->lang);
	h(c, "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
	    "<meta name=\"generator\" content=\"Vigie " VIGIE_VERSION "\">\n"
	    "<title>");
	t(c, title);
	h(c, "</title>\n<style>\n");
	h(c, css);
	if (extra_css != NULL)
		h(c, extra_css);
	h(c, "</style>\n</head>\n<body>\n");
}

void
html_banner(struct report_ctx *c, const char *title, enum msg_id conf)
{
	char	d[DATE_MAX], id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	h(c, "<header class=\"top\"><div class=\"wrap\">\n"
	    "<div class=\"brand\">");
	m(c, MSG_BRAND);
	h(c, "</div>\n<h1>");
	t(c, title);
	h(c, "</h1>\n<div class=\"sub\">");
	mf(c, MSG_SCAN_OF, id, date(c, c->scan.started, d), NULL, NULL);
	h(c, "</div>\n<div class=\"conf\">");
	m(c, conf);
	h(c, "</div>\n</div></header>\n<main class=\"wrap\">\n");
	if (c->scan.fallback) {
		h(c, "<div class=\"warn\">");
		m(c, MSG_WARN_NO_COMPLETE);
		h(c, "</div>\n");
	}
	if (!c->scan.complete) {
		h(c, "<div class=\"warn\">");
		mf(c, MSG_WARN_NOT_COMPLETE, c->scan.status, NULL, NULL, NULL);
		h(c, "</div>\n");
	}
}

void
html_foot(struct report_ctx *c)
{
	char	id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	h(c, "</main>\n<footer>");
	mf(c, MSG_FOOTER, VIGIE_VERSION, id, NULL, NULL);
	h(c, "</footer>\n</body>\n</html>\n");
}

void
html_section(struct report_ctx *c, const char *id, const char *n,
    enum msg_id title)
{
	fprintf(c->out, "<section id=\"%s\">\n<h2>", id);
	if (n != NULL)
		fprintf(c->out, "<span class=\"n\">%s</span>", n);
	m(c, title);
	h(c, "</h2>\n");
}

/* Horizontal bars, most severe on top; labels are catalog texts. */
void
html_sev_chart(struct report_ctx *c, const size_t counts[REPORT_NSEV])
{
	size_t	max = 0;
	int	s, row, y;
	long	w;

	for (s = 0; s < REPORT_NSEV; s++)
		if (counts[s] > max)
			max = counts[s];
	fprintf(c->out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/"
	    "svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"", CHART_WIDTH,
	    REPORT_NSEV * CHART_ROW + 4, CHART_WIDTH,
	    REPORT_NSEV * CHART_ROW + 4);
	esc_html_attr(c->out, msg_get(c->cat, MSG_FINDINGS_BY_SEV));
	h(c, "\" style=\"font:13px system-ui,sans-serif\">\n<title>");
	m(c, MSG_FINDINGS_BY_SEV);
	h(c, "</title>\n");
	for (s = FP_SEV_CRITICAL, row = 0; s >= FP_SEV_INFO; s--, row++) {
		y = row * CHART_ROW + 4;
		w = max == 0 ? 0 : (long)(counts[s] * CHART_BAR / max);
		if (counts[s] > 0 && w < 3)
			w = 3;
		fprintf(c->out, "<text x=\"0\" y=\"%d\" fill=\"#1f2933\">",
		    y + 15);
		esc_html(c->out, msg_severity(c->cat, (enum fp_severity)s));
		fprintf(c->out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"18\" rx=\"3\" fill=\"#eef2f6\"/>", CHART_LABEL,
		    y + 1, CHART_BAR);
		if (w > 0)
			fprintf(c->out, "<rect x=\"%d\" y=\"%d\" width=\"%ld\" "
			    "height=\"18\" rx=\"3\" fill=\"%s\"/>",
			    CHART_LABEL, y + 1, w, sev_color[s]);
		fprintf(c->out, "<text x=\"%d\" y=\"%d\" fill=\"#1f2933\" "
		    "font-weight=\"600\">%zu</text>\n",
		    CHART_LABEL + CHART_BAR + 8, y + 15, counts[s]);
	}
	h(c, "</svg>\n");
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

/* "25/11" (fr) or "11/25" (en) of an ISO date. */
static void
short_date(struct report_ctx *c, const char *iso, char *buf, size_t len)
{
	const char	*args[2];
	char		 d[4], mo[4], *s;
	int		 y, m, dd;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &dd) != 3) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(d, sizeof(d), "%02d", dd % 100);
	snprintf(mo, sizeof(mo), "%02d", m % 100);
	args[0] = d;
	args[1] = mo;
	if ((s = msg_fmt(msg_get(c->cat, MSG_DATE_SHORT), args, 2)) == NULL) {
		snprintf(buf, len, "%s/%s", d, mo);
		return;
	}
	snprintf(buf, len, "%s", s);
	free(s);
}

/* A "nice" axis maximum: 1, 2 or 5 times a power of ten, >= v. */
static size_t
nice_max(size_t v)
{
	size_t	p = 1;

	if (v <= TREND_TICKS)
		return TREND_TICKS;
	while (p * 10 <= v)
		p *= 10;
	if (v <= p)
		return p;
	if (v <= 2 * p)
		return 2 * p;
	if (v <= 5 * p)
		return 5 * p;
	return 10 * p;
}

void
html_trend_chart(struct report_ctx *c, const struct rep_trend_point *pts,
    size_t npts, int height)
{
	const struct rep_trend_point	*p;
	size_t			 i, max = 0, ymax, tot;
	double			 plot_w = TREND_W - TREND_LEFT - 8;
	double			 plot_h = height - TREND_TOP - TREND_BOTTOM;
	double			 slot, colw, x, y, hh;
	char			 d[16];
	int			 k, sv;

	for (i = 0; i < npts; i++)
		if ((tot = total(pts[i].counts)) > max)
			max = tot;
	ymax = nice_max(max);
	slot = plot_w / (double)npts;
	colw = slot * 0.6 < TREND_COL_MAX ? slot * 0.6 : TREND_COL_MAX;
	fprintf(c->out, "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/"
	    "svg\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    TREND_W, height);
	esc_html_attr(c->out, msg_get(c->cat, MSG_SUM_TREND_CHART));
	h(c, "\" style=\"font:12px system-ui,sans-serif\">\n<title>");
	html_msg(c, MSG_SUM_TREND_CHART);
	h(c, "</title>\n");
	for (k = 0; k <= TREND_TICKS; k++) {
		y = TREND_TOP + plot_h - plot_h * k / TREND_TICKS;
		fprintf(c->out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\"/><text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"#5f6b7a\">%zu</text>\n",
		    TREND_LEFT, TREND_W - 8, y, y, k == 0 ? "#9aa5b1" :
		    "#e4e9ef", TREND_LEFT - 6, y + 4,
		    ymax * (size_t)k / TREND_TICKS);
	}
	for (i = 0; i < npts; i++) {
		p = &pts[i];
		x = TREND_LEFT + slot * (double)i + (slot - colw) / 2;
		y = TREND_TOP + plot_h;
		for (sv = FP_SEV_INFO; sv <= FP_SEV_CRITICAL; sv++) {
			if (p->counts[sv] == 0)
				continue;
			hh = plot_h * (double)p->counts[sv] / (double)ymax;
			y -= hh;
			fprintf(c->out, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
			    x, y, colw, hh,
			    html_sev_color((enum fp_severity)sv));
		}
		fprintf(c->out, "<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\" font-weight=\"600\" "
		    "fill=\"#1f2933\">%zu</text>", x + colw / 2, y - 5,
		    total(p->counts));
		short_date(c, p->started, d, sizeof(d));
		fprintf(c->out, "<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"#5f6b7a\">",
		    x + colw / 2, height - TREND_BOTTOM + 16);
		html_text(c, d);
		fprintf(c->out, "</text><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"#9aa5b1\" "
		    "font-size=\"10\">n° %lld</text>\n", x + colw / 2,
		    height - TREND_BOTTOM + 29, (long long)p->scan);
	}
	h(c, "</svg>\n");
}

void
html_sev_legend(struct report_ctx *c)
{
	int	s;

	h(c, "<div class=\"legend\">");
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--) {
		fprintf(c->out, "<span><i style=\"background:%s\"></i>",
		    html_sev_color((enum fp_severity)s));
		m(c, (enum msg_id)(MSG_SEV_INFO + s));
		h(c, "</span>");
	}
	h(c, "</div>\n");
}

void
html_counts_table(struct report_ctx *c, const size_t counts[REPORT_NSEV])
{
	size_t	total = 0;
	int	s;

	h(c, "<table class=\"counts\"><thead><tr><th>");
	m(c, MSG_SEVERITY);
	h(c, "</th><th class=\"num\">");
	m(c, MSG_COUNT);
	h(c, "</th></tr></thead><tbody>\n");
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--) {
		total += counts[s];
		h(c, "<tr><td>");
		html_sev_badge(c, (enum fp_severity)s);
		fprintf(c->out, "</td><td class=\"num%s\">%zu</td></tr>\n",
		    counts[s] == 0 ? " zero" : "", counts[s]);
	}
	h(c, "<tr class=\"total\"><td>");
	m(c, MSG_TOTAL);
	h(c, "</td><td class=\"num\">");
	num(c, total);
	h(c, "</td></tr>\n</tbody></table>\n");
}

/* The items of one kind; for DIFF_NEW, those that reappeared or not. */
static void
change_list(struct report_ctx *c, const struct diff *d, enum diff_kind k,
    bool reappeared)
{
	const struct diff_item	*it;
	struct vg_addr		 a;
	char			 dt[DATE_MAX];
	size_t			 i;
	bool			 has;

	h(c, "<ul class=\"chg\">\n");
	for (i = 0; i < d->n; i++) {
		it = &d->v[i];
		if (it->kind != k || (k == DIFF_NEW &&
		    it->reappeared != reappeared))
			continue;
		has = it->ip != NULL && addr_parse(it->ip, &a) == 0;
		h(c, "<li>");
		html_sev_badge(c, it->sev);
		h(c, " ");
		t(c, rep_pick(c, it->title_fr, it->title_en));
		h(c, " — <span class=\"mono\">");
		endpoint(c, &a, has, it->ip, it->port, it->proto);
		h(c, "</span> <span class=\"meta\">");
		t(c, it->rule);
		if (k == DIFF_PERSISTING && it->since != NULL) {
			h(c, " · ");
			mf(c, MSG_SINCE, date_day(c, it->since, dt), NULL, NULL,
			    NULL);
		}
		h(c, "</span></li>\n");
	}
	h(c, "</ul>\n");
}

static void
changes(struct report_ctx *c, const struct diff *d)
{
	char	d1[DATE_MAX], n1[24], n2[24], n3[24], id[24];
	size_t	i, nre = 0;

	html_section(c, "changes", "4.", MSG_CHANGES_H);
	if (d == NULL) {
		h(c, "<p>");
		m(c, MSG_CHANGES_FIRST);
		h(c, "</p>\n</section>\n");
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)d->from);
	snprintf(n1, sizeof(n1), "%zu", d->nnew);
	snprintf(n2, sizeof(n2), "%zu", d->nfixed);
	snprintf(n3, sizeof(n3), "%zu", d->npersisting);
	h(c, "<p>");
	mf(c, MSG_CHANGES_INTRO, id, date(c, d->from_started, d1), NULL,
	    NULL);
	h(c, " ");
	mf(c, MSG_CHANGES_COUNTS, n1, n2, n3, NULL);
	h(c, "</p>\n");
	if (d->nnew == 0 && d->nfixed == 0) {
		h(c, "<p>");
		m(c, MSG_CHANGES_NONE);
		h(c, "</p>\n");
	}
	for (i = 0; i < d->n; i++)
		if (d->v[i].kind == DIFF_NEW && d->v[i].reappeared)
			nre++;
	if (d->nnew > nre) {
		h(c, "<h3 class=\"new\">");
		m(c, MSG_CHANGES_NEW);
		h(c, "</h3>\n");
		change_list(c, d, DIFF_NEW, false);
	}
	if (nre > 0) {
		h(c, "<h3 class=\"new\">");
		m(c, MSG_CHANGES_REAPPEARED);
		h(c, "</h3>\n");
		change_list(c, d, DIFF_NEW, true);
	}
	if (d->npersisting > 0) {
		h(c, "<h3>");
		m(c, MSG_CHANGES_PERSISTING);
		h(c, "</h3>\n");
		change_list(c, d, DIFF_PERSISTING, false);
	}
	if (d->nfixed > 0) {
		h(c, "<h3 class=\"fixed\">");
		m(c, MSG_CHANGES_FIXED);
		h(c, "</h3>\n");
		change_list(c, d, DIFF_FIXED, false);
	}
	h(c, "</section>\n");
}

/* Space-separated words, each in <code>. */
static void
word_list(struct report_ctx *c, const char *s)
{
	char	w[REPORT_WORD_MAX];
	bool	first = true;

	while ((s = rep_word(s, w, sizeof(w))) != NULL) {
		h(c, first ? "<code>" : " <code>");
		t(c, w);
		h(c, "</code>");
		first = false;
	}
	if (first)
		m(c, MSG_NONE);
}

static void	priorities(struct report_ctx *, const struct rep_est *);

static void
summary(struct report_ctx *c, const struct rep_est *e)
{
	char	d[DATE_MAX], n1[24], n2[24], n3[24], n4[24];
	size_t	i, nup = 0, nopen = 0;

	html_section(c, "summary", "1.", MSG_SUMMARY_H);
	h(c, "<div class=\"summary\">\n");
	fprintf(c->out, "<div class=\"lvl bg-%s\"><small>",
	    rep_level_key(e->worst));
	m(c, MSG_EXPOSURE_LEVEL);
	h(c, "</small><b>");
	t(c, msg_level(c->cat, e->worst));
	h(c, "</b></div>\n<div style=\"flex:1;min-width:260px\"><p>");
	t(c, msg_level_explain(c->cat, e->worst));
	h(c, "</p>\n<dl class=\"kv\"><dt>");
	m(c, MSG_SCAN_DATE);
	h(c, "</dt><dd>");
	t(c, date(c, c->scan.started, d));
	h(c, "</dd><dt>");
	m(c, MSG_PERIMETER);
	h(c, "</dt><dd>");
	word_list(c, e->ranges);
	h(c, "</dd>");
	if (e->hostnames != NULL && e->hostnames[0] != '\0') {
		h(c, "<dt>");
		m(c, MSG_HOSTNAMES);
		h(c, "</dt><dd>");
		word_list(c, e->hostnames);
		h(c, "</dd>");
	}
	if (e->category != NULL && e->category[0] != '\0') {
		h(c, "<dt>");
		m(c, MSG_CATEGORY);
		h(c, "</dt><dd>");
		t(c, msg_category(c->cat, e->category));
		h(c, "</dd>");
	}
	if (e->region != NULL && e->region[0] != '\0') {
		h(c, "<dt>");
		m(c, MSG_REGION);
		h(c, "</dt><dd>");
		t(c, e->region);
		h(c, "</dd>");
	}
	h(c, "</dl>\n</div>\n</div>\n");
	priorities(c, e);
	h(c, "<h3>");
	m(c, MSG_FINDINGS_BY_SEV);
	h(c, "</h3>\n<div class=\"summary\">\n");
	html_counts_table(c, e->counts);
	html_sev_chart(c, e->counts);
	h(c, "</div>\n<div class=\"keep\"><h3>");
	m(c, MSG_TREND_H);
	h(c, "</h3>\n");
	if (e->ntrend >= 2) {
		html_sev_legend(c);
		html_trend_chart(c, e->trend, e->ntrend, TREND_EST_H);
	} else {
		h(c, "<p class=\"meta\">");
		m(c, MSG_TREND_NONE);
		h(c, "</p>\n");
	}
	h(c, "</div>\n<p class=\"meta\">");
	for (i = 0; i < e->nhosts; i++)
		if (e->hosts[i]->state == NULL ||
		    strcmp(e->hosts[i]->state, "up") == 0)
			nup++;
	for (i = 0; i < e->nports; i++)
		if (e->ports[i]->state != NULL &&
		    strcmp(e->ports[i]->state, "open") == 0)
			nopen++;
	snprintf(n1, sizeof(n1), "%zu", e->nhosts);
	snprintf(n2, sizeof(n2), "%zu", nup);
	snprintf(n3, sizeof(n3), "%zu", nopen);
	snprintf(n4, sizeof(n4), "%zu", e->nservices);
	mf(c, MSG_STATS, n1, n2, n3, n4);
	h(c, "</p>\n</section>\n");
}

static int
str_cmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* The same action: one theme, one rule, one severity. */
static bool
same_action(const struct rep_finding *a, const struct rep_finding *b)
{
	return a->sev == b->sev && str_cmp(a->theme, b->theme) == 0 &&
	    str_cmp(a->rule, b->rule) == 0;
}

struct theme_grp {
	const char	*theme;
	int		 worst, rank;
};

static int
theme_cmp(const void *va, const void *vb)
{
	const struct theme_grp	*a = va, *b = vb;

	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return str_cmp(a->theme, b->theme);
}

static void
refs(struct report_ctx *c, const char *s)
{
	char	w[REPORT_WORD_MAX];
	bool	first = true;

	while ((s = rep_word(s, w, sizeof(w))) != NULL) {
		if (!first)
			h(c, ", ");
		if (strncmp(w, "https://", 8) == 0) {
			h(c, "<a href=\"");
			esc_html_attr(c->out, w);
			h(c, "\">");
			t(c, w);
			h(c, "</a>");
		} else {
			t(c, w);
		}
		first = false;
	}
}

/* "Seen since 28 October 2024", "reappeared": when the finding is not
 * new in this scan. */
static void
history_note(struct report_ctx *c, const struct rep_finding *f)
{
	char	d[DATE_MAX];

	if (f->since == NULL || (c->scan.started != NULL &&
	    strcmp(f->since, c->scan.started) == 0 && !f->reappeared))
		return;
	h(c, "<div class=\"hist\">");
	if (f->reappeared) {
		h(c, "<span class=\"tag re\">");
		m(c, MSG_REAPPEARED);
		h(c, "</span> ");
	}
	if (c->scan.started == NULL || strcmp(f->since,
	    c->scan.started) != 0)
		mf(c, MSG_FIRST_SEEN, date_day(c, f->since, d), NULL, NULL,
		    NULL);
	h(c, "</div>\n");
}

static void
action(struct report_ctx *c, const struct rep_est *e, size_t i)
{
	const struct rep_finding	*f = &e->findings[i], *g;
	const char			*title, *advice;
	size_t				 j;

	title = rep_pick(c, f->title_fr, f->title_en);
	advice = rep_pick(c, f->advice_fr, f->advice_en);
	fprintf(c->out, "<div class=\"item b-%s\">\n<h4>",
	    sev_class[f->sev]);
	html_sev_badge(c, f->sev);
	h(c, " ");
	t(c, title[0] != '\0' ? title : f->rule);
	h(c, "</h4>\n");
	if (advice[0] != '\0') {
		h(c, "<p><b>");
		m(c, MSG_ADVICE);
		m(c, MSG_COLON);
		h(c, "</b>");
		t(c, advice);
		h(c, "</p>\n");
	}
	h(c, "<div class=\"meta\">");
	m(c, MSG_AFFECTED);
	h(c, "</div>\n<ul class=\"eps mono\">");
	for (j = i; j < e->nfindings; j++) {
		g = &e->findings[j];
		if (!same_action(f, g))
			continue;
		h(c, "<li>");
		endpoint(c, &g->addr, g->has_addr, g->ip, g->port, g->proto);
		h(c, "</li>");
	}
	h(c, "</ul>\n<div class=\"meta\">");
	t(c, f->rule);
	if (f->confidence != NULL && f->confidence[0] != '\0') {
		h(c, " · ");
		m(c, MSG_CONFIDENCE);
		m(c, MSG_COLON);
		t(c, msg_confidence(c->cat, f->confidence));
	}
	if (f->refs != NULL && f->refs[0] != '\0') {
		h(c, " · ");
		m(c, MSG_REFERENCES);
		m(c, MSG_COLON);
		refs(c, f->refs);
	}
	h(c, "</div>\n");
	history_note(c, f);
	h(c, "</div>\n");
}

/* The first actions of the plan, in a few words, for management. */
static void
priorities(struct report_ctx *c, const struct rep_est *e)
{
	const struct rep_finding	*f;
	const char			*title;
	char				 n[24], na[24];
	size_t				 i, j, k, shown = 0, more = 0, neps;
	size_t				 naddrs;

	for (i = 0; i < e->nfindings; i++) {
		f = &e->findings[i];
		for (k = 0; k < i; k++)
			if (same_action(&e->findings[k], f))
				break;
		if (k < i)
			continue;
		if (shown == PRIORITIES_MAX) {
			more++;
			continue;
		}
		if (shown == 0) {
			h(c, "<h3>");
			m(c, MSG_PRIORITIES_H);
			h(c, "</h3>\n<ol class=\"prio\">\n");
		}
		/* Ports and, apart, addresses: "5 ports on 1 address". */
		for (neps = naddrs = 0, j = i; j < e->nfindings; j++) {
			if (!same_action(f, &e->findings[j]))
				continue;
			neps++;
			for (k = i; k < j; k++)
				if (same_action(f, &e->findings[k]) &&
				    str_cmp(e->findings[k].ip,
				    e->findings[j].ip) == 0)
					break;
			if (k == j)
				naddrs++;
		}
		title = rep_pick(c, f->title_fr, f->title_en);
		h(c, "<li>");
		html_sev_badge(c, f->sev);
		h(c, " ");
		t(c, title[0] != '\0' ? title : f->rule);
		snprintf(n, sizeof(n), "%zu", neps);
		snprintf(na, sizeof(na), "%zu", naddrs);
		h(c, " <span class=\"meta\">— ");
		if (naddrs == neps)
			mf(c, MSG_PRIORITIES_ADDRS, n, NULL, NULL, NULL);
		else
			mf(c, MSG_PRIORITIES_PORTS, n, na, NULL, NULL);
		h(c, "</span></li>\n");
		shown++;
	}
	if (shown == 0)
		return;
	h(c, "</ol>\n");
	if (more > 0) {
		snprintf(n, sizeof(n), "%zu", more);
		h(c, "<p class=\"meta\">");
		mf(c, MSG_PRIORITIES_MORE, n, NULL, NULL, NULL);
		h(c, "</p>\n");
	}
}

static int
actions(struct report_ctx *c, const struct rep_est *e, struct vg_err *err)
{
	struct theme_grp	*g = NULL;
	size_t			 ng = 0, i, j, k;

	html_section(c, "actions", "2.", MSG_ACTIONS_H);
	if (e->nfindings == 0) {
		h(c, "<p>");
		m(c, MSG_ACTIONS_NONE);
		h(c, "</p>\n</section>\n");
		return 0;
	}
	if ((g = calloc(e->nfindings, sizeof(*g))) == NULL) {
		vg_err_set(err, c->out_path, "out of memory");
		return -1;
	}
	for (i = 0; i < e->nfindings; i++) {
		for (j = 0; j < ng; j++)
			if (str_cmp(g[j].theme, e->findings[i].theme) == 0)
				break;
		if (j == ng) {
			g[ng].theme = e->findings[i].theme;
			g[ng].rank = msg_theme_rank(g[ng].theme);
			g[ng].worst = -1;
			ng++;
		}
		if ((int)e->findings[i].sev > g[j].worst)
			g[j].worst = (int)e->findings[i].sev;
	}
	qsort(g, ng, sizeof(*g), theme_cmp);
	h(c, "<p>");
	m(c, MSG_ACTIONS_INTRO);
	h(c, "</p>\n");
	for (j = 0; j < ng; j++) {
		h(c, "<h3>");
		t(c, msg_theme(c->cat, g[j].theme));
		h(c, "</h3>\n");
		/* Findings are sorted most severe first: the first of each
		 * action comes first. */
		for (i = 0; i < e->nfindings; i++) {
			if (str_cmp(e->findings[i].theme, g[j].theme) != 0)
				continue;
			for (k = 0; k < i; k++)
				if (same_action(&e->findings[k],
				    &e->findings[i]))
					break;
			if (k == i)
				action(c, e, i);
		}
	}
	free(g);
	h(c, "</section>\n");
	return 0;
}

static enum msg_id
host_state_msg(const char *state)
{
	if (state == NULL)
		return MSG_HOST_UNRECORDED;
	if (strcmp(state, "up") == 0)
		return MSG_HOST_UP;
	if (strcmp(state, "closed") == 0)
		return MSG_HOST_CLOSED;
	if (strcmp(state, "silent") == 0)
		return MSG_HOST_SILENT;
	return MSG__COUNT;
}

/* The findings on one address and port, as badges and rule ids. */
static void
port_findings(struct report_ctx *c, const struct rep_est *e,
    const struct vg_addr *a, int port, const char *proto)
{
	const struct rep_finding	*f;
	size_t				 i;
	bool				 first = true;

	for (i = 0; i < e->nfindings; i++) {
		f = &e->findings[i];
		if (!f->has_addr || addr_cmp(&f->addr, a) != 0 ||
		    f->port != port || str_cmp(f->proto, proto) != 0)
			continue;
		h(c, first ? "" : "<br>");
		html_sev_badge(c, f->sev);
		h(c, " <span class=\"mono\">");
		t(c, f->rule);
		h(c, "</span>");
		first = false;
	}
}

static void
port_state(struct report_ctx *c, const char *state)
{
	if (state != NULL && strcmp(state, "open") == 0)
		m(c, MSG_PORT_OPEN);
	else if (state != NULL && strcmp(state, "closed") == 0)
		m(c, MSG_PORT_CLOSED);
	else if (state != NULL && strcmp(state, "filtered") == 0)
		m(c, MSG_PORT_FILTERED);
	else
		t(c, state);
}

/* One port: its row in the ports table, its service, or both (one of
 * p and s may be NULL).  The key is the port's or the service's. */
static void
port_row(struct report_ctx *c, const struct rep_est *e,
    const struct vg_addr *a, int port, const char *proto,
    const struct rep_port *p, const struct rep_service *s)
{
	fprintf(c->out, "<tr><td class=\"mono\">%d/", port);
	t(c, proto);
	h(c, "</td><td>");
	port_state(c, p != NULL ? p->state : "open");
	h(c, "</td><td>");
	if (s != NULL && s->service != NULL) {
		t(c, s->service);
		if (s->tls)
			h(c, " (TLS)");
	} else {
		h(c, "<span class=\"meta\">");
		m(c, MSG_NOT_IDENTIFIED);
		h(c, "</span>");
	}
	h(c, "</td><td>");
	if (s != NULL)
		t(c, s->product);
	h(c, "</td><td>");
	if (s != NULL)
		t(c, s->version);
	h(c, "</td><td>");
	port_findings(c, e, a, port, proto);
	h(c, "</td></tr>\n");
}

static void
raw_fields(struct report_ctx *c, const struct rep_service *s)
{
	json_t		*o, *v;
	const char	*k;
	char		*d;

	if (s->fields == NULL ||
	    (o = json_loads(s->fields, 0, NULL)) == NULL)
		return;
	if (!json_is_object(o) || json_object_size(o) == 0) {
		json_decref(o);
		return;
	}
	h(c, "<details><summary>");
	m(c, MSG_RAW_FIELDS);
	fprintf(c->out, " — %d/", s->port);
	t(c, s->proto);
	h(c, "</summary>\n<dl class=\"fields\">");
	json_object_foreach(o, k, v) {
		h(c, "<dt>");
		t(c, k);
		h(c, "</dt><dd class=\"mono\">");
		if (json_is_string(v)) {
			esc_html_max(c->out, json_string_value(v),
			    REPORT_FIELD_SHOW_MAX);
		} else if ((d = json_dumps(v, JSON_COMPACT |
		    JSON_ENCODE_ANY)) != NULL) {
			esc_html_max(c->out, d, REPORT_FIELD_SHOW_MAX);
			free(d);
		}
		h(c, "</dd>");
	}
	h(c, "</dl></details>\n");
	json_decref(o);
}

static int
pp_cmp(const struct rep_port *p, const struct rep_service *s)
{
	if (p->port != s->port)
		return p->port < s->port ? -1 : 1;
	return str_cmp(p->proto, s->proto);
}

/* One address's ports [p0, p1) and services [s0, s1) in the
 * establishment's sorted arrays. */
struct host_rows {
	size_t	p0, p1, s0, s1;
};

/* What the --mmdb databases say of an address. */
static void
geo_line(struct report_ctx *c, const struct rep_geo *g)
{
	char	asn[16];
	bool	any = false;

	if (g->asn == 0 && g->org == NULL && g->country == NULL)
		return;
	h(c, "<div class=\"meta geo\">");
	if (g->asn != 0 || g->org != NULL) {
		m(c, MSG_GEO_NETWORK);
		m(c, MSG_COLON);
		snprintf(asn, sizeof(asn), "%lu", (unsigned long)g->asn);
		mf(c, MSG_GEO_AS, g->asn != 0 ? asn : "?", g->org != NULL ?
		    g->org : "", NULL, NULL);
		any = true;
	}
	if (g->country != NULL) {
		if (any)
			h(c, " · ");
		m(c, MSG_GEO_COUNTRY);
		m(c, MSG_COLON);
		if (g->country_name != NULL) {
			t(c, g->country_name);
			h(c, " (");
			t(c, g->country);
			h(c, ")");
		} else {
			t(c, g->country);
		}
	}
	h(c, "</div>\n");
}

static void
host(struct report_ctx *c, const struct rep_est *e,
    const struct rep_host *hst, const struct host_rows *r)
{
	const struct rep_finding	*f;
	const struct rep_port		*p;
	const struct rep_service	*s;
	enum msg_id			 st = host_state_msg(hst->state);
	char				 n1[24], n2[24], n3[24];
	size_t				 p0 = r->p0, p1 = r->p1, s0 = r->s0,
					 s1 = r->s1, i, j;
	bool				 any = false;
	int				 cmp;

	h(c, "<div class=\"host\">\n<h3><span class=\"mono\">");
	t(c, hst->ip);
	fprintf(c->out, "</span><span class=\"st%s\">",
	    st == MSG_HOST_UP ? " st-up" : "");
	if (st == MSG__COUNT)
		t(c, hst->state);
	else
		m(c, st);
	h(c, "</span></h3>\n");
	geo_line(c, &hst->geo);
	if (hst->state != NULL) {
		snprintf(n1, sizeof(n1), "%lld", (long long)hst->open);
		snprintf(n2, sizeof(n2), "%lld", (long long)hst->closed);
		snprintf(n3, sizeof(n3), "%lld", (long long)hst->filtered);
		h(c, "<div class=\"meta\">");
		mf(c, MSG_HOST_COUNTS, n1, n2, n3, NULL);
		h(c, "</div>\n");
	}
	if (p1 > p0 || s1 > s0) {
		h(c, "<table><thead><tr><th>");
		m(c, MSG_PORT);
		h(c, "</th><th>");
		m(c, MSG_PORT_STATE);
		h(c, "</th><th>");
		m(c, MSG_SERVICE);
		h(c, "</th><th>");
		m(c, MSG_PRODUCT);
		h(c, "</th><th>");
		m(c, MSG_VERSION);
		h(c, "</th><th>");
		m(c, MSG_FINDINGS);
		h(c, "</th></tr></thead><tbody>\n");
		/* Merge ports and services, both sorted by port, proto. */
		for (i = p0, j = s0; i < p1 || j < s1; ) {
			p = i < p1 ? e->ports[i] : NULL;
			s = j < s1 ? e->services[j] : NULL;
			cmp = p == NULL ? 1 : s == NULL ? -1 : pp_cmp(p, s);
			if (cmp <= 0) {
				port_row(c, e, &p->addr, p->port, p->proto, p,
				    cmp == 0 ? s : NULL);
				i++;
				if (cmp == 0)
					j++;
			} else {
				port_row(c, e, &s->addr, s->port, s->proto,
				    NULL, s);
				j++;
			}
		}
		h(c, "</tbody></table>\n");
		for (j = s0; j < s1; j++)
			raw_fields(c, e->services[j]);
	}
	for (i = 0; i < e->nfindings; i++) {
		f = &e->findings[i];
		if (!f->has_addr || addr_cmp(&f->addr, &hst->addr) != 0)
			continue;
		if (!any) {
			h(c, "<div class=\"meta\">");
			m(c, MSG_EVIDENCE);
			h(c, "</div>\n");
			any = true;
		}
		h(c, "<div>");
		html_sev_badge(c, f->sev);
		h(c, " ");
		t(c, rep_pick(c, f->title_fr, f->title_en));
		h(c, " <span class=\"meta mono\">");
		endpoint(c, &f->addr, true, f->ip, f->port, f->proto);
		h(c, " · ");
		t(c, f->rule);
		h(c, "</span></div>\n");
		if (f->evidence != NULL && f->evidence[0] != '\0') {
			h(c, "<div class=\"ev\">");
			t(c, f->evidence);
			h(c, "</div>\n");
		}
	}
	h(c, "</div>\n");
}

/* Addresses with nothing to show but their state, in short lists. */
static void
quiet_list(struct report_ctx *c, const struct rep_est *e,
    const bool *quiet, enum msg_id label)
{
	const struct rep_host	*hst;
	enum msg_id		 st;
	char			 n[24];
	size_t			 i, shown = 0, more = 0;

	for (i = 0; i < e->nhosts; i++) {
		hst = e->hosts[i];
		st = host_state_msg(hst->state);
		if (!quiet[i] || (label == MSG_QUIET_SILENT) !=
		    (st == MSG_HOST_SILENT) || (label == MSG_QUIET_CLOSED) !=
		    (st == MSG_HOST_CLOSED))
			continue;
		if (shown == REPORT_QUIET_SHOW_MAX) {
			more++;
			continue;
		}
		if (shown == 0) {
			h(c, "<p><b>");
			m(c, label);
			m(c, MSG_COLON);
			h(c, "</b><span class=\"mono\">");
		} else {
			h(c, ", ");
		}
		t(c, hst->ip);
		shown++;
	}
	if (shown == 0)
		return;
	h(c, "</span>");
	if (more > 0) {
		snprintf(n, sizeof(n), "%zu", more);
		h(c, " ");
		mf(c, MSG_AND_MORE, n, NULL, NULL, NULL);
	}
	h(c, "</p>\n");
}

static int
vaddr_cmp(const void *a, const void *b)
{
	return addr_cmp(a, b);
}

static int
details(struct report_ctx *c, const struct rep_est *e, struct vg_err *err)
{
	struct host_rows	*rows = NULL;
	struct vg_addr		*fa = NULL;
	bool			*quiet = NULL;
	size_t			 i, nfa = 0, pi = 0, si = 0, nquiet = 0;
	const struct rep_host	*hst;

	if (e->nhosts > 0 && ((rows = calloc(e->nhosts,
	    sizeof(*rows))) == NULL || (quiet = calloc(e->nhosts,
	    sizeof(*quiet))) == NULL || (e->nfindings > 0 &&
	    (fa = calloc(e->nfindings, sizeof(*fa))) == NULL))) {
		free(rows);
		free(quiet);
		vg_err_set(err, c->out_path, "out of memory");
		return -1;
	}
	for (i = 0; i < e->nfindings; i++)
		if (e->findings[i].has_addr)
			fa[nfa++] = e->findings[i].addr;
	if (nfa > 0)
		qsort(fa, nfa, sizeof(*fa), vaddr_cmp);
	/* Hosts and their rows are sorted alike: one sweep finds each
	 * host's rows. */
	for (i = 0; i < e->nhosts; i++) {
		hst = e->hosts[i];
		for (rows[i].p0 = pi; pi < e->nports &&
		    addr_cmp(&e->ports[pi]->addr, &hst->addr) == 0; pi++)
			;
		for (rows[i].s0 = si; si < e->nservices &&
		    addr_cmp(&e->services[si]->addr, &hst->addr) == 0; si++)
			;
		rows[i].p1 = pi;
		rows[i].s1 = si;
		quiet[i] = pi == rows[i].p0 && si == rows[i].s0 &&
		    (nfa == 0 || bsearch(&hst->addr, fa, nfa, sizeof(*fa),
		    vaddr_cmp) == NULL);
		if (quiet[i])
			nquiet++;
	}

	html_section(c, "details", "3.", MSG_DETAILS_H);
	h(c, "<p>");
	m(c, MSG_DETAILS_INTRO);
	h(c, "</p>\n");
	if (e->nhosts == nquiet) {
		h(c, "<p>");
		m(c, MSG_DETAILS_NONE);
		h(c, "</p>\n");
	}
	for (i = 0; i < e->nhosts; i++)
		if (!quiet[i])
			host(c, e, e->hosts[i], &rows[i]);
	if (nquiet > 0) {
		h(c, "<h3>");
		m(c, MSG_QUIET_H);
		h(c, "</h3>\n");
		quiet_list(c, e, quiet, MSG_QUIET_SILENT);
		quiet_list(c, e, quiet, MSG_QUIET_CLOSED);
		quiet_list(c, e, quiet, MSG_QUIET_OTHER);
	}
	h(c, "</section>\n");
	free(rows);
	free(quiet);
	free(fa);
	return 0;
}

void
html_kv(struct report_ctx *c, enum msg_id key, const char *val)
{
	h(c, "<dt>");
	m(c, key);
	h(c, "</dt><dd>");
	if (val != NULL && val[0] != '\0')
		t(c, val);
	else
		m(c, MSG_UNKNOWN);
	h(c, "</dd>\n");
}

static const char *
mode_text(const struct report_ctx *c, const char *mode)
{
	if (mode == NULL)
		return NULL;
	if (strcmp(mode, "syn") == 0)
		return msg_get(c->cat, MSG_MODE_SYN);
	if (strcmp(mode, "connect") == 0)
		return msg_get(c->cat, MSG_MODE_CONNECT);
	return mode;
}

static const char *
status_text(const struct report_ctx *c, const char *status)
{
	if (status == NULL)
		return NULL;
	if (strcmp(status, "complete") == 0)
		return msg_get(c->cat, MSG_STATUS_COMPLETE);
	if (strcmp(status, "running") == 0)
		return msg_get(c->cat, MSG_STATUS_RUNNING);
	return status;
}

/* The --mmdb databases used, by type and build date. */
static void
enrich_kv(struct report_ctx *c)
{
	const struct enrich_info	*in;
	char				 d[DATE_MAX];
	size_t				 i;

	if (enrich_count(c->enrich) == 0)
		return;
	h(c, "<dt>");
	m(c, MSG_METHOD_ENRICH);
	h(c, "</dt><dd>");
	for (i = 0; i < enrich_count(c->enrich); i++) {
		in = enrich_info_at(c->enrich, i);
		if (i > 0)
			h(c, "<br>");
		mf(c, MSG_ENRICH_DB, in->type[0] != '\0' ? in->type :
		    in->file, date_day(c, in->build, d), NULL, NULL);
	}
	h(c, "</dd>\n");
}

static void
method(struct report_ctx *c)
{
	char	d1[DATE_MAX], d2[DATE_MAX], id[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	html_section(c, "method", "5.", MSG_METHOD_H);
	h(c, "<p>");
	m(c, MSG_METHOD_INTRO);
	h(c, "</p>\n<dl class=\"kv\">\n");
	html_kv(c, MSG_METHOD_SCAN_ID, id);
	html_kv(c, MSG_METHOD_SOURCE, c->scan.source);
	html_kv(c, MSG_METHOD_STARTED, date(c, c->scan.started, d1));
	html_kv(c, MSG_METHOD_FINISHED, c->scan.finished != NULL ?
	    date(c, c->scan.finished, d2) : NULL);
	html_kv(c, MSG_METHOD_STATUS, status_text(c, c->scan.status));
	html_kv(c, MSG_METHOD_RULES, c->scan.rules_version);
	html_kv(c, MSG_METHOD_PORTS, c->scan.ports);
	html_kv(c, MSG_METHOD_MODE, mode_text(c, c->scan.mode));
	html_kv(c, MSG_METHOD_VERSION, c->scan.vigie_version);
	enrich_kv(c);
	h(c, "</dl>\n");
	if (c->scan.source != NULL && c->scan.source[0] != '\0') {
		h(c, "<p class=\"meta\">");
		m(c, MSG_METHOD_SOURCE_HINT);
		h(c, "</p>\n");
	}
	h(c, "</section>\n");
}

static void
contact(struct report_ctx *c)
{
	const char	*url = msg_get(c->cat, MSG_INCIDENT_URL);

	html_section(c, "contact", "6.", MSG_CONTACT_H);
	h(c, "<p>");
	m(c, MSG_CONTACT_TEXT);
	h(c, "</p>\n<p>");
	m(c, MSG_INCIDENT_TEXT);
	h(c, " <a href=\"");
	esc_html_attr(c->out, url);
	h(c, "\"><b>");
	t(c, url);
	h(c, "</b></a></p>\n<p class=\"meta\">");
	m(c, MSG_INCIDENT_NOTE);
	h(c, "</p>\n</section>\n");
}

int
html_establishment_file(struct report_ctx *c, const struct rep_est *e,
    struct vg_err *err)
{
	const char	*args[2] = { e->name, e->id };
	char		 file[96], *title;

	if ((title = msg_fmt(msg_get(c->cat, MSG_DOC_TITLE), args, 2)) ==
	    NULL) {
		vg_err_set(err, store_path(c->store), "out of memory");
		return -1;
	}
	snprintf(file, sizeof(file), "%s.html", e->id);
	if (rep_out_open(c, file, err) == -1) {
		free(title);
		return -1;
	}
	html_head(c, title, NULL);
	html_banner(c, title, MSG_CONFIDENTIAL);
	free(title);
	summary(c, e);
	if (actions(c, e, err) == -1) {
		rep_out_abort(c);
		return -1;
	}
	if (details(c, e, err) == -1) {
		rep_out_abort(c);
		return -1;
	}
	changes(c, e->diff);
	method(c);
	contact(c);
	html_foot(c);
	return rep_out_commit(c, err);
}

/* Most exposed first: worst severity, then counts, then id. */
static int
row_cmp(const void *va, const void *vb)
{
	const struct rep_index_row	*a = *(const struct rep_index_row *
					    const *)va;
	const struct rep_index_row	*b = *(const struct rep_index_row *
					    const *)vb;
	int				 s;

	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		if (a->counts[s] != b->counts[s])
			return a->counts[s] > b->counts[s] ? -1 : 1;
	return str_cmp(a->id, b->id);
}

int
html_index_file(struct report_ctx *c, struct vg_err *err)
{
	const struct rep_index_row	**rows = NULL, *r;
	size_t				 total[REPORT_NSEV] = { 0 }, nf = 0,
					 i;
	char				 id[24], n1[24], n2[24],
					 d[DATE_MAX], *title;
	const char			*args[1];
	int				 s;

	snprintf(id, sizeof(id), "%lld", (long long)c->scan.id);
	args[0] = id;
	if ((title = msg_fmt(msg_get(c->cat, MSG_INDEX_TITLE), args, 1)) ==
	    NULL || (c->nindex > 0 &&
	    (rows = calloc(c->nindex, sizeof(*rows))) == NULL)) {
		free(title);
		vg_err_set(err, store_path(c->store), "out of memory");
		return -1;
	}
	for (i = 0; i < c->nindex; i++) {
		rows[i] = &c->index[i];
		for (s = 0; s < REPORT_NSEV; s++) {
			total[s] += c->index[i].counts[s];
			nf += c->index[i].counts[s];
		}
	}
	if (c->nindex > 0)
		qsort(rows, c->nindex, sizeof(*rows), row_cmp);
	if (rep_out_open(c, HTML_INDEX_FILE, err) == -1) {
		free(title);
		free(rows);
		return -1;
	}
	html_head(c, title, NULL);
	html_banner(c, title, MSG_CONFIDENTIAL);
	free(title);

	html_section(c, "summary", NULL, MSG_INDEX_SUMMARY_H);
	snprintf(n1, sizeof(n1), "%zu", c->nindex);
	snprintf(n2, sizeof(n2), "%zu", nf);
	h(c, "<p>");
	mf(c, MSG_INDEX_COUNTS, n1, n2, NULL, NULL);
	h(c, "</p>\n<dl class=\"kv\">\n");
	html_kv(c, MSG_SCAN_DATE, date(c, c->scan.started, d));
	html_kv(c, MSG_METHOD_STATUS, status_text(c, c->scan.status));
	html_kv(c, MSG_METHOD_SOURCE, c->scan.source);
	html_kv(c, MSG_METHOD_PORTS, c->scan.ports);
	html_kv(c, MSG_METHOD_MODE, mode_text(c, c->scan.mode));
	html_kv(c, MSG_METHOD_RULES, c->scan.rules_version);
	h(c, "</dl>\n<div class=\"summary\">\n");
	html_counts_table(c, total);
	html_sev_chart(c, total);
	h(c, "</div>\n</section>\n");

	html_section(c, "establishments", NULL, MSG_INDEX_H);
	h(c, "<p>");
	m(c, MSG_INDEX_INTRO);
	h(c, "</p>\n<table><thead><tr><th>");
	m(c, MSG_COL_FINESS);
	h(c, "</th><th>");
	m(c, MSG_COL_NAME);
	h(c, "</th><th>");
	m(c, MSG_REGION);
	h(c, "</th><th>");
	m(c, MSG_COL_LEVEL);
	h(c, "</th>");
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--) {
		h(c, "<th class=\"num\">");
		m(c, (enum msg_id)(MSG_SEV_INFO + s));
		h(c, "</th>");
	}
	h(c, "<th>");
	m(c, MSG_COL_REPORT);
	h(c, "</th></tr></thead><tbody>\n");
	for (i = 0; i < c->nindex; i++) {
		r = rows[i];
		h(c, "<tr><td class=\"mono\">");
		t(c, r->id);
		h(c, "</td><td>");
		t(c, r->name);
		if (r->category != NULL && r->category[0] != '\0') {
			h(c, "<br><span class=\"meta\">");
			t(c, r->category);
			h(c, "</span>");
		}
		h(c, "</td><td>");
		t(c, r->region);
		fprintf(c->out, "</td><td><span class=\"sev bg-%s\">",
		    rep_level_key(r->worst));
		t(c, msg_level(c->cat, r->worst));
		h(c, "</span></td>");
		for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
			fprintf(c->out, "<td class=\"num%s\">%zu</td>",
			    r->counts[s] == 0 ? " zero" : "", r->counts[s]);
		/* The id is checked safe for a file name (report.c). */
		h(c, "<td><a href=\"");
		esc_html_attr(c->out, r->id);
		fprintf(c->out, ".%s\">", c->link_ext != NULL ? c->link_ext :
		    "html");
		m(c, MSG_OPEN_REPORT);
		h(c, "</a></td></tr>\n");
	}
	h(c, "<tr class=\"total\"><td></td><td>");
	m(c, MSG_TOTAL);
	h(c, "</td><td></td><td></td>");
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		fprintf(c->out, "<td class=\"num\">%zu</td>", total[s]);
	h(c, "<td></td></tr>\n</tbody></table>\n</section>\n");
	free(rows);
	html_foot(c);
	return rep_out_commit(c, err);
}

const struct report_format report_fmt_html = {
	.name		= "html",
	.ext		= "html",
	.establishment	= html_establishment_file,
	.end		= html_index_file,
};
