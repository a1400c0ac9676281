/*
 * enrich.c - country, autonomous system and organisation of an address,
 * from MaxMind DB files (https://maxmind.github.io/MaxMind-DB/) read
 * with libmaxminddb: GeoLite2-Country/City or GeoIP2 for the country,
 * GeoLite2-ASN for the AS, or any database with the same keys.
 *
 * Several files may be given (a country one and an ASN one, as MaxMind
 * ships them): each lookup asks them all, and the first that knows a
 * field gives it.  The reports say which builds were used, from each
 * file's metadata (database_type, build_epoch), because a country or an
 * AS is only true as of the database's date.
 *
 * What a database holds is input like any other: strings are copied
 * bounded and invalid UTF-8 is left to the writers' escapers.
 */
#include "report_internal.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <maxminddb.h>

#include "vigie/err.h"

#define ENRICH_DB_MAX	REPORT_MMDB_MAX
#define ENRICH_STR_MAX	256	/* bytes kept of a database string */

struct enrich_db {
	MMDB_s			mmdb;
	struct enrich_info	info;
};

struct enrich {
	struct enrich_db	db[ENRICH_DB_MAX];
	size_t			n;
};

void
enrich_free(struct enrich *e)
{
	size_t	i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++)
		MMDB_close(&e->db[i].mmdb);
	free(e);
}

struct enrich *
enrich_open(const char *const *paths, size_t n, struct vg_err *err)
{
	struct enrich		*e;
	struct enrich_db	*d;
	struct tm		 tm;
	time_t			 t;
	size_t			 i;
	int			 rc;

	if (n > ENRICH_DB_MAX) {
		vg_err_set(err, "--mmdb", "at most %d databases",
		    ENRICH_DB_MAX);
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		vg_err_set(err, "--mmdb", "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		d = &e->db[i];
		if ((rc = MMDB_open(paths[i], MMDB_MODE_MMAP, &d->mmdb)) !=
		    MMDB_SUCCESS) {
			vg_err_set(err, paths[i], "cannot read as a MaxMind "
			    "database: %s", MMDB_strerror(rc));
			enrich_free(e);
			return NULL;
		}
		e->n++;
		d->info.file = paths[i];
		d->info.type = d->mmdb.metadata.database_type != NULL ?
		    d->mmdb.metadata.database_type : "";
		d->info.build_epoch = d->mmdb.metadata.build_epoch;
		t = (time_t)d->info.build_epoch;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(d->info.build, sizeof(d->info.build),
		    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			d->info.build[0] = '\0';
	}
	return e;
}

size_t
enrich_count(const struct enrich *e)
{
	return e != NULL ? e->n : 0;
}

const struct enrich_info *
enrich_info_at(const struct enrich *e, size_t i)
{
	return e != NULL && i < e->n ? &e->db[i].info : NULL;
}

/* A string at the path, copied into the pool; NULL when absent. */
static const char *
get_str(MMDB_entry_s *entry, struct rep_pool *pool, const char *const *path)
{
	MMDB_entry_data_s	 data;
	char			 buf[ENRICH_STR_MAX + 1];
	size_t			 len;

	if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS ||
	    !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING)
		return NULL;
	len = data.data_size < ENRICH_STR_MAX ? data.data_size :
	    ENRICH_STR_MAX;
	memcpy(buf, data.utf8_string, len);
	buf[len] = '\0';
	/* A NUL inside the string would cut it: what precedes is kept. */
	if (buf[0] == '\0')
		return NULL;
	return rep_pool_strdup(pool, buf);
}

static uint32_t
get_u32(MMDB_entry_s *entry, const char *const *path)
{
	MMDB_entry_data_s	data;

	if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS ||
	    !data.has_data)
		return 0;
	switch (data.type) {
	case MMDB_DATA_TYPE_UINT16:
		return data.uint16;
	case MMDB_DATA_TYPE_UINT32:
		return data.uint32;
	default:
		return 0;
	}
}

/* The country of an entry: where the address is, else where its block
 * is registered. */
static void
get_country(MMDB_entry_s *entry, const char *lang, struct rep_pool *pool,
    struct rep_geo *g)
{
	static const char *const	 where[] = { "country",
					     "registered_country" };
	const char			*path[4];
	size_t				 i;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		path[0] = where[i];
		path[1] = "iso_code";
		path[2] = NULL;
		if ((g->country = get_str(entry, pool, path)) == NULL)
			continue;
		path[1] = "names";
		path[2] = lang;
		path[3] = NULL;
		if ((g->country_name = get_str(entry, pool, path)) == NULL) {
			path[2] = "en";
			g->country_name = get_str(entry, pool, path);
		}
		return;
	}
}

int
enrich_lookup(const struct enrich *e, const struct vg_addr *a,
    const char *lang, struct rep_pool *pool, struct rep_geo *g)
{
	static const char *const	 asn_path[] = {
					    "autonomous_system_number", NULL };
	static const char *const	 org_path[] = {
					    "autonomous_system_organization",
					    NULL };
	MMDB_lookup_result_s		 r;
	struct sockaddr_storage		 ss;
	struct sockaddr_in		*sin;
	struct sockaddr_in6		*sin6;
	struct rep_geo			 one;
	size_t				 i;
	int				 mmerr, found = 0;

	memset(g, 0, sizeof(*g));
	if (e == NULL || e->n == 0)
		return 0;
	memset(&ss, 0, sizeof(ss));
	if (a->family == 4) {
		sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->a, 4);
	} else {
		sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->a, 16);
	}
	for (i = 0; i < e->n; i++) {
		/* libmaxminddb takes a non-const MMDB_s, but only reads. */
		r = MMDB_lookup_sockaddr((MMDB_s *)(uintptr_t)&e->db[i].mmdb,
		    (const struct sockaddr *)&ss, &mmerr);
		if (mmerr != MMDB_SUCCESS || !r.found_entry)
			continue;
		found = 1;
		memset(&one, 0, sizeof(one));
		get_country(&r.entry, lang, pool, &one);
		one.asn = get_u32(&r.entry, asn_path);
		one.org = get_str(&r.entry, pool, org_path);
		if (g->country == NULL) {
			g->country = one.country;
			g->country_name = one.country_name;
		}
		if (g->asn == 0)
			g->asn = one.asn;
		if (g->org == NULL)
			g->org = one.org;
	}
	return rep_pool_ok(pool) ? found : -1;
}
