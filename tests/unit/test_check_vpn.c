/*
 * test_check_vpn.c - the VPN checks (fingerprints/check_vpn.c): portal
 * answers to "GET /", run through the HTTP probe, then the gateway and
 * MFA verdicts; and the findings the rules make of them.
 *
 * The answers are WRITTEN from research 3.2 (the portal paths and titles
 * nuclei, WhatWeb and openconnect match on); documentation addresses.
 * The nginx page is the CAPTURED tests/transcripts/http/nginx-1.22.1.bin.
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

#define PEER		"198.51.100.44"
#define RULES_DIR	"../../fingerprints/rules"

static const char	fortigate[] =
    "HTTP/1.1 302 Found\r\n"
    "Date: Wed, 25 Nov 2026 09:00:00 GMT\r\n"
    "Server: xxxxxxxx-xxxxx\r\n"
    "Location: /remote/login?lang=en\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char	fortigate_saml[] =
    "HTTP/1.1 302 Found\r\n"
    "Location: /remote/saml/login\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char	ivanti[] =
    "HTTP/1.1 302 Moved\r\n"
    "Location: https://vpn.example.org/dana-na/auth/url_default/"
    "welcome.cgi\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char	citrix[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html\r\n"
    "Content-Length: 73\r\n"
    "\r\n"
    "<html><head><title>NetScaler Gateway</title></head><body></body>"
    "</html>\r\n";

static const char	cisco[] =
    "HTTP/1.1 302 Object Moved\r\n"
    "Location: /+CSCOE+/logon.html\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char	sonicwall[] =
    "HTTP/1.1 302 Found\r\n"
    "Server: SonicWALL SSL-VPN Web Server\r\n"
    "Location: /cgi-bin/welcome\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char	rdweb[] =
    "HTTP/1.1 302 Redirect\r\n"
    "Server: Microsoft-IIS/10.0\r\n"
    "Location: https://rds.example.org/RDWeb/Pages/en-US/login.aspx\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/* A portal that delegates its login: Entra ID, by SAML. */
static const char	idp[] =
    "HTTP/1.1 302 Found\r\n"
    "Location: https://login.microsoftonline.com/00000000-0000-0000-0000-"
    "000000000000/saml2?SAMLRequest=fZJNT8MwDIb%2FSuV7m3VrYYu6SoMJMWnA\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static void
probe_bytes(const char *bytes, struct obs *o)
{
	assert_int_equal(harness_run(&probe_http, PEER, 80,
	    (const uint8_t *)bytes, strlen(bytes), HARNESS_WHOLE, o),
	    PROBE_DONE);
}

static enum fp_verdict
run(const char *name, const struct obs *o, struct fp_evidence *ev)
{
	const struct fp_check	*c;

	if ((c = fp_check_find(name)) == NULL)
		fail_msg("check %s not registered", name);
	memset(ev, 0, sizeof(*ev));
	return c->eval(o, ev);
}

/* A portal answer: the gateway found, and the MFA verdict. */
static void
expect_portal(const char *bytes, const char *product, const char *mfa)
{
	struct fp_evidence	ev;
	struct obs		o;
	char			want[128];

	probe_bytes(bytes, &o);
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_MATCH);
	snprintf(want, sizeof(want), "vpn=%s; ", product);
	if (strncmp(ev.text, want, strlen(want)) != 0)
		fail_msg("evidence '%s', want it to start with '%s'", ev.text,
		    want);
	snprintf(want, sizeof(want), "mfa=%s", mfa);
	if (strstr(ev.text, want) == NULL)
		fail_msg("evidence '%s' lacks '%s'", ev.text, want);
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev),
	    strcmp(mfa, "mfa-probable") == 0 ? FP_NO_MATCH : FP_MATCH);
	obs_fini(&o);
}

static void
test_portals(void **state)
{
	(void)state;
	expect_portal(fortigate, "Fortinet FortiGate SSL-VPN", "mfa-unknown");
	expect_portal(fortigate_saml, "Fortinet FortiGate SSL-VPN",
	    "mfa-probable");
	expect_portal(ivanti, "Ivanti Connect Secure (Pulse Secure)",
	    "mfa-unknown");
	expect_portal(citrix, "Citrix NetScaler Gateway", "mfa-unknown");
	expect_portal(cisco, "Cisco ASA / FTD AnyConnect", "mfa-unknown");
	expect_portal(sonicwall, "SonicWall SMA / SSL-VPN", "mfa-unknown");
	expect_portal(rdweb, "Microsoft RD Web Access / RD Gateway",
	    "mfa-unknown");
}

static void
test_not_a_portal(void **state)
{
	struct fp_evidence	 ev;
	struct obs		 o;
	uint8_t			*data;
	size_t			 len;

	(void)state;
	data = harness_load_file("../transcripts/http/nginx-1.22.1.bin", &len);
	assert_int_equal(harness_run(&probe_http, PEER, 80, data, len,
	    HARNESS_WHOLE, &o), PROBE_DONE);
	free(data);
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_NO_MATCH);
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_NO_MATCH);
	assert_int_equal(ev.len, 0);
	obs_fini(&o);

	/* A redirect to an identity provider alone names no VPN. */
	probe_bytes(idp, &o);
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);

	/* No HTTP answer at all: we cannot tell. */
	obs_init(&o);
	obs_set_service(&o, "https");
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_UNKNOWN);
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_UNKNOWN);
	obs_fini(&o);
}

/* The fields a fuller probe may record (issue #4). */
static void
test_future_fields(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	probe_bytes(ivanti, &o);
	obs_set(&o, "http.form_fields", "tz_offset username password "
	    "password#2 realm");
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-indicated; "
	    "http.form_fields=tz_offset username password password#2 realm"));
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	/* A name that only contains a factor's word does not count. */
	obs_set(&o, "http.form_fields", "username password tokenless");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-unknown"));
	obs_fini(&o);

	obs_init(&o);
	obs_set_service(&o, "https");
	obs_set(&o, "http.status", "200");
	obs_set(&o, "http.title", "GlobalProtect Portal");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	obs_set(&o, "gp.saml_auth_method", "REDIRECT");
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-probable; "
	    "gp.saml_auth_method=REDIRECT"));
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);
}

struct found {
	size_t	n;
	char	rule[8][64];
	char	conf[8][32];
	char	theme[8][32];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < 8);
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	snprintf(fd->conf[fd->n], sizeof(fd->conf[0]), "%s", f->confidence);
	snprintf(fd->theme[fd->n], sizeof(fd->theme[0]), "%s", f->theme);
	fd->n++;
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

	probe_bytes(fortigate, &o);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 80, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 2);
	assert_string_equal(fd.rule[0], "vpn-gateway-exposed");
	assert_string_equal(fd.rule[1], "vpn-mfa-not-evident");
	assert_string_equal(fd.conf[1], "to-verify");
	assert_string_equal(fd.theme[1], "MFA");
	obs_fini(&o);

	probe_bytes(fortigate_saml, &o);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 80, "tcp", "750000001", collect, &fd);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.rule[0], "vpn-gateway-exposed");
	obs_fini(&o);
	fp_rules_free(rules);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portals),
		cmocka_unit_test(test_not_a_portal),
		cmocka_unit_test(test_future_fields),
		cmocka_unit_test(test_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
