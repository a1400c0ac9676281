/*
 * test_enrich.c - --mmdb enrichment (reports/enrich.c) through the real
 * libmaxminddb, on MaxMind DB files written at test time by
 * tests/data/mmdb/make-test-mmdb.pl (Debian's libmaxmind-db-writer-perl):
 * 198.51.100.0/24 is AS64500 "Réseau Santé Démo" in France, and
 * 203.0.113.0/24 AS64501 in Belgium, whose organisation is hostile
 * markup.  Then the same facts in every report format, inert.
 *
 * Without perl's MaxMind::DB::Writer (scripts/install-deps installs
 * it), the tests that need the files are skipped, saying so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/report.h"
#include "reports/report_internal.h"

#include "test_report_fixture.h"

#define HOSTILE_ORG	"Hostile \"Org\" <script>alert(3)</script> =1+1"

static int
setup(void **state)
{
	struct fx	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL || fx_setup(fx) == -1) {
		free(fx);
		return -1;
	}
	if (!fx->have_mmdb)
		fprintf(stderr, "test_enrich: %s could not write the test "
		    "databases (is libmaxmind-db-writer-perl installed?): "
		    "skipping the tests that read them\n", FX_MMDB_SCRIPT);
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

static void
need_mmdb(const struct fx *fx)
{
	if (!fx->have_mmdb)
		skip();
}

static void
test_open_errors_name_the_file(void **state)
{
	struct fx	*fx = *state;
	struct vg_err	 err;
	const char	*paths[1];
	char		 bad[FX_PATH_MAX];
	FILE		*fp;

	paths[0] = "/nonexistent/GeoLite2-ASN.mmdb";
	assert_null(enrich_open(paths, 1, &err));
	assert_string_equal(err.where, paths[0]);
	snprintf(bad, sizeof(bad), "%s/not-a-db.mmdb", fx->dir);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fputs("this is not a MaxMind database\n", fp);
	fclose(fp);
	paths[0] = bad;
	assert_null(enrich_open(paths, 1, &err));
	assert_string_equal(err.where, bad);
	assert_non_null(strstr(err.msg, "MaxMind"));
	/* No database: nothing known, nothing failed. */
	assert_int_equal(enrich_count(NULL), 0);
	assert_null(enrich_info_at(NULL, 0));
}

static void
test_lookup(void **state)
{
	struct fx		*fx = *state;
	struct vg_err		 err;
	struct enrich		*e;
	struct rep_pool		*pool;
	struct rep_geo		 g;
	struct vg_addr		 a;
	const struct enrich_info *in;
	const char		*paths[2];

	need_mmdb(fx);
	paths[0] = fx->asn;
	paths[1] = fx->country;
	e = enrich_open(paths, 2, &err);
	if (e == NULL)
		fail_msg("%s", vg_err_str(&err));
	assert_int_equal(enrich_count(e), 2);
	in = enrich_info_at(e, 0);
	assert_string_equal(in->type, "Vigie-Test-ASN");
	assert_int_equal(in->build_epoch, 1732492800);
	assert_string_equal(in->build, "2024-11-25T00:00:00Z");
	assert_string_equal(enrich_info_at(e, 1)->type, "Vigie-Test-Country");
	pool = rep_pool_new(1 << 16);
	assert_non_null(pool);

	assert_int_equal(addr_parse("198.51.100.10", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 1);
	assert_int_equal(g.asn, 64500);
	assert_string_equal(g.org, "Réseau Santé Démo");
	assert_string_equal(g.country, "FR");
	assert_string_equal(g.country_name, "France");

	assert_int_equal(addr_parse("203.0.113.66", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 1);
	assert_int_equal(g.asn, 64501);
	assert_string_equal(g.org, HOSTILE_ORG);
	assert_string_equal(g.country_name, "Belgique");
	assert_int_equal(enrich_lookup(e, &a, "en", pool, &g), 1);
	assert_string_equal(g.country_name, "Belgium");
	/* A language the database lacks: English. */
	assert_int_equal(enrich_lookup(e, &a, "de", pool, &g), 1);
	assert_string_equal(g.country_name, "Belgium");

	/* Unknown to both, v4 and v6. */
	assert_int_equal(addr_parse("198.18.0.1", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 0);
	assert_null(g.country);
	assert_int_equal(g.asn, 0);
	assert_int_equal(addr_parse("2001:db8::1", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 0);
	/* IPv4 through the IPv6 tree's ::ffff:0:0/96 alias. */
	assert_int_equal(addr_parse("::ffff:198.51.100.7", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 1);
	assert_int_equal(g.asn, 64500);

	/* The ASN database alone: no country, and no failure. */
	enrich_free(e);
	e = enrich_open(paths, 1, &err);
	assert_non_null(e);
	assert_int_equal(addr_parse("198.51.100.10", &a), 0);
	assert_int_equal(enrich_lookup(e, &a, "fr", pool, &g), 1);
	assert_int_equal(g.asn, 64500);
	assert_null(g.country);
	enrich_free(e);
	rep_pool_free(pool);
}

static json_t *
load_json(const char *dir, const char *name)
{
	char		path[FX_PATH_MAX * 2];
	json_error_t	jerr;
	json_t		*j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((j = json_load_file(path, 0, &jerr)) == NULL)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	return j;
}

static void
test_reports_carry_geo(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "json" };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX], *a;
	json_t			*doc, *v, *g;

	need_mmdb(fx);
	o.mmdb[0] = fx->asn;
	o.mmdb[1] = fx->country;
	o.nmmdb = 2;
	assert_int_equal(fx_report(fx, &o, "geo-json", out, sizeof(out),
	    &err), 6);
	doc = load_json(out, "130000040.json");
	v = json_object_get(doc, "enrichment");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(v, 0), "database_type")), "Vigie-Test-ASN");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(v, 1), "build_epoch")), 1732492800);
	v = json_array_get(json_object_get(doc, "findings"), 0);
	g = json_object_get(v, "geo");
	assert_int_equal(json_integer_value(json_object_get(g, "asn")), 64501);
	assert_string_equal(json_string_value(json_object_get(g, "org")),
	    HOSTILE_ORG);
	assert_string_equal(json_string_value(json_object_get(g, "country")),
	    "BE");
	v = json_array_get(json_object_get(doc, "hosts"), 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(v, "geo"), "country_name")), "Belgique");
	json_decref(doc);
	doc = load_json(out, "330000050.json");
	/* A silent host of the clean establishment is known too. */
	v = json_array_get(json_object_get(doc, "hosts"), 0);
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(v, "geo"), "asn")), 64501);
	json_decref(doc);

	o.format = "csv";
	assert_int_equal(fx_report(fx, &o, "geo-csv", out, sizeof(out),
	    &err), 1);
	a = fx_slurp2(out, "findings.csv");
	assert_non_null(a);
	assert_non_null(strstr(a, ",\"admin-panel-exposed\",\"64501\",\"BE\","
	    "\"medium\","));
	assert_non_null(strstr(a, ",\"Hostile \"\"Org\"\" <script>"));
	assert_non_null(strstr(a, ",\"rdp-no-nla\",\"64500\",\"FR\","));
	free(a);

	o.format = "html";
	assert_int_equal(fx_report(fx, &o, "geo-html", out, sizeof(out),
	    &err), 6);
	a = fx_slurp2(out, "130000040.html");
	assert_non_null(a);
	assert_non_null(strstr(a, "AS64501 — Hostile &quot;Org&quot; "
	    "&lt;script&gt;alert(3)&lt;/script&gt; =1+1"));
	assert_non_null(strstr(a, "Belgique (BE)"));
	assert_non_null(strstr(a, "Vigie-Test-ASN, version du 25 novembre "
	    "2024"));
	assert_null(strcasestr(a, "<script"));
	free(a);
}

static void
test_bad_mmdb_fails_the_report(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "json" };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX];

	o.mmdb[0] = "/nonexistent.mmdb";
	o.nmmdb = 1;
	assert_int_equal(fx_report(fx, &o, "geo-bad", out, sizeof(out),
	    &err), -1);
	assert_string_equal(err.where, "/nonexistent.mmdb");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_errors_name_the_file),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_reports_carry_geo),
		cmocka_unit_test(test_bad_mmdb_fails_the_report),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
