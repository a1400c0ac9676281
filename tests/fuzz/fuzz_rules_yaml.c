/*
 * Fuzz the rule loader (fingerprints/rules.c) from memory: YAML events,
 * the schema, PCRE2 compilation.  What loads is then run: its examples
 * and a few observations, under the PCRE2 limits.  Built with clang's
 * libFuzzer by `make fuzz`; replayed over tests/fuzz/corpus/rules_yaml/
 * by `make check` through tests/fuzz/replay.c under ASan and UBSan.
 * Seeded with the shipped rule files and the bad rule sets.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
emit(void *arg, const struct finding *f)
{
	size_t	*n = arg;

	/* Every string is there, and the evidence is bounded. */
	if (f->rule == NULL || f->title_fr == NULL || f->title_en == NULL ||
	    f->advice_fr == NULL || f->advice_en == NULL ||
	    f->references == NULL || f->theme == NULL ||
	    f->confidence == NULL || f->evidence == NULL ||
	    strlen(f->evidence) >= FP_EVIDENCE_MAX || strlen(f->fid) != 16)
		__builtin_trap();
	(*n)++;
}

static void
eval_one(const struct fp_rules *rules, const char *service, bool tls,
    uint16_t port)
{
	struct vg_addr	a;
	struct obs	o;
	size_t		n = 0;

	obs_init(&o);
	obs_set_service(&o, service);
	o.tls = tls;
	obs_set(&o, "ssh.software", "OpenSSH_9.2p1");
	obs_set(&o, "ftp.anonymous", "yes");
	obs_set(&o, "redis.auth", "none");
	obs_set(&o, "http.status", "200");
	obs_set(&o, "tls.self_signed", "yes");
	obs_set(&o, "tls.expired", "yes");
	obs_set(&o, "tls.verify", "unable to get local issuer certificate");
	obs_set(&o, "x.y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	addr_from_v4(&a, 0xc6336407);	/* 198.51.100.7 */
	fp_eval(rules, &o, &a, port, "tcp", "750000001", emit, &n);
	if (n > fp_rules_count(rules))
		__builtin_trap();
	obs_fini(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_err	 err;
	struct fp_rules	*rules;

	vg_err_clear(&err);
	if ((rules = fp_rules_load_mem("fuzz.yaml", data, size, &err)) ==
	    NULL) {
		/* A failure always says where, and what. */
		if (strncmp(err.where, "fuzz.yaml", 9) != 0 ||
		    err.msg[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (strlen(fp_rules_version(rules)) != 12)
		__builtin_trap();
	(void)fp_rules_selftest(rules, NULL);
	eval_one(rules, "ssh", false, 22);
	eval_one(rules, "http", true, 443);
	eval_one(rules, "redis", false, 6379);
	fp_rules_free(rules);
	return 0;
}
