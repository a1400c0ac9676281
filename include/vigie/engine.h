/*
 * engine.h - scan engines: they enumerate the (address, port) space of a
 * target set in a keyed pseudo-random order, at a bounded rate, and say
 * which ports are open, closed or filtered.
 *
 * An engine is a const struct scan_engine.  It runs inside the caller's
 * libevent loop and reports through the callbacks of engine_params.
 */
#ifndef VIGIE_ENGINE_H
#define VIGIE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigie/addr.h"

struct event_base;
struct portset;
struct targetset;
struct vg_err;

enum port_state {
	PORT_OPEN,
	PORT_CLOSED,		/* refused (RST) */
	PORT_FILTERED,		/* silence after retries */
};

const char	*port_state_str(enum port_state);

struct engine_stats {
	uint64_t	total;		/* probes to make (address x port) */
	uint64_t	done;		/* finished, whatever the state */
	uint64_t	sent;		/* attempts, retries included */
	uint64_t	open, closed, filtered;
	uint64_t	replies;	/* packets accepted (syn) */
	uint64_t	dropped;	/* replies lost: capture or queue */
	uint64_t	invalid;	/* replies whose cookie did not match */
	uint64_t	checkpoint;	/* positions below are resolved */
};

struct engine_params {
	const struct targetset	*targets;
	const struct portset	*ports;
	uint32_t		 rate;		/* attempts per second */
	uint32_t		 max_inflight;
	uint32_t		 per_host;	/* concurrent attempts per address */
	uint32_t		 timeout_ms;
	uint32_t		 retries;
	uint64_t		 seed;
	uint32_t		 shard, nshards;	/* shard in [0, nshards) */
	uint64_t		 start_at;	/* resume: position to start */
	uint32_t		 cooldown_ms;	/* syn: wait for late replies */
	const char		*iface;		/* syn: override the interface */
	const char		*source;	/* syn: override the source */
	const char		*gateway_mac;	/* syn: override the next hop's
						 * MAC ("aa:bb:...") */
	const char		*tx;		/* syn: "auto", "raw", "packet"
						 * or "ring" (NULL: auto) */

	/* One call per (address, port) once its state is known; the SYN
	 * engine also calls it for a duplicate answer.  Returns 1 when the
	 * answer is new, 0 for a duplicate (not counted), -1 on failure. */
	int	(*on_port)(void *arg, const struct vg_addr *, uint16_t port,
		    enum port_state);
	/* Once everything is done (or the engine was stopped). */
	void	(*on_done)(void *arg);
	void	 *arg;
};

struct scan_engine {
	const char	*name;
	bool		 needs_root;
	/* Returns the engine's state, or NULL with err set. */
	void		*(*open)(struct event_base *, const struct engine_params *,
			    struct vg_err *);
	int		 (*start)(void *);
	void		 (*stop)(void *);	/* no new attempts */
	void		 (*stats)(void *, struct engine_stats *);
	void		 (*close)(void *);	/* NULL-safe */
};

extern const struct scan_engine engine_connect;
extern const struct scan_engine engine_syn;

/* The engine named "connect" or "syn", or NULL. */
const struct scan_engine	*engine_find(const char *name);
/* True when this process may open raw sockets (CAP_NET_RAW). */
bool				 engine_can_raw(void);

/*
 * SYN cookies: the sequence number of a probe is a keyed hash of its
 * 4-tuple, so a reply proves it answers one of our probes without any
 * state kept per probe (SipHash-2-4, 128-bit key).
 */
struct cookie_key {
	uint64_t	k0, k1;
};

void		cookie_key_init(struct cookie_key *, uint64_t seed);
uint32_t	cookie_v4(const struct cookie_key *, uint32_t saddr,
		    uint32_t daddr, uint16_t sport, uint16_t dport);
uint32_t	cookie_v6(const struct cookie_key *, const uint8_t saddr[16],
		    const uint8_t daddr[16], uint16_t sport, uint16_t dport);

/*
 * A keyed pseudo-random permutation of [0, n): a Feistel network with
 * cycle walking.  Constant memory whatever n.
 */
struct permute {
	uint64_t	n;
	unsigned	half_bits;
	uint64_t	half_mask;
	uint64_t	key[4];
};

void		permute_init(struct permute *, uint64_t n, uint64_t seed);
uint64_t	permute_at(const struct permute *, uint64_t i);
uint64_t	permute_inverse(const struct permute *, uint64_t x);

/*
 * A token bucket with a caller-supplied clock in microseconds: smooth at
 * the millisecond, with a burst of at most `burst` tokens.
 */
struct ratelimit {
	double		rate;		/* tokens per second */
	double		tokens;
	double		burst;
	uint64_t	last_us;
};

void		ratelimit_init(struct ratelimit *, double rate, double burst,
		    uint64_t now_us);
/* How many of `want` tokens may be spent now (taken). */
uint64_t	ratelimit_take(struct ratelimit *, uint64_t want,
		    uint64_t now_us);
/* Microseconds from `now_us` until `want` tokens (at most the burst) are
 * there: how long a sender may sleep instead of asking again. */
uint64_t	ratelimit_wait_us(const struct ratelimit *, uint64_t want,
		    uint64_t now_us);
uint64_t	clock_us(void);	/* monotonic */

#endif /* VIGIE_ENGINE_H */
