/*
 * registry.h - the establishments under audit, from a CSV or JSON file.
 *
 * CSV: header line required, ';' or ',' separated, UTF-8, columns
 * id,name,category,region,ranges,hostnames,contact.  JSON: an array of
 * objects with the same keys.  `id` is the FINESS number (9 characters).
 */
#ifndef VIGIE_REGISTRY_H
#define VIGIE_REGISTRY_H

#include <stddef.h>
#include <stdio.h>

#include "vigie/addr.h"

struct vg_err;

#define FINESS_LEN	9

struct establishment {
	char		 id[FINESS_LEN + 1];
	char		*name;
	char		*category;
	char		*region;
	char		*contact;
	struct vg_cidr	*ranges;
	size_t		 nranges;
	char		**hostnames;
	size_t		 nhostnames;
	char		 where[64];	/* "file:line" of its definition */
};

struct registry {
	struct establishment	*v;
	size_t			 n;
	size_t			 nwarn;
};

void	registry_init(struct registry *);
void	registry_fini(struct registry *);
/* Load a file (CSV or JSON by content).  The first error stops the load
 * and names file:line and the field.  Warnings (overlapping ranges) are
 * written to `warn` if not NULL. */
int	registry_load(struct registry *, const char *path, FILE *warn,
	    struct vg_err *);
/* Add the pseudo-establishment "000000000" for --target ranges. */
int	registry_add_adhoc(struct registry *, const char *ranges,
	    struct vg_err *);
/* Add an address (a resolved host name) to an establishment's ranges,
 * unless a range holds it already.  0 or -1 (out of memory). */
int	registry_add_address(struct establishment *, const struct vg_addr *);
const struct establishment *registry_find(const struct registry *,
	    const char *id);

#endif /* VIGIE_REGISTRY_H */
