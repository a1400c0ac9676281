/*
 * syn_internal.h - the stateless SYN engine's parts: sender thread
 * (syn_tx.c), receiver thread (syn_rx.c) and the engine that joins them
 * to the main libevent loop (syn.c).
 *
 * Threads share the frozen engine parameters, atomic counters and one
 * bounded single-producer single-consumer ring of replies towards the
 * main thread.  Nothing else is shared.
 */
#ifndef VIGIE_SYN_INTERNAL_H
#define VIGIE_SYN_INTERNAL_H

#include <net/if.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "vigie/addr.h"
#include "vigie/engine.h"

#define SYN_RING_SIZE	(1u << 17)	/* replies between rx and main */
#define SYN_SPORT_BASE	61000		/* above the ephemeral range */
#define SYN_SPORT_SPAN	4096
#define SYN_TMPL_LEN	44		/* IPv4 20 + TCP 20 + MSS option 4 */
#define SYN_SRC_MAX	8		/* distinct source addresses */
#define SYN_SAMPLES	1024		/* position samples, 100 ms apart */
#define SYN_ETH_LEN	14		/* Ethernet header, link-layer paths */

struct syn_reply {
	struct vg_addr	addr;
	uint8_t		state;		/* enum port_state */
	uint16_t	port;
};

struct syn_ring {
	struct syn_reply	v[SYN_RING_SIZE];
	_Atomic uint32_t	head;	/* written by the receiver */
	_Atomic uint32_t	tail;	/* written by the main thread */
};

/*
 * How probes leave.  SYN_TX_RAW: a raw IPv4 socket, the kernel routes
 * each packet and resolves its neighbour (on-link targets, each with its
 * own MAC).  SYN_TX_PACKET and SYN_TX_RING: whole Ethernet frames towards
 * the one gateway every target is reached through, written on the
 * interface by an AF_PACKET socket, with sendmmsg(2) or through a
 * PACKET_TX_RING; the kernel's routing, neighbour and qdisc work per
 * packet is skipped.
 */
enum syn_tx {
	SYN_TX_RAW,
	SYN_TX_PACKET,
	SYN_TX_RING,
};

/* The PACKET_TX_RING: frames of TX_FRAME bytes, mapped. */
struct syn_txring {
	uint8_t		*map;
	size_t		 len;
	unsigned	 nframes;
	unsigned	 frame_size;
	unsigned	 head;		/* next frame to fill */
};

struct sengine {
	struct event_base	*base;
	struct engine_params	 p;
	struct permute		 perm;
	struct cookie_key	 key;
	uint64_t		 total;		/* addresses x ports */
	uint64_t		 my_total;	/* this shard's positions */
	uint32_t		 rate;		/* after politeness caps */

	char			 iface[IF_NAMESIZE];
	uint32_t		 src;		/* first source, host order */
	/* The source address towards each target range, as the kernel
	 * routes it (a scanner may hold several): srcs[range_src[ri]]. */
	uint32_t		 srcs[SYN_SRC_MAX];
	unsigned		 nsrcs;
	uint8_t			*range_src;
	int			 rawfd;
	/* IPv6 targets (small ranges, hostnames' AAAA records): a raw
	 * TCP socket bound to our one IPv6 source; the kernel writes the
	 * IPv6 header and the checksum. */
	int			 rawfd6;
	bool			 has_v6;
	uint8_t			 src6[16];
	enum syn_tx		 tx;
	int			 pktfd;		/* AF_PACKET, link paths */
	int			 ifindex;
	uint8_t			 eth[SYN_ETH_LEN];	/* gateway, us, IPv4 */
	struct syn_txring	 txr;
	pcap_t			*pcap;
	int			 linkhdr;	/* bytes before the IP header */
	uint8_t			 tmpl[SYN_TMPL_LEN];

	pthread_t		 txthr, rx;
	bool			 threads;
	_Atomic bool		 stop;
	_Atomic bool		 tx_done;
	_Atomic uint64_t	 tx_end_us;
	_Atomic uint64_t	 sent, replies, dropped, invalid, pos;

	struct syn_ring		*ring;
	int			 evfd;		/* rx -> main wake-ups */
	struct event		*ev;
	_Atomic bool		 rx_done;
	bool			 reported_done;

	/* Main thread only: samples of the sender's position, for the
	 * resume point (see checkpoint_sample in syn.c). */
	uint64_t		 sample_us[SYN_SAMPLES];
	uint64_t		 sample_pos[SYN_SAMPLES];
	unsigned		 nsample;
	uint64_t		 checkpoint;

	struct engine_stats	 st;
};

void	*syn_tx_main(void *);
void	*syn_rx_main(void *);
/* Fill se->tmpl: IPv4 + TCP SYN from se->src, with libnet. 0 or -1. */
int	 syn_template(struct sengine *, char *errbuf, size_t len);
/* Patch a copy of the template for one probe; returns its length. */
size_t	 syn_packet(const struct sengine *, uint8_t *out, uint32_t saddr,
	    uint32_t daddr, uint16_t dport, uint16_t sport);
/* syn_link.c: choose how probes leave (se->tx) and open the AF_PACKET
 * socket and ring when a link-layer path is chosen.  `gw` holds each
 * target range's gateway (0: on-link).  0, or -1 with err set. */
struct vg_err;
int	 syn_link_open(struct sengine *, const uint32_t *gw, struct vg_err *);
void	 syn_link_close(struct sengine *);
/* Send one IPv6 probe (raw TCP socket). */
void	 syn_send_v6(struct sengine *, const struct vg_addr *,
	    uint16_t dport, uint16_t sport);
/* True when addr is one of our source addresses. */
bool	 syn_is_source(const struct sengine *, uint32_t addr);

/* netinfo.c: the interface and source address towards an address. */
int	netinfo_route(uint32_t daddr, char iface[IF_NAMESIZE],
	    uint32_t *gateway, uint32_t *src, char *errbuf, size_t len);
int	netinfo_neighbor_mac(const char *iface, uint32_t addr,
	    uint8_t mac[6]);
/* The interface's own MAC and index.  0 or -1. */
int	netinfo_iface(const char *iface, uint8_t mac[6], int *ifindex);

#endif /* VIGIE_SYN_INTERNAL_H */
