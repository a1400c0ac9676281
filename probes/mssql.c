/*
 * mssql.c - placeholder: the mssql probe is being written.
 */
#include <event2/buffer.h>

#include "vigie/probe.h"
#include "probes/probe_internal.h"

static enum probe_status
mssql_on_read(struct probe_session *s, struct evbuffer *in)
{
	(void)s;
	(void)in;
	return PROBE_MISMATCH;
}

static const uint16_t mssql_ports[] = { 1433, 0 };

const struct probe probe_mssql = {
	.name		= "mssql",
	.service	= "mssql",
	.ports		= mssql_ports,
	.transport	= PROBE_TCP,
	.read_max	= 4096,
	.on_read	= mssql_on_read,
};
