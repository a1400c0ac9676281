/* test_pgsql.c - the requests the PostgreSQL probe sends, the backend
 * message parsers, and the probe session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/pgsql.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.60"

/* SSLRequest: length 8, code 1234 << 16 | 5679 (55.7). */
static const uint8_t	ssl_request[] = {
	0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f,
};

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *written)
{
	return harness_run_transcript(&probe_pgsql, "pgsql", name, PEER, 5432,
	    o, written);
}

static void
test_build(void **state)
{
	static const uint8_t	startup[] = {
		0x00, 0x00, 0x00, 0x3a, 0x00, 0x03, 0x00, 0x00,
		'u', 's', 'e', 'r', 0, 'v', 'i', 'g', 'i', 'e', 0,
		'd', 'a', 't', 'a', 'b', 'a', 's', 'e', 0,
		'v', 'i', 'g', 'i', 'e', 0,
		'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', '_',
		'n', 'a', 'm', 'e', 0, 'v', 'i', 'g', 'i', 'e', 0, 0,
	};
	uint8_t			out[PGSQL_STARTUP_MAX];

	(void)state;
	assert_int_equal(pgsql_build_ssl_request(out, sizeof(out)), 8);
	assert_memory_equal(out, ssl_request, 8);
	assert_int_equal(pgsql_build_ssl_request(out, 7), 0);
	assert_int_equal(pgsql_build_startup(out, sizeof(out), "vigie",
	    "vigie"), sizeof(startup));
	assert_memory_equal(out, startup, sizeof(startup));
	assert_int_equal(pgsql_build_startup(out, sizeof(startup) - 1,
	    "vigie", "vigie"), 0);
	assert_int_equal(pgsql_build_startup(out, 9, "vigie", "vigie"), 0);
}

static void
test_parse_msg(void **state)
{
	static const uint8_t	auth[] = {
		'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4, 'Z',
	};
	struct pgsql_msg	m;
	struct pgsql_auth	a;
	size_t			i;

	(void)state;
	assert_int_equal(pgsql_parse_msg(auth, sizeof(auth), &m), PARSE_OK);
	assert_int_equal(m.type, 'R');
	assert_int_equal(m.used, 13);
	assert_int_equal(m.body.len, 8);
	assert_int_equal(pgsql_parse_auth(m.body, &a), PARSE_OK);
	assert_int_equal(a.code, PGSQL_AUTH_MD5);
	assert_string_equal(pgsql_auth_name(&a), "md5");
	for (i = 0; i < 13; i++)
		assert_int_equal(pgsql_parse_msg(auth, i, &m), PARSE_MORE);
	assert_int_equal(pgsql_parse_msg((const uint8_t *)"R\0\0\0\3", 5, &m),
	    PARSE_BAD);
	assert_int_equal(pgsql_parse_msg((const uint8_t *)"R\0\1", 3, &m),
	    PARSE_BAD);
	assert_int_equal(pgsql_parse_msg((const uint8_t *)"\x16\x03", 2, &m),
	    PARSE_BAD);
	assert_int_equal(pgsql_parse_auth(span_of("\0\0", 2), &a),
	    PARSE_BAD);
}

static void
test_parse_error(void **state)
{
	static const char	body[] = "SFATAL\0VFATAL\0C28000\0Mno entry\0"
	    "Fauth.c\0L544\0RClientAuthentication\0Xfuture\0";
	struct pgsql_error	e;

	(void)state;
	assert_int_equal(pgsql_parse_error(span_of(body, sizeof(body)), &e),
	    PARSE_OK);
	assert_true(span_eq_str(e.code, "28000"));
	assert_true(span_eq_str(e.message, "no entry"));
	assert_true(span_eq_str(e.line, "544"));
	assert_true(span_eq_str(e.routine, "ClientAuthentication"));
	/* Not closed by a zero byte, or a field without its NUL. */
	assert_int_equal(pgsql_parse_error(span_of(body, sizeof(body) - 1),
	    &e), PARSE_BAD);
	assert_int_equal(pgsql_parse_error(span_of("C28000", 6), &e),
	    PARSE_BAD);
	assert_int_equal(pgsql_parse_error(span_of("", 0), &e), PARSE_BAD);
}

/* Debian 12's PostgreSQL 15, pg_hba.conf with local lines only: 'N',
 * then FATAL 28000 to the StartupMessage.  Captured. */
static void
test_session_no_hba_entry(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 1024);
	assert_int_equal(run_file("pg15-no-hba-entry.bin", &o, &w),
	    PROBE_DONE);
	assert_int_equal(w.len, 8 + 0x3a);
	assert_memory_equal(w.data, ssl_request, 8);
	assert_string_equal(o.service, "pgsql");
	assert_string_equal(obs_get(&o, "pgsql.ssl"), "no");
	assert_string_equal(obs_get(&o, "pgsql.error_severity"), "FATAL");
	assert_string_equal(obs_get(&o, "pgsql.error_code"), "28000");
	assert_string_equal(obs_get(&o, "pgsql.error"), "no pg_hba.conf entry "
	    "for host \"198.51.100.2\", user \"vigie\", database \"vigie\", "
	    "no encryption");
	assert_string_equal(obs_get(&o, "pgsql.error_file"), "auth.c");
	assert_string_equal(obs_get(&o, "pgsql.error_line"), "544");
	assert_string_equal(obs_get(&o, "pgsql.error_routine"),
	    "ClientAuthentication");
	assert_string_equal(obs_get(&o, "product"), "PostgreSQL");
	assert_null(obs_get(&o, "pgsql.auth"));
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_auth_methods(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("pg16-scram.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.auth"), "scram-sha-256");
	assert_string_equal(obs_get(&o, "pgsql.sasl_mechanisms"),
	    "SCRAM-SHA-256-PLUS,SCRAM-SHA-256");
	obs_fini(&o);

	assert_int_equal(run_file("pg-md5.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.auth"), "md5");
	obs_fini(&o);

	assert_int_equal(run_file("pg-password.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.auth"), "password");
	obs_fini(&o);
}

/* AuthenticationOk: in without a password.  The version comes from the
 * parameters; the probe leaves with Terminate. */
static void
test_session_trust(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 1024);
	assert_int_equal(run_file("pg15-trust.bin", &o, &w), PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.auth"), "trust");
	assert_string_equal(obs_get(&o, "pgsql.server_version"),
	    "15.14 (Debian 15.14-0+deb12u1)");
	assert_string_equal(obs_get(&o, "product"), "PostgreSQL");
	assert_string_equal(obs_get(&o, "version"), "15.14");
	assert_int_equal(w.len, 8 + 0x3a + 5);
	assert_memory_equal(w.data + w.len - 5, "X\0\0\0\4", 5);
	obs_fini(&o);
	buf_fini(&w);

	assert_int_equal(run_file("pg15-trust-no-database.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.auth"), "trust");
	assert_string_equal(obs_get(&o, "pgsql.error_code"), "3D000");
	obs_fini(&o);
}

static void
test_session_ssl_and_others(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 1024);
	assert_int_equal(run_file("ssl-yes.bin", &o, &w), PROBE_STARTTLS);
	assert_int_equal(w.len, 8);
	assert_string_equal(o.service, "pgsql");
	assert_string_equal(obs_get(&o, "pgsql.ssl"), "yes");
	obs_fini(&o);
	buf_fini(&w);

	/* A pooler: no source file or routine, so no product. */
	assert_int_equal(run_file("pgbouncer-no-user.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "pgsql.error_code"), "08P01");
	assert_null(obs_get(&o, "product"));
	obs_fini(&o);

	assert_int_equal(run_file("error-to-sslrequest.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "pgsql");
	assert_null(obs_get(&o, "pgsql.ssl"));
	assert_string_equal(obs_get(&o, "pgsql.error_code"), "0A000");
	obs_fini(&o);
}

static void
test_session_bad(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "pgsql");
	assert_string_equal(obs_get(&o, "pgsql.ssl"), "no");
	assert_null(obs_get(&o, "pgsql.error"));
	obs_fini(&o);

	assert_int_equal(run_file("malformed-length.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "pgsql");
	obs_fini(&o);

	assert_int_equal(run_file("malformed-error-fields.bin", &o, NULL),
	    PROBE_DONE);
	assert_null(obs_get(&o, "pgsql.error_code"));
	obs_fini(&o);

	assert_int_equal(run_file("not-pgsql-http.bin", &o, NULL),
	    PROBE_MISMATCH);
	assert_int_equal(o.n, 0);
	obs_fini(&o);

	/* A server speaking first whose banner begins with 'S' (the lab's
	 * tarpit answers 5432 with sshd) is not a TLS-willing PostgreSQL:
	 * its whole first segment is more than the one-byte answer.  (In
	 * one-byte reads it cannot be told apart: whole reads only.) */
	{
		uint8_t	*data;
		size_t	 len;

		data = harness_load_file("../transcripts/pgsql/"
		    "not-pgsql-ssh-banner.bin", &len);
		assert_int_equal(harness_run(&probe_pgsql, PEER, 5432, data,
		    len, len, &o), PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		obs_fini(&o);
		free(data);
	}
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_pgsql.name, "pgsql");
	assert_int_equal(probe_pgsql.ports[0], 5432);
	assert_int_equal(probe_pgsql.ports[1], 0);
	assert_false(probe_pgsql.flags & PROBE_SERVER_FIRST);
	assert_non_null(probe_pgsql.start);
	assert_ptr_equal(probe_for_port(5432), &probe_pgsql);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_parse_msg),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_session_no_hba_entry),
		cmocka_unit_test(test_session_auth_methods),
		cmocka_unit_test(test_session_trust),
		cmocka_unit_test(test_session_ssl_and_others),
		cmocka_unit_test(test_session_bad),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
