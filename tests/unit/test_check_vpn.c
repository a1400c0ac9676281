/*
 * test_check_vpn.c - the VPN checks (fingerprints/check_vpn.c): portal
 * answers to "GET /" run through the HTTP probe, and whole HTTPS sessions
 * with the portal follow-ups (tests/transcripts/vpn/), then the gateway
 * and MFA verdicts; and the findings the rules make of them.
 *
 * The inline answers are WRITTEN from research 3.2 (the portal paths and
 * titles nuclei, WhatWeb and openconnect match on); documentation
 * addresses.  The nginx page is the CAPTURED
 * tests/transcripts/http/nginx-1.22.1.bin; the vpn/ folder's README says
 * which of its files are captured and which written.
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

/* What the portal follow-ups record (probes/vpn_portal.c). */
static void
test_probed_fields(void **state)
{
	struct fp_evidence	ev;
	struct obs		o;

	(void)state;
	obs_init(&o);
	obs_set_service(&o, "https");
	obs_set(&o, "vpn.product", "Ivanti Connect Secure (Pulse Secure)");
	obs_set(&o, "vpn.auth_fields", "username:text password:password "
	    "password#2:password");
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_MATCH);
	assert_string_equal(ev.text, "vpn=Ivanti Connect Secure (Pulse "
	    "Secure); mfa=mfa-indicated; vpn.auth_fields=username:text "
	    "password:password password#2:password; mfa_basis=le formulaire "
	    "demande un second secret ou un code \xc3\xa0 usage unique");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);

	/* Two secrets, whatever their names. */
	obs_set(&o, "vpn.auth_fields", "u:text a:password b:password");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-indicated"));
	/* A factor's whole name, of any type. */
	obs_set(&o, "vpn.auth_fields", "Username:text Passcode:password");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-indicated"));
	/* A name that only contains a factor's word does not count. */
	obs_set(&o, "vpn.auth_fields", "username:text password:password "
	    "tokenless:text");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-unknown; vpn.auth_fields="
	    "username:text password:password tokenless:text"));

	/* Delegated to an IdP: probable, the IdP named. */
	obs_set(&o, "vpn.saml", "yes");
	obs_set(&o, "vpn.idp", "login.microsoftonline.com");
	assert_int_equal(run("vpn_gateway", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "mfa=mfa-probable; "
	    "vpn.idp=login.microsoftonline.com"));
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_NO_MATCH);
	obs_fini(&o);

	/* A recognised gateway without any HTTP status still counts. */
	obs_init(&o);
	obs_set(&o, "vpn.product", "ocserv (OpenConnect server)");
	obs_set(&o, "vpn.groups", "Soignants, Prestataires");
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev), FP_MATCH);
	assert_non_null(strstr(ev.text, "vpn.groups=Soignants, Prestataires"));
	obs_fini(&o);
}

/* Whole HTTPS sessions, then the verdict. */
static void
expect_session(const char *name, uint16_t port, const char *product,
    const char *mfa)
{
	struct fp_evidence	 ev;
	struct obs		 o;
	char			 want[128];
	uint8_t			*data;
	size_t			 len;

	data = harness_transcript("vpn", name, &len);
	harness_run(&probe_https, PEER, port, data, len, HARNESS_WHOLE, &o);
	free(data);
	if (run("vpn_gateway", &o, &ev) != FP_MATCH)
		fail_msg("%s: no gateway found", name);
	snprintf(want, sizeof(want), "vpn=%s; ", product);
	if (strncmp(ev.text, want, strlen(want)) != 0)
		fail_msg("%s: evidence '%s', want '%s'", name, ev.text, want);
	snprintf(want, sizeof(want), "mfa=%s", mfa);
	if (strstr(ev.text, want) == NULL)
		fail_msg("%s: evidence '%s' lacks '%s'", name, ev.text, want);
	assert_int_equal(run("vpn_mfa_not_evident", &o, &ev),
	    strcmp(mfa, "mfa-probable") == 0 ? FP_NO_MATCH : FP_MATCH);
	obs_fini(&o);
}

static void
test_sessions(void **state)
{
	(void)state;
	expect_session("ocserv-1.1.6-groups.bin", 443,
	    "ocserv (OpenConnect server)", "mfa-unknown");
	/* A one-time code asked after the password is not seen. */
	expect_session("ocserv-1.1.6-otp.bin", 4443,
	    "ocserv (OpenConnect server)", "mfa-unknown");
	expect_session("cisco-asa-9.16-password.bin", 443,
	    "Cisco ASA / FTD AnyConnect", "mfa-unknown");
	expect_session("cisco-asa-9.16-double.bin", 443,
	    "Cisco ASA / FTD AnyConnect", "mfa-indicated");
	expect_session("cisco-asa-9.16-saml.bin", 443,
	    "Cisco ASA / FTD AnyConnect", "mfa-probable");
	expect_session("globalprotect-saml.bin", 443,
	    "Palo Alto GlobalProtect", "mfa-probable");
	expect_session("globalprotect-saml-post-blind.bin", 443,
	    "Palo Alto GlobalProtect", "mfa-probable");
	expect_session("globalprotect-passcode.bin", 443,
	    "Palo Alto GlobalProtect", "mfa-indicated");
	expect_session("fortigate-password.bin", 443,
	    "Fortinet FortiGate SSL-VPN", "mfa-unknown");
	expect_session("lab-forti-saml.bin", 10443,
	    "Fortinet FortiGate SSL-VPN", "mfa-probable");
	expect_session("pulse-two-passwords.bin", 443,
	    "Ivanti Connect Secure (Pulse Secure)", "mfa-indicated");
	expect_session("lab-pulse-legacy-tls.bin", 8443,
	    "Ivanti Connect Secure (Pulse Secure)", "mfa-indicated");
	expect_session("pulse-saml.bin", 443,
	    "Ivanti Connect Secure (Pulse Secure)", "mfa-probable");
	expect_session("citrix-nfactor-passcode.bin", 443,
	    "Citrix NetScaler Gateway", "mfa-indicated");
	expect_session("sonicwall-sma.bin", 443, "SonicWall SMA / SSL-VPN",
	    "mfa-unknown");
	expect_session("checkpoint-mobile.bin", 443,
	    "Check Point Mobile Access", "mfa-unknown");
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
		cmocka_unit_test(test_probed_fields),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
