/*
 * check_vpn.c - VPN gateways and the verdict on their multi-factor
 * authentication, from what the HTTP probe records (probes/http.c and
 * probes/vpn_portal.c):
 *
 *   vpn.product      the portal the follow-up requests recognised (an
 *                    AnyConnect config-auth, a GlobalProtect prelogin, a
 *                    FortiGate, Ivanti, Citrix... login page)
 *   vpn.auth_fields  the login form's inputs, "name:type" space-separated
 *   vpn.saml         "yes" when the login is delegated to an identity
 *                    provider (AnyConnect's sso-v2-login, GlobalProtect's
 *                    saml-auth-method, FortiGate's SAML start redirecting
 *                    to an IdP), with vpn.idp and vpn.sso_url
 *   vpn.groups       tunnel groups or realms offered
 *
 * and, for answers without follow-ups (plain HTTP, stored observations),
 * the signs of "GET /" alone: http.location, http.title, http.server.
 *
 * The MFA verdict is on the honest scale of research 3.2:
 *
 *   mfa-probable   the login is delegated to an identity provider: the
 *                  provider may enforce MFA, though not surely for this
 *                  application, and a local-password fallback may remain
 *   mfa-indicated  a second secret or one-time code field shows before
 *                  login (two password inputs, a "passcode" or "otp" one)
 *   mfa-unknown    everything else: OTP asked after the password
 *                  (FortiToken, RADIUS challenge, ocserv's OTP), or
 *                  nothing visible
 *
 * vpn_gateway matches any identified gateway; vpn_mfa_not_evident the
 * last two verdicts, whose finding asks the establishment to confirm.
 * Both put the verdict in the evidence as mfa=...
 */
#include "fingerprints_internal.h"

#include <string.h>
#include <strings.h>

#include "vigie/obs.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* One sign of a product: a field holding a text (case-insensitive). */
struct vpn_sign {
	const char	*product;
	const char	*field;
	const char	*needle;
};

/*
 * Portal paths and titles from research 3.2 (nuclei, WhatWeb, intrigue-
 * ident, openconnect).  Only signs specific to a VPN portal: a title
 * shared with an administration page is left to admin-panel rules.
 */
static const struct vpn_sign	signs[] = {
	{ .product = "Fortinet FortiGate SSL-VPN",
	  .field = "http.location", .needle = "/remote/login" },
	{ .product = "Fortinet FortiGate SSL-VPN",
	  .field = "http.location", .needle = "/remote/saml/" },
	{ .product = "Ivanti Connect Secure (Pulse Secure)",
	  .field = "http.location", .needle = "/dana-na/" },
	{ .product = "Ivanti Connect Secure (Pulse Secure)",
	  .field = "http.title", .needle = "Ivanti Connect Secure" },
	{ .product = "Ivanti Connect Secure (Pulse Secure)",
	  .field = "http.title", .needle = "Pulse Connect Secure" },
	{ .product = "Citrix NetScaler Gateway",
	  .field = "http.location", .needle = "/vpn/index.html" },
	{ .product = "Citrix NetScaler Gateway",
	  .field = "http.location", .needle = "/logon/LogonPoint/" },
	{ .product = "Citrix NetScaler Gateway",
	  .field = "http.title", .needle = "Citrix Gateway" },
	{ .product = "Citrix NetScaler Gateway",
	  .field = "http.title", .needle = "NetScaler Gateway" },
	{ .product = "Palo Alto GlobalProtect",
	  .field = "http.location", .needle = "/global-protect/" },
	{ .product = "Palo Alto GlobalProtect",
	  .field = "http.title", .needle = "GlobalProtect Portal" },
	{ .product = "Cisco ASA / FTD AnyConnect",
	  .field = "http.location", .needle = "/+CSCOE+/" },
	{ .product = "Cisco ASA / FTD AnyConnect",
	  .field = "http.location", .needle = "/+webvpn+/" },
	{ .product = "Cisco ASA / FTD AnyConnect",
	  .field = "http.title", .needle = "SSL VPN Service" },
	{ .product = "SonicWall SMA / SSL-VPN",
	  .field = "http.server", .needle = "SonicWALL SSL-VPN" },
	{ .product = "SonicWall SMA / SSL-VPN",
	  .field = "http.location", .needle = "/cgi-bin/welcome" },
	{ .product = "Check Point Mobile Access",
	  .field = "http.location", .needle = "/sslvpn/Login/" },
	{ .product = "F5 BIG-IP APM",
	  .field = "http.location", .needle = "/my.policy" },
	{ .product = "OpenVPN Access Server",
	  .field = "http.server", .needle = "OpenVPN-AS" },
	{ .product = "Microsoft RD Web Access / RD Gateway",
	  .field = "http.location", .needle = "/RDWeb" },
	{ .product = "Microsoft RD Web Access / RD Gateway",
	  .field = "http.title", .needle = "RD Web Access" },
};

/* Delegation to an identity provider, in the redirect of "GET /". */
static const char *const	idp_signs[] = {
	"SAMLRequest=",			/* SAML 2.0 HTTP-Redirect binding */
	"/saml2/",
	"/remote/saml/login",		/* FortiGate SAML SP */
	"/adfs/ls",			/* AD FS */
	"login.microsoftonline.com",	/* Entra ID */
	"/oauth2/authorize",
	"/oauth2/v2.0/authorize",
	"/protocol/openid-connect/auth",	/* Keycloak */
	".okta.com/",
	".duosecurity.com/",
	"esante.gouv.fr",		/* Pro Santé Connect, to confirm */
};

/* Inputs that ask for a second secret or a one-time code, whole names
 * (research 3.2: Ivanti's password#2, AnyConnect's and ocserv's
 * secondary_password, Citrix's passwd1, GlobalProtect labels). */
static const char *const	second_factor_inputs[] = {
	"password#2", "password2", "secondary_password", "passwd1",
	"passcode", "otp", "totp", "token", "2fa", "mfa",
};

enum mfa_verdict {
	MFA_PROBABLE,
	MFA_INDICATED,
	MFA_UNKNOWN,
};

static const char *const	mfa_names[] = {
	[MFA_PROBABLE] = "mfa-probable",
	[MFA_INDICATED] = "mfa-indicated",
	[MFA_UNKNOWN] = "mfa-unknown",
};

/* What the checks found on one observation. */
struct vpn_seen {
	const struct vpn_sign	*sign;		/* NULL: not a VPN portal */
	struct vpn_sign		 probed;	/* when vpn.product names it */
	enum mfa_verdict	 mfa;
	const char		*mfa_key;	/* the field that said it */
	const char		*mfa_val;
	const char		*mfa_why;
};

static bool
contains_nocase(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0)
		return true;
	for (i = 0; hay[i] != '\0'; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

/*
 * A form that asks a second secret: two password inputs, or an input
 * whose whole name is a second factor's.  `fields` is "name:type ...".
 */
static bool
second_secret(const char *fields)
{
	const char	*p = fields, *colon;
	size_t		 w, n, i, secrets = 0;

	while (*p != '\0') {
		w = strcspn(p, " ");
		colon = memchr(p, ':', w);
		n = colon != NULL ? (size_t)(colon - p) : w;
		if (colon != NULL && w - n - 1 == 8 &&
		    strncasecmp(colon + 1, "password", 8) == 0)
			secrets++;
		for (i = 0; i < NELEM(second_factor_inputs); i++)
			if (strlen(second_factor_inputs[i]) == n &&
			    strncasecmp(p, second_factor_inputs[i], n) == 0)
				return true;
		p += w;
		while (*p == ' ')
			p++;
	}
	return secrets >= 2;
}

static void
vpn_look(const struct obs *obs, struct vpn_seen *s)
{
	const char	*v;
	size_t		 i;

	memset(s, 0, sizeof(*s));
	s->mfa = MFA_UNKNOWN;
	s->mfa_why = "aucun fournisseur d'identité ni second facteur visible "
	    "avant l'authentification";
	if ((v = obs_get(obs, "vpn.product")) != NULL) {
		s->probed.product = v;
		s->probed.field = "vpn.product";
		s->probed.needle = "";
		s->sign = &s->probed;
	}
	for (i = 0; i < NELEM(signs) && s->sign == NULL; i++)
		if ((v = obs_get(obs, signs[i].field)) != NULL &&
		    contains_nocase(v, signs[i].needle))
			s->sign = &signs[i];
	if (s->sign == NULL)
		return;
	if ((v = obs_get(obs, "vpn.saml")) != NULL &&
	    strcmp(v, "yes") == 0) {
		s->mfa = MFA_PROBABLE;
		s->mfa_key = "vpn.idp";
		if ((s->mfa_val = obs_get(obs, "vpn.idp")) == NULL) {
			s->mfa_key = "vpn.sso_url";
			s->mfa_val = obs_get(obs, "vpn.sso_url");
		}
		if (s->mfa_val == NULL) {
			s->mfa_key = "vpn.saml";
			s->mfa_val = v;
		}
		s->mfa_why = "authentification déléguée à un fournisseur "
		    "d'identité (SAML)";
		return;
	}
	if ((v = obs_get(obs, "http.location")) != NULL)
		for (i = 0; i < NELEM(idp_signs); i++)
			if (contains_nocase(v, idp_signs[i])) {
				s->mfa = MFA_PROBABLE;
				s->mfa_key = "http.location";
				s->mfa_val = v;
				s->mfa_why = "connexion redirigée vers un "
				    "fournisseur d'identité (SAML/OIDC)";
				return;
			}
	if ((v = obs_get(obs, "vpn.auth_fields")) != NULL &&
	    second_secret(v)) {
		s->mfa = MFA_INDICATED;
		s->mfa_key = "vpn.auth_fields";
		s->mfa_val = v;
		s->mfa_why = "le formulaire demande un second secret ou un "
		    "code à usage unique";
		return;
	}
	if ((v = obs_get(obs, "vpn.auth_fields")) != NULL) {
		s->mfa_key = "vpn.auth_fields";
		s->mfa_val = v;
	}
}

static void
vpn_evidence(const struct obs *obs, const struct vpn_seen *s,
    struct fp_evidence *ev)
{
	fp_evidence_add(ev, "vpn", s->sign->product);
	if (s->sign != &s->probed)	/* vpn.product would repeat it */
		fp_evidence_add(ev, s->sign->field,
		    obs_get(obs, s->sign->field));
	fp_evidence_add(ev, "mfa", mfa_names[s->mfa]);
	if (s->mfa_key != NULL)
		fp_evidence_add(ev, s->mfa_key, s->mfa_val);
	fp_evidence_add(ev, "mfa_basis", s->mfa_why);
	fp_evidence_add(ev, "vpn.groups", obs_get(obs, "vpn.groups"));
}

/* A VPN portal: match; an HTTP answer that is none: no match. */
static enum fp_verdict
vpn_gateway(const struct obs *obs, struct fp_evidence *ev)
{
	struct vpn_seen	s;

	/* IPsec and OpenVPN: the probe identified the gateway's protocol. */
	if (strcmp(obs->service, "ike") == 0 ||
	    strcmp(obs->service, "openvpn") == 0) {
		fp_evidence_add(ev, "service", obs->service);
		fp_evidence_add(ev, "product", obs_get(obs, "product"));
		return FP_MATCH;
	}
	if (obs_get(obs, "http.status") == NULL &&
	    obs_get(obs, "vpn.product") == NULL)
		return FP_UNKNOWN;	/* no HTTP answer to judge */
	vpn_look(obs, &s);
	if (s.sign == NULL)
		return FP_NO_MATCH;
	vpn_evidence(obs, &s, ev);
	return FP_MATCH;
}

const struct fp_check	fp_check_vpn_gateway = {
	.name	= "vpn_gateway",
	.eval	= vpn_gateway,
};

/* A VPN portal whose MFA is not probable from the outside. */
static enum fp_verdict
vpn_mfa_not_evident(const struct obs *obs, struct fp_evidence *ev)
{
	struct vpn_seen	s;

	if (obs_get(obs, "http.status") == NULL &&
	    obs_get(obs, "vpn.product") == NULL)
		return FP_UNKNOWN;
	vpn_look(obs, &s);
	if (s.sign == NULL || s.mfa == MFA_PROBABLE)
		return FP_NO_MATCH;
	vpn_evidence(obs, &s, ev);
	return FP_MATCH;
}

const struct fp_check	fp_check_vpn_mfa_not_evident = {
	.name	= "vpn_mfa_not_evident",
	.eval	= vpn_mfa_not_evident,
};
