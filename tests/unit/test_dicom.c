/* test_dicom.c - the A-ASSOCIATE-RQ we send, the PDU, AC, RJ and A-ABORT
 * parsers, the product names, and the DICOM probe session on DCMTK's
 * recorded answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/dicom.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.100"

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *written)
{
	return harness_run_transcript(&probe_dicom, "dicom", name, PEER, 104,
	    o, written);
}

/* The probe's request is what tests/transcripts/dicom/record.py sent to
 * the lab's DCMTK, byte for byte. */
static void
test_build_associate_rq(void **state)
{
	struct dicom_pdu	 pdu;
	uint8_t			 rq[DICOM_RQ_MAX], *want;
	size_t			 n, wlen;

	(void)state;
	n = dicom_build_associate_rq(rq, sizeof(rq), DICOM_CALLED_AE,
	    DICOM_CALLING_AE);
	want = harness_transcript("dicom", "client-associate-rq.bin", &wlen);
	assert_int_equal(n, wlen);
	assert_memory_equal(rq, want, n);
	free(want);
	assert_int_equal(dicom_parse_pdu(rq, n, &pdu), PARSE_OK);
	assert_int_equal(pdu.type, DICOM_PDU_ASSOCIATE_RQ);
	assert_int_equal(pdu.used, n);
	/* Called, then calling AE title, space-padded to 16. */
	assert_memory_equal(pdu.body.p + 4, "VIGIE-PROBE     VIGIE           ",
	    32);
	assert_int_equal(dicom_build_associate_rq(rq, n - 1, "A", "B"), 0);
	/* A title over 16 characters is cut, not overflowed. */
	n = dicom_build_associate_rq(rq, sizeof(rq),
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "B");
	assert_int_equal(n, wlen);
	assert_memory_equal(rq + 10, "ABCDEFGHIJKLMNOP", 16);
}

static void
test_build_release(void **state)
{
	static const uint8_t	want[] = { 5, 0, 0, 0, 0, 4, 0, 0, 0, 0 };
	uint8_t			rel[16];

	(void)state;
	assert_int_equal(dicom_build_release_rq(rel, sizeof(rel)),
	    DICOM_RELEASE_LEN);
	assert_memory_equal(rel, want, sizeof(want));
	assert_int_equal(dicom_build_release_rq(rel, 9), 0);
}

static void
test_parse_pdu(void **state)
{
	static const uint8_t	rj[] = { 3, 0, 0, 0, 0, 4, 0, 1, 1, 7 };
	static const uint8_t	rj8[] = { 3, 0, 0, 0, 0, 8, 0, 1, 1, 7 };
	static const uint8_t	big[] = { 2, 0, 0, 1, 0, 0 };
	static const uint8_t	short_ac[] = { 2, 0, 0, 0, 0, 10 };
	struct dicom_pdu	pdu;
	uint8_t			t;
	size_t			i;

	(void)state;
	assert_int_equal(dicom_parse_pdu(rj, sizeof(rj), &pdu), PARSE_OK);
	assert_int_equal(pdu.type, DICOM_PDU_ASSOCIATE_RJ);
	assert_int_equal(pdu.body.len, 4);
	assert_int_equal(pdu.used, sizeof(rj));
	for (i = 0; i < sizeof(rj); i++)
		assert_int_equal(dicom_parse_pdu(rj, i, &pdu), PARSE_MORE);
	assert_int_equal(dicom_parse_pdu(rj8, sizeof(rj8), &pdu), PARSE_BAD);
	assert_int_equal(dicom_parse_pdu(big, sizeof(big), &pdu), PARSE_BAD);
	assert_int_equal(dicom_parse_pdu(short_ac, sizeof(short_ac), &pdu),
	    PARSE_BAD);
	/* Not a PDU type: at the first byte. */
	for (t = 0; t < 0xff; t++) {
		if (t >= DICOM_PDU_ASSOCIATE_RQ && t <= DICOM_PDU_ABORT)
			continue;
		assert_int_equal(dicom_parse_pdu(&t, 1, &pdu), PARSE_BAD);
	}
}

static void
test_parse_ac_storescp(void **state)
{
	struct dicom_pdu	 pdu;
	struct dicom_ac		 ac;
	uint8_t			*data;
	size_t			 len;

	(void)state;
	data = harness_transcript("dicom", "dcmtk-3.6.7-storescp-accepted.bin",
	    &len);
	assert_int_equal(dicom_parse_pdu(data, len, &pdu), PARSE_OK);
	assert_int_equal(pdu.type, DICOM_PDU_ASSOCIATE_AC);
	assert_int_equal(dicom_parse_ac(pdu.body, &ac), PARSE_OK);
	assert_int_equal(ac.protocol_version, 1);
	assert_true(span_eq_str(ac.app_context, "1.2.840.10008.3.1.1.1"));
	assert_true(ac.have_pc);
	assert_int_equal(ac.pc_id, 1);
	assert_int_equal(ac.pc_result, DICOM_PC_ACCEPTANCE);
	assert_true(span_eq_str(ac.transfer_syntax, "1.2.840.10008.1.2"));
	assert_true(ac.have_max_len);
	assert_int_equal(ac.max_len, 16384);
	assert_true(span_eq_str(ac.impl_class_uid,
	    "1.2.276.0.7230010.3.0.3.6.7"));
	assert_true(span_eq_str(ac.impl_version, "OFFIS_DCMTK_367"));
	/* The A-RELEASE-RP follows the AC in the recording. */
	assert_int_equal(dicom_parse_pdu(data + pdu.used, len - pdu.used,
	    &pdu), PARSE_OK);
	assert_int_equal(pdu.type, DICOM_PDU_RELEASE_RP);
	free(data);
}

static void
test_parse_rj_abort(void **state)
{
	static const uint8_t	b[] = { 0, 1, 1, 7 };
	struct dicom_rj		rj;
	struct dicom_abort	ab;

	(void)state;
	assert_int_equal(dicom_parse_rj(span_of(b, 4), &rj), PARSE_OK);
	assert_int_equal(rj.result, 1);
	assert_int_equal(rj.source, DICOM_RJ_SOURCE_USER);
	assert_int_equal(rj.reason, DICOM_RJ_CALLED_AE_UNKNOWN);
	assert_int_equal(dicom_parse_rj(span_of(b, 3), &rj), PARSE_BAD);
	assert_int_equal(dicom_parse_abort(span_of(b, 4), &ab), PARSE_OK);
	assert_int_equal(ab.source, 1);
	assert_int_equal(ab.reason, 7);
	assert_int_equal(dicom_parse_abort(span_of(b, 5), &ab), PARSE_BAD);
	assert_string_equal(dicom_rj_reason_name(1, 7),
	    "called-ae-title-not-recognized");
	assert_string_equal(dicom_rj_reason_name(2, 2),
	    "protocol-version-not-supported");
	assert_null(dicom_rj_reason_name(1, 5));
	assert_null(dicom_rj_reason_name(4, 1));
	assert_string_equal(dicom_abort_reason_name(6),
	    "invalid-pdu-parameter-value");
	assert_null(dicom_abort_reason_name(3));
	assert_string_equal(dicom_pc_result_name(3),
	    "abstract-syntax-not-supported");
}

static void
product_is(const char *name, const char *uid, const char *product,
    const char *version)
{
	const char	*p;
	char		 v[32];

	p = dicom_product(span_str(name), span_str(uid), v, sizeof(v));
	if (product == NULL) {
		assert_null(p);
		return;
	}
	assert_non_null(p);
	assert_string_equal(p, product);
	assert_string_equal(v, version);
}

static void
test_product(void **state)
{
	(void)state;
	product_is("OFFIS_DCMTK_367", "", "DCMTK", "3.6.7");
	product_is("OFFIS_DCMTK_3610 ", "", "DCMTK", "3.6.10");
	product_is("OFFIS_DCMTK_36", "", "DCMTK", "3.6");
	product_is("OFFIS_DCMTK_X", "", "DCMTK", "");
	product_is("dcm4che-5.29.2", "1.2.40.0.13.1.3", "dcm4che", "5.29.2");
	product_is("DCM4CHE2", "", "dcm4che", "2");
	product_is("PYNETDICOM_202", "", "pynetdicom", "2.0.2");
	product_is("fo-dicom 4.0.7", "", "fo-dicom", "4.0.7");
	product_is("", "1.2.276.0.7230010.3.0.3.6.4", "DCMTK", "3.6.4");
	product_is("", "1.2.276.0.7230010.3.0.3.6.4x", "DCMTK", "");
	product_is("ACME_PACS_4", "1.2.276.0.7230010.3.0.3.6.4", NULL, NULL);
	product_is("", "1.2.3", NULL, NULL);
}

/* storescp of DCMTK 3.6.7 (Debian 12) in the lab accepts our made-up
 * called AE title; we release. */
static void
test_session_storescp_accepts(void **state)
{
	struct obs	 o;
	struct buf	 w;
	uint8_t		*rq;
	size_t		 rqlen;

	(void)state;
	buf_init(&w, 4096);
	assert_int_equal(run_file("dcmtk-3.6.7-storescp-accepted.bin", &o,
	    &w), PROBE_DONE);
	rq = harness_transcript("dicom", "client-associate-rq.bin", &rqlen);
	assert_int_equal(w.len, rqlen + DICOM_RELEASE_LEN);
	assert_memory_equal(w.data, rq, rqlen);
	assert_int_equal(w.data[rqlen], DICOM_PDU_RELEASE_RQ);
	free(rq);
	assert_string_equal(o.service, "dicom");
	assert_string_equal(obs_get(&o, "dicom.association"), "accepted");
	assert_string_equal(obs_get(&o, "dicom.verification"), "acceptance");
	assert_string_equal(obs_get(&o, "dicom.max_pdu"), "16384");
	assert_string_equal(obs_get(&o, "dicom.implementation_class_uid"),
	    "1.2.276.0.7230010.3.0.3.6.7");
	assert_string_equal(obs_get(&o, "dicom.implementation_version"),
	    "OFFIS_DCMTK_367");
	assert_string_equal(obs_get(&o, "product"), "DCMTK");
	assert_string_equal(obs_get(&o, "version"), "3.6.7");
	assert_string_equal(obs_get(&o, "dicom.release"), "yes");
	assert_null(obs_get(&o, "dicom.reject_reason"));
	obs_fini(&o);
	buf_fini(&w);
}

/* dcmqrscp with an AE table rejects it: reason 7. */
static void
test_session_dcmqrscp_rejects(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 4096);
	assert_int_equal(run_file("dcmtk-3.6.7-dcmqrscp-rejected.bin", &o,
	    &w), PROBE_DONE);
	assert_int_equal(w.data[0], DICOM_PDU_ASSOCIATE_RQ);
	assert_int_equal(w.len, 223);		/* no release after an RJ */
	assert_string_equal(o.service, "dicom");
	assert_string_equal(obs_get(&o, "dicom.association"), "rejected");
	assert_string_equal(obs_get(&o, "dicom.reject_result"), "permanent");
	assert_string_equal(obs_get(&o, "dicom.reject_source"),
	    "service-user");
	assert_string_equal(obs_get(&o, "dicom.reject_reason"),
	    "called-ae-title-not-recognized");
	assert_null(obs_get(&o, "dicom.implementation_version"));
	assert_null(obs_get(&o, "product"));
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_other_implementations(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("dcm4che-5-accepted.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "dcm4che");
	assert_string_equal(obs_get(&o, "version"), "5.29.2");
	assert_string_equal(obs_get(&o, "dicom.implementation_class_uid"),
	    "1.2.40.0.13.1.3");
	obs_fini(&o);

	assert_int_equal(run_file("pynetdicom-accepted.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "pynetdicom");
	assert_string_equal(obs_get(&o, "version"), "2.0.2");
	obs_fini(&o);

	/* Accepted association, Verification refused: any AE title still
	 * gets in. */
	assert_int_equal(run_file("unknown-vendor-no-verification.bin", &o,
	    NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.association"), "accepted");
	assert_string_equal(obs_get(&o, "dicom.verification"),
	    "abstract-syntax-not-supported");
	assert_string_equal(obs_get(&o, "dicom.implementation_version"),
	    "ACME_PACS_4");
	assert_null(obs_get(&o, "product"));
	obs_fini(&o);

	assert_int_equal(run_file("uid-only-padded.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.implementation_class_uid"),
	    "1.2.276.0.7230010.3.0.3.6.4");
	assert_null(obs_get(&o, "dicom.implementation_version"));
	assert_string_equal(obs_get(&o, "product"), "DCMTK");
	assert_string_equal(obs_get(&o, "version"), "3.6.4");
	obs_fini(&o);

	/* Names over their PS3.7 bounds are cut. */
	assert_int_equal(run_file("huge-names.bin", &o, NULL), PROBE_DONE);
	assert_int_equal(strlen(obs_get(&o,
	    "dicom.implementation_version")), DICOM_VERSION_NAME_MAX);
	assert_int_equal(strlen(obs_get(&o,
	    "dicom.implementation_class_uid")), DICOM_UID_MAX);
	obs_fini(&o);
}

static void
test_session_refusals(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("rejected-calling-ae.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.reject_reason"),
	    "calling-ae-title-not-recognized");
	obs_fini(&o);

	assert_int_equal(run_file("rejected-transient-congestion.bin", &o,
	    NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.reject_result"), "transient");
	assert_string_equal(obs_get(&o, "dicom.reject_source"),
	    "service-provider-presentation");
	assert_string_equal(obs_get(&o, "dicom.reject_reason"),
	    "temporary-congestion");
	obs_fini(&o);

	assert_int_equal(run_file("rejected-unknown-reason.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.reject_reason"), "9");
	obs_fini(&o);

	assert_int_equal(run_file("abort-provider.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "dicom");
	assert_string_equal(obs_get(&o, "dicom.association"), "aborted");
	assert_string_equal(obs_get(&o, "dicom.abort_source"),
	    "service-provider");
	assert_string_equal(obs_get(&o, "dicom.abort_reason"),
	    "unexpected-pdu");
	obs_fini(&o);

	assert_int_equal(run_file("abort-user.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "dicom.abort_source"),
	    "service-user");
	assert_null(obs_get(&o, "dicom.abort_reason"));
	obs_fini(&o);
}

static void
test_session_truncated_and_malformed(void **state)
{
	struct obs	o;

	(void)state;
	/* No A-RELEASE-RP: what the AC said stands. */
	assert_int_equal(run_file("accepted-no-release.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "dicom.association"), "accepted");
	assert_null(obs_get(&o, "dicom.release"));
	obs_fini(&o);

	assert_int_equal(run_file("truncated-ac.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "dicom");
	assert_string_equal(obs_get(&o, "dicom.error"), "truncated PDU");
	assert_null(obs_get(&o, "dicom.association"));
	obs_fini(&o);

	assert_int_equal(run_file("truncated-header.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);

	assert_int_equal(run_file("malformed-ac-item.bin", &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "dicom");
	assert_string_equal(obs_get(&o, "dicom.error"),
	    "malformed A-ASSOCIATE-AC");
	assert_null(obs_get(&o, "dicom.association"));
	obs_fini(&o);
}

static void
test_session_not_dicom(void **state)
{
	static const char *const	files[] = {
		"malformed-rj-length.bin", "oversized-pdu.bin",
		"not-dicom-http.bin", "echo-rq.bin",
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
	assert_string_equal(probe_dicom.name, "dicom");
	assert_int_equal(probe_dicom.ports[0], 104);
	assert_int_equal(probe_dicom.ports[1], 4242);
	assert_int_equal(probe_dicom.ports[2], 11112);
	assert_int_equal(probe_dicom.ports[3], 0);
	assert_false(probe_dicom.flags & PROBE_SERVER_FIRST);
	assert_ptr_equal(probe_for_port(104), &probe_dicom);
	assert_ptr_equal(probe_for_port(4242), &probe_dicom);
	assert_ptr_equal(probe_for_port(11112), &probe_dicom);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_associate_rq),
		cmocka_unit_test(test_build_release),
		cmocka_unit_test(test_parse_pdu),
		cmocka_unit_test(test_parse_ac_storescp),
		cmocka_unit_test(test_parse_rj_abort),
		cmocka_unit_test(test_product),
		cmocka_unit_test(test_session_storescp_accepts),
		cmocka_unit_test(test_session_dcmqrscp_rejects),
		cmocka_unit_test(test_session_other_implementations),
		cmocka_unit_test(test_session_refusals),
		cmocka_unit_test(test_session_truncated_and_malformed),
		cmocka_unit_test(test_session_not_dicom),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
