/*
 * check_version.c - version verdicts, never a bare "vulnerable" from a
 * banner.  For each product of the version data set that an observation
 * names, decide on what grounds the version can be judged (the basis),
 * which releases it points to, and then:
 *
 *   outdated-software  the strongest verdict over the product's CVEs:
 *     vulnerable         a Debian/Ubuntu package revision below the fixed
 *                        revision of its release (the exact vendor build)
 *     likely-vulnerable  an upstream or vendor build in an affected range,
 *                        or a package of a dead release that never got
 *                        the fix
 *     to-verify          a distribution build whose revision we cannot
 *                        see (it may carry a backported fix), or data we
 *                        are unsure of
 *   end-of-life        the release (or, for upstream builds, the branch)
 *                      no longer gets security fixes: "end-of-life", or
 *                      "to-verify" when the release is only inferred from
 *                      a version some distribution ships.
 *
 * Severity is the CVEs' for vulnerable and likely-vulnerable, and at most
 * low for to-verify (research 3.3: demote, do not hide); an end of life
 * is as severe as its release says, at most medium when only inferred.  The evidence
 * names the banner and the rule of inference.  Dates are days since
 * 1970-01-01 (the rule set's `today`, or an example's date).
 */
#include "fingerprints_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vigie/obs.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Verdicts, as confidences of findings. */
static const char	V_VULNERABLE[] = "vulnerable";
static const char	V_LIKELY[] = "likely-vulnerable";
static const char	V_EOL[] = "end-of-life";
static const char	V_TO_VERIFY[] = "to-verify";

/* The most a to-verify verdict weighs. */
#define TO_VERIFY_SEVERITY_MAX	FP_SEV_LOW

enum basis {
	BASIS_REVISION,		/* a distribution package revision */
	BASIS_MARKER,		/* a distribution named, no revision */
	BASIS_FROZEN,		/* nothing named, a version distros ship */
	BASIS_UPSTREAM,		/* an upstream build */
	BASIS_BUNDLED,		/* a version tied to its platform */
};

/* The rule of inference, as the evidence states it (French first: it is
 * what the establishments read). */
static const char *const	basis_text[] = {
	[BASIS_REVISION] = "révision du paquet de la distribution comparée "
	    "à la révision corrigée de sa version",
	[BASIS_MARKER] = "version d'une distribution sans révision du "
	    "paquet : correctifs rétroportés possibles",
	[BASIS_FROZEN] = "version livrée par une distribution qui "
	    "rétroporte les correctifs : à vérifier sur le serveur",
	[BASIS_UPSTREAM] = "version amont, sans mention de distribution",
	[BASIS_BUNDLED] = "version liée à la version du système de "
	    "l'éditeur",
};

/* What we know of one product on one observation. */
struct vfound {
	const struct vprod	*p;
	struct vers_sw		 sw;
	const char		*key;		/* the field read */
	const char		*val;
	const char		*key2;		/* a second one, or NULL */
	const char		*val2;
	enum basis		 basis;
	const struct vrel	*rels[VDB_CAND_MAX];
	size_t			 nrels;
	char			 pkg[3 * VERS_MAX];	/* package version */
	bool			 extended;	/* revision on paid support */
};

static int
verdict_rank(const char *v)
{
	if (v == V_VULNERABLE)
		return 3;
	if (v == V_LIKELY)
		return 2;
	if (v == V_TO_VERIFY)
		return 1;
	return 0;
}

#define DATE_STRLEN	48	/* "YYYY-MM-DD", room for any long */

static void
date_str(long days, char out[DATE_STRLEN])
{
	long		z, era, y;
	unsigned	doe, yoe, doy, mp, d, m;

	/* civil_from_days, H. Hinnant's algorithm. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, DATE_STRLEN, "%04ld-%02u-%02u", y, m, d);
}

/* The family of a release id: its text before the first '-'. */
static bool
rel_in_family(const char *id, enum vers_family f)
{
	switch (f) {
	case VERS_FAMILY_DEBIAN:
		return strncmp(id, "debian-", 7) == 0;
	case VERS_FAMILY_UBUNTU:
		return strncmp(id, "ubuntu-", 7) == 0;
	case VERS_FAMILY_EL:
		return strncmp(id, "el-", 3) == 0 ||
		    strncmp(id, "centos-", 7) == 0;
	case VERS_FAMILY_NONE:
	case VERS_FAMILY_OTHER:
	default:
		return false;
	}
}

static bool
re_match(const struct fp_rules *set, const pcre2_code *re, const char *s)
{
	return re != NULL && pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0,
	    set->md, set->mctx) >= 0;
}

static void
cand_add(struct vfound *vf, const struct vrel *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < vf->nrels; i++)
		if (vf->rels[i] == r)
			return;
	if (vf->nrels < VDB_CAND_MAX)
		vf->rels[vf->nrels++] = r;
}

/* A release a ship line names, CentOS's own when it has one. */
static const struct vrel *
ship_release(const struct vdb *db, const char *rel, const struct vers_sw *sw)
{
	const struct vrel	*r;
	char			 id[VERS_MAX];

	if (strcmp(sw->distro, "centos") == 0 && strncmp(rel, "el-", 3) == 0) {
		snprintf(id, sizeof(id), "centos-%s", rel + 3);
		if ((r = versions_release(db, id)) != NULL)
			return r;
	}
	return versions_release(db, rel);
}

/* The releases shipping this version; of the banner's family unless
 * `any`. */
static void
cand_from_ships(const struct vdb *db, struct vfound *vf, bool any)
{
	const struct vship	*s;
	size_t			 i;

	for (i = 0; i < vf->p->nships; i++) {
		s = &vf->p->ships[i];
		if (!any && !rel_in_family(s->rel, vf->sw.family))
			continue;
		if (vers_range_has(&s->range, vf->sw.version))
			cand_add(vf, ship_release(db, s->rel, &vf->sw));
	}
}

/* Read the product from the observation.  False when it is absent. */
static bool
find_product(const struct vprod *p, const struct obs *obs, struct vfound *vf)
{
	static const char *const	server_fields[] = { "http.server" };
	const char *const		*fields;
	const char			*v, *c;
	size_t				 nfields, i;

	memset(vf, 0, sizeof(*vf));
	vf->p = p;
	switch (p->source) {
	case VSRC_SSH:
		v = obs_get(obs, "ssh.software");
		c = obs_get(obs, "ssh.comments");
		if (!vers_from_ssh(v, c, p->token, &vf->sw))
			return false;
		vf->key = "ssh.software";
		vf->val = v;
		if (c != NULL) {
			vf->key2 = "ssh.comments";
			vf->val2 = c;
		}
		break;
	case VSRC_SERVER:
		fields = p->nfields > 0 ? (const char *const *)p->fields :
		    server_fields;
		nfields = p->nfields > 0 ? p->nfields : NELEM(server_fields);
		for (i = 0; i < nfields; i++) {
			v = obs_get(obs, fields[i]);
			if (v != NULL && vers_from_server(v, p->token,
			    &vf->sw)) {
				vf->key = fields[i];
				vf->val = v;
				break;
			}
		}
		if (i == nfields)
			return false;
		break;
	case VSRC_PRODUCT:
		if ((c = obs_get(obs, "product")) == NULL ||
		    strcasecmp(c, p->token) != 0)
			return false;
		v = obs_get(obs, "version");
		if (!vers_from_text(v, &vf->sw))
			return false;
		vf->key = "version";
		vf->val = v;
		vf->key2 = "product";
		vf->val2 = c;
		/* A package revision the probe read apart from the version
		 * (MariaDB's greeting), evidence in place of the product that
		 * "software=" already names. */
		if (p->revision != NULL &&
		    (c = obs_get(obs, p->revision)) != NULL &&
		    vers_revision(c, &vf->sw)) {
			vf->key2 = p->revision;
			vf->val2 = c;
		}
		break;
	case VSRC_FIELD:
		v = obs_get(obs, p->token);
		if (!vers_from_text(v, &vf->sw))
			return false;
		vf->key = p->token;
		vf->val = v;
		break;
	default:
		return false;
	}
	for (i = 0; i < p->nmarkers && vf->sw.family == VERS_FAMILY_NONE;
	    i++)
		if ((v = obs_get(obs, p->markers[i])) != NULL &&
		    vers_distro_marker(v, &vf->sw) && vf->key2 == NULL) {
			vf->key2 = p->markers[i];
			vf->val2 = v;
		}
	return true;
}

/* Decide the basis and the candidate releases. */
static void
infer(const struct fp_rules *set, struct vfound *vf)
{
	const struct vdb	*db = &set->vdb;
	const struct vrel	*r;
	size_t			 i;

	if (vf->p->bundled) {
		vf->basis = BASIS_BUNDLED;
		cand_from_ships(db, vf, true);
		return;
	}
	if ((vf->sw.family == VERS_FAMILY_DEBIAN ||
	    vf->sw.family == VERS_FAMILY_UBUNTU) &&
	    vf->sw.revision[0] != '\0') {
		vf->basis = BASIS_REVISION;
		if (vf->p->epoch > 0)
			snprintf(vf->pkg, sizeof(vf->pkg), "%lu:%s-%s",
			    vf->p->epoch, vf->sw.version, vf->sw.revision);
		else
			snprintf(vf->pkg, sizeof(vf->pkg), "%s-%s",
			    vf->sw.version, vf->sw.revision);
		for (i = 0; i < db->nrels; i++) {
			r = &db->rels[i];
			if (rel_in_family(r->id, vf->sw.family) &&
			    re_match(set, r->revision, vf->sw.revision))
				cand_add(vf, r);
		}
		if (vf->nrels == 0)
			cand_from_ships(db, vf, false);
		for (i = 0; i < vf->nrels; i++)
			if (re_match(set, vf->rels[i]->extended,
			    vf->sw.revision))
				vf->extended = true;
		return;
	}
	if (vf->sw.family != VERS_FAMILY_NONE) {
		vf->basis = BASIS_MARKER;
		cand_from_ships(db, vf, false);
		return;
	}
	if (vf->sw.upstream || vf->p->bare_upstream) {
		vf->basis = BASIS_UPSTREAM;
		return;
	}
	cand_from_ships(db, vf, true);
	vf->basis = vf->nrels > 0 ? BASIS_FROZEN : BASIS_UPSTREAM;
}

static long
rel_eol(const struct vfound *vf, const struct vrel *r)
{
	return vf->extended ? r->ext_eol : r->eol;
}

static void
ev_software(struct fp_evidence *ev, const struct vfound *vf)
{
	char	sw[VERS_MAX + 128];

	snprintf(sw, sizeof(sw), "%s %s", vf->p->name, vf->sw.version);
	fp_evidence_add(ev, "software", sw);
	fp_evidence_add(ev, vf->key, vf->val);
	if (vf->key2 != NULL)
		fp_evidence_add(ev, vf->key2, vf->val2);
	if (vf->pkg[0] != '\0')
		fp_evidence_add(ev, "package", vf->pkg);
}

/* The releases as "Debian 12 (bookworm), ..." into out. */
static void
rel_names(const struct vfound *vf, char *out, size_t len)
{
	size_t	i, o = 0;
	int	n;

	out[0] = '\0';
	for (i = 0; i < vf->nrels && o < len; i++) {
		n = snprintf(out + o, len - o, "%s%s", i > 0 ? " ou " : "",
		    vf->rels[i]->name);
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

/* Append a URL to a space-separated list, when it fits and is new. */
static void
refs_add(char *refs, size_t len, const char *url)
{
	size_t	have = strlen(refs), n = strlen(url);
	char	*p;

	if (n == 0)
		return;
	for (p = refs; (p = strstr(p, url)) != NULL; p += n)
		if ((p == refs || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return;
	if (have + (have > 0) + n + 1 > len)
		return;
	if (have > 0)
		refs[have++] = ' ';
	memcpy(refs + have, url, n + 1);
}

/* Each URL of a space-separated list. */
static void
refs_add_list(char *refs, size_t len, const char *list)
{
	char		 url[512];
	const char	*p = list, *sp;
	size_t		 n;

	while (*p != '\0') {
		sp = strchr(p, ' ');
		n = sp != NULL ? (size_t)(sp - p) : strlen(p);
		if (n > 0 && n < sizeof(url)) {
			memcpy(url, p, n);
			url[n] = '\0';
			refs_add(refs, len, url);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void
refs_cve(char *refs, size_t len, const struct vfound *vf,
    const struct vcve *c)
{
	char	url[160];

	if (strncmp(c->id, "CVE-", 4) == 0) {
		snprintf(url, sizeof(url),
		    "https://www.cve.org/CVERecord?id=%s", c->id);
		refs_add(refs, len, url);
		if (vf->sw.family == VERS_FAMILY_DEBIAN) {
			snprintf(url, sizeof(url),
			    "https://security-tracker.debian.org/tracker/%s",
			    c->id);
			refs_add(refs, len, url);
		} else if (vf->sw.family == VERS_FAMILY_UBUNTU) {
			snprintf(url, sizeof(url),
			    "https://ubuntu.com/security/%s", c->id);
			refs_add(refs, len, url);
		}
	}
	refs_add_list(refs, len, c->references);
}

static const struct vfix *
fix_for(const struct vcve *c, const struct vrel *r)
{
	size_t	i;

	for (i = 0; i < c->nfixed; i++)
		if (strcmp(c->fixed[i].rel, r->id) == 0)
			return &c->fixed[i];
	return NULL;
}

/*
 * The verdict on one CVE, or NULL when it does not apply.  *fixed_in is
 * set to the fixed package version the verdict relied on, if any.
 */
static const char *
cve_verdict(const struct vfound *vf, const struct vcve *c, long today,
    const char **fixed_in)
{
	const struct vfix	*fx;
	const struct vrel	*r;
	const char		*v;
	size_t			 i;

	*fixed_in = NULL;
	for (i = 0; i < c->naffected; i++)
		if (vers_range_has(&c->affected[i], vf->sw.version))
			break;
	if (i == c->naffected)
		return NULL;
	switch (vf->basis) {
	case BASIS_REVISION:
		if (vf->nrels != 1) {
			v = V_TO_VERIFY;
			break;
		}
		r = vf->rels[0];
		if ((fx = fix_for(c, r)) != NULL) {
			if (fx->version == NULL)
				return NULL;		/* not affected */
			if (vers_dpkg_cmp(vf->pkg, fx->version) >= 0)
				return NULL;		/* fixed */
			*fixed_in = fx->version;
			v = fx->to_verify ? V_TO_VERIFY : V_VULNERABLE;
		} else if (rel_eol(vf, r) <= today) {
			v = V_LIKELY;	/* a dead release: no fix coming */
		} else {
			v = V_TO_VERIFY;
		}
		break;
	case BASIS_MARKER:
	case BASIS_FROZEN:
		v = V_TO_VERIFY;
		break;
	case BASIS_UPSTREAM:
	case BASIS_BUNDLED:
	default:
		v = V_LIKELY;
		break;
	}
	if (c->to_verify && verdict_rank(v) > verdict_rank(V_TO_VERIFY))
		v = V_TO_VERIFY;
	return v;
}

static void
judge_outdated(const struct vfound *vf, long today, struct vverdict *vv)
{
	const struct vcve	*c;
	const char		*v, *fixed_in;
	char			 item[256], list[FP_EVIDENCE_MAX];
	size_t			 i, o = 0, co = 0;
	bool			 have_sev = false;
	int			 n;

	list[0] = '\0';
	for (i = 0; i < vf->p->ncves; i++) {
		c = &vf->p->cves[i];
		if ((v = cve_verdict(vf, c, today, &fixed_in)) == NULL)
			continue;
		if (verdict_rank(v) > verdict_rank(vv->outdated))
			vv->outdated = v;
		if (v != V_TO_VERIFY && (!have_sev || c->severity >
		    vv->severity)) {
			vv->severity = c->severity;
			have_sev = true;
		}
		n = snprintf(item, sizeof(item), "%s%s%s: %s%s%s", c->id,
		    c->name != NULL ? " " : "", c->name != NULL ? c->name : "",
		    v, fixed_in != NULL ? ", corrigé en " : "",
		    fixed_in != NULL ? fixed_in : "");
		if (n > 0 && o + (size_t)n + 2 < sizeof(list)) {
			o += (size_t)snprintf(list + o, sizeof(list) - o,
			    "%s%s", o > 0 ? "; " : "", item);
		}
		n = snprintf(vv->cves + co, sizeof(vv->cves) - co, "%s%s",
		    co > 0 ? " " : "", c->id);
		if (n > 0 && co + (size_t)n < sizeof(vv->cves))
			co += (size_t)n;
		else
			vv->cves[co] = '\0';
		refs_cve(vv->refs, sizeof(vv->refs), vf, c);
	}
	if (vv->outdated == NULL)
		return;
	if (!have_sev) {
		/* Only to-verify: as severe as the CVEs, at most low. */
		vv->severity = FP_SEV_INFO;
		for (i = 0; i < vf->p->ncves; i++) {
			c = &vf->p->cves[i];
			if (cve_verdict(vf, c, today, &fixed_in) != NULL &&
			    c->severity > vv->severity)
				vv->severity = c->severity;
		}
		if (vv->severity > TO_VERIFY_SEVERITY_MAX)
			vv->severity = TO_VERIFY_SEVERITY_MAX;
	}
	ev_software(&vv->ev_outdated, vf);
	if (vf->nrels > 0) {
		rel_names(vf, item, sizeof(item));
		fp_evidence_add(&vv->ev_outdated, "release", item);
	}
	fp_evidence_add(&vv->ev_outdated, "cves", list);
	fp_evidence_add(&vv->ev_outdated, "basis", basis_text[vf->basis]);
}

static void
judge_eol(const struct vfound *vf, long today, struct vverdict *vv)
{
	const struct vbranch	*b;
	const struct vrel	*latest = NULL;
	char			 names[256], date[DATE_STRLEN];
	size_t			 i;

	/* The release: all candidates past their end. */
	for (i = 0; i < vf->nrels; i++) {
		if (rel_eol(vf, vf->rels[i]) > today)
			break;
		if (latest == NULL || rel_eol(vf, vf->rels[i]) >
		    rel_eol(vf, latest))
			latest = vf->rels[i];
	}
	if (vf->nrels > 0 && i == vf->nrels) {
		vv->eol = vf->basis == BASIS_FROZEN ? V_TO_VERIFY : V_EOL;
		vv->eol_rel = latest;
		ev_software(&vv->ev_eol, vf);
		rel_names(vf, names, sizeof(names));
		fp_evidence_add(&vv->ev_eol, "release", names);
		date_str(rel_eol(vf, latest), date);
		fp_evidence_add(&vv->ev_eol, "eol", date);
		if (vf->extended)
			fp_evidence_add(&vv->ev_eol, "support",
			    "extension payante (ESM)");
		fp_evidence_add(&vv->ev_eol, "basis", basis_text[vf->basis]);
		for (i = 0; i < vf->nrels; i++)
			refs_add_list(vv->refs, sizeof(vv->refs),
			    vf->rels[i]->references);
		return;
	}
	if (vf->nrels > 0 || vf->basis == BASIS_FROZEN ||
	    vf->basis == BASIS_BUNDLED)
		return;		/* a supported release maintains it */
	/* The upstream branch, for upstream builds; for a distribution
	 * build of an unknown release, only "to-verify". */
	for (i = 0; i < vf->p->nbranches; i++) {
		b = &vf->p->branches[i];
		if (!vers_range_has(&b->range, vf->sw.version) ||
		    b->eol > today)
			continue;
		vv->eol = b->to_verify || vf->basis != BASIS_UPSTREAM ?
		    V_TO_VERIFY : V_EOL;
		vv->eol_branch = b;
		ev_software(&vv->ev_eol, vf);
		fp_evidence_add(&vv->ev_eol, "branch", b->name);
		date_str(b->eol, date);
		fp_evidence_add(&vv->ev_eol, "eol", date);
		fp_evidence_add(&vv->ev_eol, "basis", vf->basis ==
		    BASIS_UPSTREAM ? "branche amont qui ne reçoit plus de "
		    "correctifs" : "branche amont abandonnée, mais la "
		    "distribution peut encore la maintenir");
		return;
	}
}

size_t
versions_eval(const struct fp_rules *set, const struct obs *obs, long today,
    struct vverdict *out, size_t max)
{
	const struct vdb	*db = &set->vdb;
	struct vfound		 vf;
	struct vverdict		*vv;
	size_t			 i, n = 0;

	for (i = 0; i < db->nprods && n < max; i++) {
		if (!find_product(&db->prods[i], obs, &vf))
			continue;
		infer(set, &vf);
		vv = &out[n++];
		memset(vv, 0, sizeof(*vv));
		vv->prod = vf.p;
		vv->sw = vf.sw;
		vv->banner_key = vf.key;
		judge_outdated(&vf, today, vv);
		judge_eol(&vf, today, vv);
	}
	return n;
}

/* The outdated-software check: one finding per outdated product. */
static enum fp_verdict
version_outdated(const struct fp_rules *set, const struct obs *obs,
    struct fp_outcome *out, size_t max, size_t *n)
{
	struct vverdict	vv[FP_OUTCOMES_MAX];
	size_t		i, nv;

	*n = 0;
	nv = versions_eval(set, obs, set->today, vv,
	    max < NELEM(vv) ? max : NELEM(vv));
	if (nv == 0)
		return FP_UNKNOWN;	/* no version we can judge */
	for (i = 0; i < nv; i++) {
		if (vv[i].outdated == NULL)
			continue;
		out[*n].ev = vv[i].ev_outdated;
		out[*n].severity = vv[i].severity;
		out[*n].confidence = vv[i].outdated;
		refs_add_list(out[*n].refs, sizeof(out[*n].refs), vv[i].refs);
		(*n)++;
	}
	return *n > 0 ? FP_MATCH : FP_NO_MATCH;
}

const struct fp_xcheck	fp_xcheck_version_outdated = {
	.name	= "version_outdated",
	.eval	= version_outdated,
};

/* The end-of-life check: one finding per product at its end. */
static enum fp_verdict
version_eol(const struct fp_rules *set, const struct obs *obs,
    struct fp_outcome *out, size_t max, size_t *n)
{
	struct vverdict	vv[FP_OUTCOMES_MAX];
	size_t		i, nv;

	*n = 0;
	nv = versions_eval(set, obs, set->today, vv,
	    max < NELEM(vv) ? max : NELEM(vv));
	if (nv == 0)
		return FP_UNKNOWN;
	for (i = 0; i < nv; i++) {
		if (vv[i].eol == NULL)
			continue;
		out[*n].ev = vv[i].ev_eol;
		if (vv[i].eol_rel != NULL)
			out[*n].severity = vv[i].eol_rel->severity;
		else if (vv[i].eol_branch != NULL)
			out[*n].severity = vv[i].eol_branch->severity;
		if (vv[i].eol == V_TO_VERIFY &&
		    out[*n].severity > FP_SEV_MEDIUM)
			out[*n].severity = FP_SEV_MEDIUM;
		out[*n].confidence = vv[i].eol;
		refs_add_list(out[*n].refs, sizeof(out[*n].refs), vv[i].refs);
		(*n)++;
	}
	return *n > 0 ? FP_MATCH : FP_NO_MATCH;
}

const struct fp_xcheck	fp_xcheck_version_eol = {
	.name	= "version_eol",
	.eval	= version_eol,
};

/* The CVE ids of `got` (space-separated) are exactly those expected. */
static bool
same_cves(const struct vexample *ex, const char *got)
{
	const char	*p;
	size_t		 i, n, count = 0, len;
	bool		 found;

	for (p = got; *p != '\0'; ) {
		n = strcspn(p, " ");
		found = false;
		for (i = 0; i < ex->ncves; i++) {
			len = strlen(ex->cves[i]);
			if (len == n && strncmp(p, ex->cves[i], n) == 0)
				found = true;
		}
		if (!found)
			return false;
		count++;
		p += n;
		while (*p == ' ')
			p++;
	}
	return count == ex->ncves;
}

int
versions_selftest(const struct fp_rules *set, FILE *out)
{
	const struct vdb	*db = &set->vdb;
	const struct vprod	*p;
	const struct vexample	*ex;
	struct vverdict		 vv[FP_OUTCOMES_MAX], *got;
	const char		*go, *ge;
	size_t			 i, j, k, nv;
	bool			 saw_finding, saw_none;
	int			 fails = 0;

	for (i = 0; i < db->nprods; i++) {
		p = &db->prods[i];
		saw_finding = saw_none = false;
		for (j = 0; j < p->nexamples; j++) {
			ex = &p->examples[j];
			nv = versions_eval(set, ex->obs, ex->date >= 0 ?
			    ex->date : set->today, vv, NELEM(vv));
			for (got = NULL, k = 0; k < nv; k++)
				if (vv[k].prod == p)
					got = &vv[k];
			if (got == NULL) {
				fails++;
				if (out != NULL)
					fprintf(out, "%s:%lu: product %s "
					    "example %zu: the observation does "
					    "not name the product\n", p->file,
					    ex->line, p->id, j + 1);
				continue;
			}
			go = got->outdated != NULL ? got->outdated : "none";
			ge = got->eol != NULL ? got->eol : "none";
			if (strcmp(go, "none") == 0 && strcmp(ge, "none") == 0)
				saw_none = true;
			else
				saw_finding = true;
			if (strcmp(go, ex->outdated) == 0 &&
			    strcmp(ge, ex->eol) == 0 &&
			    (!ex->has_cves || same_cves(ex, got->cves)))
				continue;
			fails++;
			if (out != NULL)
				fprintf(out, "%s:%lu: product %s example %zu: "
				    "expected outdated=%s eol=%s, got "
				    "outdated=%s eol=%s cves=[%s]\n", p->file,
				    ex->line, p->id, j + 1, ex->outdated,
				    ex->eol, go, ge, got->cves);
		}
		if (saw_finding && saw_none)
			continue;
		fails++;
		if (out != NULL)
			fprintf(out, "%s:%lu: product %s: needs an example "
			    "with a finding and one without\n", p->file,
			    p->line, p->id);
	}
	return fails;
}
