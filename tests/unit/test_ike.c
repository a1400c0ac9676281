/* test_ike.c - the IKE requests (built, then read back by the parser),
 * the message parser and its bounds, suite names and judgements, vendor
 * IDs, and the probe session on strongSwan 5.9.8's answers recorded in
 * the lab and on written ones (Cisco, Windows, malformed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/ike.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.80"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static enum probe_status
run_file(uint16_t port, const char *name, struct obs *o, struct buf *w)
{
	return harness_run_transcript(&probe_ike, "ike", name, PEER, port, o,
	    w);
}

/* The messages a buffer holds, one after the other, by initiator SPI. */
static size_t
count_sent(const struct buf *w, size_t marker, enum ike_offer o)
{
	struct ike_msg	m;
	size_t		off = 0, n = 0;

	while (off + marker < w->len) {
		assert_int_equal(ike_parse(w->data + off + marker,
		    w->len - off - marker, &m), PARSE_OK);
		if (ike_offer_of(m.spi_i) == o)
			n++;
		off += marker + m.len;
	}
	assert_int_equal(off, w->len);
	return n;
}

/* Every request reads back as what it says it is. */
static void
test_build_offers(void **state)
{
	static const struct {
		enum ike_offer	o;
		uint8_t		version, exchange;
	} cases[] = {
		{ IKE_OFFER_V2, IKE_V2, IKE_V2_SA_INIT },
		{ IKE_OFFER_V2_WEAK, IKE_V2, IKE_V2_SA_INIT },
		{ IKE_OFFER_V1, IKE_V1, IKE_V1_MAIN },
		{ IKE_OFFER_V1_WEAK, IKE_V1, IKE_V1_MAIN },
		{ IKE_OFFER_V1_AGGR, IKE_V1, IKE_V1_AGGRESSIVE },
	};
	uint8_t		pkt[IKE_DGRAM_MAX];
	struct ike_msg	m;
	size_t		i, n;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		n = ike_build(cases[i].o, IKE_FIRST_GROUP_V2, span_of(NULL, 0),
		    pkt, sizeof(pkt));
		assert_true(n > IKE_HDR_LEN && n <= IKE_DGRAM_MAX);
		assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
		assert_int_equal(m.len, n);
		assert_memory_equal(m.spi_i, ike_offer_spi[cases[i].o], 8);
		assert_int_equal(ike_offer_of(m.spi_i), cases[i].o);
		assert_int_equal(m.version, cases[i].version);
		assert_int_equal(m.exchange, cases[i].exchange);
		assert_true(m.has_sa);
		assert_int_equal(m.proposal, 1);
		assert_false(m.encrypted);
	}
	/* IKEv2: the first transform of each type, KE and nonce. */
	n = ike_build(IKE_OFFER_V2, 19, span_of(NULL, 0), pkt, sizeof(pkt));
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
	assert_int_equal(m.flags, 0x08);
	assert_int_equal(m.suite.encr, 12);
	assert_int_equal(m.suite.keylen, 256);
	assert_int_equal(m.suite.prf, 5);
	assert_int_equal(m.suite.integ, 12);
	assert_int_equal(m.suite.group, 19);
	assert_true(m.has_ke && m.has_nonce);
	assert_int_equal(m.ke_group, 19);
	assert_int_equal(m.nvid, 0);
	/* IKEv1: the first suite; our three vendor IDs. */
	n = ike_build(IKE_OFFER_V1, 0, span_of(NULL, 0), pkt, sizeof(pkt));
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
	assert_int_equal(m.suite.encr, 7);
	assert_int_equal(m.suite.keylen, 256);
	assert_int_equal(m.suite.hash, 4);
	assert_int_equal(m.suite.auth, IKE_V1_AUTH_PSK);
	assert_int_equal(m.suite.group, 14);
	assert_int_equal(m.nvid, 3);
	/* Aggressive: KE, nonce and our identity. */
	n = ike_build(IKE_OFFER_V1_AGGR, 0, span_of(NULL, 0), pkt,
	    sizeof(pkt));
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
	assert_true(m.has_ke && m.has_nonce && m.has_id);
	assert_int_equal(m.id_type, 2);
	assert_true(span_eq_str(m.id, "vigie.invalid"));
	assert_int_equal(m.suite.group, 2);
}

static void
test_build_groups_cookie(void **state)
{
	static const uint16_t	ok[] = { 1, 2, 5, 14, 15, 16, 19, 20, 31 };
	static const uint16_t	no[] = { 0, 17, 18, 21, 22, 32, 1000 };
	uint8_t			pkt[IKE_DGRAM_MAX], big[IKE_COOKIE_MAX + 1];
	struct ike_msg		m;
	size_t			i, n;

	(void)state;
	for (i = 0; i < NELEM(ok); i++) {
		assert_true(ike_group_supported(ok[i]));
		n = ike_build(IKE_OFFER_V2, ok[i], span_of(NULL, 0), pkt,
		    sizeof(pkt));
		assert_true(n > 0);
		assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
		assert_int_equal(m.ke_group, ok[i]);
		/* The weak offer with a big group would pass our ceiling. */
		n = ike_build(IKE_OFFER_V2_WEAK, ok[i], span_of(NULL, 0), pkt,
		    sizeof(pkt));
		assert_true(n <= IKE_DGRAM_MAX);
	}
	for (i = 0; i < NELEM(no); i++) {
		assert_false(ike_group_supported(no[i]));
		assert_int_equal(ike_build(IKE_OFFER_V2, no[i],
		    span_of(NULL, 0), pkt, sizeof(pkt)), 0);
	}
	/* RFC 7296 2.6: the cookie goes back first. */
	n = ike_build(IKE_OFFER_V2, 14, span_str("a cookie"), pkt,
	    sizeof(pkt));
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
	assert_int_equal(pkt[16], 41);
	assert_int_equal(m.nnotify, 1);
	assert_int_equal(m.notify[0], IKE_N_COOKIE);
	assert_true(span_eq_str(m.cookie, "a cookie"));
	assert_true(m.has_sa);
	memset(big, 'c', sizeof(big));
	assert_int_equal(ike_build(IKE_OFFER_V2, 14, span_of(big,
	    sizeof(big)), pkt, sizeof(pkt)), 0);
	/* Too small a buffer, an unknown offer. */
	assert_int_equal(ike_build(IKE_OFFER_V1, 0, span_of(NULL, 0), pkt,
	    100), 0);
	assert_int_equal(ike_build(IKE_OFFER_N, 14, span_of(NULL, 0), pkt,
	    sizeof(pkt)), 0);
}

static void
test_parse_bounds(void **state)
{
	uint8_t		pkt[IKE_DGRAM_MAX];
	struct ike_msg	m;
	size_t		i, n;

	(void)state;
	n = ike_build(IKE_OFFER_V2, 14, span_of(NULL, 0), pkt, sizeof(pkt));
	for (i = 0; i < n; i++)
		assert_int_equal(ike_parse(pkt, i, &m), PARSE_MORE);
	/* Version 3, shown as soon as its byte is in. */
	pkt[17] = 0x30;
	assert_int_equal(ike_parse(pkt, 18, &m), PARSE_BAD);
	pkt[17] = 0x20;
	/* A length under the header's, or over our ceiling. */
	pkt[24] = pkt[25] = pkt[26] = 0;
	pkt[27] = 27;
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_BAD);
	pkt[26] = (IKE_MSG_MAX + 1) >> 8;
	pkt[27] = (IKE_MSG_MAX + 1) & 0xff;
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_BAD);
	pkt[26] = (uint8_t)(n >> 8);
	pkt[27] = (uint8_t)n;
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_OK);
	/* A payload shorter than its header, or running past the end. */
	pkt[IKE_HDR_LEN + 2] = 0;
	pkt[IKE_HDR_LEN + 3] = 3;
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_BAD);
	pkt[IKE_HDR_LEN + 2] = 0x7f;
	assert_int_equal(ike_parse(pkt, n, &m), PARSE_BAD);
	/* v2 SK: encrypted, the rest unread. */
	memcpy(pkt, "Vigie-v2", 8);
	memset(pkt + 8, 0, 8);
	pkt[16] = 46;
	pkt[24] = pkt[25] = pkt[26] = 0;
	pkt[27] = IKE_HDR_LEN + 8;
	memcpy(pkt + IKE_HDR_LEN, "\0\0\0\x08garb", 8);
	assert_int_equal(ike_parse(pkt, IKE_HDR_LEN + 8, &m), PARSE_OK);
	assert_true(m.encrypted);
	assert_false(m.has_sa);
}

static void
test_names_and_weak(void **state)
{
	struct ike_suite	v2 = { .encr = 12, .keylen = 256, .prf = 5,
				    .integ = 12, .group = 14 };
	struct ike_suite	v1 = { .encr = 5, .hash = 2, .auth = 65001,
				    .group = 2 };
	struct ike_suite	odd = { .encr = 99, .prf = 77, .group = 999 };
	char			s[160];

	(void)state;
	ike_suite_str(IKE_V2, &v2, s, sizeof(s));
	assert_string_equal(s,
	    "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	assert_false(ike_suite_weak(IKE_V2, &v2));
	ike_suite_str(IKE_V1, &v1, s, sizeof(s));
	assert_string_equal(s, "3DES_CBC/SHA1/XAUTH_PSK/MODP_1024");
	assert_true(ike_suite_weak(IKE_V1, &v1));
	ike_suite_str(IKE_V2, &odd, s, sizeof(s));
	assert_string_equal(s, "ENCR_99/PRF_77/DH_999");
	ike_suite_str(IKE_V2, &v2, s, 10);
	assert_string_equal(s, "AES_CBC_2");
	/* One weak part is enough. */
	v2.group = 2;
	assert_true(ike_suite_weak(IKE_V2, &v2));
	v2.group = 19;
	v2.prf = 2;
	assert_true(ike_suite_weak(IKE_V2, &v2));
	v2.prf = 5;
	v2.integ = 2;
	assert_true(ike_suite_weak(IKE_V2, &v2));
	v2.integ = 0;
	v2.encr = 20;			/* AES-GCM: no integrity */
	assert_false(ike_suite_weak(IKE_V2, &v2));
	v2.encr = 3;
	assert_true(ike_suite_weak(IKE_V2, &v2));
	v1.encr = 7;
	v1.hash = 4;
	v1.group = 14;
	assert_false(ike_suite_weak(IKE_V1, &v1));
	v1.hash = 1;
	assert_true(ike_suite_weak(IKE_V1, &v1));
	assert_true(ike_group_weak(5) && !ike_group_weak(14));
	assert_string_equal(ike_notify_name(IKE_V2, 16390), "COOKIE");
	assert_string_equal(ike_notify_name(IKE_V1, 14),
	    "NO_PROPOSAL_CHOSEN");
	assert_null(ike_notify_name(IKE_V2, 12345));
	assert_string_equal(ike_group_name(31), "CURVE_25519");
	assert_string_equal(ike_auth_name(1), "PSK");
}

static void
test_vendor_ids(void **state)
{
	static const uint8_t	dpd[] = {
		0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9, 0x6b, 0x86,
		0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
	};
	static const uint8_t	ms[] = {
		0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d, 0x7c, 0x96,
		0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61, 0, 0, 0, 9,
	};
	static const uint8_t	ss[] = {
		0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc, 0x22, 0x51,
		0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb,
	};
	const char		*product;

	(void)state;
	assert_string_equal(ike_vid_name(dpd, sizeof(dpd), &product),
	    "Dead Peer Detection");
	assert_null(product);
	assert_string_equal(ike_vid_name(ms, sizeof(ms), &product),
	    "MS NT5 ISAKMPOAKLEY");
	assert_string_equal(product, "Microsoft Windows");
	assert_string_equal(ike_vid_name(ss, sizeof(ss), &product),
	    "strongSwan");
	assert_string_equal(product, "strongSwan");
	/* A prefix of a known one is not it. */
	assert_null(ike_vid_name(ss, 8, &product));
	assert_null(product);
	assert_string_equal(ike_vid_name((const uint8_t *)
	    "CISCO(COPYRIGHT)&Copyright (c) 2009", 35, &product),
	    "Cisco copyright");
	assert_string_equal(product, "Cisco");
	assert_null(ike_vid_name((const uint8_t *)"CISCO", 5, &product));
}

/* strongSwan 5.9.8 in the lab (h8), one probe session: INVALID_KE then
 * COOKIE for the first IKEv2 offer, weak suites accepted in both
 * versions, aggressive mode answered with the PSK hash. */
static void
test_session_strongswan(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 16384);
	assert_int_equal(run_file(500, "strongswan-5.9.8-session.bin", &o,
	    &w), PROBE_DONE);
	/* Five requests, then the first IKEv2 one twice more. */
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V2), 3);
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V2_WEAK), 1);
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V1), 1);
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V1_WEAK), 1);
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V1_AGGR), 1);
	assert_string_equal(o.service, "ike");
	assert_string_equal(obs_get(&o, "product"), "strongSwan");
	assert_string_equal(obs_get(&o, "ike.version"), "1,2");
	assert_string_equal(obs_get(&o, "ike.transforms"),
	    "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	assert_string_equal(obs_get(&o, "ike.v1_transforms"),
	    "AES_CBC_256/SHA2_256/PSK/MODP_2048");
	assert_string_equal(obs_get(&o, "ike.ke_group"), "MODP_2048");
	assert_string_equal(obs_get(&o, "ike.cookie"), "yes");
	assert_string_equal(obs_get(&o, "ike.notify"),
	    "CHILDLESS_IKEV2_SUPPORTED,MULTIPLE_AUTH_SUPPORTED,"
	    "INVALID_KE_PAYLOAD,COOKIE");
	assert_string_equal(obs_get(&o, "ike.vendor_ids"),
	    "strongSwan,XAUTH,Dead Peer Detection,RFC 3947 NAT-T");
	assert_string_equal(obs_get(&o, "ike.weak"), "yes");
	assert_string_equal(obs_get(&o, "ike.weak_accepted"),
	    "v2 AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024; "
	    "v1 AES_CBC_128/SHA1/PSK/MODP_1024");
	assert_string_equal(obs_get(&o, "ike.aggressive"), "psk-hash");
	assert_string_equal(obs_get(&o, "ike.aggressive_transforms"),
	    "AES_CBC_128/SHA1/PSK/MODP_1024");
	assert_string_equal(obs_get(&o, "ike.aggressive_id"),
	    "fqdn:vpn.chu-demo.test");
	obs_fini(&o);
	buf_fini(&w);
}

/* The same on 4500: every datagram behind four zero bytes.  strongSwan
 * does not answer IKEv1 there: the session runs to its deadline. */
static void
test_session_strongswan_natt(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	buf_init(&w, 16384);
	assert_int_equal(run_file(4500, "strongswan-5.9.8-natt-session.bin",
	    &o, &w), PROBE_MORE);
	assert_memory_equal(w.data, "\0\0\0\0Vigie-", 10);
	assert_int_equal(count_sent(&w, 4, IKE_OFFER_V2), 3);
	assert_int_equal(count_sent(&w, 4, IKE_OFFER_V2_WEAK), 2);
	assert_string_equal(o.service, "ike");
	assert_string_equal(obs_get(&o, "ike.version"), "2");
	assert_string_equal(obs_get(&o, "ike.transforms"),
	    "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	assert_null(obs_get(&o, "ike.v1_transforms"));
	assert_string_equal(obs_get(&o, "ike.weak"), "yes");
	assert_string_equal(obs_get(&o, "ike.aggressive"), "no-answer");
	obs_fini(&o);
	buf_fini(&w);
}

/* Refusals, recorded: IKEv2 and IKEv1 offered DES only. */
static void
test_session_refused(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(500, "strongswan-v2-no-proposal.bin", &o,
	    NULL), PROBE_MORE);
	assert_string_equal(o.service, "ike");
	assert_string_equal(obs_get(&o, "ike.version"), "2");
	assert_string_equal(obs_get(&o, "ike.notify"), "NO_PROPOSAL_CHOSEN");
	assert_null(obs_get(&o, "ike.transforms"));
	assert_null(obs_get(&o, "ike.weak"));	/* the weak offer: silent */
	obs_fini(&o);
	assert_int_equal(run_file(500, "strongswan-v1-no-proposal.bin", &o,
	    NULL), PROBE_MORE);
	assert_string_equal(obs_get(&o, "ike.version"), "1");
	assert_string_equal(obs_get(&o, "ike.notify"), "NO_PROPOSAL_CHOSEN");
	assert_null(obs_get(&o, "ike.v1_transforms"));
	obs_fini(&o);
	/* A lone COOKIE: we answer it, then nothing more comes. */
	assert_int_equal(run_file(500, "strongswan-v2-cookie.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "ike.cookie"), "yes");
	obs_fini(&o);
}

/* Written: a Cisco ASA (IKEv1, XAUTH, 3DES), Windows (certificates,
 * weak refused, aggressive refused). */
static void
test_session_written_vendors(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(500, "cisco-asa-v1.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "product"), "Cisco");
	assert_string_equal(obs_get(&o, "ike.version"), "1");
	assert_string_equal(obs_get(&o, "ike.v1_transforms"),
	    "3DES_CBC/SHA1/XAUTH_PSK/MODP_1024");
	assert_string_equal(obs_get(&o, "ike.vendor_ids"),
	    "Cisco Unity,XAUTH,Dead Peer Detection,IKE fragmentation,"
	    "Cisco VPN Concentrator,d4e1b2c3a5968778695a4b3c2d1e0f00");
	assert_string_equal(obs_get(&o, "ike.weak"), "yes");
	assert_string_equal(obs_get(&o, "ike.weak_accepted"),
	    "v1 3DES_CBC/SHA1/XAUTH_PSK/MODP_1024; "
	    "v1 3DES_CBC/SHA1/PSK/MODP_1024");
	assert_string_equal(obs_get(&o, "ike.aggressive"), "no-answer");
	obs_fini(&o);

	assert_int_equal(run_file(500, "windows-v1.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "product"), "Microsoft Windows");
	assert_string_equal(obs_get(&o, "ike.v1_transforms"),
	    "AES_CBC_256/SHA2_256/RSA_SIG/MODP_2048");
	assert_string_equal(obs_get(&o, "ike.weak"), "no");
	assert_string_equal(obs_get(&o, "ike.aggressive"), "refused");
	obs_fini(&o);

	assert_int_equal(run_file(500, "aggressive-sig.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "ike.aggressive"), "answered");
	assert_string_equal(obs_get(&o, "ike.aggressive_id"),
	    "ipv4:203.0.113.9");
	obs_fini(&o);
}

/* Written: more vendor IDs than kept, AEAD suite, Cisco's text VIDs;
 * INVALID_KE_PAYLOAD for groups we cannot or may send. */
static void
test_session_written_edges(void **state)
{
	struct obs	o;
	struct buf	w;
	const char	*v;

	(void)state;
	assert_int_equal(run_file(500, "many-vids.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "ike.transforms"),
	    "AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_256");
	assert_string_equal(obs_get(&o, "product"), "Cisco");
	v = obs_get(&o, "ike.vendor_ids");
	assert_non_null(v);
	assert_non_null(strstr(v, "Cisco copyright,Cisco FlexVPN,"
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d"
	    "1e1f,"));
	obs_fini(&o);

	buf_init(&w, 16384);
	assert_int_equal(run_file(500, "invalid-ke.bin", &o, &w),
	    PROBE_MORE);
	/* MODP_8192: we cannot; MODP_1536 for the weak offer: asked again,
	 * and a weak group wanted is weak cryptography accepted. */
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V2), 1);
	assert_int_equal(count_sent(&w, 0, IKE_OFFER_V2_WEAK), 2);
	assert_string_equal(obs_get(&o, "ike.ke_group"), "MODP_8192");
	assert_string_equal(obs_get(&o, "ike.weak"), "yes");
	assert_string_equal(obs_get(&o, "ike.weak_accepted"), "v2 MODP_1536");
	obs_fini(&o);
	buf_fini(&w);

	assert_int_equal(run_file(500, "v1-encrypted.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "ike");
	assert_string_equal(obs_get(&o, "ike.version"), "1");
	obs_fini(&o);
}

/* Not IKE, not ours, malformed, cut short: nothing claimed. */
static void
test_session_nothing(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file(500, "not-ike.bin", &o, NULL),
	    PROBE_MISMATCH);
	assert_string_equal(o.service, "");
	obs_fini(&o);
	assert_int_equal(run_file(500, "bad-proposal-length.bin", &o, NULL),
	    PROBE_MISMATCH);
	obs_fini(&o);
	assert_int_equal(run_file(500, "not-ours.bin", &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	assert_int_equal(run_file(500, "truncated-session.bin", &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "");
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_offers),
		cmocka_unit_test(test_build_groups_cookie),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_names_and_weak),
		cmocka_unit_test(test_vendor_ids),
		cmocka_unit_test(test_session_strongswan),
		cmocka_unit_test(test_session_strongswan_natt),
		cmocka_unit_test(test_session_refused),
		cmocka_unit_test(test_session_written_vendors),
		cmocka_unit_test(test_session_written_edges),
		cmocka_unit_test(test_session_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
