/*
 * Fuzz the PostgreSQL backend message parsers (probes/pgsql.c) and the
 * probe session, whose input starts with the answer to the SSLRequest.
 * Built by `make fuzz`; replayed over tests/fuzz/corpus/pgsql_msg/ by
 * `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/pgsql.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pgsql_msg	m;
	struct pgsql_error	e;
	struct pgsql_auth	a;

	if (pgsql_parse_msg(data, size, &m) == PARSE_OK) {
		if (m.used > size || m.used != PGSQL_MSG_HEADER + m.body.len)
			__builtin_trap();
		FUZZ_INSIDE(m.body, data, size);
		if (pgsql_parse_error(m.body, &e) == PARSE_OK) {
			FUZZ_INSIDE(e.severity, data, size);
			FUZZ_INSIDE(e.code, data, size);
			FUZZ_INSIDE(e.message, data, size);
			FUZZ_INSIDE(e.routine, data, size);
		}
		if (pgsql_parse_auth(m.body, &a) == PARSE_OK) {
			FUZZ_INSIDE(a.mechanisms, data, size);
			(void)pgsql_auth_name(&a);
		}
	}
	fuzz_session(&probe_pgsql, 5432, data, size);
	return 0;
}
