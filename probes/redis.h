/*
 * redis.h - the Redis probe's pure parsers: one RESP reply (the Redis
 * serialization protocol, version 2) and the fields of an INFO reply.
 * For tests and fuzzers.
 */
#ifndef VIGIE_PROBES_REDIS_H
#define VIGIE_PROBES_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/buf.h"
#include "probes/parse.h"

struct obs;

#define REDIS_LINE_MAX		4096	/* a type line or an error */
#define REDIS_BULK_MAX		12288	/* bulk bytes kept (INFO server ~1k) */
#define REDIS_BULK_LIMIT	(512L * 1024 * 1024)	/* Redis' own limit */

/* RESP type bytes. */
#define REDIS_SIMPLE		'+'
#define REDIS_ERROR		'-'
#define REDIS_INTEGER		':'
#define REDIS_BULK		'$'
#define REDIS_ARRAY		'*'

struct redis_reply {
	char		type;		/* one of the type bytes above */
	int64_t		len;		/* bulk length or array count; -1 nil */
	struct span	data;		/* text, or bulk payload (maybe cut) */
	bool		truncated;	/* bulk longer than REDIS_BULK_MAX */
	size_t		used;		/* bytes of the reply consumed */
};

/*
 * Parse one reply at the start of the bytes.  A bulk string longer than
 * REDIS_BULK_MAX gives PARSE_OK with its first REDIS_BULK_MAX bytes and
 * `truncated`.  An array's elements are not read.  PARSE_MORE when
 * incomplete; PARSE_BAD when the first byte is no RESP type, a length is
 * malformed, or the type line passes REDIS_LINE_MAX.
 */
enum parse_result	redis_parse_reply(const uint8_t *, size_t,
			    struct redis_reply *);

/* The value of "key:value" in INFO text, up to its line ending.  False
 * when the key is absent. */
bool			redis_info_field(struct span info, const char *key,
			    struct span *value);

/* Record an error reply ("NOAUTH Authentication required."): service
 * "redis", redis.error and redis.auth when the error tells.  False, and
 * nothing recorded, when it does not read like Redis' (an upper-case
 * code word first).  Shared with the banner probe. */
bool			redis_record_error(struct obs *, struct span err);

#endif /* VIGIE_PROBES_REDIS_H */
