/*
 * ike.c - placeholder: the ike probe is being written.
 */
#include <event2/buffer.h>

#include "vigie/probe.h"
#include "probes/probe_internal.h"

static enum probe_status
ike_on_read(struct probe_session *s, struct evbuffer *in)
{
	(void)s;
	(void)in;
	return PROBE_MISMATCH;
}

static const uint16_t ike_ports[] = { 500, 0 };

const struct probe probe_ike = {
	.name		= "ike",
	.service	= "ike",
	.ports		= ike_ports,
	.transport	= PROBE_UDP,
	.read_max	= 4096,
	.on_read	= ike_on_read,
};
