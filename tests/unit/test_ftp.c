/* test_ftp.c - FTP reply parsing, product names and the anonymous-login
 * conversation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigie/obs.h"
#include "probes/ftp.h"
#include "probes/probe_internal.h"
#include "harness.h"

#define PEER	"198.51.100.21"

static const char	user_pass_quit[] = "USER anonymous\r\n"
			    "PASS anonymous@\r\nQUIT\r\n";
static const char	user_quit[] = "USER anonymous\r\nQUIT\r\n";

static enum parse_result
parse(const char *s, struct ftp_reply *r)
{
	return ftp_parse_reply((const uint8_t *)s, strlen(s), r);
}

static void
test_reply_single_line(void **state)
{
	struct ftp_reply	r;
	char			text[64];

	(void)state;
	assert_int_equal(parse("220 (vsFTPd 3.0.3)\r\n331 next\r\n", &r),
	    PARSE_OK);
	assert_int_equal(r.code, 220);
	assert_int_equal(r.nlines, 1);
	assert_int_equal(r.used, 20);
	assert_true(span_eq_str(r.line[0], "(vsFTPd 3.0.3)"));
	ftp_reply_text(&r, text, sizeof(text));
	assert_string_equal(text, "(vsFTPd 3.0.3)");

	/* A bare LF and a bare code are accepted too. */
	assert_int_equal(parse("220\n", &r), PARSE_OK);
	assert_int_equal(r.code, 220);
	assert_int_equal(r.line[0].len, 0);
}

static void
test_reply_multi_line(void **state)
{
	static const char	in[] = "220-first\r\n"
	    "  free text\r\n"
	    "220-second\r\n"
	    "220 last\r\n";
	struct ftp_reply	r;
	char			text[64];

	(void)state;
	assert_int_equal(parse(in, &r), PARSE_OK);
	assert_int_equal(r.code, 220);
	assert_int_equal(r.nlines, 4);
	assert_int_equal(r.used, sizeof(in) - 1);
	assert_true(span_eq_str(r.line[1], "  free text"));
	ftp_reply_text(&r, text, sizeof(text));
	assert_string_equal(text, "first free text second last");
	/* The text is bounded by its buffer. */
	ftp_reply_text(&r, text, 8);
	assert_string_equal(text, "first f");
}

/* "220 " inside a multi-line reply with another code does not end it. */
static void
test_reply_multi_line_needs_same_code(void **state)
{
	struct ftp_reply	r;

	(void)state;
	assert_int_equal(parse("220-a\r\n230 b\r\n", &r), PARSE_MORE);
	assert_int_equal(r.nlines, 2);
	assert_int_equal(parse("220-a\r\n230 b\r\n220 c\r\n", &r), PARSE_OK);
	assert_int_equal(r.nlines, 3);
}

static void
test_reply_incremental(void **state)
{
	static const char	in[] = "220-a\r\n220 b\r\n";
	struct ftp_reply	r;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(in) - 1; i++)
		assert_int_equal(ftp_parse_reply((const uint8_t *)in, i, &r),
		    PARSE_MORE);
	assert_int_equal(ftp_parse_reply((const uint8_t *)in, i, &r),
	    PARSE_OK);
}

static void
test_reply_rejects(void **state)
{
	static const char *const bad[] = {
		"SSH-2.0-OpenSSH\r\n", "HTTP/1.1 200 OK\r\n", "2x0 hi\r\n",
		"620 hi\r\n", "22\r\n", "220x\r\n", "S", "22a",
	};
	struct ftp_reply	r;
	uint8_t			big[FTP_LINE_MAX + 8];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), PARSE_BAD);
	assert_int_equal(ftp_parse_reply((const uint8_t *)"220 a\0b\r\n", 9,
	    &r), PARSE_BAD);
	memset(big, 'a', sizeof(big));
	memcpy(big, "220 ", 4);
	assert_int_equal(ftp_parse_reply(big, sizeof(big), &r), PARSE_BAD);
}

static void
test_reply_lines_bound(void **state)
{
	char			buf[8192];
	struct ftp_reply	r;
	size_t			i, o = 0;

	(void)state;
	for (i = 0; i <= FTP_REPLY_LINES_MAX; i++) {
		memcpy(buf + o, "220-x\r\n", 7);
		o += 7;
	}
	memcpy(buf + o, "220 end\r\n", 9);
	o += 9;
	assert_int_equal(ftp_parse_reply((const uint8_t *)buf, o, &r),
	    PARSE_BAD);
}

static void
check_identify(const char *greeting, const char *name, const char *version)
{
	struct ftp_reply	 r;
	const char		*n;
	struct span		 v;

	assert_int_equal(parse(greeting, &r), PARSE_OK);
	if (name == NULL) {
		assert_false(ftp_identify(&r, &n, &v));
		return;
	}
	assert_true(ftp_identify(&r, &n, &v));
	assert_string_equal(n, name);
	assert_true(span_eq_str(v, version));
}

static void
test_identify_products(void **state)
{
	(void)state;
	check_identify("220 (vsFTPd 3.0.3)\r\n", "vsFTPd", "3.0.3");
	check_identify("220 ProFTPD 1.3.8 Server (Debian) [::ffff:1.2.3.4]\r\n",
	    "ProFTPD", "1.3.8");
	check_identify("220 ProFTPD Server (Debian) [::ffff:1.2.3.4]\r\n",
	    "ProFTPD", "");
	check_identify("220-FileZilla Server 1.8.0\r\n220 Please visit\r\n",
	    "FileZilla Server", "1.8.0");
	check_identify("220-FileZilla Server version 0.9.60 beta\r\n220 x\r\n",
	    "FileZilla Server", "0.9.60");
	check_identify("220 Microsoft FTP Service\r\n",
	    "Microsoft FTP Service", "");
	check_identify("220---------- Welcome to Pure-FTPd [privsep] "
	    "----------\r\n220 bye\r\n", "Pure-FTPd", "");
	check_identify("220 Serv-U FTP Server v15.1 ready...\r\n", "Serv-U",
	    "15.1");
	check_identify("220 Welcome\r\n", NULL, NULL);
}

static void
test_greeting_is_ftp(void **state)
{
	struct ftp_reply	r;

	(void)state;
	assert_int_equal(parse("220 (vsFTPd 3.0.3)\r\n", &r), PARSE_OK);
	assert_true(ftp_greeting_is_ftp(&r));
	assert_int_equal(parse("220 files.example.org FTP server ready\r\n",
	    &r), PARSE_OK);
	assert_true(ftp_greeting_is_ftp(&r));
	assert_int_equal(parse("220 mail ESMTP Exim 4.96\r\n", &r), PARSE_OK);
	assert_false(ftp_greeting_is_ftp(&r));
	assert_int_equal(parse("220 Welcome\r\n", &r), PARSE_OK);
	assert_false(ftp_greeting_is_ftp(&r));
}

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *w)
{
	buf_init(w, 4096);
	return harness_run_transcript(&probe_ftp, "ftp", name, PEER, 21, o, w);
}

static void
assert_wrote(struct buf *w, const char *expect)
{
	assert_int_equal(w->len, strlen(expect));
	assert_memory_equal(w->data, expect, w->len);
	buf_fini(w);
}

/* vsftpd 3.0.3 on Debian 12, anonymous_enable=YES: real bytes. */
static void
test_session_vsftpd_anonymous(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("vsftpd-3.0.3-anonymous.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_pass_quit);
	assert_string_equal(o.service, "ftp");
	assert_string_equal(obs_get(&o, "ftp.banner"), "(vsFTPd 3.0.3)");
	assert_string_equal(obs_get(&o, "product"), "vsFTPd");
	assert_string_equal(obs_get(&o, "version"), "3.0.3");
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "yes");
	assert_string_equal(obs_get(&o, "ftp.anonymous_reply"),
	    "230 Login successful.");
	assert_null(obs_get(&o, "ftp.greeting_code"));
	obs_fini(&o);
}

static void
test_session_vsftpd_refused(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("vsftpd-3.0.3-no-anonymous.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_pass_quit);
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "no");
	assert_string_equal(obs_get(&o, "ftp.anonymous_reply"),
	    "530 Login incorrect.");
	obs_fini(&o);
}

/* A 5xx or 421 greeting is recorded, and nothing is sent. */
static void
test_session_error_greetings(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("vsftpd-500-oops.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "");
	assert_string_equal(o.service, "ftp");
	assert_string_equal(obs_get(&o, "ftp.greeting_code"), "500");
	assert_string_equal(obs_get(&o, "ftp.banner"),
	    "OOPS: vsftpd: both local and anonymous access disabled!");
	assert_null(obs_get(&o, "ftp.anonymous"));
	obs_fini(&o);

	assert_int_equal(run_file("vsftpd-421-too-many.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, "");
	assert_string_equal(obs_get(&o, "ftp.greeting_code"), "421");
	obs_fini(&o);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("proftpd-debian.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, user_pass_quit);
	assert_string_equal(obs_get(&o, "product"), "ProFTPD");
	assert_null(obs_get(&o, "version"));
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "no");
	obs_fini(&o);

	assert_int_equal(run_file("filezilla-multiline.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_pass_quit);
	assert_string_equal(obs_get(&o, "ftp.banner"), "FileZilla Server "
	    "1.8.0 Please visit https://filezilla-project.org/");
	assert_string_equal(obs_get(&o, "version"), "1.8.0");
	obs_fini(&o);

	assert_int_equal(run_file("microsoft-anonymous.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_pass_quit);
	assert_string_equal(obs_get(&o, "product"), "Microsoft FTP Service");
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "yes");
	assert_string_equal(obs_get(&o, "ftp.anonymous_reply"),
	    "230 Welcome to the archive. User logged in.");
	obs_fini(&o);

	/* USER refused outright: no password is sent. */
	assert_int_equal(run_file("pureftpd-multiline.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_quit);
	assert_string_equal(obs_get(&o, "product"), "Pure-FTPd");
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "no");
	obs_fini(&o);

	/* Logged in by USER alone. */
	assert_int_equal(run_file("rfc959-multiline.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, user_quit);
	assert_string_equal(obs_get(&o, "ftp.banner"), "gw.example.org FTP "
	    "server ready. Lines in between need not repeat the code. Ready.");
	assert_string_equal(obs_get(&o, "ftp.anonymous"), "yes");
	obs_fini(&o);
}

static void
test_session_truncated(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("truncated-greeting.bin", &o, &w),
	    PROBE_MORE);
	assert_wrote(&w, "");
	assert_string_equal(o.service, "ftp");
	assert_string_equal(obs_get(&o, "ftp.banner"), "(vsFTPd 3.0");
	assert_string_equal(obs_get(&o, "version"), "3.0");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-after-user.bin", &o, &w),
	    PROBE_MORE);
	assert_wrote(&w, "USER anonymous\r\n");
	assert_string_equal(obs_get(&o, "product"), "vsFTPd");
	assert_null(obs_get(&o, "ftp.anonymous"));
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	static const char *const files[] = {
		"not-ftp-ssh.bin", "not-ftp-smtp.bin", "malformed-code.bin",
	};
	struct obs	o;
	struct buf	w;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(run_file(files[i], &o, &w), PROBE_MISMATCH);
		assert_wrote(&w, "");
		assert_string_equal(o.service, "");
		obs_fini(&o);
	}
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_ftp.name, "ftp");
	assert_int_equal(probe_ftp.ports[0], 21);
	assert_int_equal(probe_ftp.ports[1], 0);
	assert_true(probe_ftp.flags & PROBE_SERVER_FIRST);
	assert_int_equal(probe_ftp.transport, PROBE_TCP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_single_line),
		cmocka_unit_test(test_reply_multi_line),
		cmocka_unit_test(test_reply_multi_line_needs_same_code),
		cmocka_unit_test(test_reply_incremental),
		cmocka_unit_test(test_reply_rejects),
		cmocka_unit_test(test_reply_lines_bound),
		cmocka_unit_test(test_identify_products),
		cmocka_unit_test(test_greeting_is_ftp),
		cmocka_unit_test(test_session_vsftpd_anonymous),
		cmocka_unit_test(test_session_vsftpd_refused),
		cmocka_unit_test(test_session_error_greetings),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
