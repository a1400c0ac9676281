/*
 * vpn_portal.h - the VPN portal follow-ups of the HTTP probe: which
 * identifying requests to send after "GET /", and the pure parsers of
 * what the portals answer (research 3.2):
 *
 *   Cisco ASA / FTD and ocserv   POST / of the AnyConnect client's
 *                                <config-auth type="init">; the reply's
 *                                <auth> form, group list, SSO login URL
 *   Palo Alto GlobalProtect      GET /global-protect/prelogin.esp:
 *                                <prelogin-response>, saml-auth-method,
 *                                saml-request (base64 of the IdP's URL)
 *   Fortinet FortiGate           GET /remote/login (the login form),
 *                                GET /remote/saml/start (a redirect to the
 *                                IdP when SAML is configured)
 *   Ivanti / Pulse Connect Secure GET /dana-na/auth/url_default/welcome.cgi
 *                                (frmLogin, and a second password field)
 *   Citrix NetScaler Gateway     POST /nf/auth/getAuthenticationRequirements.do
 *                                (nFactor's credential list), GET
 *                                /vpn/index.html (the classic form)
 *   SonicWall, Check Point       their login pages' forms
 *
 * The HTTP probe (probes/http.c) owns the connection; this file decides
 * and parses.  Every request goes to the same host and port, on the same
 * connection; a redirect or a link to elsewhere is recorded, never
 * followed.  At most VPN_FOLLOW_MAX requests follow "GET /".
 *
 * For tests and fuzzers, every parser is exposed; they take a whole body
 * (or as much of it as was kept) and answer PARSE_OK when the document
 * is complete, PARSE_MORE when it is cut short (the facts then hold what
 * was seen), and PARSE_BAD when it is not the expected document.
 */
#ifndef VIGIE_PROBES_VPN_PORTAL_H
#define VIGIE_PROBES_VPN_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define VPN_FOLLOW_MAX	4	/* requests after "GET /" */
#define VPN_FIELDS_MAX	8	/* inputs kept of one login form */
#define VPN_GROUPS_MAX	8	/* tunnel groups or realms kept */
#define VPN_NAME_MAX	48	/* bytes of a field or group name */
#define VPN_TEXT_MAX	256	/* bytes of a message */
#define VPN_URL_MAX	512	/* bytes of a URL kept */
#define VPN_HOST_MAX	128	/* bytes of a host name */

enum vpn_product {
	VPN_UNKNOWN = 0,
	VPN_CISCO,
	VPN_OCSERV,
	VPN_GLOBALPROTECT,
	VPN_FORTIGATE,
	VPN_PULSE,
	VPN_CITRIX,
	VPN_SONICWALL,
	VPN_CHECKPOINT,
	VPN_NPRODUCTS,
};

/* The follow-up requests, each a fixed method and path. */
enum vpn_req {
	VREQ_NONE = 0,
	VREQ_CONFIG_AUTH,	/* POST / <config-auth type="init"> */
	VREQ_GP_PRELOGIN,	/* GET /global-protect/prelogin.esp */
	VREQ_GP_GATEWAY,	/* GET /ssl-vpn/prelogin.esp */
	VREQ_FORTI_LOGIN,	/* GET /remote/login?lang=en */
	VREQ_FORTI_SAML,	/* GET /remote/saml/start?redirect=1 */
	VREQ_PULSE_WELCOME,	/* GET /dana-na/.../welcome.cgi */
	VREQ_CITRIX_NFACTOR,	/* POST /nf/auth/getAuthentication... */
	VREQ_CITRIX_VPN,	/* GET /vpn/index.html */
	VREQ_SONICWALL,		/* GET /cgi-bin/welcome */
	VREQ_CHECKPOINT,	/* GET /sslvpn/Login/Login */
	VREQ_COUNT,
};

/* One input of a login form: its name and type ("text", "password"...). */
struct vpn_field {
	char	name[VPN_NAME_MAX];
	char	type[16];
};

/* What the portal's answers showed, all copied (no pointer to input). */
struct vpn_facts {
	enum vpn_product	product;
	char			version[32];	/* Cisco ASA's (config-auth) */
	struct vpn_field	fields[VPN_FIELDS_MAX];
	size_t			nfields;
	char			groups[VPN_GROUPS_MAX][VPN_NAME_MAX];
	size_t			ngroups;
	char			message[VPN_TEXT_MAX];
	bool			saml;		/* login delegated to an IdP */
	char			saml_method[16];	/* GlobalProtect's */
	char			sso_url[VPN_URL_MAX];
	char			idp[VPN_HOST_MAX];	/* the IdP's host */
	char			status[16];	/* GlobalProtect's <status> */
};

/*
 * One HTTP answer, as the planner sees it.  Strings are NUL-terminated
 * ("" when absent), borrowed for the call.
 */
struct vpn_page {
	const char	*host;		/* the portal's, as we asked it */
	unsigned int	 status;
	const char	*location;
	const char	*server;
	const char	*cookies;	/* Set-Cookie names, space-separated */
	const char	*title;
	bool		 transcend;	/* an X-Transcend-Version header */
	const uint8_t	*body;
	size_t		 body_len;
};

/* The follow-ups to send, in order, and those already asked. */
struct vpn_plan {
	uint8_t		queue[VREQ_COUNT];
	size_t		n, next;
	uint32_t	asked;		/* bit per enum vpn_req */
	size_t		sent;
	bool		blind;		/* no sign yet: trying the usual few */
};

/* The product's name as reports and checks spell it; "" for unknown. */
const char	*vpn_product_name(enum vpn_product);

/*
 * After "GET /": recognise a portal from the answer's signs and plan the
 * requests that tell more.  With no sign, a port usually given to VPN
 * portals (443, 4433, 8443, 10443) gets the usual few; others none.
 */
void		 vpn_plan_start(struct vpn_plan *, struct vpn_facts *,
		    const struct vpn_page *root, uint16_t port);
/* The next request to send, or VREQ_NONE.  At most VPN_FOLLOW_MAX. */
enum vpn_req	 vpn_plan_next(struct vpn_plan *);
/* The answer to `req`: parsed into the facts; the plan may grow. */
void		 vpn_absorb(struct vpn_plan *, struct vpn_facts *,
		    enum vpn_req, const struct vpn_page *);

/*
 * A request's method, path, extra header lines (each ending in CR LF)
 * and body.  The config-auth body names the portal's URL, so it is
 * written into `body` (NUL-terminated) from `hostport` ("host" or
 * "host:port", IPv6 bracketed); returns the body's length, 0 for none
 * or when it does not fit.
 */
const char	*vpn_req_method(enum vpn_req);
const char	*vpn_req_path(enum vpn_req);
const char	*vpn_req_headers(enum vpn_req);
size_t		 vpn_req_body(enum vpn_req, const char *hostport, char *body,
		    size_t len);

/* The parsers.  Each clears nothing: it adds to `f`. */
enum parse_result vpn_parse_config_auth(const uint8_t *, size_t,
		    struct vpn_facts *);
enum parse_result vpn_parse_prelogin(const uint8_t *, size_t,
		    struct vpn_facts *);
/* The login form of an HTML page: the form holding a password input
 * (frmLogin preferred), or else the first form.  PARSE_BAD: no form. */
enum parse_result vpn_parse_login_form(const uint8_t *, size_t,
		    struct vpn_facts *);
enum parse_result vpn_parse_nfactor(const uint8_t *, size_t,
		    struct vpn_facts *);

/* Base64 (RFC 4648 section 4, white space skipped) into out; the
 * decoded length, or 0 when the input holds anything else. */
size_t		 vpn_base64_decode(const char *, size_t, uint8_t *out,
		    size_t outlen);
/* The host of an absolute http(s) URL at the start of `url`, lowercased
 * into out; false when there is none or it does not fit. */
bool		 vpn_url_host(const char *url, size_t len, char *out,
		    size_t outlen);

/* The facts as vpn.* fields (and product/version when none is set). */
void		 vpn_record(struct obs *, const struct vpn_facts *);

#endif /* VIGIE_PROBES_VPN_PORTAL_H */
