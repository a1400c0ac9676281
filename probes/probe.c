/*
 * probe.c - the probe runtime: connections, TLS, deadlines, read budgets,
 * and the order in which probes are tried on an open port.
 *
 * A job is one open port.  Its plan is the port's usual probe followed by
 * the generic sequence; each step is one session (one connection).  The
 * job ends at the first session that identifies the service, or when the
 * plan runs out, and reports one observation.  Modules see only
 * probe_session accessors; everything with a lifetime is owned here.
 */
#include "vigie/probe.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "vigie/err.h"
#include "vigie/obs.h"

#include "probe_internal.h"

#define PLAN_MAX		16
#define DEFAULT_USER_AGENT	"Vigie/" VIGIE_VERSION \
				    " (exposure audit; +https://example.org/vigie)"

struct probe_job {
	TAILQ_ENTRY(probe_job)	 link;
	struct vg_addr		 addr;
	uint16_t		 port;
	char			 host[256];
	const struct probe	*plan[PLAN_MAX];
	size_t			 nplan, cur;
	struct obs		 best;		/* the best partial result */
	bool			 have_best;
	bool			 banner_silent;	/* a server-first wait got 0 bytes */
	bool			 following;	/* running a probe's `then` */
	size_t			 nfollow;	/* follow-ups run */
	size_t			 nlooked;	/* follow-ups looked at */
	bool			 udp;
	enum obs_status		 last;
};

TAILQ_HEAD(job_queue, probe_job);

struct prober {
	struct event_base	 *base;
	struct prober_config	  cfg;
	SSL_CTX			 *ssl;
	prober_result_fn	  fn;
	void			 *arg;
	struct job_queue	  queue;	/* waiting to start a session */
	struct probe_session	**active;	/* cfg.max_sessions slots */
	size_t			  nactive;
	size_t			  pending;	/* jobs queued or running */
	struct event		 *kick;
	void			(*idle_fn)(void *);
	void			 *idle_arg;
};

static void	session_finish(struct probe_session *, enum obs_status);
static bool	probe_allowed(const struct prober *, const struct probe *);
static void	job_next(struct prober *, struct probe_job *);

/* Module accessors. */

void *
probe_state(struct probe_session *s)
{
	return s->state;
}

int
probe_arg(const struct probe_session *s)
{
	return s->mod->arg;
}

struct obs *
probe_obs(struct probe_session *s)
{
	return &s->obs;
}

const char *
probe_peer(const struct probe_session *s)
{
	return s->peer;
}

const struct vg_addr *
probe_addr(const struct probe_session *s)
{
	return &s->addr;
}

uint16_t
probe_port(const struct probe_session *s)
{
	return s->port;
}

const char *
probe_host(const struct probe_session *s)
{
	return s->host;
}

const char *
probe_user_agent(const struct probe_session *s)
{
	return s->user_agent != NULL ? s->user_agent : DEFAULT_USER_AGENT;
}

int
probe_write(struct probe_session *s, const void *p, size_t len)
{
	/* UDP: one call, one datagram, sent now.  Through the bufferevent,
	 * what two calls queue would leave as one datagram. */
	if (s->bev != NULL && s->mod->transport == PROBE_UDP)
		return send(bufferevent_getfd(s->bev), p, len, 0) ==
		    (ssize_t)len ? 0 : -1;
	if (s->bev != NULL)
		return bufferevent_write(s->bev, p, len);
	if (s->out != NULL)
		return evbuffer_add(s->out, p, len);
	return -1;
}

/* Sessions without a socket, for tests and fuzzers. */

static struct probe_session *
session_alloc(const struct probe *mod, const struct vg_addr *addr,
    uint16_t port, const char *host)
{
	struct probe_session	*s;
	char			 a[ADDR_STRLEN];

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (mod->state_size > 0 &&
	    (s->state = calloc(1, mod->state_size)) == NULL) {
		free(s);
		return NULL;
	}
	s->mod = mod;
	s->addr = *addr;
	s->port = port;
	endpoint_str(addr, port, s->peer);
	snprintf(s->host, sizeof(s->host), "%s",
	    host != NULL && host[0] != '\0' ? host : addr_str(addr, a));
	obs_init(&s->obs);
	snprintf(s->obs.probe, sizeof(s->obs.probe), "%s", mod->name);
	return s;
}

struct probe_session *
probe_session_fake_new(const struct probe *mod, const char *ip, uint16_t port)
{
	struct probe_session	*s;
	struct vg_addr		 addr;

	if (addr_parse(ip, &addr) == -1)
		return NULL;
	if ((s = session_alloc(mod, &addr, port, NULL)) == NULL)
		return NULL;
	if ((s->out = evbuffer_new()) == NULL) {
		probe_session_fake_free(s);
		return NULL;
	}
	return s;
}

void
probe_session_fake_free(struct probe_session *s)
{
	if (s == NULL)
		return;
	if (s->mod->on_close != NULL)
		s->mod->on_close(s);
	if (s->out != NULL)
		evbuffer_free(s->out);
	obs_fini(&s->obs);
	free(s->state);
	free(s);
}

/* Sessions on a real connection. */

static bool
host_is_literal(const char *host)
{
	struct vg_addr	a;

	return addr_parse(host, &a) == 0;
}

static bool
session_tls(const struct probe_session *s)
{
	return s->mod->transport == PROBE_TLS || s->starttls;
}

/* Whatever the module can still make of the bytes it has. */
static void
session_eof(struct probe_session *s)
{
	if (s->mod->on_eof != NULL && s->bev != NULL)
		s->mod->on_eof(s, bufferevent_get_input(s->bev));
}

static enum obs_status
session_end_status(const struct probe_session *s, enum obs_status dflt)
{
	if (s->obs.service[0] != '\0')
		return OBS_OK;
	if (s->nread > 0 || s->obs.n > 0)
		return OBS_PARTIAL;
	return dflt;
}

static void	session_event_cb(struct bufferevent *, short, void *);

static void
session_read_cb(struct bufferevent *bev, void *arg)
{
	struct probe_session	*s = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	enum probe_status	 st;
	size_t			 len;

	len = evbuffer_get_length(in);
	s->nread += len;
	if (s->nread > s->mod->read_max) {
		/* The budget is spent: keep what was learned, drop the rest. */
		session_eof(s);
		evbuffer_drain(in, len);
		obs_set(&s->obs, "probe.truncated", "yes");
		session_finish(s, session_end_status(s, OBS_PARTIAL));
		return;
	}
	st = s->mod->on_read(s, in);
	/* What the module left in the buffer is counted again next time. */
	s->nread -= evbuffer_get_length(in);
	switch (st) {
	case PROBE_MORE:
		if (evbuffer_get_length(in) > s->mod->read_max) {
			session_eof(s);
			session_finish(s, session_end_status(s, OBS_PARTIAL));
		}
		break;
	case PROBE_DONE:
		session_finish(s, OBS_OK);
		break;
	case PROBE_MISMATCH:
		session_finish(s, OBS_MISMATCH);
		break;
	case PROBE_STARTTLS:
		if (s->prober == NULL || s->prober->ssl == NULL) {
			session_finish(s, OBS_OK);
			break;
		}
		s->starttls = true;
		{
			SSL			*ssl;
			struct bufferevent	*tb;

			if ((ssl = SSL_new(s->prober->ssl)) == NULL) {
				session_finish(s, OBS_OK);
				break;
			}
			if (!host_is_literal(s->host))
				SSL_set_tlsext_host_name(ssl, s->host);
			tb = bufferevent_openssl_filter_new(s->prober->base,
			    s->bev, ssl, BUFFEREVENT_SSL_CONNECTING,
			    BEV_OPT_CLOSE_ON_FREE);
			if (tb == NULL) {
				SSL_free(ssl);
				session_finish(s, OBS_OK);
				break;
			}
			s->bev = tb;
			bufferevent_openssl_set_allow_dirty_shutdown(tb, 1);
			bufferevent_setcb(tb, session_read_cb, NULL,
			    session_event_cb, s);
			bufferevent_enable(tb, EV_READ | EV_WRITE);
		}
		break;
	default:
		session_finish(s, OBS_ERROR);
		break;
	}
}

static void
session_connected(struct probe_session *s)
{
	SSL	*ssl;

	s->connected = true;
	if (session_tls(s) &&
	    (ssl = bufferevent_openssl_get_ssl(s->bev)) != NULL) {
		s->obs.tls = true;
		tls_record(&s->obs, ssl);
		if (s->starttls) {
			if (s->mod->on_tls == NULL ||
			    s->mod->on_tls(s) != PROBE_MORE)
				session_finish(s, OBS_OK);
			return;
		}
	}
	if (s->mod->start != NULL && s->mod->start(s) == -1)
		session_finish(s, OBS_ERROR);
}

/* Why a TLS handshake failed: OpenSSL's reason, or the peer's close. */
static void
record_tls_error(struct probe_session *s, unsigned long sslerr)
{
	char	e[256];

	if (sslerr != 0 && ERR_GET_LIB(sslerr) != 0) {
		ERR_error_string_n(sslerr, e, sizeof(e));
		obs_set(&s->obs, "tls.error", e);
	} else {
		/* libevent's "system call" code: the peer closed or reset
		 * during the handshake. */
		obs_set(&s->obs, "tls.error", "handshake interrupted by the "
		    "peer");
	}
}

static void
session_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct probe_session	*s = arg;
	unsigned long		 sslerr = 0;
	int			 err = EVUTIL_SOCKET_ERROR();

	if (what & BEV_EVENT_CONNECTED) {
		session_connected(s);
		return;
	}
	if (session_tls(s))
		sslerr = bufferevent_get_openssl_error(bev);
	if (s->starttls && !s->obs.tls) {
		/* The handshake after STARTTLS failed.  The service spoke in
		 * clear and accepted the upgrade: what it said stands, and
		 * the module may say what it makes of the failure. */
		record_tls_error(s, sslerr);
		session_eof(s);
		if (!s->finished)
			session_finish(s, OBS_OK);
		return;
	}
	if (!s->connected) {
		if (sslerr != 0 || (session_tls(s) && err != ECONNREFUSED &&
		    err != ETIMEDOUT && err != EHOSTUNREACH &&
		    err != ENETUNREACH)) {
			record_tls_error(s, sslerr);
			session_finish(s, OBS_TLS_FAILED);
		} else {
			session_finish(s, err == ECONNREFUSED ? OBS_REFUSED :
			    OBS_ERROR);
		}
		return;
	}
	if (s->mod->transport == PROBE_UDP && err == ECONNREFUSED &&
	    s->nread == 0) {
		session_finish(s, OBS_REFUSED);
		return;
	}
	session_eof(s);
	if (s->finished)
		return;
	session_finish(s, session_end_status(s, (what & BEV_EVENT_EOF) ?
	    OBS_NO_ANSWER : OBS_RESET));
}

static void
session_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_session	*s = arg;

	(void)fd;
	(void)what;
	session_eof(s);
	if (!s->finished)
		session_finish(s, session_end_status(s, OBS_TIMEOUT));
}

static int
session_connect(struct prober *p, struct probe_session *s)
{
	struct sockaddr_storage	 ss;
	struct timeval		 tv;
	socklen_t		 sslen;
	SSL			*ssl = NULL;

	sslen = addr_to_sockaddr(&s->addr, s->port, &ss);
	if (s->mod->transport == PROBE_UDP) {
		evutil_socket_t	fd;

		/* A connected datagram socket: the kernel reports an ICMP
		 * port unreachable as ECONNREFUSED on the next read. */
		fd = socket(s->addr.family == 4 ? AF_INET : AF_INET6,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&ss, sslen) == -1 ||
		    (s->bev = bufferevent_socket_new(p->base, fd,
		    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
			evutil_closesocket(fd);
			return -1;
		}
	} else if (s->mod->transport == PROBE_TLS) {
		if ((ssl = SSL_new(p->ssl)) == NULL)
			return -1;
		if (!host_is_literal(s->host))
			SSL_set_tlsext_host_name(ssl, s->host);
		s->bev = bufferevent_openssl_socket_new(p->base, -1, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
		if (s->bev == NULL) {
			SSL_free(ssl);
			return -1;
		}
		bufferevent_openssl_set_allow_dirty_shutdown(s->bev, 1);
	} else {
		s->bev = bufferevent_socket_new(p->base, -1,
		    BEV_OPT_CLOSE_ON_FREE);
		if (s->bev == NULL)
			return -1;
	}
	bufferevent_setcb(s->bev, session_read_cb, NULL, session_event_cb, s);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	if ((s->deadline = evtimer_new(p->base, session_deadline_cb, s)) ==
	    NULL)
		return -1;
	tv.tv_sec = p->cfg.timeout_ms / 1000;
	tv.tv_usec = (p->cfg.timeout_ms % 1000) * 1000;
	evtimer_add(s->deadline, &tv);
	if (s->mod->transport == PROBE_UDP) {
		session_connected(s);
		return 0;
	}
	/* A failure to connect is reported through the event callback. */
	bufferevent_socket_connect(s->bev, (struct sockaddr *)&ss, (int)sslen);
	return 0;
}

static void
prober_kick(struct prober *p)
{
	event_active(p->kick, EV_TIMEOUT, 0);
}

/*
 * Plan the next follow-up of a chain starting at `m`: the first one the
 * run allows and that can add to the observation so far.  PROBE_THEN_MAX
 * run at most; PROBE_CHAIN_MAX looked at (a cycle in the const data
 * cannot loop).
 */
static void
job_follow(const struct prober *p, struct probe_job *job,
    const struct probe *m)
{
	for (; m != NULL && job->nfollow < PROBE_THEN_MAX &&
	    job->nlooked < PROBE_CHAIN_MAX; m = m->then) {
		job->nlooked++;
		if (!probe_allowed(p, m) ||
		    (m->wanted != NULL && !m->wanted(&job->best)))
			continue;
		job->nfollow++;
		job->plan[0] = m;
		job->nplan = 1;
		job->cur = 0;
		job->following = true;
		return;
	}
}

static void
session_finish(struct probe_session *s, enum obs_status status)
{
	struct prober		*p = s->prober;
	struct probe_job	*job = s->job;
	size_t			 i;

	if (s->finished)
		return;
	s->finished = true;
	s->obs.status = status;
	if (s->deadline != NULL)
		event_free(s->deadline);
	s->deadline = NULL;
	if (s->bev != NULL)
		bufferevent_free(s->bev);
	s->bev = NULL;
	if (s->mod->on_close != NULL)
		s->mod->on_close(s);

	for (i = 0; i < p->nactive; i++)
		if (p->active[i] == s) {
			p->active[i] = p->active[--p->nactive];
			break;
		}

	/* Keep the best observation so far. */
	job->last = status;
	if (status == OBS_TIMEOUT && s->nread == 0 &&
	    (s->mod->flags & PROBE_SERVER_FIRST))
		job->banner_silent = true;
	if (job->following) {
		/* A follow-up adds its fields to what identified the port. */
		obs_merge(&job->best, &s->obs);
		obs_fini(&s->obs);
		job->cur = job->nplan;
		job_follow(p, job, s->mod->then);
	} else if (status != OBS_MISMATCH && s->obs.service[0] != '\0') {
		obs_fini(&job->best);
		job->best = s->obs;		/* moves the values */
		job->have_best = true;
		job->cur = job->nplan;		/* identified: done */
		job_follow(p, job, s->mod->then);
	} else if (s->obs.n > 0 && status != OBS_TLS_FAILED &&
	    status != OBS_ERROR && (!job->have_best ||
	    s->obs.n > job->best.n)) {
		obs_fini(&job->best);
		job->best = s->obs;
		job->have_best = true;
		job->cur++;
	} else {
		obs_fini(&s->obs);
		job->cur++;
	}
	if (status == OBS_REFUSED)
		job->cur = job->nplan;		/* the port closed meanwhile */
	free(s->state);
	free(s);
	job_next(p, job);
	prober_kick(p);
}

static size_t
host_sessions(const struct prober *p, const struct vg_addr *addr)
{
	size_t	i, n = 0;

	for (i = 0; i < p->nactive; i++)
		if (addr_cmp(&p->active[i]->addr, addr) == 0)
			n++;
	return n;
}

/* Skip plan steps that cannot tell more than what was seen. */
static void
job_skip(struct probe_job *job)
{
	while (job->cur < job->nplan && job->banner_silent &&
	    (job->plan[job->cur]->flags & PROBE_SERVER_FIRST))
		job->cur++;
}

/* The job's next step is queued, or the job is reported and freed. */
static void
job_next(struct prober *p, struct probe_job *job)
{
	job_skip(job);
	if (job->cur < job->nplan) {
		TAILQ_INSERT_HEAD(&p->queue, job, link);
		return;
	}
	if (!job->have_best) {
		obs_init(&job->best);
		job->best.status = job->last;
	}
	if (job->best.service[0] == '\0' && job->best.tls)
		obs_set_service(&job->best, "tls");
	p->fn(p->arg, &job->addr, job->port, job->udp ? "udp" : "tcp",
	    &job->best);
	obs_fini(&job->best);
	free(job);
	p->pending--;
	if (p->pending == 0 && p->idle_fn != NULL)
		p->idle_fn(p->idle_arg);
}

static void
prober_pump(evutil_socket_t fd, short what, void *arg)
{
	struct prober		*p = arg;
	struct probe_job	*job, *next;
	struct probe_session	*s;

	(void)fd;
	(void)what;
	for (job = TAILQ_FIRST(&p->queue); job != NULL &&
	    p->nactive < p->cfg.max_sessions; job = next) {
		next = TAILQ_NEXT(job, link);
		if (host_sessions(p, &job->addr) >= p->cfg.per_host)
			continue;
		TAILQ_REMOVE(&p->queue, job, link);
		s = session_alloc(job->plan[job->cur], &job->addr, job->port,
		    job->host);
		if (s == NULL) {
			job->cur = job->nplan;
			job_next(p, job);
			continue;
		}
		s->prober = p;
		s->job = job;
		s->user_agent = p->cfg.user_agent;
		p->active[p->nactive++] = s;
		if (session_connect(p, s) == -1)
			session_finish(s, OBS_ERROR);
	}
}

static bool
probe_allowed(const struct prober *p, const struct probe *m)
{
	const char	*o = p->cfg.only, *q;
	size_t		 n = strlen(m->name);

	if (o == NULL)
		return true;
	for (q = o; (q = strstr(q, m->name)) != NULL; q += n)
		if ((q == o || q[-1] == ',') && (q[n] == '\0' || q[n] == ','))
			return true;
	return false;
}

static void
job_plan(const struct prober *p, struct probe_job *job)
{
	const struct probe	*first, *m;
	size_t			 i;

	job->nplan = 0;
	first = probe_for_port(job->port);
	if (first != NULL && probe_allowed(p, first))
		job->plan[job->nplan++] = first;
	for (i = 0; i < probe_generic_count() && job->nplan < PLAN_MAX; i++) {
		m = probe_generic_at(i);
		if (m != first && probe_allowed(p, m))
			job->plan[job->nplan++] = m;
	}
}

struct prober *
prober_new(struct event_base *base, const struct prober_config *cfg,
    prober_result_fn fn, void *arg, struct vg_err *err)
{
	struct prober	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		vg_err_set(err, "probes", "out of memory");
		return NULL;
	}
	p->base = base;
	p->cfg = *cfg;
	if (p->cfg.max_sessions == 0)
		p->cfg.max_sessions = 64;
	if (p->cfg.per_host == 0)
		p->cfg.per_host = 2;
	if (p->cfg.timeout_ms == 0)
		p->cfg.timeout_ms = 5000;
	p->fn = fn;
	p->arg = arg;
	TAILQ_INIT(&p->queue);
	p->active = calloc(p->cfg.max_sessions, sizeof(*p->active));
	p->ssl = tls_client_ctx_new();
	p->kick = event_new(base, -1, 0, prober_pump, p);
	if (p->active == NULL || p->ssl == NULL || p->kick == NULL) {
		vg_err_set(err, "probes", "cannot set up the probe runtime");
		prober_free(p);
		return NULL;
	}
	return p;
}

void
prober_free(struct prober *p)
{
	struct probe_job	*job;

	if (p == NULL)
		return;
	/* session_finish() takes each session out of active[] before it
	 * frees it (the analyzer does not follow that). */
	while (p->active != NULL && p->nactive > 0)
		session_finish(p->active[0], OBS_ERROR); /* NOLINT */
	while ((job = TAILQ_FIRST(&p->queue)) != NULL) {
		TAILQ_REMOVE(&p->queue, job, link);
		obs_fini(&job->best);
		free(job);
	}
	if (p->kick != NULL)
		event_free(p->kick);
	SSL_CTX_free(p->ssl);
	free(p->active);
	free(p);
}

int
prober_submit(struct prober *p, const struct vg_addr *addr, uint16_t port,
    const char *host)
{
	struct probe_job	*job;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		return -1;
	job->addr = *addr;
	job->port = port;
	if (host != NULL)
		snprintf(job->host, sizeof(job->host), "%s", host);
	obs_init(&job->best);
	job->last = OBS_NO_ANSWER;
	job_plan(p, job);
	p->pending++;
	if (job->nplan == 0) {
		job_next(p, job);
		return 0;
	}
	TAILQ_INSERT_TAIL(&p->queue, job, link);
	prober_kick(p);
	return 0;
}

int
prober_submit_udp(struct prober *p, const struct vg_addr *addr,
    uint16_t port, const char *host)
{
	const struct probe	*m = probe_for_udp_port(port);
	struct probe_job	*job;

	if (m == NULL || !probe_allowed(p, m) ||
	    (job = calloc(1, sizeof(*job))) == NULL)
		return -1;
	job->addr = *addr;
	job->port = port;
	job->udp = true;
	if (host != NULL)
		snprintf(job->host, sizeof(job->host), "%s", host);
	obs_init(&job->best);
	job->last = OBS_NO_ANSWER;
	job->plan[0] = m;
	job->nplan = 1;
	p->pending++;
	TAILQ_INSERT_TAIL(&p->queue, job, link);
	prober_kick(p);
	return 0;
}

size_t
prober_pending(const struct prober *p)
{
	return p->pending;
}

void
prober_on_idle(struct prober *p, void (*fn)(void *), void *arg)
{
	p->idle_fn = fn;
	p->idle_arg = arg;
}
