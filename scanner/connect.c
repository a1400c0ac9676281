/*
 * connect.c - the unprivileged scan engine: non-blocking connect() on
 * libevent.
 *
 * Targets come from the keyed permutation of the (address, port) index
 * space, so consecutive attempts land on different hosts.  A millisecond
 * tick spends the token bucket's tokens on new attempts, within the
 * ceiling of attempts in flight and the per-host cap; an attempt that
 * would exceed its host's cap waits in a small queue.  A connect that
 * completes means open (the socket is closed at once with a reset, so the
 * server keeps no state), ECONNREFUSED means closed, and silence until
 * the timeout, after the retries, means filtered.
 */
#include "vigie/engine.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "vigie/err.h"
#include "vigie/targets.h"

#define TICK_US		1000	/* token spending granularity */
#define HOSTS_MIN	64	/* per-host table slots, at least */
#define WAITING_MAX	65536	/* attempts held back by per-host caps */
#define WAITING_SCAN	1024	/* of them looked at in one tick */

struct attempt {
	struct vg_addr	 addr;
	uint64_t	 pos;		/* shard-local position, for resume */
	uint16_t	 port;
	uint8_t		 tries;
	int		 fd;
	struct event	*ev;
	struct cengine	*ce;
	size_t		 slot;		/* index in ce->slots */
};

/* Open addressing: address -> attempts in flight. */
struct host_slot {
	struct vg_addr	addr;
	uint32_t	count;		/* 0: free slot */
};

struct cengine {
	struct event_base	*base;
	struct engine_params	 p;
	struct permute		 perm;
	struct ratelimit	 rl;
	struct event		*tick;
	uint64_t		 total;		/* addresses x ports */
	uint64_t		 next;		/* next position, this shard */
	struct attempt		**slots;	/* max_inflight slots */
	size_t			 ninflight;
	struct attempt		*waiting;	/* retries and host-capped */
	size_t			 nwaiting, capwaiting;
	size_t			 wait_start;	/* rotating scan start */
	struct host_slot	*hosts;
	size_t			 nhosts_cap;	/* power of two */
	struct engine_stats	 st;
	bool			 stopped, done;
};

const char *
port_state_str(enum port_state s)
{
	switch (s) {
	case PORT_OPEN:
		return "open";
	case PORT_CLOSED:
		return "closed";
	case PORT_FILTERED:
		return "filtered";
	default:
		return "unknown";
	}
}

/*
 * The slot of an address, or the free slot where it would go.  The table
 * holds at most max_inflight live entries and is twice as large, so a
 * free slot always exists.  Deletion re-inserts the cluster's tail.
 */
static struct host_slot *
host_slot(struct cengine *ce, const struct vg_addr *a)
{
	size_t	mask = ce->nhosts_cap - 1, i = addr_hash(a) & mask;

	while (ce->hosts[i].count != 0 &&
	    addr_cmp(&ce->hosts[i].addr, a) != 0)
		i = (i + 1) & mask;
	return &ce->hosts[i];
}

static void
host_dec(struct cengine *ce, const struct vg_addr *a)
{
	struct host_slot	*s = host_slot(ce, a), tmp;
	size_t			 mask = ce->nhosts_cap - 1, i, j;

	if (s->count == 0 || --s->count > 0)
		return;
	/* Re-insert the entries after the hole, up to the next free slot. */
	i = (size_t)(s - ce->hosts);
	for (j = (i + 1) & mask; ce->hosts[j].count != 0; j = (j + 1) & mask) {
		tmp = ce->hosts[j];
		ce->hosts[j].count = 0;
		*host_slot(ce, &tmp.addr) = tmp;
	}
}

static void
attempt_free(struct cengine *ce, struct attempt *at)
{
	if (at->ev != NULL)
		event_free(at->ev);
	if (at->fd != -1)
		close(at->fd);
	host_dec(ce, &at->addr);
	ce->slots[at->slot] = ce->slots[--ce->ninflight];
	ce->slots[at->slot]->slot = at->slot;
	free(at);
}

static void
report(struct cengine *ce, const struct vg_addr *a, uint16_t port,
    enum port_state s)
{
	ce->st.done++;
	if (s == PORT_OPEN)
		ce->st.open++;
	else if (s == PORT_CLOSED)
		ce->st.closed++;
	else
		ce->st.filtered++;
	(void)ce->p.on_port(ce->p.arg, a, port, s);
}

static int
wait_push(struct cengine *ce, const struct vg_addr *a, uint64_t pos,
    uint16_t port, uint8_t tries)
{
	struct attempt	*nv;
	size_t		 cap;

	if (ce->nwaiting == ce->capwaiting) {
		cap = ce->capwaiting ? ce->capwaiting * 2 : 64;
		if ((nv = realloc(ce->waiting, cap * sizeof(*nv))) == NULL)
			return -1;
		ce->waiting = nv;
		ce->capwaiting = cap;
	}
	memset(&ce->waiting[ce->nwaiting], 0, sizeof(*nv));
	ce->waiting[ce->nwaiting].addr = *a;
	ce->waiting[ce->nwaiting].pos = pos;
	ce->waiting[ce->nwaiting].port = port;
	ce->waiting[ce->nwaiting++].tries = tries;
	return 0;
}

/* Close an open connection with a reset: no TIME_WAIT here, no
 * half-open state left on the server. */
static void
close_reset(int fd)
{
	struct linger	l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

static void	attempt_cb(evutil_socket_t, short, void *);
static void	engine_check_done(struct cengine *);

/* Finish an attempt with the state of its socket error. */
static void
attempt_result(struct cengine *ce, struct attempt *at, int soerr,
    bool timeout)
{
	struct vg_addr	a = at->addr;
	uint64_t	pos = at->pos;
	uint16_t	port = at->port;
	uint8_t		tries = at->tries;

	/* A reset after the handshake (the server accepted, then closed at
	 * once) still proves something listens. */
	if (!timeout && (soerr == 0 || soerr == ECONNRESET)) {
		close_reset(at->fd);
		attempt_free(ce, at);
		report(ce, &a, port, PORT_OPEN);
		return;
	}
	attempt_free(ce, at);
	if (!timeout && soerr == ECONNREFUSED) {
		report(ce, &a, port, PORT_CLOSED);
		return;
	}
	/* Silence, or an ICMP error: try again, then call it filtered. */
	if (tries <= ce->p.retries && !ce->stopped &&
	    wait_push(ce, &a, pos, port, tries) == 0)
		return;
	report(ce, &a, port, PORT_FILTERED);
}

static void
attempt_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attempt	*at = arg;
	struct cengine	*ce = at->ce;
	socklen_t	 len = sizeof(int);
	int		 soerr = 0;

	if (what & EV_TIMEOUT) {
		attempt_result(ce, at, ETIMEDOUT, true);
	} else {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
			soerr = errno;
		attempt_result(ce, at, soerr, false);
	}
	engine_check_done(ce);
}

static int
attempt_start(struct cengine *ce, const struct vg_addr *a, uint64_t pos,
    uint16_t port, uint8_t tries)
{
	struct sockaddr_storage	 ss;
	struct attempt		*at;
	struct host_slot	*hs;
	struct timeval		 tv;
	socklen_t		 sslen;

	if ((at = calloc(1, sizeof(*at))) == NULL)
		return -1;
	at->addr = *a;
	at->pos = pos;
	at->port = port;
	at->tries = (uint8_t)(tries + 1);
	at->ce = ce;
	at->fd = -1;
	hs = host_slot(ce, a);
	hs->addr = *a;
	hs->count++;
	at->slot = ce->ninflight;
	ce->slots[ce->ninflight++] = at;
	ce->st.sent++;

	sslen = addr_to_sockaddr(a, port, &ss);
	at->fd = socket(a->family == 4 ? AF_INET : AF_INET6,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (at->fd == -1) {
		/* Out of descriptors: try again later, as a retry. */
		int	e = errno;

		attempt_free(ce, at);
		if (e == EMFILE || e == ENFILE || e == ENOBUFS)
			return wait_push(ce, a, pos, port, tries);
		report(ce, a, port, PORT_FILTERED);
		return 0;
	}
	if (connect(at->fd, (struct sockaddr *)&ss, sslen) == 0) {
		attempt_result(ce, at, 0, false);
		return 0;
	}
	if (errno != EINPROGRESS) {
		attempt_result(ce, at, errno, false);
		return 0;
	}
	at->ev = event_new(ce->base, at->fd, EV_WRITE, attempt_cb, at);
	if (at->ev == NULL) {
		attempt_free(ce, at);
		return -1;
	}
	tv.tv_sec = ce->p.timeout_ms / 1000;
	tv.tv_usec = (ce->p.timeout_ms % 1000) * 1000;
	event_add(at->ev, &tv);
	return 0;
}

/* The target at position i of the permuted index space. */
static void
target_at(struct cengine *ce, uint64_t i, struct vg_addr *a, uint16_t *port)
{
	uint64_t	x = permute_at(&ce->perm, i);
	uint64_t	naddrs = ce->p.targets->naddrs;

	targetset_addr(ce->p.targets, x % naddrs, a, NULL);
	*port = ce->p.ports->tcp[x / naddrs];
}

static bool
host_full(struct cengine *ce, const struct vg_addr *a)
{
	return host_slot(ce, a)->count >= ce->p.per_host;
}

static void
engine_check_done(struct cengine *ce)
{
	if (ce->done || ce->ninflight > 0)
		return;
	if (!ce->stopped && (ce->nwaiting > 0 || ce->next < ce->total))
		return;
	ce->done = true;
	event_del(ce->tick);
	ce->p.on_done(ce->p.arg);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cengine	*ce = arg;
	uint64_t	 room, tokens, used = 0;
	struct vg_addr	 a;
	uint16_t	 port;
	size_t		 k, n;

	(void)fd;
	(void)what;
	if (ce->stopped) {
		engine_check_done(ce);
		return;
	}
	room = ce->p.max_inflight - ce->ninflight;
	tokens = ratelimit_take(&ce->rl, room, clock_us());
	/* Waiting attempts first: retries and host-capped ones.  A tick
	 * looks at a bounded window of them, from a rotating start, so a
	 * long queue of capped hosts costs little and starves none. */
	n = ce->nwaiting < WAITING_SCAN ? ce->nwaiting : WAITING_SCAN;
	for (k = 0; k < n && used < tokens && ce->nwaiting > 0; k++) {
		size_t		j = ce->wait_start % ce->nwaiting;
		struct attempt	w = ce->waiting[j];

		if (host_full(ce, &w.addr)) {
			ce->wait_start = j + 1;
			continue;
		}
		/* Swap-remove: slot j now holds another one, seen next. */
		ce->waiting[j] = ce->waiting[--ce->nwaiting];
		ce->wait_start = j;
		if (attempt_start(ce, &w.addr, w.pos, w.port, w.tries) == -1)
			break;
		used++;
	}
	/* Back-pressure: a slow host (silent, capped) holds its attempts
	 * here; past the ceiling no new target is drawn until it drains. */
	while (used < tokens && ce->next < ce->total &&
	    ce->nwaiting < WAITING_MAX) {
		uint64_t	pos = (ce->next - ce->p.shard) / ce->p.nshards;

		target_at(ce, ce->next, &a, &port);
		ce->next += ce->p.nshards;
		used++;
		if (host_full(ce, &a)) {
			if (wait_push(ce, &a, pos, port, 0) == -1)
				break;
			continue;
		}
		if (attempt_start(ce, &a, pos, port, 0) == -1)
			break;
	}
	/* Tokens not spent are given back: the bucket stays exact. */
	if (used < tokens)
		ce->rl.tokens += (double)(tokens - used);
	engine_check_done(ce);
}

static void	cengine_close(void *);

static void *
cengine_open(struct event_base *base, const struct engine_params *p,
    struct vg_err *err)
{
	struct cengine	*ce;

	if (p->ports->ntcp == 0 || p->targets->naddrs == 0) {
		vg_err_set(err, "scan", "nothing to scan (no address or no "
		    "TCP port left after exclusions)");
		return NULL;
	}
	if ((ce = calloc(1, sizeof(*ce))) == NULL)
		goto nomem;
	ce->base = base;
	ce->p = *p;
	if (ce->p.nshards == 0)
		ce->p.nshards = 1;
	if (ce->p.max_inflight == 0)
		ce->p.max_inflight = 256;
	if (ce->p.per_host == 0)
		ce->p.per_host = 8;
	if (ce->p.rate == 0)
		ce->p.rate = 1000;
	if (ce->p.timeout_ms == 0)
		ce->p.timeout_ms = 1500;
	ce->total = p->targets->naddrs * p->ports->ntcp;
	ce->st.total = ce->total / ce->p.nshards +
	    (ce->p.shard < ce->total % ce->p.nshards ? 1 : 0);
	ce->next = ce->p.shard + ce->p.start_at * ce->p.nshards;
	permute_init(&ce->perm, ce->total, p->seed);
	ce->slots = calloc(ce->p.max_inflight, sizeof(*ce->slots));
	for (ce->nhosts_cap = HOSTS_MIN;
	    ce->nhosts_cap < 2 * (size_t)ce->p.max_inflight;
	    ce->nhosts_cap *= 2)
		;
	ce->hosts = calloc(ce->nhosts_cap, sizeof(*ce->hosts));
	ce->tick = event_new(base, -1, EV_PERSIST, tick_cb, ce);
	if (ce->slots == NULL || ce->hosts == NULL || ce->tick == NULL) {
		cengine_close(ce);
		goto nomem;
	}
	/* A burst of a few milliseconds' worth: smooth, never bursty. */
	ratelimit_init(&ce->rl, ce->p.rate, ce->p.rate / 200.0 + 1,
	    clock_us());
	return ce;
nomem:
	vg_err_set(err, "scan", "out of memory");
	return NULL;
}

static int
cengine_start(void *arg)
{
	struct cengine	*ce = arg;
	struct timeval	 tv = { 0, TICK_US };

	return event_add(ce->tick, &tv);
}

static void
cengine_stop(void *arg)
{
	struct cengine	*ce = arg;

	ce->stopped = true;
}

static void
cengine_stats(void *arg, struct engine_stats *st)
{
	struct cengine	*ce = arg;
	uint64_t	 low;
	size_t		 i;

	*st = ce->st;
	/* The resume point: every position below it is resolved. */
	low = ce->next >= ce->total ? ce->st.total :
	    (ce->next - ce->p.shard) / ce->p.nshards;
	for (i = 0; i < ce->ninflight; i++)
		if (ce->slots[i]->pos < low)
			low = ce->slots[i]->pos;
	for (i = 0; i < ce->nwaiting; i++)
		if (ce->waiting[i].pos < low)
			low = ce->waiting[i].pos;
	st->checkpoint = low;
}

static void
cengine_close(void *arg)
{
	struct cengine	*ce = arg;

	if (ce == NULL)
		return;
	while (ce->slots != NULL && ce->ninflight > 0)
		attempt_free(ce, ce->slots[0]);
	if (ce->tick != NULL)
		event_free(ce->tick);
	free(ce->slots);
	free(ce->hosts);
	free(ce->waiting);
	free(ce);
}

const struct scan_engine engine_connect = {
	.name		= "connect",
	.needs_root	= false,
	.open		= cengine_open,
	.start		= cengine_start,
	.stop		= cengine_stop,
	.stats		= cengine_stats,
	.close		= cengine_close,
};
