/*
 * test_vpn_portal.c - the VPN portal follow-ups (probes/vpn_portal.c):
 * the parsers of config-auth, prelogin.esp, login forms and nFactor
 * answers, base64 and URL hosts, the plan, and whole HTTPS sessions on
 * the transcripts of tests/transcripts/vpn/ (CAPTURED from the lab's
 * ocserv and nginx, WRITTEN from research 3.2 for the other products:
 * see that folder's README).
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/probe_internal.h"
#include "probes/vpn_portal.h"
#include "harness.h"

#define PEER	"198.51.100.110"

static enum parse_result
config_auth(const char *xml, struct vpn_facts *f)
{
	memset(f, 0, sizeof(*f));
	return vpn_parse_config_auth((const uint8_t *)xml, strlen(xml), f);
}

/* A message longer than the field is cut before the character that
 * would not fit whole: here a 4-byte one whose last byte is the first
 * one left out. */
static void
test_config_auth_message_cut_on_character(void **state)
{
	char			xml[512], msg[300];
	struct vpn_facts	f;

	(void)state;
	memset(msg, 'a', VPN_TEXT_MAX - 4);
	memcpy(msg + VPN_TEXT_MAX - 4, "\xf0\x9f\x98\x80" "b", 6);
	snprintf(xml, sizeof(xml), "<config-auth type=\"auth-request\">"
	    "<auth id=\"main\"><message>%s</message></auth></config-auth>",
	    msg);
	assert_int_equal(config_auth(xml, &f), PARSE_OK);
	assert_int_equal(strlen(f.message), VPN_TEXT_MAX - 4);
	assert_int_equal(strspn(f.message, "a"), VPN_TEXT_MAX - 4);
}

static void
test_config_auth_ocserv(void **state)
{
	static const char	xml[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<config-auth client=\"vpn\" type=\"auth-request\">\n"
	    "<version who=\"sg\">0.1(1)</version>\n<auth id=\"main\">\n"
	    "<message>Please enter your username.</message>\n"
	    "<form method=\"post\" action=\"/auth\">\n"
	    "<input type=\"text\" name=\"username\" label=\"Username:\" />\n"
	    "<select name=\"group_list\" label=\"Group:\">\n"
	    "<option value=\"Soignants\">Soignants</option>\n"
	    "<option value=\"Prestataires\">Prestataires externes</option>\n"
	    "</select>\n</form></auth>\n</config-auth>";
	struct vpn_facts	f;

	(void)state;
	assert_int_equal(config_auth(xml, &f), PARSE_OK);
	assert_string_equal(f.version, "0.1(1)");
	assert_string_equal(f.message, "Please enter your username.");
	assert_int_equal(f.nfields, 1);
	assert_string_equal(f.fields[0].name, "username");
	assert_string_equal(f.fields[0].type, "text");
	assert_int_equal(f.ngroups, 2);
	assert_string_equal(f.groups[1], "Prestataires");
	assert_false(f.saml);

	/* Cut before </config-auth>: what there is, and MORE. */
	assert_int_equal(config_auth("<config-auth><auth><form><input "
	    "type=\"password\" name=\"secondary_password\"/>", &f), PARSE_MORE);
	assert_int_equal(f.nfields, 1);
	assert_string_equal(f.fields[0].type, "password");
	/* Cut inside a tag: the tag is not read. */
	assert_int_equal(config_auth("<config-auth><input type=\"text\" na",
	    &f), PARSE_MORE);
	assert_int_equal(f.nfields, 0);
}

static void
test_config_auth_asa_saml(void **state)
{
	static const char	xml[] =
	    "<config-auth client=\"vpn\" type=\"auth-request\" "
	    "aggregate-auth-version=\"2\"><version who=\"vpn\">x</version>"
	    "<version who=\"sg\">9.16(4)48</version>"
	    "<opaque is-for=\"sg\"><auth-method>single-sign-on-v2"
	    "</auth-method></opaque><auth id=\"main\">"
	    "<sso-v2-login>https://vpn.example.org/+CSCOE+/saml/sp/login?"
	    "tgname=G&#x26;acsamlcap=v2</sso-v2-login>"
	    "<form><input type=\"sso\" name=\"sso-token\"></input></form>"
	    "</auth></config-auth>";
	struct vpn_facts	f;

	(void)state;
	assert_int_equal(config_auth(xml, &f), PARSE_OK);
	assert_string_equal(f.version, "9.16(4)48");
	assert_true(f.saml);
	assert_string_equal(f.sso_url, "https://vpn.example.org/+CSCOE+/saml/"
	    "sp/login?tgname=G&acsamlcap=v2");
	assert_int_equal(f.nfields, 1);
	assert_string_equal(f.fields[0].type, "sso");

	/* The single-sign-on method alone says so too. */
	assert_int_equal(config_auth("<config-auth><opaque><auth-method>"
	    "single-sign-on</auth-method></opaque></config-auth>", &f),
	    PARSE_OK);
	assert_true(f.saml);
}

static void
test_config_auth_not_config_auth(void **state)
{
	static const char *const	bad[] = {
		"", "plain text", "<html><body>Not Found</body></html>",
		"<?xml version=\"1.0\"?><prelogin-response/>",
		"</config-auth>",
	};
	struct vpn_facts		f;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(config_auth(bad[i], &f), PARSE_BAD);
	/* Comments and declarations before the root are skipped. */
	assert_int_equal(config_auth("<?xml?><!DOCTYPE x><!-- <html> -->"
	    "<config-auth/>", &f), PARSE_MORE);
}

static void
test_prelogin(void **state)
{
	/* base64 of "https://idp.example.org/sso?SAMLRequest=abc" */
	static const char	xml[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<prelogin-response>"
	    "<status>Success</status><ccusername/><msg/>"
	    "<authentication-message>Enter login credentials"
	    "</authentication-message><username-label>User name"
	    "</username-label><password-label>Password</password-label>"
	    "<saml-auth-method>REDIRECT</saml-auth-method><saml-request>"
	    "aHR0cHM6Ly9pZHAuZXhhbXBsZS5vcmcvc3NvP1NBTUxSZXF1ZXN0PWFiYw=="
	    "</saml-request></prelogin-response>";
	struct vpn_facts	f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(vpn_parse_prelogin((const uint8_t *)xml,
	    strlen(xml), &f), PARSE_OK);
	assert_string_equal(f.status, "Success");
	assert_string_equal(f.message, "Enter login credentials");
	assert_true(f.saml);
	assert_string_equal(f.saml_method, "REDIRECT");
	assert_string_equal(f.idp, "idp.example.org");
	assert_string_equal(f.sso_url,
	    "https://idp.example.org/sso?SAMLRequest=abc");
	assert_int_equal(f.nfields, 2);
	assert_string_equal(f.fields[0].name, "User_name");
	assert_string_equal(f.fields[1].type, "password");

	/* A bad saml-request names no IdP, but SAML stays said. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(vpn_parse_prelogin((const uint8_t *)
	    "<prelogin-response><saml-auth-method>POST</saml-auth-method>"
	    "<saml-request>!!!not base64</saml-request>", 95, &f),
	    PARSE_MORE);
	assert_true(f.saml);
	assert_string_equal(f.idp, "");
	memset(&f, 0, sizeof(f));
	assert_int_equal(vpn_parse_prelogin((const uint8_t *)"<html/>", 7,
	    &f), PARSE_BAD);
}

static enum parse_result
form(const char *html, struct vpn_facts *f)
{
	memset(f, 0, sizeof(*f));
	return vpn_parse_login_form((const uint8_t *)html, strlen(html), f);
}

static void
test_login_form(void **state)
{
	struct vpn_facts	f;

	(void)state;
	/* The form with a password wins over a search form before it. */
	assert_int_equal(form("<form action=/s><input name=q></form>"
	    "<FORM name=login><INPUT TYPE=text NAME=user>"
	    "<input type='password' name='pw'><input type=hidden name=h>"
	    "<input type=submit name=go></FORM>", &f), PARSE_OK);
	assert_int_equal(f.nfields, 2);
	assert_string_equal(f.fields[0].name, "user");
	assert_string_equal(f.fields[1].name, "pw");
	assert_string_equal(f.fields[1].type, "password");
	/* frmLogin wins over an earlier form with a password. */
	assert_int_equal(form("<form><input type=password name=a></form>"
	    "<form name=\"frmLogin\"><input name=username>"
	    "<select name=realm><option>R1</option><option value=x></option>"
	    "</select></form>", &f), PARSE_OK);
	assert_int_equal(f.nfields, 1);
	assert_string_equal(f.fields[0].name, "username");
	assert_int_equal(f.ngroups, 2);
	assert_string_equal(f.groups[0], "R1");
	assert_string_equal(f.groups[1], "x");
	/* Script and comment contents are not markup. */
	assert_int_equal(form("<script>if (a<b) x='<form><input type=password"
	    " name=fake>';</script><!-- <form> --><form><input name=u>",
	    &f), PARSE_MORE);
	assert_int_equal(f.nfields, 1);
	assert_string_equal(f.fields[0].name, "u");
	assert_int_equal(form("<p>no form</p>", &f), PARSE_BAD);
}

static void
test_nfactor(void **state)
{
	static const char	xml[] =
	    "<AuthenticateResponse xmlns=\"x\"><Requirements>"
	    "<Requirement><Credential><ID>login</ID><Type>username</Type>"
	    "</Credential><Label><Type>plain</Type></Label><Input><Text>"
	    "<Secret>false</Secret></Text></Input></Requirement>"
	    "<Requirement><Credential><ID>passwd1</ID><Type>password</Type>"
	    "</Credential><Input><Text><Secret>true</Secret></Text></Input>"
	    "</Requirement><Requirement><Credential><ID>btn</ID><Type>none"
	    "</Type></Credential></Requirement></Requirements>"
	    "</AuthenticateResponse>";
	struct vpn_facts	f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(vpn_parse_nfactor((const uint8_t *)xml, strlen(xml),
	    &f), PARSE_OK);
	assert_int_equal(f.nfields, 2);
	assert_string_equal(f.fields[0].name, "login");
	assert_string_equal(f.fields[0].type, "username");
	assert_string_equal(f.fields[1].name, "passwd1");
	assert_string_equal(f.fields[1].type, "password");
	assert_int_equal(vpn_parse_nfactor((const uint8_t *)"<Other/>", 8,
	    &f), PARSE_BAD);
}

static void
test_base64_and_hosts(void **state)
{
	uint8_t	out[64];
	char	host[32];

	(void)state;
	assert_int_equal(vpn_base64_decode("aGVs\nbG8=", 9, out, sizeof(out)),
	    5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(vpn_base64_decode("a-_b", 4, out, sizeof(out)), 3);
	assert_int_equal(vpn_base64_decode("ab$c", 4, out, sizeof(out)), 0);
	/* Cut to the output's size. */
	assert_int_equal(vpn_base64_decode("aGVsbG8=", 8, out, 2), 2);

	assert_true(vpn_url_host("https://User@IdP.Example.ORG:8443/x", 35,
	    host, sizeof(host)));
	assert_string_equal(host, "idp.example.org");
	assert_true(vpn_url_host("http://[2001:db8::1]:80/", 24, host,
	    sizeof(host)));
	assert_string_equal(host, "[2001:db8::1]");
	assert_true(vpn_url_host("https://a.b?x", 13, host, sizeof(host)));
	assert_string_equal(host, "a.b");
	assert_false(vpn_url_host("/remote/login", 13, host, sizeof(host)));
	assert_false(vpn_url_host("https:///x", 10, host, sizeof(host)));
	assert_false(vpn_url_host("https://[::1", 12, host, sizeof(host)));
	assert_false(vpn_url_host("https://a b/", 12, host, sizeof(host)));
	assert_false(vpn_url_host("https://averyveryverylonghostname.example"
	    ".org/", 46, host, sizeof(host)));
}

static void
test_plan(void **state)
{
	struct vpn_plan		pl;
	struct vpn_facts	f;
	struct vpn_page		pg;
	size_t			n;

	(void)state;
	/* No sign, port 80: nothing.  Port 443: the usual four, no more. */
	memset(&pg, 0, sizeof(pg));
	pg.status = 200;
	pg.location = pg.server = pg.cookies = pg.title = "";
	memset(&f, 0, sizeof(f));
	vpn_plan_start(&pl, &f, &pg, 80);
	assert_int_equal(vpn_plan_next(&pl), VREQ_NONE);
	vpn_plan_start(&pl, &f, &pg, 443);
	assert_int_equal(vpn_plan_next(&pl), VREQ_CONFIG_AUTH);
	assert_int_equal(vpn_plan_next(&pl), VREQ_GP_PRELOGIN);
	assert_int_equal(vpn_plan_next(&pl), VREQ_FORTI_LOGIN);
	assert_int_equal(vpn_plan_next(&pl), VREQ_PULSE_WELCOME);
	assert_int_equal(vpn_plan_next(&pl), VREQ_NONE);

	/* A sign: the product's own requests only. */
	pg.status = 302;
	pg.location = "https://vpn.example.org/vpn/index.html";
	memset(&f, 0, sizeof(f));
	vpn_plan_start(&pl, &f, &pg, 8080);
	assert_int_equal(f.product, VPN_CITRIX);
	assert_int_equal(vpn_plan_next(&pl), VREQ_CITRIX_NFACTOR);
	assert_int_equal(vpn_plan_next(&pl), VREQ_CITRIX_VPN);
	assert_int_equal(vpn_plan_next(&pl), VREQ_NONE);

	/* Whatever the answers, never more than VPN_FOLLOW_MAX. */
	pg.location = "";
	pg.server = "xxxxxxxx-xxxxx";
	memset(&f, 0, sizeof(f));
	vpn_plan_start(&pl, &f, &pg, 443);
	for (n = 0; vpn_plan_next(&pl) != VREQ_NONE; n++) {
		pg.status = 200;
		vpn_absorb(&pl, &f, VREQ_GP_PRELOGIN, &pg);
	}
	assert_true(n <= VPN_FOLLOW_MAX);
	assert_int_equal(f.product, VPN_FORTIGATE);

	/* The requests: fixed paths, a body for the init only. */
	{
		char	body[1024];

		assert_string_equal(vpn_req_method(VREQ_CONFIG_AUTH), "POST");
		assert_int_not_equal(vpn_req_body(VREQ_CONFIG_AUTH,
		    "vpn.example.org:8443", body, sizeof(body)), 0);
		assert_non_null(strstr(body, "<group-access>https://"
		    "vpn.example.org:8443/</group-access>"));
		assert_non_null(strstr(body, "type=\"init\""));
		assert_int_equal(vpn_req_body(VREQ_CONFIG_AUTH, "h", body, 40),
		    0);
		assert_string_equal(body, "");
		assert_int_equal(vpn_req_body(VREQ_GP_PRELOGIN, "h", body,
		    sizeof(body)), 0);
		assert_string_equal(vpn_req_path(VREQ_PULSE_WELCOME),
		    "/dana-na/auth/url_default/welcome.cgi");
		assert_non_null(strstr(vpn_req_headers(VREQ_CONFIG_AUTH),
		    "X-Aggregate-Auth: 1\r\n"));
	}
}

/* --- whole sessions -------------------------------------------------- */

/* Run probe_https over a transcript; `reqs` gets the request lines the
 * probe wrote, "METHOD PATH" joined by " | ". */
static enum probe_status
session(const char *name, uint16_t port, struct obs *o, char *reqs,
    size_t reqslen)
{
	const char		*p, *end, *sp, *hend, *cl;
	struct buf		 w;
	enum probe_status	 st;
	size_t			 n = 0, clen;

	buf_init(&w, 1 << 20);
	st = harness_run_transcript(&probe_https, "vpn", name, PEER, port, o,
	    &w);
	reqs[0] = '\0';
	p = (const char *)w.data;
	end = p + w.len;
	while (p != NULL && p < end) {
		hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		sp = memchr(p, ' ', (size_t)(end - p));
		sp = sp != NULL ? memchr(sp + 1, ' ', (size_t)(end - sp - 1)) :
		    NULL;
		if (hend == NULL || sp == NULL || sp > hend)
			fail_msg("the probe wrote a malformed request");
		n += (size_t)snprintf(reqs + n, reqslen - n, "%s%.*s",
		    n > 0 ? " | " : "", (int)(sp - p), p);
		if (n >= reqslen)
			fail_msg("request list too long");
		/* The next request starts after the blank line and body. */
		cl = memmem(p, (size_t)(hend - p), "Content-Length: ", 16);
		clen = cl != NULL ? strtoul(cl + 16, NULL, 10) : 0;
		p = hend + 4 + clen;
	}
	buf_fini(&w);
	return st;
}

static void
expect(const struct obs *o, const char *key, const char *want)
{
	const char	*v = obs_get(o, key);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("%s = '%s', want it absent", key, v);
		return;
	}
	if (v == NULL || strcmp(v, want) != 0)
		fail_msg("%s = '%s', want '%s'", key,
		    v != NULL ? v : "(absent)", want);
}

/* CAPTURED: ocserv 1.1.6 (Debian 12) in the lab, h11:443 and :4443. */
static void
test_session_ocserv(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("ocserv-1.1.6-groups.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST /");
	assert_string_equal(o.service, "https");
	expect(&o, "http.status", "200");
	expect(&o, "vpn.product", "ocserv (OpenConnect server)");
	expect(&o, "product", "ocserv");
	expect(&o, "version", NULL);
	expect(&o, "vpn.version", NULL);
	expect(&o, "vpn.auth_fields", "username:text");
	expect(&o, "vpn.groups", "Soignants, Prestataires");
	expect(&o, "vpn.message", "Please enter your username.");
	expect(&o, "vpn.saml", NULL);
	expect(&o, "vpn.requests", "POST / 200");
	obs_fini(&o);

	/* A one-time code is asked only after the password: unseen. */
	assert_int_equal(session("ocserv-1.1.6-otp.bin", 4443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST /");
	expect(&o, "vpn.auth_fields", "username:text");
	expect(&o, "vpn.groups", NULL);
	obs_fini(&o);

	/* Closed in the middle of the document: what was read. */
	assert_int_equal(session("ocserv-truncated.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_MORE);
	assert_string_equal(reqs, "GET /");
	expect(&o, "vpn.product", "ocserv (OpenConnect server)");
	expect(&o, "vpn.groups", "Soignants");
	expect(&o, "vpn.requests", NULL);
	obs_fini(&o);
}

static void
test_session_cisco(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("cisco-asa-9.16-password.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST /");
	expect(&o, "vpn.product", "Cisco ASA / FTD AnyConnect");
	expect(&o, "product", "Cisco ASA");
	expect(&o, "version", "9.16(4)48");
	expect(&o, "vpn.version", "9.16(4)48");
	expect(&o, "vpn.auth_fields", "username:text password:password");
	expect(&o, "vpn.groups", "Personnel, Prestataires");
	expect(&o, "http.location", "/+CSCOE+/logon.html");
	obs_fini(&o);

	assert_int_equal(session("cisco-asa-9.16-double.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.auth_fields", "username:text password:password "
	    "secondary_password:password");
	obs_fini(&o);

	assert_int_equal(session("cisco-asa-9.16-saml.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.saml", "yes");
	expect(&o, "vpn.sso_url", "https://vpn.example.org/+CSCOE+/saml/sp/"
	    "login?tgname=DefaultWEBVPNGroup&acsamlcap=v2");
	expect(&o, "vpn.auth_fields", "sso-token:sso");
	obs_fini(&o);
}

static void
test_session_globalprotect(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("globalprotect-saml.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | GET /global-protect/prelogin.esp?"
	    "tmp=tmp&clientVer=4100&clientos=Windows");
	expect(&o, "vpn.product", "Palo Alto GlobalProtect");
	expect(&o, "vpn.status", "Success");
	expect(&o, "vpn.saml", "yes");
	expect(&o, "vpn.saml_method", "REDIRECT");
	expect(&o, "vpn.idp", "login.microsoftonline.com");
	obs_fini(&o);

	/* Reached blind: the init refused, then the prelogin answers. */
	assert_int_equal(session("globalprotect-saml-post-blind.bin", 443, &o,
	    reqs, sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST / | GET /global-protect/"
	    "prelogin.esp?tmp=tmp&clientVer=4100&clientos=Windows");
	expect(&o, "vpn.saml_method", "POST");
	expect(&o, "vpn.idp", "adfs.example.org");
	expect(&o, "vpn.sso_url", "https://adfs.example.org/adfs/ls/");
	obs_fini(&o);

	assert_int_equal(session("globalprotect-passcode.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.auth_fields", "Username:text Passcode:password");
	expect(&o, "vpn.saml", NULL);
	obs_fini(&o);

	/* A gateway-only appliance: the gateway's prelogin follows. */
	assert_int_equal(session("globalprotect-gateway.bin", 8443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST / | GET /global-protect/"
	    "prelogin.esp?tmp=tmp&clientVer=4100&clientos=Windows | "
	    "GET /ssl-vpn/prelogin.esp?tmp=tmp&clientVer=4100"
	    "&clientos=Windows");
	expect(&o, "vpn.status", "Success");
	expect(&o, "vpn.message", "Invalid parameters");
	expect(&o, "vpn.auth_fields", "Username:text Password:password");
	obs_fini(&o);
}

static void
test_session_fortigate(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("fortigate-password.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | GET /remote/login?lang=en | "
	    "GET /remote/saml/start?redirect=1");
	expect(&o, "vpn.product", "Fortinet FortiGate SSL-VPN");
	expect(&o, "product", "xxxxxxxx-xxxxx");
	expect(&o, "vpn.auth_fields", "username:text credential:password");
	expect(&o, "vpn.saml", NULL);
	expect(&o, "vpn.requests", "GET /remote/login?lang=en 200, "
	    "GET /remote/saml/start?redirect=1 404");
	obs_fini(&o);

	/* CAPTURED from the lab's nginx stand-in (h11:10443). */
	assert_int_equal(session("lab-forti-saml.bin", 10443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.saml", "yes");
	expect(&o, "vpn.idp", "idp.clinique-demo.test");
	expect(&o, "vpn.auth_fields", "username:text credential:password");
	obs_fini(&o);

	/* The first answer closes the connection: nothing follows. */
	assert_int_equal(session("closes-after-first.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET /");
	expect(&o, "vpn.product", "Fortinet FortiGate SSL-VPN");
	expect(&o, "vpn.requests", NULL);
	obs_fini(&o);
}

static void
test_session_pulse(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("pulse-two-passwords.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | "
	    "GET /dana-na/auth/url_default/welcome.cgi");
	expect(&o, "vpn.product", "Ivanti Connect Secure (Pulse Secure)");
	expect(&o, "vpn.auth_fields", "username:text password:password "
	    "password#2:password");
	expect(&o, "vpn.groups", "Personnel, Astreinte");
	obs_fini(&o);

	assert_int_equal(session("pulse-saml.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.saml", "yes");
	expect(&o, "vpn.idp", "idp.example.org");
	obs_fini(&o);

	/* Chunked answers, trailers included, keep the connection in step. */
	assert_int_equal(session("pulse-chunked.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.auth_fields", "username:text password:password");
	obs_fini(&o);

	/* CAPTURED from the lab's nginx stand-in (h11:8443). */
	assert_int_equal(session("lab-pulse-legacy-tls.bin", 8443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.auth_fields", "username:text password:password "
	    "password#2:password");
	expect(&o, "vpn.requests",
	    "GET /dana-na/auth/url_default/welcome.cgi 200");
	obs_fini(&o);
}

static void
test_session_others(void **state)
{
	struct obs	o;
	char		reqs[512];

	(void)state;
	assert_int_equal(session("citrix-nfactor-passcode.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | "
	    "POST /nf/auth/getAuthenticationRequirements.do | "
	    "GET /vpn/index.html");
	expect(&o, "vpn.product", "Citrix NetScaler Gateway");
	expect(&o, "vpn.auth_fields",
	    "login:username passwd:password passwd1:password");
	obs_fini(&o);

	assert_int_equal(session("sonicwall-sma.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.product", "SonicWall SMA / SSL-VPN");
	expect(&o, "vpn.auth_fields", "username:text password:password");
	expect(&o, "vpn.groups", "LocalDomain");
	obs_fini(&o);

	assert_int_equal(session("checkpoint-mobile.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.product", "Check Point Mobile Access");
	expect(&o, "vpn.auth_fields", "userName:text password:password");
	obs_fini(&o);
}

static void
test_session_hostile(void **state)
{
	struct obs	 o;
	char		 reqs[512];
	const char	*v;

	(void)state;
	/* Overlong and lying markup: every list and string is bounded. */
	assert_int_equal(session("config-auth-hostile.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET / | POST /");
	v = obs_get(&o, "vpn.auth_fields");
	assert_non_null(v);
	assert_true(strlen(v) < VPN_FIELDS_MAX * (VPN_NAME_MAX + 17));
	v = obs_get(&o, "vpn.groups");
	assert_non_null(v);
	assert_non_null(strstr(v, "g0A&&bogus;&#0;, g1A"));
	expect(&o, "vpn.version", "9999999999999999999999999999999");
	assert_true(strlen(obs_get(&o, "vpn.message")) < VPN_TEXT_MAX * 4);
	assert_null(strchr(obs_get(&o, "vpn.message"), '\x1b'));
	assert_int_equal(strncmp(obs_get(&o, "vpn.sso_url"),
	    "https://x.example.org/uuu", 25), 0);
	obs_fini(&o);

	/* A follow-up answered with garbage ends the session, keeping the
	 * product the first answer's signs named. */
	assert_int_equal(session("bad-followup.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	expect(&o, "vpn.product", "Palo Alto GlobalProtect");
	expect(&o, "http.status", "302");
	obs_fini(&o);

	/* A first page over HTTP_BODY_MAX: nothing follows it. */
	assert_int_equal(session("big-first-page.bin", 443, &o, reqs,
	    sizeof(reqs)), PROBE_DONE);
	assert_string_equal(reqs, "GET /");
	expect(&o, "http.title", "Intranet");
	expect(&o, "vpn.requests", NULL);
	obs_fini(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_auth_ocserv),
		cmocka_unit_test(test_config_auth_message_cut_on_character),
		cmocka_unit_test(test_config_auth_asa_saml),
		cmocka_unit_test(test_config_auth_not_config_auth),
		cmocka_unit_test(test_prelogin),
		cmocka_unit_test(test_login_form),
		cmocka_unit_test(test_nfactor),
		cmocka_unit_test(test_base64_and_hosts),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_session_ocserv),
		cmocka_unit_test(test_session_cisco),
		cmocka_unit_test(test_session_globalprotect),
		cmocka_unit_test(test_session_fortigate),
		cmocka_unit_test(test_session_pulse),
		cmocka_unit_test(test_session_others),
		cmocka_unit_test(test_session_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
