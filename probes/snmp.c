/*
 * snmp.c - SNMP probe (UDP 161).  Sends one SNMPv2c GetRequest for
 * sysDescr.0 (1.3.6.1.2.1.1.1.0) with the community "public", the most
 * common default, and records whether it is answered and what the system
 * says of itself.  Nothing is written; one datagram, one answer.
 * Message layout: RFC 3416 (PDUs) inside RFC 1901's community message,
 * in BER (ITU-T X.690).
 */
#include "snmp.h"

#include <string.h>

#include <event2/buffer.h>

#include "vigie/obs.h"
#include "vigie/probe.h"

#include "probe_internal.h"

#define BER_INTEGER	0x02
#define BER_OCTETS	0x04
#define BER_NULL	0x05
#define BER_OID		0x06
#define BER_SEQUENCE	0x30
#define SNMP_GET	0xa0	/* GetRequest-PDU, RFC 3416 3 */
#define SNMP_RESPONSE	0xa2	/* Response-PDU */
#define SNMP_V2C	1	/* RFC 1901 version field */
#define SNMP_MSG_MAX	1472	/* one Ethernet-sized datagram is plenty */

/* 1.3.6.1.2.1.1.1.0, BER-encoded (X.690 8.19). */
static const uint8_t	sysdescr_oid[] = {
	0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00
};

size_t
snmp_build_get_sysdescr(uint8_t *out, size_t len, const char *community)
{
	size_t	clen = strlen(community), vb, vbl, pdu, msg, o = 0;

	if (clen > 64)
		return 0;
	vb = 2 + sizeof(sysdescr_oid) + 2;		/* OID + NULL */
	vbl = 2 + vb;
	pdu = 6 + 3 + 3 + 2 + vbl;
	msg = 3 + 2 + clen + 2 + pdu;
	if (msg > 127 || len < msg + 2)
		return 0;
	out[o++] = BER_SEQUENCE;
	out[o++] = (uint8_t)msg;
	out[o++] = BER_INTEGER;
	out[o++] = 1;
	out[o++] = SNMP_V2C;
	out[o++] = BER_OCTETS;
	out[o++] = (uint8_t)clen;
	memcpy(out + o, community, clen);
	o += clen;
	out[o++] = SNMP_GET;
	out[o++] = (uint8_t)pdu;
	out[o++] = BER_INTEGER;
	out[o++] = 4;
	out[o++] = (uint8_t)(SNMP_REQUEST_ID >> 24);
	out[o++] = (uint8_t)(SNMP_REQUEST_ID >> 16);
	out[o++] = (uint8_t)(SNMP_REQUEST_ID >> 8);
	out[o++] = (uint8_t)SNMP_REQUEST_ID;
	out[o++] = BER_INTEGER;				/* error-status */
	out[o++] = 1;
	out[o++] = 0;
	out[o++] = BER_INTEGER;				/* error-index */
	out[o++] = 1;
	out[o++] = 0;
	out[o++] = BER_SEQUENCE;			/* variable-bindings */
	out[o++] = (uint8_t)vb + 2;
	out[o++] = BER_SEQUENCE;
	out[o++] = (uint8_t)vb;
	out[o++] = BER_OID;
	out[o++] = sizeof(sysdescr_oid);
	memcpy(out + o, sysdescr_oid, sizeof(sysdescr_oid));
	o += sizeof(sysdescr_oid);
	out[o++] = BER_NULL;
	out[o++] = 0;
	return o;
}

/* One TLV at *p (bounded by end): tag, value span; advances *p. */
static int
tlv(const uint8_t **p, const uint8_t *end, uint8_t *tag, struct span *v)
{
	const uint8_t	*q = *p;
	size_t		 len = 0, n, i;

	if (end - q < 2)
		return -1;
	*tag = *q++;
	if ((*tag & 0x1f) == 0x1f)		/* multi-byte tags: not SNMP */
		return -1;
	if (*q < 0x80) {
		len = *q++;
	} else {
		n = *q++ & 0x7f;
		if (n == 0 || n > 4 || (size_t)(end - q) < n)
			return -1;		/* indefinite or too long */
		for (i = 0; i < n; i++)
			len = len << 8 | *q++;
	}
	if (len > (size_t)(end - q))
		return -1;
	*v = span_of(q, len);
	*p = q + len;
	return 0;
}

static int
integer(const uint8_t **p, const uint8_t *end, long *out)
{
	struct span	v;
	uint8_t		tag;
	size_t		i;
	long		x;

	if (tlv(p, end, &tag, &v) == -1 || tag != BER_INTEGER ||
	    v.len == 0 || v.len > 4)
		return -1;
	x = (v.p[0] & 0x80) ? -1 : 0;
	for (i = 0; i < v.len; i++)
		x = (long)((unsigned long)x << 8) | v.p[i];
	*out = x;
	return 0;
}

enum parse_result
snmp_parse_response(const uint8_t *buf, size_t len, struct snmp_reply *r)
{
	const uint8_t	*p = buf, *end = buf + len, *q, *qend;
	struct span	 v;
	uint8_t		 tag;
	long		 id;

	memset(r, 0, sizeof(*r));
	if (tlv(&p, end, &tag, &v) == -1 || tag != BER_SEQUENCE)
		return PARSE_BAD;
	q = v.p;
	qend = v.p + v.len;
	if (integer(&q, qend, &r->version) == -1 ||
	    tlv(&q, qend, &tag, &r->community) == -1 || tag != BER_OCTETS ||
	    tlv(&q, qend, &tag, &v) == -1 || tag != SNMP_RESPONSE)
		return PARSE_BAD;
	q = v.p;
	qend = v.p + v.len;
	if (integer(&q, qend, &id) == -1 ||
	    integer(&q, qend, &r->error_status) == -1 ||
	    integer(&q, qend, &id) == -1 ||	/* error-index */
	    tlv(&q, qend, &tag, &v) == -1 || tag != BER_SEQUENCE)
		return PARSE_BAD;
	q = v.p;
	qend = v.p + v.len;
	if (q == qend)
		return PARSE_OK;		/* no varbind: an error reply */
	if (tlv(&q, qend, &tag, &v) == -1 || tag != BER_SEQUENCE)
		return PARSE_BAD;
	q = v.p;
	qend = v.p + v.len;
	if (tlv(&q, qend, &tag, &r->oid) == -1 || tag != BER_OID ||
	    tlv(&q, qend, &r->value_tag, &r->value) == -1)
		return PARSE_BAD;
	return PARSE_OK;
}

static int
snmp_start(struct probe_session *s)
{
	uint8_t	req[128];
	size_t	n = snmp_build_get_sysdescr(req, sizeof(req), "public");

	return n == 0 ? -1 : probe_write(s, req, n);
}

static enum probe_status
snmp_on_read(struct probe_session *s, struct evbuffer *in)
{
	struct obs		*o = probe_obs(s);
	struct snmp_reply	 r;
	uint8_t			 dgram[SNMP_MSG_MAX];
	size_t			 n = evbuffer_get_length(in);

	if (n > sizeof(dgram))
		n = sizeof(dgram);
	evbuffer_remove(in, dgram, n);
	if (snmp_parse_response(dgram, n, &r) != PARSE_OK)
		return PROBE_MISMATCH;
	obs_set_service(o, "snmp");
	obs_set(o, "snmp.version", r.version == SNMP_V2C ? "v2c" :
	    r.version == 0 ? "v1" : "other");
	obs_set_span(o, "snmp.community", r.community);
	obs_setf(o, "snmp.error_status", "%ld", r.error_status);
	if (r.error_status == 0 && r.value_tag == BER_OCTETS) {
		obs_set(o, "snmp.community_accepted", "yes");
		obs_set_span(o, "snmp.sysdescr", r.value);
	} else {
		obs_set(o, "snmp.community_accepted", "no");
	}
	return PROBE_DONE;
}

static const uint16_t	snmp_ports[] = { 161, 0 };

const struct probe probe_snmp = {
	.name		= "snmp",
	.service	= "snmp",
	.ports		= snmp_ports,
	.transport	= PROBE_UDP,
	.read_max	= 4 * SNMP_MSG_MAX,
	.start		= snmp_start,
	.on_read	= snmp_on_read,
};
