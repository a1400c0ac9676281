/*
 * Fuzz the OpenVPN control packet parsers (probes/openvpn.c), datagram
 * and length-prefixed, and both OpenVPN probe sessions.  Built by `make
 * fuzz`; replayed over tests/fuzz/corpus/openvpn/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/openvpn.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct openvpn_packet	pk;

	if (openvpn_parse_packet(data, size, &pk) == PARSE_OK) {
		if (pk.used != size || pk.nacks > OPENVPN_ACK_MAX ||
		    openvpn_opcode_name(pk.opcode) == NULL)
			__builtin_trap();
		FUZZ_INSIDE(pk.payload, data, size);
	}
	if (openvpn_parse_tcp(data, size, &pk) == PARSE_OK) {
		if (pk.used > size || pk.used > OPENVPN_TCP_LEN +
		    OPENVPN_PACKET_MAX || pk.nacks > OPENVPN_ACK_MAX)
			__builtin_trap();
		FUZZ_INSIDE(pk.payload, data, pk.used);
	}
	fuzz_session(&probe_openvpn, OPENVPN_PORT, data, size);
	fuzz_session(&probe_openvpn_udp, OPENVPN_PORT, data, size);
	return 0;
}
