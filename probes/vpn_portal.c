/*
 * vpn_portal.c - which requests follow "GET /" on a VPN portal, and the
 * parsers of the answers (see vpn_portal.h and research 3.2).
 *
 * The answers are XML (AnyConnect's config-auth, GlobalProtect's
 * prelogin-response, Citrix nFactor's AuthenticateResponse) or HTML login
 * pages.  One small tag scanner reads both: it finds tags, their names
 * and attributes, and the text of leaf elements, skipping comments,
 * declarations and the contents of <script> and <style>.  It builds no
 * tree and keeps no pointer: every fact is copied, bounded, into struct
 * vpn_facts.
 */
#include "probes/vpn_portal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vigie/obs.h"
#include "probes/markup.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define B64_SCAN_MAX	4096	/* base64 characters decoded of saml-request */

/* The version ocserv puts in every config-auth (ocserv's worker-auth.c);
 * a Cisco ASA puts its own software version there. */
#define OCSERV_SG_VERSION	"0.1(1)"

static const char *const	product_names[VPN_NPRODUCTS] = {
	[VPN_UNKNOWN] = "",
	[VPN_CISCO] = "Cisco ASA / FTD AnyConnect",
	[VPN_OCSERV] = "ocserv (OpenConnect server)",
	[VPN_GLOBALPROTECT] = "Palo Alto GlobalProtect",
	[VPN_FORTIGATE] = "Fortinet FortiGate SSL-VPN",
	[VPN_PULSE] = "Ivanti Connect Secure (Pulse Secure)",
	[VPN_CITRIX] = "Citrix NetScaler Gateway",
	[VPN_SONICWALL] = "SonicWall SMA / SSL-VPN",
	[VPN_CHECKPOINT] = "Check Point Mobile Access",
};

/* The same, short, for the observation's product field. */
static const char *const	product_short[VPN_NPRODUCTS] = {
	[VPN_UNKNOWN] = "",
	[VPN_CISCO] = "Cisco ASA",
	[VPN_OCSERV] = "ocserv",
	[VPN_GLOBALPROTECT] = "GlobalProtect",
	[VPN_FORTIGATE] = "FortiGate",
	[VPN_PULSE] = "Ivanti Connect Secure",
	[VPN_CITRIX] = "Citrix Gateway",
	[VPN_SONICWALL] = "SonicWall SMA",
	[VPN_CHECKPOINT] = "Check Point Mobile Access",
};

const char *
vpn_product_name(enum vpn_product p)
{
	return (unsigned int)p < VPN_NPRODUCTS ? product_names[p] : "";
}

/* --- the requests ------------------------------------------------------ */

struct vpn_request {
	const char	*method;
	const char	*path;
	const char	*headers;
};

/* The AnyConnect client's headers (openconnect's auth.c and ocserv's
 * worker-http.c): the aggregate authentication protocol, version 1. */
#define FORM_TYPE	"Content-Type: application/x-www-form-urlencoded\r\n"
#define ANYCONNECT_HEADERS	"X-Transcend-Version: 1\r\n" \
				"X-Aggregate-Auth: 1\r\n" FORM_TYPE
#define FORM_HEADERS		FORM_TYPE

static const struct vpn_request	requests[VREQ_COUNT] = {
	[VREQ_NONE] = { .method = "GET", .path = "/", .headers = "" },
	[VREQ_CONFIG_AUTH] = { .method = "POST", .path = "/",
	    .headers = ANYCONNECT_HEADERS },
	/* openconnect's gpst.c asks the same, with its client's version. */
	[VREQ_GP_PRELOGIN] = { .method = "GET",
	    .path = "/global-protect/prelogin.esp?tmp=tmp&clientVer=4100"
	    "&clientos=Windows", .headers = "" },
	[VREQ_GP_GATEWAY] = { .method = "GET",
	    .path = "/ssl-vpn/prelogin.esp?tmp=tmp&clientVer=4100"
	    "&clientos=Windows", .headers = "" },
	[VREQ_FORTI_LOGIN] = { .method = "GET", .path = "/remote/login?lang=en",
	    .headers = "" },
	[VREQ_FORTI_SAML] = { .method = "GET",
	    .path = "/remote/saml/start?redirect=1", .headers = "" },
	[VREQ_PULSE_WELCOME] = { .method = "GET",
	    .path = "/dana-na/auth/url_default/welcome.cgi", .headers = "" },
	[VREQ_CITRIX_NFACTOR] = { .method = "POST",
	    .path = "/nf/auth/getAuthenticationRequirements.do",
	    .headers = FORM_HEADERS },
	[VREQ_CITRIX_VPN] = { .method = "GET", .path = "/vpn/index.html",
	    .headers = "" },
	[VREQ_SONICWALL] = { .method = "GET", .path = "/cgi-bin/welcome",
	    .headers = "" },
	[VREQ_CHECKPOINT] = { .method = "GET", .path = "/sslvpn/Login/Login",
	    .headers = "" },
};

const char *
vpn_req_method(enum vpn_req r)
{
	return (unsigned int)r < VREQ_COUNT ? requests[r].method : "GET";
}

const char *
vpn_req_path(enum vpn_req r)
{
	return (unsigned int)r < VREQ_COUNT ? requests[r].path : "/";
}

const char *
vpn_req_headers(enum vpn_req r)
{
	return (unsigned int)r < VREQ_COUNT ? requests[r].headers : "";
}

size_t
vpn_req_body(enum vpn_req r, const char *hostport, char *body, size_t len)
{
	int	n;

	if (len > 0)
		body[0] = '\0';
	if (r != VREQ_CONFIG_AUTH)
		return 0;
	/* The client's first message (AnyConnect aggregate authentication):
	 * who we are, the portal we came to, and that we could follow a
	 * single sign-on, so that a gateway using SAML says so. */
	n = snprintf(body, len,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<config-auth client=\"vpn\" type=\"init\" "
	    "aggregate-auth-version=\"2\">\n"
	    "<version who=\"vpn\">Vigie</version>\n"
	    "<device-id>linux-64</device-id>\n"
	    "<group-access>https://%s/</group-access>\n"
	    "<capabilities><auth-method>single-sign-on-v2</auth-method>"
	    "</capabilities>\n"
	    "</config-auth>\n", hostport);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			body[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

/* --- small text helpers ------------------------------------------------ */

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static bool
is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_name(uint8_t c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_' || c == ':' || c == '.' || c == '#';
}

static bool
span_is(struct span s, const char *str)
{
	size_t	n = strlen(str);

	return s.len == n && strncasecmp((const char *)s.p, str, n) == 0;
}

static bool
has(const uint8_t *p, size_t len, const char *needle)
{
	return p != NULL && parse_find_nocase(p, len, needle) != NULL;
}

static bool
str_has(const char *s, const char *needle)
{
	return s != NULL && has((const uint8_t *)s, strlen(s), needle);
}

/* Copy a string, cut to fit on a UTF-8 character boundary. */
static void
copy_str(char *out, size_t outlen, const char *s)
{
	size_t	n, k;

	if (outlen == 0)
		return;
	n = strnlen(s, outlen - 1);
	if (s[n] != '\0') {
		/* Cut before s[n].  When s[n] continues a character, cut
		 * before the byte that leads it, at most 3 bytes back:
		 * invalid UTF-8 is cut where it is. */
		for (k = 0; k < 3 && k < n &&
		    ((unsigned char)s[n - k] & 0xc0) == 0x80; k++)
			;
		if (((unsigned char)s[n - k] & 0xc0) != 0x80)
			n -= k;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

/* --- the tag scanner --------------------------------------------------- */

struct tag {
	struct span	name;
	struct span	attrs;		/* between the name and '>' */
	bool		close;		/* </name> */
	bool		empty;		/* <name ... /> */
	size_t		end;		/* offset just past '>' */
};

/* The '>' ending a tag that starts at p[i], quotes respected; NULL when
 * the tag is cut. */
static const uint8_t *
tag_end(const uint8_t *p, size_t len, size_t i)
{
	uint8_t	q = 0;

	for (; i < len; i++) {
		if (q != 0) {
			if (p[i] == q)
				q = 0;
		} else if (p[i] == '"' || p[i] == '\'') {
			q = p[i];
		} else if (p[i] == '>') {
			return p + i;
		}
	}
	return NULL;
}

/*
 * The next tag at or after *pos, which moves past it.  Comments,
 * "<!...>" and "<?...?>" are skipped, and so is the content of script
 * and style elements.  False when no complete tag is left.
 */
static bool
tag_next(const uint8_t *p, size_t len, size_t *pos, struct tag *t)
{
	const uint8_t	*lt, *gt, *e;
	size_t		 i = *pos, j;

	while (i < len) {
		if ((lt = memchr(p + i, '<', len - i)) == NULL)
			return false;
		i = (size_t)(lt - p);
		if (len - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			if ((e = parse_find_nocase(p + i + 4, len - i - 4,
			    "-->")) == NULL)
				return false;
			i = (size_t)(e - p) + 3;
			continue;
		}
		if (i + 1 < len && (p[i + 1] == '!' || p[i + 1] == '?')) {
			if ((gt = memchr(p + i, '>', len - i)) == NULL)
				return false;
			i = (size_t)(gt - p) + 1;
			continue;
		}
		memset(t, 0, sizeof(*t));
		j = i + 1;
		if (j < len && p[j] == '/') {
			t->close = true;
			j++;
		}
		if (j >= len || !is_alpha(p[j])) {
			i++;			/* a lone '<' in text */
			continue;
		}
		t->name.p = p + j;
		while (j < len && is_name(p[j]))
			j++;
		t->name.len = (size_t)(p + j - t->name.p);
		if ((gt = tag_end(p, len, j)) == NULL)
			return false;
		t->attrs = span_of(p + j, (size_t)(gt - p) - j);
		t->empty = gt > p + j && gt[-1] == '/';
		t->end = (size_t)(gt - p) + 1;
		*pos = t->end;
		if (!t->close && !t->empty && (span_is(t->name, "script") ||
		    span_is(t->name, "style"))) {
			e = parse_find_nocase(p + t->end, len - t->end,
			    span_is(t->name, "script") ? "</script" :
			    "</style");
			*pos = e != NULL ? (size_t)(e - p) : len;
		}
		return true;
	}
	return false;
}

/* The value of attribute `name` (quotes removed); false when absent. */
static bool
tag_attr(const struct tag *t, const char *name, struct span *val)
{
	const uint8_t	*p = t->attrs.p;
	size_t		 len = t->attrs.len, i = 0, s;
	struct span	 an, av;
	uint8_t		 q;

	while (i < len) {
		while (i < len && (is_space(p[i]) || p[i] == '/'))
			i++;
		s = i;
		while (i < len && !is_space(p[i]) && p[i] != '=' &&
		    p[i] != '/')
			i++;
		if (i == s) {
			i++;
			continue;
		}
		an = span_of(p + s, i - s);
		while (i < len && is_space(p[i]))
			i++;
		av = span_of(NULL, 0);
		if (i < len && p[i] == '=') {
			i++;
			while (i < len && is_space(p[i]))
				i++;
			if (i < len && (p[i] == '"' || p[i] == '\'')) {
				q = p[i++];
				s = i;
				while (i < len && p[i] != q)
					i++;
				av = span_of(p + s, i - s);
				if (i < len)
					i++;
			} else {
				s = i;
				while (i < len && !is_space(p[i]))
					i++;
				av = span_of(p + s, i - s);
			}
		}
		if (span_is(an, name)) {
			*val = av;
			return true;
		}
	}
	return false;
}

/* An attribute's value, decoded into out ("" when absent). */
static void
attr_text(const struct tag *t, const char *name, char *out, size_t outlen)
{
	struct span	v;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (tag_attr(t, name, &v) && v.len > 0)
		markup_text(v.p, v.len, out, outlen);
}

/* The text of the leaf element whose start tag is t: up to the next tag,
 * or the end of a CDATA section. */
static void
elem_text(const uint8_t *p, size_t len, const struct tag *t, char *out,
    size_t outlen)
{
	const uint8_t	*s = p + t->end, *lt, *e;
	size_t		 n = len - t->end;

	if (outlen > 0)
		out[0] = '\0';
	if (t->empty || t->close)
		return;
	if (n >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
		e = parse_find_nocase(s, n, "]]>");
		n = e != NULL ? (size_t)(e - s) + 3 : n;
	} else if ((lt = memchr(s, '<', n)) != NULL) {
		n = (size_t)(lt - s);
	}
	markup_text(s, n, out, outlen);
}

/* --- facts ------------------------------------------------------------- */

/* Add a field to a list: spaces and ':' in its name become '_', so that
 * "name:type" lists stay splittable; a name seen already is not added. */
static void
fields_add(struct vpn_field *fields, size_t *n, const char *name,
    const char *type)
{
	struct vpn_field	*fl;
	size_t			 i;

	if (name[0] == '\0' || *n == VPN_FIELDS_MAX)
		return;
	fl = &fields[*n];
	copy_str(fl->name, sizeof(fl->name), name);
	if (fl->name[0] == '\0')
		return;
	for (i = 0; fl->name[i] != '\0'; i++)
		if (fl->name[i] == ' ' || fl->name[i] == ':')
			fl->name[i] = '_';
	for (i = 0; i < *n; i++)
		if (strcmp(fields[i].name, fl->name) == 0)
			return;
	copy_str(fl->type, sizeof(fl->type), type[0] != '\0' ? type : "text");
	for (i = 0; fl->type[i] != '\0'; i++)
		if (fl->type[i] >= 'A' && fl->type[i] <= 'Z')
			fl->type[i] = (char)(fl->type[i] - 'A' + 'a');
	(*n)++;
}

static void
add_field(struct vpn_facts *f, const char *name, const char *type)
{
	fields_add(f->fields, &f->nfields, name, type);
}

static void
add_group(struct vpn_facts *f, const char *name)
{
	size_t	i;

	if (name[0] == '\0' || f->ngroups == VPN_GROUPS_MAX)
		return;
	for (i = 0; i < f->ngroups; i++)
		if (strcmp(f->groups[i], name) == 0)
			return;
	copy_str(f->groups[f->ngroups++], VPN_NAME_MAX, name);
}

/* Inputs a person types into: not hidden values, buttons or boxes. */
static bool
typed_input(const char *type)
{
	static const char *const	skip[] = {
		"hidden", "submit", "button", "reset", "image", "checkbox",
		"radio", "file",
	};
	size_t	i;

	for (i = 0; i < NELEM(skip); i++)
		if (strcasecmp(type, skip[i]) == 0)
			return false;
	return true;
}

/* --- config-auth (AnyConnect, ocserv) ----------------------------------- */

enum parse_result
vpn_parse_config_auth(const uint8_t *p, size_t len, struct vpn_facts *f)
{
	struct tag	t;
	size_t		pos = 0;
	char		a[VPN_NAME_MAX], b[16], txt[VPN_URL_MAX];
	bool		root = false, in_select = false;

	while (tag_next(p, len, &pos, &t)) {
		if (!root) {
			/* The document element must be config-auth. */
			if (t.close || !span_is(t.name, "config-auth"))
				return PARSE_BAD;
			root = true;
			continue;
		}
		if (t.close) {
			if (span_is(t.name, "config-auth"))
				return PARSE_OK;
			if (span_is(t.name, "select"))
				in_select = false;
			continue;
		}
		if (span_is(t.name, "version")) {
			attr_text(&t, "who", a, sizeof(a));
			elem_text(p, len, &t, txt, sizeof(txt));
			if (strcmp(a, "sg") == 0 && f->version[0] == '\0')
				copy_str(f->version, sizeof(f->version), txt);
		} else if (span_is(t.name, "message") ||
		    span_is(t.name, "error")) {
			elem_text(p, len, &t, txt, sizeof(txt));
			if (f->message[0] == '\0')
				copy_str(f->message, sizeof(f->message), txt);
		} else if (span_is(t.name, "input")) {
			attr_text(&t, "type", b, sizeof(b));
			attr_text(&t, "name", a, sizeof(a));
			if (typed_input(b))
				add_field(f, a, b);
			if (strcasecmp(b, "sso") == 0)
				f->saml = true;
		} else if (span_is(t.name, "select")) {
			in_select = !t.empty;
		} else if (span_is(t.name, "option") && in_select) {
			attr_text(&t, "value", a, sizeof(a));
			if (a[0] == '\0')
				elem_text(p, len, &t, a, sizeof(a));
			add_group(f, a);
		} else if (span_is(t.name, "sso-v2-login")) {
			elem_text(p, len, &t, txt, sizeof(txt));
			if (txt[0] != '\0') {
				f->saml = true;
				copy_str(f->sso_url, sizeof(f->sso_url), txt);
			}
		} else if (span_is(t.name, "auth-method")) {
			/* In <opaque>: the method the tunnel group uses. */
			elem_text(p, len, &t, txt, sizeof(txt));
			if (strncmp(txt, "single-sign-on", 14) == 0)
				f->saml = true;
		}
	}
	return root ? PARSE_MORE : PARSE_BAD;
}

/* --- GlobalProtect prelogin.esp ---------------------------------------- */

/* The IdP named by a decoded saml-request: the URL itself (REDIRECT) or
 * the first http(s) URL of the HTML form it holds (POST). */
static void
saml_request_idp(struct vpn_facts *f, const char *b64)
{
	uint8_t		 dec[B64_SCAN_MAX];
	char		 url[VPN_URL_MAX];
	const uint8_t	*u;
	size_t		 n, k;

	n = strlen(b64);
	if (n > B64_SCAN_MAX)
		n = B64_SCAN_MAX - B64_SCAN_MAX % 4;
	if ((n = vpn_base64_decode(b64, n, dec, sizeof(dec))) == 0)
		return;
	if ((u = parse_find_nocase(dec, n, "action=\"")) != NULL)
		u += 8;
	else if ((u = parse_find_nocase(dec, n, "http")) == NULL)
		return;
	for (k = 0; (size_t)(u - dec) + k < n && k + 1 < sizeof(url); k++) {
		if (u[k] == '"' || u[k] == '\'' || u[k] == '<' ||
		    u[k] == '>' || is_space(u[k]) || u[k] < 0x20)
			break;
		url[k] = (char)u[k];
	}
	url[k] = '\0';
	if (vpn_url_host(url, k, f->idp, sizeof(f->idp)) &&
	    f->sso_url[0] == '\0')
		copy_str(f->sso_url, sizeof(f->sso_url), url);
}

enum parse_result
vpn_parse_prelogin(const uint8_t *p, size_t len, struct vpn_facts *f)
{
	struct tag	t;
	size_t		pos = 0;
	char		txt[VPN_URL_MAX];
	char		req[B64_SCAN_MAX + 1];
	bool		root = false;

	while (tag_next(p, len, &pos, &t)) {
		if (!root) {
			if (t.close || !span_is(t.name, "prelogin-response"))
				return PARSE_BAD;
			root = true;
			continue;
		}
		if (t.close) {
			if (span_is(t.name, "prelogin-response"))
				return PARSE_OK;
			continue;
		}
		if (span_is(t.name, "saml-request")) {
			elem_text(p, len, &t, req, sizeof(req));
			if (req[0] != '\0')
				saml_request_idp(f, req);
			continue;
		}
		elem_text(p, len, &t, txt, sizeof(txt));
		if (span_is(t.name, "status")) {
			copy_str(f->status, sizeof(f->status), txt);
		} else if (span_is(t.name, "authentication-message") ||
		    span_is(t.name, "msg")) {
			if (txt[0] != '\0' && f->message[0] == '\0')
				copy_str(f->message, sizeof(f->message), txt);
		} else if (span_is(t.name, "username-label")) {
			add_field(f, txt, "text");
		} else if (span_is(t.name, "password-label")) {
			add_field(f, txt, "password");
		} else if (span_is(t.name, "saml-auth-method")) {
			if (txt[0] != '\0') {
				f->saml = true;
				copy_str(f->saml_method,
				    sizeof(f->saml_method), txt);
			}
		}
	}
	return root ? PARSE_MORE : PARSE_BAD;
}

/* --- HTML login forms -------------------------------------------------- */

/* One form of a page, while it is read. */
struct form {
	struct vpn_field	fields[VPN_FIELDS_MAX];
	size_t			nfields;
	char			groups[VPN_GROUPS_MAX][VPN_NAME_MAX];
	size_t			ngroups;
	bool			password;	/* holds a password input */
	bool			login;		/* named frmLogin */
};

static int
form_rank(const struct form *fm)
{
	return (fm->login ? 2 : 0) + (fm->password ? 1 : 0);
}

/* A form ends: keep it if it looks more like the login form. */
static void
form_done(struct form *best, int *best_rank, const struct form *cur)
{
	if (form_rank(cur) > *best_rank) {
		*best = *cur;
		*best_rank = form_rank(cur);
	}
}

enum parse_result
vpn_parse_login_form(const uint8_t *p, size_t len, struct vpn_facts *f)
{
	struct form	best, cur;
	struct tag	t;
	size_t		pos = 0, i;
	char		a[VPN_NAME_MAX], b[16];
	int		best_rank = -1;
	bool		in_form = false, in_select = false;

	memset(&best, 0, sizeof(best));
	memset(&cur, 0, sizeof(cur));
	while (tag_next(p, len, &pos, &t)) {
		if (span_is(t.name, "form")) {
			if (in_form)		/* closed, or a new one opens */
				form_done(&best, &best_rank, &cur);
			in_form = !t.close;
			in_select = false;
			if (t.close)
				continue;
			memset(&cur, 0, sizeof(cur));
			attr_text(&t, "name", a, sizeof(a));
			if (a[0] == '\0')
				attr_text(&t, "id", a, sizeof(a));
			cur.login = strcasecmp(a, "frmLogin") == 0;
			continue;
		}
		if (!in_form)
			continue;
		if (span_is(t.name, "select")) {
			in_select = !t.close && !t.empty;
		} else if (t.close) {
			continue;
		} else if (span_is(t.name, "input")) {
			attr_text(&t, "type", b, sizeof(b));
			attr_text(&t, "name", a, sizeof(a));
			if (b[0] == '\0')
				copy_str(b, sizeof(b), "text");
			if (typed_input(b)) {
				fields_add(cur.fields, &cur.nfields, a, b);
				if (strcasecmp(b, "password") == 0)
					cur.password = true;
			}
		} else if (span_is(t.name, "option") && in_select &&
		    cur.ngroups < VPN_GROUPS_MAX) {
			elem_text(p, len, &t, a, sizeof(a));
			if (a[0] == '\0')
				attr_text(&t, "value", a, sizeof(a));
			if (a[0] != '\0')
				copy_str(cur.groups[cur.ngroups++],
				    VPN_NAME_MAX, a);
		}
	}
	if (in_form)
		form_done(&best, &best_rank, &cur);
	if (best_rank < 0)
		return PARSE_BAD;
	for (i = 0; i < best.nfields; i++)
		add_field(f, best.fields[i].name, best.fields[i].type);
	for (i = 0; i < best.ngroups; i++)
		add_group(f, best.groups[i]);
	return in_form ? PARSE_MORE : PARSE_OK;
}

/* --- Citrix nFactor ---------------------------------------------------- */

/*
 * <AuthenticateResponse> ... <Requirements><Requirement>
 * <Credential><ID>login</ID><Type>username</Type></Credential>
 * <Label>...</Label><Input><Text><Secret>false</Secret>...</Input>
 * </Requirement>...  Each requirement with a credential becomes a field:
 * its ID, typed "password" when its input is secret.
 */
enum parse_result
vpn_parse_nfactor(const uint8_t *p, size_t len, struct vpn_facts *f)
{
	struct tag	t;
	size_t		pos = 0;
	char		id[VPN_NAME_MAX], type[16], txt[32];
	bool		root = false, in_cred = false, secret = false;

	id[0] = type[0] = '\0';
	while (tag_next(p, len, &pos, &t)) {
		if (!root) {
			if (t.close || !span_is(t.name, "AuthenticateResponse"))
				return PARSE_BAD;
			root = true;
			continue;
		}
		if (t.close) {
			if (span_is(t.name, "AuthenticateResponse"))
				return PARSE_OK;
			if (span_is(t.name, "Credential"))
				in_cred = false;
			if (span_is(t.name, "Requirement")) {
				if (id[0] != '\0' &&
				    strcasecmp(type, "none") != 0)
					add_field(f, id, secret ? "password" :
					    type);
				id[0] = type[0] = '\0';
				secret = false;
			}
			continue;
		}
		if (span_is(t.name, "Requirement")) {
			id[0] = type[0] = '\0';
			secret = false;
		} else if (span_is(t.name, "Credential")) {
			in_cred = !t.empty;
		} else if (in_cred && span_is(t.name, "ID")) {
			elem_text(p, len, &t, id, sizeof(id));
		} else if (in_cred && span_is(t.name, "Type")) {
			elem_text(p, len, &t, type, sizeof(type));
		} else if (span_is(t.name, "Secret")) {
			elem_text(p, len, &t, txt, sizeof(txt));
			secret = strcasecmp(txt, "true") == 0;
		}
	}
	return root ? PARSE_MORE : PARSE_BAD;
}

/* --- base64, URLs -------------------------------------------------------- */

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

size_t
vpn_base64_decode(const char *in, size_t len, uint8_t *out, size_t outlen)
{
	uint32_t	acc = 0;
	size_t		i, o = 0;
	int		v, bits = 0;

	for (i = 0; i < len; i++) {
		if (is_space((uint8_t)in[i]))
			continue;
		if (in[i] == '=')
			break;
		if ((v = b64_value(in[i])) < 0)
			return 0;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == outlen)
				return o;	/* what fits */
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return o;
}

bool
vpn_url_host(const char *url, size_t len, char *out, size_t outlen)
{
	size_t	i, s, n;

	if (outlen == 0)
		return false;
	out[0] = '\0';
	if (len >= 8 && strncasecmp(url, "https://", 8) == 0)
		s = 8;
	else if (len >= 7 && strncasecmp(url, "http://", 7) == 0)
		s = 7;
	else
		return false;
	/* user@ is skipped; a bracketed IPv6 literal is kept whole. */
	for (i = s; i < len && url[i] != '/' && url[i] != '?' &&
	    url[i] != '#'; i++)
		if (url[i] == '@')
			s = i + 1;
	if (s < len && url[s] == '[') {
		for (i = s; i < len && url[i] != ']'; i++)
			;
		if (i == len)
			return false;
		i++;
	} else {
		for (i = s; i < len && url[i] != '/' && url[i] != '?' &&
		    url[i] != '#' && url[i] != ':'; i++)
			;
	}
	n = i - s;
	if (n == 0 || n >= outlen)
		return false;
	for (i = 0; i < n; i++) {
		char	c = url[s + i];

		if ((unsigned char)c <= 0x20 || c == 0x7f || c == '"' ||
		    c == '<' || c == '>' || c == '\\')
			return false;
		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	return true;
}

/* --- the plan ------------------------------------------------------------ */

/* Ports where a portal is worth looking for without any sign: HTTPS
 * and the usual alternates (FortiGate 10443, ocserv/AnyConnect 4433). */
static const uint16_t	vpn_ports[] = { 443, 4433, 8443, 10443 };

/* The usual few, in order of what they tell for their cost. */
static const enum vpn_req	blind[] = {
	VREQ_CONFIG_AUTH, VREQ_GP_PRELOGIN, VREQ_FORTI_LOGIN,
	VREQ_PULSE_WELCOME,
};

/* What to ask once a product is known. */
static const enum vpn_req	product_reqs[VPN_NPRODUCTS][2] = {
	[VPN_CISCO] = { VREQ_CONFIG_AUTH, VREQ_NONE },
	[VPN_OCSERV] = { VREQ_CONFIG_AUTH, VREQ_NONE },
	[VPN_GLOBALPROTECT] = { VREQ_GP_PRELOGIN, VREQ_NONE },
	[VPN_FORTIGATE] = { VREQ_FORTI_LOGIN, VREQ_FORTI_SAML },
	[VPN_PULSE] = { VREQ_PULSE_WELCOME, VREQ_NONE },
	[VPN_CITRIX] = { VREQ_CITRIX_NFACTOR, VREQ_CITRIX_VPN },
	[VPN_SONICWALL] = { VREQ_SONICWALL, VREQ_NONE },
	[VPN_CHECKPOINT] = { VREQ_CHECKPOINT, VREQ_NONE },
};

static void
plan_add(struct vpn_plan *pl, enum vpn_req r)
{
	if (r == VREQ_NONE || (pl->asked & (1u << r)) != 0 ||
	    pl->n == NELEM(pl->queue))
		return;
	pl->asked |= 1u << r;
	pl->queue[pl->n++] = (uint8_t)r;
}

/* A product is known: drop what is left of the blind list, ask its own. */
static void
plan_product(struct vpn_plan *pl, enum vpn_product prod)
{
	size_t	i;

	if (pl->blind) {
		pl->n = pl->next;
		pl->blind = false;
	}
	if ((unsigned int)prod >= VPN_NPRODUCTS)
		return;
	for (i = 0; i < NELEM(product_reqs[prod]); i++)
		plan_add(pl, product_reqs[prod][i]);
}

/* A cookie name among the page's Set-Cookie names (prefix match). */
static bool
has_cookie(const struct vpn_page *pg, const char *prefix)
{
	const char	*c = pg->cookies;
	size_t		 n = strlen(prefix), w;

	if (c == NULL)
		return false;
	while (*c != '\0') {
		w = strcspn(c, " ");
		if (w >= n && strncasecmp(c, prefix, n) == 0)
			return true;
		c += w;
		while (*c == ' ')
			c++;
	}
	return false;
}

/* A product from the signs of one answer (research 3.2). */
static enum vpn_product
page_signs(const struct vpn_page *pg)
{
	const char	*loc = pg->location, *title = pg->title;
	const uint8_t	*b = pg->body;
	size_t		 bl = pg->body_len;

	if (has(b, bl, "<config-auth") || str_has(loc, "/+CSCOE+/") ||
	    str_has(loc, "/+webvpn+/") || pg->transcend ||
	    has_cookie(pg, "webvpn"))
		return VPN_CISCO;	/* or ocserv: config-auth tells */
	if (str_has(loc, "/global-protect/") ||
	    str_has(title, "GlobalProtect"))
		return VPN_GLOBALPROTECT;
	if (str_has(loc, "/remote/login") || str_has(loc, "/remote/saml/") ||
	    has(b, bl, "top.location=\"/remote/login") ||
	    has(b, bl, "top.location='/remote/login") ||
	    has_cookie(pg, "SVPNCOOKIE") ||
	    (pg->server != NULL && strcmp(pg->server, "xxxxxxxx-xxxxx") == 0))
		return VPN_FORTIGATE;
	if (str_has(loc, "/dana-na/") || str_has(loc, "/dana/") ||
	    str_has(title, "Pulse Connect Secure") ||
	    str_has(title, "Ivanti Connect Secure") ||
	    has_cookie(pg, "DSSignInURL") || has_cookie(pg, "DSBrowserID"))
		return VPN_PULSE;
	if (str_has(loc, "/vpn/index.html") ||
	    str_has(loc, "/logon/LogonPoint/") ||
	    str_has(title, "Citrix Gateway") ||
	    str_has(title, "NetScaler Gateway") || has_cookie(pg, "NSC_"))
		return VPN_CITRIX;
	if (str_has(pg->server, "SonicWALL") ||
	    str_has(loc, "/cgi-bin/welcome") ||
	    str_has(title, "SonicWall - Authentication") ||
	    str_has(title, "Virtual Office"))
		return VPN_SONICWALL;
	if (str_has(loc, "/sslvpn/Login/") ||
	    str_has(title, "Check Point Mobile"))
		return VPN_CHECKPOINT;
	return VPN_UNKNOWN;
}

/* ocserv or a Cisco ASA: ocserv's config-auth carries a fixed version. */
static enum vpn_product
anyconnect_product(struct vpn_facts *f)
{
	if (strcmp(f->version, OCSERV_SG_VERSION) == 0) {
		f->version[0] = '\0';	/* not a version: a constant */
		return VPN_OCSERV;
	}
	return VPN_CISCO;
}

void
vpn_plan_start(struct vpn_plan *pl, struct vpn_facts *f,
    const struct vpn_page *root, uint16_t port)
{
	struct vpn_facts	tmp;
	enum vpn_product	prod;
	size_t			i;

	memset(pl, 0, sizeof(*pl));
	prod = page_signs(root);
	if (prod == VPN_CISCO && root->body != NULL) {
		/* ocserv answers "GET /" with its first form already; the
		 * client's init still follows, which may offer SSO. */
		memset(&tmp, 0, sizeof(tmp));
		if (vpn_parse_config_auth(root->body, root->body_len,
		    &tmp) != PARSE_BAD) {
			*f = tmp;
			prod = anyconnect_product(f);
		}
	}
	if (prod == VPN_PULSE && root->status == 200 &&
	    has(root->body, root->body_len, "frmLogin")) {
		/* The sign-in page itself. */
		f->product = prod;
		vpn_parse_login_form(root->body, root->body_len, f);
		return;
	}
	if (prod != VPN_UNKNOWN) {
		f->product = prod;
		plan_product(pl, prod);
		return;
	}
	for (i = 0; i < NELEM(vpn_ports); i++)
		if (vpn_ports[i] == port)
			break;
	if (i == NELEM(vpn_ports))
		return;
	pl->blind = true;
	for (i = 0; i < NELEM(blind); i++)
		plan_add(pl, blind[i]);
}

enum vpn_req
vpn_plan_next(struct vpn_plan *pl)
{
	if (pl->next >= pl->n || pl->sent >= VPN_FOLLOW_MAX)
		return VREQ_NONE;
	pl->sent++;
	return (enum vpn_req)pl->queue[pl->next++];
}

/* A redirect to an identity provider: SAML's HTTP-Redirect binding, or a
 * host other than the portal's own (which we never visit). */
static bool
idp_redirect(struct vpn_facts *f, const struct vpn_page *pg)
{
	const char	*loc = pg->location;

	char		 host[VPN_HOST_MAX];
	bool		 away;

	if (pg->status / 100 != 3 || loc == NULL || loc[0] == '\0')
		return false;
	away = vpn_url_host(loc, strlen(loc), host, sizeof(host)) &&
	    (pg->host == NULL || strcasecmp(host, pg->host) != 0);
	if (!away && !str_has(loc, "SAMLRequest="))
		return false;
	if (away)
		copy_str(f->idp, sizeof(f->idp), host);
	f->saml = true;
	copy_str(f->sso_url, sizeof(f->sso_url), loc);
	return true;
}

/*
 * A login page of the product: its form.  The page must carry one of the
 * product's marks unless the product is known already (from the signs
 * of "GET /"); a blind guess that finds the marks names the product.
 */
static void
login_page(struct vpn_plan *pl, struct vpn_facts *f, enum vpn_product prod,
    const struct vpn_page *pg, bool marked)
{
	if (pg->status != 200 || (!marked && f->product != prod))
		return;
	if (f->product != prod) {
		f->product = prod;
		plan_product(pl, prod);
	}
	vpn_parse_login_form(pg->body, pg->body_len, f);
}

void
vpn_absorb(struct vpn_plan *pl, struct vpn_facts *f, enum vpn_req req,
    const struct vpn_page *pg)
{
	const uint8_t	*b = pg->body;
	size_t		 bl = pg->body_len;

	switch (req) {
	case VREQ_CONFIG_AUTH:
		if (vpn_parse_config_auth(b, bl, f) == PARSE_BAD)
			break;
		f->product = anyconnect_product(f);
		plan_product(pl, f->product);
		break;
	case VREQ_GP_PRELOGIN:
	case VREQ_GP_GATEWAY:
		if (vpn_parse_prelogin(b, bl, f) == PARSE_BAD)
			break;
		f->product = VPN_GLOBALPROTECT;
		plan_product(pl, f->product);
		/* A gateway-only appliance refuses the portal's prelogin. */
		if (req == VREQ_GP_PRELOGIN &&
		    strcasecmp(f->status, "Error") == 0 && !f->saml)
			plan_add(pl, VREQ_GP_GATEWAY);
		break;
	case VREQ_FORTI_LOGIN:
		login_page(pl, f, VPN_FORTIGATE, pg,
		    has(b, bl, "/remote/logincheck") ||
		    has(b, bl, "fgt_lang") || has(b, bl, "ftnt-") ||
		    has(b, bl, "/remote/saml/start"));
		break;
	case VREQ_FORTI_SAML:
		idp_redirect(f, pg);
		break;
	case VREQ_PULSE_WELCOME:
		if (idp_redirect(f, pg))
			break;
		login_page(pl, f, VPN_PULSE, pg, has(b, bl, "frmLogin") ||
		    has(b, bl, "/dana-na/"));
		break;
	case VREQ_CITRIX_NFACTOR:
		if (vpn_parse_nfactor(b, bl, f) != PARSE_BAD &&
		    f->product == VPN_UNKNOWN)
			f->product = VPN_CITRIX;
		break;
	case VREQ_CITRIX_VPN:
		login_page(pl, f, VPN_CITRIX, pg, has(b, bl, "Citrix") ||
		    has(b, bl, "NetScaler"));
		break;
	case VREQ_SONICWALL:
		login_page(pl, f, VPN_SONICWALL, pg,
		    str_has(pg->server, "SonicWALL") ||
		    has(b, bl, "SonicWall") || has(b, bl, "Virtual Office"));
		break;
	case VREQ_CHECKPOINT:
		login_page(pl, f, VPN_CHECKPOINT, pg,
		    has(b, bl, "Check Point") || has(b, bl, "CheckPoint"));
		break;
	case VREQ_NONE:
	case VREQ_COUNT:
	default:
		break;
	}
}

/* --- recording ----------------------------------------------------------- */

void
vpn_record(struct obs *o, const struct vpn_facts *f)
{
	char	buf[OBS_VAL_MAX];
	size_t	i, n = 0;
	int	w;

	if (f->product != VPN_UNKNOWN) {
		obs_set(o, "vpn.product", vpn_product_name(f->product));
		if (obs_get(o, "product") == NULL) {
			obs_set(o, "product", product_short[f->product]);
			obs_set(o, "version", f->version);
		}
	}
	obs_set(o, "vpn.version", f->version);
	for (i = 0; i < f->nfields; i++) {
		w = snprintf(buf + n, sizeof(buf) - n, "%s%s:%s",
		    i > 0 ? " " : "", f->fields[i].name, f->fields[i].type);
		if (w < 0 || (size_t)w >= sizeof(buf) - n)
			break;
		n += (size_t)w;
	}
	obs_set_bytes(o, "vpn.auth_fields", buf, n);
	n = 0;
	for (i = 0; i < f->ngroups; i++) {
		w = snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i > 0 ? ", " : "", f->groups[i]);
		if (w < 0 || (size_t)w >= sizeof(buf) - n)
			break;
		n += (size_t)w;
	}
	obs_set_bytes(o, "vpn.groups", buf, n);
	obs_set(o, "vpn.message", f->message);
	if (f->saml)
		obs_set(o, "vpn.saml", "yes");
	obs_set(o, "vpn.saml_method", f->saml_method);
	obs_set(o, "vpn.sso_url", f->sso_url);
	obs_set(o, "vpn.idp", f->idp);
	obs_set(o, "vpn.status", f->status);
}
