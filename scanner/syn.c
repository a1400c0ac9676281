/*
 * syn.c - the stateless SYN engine: sender and receiver threads (syn_tx.c,
 * syn_rx.c) joined to the main libevent loop by a ring and an eventfd.
 *
 * Open (as root, before any thread and before privileges are dropped):
 * route, source address and interface found in the scanner's namespace,
 * a raw IPv4 socket, and a pcap handle with its BPF filter.  The main
 * thread drains the ring, reports each (address, port) once, and calls
 * on_done once the receiver's cool-down is over.
 */
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "vigie/err.h"
#include "vigie/log.h"
#include "vigie/targets.h"

#include "syn_internal.h"

#define PCAP_BUFFER	(32 << 20)	/* kernel capture buffer */
#define PCAP_TIMEOUT_MS	10	/* a block is handed over this often */

const struct scan_engine *
engine_find(const char *name)
{
	if (strcmp(name, "connect") == 0)
		return &engine_connect;
	if (strcmp(name, "syn") == 0)
		return &engine_syn;
	return NULL;
}

bool
engine_can_raw(void)
{
	int	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);

	if (fd == -1)
		return false;
	close(fd);
	return true;
}

static void
drain(struct sengine *se)
{
	struct syn_ring		*r = se->ring;
	uint32_t		 tail, head;
	struct syn_reply	 rep;

	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	head = atomic_load_explicit(&r->head, memory_order_acquire);
	while (tail != head) {
		rep = r->v[tail & (SYN_RING_SIZE - 1)];
		tail++;
		atomic_store_explicit(&r->tail, tail, memory_order_release);
		/* Duplicates (retries, retransmissions) are told apart by
		 * the caller's store, not by a set in memory here. */
		if (se->p.on_port(se->p.arg, &rep.addr, rep.port,
		    (enum port_state)rep.state) != 1)
			continue;
		se->st.done++;
		if (rep.state == PORT_OPEN)
			se->st.open++;
		else
			se->st.closed++;
	}
}

/*
 * The resume point: the first pass's position as it was a cool-down ago,
 * since replies to older probes have arrived (or never will).  Sampled
 * from the main thread's flush timer through syn_stats().
 */
static void
checkpoint_sample(struct sengine *se)
{
	uint64_t	now = clock_us(), pos = atomic_load(&se->pos);
	uint64_t	cool = (uint64_t)se->p.cooldown_ms * 1000;

	if (se->nsample == 0 || now - se->sample_us[se->nsample - 1] >=
	    100000) {
		if (se->nsample == SYN_SAMPLES) {
			memmove(se->sample_us, se->sample_us + 1,
			    sizeof(se->sample_us[0]) * (SYN_SAMPLES - 1));
			memmove(se->sample_pos, se->sample_pos + 1,
			    sizeof(se->sample_pos[0]) * (SYN_SAMPLES - 1));
			se->nsample--;
		}
		se->sample_us[se->nsample] = now;
		se->sample_pos[se->nsample++] = pos;
	}
	while (se->nsample > 0 && now - se->sample_us[0] >= cool) {
		se->checkpoint = se->sample_pos[0];
		if (se->nsample > 1 && now - se->sample_us[1] >= cool) {
			memmove(se->sample_us, se->sample_us + 1,
			    sizeof(se->sample_us[0]) * (se->nsample - 1));
			memmove(se->sample_pos, se->sample_pos + 1,
			    sizeof(se->sample_pos[0]) * (se->nsample - 1));
			se->nsample--;
			continue;
		}
		break;
	}
	if (atomic_load(&se->rx_done))
		se->checkpoint = se->my_total;
}

static void
wake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sengine	*se = arg;
	uint64_t	 n;

	(void)what;
	if (read(fd, &n, sizeof(n)) == -1) {
		/* EAGAIN: a spurious wake-up. */
	}
	drain(se);
	if (atomic_load(&se->rx_done) && !se->reported_done) {
		drain(se);
		se->reported_done = true;
		if (se->threads) {
			pthread_join(se->txthr, NULL);
			pthread_join(se->rx, NULL);
			se->threads = false;
		}
		se->p.on_done(se->p.arg);
	}
}

static void	syn_close(void *);

bool
syn_is_source(const struct sengine *se, uint32_t addr)
{
	unsigned	i;

	for (i = 0; i < se->nsrcs; i++)
		if (se->srcs[i] == addr)
			return true;
	return false;
}

/*
 * The source address of each target range, from the kernel's routing:
 * one lookup per range, not per address.  An override (--source-ip)
 * applies to all.  Ranges reached through another interface than the
 * first range's are captured on "any".
 */
static int
find_sources(struct sengine *se, uint32_t *gws, struct vg_err *err)
{
	char		 ebuf[256], iface[IF_NAMESIZE];
	uint32_t	 gw, src;
	size_t		 ri;
	unsigned	 k;

	if ((se->range_src = calloc(se->p.targets->n > 0 ?
	    se->p.targets->n : 1, 1)) == NULL) {
		vg_err_set(err, "scan", "out of memory");
		return -1;
	}
	for (ri = 0; ri < se->p.targets->n; ri++) {
		if (se->p.targets->v[ri].r.first.family != 4)
			continue;	/* IPv6: open_v6() */
		if (netinfo_route(addr_v4(&se->p.targets->v[ri].r.first),
		    iface, &gw, &src, ebuf, sizeof(ebuf)) == -1) {
			vg_err_set(err, "--mode syn", "%s", ebuf);
			return -1;
		}
		gws[ri] = gw;
		if (se->nsrcs == 0)
			memcpy(se->iface, iface, sizeof(iface));
		else if (strcmp(iface, se->iface) != 0)
			snprintf(se->iface, sizeof(se->iface), "any");
		if (se->p.source != NULL)
			src = se->src;
		for (k = 0; k < se->nsrcs && se->srcs[k] != src; k++)
			;
		if (k == se->nsrcs) {
			if (se->nsrcs == SYN_SRC_MAX) {
				vg_err_set(err, "--mode syn", "targets are "
				    "reached from more than %d source "
				    "addresses; give --source-ip",
				    SYN_SRC_MAX);
				return -1;
			}
			se->srcs[se->nsrcs++] = src;
		}
		se->range_src[ri] = (uint8_t)k;
	}
	return 0;
}

static int
open_pcap(struct sengine *se, struct vg_err *err)
{
	char			ebuf[PCAP_ERRBUF_SIZE], filter[2048];
	char			hosts[SYN_SRC_MAX * 24], v4[1024], v6[256];
	struct bpf_program	prog;
	struct vg_addr		a;
	char			ip[ADDR_STRLEN];
	const char		*dev = se->has_v6 ? "any" : se->iface;
	size_t			off = 0;
	unsigned		i;

	hosts[0] = v4[0] = v6[0] = '\0';
	for (i = 0; i < se->nsrcs; i++) {
		addr_from_v4(&a, se->srcs[i]);
		off += (size_t)snprintf(hosts + off, sizeof(hosts) - off,
		    "%sdst host %s", i ? " or " : "", addr_str(&a, ip));
	}
	if (se->nsrcs > 0)
		snprintf(v4, sizeof(v4), "(tcp and (%s) and dst portrange "
		    "%d-%d and (tcp[tcpflags] & (tcp-syn|tcp-ack) = "
		    "(tcp-syn|tcp-ack) or tcp[tcpflags] & tcp-rst != 0))",
		    hosts, SYN_SPORT_BASE, SYN_SPORT_BASE + SYN_SPORT_SPAN - 1);
	/* libpcap cannot index TCP flags over IPv6: syn_rx.c checks them. */
	if (se->has_v6) {
		a.family = 6;
		memcpy(a.a, se->src6, 16);
		snprintf(v6, sizeof(v6), "(ip6 and tcp and dst host %s and "
		    "dst portrange %d-%d)", addr_str(&a, ip), SYN_SPORT_BASE,
		    SYN_SPORT_BASE + SYN_SPORT_SPAN - 1);
	}
	snprintf(filter, sizeof(filter), "%s%s%s", v4,
	    v4[0] != '\0' && v6[0] != '\0' ? " or " : "", v6);

	/* With IPv6 targets the capture listens on every interface: the
	 * two families may leave by different ones. */
	if ((se->pcap = pcap_create(dev, ebuf)) == NULL) {
		vg_err_set(err, dev, "pcap: %s", ebuf);
		return -1;
	}
	pcap_set_snaplen(se->pcap, 128);
	pcap_set_promisc(se->pcap, 0);
	/* Not immediate mode: libpcap then uses TPACKET_V3, whose blocks
	 * hold packets of any size back to back.  Immediate mode falls back
	 * to fixed frames sized for 64 KiB when the interface has
	 * segmentation offloads, and a 32 MiB ring then holds 512 replies:
	 * the losses bench/syn shows for masscan.  The block timeout bounds
	 * the delay instead. */
	pcap_set_timeout(se->pcap, PCAP_TIMEOUT_MS);
	pcap_set_immediate_mode(se->pcap, 0);
	pcap_set_buffer_size(se->pcap, PCAP_BUFFER);
	if (pcap_activate(se->pcap) < 0) {
		vg_err_set(err, se->iface, "pcap: %s",
		    pcap_geterr(se->pcap));
		return -1;
	}
	switch (pcap_datalink(se->pcap)) {
	case DLT_EN10MB:
		se->linkhdr = 14;
		break;
	case DLT_LINUX_SLL:
		se->linkhdr = 16;
		break;
	case DLT_RAW:
		se->linkhdr = 0;
		break;
	default:
		vg_err_set(err, se->iface, "pcap: unsupported link type %d",
		    pcap_datalink(se->pcap));
		return -1;
	}
	pcap_setdirection(se->pcap, PCAP_D_IN);
	if (pcap_setnonblock(se->pcap, 1, ebuf) == -1) {
		vg_err_set(err, se->iface, "pcap: %s", ebuf);
		return -1;
	}
	if (pcap_compile(se->pcap, &prog, filter, 1,
	    PCAP_NETMASK_UNKNOWN) == -1 ||
	    pcap_setfilter(se->pcap, &prog) == -1) {
		vg_err_set(err, se->iface, "pcap filter: %s",
		    pcap_geterr(se->pcap));
		return -1;
	}
	pcap_freecode(&prog);
	return 0;
}

/*
 * IPv6 targets: a raw TCP socket (the kernel writes the IPv6 header and,
 * with IPV6_CHECKSUM, the TCP checksum), bound to the source address the
 * kernel picks towards the first of them, so that the cookie knows it.
 * The socket would also be handed a copy of every TCP segment the host
 * receives over IPv6: a filter refusing everything keeps it send-only.
 */
static int
open_v6(struct sengine *se, struct vg_err *err)
{
	static struct sock_filter	 drop_all[] = {
		{ BPF_RET | BPF_K, 0, 0, 0 },
	};
	struct sock_fprog		 prog = { 1, drop_all };
	struct sockaddr_storage		 ss;
	struct sockaddr_in6		 src;
	socklen_t			 len;
	size_t				 ri;
	int				 fd, off = 16;

	for (ri = 0; ri < se->p.targets->n &&
	    se->p.targets->v[ri].r.first.family != 6; ri++)
		;
	if (ri == se->p.targets->n)
		return 0;
	se->has_v6 = true;
	len = addr_to_sockaddr(&se->p.targets->v[ri].r.first, 9, &ss);
	memset(&src, 0, sizeof(src));
	if ((fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)&src,
	    &(socklen_t){ sizeof(src) }) == -1) {
		vg_err_set(err, "--mode syn", "no IPv6 route to the IPv6 "
		    "targets: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	memcpy(se->src6, &src.sin6_addr, 16);
	src.sin6_port = 0;
	se->rawfd6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (se->rawfd6 == -1 ||
	    setsockopt(se->rawfd6, IPPROTO_IPV6, IPV6_CHECKSUM, &off,
	    sizeof(off)) == -1 ||
	    setsockopt(se->rawfd6, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)) == -1 ||
	    bind(se->rawfd6, (struct sockaddr *)&src, sizeof(src)) == -1) {
		vg_err_set(err, "--mode syn", "IPv6 raw socket: %s (run as "
		    "root, or give the binary cap_net_raw)", strerror(errno));
		return -1;
	}
	return 0;
}

static void *
syn_open(struct event_base *base, const struct engine_params *p,
    struct vg_err *err)
{
	struct sengine	*se;
	uint32_t	 gw = 0, *gws = NULL;
	int		 cap;
	char		 ebuf[256], g[ADDR_STRLEN];
	size_t		 i;
	int		 one = 1;

	if (p->ports->ntcp == 0 || p->targets->naddrs == 0) {
		vg_err_set(err, "scan", "nothing to scan (no address or no "
		    "TCP port left after exclusions)");
		return NULL;
	}
	if ((se = calloc(1, sizeof(*se))) == NULL ||
	    (se->ring = malloc(sizeof(*se->ring))) == NULL) {
		free(se);
		vg_err_set(err, "scan", "out of memory");
		return NULL;
	}
	/* Touched whole now: the ring is a fixed cost, the same for a /24
	 * as for a /8, not memory that appears as answers come. */
	memset(se->ring, 0, sizeof(*se->ring));
	se->base = base;
	se->p = *p;
	se->rawfd = -1;
	se->rawfd6 = -1;
	se->pktfd = -1;
	se->evfd = -1;
	if (se->p.nshards == 0)
		se->p.nshards = 1;
	if (se->p.rate == 0)
		se->p.rate = 1000;
	if (se->p.cooldown_ms == 0)
		se->p.cooldown_ms = 2000;
	se->total = p->targets->naddrs * p->ports->ntcp;
	se->my_total = se->total / se->p.nshards +
	    (se->p.shard < se->total % se->p.nshards ? 1 : 0);
	se->st.total = se->my_total;
	se->checkpoint = p->start_at;
	permute_init(&se->perm, se->total, p->seed);
	cookie_key_init(&se->key, p->seed);

	/* Politeness caps are applied by the caller, to both engines. */
	se->rate = se->p.rate;

	if (open_v6(se, err) == -1)
		goto fail;
	for (i = 0; i < p->targets->n && p->targets->v[i].r.first.family != 4;
	    i++)
		;
	if (i == p->targets->n) {
		/* IPv6 only: no IPv4 route, source or template needed. */
		snprintf(se->iface, sizeof(se->iface), "any");
	} else if (netinfo_route(addr_v4(&p->targets->v[i].r.first),
	    se->iface, &gw, &se->src, ebuf, sizeof(ebuf)) == -1) {
		vg_err_set(err, "--mode syn", "%s", ebuf);
		goto fail;
	}
	if (p->source != NULL) {
		struct in_addr	s;

		if (inet_pton(AF_INET, p->source, &s) != 1) {
			vg_err_set(err, "--source-ip", "'%s' is not an IPv4 "
			    "address", p->source);
			goto fail;
		}
		se->src = ntohl(s.s_addr);
	}
	if ((gws = calloc(p->targets->n > 0 ? p->targets->n : 1,
	    sizeof(*gws))) == NULL) {
		vg_err_set(err, "scan", "out of memory");
		goto fail;
	}
	if (find_sources(se, gws, err) == -1)
		goto fail;
	if (p->iface != NULL)
		snprintf(se->iface, sizeof(se->iface), "%s", p->iface);
	if (syn_link_open(se, gws, err) == -1)
		goto fail;
	free(gws);
	gws = NULL;
	if (gw != 0) {
		struct vg_addr	ga;

		addr_from_v4(&ga, gw);
		addr_str(&ga, g);
	} else {
		snprintf(g, sizeof(g), "on-link");
	}
	{
		struct vg_addr	sa;
		char		s[ADDR_STRLEN];

		addr_from_v4(&sa, se->src);
		if (se->nsrcs > 0)
			log_info("syn: interface %s, source %s%s, gateway %s, "
			    "%u pps", se->iface, addr_str(&sa, s),
			    se->nsrcs > 1 ? " (and others)" : "", g, se->rate);
		if (se->has_v6) {
			sa.family = 6;
			memcpy(sa.a, se->src6, 16);
			log_info("syn: IPv6 source %s", addr_str(&sa, s));
		}
	}
	if (se->tx == SYN_TX_RAW)
		se->rawfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC,
		    IPPROTO_RAW);
	if (se->tx == SYN_TX_RAW && se->rawfd == -1) {
		vg_err_set(err, "--mode syn", "raw socket: %s (run as root, "
		    "or give the binary cap_net_raw)", strerror(errno));
		goto fail;
	}
	setsockopt(se->rawfd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	cap = 4 << 20;
	setsockopt(se->rawfd, SOL_SOCKET, SO_SNDBUF, &cap, sizeof(cap));
	if (se->nsrcs > 0 && syn_template(se, ebuf, sizeof(ebuf)) == -1) {
		vg_err_set(err, "--mode syn", "%s", ebuf);
		goto fail;
	}
	if (open_pcap(se, err) == -1)
		goto fail;
	if ((se->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1 ||
	    (se->ev = event_new(base, se->evfd, EV_READ | EV_PERSIST, wake_cb,
	    se)) == NULL) {
		vg_err_set(err, "scan", "eventfd: %s", strerror(errno));
		goto fail;
	}
	return se;
fail:
	free(gws);
	syn_close(se);
	return NULL;
}

static int
syn_start(void *arg)
{
	struct sengine	*se = arg;

	event_add(se->ev, NULL);
	if (pthread_create(&se->rx, NULL, syn_rx_main, se) != 0)
		return -1;
	if (pthread_create(&se->txthr, NULL, syn_tx_main, se) != 0) {
		atomic_store(&se->stop, true);
		atomic_store(&se->tx_done, true);
		pthread_join(se->rx, NULL);
		return -1;
	}
	se->threads = true;
	return 0;
}

static void
syn_stop(void *arg)
{
	struct sengine	*se = arg;

	atomic_store(&se->stop, true);
}

static void
syn_stats(void *arg, struct engine_stats *st)
{
	struct sengine	*se = arg;

	checkpoint_sample(se);
	*st = se->st;
	st->sent = atomic_load(&se->sent);
	st->replies = atomic_load(&se->replies);
	st->dropped = atomic_load(&se->dropped);
	st->invalid = atomic_load(&se->invalid);
	st->checkpoint = se->checkpoint;
}

static void
syn_close(void *arg)
{
	struct sengine	*se = arg;

	if (se == NULL)
		return;
	if (se->threads) {
		atomic_store(&se->stop, true);
		pthread_join(se->txthr, NULL);
		pthread_join(se->rx, NULL);
	}
	if (se->ev != NULL)
		event_free(se->ev);
	if (se->evfd != -1)
		close(se->evfd);
	if (se->pcap != NULL)
		pcap_close(se->pcap);
	if (se->rawfd != -1)
		close(se->rawfd);
	if (se->rawfd6 != -1)
		close(se->rawfd6);
	syn_link_close(se);
	free(se->range_src);
	free(se->ring);
	free(se);
}

const struct scan_engine engine_syn = {
	.name		= "syn",
	.needs_root	= true,
	.open		= syn_open,
	.start		= syn_start,
	.stop		= syn_stop,
	.stats		= syn_stats,
	.close		= syn_close,
};
