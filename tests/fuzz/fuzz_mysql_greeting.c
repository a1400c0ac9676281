/*
 * Fuzz the MySQL/MariaDB first-packet parser and version split
 * (probes/mysql.c), the probe session, and the banner probe that shares
 * them.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/mysql_greeting/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/mysql.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct mysql_greeting *g, const uint8_t *data, size_t size)
{
	struct mysql_version	mv;

	if (g->used > size || g->used > MYSQL_HEADER_LEN + MYSQL_GREETING_MAX)
		__builtin_trap();
	FUZZ_INSIDE(g->sqlstate, data, size);
	FUZZ_INSIDE(g->err_msg, data, size);
	FUZZ_INSIDE(g->server_version, data, size);
	FUZZ_INSIDE(g->auth_plugin, data, size);
	if (!g->error && g->server_version.len == 0)
		__builtin_trap();
	mysql_split_version(g->server_version, &mv);
	FUZZ_INSIDE(mv.version, data, size);
	FUZZ_INSIDE(mv.distro_rev, data, size);
	if (mv.product == NULL)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mysql_greeting	g;

	if (mysql_parse_greeting(data, size, false, &g) == PARSE_OK)
		check(&g, data, size);
	if (mysql_parse_greeting(data, size, true, &g) == PARSE_OK)
		check(&g, data, size);
	fuzz_session(&probe_mysql, 3306, data, size);
	fuzz_session(&probe_banner, 3306, data, size);
	return 0;
}
