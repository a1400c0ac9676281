/*
 * Fuzz the SSH identification parsers (probes/ssh.c): one line, the
 * search through the lines before it, and the probe session.  Built with
 * clang's libFuzzer by `make fuzz`; replayed over
 * tests/fuzz/corpus/ssh_ident/ by `make check` through tests/fuzz/replay.c
 * under ASan and UBSan.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/ssh.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_ident(const struct ssh_ident *id, const uint8_t *data, size_t size)
{
	/* Every span must lie inside the input. */
	FUZZ_INSIDE(id->proto, data, size);
	FUZZ_INSIDE(id->software, data, size);
	FUZZ_INSIDE(id->comments, data, size);
	FUZZ_INSIDE(id->product, data, size);
	FUZZ_INSIDE(id->version, data, size);
	FUZZ_INSIDE(id->distro_rev, data, size);
	if (id->software.len == 0 || id->proto.len == 0)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_ident	id;
	size_t			used;

	if (ssh_parse_ident((const char *)data, size, &id) == PARSE_OK)
		check_ident(&id, data, size);
	if (ssh_find_ident(data, size, &id, &used) == PARSE_OK) {
		check_ident(&id, data, size);
		if (used == 0 || used > size)
			__builtin_trap();
	}
	fuzz_session(&probe_ssh, 22, data, size);
	return 0;
}
