/*
 * permute.c - a keyed pseudo-random bijection of [0, n).
 *
 * A balanced Feistel network over the smallest even number of bits that
 * holds n, with cycle walking to stay inside [0, n): apply the network
 * until the value falls below n.  Because the network is a bijection of
 * the larger domain, walking is a bijection of [0, n); the larger domain
 * is less than 4n, so a walk is short on average.  No table, no GMP:
 * constant memory whatever n.
 */
#include "vigie/engine.h"

#define FEISTEL_ROUNDS	6

/* A 64-bit mixer (the splitmix64 finaliser). */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

void
permute_init(struct permute *p, uint64_t n, uint64_t seed)
{
	unsigned	bits = 2, i;

	p->n = n;
	while (bits < 64 && ((uint64_t)1 << bits) < n)
		bits += 2;
	if (bits > 64)
		bits = 64;
	p->half_bits = bits / 2;
	p->half_mask = p->half_bits >= 64 ? ~(uint64_t)0 :
	    ((uint64_t)1 << p->half_bits) - 1;
	for (i = 0; i < 4; i++)
		p->key[i] = mix(seed + 0x9e3779b97f4a7c15ULL * (i + 1));
}

static uint64_t
round_fn(const struct permute *p, unsigned r, uint64_t x)
{
	return mix(x ^ p->key[r & 3] ^ ((uint64_t)r << 56)) & p->half_mask;
}

static uint64_t
feistel(const struct permute *p, uint64_t x)
{
	uint64_t	l = x >> p->half_bits, r = x & p->half_mask, t;
	unsigned	i;

	for (i = 0; i < FEISTEL_ROUNDS; i++) {
		t = r;
		r = l ^ round_fn(p, i, r);
		l = t;
	}
	return l << p->half_bits | r;
}

static uint64_t
feistel_inv(const struct permute *p, uint64_t x)
{
	uint64_t	l = x >> p->half_bits, r = x & p->half_mask, t;
	unsigned	i;

	for (i = FEISTEL_ROUNDS; i-- > 0;) {
		t = l;
		l = r ^ round_fn(p, i, l);
		r = t;
	}
	return l << p->half_bits | r;
}

uint64_t
permute_at(const struct permute *p, uint64_t i)
{
	uint64_t	x = i;

	if (p->n <= 1)
		return 0;
	do
		x = feistel(p, x);
	while (x >= p->n);
	return x;
}

uint64_t
permute_inverse(const struct permute *p, uint64_t x)
{
	uint64_t	i = x;

	if (p->n <= 1)
		return 0;
	do
		i = feistel_inv(p, i);
	while (i >= p->n);
	return i;
}
