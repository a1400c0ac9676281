/*
 * output.c - JSON lines, through jansson so that every string is escaped.
 */
#include "vigie/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "vigie/buf.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/log.h"
#include "vigie/obs.h"

/*
 * Lines wait in memory until the store commits the rows they describe
 * (jsonl_commit): after a kill and --resume, the file holds each result
 * once, like the store.  Past the ceiling, lines are written at once.
 */
#define JSONL_PENDING_MAX	(8u << 20)

struct jsonl {
	FILE		*fp;
	struct buf	 pending;
};

struct jsonl *
jsonl_open(const char *path, struct vg_err *err)
{
	struct jsonl	*j;

	if ((j = calloc(1, sizeof(*j))) == NULL) {
		vg_err_set(err, path, "out of memory");
		return NULL;
	}
	buf_init(&j->pending, JSONL_PENDING_MAX);
	if (strcmp(path, "-") == 0) {
		j->fp = stdout;
	} else if ((j->fp = fopen(path, "a")) == NULL) {
		vg_err_set(err, path, "cannot open: %s", strerror(errno));
		free(j);
		return NULL;
	}
	return j;
}

void
jsonl_commit(struct jsonl *j)
{
	if (j == NULL || j->pending.len == 0)
		return;
	fwrite(j->pending.data, 1, j->pending.len, j->fp);
	fflush(j->fp);
	buf_reset(&j->pending);
}

void
jsonl_close(struct jsonl *j)
{
	if (j == NULL)
		return;
	buf_fini(&j->pending);
	if (j->fp != stdout)
		fclose(j->fp);
	else
		fflush(j->fp);
	free(j);
}

/* Writes and frees the object. */
static void
emit(struct jsonl *j, json_t *o)
{
	char		*s;

	if (j == NULL || o == NULL) {
		json_decref(o);
		return;
	}
	json_object_set_new(o, "ts", json_string(utc_now_iso()));
	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL) {
		if (buf_add_str(&j->pending, s) == -1 ||
		    buf_add(&j->pending, "\n", 1) == -1) {
			jsonl_commit(j);
			fputs(s, j->fp);
			fputc('\n', j->fp);
			fflush(j->fp);
		}
		free(s);
	}
	json_decref(o);
}

static json_t *
event(const char *type, const struct vg_addr *a, int port, const char *proto)
{
	json_t	*o = json_object();
	char	 ip[ADDR_STRLEN];

	json_object_set_new(o, "type", json_string(type));
	if (a != NULL)
		json_object_set_new(o, "ip", json_string(addr_str(a, ip)));
	if (port >= 0)
		json_object_set_new(o, "port", json_integer(port));
	if (proto != NULL)
		json_object_set_new(o, "proto", json_string(proto));
	return o;
}

void
jsonl_scan(struct jsonl *j, int64_t scan, const char *status)
{
	json_t	*o = event("scan", NULL, -1, NULL);

	json_object_set_new(o, "scan", json_integer(scan));
	json_object_set_new(o, "status", json_string(status));
	emit(j, o);
}

void
jsonl_port(struct jsonl *j, const struct vg_addr *a, uint16_t port,
    const char *proto, const char *state)
{
	char	ip[ADDR_STRLEN], line[160];
	int	n;

	if (j == NULL)
		return;
	/* The busiest event (one per answer of a SYN sweep), written
	 * without building a JSON tree: every field is plain ASCII (an
	 * address, a number, and our own constant strings). */
	n = snprintf(line, sizeof(line), "{\"type\":\"port\",\"ip\":\"%s\","
	    "\"port\":%u,\"proto\":\"%s\",\"state\":\"%s\",\"ts\":\"%s\"}\n",
	    addr_str(a, ip), (unsigned)port, proto, state, utc_now_iso());
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (buf_add(&j->pending, line, (size_t)n) == -1) {
		jsonl_commit(j);
		fwrite(line, 1, (size_t)n, j->fp);
		fflush(j->fp);
	}
}

size_t
jsonl_pending(const struct jsonl *j)
{
	return j != NULL ? j->pending.len : 0;
}

void
jsonl_host(struct jsonl *j, const struct vg_addr *a, const char *state,
    unsigned open, unsigned closed, unsigned filtered)
{
	json_t	*o = event("host", a, -1, NULL);

	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "open", json_integer(open));
	json_object_set_new(o, "closed", json_integer(closed));
	json_object_set_new(o, "filtered", json_integer(filtered));
	emit(j, o);
}

void
jsonl_service(struct jsonl *j, const struct vg_addr *a, uint16_t port,
    const char *proto, const struct obs *ob)
{
	json_t		*o = event("service", a, port, proto), *f;
	const char	*v;
	size_t		 i;

	json_object_set_new(o, "service", ob->service[0] != '\0' ?
	    json_string(ob->service) : json_null());
	json_object_set_new(o, "product", (v = obs_get(ob, "product")) !=
	    NULL ? json_string(v) : json_null());
	json_object_set_new(o, "version", (v = obs_get(ob, "version")) !=
	    NULL ? json_string(v) : json_null());
	json_object_set_new(o, "status", json_string(obs_status_str(
	    ob->status)));
	json_object_set_new(o, "probe", json_string(ob->probe));
	json_object_set_new(o, "tls", json_boolean(ob->tls));
	f = json_object();
	for (i = 0; i < ob->n; i++)
		json_object_set_new(f, ob->f[i].key, json_string(ob->f[i].val));
	json_object_set_new(o, "fields", f);
	emit(j, o);
}

void
jsonl_finding(struct jsonl *j, const char *est, const struct finding *fd)
{
	json_t	*o = event("finding", &fd->addr, fd->port, fd->proto), *refs;
	char	 word[512];
	const char *p;
	size_t	 n;

	json_object_set_new(o, "rule", json_string(fd->rule));
	json_object_set_new(o, "severity",
	    json_string(fp_severity_str(fd->severity)));
	json_object_set_new(o, "confidence", fd->confidence != NULL ?
	    json_string(fd->confidence) : json_null());
	json_object_set_new(o, "establishment", json_string(est));
	json_object_set_new(o, "service", fd->service != NULL ?
	    json_string(fd->service) : json_null());
	json_object_set_new(o, "id", json_string(fd->fid));
	json_object_set_new(o, "theme", fd->theme != NULL ?
	    json_string(fd->theme) : json_null());
	json_object_set_new(o, "title", fd->title_fr != NULL ?
	    json_string(fd->title_fr) : json_null());
	json_object_set_new(o, "evidence", fd->evidence != NULL ?
	    json_string(fd->evidence) : json_null());
	json_object_set_new(o, "remediation", fd->advice_fr != NULL ?
	    json_string(fd->advice_fr) : json_null());
	refs = json_array();
	for (p = fd->references != NULL ? fd->references : ""; *p != '\0';) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n > 0 && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			json_array_append_new(refs, json_string(word));
		}
		p += n;
	}
	json_object_set_new(o, "references", refs);
	emit(j, o);
}
