/*
 * Fuzz the RESP reply parser and INFO field lookup (probes/redis.c), and
 * the Redis probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/redis_reply/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/redis.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"redis_version", "redis_mode", "os", "valkey_version",
	};
	struct redis_reply	r;
	struct span		v;
	size_t			i;

	if (redis_parse_reply(data, size, &r) == PARSE_OK) {
		if (r.used == 0 || r.used > size)
			__builtin_trap();
		FUZZ_INSIDE(r.data, data, size);
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (redis_info_field(span_of(data, size), keys[i], &v))
			FUZZ_INSIDE(v, data, size);
	fuzz_session(&probe_redis, 6379, data, size);
	return 0;
}
