/* test_redis.c - RESP reply parsing, INFO fields and the Redis probe
 * session. */
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
#include "probes/redis.h"
#include "harness.h"

#define PEER	"198.51.100.63"

static enum parse_result
parse(const char *s, struct redis_reply *r)
{
	return redis_parse_reply((const uint8_t *)s, strlen(s), r);
}

static void
test_reply_types(void **state)
{
	struct redis_reply	r;

	(void)state;
	assert_int_equal(parse("$5\r\nhello\r\nrest", &r), PARSE_OK);
	assert_int_equal(r.type, REDIS_BULK);
	assert_int_equal(r.len, 5);
	assert_true(span_eq_str(r.data, "hello"));
	assert_int_equal(r.used, 11);
	assert_false(r.truncated);

	assert_int_equal(parse("$0\r\n\r\n", &r), PARSE_OK);
	assert_int_equal(r.data.len, 0);
	assert_int_equal(parse("$-1\r\n", &r), PARSE_OK);
	assert_int_equal(r.len, -1);

	assert_int_equal(parse("-NOAUTH Authentication required.\r\n", &r),
	    PARSE_OK);
	assert_int_equal(r.type, REDIS_ERROR);
	assert_true(span_eq_str(r.data, "NOAUTH Authentication required."));

	assert_int_equal(parse("+OK\r\n", &r), PARSE_OK);
	assert_int_equal(r.type, REDIS_SIMPLE);
	assert_int_equal(parse(":-42\r\n", &r), PARSE_OK);
	assert_int_equal(r.len, -42);
	assert_int_equal(parse("*3\r\n", &r), PARSE_OK);
	assert_int_equal(r.len, 3);
}

static void
test_reply_incremental(void **state)
{
	static const char	in[] = "$11\r\nhello world\r\n";
	struct redis_reply	r;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(in) - 1; i++)
		assert_int_equal(redis_parse_reply((const uint8_t *)in, i, &r),
		    PARSE_MORE);
	assert_int_equal(redis_parse_reply((const uint8_t *)in, i, &r),
	    PARSE_OK);
}

static void
test_reply_rejects(void **state)
{
	static const char *const bad[] = {
		"HTTP/1.1 400 Bad Request\r\n", "$abc\r\n", "$-2\r\n",
		"$5\r\nhelloXX", ":\r\n", "*x\r\n", "$99999999999999999999\r\n",
		"$536870913\r\n", "SSH-2.0-x\r\n",
	};
	struct redis_reply	r;
	char			line[REDIS_LINE_MAX + 8];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), PARSE_BAD);
	memset(line, 'x', sizeof(line));
	line[0] = '-';
	assert_int_equal(redis_parse_reply((const uint8_t *)line,
	    sizeof(line), &r), PARSE_BAD);
	assert_int_equal(redis_parse_reply((const uint8_t *)line, 10, &r),
	    PARSE_MORE);
}

static void
test_reply_bulk_bound(void **state)
{
	struct redis_reply	 r;
	uint8_t			*buf;
	size_t			 hdr, len = REDIS_BULK_MAX + 100;

	(void)state;
	buf = malloc(len);
	assert_non_null(buf);
	memset(buf, 'x', len);
	hdr = (size_t)snprintf((char *)buf, 32, "$%d\r\n", 100000);
	buf[hdr - 1] = '\n';
	assert_int_equal(redis_parse_reply(buf, hdr + 10, &r), PARSE_MORE);
	assert_int_equal(redis_parse_reply(buf, len, &r), PARSE_OK);
	assert_true(r.truncated);
	assert_int_equal(r.data.len, REDIS_BULK_MAX);
	assert_int_equal(r.used, hdr + REDIS_BULK_MAX);
	free(buf);
}

static void
test_info_field(void **state)
{
	static const char	info[] = "# Server\r\nredis_version:7.0.15\r\n"
	    "redis_mode:standalone\r\nos:Linux 6.1.0 x86_64\nlast:x";
	struct span		v;

	(void)state;
	assert_true(redis_info_field(span_str(info), "redis_version", &v));
	assert_true(span_eq_str(v, "7.0.15"));
	assert_true(redis_info_field(span_str(info), "os", &v));
	assert_true(span_eq_str(v, "Linux 6.1.0 x86_64"));
	assert_true(redis_info_field(span_str(info), "last", &v));
	assert_true(span_eq_str(v, "x"));
	assert_false(redis_info_field(span_str(info), "redis", &v));
	assert_false(redis_info_field(span_str(info), "Server", &v));
	assert_false(redis_info_field(span_of(NULL, 0), "os", &v));
}

static enum probe_status
run_file(const char *name, struct obs *o)
{
	enum probe_status	 st;
	struct buf		 w;

	buf_init(&w, 64);
	st = harness_run_transcript(&probe_redis, "redis", name, PEER, 6379, o,
	    &w);
	assert_int_equal(w.len, 13);
	assert_memory_equal(w.data, "INFO server\r\n", 13);
	buf_fini(&w);
	return st;
}

/* Redis 7.0.15 on Debian 12: real replies. */
static void
test_session_redis_open(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("redis-7.0.15-info.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "redis");
	assert_string_equal(obs_get(&o, "product"), "Redis");
	assert_string_equal(obs_get(&o, "version"), "7.0.15");
	assert_string_equal(obs_get(&o, "redis.auth"), "none");
	assert_string_equal(obs_get(&o, "redis.mode"), "standalone");
	assert_string_equal(obs_get(&o, "os"), "Linux 6.1.0-28-amd64 x86_64");
	obs_fini(&o);
}

static void
test_session_redis_closed(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("redis-7.0.15-noauth.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "redis");
	assert_string_equal(obs_get(&o, "redis.auth"), "required");
	assert_string_equal(obs_get(&o, "redis.error"),
	    "NOAUTH Authentication required.");
	assert_null(obs_get(&o, "version"));
	obs_fini(&o);

	assert_int_equal(run_file("redis-7.0.15-denied.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "redis.auth"), "protected");
	obs_fini(&o);

	assert_int_equal(run_file("old-requirepass.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "redis.auth"), "required");
	obs_fini(&o);

	/* INFO renamed away: Redis, but nothing said about auth. */
	assert_int_equal(run_file("unknown-command.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "redis");
	assert_null(obs_get(&o, "redis.auth"));
	obs_fini(&o);
}

static void
test_session_bounds(void **state)
{
	struct obs	o;

	(void)state;
	/* A bulk longer than we keep: read what we keep. */
	assert_int_equal(run_file("huge-bulk.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "7.0.15");
	obs_fini(&o);

	assert_int_equal(run_file("truncated.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	static const char *const files[] = {
		"not-resp-http.bin", "not-redis-bulk.bin",
		"malformed-length.bin", "malformed-bulk-end.bin",
	};
	struct obs	o;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(run_file(files[i], &o), PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		assert_int_equal(o.n, 0);
		obs_fini(&o);
	}
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_redis.name, "redis");
	assert_int_equal(probe_redis.ports[0], 6379);
	assert_int_equal(probe_redis.ports[1], 0);
	assert_non_null(probe_redis.start);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_types),
		cmocka_unit_test(test_reply_incremental),
		cmocka_unit_test(test_reply_rejects),
		cmocka_unit_test(test_reply_bulk_bound),
		cmocka_unit_test(test_info_field),
		cmocka_unit_test(test_session_redis_open),
		cmocka_unit_test(test_session_redis_closed),
		cmocka_unit_test(test_session_bounds),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
