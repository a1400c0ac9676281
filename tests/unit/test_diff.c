/*
 * test_diff.c - what changed between two scans (reports/diff.c):
 * diff_print() against a golden text, diff_compute() counts, the choice
 * of scans and the errors.
 *
 * The fixture: scan 1 and scan 2 complete, scan 3 running.  Two
 * establishments are in both; one only in scan 1 and one only in scan 2,
 * whose findings are neither new nor fixed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/stat.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/registry.h"
#include "vigie/report.h"
#include "vigie/store.h"
#include "reports/report_internal.h"

#define EST_A	"750000010"
#define EST_B	"750000028"
#define EST_C	"750000036"	/* scan 2 only */
#define EST_D	"750000044"	/* scan 1 only */

struct fixture {
	char	dir[64];
	char	db[128];
	char	db1[128];	/* one complete scan only */
};

struct fx_finding {
	int			 scan;
	const char		*est, *fid, *rule;
	enum fp_severity	 sev;
	const char		*ip;
	uint16_t		 port;
};

static const struct fx_finding	findings[] = {
	{ 1, EST_A, "00000000000000f1", "rdp-exposed", FP_SEV_HIGH,
	    "198.51.100.10", 3389 },
	{ 1, EST_A, "00000000000000f2", "ftp-cleartext", FP_SEV_MEDIUM,
	    "198.51.100.11", 21 },
	{ 1, EST_B, "00000000000000f3", "telnet-exposed", FP_SEV_HIGH,
	    "203.0.113.66", 23 },
	{ 1, EST_D, "00000000000000d1", "smb-exposed", FP_SEV_HIGH,
	    "198.18.0.9", 445 },

	{ 2, EST_A, "00000000000000f1", "rdp-exposed", FP_SEV_HIGH,
	    "198.51.100.10", 3389 },
	{ 2, EST_A, "00000000000000f4", "rdp-no-nla", FP_SEV_CRITICAL,
	    "198.51.100.10", 3389 },
	{ 2, EST_A, "00000000000000f5", "ftp-anonymous", FP_SEV_HIGH,
	    "198.51.100.11", 21 },
	{ 2, EST_A, "00000000000000f9", "ssh-exposed", FP_SEV_INFO,
	    "2001:db8::10", 22 },
	{ 2, EST_B, "00000000000000f3", "telnet-exposed", FP_SEV_HIGH,
	    "203.0.113.66", 23 },
	{ 2, EST_B, "00000000000000f8", "vnc-no-auth", FP_SEV_CRITICAL,
	    "203.0.113.66", 5900 },
	{ 2, EST_C, "00000000000000c1", "redis-no-auth", FP_SEV_CRITICAL,
	    "198.18.0.7", 6379 },

	{ 3, EST_A, "00000000000000f7", "smb-exposed", FP_SEV_HIGH,
	    "198.51.100.10", 445 },
};

#define NFINDINGS	(sizeof(findings) / sizeof(findings[0]))

/* After the first line, which holds the scans' dates. */
static const char	golden_en[] =
    "750000010 CHU de Démo\n"
    "  + new        critical rdp-no-nla 198.51.100.10:3389\n"
    "  + new        high     ftp-anonymous 198.51.100.11:21\n"
    "  + new        info     ssh-exposed [2001:db8::10]:22\n"
    "  - fixed      medium   ftp-cleartext 198.51.100.11:21\n"
    "  = persisting 1\n"
    "750000028 EHPAD ?]0;x? Les Tilleuls\n"
    "  + new        critical vnc-no-auth 203.0.113.66:5900\n"
    "  = persisting 1\n"
    "1 establishment(s) missing from scan 2, not compared.\n"
    "1 establishment(s) new in scan 2, not compared.\n"
    "Summary: 4 new, 1 fixed, 2 persisting, in 2 establishment(s).\n";

static void
add_est(struct store *st, int64_t scan, const char *id, const char *name)
{
	struct establishment	e;
	struct vg_err		err;

	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "%s", id);
	e.name = strdup(name);
	assert_int_equal(store_add_establishment(st, scan, &e, &err), 0);
	free(e.name);
}

static void
add_findings(struct store *st, int scan_ix, int64_t scan)
{
	const struct fx_finding	*x;
	struct finding		 f;
	struct vg_err		 err;
	size_t			 i;

	for (i = 0; i < NFINDINGS; i++) {
		x = &findings[i];
		if (x->scan != scan_ix)
			continue;
		memset(&f, 0, sizeof(f));
		f.rule = x->rule;
		f.severity = x->sev;
		f.confidence = "certain";
		f.theme = "Exposition";
		f.title_fr = "Titre";
		f.title_en = "Title";
		f.advice_fr = "";
		f.advice_en = "";
		f.references = "";
		f.evidence = "";
		f.proto = "tcp";
		f.service = "";
		f.port = x->port;
		assert_int_equal(addr_parse(x->ip, &f.addr), 0);
		snprintf(f.fid, sizeof(f.fid), "%s", x->fid);
		assert_int_equal(store_add_finding(st, scan, x->est, &f, &err),
		    1);
	}
}

static int64_t
begin(struct store *st)
{
	struct scan_meta	meta = { .mode = "connect", .ports = "top100" };
	struct vg_err		err;
	int64_t			id;

	id = store_scan_begin(st, &meta, &err);
	assert_true(id > 0);
	return id;
}

static void
build_store(const char *db)
{
	struct store	*st;
	struct vg_err	 err;
	int64_t		 s;

	st = store_open(db, false, &err);
	assert_non_null(st);
	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo");
	add_est(st, s, EST_B, "EHPAD \x1b]0;x\x07 Les Tilleuls");
	add_est(st, s, EST_D, "Clinique fermée");
	add_findings(st, 1, s);
	assert_int_equal(store_scan_end(st, s, "complete", &err), 0);

	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo");
	add_est(st, s, EST_B, "EHPAD \x1b]0;x\x07 Les Tilleuls");
	add_est(st, s, EST_C, "Centre nouveau");
	add_findings(st, 2, s);
	assert_int_equal(store_scan_end(st, s, "complete", &err), 0);

	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo");
	add_findings(st, 3, s);
	store_close(st);
}

static void
build_store_one_scan(const char *db)
{
	struct store	*st;
	struct vg_err	 err;
	int64_t		 s;

	st = store_open(db, false, &err);
	assert_non_null(st);
	s = begin(st);
	add_est(st, s, EST_A, "CHU de Démo");
	add_findings(st, 1, s);
	assert_int_equal(store_scan_end(st, s, "complete", &err), 0);
	s = begin(st);		/* running: does not count */
	add_est(st, s, EST_A, "CHU de Démo");
	store_close(st);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
group_setup(void **state)
{
	struct fixture	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vigie-diff-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->db, sizeof(fx->db), "%s/vigie.db", fx->dir);
	snprintf(fx->db1, sizeof(fx->db1), "%s/one.db", fx->dir);
	build_store(fx->db);
	build_store_one_scan(fx->db1);
	*state = fx;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture	*fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* diff_print_lang() into a string; returns its result. */
static int
print(const char *db, int64_t from, int64_t to, const char *lang,
    char **out, struct vg_err *err)
{
	struct store	*st;
	size_t		 len = 0;
	FILE		*fp;
	int		 rc;

	*out = NULL;
	st = store_open(db, true, err);
	assert_non_null(st);
	fp = open_memstream(out, &len);
	assert_non_null(fp);
	if (lang == NULL)
		rc = diff_print(st, from, to, fp, err);
	else
		rc = diff_print_lang(st, from, to, lang, fp, err);
	fclose(fp);
	store_close(st);
	return rc;
}

static void
test_default_compares_last_two_complete_scans(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		*out, *nl;

	assert_int_equal(print(fx->db, 0, 0, NULL, &out, &err), 0);
	/* The dates vary: check the first line's shape, then the rest. */
	assert_true(strncmp(out, "Scan 1 (", 8) == 0);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	assert_non_null(strstr(out, ") -> scan 2 ("));
	assert_true(strstr(out, ") -> scan 2 (") < nl);
	assert_string_equal(nl + 1, golden_en);
	/* Nothing of the running scan 3, nor of C and D. */
	assert_null(strstr(out, "smb-exposed"));
	assert_null(strstr(out, "redis-no-auth"));
	free(out);
}

static void
test_explicit_scans_reverse_the_diff(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		*out;

	assert_int_equal(print(fx->db, 2, 1, NULL, &out, &err), 0);
	assert_true(strncmp(out, "Scan 2 (", 8) == 0);
	assert_non_null(strstr(out, "  + new        medium   ftp-cleartext "
	    "198.51.100.11:21\n"));
	assert_non_null(strstr(out, "  - fixed      critical rdp-no-nla "
	    "198.51.100.10:3389\n"));
	assert_non_null(strstr(out, "Summary: 1 new, 4 fixed, 2 persisting, "
	    "in 2 establishment(s).\n"));
	free(out);
}

static void
test_french_output(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		*out;

	assert_int_equal(print(fx->db, 0, 0, "fr", &out, &err), 0);
	assert_non_null(strstr(out, "  + nouveau    critical rdp-no-nla "));
	assert_non_null(strstr(out, "  - corrigé    medium   ftp-cleartext "));
	assert_non_null(strstr(out, "  = persistant 1\n"));
	assert_non_null(strstr(out, "Bilan\u00a0: 4 nouveau(x), 1 corrigé(s), "
	    "2 persistant(s), dans 2 établissement(s).\n"));
	free(out);
	assert_int_equal(print(fx->db, 0, 0, "de", &out, &err), -1);
	assert_string_equal(err.where, "--lang");
	free(out);
}

static void
test_compute_counts_and_filter(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	struct diff	 d;
	struct vg_err	 err;

	st = store_open(fx->db, true, &err);
	assert_non_null(st);
	assert_int_equal(diff_compute(st, 1, 2, NULL, &d, &err), 0);
	assert_int_equal(d.nnew, 4);
	assert_int_equal(d.nfixed, 1);
	assert_int_equal(d.npersisting, 2);
	assert_int_equal(d.nonly_from, 1);
	assert_int_equal(d.nonly_to, 1);
	assert_int_equal(d.n, 7);
	/* Sorted: establishment, kind, worst first. */
	assert_string_equal(d.v[0].est, EST_A);
	assert_int_equal(d.v[0].kind, DIFF_NEW);
	assert_string_equal(d.v[0].fid, "00000000000000f4");
	assert_int_equal(d.v[0].sev, FP_SEV_CRITICAL);
	diff_fini(&d);

	assert_int_equal(diff_compute(st, 1, 2, EST_B, &d, &err), 0);
	assert_int_equal(d.nnew, 1);
	assert_int_equal(d.nfixed, 0);
	assert_int_equal(d.npersisting, 1);
	assert_int_equal(d.nonly_from + d.nonly_to, 0);
	assert_string_equal(d.v[0].fid, "00000000000000f8");
	diff_fini(&d);

	/* One scan only: nothing to compare, and it says so. */
	assert_int_equal(diff_compute(st, 1, 2, EST_C, &d, &err), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.nonly_to, 1);
	diff_fini(&d);

	assert_int_equal(diff_compute(st, 1, 42, NULL, &d, &err), -1);
	assert_string_equal(err.where, fx->db);
	assert_non_null(strstr(err.msg, "scan 42 not found"));
	store_close(st);
}

static void
test_resolve_picks_complete_scans(void **state)
{
	struct fixture	*fx = *state;
	struct store	*st;
	struct vg_err	 err;
	int64_t		 from = 0, to = 0;

	st = store_open(fx->db, true, &err);
	assert_non_null(st);
	assert_int_equal(diff_resolve(st, &from, &to, &err), 0);
	assert_int_equal(from, 1);
	assert_int_equal(to, 2);
	from = 0;
	to = 3;			/* a running scan, named: allowed */
	assert_int_equal(diff_resolve(st, &from, &to, &err), 0);
	assert_int_equal(from, 2);
	from = 0;
	to = 1;
	assert_int_equal(diff_resolve(st, &from, &to, &err), -1);
	assert_string_equal(err.where, fx->db);
	from = 2;
	to = 2;
	assert_int_equal(diff_resolve(st, &from, &to, &err), -1);
	assert_non_null(strstr(err.msg, "itself"));
	store_close(st);
}

static void
test_needs_two_complete_scans(void **state)
{
	struct fixture	*fx = *state;
	struct vg_err	 err;
	char		*out;

	assert_int_equal(print(fx->db1, 0, 0, NULL, &out, &err), -1);
	assert_string_equal(err.where, fx->db1);
	assert_non_null(strstr(err.msg, "needs two"));
	assert_string_equal(out, "");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_compares_last_two_complete_scans),
		cmocka_unit_test(test_explicit_scans_reverse_the_diff),
		cmocka_unit_test(test_french_output),
		cmocka_unit_test(test_compute_counts_and_filter),
		cmocka_unit_test(test_resolve_picks_complete_scans),
		cmocka_unit_test(test_needs_two_complete_scans),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
