/*
 * targets.h - what a scan may touch: address ranges, ports, and the
 * exclusion list applied after expansion.
 *
 * The built-in exclusion list refuses the reserved ranges of RFC 6890
 * (loopback, private, TEST-NETs, benchmarking, multicast, ...) unless a
 * range is explicitly allowed (labs and tests: --allow).
 */
#ifndef VIGIE_TARGETS_H
#define VIGIE_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"

struct vg_err;

#define PORTS_MAX	65536

/* A set of TCP and UDP ports. */
struct portset {
	uint16_t	*tcp;		/* sorted, unique */
	size_t		 ntcp;
	uint16_t	*udp;
	size_t		 nudp;
};

/* Parse nmap-style "22,80,1-1024,T:22,U:161,top100,remote-access".
 * Adds to `ps`; -1 with err naming the offending item. */
int	portset_parse(struct portset *, const char *spec, struct vg_err *);
void	portset_fini(struct portset *);
bool	portset_has_tcp(const struct portset *, uint16_t);
/* Formats back to a compact spec ("21-23,80,U:161"); truncated to len. */
void	portset_str(const struct portset *, char *out, size_t len);

/* A contiguous range of addresses of one family: [first, first+count). */
struct addr_range {
	struct vg_addr	first;
	uint64_t	count;
};

/* The exclusion list. */
struct exclude {
	struct vg_cidr	*deny;
	size_t		 ndeny;
	struct vg_cidr	*allow;		/* lifts built-in reserved refusals */
	size_t		 nallow;
	bool		 builtin;	/* reserved ranges refused */
};

void	exclude_init(struct exclude *);	/* with the built-in list on */
void	exclude_fini(struct exclude *);
int	exclude_add(struct exclude *, const struct vg_cidr *);
int	exclude_allow(struct exclude *, const struct vg_cidr *);
/* A file of CIDRs, one a line, '#' comments.  Errors name file:line. */
int	exclude_load(struct exclude *, const char *path, struct vg_err *);
/* NULL when allowed; otherwise a short reason ("reserved: RFC 1918",
 * "excluded: exclude.txt"). */
const char	*exclude_why(const struct exclude *, const struct vg_addr *);
/* True when the whole CIDR would be refused by the built-in list. */
const char	*exclude_reserved(const struct exclude *, const struct vg_cidr *);

/*
 * A set of targets: address ranges, deduplicated and with exclusions
 * removed, each tagged with the establishments it belongs to.
 */
struct target_range {
	struct addr_range	 r;
	uint32_t		*owners;	/* establishment indexes */
	size_t			 nowners;
};

struct targetset {
	struct target_range	*v;
	size_t			 n;
	uint64_t		*cum;		/* cum[i]: addresses before v[i] */
	uint64_t		 naddrs;	/* total addresses */
	uint64_t		 nrefused;	/* addresses dropped */
};

void	targetset_init(struct targetset *);
void	targetset_fini(struct targetset *);
/* Add a CIDR owned by `owner` (UINT32_MAX: none).  IPv6 prefixes must be
 * /64 or longer and hold at most 2^16 addresses. */
int	targetset_add(struct targetset *, const struct vg_cidr *,
	    uint32_t owner, struct vg_err *);
/* Sort, merge duplicates (union of owners) and apply the exclusions. */
int	targetset_finish(struct targetset *, const struct exclude *,
	    struct vg_err *);
/* The i-th address of the set, i < naddrs; its range index in *ri. */
void	targetset_addr(const struct targetset *, uint64_t i,
	    struct vg_addr *, size_t *ri);
/* The range holding an address, or NULL. */
const struct target_range *targetset_find(const struct targetset *,
	    const struct vg_addr *);

#endif /* VIGIE_TARGETS_H */
