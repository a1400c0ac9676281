/*
 * test_check_tls.c - the TLS checks (fingerprints/check_tls.c) on what
 * the probes record: certificate faults, legacy protocols, weak suites,
 * short keys; and the findings the rules of encryption.yaml make of
 * them.  The observations are those the lab's servers gave (h1:443,
 * nginx at Debian's defaults; h11:8443, nginx opened up to TLS 1.0 with
 * an expired self-signed RSA-1024 certificate; h11:443, ocserv).
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

#define RULES_DIR	"../../fingerprints/rules"
#define PEER		"198.51.100.110"

static enum fp_verdict
run(const char *name, const struct obs *o, struct fp_evidence *ev)
{
	const struct fp_check	*c;

	if ((c = fp_check_find(name)) == NULL)
		fail_msg("check %s not registered", name);
	memset(ev, 0, sizeof(*ev));
	return c->eval(o, ev);
}

/* Set "k=v" pairs, NULL-terminated. */
static void
fill(struct obs *o, const char *const *kv)
{
	obs_init(o);
	obs_set_service(o, "https");
	o->tls = true;
	for (; kv[0] != NULL; kv += 2)
		obs_set(o, kv[0], kv[1]);
}

/* h11:8443 as the lab gives it (probe_https, then tls_legacy). */
static const char *const	legacy_portal[] = {
	"tls.version", "TLSv1.2", "tls.tls1_2", "yes",
	"tls.cipher", "ECDHE-RSA-AES256-GCM-SHA384",
	"tls.subject", "CN=portail.clinique-demo.test",
	"tls.issuer", "CN=portail.clinique-demo.test",
	"tls.not_after", "2024-01-01T00:00:00Z", "tls.expired", "yes",
	"tls.self_signed", "yes", "tls.key_type", "RSA", "tls.key_bits", "1024",
	"tls.verify", "certificate has expired",
	"tls.tls1_1", "yes", "tls.legacy_cipher", "ECDHE-RSA-AES128-SHA",
	"http.status", "302", NULL,
};

/* h1:443: nginx at Debian's defaults. */
static const char *const	modern[] = {
	"tls.version", "TLSv1.3", "tls.tls1_3", "yes",
	"tls.cipher", "TLS_AES_256_GCM_SHA384",
	"tls.expired", "no", "tls.self_signed", "no", "tls.verify", "ok",
	"tls.key_type", "EC", "tls.key_bits", "256",
	"tls.tls1_1", "no", "tls.tls1_0", "no", "tls.ssl3", "no",
	"tls.weak_cipher", "none", NULL,
};

static void
test_legacy_protocol(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	fill(&o, legacy_portal);
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.versions=TLSv1.1 TLSv1.2; "
	    "tls.legacy_cipher=ECDHE-RSA-AES128-SHA");
	/* With every measurement: the whole list. */
	obs_set(&o, "tls.tls1_0", "yes");
	obs_set(&o, "tls.ssl3", "no");
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "tls.versions=TLSv1 TLSv1.1 TLSv1.2;"));
	obs_fini(&o);

	fill(&o, modern);
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_NO_MATCH);
	assert_int_equal(ev.len, 0);
	obs_fini(&o);

	/* The main handshake alone: legacy when it chose a legacy version,
	 * else we cannot tell. */
	obs_init(&o);
	obs_set(&o, "tls.version", "TLSv1");
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.versions=TLSv1");
	obs_set(&o, "tls.version", "TLSv1.2");
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_UNKNOWN);
	obs_fini(&o);
	obs_init(&o);
	assert_int_equal(run("tls_legacy_protocol", &o, &ev), FP_UNKNOWN);
	obs_fini(&o);
}

static void
test_weak_cipher(void **state)
{
	static const char *const	weak[] = {
		"RC4-MD5", "ECDHE-RSA-RC4-SHA", "DES-CBC3-SHA",
		"EDH-RSA-DES-CBC-SHA", "EXP-RC2-CBC-MD5", "NULL-SHA256",
		"ADH-AES128-SHA", "AECDH-AES128-SHA", "IDEA-CBC-SHA",
	};
	static const char *const	strong[] = {
		"TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
		"AES128-SHA", "ECDHE-ECDSA-CHACHA20-POLY1305",
		"DHE-RSA-AES256-SHA256", "CAMELLIA128-SHA",
	};
	struct fp_evidence		ev;
	struct obs			o;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		obs_init(&o);
		obs_set(&o, "tls.cipher", weak[i]);
		obs_set(&o, "tls.version", "TLSv1.2");
		if (run("tls_weak_cipher", &o, &ev) != FP_MATCH)
			fail_msg("%s not found weak", weak[i]);
		obs_fini(&o);
	}
	for (i = 0; i < sizeof(strong) / sizeof(strong[0]); i++) {
		obs_init(&o);
		obs_set(&o, "tls.cipher", strong[i]);
		obs_set(&o, "tls.weak_cipher", "none");
		if (run("tls_weak_cipher", &o, &ev) != FP_NO_MATCH)
			fail_msg("%s found weak", strong[i]);
		obs_fini(&o);
	}
	/* Measured: the suite accepted when offered only weak ones. */
	fill(&o, legacy_portal);
	assert_int_equal(run("tls_weak_cipher", &o, &ev), FP_UNKNOWN);
	obs_set(&o, "tls.weak_cipher", "AECDH-AES128-SHA");
	assert_int_equal(run("tls_weak_cipher", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.weak_cipher=AECDH-AES128-SHA");
	obs_fini(&o);
	fill(&o, modern);
	assert_int_equal(run("tls_weak_cipher", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);
}

static void
test_short_key(void **state)
{
	static const struct {
		const char	*type, *bits;
		enum fp_verdict	 want;
	} cases[] = {
		{ "RSA", "1024", FP_MATCH }, { "RSA", "2047", FP_MATCH },
		{ "RSA", "2048", FP_NO_MATCH }, { "DSA", "1024", FP_MATCH },
		{ "EC", "224", FP_MATCH }, { "EC", "256", FP_NO_MATCH },
		{ "EC", "384", FP_NO_MATCH }, { "Ed25519", "253", FP_NO_MATCH },
		{ "RSA", "x", FP_UNKNOWN }, { "RSA", "", FP_UNKNOWN },
		{ "RSA", "-5", FP_UNKNOWN },
	};
	struct fp_evidence	ev;
	struct obs		o;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		obs_init(&o);
		obs_set(&o, "tls.key_type", cases[i].type);
		obs_set(&o, "tls.key_bits", cases[i].bits);
		if (run("tls_short_key", &o, &ev) != cases[i].want)
			fail_msg("%s %s: verdict %d", cases[i].type,
			    cases[i].bits, run("tls_short_key", &o, &ev));
		obs_fini(&o);
	}
	fill(&o, legacy_portal);
	assert_int_equal(run("tls_short_key", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.key_type=RSA; tls.key_bits=1024; "
	    "tls.subject=CN=portail.clinique-demo.test");
	obs_fini(&o);
}

static void
test_certificate_checks(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	fill(&o, legacy_portal);
	assert_int_equal(run("tls_self_signed", &o, &ev), FP_MATCH);
	assert_int_equal(run("tls_expired", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "tls.not_after=2024-01-01T00:00:00Z; "
	    "tls.subject=CN=portail.clinique-demo.test");
	/* Self-signed and expired: not "untrusted" on top. */
	assert_int_equal(run("tls_untrusted", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);
	fill(&o, modern);
	assert_int_equal(run("tls_self_signed", &o, &ev), FP_NO_MATCH);
	assert_int_equal(run("tls_expired", &o, &ev), FP_NO_MATCH);
	assert_int_equal(run("tls_untrusted", &o, &ev), FP_NO_MATCH);
	obs_set(&o, "tls.verify", "unable to get local issuer certificate");
	assert_int_equal(run("tls_untrusted", &o, &ev), FP_MATCH);
	obs_fini(&o);
}

struct found {
	size_t	n;
	char	rule[12][64];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < 12);
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	fd->n++;
}

static bool
found(const struct found *fd, const char *rule)
{
	size_t	i;

	for (i = 0; i < fd->n; i++)
		if (strcmp(fd->rule[i], rule) == 0)
			return true;
	return false;
}

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

	fill(&o, legacy_portal);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 8443, "tcp", "750000001", collect, &fd);
	assert_true(found(&fd, "tls-self-signed"));
	assert_true(found(&fd, "tls-expired"));
	assert_true(found(&fd, "tls-legacy-protocol"));
	assert_true(found(&fd, "tls-short-key"));
	assert_false(found(&fd, "tls-weak-cipher"));
	assert_false(found(&fd, "tls-untrusted"));
	obs_fini(&o);

	fill(&o, modern);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 443, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 0);
	obs_fini(&o);
	fp_rules_free(rules);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_protocol),
		cmocka_unit_test(test_weak_cipher),
		cmocka_unit_test(test_short_key),
		cmocka_unit_test(test_certificate_checks),
		cmocka_unit_test(test_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
