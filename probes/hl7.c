/*
 * hl7.c - placeholder: the hl7 probe is being written.
 */
#include <event2/buffer.h>

#include "vigie/probe.h"
#include "probes/probe_internal.h"

static enum probe_status
hl7_on_read(struct probe_session *s, struct evbuffer *in)
{
	(void)s;
	(void)in;
	return PROBE_MISMATCH;
}

static const uint16_t hl7_ports[] = { 2575, 0 };

const struct probe probe_hl7 = {
	.name		= "hl7",
	.service	= "hl7",
	.ports		= hl7_ports,
	.transport	= PROBE_TCP,
	.read_max	= 4096,
	.on_read	= hl7_on_read,
};
