/*
 * test_report_fixture.h - shared by the report tests (test_report_golden,
 * test_summary, test_enrich, test_report_pdf): a scratch directory, the
 * fixed store of tests/data/reports/fixture.sql, and the test MaxMind
 * databases that tests/data/mmdb/make-test-mmdb.pl writes.
 *
 * Static functions, included by each program: the Makefile links one
 * test_*.c per program.  Paths are relative to tests/unit/, where
 * `make check-unit` runs the tests.
 */
#ifndef VIGIE_TEST_REPORT_FIXTURE_H
#define VIGIE_TEST_REPORT_FIXTURE_H

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/report.h"
#include "vigie/store.h"

#define FX_SQL		"../data/reports/fixture.sql"
#define FX_MMDB_SCRIPT	"../data/mmdb/make-test-mmdb.pl"
#define FX_PATH_MAX	512

extern char	**environ;

struct fx {
	char	dir[64];
	char	db[FX_PATH_MAX];
	char	asn[FX_PATH_MAX], country[FX_PATH_MAX];
	bool	have_mmdb;
};

static inline int
fx_rm_entry(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void
fx_rm(const char *dir)
{
	nftw(dir, fx_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A whole file, NUL-terminated; NULL when it cannot be read. */
static inline char *
fx_slurp(const char *path)
{
	FILE	*fp;
	char	*s;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0) {
		fclose(fp);
		return NULL;
	}
	rewind(fp);
	if ((s = malloc((size_t)n + 1)) == NULL ||
	    fread(s, 1, (size_t)n, fp) != (size_t)n) {
		free(s);
		fclose(fp);
		return NULL;
	}
	s[n] = '\0';
	fclose(fp);
	return s;
}

static inline char *
fx_slurp2(const char *dir, const char *name)
{
	char	path[FX_PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fx_slurp(path);
}

/* Run argv[0] (looked up in PATH), stdout and stderr to /dev/null;
 * its exit status, or -1. */
static inline int
fx_spawn(char *const argv[])
{
	posix_spawn_file_actions_t	fa;
	pid_t				pid;
	int				status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A scratch directory with the fixture's store in it (fx->db), and the
 * test MaxMind databases when perl can write them (fx->have_mmdb). */
static inline int
fx_setup(struct fx *fx)
{
	struct store	*st;
	struct vg_err	 err;
	char		*sql, *msg = NULL;
	char		*argv[] = { (char *)(uintptr_t)"perl",
			    (char *)(uintptr_t)FX_MMDB_SCRIPT, fx->dir, NULL };
	int		 rc;

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vigie-report-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/fixture.db", fx->dir);
	if ((st = store_open(fx->db, false, &err)) == NULL) {
		fprintf(stderr, "%s\n", vg_err_str(&err));
		return -1;
	}
	if ((sql = fx_slurp(FX_SQL)) == NULL) {
		fprintf(stderr, "%s: cannot read\n", FX_SQL);
		store_close(st);
		return -1;
	}
	rc = sqlite3_exec(store_sqlite(st), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", FX_SQL, msg != NULL ? msg : "?");
	sqlite3_free(msg);
	free(sql);
	store_close(st);
	if (rc != SQLITE_OK)
		return -1;
	snprintf(fx->asn, sizeof(fx->asn), "%s/test-asn.mmdb", fx->dir);
	snprintf(fx->country, sizeof(fx->country), "%s/test-country.mmdb",
	    fx->dir);
	fx->have_mmdb = fx_spawn(argv) == 0 && access(fx->asn, R_OK) == 0 &&
	    access(fx->country, R_OK) == 0;
	return 0;
}

/* report_write() over the fixture into <dir>/<sub> (out: that path). */
static inline int
fx_report(const struct fx *fx, struct report_opts *o, const char *sub,
    char *out, size_t outlen, struct vg_err *err)
{
	struct store	*st;
	int		 n;

	snprintf(out, outlen, "%s/%s", fx->dir, sub);
	o->outdir = out;
	if ((st = store_open(fx->db, true, err)) == NULL)
		return -1;
	n = report_write(st, o, err);
	store_close(st);
	return n;
}

#endif /* VIGIE_TEST_REPORT_FIXTURE_H */
