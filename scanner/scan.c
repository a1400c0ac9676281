/*
 * scan.c - `vigie scan`: the pipeline from registry to findings.
 *
 * Set-up (may fail with exit status 1, before any packet): ports,
 * exclusions, registry, host names (resolved with evdns), targets, rules,
 * store.  Then one libevent loop runs the engine and the prober side by
 * side: every open port goes to the prober as soon as it is found, and
 * every observation is stored and written out.  When the sweep is over,
 * each host is judged and its findings made from the store (see "Findings"
 * below), stored and written out.  A failure of the store during the scan
 * stops it (exit status 2) with what was committed kept.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <jansson.h>

#include "vigie/engine.h"
#include "vigie/err.h"
#include "vigie/fp.h"
#include "vigie/log.h"
#include "vigie/obs.h"
#include "vigie/output.h"
#include "vigie/probe.h"
#include "vigie/registry.h"
#include "vigie/store.h"
#include "vigie/targets.h"

#include "scanner_internal.h"

#define RESOLVE_TIMEOUT_S	10
#define HOSTS_ROWS_MAX		(1u << 20)	/* silent hosts recorded */
#define FLUSH_INTERVAL_MS	500
#define JSONL_HOLD_MAX		(1u << 20)	/* JSON bytes held, at most */
#define UDP_PENDING_MAX		256	/* UDP probes queued at once */
#define HOST_OBS_MAX		1024	/* observations of a host held */
#define UDP_TICK_US		10000

struct name_map {
	struct vg_addr	addr;
	const char	*name;		/* borrowed from the registry */
};

struct est_count {
	unsigned	open;
	unsigned	sev[FP_SEV_CRITICAL + 1];
};

struct scan_ctx {
	const struct scan_config	*cfg;
	struct registry			 reg;
	struct portset			 ps;
	struct exclude			 ex;
	struct targetset		 ts;
	struct fp_rules			*rules;
	struct store			*st;
	int64_t				 scan_id;
	struct jsonl			*out;
	struct event_base		*base;
	struct prober			*pr;
	const struct scan_engine	*engine;
	void				*eng;
	struct event			*flush_ev, *sig_int, *sig_term;

	struct name_map			*names;
	size_t				 nnames;
	struct est_count		*counts;	/* per establishment */

	struct permute			 udp_perm;
	struct ratelimit		 udp_rl;
	uint64_t			 udp_next, udp_total;
	struct event			*udp_ev;
	bool				 udp_done;
	size_t				 resolving;
	bool				 resolve_phase;
	bool				 engine_done;
	bool				 finished;
	bool				 interrupted;
	int				 exit_status;
	bool				 resumed;
	bool				 no_probes;	/* --probes none */
	uint64_t			 start_at;
	char				*params;	/* JSON, for --resume */
	struct event			*progress_ev;
	uint64_t			 last_sent, last_us;
	struct vg_err			 err;
	char				 source[ADDR_STRLEN];
	char				 portspec[1024];
};


static const char *
name_for(const struct scan_ctx *sc, const struct vg_addr *a)
{
	size_t	i;

	for (i = 0; i < sc->nnames; i++)
		if (addr_cmp(&sc->names[i].addr, a) == 0)
			return sc->names[i].name;
	return NULL;
}

/* A store failure during the scan: stop, keep what was committed. */
static void
scan_fail(struct scan_ctx *sc)
{
	if (sc->exit_status == 0)
		log_err("%s", vg_err_str(&sc->err));
	sc->exit_status = 2;
	if (sc->eng != NULL)
		sc->engine->stop(sc->eng);
	event_base_loopbreak(sc->base);
}

/*
 * Findings.  A tarpit, an ACKing firewall or a honeypot shows only across
 * all the observations of one address (fingerprints/host.c), and the
 * permutation spreads a host's ports over the whole sweep: a host's
 * observations are all in only when the sweep and its probes are done.
 * So findings are made then, from the store: each host is judged once on
 * everything every run of the scan observed of it, and its findings are
 * evaluated under that verdict (a suspect host's are "to-verify" and say
 * why).  The store is the one source: a killed scan's observations are
 * kept, and the resumed run that completes judges them all.  A finding's
 * identity does not depend on the verdict, so one judged again (after an
 * interrupted run judged its host on part of its ports) is updated in
 * place and written out again, never stored twice.
 */

struct eval_arg {
	struct scan_ctx	*sc;
	const char	*est;
	uint32_t	 owner;
};

static void
on_finding(void *arg, const struct finding *f)
{
	struct eval_arg	*ea = arg;
	struct scan_ctx	*sc = ea->sc;

	int		 r;

	if ((r = store_add_finding(sc->st, sc->scan_id, ea->est, f,
	    &sc->err)) == -1) {
		scan_fail(sc);
		return;
	}
	if (r != 0)		/* new, or judged anew: not written before */
		jsonl_finding(sc->out, ea->est, f);
}

/* One host's observations, copied from the store, at most HOST_OBS_MAX
 * at a time. */
struct host_eval {
	struct scan_ctx		*sc;
	struct vg_addr		 addr;
	struct obs		*obs;
	struct fp_host_obs	*ho;
	size_t			 n;
	bool			 have;		/* addr is the host's */
	bool			 judged;	/* v holds its verdict */
	struct fp_host_verdict	 v;
	size_t			 nsuspect;
};

static void
eval_release(struct host_eval *he)
{
	size_t	i;

	for (i = 0; i < he->n; i++)
		obs_fini(&he->obs[i]);
	he->n = 0;
}

/* Judge the host on what is held, unless done, then evaluate what is held
 * for each establishment owning the address. */
static void
eval_held(struct host_eval *he)
{
	struct scan_ctx			*sc = he->sc;
	const struct target_range	*tr;
	struct eval_arg			 ea = { .sc = sc };
	size_t				 i;

	if (!he->judged) {
		fp_host_judge(he->ho, he->n, sc->ps.ntcp + sc->ps.nudp,
		    &he->v);
		he->judged = true;
		if (he->v.suspect)
			he->nsuspect++;
	}
	tr = targetset_find(&sc->ts, &he->addr);
	if (tr == NULL || tr->nowners == 0) {
		ea.est = "";
		ea.owner = UINT32_MAX;
		fp_eval_judged(sc->rules, &he->addr, &he->v, he->ho, he->n,
		    ea.est, on_finding, &ea);
	}
	for (i = 0; tr != NULL && i < tr->nowners &&
	    sc->exit_status == 0; i++) {
		ea.owner = tr->owners[i];
		ea.est = sc->reg.v[ea.owner].id;
		fp_eval_judged(sc->rules, &he->addr, &he->v, he->ho, he->n,
		    ea.est, on_finding, &ea);
	}
	eval_release(he);
}

/* A host's rows are over: its findings are committed with their lines. */
static void
eval_host_done(struct host_eval *he)
{
	struct scan_ctx	*sc = he->sc;

	if (he->have && sc->exit_status == 0)
		eval_held(he);
	eval_release(he);
	he->have = false;
	he->judged = false;
	if (sc->exit_status == 0) {
		if (store_flush(sc->st, &sc->err) == -1)
			scan_fail(sc);
		else
			jsonl_commit(sc->out);
	}
}

/* Rows come ordered by address, so a host's rows are together. */
static void
eval_row(void *arg, const struct vg_addr *a, uint16_t port,
    const char *proto, const struct obs *o)
{
	struct host_eval	*he = arg;
	struct obs		*c;

	if (he->sc->exit_status != 0)
		return;
	if (he->have && addr_cmp(&he->addr, a) != 0)
		eval_host_done(he);
	if (!he->have) {
		he->addr = *a;
		he->have = true;
	}
	/* Past the ceiling, the host is judged on what is held (it is
	 * suspect: HOST_OBS_MAX ports answered) and evaluated piecewise. */
	if (he->n == HOST_OBS_MAX)
		eval_held(he);
	c = &he->obs[he->n];
	obs_init(c);
	obs_set_service(c, o->service);
	snprintf(c->probe, sizeof(c->probe), "%s", o->probe);
	c->status = o->status;
	c->tls = o->tls;
	obs_merge(c, o);
	he->ho[he->n].obs = c;
	he->ho[he->n].port = port;
	he->ho[he->n].proto = proto != NULL && strcmp(proto, "udp") == 0 ?
	    "udp" : "tcp";
	he->n++;
}

static void
scan_evaluate(struct scan_ctx *sc)
{
	struct host_eval	he;

	if (sc->rules == NULL || sc->exit_status != 0)
		return;
	memset(&he, 0, sizeof(he));
	he.sc = sc;
	he.obs = calloc(HOST_OBS_MAX, sizeof(*he.obs));
	he.ho = calloc(HOST_OBS_MAX, sizeof(*he.ho));
	if (he.obs == NULL || he.ho == NULL) {
		vg_err_set(&sc->err, "scan", "out of memory");
		scan_fail(sc);
	} else if (store_flush(sc->st, &sc->err) == -1 ||
	    store_each_service(sc->st, sc->scan_id, eval_row, &he,
	    &sc->err) == -1) {
		scan_fail(sc);
	}
	eval_host_done(&he);
	free(he.obs);
	free(he.ho);
	if (he.nsuspect > 0 && !sc->cfg->quiet)
		log_info("%zu host%s answered like a tarpit, a firewall or a "
		    "honeypot: %s findings are to verify", he.nsuspect,
		    he.nsuspect > 1 ? "s" : "", he.nsuspect > 1 ? "their" :
		    "its");
}

static void
on_service(void *arg, const struct vg_addr *a, uint16_t port,
    const char *proto, const struct obs *o)
{
	struct scan_ctx			*sc = arg;

	/* UDP has no discovery of its own: the probe's answer is it.  An
	 * ICMP port unreachable means closed.  Silence is not recorded (open
	 * or filtered, nobody can tell), unless the probe says that there
	 * it means something: probe.udp_state=open|filtered, from a probe
	 * whose service drops what it cannot authenticate (OpenVPN with
	 * tls-auth), is recorded as that state, with the observation. */
	if (strcmp(proto, "udp") == 0) {
		const char	*us = obs_get(o, "probe.udp_state");
		const char	*state = o->status == OBS_REFUSED ? "closed" :
				    o->service[0] != '\0' ? "open" :
				    us != NULL && strcmp(us, "open|filtered") ==
				    0 ? "open|filtered" : NULL;

		if (state == NULL || (sc->resumed &&
		    store_has_port(sc->st, sc->scan_id, a, port, proto)))
			return;
		if (store_add_port(sc->st, sc->scan_id, a, port, proto, state,
		    &sc->err) == -1) {
			scan_fail(sc);
			return;
		}
		jsonl_port(sc->out, a, port, proto, state);
		if (o->status == OBS_REFUSED)
			return;
	}
	if (store_add_service(sc->st, sc->scan_id, a, port, proto, o,
	    &sc->err) == -1) {
		scan_fail(sc);
		return;
	}
	jsonl_service(sc->out, a, port, proto, o);
	/* Its findings wait for the host's other ports: scan_evaluate(). */
}

/* The end. */

static void	flush_cb(evutil_socket_t, short, void *);

/* At a sweep's answer rate (or while the hosts' lines are written at
 * the end), lines pile up between two flushes: commit early rather than
 * hold megabytes. */
static void
flush_if_full(struct scan_ctx *sc)
{
	if (jsonl_pending(sc->out) > JSONL_HOLD_MAX)
		flush_cb(-1, 0, sc);
}

/* A host's line, from what the store holds of it (a resumed scan's
 * earlier runs included): no per-host table grows in memory. */
static void
write_host(struct scan_ctx *sc, const struct vg_addr *a)
{
	unsigned	open, closed, filtered;
	const char	*state;

	if (store_host_ports(sc->st, sc->scan_id, a, &open, &closed,
	    &sc->err) == -1) {
		scan_fail(sc);
		return;
	}
	filtered = (unsigned)sc->ps.ntcp - open - closed;

	/* Whatever did not answer is filtered: the SYN engine reports
	 * only answers, the connect engine also silence. */
	if (open > 0)
		state = "up";
	else if (closed > 0)
		state = "closed";
	else
		state = "silent";
	if (store_add_host(sc->st, sc->scan_id, a, state, open, closed,
	    filtered, &sc->err) == -1) {
		scan_fail(sc);
		return;
	}
	jsonl_host(sc->out, a, state, open, closed, filtered);
	flush_if_full(sc);
}

/* The summary counts come from the store, so that a resumed scan
 * counts what its earlier runs found too. */
static void
count_port(void *arg, const struct vg_addr *a, uint16_t port,
    const char *state)
{
	struct scan_ctx			*sc = arg;
	const struct target_range	*tr;
	size_t				 i;

	(void)port;
	if (strcmp(state, "open") != 0 ||
	    (tr = targetset_find(&sc->ts, a)) == NULL)
		return;
	for (i = 0; i < tr->nowners; i++)
		sc->counts[tr->owners[i]].open++;
}

static void
count_findings(void *arg, const char *est, const char *severity, unsigned n)
{
	struct scan_ctx		*sc = arg;
	enum fp_severity	 sev;
	size_t			 i;

	if (fp_severity_parse(severity, &sev) == -1)
		return;
	for (i = 0; i < sc->reg.n; i++)
		if (strcmp(sc->reg.v[i].id, est) == 0)
			sc->counts[i].sev[sev] += n;
}

static void
print_summary(struct scan_ctx *sc, FILE *fp)
{
	size_t	i;

	memset(sc->counts, 0, sc->reg.n * sizeof(*sc->counts));
	if (store_flush(sc->st, &sc->err) == -1 ||
	    store_each_port(sc->st, sc->scan_id, count_port, sc,
	    &sc->err) == -1 ||
	    store_finding_counts(sc->st, sc->scan_id, count_findings, sc,
	    &sc->err) == -1) {
		log_err("%s", vg_err_str(&sc->err));
		return;
	}
	fprintf(fp, "\n%-9s  %-30s %5s %5s %5s %5s %5s %5s\n", "FINESS",
	    "Établissement", "ports", "crit", "high", "med", "low", "info");
	for (i = 0; i < sc->reg.n; i++) {
		const struct establishment	*e = &sc->reg.v[i];
		const struct est_count		*c = &sc->counts[i];
		char				 name[128];
		size_t				 n, cut = 0, chars = 0;

		/* Cut the name at 30 characters, not bytes. */
		snprintf(name, sizeof(name), "%s", e->name ? e->name : "");
		for (n = 0; name[n] != '\0'; n++) {
			if (((unsigned char)name[n] & 0xc0) != 0x80) {
				if (chars == 30)
					break;
				chars++;
			}
			cut = n + 1;
		}
		name[cut] = '\0';
		fprintf(fp, "%-9s  %s%*s %5u %5u %5u %5u %5u %5u\n", e->id, name,
		    (int)(30 - chars), "", c->open, c->sev[FP_SEV_CRITICAL],
		    c->sev[FP_SEV_HIGH], c->sev[FP_SEV_MEDIUM],
		    c->sev[FP_SEV_LOW], c->sev[FP_SEV_INFO]);
	}
}

static void
scan_finish(struct scan_ctx *sc)
{
	struct engine_stats	est;
	struct vg_addr		a;
	uint64_t		i;

	if (sc->finished)
		return;
	sc->finished = true;
	scan_evaluate(sc);
	if (sc->exit_status == 0 && sc->ts.naddrs <= HOSTS_ROWS_MAX) {
		for (i = 0; i < sc->ts.naddrs && sc->exit_status == 0; i++) {
			targetset_addr(&sc->ts, i, &a, NULL);
			write_host(sc, &a);
		}
	}
	if (!sc->cfg->quiet && isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (sc->exit_status == 0) {
		const char	*status = sc->interrupted ? "aborted" :
				    "complete";
		struct engine_stats	st;

		sc->engine->stats(sc->eng, &st);
		if (store_checkpoint(sc->st, sc->scan_id, st.checkpoint,
		    sc->params, &sc->err) == -1)
			scan_fail(sc);

		if (store_scan_end(sc->st, sc->scan_id, status, &sc->err) ==
		    -1)
			scan_fail(sc);
		jsonl_scan(sc->out, sc->scan_id, status);
		if (sc->exit_status == 0)
			jsonl_commit(sc->out);
	}
	sc->engine->stats(sc->eng, &est);
	if (!sc->cfg->quiet) {
		fprintf(stderr, "vigie: scan %lld %s: %llu probes sent, %llu "
		    "open, %llu closed, %llu filtered",
		    (long long)sc->scan_id, sc->interrupted ? "interrupted" :
		    "done", (unsigned long long)est.sent,
		    (unsigned long long)est.open,
		    (unsigned long long)est.closed,
		    (unsigned long long)est.filtered);
		if (strcmp(sc->engine->name, "syn") == 0)
			fprintf(stderr, ", %llu replies, %llu dropped, %llu "
			    "invalid", (unsigned long long)est.replies,
			    (unsigned long long)est.dropped,
			    (unsigned long long)est.invalid);
		fputc('\n', stderr);
		print_summary(sc, stdout);
	}
	event_base_loopexit(sc->base, NULL);
}

static void
on_prober_idle(void *arg)
{
	struct scan_ctx	*sc = arg;

	if (sc->engine_done && sc->udp_done)
		scan_finish(sc);
}

static void
on_engine_done(void *arg)
{
	struct scan_ctx	*sc = arg;

	sc->engine_done = true;
	if (sc->udp_done && prober_pending(sc->pr) == 0)
		scan_finish(sc);
}

/*
 * UDP ports are handed to their probes directly, in the permuted order
 * of (address, UDP port), at the scan's rate, with a bounded number
 * waiting in the prober.
 */
static void
udp_tick(evutil_socket_t fd, short what, void *arg)
{
	struct scan_ctx	*sc = arg;
	uint64_t	 tokens, x, naddrs = sc->ts.naddrs;
	struct vg_addr	 a;
	uint16_t	 port;

	(void)fd;
	(void)what;
	if (sc->pr == NULL || sc->finished) {	/* interrupted */
		event_del(sc->udp_ev);
		return;
	}
	tokens = ratelimit_take(&sc->udp_rl, UDP_PENDING_MAX, clock_us());
	while (tokens > 0 && sc->udp_next < sc->udp_total &&
	    prober_pending(sc->pr) < UDP_PENDING_MAX && !sc->interrupted) {
		x = permute_at(&sc->udp_perm, sc->udp_next++);
		targetset_addr(&sc->ts, x % naddrs, &a, NULL);
		port = sc->ps.udp[x / naddrs];
		if (prober_submit_udp(sc->pr, &a, port, name_for(sc, &a)) ==
		    0)
			tokens--;
	}
	if (sc->udp_next >= sc->udp_total || sc->interrupted) {
		sc->udp_done = true;
		event_del(sc->udp_ev);
		if (sc->engine_done && prober_pending(sc->pr) == 0)
			scan_finish(sc);
	}
}

/*
 * An answer.  The store's primary key is the duplicate filter: a second
 * answer for the same port (a retry's, a retransmission, or one a
 * resumed scan already had before it was killed) is neither stored,
 * written nor probed again.  Filtered ports are not stored: a host's
 * filtered count is what did not answer.
 */
static int
on_port(void *arg, const struct vg_addr *a, uint16_t port,
    enum port_state state)
{
	struct scan_ctx	*sc = arg;
	int		 r;

	if (state == PORT_FILTERED)
		return 1;
	if ((r = store_add_port_once(sc->st, sc->scan_id, a, port, "tcp",
	    port_state_str(state), &sc->err)) != 1) {
		if (r == -1)
			scan_fail(sc);
		return r;
	}
	jsonl_port(sc->out, a, port, "tcp", port_state_str(state));
	flush_if_full(sc);
	/* After an interrupt the prober is gone; late answers are stored. */
	if (state == PORT_OPEN && !sc->no_probes && sc->pr != NULL &&
	    prober_submit(sc->pr, a, port, name_for(sc, a)) == -1) {
		vg_err_set(&sc->err, "probes", "out of memory");
		scan_fail(sc);
	}
	return 1;
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct scan_ctx	*sc = arg;

	struct engine_stats	 est;

	(void)fd;
	(void)what;
	/* The checkpoint goes in the same transaction as the results it
	 * covers: a kill loses both or neither. */
	sc->engine->stats(sc->eng, &est);
	if (store_checkpoint(sc->st, sc->scan_id, est.checkpoint, sc->params,
	    &sc->err) == -1 || store_flush(sc->st, &sc->err) == -1)
		scan_fail(sc);
	else
		jsonl_commit(sc->out);
}

/* A progress line on a terminal, and JSON lines for machines. */
static void
progress_cb(evutil_socket_t fd, short what, void *arg)
{
	struct scan_ctx		*sc = arg;
	struct engine_stats	 est;
	uint64_t		 now = clock_us(), eta = 0;
	double			 pps = 0, frac;

	(void)fd;
	(void)what;
	sc->engine->stats(sc->eng, &est);
	if (sc->last_us != 0 && now > sc->last_us)
		pps = (double)(est.sent - sc->last_sent) * 1e6 /
		    (double)(now - sc->last_us);
	sc->last_sent = est.sent;
	sc->last_us = now;
	frac = est.total > 0 ? (double)est.done / (double)est.total : 1;
	if (pps > 0 && est.total > est.done)
		eta = (uint64_t)((double)(est.total - est.done) *
		    (1 + sc->cfg->retries) / pps);
	if (sc->cfg->status_fd >= 0)
		dprintf(sc->cfg->status_fd, "{\"scan\":%lld,\"done\":%llu,"
		    "\"total\":%llu,\"sent\":%llu,\"pps\":%.0f,"
		    "\"eta_s\":%llu,\"open\":%llu,\"closed\":%llu,"
		    "\"replies_dropped\":%llu,\"probes_pending\":%zu}\n",
		    (long long)sc->scan_id, (unsigned long long)est.done,
		    (unsigned long long)est.total,
		    (unsigned long long)est.sent, pps,
		    (unsigned long long)eta, (unsigned long long)est.open,
		    (unsigned long long)est.closed,
		    (unsigned long long)est.dropped,
		    sc->pr != NULL ? prober_pending(sc->pr) : 0);
	if (!sc->cfg->quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "\rvigie: %5.1f%% %llu/%llu, %.0f pps, ETA "
		    "%llu:%02llu, open %llu, probing %zu, dropped %llu   ",
		    100 * frac, (unsigned long long)est.done,
		    (unsigned long long)est.total, pps,
		    (unsigned long long)(eta / 60),
		    (unsigned long long)(eta % 60),
		    (unsigned long long)est.open,
		    sc->pr != NULL ? prober_pending(sc->pr) : 0,
		    (unsigned long long)est.dropped);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct scan_ctx	*sc = arg;

	(void)what;
	if (sc->interrupted) {
		/* Second signal: stop now, keep what is committed. */
		event_base_loopbreak(sc->base);
		return;
	}
	log_warn("signal %d: stopping; the scan is recorded as aborted",
	    (int)sig);
	sc->interrupted = true;
	sc->engine->stop(sc->eng);
	prober_free(sc->pr);
	sc->pr = NULL;
	scan_finish(sc);
}

/* Host names. */

struct resolve_arg {
	struct scan_ctx		*sc;
	struct establishment	*e;
	const char		*name;
	bool			 v6;
};

static void
resolve_cb(int result, char type, int count, int ttl, void *addrs,
    void *arg)
{
	struct resolve_arg	*ra = arg;
	struct scan_ctx		*sc = ra->sc;
	struct vg_addr		 a;
	struct name_map		*nm;
	int			 i;

	(void)ttl;
	if (result == DNS_ERR_NONE && (type == DNS_IPv4_A ||
	    type == DNS_IPv6_AAAA)) {
		for (i = 0; i < count; i++) {
			memset(&a, 0, sizeof(a));
			a.family = type == DNS_IPv4_A ? 4 : 6;
			memcpy(a.a, (const uint8_t *)addrs + i * (a.family ==
			    4 ? 4 : 16), a.family == 4 ? 4 : 16);
			if (registry_add_address(ra->e, &a) == -1)
				continue;
			nm = realloc(sc->names, (sc->nnames + 1) *
			    sizeof(*nm));
			if (nm == NULL)
				continue;
			sc->names = nm;
			nm[sc->nnames].addr = a;
			nm[sc->nnames++].name = ra->name;
		}
	} else if (!ra->v6) {
		log_warn("%s: hostnames: %s: %s", ra->e->where, ra->name,
		    evdns_err_to_string(result));
	}
	free(ra);
	if (--sc->resolving == 0 && sc->resolve_phase)
		event_base_loopbreak(sc->base);
}

static void
resolve_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct scan_ctx	*sc = arg;

	(void)fd;
	(void)what;
	log_warn("host names: no answer within %d s", RESOLVE_TIMEOUT_S);
	event_base_loopbreak(sc->base);
}

static int
resolve_names(struct scan_ctx *sc)
{
	struct evdns_base	*dns;
	struct resolve_arg	*ra;
	struct timeval		 tv = { RESOLVE_TIMEOUT_S, 0 };
	struct event		*timer;
	size_t			 i, j;
	int			 v6;

	for (i = 0, j = 0; i < sc->reg.n; i++)
		j += sc->reg.v[i].nhostnames;
	if (j == 0)
		return 0;
	dns = evdns_base_new(sc->base, sc->cfg->resolver != NULL ? 0 :
	    EVDNS_BASE_INITIALIZE_NAMESERVERS);
	if (dns == NULL) {
		log_err("cannot set up DNS resolution (/etc/resolv.conf)");
		return -1;
	}
	if (sc->cfg->resolver != NULL &&
	    evdns_base_nameserver_ip_add(dns, sc->cfg->resolver) != 0) {
		log_err("--resolver: '%s' is not a name server address",
		    sc->cfg->resolver);
		evdns_base_free(dns, 0);
		return -1;
	}
	for (i = 0; i < sc->reg.n; i++)
		for (j = 0; j < sc->reg.v[i].nhostnames; j++)
			for (v6 = 0; v6 <= 1; v6++) {
				if ((ra = calloc(1, sizeof(*ra))) == NULL)
					continue;
				ra->sc = sc;
				ra->e = &sc->reg.v[i];
				ra->name = sc->reg.v[i].hostnames[j];
				ra->v6 = v6;
				sc->resolving++;
				if ((v6 ? evdns_base_resolve_ipv6 :
				    evdns_base_resolve_ipv4)(dns, ra->name,
				    DNS_QUERY_NO_SEARCH, resolve_cb, ra) ==
				    NULL) {
					sc->resolving--;
					free(ra);
				}
			}
	if (sc->resolving > 0) {
		/* A timer of its own: a loopexit with a delay would stay
		 * armed and end the scan's loop later. */
		if ((timer = evtimer_new(sc->base, resolve_timeout_cb,
		    sc)) != NULL) {
			evtimer_add(timer, &tv);
			sc->resolve_phase = true;
			event_base_dispatch(sc->base);
			sc->resolve_phase = false;
			event_free(timer);
		}
	}
	/* Requests still pending are cancelled: their callbacks run now. */
	evdns_base_free(dns, 1);
	return 0;
}

/* The source address the kernel would use towards the first target: a
 * connected UDP socket sends nothing. */
static void
find_source(struct scan_ctx *sc)
{
	struct sockaddr_storage	 ss, local;
	socklen_t		 len = sizeof(local), sslen;
	struct vg_addr		 a;
	int			 fd;

	snprintf(sc->source, sizeof(sc->source), "?");
	if (sc->ts.n == 0)
		return;
	a = sc->ts.v[0].r.first;
	sslen = addr_to_sockaddr(&a, 9, &ss);
	memset(&local, 0, sizeof(local));
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (connect(fd, (struct sockaddr *)&ss, sslen) == 0 &&
	    getsockname(fd, (struct sockaddr *)&local, &len) == 0 &&
	    addr_from_sockaddr(&a, &local) == 0)
		addr_str(&a, sc->source);
	close(fd);
}

/*
 * Politeness.  Both engines spread probes evenly over the addresses (the
 * permutation), so an address receives rate / naddrs probes per second,
 * a /24 rate * (its addresses / naddrs), an establishment rate * (its
 * addresses / naddrs).  The global rate is lowered until the busiest of
 * each stays within its cap.
 */
static uint32_t
politeness_rate(struct scan_ctx *sc)
{
	const struct scan_config	*cfg = sc->cfg;
	uint64_t			*est_n, net_max = 0, run = 0, est_max = 0;
	double				 rate = cfg->rate, lim;
	uint32_t			 prev24 = 0;
	const char			*why = NULL;
	struct vg_addr			 a;
	uint64_t			 i, k;
	size_t				 j;

	if (cfg->host_rate > 0) {
		lim = (double)cfg->host_rate * (double)sc->ts.naddrs;
		if (lim < rate) {
			rate = lim;
			why = "per-host";
		}
	}
	/* The fullest /24 (ranges are sorted and disjoint). */
	for (j = 0; j < sc->ts.n; j++) {
		for (k = 0; k < sc->ts.v[j].r.count && k < 65536; k++) {
			a = sc->ts.v[j].r.first;
			addr_add(&a, k);
			if (a.family != 4)
				break;
			if ((addr_v4(&a) >> 8) != prev24 || run == 0) {
				prev24 = addr_v4(&a) >> 8;
				run = 0;
			}
			if (++run > net_max)
				net_max = run;
		}
	}
	if (cfg->net24_rate > 0 && net_max > 0) {
		lim = (double)cfg->net24_rate * (double)sc->ts.naddrs /
		    (double)net_max;
		if (lim < rate) {
			rate = lim;
			why = "per-/24";
		}
	}
	if (cfg->est_rate > 0 && (est_n = calloc(sc->reg.n,
	    sizeof(*est_n))) != NULL) {
		for (j = 0; j < sc->ts.n; j++)
			for (i = 0; i < sc->ts.v[j].nowners; i++)
				est_n[sc->ts.v[j].owners[i]] +=
				    sc->ts.v[j].r.count;
		for (j = 0; j < sc->reg.n; j++)
			if (est_n[j] > est_max)
				est_max = est_n[j];
		free(est_n);
		if (est_max > 0) {
			lim = (double)cfg->est_rate * (double)sc->ts.naddrs /
			    (double)est_max;
			if (lim < rate) {
				rate = lim;
				why = "per-establishment";
			}
		}
	}
	if (rate < 1)
		rate = 1;
	if (why != NULL && !cfg->quiet)
		log_info("rate %.0f probes/s (from %u): the %s cap bounds it",
		    rate, cfg->rate, why);
	return (uint32_t)rate;
}

/* Set-up: everything that can fail on bad input, before any packet. */
static int
scan_setup(struct scan_ctx *sc)
{
	const struct scan_config	*cfg = sc->cfg;
	struct vg_err			 err;
	struct vg_cidr			 c;
	char				 item[128], where[300];
	const char			*p, *why;
	size_t				 i, j, n;

	vg_err_clear(&err);
	if (portset_parse(&sc->ps, cfg->ports != NULL ? cfg->ports :
	    "default", &err) == -1)
		goto bad;
	portset_str(&sc->ps, sc->portspec, sizeof(sc->portspec));
	for (i = 0; i < sc->ps.nudp; i++)
		if (probe_for_udp_port(sc->ps.udp[i]) == NULL)
			log_warn("--ports: U:%u: no UDP probe speaks on this "
			    "port; it is not scanned", sc->ps.udp[i]);
	exclude_init(&sc->ex);
	if (cfg->exclude != NULL && exclude_load(&sc->ex, cfg->exclude,
	    &err) == -1)
		goto bad;
	for (p = cfg->allow; p != NULL && *p != '\0'; p += n) {
		p += strspn(p, ", ");
		n = strcspn(p, ", ");
		if (n == 0)
			break;
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (cidr_parse(item, false, &c) == -1) {
			vg_err_set(&err, "--allow", "'%s' is not a CIDR", item);
			goto bad;
		}
		exclude_allow(&sc->ex, &c);
	}
	registry_init(&sc->reg);
	if (cfg->registry != NULL &&
	    registry_load(&sc->reg, cfg->registry, stderr, &err) == -1)
		goto bad;
	if (cfg->targets != NULL &&
	    registry_add_adhoc(&sc->reg, cfg->targets, &err) == -1)
		goto bad;
	if (sc->reg.n == 0) {
		vg_err_set(&err, "scan", "give --registry FILE or --target "
		    "CIDR");
		goto bad;
	}
	if ((sc->base = event_base_new()) == NULL) {
		vg_err_set(&err, "scan", "cannot create the event loop");
		goto runtime;
	}
	if (resolve_names(sc) == -1)
		return 1;
	targetset_init(&sc->ts);
	for (i = 0; i < sc->reg.n; i++) {
		const struct establishment	*e = &sc->reg.v[i];

		for (j = 0; j < e->nranges; j++) {
			if ((why = exclude_reserved(&sc->ex,
			    &e->ranges[j])) != NULL) {
				cidr_str(&e->ranges[j], item, sizeof(item));
				snprintf(where, sizeof(where), "%s", e->where);
				log_warn("%s: ranges: %s refused (%s); only "
				    "--allow lifts this, for labs", where,
				    item, why);
			}
			if (targetset_add(&sc->ts, &e->ranges[j], (uint32_t)i,
			    &err) == -1) {
				snprintf(where, sizeof(where), "%.64s: ranges: "
				    "%.64s", e->where, err.where);
				vg_err_set(&err, where, "%s", err.msg);
				goto bad;
			}
		}
	}
	if (targetset_finish(&sc->ts, &sc->ex, &err) == -1)
		goto runtime;
	if (sc->ts.naddrs == 0) {
		vg_err_set(&err, "scan", "no address left to scan after the "
		    "exclusion list (%llu refused)",
		    (unsigned long long)sc->ts.nrefused);
		goto bad;
	}
	if (sc->ps.ntcp == 0) {
		vg_err_set(&err, "--ports", "no TCP port to scan");
		goto bad;
	}
	if ((sc->counts = calloc(sc->reg.n + 1, sizeof(*sc->counts))) ==
	    NULL) {
		vg_err_set(&err, "scan", "out of memory");
		goto runtime;
	}
	if ((sc->rules = fp_rules_load(cfg->rules != NULL ? cfg->rules :
	    VIGIE_RULES_DIR, &err)) == NULL)
		goto bad;
	find_source(sc);
	return 0;
bad:
	log_err("%s", vg_err_str(&err));
	return 1;
runtime:
	log_err("%s", vg_err_str(&err));
	return 2;
}

/* FNV-1a, for fingerprints of the scan's parameters. */
static uint64_t
fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t
file_hash(const char *path)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	char		 buf[8192];
	size_t		 n;
	FILE		*fp;

	if (path == NULL || (fp = fopen(path, "rb")) == NULL)
		return 0;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		h = fnv(h, buf, n);
	fclose(fp);
	return h;
}

/*
 * Everything that changes a scan's result, as canonical JSON: the
 * targets after exclusions (and which establishment owns what), ports,
 * seed, shard, exclusion list.  --resume refuses other values.
 */
static int
scan_params(struct scan_ctx *sc)
{
	const struct scan_config	*cfg = sc->cfg;
	uint64_t			 h = 0xcbf29ce484222325ULL;
	char				 hex[3][24], shard[32];
	json_t				*o;
	size_t				 i, j;

	for (i = 0; i < sc->ts.n; i++) {
		const struct target_range	*r = &sc->ts.v[i];

		h = fnv(h, &r->r.first, sizeof(r->r.first));
		h = fnv(h, &r->r.count, sizeof(r->r.count));
		for (j = 0; j < r->nowners; j++)
			h = fnv(h, sc->reg.v[r->owners[j]].id, FINESS_LEN);
	}
	snprintf(hex[0], sizeof(hex[0]), "%016llx", (unsigned long long)h);
	snprintf(hex[1], sizeof(hex[1]), "%016llx",
	    (unsigned long long)file_hash(cfg->exclude));
	snprintf(hex[2], sizeof(hex[2]), "%llu", (unsigned long long)cfg->seed);
	snprintf(shard, sizeof(shard), "%u/%u", cfg->shard + 1, cfg->nshards);
	o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:i}",
	    "targets", hex[0], "addresses", (json_int_t)sc->ts.naddrs,
	    "ports", sc->portspec, "seed", hex[2], "shard", shard,
	    "exclude", hex[1], "allow", cfg->allow != NULL ? cfg->allow : "",
	    "retries", (int)cfg->retries);
	if (o == NULL)
		return -1;
	sc->params = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return sc->params != NULL ? 0 : -1;
}

/* --resume: which scan, from which position.  Exit status or 0. */
static int
scan_resume_point(struct scan_ctx *sc)
{
	if (!sc->cfg->resume)
		return 0;
	if ((sc->st = store_open(sc->cfg->db, false, &sc->err)) == NULL)
		return 1;
	if (store_resume_find(sc->st, sc->params, &sc->scan_id,
	    &sc->start_at, &sc->err) == -1)
		return 1;
	sc->resumed = true;
	return 0;
}

static void
resume_probe(void *arg, const struct vg_addr *a, uint16_t port)
{
	struct scan_ctx	*sc = arg;

	if (prober_submit(sc->pr, a, port, name_for(sc, a)) == -1) {
		vg_err_set(&sc->err, "probes", "out of memory");
		scan_fail(sc);
	}
}

static int
scan_open_outputs(struct scan_ctx *sc)
{
	struct scan_meta	 meta;
	size_t			 i;

	if (sc->resumed) {
		if (store_scan_reopen(sc->st, sc->scan_id, &sc->err) == -1)
			return 2;
	} else {
		if ((sc->st = store_open(sc->cfg->db, false, &sc->err)) ==
		    NULL)
			return 1;
		memset(&meta, 0, sizeof(meta));
		meta.mode = sc->cfg->mode;
		meta.ports = sc->portspec;
		meta.targets = sc->cfg->registry != NULL ? sc->cfg->registry :
		    sc->cfg->targets;
		meta.source = sc->source;
		meta.rules_version = fp_rules_version(sc->rules);
		meta.argv = sc->cfg->argv;
		if ((sc->scan_id = store_scan_begin(sc->st, &meta,
		    &sc->err)) == -1)
			return 2;
		for (i = 0; i < sc->reg.n; i++)
			if (store_add_establishment(sc->st, sc->scan_id,
			    &sc->reg.v[i], &sc->err) == -1)
				return 2;
		if (store_checkpoint(sc->st, sc->scan_id, 0, sc->params,
		    &sc->err) == -1)
			return 2;
	}
	if (store_flush(sc->st, &sc->err) == -1)
		return 2;
	if (sc->cfg->out != NULL &&
	    (sc->out = jsonl_open(sc->cfg->out, &sc->err)) == NULL)
		return 1;
	return 0;
}

int
scan_run(const struct scan_config *cfg)
{
	struct scan_ctx		 sc;
	struct engine_params	 ep;
	struct prober_config	 pc;
	struct timeval		 tv = { 0, FLUSH_INTERVAL_MS * 1000 };
	char			 ua[512];
	int			 rc;

	memset(&sc, 0, sizeof(sc));
	sc.cfg = cfg;
	/* --probes none: discovery only (benchmarks, quick inventories). */
	sc.no_probes = cfg->probes != NULL && strcmp(cfg->probes, "none") == 0;
	if ((rc = scan_setup(&sc)) != 0)
		goto out;
	if (scan_params(&sc) == -1) {
		log_err("scan: out of memory");
		rc = 2;
		goto out;
	}
	if ((rc = scan_resume_point(&sc)) != 0) {
		log_err("%s", vg_err_str(&sc.err));
		goto out;
	}

	/* The engine first: a scan that cannot start (no raw socket, no
	 * route) leaves no database behind. */
	memset(&ep, 0, sizeof(ep));
	ep.targets = &sc.ts;
	ep.ports = &sc.ps;
	ep.max_inflight = cfg->max_inflight;
	ep.per_host = cfg->per_host;
	ep.timeout_ms = cfg->timeout_ms;
	ep.retries = cfg->retries;
	ep.seed = cfg->seed;
	ep.shard = cfg->shard;
	ep.nshards = cfg->nshards;
	ep.start_at = sc.start_at;
	ep.on_port = on_port;
	ep.on_done = on_engine_done;
	ep.arg = &sc;
	ep.cooldown_ms = cfg->cooldown_ms;
	ep.iface = cfg->iface;
	ep.source = cfg->source_ip;
	ep.gateway_mac = cfg->gateway_mac;
	ep.tx = cfg->tx;
	ep.rate = politeness_rate(&sc);
	if ((sc.engine = engine_find(cfg->mode)) == NULL) {
		log_err("--mode: '%s' is not syn or connect", cfg->mode);
		rc = 1;
		goto out;
	}
	if ((sc.eng = sc.engine->open(sc.base, &ep, &sc.err)) == NULL) {
		log_err("%s", vg_err_str(&sc.err));
		rc = 1;
		goto out;
	}
	if ((rc = scan_open_outputs(&sc)) != 0) {
		log_err("%s", vg_err_str(&sc.err));
		goto out;
	}
	if (cfg->user != NULL && privdrop(cfg->user, &sc.err, store_path(sc.st),
	    cfg->out) == -1) {
		log_err("%s", vg_err_str(&sc.err));
		rc = 2;
		goto out;
	}
	if (!cfg->quiet)
		fprintf(stderr, "vigie: scan %lld%s: %zu establishments, %llu "
		    "addresses (%llu refused), %zu ports, %s mode, from %s\n",
		    (long long)sc.scan_id, sc.resumed ? " resumed" : "",
		    sc.reg.n, (unsigned long long)sc.ts.naddrs,
		    (unsigned long long)sc.ts.nrefused, sc.ps.ntcp,
		    sc.engine->name, sc.source);

	snprintf(ua, sizeof(ua), "Vigie/%s (audit d'exposition; contact: %s)",
	    VIGIE_VERSION, cfg->contact != NULL ? cfg->contact :
	    "cert@example.org");
	memset(&pc, 0, sizeof(pc));
	pc.timeout_ms = cfg->probe_timeout_ms;
	pc.max_sessions = cfg->max_inflight < 64 ? cfg->max_inflight : 64;
	pc.per_host = 2;
	pc.user_agent = ua;
	pc.only = cfg->probes;
	if ((sc.pr = prober_new(sc.base, &pc, on_service, &sc, &sc.err)) ==
	    NULL) {
		log_err("%s", vg_err_str(&sc.err));
		rc = 2;
		goto out;
	}
	prober_on_idle(sc.pr, on_prober_idle, &sc);
	/* Open ports found before a kill whose probes never finished. */
	if (sc.resumed && store_each_unprobed(sc.st, sc.scan_id, resume_probe,
	    &sc, &sc.err) == -1) {
		log_err("%s", vg_err_str(&sc.err));
		rc = 2;
		goto out;
	}
	{
		struct timeval	one = { 1, 0 };

		sc.progress_ev = event_new(sc.base, -1, EV_PERSIST,
		    progress_cb, &sc);
		if (sc.progress_ev != NULL && (cfg->status_fd >= 0 ||
		    (!cfg->quiet && isatty(STDERR_FILENO))))
			event_add(sc.progress_ev, &one);
	}
	sc.flush_ev = event_new(sc.base, -1, EV_PERSIST, flush_cb, &sc);
	sc.sig_int = evsignal_new(sc.base, SIGINT, signal_cb, &sc);
	sc.sig_term = evsignal_new(sc.base, SIGTERM, signal_cb, &sc);
	if (sc.flush_ev == NULL || sc.sig_int == NULL || sc.sig_term == NULL) {
		log_err("cannot set up the event loop");
		rc = 2;
		goto out;
	}
	event_add(sc.flush_ev, &tv);
	event_add(sc.sig_int, NULL);
	event_add(sc.sig_term, NULL);
	signal(SIGPIPE, SIG_IGN);
	sc.engine->start(sc.eng);
	sc.udp_total = sc.no_probes ? 0 : sc.ts.naddrs * sc.ps.nudp;
	sc.udp_done = sc.udp_total == 0;
	if (!sc.udp_done) {
		struct timeval	t = { 0, UDP_TICK_US };

		permute_init(&sc.udp_perm, sc.udp_total, cfg->seed ^ 0x554450);
		ratelimit_init(&sc.udp_rl, ep.rate, ep.rate / 100.0 + 1,
		    clock_us());
		if ((sc.udp_ev = event_new(sc.base, -1, EV_PERSIST, udp_tick,
		    &sc)) == NULL) {
			log_err("cannot set up the event loop");
			rc = 2;
			goto out;
		}
		event_add(sc.udp_ev, &t);
	}
	event_base_dispatch(sc.base);
	if (!sc.finished && sc.exit_status == 0) {
		log_err("scan %lld: the event loop ended before the scan did",
		    (long long)sc.scan_id);
		sc.exit_status = 2;
	}
	rc = sc.exit_status != 0 ? sc.exit_status :
	    sc.interrupted ? 2 : 0;
out:
	if (sc.flush_ev != NULL)
		event_free(sc.flush_ev);
	if (sc.progress_ev != NULL)
		event_free(sc.progress_ev);
	if (sc.udp_ev != NULL)
		event_free(sc.udp_ev);
	if (sc.sig_int != NULL)
		event_free(sc.sig_int);
	if (sc.sig_term != NULL)
		event_free(sc.sig_term);
	prober_free(sc.pr);
	if (sc.eng != NULL)
		sc.engine->close(sc.eng);
	if (sc.st != NULL && store_flush(sc.st, &sc.err) == -1) {
		log_err("%s", vg_err_str(&sc.err));
		rc = 2;
	} else {
		jsonl_commit(sc.out);
	}
	store_close(sc.st);
	jsonl_close(sc.out);
	fp_rules_free(sc.rules);
	targetset_fini(&sc.ts);
	registry_fini(&sc.reg);
	exclude_fini(&sc.ex);
	portset_fini(&sc.ps);
	free(sc.names);
	free(sc.counts);
	free(sc.params);
	if (sc.base != NULL)
		event_base_free(sc.base);
	return rc;
}
