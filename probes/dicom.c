/*
 * dicom.c - placeholder: the dicom probe is being written.
 */
#include <event2/buffer.h>

#include "vigie/probe.h"
#include "probes/probe_internal.h"

static enum probe_status
dicom_on_read(struct probe_session *s, struct evbuffer *in)
{
	(void)s;
	(void)in;
	return PROBE_MISMATCH;
}

static const uint16_t dicom_ports[] = { 104, 11112, 0 };

const struct probe probe_dicom = {
	.name		= "dicom",
	.service	= "dicom",
	.ports		= dicom_ports,
	.transport	= PROBE_TCP,
	.read_max	= 4096,
	.on_read	= dicom_on_read,
};
