/*
 * Fuzz the TDS PRELOGIN answer parser (probes/mssql.c), its recording,
 * and the MSSQL probe session.  Built by `make fuzz`; replayed over
 * tests/fuzz/corpus/mssql/ by `make check`.
 */
#include <stddef.h>
#include <stdint.h>

#include "probes/mssql.h"
#include "fuzz_session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mssql_prelogin	pl;
	struct obs		o;

	if (mssql_parse_prelogin(data, size, &pl) == PARSE_OK) {
		if (pl.used > size || pl.used > TDS_PACKET_MAX ||
		    pl.used <= TDS_HEADER_LEN || !pl.have_version)
			__builtin_trap();
		obs_init(&o);
		mssql_record_prelogin(&o, &pl);
		fuzz_check_obs(&o);
		obs_fini(&o);
	}
	fuzz_session(&probe_mssql, 1433, data, size);
	return 0;
}
