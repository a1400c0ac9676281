/* test_snmp.c - the SNMP GetRequest and the GetResponse parser.  UDP: a
 * datagram arrives whole, so sessions are replayed whole only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probes/probe_internal.h"
#include "probes/snmp.h"
#include "vigie/obs.h"
#include "harness.h"

#define T	"../transcripts/snmp/"

/* The request is the 43 bytes a v2c get of sysDescr.0 takes. */
static void
test_request_bytes(void **state)
{
	static const uint8_t	want[] =
	    "\x30\x29\x02\x01\x01\x04\x06public\xa0\x1c\x02\x04VIGI"
	    "\x02\x01\x00\x02\x01\x00\x30\x0e\x30\x0c\x06\x08\x2b\x06\x01"
	    "\x02\x01\x01\x01\x00\x05\x00";
	uint8_t			out[128];

	(void)state;
	assert_int_equal(snmp_build_get_sysdescr(out, sizeof(out), "public"),
	    sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	assert_int_equal(snmp_build_get_sysdescr(out, 10, "public"), 0);
}

static void
test_session_records_sysdescr(void **state)
{
	struct obs	o;
	uint8_t		*b;
	size_t		 len;

	(void)state;
	b = harness_load_file(T "netsnmp-sysdescr.bin", &len);
	assert_int_equal(harness_run(&probe_snmp, "198.51.100.30", 161, b,
	    len, HARNESS_WHOLE, &o), PROBE_DONE);
	assert_string_equal(o.service, "snmp");
	assert_string_equal(obs_get(&o, "snmp.community"), "public");
	assert_string_equal(obs_get(&o, "snmp.community_accepted"), "yes");
	assert_string_equal(obs_get(&o, "snmp.version"), "v2c");
	assert_non_null(strstr(obs_get(&o, "snmp.sysdescr"),
	    "Debian 6.1.119-1"));
	obs_fini(&o);
	free(b);
}

static void
test_error_status_is_not_accepted(void **state)
{
	struct obs	o;
	uint8_t		*b;
	size_t		 len;

	(void)state;
	b = harness_load_file(T "error-status.bin", &len);
	assert_int_equal(harness_run(&probe_snmp, "198.51.100.30", 161, b,
	    len, HARNESS_WHOLE, &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "snmp.community_accepted"), "no");
	assert_string_equal(obs_get(&o, "snmp.error_status"), "2");
	obs_fini(&o);
	free(b);
}

static void
test_bad_datagrams_mismatch(void **state)
{
	static const char *const	files[] = {
		T "lying-length.bin", T "truncated.bin",
	};
	struct obs			o;
	uint8_t				*b;
	size_t				 len, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		b = harness_load_file(files[i], &len);
		assert_int_equal(harness_run(&probe_snmp, "198.51.100.30",
		    161, b, len, HARNESS_WHOLE, &o), PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		obs_fini(&o);
		free(b);
	}
}

static void
test_parser_rejects_long_form_abuse(void **state)
{
	static const uint8_t	indefinite[] = "\x30\x80\x02\x01\x01";
	static const uint8_t	huge[] = "\x30\x85\xff\xff\xff\xff\xff";
	struct snmp_reply	r;

	(void)state;
	assert_int_equal(snmp_parse_response(indefinite,
	    sizeof(indefinite) - 1, &r), PARSE_BAD);
	assert_int_equal(snmp_parse_response(huge, sizeof(huge) - 1, &r),
	    PARSE_BAD);
	assert_int_equal(snmp_parse_response(huge, 0, &r), PARSE_BAD);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_request_bytes),
		cmocka_unit_test(test_session_records_sysdescr),
		cmocka_unit_test(test_error_status_is_not_accepted),
		cmocka_unit_test(test_bad_datagrams_mismatch),
		cmocka_unit_test(test_parser_rejects_long_form_abuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
