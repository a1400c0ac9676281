/*
 * output.h - the JSON-lines event stream of `vigie scan --out`.
 *
 * One object per line, each with "type": "port", "service", "finding",
 * "host" or "scan".  Lines are held until jsonl_commit(), which the scan
 * calls right after the store commits: the file never shows a result
 * the store would lose in a kill, so a resumed scan repeats none.
 */
#ifndef VIGIE_OUTPUT_H
#define VIGIE_OUTPUT_H

#include <stdint.h>

#include "vigie/addr.h"

struct finding;
struct obs;
struct vg_err;
struct jsonl;

/* Opens for appending (a resumed scan adds to its file). */
struct jsonl	*jsonl_open(const char *path, struct vg_err *);
/* NULL-safe.  Lines not committed are dropped, like the store's batch. */
void		 jsonl_close(struct jsonl *);
void		 jsonl_commit(struct jsonl *);		/* NULL-safe */
/* Bytes held until the next jsonl_commit() (0 for NULL). */
size_t		 jsonl_pending(const struct jsonl *);
void		 jsonl_scan(struct jsonl *, int64_t scan, const char *status);
void		 jsonl_port(struct jsonl *, const struct vg_addr *,
		    uint16_t port, const char *proto, const char *state);
void		 jsonl_host(struct jsonl *, const struct vg_addr *,
		    const char *state, unsigned open, unsigned closed,
		    unsigned filtered);
void		 jsonl_service(struct jsonl *, const struct vg_addr *,
		    uint16_t port, const char *proto, const struct obs *);
void		 jsonl_finding(struct jsonl *, const char *est,
		    const struct finding *);

#endif /* VIGIE_OUTPUT_H */
