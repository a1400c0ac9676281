/*
 * versions_load.c - the version data set: fingerprints/rules/versions/
 * *.yaml, edited by analysts, to compiled releases and products.
 *
 * A versions file is one YAML document: a list of entries, each a
 * `release` (a distribution or platform release and the end of its
 * security support) or a `product` (where its version is read, what the
 * distributions ship, its CVEs with the fixed version of each release,
 * its unmaintained branches, and examples).  The format is described at
 * the top of fingerprints/rules/versions/releases.yaml.  Errors stop the
 * load with "file:line: product 'id': reason".  Products may name
 * releases of any file: versions_link() checks them once all are read.
 */
#include "fingerprints_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/err.h"
#include "vigie/obs.h"

#define VDB_LIST_MAX	256	/* items of a list in the data */
#define VDB_ID_MAX	64	/* bytes of an id */
#define VDB_NAME_MAX	128	/* bytes of a display name */
#define VDB_NEVER	0x7fffffffL	/* a date that never comes */

static const char *const	release_keys[] = {
	"release", "name", "eol", "extended", "revision", "severity",
	"references", NULL,
};
static const char *const	extended_keys[] = { "until", "revision", NULL };
static const char *const	product_keys[] = {
	"product", "name", "from", "epoch", "bundled", "bare", "ships",
	"branches", "cves", "examples", NULL,
};
static const char *const	from_keys[] = {
	"ssh", "server", "product", "field", "fields", "markers",
	"revision", NULL,
};
static const char *const	branch_keys[] = {
	"versions", "eol", "name", "confidence", "severity", NULL,
};
static const char *const	cve_keys[] = {
	"id", "name", "severity", "affected", "fixed", "confidence",
	"references", NULL,
};
static const char *const	fix_keys[] = { "version", "confidence", NULL };
static const char *const	example_keys[] = {
	"obs", "outdated", "eol", "cves", "date", NULL,
};
static const char *const	data_confidences[] = {
	"certain", "to-verify", NULL,
};
static const char *const	outdated_verdicts[] = {
	"vulnerable", "likely-vulnerable", "to-verify", "none", NULL,
};
static const char *const	bare_kinds[] = { "frozen", "upstream", NULL };
static const char *const	eol_verdicts[] = {
	"end-of-life", "to-verify", "none", NULL,
};

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

long
versions_date(const char *s)
{
	static const unsigned	mdays[] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	unsigned		y = 0, m, d;
	size_t			i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(s[i] - '0');
	m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0))))
		return -1;
	return days_from_civil((long)y, m, d);
}

static int
get_date(struct loader *ld, const struct ynode *y, const char *what,
    long *out)
{
	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if ((*out = versions_date(y->str)) == -1)
		return y_fail(ld, y->line, "%s: '%s' is not a date "
		    "(YYYY-MM-DD)", what, y->str);
	return 0;
}

static int
get_severity(struct loader *ld, const struct ynode *y, enum fp_severity *s)
{
	if (y_expect(ld, y, Y_SCALAR, "severity") == -1)
		return -1;
	if (fp_severity_parse(y->str, s) == -1)
		return y_fail(ld, y->line, "severity: '%s' is not one of "
		    "critical, high, medium, low, info", y->str);
	return 0;
}

static int
get_to_verify(struct loader *ld, const struct ynode *y, bool *to_verify)
{
	const char	*c;

	if (y_choice(ld, y, "confidence", data_confidences, &c) == -1)
		return -1;
	*to_verify = strcmp(c, "to-verify") == 0;
	return 0;
}

static int
get_regex(struct loader *ld, const struct ynode *y, const char *what,
    pcre2_code **re)
{
	PCRE2_UCHAR	msg[256];
	PCRE2_SIZE	off;
	int		code;

	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	*re = pcre2_compile((PCRE2_SPTR)y->str, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
	    &code, &off, ld->set->cctx);
	if (*re != NULL)
		return 0;
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", code);
	return y_fail(ld, y->line, "%s: bad regex at offset %zu: %s", what,
	    (size_t)off, (const char *)msg);
}

static int
get_range(struct loader *ld, const struct ynode *y, const char *what,
    struct vers_range *r)
{
	const char	*why;

	if (y_expect(ld, y, Y_SCALAR, what) == -1)
		return -1;
	if (vers_range_parse(y->str, r, &why) == -1)
		return y_fail(ld, y->line, "%s: '%s': %s", what, y->str, why);
	return 0;
}

static bool
release_id_ok(const char *s)
{
	return y_name_ok(s, ".-", VDB_ID_MAX);
}

static bool
product_id_ok(const char *s)
{
	return y_name_ok(s, "-", VDB_ID_MAX);
}

/* "CVE-2024-6387", or another advisory id in capitals. */
static bool
cve_id_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return i > 0 && i < VDB_ID_MAX;
}

/* A list (a single item allowed) of at most VDB_LIST_MAX nodes. */
static long
get_list(struct loader *ld, const struct ynode *y, const char *what)
{
	if (y->type != Y_SEQ)
		return y_fail(ld, y->line, "%s: expected a list, found %s",
		    what, y_type_str(y->type));
	if (y->n > VDB_LIST_MAX)
		return y_fail(ld, y->line, "%s: more than %d items", what,
		    VDB_LIST_MAX);
	return (long)y->n;
}

static void
release_fini(struct vrel *r)
{
	free(r->id);
	free(r->name);
	pcre2_code_free(r->revision);
	pcre2_code_free(r->extended);
	free(r->references);
	memset(r, 0, sizeof(*r));
}

static int
get_release(struct loader *ld, const struct ynode *y, struct vrel *r)
{
	const struct ynode	*v, *e;
	size_t			 i;

	r->file = ld->path;
	r->line = y->line;
	r->severity = FP_SEV_HIGH;
	r->eol = r->ext_eol = VDB_NEVER;
	ld->kind = "release";
	if (y_check_map(ld, y, release_keys, 0, "") == -1)
		return -1;
	v = y_get(y, "release");
	if (y_str(ld, v, "release", VDB_ID_MAX, &r->id) == -1)
		return -1;
	if (!release_id_ok(r->id))
		return y_fail(ld, v->line, "release id is not [a-z0-9.-]+");
	for (i = 0; i < ld->set->vdb.nrels; i++)
		if (strcmp(ld->set->vdb.rels[i].id, r->id) == 0)
			return y_fail(ld, v->line, "duplicate release, first "
			    "at %s:%lu", ld->set->vdb.rels[i].file,
			    ld->set->vdb.rels[i].line);
	if ((v = y_get(y, "name")) == NULL)
		return y_fail(ld, y->line, "missing 'name'");
	if (y_str(ld, v, "name", VDB_NAME_MAX, &r->name) == -1)
		return -1;
	if ((v = y_get(y, "eol")) == NULL)
		return y_fail(ld, y->line, "missing 'eol'");
	if (get_date(ld, v, "eol", &r->eol) == -1)
		return -1;
	r->ext_eol = r->eol;
	if ((v = y_get(y, "extended")) != NULL) {
		if (y_check_map(ld, v, extended_keys, 0, "extended") == -1)
			return -1;
		if ((e = y_get(v, "until")) == NULL)
			return y_fail(ld, v->line, "extended: missing "
			    "'until'");
		if (get_date(ld, e, "extended.until", &r->ext_eol) == -1)
			return -1;
		if ((e = y_get(v, "revision")) == NULL)
			return y_fail(ld, v->line, "extended: missing "
			    "'revision'");
		if (get_regex(ld, e, "extended.revision", &r->extended) == -1)
			return -1;
	}
	if ((v = y_get(y, "revision")) != NULL &&
	    get_regex(ld, v, "revision", &r->revision) == -1)
		return -1;
	if ((v = y_get(y, "severity")) != NULL &&
	    get_severity(ld, v, &r->severity) == -1)
		return -1;
	if ((v = y_get(y, "references")) != NULL &&
	    y_references(ld, v, &r->references) == -1)
		return -1;
	if (r->references == NULL && (r->references = strdup("")) == NULL)
		return y_fail(ld, y->line, "out of memory");
	return 0;
}

static void
example_fini(struct vexample *ex)
{
	size_t	i;

	if (ex->obs != NULL)
		obs_fini(ex->obs);
	free(ex->obs);
	for (i = 0; i < ex->ncves; i++)
		free(ex->cves[i]);
	free(ex->cves);
}

static void
product_fini(struct vprod *p)
{
	size_t	i, j;

	free(p->id);
	free(p->name);
	free(p->token);
	for (i = 0; i < p->nfields; i++)
		free(p->fields[i]);
	free(p->fields);
	for (i = 0; i < p->nmarkers; i++)
		free(p->markers[i]);
	free(p->markers);
	free(p->revision);
	for (i = 0; i < p->nships; i++)
		free(p->ships[i].rel);
	free(p->ships);
	for (i = 0; i < p->ncves; i++) {
		free(p->cves[i].id);
		free(p->cves[i].name);
		free(p->cves[i].affected);
		for (j = 0; j < p->cves[i].nfixed; j++) {
			free(p->cves[i].fixed[j].rel);
			free(p->cves[i].fixed[j].version);
		}
		free(p->cves[i].fixed);
		free(p->cves[i].references);
	}
	free(p->cves);
	for (i = 0; i < p->nbranches; i++)
		free(p->branches[i].name);
	free(p->branches);
	for (i = 0; i < p->nexamples; i++)
		example_fini(&p->examples[i]);
	free(p->examples);
	memset(p, 0, sizeof(*p));
}

static int
get_from(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	static const struct {
		const char	*key;
		enum vsource	 source;
	} sources[] = {
		{ .key = "ssh",	    .source = VSRC_SSH },
		{ .key = "server",  .source = VSRC_SERVER },
		{ .key = "product", .source = VSRC_PRODUCT },
		{ .key = "field",   .source = VSRC_FIELD },
	};
	const struct ynode	*v, *which = NULL;
	size_t			 i;

	if (y_check_map(ld, y, from_keys, 0, "from") == -1)
		return -1;
	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		if ((v = y_get(y, sources[i].key)) == NULL)
			continue;
		if (which != NULL)
			return y_fail(ld, v->line, "from: one of ssh, server, "
			    "product or field");
		which = v;
		p->source = sources[i].source;
	}
	if (which == NULL)
		return y_fail(ld, y->line, "from: needs ssh, server, product "
		    "or field");
	if (y_str(ld, which, "from", VDB_NAME_MAX, &p->token) == -1)
		return -1;
	if (p->source == VSRC_FIELD && !y_field_ok(p->token))
		return y_fail(ld, which->line, "from.field: bad field name "
		    "'%s'", p->token);
	if ((v = y_get(y, "fields")) != NULL) {
		if (p->source != VSRC_SERVER)
			return y_fail(ld, v->line, "from.fields: only with "
			    "server");
		if (y_names(ld, v, "from.fields", y_field_ok, &p->fields,
		    &p->nfields) == -1)
			return -1;
	}
	if ((v = y_get(y, "markers")) != NULL && y_names(ld, v,
	    "from.markers", y_field_ok, &p->markers, &p->nmarkers) == -1)
		return -1;
	if ((v = y_get(y, "revision")) != NULL) {
		if (p->source != VSRC_PRODUCT)
			return y_fail(ld, v->line, "from.revision: only with "
			    "product");
		if (y_str(ld, v, "from.revision", VDB_NAME_MAX,
		    &p->revision) == -1)
			return -1;
		if (!y_field_ok(p->revision))
			return y_fail(ld, v->line, "from.revision: bad field "
			    "name '%s'", p->revision);
	}
	return 0;
}

static int
get_epoch(struct loader *ld, const struct ynode *y, unsigned long *epoch)
{
	const char	*s;

	if (y_expect(ld, y, Y_SCALAR, "epoch") == -1)
		return -1;
	*epoch = 0;
	for (s = y->str; *s >= '0' && *s <= '9' && *epoch < 100000; s++)
		*epoch = *epoch * 10 + (unsigned long)(*s - '0');
	if (s == y->str || *s != '\0' || *epoch >= 100000)
		return y_fail(ld, y->line, "epoch: '%s' is not a small number",
		    y->str);
	return 0;
}

/* ships: { release: "version" or [ranges] }. */
static int
get_ships(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	const struct ynode	*k, *v;
	size_t			 i, j, total = 0;
	long			 n;

	if (y_check_map(ld, y, NULL, VDB_LIST_MAX, "ships") == -1)
		return -1;
	for (i = 0; i + 1 < y->n; i += 2) {
		if ((n = y_items(ld, y->kids[i + 1], "ships")) == -1)
			return -1;
		total += (size_t)n;
	}
	if (total > VDB_LIST_MAX * 4)
		return y_fail(ld, y->line, "ships: too many versions");
	if (total == 0)
		return 0;
	if ((p->ships = calloc(total, sizeof(*p->ships))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kids[i];
		if (!release_id_ok(k->str))
			return y_fail(ld, k->line, "ships: bad release id "
			    "'%s'", k->str);
		n = y_items(ld, y->kids[i + 1], "ships");
		for (j = 0; j < (size_t)n; j++) {
			v = y_item_at(y->kids[i + 1], j);
			p->ships[p->nships].line = v->line;
			if ((p->ships[p->nships].rel = strdup(k->str)) == NULL)
				return y_fail(ld, k->line, "out of memory");
			p->nships++;
			if (get_range(ld, v, "ships",
			    &p->ships[p->nships - 1].range) == -1)
				return -1;
		}
	}
	return 0;
}

static int
get_branches(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	const struct ynode	*b, *v;
	struct vbranch		*br;
	size_t			 i;
	long			 n;

	if ((n = get_list(ld, y, "branches")) <= 0)
		return (int)n;
	if ((p->branches = calloc((size_t)n, sizeof(*p->branches))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		b = y->kids[i];
		br = &p->branches[p->nbranches++];
		br->line = b->line;
		br->severity = FP_SEV_HIGH;
		if (y_check_map(ld, b, branch_keys, 0, "branch") == -1)
			return -1;
		if ((v = y_get(b, "versions")) == NULL)
			return y_fail(ld, b->line, "branch: missing "
			    "'versions'");
		if (get_range(ld, v, "branch.versions", &br->range) == -1)
			return -1;
		if ((v = y_get(b, "eol")) == NULL)
			return y_fail(ld, b->line, "branch: missing 'eol'");
		if (get_date(ld, v, "branch.eol", &br->eol) == -1)
			return -1;
		if ((v = y_get(b, "name")) == NULL)
			return y_fail(ld, b->line, "branch: missing 'name'");
		if (y_str(ld, v, "branch.name", VDB_NAME_MAX, &br->name) == -1)
			return -1;
		if ((v = y_get(b, "confidence")) != NULL &&
		    get_to_verify(ld, v, &br->to_verify) == -1)
			return -1;
		if ((v = y_get(b, "severity")) != NULL &&
		    get_severity(ld, v, &br->severity) == -1)
			return -1;
	}
	return 0;
}

/* fixed: { release: "1:9.2p1-2+deb12u3" | not-affected |
 *          { version: ..., confidence: to-verify } }. */
static int
get_fixed(struct loader *ld, const struct ynode *y, struct vcve *c)
{
	const struct ynode	*k, *v, *w;
	struct vfix		*f;
	size_t			 i;

	if (y_check_map(ld, y, NULL, VDB_LIST_MAX, "fixed") == -1)
		return -1;
	if (y->n == 0)
		return 0;
	if ((c->fixed = calloc(y->n / 2, sizeof(*c->fixed))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i + 1 < y->n; i += 2) {
		k = y->kids[i];
		v = y->kids[i + 1];
		f = &c->fixed[c->nfixed++];
		f->line = k->line;
		if (!release_id_ok(k->str))
			return y_fail(ld, k->line, "fixed: bad release id "
			    "'%s'", k->str);
		if ((f->rel = strdup(k->str)) == NULL)
			return y_fail(ld, k->line, "out of memory");
		w = v;
		if (v->type == Y_MAP) {
			if (y_check_map(ld, v, fix_keys, 0, "fixed") == -1)
				return -1;
			if ((w = y_get(v, "version")) == NULL)
				return y_fail(ld, v->line, "fixed: missing "
				    "'version'");
			if ((v = y_get(v, "confidence")) != NULL &&
			    get_to_verify(ld, v, &f->to_verify) == -1)
				return -1;
		}
		if (y_expect(ld, w, Y_SCALAR, "fixed") == -1)
			return -1;
		if (strcmp(w->str, "not-affected") == 0)
			continue;
		if (!vers_dpkg_valid(w->str))
			return y_fail(ld, w->line, "fixed: '%s' is not a "
			    "package version ([epoch:]upstream[-revision])",
			    w->str);
		if ((f->version = strdup(w->str)) == NULL)
			return y_fail(ld, w->line, "out of memory");
	}
	return 0;
}

static int
get_cve(struct loader *ld, const struct ynode *y, struct vcve *c)
{
	const struct ynode	*v;
	size_t			 i;
	long			 n;

	c->line = y->line;
	if (y_check_map(ld, y, cve_keys, 0, "cve") == -1)
		return -1;
	if ((v = y_get(y, "id")) == NULL)
		return y_fail(ld, y->line, "cve: missing 'id'");
	if (y_str(ld, v, "cve.id", VDB_ID_MAX, &c->id) == -1)
		return -1;
	if (!cve_id_ok(c->id))
		return y_fail(ld, v->line, "cve.id: '%s' is not [A-Z0-9-]+",
		    c->id);
	if ((v = y_get(y, "name")) != NULL &&
	    y_str(ld, v, "cve.name", VDB_NAME_MAX, &c->name) == -1)
		return -1;
	if ((v = y_get(y, "severity")) == NULL)
		return y_fail(ld, y->line, "cve %s: missing 'severity'",
		    c->id);
	if (get_severity(ld, v, &c->severity) == -1)
		return -1;
	if ((v = y_get(y, "affected")) == NULL)
		return y_fail(ld, y->line, "cve %s: missing 'affected'",
		    c->id);
	if ((n = y_items(ld, v, "cve.affected")) == -1)
		return -1;
	if ((c->affected = calloc((size_t)n, sizeof(*c->affected))) == NULL)
		return y_fail(ld, v->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		if (get_range(ld, y_item_at(v, i), "cve.affected",
		    &c->affected[i]) == -1)
			return -1;
		c->naffected++;
	}
	if ((v = y_get(y, "fixed")) != NULL && get_fixed(ld, v, c) == -1)
		return -1;
	if ((v = y_get(y, "confidence")) != NULL &&
	    get_to_verify(ld, v, &c->to_verify) == -1)
		return -1;
	if ((v = y_get(y, "references")) != NULL &&
	    y_references(ld, v, &c->references) == -1)
		return -1;
	if (c->references == NULL && (c->references = strdup("")) == NULL)
		return y_fail(ld, y->line, "out of memory");
	return 0;
}

static int
get_cves(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	size_t	i, j;
	long	n;

	if ((n = get_list(ld, y, "cves")) <= 0)
		return (int)n;
	if ((p->cves = calloc((size_t)n, sizeof(*p->cves))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		p->ncves++;
		if (get_cve(ld, y->kids[i], &p->cves[i]) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(p->cves[j].id, p->cves[i].id) == 0)
				return y_fail(ld, y->kids[i]->line, "cve %s "
				    "listed twice", p->cves[i].id);
	}
	return 0;
}

static int
get_example(struct loader *ld, const struct ynode *y, struct vexample *ex)
{
	const struct ynode	*v;
	uint16_t		 port = 0;	/* unused by versions */

	ex->line = y->line;
	ex->date = -1;
	ex->outdated = ex->eol = "none";
	if (y_check_map(ld, y, example_keys, 0, "example") == -1)
		return -1;
	if ((v = y_get(y, "obs")) == NULL)
		return y_fail(ld, y->line, "example: missing 'obs'");
	if ((ex->obs = y_obs(ld, v, &port)) == NULL)
		return -1;
	if ((v = y_get(y, "outdated")) != NULL && y_choice(ld, v,
	    "example.outdated", outdated_verdicts, &ex->outdated) == -1)
		return -1;
	if ((v = y_get(y, "eol")) != NULL && y_choice(ld, v, "example.eol",
	    eol_verdicts, &ex->eol) == -1)
		return -1;
	if ((v = y_get(y, "date")) != NULL &&
	    get_date(ld, v, "example.date", &ex->date) == -1)
		return -1;
	if ((v = y_get(y, "cves")) != NULL) {
		ex->has_cves = true;
		if (v->type == Y_SEQ && v->n == 0)	/* "cves: []" */
			return 0;
		if (y_names(ld, v, "example.cves", cve_id_ok, &ex->cves,
		    &ex->ncves) == -1)
			return -1;
	}
	return 0;
}

static int
get_examples(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	size_t	i;
	long	n;

	if ((n = get_list(ld, y, "examples")) <= 0)
		return (int)n;
	if (n > RULES_EXAMPLES_MAX)
		return y_fail(ld, y->line, "examples: more than %d",
		    RULES_EXAMPLES_MAX);
	if ((p->examples = calloc((size_t)n, sizeof(*p->examples))) == NULL)
		return y_fail(ld, y->line, "out of memory");
	for (i = 0; i < (size_t)n; i++) {
		p->nexamples++;
		if (get_example(ld, y->kids[i], &p->examples[i]) == -1)
			return -1;
	}
	return 0;
}

static int
get_product(struct loader *ld, const struct ynode *y, struct vprod *p)
{
	const struct ynode	*v;
	const char		*kind;
	size_t			 i;
	bool			 b;

	p->file = ld->path;
	p->line = y->line;
	ld->kind = "product";
	if (y_check_map(ld, y, product_keys, 0, "") == -1)
		return -1;
	v = y_get(y, "product");
	if (y_str(ld, v, "product", VDB_ID_MAX, &p->id) == -1)
		return -1;
	if (!product_id_ok(p->id))
		return y_fail(ld, v->line, "product id is not [a-z0-9-]+");
	for (i = 0; i < ld->set->vdb.nprods; i++)
		if (strcmp(ld->set->vdb.prods[i].id, p->id) == 0)
			return y_fail(ld, v->line, "duplicate product, first "
			    "at %s:%lu", ld->set->vdb.prods[i].file,
			    ld->set->vdb.prods[i].line);
	if ((v = y_get(y, "name")) == NULL)
		return y_fail(ld, y->line, "missing 'name'");
	if (y_str(ld, v, "name", VDB_NAME_MAX, &p->name) == -1)
		return -1;
	if ((v = y_get(y, "from")) == NULL)
		return y_fail(ld, y->line, "missing 'from'");
	if (get_from(ld, v, p) == -1)
		return -1;
	if ((v = y_get(y, "epoch")) != NULL && get_epoch(ld, v,
	    &p->epoch) == -1)
		return -1;
	if ((v = y_get(y, "bundled")) != NULL) {
		if (y_bool(ld, v, "bundled", &b) == -1)
			return -1;
		p->bundled = b;
	}
	if ((v = y_get(y, "bare")) != NULL) {
		if (y_choice(ld, v, "bare", bare_kinds, &kind) == -1)
			return -1;
		p->bare_upstream = strcmp(kind, "upstream") == 0;
	}
	if ((v = y_get(y, "ships")) != NULL && get_ships(ld, v, p) == -1)
		return -1;
	if ((v = y_get(y, "branches")) != NULL &&
	    get_branches(ld, v, p) == -1)
		return -1;
	if ((v = y_get(y, "cves")) != NULL && get_cves(ld, v, p) == -1)
		return -1;
	if ((v = y_get(y, "examples")) != NULL &&
	    get_examples(ld, v, p) == -1)
		return -1;
	return 0;
}

/* The entry's id, to name it in errors from its first line. */
static const char *
entry_name(const struct ynode *y, const char *key)
{
	size_t	i;

	for (i = 0; i + 1 < y->n; i += 2)
		if (y->kids[i]->type == Y_SCALAR &&
		    strcmp(y->kids[i]->str, key) == 0 &&
		    y->kids[i + 1]->type == Y_SCALAR)
			return y->kids[i + 1]->str;
	return NULL;
}

int
versions_add_file(struct fp_rules *set, const char *path, const void *data,
    size_t len, struct vg_err *err)
{
	struct loader	 ld = { .set = set, .path = path, .err = err,
			    .kind = "entry" };
	struct vdb	*db = &set->vdb;
	struct ynode	*root = NULL, *y;
	struct vrel	 r;
	struct vprod	 p;
	size_t		 i;
	int		 rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	if (data == NULL)
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
	if (root == NULL) {
		rc = 0;
		goto out;
	}
	if (root->type != Y_SEQ) {
		y_fail(&ld, root->line, "expected a list of releases and "
		    "products, found %s", y_type_str(root->type));
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		y = root->kids[i];
		ld.in_item = true;
		ld.kind = "entry";
		ld.item = NULL;
		if (y->type != Y_MAP) {
			y_fail(&ld, y->line, "expected a mapping, found %s",
			    y_type_str(y->type));
			goto out;
		}
		if ((ld.item = entry_name(y, "release")) != NULL) {
			if (get_release(&ld, y, &r) == -1)
				goto out;
			if (y_grow(&db->rels, &db->relscap, db->nrels,
			    sizeof(r), VDB_RELEASES_MAX) == -1) {
				y_fail(&ld, y->line, "more than %d releases, "
				    "or out of memory", VDB_RELEASES_MAX);
				goto out;
			}
			db->rels[db->nrels++] = r;
			memset(&r, 0, sizeof(r));
		} else if ((ld.item = entry_name(y, "product")) != NULL) {
			if (get_product(&ld, y, &p) == -1)
				goto out;
			if (y_grow(&db->prods, &db->prodscap, db->nprods,
			    sizeof(p), VDB_PRODUCTS_MAX) == -1) {
				y_fail(&ld, y->line, "more than %d products, "
				    "or out of memory", VDB_PRODUCTS_MAX);
				goto out;
			}
			db->prods[db->nprods++] = p;
			memset(&p, 0, sizeof(p));
		} else {
			y_fail(&ld, y->line, "needs a 'release' or a "
			    "'product' key");
			goto out;
		}
	}
	rc = 0;
out:
	release_fini(&r);
	product_fini(&p);
	y_free(root);
	return rc;
}

const struct vrel *
versions_release(const struct vdb *db, const char *id)
{
	size_t	i;

	for (i = 0; i < db->nrels; i++)
		if (strcmp(db->rels[i].id, id) == 0)
			return &db->rels[i];
	return NULL;
}

static int
link_fail(struct vg_err *err, const struct vprod *p, unsigned long line,
    const char *what, const char *rel)
{
	char	where[sizeof(err->where)];

	snprintf(where, sizeof(where), "%s:%lu", p->file, line);
	vg_err_set(err, where, "product '%s': %s: unknown release '%s'",
	    p->id, what, rel);
	return -1;
}

int
versions_link(struct fp_rules *set, struct vg_err *err)
{
	const struct vdb	*db = &set->vdb;
	const struct vprod	*p;
	const struct vcve	*c;
	size_t			 i, j, k;

	for (i = 0; i < db->nprods; i++) {
		p = &db->prods[i];
		for (j = 0; j < p->nships; j++)
			if (versions_release(db, p->ships[j].rel) == NULL)
				return link_fail(err, p, p->ships[j].line,
				    "ships", p->ships[j].rel);
		for (j = 0; j < p->ncves; j++) {
			c = &p->cves[j];
			for (k = 0; k < c->nfixed; k++)
				if (versions_release(db, c->fixed[k].rel) ==
				    NULL)
					return link_fail(err, p,
					    c->fixed[k].line, "fixed",
					    c->fixed[k].rel);
		}
	}
	return 0;
}

void
versions_free(struct vdb *db)
{
	size_t	i;

	for (i = 0; i < db->nrels; i++)
		release_fini(&db->rels[i]);
	free(db->rels);
	for (i = 0; i < db->nprods; i++)
		product_fini(&db->prods[i]);
	free(db->prods);
	memset(db, 0, sizeof(*db));
}
