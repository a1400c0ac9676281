/*
 * ratelimit.c - a token bucket with an injectable clock.
 *
 * Tokens accrue continuously at `rate` per second up to `burst`; the
 * caller asks for what it wants and gets what the bucket holds.  With a
 * small burst and a tick of a millisecond the output is smooth at the
 * millisecond: no second-long bursts.
 */
#include "vigie/engine.h"

#include <time.h>

void
ratelimit_init(struct ratelimit *rl, double rate, double burst,
    uint64_t now_us)
{
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	rl->tokens = 0;
	rl->last_us = now_us;
}

uint64_t
ratelimit_take(struct ratelimit *rl, uint64_t want, uint64_t now_us)
{
	uint64_t	got;

	if (now_us > rl->last_us) {
		rl->tokens += (double)(now_us - rl->last_us) * rl->rate / 1e6;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_us = now_us;
	}
	got = rl->tokens >= (double)want ? want : (uint64_t)rl->tokens;
	rl->tokens -= (double)got;
	return got;
}

uint64_t
ratelimit_wait_us(const struct ratelimit *rl, uint64_t want, uint64_t now_us)
{
	double	have = rl->tokens, need = (double)want;

	if (need > rl->burst)
		need = rl->burst;
	if (now_us > rl->last_us)
		have += (double)(now_us - rl->last_us) * rl->rate / 1e6;
	if (have >= need || rl->rate <= 0)
		return 0;
	/* Rounded up: after that long, `need` tokens are there. */
	return (uint64_t)((need - have) * 1e6 / rl->rate) + 1;
}

uint64_t
clock_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
