/* test_ntlm.c - the NTLM NEGOTIATE we send and the CHALLENGE parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/ntlm.h"
#include "harness.h"

static void
test_negotiate(void **state)
{
	static const uint8_t	want[NTLM_NEGOTIATE_LEN] = {
		'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0,
		0x97, 0x82, 0x08, 0xe2,
	};
	uint8_t			out[64];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(ntlm_build_negotiate(out, sizeof(out)),
	    NTLM_NEGOTIATE_LEN);
	assert_memory_equal(out, want, NTLM_NEGOTIATE_LEN);
	assert_int_equal(ntlm_build_negotiate(out, NTLM_NEGOTIATE_LEN - 1), 0);
}

/* A Windows Server 2019 CHALLENGE (tests/transcripts/smb/, written). */
static void
test_challenge(void **state)
{
	struct ntlm_challenge	 c;
	struct obs		 o;
	uint8_t			*data, *buf;
	size_t			 len;
	char			 name[NTLM_NAME_MAX + 1];

	(void)state;
	data = harness_load_file("../transcripts/smb/"
	    "ntlm-challenge-windows-2019.bin", &len);
	assert_int_equal(ntlm_find_challenge(span_of(data, len), &c),
	    PARSE_OK);
	assert_true(c.have_version);
	assert_int_equal(c.major, 10);
	assert_int_equal(c.build, 17763);
	assert_int_equal(ntlm_ascii(c.target_name, name, sizeof(name)), 7);
	assert_string_equal(name, "HOPITAL");
	obs_init(&o);
	ntlm_record(&o, "smb", &c);
	assert_string_equal(obs_get(&o, "smb.netbios_computer"), "SRV-PACS");
	assert_string_equal(obs_get(&o, "smb.dns_computer"),
	    "srv-pacs.hopital.local");
	assert_string_equal(obs_get(&o, "smb.ntlm_version"), "10.0.17763");
	obs_fini(&o);

	/* Found after other bytes (inside SPNEGO), not when cut short. */
	buf = malloc(len + 5);
	assert_non_null(buf);
	memcpy(buf, "\xa1\x82\x01\x00\x30", 5);
	memcpy(buf + 5, data, len);
	assert_int_equal(ntlm_find_challenge(span_of(buf, len + 5), &c),
	    PARSE_OK);
	assert_int_equal(c.build, 17763);
	assert_int_equal(ntlm_find_challenge(span_of(buf, 5 + 47), &c),
	    PARSE_BAD);
	/* A target-info offset past the end. */
	buf[5 + 44] = 0xff;
	assert_int_equal(ntlm_find_challenge(span_of(buf, len + 5), &c),
	    PARSE_BAD);
	/* A NEGOTIATE is not a CHALLENGE. */
	ntlm_build_negotiate(buf, NTLM_NEGOTIATE_LEN);
	memset(buf + NTLM_NEGOTIATE_LEN, 0, 8);
	assert_int_equal(ntlm_find_challenge(span_of(buf, 48), &c),
	    PARSE_BAD);
	free(buf);
	free(data);
}

/* FreeRDP 2.11's CHALLENGE inside its CredSSP TSRequest (captured in
 * the lab, tests/transcripts/rdp/): found in the DER around it. */
static void
test_challenge_freerdp(void **state)
{
	struct ntlm_challenge	 c;
	struct obs		 o;
	uint8_t			*data;
	size_t			 len;

	(void)state;
	data = harness_load_file("../transcripts/rdp/"
	    "freerdp-2.11-nla-credssp.bin", &len);
	assert_int_equal(ntlm_find_challenge(span_of(data, len), &c),
	    PARSE_OK);
	assert_true(c.have_version);
	assert_int_equal(c.major, 6);
	assert_int_equal(c.minor, 1);
	assert_int_equal(c.build, 7601);	/* WinPR's made-up Windows 7 */
	obs_init(&o);
	ntlm_record_names(&o, "rdp.ntlm", &c);
	assert_string_equal(obs_get(&o, "rdp.ntlm.netbios_computer"),
	    "TELECONSULT");
	assert_string_equal(obs_get(&o, "rdp.ntlm.netbios_domain"),
	    "TELECONSULT");
	assert_string_equal(obs_get(&o, "rdp.ntlm.dns_computer"),
	    "teleconsult");
	assert_null(obs_get(&o, "rdp.ntlm.dns_tree"));
	assert_null(obs_get(&o, "rdp.ntlm.ntlm_version"));
	assert_int_equal(o.n, 4);
	/* The SMB probe's API: names and the version. */
	ntlm_record(&o, "smb", &c);
	assert_string_equal(obs_get(&o, "smb.ntlm_version"), "6.1.7601");
	assert_string_equal(obs_get(&o, "smb.netbios_computer"),
	    "TELECONSULT");
	obs_fini(&o);

	/* Cut anywhere inside the message: refused, never read past. */
	for (; len > 0; len--)
		if (ntlm_find_challenge(span_of(data, len), &c) == PARSE_OK &&
		    c.nb_computer.len > 0)
			assert_true(c.nb_computer.p + c.nb_computer.len <=
			    data + len);
	free(data);
}

static void
test_ascii(void **state)
{
	char	out[4];

	(void)state;
	assert_int_equal(ntlm_ascii(span_of("a\0b\0c\0d\0", 8), out,
	    sizeof(out)), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(ntlm_ascii(span_of("\x01\x02", 2), out, sizeof(out)),
	    1);
	assert_string_equal(out, "?");
	assert_int_equal(ntlm_ascii(span_of("a", 1), out, sizeof(out)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_challenge_freerdp),
		cmocka_unit_test(test_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
