/*
 * openvpn.c - placeholder: the openvpn probe is being written.
 */
#include <event2/buffer.h>

#include "vigie/probe.h"
#include "probes/probe_internal.h"

static enum probe_status
openvpn_on_read(struct probe_session *s, struct evbuffer *in)
{
	(void)s;
	(void)in;
	return PROBE_MISMATCH;
}

static const uint16_t openvpn_ports[] = { 1194, 0 };

const struct probe probe_openvpn = {
	.name		= "openvpn",
	.service	= "openvpn",
	.ports		= openvpn_ports,
	.transport	= PROBE_TCP,
	.read_max	= 4096,
	.on_read	= openvpn_on_read,
};

static const uint16_t openvpn_udp_ports[] = { 1194, 0 };

const struct probe probe_openvpn_udp = {
	.name		= "openvpn_udp",
	.service	= "openvpn",
	.ports		= openvpn_udp_ports,
	.transport	= PROBE_UDP,
	.read_max	= 4096,
	.on_read	= openvpn_on_read,
};
