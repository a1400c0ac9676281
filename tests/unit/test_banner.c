/* test_banner.c - the generic banner classifier and probe session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/banner.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.99"

static enum parse_result
classify(const char *s, bool eof, struct banner *b)
{
	return banner_classify((const uint8_t *)s, strlen(s), eof, b);
}

static void
test_classify_text_services(void **state)
{
	static const struct {
		const char		*in;
		enum banner_kind	 kind;
		const char		*text;
	} cases[] = {
		{ "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", BANNER_SSH,
		  "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" },
		{ "220 (vsFTPd 3.0.3)\r\n", BANNER_FTP, "220 (vsFTPd 3.0.3)" },
		{ "220 mx ESMTP Postfix (Debian/GNU)\r\n", BANNER_SMTP,
		  "220 mx ESMTP Postfix (Debian/GNU)" },
		{ "220 Welcome\r\n", BANNER_UNKNOWN, "220 Welcome" },
		{ "+OK Dovecot (Debian) ready.\r\n", BANNER_POP3,
		  "+OK Dovecot (Debian) ready." },
		{ "* OK [CAPABILITY IMAP4rev1] ready.\r\n", BANNER_IMAP,
		  "* OK [CAPABILITY IMAP4rev1] ready." },
		{ "-ERR max number of clients reached\r\n", BANNER_REDIS,
		  "-ERR max number of clients reached" },
		{ "RFB 003.008\n", BANNER_VNC, "RFB 003.008" },
		{ "SSH-2.0-\r\n", BANNER_UNKNOWN, "SSH-2.0-" },
		{ "hello\nworld\n", BANNER_UNKNOWN, "hello" },
		{ "\r\n", BANNER_UNKNOWN, "" },
	};
	struct banner	b;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(classify(cases[i].in, false, &b), PARSE_OK);
		assert_int_equal(b.kind, cases[i].kind);
		assert_true(span_eq_str(b.text, cases[i].text));
	}
	assert_int_equal(classify("RFB 003.008\n", false, &b), PARSE_OK);
	assert_true(span_eq_str(b.version, "003.008"));
}

static void
test_classify_waits_for_a_decision(void **state)
{
	static const char *const partial[] = {
		"SSH-2.0-Open", "220 (vsFTPd", "220-multi\r\n", "\xff", "+OK",
	};
	static const uint8_t	mysql[] = {
		0x4a, 0x00, 0x00, 0x00, 0x0a, '5', '.', '5', '.', '5',
	};
	struct banner		b;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(partial) / sizeof(partial[0]); i++)
		assert_int_equal(classify(partial[i], false, &b), PARSE_MORE);
	for (i = 0; i <= sizeof(mysql); i++)
		assert_int_equal(banner_classify(mysql, i, false, &b),
		    PARSE_MORE);
	assert_int_equal(banner_classify(mysql, sizeof(mysql), true, &b),
	    PARSE_OK);
	assert_int_equal(b.kind, BANNER_MYSQL);
	assert_true(span_eq_str(b.version, "5.5.5"));
	assert_int_equal(banner_classify((const uint8_t *)"", 0, false, &b),
	    PARSE_MORE);
	assert_int_equal(banner_classify((const uint8_t *)"", 0, true, &b),
	    PARSE_BAD);
	/* At eof, what there is decides. */
	assert_int_equal(classify("SSH-2.0-Open", true, &b), PARSE_OK);
	assert_int_equal(b.kind, BANNER_SSH);
	assert_int_equal(classify("\xff", true, &b), PARSE_OK);
	assert_int_equal(b.kind, BANNER_UNKNOWN);
}

static void
test_classify_binary(void **state)
{
	static const uint8_t	telnet[] = { 0xff, 0xfd, 0x01 };
	static const uint8_t	not_telnet[] = { 0xff, 0x10, '\n' };
	uint8_t			buf[BANNER_TEXT_MAX + 1];
	struct banner		b;

	(void)state;
	assert_int_equal(banner_classify(telnet, 2, false, &b), PARSE_OK);
	assert_int_equal(b.kind, BANNER_TELNET);
	assert_int_equal(banner_classify(not_telnet, 3, false, &b), PARSE_OK);
	assert_int_equal(b.kind, BANNER_UNKNOWN);
	/* No line end: decided after BANNER_TEXT_MAX bytes. */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(banner_classify(buf, BANNER_TEXT_MAX - 1, false, &b),
	    PARSE_MORE);
	assert_int_equal(banner_classify(buf, sizeof(buf), false, &b),
	    PARSE_OK);
	assert_int_equal(b.kind, BANNER_UNKNOWN);
	assert_int_equal(b.text.len, BANNER_TEXT_MAX);
	assert_string_equal(banner_service(BANNER_MYSQL), "mysql");
	assert_string_equal(banner_service(BANNER_UNKNOWN), "");
}

static void
test_classify_mysql(void **state)
{
	static const uint8_t	err[] = {
		0x15, 0x00, 0x00, 0x00, 0xff, 0x6a, 0x04, '#', 'H', 'Y', '0',
		'0', '0', 'H', 'o', 's', 't', ' ', 'x', ' ', 'b', 'l', 'o',
		'c', 'k',
	};
	static const uint8_t	bad_version[] = {
		0x0c, 0x00, 0x00, 0x00, 0x0a, '8', '.', 0x01, '0', 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct banner		b;

	(void)state;
	assert_int_equal(banner_classify(err, sizeof(err), false, &b),
	    PARSE_OK);
	assert_int_equal(b.kind, BANNER_MYSQL);
	assert_true(b.mysql_error);
	assert_int_equal(b.mysql_errno, 1130);
	assert_true(span_eq_str(b.text, "Host x block"));
	assert_int_equal(banner_classify(err, sizeof(err) - 2, false, &b),
	    PARSE_MORE);
	assert_int_equal(banner_classify(err, sizeof(err) - 2, true, &b),
	    PARSE_OK);
	assert_true(span_eq_str(b.text, "Host x blo"));
	assert_int_equal(banner_classify(bad_version, sizeof(bad_version),
	    false, &b), PARSE_OK);
	assert_int_equal(b.kind, BANNER_UNKNOWN);
}

static enum probe_status
run_chunk(const char *name, size_t chunk, struct obs *o)
{
	uint8_t			*data;
	size_t			 len;
	enum probe_status	 st;
	struct buf		 w;

	data = harness_transcript("banner", name, &len);
	buf_init(&w, 64);
	if (chunk == (size_t)-1)
		st = harness_run_chunks(&probe_banner, PEER, 10001, data, len,
		    o, &w);
	else
		st = harness_run_io(&probe_banner, PEER, 10001, data, len,
		    chunk, o, &w);
	assert_int_equal(w.len, 0);		/* it never speaks */
	buf_fini(&w);
	free(data);
	return st;
}

static enum probe_status
run_file(const char *name, struct obs *o)
{
	return run_chunk(name, (size_t)-1, o);
}

static void
test_session_known_services(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("openssh.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "ssh");
	assert_string_equal(obs_get(&o, "product"), "OpenSSH");
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "2+deb12u10");
	assert_string_equal(obs_get(&o, "banner.text"),
	    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
	obs_fini(&o);

	assert_int_equal(run_file("vsftpd.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "ftp");
	assert_string_equal(obs_get(&o, "version"), "3.0.3");
	obs_fini(&o);

	assert_int_equal(run_file("pureftpd-multiline.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "ftp");
	assert_string_equal(obs_get(&o, "product"), "Pure-FTPd");
	obs_fini(&o);

	assert_int_equal(run_file("exim.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "product"), "Exim");
	assert_string_equal(obs_get(&o, "version"), "4.96");
	obs_fini(&o);

	assert_int_equal(run_file("redis-denied.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "redis");
	assert_string_equal(obs_get(&o, "redis.auth"), "protected");
	obs_fini(&o);

	assert_int_equal(run_file("vnc.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "vnc");
	assert_string_equal(obs_get(&o, "vnc.protocol"), "003.008");
	obs_fini(&o);

	assert_int_equal(run_file("pop3-dovecot.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "pop3");
	obs_fini(&o);

	assert_int_equal(run_file("imap-dovecot.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "imap");
	obs_fini(&o);
}

static void
test_session_mysql(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("mariadb-10.11-debian.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.version"),
	    "5.5.5-10.11.6-MariaDB-0+deb12u1");
	assert_string_equal(obs_get(&o, "product"), "MariaDB");
	assert_string_equal(obs_get(&o, "version"), "10.11.6");
	obs_fini(&o);

	assert_int_equal(run_file("mysql-8.0-ubuntu.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "MySQL");
	assert_string_equal(obs_get(&o, "version"), "8.0.36");
	obs_fini(&o);

	assert_int_equal(run_file("mysql-error-1130.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.errno"), "1130");
	assert_string_equal(obs_get(&o, "mysql.error"), "Host '198.51.100.10' "
	    "is not allowed to connect to this MariaDB server");
	obs_fini(&o);

	/* Cut inside the version: what came of it. */
	assert_int_equal(run_file("truncated-mysql.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "mysql");
	assert_string_equal(obs_get(&o, "mysql.version"),
	    "5.5.5-10.11.6-MariaDB-0+d");
	assert_string_equal(obs_get(&o, "version"), "10.11.6");
	obs_fini(&o);
}

/* Telnet: decided on the first two bytes, so compare read sizes by hand:
 * the text differs with what had arrived. */
static void
test_session_telnet(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_chunk("telnet-busybox.bin", HARNESS_WHOLE, &o),
	    PROBE_DONE);
	assert_string_equal(o.service, "telnet");
	assert_string_equal(obs_get(&o, "banner.text"), "(none) login:");
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "DO ECHO, DO NAWS, WILL ECHO, WILL SGA");
	obs_fini(&o);

	assert_int_equal(run_chunk("telnet-busybox.bin", 1, &o), PROBE_DONE);
	assert_string_equal(o.service, "telnet");
	assert_null(obs_get(&o, "banner.text"));
	obs_fini(&o);
}

static void
test_session_unknown(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("unknown-text.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "");
	assert_string_equal(obs_get(&o, "banner.text"),
	    "Welcome to the XYZ data logger v2.1");
	obs_fini(&o);

	assert_int_equal(run_file("unknown-binary.bin", &o), PROBE_DONE);
	assert_string_equal(o.service, "");
	assert_non_null(obs_get(&o, "banner.text"));
	obs_fini(&o);

	/* Cut before its line end: decided at eof. */
	assert_int_equal(run_file("truncated-ssh.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "ssh");
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "2+deb12u3");
	obs_fini(&o);

	/* Nothing at all. */
	assert_int_equal(harness_run(&probe_banner, PEER, 10001, NULL, 0,
	    HARNESS_WHOLE, &o), PROBE_MORE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_banner.name, "banner");
	assert_int_equal(probe_banner.ports[0], 0);
	assert_int_equal(probe_banner.flags,
	    PROBE_SERVER_FIRST | PROBE_GENERIC);
	assert_null(probe_banner.start);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_text_services),
		cmocka_unit_test(test_classify_waits_for_a_decision),
		cmocka_unit_test(test_classify_binary),
		cmocka_unit_test(test_classify_mysql),
		cmocka_unit_test(test_session_known_services),
		cmocka_unit_test(test_session_mysql),
		cmocka_unit_test(test_session_telnet),
		cmocka_unit_test(test_session_unknown),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
