/*
 * fp.h - fingerprints: rules (fingerprints/rules/*.yaml) and C checks
 * turn stored observations into findings.
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
 * rules and the evaluation; copy what you keep.
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

/* Load every *.yaml of a folder; errors name file:line. */
struct fp_rules	*fp_rules_load(const char *dir, struct vg_err *);
void		 fp_rules_free(struct fp_rules *);	/* NULL-safe */
size_t		 fp_rules_count(const struct fp_rules *);
/* The rule set's version: a hash of the files' contents. */
const char	*fp_rules_version(const struct fp_rules *);

/* Evaluate every rule on one observation; `emit` is called for each
 * finding.  `est` is the establishment id, part of the identity. */
void	fp_eval(const struct fp_rules *, const struct obs *,
	    const struct vg_addr *, uint16_t port, const char *proto,
	    const char *est,
	    void (*emit)(void *, const struct finding *), void *arg);
/* Run every rule's own examples; prints failures to `out`.  Returns the
 * number of failures. */
int	fp_rules_selftest(const struct fp_rules *, void *out_FILE);

/* The stable identity of a finding: establishment, address, port, rule
 * and evidence, hashed. */
void	finding_identity(const char *est, const struct vg_addr *,
	    uint16_t port, const char *rule, const char *evidence,
	    char out[17]);

#endif /* VIGIE_FP_H */
