/*
 * store.c - SQLite persistence.
 *
 * WAL mode, synchronous=NORMAL, and one transaction per batch: a killed
 * scan loses at most the batch in flight and leaves a readable database.
 * On open, a file that is not a Vigie store or fails quick_check is
 * refused with a message naming the file.
 *
 * Schema (version 1):
 *   meta(key, value)                    schema version, creator
 *   scans(id, started, finished, status, mode, ports, targets, source,
 *         rules_version, argv, vigie_version)
 *   establishments(scan, id, name, category, region, contact, ranges,
 *         hostnames)
 *   hosts(scan, ip, state, open, closed, filtered)
 *   ports(scan, ip, port, proto, state, ts)
 *   services(scan, ip, port, proto, service, product, version, status,
 *         probe, tls, fields (JSON object), ts)
 *   findings(scan, fid, establishment, ip, port, proto, rule, severity,
 *         confidence, theme, service, title_fr, title_en, advice_fr,
 *         advice_en, evidence, refs, ts)
 *   checkpoints(scan, position, params, updated)   where --resume starts
 */
#include "vigie/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/log.h"
#include "vigie/obs.h"
#include "vigie/registry.h"

#define STORE_BATCH	65536	/* rows per transaction, at most */
#define STORE_APP_ID	0x56494749	/* "VIGI", PRAGMA application_id */

#define STORE_STMTS	16	/* prepared writers kept, by SQL text */

struct store {
	sqlite3		*db;
	/* Writers are prepared once: at a SYN scan's reply rate, preparing
	 * per row costs more than the insert. */
	const char	*stmt_sql[STORE_STMTS];
	sqlite3_stmt	*stmt[STORE_STMTS];
	sqlite3_stmt	*host_ports;	/* store_host_ports() */
	char		*path;
	bool		 readonly;
	bool		 in_tx;
	unsigned	 nrows;		/* rows in the transaction in flight */
};

static const char	schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS scans("
    " id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,"
    " status TEXT NOT NULL, mode TEXT, ports TEXT, targets TEXT,"
    " source TEXT, rules_version TEXT, argv TEXT, vigie_version TEXT);"
    "CREATE TABLE IF NOT EXISTS establishments("
    " scan INTEGER NOT NULL REFERENCES scans(id), id TEXT NOT NULL,"
    " name TEXT, category TEXT, region TEXT, contact TEXT, ranges TEXT,"
    " hostnames TEXT, PRIMARY KEY(scan, id));"
    "CREATE TABLE IF NOT EXISTS hosts("
    " scan INTEGER NOT NULL, ip TEXT NOT NULL, state TEXT NOT NULL,"
    " open INTEGER, closed INTEGER, filtered INTEGER,"
    " PRIMARY KEY(scan, ip));"
    "CREATE TABLE IF NOT EXISTS ports("
    " scan INTEGER NOT NULL, ip TEXT NOT NULL, port INTEGER NOT NULL,"
    " proto TEXT NOT NULL, state TEXT NOT NULL, ts TEXT,"
    " PRIMARY KEY(scan, ip, port, proto));"
    "CREATE TABLE IF NOT EXISTS services("
    " scan INTEGER NOT NULL, ip TEXT NOT NULL, port INTEGER NOT NULL,"
    " proto TEXT NOT NULL, service TEXT, product TEXT, version TEXT,"
    " status TEXT, probe TEXT, tls INTEGER, fields TEXT, ts TEXT,"
    " PRIMARY KEY(scan, ip, port, proto));"
    "CREATE TABLE IF NOT EXISTS findings("
    " scan INTEGER NOT NULL, fid TEXT NOT NULL, establishment TEXT,"
    " ip TEXT, port INTEGER, proto TEXT, rule TEXT NOT NULL,"
    " severity TEXT NOT NULL, confidence TEXT, theme TEXT, service TEXT,"
    " title_fr TEXT, title_en TEXT, advice_fr TEXT, advice_en TEXT,"
    " evidence TEXT, refs TEXT, ts TEXT,"
    " PRIMARY KEY(scan, fid, establishment));"
    "CREATE INDEX IF NOT EXISTS findings_est ON findings(establishment);"
    "CREATE TABLE IF NOT EXISTS checkpoints("
    " scan INTEGER PRIMARY KEY, position INTEGER NOT NULL,"
    " params TEXT NOT NULL, updated TEXT);";

static void
now_iso(char buf[32])
{
	snprintf(buf, 32, "%s", utc_now_iso());
}

static int
db_fail(struct store *st, struct vg_err *err, const char *what)
{
	vg_err_set(err, st->path, "%s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

static int
exec(struct store *st, const char *sql, struct vg_err *err)
{
	char	*msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		vg_err_set(err, st->path, "%s", msg != NULL ? msg :
		    sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* quick_check, reporting its first complaint. */
static int
check_integrity(struct store *st, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	const char	*r;
	int		 rc;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &q, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW)
		goto bad;
	r = (const char *)sqlite3_column_text(q, 0);
	if (r == NULL || strcmp(r, "ok") != 0) {
		vg_err_set(err, st->path, "database is corrupt: %s",
		    r != NULL ? r : "?");
		sqlite3_finalize(q);
		return -1;
	}
	sqlite3_finalize(q);
	return 0;
bad:
	if (rc == SQLITE_NOTADB)
		vg_err_set(err, st->path, "not a Vigie database (not SQLite)");
	else
		vg_err_set(err, st->path, "database is corrupt: %s",
		    sqlite3_errmsg(st->db));
	sqlite3_finalize(q);
	return -1;
}

static int
pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt	*q = NULL;
	int		 rc = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW) {
		*out = sqlite3_column_int(q, 0);
		rc = 0;
	}
	sqlite3_finalize(q);
	return rc;
}

struct store *
store_open(const char *path, bool readonly, struct vg_err *err)
{
	struct store	*st;
	char		 sql[128];
	int		 flags, appid = 0, ntables = 0;

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		vg_err_set(err, path, "out of memory");
		return NULL;
	}
	st->readonly = readonly;
	flags = readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		vg_err_set(err, path, "cannot open: %s",
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_extended_result_codes(st->db, 0);
	if (check_integrity(st, err) == -1)
		goto fail;
	if (pragma_int(st, "PRAGMA application_id", &appid) == -1 ||
	    pragma_int(st, "SELECT count(*) FROM sqlite_master",
	    &ntables) == -1) {
		db_fail(st, err, "cannot read");
		goto fail;
	}
	if (appid != STORE_APP_ID && ntables > 0) {
		vg_err_set(err, path, "not a Vigie database (it holds other "
		    "tables); refusing to touch it");
		goto fail;
	}
	if (appid != STORE_APP_ID && readonly) {
		vg_err_set(err, path, "not a Vigie database (empty)");
		goto fail;
	}
	if (!readonly) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id=%d;"
		    "PRAGMA user_version=%d;", STORE_APP_ID,
		    STORE_SCHEMA_VERSION);
		if (exec(st, "PRAGMA journal_mode=WAL;"
		    "PRAGMA synchronous=NORMAL;", err) == -1 ||
		    exec(st, "BEGIN", err) == -1 ||
		    exec(st, schema, err) == -1 ||
		    exec(st, sql, err) == -1 ||
		    exec(st, "COMMIT", err) == -1)
			goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int	i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_STMTS; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_finalize(st->host_ports);
	if (st->in_tx)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

struct sqlite3 *
store_sqlite(struct store *st)
{
	return st->db;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_flush(struct store *st, struct vg_err *err)
{
	if (!st->in_tx)
		return 0;
	st->in_tx = false;
	st->nrows = 0;
	return exec(st, "COMMIT", err);
}

/* Open a transaction if none, and commit when the batch is full. */
static int
batch_row(struct store *st, struct vg_err *err)
{
	if (!st->in_tx) {
		if (exec(st, "BEGIN", err) == -1)
			return -1;
		st->in_tx = true;
	}
	if (++st->nrows >= STORE_BATCH)
		return store_flush(st, err);
	return 0;
}

/*
 * Run one statement with text/int arguments described by `types`:
 * 's' text (NULL allowed), 'i' int64.
 */
static int
run(struct store *st, struct vg_err *err, const char *sql,
    const char *types, ...)
{
	sqlite3_stmt	*q = NULL;
	va_list		 ap;
	int		 i, rc, slot = -1;
	bool		 cached = false;

	/* The cache is keyed by the SQL's address: callers pass literals. */
	for (i = 0; i < STORE_STMTS && !cached; i++) {
		if (st->stmt_sql[i] == sql) {
			q = st->stmt[i];
			cached = true;
		} else if (st->stmt_sql[i] == NULL && slot == -1) {
			slot = i;
		}
	}
	if (!cached) {
		if (sqlite3_prepare_v3(st->db, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK)
			return db_fail(st, err, "prepare");
		if (slot != -1) {
			st->stmt_sql[slot] = sql;
			st->stmt[slot] = q;
			cached = true;
		}
	}
	va_start(ap, types);
	for (i = 0; types[i] != '\0'; i++) {
		if (types[i] == 's') {
			const char	*v = va_arg(ap, const char *);

			if (v == NULL)
				sqlite3_bind_null(q, i + 1);
			else
				sqlite3_bind_text(q, i + 1, v, -1,
				    SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
		}
	}
	va_end(ap);
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE)
		db_fail(st, err, "write");
	if (cached) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	} else {
		sqlite3_finalize(q);	/* the cache is full */
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t
store_scan_begin(struct store *st, const struct scan_meta *m,
    struct vg_err *err)
{
	char	ts[32];

	now_iso(ts);
	if (store_flush(st, err) == -1 ||
	    run(st, err, "INSERT INTO scans(started, status, mode, ports, "
	    "targets, source, rules_version, argv, vigie_version) "
	    "VALUES(?, 'running', ?, ?, ?, ?, ?, ?, ?)", "ssssssss", ts,
	    m->mode, m->ports, m->targets, m->source, m->rules_version,
	    m->argv, VIGIE_VERSION) == -1)
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

int
store_scan_end(struct store *st, int64_t scan, const char *status,
    struct vg_err *err)
{
	char	ts[32];

	now_iso(ts);
	if (store_flush(st, err) == -1)
		return -1;
	return run(st, err, "UPDATE scans SET finished = ?, status = ? "
	    "WHERE id = ?", "ssi", ts, status, scan);
}

static char *
join_cidrs(const struct establishment *e)
{
	char	*s, c[ADDR_STRLEN + 8];
	size_t	 i, len = 0, cap = e->nranges * sizeof(c) + 1;

	if ((s = malloc(cap)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < e->nranges; i++) {
		cidr_str(&e->ranges[i], c, sizeof(c));
		len += (size_t)snprintf(s + len, cap - len, "%s%s",
		    i > 0 ? " " : "", c);
	}
	return s;
}

static char *
join_words(char **v, size_t n)
{
	char	*s;
	size_t	 i, len = 1, off = 0;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, len - off, "%s%s",
		    i > 0 ? " " : "", v[i]);
	return s;
}

int
store_add_establishment(struct store *st, int64_t scan,
    const struct establishment *e, struct vg_err *err)
{
	char	*ranges = join_cidrs(e), *hosts;
	int	 rc;

	hosts = join_words(e->hostnames, e->nhostnames);
	rc = batch_row(st, err) == -1 ? -1 :
	    run(st, err, "INSERT OR REPLACE INTO establishments(scan, id, "
	    "name, category, region, contact, ranges, hostnames) "
	    "VALUES(?, ?, ?, ?, ?, ?, ?, ?)", "isssssss", scan, e->id,
	    e->name, e->category, e->region, e->contact, ranges, hosts);
	free(ranges);
	free(hosts);
	return rc;
}

/* A port row with `sql`, a literal (the statement cache keys on its
 * address): 1 when a row was written, 0 when none, -1. */
static int
add_port(struct store *st, const char *sql, int64_t scan,
    const struct vg_addr *a, uint16_t port, const char *proto,
    const char *state, struct vg_err *err)
{
	char	ip[ADDR_STRLEN], ts[32];

	now_iso(ts);
	if (batch_row(st, err) == -1 || run(st, err, sql, "isisss", scan,
	    addr_str(a, ip), (int64_t)port, proto, state, ts) == -1)
		return -1;
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

int
store_add_port(struct store *st, int64_t scan, const struct vg_addr *a,
    uint16_t port, const char *proto, const char *state, struct vg_err *err)
{
	return add_port(st, "INSERT OR REPLACE INTO ports(scan, ip, port, "
	    "proto, state, ts) VALUES(?, ?, ?, ?, ?, ?)", scan, a, port, proto,
	    state, err) == -1 ? -1 : 0;
}

int
store_add_port_once(struct store *st, int64_t scan, const struct vg_addr *a,
    uint16_t port, const char *proto, const char *state, struct vg_err *err)
{
	return add_port(st, "INSERT OR IGNORE INTO ports(scan, ip, port, "
	    "proto, state, ts) VALUES(?, ?, ?, ?, ?, ?)", scan, a, port, proto,
	    state, err);
}

int
store_host_ports(struct store *st, int64_t scan, const struct vg_addr *a,
    unsigned *open, unsigned *closed, struct vg_err *err)
{
	sqlite3_stmt	*q = st->host_ports;
	char		 ip[ADDR_STRLEN];
	const char	*state;
	int		 rc;

	*open = *closed = 0;
	if (q == NULL && sqlite3_prepare_v2(st->db, "SELECT state, count(*) "
	    "FROM ports WHERE scan = ? AND ip = ? AND proto = 'tcp' "
	    "GROUP BY state", -1, &st->host_ports, NULL) != SQLITE_OK) {
		vg_err_set(err, st->path, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	q = st->host_ports;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, scan);
	sqlite3_bind_text(q, 2, addr_str(a, ip), -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(q, 0);
		if (state != NULL && strcmp(state, "open") == 0)
			*open += (unsigned)sqlite3_column_int(q, 1);
		else if (state != NULL && strcmp(state, "closed") == 0)
			*closed += (unsigned)sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		vg_err_set(err, st->path, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_add_host(struct store *st, int64_t scan, const struct vg_addr *a,
    const char *state, unsigned open, unsigned closed, unsigned filtered,
    struct vg_err *err)
{
	char	ip[ADDR_STRLEN];

	if (batch_row(st, err) == -1)
		return -1;
	return run(st, err, "INSERT OR REPLACE INTO hosts(scan, ip, state, "
	    "open, closed, filtered) VALUES(?, ?, ?, ?, ?, ?)", "issiii",
	    scan, addr_str(a, ip), state, (int64_t)open, (int64_t)closed,
	    (int64_t)filtered);
}

int
store_add_service(struct store *st, int64_t scan, const struct vg_addr *a,
    uint16_t port, const char *proto, const struct obs *o, struct vg_err *err)
{
	json_t	*fields;
	char	*js, ip[ADDR_STRLEN], ts[32];
	size_t	 i;
	int	 rc;

	if ((fields = json_object()) == NULL) {
		vg_err_set(err, st->path, "out of memory");
		return -1;
	}
	for (i = 0; i < o->n; i++)
		json_object_set_new(fields, o->f[i].key,
		    json_string(o->f[i].val));
	js = json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(fields);
	now_iso(ts);
	rc = batch_row(st, err) == -1 ? -1 :
	    run(st, err, "INSERT OR REPLACE INTO services(scan, ip, port, "
	    "proto, service, product, version, status, probe, tls, fields, "
	    "ts) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "isissssssiss",
	    scan, addr_str(a, ip), (int64_t)port, proto,
	    o->service[0] != '\0' ? o->service : NULL, obs_get(o, "product"),
	    obs_get(o, "version"), obs_status_str(o->status), o->probe,
	    (int64_t)o->tls, js, ts);
	free(js);
	return rc;
}

int
store_add_finding(struct store *st, int64_t scan, const char *est,
    const struct finding *f, struct vg_err *err)
{
	char	ip[ADDR_STRLEN], ts[32];

	now_iso(ts);
	if (batch_row(st, err) == -1)
		return -1;
	if (run(st, err, "INSERT OR IGNORE INTO findings(scan, fid, "
	    "establishment, ip, port, proto, rule, severity, confidence, "
	    "theme, service, title_fr, title_en, advice_fr, advice_en, "
	    "evidence, refs, ts) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", "isssisssssssssssss", scan, f->fid, est,
	    addr_str(&f->addr, ip), (int64_t)f->port, f->proto, f->rule,
	    fp_severity_str(f->severity), f->confidence, f->theme,
	    f->service, f->title_fr, f->title_en, f->advice_fr, f->advice_en,
	    f->evidence, f->references, ts) == -1)
		return -1;
	if (sqlite3_changes(st->db) > 0)
		return 1;
	/* Already there: a resumed scan may judge its host anew (the honeypot
	 * guard sees more of it), which changes confidence and evidence but
	 * not the identity. */
	if (run(st, err, "UPDATE findings SET confidence = ?, evidence = ?, "
	    "ts = ? WHERE scan = ? AND fid = ? AND establishment = ? AND "
	    "(confidence IS NOT ? OR evidence IS NOT ?)", "sssissss",
	    f->confidence, f->evidence, ts, scan, f->fid, est, f->confidence,
	    f->evidence) == -1)
		return -1;
	return sqlite3_changes(st->db) > 0 ? 2 : 0;
}

int
store_checkpoint(struct store *st, int64_t scan, uint64_t position,
    const char *params, struct vg_err *err)
{
	char	ts[32];

	now_iso(ts);
	if (batch_row(st, err) == -1)
		return -1;
	return run(st, err, "INSERT OR REPLACE INTO checkpoints(scan, "
	    "position, params, updated) VALUES(?, ?, ?, ?)", "iiss", scan,
	    (int64_t)position, params, ts);
}

/* Name the first parameter that differs between two JSON objects. */
static void
params_diff(const char *want, const char *have, char *out, size_t len)
{
	json_t		*w = json_loads(want, 0, NULL);
	json_t		*h = json_loads(have, 0, NULL);
	const char	*k;
	json_t		*v;

	snprintf(out, len, "its parameters");
	json_object_foreach(w, k, v) {
		json_t	*hv = json_object_get(h, k);
		char	*a, *b;

		if (hv != NULL && json_equal(v, hv))
			continue;
		a = json_dumps(v, JSON_ENCODE_ANY);
		b = hv != NULL ? json_dumps(hv, JSON_ENCODE_ANY) : NULL;
		snprintf(out, len, "%s: %.200s now, %.200s then", k,
		    a != NULL ? a : "?", b != NULL ? b : "none");
		free(a);
		free(b);
		break;
	}
	json_decref(w);
	json_decref(h);
}

int
store_resume_find(struct store *st, const char *params, int64_t *scan,
    uint64_t *position, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	const char	*have;
	char		 why[512];
	int		 rc = -1;

	if (sqlite3_prepare_v2(st->db, "SELECT s.id, s.status, c.position, "
	    "c.params FROM scans s LEFT JOIN checkpoints c ON c.scan = s.id "
	    "ORDER BY s.id DESC LIMIT 1", -1, &q, NULL) != SQLITE_OK)
		return db_fail(st, err, "read scans");
	if (sqlite3_step(q) != SQLITE_ROW) {
		vg_err_set(err, st->path, "--resume: no scan to resume");
		goto out;
	}
	*scan = sqlite3_column_int64(q, 0);
	if (strcmp((const char *)sqlite3_column_text(q, 1), "complete") ==
	    0) {
		vg_err_set(err, st->path, "--resume: the last scan (%lld) is "
		    "complete; nothing to resume", (long long)*scan);
		goto out;
	}
	have = (const char *)sqlite3_column_text(q, 3);
	if (have == NULL) {
		*position = 0;	/* killed before its first checkpoint */
		rc = 0;
		goto out;
	}
	if (strcmp(have, params) != 0) {
		params_diff(params, have, why, sizeof(why));
		vg_err_set(err, st->path, "--resume: refusing to resume scan "
		    "%lld with other options (%s)", (long long)*scan, why);
		goto out;
	}
	*position = (uint64_t)sqlite3_column_int64(q, 2);
	rc = 0;
out:
	sqlite3_finalize(q);
	return rc;
}

int
store_scan_reopen(struct store *st, int64_t scan, struct vg_err *err)
{
	if (store_flush(st, err) == -1)
		return -1;
	return run(st, err, "UPDATE scans SET status = 'running', finished = "
	    "NULL WHERE id = ?", "i", scan);
}

bool
store_has_port(struct store *st, int64_t scan, const struct vg_addr *a,
    uint16_t port, const char *proto)
{
	sqlite3_stmt	*q = NULL;
	char		 ip[ADDR_STRLEN];
	bool		 found = false;

	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM ports WHERE scan = ? "
	    "AND ip = ? AND port = ? AND proto = ?", -1, &q, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_int64(q, 1, scan);
	sqlite3_bind_text(q, 2, addr_str(a, ip), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 3, port);
	sqlite3_bind_text(q, 4, proto, -1, SQLITE_STATIC);
	found = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return found;
}

int
store_each_unprobed(struct store *st, int64_t scan,
    void (*cb)(void *, const struct vg_addr *, uint16_t), void *arg,
    struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct vg_addr	 a;
	const char	*ip;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT p.ip, p.port FROM ports p "
	    "LEFT JOIN services s ON s.scan = p.scan AND s.ip = p.ip AND "
	    "s.port = p.port AND s.proto = p.proto WHERE p.scan = ? AND "
	    "p.state = 'open' AND s.ip IS NULL", -1, &q, NULL) != SQLITE_OK)
		return db_fail(st, err, "read ports");
	sqlite3_bind_int64(q, 1, scan);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ip = (const char *)sqlite3_column_text(q, 0);
		if (ip != NULL && addr_parse(ip, &a) == 0)
			cb(arg, &a, (uint16_t)sqlite3_column_int(q, 1));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "read ports");
	return 0;
}

size_t
store_last_scans(struct store *st, bool complete_only, int64_t *ids,
    size_t max)
{
	sqlite3_stmt	*q = NULL;
	size_t		 n = 0;

	if (sqlite3_prepare_v2(st->db, complete_only ?
	    "SELECT id FROM scans WHERE status = 'complete' ORDER BY id DESC" :
	    "SELECT id FROM scans ORDER BY id DESC", -1, &q, NULL) !=
	    SQLITE_OK)
		return 0;
	while (n < max && sqlite3_step(q) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

int
store_each_service(struct store *st, int64_t scan,
    void (*cb)(void *, const struct vg_addr *, uint16_t, const char *,
    const struct obs *), void *arg, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct obs	 o;
	struct vg_addr	 a;
	json_t		*fields, *v;
	const char	*k, *s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT ip, port, proto, service, "
	    "status, probe, tls, fields FROM services WHERE scan = ? "
	    "ORDER BY ip, port", -1, &q, NULL) != SQLITE_OK)
		return db_fail(st, err, "read services");
	sqlite3_bind_int64(q, 1, scan);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(q, 0);
		if (s == NULL || addr_parse(s, &a) == -1)
			continue;
		obs_init(&o);
		if ((s = (const char *)sqlite3_column_text(q, 3)) != NULL)
			obs_set_service(&o, s);
		if ((s = (const char *)sqlite3_column_text(q, 4)) != NULL)
			obs_status_parse(s, &o.status);
		if ((s = (const char *)sqlite3_column_text(q, 5)) != NULL)
			snprintf(o.probe, sizeof(o.probe), "%s", s);
		o.tls = sqlite3_column_int(q, 6) != 0;
		s = (const char *)sqlite3_column_text(q, 7);
		fields = s != NULL ? json_loads(s, 0, NULL) : NULL;
		json_object_foreach(fields, k, v)
			if (json_is_string(v))
				obs_set(&o, k, json_string_value(v));
		json_decref(fields);
		cb(arg, &a, (uint16_t)sqlite3_column_int(q, 1),
		    (const char *)sqlite3_column_text(q, 2), &o);
		obs_fini(&o);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "read services");
	return 0;
}

int
store_each_port(struct store *st, int64_t scan,
    void (*cb)(void *, const struct vg_addr *, uint16_t, const char *),
    void *arg, struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	struct vg_addr	 a;
	const char	*ip, *state;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT ip, port, state FROM ports "
	    "WHERE scan = ?", -1, &q, NULL) != SQLITE_OK)
		return db_fail(st, err, "read ports");
	sqlite3_bind_int64(q, 1, scan);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ip = (const char *)sqlite3_column_text(q, 0);
		state = (const char *)sqlite3_column_text(q, 2);
		if (ip != NULL && state != NULL && addr_parse(ip, &a) == 0)
			cb(arg, &a, (uint16_t)sqlite3_column_int(q, 1), state);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "read ports");
	return 0;
}

int
store_finding_counts(struct store *st, int64_t scan,
    void (*cb)(void *, const char *, const char *, unsigned), void *arg,
    struct vg_err *err)
{
	sqlite3_stmt	*q = NULL;
	const char	*est, *sev;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, "SELECT establishment, severity, "
	    "count(*) FROM findings WHERE scan = ? GROUP BY establishment, "
	    "severity", -1, &q, NULL) != SQLITE_OK)
		return db_fail(st, err, "read findings");
	sqlite3_bind_int64(q, 1, scan);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		est = (const char *)sqlite3_column_text(q, 0);
		sev = (const char *)sqlite3_column_text(q, 1);
		if (est != NULL && sev != NULL)
			cb(arg, est, sev, (unsigned)sqlite3_column_int(q, 2));
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "read findings");
	return 0;
}
