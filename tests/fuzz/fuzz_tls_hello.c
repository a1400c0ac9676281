/*
 * Fuzz the parser of a server's first answer to our ClientHello
 * (probes/tls.c): handshake records up to the ServerHello's fields, or
 * an alert; then the five measurement probes' sessions over the same
 * bytes.  Built by `make fuzz`; replayed over tests/fuzz/corpus/tls_hello/
 * by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/tls.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_server_hello	 h;
	const struct probe	*m;
	enum parse_result	 r;

	r = tls_parse_server_hello(data, size, &h);
	if (r == PARSE_OK && !h.alert && (h.version >> 8) != 3)
		__builtin_trap();
	if (r == PARSE_OK && h.alert && (h.version != 0 || h.cipher != 0))
		__builtin_trap();
	for (m = &probe_tls_legacy; m != NULL; m = m->then)
		fuzz_session(m, 443, data, size);
	return 0;
}
