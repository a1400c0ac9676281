/* test_hl7.c - the MLLP block and HL7 acknowledgement parsers, and the
 * HL7 probe session on the lab stand-in's recorded answer and on written
 * ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/hl7.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.100"

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *written)
{
	return harness_run_transcript(&probe_hl7, "hl7", name, PEER, 2575, o,
	    written);
}

static void
test_build_probe(void **state)
{
	uint8_t	out[8];

	(void)state;
	assert_int_equal(hl7_build_probe(out, sizeof(out)), HL7_PROBE_LEN);
	assert_memory_equal(out, "\x0b\x1c\x0d", HL7_PROBE_LEN);
	assert_int_equal(hl7_build_probe(out, 2), 0);
}

static void
test_parse_frame(void **state)
{
	static const uint8_t	ok[] = "\x0bMSH|^~\\&|A\r\x1c\x0d" "extra";
	static const uint8_t	badend[] = "\x0bMSH\x1cX";
	struct hl7_frame	f;
	size_t			i, n = 14;

	(void)state;
	assert_int_equal(hl7_parse_frame(ok, sizeof(ok) - 1, &f), PARSE_OK);
	assert_int_equal(f.used, n);
	assert_true(span_eq_str(f.content, "MSH|^~\\&|A\r"));
	for (i = 0; i < n; i++)
		assert_int_equal(hl7_parse_frame(ok, i, &f), PARSE_MORE);
	assert_int_equal(hl7_parse_frame(badend, sizeof(badend) - 1, &f),
	    PARSE_BAD);
	assert_int_equal(hl7_parse_frame((const uint8_t *)"MSH|", 4, &f),
	    PARSE_BAD);
	assert_int_equal(hl7_parse_frame((const uint8_t *)"\x0b\x1c\x0d", 3,
	    &f), PARSE_OK);
	assert_int_equal(f.content.len, 0);
}

static void
test_parse_message(void **state)
{
	static const char	msg[] =
	    "MSH|^~\\&|APP^1.2^ISO|FAC|||2024||ACK^A01|42|P|2.5.1^FRA\r"
	    "\nMSA|AE|42|No route\rERR|x\r";
	struct hl7_message	m;

	(void)state;
	assert_int_equal(hl7_parse_message(span_str(msg), &m), PARSE_OK);
	assert_int_equal(m.field_sep, '|');
	assert_int_equal(m.component_sep, '^');
	assert_true(span_eq_str(m.sending_application, "APP^1.2^ISO"));
	assert_true(span_eq_str(m.sending_facility, "FAC"));
	assert_true(span_eq_str(m.message_type, "ACK^A01"));
	assert_true(span_eq_str(m.control_id, "42"));
	assert_true(span_eq_str(m.version, "2.5.1"));
	assert_true(m.have_msa);
	assert_true(span_eq_str(m.ack_code, "AE"));
	assert_true(span_eq_str(m.ack_text, "No route"));

	/* Fewer fields than MSH-12: empty, not out of bounds. */
	assert_int_equal(hl7_parse_message(span_str("MSH|^~\\&|X"), &m),
	    PARSE_OK);
	assert_true(span_eq_str(m.sending_application, "X"));
	assert_int_equal(m.version.len, 0);
	assert_false(m.have_msa);

	assert_int_equal(hl7_parse_message(span_str("MSHA^~"), &m),
	    PARSE_BAD);
	assert_int_equal(hl7_parse_message(span_str("MSH\r"), &m),
	    PARSE_BAD);
	assert_int_equal(hl7_parse_message(span_str("PID|1"), &m),
	    PARSE_BAD);
	assert_int_equal(hl7_parse_message(span_str("MSH"), &m), PARSE_BAD);
}

/* The lab's stand-in (tests/lab/hl7-mllp.py), recorded: a NAK. */
static void
test_session_standin(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 64);
	assert_int_equal(run_file("standin-empty-block-ar.bin", &o, &w),
	    PROBE_DONE);
	assert_int_equal(w.len, HL7_PROBE_LEN);
	assert_memory_equal(w.data, "\x0b\x1c\x0d", HL7_PROBE_LEN);
	assert_string_equal(o.service, "hl7");
	assert_string_equal(obs_get(&o, "hl7.framing"), "mllp");
	assert_string_equal(obs_get(&o, "hl7.sending_application"),
	    "HL7-STANDIN");
	assert_string_equal(obs_get(&o, "hl7.sending_facility"),
	    "CHU-DEMO-LAB");
	assert_string_equal(obs_get(&o, "hl7.message_type"), "ACK");
	assert_string_equal(obs_get(&o, "hl7.version"), "2.5.1");
	assert_string_equal(obs_get(&o, "hl7.ack_code"), "AR");
	assert_string_equal(obs_get(&o, "hl7.ack_text"), "Empty message");
	assert_null(obs_get(&o, "hl7.error"));
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_written(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("engine-nak-ae-crlf.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "hl7.sending_application"),
	    "INTERFACE-ENGINE");
	assert_string_equal(obs_get(&o, "hl7.sending_facility"),
	    "HOPITAL-NORD");
	assert_string_equal(obs_get(&o, "hl7.message_type"), "ACK^A01^ACK");
	assert_string_equal(obs_get(&o, "hl7.version"), "2.3.1");
	assert_string_equal(obs_get(&o, "hl7.ack_code"), "AE");
	assert_string_equal(obs_get(&o, "hl7.ack_text"),
	    "Segment MSH manquant");
	obs_fini(&o);

	assert_int_equal(run_file("custom-separators.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "hl7.sending_application"), "LABO");
	assert_string_equal(obs_get(&o, "hl7.sending_facility"), "CLINIQUE");
	assert_string_equal(obs_get(&o, "hl7.version"), "2.4");
	assert_string_equal(obs_get(&o, "hl7.ack_code"), "AR");
	obs_fini(&o);

	assert_int_equal(run_file("mllp2-commit-nak.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "hl7");
	assert_string_equal(obs_get(&o, "hl7.commit"), "nak");
	assert_null(obs_get(&o, "hl7.ack_code"));
	obs_fini(&o);

	assert_int_equal(run_file("mllp2-commit-ack.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "hl7.commit"), "ack");
	obs_fini(&o);

	assert_int_equal(run_file("no-msh-block.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(o.service, "hl7");
	assert_string_equal(obs_get(&o, "hl7.framing"), "mllp");
	assert_string_equal(obs_get(&o, "hl7.error"),
	    "block without an MSH segment");
	obs_fini(&o);

	/* Long fields are cut; an escape sequence is neutralised. */
	assert_int_equal(run_file("hostile-fields.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "hl7.sending_facility"), "FAC");
	assert_null(strchr(obs_get(&o, "hl7.sending_application"), 0x1b));
	assert_int_equal(strlen(obs_get(&o, "hl7.ack_text")), HL7_FIELD_MAX);
	obs_fini(&o);
}

static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated-msh.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "hl7");
	assert_string_equal(obs_get(&o, "hl7.error"), "truncated block");
	assert_string_equal(obs_get(&o, "hl7.sending_application"),
	    "HL7-STANDIN");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-before-msh.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_session_not_hl7(void **state)
{
	static const char *const	files[] = {
		"echo-empty-block.bin", "bad-end-block.bin", "too-long.bin",
		"not-hl7-http.bin", "raw-msh-unframed.bin",
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
	assert_string_equal(probe_hl7.name, "hl7");
	assert_int_equal(probe_hl7.ports[0], 2575);
	assert_int_equal(probe_hl7.ports[1], 0);
	assert_false(probe_hl7.flags & PROBE_SERVER_FIRST);
	assert_ptr_equal(probe_for_port(2575), &probe_hl7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_probe),
		cmocka_unit_test(test_parse_frame),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_session_standin),
		cmocka_unit_test(test_session_written),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_not_hl7),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
