/*
 * http.c - HTTP and HTTPS probes.  One "GET /"; records the status, the
 * Server and X-Powered-By headers (product, version and the OS comment
 * split out), the Location and WWW-Authenticate headers, and the page
 * title from at most HTTP_BODY_MAX bytes of body.  A redirect is
 * recorded, never followed.
 *
 * probe_https is the same conversation over TLS (the runtime does the
 * handshake and records the TLS facts), kept alive for the VPN portal
 * follow-ups (probes/vpn_portal.c): when the answer shows a portal's
 * signs, or the port is one portals use, up to VPN_FOLLOW_MAX identifying
 * requests follow on the same connection, to the same host and port, one
 * after the other.  A server that closes, answers HTTP/1.0 or sends more
 * than HTTP_BODY_MAX bytes of body ends them.  Its `then` measures the
 * TLS protocol versions and ciphers the server accepts (probes/tls.c).
 */
#include "probes/http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"
#include "probes/tls.h"
#include "probes/vpn_portal.h"
#include "probes/markup.h"

#define HTTP_PREFIX		"HTTP/"		/* RFC 9112 2.3 */
#define HTTP_PREFIX_LEN		5
#define HTTP_STATUS_LINE_MAX	1024
#define HTTP_CHUNK_DIGITS_MAX	15	/* hex digits of a chunk size */
#define HTTP_LENGTH_DIGITS_MAX	18
#define HTTP_PORT		80	/* RFC 9110 4.2.1 */
#define HTTPS_PORT		443	/* RFC 9110 4.2.2 */
#define HTTP_REQUEST_MAX	2048
#define HTTP_REQ_BODY_MAX	1024
#define HTTP_OBS_MAX		1024
#define HTTP_LOCATION_MAX	1024	/* bytes kept of an answer's Location */
#define HTTP_LOG_MAX		512	/* "POST / 200, ...": the follow-ups */

/* Status codes, RFC 9110 section 15. */
#define HTTP_SWITCHING		101
#define HTTP_NO_CONTENT		204
#define HTTP_NOT_MODIFIED	304

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static struct span
span_trim(const uint8_t *p, size_t n)
{
	while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return span_of(p, n);
}

static bool
span_is_nocase(struct span s, const char *str)
{
	size_t	n = strlen(str);

	return s.len == n && strncasecmp((const char *)s.p, str, n) == 0;
}

/* "HTTP/1.1 200 OK", "HTTP/1.0 404", "HTTP/2 200". */
static bool
http_status_line(const uint8_t *l, size_t n, struct http_response *r)
{
	size_t	i = HTTP_PREFIX_LEN;

	if (n < HTTP_PREFIX_LEN + 5 || !is_digit(l[i]))
		return false;
	r->version = (unsigned int)(l[i++] - '0') * 10;
	if (i + 1 < n && l[i] == '.' && is_digit(l[i + 1])) {
		r->version += (unsigned int)(l[i + 1] - '0');
		i += 2;
	}
	if (i >= n || l[i] != ' ')
		return false;
	while (i < n && l[i] == ' ')
		i++;
	if (n - i < 3 || !is_digit(l[i]) || !is_digit(l[i + 1]) ||
	    !is_digit(l[i + 2]) || l[i] == '0')
		return false;
	r->status = (unsigned int)(l[i] - '0') * 100 +
	    (unsigned int)(l[i + 1] - '0') * 10 +
	    (unsigned int)(l[i + 2] - '0');
	i += 3;
	if (i < n && l[i] != ' ')
		return false;
	r->reason = i < n ? span_trim(l + i, n - i) : span_of(NULL, 0);
	return true;
}

static void
http_header(const uint8_t *l, size_t n, struct http_response *r)
{
	const uint8_t	*colon;
	struct span	 name, value;
	uint64_t	 v = 0;
	size_t		 i;

	if ((colon = memchr(l, ':', n)) == NULL)
		return;			/* not a header: ignored */
	name = span_trim(l, (size_t)(colon - l));
	value = span_trim(colon + 1, n - (size_t)(colon - l) - 1);

	if (span_is_nocase(name, "Server"))
		r->server = value;
	else if (span_is_nocase(name, "X-Powered-By"))
		r->powered_by = value;
	else if (span_is_nocase(name, "Location"))
		r->location = value;
	else if (span_is_nocase(name, "Content-Type"))
		r->content_type = value;
	else if (span_is_nocase(name, "WWW-Authenticate")) {
		if (r->nauth < HTTP_AUTH_MAX && value.len > 0)
			r->www_authenticate[r->nauth++] = value;
	} else if (span_is_nocase(name, "Set-Cookie")) {
		if (r->ncookies < HTTP_COOKIES_MAX && value.len > 0)
			r->set_cookie[r->ncookies++] = value;
	} else if (span_is_nocase(name, "Connection")) {
		if (parse_find_nocase(value.p, value.len, "close") != NULL)
			r->close = true;
	} else if (span_is_nocase(name, "X-Transcend-Version")) {
		r->transcend = true;
	} else if (span_is_nocase(name, "Transfer-Encoding")) {
		if (parse_find_nocase(value.p, value.len, "chunked") != NULL)
			r->chunked = true;
	} else if (span_is_nocase(name, "Content-Length")) {
		if (value.len == 0 || value.len > HTTP_LENGTH_DIGITS_MAX)
			return;
		for (i = 0; i < value.len; i++) {
			if (!is_digit(value.p[i]))
				return;
			v = v * 10 + (uint64_t)(value.p[i] - '0');
		}
		if (!r->has_length) {
			r->has_length = true;
			r->content_length = v;
		}
	}
}

enum parse_result
http_parse_head(const uint8_t *p, size_t len, struct http_response *r)
{
	const uint8_t	*nl, *line;
	size_t		 pos = 0, n, linelen, limit;

	memset(r, 0, sizeof(*r));
	n = len < HTTP_PREFIX_LEN ? len : HTTP_PREFIX_LEN;
	if (memcmp(p, HTTP_PREFIX, n) != 0)
		return PARSE_BAD;
	limit = len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX;
	for (;;) {
		if ((nl = memchr(p + pos, '\n', limit - pos)) == NULL) {
			if (r->status == 0) {
				if (limit - pos >= HTTP_STATUS_LINE_MAX)
					return PARSE_BAD;
				return PARSE_MORE;
			}
			if (len < HTTP_HEAD_MAX)
				return PARSE_MORE;
			r->truncated = true;
			r->head_len = pos;
			return PARSE_OK;
		}
		line = p + pos;
		n = (size_t)(nl - line);
		linelen = n;
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;

		if (r->status == 0) {
			if (!http_status_line(line, linelen, r)) {
				r->status = 0;
				return PARSE_BAD;
			}
			pos += n + 1;
			continue;
		}
		if (linelen == 0) {
			r->head_len = pos + n + 1;
			return PARSE_OK;
		}
		if (r->nheaders == HTTP_HEADERS_MAX) {
			r->truncated = true;
			r->head_len = pos;
			return PARSE_OK;
		}
		pos += n + 1;
		if (line[0] == ' ' || line[0] == '\t')
			continue;	/* obsolete line folding: skipped */
		r->nheaders++;
		http_header(line, linelen, r);
	}
}

/* Chunked decoder states. */
enum {
	CH_SIZE,		/* hex digits of the size */
	CH_EXT,			/* chunk extensions, up to LF */
	CH_DATA,
	CH_DATA_END,		/* CR LF after the data */
	CH_DONE,
};

static int
hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
body_add(struct buf *body, const uint8_t *p, size_t n)
{
	size_t	room = body->max - body->len;

	if (n > room)
		n = room;
	if (n > 0)
		buf_add(body, p, n);
}

enum parse_result
http_dechunk(struct http_chunked *c, const uint8_t *p, size_t len,
    size_t *used, struct buf *body)
{
	size_t	i = 0, n;
	int	v;

	*used = 0;
	while (i < len) {
		switch (c->st) {
		case CH_SIZE:
			if ((v = hex_value(p[i])) >= 0) {
				if (++c->digits > HTTP_CHUNK_DIGITS_MAX)
					return PARSE_BAD;
				c->left = c->left * 16 + (uint64_t)v;
				i++;
				break;
			}
			if (c->digits == 0)
				return PARSE_BAD;
			if (p[i] == ';' || p[i] == ' ' || p[i] == '\t' ||
			    p[i] == '\r') {
				c->st = CH_EXT;
				i++;
				break;
			}
			if (p[i] != '\n')
				return PARSE_BAD;
			c->st = CH_EXT;		/* which ends at this LF */
			break;
		case CH_EXT:
			if (p[i++] != '\n')
				break;
			if (c->left == 0) {
				c->st = CH_DONE;
				*used = i;
				return PARSE_OK;
			}
			c->st = CH_DATA;
			break;
		case CH_DATA:
			n = len - i;
			if (n > c->left)
				n = (size_t)c->left;
			body_add(body, p + i, n);
			c->left -= n;
			i += n;
			if (c->left == 0)
				c->st = CH_DATA_END;
			break;
		case CH_DATA_END:
			if (p[i] == '\r') {
				i++;
				break;
			}
			if (p[i] != '\n')
				return PARSE_BAD;
			i++;
			c->st = CH_SIZE;
			c->digits = 0;
			c->left = 0;
			break;
		case CH_DONE:
		default:
			*used = i;
			return PARSE_OK;
		}
	}
	*used = i;
	return c->st == CH_DONE ? PARSE_OK : PARSE_MORE;
}

enum parse_result
http_parse_title(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	const uint8_t	*end = p + len, *hit, *tag, *gt, *close;
	size_t		 off = 0;

	if (outlen > 0)
		out[0] = '\0';
	for (;;) {
		if ((hit = parse_find_nocase(p + off, len - off,
		    "<title")) == NULL)
			return PARSE_BAD;
		tag = hit + 6;
		if (tag == end)
			return PARSE_MORE;
		if (*tag == '>' || is_space(*tag))
			break;
		off = (size_t)(hit - p) + 1;	/* "<titles>": go on */
	}
	if ((gt = memchr(tag, '>', (size_t)(end - tag))) == NULL)
		return PARSE_MORE;
	gt++;
	close = parse_find_nocase(gt, (size_t)(end - gt), "</title");
	markup_text(gt, (size_t)((close != NULL ? close : end) - gt),
	    out, outlen);
	return close != NULL ? PARSE_OK : PARSE_MORE;
}

void
http_parse_server(struct span s, struct http_server *srv)
{
	const uint8_t	*close;
	size_t		 i = 0, start;

	memset(srv, 0, sizeof(*srv));
	if (s.len == 0)
		return;
	while (i < s.len && s.p[i] == ' ')
		i++;
	start = i;
	while (i < s.len && s.p[i] != '/' && s.p[i] != ' ' && s.p[i] != '(')
		i++;
	srv->product = span_of(s.p + start, i - start);
	if (i < s.len && s.p[i] == '/') {
		start = ++i;
		while (i < s.len && s.p[i] != ' ' && s.p[i] != '(')
			i++;
		srv->version = parse_version_token(s.p + start, i - start);
	}
	while (i < s.len && s.p[i] == ' ')
		i++;
	if (i < s.len && s.p[i] == '(' &&
	    (close = memchr(s.p + i, ')', s.len - i)) != NULL)
		srv->os = span_trim(s.p + i + 1, (size_t)(close - s.p) - i - 1);
	if (span_eq_str(srv->product, "Apache"))
		srv->name = "Apache httpd";
}

/* No byte that would end a line or a request field early. */
static bool
clean_token(const char *s, bool space_ok)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    (!space_ok && *s == ' '))
			return false;
	return true;
}

size_t
http_hostport(char *out, size_t outlen, const char *host, uint16_t port,
    bool tls)
{
	bool	v6;
	int	n;

	if (!clean_token(host, false))
		return 0;
	v6 = strchr(host, ':') != NULL;
	if (port == (tls ? HTTPS_PORT : HTTP_PORT))
		n = snprintf(out, outlen, v6 ? "[%s]" : "%s", host);
	else
		n = snprintf(out, outlen, v6 ? "[%s]:%u" : "%s:%u", host, port);
	if (n < 0 || (size_t)n >= outlen)
		return 0;
	return (size_t)n;
}

size_t
http_build(char *out, size_t outlen, const struct http_request *rq,
    const char *host, uint16_t port, bool tls, const char *user_agent)
{
	char	hostport[300], length[40];
	size_t	len;
	int	n;

	if (!clean_token(user_agent, true) || !clean_token(rq->method, false) ||
	    !clean_token(rq->path, false) ||
	    http_hostport(hostport, sizeof(hostport), host, port, tls) == 0)
		return 0;
	length[0] = '\0';
	if (rq->body_len > 0 || strcmp(rq->method, "POST") == 0)
		snprintf(length, sizeof(length), "Content-Length: %zu\r\n",
		    rq->body_len);
	n = snprintf(out, outlen,
	    "%s %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "User-Agent: %s\r\n"
	    "Accept: */*\r\n"
	    "%s%s%s"
	    "\r\n", rq->method, rq->path, hostport, user_agent, rq->headers,
	    length, rq->close ? "Connection: close\r\n" : "");
	if (n < 0 || (size_t)n >= outlen)
		return 0;
	len = (size_t)n;
	if (rq->body_len >= outlen - len)
		return 0;
	if (rq->body_len > 0)
		memcpy(out + len, rq->body, rq->body_len);
	out[len + rq->body_len] = '\0';
	return len + rq->body_len;
}

size_t
http_build_request(char *out, size_t outlen, const char *host,
    uint16_t port, bool tls, const char *user_agent)
{
	const struct http_request	get = {
		.method = "GET", .path = "/", .headers = "", .close = true,
	};

	return http_build(out, outlen, &get, host, port, tls, user_agent);
}

/* The session: for each answer, its head, then its body up to
 * HTTP_BODY_MAX, then (chunked) its trailers. */
enum http_step {
	HTTP_HEAD,
	HTTP_BODY,
	HTTP_TRAILER,
	HTTP_OVER,
};

enum http_body {
	BODY_LENGTH,			/* Content-Length */
	BODY_CHUNKED,
	BODY_TO_EOF,
};

/* What the VPN planner needs of an answer's head, copied before the head
 * is drained from the input. */
struct http_seen {
	unsigned int	status;
	bool		reusable;	/* another request may follow */
	bool		transcend;
	char		location[HTTP_LOCATION_MAX];
	char		server[128];
	char		cookies[256];	/* Set-Cookie names */
};

struct http_state {
	enum http_step		step;
	enum http_body		mode;
	uint64_t		left;		/* BODY_LENGTH */
	struct http_chunked	chunked;
	struct buf		body;
	bool			body_cut;	/* more body than we keep */
	struct http_seen	seen;
	unsigned int		nresp;		/* answers read */
	enum vpn_req		cur;		/* what the answer answers */
	struct vpn_plan		plan;
	struct vpn_facts	facts;
	char			log[HTTP_LOG_MAX];
	size_t			loglen;
};

/* Copy a span into a C string, cut to fit. */
static void
span_copy(char *out, size_t outlen, struct span v)
{
	size_t	n = v.len < outlen - 1 ? v.len : outlen - 1;

	if (n > 0)
		memcpy(out, v.p, n);
	out[n] = '\0';
}

static void
http_seen_head(struct http_state *st, const struct http_response *r)
{
	struct http_seen	*sn = &st->seen;
	const uint8_t		*eq;
	size_t			 i, o = 0, n;

	memset(sn, 0, sizeof(*sn));
	sn->status = r->status;
	sn->reusable = r->version >= 11 && !r->close && !r->truncated;
	sn->transcend = r->transcend;
	span_copy(sn->location, sizeof(sn->location), r->location);
	span_copy(sn->server, sizeof(sn->server), r->server);
	for (i = 0; i < r->ncookies; i++) {
		eq = memchr(r->set_cookie[i].p, '=', r->set_cookie[i].len);
		n = eq != NULL ? (size_t)(eq - r->set_cookie[i].p) :
		    r->set_cookie[i].len;
		if (n == 0 || o + n + 2 > sizeof(sn->cookies))
			break;
		if (o > 0)
			sn->cookies[o++] = ' ';
		memcpy(sn->cookies + o, r->set_cookie[i].p, n);
		o += n;
	}
	sn->cookies[o] = '\0';
	for (i = 0; i < o; i++)		/* names only: no control bytes */
		if ((unsigned char)sn->cookies[i] < 0x20)
			sn->cookies[i] = '_';
}

static void
http_record_head(struct probe_session *s, const struct http_response *r)
{
	struct obs		*obs = probe_obs(s);
	struct http_server	 srv;
	char			 auth[HTTP_OBS_MAX];
	size_t			 i, o = 0;
	int			 n;

	obs_set_service(obs, s->mod->service);
	obs_setf(obs, "http.status", "%u", r->status);
	if (r->server.len > 0) {
		obs_set_span(obs, "http.server", r->server);
		http_parse_server(r->server, &srv);
		if (srv.name != NULL)
			obs_set(obs, "product", srv.name);
		else
			obs_set_span(obs, "product", srv.product);
		obs_set_span(obs, "version", srv.version);
		obs_set_span(obs, "http.os", srv.os);
	}
	obs_set_span(obs, "http.powered_by", r->powered_by);
	obs_set_span(obs, "http.location", r->location);
	obs_set_span(obs, "http.content_type", r->content_type);
	auth[0] = '\0';
	for (i = 0; i < r->nauth; i++) {
		n = snprintf(auth + o, sizeof(auth) - o, "%s%.*s",
		    i > 0 ? ", " : "", (int)r->www_authenticate[i].len,
		    (const char *)r->www_authenticate[i].p);
		if (n < 0 || (size_t)n >= sizeof(auth) - o)
			break;
		o += (size_t)n;
	}
	obs_set_bytes(obs, "http.www_authenticate", auth, o);
}

/* Follow-ups happen over TLS only: portals are HTTPS, and a plain-HTTP
 * port of a gateway only redirects there. */
static bool
http_follows(const struct probe_session *s)
{
	return s->mod->transport == PROBE_TLS;
}

static int
http_send(struct probe_session *s, enum vpn_req req)
{
	const char		*ua = probe_user_agent(s);
	struct http_request	 rq;
	char			 out[HTTP_REQUEST_MAX];
	char			 body[HTTP_REQ_BODY_MAX], hostport[300];
	bool			 tls = s->mod->transport == PROBE_TLS;
	size_t			 n;

	memset(&rq, 0, sizeof(rq));
	rq.method = vpn_req_method(req);
	rq.path = vpn_req_path(req);
	rq.headers = vpn_req_headers(req);
	rq.close = !http_follows(s);
	if (req != VREQ_NONE) {
		if (http_hostport(hostport, sizeof(hostport), probe_host(s),
		    probe_port(s), tls) == 0)
			return -1;
		rq.body_len = vpn_req_body(req, hostport, body, sizeof(body));
		rq.body = body;
	}
	n = http_build(out, sizeof(out), &rq, probe_host(s), probe_port(s),
	    tls, ua != NULL ? ua : "Vigie");
	if (n == 0)
		return -1;
	return probe_write(s, out, n);
}

/* The VPN facts, and the follow-ups' log, once the session is over. */
static void
http_end(struct probe_session *s, struct http_state *st)
{
	if (st->step == HTTP_OVER)
		return;
	st->step = HTTP_OVER;
	buf_fini(&st->body);
	if (!http_follows(s))
		return;
	vpn_record(probe_obs(s), &st->facts);
	obs_set_bytes(probe_obs(s), "vpn.requests", st->log, st->loglen);
}

/*
 * One answer is complete (or the connection ended it: `eof`): record
 * it, plan or absorb, and send the next request if there is one.  True
 * when the session is over.
 */
static bool
http_answer(struct probe_session *s, struct http_state *st, bool eof)
{
	struct vpn_page	 pg;
	enum vpn_req	 next = VREQ_NONE;
	char		 title[HTTP_TITLE_MAX];
	int		 n;

	title[0] = '\0';
	if (st->body.len > 0 && http_parse_title(st->body.data,
	    st->body.len, title, sizeof(title)) == PARSE_BAD)
		title[0] = '\0';
	if (st->nresp == 0)
		obs_set(probe_obs(s), "http.title", title);
	if (http_follows(s)) {
		memset(&pg, 0, sizeof(pg));
		pg.host = probe_host(s);
		pg.status = st->seen.status;
		pg.location = st->seen.location;
		pg.server = st->seen.server;
		pg.cookies = st->seen.cookies;
		pg.title = title;
		pg.transcend = st->seen.transcend;
		pg.body = st->body.data;
		pg.body_len = st->body.len;
		if (st->nresp == 0) {
			vpn_plan_start(&st->plan, &st->facts, &pg,
			    probe_port(s));
		} else {
			vpn_absorb(&st->plan, &st->facts, st->cur, &pg);
			n = snprintf(st->log + st->loglen,
			    sizeof(st->log) - st->loglen, "%s%s %s %u",
			    st->loglen > 0 ? ", " : "", vpn_req_method(st->cur),
			    vpn_req_path(st->cur), st->seen.status);
			if (n > 0 && (size_t)n < sizeof(st->log) - st->loglen)
				st->loglen += (size_t)n;
		}
		if (!eof && st->seen.reusable && !st->body_cut)
			next = vpn_plan_next(&st->plan);
	}
	st->nresp++;
	if (next == VREQ_NONE || http_send(s, next) == -1) {
		http_end(s, st);
		return true;
	}
	buf_fini(&st->body);
	st->cur = next;
	st->step = HTTP_HEAD;
	st->body_cut = false;
	memset(&st->chunked, 0, sizeof(st->chunked));
	return false;
}

static int
http_start(struct probe_session *s)
{
	return http_send(s, VREQ_NONE);
}

/* Begin the body after a head, or say there is none to read. */
static bool
http_body_begin(struct http_state *st, const struct http_response *r)
{
	if (r->truncated || r->status == HTTP_NO_CONTENT ||
	    r->status == HTTP_NOT_MODIFIED || r->status / 100 == 1)
		return false;
	if (r->chunked) {
		st->mode = BODY_CHUNKED;
	} else if (r->has_length) {
		if (r->content_length == 0)
			return false;
		st->mode = BODY_LENGTH;
		st->left = r->content_length;
		if (r->content_length > HTTP_BODY_MAX) {
			st->left = HTTP_BODY_MAX;
			st->body_cut = true;
		}
	} else {
		st->mode = BODY_TO_EOF;
		st->seen.reusable = false;
	}
	buf_init(&st->body, HTTP_BODY_MAX);
	st->step = HTTP_BODY;
	return true;
}

/* Move body bytes from `in` into st->body.  True when the body is
 * complete, or as much of it as we read. */
static bool
http_body_read(struct http_state *st, struct evbuffer *in)
{
	const uint8_t	*p;
	size_t		 len, used;

	if ((len = evbuffer_get_length(in)) == 0)
		return false;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return true;
	switch (st->mode) {
	case BODY_CHUNKED:
		if (http_dechunk(&st->chunked, p, len, &used,
		    &st->body) != PARSE_MORE) {
			evbuffer_drain(in, used);
			if (st->chunked.st != CH_DONE)	/* a bad chunk */
				st->body_cut = true;
			return true;
		}
		evbuffer_drain(in, used);
		break;
	case BODY_LENGTH:
		used = len < st->left ? len : (size_t)st->left;
		body_add(&st->body, p, used);
		st->left -= used;
		evbuffer_drain(in, used);
		if (st->left == 0)
			return true;
		break;
	case BODY_TO_EOF:
	default:
		body_add(&st->body, p, len);
		evbuffer_drain(in, len);
		break;
	}
	if (st->body.len >= HTTP_BODY_MAX) {
		st->body_cut = true;
		return true;
	}
	return false;
}

/* The trailer section after the last chunk (RFC 9112 7.1.2): lines up
 * to an empty one.  True when it is over. */
static bool
http_trailer_read(struct evbuffer *in)
{
	struct evbuffer_ptr	 eol;
	size_t			 n;

	for (;;) {
		eol = evbuffer_search_eol(in, NULL, &n, EVBUFFER_EOL_CRLF);
		if (eol.pos < 0)
			return false;
		evbuffer_drain(in, (size_t)eol.pos + n);
		if (eol.pos == 0)
			return true;
	}
}

static enum probe_status
http_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct http_state	*st = probe_state(s);
	struct http_response	 r;
	const uint8_t		*p;
	size_t			 len;

	for (;;) {
		switch (st->step) {
		case HTTP_HEAD:
			if ((len = evbuffer_get_length(in)) == 0)
				return PROBE_MORE;
			if ((p = evbuffer_pullup(in, -1)) == NULL)
				return PROBE_DONE;
			switch (http_parse_head(p, len, &r)) {
			case PARSE_OK:
				break;
			case PARSE_MORE:
				return PROBE_MORE;
			case PARSE_BAD:
			default:
				if (st->nresp == 0)
					return PROBE_MISMATCH;
				http_end(s, st);
				return PROBE_DONE;
			}
			/* An interim 1xx response: the final one follows. */
			if (r.status / 100 == 1 && r.status != HTTP_SWITCHING &&
			    !r.truncated) {
				evbuffer_drain(in, r.head_len);
				continue;
			}
			if (st->nresp == 0)
				http_record_head(s, &r);
			http_seen_head(st, &r);
			evbuffer_drain(in, r.head_len);
			if (!http_body_begin(st, &r) &&
			    http_answer(s, st, false))
				return PROBE_DONE;
			break;
		case HTTP_BODY:
			if (!http_body_read(st, in))
				return PROBE_MORE;
			if (st->mode == BODY_CHUNKED && !st->body_cut) {
				st->step = HTTP_TRAILER;
				break;
			}
			if (http_answer(s, st, false))
				return PROBE_DONE;
			break;
		case HTTP_TRAILER:
			if (!http_trailer_read(in))
				return PROBE_MORE;
			if (http_answer(s, st, false))
				return PROBE_DONE;
			break;
		case HTTP_OVER:
		default:
			return PROBE_DONE;
		}
	}
}

/* Closed early: a status line is worth recording, and so is the title
 * of the body read so far, and what the follow-ups learned. */
static void
http_on_eof(struct probe_session *s, struct evbuffer *in)
{
	struct http_state	*st = probe_state(s);
	struct http_response	 r;
	const uint8_t		*p;
	size_t			 len;

	switch (st->step) {
	case HTTP_BODY:
		http_body_read(st, in);
		http_answer(s, st, true);
		return;
	case HTTP_TRAILER:
		http_answer(s, st, true);
		return;
	case HTTP_HEAD:
		if (st->nresp == 0 && (len = evbuffer_get_length(in)) > 0 &&
		    (p = evbuffer_pullup(in, -1)) != NULL &&
		    http_parse_head(p, len, &r) != PARSE_BAD && r.status != 0)
			http_record_head(s, &r);
		if (st->nresp > 0)
			http_end(s, st);
		return;
	case HTTP_OVER:
	default:
		return;
	}
}

static void
http_on_close(struct probe_session *s)
{
	struct http_state	*st = probe_state(s);

	buf_fini(&st->body);
}

static const uint16_t http_ports[] = { 80, 8000, 8008, 8080, 0 };
static const uint16_t https_ports[] = { 443, 4443, 8443, 0 };

const struct probe probe_http = {
	.name		= "http",
	.service	= "http",
	.ports		= http_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= sizeof(struct http_state),
	.read_max	= 65536,
	.start		= http_start,
	.on_read	= http_on_read,
	.on_eof		= http_on_eof,
	.on_close	= http_on_close,
};

const struct probe probe_https = {
	.name		= "https",
	.service	= "https",
	.ports		= https_ports,
	.transport	= PROBE_TLS,
	.flags		= 0,
	.state_size	= sizeof(struct http_state),
	.read_max	= 131072,	/* "GET /" and the follow-ups */
	.start		= http_start,
	.on_read	= http_on_read,
	.on_eof		= http_on_eof,
	.on_close	= http_on_close,
	.then		= &probe_tls_legacy,
};
