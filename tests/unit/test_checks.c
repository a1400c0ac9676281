/*
 * test_checks.c - the registry of C checks (fingerprints/checks.c) and
 * each check on observations with and without the fields it needs:
 * match, no-match and unknown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "vigie/fp.h"
#include "vigie/obs.h"

/* Run a check by name on `o`; the evidence is left in *ev. */
static enum fp_verdict
run(const char *name, const struct obs *o, struct fp_evidence *ev)
{
	const struct fp_check	*c;

	if ((c = fp_check_find(name)) == NULL)
		fail_msg("check %s not registered", name);
	memset(ev, 0, sizeof(*ev));
	return c->eval(o, ev);
}

static int
setup_obs(void **state)
{
	static struct obs	o;

	obs_init(&o);
	obs_set_service(&o, "http");
	o.tls = true;
	*state = &o;
	return 0;
}

static int
teardown_obs(void **state)
{
	obs_fini(*state);
	return 0;
}

static void
test_registry_is_well_formed(void **state)
{
	const struct fp_check	*c;
	size_t			 i, j, n = fp_check_count();

	(void)state;
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		assert_non_null(c = fp_check_at(i));
		assert_non_null(c->name);
		assert_non_null(c->eval);
		assert_true(strlen(c->name) > 0);
		assert_int_equal(strspn(c->name,
		    "abcdefghijklmnopqrstuvwxyz0123456789_"), strlen(c->name));
		assert_ptr_equal(fp_check_find(c->name), c);
		for (j = 0; j < i; j++)
			assert_string_not_equal(fp_check_at(j)->name, c->name);
	}
	assert_null(fp_check_at(n));
	assert_null(fp_check_find("no_such_check"));
	assert_null(fp_check_find(""));
}

static void
test_self_signed(void **state)
{
	struct obs		*o = *state;
	struct fp_evidence	 ev;

	assert_int_equal(run("tls_self_signed", o, &ev), FP_UNKNOWN);
	obs_set(o, "tls.self_signed", "no");
	assert_int_equal(run("tls_self_signed", o, &ev), FP_NO_MATCH);
	obs_set(o, "tls.self_signed", "yes");
	assert_int_equal(run("tls_self_signed", o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "");	/* no subject recorded */
	obs_set(o, "tls.subject", "CN=pacs.example");
	obs_set(o, "tls.issuer", "CN=pacs.example");
	assert_int_equal(run("tls_self_signed", o, &ev), FP_MATCH);
	assert_string_equal(ev.text,
	    "tls.subject=CN=pacs.example; tls.issuer=CN=pacs.example");
}

static void
test_expired(void **state)
{
	struct obs		*o = *state;
	struct fp_evidence	 ev;

	obs_set(o, "tls.not_after", "2024-01-01T00:00:00Z");
	assert_int_equal(run("tls_expired", o, &ev), FP_UNKNOWN);
	obs_set(o, "tls.expired", "no");
	assert_int_equal(run("tls_expired", o, &ev), FP_NO_MATCH);
	assert_string_equal(ev.text, "");
	obs_set(o, "tls.expired", "yes");
	assert_int_equal(run("tls_expired", o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.not_after=2024-01-01T00:00:00Z");
}

static void
test_untrusted(void **state)
{
	struct obs		*o = *state;
	struct fp_evidence	 ev;

	obs_set(o, "tls.self_signed", "no");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_UNKNOWN);
	obs_set(o, "tls.verify", "ok");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_NO_MATCH);
	obs_set(o, "tls.verify", "unable to get local issuer certificate");
	obs_set(o, "tls.issuer", "CN=AC interne");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.verify=unable to get local issuer "
	    "certificate; tls.issuer=CN=AC interne");
	/* A self-signed leaf is tls-self-signed's business. */
	obs_set(o, "tls.verify", "self-signed certificate");
	obs_set(o, "tls.self_signed", "yes");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_NO_MATCH);
	/* An expiry alone is tls-expired's. */
	obs_set(o, "tls.self_signed", "no");
	obs_set(o, "tls.verify", "certificate has expired");
	obs_set(o, "tls.expired", "yes");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_NO_MATCH);
	/* Unless the runtime did not say it expired: then report it. */
	obs_set(o, "tls.expired", "no");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_MATCH);
	/* A date problem that is not expiry is an untrusted chain. */
	obs_set(o, "tls.verify", "certificate is not yet valid");
	assert_int_equal(run("tls_untrusted", o, &ev), FP_MATCH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_is_well_formed),
		cmocka_unit_test_setup_teardown(test_self_signed, setup_obs,
		    teardown_obs),
		cmocka_unit_test_setup_teardown(test_expired, setup_obs,
		    teardown_obs),
		cmocka_unit_test_setup_teardown(test_untrusted, setup_obs,
		    teardown_obs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
