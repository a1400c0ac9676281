/*
 * check_rdp.c - RDP checks on what the probe (probes/rdp.c) recorded of
 * the server's answers to the security recipe of research 3.1, one
 * offer per connection (MS-RDPBCGR 2.2.1.2):
 *
 *   rdp.selected_protocol  the answer to TLS or CredSSP: "standard_rdp",
 *                          "ssl", "hybrid", "hybrid_ex", ... (RDP_NEG_RSP),
 *                          "standard_rdp" also with no negotiation block
 *   rdp.neg_failure        or its RDP_NEG_FAILURE: "ssl_not_allowed_by_
 *                          server", "hybrid_required_by_server", ...
 *   rdp.negotiation        "none" when the block was absent
 *   rdp.rdp_only           the answer to Standard RDP Security alone
 *   rdp.ssl_only           the answer to TLS alone
 *   rdp.standard_security  "allowed", "refused", "unknown"
 *   rdp.nla                "required", "supported", "not_supported",
 *                          "unknown"
 *   rdp.x224_src_ref       the Confirm's SRC-REF, "0x1234" from Windows
 *   rdp.ntlm.*             the NTLM CHALLENGE over CredSSP: netbios_
 *                          computer, dns_computer, dns_domain, dns_tree,
 *                          version ("6.1.7601")
 *   tls.subject, tls.san   the listener's certificate (probes/tls.c)
 *
 * CredSSP chosen when offered shows that NLA is possible, not that it is
 * enforced: only a refusal of the offers without CredSSP proves that.
 * Without the answers that prove a verdict, the checks say "unknown"
 * rather than guess.
 */
#include "fingerprints_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "vigie/obs.h"

/* Windows answers the Connection Request with this SRC-REF; FreeRDP and
 * the servers built on it (GNOME Remote Desktop, its shadow server) send
 * 0 and put a made-up Windows 7 version (6.1.7601) in their NTLM
 * CHALLENGE (WinPR's GetVersionEx). */
#define WINDOWS_SRC_REF	"0x1234"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static bool
is(const char *v, const char *s)
{
	return v != NULL && strcmp(v, s) == 0;
}

/* Failures by which the server refuses Standard RDP Security. */
static bool
refuses_standard(const char *failure)
{
	return is(failure, "ssl_required_by_server") ||
	    is(failure, "hybrid_required_by_server") ||
	    is(failure, "ssl_with_user_auth_required_by_server");
}

static void
add_fields(const struct obs *obs, struct fp_evidence *ev)
{
	static const char *const	keys[] = {
		"rdp.nla", "rdp.standard_security", "rdp.selected_protocol",
		"rdp.neg_failure", "rdp.negotiation", "rdp.rdp_only",
		"rdp.ssl_only",
	};
	size_t				i;

	for (i = 0; i < NELEM(keys); i++)
		fp_evidence_add(ev, keys[i], obs_get(obs, keys[i]));
}

/*
 * NLA not enforced: a client can reach the logon screen without
 * authenticating first.  Proved by the server accepting TLS alone or
 * Standard RDP Security, or by its not supporting CredSSP at all;
 * disproved by HYBRID_REQUIRED_BY_SERVER.
 */
static enum fp_verdict
rdp_no_nla(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*nla = obs_get(obs, "rdp.nla");
	const char	*ssl_only = obs_get(obs, "rdp.ssl_only");
	const char	*rdp_only = obs_get(obs, "rdp.rdp_only");
	enum fp_verdict	 v;

	if (is(ssl_only, "ssl") || is(rdp_only, "standard_rdp") ||
	    is(rdp_only, "none") || is(nla, "not_supported") ||
	    is(obs_get(obs, "rdp.standard_security"), "allowed"))
		v = FP_MATCH;
	else if (is(nla, "required") ||
	    is(ssl_only, "hybrid_required_by_server") ||
	    is(rdp_only, "hybrid_required_by_server") ||
	    is(obs_get(obs, "rdp.neg_failure"), "hybrid_required_by_server"))
		v = FP_NO_MATCH;
	else
		v = FP_UNKNOWN;	/* CredSSP possible, enforcement unseen */
	if (v == FP_MATCH)
		add_fields(obs, ev);
	return v;
}

const struct fp_check	fp_check_rdp_no_nla = {
	.name	= "rdp_no_nla",
	.eval	= rdp_no_nla,
};

/*
 * Standard RDP Security allowed: the legacy RC4-based layer, without
 * server authentication, open to interception.  Proved by the server
 * selecting it, sending no negotiation block (an old stack), or refusing
 * TLS; disproved by a failure that requires TLS or CredSSP.
 */
static enum fp_verdict
rdp_standard_security(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*std = obs_get(obs, "rdp.standard_security");
	const char	*fail = obs_get(obs, "rdp.neg_failure");
	const char	*rdp_only = obs_get(obs, "rdp.rdp_only");
	enum fp_verdict	 v;

	if (is(std, "allowed") || is(rdp_only, "standard_rdp") ||
	    is(rdp_only, "none") ||
	    is(obs_get(obs, "rdp.selected_protocol"), "standard_rdp") ||
	    is(obs_get(obs, "rdp.negotiation"), "none") ||
	    is(fail, "ssl_not_allowed_by_server"))
		v = FP_MATCH;
	else if (is(std, "refused") || refuses_standard(rdp_only) ||
	    refuses_standard(fail) || is(obs_get(obs, "rdp.nla"), "required"))
		v = FP_NO_MATCH;
	else
		v = FP_UNKNOWN;	/* it chose better; may still allow it */
	if (v == FP_MATCH)
		add_fields(obs, ev);
	return v;
}

const struct fp_check	fp_check_rdp_standard_security = {
	.name	= "rdp_standard_security",
	.eval	= rdp_standard_security,
};

/*
 * Internal names.  Suffixes used for private namespaces, so names that
 * mean nothing outside the establishment and tell an attacker how its
 * network (often its Active Directory domain) is named: RFC 6762
 * appendix G's list, RFC 8375's home.arpa, and the usual AD choices.
 */
static const char *const	internal_suffixes[] = {
	"local", "localdomain", "lan", "internal", "intranet", "intra",
	"corp", "home", "home.arpa", "priv", "private", "ad", "domain",
	"loc",
};

#define NAME_MAX_LEN	253	/* RFC 1035 2.3.4, without the root */

/* [p, p+n) is a dotted DNS name under an internal suffix. */
static bool
name_internal(const char *p, size_t n)
{
	size_t	i, sl;

	while (n > 0 && p[n - 1] == '.')
		n--;			/* a rooted name */
	if (n == 0 || n > NAME_MAX_LEN || memchr(p, '.', n) == NULL)
		return false;		/* a single label says no domain */
	for (i = 0; i < NELEM(internal_suffixes); i++) {
		sl = strlen(internal_suffixes[i]);
		if (n > sl + 1 && p[n - sl - 1] == '.' &&
		    strncasecmp(p + n - sl, internal_suffixes[i], sl) == 0)
			return true;
	}
	return false;
}

/*
 * Whether a field names an internal host: each item of `val` that
 * starts with `tag` ("CN=", "DNS:"), up to a `sep`, is a name; with a
 * NULL tag the whole value is one.
 */
static bool
field_internal(const char *val, const char *tag, char sep)
{
	const char	*p = val, *end;
	size_t		 tl = tag != NULL ? strlen(tag) : 0;

	if (tag == NULL)
		return name_internal(val, strlen(val));
	while (*p != '\0') {
		end = strchr(p, sep);
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) > tl && strncasecmp(p, tag, tl) == 0 &&
		    name_internal(p + tl, (size_t)(end - p) - tl))
			return true;
		p = *end != '\0' ? end + 1 : end;
	}
	return false;
}

/*
 * An internal host name leaked: the certificate of the RDP listener, or
 * the NTLM CHALLENGE its CredSSP sends to anyone, names a host or a
 * domain of the internal namespace.  Single-label (NetBIOS) names are
 * not counted: every NTLM CHALLENGE carries one.
 */
static enum fp_verdict
rdp_internal_name(const struct obs *obs, struct fp_evidence *ev)
{
	static const struct {
		const char	*key;
		const char	*tag;
		char		 sep;
	} fields[] = {
		{ "tls.subject", "CN=", ',' },
		{ "tls.san", "DNS:", ' ' },
		{ "rdp.ntlm.dns_computer", NULL, 0 },
		{ "rdp.ntlm.dns_domain", NULL, 0 },
		{ "rdp.ntlm.dns_tree", NULL, 0 },
	};
	const char	*v;
	size_t		 i;
	bool		 seen = false, found = false;

	for (i = 0; i < NELEM(fields); i++) {
		if ((v = obs_get(obs, fields[i].key)) == NULL)
			continue;
		seen = true;
		if (field_internal(v, fields[i].tag, fields[i].sep)) {
			fp_evidence_add(ev, fields[i].key, v);
			found = true;
		}
	}
	if (found)
		return FP_MATCH;
	return seen ? FP_NO_MATCH : FP_UNKNOWN;
}

const struct fp_check	fp_check_rdp_internal_name = {
	.name	= "rdp_internal_name",
	.eval	= rdp_internal_name,
};

/*
 * The Windows release an NTLM version names (MS-NLMP 2.2.2.10: major,
 * minor, build), as an id of fingerprints/rules/versions/releases.yaml,
 * whose dates the check reads.  A build shared by a client and a server
 * edition maps to the server, the longer supported.  Windows 10 and 11
 * client builds have no release there: the check cannot tell.
 */
static const struct {
	uint8_t		 major, minor;
	uint16_t	 build_lo, build_hi;
	const char	*release;
} windows_builds[] = {
	{ 5, 0, 0, UINT16_MAX, "windows-2000" },
	{ 5, 1, 0, UINT16_MAX, "windows-xp" },
	{ 5, 2, 0, UINT16_MAX, "windows-2003" },	/* and XP x64 */
	{ 6, 0, 0, UINT16_MAX, "windows-2008" },	/* and Vista */
	{ 6, 1, 0, UINT16_MAX, "windows-2008r2" },	/* and 7 */
	{ 6, 2, 0, UINT16_MAX, "windows-2012" },	/* and 8 */
	{ 6, 3, 0, UINT16_MAX, "windows-2012r2" },	/* and 8.1 */
	{ 10, 0, 14393, 14393, "windows-2016" },	/* and 10 1607 */
	{ 10, 0, 17763, 17763, "windows-2019" },	/* and 10 1809 */
	{ 10, 0, 20348, 20348, "windows-2022" },
	{ 10, 0, 26100, 26100, "windows-2025" },	/* and 11 24H2 */
};

/* "6.1.7601" -> the release id, or NULL. */
static const char *
windows_release(const char *version)
{
	unsigned int	major, minor, build;
	char		tail;
	size_t		i;

	if (sscanf(version, "%3u.%3u.%5u%c", &major, &minor, &build,
	    &tail) != 3)
		return NULL;
	for (i = 0; i < NELEM(windows_builds); i++)
		if (windows_builds[i].major == major &&
		    windows_builds[i].minor == minor &&
		    build >= windows_builds[i].build_lo &&
		    build <= windows_builds[i].build_hi)
			return windows_builds[i].release;
	return NULL;
}

static void
day_str(long day, char out[11])
{
	time_t		t = (time_t)day * 86400;
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) == 0)
		snprintf(out, 11, "?");
}

/* Append a space-separated list of references, bounded. */
static void
refs_append(char *refs, size_t len, const char *list)
{
	size_t	have = strlen(refs);

	if (list == NULL || list[0] == '\0')
		return;
	if (strstr(refs, list) != NULL)
		return;
	snprintf(refs + have, len - have, "%s%s", have > 0 ? " " : "", list);
}

/*
 * The Windows of an RDP server at its end of life, from the version its
 * NTLM CHALLENGE gives over CredSSP.  Only for a Windows stack (the
 * Confirm's SRC-REF): other servers' NTLM versions are made up.
 */
static enum fp_verdict
rdp_windows_eol(const struct fp_rules *set, const struct obs *obs,
    struct fp_outcome *out, size_t max, size_t *n)
{
	const struct vrel	*rel;
	const char		*version, *id;
	char			 date[11];

	*n = 0;
	if (max == 0 ||
	    (version = obs_get(obs, "rdp.ntlm.version")) == NULL ||
	    !is(obs_get(obs, "rdp.x224_src_ref"), WINDOWS_SRC_REF) ||
	    (id = windows_release(version)) == NULL ||
	    (rel = versions_release(&set->vdb, id)) == NULL)
		return FP_UNKNOWN;
	if (rel->eol > set->today)
		return FP_NO_MATCH;
	fp_evidence_add(&out[0].ev, "rdp.ntlm.version", version);
	fp_evidence_add(&out[0].ev, "release", rel->name);
	day_str(rel->eol, date);
	fp_evidence_add(&out[0].ev, "eol", date);
	fp_evidence_add(&out[0].ev, "rdp.ntlm.netbios_computer",
	    obs_get(obs, "rdp.ntlm.netbios_computer"));
	out[0].severity = rel->severity;
	out[0].confidence = "end-of-life";
	refs_append(out[0].refs, sizeof(out[0].refs), rel->references);
	*n = 1;
	return FP_MATCH;
}

const struct fp_xcheck	fp_xcheck_rdp_windows_eol = {
	.name	= "rdp_windows_eol",
	.eval	= rdp_windows_eol,
};
