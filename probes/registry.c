/*
 * registry.c - the table of every probe, in the order the generic
 * sequence tries them on a port whose usual probe learned nothing.
 *
 * To add a probe: write probes/<name>.c exporting `const struct probe
 * probe_<name>`, declare it in probe_internal.h, list it here, and add
 * tests/unit/test_<name>.c and tests/fuzz/fuzz_<parser>.c.
 */
#include "vigie/probe.h"

#include <string.h>

#include "probe_internal.h"

static const struct probe *const probes[] = {
	&probe_ssh,
	&probe_ftp,
	&probe_smtp,
	&probe_telnet,
	&probe_http,
	&probe_https,
	&probe_rdp,
	&probe_rdp_std,
	&probe_rdp_tls,
	&probe_redis,
	&probe_smb,
	&probe_smb1,
	&probe_mysql,
	&probe_pgsql,
	&probe_vnc,
	&probe_mssql,
	&probe_dicom,
	&probe_hl7,
	&probe_openvpn,
	&probe_banner,
	&probe_snmp,		/* UDP */
	&probe_ike,		/* UDP */
	&probe_openvpn_udp,	/* UDP */
};

#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

/*
 * The generic sequence, for a port whose usual probe learned nothing or
 * that has none: listen first (cheapest, and most services speak first),
 * then TLS, then plain HTTP, then client-first binary protocols whose
 * answers cannot be mistaken (PostgreSQL's one-byte answer to SSLRequest
 * can, so it is tried on its own port only).  MySQL and VNC speak first:
 * the banner probe tells them.
 */
static const struct probe *const generic[] = {
	&probe_banner,
	&probe_https,
	&probe_http,
	&probe_rdp,
	&probe_redis,
	&probe_smb,
};

#define NGENERIC	(sizeof(generic) / sizeof(generic[0]))

size_t
probe_generic_count(void)
{
	return NGENERIC;
}

const struct probe *
probe_generic_at(size_t i)
{
	return i < NGENERIC ? generic[i] : NULL;
}

const struct probe *
probe_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NPROBES; i++)
		if (strcmp(probes[i]->name, name) == 0)
			return probes[i];
	return NULL;
}

size_t
probe_count(void)
{
	return NPROBES;
}

const struct probe *
probe_at(size_t i)
{
	return i < NPROBES ? probes[i] : NULL;
}

static const struct probe *
for_port(uint16_t port, bool udp)
{
	const uint16_t	*p;
	size_t		 i;

	for (i = 0; i < NPROBES; i++) {
		if (probes[i]->ports == NULL ||
		    (probes[i]->transport == PROBE_UDP) != udp)
			continue;
		for (p = probes[i]->ports; *p != 0; p++)
			if (*p == port)
				return probes[i];
	}
	return NULL;
}

const struct probe *
probe_for_port(uint16_t port)
{
	return for_port(port, false);
}

const struct probe *
probe_for_udp_port(uint16_t port)
{
	return for_port(port, true);
}
