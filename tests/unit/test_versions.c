/*
 * test_versions.c - version strings (fingerprints/versions.c): dpkg's
 * ordering on a table of pairs, ranges, normalisation and the banner
 * parsers; the version data set (versions_load.c) and the verdicts and
 * findings it gives (check_version.c) on the shipped data, as of a fixed
 * date.
 *
 * Runs with tests/unit/ as its working directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fingerprints/fingerprints_internal.h"
#include "fingerprints/versions.h"
#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

#define RULES_DIR	"../../fingerprints/rules"
#define DATA_DIR	"../data/rules"
#define TODAY		"2026-11-25"
#define MAX_FOUND	16

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/*
 * dpkg's ordering: deb-version(7), the cases of dpkg's own test suite
 * that matter here, and the revisions of the data set.
 */
static void
test_dpkg_cmp_table(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 want;
	} t[] = {
		{ "0", "0", 0 },
		{ "1.0", "1.0", 0 },
		{ "1.0", "1.1", -1 },
		{ "1.2", "1.10", -1 },		/* digits as numbers */
		{ "1.010", "1.10", 0 },		/* leading zeros */
		{ "00", "0", 0 },
		{ "1.0", "1.0.0", -1 },
		{ "1.0", "1.0a", -1 },		/* the end before letters */
		{ "1.0a", "1.0+", -1 },		/* letters before others */
		{ "1.0+dfsg", "1.0.1", -1 },	/* '+' before '.' */
		{ "1.0+dfsg", "1.0", 1 },
		{ "1.0~rc1", "1.0", -1 },	/* '~' before the end */
		{ "1.0~rc1", "1.0~rc2", -1 },
		{ "1.0~~", "1.0~", -1 },
		{ "1.0~~", "1.0~~a", -1 },
		{ "1.0~~a", "1.0~", -1 },
		{ "1.0~", "1.0", -1 },
		{ "1:1.0", "2.0", 1 },		/* epochs first */
		{ "0:1.0", "1.0", 0 },
		{ "2:0.1", "10:0.1", -1 },	/* epochs as numbers */
		{ "1.0-1", "1.0-2", -1 },
		{ "1.0-1", "1.0-1.1", -1 },
		{ "1.0-0", "1.0", 0 },		/* revision "0" is "" */
		{ "1.0-1", "1.0-1ubuntu1", -1 },
		{ "1.0-1", "1.0-1+deb12u1", -1 },
		{ "1.0-1+deb12u9", "1.0-1+deb12u10", -1 },
		{ "1.0-1~deb12u1", "1.0-1", -1 },
		{ "1.0-1~bpo12+1", "1.0-1", -1 },
		{ "1.0-2~deb12u1", "1.0-1", 1 },
		{ "1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3", -1 },
		{ "1:9.2p1-2+deb12u10", "1:9.2p1-2+deb12u3", 1 },
		{ "1:9.2p1-2", "1:9.2p1-2+deb12u1", -1 },
		{ "1:9.2p1-2+deb12u3", "9.2p1-2+deb12u3", 1 },
		{ "1:8.9p1-3ubuntu0.9", "1:8.9p1-3ubuntu0.10", -1 },
		{ "1:9.6p1-3ubuntu13.5", "1:9.6p1-3ubuntu13.3", 1 },
		{ "1:8.2p1-4ubuntu0.13+esm1", "1:8.2p1-4ubuntu0.13", 1 },
		{ "2.4.62-1~deb12u1", "2.4.61-1", 1 },
		{ "5:7.0.15-1~deb12u6", "5:7.0.15-1~deb12u10", -1 },
		{ "2:4.17.12+dfsg-0+deb12u4", "2:4.17.12+dfsg-0+deb12u3", 1 },
		{ "1.0-a-b", "1.0-a-c", -1 },	/* the last '-' splits */
		/* Invalid versions sort before every valid one. */
		{ "", "0", -1 },
		{ "a1", "0", -1 },
		{ "1:", "0", -1 },
		{ ":1", "0", -1 },
		{ "1-", "0", -1 },
		{ "x:1.0", "0", -1 },
		{ "1.0-a_b", "0", -1 },
		{ "1.0 1", "0", -1 },
		{ "1234567890:1", "0", -1 },	/* a 10-digit epoch */
		{ "a1", "a1", 0 },
	};
	size_t	i;
	int	got, back;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = vers_dpkg_cmp(t[i].a, t[i].b);
		back = vers_dpkg_cmp(t[i].b, t[i].a);
		if (sign(got) != t[i].want || sign(back) != -t[i].want)
			fail_msg("dpkg %s vs %s: got %d/%d, want %d", t[i].a,
			    t[i].b, got, back, t[i].want);
	}
}

static void
test_dpkg_valid(void **state)
{
	static const char *const	ok[] = {
		"0", "1.0", "1:1.0", "1.0-1", "1:9.2p1-2+deb12u3",
		"2.4.62-1~deb12u1", "1.0~rc1", "1.0-a-b", "1:1.0:2-3",
	};
	static const char *const	bad[] = {
		"", "a", "1:", ":1", "-1", "1-", "1.0_1", "1.0-1_1", "x:1",
		"1.0 1", "1:a", "1234567890:1",
		"1.000000000000000000000000000000000000000000000000000000000000"
		    "0000000001",
	};
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!vers_dpkg_valid(ok[i]))
			fail_msg("%s should be valid", ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vers_dpkg_valid(bad[i]))
			fail_msg("%s should be invalid", bad[i]);
	assert_false(vers_dpkg_valid(NULL));
}

static void
test_upstream_cmp(void **state)
{
	(void)state;
	assert_int_equal(vers_upstream_cmp("9.2p1", "9.8p1"), -1);
	assert_int_equal(vers_upstream_cmp("9.3", "9.3p2"), -1);
	assert_int_equal(vers_upstream_cmp("10.0p1", "9.9p2"), 1);
	assert_int_equal(vers_upstream_cmp("1.0.2k", "1.0.2zd"), -1);
	assert_int_equal(vers_upstream_cmp("1.1.1", "1.1.1a"), -1);
	assert_int_equal(vers_upstream_cmp("2.4.6", "2.4.57"), -1);
	assert_int_equal(vers_upstream_cmp("15.1.2507.39", "15.1.2507.4"), 1);
	assert_int_equal(vers_upstream_cmp("1.3.6~rc1", "1.3.6"), -1);
	assert_int_equal(vers_upstream_cmp("1.3.5e", "1.3.5"), 1);
	assert_int_equal(vers_upstream_cmp("4.90.1", "4.91"), -1);
	assert_int_equal(vers_upstream_cmp("7.4", "7.4"), 0);
}

static void
test_ranges(void **state)
{
	struct vers_range	 r;
	const char		*why;

	(void)state;
	assert_int_equal(vers_range_parse(">= 8.5p1 < 9.8p1", &r, &why), 0);
	assert_int_equal(r.n, 2);
	assert_true(vers_range_has(&r, "8.5p1"));
	assert_true(vers_range_has(&r, "9.2p1"));
	assert_true(vers_range_has(&r, "9.7"));
	assert_false(vers_range_has(&r, "9.8p1"));
	assert_false(vers_range_has(&r, "8.4p1"));
	assert_int_equal(vers_range_parse("2.3.4", &r, &why), 0);
	assert_true(vers_range_has(&r, "2.3.4"));
	assert_false(vers_range_has(&r, "2.3.40"));
	assert_int_equal(vers_range_parse("=2.3.4", &r, &why), 0);
	assert_true(vers_range_has(&r, "2.3.4"));
	assert_int_equal(vers_range_parse("<=1.0 >0.5", &r, &why), 0);
	assert_true(vers_range_has(&r, "1.0"));
	assert_false(vers_range_has(&r, "0.5"));
	assert_int_equal(vers_range_parse("== 1.0", &r, &why), 0);
	assert_int_equal(vers_range_parse(">= 1.3.6~rc1 < 1.3.6b", &r, &why),
	    0);
	assert_true(vers_range_has(&r, "1.3.6~rc4"));
	assert_true(vers_range_has(&r, "1.3.6a"));
	assert_false(vers_range_has(&r, "1.3.5e"));

	assert_int_equal(vers_range_parse("", &r, &why), -1);
	assert_string_equal(why, "empty range");
	assert_int_equal(vers_range_parse("<", &r, &why), -1);
	assert_int_equal(vers_range_parse("< a", &r, &why), -1);
	assert_int_equal(vers_range_parse("<< 1", &r, &why), -1);
	assert_int_equal(vers_range_parse("1 2", &r, &why), -1);
	assert_string_equal(why, "a second condition needs an operator");
	assert_int_equal(vers_range_parse("> 1 < 3 < 2", &r, &why), -1);
	assert_string_equal(why, "more than two conditions");
}

static void
test_normalize(void **state)
{
	static const struct {
		const char	*in, *out;
		size_t		 used;
	} t[] = {
		{ "9.2p1", "9.2p1", 5 },
		{ "1.0.2k-fips", "1.0.2k", 11 },
		{ "4.17.12-Debian", "4.17.12", 14 },
		{ "1.3.6rc4", "1.3.6~rc4", 8 },
		{ "2.0-beta1", "2.0~beta1", 9 },
		{ "2.0.alpha", "2.0.~alpha", 9 },
		{ "4.90_1", "4.90.1", 6 },
		{ "7.4.", "7.4", 4 },
		{ "8.1.2-1ubuntu2.20", "8.1.2", 17 },
		{ "1.2.3 (Unix)", "1.2.3", 5 },
		{ "10.0", "10.0", 4 },
		{ "1.0pre2", "1.0~pre2", 7 },
		{ "1.0+dfsg", "1.0", 8 },
	};
	char	out[VERS_MAX], big[200];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (vers_normalize(t[i].in, strlen(t[i].in), out,
		    sizeof(out)) != t[i].used || strcmp(out, t[i].out) != 0)
			fail_msg("normalize %s: got '%s'", t[i].in, out);
	}
	assert_int_equal(vers_normalize("abc", 3, out, sizeof(out)), 0);
	assert_int_equal(vers_normalize("", 0, out, sizeof(out)), 0);
	assert_int_equal(vers_normalize("1.0", 3, out, 0), 0);
	assert_int_equal(vers_normalize("1.0", 3, out, 3), 0);	/* no room */
	memset(big, '1', sizeof(big));
	assert_int_equal(vers_normalize(big, sizeof(big), out, sizeof(out)),
	    0);
	/* Bounded by len, not by a NUL. */
	assert_int_equal(vers_normalize("9.2p1xyz", 3, out, sizeof(out)), 3);
	assert_string_equal(out, "9.2");
}

static void
test_from_ssh(void **state)
{
	struct vers_sw	sw;

	(void)state;
	assert_true(vers_from_ssh("OpenSSH_9.2p1", "Debian-2+deb12u3",
	    "OpenSSH", &sw));
	assert_string_equal(sw.version, "9.2p1");
	assert_string_equal(sw.revision, "2+deb12u3");
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);
	assert_string_equal(sw.distro, "debian");

	assert_true(vers_from_ssh("OpenSSH_8.9p1", "Ubuntu-3ubuntu0.10 extra",
	    "openssh", &sw));
	assert_string_equal(sw.revision, "3ubuntu0.10");
	assert_int_equal(sw.family, VERS_FAMILY_UBUNTU);

	assert_true(vers_from_ssh("OpenSSH_9.2p1", "Raspbian-2+deb12u2",
	    "OpenSSH", &sw));
	assert_string_equal(sw.distro, "raspbian");
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);

	assert_true(vers_from_ssh("OpenSSH_9.7", "FreeBSD-20240701", "OpenSSH",
	    &sw));
	assert_int_equal(sw.family, VERS_FAMILY_OTHER);
	assert_string_equal(sw.revision, "");

	assert_true(vers_from_ssh("OpenSSH_7.4", NULL, "OpenSSH", &sw));
	assert_string_equal(sw.version, "7.4");
	assert_int_equal(sw.family, VERS_FAMILY_NONE);

	/* A revision with characters dpkg refuses is not kept. */
	assert_true(vers_from_ssh("OpenSSH_9.2p1", "Debian-2_x", "OpenSSH",
	    &sw));
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);
	assert_string_equal(sw.revision, "");
	assert_true(vers_from_ssh("OpenSSH_9.2p1", "Debian-", "OpenSSH",
	    &sw));
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);
	assert_string_equal(sw.revision, "");

	assert_false(vers_from_ssh("OpenSSH_for_Windows_8.1", NULL, "OpenSSH",
	    &sw));
	assert_false(vers_from_ssh("dropbear_2022.83", NULL, "OpenSSH", &sw));
	assert_false(vers_from_ssh("OpenSSH_", NULL, "OpenSSH", &sw));
	assert_false(vers_from_ssh("OpenSSH", NULL, "OpenSSH", &sw));
	assert_false(vers_from_ssh(NULL, NULL, "OpenSSH", &sw));
	assert_false(vers_from_ssh("OpenSSHx9.2", NULL, "OpenSSH", &sw));
}

static void
test_from_server(void **state)
{
	static const char	centos[] =
	    "Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips mod_fcgid/2.3.9 "
	    "PHP/5.4.16";
	struct vers_sw		sw;

	(void)state;
	assert_true(vers_from_server(centos, "Apache", &sw));
	assert_string_equal(sw.version, "2.4.6");
	assert_int_equal(sw.family, VERS_FAMILY_EL);
	assert_string_equal(sw.distro, "centos");
	assert_true(vers_from_server(centos, "openssl", &sw));
	assert_string_equal(sw.version, "1.0.2k");
	assert_int_equal(sw.family, VERS_FAMILY_EL);
	assert_true(vers_from_server(centos, "PHP", &sw));
	assert_string_equal(sw.version, "5.4.16");
	assert_false(vers_from_server(centos, "nginx", &sw));
	assert_false(vers_from_server(centos, "mod", &sw));

	assert_true(vers_from_server("nginx/1.18.0 (Ubuntu)", "nginx", &sw));
	assert_int_equal(sw.family, VERS_FAMILY_UBUNTU);
	assert_true(vers_from_server("Microsoft-IIS/10.0", "Microsoft-IIS",
	    &sw));
	assert_string_equal(sw.version, "10.0");
	assert_true(vers_from_server("Apache/2.4.37 (Red Hat Enterprise "
	    "Linux)", "Apache", &sw));
	assert_string_equal(sw.distro, "rhel");
	assert_true(vers_from_server("Apache/2.4.58 (Win64)", "Apache", &sw));
	assert_true(sw.upstream);
	assert_int_equal(sw.family, VERS_FAMILY_NONE);

	/* No version, a token in a comment, a longer name. */
	assert_false(vers_from_server("Apache", "Apache", &sw));
	assert_false(vers_from_server("Apache/", "Apache", &sw));
	assert_false(vers_from_server("Apache/x", "Apache", &sw));
	assert_false(vers_from_server("proxy (Apache/2.4.1)", "Apache", &sw));
	assert_false(vers_from_server("ApacheX/2.4.1", "Apache", &sw));
	assert_false(vers_from_server("((((", "Apache", &sw));
	assert_false(vers_from_server(NULL, "Apache", &sw));
	assert_true(vers_from_server(") Apache/2.4.1 (", "Apache", &sw));
}

static void
test_from_text(void **state)
{
	struct vers_sw	sw;

	(void)state;
	assert_true(vers_from_text("4.17.12-Debian", &sw));
	assert_string_equal(sw.version, "4.17.12");
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);
	assert_true(vers_from_text("4.15.13-Ubuntu", &sw));
	assert_int_equal(sw.family, VERS_FAMILY_UBUNTU);
	assert_true(vers_from_text("3.0.3", &sw));
	assert_int_equal(sw.family, VERS_FAMILY_NONE);
	assert_false(vers_from_text("", &sw));
	assert_false(vers_from_text("Debian", &sw));
	assert_false(vers_from_text(NULL, &sw));
}

/* A package revision found apart from the version (MariaDB's greeting). */
static void
test_revision(void **state)
{
	struct vers_sw	sw;

	(void)state;
	memset(&sw, 0, sizeof(sw));
	assert_true(vers_revision("0+deb12u1", &sw));
	assert_int_equal(sw.family, VERS_FAMILY_DEBIAN);
	assert_string_equal(sw.distro, "debian");
	assert_string_equal(sw.revision, "0+deb12u1");
	memset(&sw, 0, sizeof(sw));
	assert_true(vers_revision("0ubuntu0.22.04.1", &sw));
	assert_int_equal(sw.family, VERS_FAMILY_UBUNTU);
	assert_string_equal(sw.revision, "0ubuntu0.22.04.1");
	/* MariaDB's own repository: an upstream build, no revision kept. */
	assert_true(vers_revision("1:10.11.6+maria~ubu2204", &sw));
	assert_true(sw.upstream);
	assert_int_equal(sw.family, VERS_FAMILY_NONE);
	assert_string_equal(sw.revision, "");
	/* Not a revision of a known distribution: sw left alone. */
	memset(&sw, 0, sizeof(sw));
	assert_false(vers_revision("log", &sw));
	assert_false(vers_revision("1.el9", &sw));
	assert_false(vers_revision("0+deb12u1; DROP", &sw));
	assert_false(vers_revision("", &sw));
	assert_false(vers_revision(NULL, &sw));
	assert_int_equal(sw.family, VERS_FAMILY_NONE);
	assert_string_equal(sw.revision, "");
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(versions_date("1970-01-01"), 0);
	assert_int_equal(versions_date("1970-01-02"), 1);
	assert_int_equal(versions_date("2000-03-01"), 11017);
	assert_int_equal(versions_date("2024-02-29"), 19782);
	assert_int_equal(versions_date("2026-11-25"), 20782);
	assert_int_equal(versions_date("2023-02-29"), -1);
	assert_int_equal(versions_date("1900-02-29"), -1);
	assert_int_equal(versions_date("2024-13-01"), -1);
	assert_int_equal(versions_date("2024-04-31"), -1);
	assert_int_equal(versions_date("2024-00-10"), -1);
	assert_int_equal(versions_date("24-01-01"), -1);
	assert_int_equal(versions_date("2024/01/01"), -1);
	assert_int_equal(versions_date("1969-12-31"), -1);
	assert_int_equal(versions_date(""), -1);
}

static int
setup_rules(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;

	vg_err_clear(&err);
	if ((rules = fp_rules_load(RULES_DIR, &err)) == NULL) {
		fprintf(stderr, "%s\n", vg_err_str(&err));
		return -1;
	}
	rules->today = versions_date(TODAY);
	*state = rules;
	return 0;
}

static int
teardown_rules(void **state)
{
	fp_rules_free(*state);
	return 0;
}

static void
test_shipped_data_loads_and_passes(void **state)
{
	struct fp_rules	*rules = *state;
	size_t		 i, n = 0;

	assert_true(rules->vdb.nrels >= 39);
	assert_true(rules->vdb.nprods >= 13);
	for (i = 0; i < rules->vdb.nprods; i++)
		n += rules->vdb.prods[i].nexamples;
	assert_true(n >= 80);
	assert_int_equal(versions_selftest(rules, stderr), 0);
	assert_non_null(versions_release(&rules->vdb, "debian-12"));
	assert_null(versions_release(&rules->vdb, "debian-99"));
	/* The products the issue asks for. */
	assert_non_null(fp_xcheck_find("version_outdated"));
	assert_non_null(fp_xcheck_find("version_eol"));
	assert_null(fp_xcheck_find("tls_expired"));
}

/* One verdict of an observation, for the product `id`. */
static const struct vverdict *
verdict_of(const struct fp_rules *rules, const struct obs *o,
    const char *id, struct vverdict vv[FP_OUTCOMES_MAX])
{
	size_t	i, n;

	n = versions_eval(rules, o, rules->today, vv, FP_OUTCOMES_MAX);
	for (i = 0; i < n; i++)
		if (strcmp(vv[i].prod->id, id) == 0)
			return &vv[i];
	fail_msg("product %s not found", id);
	return NULL;
}

static void
test_regresshion_on_debian(void **state)
{
	struct fp_rules		*rules = *state;
	struct vverdict		 vv[FP_OUTCOMES_MAX];
	const struct vverdict	*v;
	struct obs		 o;

	obs_init(&o);
	obs_set_service(&o, "ssh");
	obs_set(&o, "ssh.software", "OpenSSH_9.2p1");
	obs_set(&o, "ssh.comments", "Debian-2+deb12u2");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_string_equal(v->outdated, "vulnerable");
	assert_int_equal(v->severity, FP_SEV_HIGH);
	assert_null(v->eol);
	assert_string_equal(v->cves, "CVE-2024-6387");
	/* The evidence names the banner, the package and the inference. */
	assert_non_null(strstr(v->ev_outdated.text,
	    "software=OpenSSH 9.2p1; ssh.software=OpenSSH_9.2p1; "
	    "ssh.comments=Debian-2+deb12u2; package=1:9.2p1-2+deb12u2; "
	    "release=Debian 12 (bookworm); cves=CVE-2024-6387 regreSSHion: "
	    "vulnerable, corrigé en 1:9.2p1-2+deb12u3; basis=révision du "
	    "paquet"));
	assert_non_null(strstr(v->refs,
	    "https://www.cve.org/CVERecord?id=CVE-2024-6387"));
	assert_non_null(strstr(v->refs,
	    "https://security-tracker.debian.org/tracker/CVE-2024-6387"));
	assert_non_null(strstr(v->refs, "https://www.qualys.com/"));

	/* The fixed revision itself, and a later one. */
	obs_set(&o, "ssh.comments", "Debian-2+deb12u3");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_null(v->outdated);
	assert_null(v->eol);
	obs_set(&o, "ssh.comments", "Debian-2+deb12u10");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_null(v->outdated);
	obs_fini(&o);
}

/* MariaDB on Debian: judged on the package revision of its greeting. */
static void
test_mariadb_on_debian(void **state)
{
	struct fp_rules		*rules = *state;
	struct vverdict		 vv[FP_OUTCOMES_MAX];
	const struct vverdict	*v;
	struct obs		 o;

	obs_init(&o);
	obs_set_service(&o, "mysql");
	obs_set(&o, "product", "MariaDB");
	obs_set(&o, "version", "10.11.14");
	obs_set(&o, "mysql.distro", "debian");
	obs_set(&o, "mysql.distro_rev", "0+deb12u2");
	v = verdict_of(rules, &o, "mariadb", vv);
	assert_string_equal(v->outdated, "vulnerable");
	assert_int_equal(v->severity, FP_SEV_CRITICAL);
	assert_string_equal(v->cves, "CVE-2026-49261 CVE-2026-44168");
	assert_non_null(strstr(v->ev_outdated.text, "software=MariaDB "
	    "10.11.14; version=10.11.14; mysql.distro_rev=0+deb12u2; "
	    "package=1:10.11.14-0+deb12u2; release=Debian 12 (bookworm)"));
	assert_non_null(strstr(v->refs,
	    "https://security-tracker.debian.org/tracker/CVE-2026-49261"));
	/* The lab's MariaDB: the fixed revision's upstream version. */
	obs_set(&o, "version", "10.11.19");
	obs_set(&o, "mysql.distro_rev", "0+deb12u1");
	v = verdict_of(rules, &o, "mariadb", vv);
	assert_null(v->outdated);
	assert_null(v->eol);
	/* Without the revision: a version Debian ships, to verify. */
	obs_set(&o, "version", "10.11.14");
	obs_set(&o, "mysql.distro_rev", "-log");
	v = verdict_of(rules, &o, "mariadb", vv);
	assert_string_equal(v->outdated, "to-verify");
	assert_int_equal(v->severity, FP_SEV_LOW);
	obs_fini(&o);
}

static void
test_to_verify_is_at_most_low(void **state)
{
	struct fp_rules		*rules = *state;
	struct vverdict		 vv[FP_OUTCOMES_MAX];
	const struct vverdict	*v;
	struct obs		 o;

	obs_init(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.server", "Apache/2.4.37 (Red Hat Enterprise Linux)");
	v = verdict_of(rules, &o, "apache-httpd", vv);
	assert_string_equal(v->outdated, "to-verify");
	assert_int_equal(v->severity, FP_SEV_LOW);
	assert_non_null(strstr(v->ev_outdated.text, "basis=version d'une "
	    "distribution sans révision du paquet"));
	/* The same version built upstream: as severe as its CVEs. */
	obs_set(&o, "http.server", "Apache/2.4.37 (Unix)");
	v = verdict_of(rules, &o, "apache-httpd", vv);
	assert_string_equal(v->outdated, "likely-vulnerable");
	assert_int_equal(v->severity, FP_SEV_CRITICAL);
	obs_fini(&o);
}

static void
test_eol_by_release_and_branch(void **state)
{
	struct fp_rules		*rules = *state;
	struct vverdict		 vv[FP_OUTCOMES_MAX];
	const struct vverdict	*v;
	struct obs		 o;

	obs_init(&o);
	obs_set_service(&o, "ssh");
	obs_set(&o, "ssh.software", "OpenSSH_7.9p1");
	obs_set(&o, "ssh.comments", "Debian-10+deb10u2");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_string_equal(v->eol, "end-of-life");
	assert_non_null(v->eol_rel);
	assert_string_equal(v->eol_rel->id, "debian-10");
	assert_non_null(strstr(v->ev_eol.text,
	    "release=Debian 10 (buster); eol=2024-06-30"));
	assert_non_null(strstr(v->refs, "https://wiki.debian.org/LTS"));

	/* Ubuntu Pro keeps 20.04 alive. */
	obs_set(&o, "ssh.software", "OpenSSH_8.2p1");
	obs_set(&o, "ssh.comments", "Ubuntu-4ubuntu0.11");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_string_equal(v->eol, "end-of-life");
	obs_set(&o, "ssh.comments", "Ubuntu-4ubuntu0.11+esm2");
	v = verdict_of(rules, &o, "openssh", vv);
	assert_null(v->eol);

	/* An upstream OpenSSL branch. */
	obs_reset(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.server", "Apache/2.4.65 (Unix) OpenSSL/1.1.1w");
	v = verdict_of(rules, &o, "openssl", vv);
	assert_string_equal(v->eol, "end-of-life");
	assert_non_null(v->eol_branch);
	assert_non_null(strstr(v->ev_eol.text,
	    "branch=OpenSSL 1.1.1; eol=2023-09-11"));
	/* The day before, and the day of, OpenSSL 3.0's end. */
	obs_set(&o, "http.server", "Apache/2.4.65 (Unix) OpenSSL/3.0.17");
	rules->today = versions_date("2026-09-06");
	v = verdict_of(rules, &o, "openssl", vv);
	assert_null(v->eol);
	rules->today = versions_date("2026-09-07");
	v = verdict_of(rules, &o, "openssl", vv);
	assert_string_equal(v->eol, "end-of-life");
	rules->today = versions_date(TODAY);
	obs_fini(&o);
}

/* What fp_eval emitted, copied. */
struct found {
	size_t	n;
	char	rule[MAX_FOUND][RULES_ID_MAX];
	char	conf[MAX_FOUND][32];
	char	evidence[MAX_FOUND][FP_EVIDENCE_MAX];
	char	refs[MAX_FOUND][FP_REFS_MAX];
	char	fid[MAX_FOUND][17];
	enum fp_severity sev[MAX_FOUND];
};

static void
collect(void *arg, const struct finding *f)
{
	struct found	*fd = arg;

	assert_true(fd->n < MAX_FOUND);
	snprintf(fd->rule[fd->n], sizeof(fd->rule[0]), "%s", f->rule);
	snprintf(fd->conf[fd->n], sizeof(fd->conf[0]), "%s", f->confidence);
	snprintf(fd->evidence[fd->n], sizeof(fd->evidence[0]), "%s",
	    f->evidence);
	snprintf(fd->refs[fd->n], sizeof(fd->refs[0]), "%s", f->references);
	memcpy(fd->fid[fd->n], f->fid, sizeof(fd->fid[0]));
	fd->sev[fd->n] = f->severity;
	fd->n++;
}

static size_t
count_rule(const struct found *fd, const char *rule)
{
	size_t	i, n = 0;

	for (i = 0; i < fd->n; i++)
		n += strcmp(fd->rule[i], rule) == 0;
	return n;
}

/* One header naming three pieces of software: one finding each. */
static void
test_findings_per_software(void **state)
{
	struct fp_rules	*rules = *state;
	struct found	 fd;
	struct vg_addr	 a;
	struct obs	 o;
	char		 fid[17];
	size_t		 i, j;

	obs_init(&o);
	obs_set_service(&o, "http");
	obs_set(&o, "http.status", "200");
	obs_set(&o, "http.server", "Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips "
	    "PHP/5.4.16");
	assert_int_equal(addr_parse("198.51.100.7", &a), 0);
	memset(&fd, 0, sizeof(fd));
	fp_eval(rules, &o, &a, 80, "tcp", "750000001", collect, &fd);
	assert_int_equal(count_rule(&fd, "outdated-software"), 2);
	assert_int_equal(count_rule(&fd, "end-of-life"), 3);
	assert_int_equal(count_rule(&fd, "http-cleartext"), 1);
	for (i = 0; i < fd.n; i++) {
		if (strcmp(fd.rule[i], "outdated-software") == 0) {
			assert_string_equal(fd.conf[i], "to-verify");
			assert_int_equal(fd.sev[i], FP_SEV_LOW);
			assert_non_null(strstr(fd.refs[i], "cve.org"));
		}
		if (strcmp(fd.rule[i], "end-of-life") == 0) {
			assert_string_equal(fd.conf[i], "end-of-life");
			assert_int_equal(fd.sev[i], FP_SEV_HIGH);
			assert_non_null(strstr(fd.evidence[i],
			    "release=RHEL / CentOS 7"));
			assert_non_null(strstr(fd.refs[i],
			    "https://www.cert.ssi.gouv.fr/"));
		}
		/* Each its own identity, from its own evidence. */
		finding_identity("750000001", &a, 80, fd.rule[i],
		    fd.evidence[i], fid);
		assert_string_equal(fd.fid[i], fid);
		for (j = 0; j < i; j++)
			assert_string_not_equal(fd.fid[i], fd.fid[j]);
	}
	obs_fini(&o);
}

static void
test_versions_selftest_reports(void **state)
{
	struct vg_err	 err;
	struct fp_rules	*rules;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*out;

	(void)state;
	rules = fp_rules_load(DATA_DIR "/versions-selftest-fail", &err);
	if (rules == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_non_null(out = open_memstream(&text, &len));
	assert_int_equal(fp_rules_selftest(rules, out), 5);
	fclose(out);
	assert_non_null(strstr(text, "versions/p.yaml:16: product widget "
	    "example 2: expected outdated=none eol=none, got "
	    "outdated=likely-vulnerable eol=none cves=[CVE-2024-0001]\n"));
	assert_non_null(strstr(text, "versions/p.yaml:18: product widget "
	    "example 3: the observation does not name the product\n"));
	assert_non_null(strstr(text, "versions/p.yaml:19: product gadget: "
	    "needs an example with a finding and one without\n"));
	free(text);
	fp_rules_free(rules);
}

/* A bad versions file stops the load, naming its place. */
static void
test_bad_data_names_its_place(void **state)
{
	struct vg_err	err;

	(void)state;
	vg_err_clear(&err);
	assert_null(fp_rules_load(DATA_DIR "/bad-versions-range", &err));
	assert_non_null(strstr(vg_err_str(&err), "bad-versions-range/"
	    "versions/p.yaml:7: product 'widget': cve.affected:"));
	assert_null(fp_rules_load(DATA_DIR "/bad-versions-unknown-release",
	    &err));
	assert_non_null(strstr(vg_err_str(&err), "versions/p.yaml:9: "
	    "product 'widget': ships: unknown release 'debian-99'"));
}

/* from.revision: a field name, and only beside from.product. */
static void
test_revision_field_is_checked(void **state)
{
	static const char	rule[] =
	    "- id: some-rule\n  severity: low\n  theme: Exposition\n"
	    "  when: { service: ssh }\n  title: { fr: \"Une règle\" }\n";
	static const char *const	bad[][2] = {
		{ "- product: widget\n  name: Widget\n"
		  "  from: { ssh: Widget, revision: x.rev }\n",
		  "versions/p.yaml:3: product 'widget': from.revision: only "
		  "with product" },
		{ "- product: widget\n  name: Widget\n"
		  "  from: { product: Widget, revision: \"x rev\" }\n",
		  "versions/p.yaml:3: product 'widget': from.revision: bad "
		  "field name 'x rev'" },
	};
	struct vg_err	 err;
	struct fp_rules	*rules;
	char		 dir[] = "/tmp/vigie-versions-XXXXXX", path[256];
	FILE		*fp;
	size_t		 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.yaml", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(rule, fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/versions", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/versions/p.yaml", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(fp = fopen(path, "w"));
		fputs(bad[i][0], fp);
		fclose(fp);
		vg_err_clear(&err);
		rules = fp_rules_load(dir, &err);
		assert_null(rules);
		if (strstr(vg_err_str(&err), bad[i][1]) == NULL)
			fail_msg("got %s, want %s", vg_err_str(&err),
			    bad[i][1]);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/versions", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a.yaml", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_cmp_table),
		cmocka_unit_test(test_dpkg_valid),
		cmocka_unit_test(test_upstream_cmp),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_from_ssh),
		cmocka_unit_test(test_from_server),
		cmocka_unit_test(test_from_text),
		cmocka_unit_test(test_revision),
		cmocka_unit_test(test_dates),
		cmocka_unit_test_setup_teardown(
		    test_shipped_data_loads_and_passes, setup_rules,
		    teardown_rules),
		cmocka_unit_test_setup_teardown(test_regresshion_on_debian,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(test_mariadb_on_debian,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(test_to_verify_is_at_most_low,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(test_eol_by_release_and_branch,
		    setup_rules, teardown_rules),
		cmocka_unit_test_setup_teardown(test_findings_per_software,
		    setup_rules, teardown_rules),
		cmocka_unit_test(test_versions_selftest_reports),
		cmocka_unit_test(test_bad_data_names_its_place),
		cmocka_unit_test(test_revision_field_is_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
