/*
 * syn_rx.c - the receiver thread of the SYN engine.
 *
 * libpcap on the scan's interface, with a BPF filter that keeps only TCP
 * segments to our source address and source-port range with SYN+ACK or
 * RST set.  A reply counts only if its acknowledgement number is the
 * cookie of its 4-tuple plus one; SYN+ACK means open, RST closed.  The
 * kernel, which has no socket on our port, answers each SYN+ACK with a
 * reset, so targets keep no half-open connection.
 *
 * Accepted replies go to the main thread through the ring; a full ring
 * drops and counts.  The thread ends a cool-down after the sender.
 */
#include <sys/eventfd.h>
#include <poll.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "syn_internal.h"

#define RX_POLL_MS	20

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_ACK	0x10

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
push(struct sengine *se, const struct vg_addr *addr, uint16_t port,
    enum port_state st)
{
	struct syn_ring	*r = se->ring;
	uint32_t	 head = atomic_load_explicit(&r->head,
			    memory_order_relaxed);
	uint32_t	 tail = atomic_load_explicit(&r->tail,
			    memory_order_acquire);
	uint64_t	 one = 1;

	if (head - tail >= SYN_RING_SIZE) {
		atomic_fetch_add(&se->dropped, 1);
		return;
	}
	r->v[head & (SYN_RING_SIZE - 1)].addr = *addr;
	r->v[head & (SYN_RING_SIZE - 1)].port = port;
	r->v[head & (SYN_RING_SIZE - 1)].state = (uint8_t)st;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	if (write(se->evfd, &one, sizeof(one)) == -1) {
		/* The counter saturates only if main is stuck; harmless. */
	}
}

/* The TCP part of a reply, once its cookie is known: count and pass. */
static void
judge(struct sengine *se, const struct vg_addr *from, const uint8_t *tcp,
    uint32_t cookie)
{
	uint32_t	ack = get32(tcp + 8);
	uint8_t		flags = tcp[13];

	if (!(flags & TCP_ACK) || ack - 1 != cookie) {
		atomic_fetch_add(&se->invalid, 1);
		return;
	}
	atomic_fetch_add(&se->replies, 1);
	if ((flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
		push(se, from, get16(tcp), PORT_OPEN);
	else if (flags & TCP_RST)
		push(se, from, get16(tcp), PORT_CLOSED);
}

/* An IPv6 reply: the fixed header then TCP (no extension header: a
 * SYN+ACK or RST carries none). */
static void
on_v6(struct sengine *se, const uint8_t *ip, size_t caplen)
{
	struct vg_addr	 from;
	const uint8_t	*tcp = ip + 40;
	uint16_t	 sport, dport;

	if (caplen < 40 + 20 || ip[6] != IPPROTO_TCP ||
	    memcmp(ip + 24, se->src6, 16) != 0)
		return;
	sport = get16(tcp);
	dport = get16(tcp + 2);
	if (dport < SYN_SPORT_BASE || dport >= SYN_SPORT_BASE +
	    SYN_SPORT_SPAN)
		return;
	from.family = 6;
	memcpy(from.a, ip + 8, 16);
	judge(se, &from, tcp, cookie_v6(&se->key, se->src6, from.a, dport,
	    sport));
}

/* One captured frame.  Bytes from the network: bounded, no trust. */
static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct sengine	*se = (struct sengine *)arg;
	struct vg_addr	 from;
	const uint8_t	*ip, *tcp;
	size_t		 caplen = h->caplen, ihl;
	uint32_t	 saddr, daddr;
	uint16_t	 sport, dport;

	if (caplen < (size_t)se->linkhdr + 20)
		return;
	ip = bytes + se->linkhdr;
	caplen -= (size_t)se->linkhdr;
	if ((ip[0] >> 4) == 6 && se->has_v6) {
		on_v6(se, ip, caplen);
		return;
	}
	if ((ip[0] >> 4) != 4 || ip[9] != IPPROTO_TCP)
		return;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20 || caplen < ihl + 20)
		return;
	tcp = ip + ihl;
	saddr = get32(ip + 12);
	daddr = get32(ip + 16);
	sport = get16(tcp);
	dport = get16(tcp + 2);
	if (!syn_is_source(se, daddr) || dport < SYN_SPORT_BASE ||
	    dport >= SYN_SPORT_BASE + SYN_SPORT_SPAN)
		return;
	addr_from_v4(&from, saddr);
	judge(se, &from, tcp, cookie_v4(&se->key, daddr, saddr, dport,
	    sport));
}

void *
syn_rx_main(void *arg)
{
	struct sengine		*se = arg;
	struct pcap_stat	 ps;
	uint64_t		 one = 1, end;
	struct pollfd		 pfd;
	int			 n;

	/* Non-blocking capture under our own poll(): libpcap's own read
	 * timeout does not make pcap_dispatch() return on Linux when no
	 * packet comes, and the cool-down must end on time. */
	pfd.fd = pcap_get_selectable_fd(se->pcap);
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, RX_POLL_MS) == -1 && errno != EINTR)
			break;
		n = pcap_dispatch(se->pcap, 512, on_packet, (u_char *)se);
		if (n == PCAP_ERROR)
			break;
		if (atomic_load(&se->tx_done)) {
			end = atomic_load(&se->tx_end_us) +
			    (uint64_t)se->p.cooldown_ms * 1000;
			if (clock_us() >= end || (atomic_load(&se->stop) &&
			    n == 0))
				break;
		}
	}
	if (pcap_stats(se->pcap, &ps) == 0)
		atomic_fetch_add(&se->dropped, ps.ps_drop);
	atomic_store(&se->rx_done, true);
	if (write(se->evfd, &one, sizeof(one)) == -1) {
		/* Nothing to do: main polls rx_done on its next wake-up. */
	}
	return NULL;
}
