/*
 * harness.h - run a probe module over recorded server bytes, with no
 * socket: the unit tests' way to drive a probe's state machine.
 *
 * A fake session (probe_session_fake_new()) gets the module's start(),
 * then the server's bytes `chunk` at a time, each followed by on_read(),
 * until the module says PROBE_DONE or PROBE_MISMATCH; when the bytes run
 * out first, on_eof().  The read budget is applied as the runtime does.
 * Feeding one byte per read proves a parser resumable (masscan's lesson).
 */
#ifndef VIGIE_TESTS_HARNESS_H
#define VIGIE_TESTS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "vigie/obs.h"
#include "vigie/probe.h"

#define HARNESS_WHOLE	0	/* chunk: all the bytes in one read */

/*
 * Run `mod` against `server` bytes.  `out` is initialised here and gets a
 * copy of the session's observation (service, status, fields); the caller
 * obs_fini()s it.  Returns the last status on_read() gave (PROBE_MORE
 * when the bytes ran out).  Fails the running test if the session cannot
 * be made or start() fails.
 */
enum probe_status	harness_run(const struct probe *mod, const char *ip,
			    uint16_t port, const uint8_t *server, size_t len,
			    size_t chunk, struct obs *out);

/* The same, also appending what the probe wrote to `written` (a buf the
 * caller owns) when it is not NULL. */
enum probe_status	harness_run_io(const struct probe *mod,
			    const char *ip, uint16_t port,
			    const uint8_t *server, size_t len, size_t chunk,
			    struct obs *out, struct buf *written);

/*
 * Run with every chunk size of a fixed set (whole, 1, 2, 3, 7, 64) and
 * fail the running test unless all give the same status, observation and
 * written bytes.  `out` and `written` (may be NULL) get the whole-read
 * run's.
 */
enum probe_status	harness_run_chunks(const struct probe *mod,
			    const char *ip, uint16_t port,
			    const uint8_t *server, size_t len,
			    struct obs *out, struct buf *written);

/* Read a whole file; the caller free()s.  NULL, after failing the running
 * test, when it cannot be read. */
uint8_t			*harness_load_file(const char *path, size_t *lenp);

/* Read the transcript ../transcripts/`dir`/`name` (the tests run in
 * tests/unit/) with harness_load_file(); the caller free()s.  NULL, after
 * failing the running test, when the path is too long or the file cannot
 * be read. */
uint8_t			*harness_transcript(const char *dir, const char *name,
			    size_t *lenp);

/* harness_run_chunks() over the transcript `dir`/`name`, whose bytes are
 * freed here.  `out` and `written` (may be NULL) as there. */
enum probe_status	harness_run_transcript(const struct probe *mod,
			    const char *dir, const char *name, const char *ip,
			    uint16_t port, struct obs *out,
			    struct buf *written);

/* True when two observations hold the same service and fields. */
int			harness_obs_equal(const struct obs *,
			    const struct obs *);

#endif /* VIGIE_TESTS_HARNESS_H */
