/*
 * test_tls.c - the TLS measurements (probes/tls.c, probes/tls.h): the
 * ClientHellos we build, the parser of the server's first answer, and
 * the measurement probes on the answers of tests/transcripts/tls/
 * (CAPTURED in the lab: see that folder's README).
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

#include "vigie/obs.h"
#include "probes/probe_internal.h"
#include "probes/tls.h"
#include "harness.h"

#define PEER	"198.51.100.110"

static unsigned int
be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/* Walk a ClientHello: lengths must agree; returns the suites' offset
 * and count, and whether an extension of type `ext` is there. */
static void
walk_hello(const uint8_t *h, size_t n, unsigned int version,
    size_t *suites, size_t *nsuites, unsigned int ext, bool *has_ext)
{
	size_t	o, end, elen;

	assert_true(n >= 5 + 4 + 2 + 32 + 1);
	assert_int_equal(h[0], 22);
	assert_int_equal(be16(h + 3), n - 5);
	assert_int_equal(h[5], 1);
	assert_int_equal((size_t)h[6] << 16 | be16(h + 7), n - 9);
	assert_int_equal(be16(h + 9), version);
	o = 9 + 2 + 32;
	assert_int_equal(h[o], 0);		/* session id */
	o++;
	*nsuites = be16(h + o) / 2;
	*suites = o + 2;
	o += 2 + be16(h + o);
	assert_int_equal(h[o], 1);
	assert_int_equal(h[o + 1], 0);
	o += 2;
	*has_ext = false;
	if (o == n)
		return;
	end = o + 2 + be16(h + o);
	assert_int_equal(end, n);
	for (o += 2; o < end; o += 4 + elen) {
		elen = be16(h + o + 2);
		if (be16(h + o) == ext)
			*has_ext = true;
	}
	assert_int_equal(o, end);
}

static void
test_client_hello(void **state)
{
	uint8_t	h[TLS_HELLO_MAX];
	size_t	n, suites, nsuites, i;
	bool	sni, sigs;

	(void)state;
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_LEGACY,
	    "vpn.example.org");
	assert_int_not_equal(n, 0);
	assert_int_equal(be16(h + 1), 0x0301);	/* the record's version */
	walk_hello(h, n, 0x0302, &suites, &nsuites, 0x0000, &sni);
	assert_true(sni);
	assert_non_null(memmem(h, n, "vpn.example.org", 15));
	/* The renegotiation SCSV ends the list. */
	assert_int_equal(be16(h + suites + 2 * (nsuites - 1)), 0x00ff);
	walk_hello(h, n, 0x0302, &suites, &nsuites, 0x000d, &sigs);
	assert_false(sigs);		/* not before TLS 1.2 */

	/* An address is no server name. */
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_TLS1,
	    "198.51.100.110");
	walk_hello(h, n, 0x0301, &suites, &nsuites, 0x0000, &sni);
	assert_false(sni);

	/* The weak offer: nothing but weak suites (and the SCSV). */
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_WEAK, NULL);
	walk_hello(h, n, 0x0303, &suites, &nsuites, 0x000d, &sigs);
	assert_true(sigs);
	for (i = 0; i + 1 < nsuites; i++) {
		const char	*c = tls_cipher_name((uint16_t)be16(h +
		    suites + 2 * i));

		assert_non_null(c);
		assert_true(strstr(c, "RC4") != NULL ||
		    strstr(c, "DES") != NULL || strstr(c, "EXP") != NULL ||
		    strstr(c, "NULL") != NULL || strstr(c, "ADH") != NULL ||
		    strstr(c, "AECDH") != NULL);
	}

	/* SSL 3.0: its record version, no extension at all. */
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_SSL3,
	    "vpn.example.org");
	assert_int_equal(be16(h + 1), 0x0300);
	walk_hello(h, n, 0x0300, &suites, &nsuites, 0x0000, &sni);
	assert_false(sni);
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_TLS12, NULL);
	walk_hello(h, n, 0x0303, &suites, &nsuites, 0x000d, &sigs);
	assert_true(sigs);

	/* Too small a buffer: nothing. */
	assert_int_equal(tls_build_client_hello(h, 100, TLS_OFFER_LEGACY,
	    NULL), 0);
	/* A name with a control byte is not sent. */
	n = tls_build_client_hello(h, sizeof(h), TLS_OFFER_LEGACY, "a\nb");
	walk_hello(h, n, 0x0302, &suites, &nsuites, 0x0000, &sni);
	assert_false(sni);
}

static void
test_server_hello(void **state)
{
	struct tls_server_hello	 h;
	uint8_t			*d, frag[128];
	size_t			 len, i;

	(void)state;
	d = harness_transcript("tls", "nginx-legacy-tls1.1.bin", &len);
	assert_int_equal(tls_parse_server_hello(d, len, &h), PARSE_OK);
	assert_false(h.alert);
	assert_int_equal(h.version, TLS_V_1_1);
	assert_string_equal(tls_cipher_name(h.cipher), "ECDHE-RSA-AES128-SHA");
	/* Every shorter prefix asks for more. */
	for (i = 0; i < 5 + 4 + 2 + 32 + 1 + 32 + 2 + 1; i++)
		assert_int_equal(tls_parse_server_hello(d, i, &h), PARSE_MORE);
	/* The same ServerHello cut over two records, 20 bytes then 70. */
	memcpy(frag, d, 5);
	frag[3] = 0;
	frag[4] = 20;
	memcpy(frag + 5, d + 5, 20);
	memcpy(frag + 25, d, 5);
	frag[28] = 0;
	frag[29] = 70;
	memcpy(frag + 30, d + 25, 70);
	assert_int_equal(tls_parse_server_hello(frag, 60, &h), PARSE_MORE);
	assert_int_equal(tls_parse_server_hello(frag, 100, &h), PARSE_OK);
	assert_int_equal(h.version, TLS_V_1_1);
	assert_string_equal(tls_cipher_name(h.cipher), "ECDHE-RSA-AES128-SHA");
	free(d);

	d = harness_transcript("tls", "nginx-default-legacy-refused.bin", &len);
	assert_int_equal(tls_parse_server_hello(d, len, &h), PARSE_OK);
	assert_true(h.alert);
	assert_int_equal(h.alert_desc, 80);	/* internal_error */
	free(d);
	d = harness_transcript("tls", "nginx-legacy-ssl3.bin", &len);
	assert_int_equal(tls_parse_server_hello(d, len, &h), PARSE_OK);
	assert_true(h.alert);
	assert_int_equal(h.alert_desc, 40);	/* handshake_failure */
	assert_int_equal(tls_parse_server_hello(d, 6, &h), PARSE_MORE);
	free(d);

	/* Not TLS: an SSH banner, an SSL 2.0 answer, an application data
	 * record, a client's hello, lying lengths. */
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "SSH-2.0-OpenSSH_9.2p1\r\n", 23, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x80\x2e\x04\x00\x01\x00\x02", 7, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x17\x03\x03\x00\x10", 5, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x16\x03\x01\x00\x04\x01\x00\x00\x00", 9, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x16\x03\x03\xff\xff", 5, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x16\x03\x03\x00\x00", 5, &h), PARSE_BAD);
	/* A ServerHello too short for its fields, or a 33-byte session id. */
	assert_int_equal(tls_parse_server_hello((const uint8_t *)
	    "\x16\x03\x03\x00\x08\x02\x00\x00\x04\x03\x03\x00\x00", 13, &h),
	    PARSE_BAD);
	memset(frag, 0, sizeof(frag));
	memcpy(frag, "\x16\x03\x03\x00\x3b\x02\x00\x00\x37\x03\x03", 11);
	frag[5 + 4 + 2 + 32] = 33;
	assert_int_equal(tls_parse_server_hello(frag, 100, &h), PARSE_BAD);
	assert_int_equal(tls_parse_server_hello(NULL, 0, &h), PARSE_MORE);
}

/* A measurement probe over a server's answer (or none: closed). */
static void
measure(const struct probe *m, const char *file, struct obs *o)
{
	uint8_t		*d = NULL;
	size_t		 len = 0;

	if (file != NULL)
		d = harness_transcript("tls", file, &len);
	harness_run_chunks(m, PEER, 8443, d, len, o, NULL);
	free(d);
}

static void
expect(const struct obs *o, const char *key, const char *want)
{
	const char	*v = obs_get(o, key);

	if (want == NULL) {
		if (v != NULL)
			fail_msg("%s = '%s', want it absent", key, v);
		return;
	}
	if (v == NULL || strcmp(v, want) != 0)
		fail_msg("%s = '%s', want '%s'", key,
		    v != NULL ? v : "(absent)", want);
}

static void
test_measurements(void **state)
{
	struct obs	o;

	(void)state;
	/* nginx with TLS 1.0 to 1.2 at security level 0 (lab h11:8443). */
	measure(&probe_tls_legacy, "nginx-legacy-tls1.1.bin", &o);
	expect(&o, "tls.tls1_1", "yes");
	expect(&o, "tls.tls1_0", NULL);		/* not asked alone */
	expect(&o, "tls.legacy_cipher", "ECDHE-RSA-AES128-SHA");
	assert_string_equal(o.service, "");	/* a measurement names none */
	obs_fini(&o);
	measure(&probe_tls_weak, "nginx-legacy-weak.bin", &o);
	expect(&o, "tls.weak_cipher", "AECDH-AES128-SHA");
	obs_fini(&o);
	measure(&probe_tls_v1, "nginx-legacy-tls1.0.bin", &o);
	expect(&o, "tls.tls1_0", "yes");
	expect(&o, "tls.ssl3", NULL);
	obs_fini(&o);
	measure(&probe_tls_ssl3, "nginx-legacy-ssl3.bin", &o);
	expect(&o, "tls.ssl3", "no");
	obs_fini(&o);

	/* ocserv (GnuTLS) closes without a word; nginx at Debian's default
	 * security level sends an alert: both refuse. */
	measure(&probe_tls_legacy, "ocserv-legacy-refused.bin", &o);
	expect(&o, "tls.tls1_1", "no");
	expect(&o, "tls.tls1_0", "no");
	expect(&o, "tls.ssl3", "no");
	expect(&o, "tls.legacy_cipher", NULL);
	obs_fini(&o);
	measure(&probe_tls_weak, "ocserv-weak-refused.bin", &o);
	expect(&o, "tls.weak_cipher", "none");
	obs_fini(&o);
	measure(&probe_tls_legacy, "nginx-default-legacy-refused.bin", &o);
	expect(&o, "tls.tls1_1", "no");
	expect(&o, "tls.ssl3", "no");
	obs_fini(&o);
	measure(&probe_tls_weak, "nginx-default-weak-refused.bin", &o);
	expect(&o, "tls.weak_cipher", "none");
	obs_fini(&o);
	measure(&probe_tls_v12, "ocserv-tls1.2.bin", &o);
	expect(&o, "tls.tls1_2", "yes");
	obs_fini(&o);

	/* Bytes that are not TLS prove nothing. */
	measure(&probe_tls_legacy, "../http/not-http-ssh.bin", &o);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_names_and_chain(void **state)
{
	const struct probe	*m;
	size_t			 n = 0;

	(void)state;
	assert_string_equal(tls_version_name(TLS_V_1_0), "TLSv1");
	assert_string_equal(tls_version_name(TLS_V_1_3), "TLSv1.3");
	assert_null(tls_version_name(0x0200));
	assert_string_equal(tls_version_key(TLS_V_SSL3), "tls.ssl3");
	assert_string_equal(tls_version_key(TLS_V_1_1), "tls.tls1_1");
	assert_null(tls_version_key(0x7f1c));
	assert_null(tls_cipher_name(0x1301));
	/* The chain after probe_https: five measurements, then none. */
	for (m = probe_https.then; m != NULL; m = m->then) {
		assert_int_equal(m->transport, PROBE_TCP);
		assert_non_null(m->start);
		n++;
	}
	assert_int_equal(n, 5);
	assert_true(probe_https.then == &probe_tls_legacy);
	assert_true(probe_tls_legacy.then == &probe_tls_weak);
	assert_true(probe_tls_weak.then == &probe_tls_v1);
	assert_true(probe_tls_v1.then == &probe_tls_v12);
	assert_true(probe_tls_v12.then == &probe_tls_ssl3);
	assert_null(probe_tls_legacy.wanted);
	assert_null(probe_tls_weak.wanted);
}

/* Each later measurement runs only when the ones before leave a gap. */
static void
test_wanted(void **state)
{
	struct obs	o;

	(void)state;
	/* A modern server: TLS 1.3 chosen, nothing legacy. */
	obs_init(&o);
	obs_set(&o, "tls.tls1_3", "yes");
	obs_set(&o, "tls.tls1_1", "no");
	obs_set(&o, "tls.tls1_0", "no");
	obs_set(&o, "tls.ssl3", "no");
	assert_false(probe_tls_v1.wanted(&o));
	assert_true(probe_tls_v12.wanted(&o));
	assert_false(probe_tls_ssl3.wanted(&o));
	obs_set(&o, "tls.tls1_2", "yes");
	assert_false(probe_tls_v12.wanted(&o));
	obs_fini(&o);

	/* A legacy server: TLS 1.2 chosen, TLS 1.1 accepted. */
	obs_init(&o);
	obs_set(&o, "tls.tls1_2", "yes");
	obs_set(&o, "tls.tls1_1", "yes");
	assert_true(probe_tls_v1.wanted(&o));
	assert_false(probe_tls_v12.wanted(&o));
	assert_true(probe_tls_ssl3.wanted(&o));
	obs_set(&o, "tls.tls1_0", "yes");
	assert_false(probe_tls_v1.wanted(&o));
	assert_true(probe_tls_ssl3.wanted(&o));
	obs_set(&o, "tls.ssl3", "no");
	assert_false(probe_tls_ssl3.wanted(&o));
	obs_fini(&o);

	/* Nothing measured (the legacy connection failed): no guess. */
	obs_init(&o);
	obs_set(&o, "tls.tls1_2", "yes");
	assert_false(probe_tls_v1.wanted(&o));
	assert_false(probe_tls_ssl3.wanted(&o));
	obs_fini(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_hello),
		cmocka_unit_test(test_server_hello),
		cmocka_unit_test(test_measurements),
		cmocka_unit_test(test_names_and_chain),
		cmocka_unit_test(test_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
