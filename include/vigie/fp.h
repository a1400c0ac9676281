/*
 * fp.h - fingerprints: rules (the YAML files in fingerprints/rules/) and
 * C checks turn stored observations into findings.
 */
#ifndef VIGIE_FP_H
#define VIGIE_FP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"

struct obs;
struct vg_err;

enum fp_severity {
	FP_SEV_INFO,
	FP_SEV_LOW,
	FP_SEV_MEDIUM,
	FP_SEV_HIGH,
	FP_SEV_CRITICAL,
};

const char	*fp_severity_str(enum fp_severity);
int		 fp_severity_parse(const char *, enum fp_severity *);

enum fp_verdict {
	FP_MATCH,
	FP_NO_MATCH,
	FP_UNKNOWN,		/* we could not tell */
};

/* Evidence a check gathers: "key=value" pairs, bounded. */
struct fp_evidence {
	char	text[1024];
	size_t	len;
};

/* Bytes of evidence kept, of text[] (the rest stays unused). */
#define FP_EVIDENCE_MAX	512

/*
 * Append "key=val", separated from what is there by "; ".  A key already
 * present is not added twice.  Past FP_EVIDENCE_MAX the value is cut on
 * a UTF-8 boundary and ends with "..."; later pairs are dropped.  A zeroed
 * struct is empty; NULL key or val adds nothing.
 */
void	fp_evidence_add(struct fp_evidence *, const char *key, const char *val);

/* A C check, for what rule data cannot express. */
struct fp_check {
	const char	*name;
	enum fp_verdict	 (*eval)(const struct obs *, struct fp_evidence *);
};

const struct fp_check	*fp_check_find(const char *name);
size_t			 fp_check_count(void);
const struct fp_check	*fp_check_at(size_t);

/*
 * A finding, as handed to the caller.  Strings are borrowed from the
 * rules and the evaluation; copy what you keep.  None is NULL: what a
 * rule lacks is "", and the English texts fall back to the French ones.
 */
struct finding {
	const char		*rule;
	enum fp_severity	 severity;
	const char		*confidence;	/* "certain", "likely", ... */
	const char		*theme;		/* Exposition, MFA, ... */
	const char		*title_fr, *title_en;
	const char		*advice_fr, *advice_en;
	const char		*references;	/* space-separated */
	const char		*evidence;
	struct vg_addr		 addr;
	uint16_t		 port;
	const char		*proto;		/* "tcp", "udp" */
	const char		*service;
	char			 fid[17];	/* stable identity, hex */
};

struct fp_rules;

/* Load every *.yaml of a folder, in name order; errors name file:line.
 * Free with fp_rules_free(). */
struct fp_rules	*fp_rules_load(const char *dir, struct vg_err *);
/* The same from one file's bytes, `name` standing for the file in errors
 * (tests, fuzzing).  `data` is not kept.  Free with fp_rules_free(). */
struct fp_rules	*fp_rules_load_mem(const char *name, const void *data,
		    size_t len, struct vg_err *);
void		 fp_rules_free(struct fp_rules *);	/* NULL-safe */
size_t		 fp_rules_count(const struct fp_rules *);
/* The rule set's version: a hash of the files' contents. */
const char	*fp_rules_version(const struct fp_rules *);

/* Evaluate every rule on one observation; `emit` is called for each
 * finding, in rule order.  `est` is the establishment id, part of the
 * identity (NULL counts as "").  A rule whose check answers FP_UNKNOWN
 * emits nothing.  Not reentrant on one rule set: it shares one PCRE2
 * match block, so use a rule set from one thread at a time. */
void	fp_eval(const struct fp_rules *, const struct obs *,
	    const struct vg_addr *, uint16_t port, const char *proto,
	    const char *est,
	    void (*emit)(void *, const struct finding *), void *arg);
/* Run every rule's own examples; prints failures to `out` (a FILE *) as
 * "file:line: rule X example N: expected match, got no-match".  A rule
 * without both a match and a no-match example fails too.  Returns the
 * number of failures. */
int	fp_rules_selftest(const struct fp_rules *, void *out_FILE);

/*
 * Host-level evaluation: the honeypot and firewall guard.  fp_eval() sees
 * one observation; a tarpit, an ACKing firewall or a honeypot shows only
 * across all the observations of one address: answering on a large share
 * of the probed ports, identifying as many unrelated services, or giving
 * the same answer on many ports (research 3.6).
 */

/* One observation of a host, borrowed. */
struct fp_host_obs {
	const struct obs	*obs;
	uint16_t		 port;
	const char		*proto;		/* "tcp", "udp"; NULL: "tcp" */
};

/* What the guard concluded of a host. */
struct fp_host_verdict {
	bool	suspect;
	char	reason[192];	/* French, for the evidence; "" if not */
	size_t	nopen;		/* observations given */
	size_t	nprobed;	/* ports probed on the address */
	size_t	nservices;	/* distinct services identified */
	size_t	nsame;		/* most non-web ports giving one answer */
};

/*
 * Judge a host from its `n` observations (the ports that answered) and
 * the number of ports probed on it (0 when unknown: the open share is
 * then not used).  Fills `out`; never fails.
 */
void	fp_host_judge(const struct fp_host_obs *, size_t n, size_t nprobed,
	    struct fp_host_verdict *out);

/*
 * Judge the host, then evaluate every rule on each of its observations
 * as fp_eval() does.  On a suspect host each finding's confidence is
 * "to-verify" and its evidence starts with "host=<reason>"; its identity
 * is computed from the evidence without that note, so a finding keeps
 * its identity whether its host is suspect or not.  `out` may be NULL.
 * Same threading rule as fp_eval().
 */
void	fp_eval_host(const struct fp_rules *, const struct vg_addr *,
	    const struct fp_host_obs *, size_t n, size_t nprobed,
	    const char *est, void (*emit)(void *, const struct finding *),
	    void *arg, struct fp_host_verdict *out);

/*
 * Evaluate observations of a host already judged, as fp_eval_host() does
 * after judging: a caller that judges once then evaluates for several
 * establishments, or evaluates a host too large to hold at once piece by
 * piece, under the verdict of its first observations.
 */
void	fp_eval_judged(const struct fp_rules *, const struct vg_addr *,
	    const struct fp_host_verdict *, const struct fp_host_obs *,
	    size_t n, const char *est,
	    void (*emit)(void *, const struct finding *), void *arg);

/* The stable identity of a finding: establishment, address, port, rule
 * and evidence rendered as text, hashed with 64-bit FNV-1a, written as
 * 16 lowercase hex digits.  NULL strings or address count as "". */
void	finding_identity(const char *est, const struct vg_addr *,
	    uint16_t port, const char *rule, const char *evidence,
	    char out[17]);
/* The same for a protocol: "tcp" (or NULL) gives finding_identity()'s,
 * any other hashes "<port>/<proto>", so that UDP 1194 and TCP 1194 with
 * the same evidence stay two findings. */
void	finding_identity_proto(const char *est, const struct vg_addr *,
	    uint16_t port, const char *proto, const char *rule,
	    const char *evidence, char out[17]);

#endif /* VIGIE_FP_H */
