/* test_mssql.c - the TDS PRELOGIN we send, the PRELOGIN answer parser,
 * release names, and the MSSQL probe session on answers written byte by
 * byte from [MS-TDS] (no SQL Server runs in the lab). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/mssql.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.80"

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *written)
{
	return harness_run_transcript(&probe_mssql, "mssql", name, PEER, 1433,
	    o, written);
}

/*
 * Our PRELOGIN is [MS-TDS] 4.1's example with three values changed:
 * ENCRYPT_OFF instead of ENCRYPT_ON, thread id 0, MARS off.
 */
static void
test_build_prelogin(void **state)
{
	uint8_t	 pkt[MSSQL_PRELOGIN_MAX], *spec;
	size_t	 n, slen;

	(void)state;
	n = mssql_build_prelogin(pkt, sizeof(pkt));
	spec = harness_transcript("mssql", "spec-4.1-prelogin-request.bin",
	    &slen);
	assert_int_equal(n, slen);
	assert_int_equal(n, 0x2f);
	spec[40] = TDS_ENCRYPT_OFF;
	memset(spec + 42, 0, 4);
	spec[46] = 0;
	assert_memory_equal(pkt, spec, n);
	free(spec);
	assert_int_equal(mssql_build_prelogin(pkt, n - 1), 0);
}

static void
test_parse_prelogin(void **state)
{
	struct mssql_prelogin	 pl;
	uint8_t			*data;
	size_t			 len, i;

	(void)state;
	data = harness_transcript("mssql", "sql2019-rtm-encrypt-off.bin", &len);
	assert_int_equal(mssql_parse_prelogin(data, len, &pl), PARSE_OK);
	assert_int_equal(pl.used, len);
	assert_true(pl.have_version);
	assert_int_equal(pl.major, 15);
	assert_int_equal(pl.minor, 0);
	assert_int_equal(pl.build, 2000);
	assert_int_equal(pl.subbuild, 0);
	assert_true(pl.have_encryption);
	assert_int_equal(pl.encryption, TDS_ENCRYPT_OFF);
	assert_true(pl.have_instopt);
	assert_int_equal(pl.instopt, 0);
	assert_true(pl.have_mars);
	assert_false(pl.have_fedauth);
	for (i = 0; i < len; i++)
		assert_int_equal(mssql_parse_prelogin(data, i, &pl),
		    PARSE_MORE);
	/* Our own request is not an answer. */
	assert_int_equal(mssql_parse_prelogin((const uint8_t *)"\x12", 1,
	    &pl), PARSE_BAD);
	free(data);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(mssql_release_name(8, 0), "SQL Server 2000");
	assert_string_equal(mssql_release_name(10, 0), "SQL Server 2008");
	assert_string_equal(mssql_release_name(10, 50), "SQL Server 2008 R2");
	assert_string_equal(mssql_release_name(13, 0), "SQL Server 2016");
	assert_string_equal(mssql_release_name(16, 0), "SQL Server 2022");
	assert_null(mssql_release_name(6, 5));
	assert_null(mssql_release_name(20, 0));
	assert_string_equal(mssql_encryption_name(TDS_ENCRYPT_REQ),
	    "required");
	assert_null(mssql_encryption_name(4));
}

static void
test_session_sql2019(void **state)
{
	struct obs	 o;
	struct buf	 w;
	uint8_t		 req[MSSQL_PRELOGIN_MAX];
	size_t		 n;

	(void)state;
	buf_init(&w, 256);
	assert_int_equal(run_file("sql2019-rtm-encrypt-off.bin", &o, &w),
	    PROBE_DONE);
	n = mssql_build_prelogin(req, sizeof(req));
	assert_int_equal(w.len, n);
	assert_memory_equal(w.data, req, n);
	assert_string_equal(o.service, "mssql");
	assert_string_equal(obs_get(&o, "product"), "Microsoft SQL Server");
	assert_string_equal(obs_get(&o, "version"), "15.0.2000");
	assert_string_equal(obs_get(&o, "mssql.version"), "15.0.2000.0");
	assert_string_equal(obs_get(&o, "mssql.release"), "SQL Server 2019");
	assert_string_equal(obs_get(&o, "mssql.encryption"), "off");
	assert_string_equal(obs_get(&o, "mssql.instopt"), "0");
	assert_string_equal(obs_get(&o, "mssql.mars"), "off");
	assert_null(obs_get(&o, "mssql.fedauth_required"));
	assert_null(obs_get(&o, "mssql.client_cert"));
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_versions_and_encryption(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("sql2008r2-encrypt-on.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "10.50.1600");
	assert_string_equal(obs_get(&o, "mssql.release"),
	    "SQL Server 2008 R2");
	assert_string_equal(obs_get(&o, "mssql.encryption"), "on");
	obs_fini(&o);

	assert_int_equal(run_file("sql2022-encrypt-req.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "mssql.release"), "SQL Server 2022");
	assert_string_equal(obs_get(&o, "mssql.encryption"), "required");
	obs_fini(&o);

	assert_int_equal(run_file("sql2017-fedauth.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "14.0.3451");
	assert_string_equal(obs_get(&o, "mssql.fedauth_required"), "yes");
	obs_fini(&o);

	/* Two options only, and ENCRYPT_NOT_SUP. */
	assert_int_equal(run_file("sql2000-not-sup.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "mssql.release"), "SQL Server 2000");
	assert_string_equal(obs_get(&o, "version"), "8.0.2039");
	assert_string_equal(obs_get(&o, "mssql.encryption"), "not_supported");
	assert_null(obs_get(&o, "mssql.instopt"));
	assert_null(obs_get(&o, "mssql.mars"));
	obs_fini(&o);

	/* A major version we cannot name, and the client certificate flag. */
	assert_int_equal(run_file("future-major-client-cert.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "mssql.version"), "20.0.100.7");
	assert_null(obs_get(&o, "mssql.release"));
	assert_string_equal(obs_get(&o, "mssql.encryption"), "on");
	assert_string_equal(obs_get(&o, "mssql.client_cert"), "yes");
	obs_fini(&o);
}

static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	assert_int_equal(run_file("truncated-header.bin", &o, NULL),
	    PROBE_MORE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_session_not_mssql(void **state)
{
	static const char *const	files[] = {
		"malformed-offset.bin", "malformed-no-terminator.bin",
		"malformed-no-version.bin", "malformed-short-version.bin",
		"oversized-length.bin", "not-mssql-http.bin",
		"spec-4.1-prelogin-request.bin",
	};
	struct obs			o;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(run_file(files[i], &o, NULL),
		    PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		assert_int_equal(o.n, 0);
		obs_fini(&o);
	}
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_mssql.name, "mssql");
	assert_int_equal(probe_mssql.ports[0], 1433);
	assert_int_equal(probe_mssql.ports[1], 0);
	assert_ptr_equal(probe_for_port(1433), &probe_mssql);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_prelogin),
		cmocka_unit_test(test_parse_prelogin),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_session_sql2019),
		cmocka_unit_test(test_session_versions_and_encryption),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_not_mssql),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
