/*
 * obs.h - what a probe learned about one service: a bounded list of
 * key/value strings plus the service name and the session's outcome.
 *
 * Keys are "<probe>.<field>" ("ssh.software", "tls.subject").  Every
 * setter bounds and sanitises its value: control bytes and invalid UTF-8
 * become "\xNN", so no terminal escape reaches a log; HTML and CSV
 * escaping is the report writers' job.
 */
#ifndef VIGIE_OBS_H
#define VIGIE_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"

#define OBS_MAX_FIELDS	64
#define OBS_KEY_MAX	40
#define OBS_VAL_MAX	2048	/* bytes kept of one value, after escaping */

enum obs_status {
	OBS_OK,			/* the probe finished its conversation */
	OBS_PARTIAL,		/* it learned something, then gave up */
	OBS_NO_ANSWER,		/* connected, nothing came back */
	OBS_TIMEOUT,
	OBS_RESET,
	OBS_REFUSED,
	OBS_TLS_FAILED,
	OBS_MISMATCH,		/* not the service the probe speaks */
	OBS_ERROR,
};

struct obs_field {
	char	 key[OBS_KEY_MAX];
	char	*val;			/* owned, NUL-terminated */
};

struct obs {
	char			 service[32];	/* "ssh", "http", "" if unknown */
	char			 probe[32];	/* which probe produced it */
	enum obs_status		 status;
	bool			 tls;		/* the session ran over TLS */
	size_t			 n;
	struct obs_field	 f[OBS_MAX_FIELDS];
};

void	obs_init(struct obs *);
void	obs_fini(struct obs *);			/* frees values */
void	obs_reset(struct obs *);		/* fini + init */
void	obs_set_service(struct obs *, const char *);
/* Set or replace a field.  A value is copied, sanitised and bounded.
 * Silently ignored when the table is full: an observation is best effort.
 * An empty value removes nothing and adds nothing. */
void	obs_set(struct obs *, const char *key, const char *val);
void	obs_set_bytes(struct obs *, const char *key, const void *, size_t);
void	obs_set_span(struct obs *, const char *key, struct span);
void	obs_setf(struct obs *, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Borrowed; NULL when absent. */
const char	*obs_get(const struct obs *, const char *key);
/* Copy every field of `from` into `to` (setting, not duplicating). */
void	obs_merge(struct obs *to, const struct obs *from);
const char	*obs_status_str(enum obs_status);
int		 obs_status_parse(const char *, enum obs_status *);

/* Sanitise bytes into out (always NUL-terminated, at most outlen-1 bytes):
 * printable ASCII and valid UTF-8 kept, the rest "\xNN". */
size_t	obs_sanitize(char *out, size_t outlen, const void *, size_t);

#endif /* VIGIE_OBS_H */
