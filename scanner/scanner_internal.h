/*
 * scanner_internal.h - private to scanner/.
 */
#ifndef VIGIE_SCANNER_INTERNAL_H
#define VIGIE_SCANNER_INTERNAL_H

#include <stdbool.h>

#include "vigie/addr.h"
#include "vigie/targets.h"

/* True when no address of the CIDR is refused by the exclusion list. */
bool	exclude_clear(const struct exclude *, const struct vg_cidr *);

#endif /* VIGIE_SCANNER_INTERNAL_H */

#include <stdint.h>

/* Everything `vigie scan` was asked to do, frozen before the first packet. */
struct scan_config {
	const char	*registry;	/* --registry FILE */
	const char	*targets;	/* --target CIDR,... */
	const char	*ports;		/* --ports SPEC */
	const char	*mode;		/* "connect" ("syn": issue #3) */
	const char	*db;		/* --db FILE */
	const char	*out;		/* --out FILE.jsonl */
	const char	*exclude;	/* --exclude FILE */
	const char	*allow;		/* --allow CIDR,... */
	const char	*rules;		/* --rules DIR */
	const char	*resolver;	/* --resolver IP */
	const char	*contact;	/* --contact, in the User-Agent */
	const char	*probes;	/* --probes NAME,... (NULL: all) */
	const char	*argv;		/* the command line, for the record */
	uint32_t	 rate;
	uint32_t	 max_inflight;
	uint32_t	 per_host;
	uint32_t	 timeout_ms;
	uint32_t	 probe_timeout_ms;
	uint32_t	 retries;
	uint64_t	 seed;
	uint32_t	 shard, nshards;
	uint32_t	 cooldown_ms;	/* syn: wait for late replies */
	uint32_t	 host_rate;	/* probes/s to one address */
	uint32_t	 net24_rate;	/* probes/s to one /24 */
	uint32_t	 est_rate;	/* probes/s to one establishment */
	const char	*iface;		/* syn: --interface */
	const char	*source_ip;	/* syn: --source-ip */
	const char	*gateway_mac;	/* syn: --gateway-mac */
	const char	*tx;		/* syn: --tx */
	const char	*user;		/* drop privileges to this user */
	int		 status_fd;	/* --status-json FD, or -1 */
	bool		 resume;
	bool		 quiet;
};

/*
 * Drop root: to `user`'s uid and gids, with no capability left and
 * PR_SET_NO_NEW_PRIVS, then check that setuid(0) fails.  Files already
 * open stay usable; the store's files (and the output) are handed to the
 * user first so SQLite can write its WAL.  0 or -1 with err set.
 */
int	privdrop(const char *user, struct vg_err *, const char *db,
	    const char *out);

/* Run a scan; returns the process exit status (0, 1 input, 2 runtime). */
int	scan_run(const struct scan_config *);
