/*
 * fuzz_session.h - run a probe module over fuzz input in a fake session,
 * for the fuzz targets of tests/fuzz/.  Header-only: each target is one
 * file linked with replay.c (or libFuzzer) and libvigie.a, no more.
 *
 * The input is fed in two reads, split where its first byte says, so a
 * resumable parser is fuzzed across a read boundary; the runtime's read
 * budget and on_eof() are applied as in probes/probe.c, and so is a
 * STARTTLS upgrade: on_tls() is called, and the second read stands for
 * what comes over TLS.  What the module records must stay within the
 * observation's bounds.
 */
#ifndef VIGIE_FUZZ_SESSION_H
#define VIGIE_FUZZ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"
#include "probes/probe_internal.h"

#define FUZZ_PEER	"198.51.100.1"

/* Trap unless the span is empty or lies inside [base, base + len). */
#define FUZZ_INSIDE(s, base, len) do {					\
	if (!span_inside((s), (base), (len)))				\
		__builtin_trap();					\
} while (0)

static inline void
fuzz_check_obs(const struct obs *o)
{
	size_t	i;

	if (o->n > OBS_MAX_FIELDS ||
	    memchr(o->service, '\0', sizeof(o->service)) == NULL)
		__builtin_trap();
	for (i = 0; i < o->n; i++)
		if (o->f[i].val == NULL ||
		    strlen(o->f[i].val) >= OBS_VAL_MAX ||
		    memchr(o->f[i].key, '\0', OBS_KEY_MAX) == NULL)
			__builtin_trap();
}

static inline void
fuzz_session(const struct probe *mod, uint16_t port, const uint8_t *data,
    size_t size)
{
	struct probe_session	*s;
	struct evbuffer		*in;
	enum probe_status	 st = PROBE_MORE;
	size_t			 cut[2], off = 0, i;
	bool			 upgraded = false;

	if ((s = probe_session_fake_new(mod, FUZZ_PEER, port)) == NULL)
		return;
	if ((in = evbuffer_new()) == NULL) {
		probe_session_fake_free(s);
		return;
	}
	if (mod->start != NULL && mod->start(s) == -1)
		goto out;
	cut[0] = size > 0 ? data[0] % (size + 1) : 0;
	cut[1] = size;
	for (i = 0; i < 2 && st == PROBE_MORE; i++) {
		if (cut[i] > off && evbuffer_add(in, data + off,
		    cut[i] - off) == -1)
			break;
		off = cut[i];
		s->nread += evbuffer_get_length(in);
		if (s->nread > mod->read_max)
			break;
		st = mod->on_read(s, in);
		s->nread -= evbuffer_get_length(in);
		if (st == PROBE_STARTTLS && !upgraded && mod->on_tls != NULL) {
			/* What the module left would go to the TLS layer,
			 * not to on_read(). */
			upgraded = true;
			evbuffer_drain(in, evbuffer_get_length(in));
			st = mod->on_tls(s);
		}
	}
	if (st == PROBE_MORE && mod->on_eof != NULL)
		mod->on_eof(s, in);
	fuzz_check_obs(&s->obs);
out:
	evbuffer_free(in);
	probe_session_fake_free(s);
}

#endif /* VIGIE_FUZZ_SESSION_H */
