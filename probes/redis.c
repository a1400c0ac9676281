/*
 * redis.c - Redis probe (port 6379).  Sends INFO server.  A bulk reply
 * with redis_version means commands run without authentication; the
 * errors NOAUTH and DENIED (protected mode) mean they do not.  Nothing is
 * read from or written to the database.
 */
#include "probes/redis.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

/* An inline command (RESP: commands may be sent as plain text lines). */
static const char	redis_info[] = "INFO server\r\n";

#define REDIS_DIGITS_MAX	19	/* of a length, sign apart */

static bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* A RESP integer: optional '-', then digits.  False when malformed. */
static bool
redis_int(const uint8_t *p, size_t n, int64_t *v)
{
	size_t	i = 0;
	bool	neg = false;

	*v = 0;
	if (n > 0 && p[0] == '-') {
		neg = true;
		i++;
	}
	if (i == n || n - i > REDIS_DIGITS_MAX - 1)
		return false;
	for (; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		*v = *v * 10 + (p[i] - '0');
	}
	if (neg)
		*v = -*v;
	return true;
}

enum parse_result
redis_parse_reply(const uint8_t *p, size_t len, struct redis_reply *r)
{
	const uint8_t	*nl;
	size_t		 n, linelen, hdr, avail;

	memset(r, 0, sizeof(*r));
	if (len == 0)
		return PARSE_MORE;
	r->type = (char)p[0];
	if (r->type != REDIS_SIMPLE && r->type != REDIS_ERROR &&
	    r->type != REDIS_INTEGER && r->type != REDIS_BULK &&
	    r->type != REDIS_ARRAY)
		return PARSE_BAD;
	n = len < REDIS_LINE_MAX ? len : REDIS_LINE_MAX;
	if ((nl = memchr(p, '\n', n)) == NULL)
		return len >= REDIS_LINE_MAX ? PARSE_BAD : PARSE_MORE;
	hdr = (size_t)(nl - p) + 1;
	linelen = hdr - 1;
	if (linelen > 0 && p[linelen - 1] == '\r')
		linelen--;
	if (memchr(p, '\0', linelen) != NULL)
		return PARSE_BAD;

	switch (r->type) {
	case REDIS_SIMPLE:
	case REDIS_ERROR:
		r->data = span_of(p + 1, linelen - 1);
		r->used = hdr;
		return PARSE_OK;
	case REDIS_INTEGER:
	case REDIS_ARRAY:
		if (!redis_int(p + 1, linelen - 1, &r->len))
			return PARSE_BAD;
		r->used = hdr;
		return PARSE_OK;
	case REDIS_BULK:
	default:
		if (!redis_int(p + 1, linelen - 1, &r->len) || r->len < -1 ||
		    r->len > REDIS_BULK_LIMIT)
			return PARSE_BAD;
		if (r->len == -1) {
			r->used = hdr;
			return PARSE_OK;
		}
		avail = len - hdr;
		if (avail >= (size_t)r->len + 2) {
			if (p[hdr + (size_t)r->len] != '\r' ||
			    p[hdr + (size_t)r->len + 1] != '\n')
				return PARSE_BAD;
			r->data = span_of(p + hdr, (size_t)r->len);
			r->used = hdr + (size_t)r->len + 2;
			return PARSE_OK;
		}
		if (r->len > REDIS_BULK_MAX && avail >= REDIS_BULK_MAX) {
			r->data = span_of(p + hdr, REDIS_BULK_MAX);
			r->truncated = true;
			r->used = hdr + REDIS_BULK_MAX;
			return PARSE_OK;
		}
		return PARSE_MORE;
	}
}

bool
redis_info_field(struct span info, const char *key, struct span *value)
{
	const uint8_t	*p = info.p, *end, *nl;
	size_t		 klen = strlen(key), n;

	*value = span_of(NULL, 0);
	if (info.len == 0)
		return false;
	end = info.p + info.len;
	while (p != NULL && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n > klen && memcmp(p, key, klen) == 0 && p[klen] == ':') {
			n -= klen + 1;
			if (n > 0 && p[klen + 1 + n - 1] == '\r')
				n--;
			*value = span_of(p + klen + 1, n);
			return true;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	return false;
}

/* A reply carrying INFO text: Redis, or a fork that says its name. */
static bool
redis_record_info(struct obs *obs, struct span info)
{
	struct span	v;

	if (!redis_info_field(info, "redis_version", &v))
		return false;
	obs_set_service(obs, "redis");
	obs_set(obs, "product", "Redis");
	obs_set_span(obs, "version", v);
	obs_set_span(obs, "redis.version", v);
	if (redis_info_field(info, "valkey_version", &v)) {
		obs_set(obs, "product", "Valkey");
		obs_set_span(obs, "version", v);
	}
	obs_set(obs, "redis.auth", "none");
	if (redis_info_field(info, "redis_mode", &v))
		obs_set_span(obs, "redis.mode", v);
	if (redis_info_field(info, "os", &v))
		obs_set_span(obs, "os", v);
	return true;
}

static bool
span_starts(struct span s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

/* An error reply.  Redis' errors start with an upper-case code word. */
bool
redis_record_error(struct obs *obs, struct span err)
{
	if (err.len == 0 || err.p[0] < 'A' || err.p[0] > 'Z')
		return false;
	obs_set_service(obs, "redis");
	obs_set(obs, "product", "Redis");
	obs_set_span(obs, "redis.error", err);
	if (span_starts(err, "NOAUTH") ||
	    span_starts(err, "ERR operation not permitted"))
		obs_set(obs, "redis.auth", "required");
	else if (span_starts(err, "DENIED"))
		obs_set(obs, "redis.auth", "protected");
	return true;
}

static int
redis_start(struct probe_session *s)
{
	return probe_write(s, redis_info, sizeof(redis_info) - 1);
}

static enum probe_status
redis_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct redis_reply	 r;
	const uint8_t		*p;
	size_t			 len;
	bool			 known = false;

	if ((len = evbuffer_get_length(in)) == 0)
		return PROBE_MORE;
	if ((p = evbuffer_pullup(in, -1)) == NULL)
		return PROBE_DONE;
	switch (redis_parse_reply(p, len, &r)) {
	case PARSE_OK:
		break;
	case PARSE_MORE:
		return PROBE_MORE;
	case PARSE_BAD:
	default:
		return PROBE_MISMATCH;
	}
	if (r.type == REDIS_BULK && r.len >= 0)
		known = redis_record_info(probe_obs(s), r.data);
	else if (r.type == REDIS_ERROR)
		known = redis_record_error(probe_obs(s), r.data);
	if (!known)
		return PROBE_MISMATCH;
	evbuffer_drain(in, r.used);
	return PROBE_DONE;
}

static const uint16_t redis_ports[] = { 6379, 0 };

const struct probe probe_redis = {
	.name		= "redis",
	.service	= "redis",
	.ports		= redis_ports,
	.transport	= PROBE_TCP,
	.flags		= 0,
	.state_size	= 0,
	.read_max	= 16384,
	.start		= redis_start,
	.on_read	= redis_on_read,
};
