/*
 * fuzz_vpn.h - the contract of the VPN portal parsers
 * (probes/vpn_portal.c), for their fuzz targets: whatever the input, the
 * facts stay within their bounds and every string is terminated.
 */
#ifndef VIGIE_FUZZ_VPN_H
#define VIGIE_FUZZ_VPN_H

#include <stddef.h>
#include <string.h>

#include "probes/vpn_portal.h"

#define FUZZ_TERMINATED(a)	do {					\
	if (memchr((a), '\0', sizeof(a)) == NULL)			\
		__builtin_trap();					\
} while (0)

static inline void
fuzz_check_facts(const struct vpn_facts *f)
{
	size_t	i;

	if ((unsigned int)f->product >= VPN_NPRODUCTS ||
	    f->nfields > VPN_FIELDS_MAX || f->ngroups > VPN_GROUPS_MAX)
		__builtin_trap();
	for (i = 0; i < f->nfields; i++) {
		FUZZ_TERMINATED(f->fields[i].name);
		FUZZ_TERMINATED(f->fields[i].type);
		/* Names stay splittable: no space, no ':'. */
		if (f->fields[i].name[0] == '\0' ||
		    strpbrk(f->fields[i].name, " :") != NULL)
			__builtin_trap();
	}
	for (i = 0; i < f->ngroups; i++)
		FUZZ_TERMINATED(f->groups[i]);
	FUZZ_TERMINATED(f->version);
	FUZZ_TERMINATED(f->message);
	FUZZ_TERMINATED(f->saml_method);
	FUZZ_TERMINATED(f->sso_url);
	FUZZ_TERMINATED(f->idp);
	FUZZ_TERMINATED(f->status);
}

#endif /* VIGIE_FUZZ_VPN_H */
