/* test_smtp.c - SMTP reply parsing, EHLO keywords, product names and the
 * probe session. */
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
#include "probes/smtp.h"
#include "harness.h"

#define PEER	"198.51.100.25"

static const char	ehlo_quit[] = "EHLO vigie.invalid\r\nQUIT\r\n";

static enum parse_result
parse(const char *s, struct smtp_reply *r)
{
	return smtp_parse_reply((const uint8_t *)s, strlen(s), r);
}

static void
test_reply_lines(void **state)
{
	static const char	in[] = "250-mx.example.org Hello\r\n"
	    "250-SIZE 52428800\r\n250-8bitmime\r\n250-STARTTLS\r\n"
	    "250-AUTH PLAIN LOGIN\r\n250 HELP\r\nleft";
	struct smtp_reply	r;
	struct span		auth;
	char			kw[128];
	bool			tls;

	(void)state;
	assert_int_equal(parse(in, &r), PARSE_OK);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.nlines, 6);
	assert_int_equal(r.used, strlen(in) - 4);
	assert_true(span_eq_str(r.line[0], "mx.example.org Hello"));
	smtp_ehlo_keywords(&r, kw, sizeof(kw), &tls);
	assert_string_equal(kw, "SIZE 8BITMIME STARTTLS AUTH HELP");
	assert_true(tls);
	assert_true(smtp_ehlo_param(&r, "auth", &auth));
	assert_true(span_eq_str(auth, "PLAIN LOGIN"));
	assert_false(smtp_ehlo_param(&r, "PIPELINING", &auth));
}

static void
test_reply_text_and_bounds(void **state)
{
	struct smtp_reply	r;
	char			text[16];
	bool			tls;

	(void)state;
	assert_int_equal(parse("220-a b\r\n220-  c  \r\n220\r\n", &r),
	    PARSE_OK);
	assert_int_equal(r.nlines, 3);
	smtp_reply_text(&r, text, sizeof(text));
	assert_string_equal(text, "a b c");
	smtp_reply_text(&r, text, 3);
	assert_string_equal(text, "a ");
	assert_int_equal(smtp_ehlo_keywords(&r, text, sizeof(text), &tls), 1);
	assert_false(tls);
}

static void
test_reply_rejects(void **state)
{
	static const char *const bad[] = {
		"220-a\r\n250 b\r\n", "120 wait\r\n", "22\r\n", "SSH-2.0-x\r\n",
		"220-a\r\n2x0 b\r\n", "220-a\r\nfree text\r\n",
	};
	struct smtp_reply	r;
	char			buf[8192];
	size_t			i, o = 0;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], &r), PARSE_BAD);
	for (i = 0; i <= SMTP_REPLY_LINES_MAX; i++) {
		memcpy(buf + o, "250-x\r\n", 7);
		o += 7;
	}
	assert_int_equal(smtp_parse_reply((const uint8_t *)buf, o, &r),
	    PARSE_BAD);
	assert_int_equal(parse("220-a\r\n22", &r), PARSE_MORE);
	assert_int_equal(r.nlines, 1);
}

static void
check_identify(const char *greeting, const char *name, const char *version)
{
	struct smtp_reply	 r;
	const char		*n;
	struct span		 v;

	assert_int_equal(parse(greeting, &r), PARSE_OK);
	if (name == NULL) {
		assert_false(smtp_identify(&r, &n, &v));
		return;
	}
	assert_true(smtp_identify(&r, &n, &v));
	assert_string_equal(n, name);
	assert_true(span_eq_str(v, version));
}

static void
test_identify_products(void **state)
{
	(void)state;
	check_identify("220 mx ESMTP Exim 4.96 Wed, 25 Nov 2026\r\n", "Exim",
	    "4.96");
	check_identify("220 mx ESMTP Postfix (Debian/GNU)\r\n", "Postfix", "");
	check_identify("220 mx Microsoft ESMTP MAIL Service ready at Wed\r\n",
	    "Microsoft ESMTP MAIL Service", "");
	check_identify("220 mx Microsoft ESMTP MAIL Service, Version: "
	    "10.0.17763.1697 ready\r\n", "Microsoft ESMTP MAIL Service",
	    "10.0.17763.1697");
	check_identify("220 mx ESMTP Sendmail 8.17.1.9/8.17.1.9/Debian-2; "
	    "Wed\r\n", "Sendmail", "8.17.1.9");
	check_identify("220 mx ESMTP Haraka/3.0.3 ready\r\n", "Haraka",
	    "3.0.3");
	check_identify("220 mx ESMTP ready\r\n", NULL, NULL);
}

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *w)
{
	char			 path[256];
	uint8_t			*data;
	size_t			 len;
	enum probe_status	 st;

	snprintf(path, sizeof(path), "../transcripts/smtp/%s", name);
	data = harness_load_file(path, &len);
	buf_init(w, 4096);
	st = harness_run_chunks(&probe_smtp, PEER, 25, data, len, o, w);
	free(data);
	return st;
}

static void
assert_wrote(struct buf *w, const char *expect)
{
	assert_int_equal(w->len, strlen(expect));
	assert_memory_equal(w->data, expect, w->len);
	buf_fini(w);
}

static void
test_session_exim(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("exim-4.96.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "smtp.banner"), "mail.example.org "
	    "ESMTP Exim 4.96 Wed, 25 Nov 2026 03:00:00 +0000");
	assert_string_equal(obs_get(&o, "product"), "Exim");
	assert_string_equal(obs_get(&o, "version"), "4.96");
	assert_string_equal(obs_get(&o, "smtp.ehlo"),
	    "SIZE 8BITMIME PIPELINING CHUNKING STARTTLS PRDR HELP");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	assert_null(obs_get(&o, "smtp.auth"));
	obs_fini(&o);

	assert_int_equal(run_file("exim-4.96-no-tls.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "smtp.starttls"), "no");
	obs_fini(&o);

	assert_int_equal(run_file("exim-multiline-greeting.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "version"), "4.96");
	assert_non_null(strstr(obs_get(&o, "smtp.banner"),
	    "unsolicited, and/or bulk e-mail."));
	obs_fini(&o);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("postfix-debian.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "product"), "Postfix");
	assert_null(obs_get(&o, "version"));
	assert_string_equal(obs_get(&o, "smtp.auth"), "PLAIN LOGIN");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	obs_fini(&o);

	assert_int_equal(run_file("exchange.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "product"),
	    "Microsoft ESMTP MAIL Service");
	assert_string_equal(obs_get(&o, "smtp.auth"), "NTLM");
	obs_fini(&o);

	assert_int_equal(run_file("iis-smtp.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "version"), "10.0.17763.1697");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "no");
	obs_fini(&o);

	assert_int_equal(run_file("sendmail-debian.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "product"), "Sendmail");
	assert_string_equal(obs_get(&o, "version"), "8.17.1.9");
	obs_fini(&o);
}

static void
test_session_refusals(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("554-refused.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "");
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "smtp.greeting_code"), "554");
	obs_fini(&o);

	assert_int_equal(run_file("ehlo-rejected.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "smtp.ehlo_code"), "502");
	assert_null(obs_get(&o, "smtp.starttls"));
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
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "version"), "4.96");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-ehlo.bin", &o, &w), PROBE_MORE);
	assert_wrote(&w, "EHLO vigie.invalid\r\n");
	assert_string_equal(obs_get(&o, "product"), "Exim");
	assert_null(obs_get(&o, "smtp.ehlo"));
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("not-smtp-ftp.bin", &o, &w), PROBE_MISMATCH);
	assert_wrote(&w, "");
	assert_string_equal(o.service, "");
	obs_fini(&o);
	assert_int_equal(run_file("malformed-mixed-codes.bin", &o, &w),
	    PROBE_MISMATCH);
	assert_wrote(&w, "");
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_smtp.name, "smtp");
	assert_int_equal(probe_smtp.ports[0], 25);
	assert_int_equal(probe_smtp.ports[1], 587);
	assert_int_equal(probe_smtp.ports[2], 0);
	assert_true(probe_smtp.flags & PROBE_SERVER_FIRST);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_lines),
		cmocka_unit_test(test_reply_text_and_bounds),
		cmocka_unit_test(test_reply_rejects),
		cmocka_unit_test(test_identify_products),
		cmocka_unit_test(test_session_exim),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_refusals),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
