/*
 * Fuzz the HTTP response head parser, the chunked decoder, the Server
 * header and title parsers (probes/http.c), and the probe sessions: plain
 * HTTP (one answer), and HTTPS on 443, where the input is read as a run
 * of answers to "GET /" and the VPN portal follow-ups.  Built by `make
 * fuzz`; replayed over tests/fuzz/corpus/http_response/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probes/http.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response	r;
	struct http_server	srv;
	struct http_chunked	c;
	struct buf		body;
	enum parse_result	res;
	char			title[HTTP_TITLE_MAX];
	size_t			i, used, off = 0;

	res = http_parse_head(data, size, &r);
	if (res == PARSE_OK) {
		if (r.head_len > size || r.status < 100 || r.status > 999 ||
		    r.nheaders > HTTP_HEADERS_MAX || r.nauth > HTTP_AUTH_MAX)
			__builtin_trap();
		FUZZ_INSIDE(r.reason, data, size);
		FUZZ_INSIDE(r.server, data, size);
		FUZZ_INSIDE(r.powered_by, data, size);
		FUZZ_INSIDE(r.location, data, size);
		FUZZ_INSIDE(r.content_type, data, size);
		for (i = 0; i < r.nauth; i++)
			FUZZ_INSIDE(r.www_authenticate[i], data, size);
		if (r.ncookies > HTTP_COOKIES_MAX)
			__builtin_trap();
		for (i = 0; i < r.ncookies; i++)
			FUZZ_INSIDE(r.set_cookie[i], data, size);
		http_parse_server(r.server, &srv);
		FUZZ_INSIDE(srv.product, data, size);
		FUZZ_INSIDE(srv.version, data, size);
		FUZZ_INSIDE(srv.os, data, size);
		off = r.head_len;
	}

	/* What follows the head, as a chunked body. */
	memset(&c, 0, sizeof(c));
	buf_init(&body, HTTP_BODY_MAX);
	res = http_dechunk(&c, data + off, size - off, &used, &body);
	if (used > size - off || body.len > HTTP_BODY_MAX)
		__builtin_trap();
	if (res == PARSE_MORE && used != size - off)
		__builtin_trap();
	buf_fini(&body);

	res = http_parse_title(data, size, title, sizeof(title));
	if (strlen(title) >= sizeof(title))
		__builtin_trap();
	(void)res;
	fuzz_session(&probe_http, 80, data, size);
	fuzz_session(&probe_https, 443, data, size);
	return 0;
}
