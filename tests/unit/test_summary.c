/*
 * test_summary.c - the national summary (reports/summary*.c): a
 * finding's episodes over the history, the median, and the summary of
 * the fixture's store (tests/data/reports/fixture.sql) in HTML and CSV.
 *
 * The fixture's history, four weekly complete scans (28/10, 04/11,
 * 12/11, 18/11) and a running fifth that must not count:
 *   750000010 rdp-exposed 1-4, rdp-no-nla 2-4, tls-self-signed 1-4,
 *             ssh-exposed 1-2 (fixed at 3, after 15 days)
 *   750000020 ftp-anonymous 1, fixed at 2 (7 days), back at 4;
 *             ftp-cleartext 1-4; redis-no-auth and database-exposed
 *             1-3 (fixed at 4, 21 days); vnc-no-auth 3-4
 *   690000030 telnet-exposed 1-4, http-cleartext 4
 *   130000040 admin-panel-exposed 2-4, ftp-cleartext 3-4 (a hostile
 *             name and banners)
 *   330000050 nothing
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vigie/err.h"
#include "vigie/report.h"
#include "vigie/store.h"
#include "reports/report_internal.h"

#include "test_report_fixture.h"

#define BIT(i)	((uint64_t)1 << (i))

static void
test_episode_fixed_then_back(void **state)
{
	struct sum_episode	ep[4];

	(void)state;
	/* Scanned 0-3, present at 0 and 3: fixed at 1, back at 3. */
	assert_int_equal(summary_episodes(0xf, BIT(0) | BIT(3), 4, ep, 4), 2);
	assert_int_equal(ep[0].first, 0);
	assert_int_equal(ep[0].fixed, 1);
	assert_false(ep[0].reappeared);
	assert_int_equal(ep[1].first, 3);
	assert_true(ep[1].fixed == SIZE_MAX);
	assert_true(ep[1].reappeared);
}

static void
test_episode_unscanned_scan_fixes_nothing(void **state)
{
	struct sum_episode	ep[4];

	(void)state;
	/* Not scanned at 1: present at 0 and 2 is one run, still open. */
	assert_int_equal(summary_episodes(BIT(0) | BIT(2), BIT(0) | BIT(2),
	    3, ep, 4), 1);
	assert_int_equal(ep[0].first, 0);
	assert_true(ep[0].fixed == SIZE_MAX);
	/* Gone at the last scan: fixed there. */
	assert_int_equal(summary_episodes(0x7, BIT(0) | BIT(1), 3, ep, 4),
	    1);
	assert_int_equal(ep[0].fixed, 2);
	/* Never present: nothing; more episodes than room: counted. */
	assert_int_equal(summary_episodes(0xff, 0, 8, ep, 4), 0);
	assert_int_equal(summary_episodes(0xff, 0x55, 8, ep, 2), 4);
	/* The 64th scan is a scan like the others. */
	assert_int_equal(summary_episodes(UINT64_MAX, BIT(63), 64, ep, 4),
	    1);
	assert_int_equal(ep[0].first, 63);
}

static void
test_median(void **state)
{
	double	odd[] = { 21, 7, 15 }, even[] = { 21, 7, 15, 21 };

	(void)state;
	assert_true(summary_median(odd, 3) == 15);
	assert_true(summary_median(even, 4) == 18);
	assert_true(summary_median(NULL, 0) == 0);
}

static int
setup(void **state)
{
	struct fx	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL || fx_setup(fx) == -1) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	fx_rm(fx->dir);
	free(fx);
	return 0;
}

/* The summary's model, built as `vigie report --summary` would. */
static void
build(const struct fx *fx, struct summary *s, struct rep_pool **pool,
    struct store **st)
{
	static const struct report_opts	opts = { .format = "html" };
	static struct report_ctx	ctx;
	struct vg_err			err;

	memset(&ctx, 0, sizeof(ctx));
	*st = store_open(fx->db, true, &err);
	assert_non_null(*st);
	*pool = rep_pool_new(1 << 20);
	assert_non_null(*pool);
	ctx.store = *st;
	ctx.opts = &opts;
	ctx.cat = msg_catalog_find("fr");
	assert_int_equal(rep_load_scan(&ctx, *pool, &err), 0);
	assert_int_equal(ctx.scan.id, 4);
	if (summary_build(&ctx, *pool, s, &err) == -1)
		fail_msg("%s", vg_err_str(&err));
}

static void
test_counts_and_groups(void **state)
{
	struct fx		*fx = *state;
	struct summary		 s;
	struct rep_pool		*pool;
	struct store		*st;

	build(fx, &s, &pool, &st);
	assert_int_equal(s.nests, 5);
	assert_int_equal(s.nfindings, 10);
	assert_int_equal(s.nexposed, 4);
	assert_int_equal(s.ncritical, 2);
	assert_int_equal(s.counts[FP_SEV_CRITICAL], 2);
	assert_int_equal(s.counts[FP_SEV_HIGH], 3);
	assert_int_equal(s.counts[FP_SEV_MEDIUM], 3);
	assert_int_equal(s.counts[FP_SEV_LOW], 2);

	/* Categories by name; regions most exposed first. */
	assert_int_equal(s.ncats, 2);
	assert_string_equal(s.cats[0].key, "ES");
	assert_int_equal(s.cats[0].nest, 3);
	assert_int_equal(s.cats[0].nexposed, 2);
	assert_int_equal(s.cats[1].nest, 2);
	assert_int_equal(s.cats[1].ncritical, 1);
	assert_int_equal(s.nregions, 4);
	assert_string_equal(s.regions[0].key, "Île-de-France");
	assert_int_equal(s.regions[0].counts[FP_SEV_CRITICAL], 2);
	assert_string_equal(s.regions[3].key, "Nouvelle-Aquitaine");
	assert_int_equal(s.regions[3].nexposed, 0);

	/* The most exposed: critical first, the clean one absent. */
	assert_int_equal(s.ntop, 4);
	assert_string_equal(s.top[0]->id, "750000020");
	assert_string_equal(s.top[1]->id, "750000010");
	assert_string_equal(s.top[3]->id, "130000040");

	/* Rules: most severe first, then the most widespread. */
	assert_string_equal(s.rules[0].rule, "rdp-no-nla");
	assert_string_equal(s.rules[1].rule, "vnc-no-auth");
	assert_string_equal(s.rules[5].rule, "ftp-cleartext");
	assert_int_equal(s.rules[5].nest, 2);
	summary_fini(&s);
	rep_pool_free(pool);
	store_close(st);
}

static void
test_trend_and_time_to_fix(void **state)
{
	struct fx		*fx = *state;
	struct summary		 s;
	struct rep_pool		*pool;
	struct store		*st;
	const struct sum_ttf	*all, *crit, *high;

	build(fx, &s, &pool, &st);
	/* Four complete scans; the running fifth is not in it. */
	assert_int_equal(s.nhistory, 4);
	assert_int_equal(s.ntrend, 4);
	assert_int_equal(s.trend[0].scan, 1);
	assert_false(s.trend[0].compared);
	assert_int_equal(s.trend[0].counts[FP_SEV_HIGH], 4);
	assert_int_equal(s.trend[3].scan, 4);
	assert_int_equal(s.trend[3].nest, 5);
	assert_int_equal(s.trend[3].nexposed, 4);
	/* Scan 2: rdp-no-nla and admin-panel new, ftp-anonymous fixed. */
	assert_int_equal(s.trend[1].nnew, 2);
	assert_int_equal(s.trend[1].nfixed, 1);
	/* Scan 4: ftp-anonymous back, http-cleartext new; two fixed. */
	assert_int_equal(s.trend[3].nnew, 2);
	assert_int_equal(s.trend[3].nfixed, 2);

	/* Fixed after 15 (ssh), 7 (ftp-anonymous), 21 and 21 days. */
	all = &s.ttf[REPORT_NSEV];
	assert_int_equal(all->nfixed, 4);
	assert_true(all->median == 18);
	assert_true(all->mean == 16);
	assert_int_equal(all->nopen, 10);
	assert_true(all->open_max == 21);
	assert_int_equal(all->nreappeared, 1);
	crit = &s.ttf[FP_SEV_CRITICAL];
	assert_int_equal(crit->nfixed, 1);
	assert_true(crit->median == 21);
	assert_int_equal(crit->nopen, 2);
	assert_true(crit->open_median == 10);
	high = &s.ttf[FP_SEV_HIGH];
	assert_int_equal(high->nfixed, 2);
	assert_true(high->median == 14);
	assert_int_equal(high->nreappeared, 1);
	summary_fini(&s);
	rep_pool_free(pool);
	store_close(st);
}

static void
test_summary_html(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "html", .summary = true };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX], *a;

	assert_int_equal(fx_report(fx, &o, "sum-html", out, sizeof(out),
	    &err), 1);
	a = fx_slurp2(out, "summary.html");
	assert_non_null(a);
	assert_non_null(strstr(a, "<html lang=\"fr\">"));
	assert_non_null(strstr(a, "Vue nationale de l&#39;exposition Internet "
	    "— scan n° 4"));
	assert_non_null(strstr(a, "réservé au CERT Santé"));
	assert_non_null(strstr(a, "Content-Security-Policy\" content=\""
	    "default-src 'none'"));
	assert_non_null(strstr(a, "<svg class=\"trend\""));
	assert_non_null(strstr(a, "Établissements de santé (ES)"));
	assert_non_null(strstr(a, "Établissements et services médico-sociaux "
	    "(ESMS)"));
	assert_non_null(strstr(a, "Délai de correction"));
	assert_non_null(strstr(a, "18\u00a0j"));
	assert_non_null(strstr(a, "href=\"750000020.html\""));
	/* The hostile registry name is text. */
	assert_non_null(strstr(a, "SSIAD &lt;img src=x onerror=alert(4)&gt;"));
	assert_null(strcasestr(a, "<img"));
	assert_null(strcasestr(a, "<script"));
	assert_null(strstr(a, "src=\"http"));
	/* The running scan 5 is nowhere. */
	assert_null(strstr(a, "n° 5"));
	free(a);

	o.lang = "en";
	assert_int_equal(fx_report(fx, &o, "sum-html-en", out, sizeof(out),
	    &err), 1);
	a = fx_slurp2(out, "summary.html");
	assert_non_null(a);
	assert_non_null(strstr(a, "National view of Internet exposure"));
	assert_non_null(strstr(a, "Time to fix"));
	assert_null(strstr(a, "Délai de correction"));
	free(a);
}

static void
test_summary_csv(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "csv", .summary = true };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX], *a;

	assert_int_equal(fx_report(fx, &o, "sum-csv", out, sizeof(out),
	    &err), 7);
	a = fx_slurp2(out, "summary-time-to-fix.csv");
	assert_non_null(a);
	assert_non_null(strstr(a, "\"severity\",\"fixed\",\"median_days\","));
	assert_non_null(strstr(a, "\"all\",\"4\",\"18.0\",\"16.0\",\"10\","
	    "\"14.0\",\"21.0\",\"1\"\n"));
	free(a);
	a = fx_slurp2(out, "summary-top.csv");
	assert_non_null(a);
	assert_non_null(strstr(a, "\"1\",\"750000020\",\"EHPAD Les Tilleuls\","
	    "\"ESMS\",\"Île-de-France\",\"1\",\"1\",\"1\",\"0\",\"0\","
	    "\"3\"\n"));
	free(a);
	a = fx_slurp2(out, "summary-trend.csv");
	assert_non_null(a);
	assert_non_null(strstr(a, "\"1\",\"2024-10-28T08:00:00Z\",\"5\",\"3\","
	    "\"1\",\"4\",\"2\",\"1\",\"0\",\"8\",\"\",\"\"\n"));
	free(a);
}

static void
test_summary_refuses(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "json", .summary = true };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX];

	assert_int_equal(fx_report(fx, &o, "sum-bad", out, sizeof(out),
	    &err), -1);
	assert_string_equal(err.where, "--summary");
	o.format = "html";
	o.establishment = "750000010";
	assert_int_equal(fx_report(fx, &o, "sum-bad", out, sizeof(out),
	    &err), -1);
	assert_string_equal(err.where, "--summary");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_episode_fixed_then_back),
		cmocka_unit_test(test_episode_unscanned_scan_fixes_nothing),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_counts_and_groups),
		cmocka_unit_test(test_trend_and_time_to_fix),
		cmocka_unit_test(test_summary_html),
		cmocka_unit_test(test_summary_csv),
		cmocka_unit_test(test_summary_refuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
