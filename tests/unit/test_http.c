/* test_http.c - HTTP head, chunked coding, Server header and title
 * parsing, the request builder, and the HTTP and HTTPS probe sessions
 * (the VPN portal follow-ups have their own tests: test_vpn_portal.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/http.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.80"

static enum parse_result
head(const char *s, struct http_response *r)
{
	return http_parse_head((const uint8_t *)s, strlen(s), r);
}

static void
test_head_fields(void **state)
{
	static const char	in[] = "HTTP/1.1 302 Found\r\n"
	    "server:  Apache/2.4.57 (Debian) \r\n"
	    "X-Powered-By: PHP/8.2.7\r\n"
	    "Location: https://intranet.example.org/\r\n"
	    "WWW-Authenticate: Negotiate\r\n"
	    "WWW-Authenticate: NTLM\r\n"
	    "Content-Length: 0\r\n"
	    " folded continuation\r\n"
	    "not a header\r\n"
	    "\r\nbody";
	struct http_response	r;

	(void)state;
	assert_int_equal(head(in, &r), PARSE_OK);
	assert_int_equal(r.status, 302);
	assert_int_equal(r.version, 11);
	assert_true(span_eq_str(r.reason, "Found"));
	assert_true(span_eq_str(r.server, "Apache/2.4.57 (Debian)"));
	assert_true(span_eq_str(r.powered_by, "PHP/8.2.7"));
	assert_true(span_eq_str(r.location, "https://intranet.example.org/"));
	assert_int_equal(r.nauth, 2);
	assert_true(span_eq_str(r.www_authenticate[1], "NTLM"));
	assert_true(r.has_length);
	assert_int_equal(r.content_length, 0);
	assert_false(r.chunked);
	assert_false(r.truncated);
	assert_int_equal(r.nheaders, 7);
	assert_int_equal(r.head_len, strlen(in) - 4);
}

static void
test_head_connection_cookies(void **state)
{
	static const char	in[] = "HTTP/1.1 200 OK\r\n"
	    "Set-Cookie: webvpncontext=; path=/; Secure\r\n"
	    "Set-Cookie: NSC_TMAS=1\r\n"
	    "Connection: Keep-Alive, Close\r\n"
	    "X-Transcend-Version: 1\r\n"
	    "\r\n";
	struct http_response	r;
	char			many[64 + HTTP_COOKIES_MAX * 16];
	size_t			i, o;

	(void)state;
	assert_int_equal(head(in, &r), PARSE_OK);
	assert_int_equal(r.ncookies, 2);
	assert_true(span_eq_str(r.set_cookie[1], "NSC_TMAS=1"));
	assert_true(r.close);
	assert_true(r.transcend);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nConnection: keep-alive"
	    "\r\n\r\n", &r), PARSE_OK);
	assert_false(r.close);
	assert_false(r.transcend);
	/* Cookies past HTTP_COOKIES_MAX are not kept. */
	o = (size_t)snprintf(many, sizeof(many), "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < HTTP_COOKIES_MAX + 2; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o,
		    "Set-Cookie: c%zu=\r\n", i);
	snprintf(many + o, sizeof(many) - o, "\r\n");
	assert_int_equal(head(many, &r), PARSE_OK);
	assert_int_equal(r.ncookies, HTTP_COOKIES_MAX);
}

static void
test_head_status_lines(void **state)
{
	struct http_response	r;

	(void)state;
	assert_int_equal(head("HTTP/1.0 404\r\n\r\n", &r), PARSE_OK);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.version, 10);
	assert_int_equal(r.reason.len, 0);
	assert_int_equal(head("HTTP/2 200 OK\n\n", &r), PARSE_OK);
	assert_int_equal(r.version, 20);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, "
	    "chunked\r\n\r\n", &r), PARSE_OK);
	assert_true(r.chunked);
	assert_int_equal(head("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n"
	    "\r\n", &r), PARSE_OK);
	assert_false(r.has_length);
}

static void
test_head_incremental_and_bad(void **state)
{
	static const char *const bad[] = {
		"SSH-2.0-OpenSSH\r\n", "HTTP/1.1 OK\r\n", "HTTP/x.1 200 OK\r\n",
		"HTTP/1.1 099 x\r\n", "HTTP/1.1 2000 x\r\n", "http/1.1 200 OK",
		"HTTPS", "RTSP/1.0 200 OK\r\n",
	};
	static const char	in[] = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n";
	struct http_response	r;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(head(bad[i], &r), PARSE_BAD);
	for (i = 0; i < sizeof(in) - 1; i++)
		assert_int_equal(http_parse_head((const uint8_t *)in, i, &r),
		    PARSE_MORE);
	assert_int_equal(http_parse_head((const uint8_t *)in, i, &r),
	    PARSE_OK);
	/* Headers seen so far are there while more is awaited. */
	assert_int_equal(head("HTTP/1.1 200 OK\r\nServer: x\r\nDa", &r),
	    PARSE_MORE);
	assert_int_equal(r.status, 200);
	assert_true(span_eq_str(r.server, "x"));
}

static void
test_head_bounds(void **state)
{
	struct http_response	 r;
	char			*buf;
	size_t			 i, o;

	(void)state;
	buf = malloc(HTTP_HEAD_MAX + 64);
	assert_non_null(buf);
	/* A status line that never ends. */
	memcpy(buf, "HTTP/1.1 200 ", 13);
	memset(buf + 13, 'x', HTTP_HEAD_MAX);
	assert_int_equal(http_parse_head((const uint8_t *)buf, 2000, &r),
	    PARSE_BAD);
	/* Headers beyond HTTP_HEAD_MAX: stop, truncated. */
	o = (size_t)snprintf(buf, 64, "HTTP/1.1 200 OK\r\nServer: a\r\n");
	memset(buf + o, 'y', HTTP_HEAD_MAX + 64 - o);
	assert_int_equal(http_parse_head((const uint8_t *)buf,
	    HTTP_HEAD_MAX + 64, &r), PARSE_OK);
	assert_true(r.truncated);
	assert_int_equal(r.head_len, o);
	assert_true(span_eq_str(r.server, "a"));
	/* More than HTTP_HEADERS_MAX headers. */
	o = (size_t)snprintf(buf, 64, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < HTTP_HEADERS_MAX + 5; i++) {
		memcpy(buf + o, "A: b\r\n", 6);
		o += 6;
	}
	assert_int_equal(http_parse_head((const uint8_t *)buf, o, &r),
	    PARSE_OK);
	assert_true(r.truncated);
	assert_int_equal(r.nheaders, HTTP_HEADERS_MAX);
	free(buf);
}

static void
test_dechunk(void **state)
{
	static const char	in[] = "4;ext=1\r\nWiki\r\n5\r\npedia\r\n"
	    "E\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
	struct http_chunked	c;
	struct buf		body;
	size_t			used, i;

	(void)state;
	memset(&c, 0, sizeof(c));
	buf_init(&body, 64);
	assert_int_equal(http_dechunk(&c, (const uint8_t *)in, sizeof(in) - 1,
	    &used, &body), PARSE_OK);
	assert_int_equal(used, sizeof(in) - 3);	/* trailers not read */
	assert_int_equal(body.len, 23);
	assert_memory_equal(body.data, "Wikipedia in\r\n\r\nchunks.", 23);
	buf_fini(&body);

	/* One byte at a time. */
	memset(&c, 0, sizeof(c));
	buf_init(&body, 64);
	for (i = 0; i < sizeof(in) - 3; i++)
		assert_int_equal(http_dechunk(&c, (const uint8_t *)in + i, 1,
		    &used, &body), i == sizeof(in) - 4 ? PARSE_OK :
		    PARSE_MORE);
	assert_int_equal(body.len, 23);
	buf_fini(&body);

	/* The body is cut at its ceiling; decoding goes on. */
	memset(&c, 0, sizeof(c));
	buf_init(&body, 6);
	assert_int_equal(http_dechunk(&c, (const uint8_t *)in, sizeof(in) - 1,
	    &used, &body), PARSE_OK);
	assert_int_equal(body.len, 6);
	buf_fini(&body);
}

static void
test_dechunk_bad(void **state)
{
	static const char *const bad[] = {
		"zz\r\n", "\r\n", "4\r\nWikiX", "10000000000000000\r\n",
		"4 x\r\nWiki\r\n-",
	};
	struct http_chunked	c;
	struct buf		body;
	size_t			used, i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		buf_init(&body, 64);
		assert_int_equal(http_dechunk(&c, (const uint8_t *)bad[i],
		    strlen(bad[i]), &used, &body), PARSE_BAD);
		buf_fini(&body);
	}
}

static enum parse_result
title(const char *html, char *out, size_t outlen)
{
	return http_parse_title((const uint8_t *)html, strlen(html), out,
	    outlen);
}

static void
test_title(void **state)
{
	char	t[64];

	(void)state;
	assert_int_equal(title("<html><head><title>Welcome to nginx!</title>",
	    t, sizeof(t)), PARSE_OK);
	assert_string_equal(t, "Welcome to nginx!");
	assert_int_equal(title("<TITLE lang=fr>\n  Caf&eacute;  &amp;\t"
	    "&#x2603; &lt;b&gt; &quot;x&quot;&#39;&nbsp;&#233;\r\n</TiTlE>",
	    t, sizeof(t)), PARSE_OK);
	assert_string_equal(t,
	    "Caf&eacute; & \xe2\x98\x83 <b> \"x\"' \xc3\xa9");
	/* <titlebar> is not <title>. */
	assert_int_equal(title("<titlebar>x</titlebar><title>y</title>", t,
	    sizeof(t)), PARSE_OK);
	assert_string_equal(t, "y");
	/* Open and unterminated: what there is. */
	assert_int_equal(title("<title>Welcome to ng", t, sizeof(t)),
	    PARSE_MORE);
	assert_string_equal(t, "Welcome to ng");
	assert_int_equal(title("<title", t, sizeof(t)), PARSE_MORE);
	assert_int_equal(title("<h1>no title</h1>", t, sizeof(t)), PARSE_BAD);
	/* Bad references stay literal; the output is bounded. */
	assert_int_equal(title("<title>&#0; &#xd800; &#99999999; &x;</title>",
	    t, sizeof(t)), PARSE_OK);
	assert_string_equal(t, "&#0; &#xd800; &#99999999; &x;");
	assert_int_equal(title("<title>abcdefghij</title>", t, 5), PARSE_OK);
	assert_string_equal(t, "abcd");
	/* A raw UTF-8 "à" (c3 a0) is not a no-break space. */
	assert_int_equal(title("<title>voil\xc3\xa0</title>", t, sizeof(t)),
	    PARSE_OK);
	assert_string_equal(t, "voil\xc3\xa0");
}

static void
check_server(const char *v, const char *product, const char *name,
    const char *version, const char *os)
{
	struct http_server	s;

	http_parse_server(span_str(v), &s);
	assert_true(span_eq_str(s.product, product));
	if (name == NULL)
		assert_null(s.name);
	else
		assert_string_equal(s.name, name);
	assert_true(span_eq_str(s.version, version));
	assert_true(span_eq_str(s.os, os));
}

static void
test_server_header(void **state)
{
	(void)state;
	check_server("nginx/1.22.1", "nginx", NULL, "1.22.1", "");
	check_server("Apache/2.4.57 (Debian)", "Apache", "Apache httpd",
	    "2.4.57", "Debian");
	check_server("Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f", "Apache",
	    "Apache httpd", "2.4.41", "Ubuntu");
	check_server("Microsoft-IIS/10.0", "Microsoft-IIS", NULL, "10.0", "");
	check_server("Apache", "Apache", "Apache httpd", "", "");
	check_server("cloudflare", "cloudflare", NULL, "", "");
	check_server("Foo/bar", "Foo", NULL, "", "");
	check_server("", "", NULL, "", "");
}

static void
test_build_request(void **state)
{
	char	req[512];

	(void)state;
	assert_int_not_equal(http_build_request(req, sizeof(req),
	    "198.51.100.80", 80, false, "Vigie/0.1"), 0);
	assert_string_equal(req, "GET / HTTP/1.1\r\nHost: 198.51.100.80\r\n"
	    "User-Agent: Vigie/0.1\r\nAccept: */*\r\n"
	    "Connection: close\r\n\r\n");
	assert_int_not_equal(http_build_request(req, sizeof(req),
	    "2001:db8::1", 8443, true, "V"), 0);
	assert_non_null(strstr(req, "\r\nHost: [2001:db8::1]:8443\r\n"));
	assert_int_not_equal(http_build_request(req, sizeof(req),
	    "www.example.org", 443, true, "V"), 0);
	assert_non_null(strstr(req, "\r\nHost: www.example.org\r\n"));
	assert_int_equal(http_build_request(req, sizeof(req),
	    "evil\r\nX: y", 80, false, "V"), 0);
	assert_int_equal(http_build_request(req, 20, "a", 80, false, "V"), 0);
}

static void
test_build(void **state)
{
	static const char		body[] = "<config-auth/>";
	const struct http_request	post = {
		.method = "POST", .path = "/", .headers = "X-A: 1\r\n",
		.body = body, .body_len = sizeof(body) - 1,
	};
	const struct http_request	empty = {
		.method = "POST", .path = "/nf", .headers = "",
	};
	struct http_request		bad = post;
	char				req[512], hp[64];

	(void)state;
	assert_int_not_equal(http_build(req, sizeof(req), &post,
	    "vpn.example.org", 443, true, "V"), 0);
	assert_string_equal(req, "POST / HTTP/1.1\r\nHost: vpn.example.org"
	    "\r\nUser-Agent: V\r\nAccept: */*\r\nX-A: 1\r\n"
	    "Content-Length: 14\r\n\r\n<config-auth/>");
	/* A POST without a body still says its length. */
	assert_int_not_equal(http_build(req, sizeof(req), &empty, "h", 8443,
	    true, "V"), 0);
	assert_non_null(strstr(req, "POST /nf HTTP/1.1\r\nHost: h:8443\r\n"));
	assert_non_null(strstr(req, "\r\nContent-Length: 0\r\n\r\n"));
	assert_null(strstr(req, "Connection"));
	/* Nothing that would split the request line. */
	bad.path = "/ HTTP/1.0\r\nX: y";
	assert_int_equal(http_build(req, sizeof(req), &bad, "h", 443, true,
	    "V"), 0);
	bad.path = "/a b";
	assert_int_equal(http_build(req, sizeof(req), &bad, "h", 443, true,
	    "V"), 0);
	bad = post;
	bad.method = "GET\n";
	assert_int_equal(http_build(req, sizeof(req), &bad, "h", 443, true,
	    "V"), 0);
	/* The body must fit too. */
	assert_int_equal(http_build(req, 98, &post, "h", 443, true, "V"), 0);
	assert_int_equal(http_build(req, 99, &post, "h", 443, true, "V"), 98);

	assert_int_equal(http_hostport(hp, sizeof(hp), "2001:db8::1", 443,
	    true), 13);
	assert_string_equal(hp, "[2001:db8::1]");
	assert_int_not_equal(http_hostport(hp, sizeof(hp), "h", 80, true), 0);
	assert_string_equal(hp, "h:80");
	assert_int_equal(http_hostport(hp, sizeof(hp), "a b", 80, false), 0);
	assert_int_equal(http_hostport(hp, 4, "host", 80, false), 0);
}

static enum probe_status
run_with(const struct probe *mod, uint16_t port, const char *name,
    struct obs *o)
{
	return harness_run_transcript(mod, "http", name, PEER, port, o, NULL);
}

static enum probe_status
run_file(const char *name, struct obs *o)
{
	return run_with(&probe_http, 80, name, o);
}

/* nginx 1.22.1 on Debian 12: real bytes. */
static void
test_session_nginx(void **state)
{
	static const char	want[] = "GET / HTTP/1.1\r\nHost: " PEER
	    ":8080\r\nUser-Agent: Vigie/";
	struct obs		o;
	struct buf		w;

	(void)state;
	assert_int_equal(run_file("nginx-1.22.1.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "http");
	assert_string_equal(obs_get(&o, "http.status"), "200");
	assert_string_equal(obs_get(&o, "http.server"), "nginx/1.22.1");
	assert_string_equal(obs_get(&o, "product"), "nginx");
	assert_string_equal(obs_get(&o, "version"), "1.22.1");
	assert_string_equal(obs_get(&o, "http.title"), "Welcome to nginx!");
	assert_string_equal(obs_get(&o, "http.content_type"), "text/html");
	assert_null(obs_get(&o, "http.os"));
	assert_null(obs_get(&o, "http.location"));
	obs_fini(&o);

	assert_int_equal(run_file("nginx-1.22.1-404.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "404");
	assert_string_equal(obs_get(&o, "http.title"), "404 Not Found");
	obs_fini(&o);

	assert_int_equal(run_file("nginx-1.22.1-301.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "301");
	assert_string_equal(obs_get(&o, "http.location"),
	    "http://127.0.0.1:8081/elsewhere/");
	obs_fini(&o);

	assert_int_equal(run_file("nginx-1.22.1-chunked.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.title"), "Chunked & <fine>");
	obs_fini(&o);

	/* What the probe sends. */
	buf_init(&w, 1024);
	assert_int_equal(harness_run_io(&probe_http, PEER, 8080, NULL, 0,
	    HARNESS_WHOLE, &o, &w), PROBE_MORE);
	assert_true(w.len > sizeof(want) && w.len < 300);
	assert_memory_equal(w.data, want, sizeof(want) - 1);
	assert_memory_equal(w.data + w.len - 23,
	    "\r\nConnection: close\r\n\r\n", 23);
	assert_string_equal(o.service, "");
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("apache-2.4.57-debian.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "Apache httpd");
	assert_string_equal(obs_get(&o, "version"), "2.4.57");
	assert_string_equal(obs_get(&o, "http.os"), "Debian");
	assert_string_equal(obs_get(&o, "http.title"),
	    "Apache2 Debian Default Page: It works");
	obs_fini(&o);

	assert_int_equal(run_file("iis-10-401.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "401");
	assert_string_equal(obs_get(&o, "product"), "Microsoft-IIS");
	assert_string_equal(obs_get(&o, "version"), "10.0");
	assert_string_equal(obs_get(&o, "http.powered_by"), "ASP.NET");
	assert_string_equal(obs_get(&o, "http.www_authenticate"),
	    "Negotiate, NTLM");
	assert_string_equal(obs_get(&o, "http.title"), "401 - Unauthorized: "
	    "Access is denied due to invalid credentials.");
	obs_fini(&o);

	/* HTTP/1.0, no length: the body ends with the connection. */
	assert_int_equal(run_file("http10-until-eof.bin", &o), PROBE_MORE);
	assert_string_equal(obs_get(&o, "product"), "lighttpd");
	assert_string_equal(obs_get(&o, "http.powered_by"), "PHP/8.2.7");
	assert_string_equal(obs_get(&o, "http.title"),
	    "Caf&eacute; & \xe2\x98\x83 <Admin> Panel\xc3\xa9");
	obs_fini(&o);

	assert_int_equal(run_file("100-continue.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "301");
	obs_fini(&o);

	assert_int_equal(run_file("204-no-content.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "204");
	assert_null(obs_get(&o, "http.title"));
	obs_fini(&o);
}

static void
test_session_bounds(void **state)
{
	struct obs	o;

	(void)state;
	/* 100 headers read, then stop: what was seen is kept. */
	assert_int_equal(run_file("many-headers.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "200");
	assert_string_equal(obs_get(&o, "product"), "nginx");
	assert_null(obs_get(&o, "http.title"));
	obs_fini(&o);

	/* The title comes after HTTP_BODY_MAX bytes: not read. */
	assert_int_equal(run_file("big-body.bin", &o), PROBE_DONE);
	assert_null(obs_get(&o, "http.title"));
	obs_fini(&o);

	/* A broken chunk size ends the body; the head is kept. */
	assert_int_equal(run_file("bad-chunk.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "http.status"), "200");
	obs_fini(&o);
}

static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated-head.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "http");
	assert_string_equal(obs_get(&o, "http.status"), "200");
	assert_string_equal(obs_get(&o, "version"), "1.22.1");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-body.bin", &o), PROBE_MORE);
	assert_string_equal(obs_get(&o, "http.title"), "Welcome to ng");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-status.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("not-http-ssh.bin", &o), PROBE_MISMATCH);
	assert_string_equal(o.service, "");
	obs_fini(&o);
	assert_int_equal(run_file("malformed-status.bin", &o), PROBE_MISMATCH);
	obs_fini(&o);
}

/* Same conversation over TLS: service "https", 443 is the default. */
static void
test_session_https(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_with(&probe_https, 443, "nginx-1.22.1.bin", &o),
	    PROBE_DONE);
	assert_string_equal(o.service, "https");
	assert_string_equal(obs_get(&o, "http.title"), "Welcome to nginx!");
	obs_fini(&o);

	buf_init(&w, 1024);
	harness_run_io(&probe_https, PEER, 443, NULL, 0, HARNESS_WHOLE, &o,
	    &w);
	assert_true(w.len > 38);
	assert_memory_equal(w.data, "GET / HTTP/1.1\r\nHost: " PEER "\r\n",
	    37);
	/* Kept alive, for the portal follow-ups. */
	assert_null(memmem(w.data, w.len, "Connection", 10));
	obs_fini(&o);
	buf_fini(&w);
}

/* CAPTURED: the lab's nginx on h1:443 answering the four requests sent
 * blind on a port where portals are common; nothing recognised. */
static void
test_session_https_blind(void **state)
{
	struct obs	o;
	struct buf	w;
	uint8_t		*data;
	size_t		 len;

	(void)state;
	data = harness_load_file("../transcripts/http/"
	    "nginx-1.22.1-vpn-blind.bin", &len);
	buf_init(&w, 1 << 16);
	assert_int_equal(harness_run_chunks(&probe_https, PEER, 443, data, len,
	    &o, &w), PROBE_DONE);
	free(data);
	assert_string_equal(obs_get(&o, "http.status"), "200");
	assert_string_equal(obs_get(&o, "http.title"),
	    "CHU de D\xc3\xa9mo \xe2\x80\x94 Portail patients");
	assert_string_equal(obs_get(&o, "vpn.requests"), "POST / 405, "
	    "GET /global-protect/prelogin.esp?tmp=tmp&clientVer=4100"
	    "&clientos=Windows 404, GET /remote/login?lang=en 404, "
	    "GET /dana-na/auth/url_default/welcome.cgi 404");
	assert_null(obs_get(&o, "vpn.product"));
	assert_null(obs_get(&o, "vpn.auth_fields"));
	assert_non_null(memmem(w.data, w.len, "\r\nX-Aggregate-Auth: 1\r\n",
	    23));
	obs_fini(&o);
	buf_fini(&w);

	/* The same bytes on plain HTTP: one request, no follow-up. */
	data = harness_load_file("../transcripts/http/"
	    "nginx-1.22.1-vpn-blind.bin", &len);
	assert_int_equal(harness_run_chunks(&probe_http, PEER, 443, data, len,
	    &o, NULL), PROBE_DONE);
	free(data);
	assert_null(obs_get(&o, "vpn.requests"));
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	static const uint16_t	http_ports[] = { 80, 8000, 8008, 8080, 0 };
	static const uint16_t	https_ports[] = { 443, 4443, 8443, 0 };

	(void)state;
	assert_memory_equal(probe_http.ports, http_ports, sizeof(http_ports));
	assert_memory_equal(probe_https.ports, https_ports,
	    sizeof(https_ports));
	assert_int_equal(probe_http.transport, PROBE_TCP);
	assert_int_equal(probe_https.transport, PROBE_TLS);
	assert_true(probe_http.on_read == probe_https.on_read);
	assert_int_equal(probe_http.read_max, 65536);
	assert_int_equal(probe_https.read_max, 131072);
	/* The TLS measurements follow an HTTPS answer. */
	assert_non_null(probe_https.then);
	assert_string_equal(probe_https.then->name, "tls_legacy");
	assert_null(probe_http.then);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_fields),
		cmocka_unit_test(test_head_connection_cookies),
		cmocka_unit_test(test_head_status_lines),
		cmocka_unit_test(test_head_incremental_and_bad),
		cmocka_unit_test(test_head_bounds),
		cmocka_unit_test(test_dechunk),
		cmocka_unit_test(test_dechunk_bad),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_server_header),
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_session_nginx),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_bounds),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_session_https),
		cmocka_unit_test(test_session_https_blind),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
