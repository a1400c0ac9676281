/*
 * engine.c - the fingerprint engine: load a folder of rule files,
 * evaluate the rules over one observation, run the rules' own examples.
 *
 * A rule holds when every condition of its `when` holds (service, port,
 * TLS, field regexes, and one at least of its `any` alternatives) and
 * then, if it names one, when its C check answers
 * FP_MATCH.  Conditions on data answer match or no-match; FP_UNKNOWN
 * comes from a check that lacked the fields it needs, or from a regex that
 * hit its PCRE2 limits on a hostile value.  Only FP_MATCH makes a finding.
 *
 * An extended check (struct fp_xcheck: the version verdicts) reads the
 * version data loaded from the rules folder's versions/ subfolder, and
 * may make several findings of one rule on one observation, each with
 * its own severity, confidence, evidence and references.
 */
#include "fingerprints_internal.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/buf.h"
#include "vigie/err.h"
#include "vigie/obs.h"

#define FNV1A_PRIME	0x100000001b3ULL	/* FNV-1a 64 prime */
#define VERSIONS_DIR	"versions"	/* version data, under the rules */

static const char *const	severity_names[] = {
	[FP_SEV_INFO] = "info",
	[FP_SEV_LOW] = "low",
	[FP_SEV_MEDIUM] = "medium",
	[FP_SEV_HIGH] = "high",
	[FP_SEV_CRITICAL] = "critical",
};

#define NSEVERITIES	(sizeof(severity_names) / sizeof(severity_names[0]))

const char *
fp_severity_str(enum fp_severity s)
{
	if ((size_t)s >= NSEVERITIES)
		return "unknown";
	return severity_names[s];
}

int
fp_severity_parse(const char *s, enum fp_severity *out)
{
	size_t	i;

	for (i = 0; i < NSEVERITIES; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (enum fp_severity)i;
			return 0;
		}
	return -1;
}

uint64_t
fp_fnv1a(uint64_t h, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV1A_PRIME;
	}
	return h;
}

/* True when "key=" starts the evidence or follows a "; ". */
static bool
evidence_has(const struct fp_evidence *ev, const char *key, size_t klen)
{
	const char	*p = ev->text;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == ev->text || (p - ev->text >= 2 &&
		    memcmp(p - 2, "; ", 2) == 0)) && p[klen] == '=')
			return true;
		p++;
	}
	return false;
}

void
fp_evidence_add(struct fp_evidence *ev, const char *key, const char *val)
{
	static const char	dots[] = "...";
	const size_t		max = FP_EVIDENCE_MAX - 1;	/* NUL */
	size_t			klen, vlen, sep, room, cut;
	char			*p;

	if (ev == NULL || key == NULL || val == NULL)
		return;
	if (ev->len > max) {		/* not ours: make it consistent */
		ev->len = max;
		ev->text[max] = '\0';
	}
	klen = strlen(key);
	vlen = strlen(val);
	if (klen == 0 || evidence_has(ev, key, klen))
		return;
	sep = ev->len > 0 ? 2 : 0;
	room = max - ev->len;
	if (sep + klen + 1 > room)
		return;
	room -= sep + klen + 1;
	cut = vlen;
	if (vlen > room) {
		if (room < sizeof(dots) - 1 + 1)
			return;		/* not even one byte and "..." */
		cut = room - (sizeof(dots) - 1);
		while (cut > 0 && ((unsigned char)val[cut] & 0xc0) == 0x80)
			cut--;		/* a UTF-8 continuation byte */
	}
	p = ev->text + ev->len;
	memcpy(p, "; ", sep);
	p += sep;
	memcpy(p, key, klen);
	p += klen;
	*p++ = '=';
	memcpy(p, val, cut);
	p += cut;
	if (cut < vlen) {
		memcpy(p, dots, sizeof(dots) - 1);
		p += sizeof(dots) - 1;
	}
	*p = '\0';
	ev->len = (size_t)(p - ev->text);
}

void
finding_identity(const char *est, const struct vg_addr *addr, uint16_t port,
    const char *rule, const char *evidence, char out[17])
{
	finding_identity_proto(est, addr, port, NULL, rule, evidence, out);
}

void
finding_identity_proto(const char *est, const struct vg_addr *addr,
    uint16_t port, const char *proto, const char *rule, const char *evidence,
    char out[17])
{
	char		a[ADDR_STRLEN] = "";
	char		p[16];
	const char	*parts[5];
	uint64_t	h = FNV1A_INIT;
	size_t		i;

	if (addr != NULL && (addr->family == 4 || addr->family == 6))
		addr_str(addr, a);
	if (proto == NULL || strcmp(proto, "tcp") == 0)
		snprintf(p, sizeof(p), "%u", (unsigned)port);
	else
		snprintf(p, sizeof(p), "%u/%.5s", (unsigned)port, proto);
	parts[0] = est;
	parts[1] = a;
	parts[2] = p;
	parts[3] = rule;
	parts[4] = evidence;
	/* Each part and its NUL, so no two splits hash alike. */
	for (i = 0; i < 5; i++) {
		if (parts[i] == NULL)
			parts[i] = "";
		h = fp_fnv1a(h, parts[i], strlen(parts[i]) + 1);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Preset an outcome from its rule, with the evidence gathered so far. */
static void
outcome_preset(struct fp_outcome *o, const struct fp_rule *r,
    const struct fp_evidence *ev)
{
	o->ev = *ev;
	o->severity = r->severity;
	o->confidence = r->confidence;
	snprintf(o->refs, sizeof(o->refs), "%s", r->references);
}

/*
 * One rule on one observation.  The evidence is filled from the rule's
 * listed fields, then by its check.  out[] holds room for `max` findings
 * (at least one); *n is set to the findings made, 0 unless FP_MATCH.
 */
static enum fp_verdict
rule_eval(const struct fp_rules *set, const struct fp_rule *r,
    const struct obs *obs, uint16_t port, struct fp_outcome *out,
    size_t max, size_t *n)
{
	const struct fp_cond	*c;
	struct fp_evidence	 ev;
	enum fp_verdict		 v;
	const char		*val;
	size_t			 i, k = 0;
	bool			 unknown = false, any_unknown = false;
	int			 rc;

	*n = 0;
	memset(&ev, 0, sizeof(ev));
	if (r->nservices > 0) {
		for (i = 0; i < r->nservices; i++)
			if (strcmp(obs->service, r->services[i]) == 0)
				break;
		if (i == r->nservices)
			return FP_NO_MATCH;
	}
	if (r->nports > 0) {
		for (i = 0; i < r->nports; i++)
			if (port == r->ports[i])
				break;
		if (i == r->nports)
			return FP_NO_MATCH;
	}
	if (r->tls != -1 && (int)obs->tls != r->tls)
		return FP_NO_MATCH;
	for (i = 0; i < r->nconds; i++) {
		c = &r->conds[i];
		val = obs_get(obs, c->key);
		if (c->absent) {
			if (val != NULL)
				return FP_NO_MATCH;
			continue;
		}
		if (val == NULL)
			return FP_NO_MATCH;
		rc = pcre2_match(c->re, (PCRE2_SPTR)val, strlen(val), 0, 0,
		    set->md, set->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return FP_NO_MATCH;
		if (rc < 0)		/* a limit: we could not tell */
			unknown = true;
	}
	if (r->nany > 0) {
		for (i = 0; i < r->nany; i++) {
			c = &r->any[i];
			if ((val = obs_get(obs, c->key)) == NULL)
				continue;
			rc = pcre2_match(c->re, (PCRE2_SPTR)val, strlen(val),
			    0, 0, set->md, set->mctx);
			if (rc >= 0)
				break;
			if (rc != PCRE2_ERROR_NOMATCH)
				any_unknown = true;
		}
		if (i == r->nany)	/* no alternative held */
			return any_unknown ? FP_UNKNOWN : FP_NO_MATCH;
	}
	for (i = 0; i < r->nevidence; i++)
		fp_evidence_add(&ev, r->evidence[i],
		    obs_get(obs, r->evidence[i]));
	if (unknown)
		return FP_UNKNOWN;
	if (r->xcheck != NULL) {
		for (i = 0; i < max; i++)
			outcome_preset(&out[i], r, &ev);
		v = r->xcheck->eval(set, obs, out, max, &k);
		if (v != FP_MATCH)
			return v;
		if (k == 0)		/* a check that found nothing to say */
			return FP_NO_MATCH;
		*n = k < max ? k : max;
		return FP_MATCH;
	}
	outcome_preset(&out[0], r, &ev);
	if (r->check != NULL && (v = r->check->eval(obs, &out[0].ev)) !=
	    FP_MATCH)
		return v;
	*n = 1;
	return FP_MATCH;
}

void
fp_eval(const struct fp_rules *set, const struct obs *obs,
    const struct vg_addr *addr, uint16_t port, const char *proto,
    const char *est, void (*emit)(void *, const struct finding *), void *arg)
{
	const struct fp_rule	*r;
	struct fp_outcome	 out[FP_OUTCOMES_MAX];
	struct finding		 f;
	size_t			 i, j, n;

	for (i = 0; i < set->n; i++) {
		r = &set->rules[i];
		if (rule_eval(set, r, obs, port, out, FP_OUTCOMES_MAX, &n) !=
		    FP_MATCH)
			continue;
		for (j = 0; j < n; j++) {
			memset(&f, 0, sizeof(f));
			f.rule = r->id;
			f.severity = out[j].severity;
			f.confidence = out[j].confidence;
			f.theme = r->theme;
			f.title_fr = r->title_fr;
			f.title_en = r->title_en;
			f.advice_fr = r->advice_fr;
			f.advice_en = r->advice_en;
			f.references = out[j].refs;
			f.evidence = out[j].ev.text;
			if (addr != NULL)
				f.addr = *addr;
			f.port = port;
			f.proto = proto != NULL ? proto : "tcp";
			f.service = obs->service;
			finding_identity_proto(est, addr, port, f.proto,
			    r->id, out[j].ev.text, f.fid);
			emit(arg, &f);
		}
	}
}

static const char *
verdict_str(enum fp_verdict v)
{
	switch (v) {
	case FP_MATCH:
		return "match";
	case FP_NO_MATCH:
		return "no-match";
	case FP_UNKNOWN:
		return "unknown";
	default:
		return "?";
	}
}

int
fp_rules_selftest(const struct fp_rules *set, void *out_FILE)
{
	FILE			*out = out_FILE;
	const struct fp_rule	*r;
	const struct fp_example	*ex;
	struct fp_outcome	 o[FP_OUTCOMES_MAX];
	enum fp_verdict		 got;
	size_t			 i, j, n;
	bool			 saw_match, saw_no_match;
	int			 fails = 0;

	for (i = 0; i < set->n; i++) {
		r = &set->rules[i];
		saw_match = saw_no_match = false;
		for (j = 0; j < r->nexamples; j++) {
			ex = &r->examples[j];
			saw_match |= ex->expect == FP_MATCH;
			saw_no_match |= ex->expect == FP_NO_MATCH;
			got = rule_eval(set, r, ex->obs, ex->port, o,
			    FP_OUTCOMES_MAX, &n);
			if (got == ex->expect)
				continue;
			fails++;
			if (out != NULL)
				fprintf(out, "%s:%lu: rule %s example %zu: "
				    "expected %s, got %s\n", r->file, ex->line,
				    r->id, j + 1, verdict_str(ex->expect),
				    verdict_str(got));
		}
		if (saw_match && saw_no_match)
			continue;
		fails++;
		if (out != NULL)
			fprintf(out, "%s:%lu: rule %s: needs a match and a "
			    "no-match example\n", r->file, r->line, r->id);
	}
	return fails + versions_selftest(set, out);
}

/* Read a whole file, at most `max` bytes, into `b`.  0 or -1. */
static int
read_file(const char *path, struct buf *b, size_t max, struct vg_err *err)
{
	FILE	*fp;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = -1;

	buf_init(b, max);
	if ((fp = fopen(path, "rb")) == NULL) {
		vg_err_set(err, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(b, chunk, n) == -1) {
			vg_err_set(err, path, "larger than %zu bytes", max);
			goto out;
		}
	}
	if (ferror(fp)) {
		vg_err_set(err, path, "read error: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_rule_file(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && len > 5 &&
	    strcmp(name + len - 5, ".yaml") == 0;
}

/*
 * The sorted names of the *.yaml files of `dir`.  0 or -1.  A folder
 * without any is an error when `need`, else *np is 0.
 */
static int
list_dir(const char *dir, bool need, char ***namesp, size_t *np,
    struct vg_err *err)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, **p;
	size_t		 n = 0, i;
	int		 rc = -1;

	*namesp = NULL;
	*np = 0;
	if ((d = opendir(dir)) == NULL) {
		vg_err_set(err, dir, "cannot open: %s", strerror(errno));
		return -1;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (!is_rule_file(de->d_name))
			continue;
		if (n == RULES_FILES_MAX) {
			vg_err_set(err, dir, "more than %d rule files",
			    RULES_FILES_MAX);
			goto out;
		}
		if ((p = realloc(names, (n + 1) * sizeof(*names))) == NULL)
			goto oom;
		names = p;
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto oom;
		n++;
		errno = 0;
	}
	if (errno != 0) {
		vg_err_set(err, dir, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (n == 0 && need) {
		vg_err_set(err, dir, "no *.yaml rule file");
		goto out;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	*namesp = names;
	*np = n;
	names = NULL;
	n = 0;
	rc = 0;
	goto out;
oom:
	vg_err_set(err, dir, "out of memory");
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/* Load every *.yaml of `dir` into the set with `add`.  0 or -1. */
static int
load_dir(struct fp_rules *set, const char *dir, bool need,
    int (*add)(struct fp_rules *, const char *, const void *, size_t,
    struct vg_err *), struct vg_err *err)
{
	struct buf	  b;
	char		**names = NULL;
	char		 *path = NULL;
	size_t		  n = 0, i, len;
	int		  rc = -1;

	buf_init(&b, 0);
	if (list_dir(dir, need, &names, &n, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		len = strlen(dir) + 1 + strlen(names[i]) + 1;
		if ((path = malloc(len)) == NULL) {
			vg_err_set(err, dir, "out of memory");
			goto out;
		}
		snprintf(path, len, "%s/%s", dir, names[i]);
		if (read_file(path, &b, RULES_FILE_MAX, err) == -1 ||
		    add(set, path, b.data, b.len, err) == -1)
			goto out;
		buf_fini(&b);
		free(path);
		path = NULL;
	}
	rc = 0;
out:
	buf_fini(&b);
	free(path);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * The rule files of `dir`, then the version data of `dir`/versions/ when
 * that folder exists (see fingerprints/rules/versions/releases.yaml).
 */
struct fp_rules *
fp_rules_load(const char *dir, struct vg_err *err)
{
	struct fp_rules	*set = NULL;
	struct stat	 st;
	char		*vdir = NULL;
	size_t		 len;
	int		 rc = -1;

	if ((set = rules_new(err)) == NULL)
		goto out;
	if (load_dir(set, dir, true, rules_add_file, err) == -1)
		goto out;
	len = strlen(dir) + sizeof("/" VERSIONS_DIR);
	if ((vdir = malloc(len)) == NULL) {
		vg_err_set(err, dir, "out of memory");
		goto out;
	}
	snprintf(vdir, len, "%s/%s", dir, VERSIONS_DIR);
	if (stat(vdir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (load_dir(set, vdir, false, versions_add_file, err) == -1 ||
	    versions_link(set, err) == -1))
		goto out;
	rules_finish(set);
	rc = 0;
out:
	free(vdir);
	if (rc == -1) {
		fp_rules_free(set);
		set = NULL;
	}
	return set;
}

struct fp_rules *
fp_rules_load_mem(const char *name, const void *data, size_t len,
    struct vg_err *err)
{
	struct fp_rules	*set;

	if ((set = rules_new(err)) == NULL)
		return NULL;
	if (rules_add_file(set, name, data, len, err) == -1) {
		fp_rules_free(set);
		return NULL;
	}
	rules_finish(set);
	return set;
}
