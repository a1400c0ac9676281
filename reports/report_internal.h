/*
 * report_internal.h - private to reports/: the per-establishment model
 * that report.c builds from the store, the report formats, the diff, the
 * message catalogs and the escaping of untrusted text.
 *
 * Every string in the model comes from the store, and most of it from a
 * scanned host or from the registry: writers never print one raw.  They
 * go through the escapers of escape.c for their context (HTML text or
 * attribute, CSV cell, JSON string, terminal).
 */
#ifndef VIGIE_REPORT_INTERNAL_H
#define VIGIE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "vigie/addr.h"
#include "vigie/fp.h"
#include "vigie/report.h"

struct store;
struct vg_err;

/* Ceilings: a store, however large or damaged, cannot make a report
 * run exhaust memory. */
#define REPORT_ROWS_MAX		(1u << 22)	/* rows of one table read */
#define REPORT_POOL_MAX		((size_t)256 << 20)	/* string bytes */
#define REPORT_RANGES_MAX	4096	/* CIDRs of one establishment */
#define REPORT_FIELD_SHOW_MAX	300	/* bytes of a raw field in HTML */
#define REPORT_QUIET_SHOW_MAX	128	/* addresses listed of one state */
#define REPORT_WORD_MAX		512	/* bytes of a range, name, reference */

#define REPORT_NSEV		(FP_SEV_CRITICAL + 1)

/*
 * Messages.  Every user-facing string lives in a catalog, French first
 * (messages_fr.c), then English (messages_en.c).  Texts may hold the
 * placeholders {1} to {9}, filled by msg_fmt().
 */
enum msg_id {
	MSG_DOC_TITLE,
	MSG_INDEX_TITLE,
	MSG_BRAND,
	MSG_CONFIDENTIAL,
	MSG_SCAN_OF,
	MSG_WARN_NOT_COMPLETE,
	MSG_WARN_NO_COMPLETE,
	MSG_DATE,
	MSG_MONTH_1,
	MSG_MONTH_2,
	MSG_MONTH_3,
	MSG_MONTH_4,
	MSG_MONTH_5,
	MSG_MONTH_6,
	MSG_MONTH_7,
	MSG_MONTH_8,
	MSG_MONTH_9,
	MSG_MONTH_10,
	MSG_MONTH_11,
	MSG_MONTH_12,
	MSG_UNKNOWN,
	MSG_NONE,
	MSG_COLON,		/* between a label and its value */

	MSG_CHANGES_H,
	MSG_CHANGES_INTRO,
	MSG_CHANGES_NEW,
	MSG_CHANGES_FIXED,
	MSG_CHANGES_PERSISTING,
	MSG_CHANGES_COUNTS,
	MSG_CHANGES_NONE,

	MSG_SUMMARY_H,
	MSG_EXPOSURE_LEVEL,
	MSG_LEVEL_NONE,		/* MSG_LEVEL_NONE + 1 + severity: a level */
	MSG_LEVEL_INFO,
	MSG_LEVEL_LOW,
	MSG_LEVEL_MEDIUM,
	MSG_LEVEL_HIGH,
	MSG_LEVEL_CRITICAL,
	MSG_LEVEL_EXPLAIN_NONE,	/* the same order: one sentence a level */
	MSG_LEVEL_EXPLAIN_INFO,
	MSG_LEVEL_EXPLAIN_LOW,
	MSG_LEVEL_EXPLAIN_MEDIUM,
	MSG_LEVEL_EXPLAIN_HIGH,
	MSG_LEVEL_EXPLAIN_CRITICAL,
	MSG_SEV_INFO,		/* MSG_SEV_INFO + severity */
	MSG_SEV_LOW,
	MSG_SEV_MEDIUM,
	MSG_SEV_HIGH,
	MSG_SEV_CRITICAL,
	MSG_SCAN_DATE,
	MSG_PERIMETER,
	MSG_HOSTNAMES,
	MSG_CATEGORY,
	MSG_REGION,
	MSG_FINDINGS_BY_SEV,
	MSG_SEVERITY,
	MSG_COUNT,
	MSG_TOTAL,
	MSG_STATS,

	MSG_ACTIONS_H,
	MSG_ACTIONS_INTRO,
	MSG_ACTIONS_NONE,
	MSG_THEME_EXPOSITION,
	MSG_THEME_MFA,
	MSG_THEME_UPDATES,
	MSG_THEME_ENCRYPTION,
	MSG_THEME_ACCOUNTS,
	MSG_THEME_LOGS,
	MSG_THEME_OTHER,
	MSG_AFFECTED,
	MSG_ADVICE,
	MSG_REFERENCES,
	MSG_CONFIDENCE,
	MSG_CONF_CERTAIN,
	MSG_CONF_LIKELY,
	MSG_CONF_TO_VERIFY,

	MSG_DETAILS_H,
	MSG_DETAILS_INTRO,
	MSG_DETAILS_NONE,
	MSG_QUIET_H,
	MSG_QUIET_SILENT,
	MSG_QUIET_CLOSED,
	MSG_QUIET_OTHER,
	MSG_AND_MORE,
	MSG_HOST_STATE,
	MSG_HOST_UP,
	MSG_HOST_CLOSED,
	MSG_HOST_SILENT,
	MSG_HOST_UNRECORDED,
	MSG_HOST_COUNTS,
	MSG_PORT,
	MSG_PORT_STATE,
	MSG_PORT_OPEN,
	MSG_PORT_CLOSED,
	MSG_PORT_FILTERED,
	MSG_SERVICE,
	MSG_PRODUCT,
	MSG_VERSION,
	MSG_FINDINGS,
	MSG_EVIDENCE,
	MSG_RAW_FIELDS,
	MSG_NOT_IDENTIFIED,
	MSG_HOST_FINDINGS,

	MSG_METHOD_H,
	MSG_METHOD_INTRO,
	MSG_METHOD_SOURCE,
	MSG_METHOD_SOURCE_HINT,
	MSG_METHOD_STARTED,
	MSG_METHOD_FINISHED,
	MSG_METHOD_STATUS,
	MSG_METHOD_RULES,
	MSG_METHOD_PORTS,
	MSG_METHOD_MODE,
	MSG_METHOD_VERSION,
	MSG_METHOD_SCAN_ID,
	MSG_MODE_SYN,
	MSG_MODE_CONNECT,
	MSG_STATUS_COMPLETE,
	MSG_STATUS_RUNNING,

	MSG_CONTACT_H,
	MSG_CONTACT_TEXT,
	MSG_INCIDENT_TEXT,
	MSG_INCIDENT_URL,
	MSG_INCIDENT_NOTE,

	MSG_FOOTER,
	MSG_INDEX_H,
	MSG_INDEX_SUMMARY_H,
	MSG_INDEX_INTRO,
	MSG_INDEX_COUNTS,
	MSG_COL_FINESS,
	MSG_COL_NAME,
	MSG_COL_LEVEL,
	MSG_COL_REPORT,
	MSG_OPEN_REPORT,

	MSG_DIFF_HEADER,
	MSG_DIFF_NEW,
	MSG_DIFF_FIXED,
	MSG_DIFF_PERSISTING,
	MSG_DIFF_SUMMARY,
	MSG_DIFF_NO_CHANGE,
	MSG_DIFF_ONLY_FROM,
	MSG_DIFF_ONLY_TO,

	MSG_METHOD_ENRICH,
	MSG_ENRICH_DB,
	MSG_ENRICH_NONE,
	MSG_GEO_NETWORK,
	MSG_GEO_AS,
	MSG_GEO_COUNTRY,
	MSG_TREND_H,
	MSG_TREND_NONE,
	MSG_SINCE,
	MSG_SINCE_SHORT,
	MSG_REAPPEARED,
	MSG_CHANGES_REAPPEARED,
	MSG_CHANGES_FIRST,
	MSG_PRIORITIES_H,
	MSG_PRIORITIES_ADDRS,
	MSG_PRIORITIES_PORTS,
	MSG_PRIORITIES_MORE,
	MSG_FIRST_SEEN,
	MSG_DATE_SHORT,
	MSG_DAY,
	MSG_SUM_TITLE,
	MSG_SUM_CONFIDENTIAL,
	MSG_SUM_OVERVIEW_H,
	MSG_SUM_INTRO,
	MSG_SUM_KPI_ESTS,
	MSG_SUM_KPI_EXPOSED,
	MSG_SUM_KPI_CRITICAL,
	MSG_SUM_KPI_FINDINGS,
	MSG_SUM_KPI_TTF,
	MSG_SUM_DAYS,
	MSG_SUM_NA,
	MSG_SUM_TREND_H,
	MSG_SUM_TREND_INTRO,
	MSG_SUM_TREND_ONE,
	MSG_SUM_TREND_CHART,
	MSG_SUM_COL_SCAN,
	MSG_SUM_COL_DATE,
	MSG_SUM_COL_ESTS,
	MSG_SUM_COL_EXPOSED,
	MSG_SUM_COL_WITH_CRIT,
	MSG_SUM_COL_NEW,
	MSG_SUM_COL_FIXED,
	MSG_SUM_TOP_H,
	MSG_SUM_TOP_INTRO,
	MSG_SUM_TOP_NONE,
	MSG_SUM_COL_RANK,
	MSG_SUM_CAT_H,
	MSG_SUM_REGION_H,
	MSG_SUM_RULE_H,
	MSG_SUM_RULE_INTRO,
	MSG_SUM_COL_RULE,
	MSG_SUM_COL_TITLE,
	MSG_SUM_COL_FINDINGS,
	MSG_SUM_COL_ESTS_AFFECTED,
	MSG_SUM_CAT_ES,
	MSG_SUM_CAT_ESMS,
	MSG_SUM_NOT_GIVEN,
	MSG_SUM_TTF_H,
	MSG_SUM_TTF_INTRO,
	MSG_SUM_COL_FIXED_N,
	MSG_SUM_COL_MEDIAN,
	MSG_SUM_COL_MEAN,
	MSG_SUM_COL_OPEN,
	MSG_SUM_COL_OPEN_AGE,
	MSG_SUM_COL_OLDEST,
	MSG_SUM_COL_REAPPEARED,
	MSG_SUM_ALL,
	MSG_SUM_SCAN_H,
	MSG_SUM_FILES,

	MSG__COUNT
};

struct msg_catalog {
	const char		*lang;		/* "fr", "en": lang attribute */
	const char *const	*text;		/* MSG__COUNT entries */
};

extern const struct msg_catalog	msg_catalog_fr;
extern const struct msg_catalog	msg_catalog_en;

/* NULL lang: French.  NULL for a language we have no catalog for. */
const struct msg_catalog *msg_catalog_find(const char *lang);
size_t		 msg_catalog_count(void);
const struct msg_catalog *msg_catalog_at(size_t);
/* Never NULL: a missing text falls back to French, then to "". */
const char	*msg_get(const struct msg_catalog *, enum msg_id);
/*
 * Expand {1}..{9} in `tpl` with args[0..nargs-1] (NULL or missing: "").
 * Returns a string the caller free()s, or NULL when out of memory.
 */
char		*msg_fmt(const char *tpl, const char *const *args,
		    size_t nargs);
const char	*msg_severity(const struct msg_catalog *, enum fp_severity);
/* The exposure level for the worst severity, -1 for no finding. */
const char	*msg_level(const struct msg_catalog *, int worst);
const char	*msg_level_explain(const struct msg_catalog *, int worst);
/* A finding's theme (the rules' French names), in the catalog's
 * language; an unknown theme is returned as is, "" as "Other". */
const char	*msg_theme(const struct msg_catalog *, const char *theme);
/* Rank of a theme in the action plan's order; unknown ones last. */
int		 msg_theme_rank(const char *theme);
const char	*msg_confidence(const struct msg_catalog *, const char *);
/* "2024-11-25T03:01:00Z" as "25 novembre 2024 à 03:01 UTC" into buf;
 * text that is not such a date is copied as is. */
void		 msg_date(const struct msg_catalog *, const char *iso,
		    char *buf, size_t len);
/* The same without the time: "25 novembre 2024". */
void		 msg_day(const struct msg_catalog *, const char *iso,
		    char *buf, size_t len);

/*
 * Escaping (escape.c).  Every function takes text from the store, which
 * may be invalid UTF-8 or hold control bytes: those come out as U+FFFD
 * (HTML, CSV) or '?' (terminal), never raw.  NULL prints nothing.
 */
void	esc_html(FILE *, const char *);		/* element content */
void	esc_html_attr(FILE *, const char *);	/* inside "..." */
/* The same, at most `max` bytes of the input (cut on a character),
 * followed by an ellipsis when cut. */
void	esc_html_max(FILE *, const char *, size_t max);
/* One CSV cell, always quoted, with the formula-injection guard: a
 * cell starting with = + - @ TAB or CR gets a leading quote ('). */
void	esc_csv(FILE *, const char *);
/* A JSON string (new reference) for any bytes; NULL gives JSON null.
 * Invalid UTF-8 is replaced, so the result is never NULL unless out of
 * memory. */
json_t	*esc_json_str(const char *);
/* For a terminal: printable text only. */
void	esc_term(FILE *, const char *);
/* True when s is a usable file name stem: [A-Za-z0-9_-], 1-64 bytes. */
bool	esc_is_safe_name(const char *);

/*
 * The model (report.c).  Strings are borrowed from the run's memory
 * pool; NULL means the column was NULL.
 */
struct rep_pool;

struct rep_pool	*rep_pool_new(size_t max);
void		 rep_pool_free(struct rep_pool *);	/* NULL-safe */
void		 rep_pool_reset(struct rep_pool *);
/* NULL for NULL and when over the pool's ceiling (check with ok()). */
char		*rep_pool_strdup(struct rep_pool *, const char *);
bool		 rep_pool_ok(const struct rep_pool *);

struct rep_scan {
	int64_t		 id;
	const char	*started, *finished, *status, *mode, *ports;
	const char	*targets, *source, *rules_version, *vigie_version;
	bool		 complete;
	bool		 fallback;	/* no complete scan: the last of any */
};

/*
 * What the --mmdb databases say of an address (enrich.c).  Strings are
 * borrowed from a report pool, and untrusted like any other: a database
 * is input too.  NULL or 0: the databases do not know.
 */
struct rep_geo {
	const char	*country;	/* ISO 3166-1 alpha-2, "FR" */
	const char	*country_name;	/* in the report's language */
	const char	*org;		/* the AS's organisation */
	uint32_t	 asn;
};

struct rep_host {
	struct vg_addr	 addr;
	const char	*ip;
	const char	*state;		/* "up", "closed", "silent"; NULL:
					   not recorded */
	int64_t		 open, closed, filtered;
	struct rep_geo	 geo;
};

struct rep_port {
	struct vg_addr	 addr;
	const char	*ip;
	int		 port;
	const char	*proto, *state, *ts;
};

struct rep_service {
	struct vg_addr	 addr;
	const char	*ip;
	int		 port;
	const char	*proto, *service, *product, *version, *status;
	const char	*probe, *fields, *ts;
	bool		 tls;
};

/* Every column of the findings table, plus the service's product and
 * version at the same ip:port. */
struct rep_finding {
	struct vg_addr		 addr;
	bool			 has_addr;
	int64_t			 scan;
	const char		*fid, *establishment, *ip;
	int			 port;
	const char		*proto, *rule, *severity, *confidence;
	const char		*theme, *service, *title_fr, *title_en;
	const char		*advice_fr, *advice_en, *evidence, *refs, *ts;
	const char		*product, *version;
	enum fp_severity	 sev;
	struct rep_geo		 geo;
	/* From the history (history.c): the start of the scan where this
	 * finding was first seen, in its current run of scans; true when
	 * it had been fixed before and came back.  NULL/false without a
	 * history. */
	const char		*since;
	bool			 reappeared;
};

struct diff;

/* One scan of an establishment's trend: its findings by severity. */
struct rep_trend_point {
	int64_t		 scan;
	const char	*started;
	size_t		 counts[REPORT_NSEV];
};

struct rep_est {
	const char		 *id, *name, *category, *region, *contact;
	const char		 *ranges, *hostnames;	/* space-separated */
	struct vg_cidr		 *cidrs;
	size_t			  ncidrs;
	/* Every address of the establishment that left a trace: in its
	 * ranges (hosts, ports, services) or named by one of its findings.
	 * All sorted by address (then port, proto). */
	const struct rep_host	**hosts;	/* one per address */
	size_t			  nhosts;
	const struct rep_port	**ports;
	size_t			  nports;
	const struct rep_service **services;
	size_t			  nservices;
	/* Most severe first, then by theme, rule, address, port. */
	struct rep_finding	 *findings;
	size_t			  nfindings;
	size_t			  counts[REPORT_NSEV];
	int			  worst;	/* -1: no finding */
	/* Changes since the previous complete scan; NULL when there is no
	 * previous complete scan that covered this establishment. */
	const struct diff	 *diff;
	/* The complete scans of the establishment up to this one, oldest
	 * first, at most SUMMARY_TREND_MAX (history.c); malloc()ed. */
	struct rep_trend_point	 *trend;
	size_t			  ntrend;
};

/* What the index needs of each establishment once it is written. */
struct rep_index_row {
	const char	*id, *name, *category, *region;
	size_t		 counts[REPORT_NSEV];
	int		 worst;
	size_t		 nhosts, nservices;
};

struct enrich;

struct report_ctx {
	struct store			*store;
	const struct report_opts	*opts;
	const struct report_format	*fmt;
	const struct msg_catalog	*cat;
	const char			*outdir;
	struct rep_scan			 scan;
	struct rep_index_row		*index;
	size_t				 nindex;
	int				 nfiles;
	FILE				*out;	/* a format's open file */
	char				 out_path[4096];
	char				 out_tmp[4096];
	/* The --mmdb databases, NULL without; borrowed. */
	const struct enrich		*enrich;
	/* Extension of the files the index links to ("html", "pdf"). */
	const char			*link_ext;
	/* A format's private state (pdf.c: its scratch directory). */
	void				*fmt_state;
};

/*
 * Words of a list separated by spaces, tabs or commas (ranges, host
 * names, references): copies the next one into buf (cut to len - 1
 * bytes) and returns the rest of the list, or NULL when no word is
 * left.  A NULL list is empty.
 */
const char *rep_word(const char *list, char *buf, size_t len);
/*
 * Room for element n of the array v of *cap elements of `size` bytes:
 * returns v, or a larger array that replaces it (*cap updated), or NULL
 * (v untouched) when out of memory or over REPORT_ROWS_MAX.
 */
void	*rep_grow(void *v, size_t *cap, size_t n, size_t size);
/* Containment of an address in a space-separated list of CIDRs. */
int	rep_ranges_parse(const char *ranges, struct vg_cidr **out,
	    size_t *nout);			/* caller free()s *out */
bool	rep_ranges_contain(const struct vg_cidr *, size_t,
	    const struct vg_addr *);

/* Output files: written as "<name>.tmp" (mode 0640), renamed in place
 * by rep_out_commit(); rep_out_abort() removes the temporary file.  One
 * file open at a time, in ctx->out. */
int	rep_out_open(struct report_ctx *, const char *name, struct vg_err *);
int	rep_out_commit(struct report_ctx *, struct vg_err *);
void	rep_out_abort(struct report_ctx *);
/* "fr" texts or "en" ones, by the catalog's language, falling back to
 * the other when empty. */
const char *rep_pick(const struct report_ctx *, const char *fr,
	    const char *en);
/* The exposure level name, language independent: "critical" ... "none". */
const char *rep_level_key(int worst);

/*
 * A report format: a const table, like every module.  begin() runs once
 * before the first establishment, establishment() once for each (it
 * writes that establishment's file, or its rows), end() once after the
 * last (the index).  Each returns 0 or -1 with err set.  fini(), when
 * there is one, runs last whatever happened, to release what begin()
 * set up (ctx->fmt_state).
 */
struct report_format {
	const char	*name;
	const char	*ext;
	int		(*begin)(struct report_ctx *, struct vg_err *);
	int		(*establishment)(struct report_ctx *,
			    const struct rep_est *, struct vg_err *);
	int		(*end)(struct report_ctx *, struct vg_err *);
	void		(*fini)(struct report_ctx *);
};

extern const struct report_format	report_fmt_html;
extern const struct report_format	report_fmt_pdf;
extern const struct report_format	report_fmt_json;
extern const struct report_format	report_fmt_csv;

/*
 * The HTML writer's pieces (fmt_html.c), shared with the PDF format
 * (pdf.c: the same page, printed) and the national summary.  Each
 * writes to ctx->out.  html_establishment_file() and html_index_file()
 * write and commit one whole file, named in ctx->outdir.
 */
int	html_establishment_file(struct report_ctx *, const struct rep_est *,
	    struct vg_err *);
int	html_index_file(struct report_ctx *, struct vg_err *);
void	html_head(struct report_ctx *, const char *title, const char *css);
void	html_banner(struct report_ctx *, const char *title,
	    enum msg_id confidential);
void	html_foot(struct report_ctx *);
void	html_section(struct report_ctx *, const char *id, const char *n,
	    enum msg_id title);
void	html_text(struct report_ctx *, const char *untrusted);
void	html_msg(struct report_ctx *, enum msg_id);
void	html_msgf(struct report_ctx *, enum msg_id, const char *a1,
	    const char *a2, const char *a3, const char *a4);
void	html_kv(struct report_ctx *, enum msg_id key, const char *val);
void	html_sev_badge(struct report_ctx *, enum fp_severity);
void	html_counts_table(struct report_ctx *,
	    const size_t counts[REPORT_NSEV]);
void	html_sev_chart(struct report_ctx *, const size_t counts[REPORT_NSEV]);
/* Stacked columns, one a scan, oldest left; the legend to go with them. */
void	html_trend_chart(struct report_ctx *,
	    const struct rep_trend_point *, size_t n, int height);
void	html_sev_legend(struct report_ctx *);
/* "#6d0f1f" ... for a severity, and its CSS class suffix. */
const char *html_sev_color(enum fp_severity);
const char *html_sev_class(enum fp_severity);
/* The date of an ISO timestamp, in the catalog's words, into buf. */
const char *html_date(const struct report_ctx *, const char *iso,
	    char *buf, size_t len);

/*
 * PDF (pdf.c): print an HTML file to PDF with headless Chromium.  The
 * browser runs in a process group of its own with a fresh profile in
 * `scratch`, file:// only, background networking off, and is killed
 * after timeout_ms.  0, or -1 with err set (the browser's last words
 * quoted).  pdf_find_browser() returns the browser's path (VIGIE_CHROMIUM,
 * else chromium or chromium-browser in PATH) in buf, or NULL.
 */
const char *pdf_find_browser(char *buf, size_t len);
int	pdf_print(const char *browser, const char *html, const char *pdf,
	    const char *scratch, unsigned timeout_ms, struct vg_err *);

/*
 * Enrichment (enrich.c): the --mmdb files, opened with libmaxminddb.
 * Lookups fill a struct rep_geo with strings from `pool`, names in
 * `lang` (falling back to English).
 */
struct enrich_info {
	const char	*file;		/* the path given */
	const char	*type;		/* metadata database_type */
	uint64_t	 build_epoch;	/* metadata build_epoch */
	char		 build[24];	/* the same, "2024-11-25T00:00:00Z" */
};

struct enrich	*enrich_open(const char *const *paths, size_t n,
		    struct vg_err *);	/* enrich_free() */
void		 enrich_free(struct enrich *);		/* NULL-safe */
size_t		 enrich_count(const struct enrich *);
const struct enrich_info *enrich_info_at(const struct enrich *, size_t);
/* 1 when a database knew the address, 0 when none did, -1 when the
 * pool is full. */
int		 enrich_lookup(const struct enrich *, const struct vg_addr *,
		    const char *lang, struct rep_pool *, struct rep_geo *);

const struct report_format *report_format_find(const char *name);

/*
 * History (history.c): the complete scans before a report's scan, and
 * that scan, oldest first; at most SUMMARY_HISTORY_MAX, so that the scans
 * of one establishment or one finding fit the bits of a uint64_t.
 */
#define SUMMARY_HISTORY_MAX	64	/* scans walked */
#define SUMMARY_TREND_MAX	12	/* scans in a trend */

struct rep_history {
	int64_t		 id[SUMMARY_HISTORY_MAX];
	time_t		 t[SUMMARY_HISTORY_MAX];
	const char	*started[SUMMARY_HISTORY_MAX];	/* pool strings */
	size_t		 n;
};

int	rep_history_load(struct report_ctx *, struct rep_pool *,
	    struct rep_history *, struct vg_err *);
/* The index of scan `id` in the history, SIZE_MAX when not in it. */
size_t	rep_history_index(const struct rep_history *, int64_t id);
/* "2024-11-25T08:00:00Z" as seconds since the epoch; 0 for another. */
time_t	rep_iso_time(const char *iso);
/*
 * One establishment's past: its trend (est->trend), and for each of its
 * findings (and of the diff's items, when d is not NULL) since when it
 * has been seen and whether it reappeared.  Strings are the history's;
 * est->trend is malloc()ed (est_fini() frees it).
 */
int	rep_est_history(struct report_ctx *, const struct rep_history *,
	    struct rep_est *, struct diff *d, struct vg_err *);

/* The diff between two scans (diff.c), by (establishment, fid). */
enum diff_kind {
	DIFF_NEW,
	DIFF_FIXED,
	DIFF_PERSISTING,
};

struct diff_item {
	enum diff_kind		 kind;
	enum fp_severity	 sev;
	char			*est, *est_name, *fid, *rule, *severity;
	char			*ip, *proto, *theme, *title_fr, *title_en;
	int			 port;
	/* Set by rep_est_history() for a report: as in rep_finding
	 * (borrowed from the report's pool). */
	const char		*since;
	bool			 reappeared;
};

struct diff {
	int64_t			 from, to;
	char			*from_started, *to_started;
	/* Sorted by establishment, kind, severity (worst first), rule,
	 * address, port. */
	struct diff_item	*v;
	size_t			 n;
	size_t			 nnew, nfixed, npersisting;
	size_t			 nonly_from, nonly_to;	/* establishments */
};

/*
 * Compare the findings of scans `from` and `to`, for the establishments
 * present in both (one only, when `est` is not NULL).  An establishment
 * in one scan only has no new or fixed findings: it was not scanned
 * twice; the counts nonly_from and nonly_to say how many there are.
 * Fill `d`, which the caller releases with diff_fini().  0 or -1.
 */
int	diff_compute(struct store *, int64_t from, int64_t to,
	    const char *est, struct diff *d, struct vg_err *);
void	diff_fini(struct diff *);		/* NULL-safe */
/* Resolve 0s: `to` the last complete scan, `from` the last complete
 * one before `to`.  0, or -1 with err set when there are not two. */
int	diff_resolve(struct store *, int64_t *from, int64_t *to,
	    struct vg_err *);

/*
 * The national summary (summary.c builds it, summary_html.c and
 * summary_csv.c write it): the scan's findings counted by severity,
 * rule, establishment category and region; the most exposed
 * establishments; the trend over the last complete scans; and the time
 * findings took to be fixed, from their history.
 */
#define SUMMARY_TOP_MAX		20	/* establishments listed first */

struct sum_est {
	const char	*id, *name, *category, *region;
	size_t		 counts[REPORT_NSEV];
	size_t		 nfindings;
	int		 worst;		/* -1: no finding */
};

/* A category, a region: establishments and their findings. */
struct sum_group {
	const char	*key;		/* NULL or "": not given */
	size_t		 nest;		/* establishments */
	size_t		 nexposed;	/* with at least one finding */
	size_t		 ncritical;	/* with a critical finding */
	size_t		 counts[REPORT_NSEV];
};

struct sum_rule {
	const char		*rule, *title_fr, *title_en;
	enum fp_severity	 sev;
	size_t			 nfindings, nest;
};

struct sum_point {
	int64_t		 scan;
	const char	*started;
	size_t		 nest, nexposed;
	size_t		 counts[REPORT_NSEV];
	size_t		 nnew, nfixed;
	bool		 compared;	/* a previous scan to compare with */
};

/* Time to fix, in days, for one severity (or all: index REPORT_NSEV). */
struct sum_ttf {
	size_t	 nfixed;		/* episodes that ended */
	double	 median, mean;		/* days, of those */
	size_t	 nopen;			/* still open in the scan */
	double	 open_median, open_max;	/* days open so far */
	size_t	 nreappeared;		/* came back after a fix */
};

struct summary {
	struct sum_est		*ests;		/* by id */
	size_t			 nests;
	const struct sum_est	**top;		/* most exposed first */
	size_t			 ntop;
	/* Categories by name, regions most exposed first. */
	struct sum_group	*cats, *regions;
	size_t			 ncats, nregions;
	struct sum_rule		*rules;		/* most severe, then most */
	size_t			 nrules;
	size_t			 counts[REPORT_NSEV];
	size_t			 nfindings, nexposed, ncritical;
	struct sum_point	*trend;		/* oldest first */
	size_t			 ntrend;
	size_t			 nhistory;	/* scans walked for ttf */
	struct sum_ttf		 ttf[REPORT_NSEV + 1];
};

/*
 * One finding's life over the history: bit i of `scanned` is set when
 * its establishment was in history scan i (oldest first, n scans), bit i
 * of `present` when the finding was.  An episode runs from a scan where
 * the finding is present after an absence (or first) to the first later
 * scan of the establishment where it is absent (`fixed`), or is still
 * running (`fixed` = SIZE_MAX).  `reappeared`: an earlier episode of the
 * same finding ended with a fix.  Returns the number of episodes, of
 * which the first `max` are stored in `out`.
 */
struct sum_episode {
	size_t	first, fixed;
	bool	reappeared;
};

size_t	summary_episodes(uint64_t scanned, uint64_t present, size_t n,
	    struct sum_episode *out, size_t max);
/* The median of v[0..n-1], which it sorts; 0 for none. */
double	summary_median(double *v, size_t n);

/* Build the summary of ctx->scan (ctx->scan loaded, pool for strings). */
int	summary_build(struct report_ctx *, struct rep_pool *,
	    struct summary *, struct vg_err *);
void	summary_fini(struct summary *);			/* NULL-safe */
/* `vigie report --summary`: load, build, write; files written or -1. */
int	summary_write(struct store *, const struct report_opts *,
	    struct vg_err *);
int	summary_html(struct report_ctx *, const struct summary *,
	    struct vg_err *);
int	summary_csv(struct report_ctx *, const struct summary *,
	    struct vg_err *);
/* The scan a report is about (report.c): opts->scan, else the last
 * complete scan, else the last scan (ctx->scan.fallback). */
int	rep_load_scan(struct report_ctx *, struct rep_pool *,
	    struct vg_err *);
int	rep_make_dirs(const char *path, struct vg_err *);
/* A category's name in the catalog's words ("ES" -> "Établissements de
 * santé (ES)"), the unknown as given, "" as "not given". */
const char *msg_category(const struct msg_catalog *, const char *);

#endif /* VIGIE_REPORT_INTERNAL_H */
