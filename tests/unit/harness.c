/*
 * harness.c - drive a probe module over recorded bytes (see harness.h).
 */
#include "harness.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/buffer.h>

#include "probes/probe_internal.h"

#define HARNESS_FILE_MAX	(1024 * 1024)
#define HARNESS_PATH_MAX	512

static const size_t	harness_chunks[] = { HARNESS_WHOLE, 1, 2, 3, 7, 64 };

static void
harness_copy_obs(struct obs *to, const struct obs *from)
{
	obs_init(to);
	memcpy(to->service, from->service, sizeof(to->service));
	memcpy(to->probe, from->probe, sizeof(to->probe));
	to->status = from->status;
	to->tls = from->tls;
	obs_merge(to, from);
}

enum probe_status
harness_run_io(const struct probe *mod, const char *ip, uint16_t port,
    const uint8_t *server, size_t len, size_t chunk, struct obs *out,
    struct buf *written)
{
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st = PROBE_MORE;
	size_t			 off = 0, n;
	bool			 over = false;

	if ((s = probe_session_fake_new(mod, ip, port)) == NULL)
		fail_msg("%s: cannot make a fake session for %s", mod->name,
		    ip);
	if ((in = evbuffer_new()) == NULL)
		fail_msg("evbuffer_new failed");
	if (mod->start != NULL && mod->start(s) == -1)
		fail_msg("%s: start() failed", mod->name);

	while (off < len && st == PROBE_MORE) {
		n = chunk == HARNESS_WHOLE || chunk > len - off ? len - off :
		    chunk;
		if (evbuffer_add(in, server + off, n) == -1)
			fail_msg("evbuffer_add failed");
		off += n;
		/* The runtime's read budget (probes/probe.c): bytes consumed
		 * plus bytes waiting. */
		s->nread += evbuffer_get_length(in);
		if (s->nread > mod->read_max) {
			over = true;
			break;
		}
		st = mod->on_read(s, in);
		s->nread -= evbuffer_get_length(in);
	}
	if (st == PROBE_MORE && mod->on_eof != NULL)
		mod->on_eof(s, in);
	if (over)
		obs_set(&s->obs, "probe.truncated", "yes");

	switch (st) {
	case PROBE_DONE:
		s->obs.status = OBS_OK;
		break;
	case PROBE_MISMATCH:
		s->obs.status = OBS_MISMATCH;
		break;
	case PROBE_MORE:
	case PROBE_STARTTLS:
	default:
		s->obs.status = s->obs.service[0] != '\0' ? OBS_OK :
		    s->obs.n > 0 || len > 0 ? OBS_PARTIAL : OBS_NO_ANSWER;
		break;
	}
	harness_copy_obs(out, &s->obs);
	if (written != NULL && (n = evbuffer_get_length(s->out)) > 0 &&
	    buf_add(written, evbuffer_pullup(s->out, -1), n) == -1)
		fail_msg("written bytes over the buffer's ceiling");
	evbuffer_free(in);
	probe_session_fake_free(s);
	return st;
}

enum probe_status
harness_run(const struct probe *mod, const char *ip, uint16_t port,
    const uint8_t *server, size_t len, size_t chunk, struct obs *out)
{
	return harness_run_io(mod, ip, port, server, len, chunk, out, NULL);
}

int
harness_obs_equal(const struct obs *a, const struct obs *b)
{
	const char	*v;
	size_t		 i;

	if (strcmp(a->service, b->service) != 0 || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		v = obs_get(b, a->f[i].key);
		if (v == NULL || strcmp(v, a->f[i].val) != 0)
			return 0;
	}
	return 1;
}

static void
harness_print_obs(const char *what, const struct obs *o)
{
	size_t	i;

	fprintf(stderr, "%s: service \"%s\"\n", what, o->service);
	for (i = 0; i < o->n; i++)
		fprintf(stderr, "  %s = %s\n", o->f[i].key, o->f[i].val);
}

enum probe_status
harness_run_chunks(const struct probe *mod, const char *ip, uint16_t port,
    const uint8_t *server, size_t len, struct obs *out, struct buf *written)
{
	struct obs		 o;
	struct buf		 w0, w;
	enum probe_status	 st0, st;
	size_t			 i;

	buf_init(&w0, 1024 * 1024);
	st0 = harness_run_io(mod, ip, port, server, len, HARNESS_WHOLE, out,
	    &w0);
	for (i = 1; i < sizeof(harness_chunks) / sizeof(harness_chunks[0]);
	    i++) {
		buf_init(&w, 1024 * 1024);
		st = harness_run_io(mod, ip, port, server, len,
		    harness_chunks[i], &o, &w);
		if (st != st0 || !harness_obs_equal(out, &o) ||
		    !harness_obs_equal(&o, out) || w.len != w0.len ||
		    (w.len > 0 && memcmp(w.data, w0.data, w.len) != 0)) {
			harness_print_obs("whole", out);
			harness_print_obs("chunked", &o);
			fail_msg("%s: %zu-byte reads differ from one read "
			    "(status %d vs %d, wrote %zu vs %zu bytes)",
			    mod->name, harness_chunks[i], st, st0, w.len,
			    w0.len);
		}
		obs_fini(&o);
		buf_fini(&w);
	}
	if (written != NULL && w0.len > 0 &&
	    buf_add(written, w0.data, w0.len) == -1)
		fail_msg("written bytes over the buffer's ceiling");
	buf_fini(&w0);
	return st0;
}

uint8_t *
harness_load_file(const char *path, size_t *lenp)
{
	FILE	*fp;
	uint8_t	*data;
	size_t	 n;

	*lenp = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		fail_msg("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((data = malloc(HARNESS_FILE_MAX)) == NULL) {
		fclose(fp);
		fail_msg("%s: out of memory", path);
		return NULL;
	}
	n = fread(data, 1, HARNESS_FILE_MAX, fp);
	if (ferror(fp) || n == HARNESS_FILE_MAX) {
		fclose(fp);
		free(data);
		fail_msg("%s: read error or larger than %d bytes", path,
		    HARNESS_FILE_MAX);
		return NULL;
	}
	fclose(fp);
	*lenp = n;
	return data;
}

uint8_t *
harness_transcript(const char *dir, const char *name, size_t *lenp)
{
	char	path[HARNESS_PATH_MAX];
	int	n;

	*lenp = 0;
	n = snprintf(path, sizeof(path), "../transcripts/%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fail_msg("transcript %s/%s: path too long", dir, name);
		return NULL;
	}
	return harness_load_file(path, lenp);
}

enum probe_status
harness_run_transcript(const struct probe *mod, const char *dir,
    const char *name, const char *ip, uint16_t port, struct obs *out,
    struct buf *written)
{
	uint8_t			*data;
	size_t			 len;
	enum probe_status	 st;

	data = harness_transcript(dir, name, &len);
	st = harness_run_chunks(mod, ip, port, data, len, out, written);
	free(data);
	return st;
}
