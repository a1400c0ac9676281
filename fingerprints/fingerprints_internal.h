/*
 * fingerprints_internal.h - private to fingerprints/: the compiled form
 * of a rule set and of the version data set, the YAML tree and schema
 * helpers (ytree.c), the loaders (rules.c, versions_load.c) and the C
 * checks.
 *
 * A rule set is built by rules_add_file() once per file, then frozen.
 * After loading, only fp_eval() and fp_rules_selftest() touch it, and
 * the one thing they write is the shared PCRE2 match data: a rule set
 * is used by one thread at a time.
 */
#ifndef VIGIE_FINGERPRINTS_INTERNAL_H
#define VIGIE_FINGERPRINTS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "vigie/fp.h"
#include "vigie/obs.h"
#include "fingerprints/versions.h"

/* Ceilings, so that a rule file cannot make the loader exhaust memory. */
#define RULES_FILE_MAX		(1024 * 1024)	/* bytes of one rule file */
#define RULES_FILES_MAX		256		/* files in one folder */
#define RULES_MAX		4096		/* rules in one set */
#define RULES_DEPTH_MAX		8		/* YAML nesting */
#define RULES_NODES_MAX		200000		/* YAML nodes in one file */
#define RULES_LIST_MAX		256		/* items of one list */
#define RULES_EXAMPLES_MAX	64		/* examples of one rule */
#define RULES_ID_MAX		64		/* bytes of a rule id */
#define RULES_TEXT_MAX		4096		/* bytes of a title or advice */

/* PCRE2 limits: a rule's regex cannot run away on a hostile banner. */
#define RULES_MATCH_LIMIT	100000	/* calls to the internal match() */
#define RULES_DEPTH_LIMIT	2000	/* backtracking depth */
#define RULES_HEAP_LIMIT	2048	/* KiB of backtracking heap */

/* Version data (fingerprints/rules/versions/), see versions_load.c. */
#define VDB_FILES_MAX		64	/* files in the versions folder */
#define VDB_RELEASES_MAX	512
#define VDB_PRODUCTS_MAX	512
#define VDB_CAND_MAX		8	/* releases one banner may point to */

/* At most this many findings from one rule on one observation. */
#define FP_OUTCOMES_MAX		4
#define FP_REFS_MAX		768	/* bytes of a finding's references */

/* One condition on an observed field. */
struct fp_cond {
	char		*key;
	bool		 absent;	/* "!key": the field must be absent */
	pcre2_code	*re;		/* NULL when absent */
};

/* One example of a rule: an observation and the expected verdict. */
struct fp_example {
	unsigned long	 line;
	struct obs	*obs;		/* owned */
	uint16_t	 port;		/* 0 when the example sets none */
	enum fp_verdict	 expect;
};

struct fp_rule {
	char			*id;
	enum fp_severity	 severity;
	const char		*confidence;	/* static string */
	const char		*theme;		/* static string */
	char			*title_fr, *title_en;
	char			*advice_fr, *advice_en;
	char			*references;	/* space-separated, or "" */

	/* when: every condition present must hold. */
	char			**services;
	size_t			 nservices;
	uint16_t		*ports;
	size_t			 nports;
	int			 tls;		/* -1 any, 0 plain, 1 TLS */
	struct fp_cond		*conds;
	size_t			 nconds;
	struct fp_cond		*any;		/* when.any: one must hold */
	size_t			 nany;
	const struct fp_check	*check;		/* NULL when none */
	const struct fp_xcheck	*xcheck;	/* or this, NULL when none */

	char			**evidence;	/* field names to quote */
	size_t			 nevidence;
	struct fp_example	*examples;
	size_t			 nexamples;

	const char		*file;		/* borrowed from the set */
	unsigned long		 line;
};

/*
 * A distribution or platform release and the end of its security
 * support.  Dates are days since 1970-01-01.
 */
struct vrel {
	char			*id;		/* "debian-12", "el-7" */
	char			*name;		/* "Debian 12 (bookworm)" */
	long			 eol;
	long			 ext_eol;	/* paid extension, or eol */
	pcre2_code		*revision;	/* a revision proving it */
	pcre2_code		*extended;	/* a revision on extension */
	enum fp_severity	 severity;	/* of its end-of-life */
	char			*references;	/* space-separated, or "" */
	const char		*file;		/* borrowed from the set */
	unsigned long		 line;
};

/* The upstream versions one release ships ("frozen" versions). */
struct vship {
	char			*rel;		/* "debian-12", "el-7" */
	struct vers_range	 range;
	unsigned long		 line;
};

/* A release's fixed package version for one CVE. */
struct vfix {
	char			*rel;		/* a release id */
	char			*version;	/* NULL: not affected */
	bool			 to_verify;	/* a revision unsure of */
	unsigned long		 line;
};

struct vcve {
	char			*id;		/* "CVE-2024-6387" */
	char			*name;		/* "regreSSHion", or NULL */
	enum fp_severity	 severity;
	struct vers_range	*affected;	/* upstream ranges, any */
	size_t			 naffected;
	struct vfix		*fixed;
	size_t			 nfixed;
	bool			 to_verify;	/* at most "to-verify" */
	char			*references;	/* space-separated, or "" */
	unsigned long		 line;
};

/* An upstream branch that is no longer maintained. */
struct vbranch {
	struct vers_range	 range;
	long			 eol;
	char			*name;		/* "OpenSSL 1.0.2" */
	bool			 to_verify;
	enum fp_severity	 severity;
	unsigned long		 line;
};

/* Where a product's version is read. */
enum vsource {
	VSRC_SSH,		/* ssh.software + ssh.comments, a token */
	VSRC_SERVER,		/* "token/version" in http.server... */
	VSRC_PRODUCT,		/* the probe's product and version fields */
	VSRC_FIELD,		/* a field holding the version alone */
};

/* An example of a product entry, run by `vigie rules test`. */
struct vexample {
	unsigned long	 line;
	struct obs	*obs;		/* owned */
	long		 date;		/* -1: today */
	const char	*outdated;	/* static: a verdict, or "none" */
	const char	*eol;		/* static: a verdict, or "none" */
	char		**cves;		/* the exact set, when has_cves */
	size_t		 ncves;
	bool		 has_cves;
};

struct vprod {
	char			*id;		/* "openssh" */
	char			*name;		/* "OpenSSH" */
	enum vsource		 source;
	char			*token;		/* banner token or product */
	char			**fields;	/* where to read, or NULL */
	size_t			 nfields;
	char			**markers;	/* fields naming the distro */
	size_t			 nmarkers;
	char			*revision;	/* field of a package revision */
	unsigned long		 epoch;		/* Debian package epoch */
	bool			 bundled;	/* version names its platform */
	bool			 bare_upstream;	/* a bare version: upstream */
	struct vship		*ships;
	size_t			 nships;
	struct vcve		*cves;
	size_t			 ncves;
	struct vbranch		*branches;
	size_t			 nbranches;
	struct vexample		*examples;
	size_t			 nexamples;
	const char		*file;		/* borrowed from the set */
	unsigned long		 line;
};

struct vdb {
	struct vrel		*rels;
	size_t			 nrels, relscap;
	struct vprod		*prods;
	size_t			 nprods, prodscap;
};

struct fp_rules {
	struct fp_rule		*rules;
	size_t			 n, cap;
	char			**files;	/* paths, in load order */
	size_t			 nfiles, filescap;
	uint64_t		 hash;		/* over the files' bytes */
	char			 version[13];
	pcre2_compile_context	*cctx;
	pcre2_match_context	*mctx;
	pcre2_match_data	*md;		/* shared: one thread */
	struct vdb		 vdb;		/* version data, may be empty */
	long			 today;		/* days since 1970-01-01 */
};

/*
 * What one finding of a rule says beyond the rule's own text: evidence,
 * and the severity, confidence and references of this finding (a version
 * verdict is as severe as its CVEs and as sure as its inference).
 */
struct fp_outcome {
	struct fp_evidence	 ev;
	enum fp_severity	 severity;
	const char		*confidence;	/* static string */
	char			 refs[FP_REFS_MAX];	/* space-separated */
};

/*
 * A check that reads the rule set's data and may give several findings
 * (one per piece of software an observation names).  The engine presets
 * each of the `max` outcomes from the rule (its severity, confidence,
 * references and evidence fields); the check sets *n to the outcomes it
 * filled and answers FP_MATCH only with *n >= 1.
 */
struct fp_xcheck {
	const char	*name;
	enum fp_verdict	 (*eval)(const struct fp_rules *, const struct obs *,
			    struct fp_outcome *, size_t max, size_t *n);
};

/* ytree.c: a YAML document as a tree, and the shared schema helpers. */
enum ytype {
	Y_SCALAR,
	Y_SEQ,
	Y_MAP,
};

/* A YAML node.  A mapping's kids alternate key, value. */
struct ynode {
	enum ytype	  type;
	unsigned long	  line;
	char		 *str;		/* scalar, NUL-terminated */
	struct ynode	**kids;
	size_t		  n, cap;
};

/* One file being loaded. */
struct loader {
	struct fp_rules	*set;
	const char	*path;		/* as kept in set->files */
	struct vg_err	*err;
	size_t		 nodes;
	const char	*kind;		/* "rule", "product", "release" */
	bool		 in_item;	/* errors say "<kind> '<name>': " */
	const char	*item;		/* its name, borrowed from the tree */
};

int		 y_fail(struct loader *, unsigned long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/* Grow *arr to hold one more element of `size` bytes; -1 when full. */
int		 y_grow(void *arrp, size_t *cap, size_t n, size_t size,
		    size_t max);
void		 y_free(struct ynode *);		/* NULL-safe */
/* Build the tree of one document; *rootp is NULL for an empty file. */
int		 y_tree(struct loader *, const void *, size_t,
		    struct ynode **rootp);
const char	*y_type_str(enum ytype);
int		 y_expect(struct loader *, const struct ynode *, enum ytype,
		    const char *what);
/* Index of s in a NULL-terminated table, or -1. */
int		 y_lookup(const char *const *table, const char *s);
/* A mapping of string keys, each once, from `allowed` when not NULL. */
int		 y_check_map(struct loader *, const struct ynode *,
		    const char *const *allowed, size_t max, const char *what);
const struct ynode *y_get(const struct ynode *, const char *key);
/* A non-empty string of at most `max` bytes, copied to *out. */
int		 y_str(struct loader *, const struct ynode *, const char *what,
		    size_t max, char **out);
/* A string or a list of strings: the number of items, or -1. */
long		 y_items(struct loader *, const struct ynode *,
		    const char *what);
const struct ynode *y_item_at(const struct ynode *, size_t);
bool		 y_name_ok(const char *, const char *extra, size_t max);
bool		 y_field_ok(const char *);
bool		 y_service_ok(const char *);
int		 y_names(struct loader *, const struct ynode *,
		    const char *what, bool (*ok)(const char *), char ***out,
		    size_t *nout);
int		 y_port(struct loader *, const struct ynode *, const char *what,
		    uint16_t *);
int		 y_bool(struct loader *, const struct ynode *, const char *what,
		    bool *);
int		 y_choice(struct loader *, const struct ynode *,
		    const char *what, const char *const *table,
		    const char **out);
int		 y_texts(struct loader *, const struct ynode *,
		    const char *what, bool need_fr, char **fr, char **en);
int		 y_references(struct loader *, const struct ynode *,
		    char **out);
struct obs	*y_obs(struct loader *, const struct ynode *, uint16_t *port);

/* rules.c */
struct fp_rules	*rules_new(struct vg_err *);
/* Parse one file's bytes and append its rules.  `path` names the file in
 * errors and is copied.  0, or -1 with `err` set to "path:line". */
int		 rules_add_file(struct fp_rules *, const char *path,
		    const void *data, size_t len, struct vg_err *);
/* Close the set: compute its version.  Always succeeds. */
void		 rules_finish(struct fp_rules *);
/* Hash one file into the set's version. */
void		 rules_hash_file(struct fp_rules *, const char *path,
		    const void *, size_t);

/* versions_load.c: the version data set. */
/* Parse one versions file and append its releases and products; `path`
 * names it in errors and is copied.  0, or -1 with `err` set. */
int		 versions_add_file(struct fp_rules *, const char *path,
		    const void *data, size_t len, struct vg_err *);
/* Check the references between files (releases named by products).
 * 0, or -1 with `err` naming the file:line of the bad reference. */
int		 versions_link(struct fp_rules *, struct vg_err *);
void		 versions_free(struct vdb *);
const struct vrel *versions_release(const struct vdb *, const char *id);
/* "YYYY-MM-DD" to days since 1970-01-01; -1 when invalid. */
long		 versions_date(const char *);

/* check_version.c: verdicts on the software an observation names. */
struct vverdict {
	const struct vprod	*prod;
	struct vers_sw		 sw;
	const char		*banner_key;	/* the field read */
	const char		*outdated;	/* a verdict, or NULL */
	enum fp_severity	 severity;	/* of `outdated` */
	const char		*eol;		/* a verdict, or NULL */
	const struct vrel	*eol_rel;	/* the release at its end */
	const struct vbranch	*eol_branch;	/* or the upstream branch */
	struct fp_evidence	 ev_outdated;
	struct fp_evidence	 ev_eol;
	char			 refs[FP_REFS_MAX];
	char			 cves[256];	/* those applying */
};

/* Judge what `obs` names, as of `today`; fills at most `max` verdicts,
 * one per product found, and returns how many. */
size_t		 versions_eval(const struct fp_rules *, const struct obs *,
		    long today, struct vverdict *, size_t max);
/* Run the product entries' examples; failures as "file:line: ...". */
int		 versions_selftest(const struct fp_rules *, FILE *);

/* checks.c */
const struct fp_xcheck	*fp_xcheck_find(const char *);

/* engine.c */
uint64_t	 fp_fnv1a(uint64_t h, const void *, size_t);
#define FNV1A_INIT	0xcbf29ce484222325ULL	/* FNV-1a 64 offset basis */

/* checks.c: every C check, one line each in the registry. */
extern const struct fp_check	fp_check_tls_self_signed;
extern const struct fp_check	fp_check_tls_expired;
extern const struct fp_check	fp_check_tls_untrusted;
extern const struct fp_check	fp_check_tls_legacy_protocol;
extern const struct fp_check	fp_check_tls_weak_cipher;
extern const struct fp_check	fp_check_tls_short_key;
extern const struct fp_check	fp_check_rdp_no_nla;
extern const struct fp_check	fp_check_rdp_standard_security;
extern const struct fp_check	fp_check_rdp_internal_name;
extern const struct fp_check	fp_check_vpn_gateway;
extern const struct fp_check	fp_check_vpn_mfa_not_evident;
extern const struct fp_xcheck	fp_xcheck_version_outdated;
extern const struct fp_xcheck	fp_xcheck_version_eol;
extern const struct fp_xcheck	fp_xcheck_rdp_windows_eol;

#endif /* VIGIE_FINGERPRINTS_INTERNAL_H */
