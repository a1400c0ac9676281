/*
 * checks.c - the registry of C checks, for what rule data cannot
 * express.  A rule names one with `check: <name>`.
 *
 * To add a check: write its const struct fp_check in the check_<topic>.c
 * of its topic, declare it in fingerprints_internal.h, add it to the
 * table below and test it in tests/unit/test_checks.c.  A check reads the
 * observation only; it answers FP_UNKNOWN when the fields it needs are
 * absent, and adds what it relied on to the evidence.
 */
#include "fingerprints_internal.h"

#include <string.h>

static const struct fp_check *const	checks[] = {
	/* check_tls.c */
	&fp_check_tls_self_signed,
	&fp_check_tls_expired,
	&fp_check_tls_untrusted,
};

#define NCHECKS	(sizeof(checks) / sizeof(checks[0]))

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
