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

struct rep_host {
	struct vg_addr	 addr;
	const char	*ip;
	const char	*state;		/* "up", "closed", "silent"; NULL:
					   not recorded */
	int64_t		 open, closed, filtered;
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
};

struct diff;

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
};

/* What the index needs of each establishment once it is written. */
struct rep_index_row {
	const char	*id, *name, *category, *region;
	size_t		 counts[REPORT_NSEV];
	int		 worst;
	size_t		 nhosts, nservices;
};

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
};

/*
 * Words of a list separated by spaces, tabs or commas (ranges, host
 * names, references): copies the next one into buf (cut to len - 1
 * bytes) and returns the rest of the list, or NULL when no word is
 * left.  A NULL list is empty.
 */
const char *rep_word(const char *list, char *buf, size_t len);
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
 * last (the index).  Each returns 0 or -1 with err set.
 */
struct report_format {
	const char	*name;
	const char	*ext;
	int		(*begin)(struct report_ctx *, struct vg_err *);
	int		(*establishment)(struct report_ctx *,
			    const struct rep_est *, struct vg_err *);
	int		(*end)(struct report_ctx *, struct vg_err *);
};

extern const struct report_format	report_fmt_html;
extern const struct report_format	report_fmt_json;
extern const struct report_format	report_fmt_csv;

const struct report_format *report_format_find(const char *name);

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

#endif /* VIGIE_REPORT_INTERNAL_H */
