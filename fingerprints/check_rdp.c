/*
 * check_rdp.c - RDP checks on what the probe (probes/rdp.c) recorded of
 * the server's X.224 Connection Confirm (MS-RDPBCGR 2.2.1.2):
 *
 *   rdp.selected_protocol  "standard_rdp", "ssl", "hybrid", "hybrid_ex",
 *                          ... (RDP_NEG_RSP), "standard_rdp" also when
 *                          the server sent no negotiation block
 *   rdp.neg_failure        "ssl_not_allowed_by_server",
 *                          "hybrid_required_by_server", ... (RDP_NEG_FAILURE)
 *   rdp.negotiation        "none" when the block was absent
 *   rdp.nla                "required", "supported", "not_supported",
 *                          "unknown": what one request offering TLS and
 *                          CredSSP tells
 *
 * One request offering TLS|CredSSP shows whether NLA is possible, not
 * whether it is enforced: a server that picks CredSSP may still accept a
 * client offering TLS alone.  The checks also read, when present, the
 * answers to the research 3.1 recipe (issue #4), one connection each:
 *
 *   rdp.rdp_only  the answer to an offer of Standard RDP Security only
 *   rdp.ssl_only  the answer to an offer of TLS only
 *
 * each a selected protocol name or a failure name as above.  Without
 * them the checks say "unknown" rather than guess.
 */
#include "fingerprints_internal.h"

#include <string.h>

#include "vigie/obs.h"

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
		"rdp.nla", "rdp.selected_protocol", "rdp.neg_failure",
		"rdp.negotiation", "rdp.rdp_only", "rdp.ssl_only",
	};
	size_t				i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fp_evidence_add(ev, keys[i], obs_get(obs, keys[i]));
}

/*
 * NLA not enforced: a client can reach the logon screen without
 * authenticating first.  Proved by the server accepting TLS alone or
 * Standard RDP Security, or by its not supporting CredSSP at all.
 */
static enum fp_verdict
rdp_no_nla(const struct obs *obs, struct fp_evidence *ev)
{
	const char	*nla = obs_get(obs, "rdp.nla");
	const char	*ssl_only = obs_get(obs, "rdp.ssl_only");
	const char	*rdp_only = obs_get(obs, "rdp.rdp_only");
	enum fp_verdict	 v;

	if (is(ssl_only, "ssl") || is(rdp_only, "standard_rdp") ||
	    is(nla, "not_supported"))
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
	const char	*sel = obs_get(obs, "rdp.selected_protocol");
	const char	*fail = obs_get(obs, "rdp.neg_failure");
	const char	*rdp_only = obs_get(obs, "rdp.rdp_only");
	enum fp_verdict	 v;

	if (is(rdp_only, "standard_rdp") || is(sel, "standard_rdp") ||
	    is(obs_get(obs, "rdp.negotiation"), "none") ||
	    is(fail, "ssl_not_allowed_by_server"))
		v = FP_MATCH;
	else if (refuses_standard(rdp_only) || refuses_standard(fail) ||
	    is(obs_get(obs, "rdp.nla"), "required"))
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
