/*
 * cookie.c - keyed hashes for stateless SYN validation: SipHash-2-4
 * (Aumasson and Bernstein, 2012) over the probe's 4-tuple.  A reply is
 * ours when its acknowledgement number is cookie + 1; a forged or stray
 * reply matches with probability 2^-32.
 */
#include "vigie/engine.h"

#include <sys/random.h>

#include <string.h>

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* SipHash-2-4 of n 64-bit words (8n bytes of message, n < 32). */
static uint64_t
siphash_nw(const struct cookie_key *k, const uint64_t *m, size_t n)
{
	uint64_t	v0 = 0x736f6d6570736575ULL ^ k->k0;
	uint64_t	v1 = 0x646f72616e646f6dULL ^ k->k1;
	uint64_t	v2 = 0x6c7967656e657261ULL ^ k->k0;
	uint64_t	v3 = 0x7465646279746573ULL ^ k->k1;
	uint64_t	b = (uint64_t)(n * 8) << 56;
	size_t		i;

	for (i = 0; i < n; i++) {
		v3 ^= m[i];
		SIPROUND;
		SIPROUND;
		v0 ^= m[i];
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * The key mixes the scan's seed with bytes from the kernel, so replies to
 * another scan (or a forger who knows the seed) do not validate.
 */
void
cookie_key_init(struct cookie_key *k, uint64_t seed)
{
	uint64_t	rnd[2] = { 0, 0 };

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	k->k0 = seed ^ rnd[0];
	k->k1 = (seed * 0x9e3779b97f4a7c15ULL) ^ rnd[1];
}

uint32_t
cookie_v4(const struct cookie_key *k, uint32_t saddr, uint32_t daddr,
    uint16_t sport, uint16_t dport)
{
	uint64_t	m[2], h;

	m[0] = (uint64_t)saddr << 32 | daddr;
	m[1] = (uint64_t)sport << 16 | dport;
	h = siphash_nw(k, m, 2);
	return (uint32_t)(h ^ (h >> 32));
}

uint32_t
cookie_v6(const struct cookie_key *k, const uint8_t saddr[16],
    const uint8_t daddr[16], uint16_t sport, uint16_t dport)
{
	uint64_t	m[5], h;
	int		i;

	memset(m, 0, sizeof(m));
	for (i = 0; i < 8; i++) {
		m[0] = m[0] << 8 | saddr[i];
		m[1] = m[1] << 8 | saddr[8 + i];
		m[2] = m[2] << 8 | daddr[i];
		m[3] = m[3] << 8 | daddr[8 + i];
	}
	m[4] = (uint64_t)sport << 16 | dport;
	h = siphash_nw(k, m, 5);
	return (uint32_t)(h ^ (h >> 32));
}
