/*
 * probe.h - what a service probe module provides, and what the probe
 * runtime offers it in return.
 *
 * A probe module is a const struct probe defined in probes/<service>.c and
 * listed in probes/registry.c.  The runtime (probes/probe.c) owns the
 * connection, the TLS layer, the timers and the read budget.  A module
 * only looks at bytes, writes its greeting and fills the observation.
 */
#ifndef VIGIE_PROBE_H
#define VIGIE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"

struct evbuffer;
struct event_base;
struct obs;
struct probe_session;
struct vg_err;

enum probe_transport {
	PROBE_TCP,			/* plain TCP */
	PROBE_TLS,			/* TLS from the first byte */
	PROBE_UDP,
};

/* What the module wants the runtime to do after reading input. */
enum probe_status {
	PROBE_MORE,			/* wait for more, within the budget */
	PROBE_DONE,			/* observation complete, close */
	PROBE_STARTTLS,			/* upgrade to TLS, then call on_read */
	PROBE_MISMATCH,			/* not this service: try the next */
};

#define PROBE_SERVER_FIRST	0x01	/* wait for a banner first */
#define PROBE_GENERIC		0x02	/* part of the fallback sequence */

struct probe {
	const char		*name;		/* unique, [a-z0-9_]+ */
	const char		*service;	/* what it identifies */
	const uint16_t		*ports;		/* default ports, 0-terminated */
	enum probe_transport	 transport;
	unsigned int		 flags;		/* PROBE_* flags above */
	size_t			 state_size;	/* per-session state, zeroed */
	size_t			 read_max;	/* bytes before giving up */
	/* A constant the callbacks read with probe_arg(), so that one set
	 * of callbacks serves several modules (the TLS measurements: which
	 * ClientHello each offers).  Optional. */
	int			 arg;

	/* Once connected (and after the TLS handshake for PROBE_TLS).  May
	 * queue a greeting with probe_write().  Returns 0 or -1. */
	int		  (*start)(struct probe_session *);
	/* Input arrived.  Must drain what it consumed from `in`. */
	enum probe_status (*on_read)(struct probe_session *,
			      struct evbuffer *in);
	/* The peer closed, or the deadline passed, before PROBE_DONE.  May
	 * record what it has.  Optional. */
	void		  (*on_eof)(struct probe_session *, struct evbuffer *in);
	/* Exactly once per session, whatever the outcome.  Optional. */
	void		  (*on_close)(struct probe_session *);
	/* After a PROBE_STARTTLS upgrade, once the handshake is done and
	 * its facts recorded: may write over TLS with probe_write() and
	 * return PROBE_MORE to read on (on_read() then gets the decrypted
	 * bytes), or return PROBE_DONE.  Optional: without it the session
	 * ends with the handshake. */
	enum probe_status (*on_tls)(struct probe_session *);
	/* Once this probe has identified the service, `then` runs on a new
	 * connection to the same port and what it records is added to the
	 * observation: for what one connection cannot tell (whether SMB1
	 * is accepted by a server that prefers SMB2).  A follow-up may have
	 * its own `then`: PROBE_THEN_MAX of them at most.  Optional. */
	const struct probe	 *then;
	/* For a follow-up: whether it can add anything to the observation
	 * so far (the fields of the connections before it).  When it says
	 * no, the follow-up is skipped for its own `then`.  Optional:
	 * without it the follow-up always runs. */
	bool		  (*wanted)(const struct obs *so_far);
};

#define PROBE_THEN_MAX	4	/* follow-ups run on one port, in a row */
#define PROBE_CHAIN_MAX	16	/* follow-ups looked at (skipped ones are
				 * free, but a cycle must end) */

/*
 * Accessors for modules.  Pointers returned are borrowed and valid until
 * on_close() returns.
 */
void		*probe_state(struct probe_session *);
int		 probe_arg(const struct probe_session *);	/* mod->arg */
struct obs	*probe_obs(struct probe_session *);
const char	*probe_peer(const struct probe_session *);	/* "ip:port" */
const struct vg_addr *probe_addr(const struct probe_session *);
uint16_t	 probe_port(const struct probe_session *);
/* The Host header / SNI value to use: a hostname if the target came from
 * one, else the address.  Borrowed. */
const char	*probe_host(const struct probe_session *);
/* The User-Agent string for HTTP probes (names Vigie and the operator). */
const char	*probe_user_agent(const struct probe_session *);
int		 probe_write(struct probe_session *, const void *, size_t);

/* The registry (probes/registry.c). */
const struct probe	*probe_find(const char *name);
size_t			 probe_count(void);
const struct probe	*probe_at(size_t);
/* The probe usually spoken on a TCP port, or NULL. */
const struct probe	*probe_for_port(uint16_t port);
/* The probe spoken on a UDP port, or NULL. */
const struct probe	*probe_for_udp_port(uint16_t port);

/*
 * The prober: runs probe sessions on a libevent base for open ports, at
 * most `max_sessions` at once and `per_host` per address, each bounded by
 * a deadline and its module's read budget.  For each submitted port it
 * tries the port's usual probe, then the generic sequence (banner, TLS,
 * HTTP, ...) until one identifies the service, and reports one merged
 * observation.
 */
struct prober;

struct prober_config {
	uint32_t	 timeout_ms;	/* one session's deadline */
	uint32_t	 max_sessions;
	uint32_t	 per_host;
	const char	*user_agent;
	const char	*only;		/* comma list of probe names, or NULL */
};

typedef void	(*prober_result_fn)(void *arg, const struct vg_addr *,
		    uint16_t port, const char *proto, const struct obs *);

/* Returns NULL with err set.  Free with prober_free(). */
struct prober	*prober_new(struct event_base *, const struct prober_config *,
		    prober_result_fn, void *arg, struct vg_err *);
void		 prober_free(struct prober *);		/* NULL-safe */
/* Queue a port; `host` (may be NULL) is the name used for SNI and Host.
 * Returns 0, or -1 when out of memory. */
int		 prober_submit(struct prober *, const struct vg_addr *,
		    uint16_t port, const char *host);
/* Queue a UDP port: its probe is the discovery (a reply means open, an
 * ICMP port unreachable refused, silence nothing).  0 or -1 when no probe
 * speaks on that UDP port or out of memory. */
int		 prober_submit_udp(struct prober *, const struct vg_addr *,
		    uint16_t port, const char *host);
/* Ports queued or running. */
size_t		 prober_pending(const struct prober *);
/* Called whenever prober_pending() drops to zero. */
void		 prober_on_idle(struct prober *, void (*fn)(void *), void *);

#endif /* VIGIE_PROBE_H */
