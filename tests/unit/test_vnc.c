/* test_vnc.c - the RFB version and security types parsers, our version
 * answer, and the VNC probe session. */
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
#include "probes/vnc.h"
#include "harness.h"

#define PEER	"198.51.100.70"

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *written)
{
	return harness_run_transcript(&probe_vnc, "vnc", name, PEER, 5900, o,
	    written);
}

static void
test_parse_version(void **state)
{
	static const char	v38[] = "RFB 003.008\n";
	struct vnc_version	v;
	size_t			i;

	(void)state;
	assert_int_equal(vnc_parse_version((const uint8_t *)v38, 12, &v),
	    PARSE_OK);
	assert_int_equal(v.major, 3);
	assert_int_equal(v.minor, 8);
	assert_true(span_eq_str(v.text, "003.008"));
	for (i = 0; i < 12; i++)
		assert_int_equal(vnc_parse_version((const uint8_t *)v38, i,
		    &v), PARSE_MORE);
	assert_int_equal(vnc_parse_version((const uint8_t *)"RFB 003.00x\n",
	    12, &v), PARSE_BAD);
	assert_int_equal(vnc_parse_version((const uint8_t *)"RFB 003.008\r",
	    12, &v), PARSE_BAD);
	assert_int_equal(vnc_parse_version((const uint8_t *)"SSH-", 4, &v),
	    PARSE_BAD);
}

static void
reply_is(const char *server, unsigned int minor, const char *reply)
{
	struct vnc_version	v;
	uint8_t			out[16];

	assert_int_equal(vnc_parse_version((const uint8_t *)server, 12, &v),
	    PARSE_OK);
	assert_int_equal(vnc_build_reply(&v, out, sizeof(out)), minor);
	assert_memory_equal(out, reply, 12);
}

/* RFC 6143 7.1.1: the highest version both support; anything else is
 * 3.3. */
static void
test_reply(void **state)
{
	struct vnc_version	v;
	uint8_t			out[16];

	(void)state;
	reply_is("RFB 003.008\n", 8, "RFB 003.008\n");
	reply_is("RFB 003.889\n", 8, "RFB 003.008\n");
	reply_is("RFB 004.001\n", 8, "RFB 003.008\n");
	reply_is("RFB 003.007\n", 7, "RFB 003.007\n");
	reply_is("RFB 003.005\n", 3, "RFB 003.003\n");
	reply_is("RFB 003.003\n", 3, "RFB 003.003\n");
	assert_int_equal(vnc_parse_version((const uint8_t *)"RFB 003.008\n",
	    12, &v), PARSE_OK);
	assert_int_equal(vnc_build_reply(&v, out, 12), 0);
}

static void
test_parse_security(void **state)
{
	static const uint8_t	list[] = { 2, 19, 2 };
	static const uint8_t	t33[] = { 0, 0, 0, 1 };
	static const uint8_t	bad33[] = { 0, 0, 1, 0 };
	static const uint8_t	refused[] = {
		0, 0, 0, 0, 0, 0, 0, 3, 'n', 'o', '!',
	};
	struct vnc_security	sec;
	size_t			i;

	(void)state;
	assert_int_equal(vnc_parse_security(list, sizeof(list), 8, &sec),
	    PARSE_OK);
	assert_int_equal(sec.ntypes, 2);
	assert_int_equal(sec.types[0], 19);
	assert_int_equal(sec.used, 3);
	for (i = 0; i < sizeof(list); i++)
		assert_int_equal(vnc_parse_security(list, i, 8, &sec),
		    PARSE_MORE);
	assert_int_equal(vnc_parse_security(t33, 4, 3, &sec), PARSE_OK);
	assert_int_equal(sec.types[0], VNC_SEC_NONE);
	assert_int_equal(vnc_parse_security(bad33, 4, 3, &sec), PARSE_BAD);
	/* 3.7+: a zero count, then a reason; 3.3: a zero type. */
	assert_int_equal(vnc_parse_security(refused + 3, 7, 8, &sec),
	    PARSE_MORE);
	assert_int_equal(vnc_parse_security(refused + 3, 8, 8, &sec),
	    PARSE_OK);
	assert_true(sec.failed);
	assert_true(span_eq_str(sec.reason, "no!"));
	assert_int_equal(vnc_parse_security(refused, sizeof(refused), 3,
	    &sec), PARSE_OK);
	assert_true(sec.failed);
	assert_true(span_eq_str(sec.reason, "no!"));
	assert_int_equal(sec.used, sizeof(refused));
	assert_string_equal(vnc_type_name(19), "vencrypt");
	assert_null(vnc_type_name(200));
}

/* TigerVNC 1.12 of Debian 12 with -SecurityTypes None, captured. */
static void
test_session_tigervnc_none(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 64);
	assert_int_equal(run_file("tigervnc-1.12-none.bin", &o, &w),
	    PROBE_DONE);
	assert_int_equal(w.len, 12);
	assert_memory_equal(w.data, "RFB 003.008\n", 12);
	assert_string_equal(o.service, "vnc");
	assert_string_equal(obs_get(&o, "vnc.version"), "3.8");
	assert_string_equal(obs_get(&o, "vnc.protocol"), "003.008");
	assert_string_equal(obs_get(&o, "vnc.security_types"), "none");
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "yes");
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_tigervnc_password(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("tigervnc-1.12-vncauth.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.security_types"), "vnc_auth");
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "no");
	obs_fini(&o);

	assert_int_equal(run_file("tigervnc-default-vencrypt.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.security_types"),
	    "vencrypt,vnc_auth");
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "no");
	obs_fini(&o);
}

static void
test_session_other_versions(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 64);
	assert_int_equal(run_file("rfb-3.3-vncauth.bin", &o, &w), PROBE_DONE);
	assert_memory_equal(w.data, "RFB 003.003\n", 12);
	assert_string_equal(obs_get(&o, "vnc.version"), "3.3");
	assert_string_equal(obs_get(&o, "vnc.security_types"), "vnc_auth");
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "no");
	obs_fini(&o);
	buf_fini(&w);

	assert_int_equal(run_file("rfb-3.3-none.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "yes");
	obs_fini(&o);

	assert_int_equal(run_file("rfb-3.7-tight.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.version"), "3.7");
	assert_string_equal(obs_get(&o, "vnc.security_types"),
	    "tight,vnc_auth");
	obs_fini(&o);

	assert_int_equal(run_file("apple-3.889.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.version"), "3.889");
	assert_string_equal(obs_get(&o, "vnc.security_types"),
	    "apple_dh,33,36");
	assert_string_equal(obs_get(&o, "vnc.no_auth"), "no");
	obs_fini(&o);
}

/* A refusal names its reason; whether None is offered stays unknown. */
static void
test_session_refused(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("realvnc-too-many.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "vnc");
	assert_string_equal(obs_get(&o, "vnc.error"),
	    "Too many security failures");
	assert_null(obs_get(&o, "vnc.no_auth"));
	obs_fini(&o);

	assert_int_equal(run_file("rfb-3.3-refused.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.error"),
	    "Too many security failures");
	obs_fini(&o);

	/* A 2 GiB reason: the first VNC_REASON_MAX bytes. */
	assert_int_equal(run_file("huge-reason.bin", &o, NULL), PROBE_DONE);
	assert_int_equal(strlen(obs_get(&o, "vnc.error")), VNC_REASON_MAX);
	obs_fini(&o);

	assert_int_equal(run_file("malformed-3.3-type.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "vnc.error"),
	    "malformed security types");
	obs_fini(&o);
}

static void
test_session_truncated_and_others(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated-types.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "vnc");
	assert_string_equal(obs_get(&o, "vnc.version"), "3.8");
	assert_null(obs_get(&o, "vnc.no_auth"));
	obs_fini(&o);

	assert_int_equal(run_file("truncated-version.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "");
	obs_fini(&o);

	assert_int_equal(run_file("not-vnc-ssh.bin", &o, NULL),
	    PROBE_MISMATCH);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_vnc.name, "vnc");
	assert_int_equal(probe_vnc.ports[0], 5900);
	assert_int_equal(probe_vnc.ports[1], 5901);
	assert_int_equal(probe_vnc.ports[2], 0);
	assert_true(probe_vnc.flags & PROBE_SERVER_FIRST);
	assert_ptr_equal(probe_for_port(5901), &probe_vnc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_version),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_parse_security),
		cmocka_unit_test(test_session_tigervnc_none),
		cmocka_unit_test(test_session_tigervnc_password),
		cmocka_unit_test(test_session_other_versions),
		cmocka_unit_test(test_session_refused),
		cmocka_unit_test(test_session_truncated_and_others),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
