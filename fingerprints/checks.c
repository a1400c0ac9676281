/*
 * checks.c - the registry of C checks, for what rule data cannot
 * express.  A rule names one with `check: <name>`.
 *
 * To add a check: write its const struct fp_check in the check_<topic>.c
 * of its topic, declare it in fingerprints_internal.h, add it to the
 * table below and test it in tests/unit/test_check_<topic>.c.  A check
 * reads the observation only; it answers FP_UNKNOWN when the fields it
 * needs are absent, and adds what it relied on to the evidence.
 *
 * The extended checks (struct fp_xcheck, private to fingerprints/) also
 * read the rule set's data, and may give several findings with their own
 * severity, confidence and references: the version verdicts.
 */
#include "fingerprints_internal.h"

#include <string.h>

static const struct fp_check *const	checks[] = {
	/* check_tls.c */
	&fp_check_tls_self_signed,
	&fp_check_tls_expired,
	&fp_check_tls_untrusted,
	&fp_check_tls_legacy_protocol,
	&fp_check_tls_weak_cipher,
	&fp_check_tls_short_key,
	/* check_rdp.c */
	&fp_check_rdp_no_nla,
	&fp_check_rdp_standard_security,
	&fp_check_rdp_internal_name,
	/* check_vpn.c */
	&fp_check_vpn_gateway,
	&fp_check_vpn_mfa_not_evident,
};

#define NCHECKS	(sizeof(checks) / sizeof(checks[0]))

static const struct fp_xcheck *const	xchecks[] = {
	/* check_version.c */
	&fp_xcheck_version_outdated,
	&fp_xcheck_version_eol,
	/* check_rdp.c */
	&fp_xcheck_rdp_windows_eol,
};

#define NXCHECKS	(sizeof(xchecks) / sizeof(xchecks[0]))

const struct fp_xcheck *
fp_xcheck_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NXCHECKS; i++)
		if (strcmp(xchecks[i]->name, name) == 0)
			return xchecks[i];
	return NULL;
}

const struct fp_check *
fp_check_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NCHECKS; i++)
		if (strcmp(checks[i]->name, name) == 0)
			return checks[i];
	return NULL;
}

size_t
fp_check_count(void)
{
	return NCHECKS;
}

const struct fp_check *
fp_check_at(size_t i)
{
	return i < NCHECKS ? checks[i] : NULL;
}
