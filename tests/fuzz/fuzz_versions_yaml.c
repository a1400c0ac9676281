/*
 * Fuzz the version data loader (fingerprints/versions_load.c) from
 * memory: YAML events, the schema, ranges, dates, package versions and
 * the references between releases and products.  What loads is then run:
 * its examples and an observation naming each source.  Built with
 * clang's libFuzzer by `make fuzz`; replayed over
 * tests/fuzz/corpus/versions_yaml/ by `make check` through
 * tests/fuzz/replay.c under ASan and UBSan.  Seeded with the shipped
 * versions files and the bad data sets.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fingerprints/fingerprints_internal.h"
#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vverdict	 vv[FP_OUTCOMES_MAX];
	struct vg_err	 err;
	struct fp_rules	*set;
	struct obs	 o;
	size_t		 i, n;

	vg_err_clear(&err);
	if ((set = rules_new(&err)) == NULL)
		return 0;
	if (versions_add_file(set, "fuzz.yaml", data, size, &err) == -1 ||
	    versions_link(set, &err) == -1) {
		/* A failure always says where, and what. */
		if (strncmp(err.where, "fuzz.yaml", 9) != 0 ||
		    err.msg[0] == '\0')
			__builtin_trap();
		fp_rules_free(set);
		return 0;
	}
	rules_finish(set);
	(void)versions_selftest(set, NULL);
	obs_init(&o);
	obs_set(&o, "ssh.software", "OpenSSH_9.2p1");
	obs_set(&o, "ssh.comments", "Debian-2+deb12u2");
	obs_set(&o, "http.server", "Apache/2.4.6 (CentOS) OpenSSL/1.0.2k");
	obs_set(&o, "product", "Widget");
	obs_set(&o, "version", "1.0-Debian");
	n = versions_eval(set, &o, set->today, vv, FP_OUTCOMES_MAX);
	for (i = 0; i < n; i++)
		if (vv[i].prod == NULL ||
		    strlen(vv[i].ev_outdated.text) >= FP_EVIDENCE_MAX ||
		    strlen(vv[i].ev_eol.text) >= FP_EVIDENCE_MAX)
			__builtin_trap();
	obs_fini(&o);
	fp_rules_free(set);
	return 0;
}
