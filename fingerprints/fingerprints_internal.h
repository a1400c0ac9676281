/*
 * fingerprints_internal.h - private to fingerprints/: the compiled form
 * of a rule set, the schema loader (rules.c) and the C checks.
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

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "vigie/fp.h"
#include "vigie/obs.h"

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
	const struct fp_check	*check;		/* NULL when none */

	char			**evidence;	/* field names to quote */
	size_t			 nevidence;
	struct fp_example	*examples;
	size_t			 nexamples;

	const char		*file;		/* borrowed from the set */
	unsigned long		 line;
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
};

/* rules.c */
struct fp_rules	*rules_new(struct vg_err *);
/* Parse one file's bytes and append its rules.  `path` names the file in
 * errors and is copied.  0, or -1 with `err` set to "path:line". */
int		 rules_add_file(struct fp_rules *, const char *path,
		    const void *data, size_t len, struct vg_err *);
/* Close the set: compute its version.  Always succeeds. */
void		 rules_finish(struct fp_rules *);

/* engine.c */
uint64_t	 fp_fnv1a(uint64_t h, const void *, size_t);
#define FNV1A_INIT	0xcbf29ce484222325ULL	/* FNV-1a 64 offset basis */

/* checks.c: every C check, one line each in the registry. */
extern const struct fp_check	fp_check_tls_self_signed;
extern const struct fp_check	fp_check_tls_expired;
extern const struct fp_check	fp_check_tls_untrusted;

#endif /* VIGIE_FINGERPRINTS_INTERNAL_H */
