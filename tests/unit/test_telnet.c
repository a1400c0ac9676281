/* test_telnet.c - Telnet negotiation parsing, refusals, prompts and the
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
#include "probes/telnet.h"
#include "harness.h"

#define PEER	"198.51.100.23"

/* RFC 854 command bytes, written out for the test data. */
#define IAC	"\xff"
#define DONT	"\xfe"
#define DO	"\xfd"
#define WONT	"\xfc"
#define WILL	"\xfb"
#define SB	"\xfa"
#define SE	"\xf0"

static enum parse_result
feed(struct telnet *t, const char *s, size_t n)
{
	return telnet_feed(t, (const uint8_t *)s, n);
}

static void
test_refuses_every_option_once(void **state)
{
	static const char	in[] = IAC DO "\x01" IAC DO "\x1f"
	    IAC WILL "\x01" IAC WILL "\x03" IAC DO "\x01" IAC DONT "\x05";
	static const char	want[] = IAC WONT "\x01" IAC WONT "\x1f"
	    IAC DONT "\x01" IAC DONT "\x03";
	struct telnet		t;
	char			opts[256];

	(void)state;
	telnet_init(&t);
	assert_int_equal(feed(&t, in, sizeof(in) - 1), PARSE_MORE);
	assert_true(t.negotiated);
	assert_int_equal(t.reply_len, sizeof(want) - 1);
	assert_memory_equal(t.reply, want, t.reply_len);
	telnet_options_str(&t, opts, sizeof(opts));
	assert_string_equal(opts,
	    "DO ECHO, DO NAWS, WILL ECHO, WILL SGA, DONT STATUS");
	assert_int_equal(t.text_len, 0);
}

static void
test_text_and_sequences_split_anywhere(void **state)
{
	static const char	in[] = IAC WILL "\x01" "\x1b[1;32mHi\x1b[0m"
	    "\r\n\x00" "there" IAC IAC "\t!" IAC SB "\x18\x01" IAC IAC
	    IAC SE IAC "\xf9" "\r\nlogin: ";
	struct telnet		t;
	enum parse_result	r = PARSE_BAD;
	char			banner[64];
	size_t			i;

	(void)state;
	/* Byte by byte, the result is the same as at once. */
	telnet_init(&t);
	for (i = 0; i < sizeof(in) - 1; i++) {
		r = feed(&t, in + i, 1);
		assert_int_not_equal(r, PARSE_BAD);
	}
	assert_int_equal(r, PARSE_OK);
	assert_string_equal(t.text, "Hi\nthere !\nlogin: ");
	telnet_banner(&t, banner, sizeof(banner));
	assert_string_equal(banner, "Hi there ! login:");
	assert_int_equal(t.nopts, 2);
	assert_int_equal(t.opts[1].cmd, 250);
	assert_int_equal(t.opts[1].opt, 24);

	telnet_init(&t);
	assert_int_equal(feed(&t, in, sizeof(in) - 1), PARSE_OK);
	assert_string_equal(t.text, "Hi\nthere !\nlogin: ");
}

static void
test_prompts(void **state)
{
	static const char *const yes[] = {
		"\r\n(none) login: ", "Username:", "Password: ",
		"User Access Verification\r\n\r\nUsername: ", "Router>",
		"switch#", "PASSCODE:", "\r\nUser Name :",
	};
	static const char *const no[] = {
		"", "Welcome", "Note: ", "hello world>", "login: x",
		"Debian GNU/Linux 12\r\n",
	};
	struct telnet	t;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		telnet_init(&t);
		assert_int_equal(feed(&t, yes[i], strlen(yes[i])), PARSE_OK);
		assert_true(telnet_prompt(&t));
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		telnet_init(&t);
		assert_int_equal(feed(&t, no[i], strlen(no[i])), PARSE_MORE);
		assert_false(telnet_prompt(&t));
	}
}

static void
test_rejects_and_bounds(void **state)
{
	struct telnet	t;
	char		big[TELNET_TEXT_MAX + 10];
	char		opts[16];
	size_t		i;

	(void)state;
	telnet_init(&t);
	assert_int_equal(feed(&t, IAC "\x10", 2), PARSE_BAD);

	/* The text stops growing at its bound, and that is enough. */
	memset(big, 'a', sizeof(big));
	telnet_init(&t);
	assert_int_equal(feed(&t, big, sizeof(big)), PARSE_OK);
	assert_int_equal(t.text_len, TELNET_TEXT_MAX - 1);

	/* Every option asked for: all refused, the list bounded. */
	telnet_init(&t);
	for (i = 0; i < 256; i++) {
		char	seq[6] = { '\xff', '\xfd', (char)i, '\xff', '\xfb',
		    (char)i };

		feed(&t, seq, sizeof(seq));
	}
	assert_int_equal(t.reply_len, TELNET_REPLY_MAX);
	assert_int_equal(t.nopts, TELNET_OPTS_MAX);
	telnet_options_str(&t, opts, sizeof(opts));
	assert_string_equal(opts, "DO BINARY");
	assert_string_equal(telnet_opt_name(39), "NEW-ENVIRON");
	assert_null(telnet_opt_name(200));
	assert_string_equal(telnet_cmd_name(246), "AYT");
	assert_null(telnet_cmd_name(12));
}

static enum probe_status
run_file(const char *name, struct obs *o, struct buf *w)
{
	buf_init(w, 4096);
	return harness_run_transcript(&probe_telnet, "telnet", name, PEER, 23,
	    o, w);
}

static void
assert_wrote(struct buf *w, const char *expect, size_t n)
{
	assert_int_equal(w->len, n);
	assert_memory_equal(w->data, expect, n);
	buf_fini(w);
}

static void
test_session_busybox(void **state)
{
	static const char	want[] = IAC WONT "\x01" IAC WONT "\x1f"
	    IAC DONT "\x01" IAC DONT "\x03";
	struct obs		o;
	struct buf		w;

	(void)state;
	assert_int_equal(run_file("busybox.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, want, sizeof(want) - 1);
	assert_string_equal(o.service, "telnet");
	assert_string_equal(obs_get(&o, "telnet.banner"), "(none) login:");
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "DO ECHO, DO NAWS, WILL ECHO, WILL SGA");
	obs_fini(&o);
}

/* inetutils-telnetd 2.4 of Debian 12 under inetd, in the lab: captured.
 * Every option is refused once; the kernel and host names are those of
 * the machine it was recorded on. */
static void
test_session_inetutils_captured(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("inetutils-2.4-captured.bin", &o, &w),
	    PROBE_DONE);
	assert_int_equal(w.len, 3 * 16);
	buf_fini(&w);
	assert_string_equal(o.service, "telnet");
	assert_string_equal(obs_get(&o, "telnet.banner"),
	    "Linux 6.18.44-fc-v669 (localhost) (pts/0) vm login:");
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "WILL AUTHENTICATION, WILL ENCRYPT, DO TTYPE, DO TSPEED, "
	    "DO XDISPLOC, DO NEW-ENVIRON, DO ENVIRON, WILL SGA, DO ECHO, "
	    "DO LINEMODE, DO NAWS, WILL STATUS, DO LFLOW, WILL ECHO, DO TM, "
	    "DO BINARY");
	obs_fini(&o);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("debian-inetutils.bin", &o, &w), PROBE_DONE);
	assert_int_equal(w.len, 3 * 10);
	buf_fini(&w);
	assert_string_equal(obs_get(&o, "telnet.banner"),
	    "Debian GNU/Linux 12 gw login:");
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "DO TTYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON, WILL SGA, "
	    "DO ECHO, DO NAWS, WILL STATUS, DO LFLOW, WILL ECHO");
	obs_fini(&o);

	assert_int_equal(run_file("cisco-ios.bin", &o, &w), PROBE_DONE);
	buf_fini(&w);
	assert_string_equal(obs_get(&o, "telnet.banner"),
	    "User Access Verification Username:");
	obs_fini(&o);

	assert_int_equal(run_file("ansi-password.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, IAC DONT "\x01", 3);
	assert_string_equal(obs_get(&o, "telnet.banner"),
	    "Welcome to the PLC Password:");
	obs_fini(&o);

	assert_int_equal(run_file("subnegotiation.bin", &o, &w), PROBE_DONE);
	assert_wrote(&w, IAC WONT "\x18", 3);
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "DO TTYPE, SB TTYPE");
	obs_fini(&o);

	/* No negotiation at all, but a prompt. */
	assert_int_equal(run_file("prompt-no-negotiation.bin", &o, &w),
	    PROBE_DONE);
	assert_wrote(&w, "", 0);
	assert_string_equal(o.service, "telnet");
	assert_string_equal(obs_get(&o, "telnet.banner"), "Router>");
	assert_null(obs_get(&o, "telnet.options"));
	obs_fini(&o);
}

/* Negotiation and then silence, or a cut: what was seen is recorded. */
static void
test_session_eof(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("negotiation-only.bin", &o, &w), PROBE_MORE);
	buf_fini(&w);
	assert_string_equal(o.service, "telnet");
	assert_null(obs_get(&o, "telnet.banner"));
	assert_string_equal(obs_get(&o, "telnet.options"),
	    "DO ECHO, DO NAWS, WILL ECHO, WILL SGA");
	obs_fini(&o);

	assert_int_equal(run_file("truncated.bin", &o, &w), PROBE_MORE);
	assert_wrote(&w, IAC WONT "\x01", 3);
	assert_string_equal(o.service, "telnet");
	assert_string_equal(obs_get(&o, "telnet.options"), "DO ECHO");
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	struct obs	o;
	struct buf	w;

	(void)state;
	assert_int_equal(run_file("malformed-iac.bin", &o, &w),
	    PROBE_MISMATCH);
	assert_wrote(&w, "", 0);
	assert_string_equal(o.service, "");
	obs_fini(&o);

	assert_int_equal(run_file("not-telnet-ssh.bin", &o, &w),
	    PROBE_MISMATCH);
	assert_wrote(&w, "", 0);
	assert_string_equal(o.service, "");
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_telnet.name, "telnet");
	assert_int_equal(probe_telnet.ports[0], 23);
	assert_int_equal(probe_telnet.ports[1], 0);
	assert_true(probe_telnet.flags & PROBE_SERVER_FIRST);
	assert_int_equal(probe_telnet.state_size, sizeof(struct telnet));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_every_option_once),
		cmocka_unit_test(test_text_and_sequences_split_anywhere),
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_rejects_and_bounds),
		cmocka_unit_test(test_session_busybox),
		cmocka_unit_test(test_session_inetutils_captured),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_eof),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
