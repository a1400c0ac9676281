/*
 * snmp.h - SNMP probe: the pure parser of a GetResponse (RFC 3416) in BER
 * (X.690), exposed for tests and fuzzers.
 */
#ifndef VIGIE_PROBE_SNMP_H
#define VIGIE_PROBE_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "parse.h"

#define SNMP_REQUEST_ID	0x56494749u	/* "VIGI" */

struct snmp_reply {
	long		version;	/* 0 v1, 1 v2c */
	struct span	community;
	uint32_t	request_id;
	long		error_status;
	struct span	oid;		/* the first varbind's, raw BER */
	uint8_t		value_tag;	/* 0x04 string, 0x80-0x82 exceptions */
	struct span	value;
};

/* The GetRequest for sysDescr.0 with a community; returns its length or
 * 0 when `out` is too small. */
size_t			snmp_build_get_sysdescr(uint8_t *out, size_t len,
			    const char *community);
enum parse_result	snmp_parse_response(const uint8_t *, size_t,
			    struct snmp_reply *);

#endif /* VIGIE_PROBE_SNMP_H */
