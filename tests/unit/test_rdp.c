/*
 * test_rdp.c - the RDP probe: the Connection Requests of the three
 * offers, the Connection Confirm parser, what each answer proves, the
 * CredSSP TSRequest we send and the server's we parse, and the probe's
 * connections on recorded servers (tests/transcripts/rdp/): xrdp and
 * FreeRDP captured in the lab, Windows written from the specifications.
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "vigie/obs.h"
#include "probes/ntlm.h"
#include "probes/probe_internal.h"
#include "probes/rdp.h"
#include "harness.h"

#define PEER		"198.51.100.140"
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* MS-RDPBCGR 2.2.1.1 without a cookie, requesting SSL | HYBRID |
 * HYBRID_EX: the first connection's offer. */
static const uint8_t	cr_credssp[RDP_CR_LEN] = {
	0x03, 0x00, 0x00, 0x13,				/* TPKT, 19 bytes */
	0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,	/* X.224 CR */
	0x01, 0x00, 0x08, 0x00, 0x0b, 0x00, 0x00, 0x00,	/* RDP_NEG_REQ */
};

/* MS-CSSP 2.2.1: TSRequest { version 6, negoTokens { { [0] NTLM
 * NEGOTIATE } } }, DER. */
static const uint8_t	tsreq_head[RDP_TSREQ_LEN - NTLM_NEGOTIATE_LEN] = {
	0x30, 0x37, 0xa0, 0x03, 0x02, 0x01, 0x06, 0xa1, 0x30, 0x30, 0x2e,
	0x30, 0x2c, 0xa0, 0x2a, 0x04, 0x28,
};

static void
test_build_cr(void **state)
{
	uint8_t	cr[32];

	(void)state;
	assert_int_equal(rdp_build_cr(cr, sizeof(cr), RDP_OFFER_CREDSSP),
	    RDP_CR_LEN);
	assert_memory_equal(cr, cr_credssp, RDP_CR_LEN);
	assert_int_equal(rdp_build_cr(cr, RDP_CR_LEN - 1, 0), 0);
	assert_int_equal(rdp_build_cr(cr, sizeof(cr), RDP_OFFER_STANDARD),
	    RDP_CR_LEN);
	assert_int_equal(cr[15], 0x00);
	assert_int_equal(rdp_build_cr(cr, sizeof(cr), RDP_OFFER_TLS),
	    RDP_CR_LEN);
	assert_int_equal(cr[15], 0x01);
	assert_int_equal(rdp_build_cr(cr, sizeof(cr), 0x12345678),
	    RDP_CR_LEN);
	assert_int_equal(cr[15], 0x78);
	assert_int_equal(cr[18], 0x12);
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
	assert_int_equal(c.src_ref, RDP_SRC_REF_WINDOWS);
	assert_int_equal(c.neg, RDP_NEG_RSP);
	assert_int_equal(c.neg_flags, 0x1f);
	assert_int_equal(c.neg_value, RDP_PROTOCOL_HYBRID);
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
	assert_int_equal(rdp_parse_cc(legacy, sizeof(legacy), &c), PARSE_OK);
	assert_int_equal(c.neg, RDP_NEG_NONE);
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
	for (i = 0; i < NELEM(bad); i++)
		assert_int_equal(rdp_parse_cc((const uint8_t *)bad[i].hex,
		    bad[i].len, &c), PARSE_BAD);
}

/* One answer: a block type (0: none), its value and what it proves. */
struct judged {
	uint32_t	 offered;
	enum rdp_neg	 neg;
	uint32_t	 value;
	const char	*standard_security, *nla, *tls;
	bool		 starttls, credssp;
};

static void
test_judge(void **state)
{
	static const struct judged	cases[] = {
		/* TLS or CredSSP offered. */
		{ RDP_OFFER_CREDSSP, RDP_NEG_NONE, 0,
		    "allowed", "not_supported", "not_supported", false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, RDP_PROTOCOL_RDP,
		    "allowed", "not_supported", "not_supported", false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, RDP_PROTOCOL_SSL,
		    NULL, "not_supported", "supported", true, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, RDP_PROTOCOL_HYBRID,
		    NULL, "supported", "supported", true, true },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, RDP_PROTOCOL_HYBRID_EX,
		    NULL, "supported", "supported", true, true },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, RDP_PROTOCOL_RDSTLS,
		    NULL, NULL, NULL, false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_RSP, 0x40,
		    NULL, NULL, NULL, false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_FAILURE,
		    RDP_SSL_NOT_ALLOWED_BY_SERVER,
		    "allowed", "not_supported", "not_supported", false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_FAILURE,
		    RDP_SSL_CERT_NOT_ON_SERVER,
		    NULL, "not_supported", "not_supported", false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_FAILURE,
		    RDP_HYBRID_REQUIRED_BY_SERVER,
		    "refused", "required", NULL, false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_FAILURE,
		    RDP_SSL_REQUIRED_BY_SERVER,
		    "refused", NULL, NULL, false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_FAILURE, RDP_INCONSISTENT_FLAGS,
		    NULL, NULL, NULL, false, false },
		{ RDP_OFFER_CREDSSP, RDP_NEG_OTHER, 0,
		    NULL, NULL, NULL, false, false },
		/* Standard RDP Security alone. */
		{ RDP_OFFER_STANDARD, RDP_NEG_NONE, 0,
		    "allowed", NULL, NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_RSP, RDP_PROTOCOL_RDP,
		    "allowed", NULL, NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_RSP, RDP_PROTOCOL_SSL,
		    NULL, NULL, NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_FAILURE,
		    RDP_SSL_REQUIRED_BY_SERVER,
		    "refused", NULL, NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_FAILURE,
		    RDP_HYBRID_REQUIRED_BY_SERVER,
		    "refused", "required", NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_FAILURE,
		    RDP_SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER,
		    "refused", NULL, NULL, false, false },
		{ RDP_OFFER_STANDARD, RDP_NEG_FAILURE,
		    RDP_SSL_NOT_ALLOWED_BY_SERVER,
		    NULL, NULL, NULL, false, false },
		/* TLS alone. */
		{ RDP_OFFER_TLS, RDP_NEG_NONE, 0,
		    "allowed", "not_supported", "not_supported", false, false },
		{ RDP_OFFER_TLS, RDP_NEG_RSP, RDP_PROTOCOL_SSL,
		    NULL, NULL, "supported", false, false },
		{ RDP_OFFER_TLS, RDP_NEG_RSP, RDP_PROTOCOL_RDP,
		    "allowed", NULL, "not_supported", false, false },
		{ RDP_OFFER_TLS, RDP_NEG_FAILURE, RDP_HYBRID_REQUIRED_BY_SERVER,
		    NULL, "required", NULL, false, false },
		{ RDP_OFFER_TLS, RDP_NEG_FAILURE, RDP_SSL_NOT_ALLOWED_BY_SERVER,
		    "allowed", "not_supported", "not_supported", false, false },
		{ RDP_OFFER_TLS, RDP_NEG_FAILURE, RDP_SSL_CERT_NOT_ON_SERVER,
		    NULL, NULL, "not_supported", false, false },
		{ RDP_OFFER_TLS, RDP_NEG_FAILURE, RDP_SSL_REQUIRED_BY_SERVER,
		    NULL, NULL, NULL, false, false },
		/* An offer the recipe never makes proves nothing. */
		{ RDP_PROTOCOL_RDSTLS, RDP_NEG_RSP, RDP_PROTOCOL_RDSTLS,
		    NULL, NULL, NULL, false, false },
	};
	struct rdp_facts	f;
	struct rdp_cc		cc;
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(&cc, 0, sizeof(cc));
		cc.neg = cases[i].neg;
		cc.neg_value = cases[i].value;
		rdp_judge(&cc, cases[i].offered, &f);
		if ((f.standard_security == NULL) !=
		    (cases[i].standard_security == NULL) ||
		    (f.nla == NULL) != (cases[i].nla == NULL) ||
		    (f.tls == NULL) != (cases[i].tls == NULL) ||
		    f.starttls != cases[i].starttls ||
		    f.credssp != cases[i].credssp)
			fail_msg("case %zu: wrong facts", i);
		if (f.standard_security != NULL)
			assert_string_equal(f.standard_security,
			    cases[i].standard_security);
		if (f.nla != NULL)
			assert_string_equal(f.nla, cases[i].nla);
		if (f.tls != NULL)
			assert_string_equal(f.tls, cases[i].tls);
	}
}

static void
test_names(void **state)
{
	struct rdp_cc	c;
	char		s[48];

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
	rdp_answer_str(&c, s, sizeof(s));
	assert_string_equal(s, "none");
	c.neg = RDP_NEG_RSP;
	c.neg_value = RDP_PROTOCOL_HYBRID;
	rdp_answer_str(&c, s, sizeof(s));
	assert_string_equal(s, "hybrid");
	c.neg_value = 0x40;
	rdp_answer_str(&c, s, sizeof(s));
	assert_string_equal(s, "0x00000040");
	c.neg = RDP_NEG_FAILURE;
	c.neg_value = RDP_HYBRID_REQUIRED_BY_SERVER;
	rdp_answer_str(&c, s, sizeof(s));
	assert_string_equal(s, "hybrid_required_by_server");
	c.neg = RDP_NEG_OTHER;
	c.neg_type = 0x7f;
	c.neg_len = 12;
	rdp_answer_str(&c, s, sizeof(s));
	assert_string_equal(s, "type 0x7f length 12");
	rdp_answer_str(&c, s, 5);
	assert_string_equal(s, "type");
}

/* Our TSRequest, byte for byte, and read back by our own parser. */
static void
test_build_tsrequest(void **state)
{
	uint8_t			out[RDP_TSREQ_LEN + 8], neg[NTLM_NEGOTIATE_LEN];
	struct rdp_tsreq	ts;

	(void)state;
	assert_int_equal(rdp_build_tsrequest(out, RDP_TSREQ_LEN - 1), 0);
	assert_int_equal(rdp_build_tsrequest(out, sizeof(out)),
	    RDP_TSREQ_LEN);
	assert_memory_equal(out, tsreq_head, sizeof(tsreq_head));
	ntlm_build_negotiate(neg, sizeof(neg));
	assert_memory_equal(out + sizeof(tsreq_head), neg, sizeof(neg));
	assert_int_equal(rdp_parse_tsrequest(out, RDP_TSREQ_LEN, &ts),
	    PARSE_OK);
	assert_int_equal(ts.len, RDP_TSREQ_LEN);
	assert_int_equal(ts.version, 6);
	assert_int_equal(ts.nego_token.len, NTLM_NEGOTIATE_LEN);
	assert_ptr_equal(ts.nego_token.p, out + sizeof(tsreq_head));
	assert_false(ts.have_error);
}

/* FreeRDP 2.11's answer, captured: its NTLM CHALLENGE inside. */
static void
test_parse_tsrequest(void **state)
{
	struct ntlm_challenge	 c;
	struct rdp_tsreq	 ts;
	uint8_t			*data;
	size_t			 len, i;
	char			 name[NTLM_NAME_MAX + 1];

	(void)state;
	data = harness_transcript("rdp", "freerdp-2.11-nla-credssp.bin", &len);
	assert_int_equal(rdp_parse_tsrequest(data, len, &ts), PARSE_OK);
	assert_int_equal(ts.len, len);
	assert_int_equal(ts.version, 6);
	assert_false(ts.have_error);
	assert_int_equal(ts.nego_token.len, 198);
	assert_int_equal(ntlm_find_challenge(ts.nego_token, &c), PARSE_OK);
	assert_int_equal(c.major, 6);
	assert_int_equal(c.minor, 1);
	assert_int_equal(c.build, 7601);
	ntlm_ascii(c.nb_computer, name, sizeof(name));
	assert_string_equal(name, "TELECONSULT");
	for (i = 0; i < len; i++)
		assert_int_equal(rdp_parse_tsrequest(data, i, &ts),
		    PARSE_MORE);
	free(data);

	data = harness_transcript("rdp", "windows-2008r2-credssp.bin", &len);
	assert_int_equal(rdp_parse_tsrequest(data, len, &ts), PARSE_OK);
	assert_int_equal(ts.version, 3);
	assert_int_equal(ntlm_find_challenge(ts.nego_token, &c), PARSE_OK);
	assert_int_equal(c.build, 7601);
	free(data);

	data = harness_transcript("rdp", "credssp-error.bin", &len);
	assert_int_equal(rdp_parse_tsrequest(data, len, &ts), PARSE_OK);
	assert_true(ts.have_error);
	assert_int_equal(ts.error_code, 0xc000006d);
	assert_int_equal(ts.nego_token.len, 0);
	free(data);
}

static void
test_parse_tsrequest_rejects(void **state)
{
	static const char *const	bad[] = {
		"credssp-no-version.bin", "credssp-indefinite.bin",
		"credssp-too-long.bin", "credssp-bad-token.bin",
		"credssp-inner-overrun.bin", "not-rdp-http.bin",
	};
	static const uint8_t		big_int[] = {
		0x30, 0x08, 0xa0, 0x06, 0x02, 0x04, 0x01, 0x02, 0x03, 0x04,
	};
	static const uint8_t		too_big_int[] = {
		0x30, 0x09, 0xa0, 0x07, 0x02, 0x05, 0x01, 0x02, 0x03, 0x04,
		0x05,
	};
	static const uint8_t		multibyte_tag[] = {
		0x30, 0x04, 0xbf, 0x81, 0x01, 0x00,
	};
	struct rdp_tsreq		ts;
	uint8_t				*data;
	size_t				 len, i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		data = harness_transcript("rdp", bad[i], &len);
		if (rdp_parse_tsrequest(data, len, &ts) != PARSE_BAD)
			fail_msg("%s: not refused", bad[i]);
		free(data);
	}
	data = harness_transcript("rdp", "credssp-truncated.bin", &len);
	assert_int_equal(rdp_parse_tsrequest(data, len, &ts), PARSE_MORE);
	free(data);
	assert_int_equal(rdp_parse_tsrequest(big_int, sizeof(big_int), &ts),
	    PARSE_OK);
	assert_int_equal(ts.version, 0x01020304);
	assert_int_equal(rdp_parse_tsrequest(too_big_int,
	    sizeof(too_big_int), &ts), PARSE_BAD);
	assert_int_equal(rdp_parse_tsrequest(multibyte_tag,
	    sizeof(multibyte_tag), &ts), PARSE_BAD);
	assert_int_equal(rdp_parse_tsrequest(NULL, 0, &ts), PARSE_MORE);
}

/* One connection of a follow-up module, every chunk size, over one
 * recorded answer: it sends its one Connection Request, whatever the
 * server says. */
static enum probe_status
run_one(const struct probe *mod, const char *file, struct obs *o)
{
	static const uint8_t	 empty_data[] = {
		0x03, 0x00, 0x00, 0x07, 0x02, 0xf0, 0x80,
	};
	enum probe_status	 st;
	uint8_t			*data, cr[RDP_CR_LEN];
	size_t			 len;
	struct buf		 w;

	data = harness_transcript("rdp", file, &len);
	buf_init(&w, 256);
	st = harness_run_chunks(mod, PEER, 3389, data, len, o, &w);
	if (mod == &probe_rdp)
		rdp_build_cr(cr, sizeof(cr), RDP_OFFER_CREDSSP);
	else if (mod == &probe_rdp_std)
		rdp_build_cr(cr, sizeof(cr), RDP_OFFER_STANDARD);
	else
		rdp_build_cr(cr, sizeof(cr), RDP_OFFER_TLS);
	assert_true(w.len >= RDP_CR_LEN);
	assert_memory_equal(w.data, cr, RDP_CR_LEN);
	/* Once it has a Confirm, the Standard offer sends an empty Data
	 * TPDU: xrdp's tell. */
	if (mod == &probe_rdp_std && w.len > RDP_CR_LEN) {
		assert_int_equal(w.len, RDP_CR_LEN + sizeof(empty_data));
		assert_memory_equal(w.data + RDP_CR_LEN, empty_data,
		    sizeof(empty_data));
	} else {
		assert_int_equal(w.len, RDP_CR_LEN);
	}
	buf_fini(&w);
	free(data);
	return st;
}

/*
 * The first connection through TLS: the Confirm, the upgrade the runtime
 * makes, then the CredSSP answer `chunk` bytes at a time.  Returns what
 * the module said last; `o` gets the observation.
 */
static enum probe_status
run_credssp(const char *cc_file, const char *ts_file, size_t chunk,
    struct obs *o)
{
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st;
	uint8_t			*cc, *ts, req[RDP_TSREQ_LEN];
	size_t			 cclen, tslen, off = 0, n;

	cc = harness_transcript("rdp", cc_file, &cclen);
	ts = harness_transcript("rdp", ts_file, &tslen);
	s = probe_session_fake_new(&probe_rdp, PEER, 3389);
	in = evbuffer_new();
	assert_non_null(s);
	assert_non_null(in);
	assert_int_equal(probe_rdp.start(s), 0);
	evbuffer_add(in, cc, cclen);
	assert_int_equal(probe_rdp.on_read(s, in), PROBE_STARTTLS);
	assert_int_equal(evbuffer_get_length(in), 0);
	st = rdp_on_tls(s);
	if (st == PROBE_MORE) {
		/* What went out: the Request, then our TSRequest. */
		rdp_build_tsrequest(req, sizeof(req));
		assert_int_equal(evbuffer_get_length(s->out),
		    RDP_CR_LEN + RDP_TSREQ_LEN);
		assert_memory_equal(evbuffer_pullup(s->out, -1) + RDP_CR_LEN,
		    req, RDP_TSREQ_LEN);
	}
	while (st == PROBE_MORE && off < tslen) {
		n = chunk == 0 || chunk > tslen - off ? tslen - off : chunk;
		evbuffer_add(in, ts + off, n);
		off += n;
		st = probe_rdp.on_read(s, in);
	}
	obs_init(o);
	memcpy(o->service, s->obs.service, sizeof(o->service));
	obs_merge(o, &s->obs);
	evbuffer_free(in);
	probe_session_fake_free(s);
	free(cc);
	free(ts);
	return st;
}

static void
expect_field(const struct obs *o, const char *key, const char *want)
{
	const char	*got = obs_get(o, key);

	if (want == NULL && got != NULL)
		fail_msg("%s: '%s', want none", key, got);
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fail_msg("%s: '%s', want '%s'", key, got != NULL ? got :
		    "(none)", want);
}

/* FreeRDP's shadow server with NLA enforced (the lab's h14:3389). */
static void
test_session_freerdp_nla(void **state)
{
	static const size_t	chunks[] = { 0, 1, 2, 7, 64 };
	struct obs		o;
	size_t			i;

	(void)state;
	assert_int_equal(run_one(&probe_rdp, "freerdp-2.11-nla-offer-credssp"
	    ".bin", &o), PROBE_STARTTLS);
	assert_string_equal(o.service, "rdp");
	expect_field(&o, "rdp.x224_src_ref", "0x0000");
	expect_field(&o, "rdp.selected_protocol", "hybrid");
	expect_field(&o, "rdp.neg_flags", "0x03");
	expect_field(&o, "rdp.nla", "supported");
	expect_field(&o, "rdp.tls", "supported");
	expect_field(&o, "rdp.standard_security", "unknown");
	obs_fini(&o);

	for (i = 0; i < NELEM(chunks); i++) {
		assert_int_equal(run_credssp("freerdp-2.11-nla-offer-credssp"
		    ".bin", "freerdp-2.11-nla-credssp.bin", chunks[i], &o),
		    PROBE_DONE);
		expect_field(&o, "rdp.credssp_version", "6");
		expect_field(&o, "rdp.ntlm.netbios_computer", "TELECONSULT");
		expect_field(&o, "rdp.ntlm.netbios_domain", "TELECONSULT");
		expect_field(&o, "rdp.ntlm.dns_computer", "teleconsult");
		expect_field(&o, "rdp.ntlm.dns_domain", "teleconsult");
		expect_field(&o, "rdp.ntlm.dns_tree", NULL);
		expect_field(&o, "rdp.ntlm.version", "6.1.7601");
		expect_field(&o, "rdp.credssp_error", NULL);
		obs_fini(&o);
	}

	assert_int_equal(run_one(&probe_rdp_std, "freerdp-2.11-nla-offer-"
	    "standard.bin", &o), PROBE_MORE);
	expect_field(&o, "rdp.rdp_only", "hybrid_required_by_server");
	expect_field(&o, "rdp.standard_security", "refused");
	expect_field(&o, "rdp.nla", "required");
	expect_field(&o, "rdp.tls", NULL);
	expect_field(&o, "rdp.x224_src_ref", NULL);
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp_tls, "freerdp-2.11-nla-offer-"
	    "tls.bin", &o), PROBE_DONE);
	expect_field(&o, "rdp.ssl_only", "hybrid_required_by_server");
	expect_field(&o, "rdp.nla", "required");
	expect_field(&o, "rdp.standard_security", NULL);
	obs_fini(&o);
}

/* The CredSSP step: answers that are not what we asked, and servers
 * that chose TLS without CredSSP. */
static void
test_session_credssp_odd(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_credssp("freerdp-2.11-nla-offer-credssp.bin",
	    "credssp-error.bin", 0, &o), PROBE_DONE);
	expect_field(&o, "rdp.credssp_error", "0xc000006d");
	expect_field(&o, "rdp.ntlm.version", NULL);
	obs_fini(&o);
	assert_int_equal(run_credssp("freerdp-2.11-nla-offer-credssp.bin",
	    "credssp-bad-token.bin", 3, &o), PROBE_DONE);
	expect_field(&o, "rdp.credssp", "not a TSRequest");
	expect_field(&o, "rdp.selected_protocol", "hybrid");
	obs_fini(&o);
	assert_int_equal(run_credssp("freerdp-2.11-nla-offer-credssp.bin",
	    "credssp-truncated.bin", 1, &o), PROBE_MORE);
	expect_field(&o, "rdp.credssp_version", NULL);
	obs_fini(&o);
	/* TLS without CredSSP: after the handshake, nothing to ask. */
	assert_int_equal(run_credssp("xrdp-0.9.21-tls-offer-credssp.bin",
	    "freerdp-2.11-nla-credssp.bin", 0, &o), PROBE_DONE);
	expect_field(&o, "rdp.selected_protocol", "ssl");
	expect_field(&o, "rdp.ntlm.version", NULL);
	obs_fini(&o);
}

/* xrdp 0.9.21, captured: security_layer=tls (h14:3390) and negotiate
 * (h1:3389), and the single answers recorded before the recipe. */
static void
test_session_xrdp(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_one(&probe_rdp, "xrdp-0.9.21-tls-offer-credssp"
	    ".bin", &o), PROBE_STARTTLS);
	expect_field(&o, "rdp.x224_src_ref", "0x1234");
	expect_field(&o, "rdp.selected_protocol", "ssl");
	expect_field(&o, "rdp.neg_flags", "0x01");
	expect_field(&o, "rdp.nla", "not_supported");
	expect_field(&o, "rdp.tls", "supported");
	obs_fini(&o);
	/* A failure followed by xrdp's ultimatum: it sends it unasked. */
	assert_int_equal(run_one(&probe_rdp_std, "xrdp-0.9.21-tls-offer-"
	    "standard.bin", &o), PROBE_DONE);
	expect_field(&o, "rdp.rdp_only", "ssl_required_by_server");
	expect_field(&o, "rdp.standard_security", "refused");
	expect_field(&o, "product", "xrdp");
	expect_field(&o, "rdp.nla", NULL);
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp_std, "xrdp-0.9.21-negotiate-"
	    "offer-standard.bin", &o), PROBE_MORE);
	expect_field(&o, "rdp.rdp_only", "standard_rdp");
	expect_field(&o, "rdp.standard_security", "allowed");
	obs_fini(&o);
	/* xrdp's tell: the ultimatum that answers an empty Data TPDU
	 * (captured from the lab's xrdp 0.9.21 after the Confirm). */
	assert_int_equal(run_one(&probe_rdp_std, "xrdp-0.9.21-negotiate-"
	    "offer-standard-ultimatum.bin", &o), PROBE_DONE);
	expect_field(&o, "rdp.standard_security", "allowed");
	expect_field(&o, "rdp.mcs_ultimatum", "yes");
	expect_field(&o, "product", "xrdp");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp_tls, "xrdp-0.9.21-negotiate-"
	    "offer-tls.bin", &o), PROBE_DONE);
	expect_field(&o, "rdp.ssl_only", "ssl");
	expect_field(&o, "rdp.tls", "supported");
	obs_fini(&o);

	/* security_layer=rdp: Standard RDP Security, even offered TLS. */
	assert_int_equal(run_one(&probe_rdp, "xrdp-0.9.21-rdp-security.bin",
	    &o), PROBE_DONE);
	expect_field(&o, "rdp.selected_protocol", "standard_rdp");
	expect_field(&o, "rdp.standard_security", "allowed");
	expect_field(&o, "rdp.nla", "not_supported");
	expect_field(&o, "rdp.tls", "not_supported");
	obs_fini(&o);
	/* A failure to an offer that included CredSSP. */
	assert_int_equal(run_one(&probe_rdp, "xrdp-0.9.21-tls-failure.bin",
	    &o), PROBE_DONE);
	expect_field(&o, "rdp.neg_failure", "ssl_required_by_server");
	expect_field(&o, "rdp.selected_protocol", NULL);
	expect_field(&o, "rdp.standard_security", "refused");
	expect_field(&o, "rdp.nla", "unknown");
	obs_fini(&o);
}

static void
test_session_windows_and_legacy(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_one(&probe_rdp, "windows-hybrid.bin", &o),
	    PROBE_STARTTLS);
	expect_field(&o, "rdp.selected_protocol", "hybrid");
	expect_field(&o, "rdp.neg_flags", "0x1f");
	expect_field(&o, "rdp.nla", "supported");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp, "windows-hybrid-required.bin",
	    &o), PROBE_DONE);
	expect_field(&o, "rdp.neg_failure", "hybrid_required_by_server");
	expect_field(&o, "rdp.nla", "required");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp, "windows-ssl-not-allowed.bin",
	    &o), PROBE_DONE);
	expect_field(&o, "rdp.neg_failure", "ssl_not_allowed_by_server");
	expect_field(&o, "rdp.standard_security", "allowed");
	expect_field(&o, "rdp.nla", "not_supported");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp, "legacy-no-negotiation.bin",
	    &o), PROBE_DONE);
	expect_field(&o, "rdp.selected_protocol", "standard_rdp");
	expect_field(&o, "rdp.negotiation", "none");
	expect_field(&o, "rdp.standard_security", "allowed");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp_std, "legacy-no-negotiation.bin",
	    &o), PROBE_MORE);
	expect_field(&o, "rdp.rdp_only", "none");
	expect_field(&o, "rdp.standard_security", "allowed");
	obs_fini(&o);
	assert_int_equal(run_one(&probe_rdp, "unknown-protocol.bin", &o),
	    PROBE_DONE);
	expect_field(&o, "rdp.selected_protocol", "0x00000040");
	expect_field(&o, "rdp.nla", "unknown");
	obs_fini(&o);
}

static void
test_session_truncated_and_mismatch(void **state)
{
	static const char *const bad[] = {
		"not-rdp-cr-echo.bin", "not-rdp-http.bin",
		"malformed-tpkt-length.bin", "malformed-li.bin",
	};
	const struct probe	*mods[] = {
		&probe_rdp, &probe_rdp_std, &probe_rdp_tls,
	};
	struct obs		 o;
	size_t			 i, m;

	(void)state;
	for (m = 0; m < NELEM(mods); m++) {
		assert_int_equal(run_one(mods[m], "truncated.bin", &o),
		    PROBE_MORE);
		assert_string_equal(o.service, "");
		assert_int_equal(o.n, 0);
		obs_fini(&o);
		for (i = 0; i < NELEM(bad); i++) {
			assert_int_equal(run_one(mods[m], bad[i], &o),
			    PROBE_MISMATCH);
			assert_string_equal(o.service, "");
			obs_fini(&o);
		}
	}
}

/*
 * The recipe over one recorded server, as the runtime runs it: the
 * first connection, then each follow-up its `wanted` lets through, their
 * fields merged in order.  `files` names the answers to the offers
 * credssp, standard and tls ("<server>-offer-<offer>.bin"); returns the
 * connections made.
 */
static size_t
run_recipe(const char *server, struct obs *merged)
{
	static const char *const	offers[] = {
		"credssp", "standard", "tls",
	};
	static bool		(*const wanted[])(const struct obs *) = {
		NULL, rdp_std_wanted, rdp_tls_wanted,
	};
	const struct probe	*mods[] = {
		&probe_rdp, &probe_rdp_std, &probe_rdp_tls,
	};
	char			 file[128];
	struct obs		 o;
	size_t			 i, n = 0;

	obs_init(merged);
	for (i = 0; i < NELEM(mods); i++) {
		if (wanted[i] != NULL && !wanted[i](merged))
			continue;
		snprintf(file, sizeof(file), "%s-offer-%s.bin", server,
		    offers[i]);
		run_one(mods[i], file, &o);
		if (i == 0)
			memcpy(merged->service, o.service,
			    sizeof(merged->service));
		obs_merge(merged, &o);
		obs_fini(&o);
		n++;
	}
	return n;
}

struct recipe_case {
	const char	*server;
	size_t		 connections;
	const char	*standard_security, *nla, *tls;
	const char	*rdp_only, *ssl_only;
};

/* Three connections at most, each only when it can prove more. */
static void
test_recipe(void **state)
{
	static const struct recipe_case	cases[] = {
		{ "freerdp-2.11-nla", 2, "refused", "required", "supported",
		    "hybrid_required_by_server", NULL },
		{ "freerdp-2.11-tls-nla", 3, "refused", "supported",
		    "supported", "ssl_required_by_server", "ssl" },
		{ "freerdp-2.11-rdp", 1, "allowed", "not_supported",
		    "not_supported", NULL, NULL },
		{ "xrdp-0.9.21-tls", 2, "refused", "not_supported",
		    "supported", "ssl_required_by_server", NULL },
		{ "xrdp-0.9.21-negotiate", 2, "allowed", "not_supported",
		    "supported", "standard_rdp", NULL },
		{ "windows-2008r2", 2, "allowed", "supported", "supported",
		    "standard_rdp", NULL },
		{ "windows-2022", 3, "refused", "supported", "supported",
		    "ssl_required_by_server", "ssl" },
		{ "windows-2019", 2, "refused", "required", "supported",
		    "hybrid_required_by_server", NULL },
	};
	struct obs	o;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		if (run_recipe(cases[i].server, &o) != cases[i].connections)
			fail_msg("%s: wrong number of connections",
			    cases[i].server);
		assert_string_equal(o.service, "rdp");
		expect_field(&o, "rdp.standard_security",
		    cases[i].standard_security);
		expect_field(&o, "rdp.nla", cases[i].nla);
		expect_field(&o, "rdp.tls", cases[i].tls);
		expect_field(&o, "rdp.rdp_only", cases[i].rdp_only);
		expect_field(&o, "rdp.ssl_only", cases[i].ssl_only);
		obs_fini(&o);
	}
}

static void
test_wanted(void **state)
{
	struct obs	o;

	(void)state;
	obs_init(&o);
	/* Nothing known: the Standard-only offer is wanted, TLS not. */
	assert_true(rdp_std_wanted(&o));
	assert_false(rdp_tls_wanted(&o));
	obs_set(&o, "rdp.standard_security", "unknown");
	obs_set(&o, "rdp.nla", "supported");
	assert_true(rdp_std_wanted(&o));
	assert_true(rdp_tls_wanted(&o));
	obs_set(&o, "rdp.standard_security", "allowed");
	assert_false(rdp_std_wanted(&o));
	assert_false(rdp_tls_wanted(&o));
	obs_set(&o, "rdp.standard_security", "refused");
	assert_false(rdp_std_wanted(&o));
	assert_true(rdp_tls_wanted(&o));
	obs_set(&o, "rdp.ssl_only", "ssl");
	assert_false(rdp_tls_wanted(&o));
	obs_reset(&o);
	obs_set(&o, "rdp.nla", "required");
	assert_false(rdp_tls_wanted(&o));
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_rdp.name, "rdp");
	assert_string_equal(probe_rdp.service, "rdp");
	assert_int_equal(probe_rdp.ports[0], 3389);
	assert_int_equal(probe_rdp.ports[1], 0);
	assert_int_equal(probe_rdp.transport, PROBE_TCP);
	assert_false(probe_rdp.flags & PROBE_SERVER_FIRST);
	assert_non_null(probe_rdp.start);
	assert_true(probe_rdp.read_max >= RDP_CC_MAX + RDP_TSREQ_MAX);
	assert_ptr_equal(probe_rdp.then, &probe_rdp_std);
	assert_ptr_equal(probe_rdp_std.then, &probe_rdp_tls);
	assert_null(probe_rdp_tls.then);
	assert_int_equal(probe_rdp_std.ports[0], 0);
	assert_int_equal(probe_rdp_tls.ports[0], 0);
	assert_ptr_equal(probe_find("rdp_std"), &probe_rdp_std);
	assert_ptr_equal(probe_find("rdp_tls"), &probe_rdp_tls);
	assert_ptr_equal(probe_for_port(3389), &probe_rdp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_cr),
		cmocka_unit_test(test_parse_rsp),
		cmocka_unit_test(test_parse_failure_and_legacy),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_build_tsrequest),
		cmocka_unit_test(test_parse_tsrequest),
		cmocka_unit_test(test_parse_tsrequest_rejects),
		cmocka_unit_test(test_session_freerdp_nla),
		cmocka_unit_test(test_session_credssp_odd),
		cmocka_unit_test(test_session_xrdp),
		cmocka_unit_test(test_session_windows_and_legacy),
		cmocka_unit_test(test_session_truncated_and_mismatch),
		cmocka_unit_test(test_recipe),
		cmocka_unit_test(test_wanted),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
