/*
 * test_report_pdf.c - --format pdf (reports/pdf.c) without a browser:
 * small shell scripts stand in for Chromium, to check what it is given
 * (headless, no network, a fresh profile, a file:// URL), what happens
 * when it fails, writes no PDF, or hangs (killed, with its children, at
 * the time limit), and that a missing browser is said plainly.
 * tests/integration/test_reports.sh prints with the real Chromium.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vigie/err.h"
#include "vigie/report.h"
#include "reports/report_internal.h"

#include "test_report_fixture.h"

/* Writes its arguments, one a line, to $0.args, and a PDF. */
static const char	ok_browser[] =
    "#!/bin/sh\n"
    "for a in \"$@\"; do printf '%s\\n' \"$a\"; done >\"$0.args\"\n"
    "for a in \"$@\"; do case $a in --print-to-pdf=*)\n"
    "  printf '%%PDF-1.4\\n%% fake\\n' >\"${a#--print-to-pdf=}\";; esac\n"
    "done\n";
static const char	failing_browser[] =
    "#!/bin/sh\n"
    "echo 'starting'\n"
    "echo 'Failed to open display: boom' >&2\n"
    "exit 3\n";
static const char	no_pdf_browser[] =
    "#!/bin/sh\n"
    "for a in \"$@\"; do case $a in --print-to-pdf=*)\n"
    "  echo 'not a pdf' >\"${a#--print-to-pdf=}\";; esac\n"
    "done\n";
/* Hangs, with a child of its own: both must go. */
static const char	hanging_browser[] =
    "#!/bin/sh\n"
    "echo $$ >\"$0.pid\"\n"
    "sleep 60 &\n"
    "wait\n";

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

	unsetenv("VIGIE_CHROMIUM");
	fx_rm(fx->dir);
	free(fx);
	return 0;
}

static void
script(const struct fx *fx, const char *name, const char *text, char *path,
    size_t len)
{
	FILE	*fp;

	snprintf(path, len, "%s/%s", fx->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0700), 0);
}

/* A page to print and a scratch directory, in dir/sub. */
static void
page(const struct fx *fx, const char *sub, char *html, char *scratch,
    size_t len)
{
	FILE	*fp;

	snprintf(scratch, len, "%s/%s", fx->dir, sub);
	assert_int_equal(mkdir(scratch, 0700), 0);
	snprintf(html, len, "%s/%s/a page é.html", fx->dir, sub);
	fp = fopen(html, "w");
	assert_non_null(fp);
	fputs("<!DOCTYPE html><title>t</title><p>Établissement\n", fp);
	assert_int_equal(fclose(fp), 0);
}

static void
test_browser_is_confined(void **state)
{
	struct fx	*fx = *state;
	struct vg_err	 err;
	char		 br[FX_PATH_MAX], html[FX_PATH_MAX], dir[FX_PATH_MAX],
			 pdf[FX_PATH_MAX * 2], args[FX_PATH_MAX * 2], *a;

	script(fx, "ok-browser", ok_browser, br, sizeof(br));
	page(fx, "ok", html, dir, sizeof(dir));
	snprintf(pdf, sizeof(pdf), "%s/out.pdf", dir);
	if (pdf_print(br, html, pdf, dir, 10000, &err) == -1)
		fail_msg("%s", vg_err_str(&err));
	a = fx_slurp(pdf);
	assert_non_null(a);
	assert_true(strncmp(a, "%PDF-", 5) == 0);
	free(a);
	snprintf(args, sizeof(args), "%s.args", br);
	a = fx_slurp(args);
	assert_non_null(a);
	assert_non_null(strstr(a, "--headless\n"));
	assert_non_null(strstr(a, "--disable-background-networking\n"));
	assert_non_null(strstr(a, "--disable-component-update\n"));
	assert_non_null(strstr(a, "--disable-sync\n"));
	assert_non_null(strstr(a, "--no-first-run\n"));
	assert_non_null(strstr(a, "--disable-gpu\n"));
	assert_non_null(strstr(a, "--no-sandbox\n"));
	assert_non_null(strstr(a, "--host-resolver-rules=MAP * ~NOTFOUND\n"));
	assert_non_null(strstr(a, "--user-data-dir="));
	assert_non_null(strstr(a, "/ok/profile\n"));
	/* The URL is the file, percent-encoded, and nothing else. */
	assert_non_null(strstr(a, "\nfile:///"));
	assert_non_null(strstr(a, "/ok/a%20page%20%C3%A9.html\n"));
	assert_null(strstr(a, "http://"));
	assert_null(strstr(a, "https://"));
	free(a);
	/* The profile is removed after. */
	snprintf(args, sizeof(args), "%s/profile", dir);
	assert_int_equal(access(args, F_OK), -1);
}

static void
test_browser_failure_is_quoted(void **state)
{
	struct fx	*fx = *state;
	struct vg_err	 err;
	char		 br[FX_PATH_MAX], html[FX_PATH_MAX], dir[FX_PATH_MAX],
			 pdf[FX_PATH_MAX * 2];

	script(fx, "failing-browser", failing_browser, br, sizeof(br));
	page(fx, "fail", html, dir, sizeof(dir));
	snprintf(pdf, sizeof(pdf), "%s/out.pdf", dir);
	assert_int_equal(pdf_print(br, html, pdf, dir, 10000, &err), -1);
	assert_string_equal(err.where, br);
	assert_non_null(strstr(err.msg, "exit status 3"));
	assert_non_null(strstr(err.msg, "Failed to open display: boom"));

	script(fx, "no-pdf-browser", no_pdf_browser, br, sizeof(br));
	assert_int_equal(pdf_print(br, html, pdf, dir, 10000, &err), -1);
	assert_non_null(strstr(err.msg, "printing"));

	assert_int_equal(pdf_print("/nonexistent/chromium", html, pdf, dir,
	    10000, &err), -1);
	assert_string_equal(err.where, "/nonexistent/chromium");
}

static void
test_hanging_browser_is_killed(void **state)
{
	struct fx	*fx = *state;
	struct vg_err	 err;
	struct timespec	 t0, t1, nap = { 0, 10000000 };
	char		 br[FX_PATH_MAX], html[FX_PATH_MAX], dir[FX_PATH_MAX],
			 pdf[FX_PATH_MAX * 2], pidf[FX_PATH_MAX * 2], *s;
	long		 pid;
	int		 i;

	script(fx, "hanging-browser", hanging_browser, br, sizeof(br));
	page(fx, "hang", html, dir, sizeof(dir));
	snprintf(pdf, sizeof(pdf), "%s/out.pdf", dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pdf_print(br, html, pdf, dir, 300, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	assert_non_null(strstr(err.msg, "stopped"));
	/* Its process group, the sleeping child included, is gone. */
	snprintf(pidf, sizeof(pidf), "%s.pid", br);
	s = fx_slurp(pidf);
	assert_non_null(s);
	pid = strtol(s, NULL, 10);
	free(s);
	assert_true(pid > 1);
	/* Killed at once; reaped by init a moment later. */
	for (i = 0; i < 200 && kill(-(pid_t)pid, 0) == 0; i++)
		nanosleep(&nap, NULL);
	assert_int_equal(kill(-(pid_t)pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

static void
test_missing_browser_is_said(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "pdf" };
	struct vg_err		 err;
	char			 out[FX_PATH_MAX];

	setenv("VIGIE_CHROMIUM", "/nonexistent/chromium", 1);
	assert_int_equal(fx_report(fx, &o, "pdf-missing", out, sizeof(out),
	    &err), -1);
	assert_string_equal(err.where, "--format pdf");
	assert_non_null(strstr(err.msg, "Chromium is not installed"));
	assert_non_null(strstr(err.msg, "apt-get install chromium"));
	unsetenv("VIGIE_CHROMIUM");
}

static void
test_pdf_reports(void **state)
{
	struct fx		*fx = *state;
	struct report_opts	 o = { .format = "pdf", .establishment =
				    "750000010" };
	struct vg_err		 err;
	struct dirent		*de;
	DIR			*d;
	char			 br[FX_PATH_MAX], out[FX_PATH_MAX];
	size_t			 n = 0;

	script(fx, "ok-browser-2", ok_browser, br, sizeof(br));
	setenv("VIGIE_CHROMIUM", br, 1);
	if (fx_report(fx, &o, "pdf", out, sizeof(out), &err) != 2)
		fail_msg("%s", vg_err_str(&err));
	unsetenv("VIGIE_CHROMIUM");
	/* The PDFs, and nothing else: no HTML, no scratch directory. */
	d = opendir(out);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (strcmp(de->d_name, "750000010.pdf") != 0 &&
		    strcmp(de->d_name, "index.pdf") != 0)
			fail_msg("%s: unexpected file %s", out, de->d_name);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browser_is_confined),
		cmocka_unit_test(test_browser_failure_is_quoted),
		cmocka_unit_test(test_hanging_browser_is_killed),
		cmocka_unit_test(test_missing_browser_is_said),
		cmocka_unit_test(test_pdf_reports),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
