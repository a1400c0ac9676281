/* test_smb.c - the NetBIOS framing, the NEGOTIATE requests we send and
 * the responses we parse, and the two SMB probe sessions (the
 * negotiation, and the SMB1 follow-up). */
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
#include "probes/smb.h"
#include "harness.h"

#define PEER	"198.51.100.50"

/* MS-CIFS 2.2.4.52.1: offering NT LM 0.12 only (the follow-up). */
static const uint8_t	neg1_nt1[] = {
	0x00, 0x00, 0x00, 0x2f,
	0xff, 'S', 'M', 'B', 0x72, 0, 0, 0, 0, 0x18, 0x01, 0xc8,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe,
	0, 0, 0, 0,
	0x00, 0x0c, 0x00,
	0x02, 'N', 'T', ' ', 'L', 'M', ' ', '0', '.', '1', '2', 0,
};

static enum probe_status
run(const struct probe *mod, const char *name, uint16_t port, struct obs *o,
    struct buf *written)
{
	return harness_run_transcript(mod, "smb", name, PEER, port, o, written);
}

static void
test_build_requests(void **state)
{
	uint8_t	out[SMB_REQUEST_MAX];
	size_t	n;

	(void)state;
	assert_int_equal(smb1_build_negotiate(out, sizeof(out), false),
	    sizeof(neg1_nt1));
	assert_memory_equal(out, neg1_nt1, sizeof(neg1_nt1));
	n = smb1_build_negotiate(out, sizeof(out), true);
	assert_int_equal(n, sizeof(neg1_nt1) + 11 + 11);
	assert_int_equal(out[3], n - 4);
	assert_memory_equal(out + n - 11, "\2SMB 2.???", 11);
	assert_int_equal(smb1_build_negotiate(out, 40, true), 0);

	/* SMB2: 64-byte header, 36-byte body, 5 dialects, two contexts. */
	n = smb2_build_negotiate(out, sizeof(out), 1);
	assert_int_equal(n, 4 + 174);
	assert_memory_equal(out, "\0\0\0\xae\xfeSMB\x40\0", 10);
	assert_int_equal(out[4 + 24], 1);		/* MessageId */
	assert_int_equal(out[4 + 64], 36);		/* StructureSize */
	assert_int_equal(out[4 + 66], 5);		/* DialectCount */
	assert_memory_equal(out + 4 + 100,
	    "\x02\x02\x10\x02\x00\x03\x02\x03\x11\x03", 10);
	assert_int_equal(out[4 + 92], 112);		/* context offset */
	assert_int_equal(out[4 + 112], 1);		/* preauth */
	assert_int_equal(out[4 + 160], 2);		/* encryption */
	assert_int_equal(smb2_build_negotiate(out, 100, 0), 0);

	/* Session setups carrying a 40-byte NTLM NEGOTIATE. */
	n = smb2_build_session_setup(out, sizeof(out), 2);
	assert_int_equal(n, 4 + 64 + 24 + 40);
	assert_int_equal(out[4 + 12], 1);		/* SESSION_SETUP */
	assert_int_equal(out[4 + 24], 2);		/* MessageId */
	assert_int_equal(out[4 + 64 + 12], 88);		/* buffer offset */
	assert_memory_equal(out + 4 + 88, "NTLMSSP\0\1\0\0\0", 12);
	assert_int_equal(smb2_build_session_setup(out, 100, 2), 0);
	n = smb1_build_session_setup(out, sizeof(out));
	assert_int_equal(n, 0x68 + 4);
	assert_int_equal(out[4 + 4], 0x73);
	assert_int_equal(out[4 + 32], 12);		/* WordCount */
	assert_memory_equal(out + 4 + 59, "NTLMSSP\0\1\0\0\0", 12);
	assert_int_equal(smb1_build_session_setup(out, 100), 0);

	/* RFC 1001 14.1: "*SMBSERVER" is "CKFDENECFDEFFCFGEFFCCACACACACACA". */
	assert_int_equal(nbss_build_request(out, sizeof(out)), 72);
	assert_memory_equal(out, "\x81\0\0\x44\x20"
	    "CKFDENECFDEFFCFGEFFCCACACACACACA\0\x20"
	    "FGEJEHEJEFCACACACACACACACACACAAA\0", 72);
}

static void
test_nbss(void **state)
{
	static const uint8_t	ka[] = { 0x85, 0, 0, 0 };
	static const uint8_t	msg[] = { 0x00, 0, 0, 2, 0xaa, 0xbb, 0xcc };
	struct nbss_frame	f;

	(void)state;
	assert_int_equal(nbss_parse(ka, sizeof(ka), &f), PARSE_OK);
	assert_int_equal(f.type, NBSS_KEEPALIVE);
	assert_int_equal(f.used, 4);
	assert_int_equal(nbss_parse(msg, sizeof(msg), &f), PARSE_OK);
	assert_int_equal(f.used, 6);
	assert_int_equal(f.payload.len, 2);
	assert_int_equal(nbss_parse(msg, 5, &f), PARSE_MORE);
	assert_int_equal(nbss_parse((const uint8_t *)"\x00\x02", 2, &f),
	    PARSE_BAD);
	assert_int_equal(nbss_parse((const uint8_t *)"\x00\x01\x00\x00", 4,
	    &f), PARSE_BAD);			/* 64 KiB: over SMB_MSG_MAX */
	assert_int_equal(nbss_parse((const uint8_t *)"SSH-", 4, &f),
	    PARSE_BAD);
}

static void
test_names_and_signing(void **state)
{
	struct smb_negotiate	n;
	char			name[SMB_NAME_MAX + 1];

	(void)state;
	assert_int_equal(smb_name_ascii(span_of("L\0A\0B\0\xe9\0", 8), name,
	    sizeof(name)), 4);
	assert_string_equal(name, "LAB?");
	memset(&n, 0, sizeof(n));
	n.version = 2;
	n.security_mode2 = 3;
	assert_string_equal(smb_signing(&n), "required");
	n.security_mode2 = 1;
	assert_string_equal(smb_signing(&n), "enabled");
	n.version = 1;
	n.security_mode = 0x03;
	assert_string_equal(smb_signing(&n), "disabled");
	n.security_mode = 0x0f;
	assert_string_equal(smb_signing(&n), "required");
	n.have_guid = true;
	memcpy(n.guid, "srv-fichiers\0\0\0\0", 16);
	assert_true(smb_guid_is_samba(&n));
	memcpy(n.guid, "SRV\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_false(smb_guid_is_samba(&n));
	memcpy(n.guid, "srv\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
	assert_false(smb_guid_is_samba(&n));
	assert_string_equal(smb2_dialect_name(SMB2_DIALECT_311), "3.1.1");
	assert_null(smb2_dialect_name(0x0222));
}

/* Samba 4.17 of Debian 12, `server min protocol = NT1`, captured: the
 * wildcard, then SMB 3.1.1 with signing enabled but not required. */
static void
test_session_samba_smb1_on(void **state)
{
	struct obs	o;
	struct buf	w;
	uint8_t		neg[SMB_REQUEST_MAX];
	size_t		n, o2;

	(void)state;
	buf_init(&w, 1024);
	assert_int_equal(run(&probe_smb, "samba-4.17-smb1-on.bin", 445, &o,
	    &w), PROBE_DONE);
	/* SMB1 NEGOTIATE, SMB2 NEGOTIATE (1), SESSION_SETUP (2). */
	n = smb1_build_negotiate(neg, sizeof(neg), true);
	assert_memory_equal(w.data, neg, n);
	o2 = n;
	n = smb2_build_negotiate(neg, sizeof(neg), 1);
	assert_memory_equal(w.data + o2, neg, n);
	o2 += n;
	n = smb2_build_session_setup(neg, sizeof(neg), 2);
	assert_int_equal(w.len, o2 + n);
	assert_memory_equal(w.data + o2, neg, n);
	assert_string_equal(o.service, "smb");
	assert_string_equal(obs_get(&o, "smb.dialect"), "3.1.1");
	assert_string_equal(obs_get(&o, "smb.signing"), "enabled");
	assert_string_equal(obs_get(&o, "smb.server_guid"),
	    "2d767273-6e61-6963-656e-000000000000");
	assert_string_equal(obs_get(&o, "product"), "Samba");
	assert_null(obs_get(&o, "smb.smb1"));
	/* The NTLM CHALLENGE: Samba's names; its version means nothing. */
	assert_string_equal(obs_get(&o, "smb.netbios_computer"), "SRV-ANCIEN");
	assert_string_equal(obs_get(&o, "smb.netbios_domain"), "SRV-ANCIEN");
	assert_string_equal(obs_get(&o, "smb.ntlm_version"), "6.1.0");
	assert_null(obs_get(&o, "os"));
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_samba_signing_required(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run(&probe_smb, "samba-4.17-signing-required.bin",
	    445, &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.dialect"), "3.1.1");
	assert_string_equal(obs_get(&o, "smb.signing"), "required");
	assert_string_equal(obs_get(&o, "product"), "Samba");
	assert_string_equal(obs_get(&o, "smb.netbios_computer"),
	    "SRV-FICHIERS");
	obs_fini(&o);

	/* Port 139: a NetBIOS session first. */
	buf_init(&w, 1024);
	assert_int_equal(run(&probe_smb, "samba-4.17-smb1-on-139.bin", 139,
	    &o, &w), PROBE_DONE);
	assert_int_equal(w.data[0], NBSS_REQUEST);
	assert_int_equal(w.data[72 + 8], 0x72);
	assert_string_equal(obs_get(&o, "smb.dialect"), "3.1.1");
	obs_fini(&o);
	buf_fini(&w);
}

static void
test_session_windows(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run(&probe_smb, "windows-2019.bin", 445, &o, NULL),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.dialect"), "3.1.1");
	assert_string_equal(obs_get(&o, "smb.signing"), "enabled");
	assert_string_equal(obs_get(&o, "smb.server_guid"),
	    "9b5e1c3a-2d7f-6e4c-8a0b-1d2e3f405162");
	assert_null(obs_get(&o, "product"));
	/* The CHALLENGE inside SPNEGO: names and the Windows build. */
	assert_string_equal(obs_get(&o, "smb.netbios_computer"), "SRV-PACS");
	assert_string_equal(obs_get(&o, "smb.netbios_domain"), "HOPITAL");
	assert_string_equal(obs_get(&o, "smb.dns_computer"),
	    "srv-pacs.hopital.local");
	assert_string_equal(obs_get(&o, "smb.dns_domain"), "hopital.local");
	assert_string_equal(obs_get(&o, "smb.dns_tree"), "hopital.local");
	assert_string_equal(obs_get(&o, "smb.ntlm_version"), "10.0.17763");
	assert_string_equal(obs_get(&o, "os"), "Windows 10.0 build 17763");
	obs_fini(&o);

	/* Vista and 2008 answer 2.0.2 at once; this one refuses the
	 * session setup. */
	assert_int_equal(run(&probe_smb, "windows-smb2-only-202.bin", 445, &o,
	    NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.dialect"), "2.0.2");
	assert_string_equal(obs_get(&o, "smb.signing"), "required");
	assert_string_equal(obs_get(&o, "smb.session_status"), "0xc0000022");
	obs_fini(&o);

	/* No answer to the session setup: the negotiation is kept. */
	assert_int_equal(run(&probe_smb, "keepalive-then-negotiate.bin", 445,
	    &o, NULL), PROBE_MORE);
	assert_string_equal(obs_get(&o, "smb.dialect"), "3.0.2");
	obs_fini(&o);

	assert_int_equal(run(&probe_smb, "smb2-error.bin", 445, &o, NULL),
	    PROBE_DONE);
	assert_string_equal(o.service, "smb");
	assert_string_equal(obs_get(&o, "smb.status"), "0xc00000bb");
	assert_null(obs_get(&o, "smb.dialect"));
	obs_fini(&o);
}

/* A server that only speaks SMB1 picks NT LM 0.12 at once. */
static void
test_session_smb1_only(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run(&probe_smb, "smb1-only-server.bin", 445, &o,
	    NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.dialect"), "NT LM 0.12");
	assert_string_equal(obs_get(&o, "smb.smb1"), "yes");
	assert_string_equal(obs_get(&o, "smb.signing"), "enabled");
	assert_string_equal(obs_get(&o, "smb.domain"), "WORKGROUP");
	assert_string_equal(obs_get(&o, "smb.server_name"), "SRV2003");
	obs_fini(&o);
}

static void
test_session_not_smb(void **state)
{
	static const char *const files[] = {
		"malformed-nbss-length.bin", "malformed-magic.bin",
		"not-smb-http.bin",
	};
	struct obs	o;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(run(&probe_smb, files[i], 445, &o, NULL),
		    PROBE_MISMATCH);
		assert_int_equal(o.n, 0);
		obs_fini(&o);
	}
	assert_int_equal(run(&probe_smb, "truncated.bin", 445, &o, NULL),
	    PROBE_MORE);
	assert_string_equal(o.service, "");
	obs_fini(&o);

	assert_int_equal(run(&probe_smb, "netbios-negative-139.bin", 139, &o,
	    NULL), PROBE_DONE);
	assert_string_equal(o.service, "netbios-ssn");
	assert_string_equal(obs_get(&o, "smb.netbios_error"), "0x82");
	obs_fini(&o);
}

/* The follow-up on Samba with SMB1 on: NT LM 0.12 accepted. */
static void
test_follow_up_accepted(void **state)
{
	struct obs	o;
	struct buf	w;
	uint8_t		setup[SMB_REQUEST_MAX];
	size_t		n;

	(void)state;
	buf_init(&w, 1024);
	assert_int_equal(run(&probe_smb1, "smb1-samba-4.17-accepted.bin", 445,
	    &o, &w), PROBE_DONE);
	assert_memory_equal(w.data, neg1_nt1, sizeof(neg1_nt1));
	n = smb1_build_session_setup(setup, sizeof(setup));
	assert_int_equal(w.len, sizeof(neg1_nt1) + n);
	assert_memory_equal(w.data + sizeof(neg1_nt1), setup, n);
	assert_string_equal(o.service, "");
	assert_string_equal(obs_get(&o, "smb.smb1"), "yes");
	assert_string_equal(obs_get(&o, "smb.smb1_signing"), "disabled");
	/* SESSION_SETUP_ANDX's strings: Samba's version, the workgroup. */
	assert_string_equal(obs_get(&o, "smb.native_os"), "Windows 6.1");
	assert_string_equal(obs_get(&o, "smb.native_lanman"),
	    "Samba 4.17.12-Debian");
	assert_string_equal(obs_get(&o, "smb.domain"), "LAB");
	assert_string_equal(obs_get(&o, "product"), "Samba");
	assert_string_equal(obs_get(&o, "version"), "4.17.12");
	assert_string_equal(obs_get(&o, "smb.netbios_computer"), "SRV-ANCIEN");
	assert_null(obs_get(&o, "os"));
	obs_fini(&o);
	buf_fini(&w);

	assert_int_equal(run(&probe_smb1, "smb1-only-server-follow-up.bin",
	    445, &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.smb1"), "yes");
	assert_string_equal(obs_get(&o, "smb.smb1_signing"), "enabled");
	obs_fini(&o);
}

/* SMB1 off: Samba says "no dialect" (0xffff), Windows resets. */
static void
test_follow_up_refused(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run(&probe_smb1, "smb1-samba-4.17-refused.bin", 445,
	    &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.smb1"), "no");
	assert_null(obs_get(&o, "smb.smb1_signing"));
	obs_fini(&o);

	assert_int_equal(run(&probe_smb1, "smb1-samba-4.17-refused-139.bin",
	    139, &o, NULL), PROBE_DONE);
	assert_string_equal(obs_get(&o, "smb.smb1"), "no");
	obs_fini(&o);

	assert_int_equal(run(&probe_smb1, "smb1-reset.bin", 445, &o, NULL),
	    PROBE_MORE);
	assert_string_equal(obs_get(&o, "smb.smb1"), "no");
	obs_fini(&o);

	/* A NetBIOS refusal on 139 tells nothing of SMB1. */
	assert_int_equal(run(&probe_smb1, "netbios-negative-139.bin", 139, &o,
	    NULL), PROBE_DONE);
	assert_null(obs_get(&o, "smb.smb1"));
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_smb.name, "smb");
	assert_int_equal(probe_smb.ports[0], 139);
	assert_int_equal(probe_smb.ports[1], 445);
	assert_int_equal(probe_smb.ports[2], 0);
	assert_ptr_equal(probe_smb.then, &probe_smb1);
	assert_null(probe_smb1.then);
	assert_int_equal(probe_smb1.ports[0], 0);
	assert_ptr_equal(probe_for_port(445), &probe_smb);
	assert_ptr_equal(probe_find("smb1"), &probe_smb1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_requests),
		cmocka_unit_test(test_nbss),
		cmocka_unit_test(test_names_and_signing),
		cmocka_unit_test(test_session_samba_smb1_on),
		cmocka_unit_test(test_session_samba_signing_required),
		cmocka_unit_test(test_session_windows),
		cmocka_unit_test(test_session_smb1_only),
		cmocka_unit_test(test_session_not_smb),
		cmocka_unit_test(test_follow_up_accepted),
		cmocka_unit_test(test_follow_up_refused),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
