/* test_store.c - the SQLite store: round trip, refusals, and damaged
 * files reported, never crashed on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"
#include "vigie/registry.h"
#include "vigie/store.h"

static char	dir[] = "/tmp/vigie-store-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct count {
	int	n;
	char	service[32];
	char	software[64];
};

static void
count_cb(void *arg, const struct vg_addr *a, uint16_t port,
    const char *proto, const struct obs *o)
{
	struct count	*c = arg;

	(void)a;
	(void)proto;
	assert_int_equal(port, 22);
	c->n++;
	snprintf(c->service, sizeof(c->service), "%s", o->service);
	snprintf(c->software, sizeof(c->software), "%s",
	    obs_get(o, "ssh.software"));
}

/* Fills a store with one scan; returns its path in `path`. */
static void
make_store(const char *name, char *path, size_t len)
{
	struct store		*st;
	struct vg_err		 err;
	struct scan_meta	 m = { .mode = "connect", .ports = "22" };
	struct establishment	 e;
	struct vg_cidr		 r;
	struct obs		 o;
	struct finding		 f;
	struct vg_addr		 a;
	int64_t			 scan;
	int			 i;

	snprintf(path, len, "%s/%s", dir, name);
	st = store_open(path, false, &err);
	assert_non_null(st);
	scan = store_scan_begin(st, &m, &err);
	assert_true(scan > 0);
	memset(&e, 0, sizeof(e));
	snprintf(e.id, sizeof(e.id), "750000010");
	e.name = strdup("CHU de Démo");
	cidr_parse("198.51.100.0/24", false, &r);
	e.ranges = &r;
	e.nranges = 1;
	assert_int_equal(store_add_establishment(st, scan, &e, &err), 0);
	addr_parse("198.51.100.10", &a);
	for (i = 0; i < 600; i++)	/* more than a batch */
		assert_int_equal(store_add_port(st, scan, &a,
		    (uint16_t)(1000 + i), "tcp", "closed", &err), 0);
	assert_int_equal(store_add_port(st, scan, &a, 22, "tcp", "open",
	    &err), 0);
	obs_init(&o);
	obs_set_service(&o, "ssh");
	obs_set(&o, "ssh.software", "OpenSSH_9.2p1");
	assert_int_equal(store_add_service(st, scan, &a, 22, "tcp", &o,
	    &err), 0);
	obs_fini(&o);
	memset(&f, 0, sizeof(f));
	f.rule = "ssh-exposed";
	f.severity = FP_SEV_MEDIUM;
	f.addr = a;
	f.port = 22;
	f.proto = "tcp";
	f.evidence = "ssh.software=OpenSSH_9.2p1";
	snprintf(f.fid, sizeof(f.fid), "0123456789abcdef");
	assert_int_equal(store_add_finding(st, scan, "750000010", &f, &err),
	    1);
	/* The same finding twice is stored once. */
	assert_int_equal(store_add_finding(st, scan, "750000010", &f, &err),
	    0);
	/* Judged anew (its host found suspect): updated in place, once. */
	f.confidence = "to-verify";
	f.evidence = "host=répond sur 16 des 16 ports sondés; "
	    "ssh.software=OpenSSH_9.2p1";
	assert_int_equal(store_add_finding(st, scan, "750000010", &f, &err),
	    2);
	assert_int_equal(store_add_finding(st, scan, "750000010", &f, &err),
	    0);
	f.confidence = NULL;
	f.evidence = "ssh.software=OpenSSH_9.2p1";
	assert_int_equal(store_add_finding(st, scan, "750000010", &f, &err),
	    2);
	assert_int_equal(store_scan_end(st, scan, "complete", &err), 0);
	store_close(st);
	free(e.name);
}

static void
test_round_trip(void **state)
{
	struct store	*st;
	struct vg_err	 err;
	struct count	 c = { 0 };
	sqlite3_stmt	*q = NULL;
	char		 path[256];
	int64_t		 ids[4];

	(void)state;
	make_store("a.db", path, sizeof(path));
	st = store_open(path, true, &err);
	assert_non_null(st);
	assert_int_equal(store_last_scans(st, true, ids, 4), 1);
	assert_int_equal(store_each_service(st, ids[0], count_cb, &c, &err),
	    0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.service, "ssh");
	assert_string_equal(c.software, "OpenSSH_9.2p1");
	/* One row for the finding stored, judged anew and back again. */
	assert_int_equal(sqlite3_prepare_v2(store_sqlite(st), "SELECT "
	    "count(*), max(evidence), max(confidence) IS NULL FROM findings",
	    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	assert_string_equal((const char *)sqlite3_column_text(q, 1),
	    "ssh.software=OpenSSH_9.2p1");
	assert_int_equal(sqlite3_column_int(q, 2), 1);
	sqlite3_finalize(q);
	store_close(st);
}

static void
test_refuses_foreign_files(void **state)
{
	struct store	*st;
	struct vg_err	 err;
	sqlite3		*db;
	char		 path[256];
	FILE		*fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/text.db", dir);
	fp = fopen(path, "w");
	fputs("this is not a database, just a text file that is long enough "
	    "to look like something else entirely.........................\n",
	    fp);
	fclose(fp);
	st = store_open(path, false, &err);
	assert_null(st);
	assert_string_equal(err.where, path);
	assert_non_null(strstr(err.msg, "not a Vigie database"));

	snprintf(path, sizeof(path), "%s/other.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE patients(name TEXT)", NULL, NULL, NULL);
	sqlite3_close(db);
	st = store_open(path, false, &err);
	assert_null(st);
	assert_non_null(strstr(err.msg, "not a Vigie database"));

	snprintf(path, sizeof(path), "%s/missing.db", dir);
	assert_null(store_open(path, true, &err));
}

/* Truncate a store at many offsets: each open either works or fails with
 * a message naming the file; nothing crashes. */
static void
test_truncated_files_are_reported(void **state)
{
	struct store	*st;
	struct vg_err	 err;
	char		 path[256], cut[300];
	FILE		*in, *out;
	long		 size, off;
	char		*bytes;
	int		 refused = 0;

	(void)state;
	make_store("t.db", path, sizeof(path));
	in = fopen(path, "rb");
	fseek(in, 0, SEEK_END);
	size = ftell(in);
	rewind(in);
	bytes = malloc((size_t)size);
	assert_int_equal(fread(bytes, 1, (size_t)size, in), (size_t)size);
	fclose(in);
	for (off = 0; off < size; off += size / 23 + 1) {
		snprintf(cut, sizeof(cut), "%s/cut-%ld.db", dir, off);
		out = fopen(cut, "wb");
		fwrite(bytes, 1, (size_t)off, out);
		/* Damage the middle of the kept part, too. */
		fclose(out);
		st = store_open(cut, true, &err);
		if (st == NULL) {
			assert_string_equal(err.where, cut);
			refused++;
		} else {
			int64_t	ids[2];

			(void)store_last_scans(st, false, ids, 2);
			store_close(st);
		}
	}
	assert_true(refused > 0);
	free(bytes);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refuses_foreign_files),
		cmocka_unit_test(test_truncated_files_are_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
