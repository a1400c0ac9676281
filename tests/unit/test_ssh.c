/* test_ssh.c - SSH identification parsing and the probe session. */
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
#include "probes/ssh.h"
#include "harness.h"

#define PEER	"198.51.100.22"

static void
parse_ok(const char *line, struct ssh_ident *id)
{
	assert_int_equal(ssh_parse_ident(line, strlen(line), id), PARSE_OK);
}

static void
test_ident_splits_fields(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", &id);
	assert_true(span_eq_str(id.proto, "2.0"));
	assert_true(span_eq_str(id.software, "OpenSSH_9.2p1"));
	assert_true(span_eq_str(id.comments, "Debian-2+deb12u3"));
	assert_true(span_eq_str(id.product, "OpenSSH"));
	assert_string_equal(id.product_name, "OpenSSH");
	assert_true(span_eq_str(id.version, "9.2p1"));
	assert_string_equal(id.distro, "debian");
	assert_true(span_eq_str(id.distro_rev, "2+deb12u3"));
}

static void
test_ident_ubuntu(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", &id);
	assert_true(span_eq_str(id.version, "8.9p1"));
	assert_string_equal(id.distro, "ubuntu");
	assert_true(span_eq_str(id.distro_rev, "3ubuntu0.10"));
}

static void
test_ident_freebsd(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-OpenSSH_9.7 FreeBSD-20240701", &id);
	assert_true(span_eq_str(id.version, "9.7"));
	assert_string_equal(id.distro, "freebsd");
	assert_true(span_eq_str(id.distro_rev, "20240701"));
}

/* nmap issue 3100: the ports tree's suffix must not eat the version. */
static void
test_ident_freebsd_portable(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-OpenSSH_9.9p1 FreeBSD-openssh-portable-9.9.p1_1",
	    &id);
	assert_true(span_eq_str(id.version, "9.9p1"));
	assert_string_equal(id.distro, "freebsd");
	assert_true(span_eq_str(id.distro_rev, "openssh-portable-9.9.p1_1"));
}

static void
test_ident_dropbear(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-dropbear_2022.83", &id);
	assert_true(span_eq_str(id.product, "dropbear"));
	assert_string_equal(id.product_name, "Dropbear");
	assert_true(span_eq_str(id.version, "2022.83"));
	assert_null(id.distro);
	assert_int_equal(id.comments.len, 0);
}

static void
test_ident_windows_and_unknown(void **state)
{
	struct ssh_ident	id;

	(void)state;
	parse_ok("SSH-2.0-OpenSSH_for_Windows_8.1", &id);
	assert_string_equal(id.product_name, "OpenSSH for Windows");
	assert_true(span_eq_str(id.version, "8.1"));

	parse_ok("SSH-1.99-Cisco-1.25", &id);
	assert_true(span_eq_str(id.proto, "1.99"));
	assert_string_equal(id.product_name, "Cisco SSH");
	assert_true(span_eq_str(id.version, "1.25"));

	parse_ok("SSH-2.0-ROSSSH", &id);
	assert_true(span_eq_str(id.product, "ROSSSH"));
	assert_int_equal(id.version.len, 0);

	parse_ok("SSH-2.0-Foo_bar comment with spaces", &id);
	assert_null(id.product_name);
	assert_true(span_eq_str(id.product, "Foo_bar"));
	assert_true(span_eq_str(id.comments, "comment with spaces"));
	assert_null(id.distro);
}

static void
test_ident_rejects_control_bytes(void **state)
{
	static const char	line[] = "SSH-2.0-Open\x1b[2JSSH";
	struct ssh_ident	id;

	(void)state;
	assert_int_equal(ssh_parse_ident(line, sizeof(line) - 1, &id),
	    PARSE_BAD);
}

static void
test_ident_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "SSH", "SSH-", "SSH-2.0", "SSH--OpenSSH", "SSH-2.0-",
		"SSH-2.0- comment", "ssh-2.0-OpenSSH_9.2", "HTTP/1.1 200 OK",
		"SSH-2.0-Open\xc3\xa9SSH",
	};
	struct ssh_ident	id;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ssh_parse_ident(bad[i], strlen(bad[i]), &id),
		    PARSE_BAD);
}

static void
test_ident_length_bound(void **state)
{
	char			line[SSH_IDENT_MAX + 2];
	struct ssh_ident	id;

	(void)state;
	memset(line, 'A', sizeof(line));
	memcpy(line, "SSH-2.0-", 8);
	assert_int_equal(ssh_parse_ident(line, SSH_IDENT_MAX, &id), PARSE_OK);
	assert_int_equal(id.software.len, SSH_IDENT_MAX - 8);
	assert_int_equal(ssh_parse_ident(line, SSH_IDENT_MAX + 1, &id),
	    PARSE_BAD);
}

static void
test_find_skips_preamble(void **state)
{
	static const char	in[] = "Hello\r\nworld\n"
	    "SSH-2.0-OpenSSH_9.2p1\r\nleftover";
	struct ssh_ident	id;
	size_t			used;

	(void)state;
	assert_int_equal(ssh_find_ident((const uint8_t *)in, sizeof(in) - 1,
	    &id, &used), PARSE_OK);
	assert_true(span_eq_str(id.software, "OpenSSH_9.2p1"));
	assert_int_equal(used, sizeof(in) - 1 - strlen("leftover"));
}

static void
test_find_wants_more(void **state)
{
	static const char	in[] = "Hello\r\nSSH-2.0-Open";
	struct ssh_ident	id;
	size_t			used;

	(void)state;
	assert_int_equal(ssh_find_ident((const uint8_t *)in, sizeof(in) - 1,
	    &id, &used), PARSE_MORE);
	assert_int_equal(ssh_find_ident((const uint8_t *)in, 0, &id, &used),
	    PARSE_MORE);
}

static void
test_find_bounds(void **state)
{
	char			buf[4096];
	struct ssh_ident	id;
	size_t			used, i, o = 0;

	(void)state;
	/* A NUL byte: a binary protocol. */
	assert_int_equal(ssh_find_ident((const uint8_t *)"\x4a\x00\x00", 3,
	    &id, &used), PARSE_BAD);
	/* Too many lines before the identification. */
	for (i = 0; i <= SSH_PREAMBLE_LINES_MAX; i++) {
		memcpy(buf + o, "x\r\n", 3);
		o += 3;
	}
	assert_int_equal(ssh_find_ident((const uint8_t *)buf, o, &id, &used),
	    PARSE_BAD);
	/* A line without end, longer than any allowed. */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(ssh_find_ident((const uint8_t *)buf,
	    SSH_LINE_MAX + 1, &id, &used), PARSE_BAD);
	/* An identification line that cannot end in time. */
	memcpy(buf, "SSH-2.0-", 8);
	assert_int_equal(ssh_find_ident((const uint8_t *)buf,
	    SSH_IDENT_MAX + 2, &id, &used), PARSE_BAD);
}

static enum probe_status
run_file(const char *name, struct obs *o)
{
	return harness_run_transcript(&probe_ssh, "ssh", name, PEER, 22, o,
	    NULL);
}

/* The real bytes of Debian 12's sshd, replayed whole and byte by byte. */
static void
test_session_debian(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("openssh-9.2p1-deb12u10.bin", &o),
	    PROBE_DONE);
	assert_string_equal(o.service, "ssh");
	assert_string_equal(obs_get(&o, "ssh.proto"), "2.0");
	assert_string_equal(obs_get(&o, "ssh.software"), "OpenSSH_9.2p1");
	assert_string_equal(obs_get(&o, "ssh.comments"), "Debian-2+deb12u10");
	assert_string_equal(obs_get(&o, "product"), "OpenSSH");
	assert_string_equal(obs_get(&o, "version"), "9.2p1");
	assert_string_equal(obs_get(&o, "ssh.distro"), "debian");
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "2+deb12u10");
	obs_fini(&o);

	assert_int_equal(run_file("openssh-9.2p1-deb12u3.bin", &o),
	    PROBE_DONE);
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "2+deb12u3");
	obs_fini(&o);
}

static void
test_session_other_servers(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("openssh-ubuntu.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "ssh.distro"), "ubuntu");
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "3ubuntu0.10");
	obs_fini(&o);

	assert_int_equal(run_file("openssh-freebsd.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "9.7");
	assert_string_equal(obs_get(&o, "ssh.distro"), "freebsd");
	obs_fini(&o);

	/* RHEL shows no distribution: nothing is invented. */
	assert_int_equal(run_file("openssh-rhel.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "version"), "7.4");
	assert_null(obs_get(&o, "ssh.distro"));
	assert_null(obs_get(&o, "ssh.comments"));
	obs_fini(&o);

	assert_int_equal(run_file("dropbear.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "product"), "Dropbear");
	assert_string_equal(obs_get(&o, "version"), "2022.83");
	obs_fini(&o);

	assert_int_equal(run_file("lf-only.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "ssh.proto"), "1.99");
	assert_string_equal(obs_get(&o, "product"), "Cisco SSH");
	obs_fini(&o);
}

static void
test_session_preamble_then_ident(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("preamble-then-ident.bin", &o), PROBE_DONE);
	assert_string_equal(obs_get(&o, "ssh.software"), "OpenSSH_9.2p1");
	obs_fini(&o);
}

/* The connection ends before CR LF: what came is still recorded. */
static void
test_session_truncated(void **state)
{
	struct obs	o;

	(void)state;
	assert_int_equal(run_file("truncated.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "ssh");
	assert_string_equal(obs_get(&o, "ssh.distro_rev"), "2+deb12u3");
	obs_fini(&o);

	assert_int_equal(run_file("truncated-early.bin", &o), PROBE_MORE);
	assert_string_equal(o.service, "ssh");
	assert_string_equal(obs_get(&o, "ssh.software"), "Open");
	obs_fini(&o);
}

static void
test_session_mismatch(void **state)
{
	static const char *const files[] = {
		"malformed-control.bin", "malformed-no-software.bin",
		"binary.bin", "too-long.bin",
	};
	struct obs	o;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(run_file(files[i], &o), PROBE_MISMATCH);
		assert_string_equal(o.service, "");
		assert_int_equal(o.n, 0);
		obs_fini(&o);
	}
}

/* A silent server, or one saying something else: nothing recorded. */
static void
test_session_no_ident(void **state)
{
	static const uint8_t	ftp[] = "220 (vsFTPd 3.0.3)\r\n";
	struct obs		o;

	(void)state;
	assert_int_equal(harness_run(&probe_ssh, PEER, 22, NULL, 0,
	    HARNESS_WHOLE, &o), PROBE_MORE);
	assert_int_equal(o.n, 0);
	obs_fini(&o);
	assert_int_equal(harness_run_chunks(&probe_ssh, PEER, 22, ftp,
	    sizeof(ftp) - 1, &o, NULL), PROBE_MORE);
	assert_string_equal(o.service, "");
	obs_fini(&o);
}

static void
test_module_shape(void **state)
{
	(void)state;
	assert_string_equal(probe_ssh.name, "ssh");
	assert_string_equal(probe_ssh.service, "ssh");
	assert_int_equal(probe_ssh.ports[0], 22);
	assert_int_equal(probe_ssh.ports[1], 2222);
	assert_int_equal(probe_ssh.ports[2], 0);
	assert_true(probe_ssh.flags & PROBE_SERVER_FIRST);
	assert_null(probe_ssh.start);
	assert_non_null(probe_ssh.on_read);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident_splits_fields),
		cmocka_unit_test(test_ident_ubuntu),
		cmocka_unit_test(test_ident_freebsd),
		cmocka_unit_test(test_ident_freebsd_portable),
		cmocka_unit_test(test_ident_dropbear),
		cmocka_unit_test(test_ident_windows_and_unknown),
		cmocka_unit_test(test_ident_rejects_control_bytes),
		cmocka_unit_test(test_ident_rejects_malformed),
		cmocka_unit_test(test_ident_length_bound),
		cmocka_unit_test(test_find_skips_preamble),
		cmocka_unit_test(test_find_wants_more),
		cmocka_unit_test(test_find_bounds),
		cmocka_unit_test(test_session_debian),
		cmocka_unit_test(test_session_other_servers),
		cmocka_unit_test(test_session_preamble_then_ident),
		cmocka_unit_test(test_session_truncated),
		cmocka_unit_test(test_session_mismatch),
		cmocka_unit_test(test_session_no_ident),
		cmocka_unit_test(test_module_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
