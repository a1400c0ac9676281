/*
 * pgsql.c - PostgreSQL probe (port 5432).  Sends an SSLRequest and
 * records the one-byte answer ('S': TLS offered, then the runtime does
 * the handshake and records the certificate; 'N': no TLS).  After 'N' it
 * sends a StartupMessage for user "vigie", database "vigie" on the same
 * connection and records what the server answers: the authentication
 * method it asks for, or the error it gives ("no pg_hba.conf entry",
 * SQLSTATE 28000).  AuthenticationOk means no password is asked at all
 * ("trust"); then the server version is read from the parameters the
 * server reports and the session is ended with Terminate.  No password
 * is ever sent.
 */
#include "probes/pgsql.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* Protocol numbers (55.2.10, 55.7): the SSLRequest code is 1234 in the
 * upper and 5679 in the lower 16 bits, protocol 3.0 is 3 << 16. */
#define PGSQL_SSL_REQUEST_CODE	80877103u
#define PGSQL_PROTOCOL_3_0	196608u
#define PGSQL_LEN_MIN		4	/* the length counts itself */
#define PGSQL_SSL_YES		'S'
#define PGSQL_SSL_NO		'N'
#define PGSQL_MSG_TERMINATE	'X'

#define PGSQL_MECHS_MAX		256	/* bytes of the SASL list kept */

#define PGSQL_USER		"vigie"
#define PGSQL_DATABASE		"vigie"

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

size_t
pgsql_build_ssl_request(uint8_t *out, size_t outlen)
{
	if (outlen < PGSQL_SSL_REQUEST_LEN)
		return 0;
	put_be32(out, PGSQL_SSL_REQUEST_LEN);
	put_be32(out + 4, PGSQL_SSL_REQUEST_CODE);
	return PGSQL_SSL_REQUEST_LEN;
}

/* Append a NUL-terminated string; false when it does not fit. */
static bool
put_str(uint8_t *out, size_t outlen, size_t *o, const char *s)
{
	size_t	n = strlen(s) + 1;

	if (outlen - *o < n)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

size_t
pgsql_build_startup(uint8_t *out, size_t outlen, const char *user,
    const char *database)
{
	size_t	o = 8;

	if (outlen < o + 1)
		return 0;
	put_be32(out + 4, PGSQL_PROTOCOL_3_0);
	if (!put_str(out, outlen, &o, "user") ||
	    !put_str(out, outlen, &o, user) ||
	    !put_str(out, outlen, &o, "database") ||
	    !put_str(out, outlen, &o, database) ||
	    !put_str(out, outlen, &o, "application_name") ||
	    !put_str(out, outlen, &o, "vigie") || o >= outlen)
		return 0;
	out[o++] = '\0';		/* the list's terminator */
	put_be32(out, (uint32_t)o);
	return o;
}

static bool
is_letter(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

enum parse_result
pgsql_parse_msg(const uint8_t *p, size_t len, struct pgsql_msg *m)
{
	uint32_t	mlen;
	size_t		i;

	memset(m, 0, sizeof(*m));
	if (len == 0)
		return PARSE_MORE;
	if (!is_letter(p[0]))
		return PARSE_BAD;
	/* The length's high bytes are zero for any length we accept. */
	for (i = 1; i < len && i < 3; i++)
		if (p[i] != 0)
			return PARSE_BAD;
	if (len < PGSQL_MSG_HEADER)
		return PARSE_MORE;
	mlen = get_be32(p + 1);
	if (mlen < PGSQL_LEN_MIN || mlen > PGSQL_MSG_MAX)
		return PARSE_BAD;
	if (len < 1 + (size_t)mlen)
		return PARSE_MORE;
	m->type = p[0];
	m->body = span_of(p + PGSQL_MSG_HEADER, mlen - PGSQL_LEN_MIN);
	m->used = 1 + (size_t)mlen;
	return PARSE_OK;
}

enum parse_result
pgsql_parse_error(struct span body, struct pgsql_error *e)
{
	const uint8_t	*p = body.p, *end = body.p + body.len, *nul;
	struct span	*f, v;

	memset(e, 0, sizeof(*e));
	while (p < end && *p != '\0') {
		if ((nul = memchr(p + 1, '\0', (size_t)(end - p - 1))) ==
		    NULL)
			return PARSE_BAD;
		v = span_of(p + 1, (size_t)(nul - p - 1));
		switch (*p) {
		case 'S':
			f = &e->severity;
			break;
		case 'V':
			f = &e->severity_v;
			break;
		case 'C':
			f = &e->code;
			break;
		case 'M':
			f = &e->message;
			break;
		case 'D':
			f = &e->detail;
			break;
		case 'H':
			f = &e->hint;
			break;
		case 'F':
			f = &e->file;
			break;
		case 'L':
			f = &e->line;
			break;
		case 'R':
			f = &e->routine;
			break;
		default:
			f = NULL;	/* fields added later are ignored */
			break;
		}
		if (f != NULL)
			*f = v;
		p = nul + 1;
	}
	return p < end ? PARSE_OK : PARSE_BAD;
}

enum parse_result
pgsql_parse_auth(struct span body, struct pgsql_auth *a)
{
	memset(a, 0, sizeof(*a));
	if (body.len < 4)
		return PARSE_BAD;
	a->code = get_be32(body.p);
	if (a->code == PGSQL_AUTH_SASL)
		a->mechanisms = span_of(body.p + 4, body.len - 4);
	return PARSE_OK;
}

/* True when the NUL-separated SASL list names `mech`. */
static bool
sasl_has(struct span list, const char *mech)
{
	const uint8_t	*p = list.p, *end = list.p + list.len, *nul;
	size_t		 n = strlen(mech);

	while (p < end && *p != '\0') {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			nul = end;
		if ((size_t)(nul - p) == n && memcmp(p, mech, n) == 0)
			return true;
		p = nul + 1;
	}
	return false;
}

const char *
pgsql_auth_name(const struct pgsql_auth *a)
{
	switch (a->code) {
	case PGSQL_AUTH_OK:
		return "trust";
	case PGSQL_AUTH_KERBEROS5:
		return "kerberos5";
	case PGSQL_AUTH_CLEARTEXT:
		return "password";
	case PGSQL_AUTH_MD5:
		return "md5";
	case PGSQL_AUTH_GSS:
		return "gss";
	case PGSQL_AUTH_SSPI:
		return "sspi";
	case PGSQL_AUTH_SASL:
		return sasl_has(a->mechanisms, "SCRAM-SHA-256") ?
		    "scram-sha-256" : "sasl";
	default:
		return NULL;
	}
}

void
pgsql_record_error(struct obs *obs, const struct pgsql_error *e)
{
	obs_set_span(obs, "pgsql.error_severity", e->severity_v.len > 0 ?
	    e->severity_v : e->severity);
	obs_set_span(obs, "pgsql.error_code", e->code);
	obs_set_span(obs, "pgsql.error", e->message);
	obs_set_span(obs, "pgsql.error_file", e->file);
	obs_set_span(obs, "pgsql.error_line", e->line);
	obs_set_span(obs, "pgsql.error_routine", e->routine);
	/* Only the PostgreSQL backend names its source file and routine;
	 * poolers and look-alikes do not. */
	if (e->routine.len > 0 && e->file.len > 0)
		obs_set(obs, "product", "PostgreSQL");
}

/* "15.14 (Debian 15.14-0+deb12u1)": the version is the first token. */
static void
pgsql_record_version(struct obs *obs, struct span v)
{
	obs_set_span(obs, "pgsql.server_version", v);
	obs_set(obs, "product", "PostgreSQL");
	obs_set_span(obs, "version", parse_version_token(v.p, v.len));
}

/* A ParameterStatus: name and value, both NUL-terminated. */
static void
pgsql_parameter(struct obs *obs, struct span body)
{
	static const char	name[] = "server_version";
	const uint8_t		*nul;

	if (body.len <= sizeof(name) ||
	    memcmp(body.p, name, sizeof(name)) != 0)
		return;
	if ((nul = memchr(body.p + sizeof(name), '\0', body.len -
	    sizeof(name))) == NULL)
		return;
	pgsql_record_version(obs, span_of(body.p + sizeof(name),
	    (size_t)(nul - body.p) - sizeof(name)));
}

/* The SASL mechanisms, NUL-separated on the wire, as a comma list. */
static void
pgsql_record_mechanisms(struct obs *obs, struct span list)
{
	char	out[PGSQL_MECHS_MAX];
	size_t	i, o = 0;

	for (i = 0; i < list.len && o + 1 < sizeof(out); i++) {
		if (list.p[i] == '\0') {
			if (i + 1 >= list.len || list.p[i + 1] == '\0')
				break;
			out[o++] = ',';
		} else {
			out[o++] = (char)list.p[i];
		}
	}
	obs_set_bytes(obs, "pgsql.sasl_mechanisms", out, o);
}

enum pgsql_step {
	PGSQL_WANT_SSL,			/* SSLRequest sent */
	PGSQL_WANT_AUTH,		/* StartupMessage sent */
};

struct pgsql_state {
	enum pgsql_step	step;
	bool		trusted;	/* AuthenticationOk seen */
};

static int
pgsql_start(struct probe_session *s)
{
	uint8_t	req[PGSQL_SSL_REQUEST_LEN];

	pgsql_build_ssl_request(req, sizeof(req));
	return probe_write(s, req, sizeof(req));
}

/* One message after the StartupMessage: PROBE_MORE to read on. */
static enum probe_status
pgsql_message(struct probe_session *s, const struct pgsql_msg *m)
{
	struct pgsql_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct pgsql_error	 e;
	struct pgsql_auth	 a;
	const char		*name;
	uint8_t			 term[5];

	switch (m->type) {
	case PGSQL_MSG_AUTH:
		if (pgsql_parse_auth(m->body, &a) != PARSE_OK)
			return PROBE_DONE;
		if ((name = pgsql_auth_name(&a)) != NULL)
			obs_set(obs, "pgsql.auth", name);
		else
			obs_setf(obs, "pgsql.auth", "%u", a.code);
		if (a.code == PGSQL_AUTH_SASL)
			pgsql_record_mechanisms(obs, a.mechanisms);
		if (a.code != PGSQL_AUTH_OK)
			return PROBE_DONE;	/* a password: never sent */
		st->trusted = true;
		return PROBE_MORE;
	case PGSQL_MSG_ERROR:
		if (pgsql_parse_error(m->body, &e) == PARSE_OK)
			pgsql_record_error(obs, &e);
		return PROBE_DONE;
	case PGSQL_MSG_PARAMETER:
		if (st->trusted)
			pgsql_parameter(obs, m->body);
		return PROBE_MORE;
	case PGSQL_MSG_READY:
		/* Logged in without a password: leave at once. */
		term[0] = PGSQL_MSG_TERMINATE;
		put_be32(term + 1, PGSQL_LEN_MIN);
		probe_write(s, term, sizeof(term));
		return PROBE_DONE;
	default:
		return PROBE_MORE;	/* notices, key data, ... */
	}
}

static enum probe_status
pgsql_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct pgsql_state	*st = probe_state(s);
	struct obs		*obs = probe_obs(s);
	struct pgsql_msg	 m;
	const uint8_t		*p;
	uint8_t			 startup[PGSQL_STARTUP_MAX], answer;
	size_t			 len, n;
	enum probe_status	 r;

	for (;;) {
		if ((len = evbuffer_get_length(in)) == 0)
			return PROBE_MORE;
		if ((p = evbuffer_pullup(in, -1)) == NULL)
			return PROBE_DONE;
		if (st->step == PGSQL_WANT_SSL && p[0] != PGSQL_MSG_ERROR) {
			answer = p[0];
			/* After 'S' the server waits for our ClientHello:
			 * more bytes at once are a server speaking first
			 * ("SSH-2.0-..." begins with an 'S' too). */
			if ((answer != PGSQL_SSL_YES &&
			    answer != PGSQL_SSL_NO) ||
			    (answer == PGSQL_SSL_YES && len != 1))
				return PROBE_MISMATCH;
			obs_set_service(obs, "pgsql");
			evbuffer_drain(in, 1);
			if (answer == PGSQL_SSL_YES) {
				obs_set(obs, "pgsql.ssl", "yes");
				return PROBE_STARTTLS;
			}
			obs_set(obs, "pgsql.ssl", "no");
			n = pgsql_build_startup(startup, sizeof(startup),
			    PGSQL_USER, PGSQL_DATABASE);
			if (n == 0 || probe_write(s, startup, n) == -1)
				return PROBE_DONE;
			st->step = PGSQL_WANT_AUTH;
			continue;
		}
		/* An ErrorResponse to the SSLRequest comes from a server
		 * that does not know it; it is read like any other. */
		switch (pgsql_parse_msg(p, len, &m)) {
		case PARSE_OK:
			break;
		case PARSE_MORE:
			return PROBE_MORE;
		case PARSE_BAD:
		default:
			return obs->service[0] != '\0' ? PROBE_DONE :
			    PROBE_MISMATCH;
		}
		obs_set_service(obs, "pgsql");
		r = pgsql_message(s, &m);
		evbuffer_drain(in, m.used);
		if (r != PROBE_MORE)
			return r;
	}
}

static const uint16_t pgsql_ports[] = { 5432, 0 };

const struct probe probe_pgsql = {
	.name		= "pgsql",
	.service	= "pgsql",
	.ports		= pgsql_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= sizeof(struct pgsql_state),
	.read_max	= 16384,
	.start		= pgsql_start,
	.on_read	= pgsql_on_read,
};
