/* test_mysql.c - the MySQL/MariaDB first packet, the version split and
 * the probe session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/mysql.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.60"

static enum probe_status
run_file(const char *name, struct obs *o)
{
	return harness_run_transcript(&probe_mysql, "mysql", name, PEER, 3306,
	    o, NULL);
}

static void
split(const char *v, const char *product, const char *version,
    const char *distro, const char *rev)
{
	struct mysql_version	mv;

	mysql_split_version(span_str(v), &mv);
	assert_string_equal(mv.product, product);
	assert_true(span_eq_str(mv.version, version));
	if (distro == NULL) {
		assert_null(mv.distro);
		assert_int_equal(mv.distro_rev.len, 0);
	} else {
		assert_string_equal(mv.distro, distro);
		assert_true(span_eq_str(mv.distro_rev, rev));
	}
}

static void
test_split_version(void **state)
{
	(void)state;
	split("5.5.5-10.11.6-MariaDB-0+deb12u1", "MariaDB", "10.11.6",
	    "debian", "0+deb12u1");
	split("10.11.19-MariaDB-0+deb12u1", "MariaDB", "10.11.19", "debian",
	    "0+deb12u1");
	split("8.0.36-0ubuntu0.22.04.1", "MySQL", "8.0.36", "ubuntu",
	    "0ubuntu0.22.04.1");
	split("10.6.16-MariaDB-0ubuntu0.22.04.1-log", "MariaDB", "10.6.16",
	    "ubuntu", "0ubuntu0.22.04.1");
	split("5.5.5-10.11.6-MariaDB-1:10.11.6+maria~deb12", "MariaDB",
	    "10.11.6", "debian", "1:10.11.6+maria~deb12");
	split("5.7.44-log", "MySQL", "5.7.44", NULL, NULL);
	split("8.0.35-27", "MySQL", "8.0.35", NULL, NULL);
	split("10.5.21-MariaDB", "MariaDB", "10.5.21", NULL, NULL);
	split("garbage", "MySQL", "", NULL, NULL);
}

static void
test_parse_greeting(void **state)
{
	static const uint8_t	g[] = {
		0x2e, 0x00, 0x00, 0x00, 0x0a, '8', '.', '0', '.', '1', 0x00,
		0x05, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
		0x00, 0xff, 0xff, 0x21, 0x02, 0x00, 0xff, 0xc1, 0x15, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p',
	};
	struct mysql_greeting	gr;
	size_t			i;

	(void)state;
	/* Without the last bytes of part 2 and the plugin name: still
	 * the whole packet the header announces. */
	assert_int_equal(mysql_parse_greeting(g, sizeof(g), false, &gr),
	    PARSE_OK);
	assert_int_equal(gr.used, sizeof(g));
	assert_true(span_eq_str(gr.server_version, "8.0.1"));
	assert_int_equal(gr.conn_id, 5);
	assert_true(gr.have_caps);
	assert_true(gr.caps & MYSQL_CLIENT_SSL);
	assert_true(gr.caps & MYSQL_CLIENT_PLUGIN_AUTH);
	assert_int_equal(gr.auth_plugin.len, 0);
	for (i = 0; i < sizeof(g); i++)
		assert_int_equal(mysql_parse_greeting(g, i, false, &gr),
		    PARSE_MORE);
	/* At eof, a cut packet still gives its version. */
	assert_int_equal(mysql_parse_greeting(g, 8, true, &gr), PARSE_OK);
	assert_true(gr.truncated);
	assert_true(span_eq_str(gr.server_version, "8.0"));
	assert_int_equal(mysql_parse_greeting(g, 5, true, &gr), PARSE_BAD);
}

static void
test_parse_rejects_early(void **state)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
	} bad[] = {
		{ .bytes = "SSH-2.0-", .len = 8 },
		{ .bytes = "HTTP/1.1", .len = 8 },
		{ .bytes = "\x05\x00\x00\x01\x0a", .len = 5 },	/* seq 1 */
		{ .bytes = "\x05\x00\x00\x00\x09", .len = 5 },	/* proto 9 */
		{ .bytes = "\x05\x00\x01", .len = 3 },		/* 64 KiB */
		{ .bytes = "\x05\x05", .len = 2 },		/* 1.3 KiB */
		/* Under the minimal payload. */
		{ .bytes = "\x03\x00\x00\x00\x0a" "a", .len = 7 },
	};
	struct mysql_greeting	g;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mysql_parse_greeting((const uint8_t *)
		    bad[i].bytes, bad[i].len, false, &g), PARSE_BAD);
}

/* The real greeting of Debian 12's MariaDB, whole and byte by byte. */
static void
test_session_mariadb(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("mariadb-10.11-deb12.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.version"),
	    "5.5.5-10.11.19-MariaDB-0+deb12u1");
	assert_string_equal(obs_get(&o, "product"), "MariaDB");
	assert_string_equal(obs_get(&o, "version"), "10.11.19");
	assert_string_equal(obs_get(&o, "mysql.distro"), "debian");
	assert_string_equal(obs_get(&o, "mysql.distro_rev"), "0+deb12u1");
	assert_string_equal(obs_get(&o, "mysql.protocol"), "10");
	assert_string_equal(obs_get(&o, "mysql.ssl"), "no");
	assert_string_equal(obs_get(&o, "mysql.auth_plugin"),
	    "mysql_native_password");
	obs_fini(&o);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("mysql-8.0-ubuntu.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "MySQL");
	assert_string_equal(obs_get(&o, "version"), "8.0.36");
	assert_string_equal(obs_get(&o, "mysql.distro"), "ubuntu");
	assert_string_equal(obs_get(&o, "mysql.distro_rev"),
	    "0ubuntu0.22.04.1");
	assert_string_equal(obs_get(&o, "mysql.ssl"), "yes");
	assert_string_equal(obs_get(&o, "mysql.auth_plugin"),
	    "caching_sha2_password");
	obs_fini(&o);

	assert_int_equal(run_file("mysql-5.7-log.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "5.7.44");
	assert_null(obs_get(&o, "mysql.distro"));
	assert_string_equal(obs_get(&o, "mysql.auth_plugin"),
	    "mysql_native_password");
	obs_fini(&o);
}

/* An error packet still proves a MySQL server. */
static void
test_session_errors(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("error-1130.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.errno"), "1130");
	assert_string_equal(obs_get(&o, "mysql.error"), "Host '198.51.100.10' "
	    "is not allowed to connect to this MariaDB server");
	assert_null(obs_get(&o, "product"));
	obs_fini(&o);

	assert_int_equal(run_file("error-1040-sqlstate.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "mysql.errno"), "1040");
	assert_string_equal(obs_get(&o, "mysql.sqlstate"), "08004");
	assert_string_equal(obs_get(&o, "mysql.error"),
	    "Too many connections");
	obs_fini(&o);
}

static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.version"),
	    "5.5.5-10.11.19-MariaDB-0+");
	assert_string_equal(obs_get(&o, "version"), "10.11.19");
	assert_null(obs_get(&o, "mysql.ssl"));
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	static const char *const files[] = {
		"malformed-seq.bin", "malformed-protocol.bin",
		"malformed-control.bin", "too-long.bin", "not-mysql-ssh.bin",
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
	assert_string_equal(probe_mysql.name, "mysql");
	assert_int_equal(probe_mysql.ports[0], 3306);
	assert_int_equal(probe_mysql.ports[1], 0);
	assert_true(probe_mysql.flags & PROBE_SERVER_FIRST);
	assert_null(probe_mysql.start);
	assert_ptr_equal(probe_find("mysql"), &probe_mysql);
	assert_ptr_equal(probe_for_port(3306), &probe_mysql);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_version),
		cmocka_unit_test(test_parse_greeting),
		cmocka_unit_test(test_parse_rejects_early),
		cmocka_unit_test(test_session_mariadb),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_errors),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
