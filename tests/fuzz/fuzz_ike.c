/*
 * Fuzz the IKE message parser (probes/ike.c) and the IKE probe session,
 * on UDP 500 and behind 4500's non-ESP marker.  Built by `make fuzz`;
 * replayed over tests/fuzz/corpus/ike/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/ike.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_msg	m;
	char		s[160];
	size_t		i;

	if (ike_parse(data, size, &m) == PARSE_OK) {
		if (m.len < IKE_HDR_LEN || m.len > size ||
		    m.len > IKE_MSG_MAX || m.nnotify > IKE_NOTIFY_MAX ||
		    m.nvid > IKE_VID_MAX || m.id.len > IKE_ID_MAX)
			__builtin_trap();
		FUZZ_INSIDE(m.id, data, m.len);
		FUZZ_INSIDE(m.cookie, data, m.len);
		for (i = 0; i < m.nvid; i++)
			FUZZ_INSIDE(m.vid[i], data, m.len);
		ike_suite_str(m.version, &m.suite, s, sizeof(s));
		if (memchr(s, '\0', sizeof(s)) == NULL)
			__builtin_trap();
	}
	fuzz_session(&probe_ike, IKE_PORT, data, size);
	fuzz_session(&probe_ike, IKE_NATT_PORT, data, size);
	return 0;
}
