/* test_engine.c - the permutation, sharding and the rate limiter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vigie/engine.h"

/* Exhaustively on small spaces: every value once, and the inverse. */
static void
test_permute_is_a_bijection(void **state)
{
	static const uint64_t	sizes[] = { 1, 2, 3, 7, 16, 100, 255, 1000,
				    4097, 65536 };
	struct permute		p;
	uint8_t			*seen;
	uint64_t		n, i, x;
	size_t			k;

	(void)state;
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		seen = calloc(n, 1);
		assert_non_null(seen);
		permute_init(&p, n, 42 + k);
		for (i = 0; i < n; i++) {
			x = permute_at(&p, i);
			assert_true(x < n);
			assert_int_equal(seen[x], 0);
			seen[x] = 1;
			assert_int_equal(permute_inverse(&p, x), i);
		}
		free(seen);
	}
}

static void
test_permute_depends_on_seed_and_spreads(void **state)
{
	struct permute	a, b;
	uint64_t	i, same = 0, adjacent = 0;

	(void)state;
	permute_init(&a, 10000, 1);
	permute_init(&b, 10000, 2);
	for (i = 0; i < 10000; i++) {
		if (permute_at(&a, i) == permute_at(&b, i))
			same++;
		if (i > 0 && (permute_at(&a, i) == permute_at(&a, i - 1) + 1))
			adjacent++;
	}
	assert_true(same < 100);
	assert_true(adjacent < 100);
}

static void
test_permute_large_space_round_trips(void **state)
{
	struct permute	p;
	uint64_t	n = (uint64_t)1 << 40, i, x;

	(void)state;
	permute_init(&p, n + 12345, 7);
	for (i = 0; i < 100000; i += 997) {
		x = permute_at(&p, i);
		assert_true(x < n + 12345);
		assert_int_equal(permute_inverse(&p, x), i);
	}
}

/* Shard s of N takes positions s, s+N, s+2N...: disjoint, and together
 * they cover everything (the engine's own stepping). */
static void
test_shards_are_disjoint_and_cover(void **state)
{
	struct permute	p;
	uint64_t	n = 5003, i, s, nshards = 7;
	uint8_t		*owner;

	(void)state;
	owner = calloc(n, 1);
	permute_init(&p, n, 99);
	for (s = 0; s < nshards; s++)
		for (i = s; i < n; i += nshards) {
			uint64_t	x = permute_at(&p, i);

			assert_int_equal(owner[x], 0);
			owner[x] = (uint8_t)(s + 1);
		}
	for (i = 0; i < n; i++)
		assert_true(owner[i] != 0);
	free(owner);
}

/* On a virtual clock, ticking every millisecond, the bucket gives the
 * rate within 2% over every one-second window. */
static void
test_ratelimit_holds_rate_on_virtual_clock(void **state)
{
	static const double	rates[] = { 100, 1000, 12345, 100000, 1e6 };
	struct ratelimit	rl;
	uint64_t		t, got, window;
	size_t			k;
	uint64_t		*per_ms;

	(void)state;
	per_ms = calloc(5000, sizeof(*per_ms));
	for (k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		ratelimit_init(&rl, rates[k], rates[k] / 200 + 1, 0);
		for (t = 1; t <= 5000; t++)
			per_ms[t - 1] = ratelimit_take(&rl, UINT64_MAX / 2,
			    t * 1000);
		for (t = 0; t + 1000 <= 5000; t += 250) {
			uint64_t	i;

			window = 0;
			for (i = t; i < t + 1000; i++)
				window += per_ms[i];
			got = window;
			assert_true((double)got >= rates[k] * 0.98 - 1);
			assert_true((double)got <= rates[k] * 1.02 + 1);
		}
	}
	free(per_ms);
}

/* No burst: after a long idle period the bucket holds a few ms' worth. */
static void
test_ratelimit_caps_burst_after_idle(void **state)
{
	struct ratelimit	rl;

	(void)state;
	ratelimit_init(&rl, 10000, 10000 / 200 + 1, 0);
	assert_true(ratelimit_take(&rl, 1000000, 60 * 1000000ULL) <= 51);
}

/* The sender's loop (scanner/syn_tx.c) on a virtual clock: sleep until
 * a batch is there, oversleeping by 40 us each time (a timer's slack)
 * and by 6 ms every 50th time (a busy scheduler), then take it.  With a
 * bucket of 8 ms of tokens (1.1 batch at least) the rate still holds
 * within 2%, and the sleeps are one a batch, not one a token. */
static void
test_ratelimit_sleeping_sender_holds_rate(void **state)
{
	static const double	rates[] = { 100, 1000, 10000, 100000 };
	struct ratelimit	rl;
	uint64_t		t, w, batch, sent, sleeps, second;
	double			burst;
	size_t			k;

	(void)state;
	for (k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		batch = (uint64_t)rates[k] / 1000;
		if (batch < 1)
			batch = 1;
		if (batch > 64)
			batch = 64;
		burst = rates[k] * 8 / 1000;
		if (burst < (double)batch * 1.1)
			burst = (double)batch * 1.1;
		ratelimit_init(&rl, rates[k], burst, 0);
		assert_int_equal(ratelimit_wait_us(&rl, 0, 0), 0);
		t = 0;
		sent = sleeps = 0;
		second = 1000000;
		while (t < 5000000) {
			if ((w = ratelimit_wait_us(&rl, batch, t)) > 0) {
				sleeps++;
				t += w + 40 + (sleeps % 50 == 0 ? 6000 : 0);
				continue;
			}
			sent += ratelimit_take(&rl, batch, t);
			if (t >= second) {
				/* Sent so far against the rate: within 2%,
				 * less what the bucket holds. */
				assert_true((double)sent >= rates[k] *
				    (double)t / 1e6 * 0.98 - burst);
				assert_true((double)sent <= rates[k] *
				    (double)t / 1e6 * 1.02 + (double)batch);
				second += 1000000;
			}
		}
		assert_true(sleeps <= sent / batch + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_permute_is_a_bijection),
		cmocka_unit_test(test_permute_depends_on_seed_and_spreads),
		cmocka_unit_test(test_permute_large_space_round_trips),
		cmocka_unit_test(test_shards_are_disjoint_and_cover),
		cmocka_unit_test(test_ratelimit_holds_rate_on_virtual_clock),
		cmocka_unit_test(test_ratelimit_caps_burst_after_idle),
		cmocka_unit_test(test_ratelimit_sleeping_sender_holds_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
