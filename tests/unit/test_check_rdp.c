/*
 * test_check_rdp.c - the RDP checks (fingerprints/check_rdp.c) on what
 * the RDP probe records from real and written Connection Confirms
 * (tests/transcripts/rdp/), then on the per-offer fields of the full
 * recipe, and the findings the rules make of them.
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER		"198.51.100.89"
#define RULES_DIR	"../../fingerprints/rules"

static enum fp_verdict
run(const char *name, const struct obs *o, struct fp_evidence *ev)
{
	const struct fp_check	*c;

	if ((c = fp_check_find(name)) == NULL)
		fail_msg("check %s not registered", name);
	memset(ev, 0, sizeof(*ev));
	return c->eval(o, ev);
}

/* The probe's observation of one recorded server. */
static void
probe_file(const char *name, struct obs *o)
{
	char		 path[256];
	uint8_t		*data;
	size_t		 len;

	snprintf(path, sizeof(path), "../transcripts/rdp/%s", name);
	data = harness_load_file(path, &len);
	assert_int_equal(harness_run(&probe_rdp, PEER, 3389, data, len,
	    HARNESS_WHOLE, o), PROBE_DONE);
	free(data);
}

static void
expect(const char *file, enum fp_verdict no_nla, enum fp_verdict standard)
{
	struct fp_evidence	ev;
	struct obs		o;

	probe_file(file, &o);
	if (run("rdp_no_nla", &o, &ev) != no_nla)
		fail_msg("%s: rdp_no_nla %d, want %d", file,
		    run("rdp_no_nla", &o, &ev), no_nla);
	if (run("rdp_standard_security", &o, &ev) != standard)
		fail_msg("%s: rdp_standard_security %d, want %d", file,
		    run("rdp_standard_security", &o, &ev), standard);
	obs_fini(&o);
}

/* One request offering TLS|CredSSP: what each answer lets us say. */
static void
test_recorded_answers(void **state)
{
	(void)state;
	/* xrdp: TLS without CredSSP, or Standard RDP Security. */
	expect("xrdp-0.9.21-negotiate.bin", FP_MATCH, FP_UNKNOWN);
	expect("xrdp-0.9.21-rdp-security.bin", FP_MATCH, FP_MATCH);
	expect("xrdp-0.9.21-tls-failure.bin", FP_UNKNOWN, FP_NO_MATCH);
	/* Windows: CredSSP chosen proves nothing about enforcement. */
	expect("windows-hybrid.bin", FP_UNKNOWN, FP_UNKNOWN);
	expect("windows-hybrid-required.bin", FP_NO_MATCH, FP_NO_MATCH);
	expect("windows-ssl-not-allowed.bin", FP_MATCH, FP_MATCH);
	expect("legacy-no-negotiation.bin", FP_MATCH, FP_MATCH);
	expect("unknown-protocol.bin", FP_UNKNOWN, FP_UNKNOWN);
}

static void
test_evidence_names_the_answer(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	probe_file("xrdp-0.9.21-negotiate.bin", &o);
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text,
	    "rdp.nla=not_supported; rdp.selected_protocol=ssl");
	obs_fini(&o);
	probe_file("legacy-no-negotiation.bin", &o);
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "rdp.nla=not_supported; "
	    "rdp.selected_protocol=standard_rdp; rdp.negotiation=none");
	obs_fini(&o);
}

/* The per-offer answers of research 3.1 settle what one request cannot. */
static void
test_per_offer_fields(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	obs_init(&o);
	obs_set_service(&o, "rdp");
	/* Nothing recorded: we cannot tell. */
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_UNKNOWN);
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_UNKNOWN);
	assert_int_equal(ev.len, 0);

	obs_set(&o, "rdp.selected_protocol", "hybrid");
	obs_set(&o, "rdp.nla", "supported");
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_UNKNOWN);
	obs_set(&o, "rdp.ssl_only", "ssl");
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "rdp.ssl_only=ssl"));
	obs_set(&o, "rdp.ssl_only", "hybrid_required_by_server");
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_NO_MATCH);

	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_UNKNOWN);
	obs_set(&o, "rdp.rdp_only", "standard_rdp");
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_MATCH);
	/* Accepting Standard RDP Security also means no NLA. */
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_MATCH);
	obs_set(&o, "rdp.rdp_only", "ssl_required_by_server");
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_NO_MATCH);
	obs_set(&o, "rdp.rdp_only", "ssl_with_user_auth_required_by_server");
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);
}

struct found {
	size_t	n;
	char	rule[8][64];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < 8);
	snprintf(fd->rule[fd->n++], sizeof(fd->rule[0]), "%s", f->rule);
}

/* The rules: exposure always, the aggravating findings when proved. */
static void
test_findings(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;
	struct found	 fd;
	struct vg_addr	 a;
	struct obs	 o;

	(void)state;
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(addr_parse(PEER, &a), 0);

	probe_file("legacy-no-negotiation.bin", &o);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 3389, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 3);
	assert_string_equal(fd.rule[0], "rdp-exposed");
	assert_string_equal(fd.rule[1], "rdp-no-nla");
	assert_string_equal(fd.rule[2], "rdp-standard-security");
	obs_fini(&o);

	probe_file("windows-hybrid-required.bin", &o);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 3389, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.rule[0], "rdp-exposed");
	obs_fini(&o);

	probe_file("windows-hybrid.bin", &o);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 3389, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 1);
	obs_fini(&o);
	fp_rules_free(rules);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_answers),
		cmocka_unit_test(test_evidence_names_the_answer),
		cmocka_unit_test(test_per_offer_fields),
		cmocka_unit_test(test_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
