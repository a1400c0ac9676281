/*
 * fuzz_registry.h - the checks shared by fuzz_registry_csv.c and
 * fuzz_registry_json.c: load the input as a registry file, then hold the
 * loader to its contract.  A failure names the file (and a line or an
 * array index) and says what; a success yields establishments with a
 * valid FINESS id, something to scan, a place of definition, and valid
 * text.  Header-only.
 */
#ifndef VIGIE_FUZZ_REGISTRY_H
#define VIGIE_FUZZ_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/registry.h"
#include "fuzz_file.h"

static inline void
fuzz_registry_check_est(const struct registry *reg, size_t k,
    const char *path)
{
	const struct establishment	*e = &reg->v[k];
	size_t				 i;

	if (strlen(e->id) != FINESS_LEN || registry_find(reg, e->id) != e ||
	    e->nranges + e->nhostnames == 0 ||
	    !fuzz_where_ok(e->where, path))
		__builtin_trap();
	for (i = 0; i < e->nranges; i++)
		if ((e->ranges[i].addr.family != 4 &&
		    e->ranges[i].addr.family != 6) ||
		    e->ranges[i].plen > (e->ranges[i].addr.family == 4 ?
		    32 : 128))
			__builtin_trap();
	for (i = 0; i < e->nhostnames; i++)
		if (e->hostnames[i] == NULL || e->hostnames[i][0] == '\0' ||
		    strlen(e->hostnames[i]) > 253)
			__builtin_trap();
}

static inline void
fuzz_registry(const uint8_t *data, size_t size)
{
	struct registry	 reg;
	struct vg_err	 err;
	struct vg_addr	 a;
	const char	*path;
	size_t		 i;

	if ((path = fuzz_file(data, size)) == NULL)
		return;
	registry_init(&reg);
	vg_err_clear(&err);
	if (registry_load(&reg, path, NULL, &err) == -1) {
		/* A failure always says where, and what. */
		if (!fuzz_where_ok(err.where, path) || err.msg[0] == '\0')
			__builtin_trap();
		registry_fini(&reg);
		return;
	}
	if (reg.n == 0)
		__builtin_trap();
	for (i = 0; i < reg.n; i++)
		fuzz_registry_check_est(&reg, i, path);
	/* A resolved address joins the first establishment once. */
	addr_from_v4(&a, 0xc6336401);	/* 198.51.100.1 */
	if (registry_add_address(&reg.v[0], &a) == 0) {
		i = reg.v[0].nranges;
		if (registry_add_address(&reg.v[0], &a) != 0 ||
		    reg.v[0].nranges != i)
			__builtin_trap();
	}
	registry_fini(&reg);
}

#endif /* VIGIE_FUZZ_REGISTRY_H */
