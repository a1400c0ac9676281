/*
 * store.h - the SQLite store: scans, establishments, ports, services,
 * findings.  WAL mode and small transactions, so a killed scan loses at
 * most the batch in flight and leaves a readable database.
 */
#ifndef VIGIE_STORE_H
#define VIGIE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"

struct establishment;
struct finding;
struct obs;
struct vg_err;
struct sqlite3;

#define STORE_SCHEMA_VERSION	1

struct store;

struct scan_meta {
	const char	*mode;		/* "connect", "syn" */
	const char	*ports;		/* the port spec, compact */
	const char	*targets;	/* registry path or --target value */
	const char	*source;	/* scanner's source address, if known */
	const char	*rules_version;
	const char	*argv;		/* the command line, for the record */
};

/* Open or create.  Refuses a file that is not a Vigie store or fails
 * SQLite's quick_check, naming the file.  `readonly` for reports. */
struct store	*store_open(const char *path, bool readonly, struct vg_err *);
void		 store_close(struct store *);	/* commits; NULL-safe */
struct sqlite3	*store_sqlite(struct store *);	/* borrowed, for readers */
const char	*store_path(const struct store *);

/* Writers.  Each returns 0 or -1 with err naming the store. */
int64_t	store_scan_begin(struct store *, const struct scan_meta *,
	    struct vg_err *);
int	store_scan_end(struct store *, int64_t scan, const char *status,
	    struct vg_err *);
int	store_add_establishment(struct store *, int64_t scan,
	    const struct establishment *, struct vg_err *);
int	store_add_port(struct store *, int64_t scan, const struct vg_addr *,
	    uint16_t port, const char *proto, const char *state,
	    struct vg_err *);
/* The same, stored only when the scan has no state for that port yet:
 * 1 stored, 0 already there (a duplicate answer, or one a resumed scan
 * had before), -1.  This is the sweep's duplicate filter: on disk, so
 * memory does not grow with answers. */
int	store_add_port_once(struct store *, int64_t scan,
	    const struct vg_addr *, uint16_t port, const char *proto,
	    const char *state, struct vg_err *);
/* The open and closed TCP ports stored for one address.  0 or -1. */
int	store_host_ports(struct store *, int64_t scan, const struct vg_addr *,
	    unsigned *open, unsigned *closed, struct vg_err *);
int	store_add_host(struct store *, int64_t scan, const struct vg_addr *,
	    const char *state, unsigned open, unsigned closed,
	    unsigned filtered, struct vg_err *);
int	store_add_service(struct store *, int64_t scan, const struct vg_addr *,
	    uint16_t port, const char *proto, const struct obs *,
	    struct vg_err *);
/* 1 when stored, 0 when the scan already had it (same identity), 2 when
 * it had it with another confidence or evidence, now updated (a resumed
 * scan judged the host anew), -1. */
int	store_add_finding(struct store *, int64_t scan, const char *est,
	    const struct finding *, struct vg_err *);
/* Resume.  The checkpoint is written in the batch in flight, so it is
 * committed together with the results that precede it. */
int	store_checkpoint(struct store *, int64_t scan, uint64_t position,
	    const char *params, struct vg_err *);
/* The newest scan not complete, with its checkpoint: 0, or -1 with err
 * saying why not (none, or its parameters differ: named). */
int	store_resume_find(struct store *, const char *params,
	    int64_t *scan, uint64_t *position, struct vg_err *);
int	store_scan_reopen(struct store *, int64_t scan, struct vg_err *);
bool	store_has_port(struct store *, int64_t scan, const struct vg_addr *,
	    uint16_t port, const char *proto);
/* Open ports of a scan with no service recorded (probes lost to a kill):
 * calls cb for each. */
int	store_each_unprobed(struct store *, int64_t scan,
	    void (*cb)(void *, const struct vg_addr *, uint16_t port),
	    void *arg, struct vg_err *);

/* Every port row of a scan (open and closed). */
int	store_each_port(struct store *, int64_t scan,
	    void (*cb)(void *, const struct vg_addr *, uint16_t port,
	    const char *state), void *arg, struct vg_err *);
/* Findings of a scan counted by establishment and severity. */
int	store_finding_counts(struct store *, int64_t scan,
	    void (*cb)(void *, const char *est, const char *severity,
	    unsigned n), void *arg, struct vg_err *);

/* Commit the batch in flight. */
int	store_flush(struct store *, struct vg_err *);

/* Readers. */
/* The newest scans' ids, newest first; returns how many were written. */
size_t	store_last_scans(struct store *, bool complete_only, int64_t *ids,
	    size_t max);
/* Every service of a scan, rebuilt as observations: for re-evaluating
 * rules without rescanning.  Calls cb for each. */
int	store_each_service(struct store *, int64_t scan,
	    void (*cb)(void *, const struct vg_addr *, uint16_t port,
	    const char *proto, const struct obs *), void *arg,
	    struct vg_err *);

#endif /* VIGIE_STORE_H */
