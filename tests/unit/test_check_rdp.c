/*
 * test_check_rdp.c - the RDP checks (fingerprints/check_rdp.c) on what
 * the RDP probe records from real and written servers
 * (tests/transcripts/rdp/): single answers first, then the whole recipe
 * (three offers, the certificate, the NTLM challenge over CredSSP) and
 * the findings the rules make of it.
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

#include <event2/buffer.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"
#include "fingerprints/fingerprints_internal.h"
#include "probes/probe_internal.h"
#include "probes/rdp.h"
#include "harness.h"

#define PEER		"198.51.100.89"
#define RULES_DIR	"../../fingerprints/rules"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static enum fp_verdict
run(const char *name, const struct obs *o, struct fp_evidence *ev)
{
	const struct fp_check	*c;

	if ((c = fp_check_find(name)) == NULL)
		fail_msg("check %s not registered", name);
	memset(ev, 0, sizeof(*ev));
	return c->eval(o, ev);
}

/* The first connection's observation of one recorded answer. */
static void
probe_file(const char *name, struct obs *o)
{
	uint8_t		*data;
	size_t		 len;
	enum probe_status st;

	data = harness_transcript("rdp", name, &len);
	st = harness_run(&probe_rdp, PEER, 3389, data, len, HARNESS_WHOLE, o);
	assert_true(st == PROBE_DONE || st == PROBE_STARTTLS);
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
	/* FreeRDP with NLA: CredSSP chosen proves nothing of enforcement. */
	expect("freerdp-2.11-nla-offer-credssp.bin", FP_UNKNOWN, FP_UNKNOWN);
	expect("freerdp-2.11-rdp-offer-credssp.bin", FP_MATCH, FP_MATCH);
	/* Windows. */
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
	assert_string_equal(ev.text, "rdp.nla=not_supported; "
	    "rdp.standard_security=unknown; rdp.selected_protocol=ssl");
	obs_fini(&o);
	probe_file("legacy-no-negotiation.bin", &o);
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "rdp.nla=not_supported; "
	    "rdp.standard_security=allowed; "
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

	/* The summary fields alone. */
	obs_init(&o);
	obs_set(&o, "rdp.standard_security", "allowed");
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_MATCH);
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_MATCH);
	obs_set(&o, "rdp.standard_security", "refused");
	assert_int_equal(run("rdp_standard_security", &o, &ev), FP_NO_MATCH);
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_UNKNOWN);
	obs_set(&o, "rdp.nla", "required");
	assert_int_equal(run("rdp_no_nla", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);
}

/*
 * The recipe over one recorded server, as the runtime runs it: the
 * first connection (and, when `credssp` names a file, its TSRequest
 * answer over TLS), the follow-ups `wanted` lets through, and the
 * certificate the TLS runtime records (`cert`, DER, or NULL).
 */
static void
server_obs(const char *server, const char *credssp, const char *cert,
    struct obs *merged)
{
	static const char *const	offers[] = {
		"credssp", "standard", "tls",
	};
	static bool		(*const wanted[])(const struct obs *) = {
		NULL, rdp_std_wanted, rdp_tls_wanted,
	};
	const struct probe	*mods[] = {
		&probe_rdp, &probe_rdp_std, &probe_rdp_tls,
	};
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st;
	char			 file[128];
	uint8_t			*data;
	size_t			 len, i;

	obs_init(merged);
	for (i = 0; i < NELEM(mods); i++) {
		if (wanted[i] != NULL && !wanted[i](merged))
			continue;
		snprintf(file, sizeof(file), "%s-offer-%s.bin", server,
		    offers[i]);
		data = harness_transcript("rdp", file, &len);
		s = probe_session_fake_new(mods[i], PEER, 3389);
		in = evbuffer_new();
		assert_non_null(s);
		assert_non_null(in);
		assert_int_equal(mods[i]->start(s), 0);
		evbuffer_add(in, data, len);
		st = mods[i]->on_read(s, in);
		free(data);
		if (st == PROBE_STARTTLS && cert != NULL) {
			data = harness_transcript("rdp", cert, &len);
			assert_int_equal(tls_record_cert_der(&s->obs, data,
			    len), 0);
			free(data);
		}
		if (st == PROBE_STARTTLS && credssp != NULL &&
		    rdp_on_tls(s) == PROBE_MORE) {
			data = harness_transcript("rdp", credssp, &len);
			evbuffer_add(in, data, len);
			assert_int_equal(probe_rdp.on_read(s, in), PROBE_DONE);
			free(data);
		}
		if (i == 0)
			memcpy(merged->service, s->obs.service,
			    sizeof(merged->service));
		obs_merge(merged, &s->obs);
		evbuffer_free(in);
		probe_session_fake_free(s);
	}
}

struct found {
	size_t	n;
	char	rule[12][64];
	char	evidence[12][256];
	char	severity[12][16];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < NELEM(fd->rule));
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	snprintf(fd->evidence[fd->n], sizeof(fd->evidence[0]), "%s",
	    f->evidence);
	snprintf(fd->severity[fd->n], sizeof(fd->severity[0]), "%s",
	    fp_severity_str(f->severity));
	fd->n++;
}

/* The rules' findings on one observation, as a space-separated sorted
 * list of rule ids. */
static void
findings(const struct fp_rules *rules, const struct obs *o,
    struct found *fd, char *list, size_t len)
{
	struct vg_addr	a;
	size_t		i, j, used = 0;
	char		tmp[64];

	assert_int_equal(addr_parse(PEER, &a), 0);
	memset(fd, 0, sizeof(*fd));
	fp_eval(rules, o, &a, 3389, "tcp", "750000001", collect, fd);
	for (i = 0; i < fd->n; i++)		/* sort the ids */
		for (j = i + 1; j < fd->n; j++)
			if (strcmp(fd->rule[j], fd->rule[i]) < 0) {
				memcpy(tmp, fd->rule[i], sizeof(tmp));
				memcpy(fd->rule[i], fd->rule[j], sizeof(tmp));
				memcpy(fd->rule[j], tmp, sizeof(tmp));
			}
	list[0] = '\0';
	for (i = 0; i < fd->n; i++)
		used += (size_t)snprintf(list + used, len - used, "%s%s",
		    i > 0 ? " " : "", fd->rule[i]);
}

/* Every recorded server through the whole recipe: its findings. */
static void
test_servers(void **state)
{
	static const struct {
		const char	*server, *credssp, *cert, *want;
	} cases[] = {
		/* The hardened host: the exposure, nothing else. */
		{ "freerdp-2.11-nla", "freerdp-2.11-nla-credssp.bin",
		    "freerdp-2.11-nla-cert.der", "rdp-exposed" },
		{ "freerdp-2.11-tls-nla", "freerdp-2.11-tls-nla-credssp.bin",
		    NULL, "rdp-exposed rdp-no-nla" },
		{ "freerdp-2.11-rdp", NULL, NULL,
		    "rdp-exposed rdp-no-nla rdp-standard-security" },
		{ "xrdp-0.9.21-tls", NULL, "xrdp-0.9.21-tls-cert.der",
		    "rdp-exposed rdp-internal-name-leak rdp-no-nla "
		    "tls-self-signed" },
		{ "xrdp-0.9.21-negotiate", NULL,
		    "xrdp-0.9.21-negotiate-cert.der",
		    "rdp-exposed rdp-no-nla rdp-standard-security "
		    "tls-self-signed" },
		{ "windows-2008r2", "windows-2008r2-credssp.bin", NULL,
		    "rdp-exposed rdp-internal-name-leak rdp-no-nla "
		    "rdp-standard-security rdp-windows-end-of-life" },
		{ "windows-2022", "windows-2022-credssp.bin", NULL,
		    "rdp-exposed rdp-no-nla" },
		{ "windows-2019", "windows-2019-credssp.bin", NULL,
		    "rdp-exposed rdp-internal-name-leak" },
	};
	struct vg_err	 err;
	struct fp_rules	*rules;
	struct found	 fd;
	struct obs	 o;
	char		 list[512];
	size_t		 i;

	(void)state;
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL)
		fail_msg("%s", vg_err_str(&err));
	for (i = 0; i < NELEM(cases); i++) {
		server_obs(cases[i].server, cases[i].credssp, cases[i].cert,
		    &o);
		findings(rules, &o, &fd, list, sizeof(list));
		if (strcmp(list, cases[i].want) != 0)
			fail_msg("%s: findings \"%s\", want \"%s\"",
			    cases[i].server, list, cases[i].want);
		obs_fini(&o);
	}
	fp_rules_free(rules);
}

static void
test_internal_name(void **state)
{
	static const struct {
		const char	*key, *val;
		enum fp_verdict	 want;
	} cases[] = {
		{ "tls.subject", "CN=srv-tse.hopital.local", FP_MATCH },
		{ "tls.subject", "CN=SRV-TSE.CHU.LAN,O=CHU", FP_MATCH },
		{ "tls.subject", "O=CHU,CN=dc01.ad.chu.internal.", FP_MATCH },
		{ "tls.subject", "CN=SRV-TSE", FP_NO_MATCH },
		{ "tls.subject", "CN=rdp.chu-exemple.fr", FP_NO_MATCH },
		{ "tls.subject", "CN=local", FP_NO_MATCH },
		{ "tls.subject", "CN=.local", FP_NO_MATCH },
		{ "tls.subject", "CN=x.notlocal", FP_NO_MATCH },
		{ "tls.subject", "OU=a.local,CN=b.fr", FP_NO_MATCH },
		{ "tls.san", "DNS:rdp.chu.fr DNS:srv.chu.corp", FP_MATCH },
		{ "tls.san", "IP:10.0.0.1 DNS:rdp.chu.fr", FP_NO_MATCH },
		{ "tls.san", "DNS:", FP_NO_MATCH },
		{ "rdp.ntlm.dns_domain", "hopital.home.arpa", FP_MATCH },
		{ "rdp.ntlm.dns_domain", "HOPITAL", FP_NO_MATCH },
		{ "rdp.ntlm.dns_tree", "chu.priv", FP_MATCH },
		{ "rdp.ntlm.dns_computer", "srv.chu-demo.fr", FP_NO_MATCH },
		{ "rdp.ntlm.netbios_computer", "SRV.LOCAL", FP_UNKNOWN },
	};
	struct fp_evidence	ev;
	struct obs		o;
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		obs_init(&o);
		obs_set(&o, cases[i].key, cases[i].val);
		if (run("rdp_internal_name", &o, &ev) != cases[i].want)
			fail_msg("%s=%s: verdict %d, want %d", cases[i].key,
			    cases[i].val, run("rdp_internal_name", &o, &ev),
			    cases[i].want);
		if (cases[i].want == FP_MATCH)
			assert_non_null(strstr(ev.text, cases[i].val));
		obs_fini(&o);
	}
}

static enum fp_verdict
eol(const struct fp_rules *rules, const char *src_ref, const char *version,
    struct fp_outcome *out, size_t *n)
{
	const struct fp_xcheck	*x = fp_xcheck_find("rdp_windows_eol");
	struct obs		 o;
	enum fp_verdict		 v;

	assert_non_null(x);
	obs_init(&o);
	obs_set_service(&o, "rdp");
	obs_set(&o, "rdp.x224_src_ref", src_ref);
	obs_set(&o, "rdp.ntlm.version", version);
	obs_set(&o, "rdp.ntlm.netbios_computer", "SRV-TSE");
	memset(out, 0, sizeof(*out) * FP_OUTCOMES_MAX);
	v = x->eval(rules, &o, out, FP_OUTCOMES_MAX, n);
	obs_fini(&o);
	return v;
}

/* The end of life of the Windows the NTLM version names, on the dates
 * of the version data (versions/releases.yaml). */
static void
test_windows_eol(void **state)
{
	struct fp_outcome	 out[FP_OUTCOMES_MAX];
	struct vg_err		 err;
	struct fp_rules		*rules;
	size_t			 n;

	(void)state;
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL)
		fail_msg("%s", vg_err_str(&err));
	rules->today = versions_date("2026-11-25");
	assert_int_equal(eol(rules, "0x1234", "6.1.7601", out, &n),
	    FP_MATCH);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].confidence, "end-of-life");
	assert_int_equal(out[0].severity, FP_SEV_HIGH);
	assert_string_equal(out[0].ev.text, "rdp.ntlm.version=6.1.7601; "
	    "release=Windows Server 2008 R2 / Windows 7; eol=2020-01-14; "
	    "rdp.ntlm.netbios_computer=SRV-TSE");
	assert_non_null(strstr(out[0].refs, "windows-server-2008-r2"));
	assert_int_equal(eol(rules, "0x1234", "5.2.3790", out, &n),
	    FP_MATCH);
	assert_int_equal(out[0].severity, FP_SEV_CRITICAL);
	assert_int_equal(eol(rules, "0x1234", "6.3.9600", out, &n),
	    FP_MATCH);
	assert_int_equal(eol(rules, "0x1234", "10.0.17763", out, &n),
	    FP_NO_MATCH);
	assert_int_equal(n, 0);
	/* Windows Server 2016 on the day after its last one. */
	assert_int_equal(eol(rules, "0x1234", "10.0.14393", out, &n),
	    FP_NO_MATCH);
	rules->today = versions_date("2027-01-13");
	assert_int_equal(eol(rules, "0x1234", "10.0.14393", out, &n),
	    FP_MATCH);
	/* 2008 R2 before its end. */
	rules->today = versions_date("2019-12-31");
	assert_int_equal(eol(rules, "0x1234", "6.1.7601", out, &n),
	    FP_NO_MATCH);
	/* Not Windows (FreeRDP), a client build, nonsense: cannot tell. */
	assert_int_equal(eol(rules, "0x0000", "6.1.7601", out, &n),
	    FP_UNKNOWN);
	assert_int_equal(eol(rules, "0x1234", "10.0.19045", out, &n),
	    FP_UNKNOWN);
	assert_int_equal(eol(rules, "0x1234", "6.1.7601x", out, &n),
	    FP_UNKNOWN);
	assert_int_equal(eol(rules, "0x1234", "6.1", out, &n), FP_UNKNOWN);
	assert_int_equal(eol(rules, "0x1234", "99999999.1.1", out, &n),
	    FP_UNKNOWN);
	fp_rules_free(rules);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_answers),
		cmocka_unit_test(test_evidence_names_the_answer),
		cmocka_unit_test(test_per_offer_fields),
		cmocka_unit_test(test_servers),
		cmocka_unit_test(test_internal_name),
		cmocka_unit_test(test_windows_eol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
