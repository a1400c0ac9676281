/*
 * fmt_json.c - one JSON document per establishment (<id>.json) and an
 * index (index.json), for machines: the CERT's tooling, a ticketing
 * system.  The per-establishment document has "schema": "vigie-report/1";
 * keys are only ever added to it, never renamed.
 *
 * Strings go through esc_json_str(), which turns invalid UTF-8 into
 * U+FFFD: jansson refuses it, and a hostile banner must not make a field
 * vanish.  The scan's targets stay out of the per-establishment files:
 * with --target they may list other establishments' ranges.
 */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vigie/err.h"
#include "vigie/store.h"

#define JSON_SCHEMA		"vigie-report/1"
#define JSON_INDEX_SCHEMA	"vigie-report-index/1"
#define JSON_INDEX_FILE		"index.json"
#define JSON_FLAGS		(JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static const char *const sev_keys[REPORT_NSEV] = {
	[FP_SEV_INFO] = "info",
	[FP_SEV_LOW] = "low",
	[FP_SEV_MEDIUM] = "medium",
	[FP_SEV_HIGH] = "high",
	[FP_SEV_CRITICAL] = "critical",
};

/* Set o[key] = v, noting a failure (v NULL: out of memory) in *ok. */
static void
put(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		*ok = false;
}

static void
put_str(json_t *o, const char *key, const char *s, bool *ok)
{
	put(o, key, esc_json_str(s), ok);
}

static void
put_int(json_t *o, const char *key, json_int_t v, bool *ok)
{
	put(o, key, json_integer(v), ok);
}

static void
append(json_t *a, json_t *v, bool *ok)
{
	if (v == NULL || json_array_append_new(a, v) == -1)
		*ok = false;
}

/* "a b c" as ["a", "b", "c"]. */
static json_t *
words(const char *s, bool *ok)
{
	json_t	*a;
	char	 w[REPORT_WORD_MAX];

	if ((a = json_array()) == NULL) {
		*ok = false;
		return NULL;
	}
	while ((s = rep_word(s, w, sizeof(w))) != NULL)
		append(a, esc_json_str(w), ok);
	return a;
}

static json_t *
counts_obj(const size_t counts[REPORT_NSEV], bool *ok)
{
	json_t	*o;
	int	 s;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	for (s = FP_SEV_CRITICAL; s >= FP_SEV_INFO; s--)
		put_int(o, sev_keys[s], (json_int_t)counts[s], ok);
	return o;
}

static json_t *
scan_obj(const struct rep_scan *sc, bool with_targets, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_int(o, "id", sc->id, ok);
	put_str(o, "started", sc->started, ok);
	put_str(o, "finished", sc->finished, ok);
	put_str(o, "status", sc->status, ok);
	put(o, "complete", json_boolean(sc->complete), ok);
	/* True when no scan was complete and this is the last of any. */
	put(o, "fallback", json_boolean(sc->fallback), ok);
	put_str(o, "mode", sc->mode, ok);
	put_str(o, "ports", sc->ports, ok);
	if (with_targets)
		put_str(o, "targets", sc->targets, ok);
	put_str(o, "source", sc->source, ok);
	put_str(o, "rules_version", sc->rules_version, ok);
	put_str(o, "vigie_version", sc->vigie_version, ok);
	return o;
}

/* What the --mmdb databases say of an address; null when nothing. */
static json_t *
geo_obj(const struct rep_geo *g, bool *ok)
{
	json_t	*o;

	if (g->country == NULL && g->asn == 0 && g->org == NULL)
		return json_null();
	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "country", g->country, ok);
	put_str(o, "country_name", g->country_name, ok);
	put(o, "asn", g->asn != 0 ? json_integer(g->asn) : json_null(), ok);
	put_str(o, "org", g->org, ok);
	return o;
}

static json_t *
host_obj(const struct rep_host *h, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "ip", h->ip, ok);
	put_str(o, "state", h->state, ok);
	if (h->state != NULL) {
		put_int(o, "open", h->open, ok);
		put_int(o, "closed", h->closed, ok);
		put_int(o, "filtered", h->filtered, ok);
	}
	put(o, "geo", geo_obj(&h->geo, ok), ok);
	return o;
}

static json_t *
port_obj(const struct rep_port *p, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "ip", p->ip, ok);
	put_int(o, "port", p->port, ok);
	put_str(o, "proto", p->proto, ok);
	put_str(o, "state", p->state, ok);
	put_str(o, "ts", p->ts, ok);
	return o;
}

static json_t *
service_obj(const struct rep_service *s, bool *ok)
{
	json_t	*o, *fields = NULL;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "ip", s->ip, ok);
	put_int(o, "port", s->port, ok);
	put_str(o, "proto", s->proto, ok);
	put_str(o, "service", s->service, ok);
	put_str(o, "product", s->product, ok);
	put_str(o, "version", s->version, ok);
	put_str(o, "status", s->status, ok);
	put_str(o, "probe", s->probe, ok);
	put(o, "tls", json_boolean(s->tls), ok);
	if (s->fields != NULL)
		fields = json_loads(s->fields, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(fields)) {
		put(o, "fields", fields, ok);
	} else {
		/* Not what the store writes: keep the text, as text. */
		json_decref(fields);
		put(o, "fields", json_object(), ok);
		if (s->fields != NULL)
			put_str(o, "fields_raw", s->fields, ok);
	}
	put_str(o, "ts", s->ts, ok);
	return o;
}

static json_t *
finding_obj(const struct rep_finding *f, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_int(o, "scan", f->scan, ok);
	put_str(o, "fid", f->fid, ok);
	put_str(o, "establishment", f->establishment, ok);
	put_str(o, "ip", f->ip, ok);
	put_int(o, "port", f->port, ok);
	put_str(o, "proto", f->proto, ok);
	put_str(o, "rule", f->rule, ok);
	put_str(o, "severity", f->severity, ok);
	put_str(o, "confidence", f->confidence, ok);
	put_str(o, "theme", f->theme, ok);
	put_str(o, "service", f->service, ok);
	put_str(o, "title_fr", f->title_fr, ok);
	put_str(o, "title_en", f->title_en, ok);
	put_str(o, "advice_fr", f->advice_fr, ok);
	put_str(o, "advice_en", f->advice_en, ok);
	put_str(o, "evidence", f->evidence, ok);
	put_str(o, "refs", f->refs, ok);
	put_str(o, "ts", f->ts, ok);
	/* Since when (the scan's start) it has been seen, in its current
	 * run of scans; whether it came back after a fix. */
	put_str(o, "first_seen", f->since, ok);
	put(o, "reappeared", json_boolean(f->reappeared), ok);
	put(o, "geo", f->has_addr ? geo_obj(&f->geo, ok) : json_null(), ok);
	return o;
}

static json_t *
change_obj(const struct diff_item *it, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "fid", it->fid, ok);
	put_str(o, "rule", it->rule, ok);
	put_str(o, "severity", it->severity, ok);
	put_str(o, "ip", it->ip, ok);
	put_int(o, "port", it->port, ok);
	put_str(o, "proto", it->proto, ok);
	put_str(o, "title_fr", it->title_fr, ok);
	put_str(o, "title_en", it->title_en, ok);
	if (it->kind == DIFF_NEW)
		put(o, "reappeared", json_boolean(it->reappeared), ok);
	return o;
}

static json_t *
changes_obj(const struct diff *d, bool *ok)
{
	json_t	*o, *added, *fixed;
	size_t	 i;

	if (d == NULL)
		return json_null();
	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_int(o, "previous_scan", d->from, ok);
	put_str(o, "previous_started", d->from_started, ok);
	added = json_array();
	fixed = json_array();
	for (i = 0; i < d->n && added != NULL && fixed != NULL; i++) {
		if (d->v[i].kind == DIFF_NEW)
			append(added, change_obj(&d->v[i], ok), ok);
		else if (d->v[i].kind == DIFF_FIXED)
			append(fixed, change_obj(&d->v[i], ok), ok);
	}
	put(o, "new", added, ok);
	put(o, "fixed", fixed, ok);
	put_int(o, "persisting", (json_int_t)d->npersisting, ok);
	return o;
}

static json_t *
trend_arr(const struct rep_est *e, bool *ok)
{
	json_t	*a, *o;
	size_t	 i;

	if ((a = json_array()) == NULL) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < e->ntrend; i++) {
		if ((o = json_object()) == NULL) {
			*ok = false;
			break;
		}
		put_int(o, "scan", e->trend[i].scan, ok);
		put_str(o, "started", e->trend[i].started, ok);
		put(o, "counts", counts_obj(e->trend[i].counts, ok), ok);
		append(a, o, ok);
	}
	return a;
}

/* Which --mmdb databases gave the geo fields: [] without. */
static json_t *
enrich_arr(const struct enrich *en, bool *ok)
{
	const struct enrich_info	*in;
	json_t				*a, *o;
	size_t				 i;

	if ((a = json_array()) == NULL) {
		*ok = false;
		return NULL;
	}
	for (i = 0; i < enrich_count(en); i++) {
		in = enrich_info_at(en, i);
		if ((o = json_object()) == NULL) {
			*ok = false;
			break;
		}
		put_str(o, "database_type", in->type, ok);
		put_int(o, "build_epoch", (json_int_t)in->build_epoch, ok);
		put_str(o, "build", in->build, ok);
		append(a, o, ok);
	}
	return a;
}

static json_t *
est_obj(const struct rep_est *e, bool *ok)
{
	json_t	*o;

	if ((o = json_object()) == NULL) {
		*ok = false;
		return NULL;
	}
	put_str(o, "id", e->id, ok);
	put_str(o, "name", e->name, ok);
	put_str(o, "category", e->category, ok);
	put_str(o, "region", e->region, ok);
	put_str(o, "contact", e->contact, ok);
	put(o, "ranges", words(e->ranges, ok), ok);
	put(o, "hostnames", words(e->hostnames, ok), ok);
	return o;
}

/* Write a document to `name` in the output directory. */
static int
dump(struct report_ctx *ctx, const char *name, json_t *doc, bool ok,
    struct vg_err *err)
{
	if (!ok || doc == NULL) {
		vg_err_set(err, store_path(ctx->store), "out of memory");
		return -1;
	}
	if (rep_out_open(ctx, name, err) == -1)
		return -1;
	if (json_dumpf(doc, ctx->out, JSON_FLAGS) == -1) {
		vg_err_set(err, ctx->out_tmp, "write error");
		rep_out_abort(ctx);
		return -1;
	}
	fputc('\n', ctx->out);
	return rep_out_commit(ctx, err);
}

static int
json_establishment(struct report_ctx *ctx, const struct rep_est *e,
    struct vg_err *err)
{
	json_t	*doc, *exp, *a;
	char	 name[96];
	size_t	 i;
	bool	 ok = true;
	int	 rc;

	if ((doc = json_object()) == NULL) {
		vg_err_set(err, store_path(ctx->store), "out of memory");
		return -1;
	}
	put_str(doc, "schema", JSON_SCHEMA, &ok);
	put_str(doc, "generator", "vigie " VIGIE_VERSION, &ok);
	put_str(doc, "lang", ctx->cat->lang, &ok);
	put(doc, "establishment", est_obj(e, &ok), &ok);
	put(doc, "scan", scan_obj(&ctx->scan, false, &ok), &ok);
	if ((exp = json_object()) != NULL) {
		put_str(exp, "level", rep_level_key(e->worst), &ok);
		put_int(exp, "findings", (json_int_t)e->nfindings, &ok);
		put(exp, "counts", counts_obj(e->counts, &ok), &ok);
	}
	put(doc, "exposure", exp, &ok);
	put(doc, "changes", changes_obj(e->diff, &ok), &ok);
	put(doc, "trend", trend_arr(e, &ok), &ok);
	put(doc, "enrichment", enrich_arr(ctx->enrich, &ok), &ok);

	if ((a = json_array()) != NULL)
		for (i = 0; i < e->nhosts; i++)
			append(a, host_obj(e->hosts[i], &ok), &ok);
	put(doc, "hosts", a, &ok);
	if ((a = json_array()) != NULL)
		for (i = 0; i < e->nports; i++)
			append(a, port_obj(e->ports[i], &ok), &ok);
	put(doc, "ports", a, &ok);
	if ((a = json_array()) != NULL)
		for (i = 0; i < e->nservices; i++)
			append(a, service_obj(e->services[i], &ok), &ok);
	put(doc, "services", a, &ok);
	if ((a = json_array()) != NULL)
		for (i = 0; i < e->nfindings; i++)
			append(a, finding_obj(&e->findings[i], &ok), &ok);
	put(doc, "findings", a, &ok);

	snprintf(name, sizeof(name), "%s.json", e->id);
	rc = dump(ctx, name, doc, ok, err);
	json_decref(doc);
	return rc;
}

static int
json_end(struct report_ctx *ctx, struct vg_err *err)
{
	const struct rep_index_row	*r;
	json_t				*doc, *a, *o;
	char				 file[96];
	size_t				 i;
	bool				 ok = true;
	int				 rc;

	if ((doc = json_object()) == NULL) {
		vg_err_set(err, store_path(ctx->store), "out of memory");
		return -1;
	}
	put_str(doc, "schema", JSON_INDEX_SCHEMA, &ok);
	put_str(doc, "generator", "vigie " VIGIE_VERSION, &ok);
	put(doc, "scan", scan_obj(&ctx->scan, true, &ok), &ok);
	put(doc, "enrichment", enrich_arr(ctx->enrich, &ok), &ok);
	if ((a = json_array()) != NULL) {
		for (i = 0; i < ctx->nindex; i++) {
			r = &ctx->index[i];
			if ((o = json_object()) == NULL) {
				ok = false;
				break;
			}
			put_str(o, "id", r->id, &ok);
			put_str(o, "name", r->name, &ok);
			put_str(o, "category", r->category, &ok);
			put_str(o, "region", r->region, &ok);
			put_str(o, "level", rep_level_key(r->worst), &ok);
			put(o, "counts", counts_obj(r->counts, &ok), &ok);
			put_int(o, "hosts", (json_int_t)r->nhosts, &ok);
			put_int(o, "services", (json_int_t)r->nservices, &ok);
			snprintf(file, sizeof(file), "%s.json", r->id);
			put_str(o, "file", file, &ok);
			append(a, o, &ok);
		}
	}
	put(doc, "establishments", a, &ok);
	rc = dump(ctx, JSON_INDEX_FILE, doc, ok, err);
	json_decref(doc);
	return rc;
}

const struct report_format report_fmt_json = {
	.name		= "json",
	.ext		= "json",
	.establishment	= json_establishment,
	.end		= json_end,
};
