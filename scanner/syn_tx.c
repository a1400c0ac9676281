/*
 * syn_tx.c - the sender thread of the SYN engine.
 *
 * The packet template (IPv4 + TCP SYN with an MSS option, as an ordinary
 * stack sends) is built once with libnet; each probe patches addresses,
 * ports, the sequence number (the cookie) and both checksums.  Packets go
 * out in batches (see syn_link.c for the three ways).  A batch is a
 * millisecond's worth of tokens at most, so the rate is smooth at the
 * millisecond; between batches the sender sleeps until the bucket holds
 * the next one (with a fine timer slack), rather than spinning or
 * waking for every token: at 10k probes/s that is a thousand sends of
 * ten probes a second, not ten thousand of one.  A late wake-up is
 * caught up (TX_CATCHUP_MS).
 *
 * Every target is sent retries + 1 times, in successive passes over the
 * permutation: stateless, constant memory, and replies to repeated probes
 * are counted once downstream.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include <netinet/in.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libnet.h>

#include "vigie/targets.h"

#include "syn_internal.h"

#define TX_BATCH	64
#define TX_SLEEP_MIN_US	50	/* shorter waits yield instead */
#define TX_SLACK_NS	1000	/* timer slack of the sender's sleeps */
/* The bucket holds this many milliseconds of tokens: a sender woken a
 * few milliseconds late (the scheduler, under load; a bucket of two
 * batches lost 5% of 100k probes/s in bench/syn's lab) catches up
 * instead of losing them, in batches sent back to back.  At low rates
 * (one probe a batch), a tenth of a batch more than one: a timer's
 * slack is not lost, and a fragile host capped at 20 probes/s never
 * gets two at once. */
#define TX_CATCHUP_MS	8
#define TCP_WINDOW	1024	/* zmap's and masscan's choice: small */
#define TCP_MSS		1460

int
syn_template(struct sengine *se, char *errbuf, size_t len)
{
	char		 lerr[LIBNET_ERRBUF_SIZE];
	uint8_t		 opts[4] = { 2, 4, TCP_MSS >> 8, TCP_MSS & 0xff };
	uint8_t		*pkt = NULL;
	uint32_t	 plen = 0;
	libnet_t	*l;
	int		 rc = -1;

	/* Advanced link mode is the one whose packets can be culled; only
	 * the IP and TCP blocks are built, and we send through our own
	 * raw socket. */
	if ((l = libnet_init(LIBNET_LINK_ADV, se->iface, lerr)) == NULL) {
		snprintf(errbuf, len, "libnet: %s", lerr);
		return -1;
	}
	if (libnet_build_tcp_options(opts, sizeof(opts), l, 0) == -1 ||
	    libnet_build_tcp(SYN_SPORT_BASE, 0, 0, 0, TH_SYN, TCP_WINDOW, 0,
	    0, LIBNET_TCP_H + sizeof(opts), NULL, 0, l, 0) == -1 ||
	    libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H + sizeof(opts), 0,
	    0, 0x4000 /* DF */, 64, IPPROTO_TCP, 0, htonl(se->src), 0, NULL,
	    0, l, 0) == -1 ||
	    libnet_adv_cull_packet(l, &pkt, &plen) == -1) {
		snprintf(errbuf, len, "libnet: %s", libnet_geterror(l));
		goto out;
	}
	if (plen != SYN_TMPL_LEN) {
		snprintf(errbuf, len, "libnet: template of %u bytes", plen);
		goto out;
	}
	memcpy(se->tmpl, pkt, plen);
	rc = 0;
out:
	if (pkt != NULL)
		libnet_adv_free_packet(l, pkt);
	libnet_destroy(l);
	return rc;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t
syn_packet(const struct sengine *se, uint8_t *out, uint32_t saddr,
    uint32_t daddr, uint16_t dport, uint16_t sport)
{
	uint8_t		*ip = out, *tcp = out + 20, pseudo[12];
	uint32_t	 sum;
	size_t		 tcplen = SYN_TMPL_LEN - 20;

	memcpy(out, se->tmpl, SYN_TMPL_LEN);
	put16(ip + 4, (uint16_t)(daddr ^ dport));	/* IP id */
	put32(ip + 12, saddr);
	put32(ip + 16, daddr);
	ip[10] = ip[11] = 0;
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));

	put16(tcp + 0, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, cookie_v4(&se->key, saddr, daddr, sport, dport));
	tcp[16] = tcp[17] = 0;
	memcpy(pseudo, ip + 12, 8);		/* source, destination */
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, (uint16_t)tcplen);
	sum = csum_add(0, pseudo, sizeof(pseudo));
	sum = csum_add(sum, tcp, tcplen);
	put16(tcp + 16, csum_fold(sum));
	return SYN_TMPL_LEN;
}

/* Send what is batched; retries briefly when the queue is full. */
static void
flush(struct sengine *se, int fd, struct mmsghdr *m, unsigned n)
{
	unsigned	done = 0;
	int		r, spins = 0;

	while (done < n && !atomic_load(&se->stop)) {
		r = sendmmsg(fd, m + done, n - done, 0);
		if (r > 0) {
			done += (unsigned)r;
			continue;
		}
		if (r == -1 && (errno == ENOBUFS || errno == EAGAIN ||
		    errno == EINTR) && spins++ < 1000) {
			sched_yield();
			continue;
		}
		/* Unsendable (no route, EPERM from a firewall): skip one. */
		done++;
	}
	atomic_fetch_add(&se->sent, n);
}

/*
 * The PACKET_TX_RING.  A frame is ours to fill when its status is
 * TP_STATUS_AVAILABLE; marked TP_STATUS_SEND_REQUEST, it is the kernel's
 * until send(2) has put it on the wire.  The frame's data starts after
 * the aligned tpacket2_hdr.
 */
#define TXR_DATA	TPACKET_ALIGN(sizeof(struct tpacket2_hdr))

static struct tpacket2_hdr *
ring_frame(struct syn_txring *r, unsigned i)
{
	return (struct tpacket2_hdr *)(void *)(r->map +
	    (size_t)(i % r->nframes) * r->frame_size);
}

static void
ring_kick(struct sengine *se)
{
	int	spins = 0;

	while (send(se->pktfd, NULL, 0, 0) == -1 && (errno == ENOBUFS ||
	    errno == EAGAIN || errno == EINTR) && spins++ < 1000 &&
	    !atomic_load(&se->stop))
		sched_yield();
}

/* The next free frame's data, or NULL when stopped. */
static uint8_t *
ring_next(struct sengine *se)
{
	struct tpacket2_hdr	*h = ring_frame(&se->txr, se->txr.head);
	uint32_t		 st;

	for (;;) {
		st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		if (st == TP_STATUS_AVAILABLE)
			return (uint8_t *)h + TXR_DATA;
		if (st == TP_STATUS_WRONG_FORMAT) {
			/* The kernel refused it; nothing went out. */
			__atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE,
			    __ATOMIC_RELEASE);
			continue;
		}
		if (atomic_load(&se->stop))
			return NULL;
		ring_kick(se);
		if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) !=
		    TP_STATUS_AVAILABLE)
			sched_yield();
	}
}

static void
ring_commit(struct sengine *se, size_t len)
{
	struct tpacket2_hdr	*h = ring_frame(&se->txr, se->txr.head);

	h->tp_len = (uint32_t)len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST,
	    __ATOMIC_RELEASE);
	se->txr.head = (se->txr.head + 1) % se->txr.nframes;
}

static void
sleep_us(uint64_t us)
{
	struct timespec	ts = { (time_t)(us / 1000000),
			    (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * One IPv6 probe: the TCP header alone (the kernel adds the IPv6 header
 * and the checksum, IPV6_CHECKSUM), sent on its own.  IPv6 targets are
 * explicit addresses and small ranges, not sweeps.
 */
void
syn_send_v6(struct sengine *se, const struct vg_addr *a, uint16_t dport,
    uint16_t sport)
{
	struct sockaddr_in6	dst;
	uint8_t			tcp[SYN_TMPL_LEN - 20];

	memset(tcp, 0, sizeof(tcp));
	put16(tcp + 0, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, cookie_v6(&se->key, se->src6, a->a, sport, dport));
	tcp[12] = (uint8_t)((sizeof(tcp) / 4) << 4);	/* data offset */
	tcp[13] = 0x02;					/* SYN */
	put16(tcp + 14, TCP_WINDOW);
	tcp[20] = 2;					/* MSS */
	tcp[21] = 4;
	put16(tcp + 22, TCP_MSS);
	memset(&dst, 0, sizeof(dst));
	dst.sin6_family = AF_INET6;
	memcpy(&dst.sin6_addr, a->a, 16);
	if (sendto(se->rawfd6, tcp, sizeof(tcp), 0, (struct sockaddr *)&dst,
	    sizeof(dst)) == -1 && errno == ENOBUFS) {
		sched_yield();
		(void)sendto(se->rawfd6, tcp, sizeof(tcp), 0,
		    (struct sockaddr *)&dst, sizeof(dst));
	}
	atomic_fetch_add(&se->sent, 1);
}

/* Where the probes of one batch are built, and how they leave. */
struct txbatch {
	uint8_t			pkts[TX_BATCH][SYN_ETH_LEN + SYN_TMPL_LEN];
	struct mmsghdr		m[TX_BATCH];
	struct iovec		iov[TX_BATCH];
	struct sockaddr_in	dst[TX_BATCH];
	unsigned		n;
};

/* Build one probe in the batch (or straight into the ring). */
static void
put_probe(struct sengine *se, struct txbatch *b, uint32_t saddr,
    uint32_t daddr, uint16_t dport, uint16_t sport)
{
	size_t		 l2 = se->tx == SYN_TX_RAW ? 0 : SYN_ETH_LEN;
	uint8_t		*f;

	if (se->tx == SYN_TX_RING) {
		if ((f = ring_next(se)) == NULL)
			return;
	} else {
		f = b->pkts[b->n];
	}
	if (l2 != 0)
		memcpy(f, se->eth, SYN_ETH_LEN);
	syn_packet(se, f + l2, saddr, daddr, dport, sport);
	if (se->tx == SYN_TX_RING) {
		ring_commit(se, l2 + SYN_TMPL_LEN);
		b->n++;
		return;
	}
	b->iov[b->n].iov_base = f;
	b->iov[b->n].iov_len = l2 + SYN_TMPL_LEN;
	b->m[b->n].msg_hdr.msg_iov = &b->iov[b->n];
	b->m[b->n].msg_hdr.msg_iovlen = 1;
	if (se->tx == SYN_TX_RAW) {
		memset(&b->dst[b->n], 0, sizeof(b->dst[b->n]));
		b->dst[b->n].sin_family = AF_INET;
		b->dst[b->n].sin_addr.s_addr = htonl(daddr);
		b->m[b->n].msg_hdr.msg_name = &b->dst[b->n];
		b->m[b->n].msg_hdr.msg_namelen = sizeof(b->dst[b->n]);
	}
	b->n++;
}

static void
send_batch(struct sengine *se, struct txbatch *b)
{
	if (b->n == 0)
		return;
	if (se->tx == SYN_TX_RING) {
		ring_kick(se);
		atomic_fetch_add(&se->sent, b->n);
	} else {
		flush(se, se->tx == SYN_TX_RAW ? se->rawfd : se->pktfd,
		    b->m, b->n);
	}
	b->n = 0;
}

void *
syn_tx_main(void *arg)
{
	struct sengine		*se = arg;
	static __thread struct txbatch	 b;
	struct ratelimit	 rl;
	struct vg_addr		 a;
	uint64_t		 naddrs = se->p.targets->naddrs;
	uint64_t		 i, x, want, got, k, batch, wait;
	double			 burst;
	uint32_t		 pass;
	size_t			 ri;

	memset(&b, 0, sizeof(b));
	batch = se->rate / 1000;
	if (batch < 1)
		batch = 1;
	if (batch > TX_BATCH)
		batch = TX_BATCH;
	burst = (double)se->rate * TX_CATCHUP_MS / 1000;
	if (burst < (double)batch * 1.1)
		burst = (double)batch * 1.1;
	ratelimit_init(&rl, se->rate, burst, clock_us());
	(void)prctl(PR_SET_TIMERSLACK, TX_SLACK_NS, 0, 0, 0);
	for (pass = 0; pass <= se->p.retries && !atomic_load(&se->stop);
	    pass++) {
		i = se->p.shard + (pass == 0 ? se->p.start_at *
		    se->p.nshards : 0);
		while (i < se->total && !atomic_load(&se->stop)) {
			want = (se->total - i + se->p.nshards - 1) /
			    se->p.nshards;
			if (want > batch)
				want = batch;
			if ((wait = ratelimit_wait_us(&rl, want,
			    clock_us())) > 0) {
				if (wait >= TX_SLEEP_MIN_US)
					sleep_us(wait);
				else
					sched_yield();
				continue;
			}
			got = ratelimit_take(&rl, want, clock_us());
			for (k = 0; k < got; k++) {
				x = permute_at(&se->perm, i);
				i += se->p.nshards;
				targetset_addr(se->p.targets, x % naddrs, &a,
				    &ri);
				if (a.family != 4) {
					syn_send_v6(se, &a,
					    se->p.ports->tcp[x / naddrs],
					    (uint16_t)(SYN_SPORT_BASE +
					    (x % SYN_SPORT_SPAN)));
					continue;
				}
				put_probe(se, &b, se->srcs[se->range_src[ri]],
				    addr_v4(&a), se->p.ports->tcp[x / naddrs],
				    (uint16_t)(SYN_SPORT_BASE +
				    (x % SYN_SPORT_SPAN)));
			}
			send_batch(se, &b);
			if (pass == 0)
				atomic_store(&se->pos, (i - se->p.shard) /
				    se->p.nshards);
		}
	}
	atomic_store(&se->tx_end_us, clock_us());
	atomic_store(&se->tx_done, true);
	return NULL;
}
