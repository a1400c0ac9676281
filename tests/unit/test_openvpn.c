/* test_openvpn.c - the OpenVPN hard reset we send, the control packet
 * parser, and the TCP and UDP probe sessions on OpenVPN 2.6 answers
 * recorded in the lab (with and without tls-auth) and written ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/openvpn.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.80"

static enum probe_status
run_file(const struct probe *mod, uint16_t port, const char *name,
    struct obs *o, struct buf *written)
{
	return harness_run_transcript(mod, "openvpn", name, PEER, port, o,
	    written);
}

/* P_CONTROL_HARD_RESET_CLIENT_V2, key 0; our session id; no ack; packet
 * id 0.  TCP adds the length. */
static void
test_build_reset(void **state)
{
	static const uint8_t	udp[] = {
		0x38, 'V', 'i', 'g', 'i', 'e', 'O', 'V', 'P', 0, 0, 0, 0, 0,
	};
	uint8_t			out[32];

	(void)state;
	assert_int_equal(openvpn_build_reset(out, sizeof(out), false), 14);
	assert_memory_equal(out, udp, sizeof(udp));
	assert_int_equal(openvpn_build_reset(out, sizeof(out), true), 16);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 14);
	assert_memory_equal(out + 2, udp, sizeof(udp));
	assert_int_equal(openvpn_build_reset(out, 13, false), 0);
	assert_int_equal(openvpn_build_reset(out, 15, true), 0);
}

static void
test_parse_packet(void **state)
{
	uint8_t			pkt[64];
	struct openvpn_packet	pk;
	size_t			n, i;
	uint8_t			*data;

	(void)state;
	data = harness_load_file(
	    "../transcripts/openvpn/openvpn-2.6.14-udp-reset.bin", &n);
	assert_int_equal(openvpn_parse_packet(data, n, &pk), PARSE_OK);
	assert_int_equal(pk.opcode, OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2);
	assert_int_equal(pk.key_id, 0);
	assert_int_equal(pk.nacks, 1);
	assert_int_equal(pk.acks[0], 0);
	assert_memory_equal(pk.remote_sid, openvpn_client_sid, 8);
	assert_true(pk.has_packet_id);
	assert_int_equal(pk.packet_id, 0);
	assert_int_equal(pk.payload.len, 0);
	assert_int_equal(pk.used, n);
	/* Every prefix is incomplete, never wrong. */
	for (i = 0; i < n; i++)
		assert_int_equal(openvpn_parse_packet(data, i, &pk),
		    PARSE_MORE);
	free(data);

	/* Our own reset parses: no ack, packet id 0. */
	n = openvpn_build_reset(pkt, sizeof(pkt), false);
	assert_int_equal(openvpn_parse_packet(pkt, n, &pk), PARSE_OK);
	assert_int_equal(pk.opcode, OPENVPN_P_CONTROL_HARD_RESET_CLIENT_V2);
	assert_int_equal(pk.nacks, 0);
	/* P_ACK_V1 has no packet id of its own. */
	pkt[0] = OPENVPN_P_ACK_V1 << 3;
	pkt[9] = 1;
	memset(pkt + 10, 0, 4);
	memcpy(pkt + 14, "VigieOVP", 8);
	assert_int_equal(openvpn_parse_packet(pkt, 22, &pk), PARSE_OK);
	assert_false(pk.has_packet_id);
	/* Data, unknown and zero opcodes; too many acks. */
	pkt[0] = OPENVPN_P_DATA_V2 << 3;
	assert_int_equal(openvpn_parse_packet(pkt, 22, &pk), PARSE_BAD);
	pkt[0] = 31 << 3;
	assert_int_equal(openvpn_parse_packet(pkt, 22, &pk), PARSE_BAD);
	pkt[0] = 0;
	assert_int_equal(openvpn_parse_packet(pkt, 1, &pk), PARSE_BAD);
	pkt[0] = OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2 << 3;
	pkt[9] = OPENVPN_ACK_MAX + 1;
	assert_int_equal(openvpn_parse_packet(pkt, 64, &pk), PARSE_BAD);
	assert_int_equal(openvpn_parse_packet(pkt, 0, &pk), PARSE_MORE);
	assert_string_equal(openvpn_opcode_name(8),
	    "P_CONTROL_HARD_RESET_SERVER_V2");
	assert_null(openvpn_opcode_name(0));
	assert_null(openvpn_opcode_name(200));
}

static void
test_parse_tcp(void **state)
{
	struct openvpn_packet	pk;
	uint8_t			*data;
	size_t			 n, i;
	static const uint8_t	short_len[] = { 0x00, 0x05, 0x40 };
	static const uint8_t	long_len[] = { 0x47, 0x45, 0x54 };
	static const uint8_t	cut[] = {	/* 10 bytes said, 9 of header */
		0x00, 0x0a, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 0,
	};

	(void)state;
	data = harness_load_file(
	    "../transcripts/openvpn/openvpn-2.6.14-tcp-reset.bin", &n);
	assert_int_equal(openvpn_parse_tcp(data, n, &pk), PARSE_OK);
	assert_int_equal(pk.used, n);
	assert_int_equal(pk.opcode, OPENVPN_P_CONTROL_HARD_RESET_SERVER_V2);
	assert_memory_equal(pk.remote_sid, openvpn_client_sid, 8);
	for (i = 0; i < n; i++)
		assert_int_equal(openvpn_parse_tcp(data, i, &pk), PARSE_MORE);
	free(data);
	assert_int_equal(openvpn_parse_tcp(short_len, 3, &pk), PARSE_BAD);
	assert_int_equal(openvpn_parse_tcp(long_len, 3, &pk), PARSE_BAD);
	assert_int_equal(openvpn_parse_tcp(cut, sizeof(cut), &pk),
	    PARSE_BAD);
}

/* OpenVPN 2.6.14 of Debian 12 without tls-auth, UDP: answers. */
static void
test_session_udp_reset(void **state)
{
	struct obs	o;
	struct buf	w;
	uint8_t		reset[14];

	(void)state;
	buf_init(&w, 64);
	assert_int_equal(run_file(&probe_openvpn_udp, 1194,
	    "openvpn-2.6.14-udp-reset.bin", &o, &w), PROBE_DONE);
	assert_int_equal(openvpn_build_reset(reset, sizeof(reset), false),
	    w.len);
	assert_memory_equal(w.data, reset, w.len);
	assert_string_equal(o.service, "openvpn");
	assert_string_equal(obs_get(&o, "openvpn.answer"), "reset");
	assert_string_equal(obs_get(&o, "openvpn.opcode"),
	    "P_CONTROL_HARD_RESET_SERVER_V2");
	assert_string_equal(obs_get(&o, "openvpn.tls_auth"), "no");
	assert_string_equal(obs_get(&o, "openvpn.session_echo"), "yes");
	assert_null(obs_get(&o, "probe.udp_state"));
	obs_fini(&o);
	buf_fini(&w);
}

/* The same server over TCP, read one byte at a time too. */
static void
test_session_tcp_reset(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 64);
	assert_int_equal(run_file(&probe_openvpn, 1194,
	    "openvpn-2.6.14-tcp-reset.bin", &o, &w), PROBE_DONE);
	assert_int_equal(w.len, 16);
	assert_string_equal(o.service, "openvpn");
	assert_string_equal(obs_get(&o, "openvpn.tls_auth"), "no");
	assert_string_equal(obs_get(&o, "openvpn.session_echo"), "yes");
	obs_fini(&o);
	buf_fini(&w);
}

/* tls-auth (UDP 1194, TCP 1194) and tls-crypt (TCP 443) in the lab:
 * nothing comes back.  On 1194: "open, no answer", no service; over UDP
 * the port is open|filtered.  On another port: nothing said at all. */
static void
test_session_tls_auth_silence(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(&probe_openvpn_udp, 1194,
	    "openvpn-tls-auth-udp.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_string_equal(obs_get(&o, "openvpn.answer"), "none");
	assert_string_equal(obs_get(&o, "probe.udp_state"), "open|filtered");
	assert_null(obs_get(&o, "openvpn.tls_auth"));
	obs_fini(&o);

	assert_int_equal(run_file(&probe_openvpn, 1194,
	    "openvpn-tls-auth-tcp.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_string_equal(obs_get(&o, "openvpn.answer"), "none");
	assert_null(obs_get(&o, "probe.udp_state"));
	obs_fini(&o);

	assert_int_equal(run_file(&probe_openvpn, 443,
	    "openvpn-tls-crypt-tcp.bin", &o, NULL), PROBE_MORE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

/* Written: a 2.0-era server's V1 reset; a reset carrying payload. */
static void
test_session_written_resets(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(&probe_openvpn_udp, 1194,
	    "openvpn-v1-server-reset.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(o.service, "openvpn");
	assert_string_equal(obs_get(&o, "openvpn.opcode"),
	    "P_CONTROL_HARD_RESET_SERVER_V1");
	obs_fini(&o);
	assert_int_equal(run_file(&probe_openvpn_udp, 1194,
	    "openvpn-reset-with-payload.bin", &o, NULL), PROBE_DONE);
	assert_string_equal(o.service, "openvpn");
	obs_fini(&o);
}

/* Not an answer to us, or not OpenVPN: a mismatch, and no "none". */
static void
test_session_mismatch(void **state)
{
	static const struct {
		int		 tcp;
		const char	*file;
	} cases[] = {
		{ 0, "openvpn-other-session.bin" },
		{ 0, "openvpn-data-v2.bin" },
		{ 0, "openvpn-ack-overflow.bin" },
		{ 1, "openvpn-tcp-bad-length.bin" },
		{ 1, "http-400.bin" },
	};
	struct obs	o;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(run_file(cases[i].tcp ? &probe_openvpn :
		    &probe_openvpn_udp, 1194, cases[i].file, &o, NULL),
		    PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		assert_null(obs_get(&o, "openvpn.answer"));
		obs_fini(&o);
	}
}

/* A reset cut short: something came, so not "none"; nothing claimed. */
static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(&probe_openvpn, 1194,
	    "openvpn-tcp-truncated.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_null(obs_get(&o, "openvpn.answer"));
	assert_int_equal(o.status, OBS_PARTIAL);
	obs_fini(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_reset),
		cmocka_unit_test(test_parse_packet),
		cmocka_unit_test(test_parse_tcp),
		cmocka_unit_test(test_session_udp_reset),
		cmocka_unit_test(test_session_tcp_reset),
		cmocka_unit_test(test_session_tls_auth_silence),
		cmocka_unit_test(test_session_written_resets),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_session_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
