/*
 * Fuzz the RFB ProtocolVersion and security types parsers
 * (probes/vnc.c) and the VNC probe session.  Built by `make fuzz`;
 * replayed over tests/fuzz/corpus/vnc_rfb/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/vnc.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnc_version	v;
	struct vnc_security	sec;
	uint8_t			reply[RFB_VERSION_LEN + 1];
	unsigned int		minor;

	if (vnc_parse_version(data, size, &v) == PARSE_OK) {
		FUZZ_INSIDE(v.text, data, size);
		minor = vnc_build_reply(&v, reply, sizeof(reply));
		if (minor != 3 && minor != 7 && minor != 8)
			__builtin_trap();
	}
	for (minor = 3; minor <= 8; minor += 5)
		if (vnc_parse_security(data, size, minor, &sec) == PARSE_OK) {
			if (sec.used > size || sec.ntypes > VNC_TYPES_MAX ||
			    sec.reason.len > VNC_REASON_MAX)
				__builtin_trap();
			FUZZ_INSIDE(sec.reason, data, size);
		}
	fuzz_session(&probe_vnc, 5900, data, size);
	return 0;
}
