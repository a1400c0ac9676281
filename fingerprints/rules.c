/*
 * rules.c - rule files to compiled rules.
 *
 * A rule file is one YAML document: a list of rules (see the comment at
 * the top of fingerprints/rules/remote_access.yaml for the format).  It
 * is read in two steps.  ytree.c builds a small tree that keeps each
 * node's line.  The schema is then checked rule by rule while the
 * compiled rule is built: unknown keys, missing fields, bad values, PCRE2
 * compile errors and unknown checks all stop the load with
 * "file:line: reason", the line being libyaml's.
 */
#include "fingerprints_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigie/err.h"
#include "vigie/obs.h"

/* The closed vocabularies of the schema. */
static const char *const rule_keys[] = {
	"id", "severity", "theme", "confidence", "when", "check", "evidence",
	"title", "advice", "references", "examples", NULL,
};
static const char *const when_keys[] = {
	"service", "port", "tls", "fields", "any", NULL,
};
static const char *const example_keys[] = { "obs", "expect", NULL };
static const char *const themes[] = {
	"Exposition", "MFA", "Mises à jour", "Chiffrement", "Comptes",
	"Journaux", NULL,
};
static const char *const confidences[] = {
	"certain", "likely", "to-verify", NULL,
};

static int
compile_re(struct loader *ld, const struct ynode *y, const char *key,
    pcre2_code **re)
{
	PCRE2_UCHAR	msg[256];
	PCRE2_SIZE	off;
	int		code;

	if (y_expect(ld, y, Y_SCALAR, "fields") == -1)
		return -1;
	*re = pcre2_compile((PCRE2_SPTR)y->str, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
	    &code, &off, ld->set->cctx);
	if (*re != NULL)
		return 0;
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", code);
	return y_fail(ld, y->line, "field '%s': bad regex at offset %zu: %s",
	    key, (size_t)off, (const char *)msg);
}

/*
 * when.fields (every condition must hold) or when.any (at least one
 * must), into *condsp and *np.  "!field" (the field must be absent) has
 * no meaning in an alternative and is refused there.
 */
static int
get_fields(struct loader *ld, const struct ynode *y, const char *what,
    struct fp_cond **condsp, size_t *np)
{
	const struct ynode	*k;
	struct fp_cond		*c;
	size_t			 i;
	bool			 any = strcmp(what, "any") == 0;

	if (y_check_map(ld, y, NULL, RULES_LIST_MAX, what) == -1)
		return -1;
	if (y->n == 0)
		return y_fail(ld, y->line, "%s: empty mapping", what);
	if ((*condsp = calloc(y->n / 2, sizeof(**condsp))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < y->n; i += 2) {
		k = y->kids[i];
		c = &(*condsp)[(*np)++];
		c->absent = k->str[0] == '!';
		if (c->absent && any)
			return y_fail(ld, k->line, "any: '%s': an absent field "
			    "cannot be an alternative", k->str);
		if (!y_field_ok(k->str + c->absent))
			return y_fail(ld, k->line, "%s: bad field name '%s'",
			    what, k->str);
		if ((c->key = strdup(k->str + c->absent)) == NULL)
			return y_fail(ld, k->line, "out of memory");
		/* The value of a "!field" key is not used. */
		if (c->absent)
			continue;
		if (compile_re(ld, y->kids[i + 1], c->key, &c->re) == -1)
			return -1;
	}
	return 0;
}

static int
get_when(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	const struct ynode	*v;
	size_t			 i;
	long			 n;
	bool			 b;

	if (y_check_map(ld, y, when_keys, 0, "when") == -1)
		return -1;
	if (y->n == 0)
		return y_fail(ld, y->line, "when: empty mapping");
	if ((v = y_get(y, "service")) != NULL &&
	    y_names(ld, v, "when.service", y_service_ok, &r->services,
	    &r->nservices) == -1)
		return -1;
	if ((v = y_get(y, "port")) != NULL) {
		if ((n = y_items(ld, v, "when.port")) == -1)
			return -1;
		if ((r->ports = calloc((size_t)n, sizeof(*r->ports))) == NULL)
			return y_fail(ld, v->line, "out of memory");
		for (i = 0; i < (size_t)n; i++) {
			if (y_port(ld, y_item_at(v, i), "when.port",
			    &r->ports[i]) == -1)
				return -1;
			r->nports++;
		}
	}
	if ((v = y_get(y, "tls")) != NULL) {
		if (y_bool(ld, v, "when.tls", &b) == -1)
			return -1;
		r->tls = b;
	}
	if ((v = y_get(y, "fields")) != NULL && get_fields(ld, v, "fields",
	    &r->conds, &r->nconds) == -1)
		return -1;
	if ((v = y_get(y, "any")) != NULL && get_fields(ld, v, "any",
	    &r->any, &r->nany) == -1)
		return -1;
	return 0;
}

static int
get_example(struct loader *ld, const struct ynode *y, struct fp_example *ex)
{
	const struct ynode	*o, *v;
	int			 e;
	static const char *const expects[] = {
		[FP_MATCH] = "match",
		[FP_NO_MATCH] = "no-match",
		[FP_UNKNOWN] = "unknown",
		NULL,
	};

	ex->line = y->line;
	if (y_check_map(ld, y, example_keys, 0, "example") == -1)
		return -1;
	if ((o = y_get(y, "obs")) == NULL)
		return y_fail(ld, y->line, "example: missing 'obs'");
	if ((v = y_get(y, "expect")) == NULL)
		return y_fail(ld, y->line, "example: missing 'expect'");
	if (y_expect(ld, v, Y_SCALAR, "example.expect") == -1)
		return -1;
	if ((e = y_lookup(expects, v->str)) == -1)
		return y_fail(ld, v->line, "example.expect: '%s' is not one of "
		    "match, no-match, unknown", v->str);
	ex->expect = (enum fp_verdict)e;
	if ((ex->obs = y_obs(ld, o, &ex->port)) == NULL)
		return -1;
	return 0;
}

static int
get_examples(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	size_t	i;

	if (y_expect(ld, y, Y_SEQ, "examples") == -1)
		return -1;
	if (y->n > RULES_EXAMPLES_MAX)
		return y_fail(ld, y->line, "examples: more than %d",
		    RULES_EXAMPLES_MAX);
	if (y->n == 0)
		return 0;
	if ((r->examples = calloc(y->n, sizeof(*r->examples))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < y->n; i++) {
		r->nexamples++;
		if (get_example(ld, y->kids[i], &r->examples[i]) == -1)
			return -1;
	}
	return 0;
}

static void
rule_fini(struct fp_rule *r)
{
	size_t	i;

	free(r->id);
	free(r->title_fr);
	free(r->title_en);
	free(r->advice_fr);
	free(r->advice_en);
	free(r->references);
	for (i = 0; i < r->nservices; i++)
		free(r->services[i]);
	free(r->services);
	free(r->ports);
	for (i = 0; i < r->nconds; i++) {
		free(r->conds[i].key);
		pcre2_code_free(r->conds[i].re);
	}
	free(r->conds);
	for (i = 0; i < r->nany; i++) {
		free(r->any[i].key);
		pcre2_code_free(r->any[i].re);
	}
	free(r->any);
	for (i = 0; i < r->nevidence; i++)
		free(r->evidence[i]);
	free(r->evidence);
	for (i = 0; i < r->nexamples; i++) {
		if (r->examples[i].obs != NULL)
			obs_fini(r->examples[i].obs);
		free(r->examples[i].obs);
	}
	free(r->examples);
	memset(r, 0, sizeof(*r));
}

static bool
id_ok(const char *s)
{
	return y_name_ok(s, "-", RULES_ID_MAX);
}

/* Fill `r` from one rule mapping.  On error `r` holds what was built. */
static int
get_rule(struct loader *ld, const struct ynode *y, struct fp_rule *r)
{
	const struct ynode	*v;
	size_t			 i;
	char			*s = NULL;
	int			 rc;

	r->tls = -1;
	r->file = ld->path;
	r->line = y->line;
	r->confidence = confidences[0];
	ld->in_item = true;
	ld->item = NULL;
	if (y->type != Y_MAP)
		return y_fail(ld, y->line, "expected a mapping, found %s",
		    y_type_str(y->type));
	/* Name the rule in errors from the start, even a bad key's. */
	for (i = 0; i + 1 < y->n; i += 2)
		if (y->kids[i]->type == Y_SCALAR &&
		    strcmp(y->kids[i]->str, "id") == 0 &&
		    y->kids[i + 1]->type == Y_SCALAR)
			ld->item = y->kids[i + 1]->str;
	if (y_check_map(ld, y, rule_keys, 0, "") == -1)
		return -1;
	if ((v = y_get(y, "id")) == NULL)
		return y_fail(ld, y->line, "missing 'id'");
	if (y_str(ld, v, "id", RULES_ID_MAX, &r->id) == -1)
		return -1;
	if (!id_ok(r->id))
		return y_fail(ld, v->line, "id is not [a-z0-9-]+");
	for (i = 0; i < ld->set->n; i++)
		if (strcmp(ld->set->rules[i].id, r->id) == 0)
			return y_fail(ld, v->line, "duplicate id, first at "
			    "%s:%lu", ld->set->rules[i].file,
			    ld->set->rules[i].line);
	if ((v = y_get(y, "severity")) == NULL)
		return y_fail(ld, y->line, "missing 'severity'");
	if (y_expect(ld, v, Y_SCALAR, "severity") == -1)
		return -1;
	if (fp_severity_parse(v->str, &r->severity) == -1)
		return y_fail(ld, v->line, "severity: '%s' is not one of "
		    "critical, high, medium, low, info", v->str);
	if ((v = y_get(y, "theme")) == NULL)
		return y_fail(ld, y->line, "missing 'theme'");
	if (y_choice(ld, v, "theme", themes, &r->theme) == -1)
		return -1;
	if ((v = y_get(y, "confidence")) != NULL &&
	    y_choice(ld, v, "confidence", confidences, &r->confidence) ==
	    -1)
		return -1;
	if ((v = y_get(y, "title")) == NULL)
		return y_fail(ld, y->line, "missing 'title'");
	if (y_texts(ld, v, "title", true, &r->title_fr, &r->title_en) ==
	    -1)
		return -1;
	if ((v = y_get(y, "advice")) != NULL &&
	    y_texts(ld, v, "advice", false, &r->advice_fr,
	    &r->advice_en) == -1)
		return -1;
	if ((v = y_get(y, "references")) != NULL &&
	    y_references(ld, v, &r->references) == -1)
		return -1;
	if ((v = y_get(y, "when")) != NULL && get_when(ld, v, r) == -1)
		return -1;
	if ((v = y_get(y, "check")) != NULL) {
		if (y_str(ld, v, "check", 64, &s) == -1)
			return -1;
		if ((r->check = fp_check_find(s)) == NULL)
			r->xcheck = fp_xcheck_find(s);
		rc = r->check == NULL && r->xcheck == NULL ? y_fail(ld,
		    v->line, "unknown check '%s'", s) : 0;
		free(s);
		if (rc == -1)
			return -1;
	}
	if (y_get(y, "when") == NULL && r->check == NULL &&
	    r->xcheck == NULL)
		return y_fail(ld, y->line, "needs 'when' or 'check'");
	if ((v = y_get(y, "evidence")) != NULL &&
	    y_names(ld, v, "evidence", y_field_ok, &r->evidence,
	    &r->nevidence) == -1)
		return -1;
	if ((v = y_get(y, "examples")) != NULL &&
	    get_examples(ld, v, r) == -1)
		return -1;
	return 0;
}

/* What a rule lacks is "", never NULL; English falls back to French. */
static int
fill_defaults(struct loader *ld, struct fp_rule *r)
{
	if (r->title_en == NULL && (r->title_en = strdup(r->title_fr != NULL ?
	    r->title_fr : "")) == NULL)
		return y_fail(ld, r->line, "out of memory");
	if (r->advice_fr == NULL && (r->advice_fr = strdup("")) == NULL)
		return y_fail(ld, r->line, "out of memory");
	if (r->advice_en == NULL && (r->advice_en = strdup(r->advice_fr)) ==
	    NULL)
		return y_fail(ld, r->line, "out of memory");
	if (r->references == NULL && (r->references = strdup("")) == NULL)
		return y_fail(ld, r->line, "out of memory");
	return 0;
}

struct fp_rules *
rules_new(struct vg_err *err)
{
	struct fp_rules	*set;

	if ((set = calloc(1, sizeof(*set))) == NULL)
		goto y_fail;
	set->hash = FNV1A_INIT;
	set->today = (long)(time(NULL) / 86400);
	if ((set->cctx = pcre2_compile_context_create(NULL)) == NULL ||
	    (set->mctx = pcre2_match_context_create(NULL)) == NULL ||
	    (set->md = pcre2_match_data_create(1, NULL)) == NULL)
		goto y_fail;
	pcre2_set_max_pattern_length(set->cctx, RULES_TEXT_MAX);
	pcre2_set_parens_nest_limit(set->cctx, 64);
	pcre2_set_match_limit(set->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(set->mctx, RULES_DEPTH_LIMIT);
	pcre2_set_heap_limit(set->mctx, RULES_HEAP_LIMIT);
	return set;
y_fail:
	fp_rules_free(set);
	vg_err_set(err, "rules", "out of memory");
	return NULL;
}

void
fp_rules_free(struct fp_rules *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		rule_fini(&set->rules[i]);
	free(set->rules);
	for (i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	versions_free(&set->vdb);
	pcre2_match_data_free(set->md);
	pcre2_match_context_free(set->mctx);
	pcre2_compile_context_free(set->cctx);
	free(set);
}

size_t
fp_rules_count(const struct fp_rules *set)
{
	return set->n;
}

const char *
fp_rules_version(const struct fp_rules *set)
{
	return set->version;
}

/* The version hashes each file's base name, length and bytes. */
void
rules_hash_file(struct fp_rules *set, const char *path, const void *data,
    size_t len)
{
	const char	*base = strrchr(path, '/');
	uint8_t		 n[8];
	size_t		 i;

	base = base != NULL ? base + 1 : path;
	set->hash = fp_fnv1a(set->hash, base, strlen(base) + 1);
	for (i = 0; i < sizeof(n); i++)
		n[i] = (uint8_t)((uint64_t)len >> (8 * i));
	set->hash = fp_fnv1a(set->hash, n, sizeof(n));
	set->hash = fp_fnv1a(set->hash, data, len);
}

int
rules_add_file(struct fp_rules *set, const char *path, const void *data,
    size_t len, struct vg_err *err)
{
	struct loader	 ld = { .set = set, .path = path, .err = err,
			    .kind = "rule" };
	struct ynode	*root = NULL;
	struct fp_rule	 r;
	size_t		 i;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	if (data == NULL)		/* an empty file, read as such */
		data = "";
	if (y_grow(&set->files, &set->filescap, set->nfiles,
	    sizeof(*set->files), RULES_FILES_MAX) == -1) {
		vg_err_set(err, path, "too many rule files (%d at most)",
		    RULES_FILES_MAX);
		return -1;
	}
	if ((set->files[set->nfiles] = strdup(path)) == NULL) {
		vg_err_set(err, path, "out of memory");
		return -1;
	}
	ld.path = set->files[set->nfiles++];
	rules_hash_file(set, path, data, len);
	if (len > RULES_FILE_MAX) {
		vg_err_set(err, path, "larger than %d bytes", RULES_FILE_MAX);
		return -1;
	}
	if (y_tree(&ld, data, len, &root) == -1)
		goto out;
	if (root == NULL) {		/* an empty file holds no rule */
		rc = 0;
		goto out;
	}
	if (root->type != Y_SEQ) {
		y_fail(&ld, root->line, "expected a list of rules, found %s",
		    y_type_str(root->type));
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		if (get_rule(&ld, root->kids[i], &r) == -1 ||
		    fill_defaults(&ld, &r) == -1)
			goto out;
		ld.in_item = false;
		if (y_grow(&set->rules, &set->cap, set->n, sizeof(r),
		    RULES_MAX) == -1) {
			y_fail(&ld, root->kids[i]->line, "more than %d rules, "
			    "or out of memory", RULES_MAX);
			goto out;
		}
		set->rules[set->n++] = r;
		memset(&r, 0, sizeof(r));
	}
	rc = 0;
out:
	rule_fini(&r);
	y_free(root);
	return rc;
}

void
rules_finish(struct fp_rules *set)
{
	snprintf(set->version, sizeof(set->version), "%012llx",
	    (unsigned long long)(set->hash >> 16));
}
