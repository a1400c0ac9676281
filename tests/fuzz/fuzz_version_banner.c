/*
 * Fuzz the version parsers of fingerprints/versions.c: banner fields to
 * versions (SSH identification, HTTP Server header, a bare version),
 * version ranges, and dpkg's ordering; then the version checks over an
 * observation holding the same fields.  The input is split at newlines
 * into ssh.software, ssh.comments, http.server and a version.  Built with
 * clang's libFuzzer by `make fuzz`; replayed over
 * tests/fuzz/corpus/version_banner/ by `make check` through
 * tests/fuzz/replay.c under ASan and UBSan.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprints/versions.h"
#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/obs.h"

#define PARTS		4
#define PART_MAX	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const	tokens[] = {
	"Apache", "OpenSSL", "PHP", "nginx", "Microsoft-IIS", "OpenSSH",
};

static void
check_sw(const struct vers_sw *sw)
{
	char	pkg[3 * VERS_MAX];
	int	n;

	if (sw->version[0] < '0' || sw->version[0] > '9' ||
	    strlen(sw->version) >= VERS_MAX ||
	    strlen(sw->revision) >= VERS_MAX)
		__builtin_trap();
	/* What the parsers give, dpkg accepts. */
	if (sw->revision[0] != '\0') {
		n = snprintf(pkg, sizeof(pkg), "1:%s-%s", sw->version,
		    sw->revision);
		if (n > 0 && (size_t)n < VERS_MAX && !vers_dpkg_valid(pkg))
			__builtin_trap();
	}
	if (vers_dpkg_cmp(sw->version, sw->version) != 0 ||
	    vers_upstream_cmp(sw->version, sw->version) != 0)
		__builtin_trap();
}

static void
check_order(const char *a, const char *b)
{
	if (vers_dpkg_cmp(a, b) != -vers_dpkg_cmp(b, a) ||
	    vers_upstream_cmp(a, b) != -vers_upstream_cmp(b, a) ||
	    vers_dpkg_cmp(a, a) != 0)
		__builtin_trap();
}

static void
emit(void *arg, const struct finding *f)
{
	(void)arg;
	if (f->confidence == NULL || f->references == NULL ||
	    strlen(f->evidence) >= FP_EVIDENCE_MAX)
		__builtin_trap();
}

/*
 * The shipped rules, loaded once: from the folder the build names
 * (replays), or from $VIGIE_FUZZ_RULES (libFuzzer runs).
 */
static void
eval_rules(char part[PARTS][PART_MAX])
{
	static struct fp_rules	*rules;
	static bool		 tried;
	struct vg_err		 err;
	struct vg_addr		 a;
	struct obs		 o;
	const char		*dir;

	if (!tried) {
		tried = true;
#ifdef VIGIE_RULES_DIR
		dir = VIGIE_RULES_DIR;
#else
		dir = getenv("VIGIE_FUZZ_RULES");
#endif
		if (dir != NULL)
			rules = fp_rules_load(dir, &err);
	}
	if (rules == NULL)
		return;
	obs_init(&o);
	obs_set_service(&o, "ssh");
	obs_set(&o, "ssh.software", part[0]);
	obs_set(&o, "ssh.comments", part[1]);
	obs_set(&o, "http.server", part[2]);
	obs_set(&o, "http.powered_by", part[2]);
	obs_set(&o, "product", part[0]);
	obs_set(&o, "version", part[3]);
	obs_set(&o, "http.owa_build", part[3]);
	addr_from_v4(&a, 0xc6336407);	/* 198.51.100.7 */
	fp_eval(rules, &o, &a, 22, "tcp", "750000001", emit, NULL);
	obs_fini(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char			 part[PARTS][PART_MAX];
	struct vers_sw		 sw;
	struct vers_range	 r;
	const char		*why;
	size_t			 i, k = 0, n = 0;

	memset(part, 0, sizeof(part));
	for (i = 0; i < size && k < PARTS; i++) {
		if (data[i] == '\n') {
			k++;
			n = 0;
			continue;
		}
		/* The observation setters never let a NUL through. */
		if (n + 1 < PART_MAX && data[i] != '\0')
			part[k][n++] = (char)data[i];
	}
	if (vers_from_ssh(part[0], part[1], "OpenSSH", &sw))
		check_sw(&sw);
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (vers_from_server(part[2], tokens[i], &sw))
			check_sw(&sw);
	if (vers_from_text(part[3], &sw))
		check_sw(&sw);
	vers_distro_marker(part[2], &sw);
	check_order(part[2], part[3]);
	check_order(part[0], part[1]);
	if (vers_range_parse(part[0], &r, &why) == 0) {
		if (r.n == 0 || r.n > VERS_CONDS_MAX)
			__builtin_trap();
		(void)vers_range_has(&r, part[3]);
	}
	eval_rules(part);
	return 0;
}
