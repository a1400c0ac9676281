/* test_targets.c - port sets, the exclusion list and target sets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/targets.h"

static void
test_ports_list_range_and_dedup(void **state)
{
	struct portset	ps = { 0 };
	struct vg_err	err;
	char		s[128];

	(void)state;
	assert_int_equal(portset_parse(&ps, "443,22,20-23,80,22", &err), 0);
	assert_int_equal(ps.ntcp, 6);
	assert_int_equal(ps.tcp[0], 20);
	assert_int_equal(ps.tcp[5], 443);
	portset_str(&ps, s, sizeof(s));
	assert_string_equal(s, "20-23,80,443");
	portset_fini(&ps);
}

static void
test_ports_tcp_udp_prefixes(void **state)
{
	struct portset	ps = { 0 };
	struct vg_err	err;

	(void)state;
	assert_int_equal(portset_parse(&ps, "T:22,80,U:161,500", &err), 0);
	assert_int_equal(ps.ntcp, 2);
	assert_int_equal(ps.nudp, 2);
	assert_int_equal(ps.udp[0], 161);
	portset_fini(&ps);
}

static void
test_ports_named_sets(void **state)
{
	struct portset	ps = { 0 };
	struct vg_err	err;

	(void)state;
	assert_int_equal(portset_parse(&ps, "top100", &err), 0);
	assert_int_equal(ps.ntcp, 100);
	portset_fini(&ps);
	assert_int_equal(portset_parse(&ps, "remote-access,health", &err), 0);
	assert_true(portset_has_tcp(&ps, 3389));
	assert_true(portset_has_tcp(&ps, 104));
	assert_false(portset_has_tcp(&ps, 80));
	portset_fini(&ps);
}

static void
test_ports_reject_bad_items(void **state)
{
	static const char *const	bad[] = {
		"", "0", "65536", "22,,80", "80-22", "http", "1-", "-5", "2x",
		"U:", "123456",
	};
	struct portset			ps = { 0 };
	struct vg_err			err;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(portset_parse(&ps, bad[i], &err), -1);
		assert_string_equal(err.where, "--ports");
		portset_fini(&ps);
	}
}

static struct vg_addr
A(const char *s)
{
	struct vg_addr	a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct vg_cidr
C(const char *s)
{
	struct vg_cidr	c;

	assert_int_equal(cidr_parse(s, false, &c), 0);
	return c;
}

static void
test_cidr_parse_rejects_host_bits(void **state)
{
	struct vg_cidr	c;
	char		s[64];

	(void)state;
	assert_int_equal(cidr_parse("10.0.0.1/8", false, &c), -1);
	assert_int_equal(cidr_parse("10.0.0.1/8", true, &c), 0);
	assert_string_equal(cidr_str(&c, s, sizeof(s)), "10.0.0.0/8");
	assert_int_equal(cidr_parse("10.0.0/33", false, &c), -1);
	assert_int_equal(cidr_parse("10.0.0.0/33", false, &c), -1);
	assert_int_equal(cidr_parse("2001:db8::/32", false, &c), 0);
	assert_int_equal(cidr_parse("198.51.100.7", false, &c), 0);
	assert_int_equal(c.plen, 32);
}

static void
test_exclude_refuses_reserved_by_default(void **state)
{
	struct exclude	ex;
	struct vg_addr	a;

	(void)state;
	exclude_init(&ex);
	a = A("10.1.2.3");
	assert_non_null(exclude_why(&ex, &a));
	a = A("127.0.0.1");
	assert_non_null(exclude_why(&ex, &a));
	a = A("192.0.2.10");
	assert_non_null(exclude_why(&ex, &a));
	a = A("198.51.100.10");
	assert_non_null(exclude_why(&ex, &a));
	a = A("fd00::1");
	assert_non_null(exclude_why(&ex, &a));
	a = A("8.8.8.8");
	assert_null(exclude_why(&ex, &a));
	exclude_fini(&ex);
}

static void
test_exclude_allow_lifts_only_named_range(void **state)
{
	struct exclude	ex;
	struct vg_cidr	c = C("198.51.100.0/24");
	struct vg_addr	a;

	(void)state;
	exclude_init(&ex);
	exclude_allow(&ex, &c);
	a = A("198.51.100.10");
	assert_null(exclude_why(&ex, &a));
	a = A("203.0.113.10");
	assert_non_null(exclude_why(&ex, &a));
	a = A("192.0.2.1");
	assert_non_null(exclude_why(&ex, &a));
	exclude_fini(&ex);
}

static void
test_exclude_file_errors_name_line(void **state)
{
	struct exclude	ex;
	struct vg_err	err;
	char		path[] = "/tmp/vigie-excl-XXXXXX";
	int		fd;
	FILE		*fp;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	fp = fdopen(fd, "w");
	fputs("# comment\n203.0.113.0/28  # a clinic asked\n\n"
	    "203.0.113.99/28\n", fp);
	fclose(fp);
	exclude_init(&ex);
	assert_int_equal(exclude_load(&ex, path, &err), -1);
	assert_non_null(strstr(err.where, ":4"));
	exclude_fini(&ex);
	unlink(path);
}

static void
test_targetset_merges_overlaps_and_owners(void **state)
{
	struct targetset		 ts;
	struct exclude			 ex;
	struct vg_err			 err;
	struct vg_cidr			 c;
	struct vg_addr			 a;
	const struct target_range	*tr;

	(void)state;
	exclude_init(&ex);
	ex.builtin = false;
	targetset_init(&ts);
	c = C("8.8.8.0/30");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	c = C("8.8.8.2/32");
	assert_int_equal(targetset_add(&ts, &c, 1, &err), 0);
	c = C("8.8.8.0/30");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	assert_int_equal(targetset_finish(&ts, &ex, &err), 0);
	assert_int_equal(ts.naddrs, 4);
	a = A("8.8.8.2");
	tr = targetset_find(&ts, &a);
	assert_non_null(tr);
	assert_int_equal(tr->nowners, 2);
	a = A("8.8.8.3");
	tr = targetset_find(&ts, &a);
	assert_non_null(tr);
	assert_int_equal(tr->nowners, 1);
	assert_int_equal(tr->owners[0], 0);
	targetset_fini(&ts);
	exclude_fini(&ex);
}

static void
test_targetset_applies_exclusions_after_expansion(void **state)
{
	struct targetset	ts;
	struct exclude		ex;
	struct vg_err		err;
	struct vg_cidr		c;
	struct vg_addr		a;
	char			s[ADDR_STRLEN];
	uint64_t		i;

	(void)state;
	exclude_init(&ex);
	c = C("9.9.9.4/30");
	exclude_add(&ex, &c);
	targetset_init(&ts);
	c = C("9.9.9.0/28");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	c = C("10.0.0.0/30");		/* reserved: refused */
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	assert_int_equal(targetset_finish(&ts, &ex, &err), 0);
	assert_int_equal(ts.naddrs, 12);
	assert_int_equal(ts.nrefused, 8);
	for (i = 0; i < ts.naddrs; i++) {
		targetset_addr(&ts, i, &a, NULL);
		assert_null(exclude_why(&ex, &a));
	}
	targetset_addr(&ts, 4, &a, NULL);
	assert_string_equal(addr_str(&a, s), "9.9.9.8");
	targetset_fini(&ts);
	exclude_fini(&ex);
}

static void
test_targetset_large_range_is_cheap(void **state)
{
	struct targetset	ts;
	struct exclude		ex;
	struct vg_err		err;
	struct vg_cidr		c;

	(void)state;
	exclude_init(&ex);
	targetset_init(&ts);
	c = C("11.0.0.0/8");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	c = C("11.1.2.3/32");
	exclude_add(&ex, &c);
	assert_int_equal(targetset_finish(&ts, &ex, &err), 0);
	assert_int_equal(ts.naddrs, (1u << 24) - 1);
	assert_int_equal(ts.n, 2);
	targetset_fini(&ts);
	exclude_fini(&ex);
}

static void
test_targetset_ipv6_small_ranges(void **state)
{
	struct targetset	ts;
	struct exclude		ex;
	struct vg_err		err;
	struct vg_cidr		c;
	struct vg_addr		a;
	char			s[ADDR_STRLEN];

	(void)state;
	exclude_init(&ex);
	targetset_init(&ts);
	c = C("2a01:cb00::/120");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), 0);
	c = C("2a01:cb00::/64");
	assert_int_equal(targetset_add(&ts, &c, 0, &err), -1);
	assert_int_equal(targetset_finish(&ts, &ex, &err), 0);
	assert_int_equal(ts.naddrs, 256);
	targetset_addr(&ts, 255, &a, NULL);
	assert_string_equal(addr_str(&a, s), "2a01:cb00::ff");
	targetset_fini(&ts);
	exclude_fini(&ex);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_ports_list_range_and_dedup),
		cmocka_unit_test(test_ports_tcp_udp_prefixes),
		cmocka_unit_test(test_ports_named_sets),
		cmocka_unit_test(test_ports_reject_bad_items),
		cmocka_unit_test(test_cidr_parse_rejects_host_bits),
		cmocka_unit_test(test_exclude_refuses_reserved_by_default),
		cmocka_unit_test(test_exclude_allow_lifts_only_named_range),
		cmocka_unit_test(test_exclude_file_errors_name_line),
		cmocka_unit_test(test_targetset_merges_overlaps_and_owners),
		cmocka_unit_test(test_targetset_applies_exclusions_after_expansion),
		cmocka_unit_test(test_targetset_large_range_is_cheap),
		cmocka_unit_test(test_targetset_ipv6_small_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
