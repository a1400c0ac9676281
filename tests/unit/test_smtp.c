/* test_smtp.c - SMTP reply parsing, EHLO keywords, product names and the
 * probe session, in clear and through the STARTTLS upgrade; the TLS
 * measurements through STARTTLS (smtp_tls_legacy...) on exim's answers
 * (tests/transcripts/tls/exim-starttls-*.bin, CAPTURED in the lab). */
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
#include "probes/probe_internal.h"
#include "probes/smtp.h"
#include "probes/tls.h"
#include "harness.h"

#define PEER	"198.51.100.25"

static const char	ehlo_quit[] = "EHLO vigie.invalid\r\nQUIT\r\n";
static const char	ehlo_starttls[] = "EHLO vigie.invalid\r\nSTARTTLS\r\n";
static const char	ehlo_starttls_quit[] = "EHLO vigie.invalid\r\n"
    "STARTTLS\r\nQUIT\r\n";

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
	buf_init(w, 4096);
	return harness_run_transcript(&probe_smtp, "smtp", name, PEER, 25, o,
	    w);
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
	/* The 221 that follows the EHLO reply is read as the answer to
	 * STARTTLS: a server closing instead is a refusal. */
	assert_int_equal(run_file("exim-4.96.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_starttls_quit);
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "smtp.banner"), "mail.example.org "
	    "ESMTP Exim 4.96 Wed, 25 Nov 2026 03:00:00 +0000");
	assert_string_equal(obs_get(&o, "product"), "Exim");
	assert_string_equal(obs_get(&o, "version"), "4.96");
	assert_string_equal(obs_get(&o, "smtp.ehlo"),
	    "SIZE 8BITMIME PIPELINING CHUNKING STARTTLS PRDR HELP");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "refused");
	assert_string_equal(obs_get(&o, "smtp.starttls_reply"),
	    "221 mail.example.org closing connection");
	assert_null(obs_get(&o, "smtp.auth"));
	obs_fini(&o);

	assert_int_equal(run_file("exim-4.96-no-tls.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, ehlo_quit);
	assert_string_equal(obs_get(&o, "smtp.starttls"), "no");
	assert_null(obs_get(&o, "smtp.starttls_result"));
	obs_fini(&o);

	/* STARTTLS offered, asked for, and no answer yet. */
	assert_int_equal(run_file("exim-multiline-greeting.bin", &o, &w),
	    PROBE_MORE);
	assert_wrote(&w, ehlo_starttls);
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
	assert_int_equal(run_file("postfix-debian.bin", &o, &w), PROBE_MORE);
	assert_wrote(&w, ehlo_starttls);
	assert_string_equal(obs_get(&o, "product"), "Postfix");
	assert_null(obs_get(&o, "version"));
	assert_string_equal(obs_get(&o, "smtp.auth"), "PLAIN LOGIN");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	obs_fini(&o);

	assert_int_equal(run_file("exchange.bin", &o, &w), PROBE_MORE);
	assert_wrote(&w, ehlo_starttls);
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

/*
 * A session through the upgrade: `clear` (the server's bytes before TLS)
 * `chunk` bytes at a time up to PROBE_STARTTLS, then, unless `tls` is
 * NULL, on_tls() as the runtime calls it after the handshake and `tls`
 * (the decrypted bytes) the same way.  Returns what the module said
 * last; `o` and `w` get the observation and every byte written, in clear
 * and over TLS.
 */
static enum probe_status
run_starttls_chunk(const uint8_t *clear, size_t clearlen,
    const uint8_t *tls, size_t tlslen, size_t chunk, struct obs *o,
    struct buf *w)
{
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st = PROBE_MORE;
	size_t			 off = 0, n;

	s = probe_session_fake_new(&probe_smtp, PEER, 587);
	in = evbuffer_new();
	assert_non_null(s);
	assert_non_null(in);
	while (st == PROBE_MORE && off < clearlen) {
		n = chunk == HARNESS_WHOLE || chunk > clearlen - off ?
		    clearlen - off : chunk;
		evbuffer_add(in, clear + off, n);
		off += n;
		st = probe_smtp.on_read(s, in);
	}
	if (st == PROBE_STARTTLS)
		/* Nothing read in clear may reach the TLS layer. */
		assert_int_equal(evbuffer_get_length(in), 0);
	if (st == PROBE_STARTTLS && tls != NULL) {
		st = probe_smtp.on_tls(s);
		off = 0;
		while (st == PROBE_MORE && off < tlslen) {
			n = chunk == HARNESS_WHOLE || chunk > tlslen - off ?
			    tlslen - off : chunk;
			evbuffer_add(in, tls + off, n);
			off += n;
			st = probe_smtp.on_read(s, in);
		}
	}
	obs_init(o);
	memcpy(o->service, s->obs.service, sizeof(o->service));
	obs_merge(o, &s->obs);
	buf_init(w, 4096);
	if ((n = evbuffer_get_length(s->out)) > 0)
		assert_int_equal(buf_add(w, evbuffer_pullup(s->out, -1), n), 0);
	evbuffer_free(in);
	probe_session_fake_free(s);
	return st;
}

/* The same in one read and in 1, 2, 3, 7 and 64-byte reads: all must
 * agree.  `tls_name` may be NULL (nothing after the upgrade). */
static enum probe_status
run_starttls(const char *clear_name, const char *tls_name, struct obs *o,
    struct buf *w)
{
	static const size_t	 chunks[] = { 1, 2, 3, 7, 64 };
	uint8_t			*clear, *tls = NULL;
	size_t			 clearlen, tlslen = 0, i;
	enum probe_status	 st0, st;
	struct obs		 o1;
	struct buf		 w1;

	clear = harness_transcript("smtp", clear_name, &clearlen);
	if (tls_name != NULL)
		tls = harness_transcript("smtp", tls_name, &tlslen);
	st0 = run_starttls_chunk(clear, clearlen, tls, tlslen,
	    HARNESS_WHOLE, o, w);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		st = run_starttls_chunk(clear, clearlen, tls, tlslen,
		    chunks[i], &o1, &w1);
		assert_int_equal(st, st0);
		assert_true(harness_obs_equal(o, &o1));
		assert_true(harness_obs_equal(&o1, o));
		assert_int_equal(w1.len, w->len);
		if (w->len > 0)
			assert_memory_equal(w1.data, w->data, w->len);
		obs_fini(&o1);
		buf_fini(&w1);
	}
	free(clear);
	free(tls);
	return st0;
}

static void
test_starttls_exim_submission(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	/* Up to the upgrade: EHLO lists STARTTLS, 220 answers it. */
	assert_int_equal(run_starttls("exim-4.96-starttls.bin", NULL, &o, &w),
	    PROBE_STARTTLS);
	assert_wrote(&w, ehlo_starttls);
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "accepted");
	assert_null(obs_get(&o, "smtp.starttls_reply"));
	assert_null(obs_get(&o, "smtp.ehlo_tls"));
	obs_fini(&o);

	/* Then EHLO again over TLS, where exim offers AUTH, and QUIT. */
	assert_int_equal(run_starttls("exim-4.96-starttls.bin",
	    "exim-4.96-starttls-tls.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "EHLO vigie.invalid\r\nSTARTTLS\r\n"
	    "EHLO vigie.invalid\r\nQUIT\r\n");
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "product"), "Exim");
	assert_string_equal(obs_get(&o, "version"), "4.96");
	assert_string_equal(obs_get(&o, "smtp.ehlo"), "SIZE 8BITMIME "
	    "PIPELINING PIPECONNECT CHUNKING STARTTLS SMTPUTF8 HELP");
	assert_string_equal(obs_get(&o, "smtp.ehlo_tls"), "SIZE 8BITMIME "
	    "PIPELINING PIPECONNECT AUTH CHUNKING SMTPUTF8 HELP");
	assert_null(obs_get(&o, "smtp.auth"));
	assert_string_equal(obs_get(&o, "smtp.auth_tls"), "PLAIN");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "accepted");
	obs_fini(&o);
}

static void
test_starttls_refused(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_starttls("starttls-454.bin", NULL, &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, ehlo_starttls_quit);
	assert_string_equal(obs_get(&o, "product"), "Postfix");
	assert_string_equal(obs_get(&o, "smtp.starttls"), "yes");
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "refused");
	assert_string_equal(obs_get(&o, "smtp.starttls_reply"),
	    "454 4.7.0 TLS not available due to local problem");
	assert_null(obs_get(&o, "smtp.ehlo_tls"));
	obs_fini(&o);

	/* The harness agrees: no upgrade, the session ends. */
	assert_int_equal(run_file("starttls-454.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, ehlo_starttls_quit);
	obs_fini(&o);
}

static void
test_starttls_cleartext_dropped(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	/* Lines after the 220 came in clear: dropped, never read as the
	 * answer to the EHLO said over TLS. */
	assert_int_equal(run_starttls("starttls-then-cleartext.bin",
	    "exim-4.96-starttls-tls.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "EHLO vigie.invalid\r\nSTARTTLS\r\n"
	    "EHLO vigie.invalid\r\nQUIT\r\n");
	assert_string_equal(obs_get(&o, "smtp.ehlo"), "SIZE STARTTLS HELP");
	assert_string_equal(obs_get(&o, "smtp.auth_tls"), "PLAIN");
	assert_non_null(strstr(obs_get(&o, "smtp.ehlo_tls"), "PIPECONNECT"));
	obs_fini(&o);
}

static void
test_starttls_tls_ehlo_rejected(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_starttls("exim-4.96-starttls.bin",
	    "tls-ehlo-rejected.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "EHLO vigie.invalid\r\nSTARTTLS\r\n"
	    "EHLO vigie.invalid\r\nQUIT\r\n");
	assert_string_equal(obs_get(&o, "smtp.ehlo_tls_code"), "503");
	assert_null(obs_get(&o, "smtp.ehlo_tls"));
	assert_null(obs_get(&o, "smtp.auth_tls"));
	obs_fini(&o);

	/* A malformed reply over TLS ends the session with what was
	 * learnt. */
	assert_int_equal(run_starttls("exim-4.96-starttls.bin",
	    "malformed-mixed-codes.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, "EHLO vigie.invalid\r\nSTARTTLS\r\n"
	    "EHLO vigie.invalid\r\n");
	assert_string_equal(o.service, "smtp");
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "accepted");
	assert_null(obs_get(&o, "smtp.ehlo_tls"));
	obs_fini(&o);
}

static void
test_starttls_callbacks_out_of_turn(void **state)
{
	static const char	 clear[] = "220 a ESMTP\r\n250-a\r\n"
	    "250 STARTTLS\r\n220 go\r\n";
	struct probe_session	*s;
	struct evbuffer		*in;

	(void)state;
	/* on_tls() before any STARTTLS was asked: nothing to do. */
	s = probe_session_fake_new(&probe_smtp, PEER, 25);
	assert_non_null(s);
	assert_int_equal(probe_smtp.on_tls(s), PROBE_DONE);
	assert_int_equal(evbuffer_get_length(s->out), 0);
	probe_session_fake_free(s);

	/* on_read() during the handshake: nothing was asked. */
	s = probe_session_fake_new(&probe_smtp, PEER, 25);
	in = evbuffer_new();
	assert_non_null(s);
	assert_non_null(in);
	evbuffer_add(in, clear, sizeof(clear) - 1);
	assert_int_equal(probe_smtp.on_read(s, in), PROBE_STARTTLS);
	evbuffer_add(in, "250 x\r\n", 7);
	assert_int_equal(probe_smtp.on_read(s, in), PROBE_DONE);

	/* The handshake never completed (the runtime calls on_eof()). */
	probe_smtp.on_eof(s, in);
	assert_string_equal(obs_get(&s->obs, "smtp.starttls_result"),
	    "accepted, no TLS session");
	evbuffer_free(in);
	probe_session_fake_free(s);
}

static void
test_record_starttls(void **state)
{
	struct smtp_reply	r;
	struct obs		o;

	(void)state;
	obs_init(&o);
	assert_int_equal(parse("220 2.0.0 Ready to start TLS\r\n", &r),
	    PARSE_OK);
	assert_true(smtp_record_starttls(&o, &r));
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "accepted");
	assert_null(obs_get(&o, "smtp.starttls_reply"));
	obs_fini(&o);

	obs_init(&o);
	assert_int_equal(parse("502\r\n", &r), PARSE_OK);
	assert_false(smtp_record_starttls(&o, &r));
	assert_string_equal(obs_get(&o, "smtp.starttls_result"), "refused");
	assert_string_equal(obs_get(&o, "smtp.starttls_reply"), "502");
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
	assert_non_null(probe_smtp.on_tls);
}

/* A measurement through STARTTLS over `dir`/`file`: what it wrote must
 * be the preamble, then the ClientHello of `offer` (none when `hello` is
 * false: the server refused before). */
static enum probe_status
measure(const struct probe *m, const char *dir, const char *file,
    enum tls_offer offer, bool hello, const char *tail, struct obs *o)
{
	static const char	 pre[] = "EHLO vigie.invalid\r\nSTARTTLS\r\n";
	uint8_t			 ch[TLS_HELLO_MAX];
	struct buf		 w;
	enum probe_status	 st;
	size_t			 n;

	buf_init(&w, 4096);
	st = harness_run_transcript(m, dir, file, PEER, 587, o, &w);
	assert_true(w.len >= sizeof(pre) - 1);
	assert_memory_equal(w.data, pre, sizeof(pre) - 1);
	if (hello) {
		n = tls_build_client_hello(ch, sizeof(ch), offer, NULL);
		assert_true(n > 0);
		assert_int_equal(w.len, sizeof(pre) - 1 + n);
		assert_memory_equal(w.data + sizeof(pre) - 1, ch, n);
	} else {
		assert_int_equal(w.len, sizeof(pre) - 1 + strlen(tail));
		assert_memory_equal(w.data + sizeof(pre) - 1, tail,
		    strlen(tail));
	}
	buf_fini(&w);
	return st;
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
test_measure_exim(void **state)
{
	struct obs	o;

	(void)state;
	/* exim 4.96 with GnuTLS (lab h5:587): TLS 1.0 and 1.1 accepted. */
	assert_int_equal(measure(&probe_smtp_tls_legacy, "tls",
	    "exim-starttls-legacy.bin", TLS_OFFER_LEGACY, true, NULL, &o),
	    PROBE_DONE);
	expect(&o, "tls.tls1_1", "yes");
	expect(&o, "tls.legacy_cipher", "ECDHE-RSA-AES128-SHA");
	expect(&o, "tls.tls1_0", NULL);		/* not asked alone */
	assert_string_equal(o.service, "");	/* a measurement names none */
	assert_int_equal(o.n, 2);		/* nothing of SMTP's */
	obs_fini(&o);
	assert_int_equal(measure(&probe_smtp_tls_v1, "tls",
	    "exim-starttls-tls1.0.bin", TLS_OFFER_TLS1, true, NULL, &o),
	    PROBE_DONE);
	expect(&o, "tls.tls1_0", "yes");
	expect(&o, "tls.ssl3", NULL);
	assert_int_equal(o.n, 1);
	obs_fini(&o);
	assert_int_equal(measure(&probe_smtp_tls_v12, "tls",
	    "exim-starttls-tls1.2.bin", TLS_OFFER_TLS12, true, NULL, &o),
	    PROBE_DONE);
	expect(&o, "tls.tls1_2", "yes");
	assert_int_equal(o.n, 1);
	obs_fini(&o);

	/* Refusals: alerts (handshake_failure, protocol_version). */
	assert_int_equal(measure(&probe_smtp_tls_weak, "tls",
	    "exim-starttls-weak.bin", TLS_OFFER_WEAK, true, NULL, &o),
	    PROBE_DONE);
	expect(&o, "tls.weak_cipher", "none");
	assert_int_equal(o.n, 1);
	obs_fini(&o);
	assert_int_equal(measure(&probe_smtp_tls_ssl3, "tls",
	    "exim-starttls-ssl3.bin", TLS_OFFER_SSL3, true, NULL, &o),
	    PROBE_DONE);
	expect(&o, "tls.ssl3", "no");
	assert_int_equal(o.n, 1);
	obs_fini(&o);

	/* Closed right after the 220, as GnuTLS servers refuse: a refusal,
	 * as over HTTPS. */
	assert_int_equal(measure(&probe_smtp_tls_legacy, "smtp",
	    "exim-4.96-starttls.bin", TLS_OFFER_LEGACY, true, NULL, &o),
	    PROBE_MORE);
	expect(&o, "tls.tls1_1", "no");
	expect(&o, "tls.tls1_0", "no");
	expect(&o, "tls.ssl3", "no");
	expect(&o, "tls.legacy_cipher", NULL);
	obs_fini(&o);
}

static void
test_measure_refused(void **state)
{
	struct obs	o;

	(void)state;
	/* STARTTLS refused this time: QUIT, nothing recorded. */
	assert_int_equal(measure(&probe_smtp_tls_legacy, "smtp",
	    "starttls-454.bin", TLS_OFFER_LEGACY, false, "QUIT\r\n", &o),
	    PROBE_DONE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);

	/* Closed mid-preamble, or after a greeting that refuses: nothing
	 * proven. */
	assert_int_equal(harness_run_transcript(&probe_smtp_tls_weak, "smtp",
	    "truncated-ehlo.bin", PEER, 587, &o, NULL), PROBE_MORE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	assert_int_equal(harness_run_transcript(&probe_smtp_tls_weak, "smtp",
	    "554-refused.bin", PEER, 587, &o, NULL), PROBE_DONE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	assert_int_equal(harness_run_transcript(&probe_smtp_tls_legacy,
	    "smtp", "malformed-mixed-codes.bin", PEER, 587, &o, NULL),
	    PROBE_DONE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);

	/* Bytes after the 220 that are not TLS prove nothing. */
	assert_int_equal(harness_run_transcript(&probe_smtp_tls_legacy,
	    "smtp", "starttls-then-cleartext.bin", PEER, 587, &o, NULL),
	    PROBE_DONE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
}

/* The chain after probe_smtp mirrors tls.c's; each link runs only when
 * STARTTLS was accepted and the handshake done. */
static void
test_measure_chain(void **state)
{
	const struct probe	*m;
	struct obs		 o;
	size_t			 n = 0;

	(void)state;
	assert_true(probe_smtp.then == &probe_smtp_tls_legacy);
	assert_true(probe_smtp_tls_legacy.then == &probe_smtp_tls_weak);
	assert_true(probe_smtp_tls_weak.then == &probe_smtp_tls_v1);
	assert_true(probe_smtp_tls_v1.then == &probe_smtp_tls_v12);
	assert_true(probe_smtp_tls_v12.then == &probe_smtp_tls_ssl3);
	for (m = probe_smtp.then; m != NULL; m = m->then) {
		assert_int_equal(m->transport, PROBE_TCP);
		assert_non_null(m->wanted);
		assert_null(m->ports);
		n++;
	}
	assert_int_equal(n, 5);

	/* Nothing known, STARTTLS refused, or no TLS session: none. */
	obs_init(&o);
	obs_set(&o, "tls.tls1_3", "yes");
	obs_set(&o, "tls.tls1_1", "yes");
	for (m = probe_smtp.then; m != NULL; m = m->then)
		assert_false(m->wanted(&o));
	obs_set(&o, "smtp.starttls_result", "refused");
	for (m = probe_smtp.then; m != NULL; m = m->then)
		assert_false(m->wanted(&o));
	obs_set(&o, "smtp.starttls_result", "accepted, no TLS session");
	for (m = probe_smtp.then; m != NULL; m = m->then)
		assert_false(m->wanted(&o));
	obs_fini(&o);

	/* Accepted, TLS 1.3 chosen (h5:587): the first two, then as tls.c
	 * says. */
	obs_init(&o);
	obs_set(&o, "smtp.starttls_result", "accepted");
	obs_set(&o, "tls.tls1_3", "yes");
	assert_true(probe_smtp_tls_legacy.wanted(&o));
	assert_true(probe_smtp_tls_weak.wanted(&o));
	assert_false(probe_smtp_tls_v1.wanted(&o));
	assert_true(probe_smtp_tls_v12.wanted(&o));
	assert_false(probe_smtp_tls_ssl3.wanted(&o));
	obs_set(&o, "tls.tls1_1", "yes");
	assert_true(probe_smtp_tls_v1.wanted(&o));
	assert_true(probe_smtp_tls_ssl3.wanted(&o));
	obs_set(&o, "tls.tls1_2", "yes");
	assert_false(probe_smtp_tls_v12.wanted(&o));
	obs_fini(&o);
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
		cmocka_unit_test(test_record_starttls),
		cmocka_unit_test(test_starttls_exim_submission),
		cmocka_unit_test(test_starttls_refused),
		cmocka_unit_test(test_starttls_cleartext_dropped),
		cmocka_unit_test(test_starttls_tls_ehlo_rejected),
		cmocka_unit_test(test_starttls_callbacks_out_of_turn),
		cmocka_unit_test(test_module_shape),
		cmocka_unit_test(test_measure_exim),
		cmocka_unit_test(test_measure_refused),
		cmocka_unit_test(test_measure_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
