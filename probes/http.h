/*
 * http.h - the HTTP probe's pure parsers: the response head (RFC 9112,
 * sections 4 and 5), the chunked transfer coding (section 7.1), the
 * Server header and the page title; and the request builder.  For tests
 * and fuzzers.
 */
#ifndef VIGIE_PROBES_HTTP_H
#define VIGIE_PROBES_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

#define HTTP_HEAD_MAX		16384	/* status line and headers */
#define HTTP_HEADERS_MAX	100
#define HTTP_BODY_MAX		32768	/* body bytes read for the title */
#define HTTP_TITLE_MAX		512
#define HTTP_AUTH_MAX		4	/* WWW-Authenticate headers kept */
#define HTTP_COOKIES_MAX	8	/* Set-Cookie headers kept */

/*
 * A response head.  Spans point into the parsed bytes; an absent header
 * is an empty span.
 */
struct http_response {
	unsigned int	 status;	/* 0 until the status line is read */
	unsigned int	 version;	/* 10 for HTTP/1.0, 11 for HTTP/1.1 */
	struct span	 reason;
	struct span	 server;
	struct span	 powered_by;	/* X-Powered-By */
	struct span	 location;
	struct span	 content_type;
	struct span	 www_authenticate[HTTP_AUTH_MAX];
	size_t		 nauth;
	struct span	 set_cookie[HTTP_COOKIES_MAX];
	size_t		 ncookies;
	bool		 close;		/* Connection: close */
	bool		 transcend;	/* X-Transcend-Version (AnyConnect) */
	bool		 chunked;	/* Transfer-Encoding ends in chunked */
	bool		 has_length;
	uint64_t	 content_length;
	size_t		 nheaders;
	bool		 truncated;	/* a bound stopped the head */
	size_t		 head_len;	/* bytes read, blank line included */
};

/*
 * Parse a response head.  PARSE_OK at the blank line ending it, or at
 * HTTP_HEADERS_MAX headers or HTTP_HEAD_MAX bytes (then `truncated`, and
 * head_len counts the complete lines read).  PARSE_MORE before that, with
 * the status line and the complete headers so far in `r`.  PARSE_BAD when
 * the bytes do not start with a status line ("HTTP/1.1 200 OK").
 */
enum parse_result	http_parse_head(const uint8_t *, size_t,
			    struct http_response *);

/* State of the chunked decoder; all zero to start. */
struct http_chunked {
	uint8_t		 st;
	uint8_t		 digits;
	uint64_t	 left;		/* bytes left in the current chunk */
};

/*
 * Decode chunked bytes, appending the data to `body` as long as it has
 * room (the rest is dropped).  Sets *used to the bytes consumed.
 * PARSE_OK at the last chunk (trailers are not read), PARSE_MORE when all
 * bytes were consumed, PARSE_BAD on a malformed chunk size line.
 */
enum parse_result	http_dechunk(struct http_chunked *, const uint8_t *,
			    size_t, size_t *used, struct buf *body);

/*
 * The <title> of an HTML page: entities decoded (the five XML ones,
 * &nbsp; and numeric references), white space collapsed, trimmed, into
 * out (NUL-terminated, truncated).  PARSE_OK when </title> was found,
 * PARSE_MORE when the title is open but unterminated (out holds what
 * there is), PARSE_BAD when the body has no <title>.
 */
enum parse_result	http_parse_title(const uint8_t *, size_t, char *out,
			    size_t outlen);

/*
 * Split a Server header value: "Apache/2.4.57 (Debian)" gives product
 * "Apache", name "Apache httpd", version "2.4.57" and os "Debian";
 * "nginx/1.22.1" gives nginx and 1.22.1.  `name` is a static canonical
 * spelling, or NULL when the product span should be used as it is.
 */
struct http_server {
	struct span	 product;
	const char	*name;
	struct span	 version;
	struct span	 os;
};

void			http_parse_server(struct span, struct http_server *);

/* A request: method and path, extra header lines (each ending in CR LF,
 * "" for none), a body (Content-Length is sent for it, and for every
 * POST), and whether to ask the server to close after answering. */
struct http_request {
	const char	*method;
	const char	*path;
	const char	*headers;
	const char	*body;
	size_t		 body_len;
	bool		 close;
};

/*
 * The Host header's value into out: the host, with the port when it is
 * not the scheme's default, an IPv6 literal bracketed.  Its length, or 0
 * when it does not fit or the host holds a control byte or a space.
 */
size_t			http_hostport(char *out, size_t outlen,
			    const char *host, uint16_t port, bool tls);

/*
 * Write a request into out: its request line, Host, User-Agent, Accept,
 * then the extra headers, Content-Length and "Connection: close" when
 * asked, and the body, NUL-terminated.  Returns its length (without the
 * NUL), or 0 when it does not fit or a field would break the request (a
 * control byte in the host, user agent, method or path, a space in the
 * host, method or path).
 */
size_t			http_build(char *out, size_t outlen,
			    const struct http_request *, const char *host,
			    uint16_t port, bool tls, const char *user_agent);

/* "GET / HTTP/1.1" with "Connection: close": http_build() for the first
 * request of a plain-HTTP session. */
size_t			http_build_request(char *out, size_t outlen,
			    const char *host, uint16_t port, bool tls,
			    const char *user_agent);

#endif /* VIGIE_PROBES_HTTP_H */
