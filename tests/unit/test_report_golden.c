/*
 * test_report_golden.c - the JSON and CSV reports, and the summary's
 * CSV, of the fixed store tests/data/reports/fixture.sql, byte for byte
 * against tests/data/reports/golden/.  Machines read these files (the
 * CERT's tooling, IntelMQ): any change to them must be deliberate.
 *
 * The fixture's dates are fixed; what still varies is normalised before
 * comparing: Vigie's own version ("generator": "vigie X.Y.Z").
 *
 * After a deliberate change, rewrite the golden files with
 *   VIGIE_UPDATE_GOLDEN=1 build/tests/unit/test_report_golden
 * (run in tests/unit/) and review the diff.
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

#include "test_report_fixture.h"

#define GOLDEN_DIR	"../data/reports/golden"
#define GEN_PREFIX	"\"generator\": \"vigie "

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

/* Replace the version after each "generator": "vigie with VERSION. */
static char *
normalise(const char *s)
{
	const char	*p, *q, *end;
	char		*out, *o;

	/* "VERSION" may be longer than the version it replaces, but
	 * never longer than the prefix before it: twice is room enough. */
	if ((out = malloc(strlen(s) * 2 + 1)) == NULL)
		return NULL;
	o = out;
	for (p = s; (q = strstr(p, GEN_PREFIX)) != NULL; p = end) {
		q += strlen(GEN_PREFIX);
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		end = q + strcspn(q, "\"");
		memcpy(o, "VERSION", 7);
		o += 7;
	}
	memcpy(o, p, strlen(p) + 1);
	return out;
}

static void
write_file(const char *path, const char *s)
{
	FILE	*fp;

	fp = fopen(path, "w");
	if (fp == NULL)
		fail_msg("%s: cannot write", path);
	fputs(s, fp);
	if (fclose(fp) != 0)
		fail_msg("%s: write error", path);
}

/* The first line where two texts differ, for the failure message. */
static void
first_diff(const char *a, const char *b, const char *name)
{
	size_t	line = 1, i;
	int	n = 0;

	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	while (i > 0 && a[i - 1] != '\n')
		i--;
	n = (int)strcspn(b + i, "\n");
	fail_msg("%s differs from %s/%s at line %zu; got:\n%.*s\nexpected:"
	    "\n%.*s\n(VIGIE_UPDATE_GOLDEN=1 rewrites the golden files)", name,
	    GOLDEN_DIR, name, line, (int)strcspn(a + i, "\n"), a + i, n,
	    b + i);
}

static void
check_golden(const char *dir, const char *name)
{
	char	path[FX_PATH_MAX * 2], *got, *norm, *want;

	got = fx_slurp2(dir, name);
	if (got == NULL)
		fail_msg("%s/%s: not written", dir, name);
	norm = normalise(got);
	assert_non_null(norm);
	free(got);
	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	if (getenv("VIGIE_UPDATE_GOLDEN") != NULL) {
		write_file(path, norm);
		free(norm);
		return;
	}
	if ((want = fx_slurp(path)) == NULL)
		fail_msg("%s: missing (VIGIE_UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(norm, want) != 0)
		first_diff(norm, want, name);
	free(want);
	free(norm);
}

static void
test_json_golden(void **state)
{
	static const char *const	 files[] = { "index.json",
					     "750000010.json", "750000020.json",
					     "690000030.json", "130000040.json",
					     "330000050.json" };
	struct fx			*fx = *state;
	struct report_opts		 o = { .format = "json" };
	struct vg_err			 err;
	char				 out[FX_PATH_MAX];
	size_t				 i;

	assert_int_equal(fx_report(fx, &o, "json", out, sizeof(out), &err),
	    6);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_golden(out, files[i]);
}

static void
test_csv_golden(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "csv" };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX];

	assert_int_equal(fx_report(fx, &o, "csv", out, sizeof(out), &err),
	    1);
	check_golden(out, "findings.csv");
}

static void
test_summary_csv_golden(void **state)
{
	static const char *const	 files[] = { "summary-severities.csv",
					     "summary-rules.csv",
					     "summary-categories.csv",
					     "summary-regions.csv",
					     "summary-top.csv",
					     "summary-trend.csv",
					     "summary-time-to-fix.csv" };
	struct fx			*fx = *state;
	struct report_opts		 o = { .format = "csv",
					     .summary = true };
	struct vg_err			 err;
	char				 out[FX_PATH_MAX];
	size_t				 i;

	assert_int_equal(fx_report(fx, &o, "summary", out, sizeof(out),
	    &err), 7);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_golden(out, files[i]);
}

/* The English catalog changes the titles of the CSV, nothing else. */
static void
test_csv_golden_in_english(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "csv", .lang = "en" };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX], *a;

	assert_int_equal(fx_report(fx, &o, "csv-en", out, sizeof(out), &err),
	    1);
	a = fx_slurp2(out, "findings.csv");
	assert_non_null(a);
	assert_non_null(strstr(a, "\"RDP accepts connections without prior "
	    "authentication\""));
	assert_null(strstr(a, "RDP accepte"));
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_golden),
		cmocka_unit_test(test_csv_golden),
		cmocka_unit_test(test_summary_csv_golden),
		cmocka_unit_test(test_csv_golden_in_english),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
