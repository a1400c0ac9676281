/*
 * syn_link.c - how the SYN engine's probes leave: through a raw IPv4
 * socket (the kernel routes and resolves each one), or as whole Ethernet
 * frames written on the interface by an AF_PACKET socket, with
 * sendmmsg(2) or through a PACKET_TX_RING.
 *
 * The link-layer paths need one next hop for every target: the gateway
 * of a scanner that reaches its targets through a router, which is the
 * case of any scan of the Internet.  Its MAC comes from the ARP table of
 * the scanner's namespace; when the gateway is not there yet, one empty
 * UDP datagram to it (the discard port) makes the kernel resolve it.
 * On-link targets, each with its own MAC, keep the raw socket.
 *
 * `--tx auto` takes the ring when it can (bench/README.md has the
 * figures: sendmmsg on a raw IPv4 socket, on an AF_PACKET socket, and
 * the ring, measured in one run), else the raw socket.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigie/addr.h"
#include "vigie/err.h"
#include "vigie/log.h"
#include "vigie/targets.h"

#include "syn_internal.h"

#define TXR_FRAME_SIZE	128	/* tpacket2_hdr, then a 58-byte frame */
#define TXR_BLOCK_SIZE	4096
#define TXR_BLOCKS	256	/* 8192 frames, 1 MiB */
#define ARP_WAIT_MS	1000	/* for the gateway's resolution */
#define ARP_POLL_MS	20
#define DISCARD_PORT	9

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned	m[6];
	char		end;
	int		i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2],
	    &m[3], &m[4], &m[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

/* Ask the kernel to resolve the gateway, and wait for its entry. */
static int
resolve_gateway(const char *iface, uint32_t gw, uint8_t mac[6])
{
	struct sockaddr_in	sin;
	struct timespec		ts = { 0, ARP_POLL_MS * 1000000L };
	int			fd, waited;

	if (netinfo_neighbor_mac(iface, gw, mac) == 0)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DISCARD_PORT);
	sin.sin_addr.s_addr = htonl(gw);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	(void)sendto(fd, "", 0, 0, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	for (waited = 0; waited < ARP_WAIT_MS; waited += ARP_POLL_MS) {
		nanosleep(&ts, NULL);
		if (netinfo_neighbor_mac(iface, gw, mac) == 0)
			return 0;
	}
	return -1;
}

static int
open_ring(struct sengine *se, struct vg_err *err)
{
	struct tpacket_req	req;
	int			v = TPACKET_V2;

	memset(&req, 0, sizeof(req));
	req.tp_block_size = TXR_BLOCK_SIZE;
	req.tp_block_nr = TXR_BLOCKS;
	req.tp_frame_size = TXR_FRAME_SIZE;
	req.tp_frame_nr = TXR_BLOCK_SIZE / TXR_FRAME_SIZE * TXR_BLOCKS;
	if (setsockopt(se->pktfd, SOL_PACKET, PACKET_VERSION, &v,
	    sizeof(v)) == -1 ||
	    setsockopt(se->pktfd, SOL_PACKET, PACKET_TX_RING, &req,
	    sizeof(req)) == -1) {
		vg_err_set(err, "--tx ring", "PACKET_TX_RING: %s",
		    strerror(errno));
		return -1;
	}
	se->txr.len = (size_t)req.tp_block_size * req.tp_block_nr;
	se->txr.map = mmap(NULL, se->txr.len, PROT_READ | PROT_WRITE,
	    MAP_SHARED, se->pktfd, 0);
	if (se->txr.map == MAP_FAILED) {
		se->txr.map = NULL;
		vg_err_set(err, "--tx ring", "mmap: %s", strerror(errno));
		return -1;
	}
	se->txr.nframes = req.tp_frame_nr;
	se->txr.frame_size = req.tp_frame_size;
	return 0;
}

static int
open_packet(struct sengine *se, const uint8_t gwmac[6], struct vg_err *err)
{
	struct sockaddr_ll	sll;
	uint8_t			mymac[6];
	int			one = 1, cap = 4 << 20;

	if (netinfo_iface(se->iface, mymac, &se->ifindex) == -1) {
		vg_err_set(err, se->iface, "no such Ethernet interface");
		return -1;
	}
	memcpy(se->eth, gwmac, 6);
	memcpy(se->eth + 6, mymac, 6);
	se->eth[12] = ETH_P_IP >> 8;
	se->eth[13] = ETH_P_IP & 0xff;
	/* Protocol 0: this socket sends and never receives. */
	se->pktfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (se->pktfd == -1) {
		vg_err_set(err, "--mode syn", "packet socket: %s",
		    strerror(errno));
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = se->ifindex;
	/* Protocol 0 again: bound to an EtherType, the socket would be
	 * handed a copy of every IPv4 frame the interface receives.  The
	 * kernel reads each frame's EtherType from its header. */
	sll.sll_protocol = 0;
	if (bind(se->pktfd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		vg_err_set(err, se->iface, "bind: %s", strerror(errno));
		return -1;
	}
	/* Straight to the driver: a scanner's frames need no queueing
	 * discipline, and the rate limiter is ours. */
	setsockopt(se->pktfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
	    sizeof(one));
	setsockopt(se->pktfd, SOL_SOCKET, SO_SNDBUF, &cap, sizeof(cap));
	if (se->tx == SYN_TX_RING)
		return open_ring(se, err);
	return 0;
}

int
syn_link_open(struct sengine *se, const uint32_t *gw, struct vg_err *err)
{
	const char	*want = se->p.tx != NULL ? se->p.tx : "auto";
	const char	*why = NULL;
	struct vg_addr	 ga;
	char		 g[ADDR_STRLEN];
	uint8_t		 mac[6];
	uint32_t	 gw0 = 0;
	size_t		 ri;

	se->pktfd = -1;
	se->tx = SYN_TX_RAW;
	if (strcmp(want, "raw") == 0)
		return 0;
	/* One gateway, one interface, for every range. */
	if (strcmp(se->iface, "any") == 0)
		why = "the targets are reached through several interfaces";
	/* IPv6 targets leave through their own raw socket, whatever the
	 * IPv4 ones do. */
	for (ri = 0; why == NULL && ri < se->p.targets->n; ri++) {
		if (se->p.targets->v[ri].r.first.family != 4)
			continue;
		if (gw0 == 0)
			gw0 = gw[ri];
		if (gw[ri] == 0)
			why = "some targets are on-link";
		else if (gw[ri] != gw0)
			why = "the targets are reached through several "
			    "gateways";
	}
	if (why == NULL && gw0 == 0)
		why = "no IPv4 target";
	if (why == NULL && se->p.gateway_mac != NULL) {
		if (parse_mac(se->p.gateway_mac, mac) == -1) {
			vg_err_set(err, "--gateway-mac", "'%s' is not a MAC "
			    "address (aa:bb:cc:dd:ee:ff)", se->p.gateway_mac);
			return -1;
		}
	} else if (why == NULL &&
	    resolve_gateway(se->iface, gw0, mac) == -1) {
		why = "the gateway's MAC is unknown (give --gateway-mac)";
	}
	if (why != NULL) {
		if (strcmp(want, "auto") != 0) {
			vg_err_set(err, "--tx", "%s needs one gateway: %s",
			    want, why);
			return -1;
		}
		log_debug("syn: raw IPv4 socket: %s", why);
		return 0;
	}
	se->tx = strcmp(want, "packet") == 0 ? SYN_TX_PACKET : SYN_TX_RING;
	if (open_packet(se, mac, err) == -1)
		return -1;
	addr_from_v4(&ga, gw0);
	log_info("syn: frames to gateway %s (%02x:%02x:%02x:%02x:%02x:%02x) "
	    "through %s", addr_str(&ga, g), mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5], se->tx == SYN_TX_RING ? "a PACKET_TX_RING" :
	    "an AF_PACKET socket");
	return 0;
}

void
syn_link_close(struct sengine *se)
{
	if (se->txr.map != NULL)
		munmap(se->txr.map, se->txr.len);
	se->txr.map = NULL;
	if (se->pktfd != -1)
		close(se->pktfd);
	se->pktfd = -1;
}
