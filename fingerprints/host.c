/*
 * host.c - the honeypot and firewall guard: judge one address from all
 * its observations, then evaluate the rules on each, downgrading the
 * findings of a suspect host to "to-verify" and saying why.
 *
 * A host is suspect when (research 3.6; LZR, nuclei #6403, spoonmap):
 *   - it answers on a large share of the probed ports (an ACKing
 *     firewall or a tarpit: HOST_SHARE_MIN of at least HOST_PROBED_MIN
 *     probed), or on HOST_OPEN_MAX ports or more;
 *   - it identifies as HOST_SERVICES_MAX distinct services or more (a
 *     honeypot speaking every protocol: SSH, Telnet, RDP, SMB, Redis,
 *     DICOM...);
 *   - HOST_SAME_MAX ports or more give the same answer (web ports are
 *     left out: one reverse proxy on many ports is common).
 */
#include "fingerprints_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigie/obs.h"

#define HOST_PROBED_MIN		8	/* below, a share means little */
#define HOST_SHARE_MIN		75	/* percent of probed ports open */
#define HOST_OPEN_MAX		200	/* ports open, whatever the share */
#define HOST_SERVICES_MAX	8	/* distinct services on one address */
#define HOST_SAME_MAX		5	/* ports giving one answer */
#define HOST_HASH_MAX		4096	/* observations hashed, at most */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The fields whose value is "the answer" of a non-web service. */
static const char *const	answer_fields[] = {
	"banner.text", "ssh.software", "ftp.banner", "smtp.banner",
	"telnet.banner", "pop3.banner", "imap.banner", "mysql.version",
};

static bool
is_web(const char *service)
{
	return strcmp(service, "http") == 0 || strcmp(service, "https") == 0;
}

/* A hash of what one observation answered, 0 when it said nothing. */
static uint64_t
answer_hash(const struct obs *o)
{
	const char	*v;
	uint64_t	 h = FNV1A_INIT;
	size_t		 i;
	bool		 any = false;

	if (is_web(o->service))
		return 0;
	for (i = 0; i < NELEM(answer_fields); i++) {
		if ((v = obs_get(o, answer_fields[i])) == NULL)
			continue;
		h = fp_fnv1a(h, answer_fields[i], strlen(answer_fields[i]) +
		    1);
		h = fp_fnv1a(h, v, strlen(v) + 1);
		any = true;
	}
	return any && h != 0 ? h : 0;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The longest run of one non-zero hash. */
static size_t
most_same(const struct fp_host_obs *ho, size_t n)
{
	uint64_t	*h;
	size_t		 i, k = 0, run = 0, best = 0;

	if (n > HOST_HASH_MAX)
		n = HOST_HASH_MAX;
	if (n == 0 || (h = calloc(n, sizeof(*h))) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (ho[i].obs != NULL && (h[k] = answer_hash(ho[i].obs)) != 0)
			k++;
	if (k > 0)
		qsort(h, k, sizeof(*h), u64_cmp);
	for (i = 0; i < k; i++) {
		run = i > 0 && h[i] == h[i - 1] ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	free(h);
	return best;
}

/* Distinct non-empty services, counted against a small table. */
static size_t
distinct_services(const struct fp_host_obs *ho, size_t n)
{
	const char	*seen[HOST_SERVICES_MAX];
	size_t		 i, j, k = 0;

	for (i = 0; i < n && k < NELEM(seen); i++) {
		if (ho[i].obs == NULL || ho[i].obs->service[0] == '\0')
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(seen[j], ho[i].obs->service) == 0)
				break;
		if (j == k)
			seen[k++] = ho[i].obs->service;
	}
	return k;
}

void
fp_host_judge(const struct fp_host_obs *ho, size_t n, size_t nprobed,
    struct fp_host_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->nopen = n;
	v->nprobed = nprobed;
	v->nservices = distinct_services(ho, n);
	v->nsame = most_same(ho, n);
	if (nprobed >= HOST_PROBED_MIN && n * 100 >= nprobed * HOST_SHARE_MIN)
		snprintf(v->reason, sizeof(v->reason), "répond sur %zu des "
		    "%zu ports sondés (pare-feu, leurre ou pot de miel ?)", n,
		    nprobed);
	else if (n >= HOST_OPEN_MAX)
		snprintf(v->reason, sizeof(v->reason), "répond sur %zu ports "
		    "(pare-feu, leurre ou pot de miel ?)", n);
	else if (v->nservices >= HOST_SERVICES_MAX)
		snprintf(v->reason, sizeof(v->reason), "au moins %zu services "
		    "différents sur la même adresse (pot de miel ?)",
		    v->nservices);
	else if (v->nsame >= HOST_SAME_MAX)
		snprintf(v->reason, sizeof(v->reason), "la même réponse sur "
		    "%zu ports (leurre ou pot de miel ?)", v->nsame);
	v->suspect = v->reason[0] != '\0';
}

/* What the wrapping emit needs. */
struct host_emit {
	const struct fp_host_verdict	*v;
	void				(*emit)(void *, const struct finding *);
	void				*arg;
};

/*
 * "host=<reason>; " then the finding's evidence, within FP_EVIDENCE_MAX:
 * the evidence is cut on a UTF-8 boundary and marked "...".
 */
static void
note_evidence(char *out, size_t len, const char *reason, const char *ev)
{
	static const char	dots[] = "...";
	size_t			o, n, keep;
	int			w;

	w = snprintf(out, len, "host=%s%s", reason, ev[0] != '\0' ? "; " :
	    "");
	if (w < 0 || (size_t)w >= len)
		return;			/* cut by snprintf, NUL-terminated */
	o = (size_t)w;
	n = strlen(ev);
	if (o + n < len) {
		memcpy(out + o, ev, n + 1);
		return;
	}
	if (len - o <= sizeof(dots)) {
		out[o] = '\0';
		return;
	}
	keep = len - o - sizeof(dots);	/* room for "..." and the NUL */
	while (keep > 0 && ((unsigned char)ev[keep] & 0xc0) == 0x80)
		keep--;			/* a UTF-8 continuation byte */
	memcpy(out + o, ev, keep);
	memcpy(out + o + keep, dots, sizeof(dots));
}

static void
host_emit(void *arg, const struct finding *f)
{
	struct host_emit	*he = arg;
	struct finding		 g;
	char			 ev[FP_EVIDENCE_MAX];

	if (!he->v->suspect) {
		he->emit(he->arg, f);
		return;
	}
	g = *f;			/* fid stays the one of the plain evidence */
	g.confidence = "to-verify";
	note_evidence(ev, sizeof(ev), he->v->reason, f->evidence);
	g.evidence = ev;
	he->emit(he->arg, &g);
}

void
fp_eval_judged(const struct fp_rules *set, const struct vg_addr *addr,
    const struct fp_host_verdict *v, const struct fp_host_obs *ho, size_t n,
    const char *est, void (*emit)(void *, const struct finding *), void *arg)
{
	struct host_emit	he = { .v = v, .emit = emit, .arg = arg };
	size_t			i;

	for (i = 0; i < n; i++)
		if (ho[i].obs != NULL)
			fp_eval(set, ho[i].obs, addr, ho[i].port,
			    ho[i].proto != NULL ? ho[i].proto : "tcp", est,
			    host_emit, &he);
}

void
fp_eval_host(const struct fp_rules *set, const struct vg_addr *addr,
    const struct fp_host_obs *ho, size_t n, size_t nprobed, const char *est,
    void (*emit)(void *, const struct finding *), void *arg,
    struct fp_host_verdict *out)
{
	struct fp_host_verdict	v;

	fp_host_judge(ho, n, nprobed, &v);
	fp_eval_judged(set, addr, &v, ho, n, est, emit, arg);
	if (out != NULL)
		*out = v;
}
