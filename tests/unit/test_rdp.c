/* test_rdp.c - the X.224 Connection Request we send, the Connection
 * Confirm parser, and the RDP probe session. */
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
#include "probes/rdp.h"
#include "harness.h"

#define PEER	"198.51.100.89"

/* MS-RDPBCGR 2.2.1.1 without a cookie, requesting SSL | HYBRID. */
static const uint8_t	cr_ssl_hybrid[RDP_CR_LEN] = {
	0x03, 0x00, 0x00, 0x13,				/* TPKT, 19 bytes */
	0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,	/* X.224 CR */
	0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00,	/* RDP_NEG_REQ */
};

static void
test_build_cr(void **state)
{
	uint8_t	cr[32];

	(void)state;
	assert_int_equal(rdp_build_cr(cr, sizeof(cr),
	    RDP_PROTOCOL_SSL | RDP_PROTOCOL_HYBRID), RDP_CR_LEN);
	assert_memory_equal(cr, cr_ssl_hybrid, RDP_CR_LEN);
	assert_int_equal(rdp_build_cr(cr, RDP_CR_LEN - 1, 0), 0);
	assert_int_equal(rdp_build_cr(cr, sizeof(cr), 0x0b), RDP_CR_LEN);
	assert_int_equal(cr[15], 0x0b);
}

static void
test_parse_rsp(void **state)
{
	static const uint8_t	cc[] = {
		0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
		0x00, 0x02, 0x1f, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0xaa,
	};
	struct rdp_cc		c;
	size_t			i;

	(void)state;
	assert_int_equal(rdp_parse_cc(cc, sizeof(cc), &c), PARSE_OK);
	assert_int_equal(c.tpkt_len, 19);
	assert_int_equal(c.li, 14);
	assert_int_equal(c.src_ref, 0x1234);
	assert_int_equal(c.neg, RDP_NEG_RSP);
	assert_int_equal(c.neg_flags, 0x1f);
	assert_int_equal(c.neg_value, RDP_PROTOCOL_HYBRID);
	assert_string_equal(rdp_nla_verdict(&c, 3), "supported");
	for (i = 0; i < 19; i++)
		assert_int_equal(rdp_parse_cc(cc, i, &c), PARSE_MORE);
}

static void
test_parse_failure_and_legacy(void **state)
{
	static const uint8_t	fail[] = {
		0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
		0x00, 0x03, 0x00, 0x08, 0x00, 0x05, 0x00, 0x00, 0x00,
	};
	static const uint8_t	legacy[] = {
		0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, 0x00, 0x00, 0x12, 0x34,
		0x00,
	};
	struct rdp_cc		c;

	(void)state;
	assert_int_equal(rdp_parse_cc(fail, sizeof(fail), &c), PARSE_OK);
	assert_int_equal(c.neg, RDP_NEG_FAILURE);
	assert_int_equal(c.neg_value, RDP_HYBRID_REQUIRED_BY_SERVER);
	assert_string_equal(rdp_nla_verdict(&c, 3), "required");

	assert_int_equal(rdp_parse_cc(legacy, sizeof(legacy), &c), PARSE_OK);
	assert_int_equal(c.neg, RDP_NEG_NONE);
	assert_string_equal(rdp_nla_verdict(&c, 3), "not_supported");
}

static void
test_parse_rejects(void **state)
{
	static const struct {
		const char	*hex;
		size_t		 len;
	} bad[] = {
		{ "\x04", 1 },				/* TPKT version */
		{ "\x03\x01", 2 },			/* reserved byte */
		{ "\x03\x00\x00\x13\x0e\xe0", 6 },	/* a CR, not a CC */
		{ "\x03\x00\x00\x05", 4 },		/* TPKT too short */
		{ "\x03\x00\x10\x00", 4 },		/* TPKT too long */
		{ "\x03\x00\x00\x13\x0f\xd0", 6 },	/* LI past the TPKT */
		{ "\x03\x00\x00\x13\x05\xd0", 6 },	/* LI too short */
		{ "HTTP/1.1", 8 },
	};
	struct rdp_cc	c;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rdp_parse_cc((const uint8_t *)bad[i].hex,
		    bad[i].len, &c), PARSE_BAD);
}

static void
test_names_and_verdicts(void **state)
{
	struct rdp_cc	c;

	(void)state;
	assert_string_equal(rdp_protocol_name(0), "standard_rdp");
	assert_string_equal(rdp_protocol_name(8), "hybrid_ex");
	assert_null(rdp_protocol_name(3));
	assert_string_equal(rdp_failure_name(2), "ssl_not_allowed_by_server");
	assert_string_equal(rdp_failure_name(6),
	    "ssl_with_user_auth_required_by_server");
	assert_null(rdp_failure_name(0));
	assert_null(rdp_failure_name(7));
	assert_null(rdp_failure_name(0xffffffffu));

	memset(&c, 0, sizeof(c));
	c.neg = RDP_NEG_RSP;
	c.neg_value = RDP_PROTOCOL_SSL;
	assert_string_equal(rdp_nla_verdict(&c, 3), "not_supported");
	assert_string_equal(rdp_nla_verdict(&c, 1), "unknown");
	c.neg_value = RDP_PROTOCOL_HYBRID_EX;
	assert_string_equal(rdp_nla_verdict(&c, 0xb), "supported");
	c.neg_value = RDP_PROTOCOL_RDSTLS;
	assert_string_equal(rdp_nla_verdict(&c, 3), "unknown");
	c.neg = RDP_NEG_FAILURE;
	c.neg_value = RDP_SSL_NOT_ALLOWED_BY_SERVER;
	assert_string_equal(rdp_nla_verdict(&c, 3), "not_supported");
	c.neg_value = RDP_SSL_CERT_NOT_ON_SERVER;
	assert_string_equal(rdp_nla_verdict(&c, 3), "unknown");
	c.neg = RDP_NEG_OTHER;
	assert_string_equal(rdp_nla_verdict(&c, 3), "unknown");
}

static enum probe_status
run_file(const char *name, struct obs *o)
{
	char			 path[256];
	uint8_t			*data;
	size_t			 len;
	enum probe_status	 st;
	struct buf		 w;

	snprintf(path, sizeof(path), "../transcripts/rdp/%s", name);
	data = harness_load_file(path, &len);
	buf_init(&w, 64);
	st = harness_run_chunks(&probe_rdp, PEER, 3389, data, len, o, &w);
	/* Whatever the server says, we sent exactly one request. */
	assert_int_equal(w.len, RDP_CR_LEN);
	assert_memory_equal(w.data, cr_ssl_hybrid, RDP_CR_LEN);
	buf_fini(&w);
	free(data);
	return st;
}

/* xrdp 0.9.21 on Debian 12: real Connection Confirms. */
static void
test_session_xrdp(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("xrdp-0.9.21-negotiate.bin", &o),
	    PROBE_DONE);
	assert_string_equal(o.service, "rdp");
	assert_string_equal(obs_get(&o, "rdp.selected_protocol"), "ssl");
	assert_string_equal(obs_get(&o, "rdp.neg_flags"), "0x01");
	assert_string_equal(obs_get(&o, "rdp.nla"), "not_supported");
	assert_string_equal(obs_get(&o, "rdp.x224_src_ref"), "0x1234");
	assert_null(obs_get(&o, "rdp.neg_failure"));
	obs_fini(&o);

	/* security_layer=rdp: Standard RDP Security, even offered TLS. */
	assert_int_equal(run_file("xrdp-0.9.21-rdp-security.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.selected_protocol"),
	    "standard_rdp");
	assert_string_equal(obs_get(&o, "rdp.nla"), "not_supported");
	obs_fini(&o);

	/* security_layer=tls answering a Standard-only request, followed
	 * by a disconnect TPDU that is left alone. */
	assert_int_equal(run_file("xrdp-0.9.21-tls-failure.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.neg_failure"),
	    "ssl_required_by_server");
	assert_null(obs_get(&o, "rdp.selected_protocol"));
	assert_string_equal(obs_get(&o, "rdp.nla"), "unknown");
	obs_fini(&o);
}

static void
test_session_windows(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("windows-hybrid.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.selected_protocol"), "hybrid");
	assert_string_equal(obs_get(&o, "rdp.neg_flags"), "0x1f");
	assert_string_equal(obs_get(&o, "rdp.nla"), "supported");
	obs_fini(&o);

	assert_int_equal(run_file("windows-hybrid-required.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.neg_failure"),
	    "hybrid_required_by_server");
	assert_string_equal(obs_get(&o, "rdp.nla"), "required");
	obs_fini(&o);

	assert_int_equal(run_file("windows-ssl-not-allowed.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.neg_failure"),
	    "ssl_not_allowed_by_server");
	assert_string_equal(obs_get(&o, "rdp.nla"), "not_supported");
	obs_fini(&o);

	assert_int_equal(run_file("legacy-no-negotiation.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.selected_protocol"),
	    "standard_rdp");
	assert_string_equal(obs_get(&o, "rdp.negotiation"), "none");
	obs_fini(&o);

	assert_int_equal(run_file("unknown-protocol.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "rdp.selected_protocol"),
	    "0x00000040");
	assert_string_equal(obs_get(&o, "rdp.nla"), "unknown");
	obs_fini(&o);
}

static void
test_session_truncated_and_mismatch(void **state)
{
	static const char *const bad[] = {
		"not-rdp-cr-echo.bin", "not-rdp-http.bin",
		"malformed-tpkt-length.bin", "malformed-li.bin",
	};
	struct obs	o;
	size_t		i;

	(void)state;
	assert_int_equal(run_file("truncated.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(run_file(bad[i], &o), PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		obs_fini(&o);
	}
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_rdp.name, "rdp");
	assert_int_equal(probe_rdp.ports[0], 3389);
	assert_int_equal(probe_rdp.ports[1], 0);
	assert_int_equal(probe_rdp.transport, PROBE_TCP);
	assert_false(probe_rdp.flags & PROBE_SERVER_FIRST);
	assert_non_null(probe_rdp.start);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_cr),
		cmocka_unit_test(test_parse_rsp),
		cmocka_unit_test(test_parse_failure_and_legacy),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_names_and_verdicts),
		cmocka_unit_test(test_session_xrdp),
		cmocka_unit_test(test_session_windows),
		cmocka_unit_test(test_session_truncated_and_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
