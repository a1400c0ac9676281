/* test_syn.c - SYN cookies and the probe packet's fields and checksums. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vigie/engine.h"
#include "scanner/syn_internal.h"

/* The same tuple gives the same cookie; any change gives another. */
static void
test_cookie_binds_the_tuple(void **state)
{
	struct cookie_key	k;
	uint32_t		c;

	(void)state;
	cookie_key_init(&k, 42);
	c = cookie_v4(&k, 0xc6336402, 0xc633640a, 61000, 22);
	assert_int_equal(c, cookie_v4(&k, 0xc6336402, 0xc633640a, 61000, 22));
	assert_int_not_equal(c, cookie_v4(&k, 0xc6336402, 0xc633640b, 61000,
	    22));
	assert_int_not_equal(c, cookie_v4(&k, 0xc6336402, 0xc633640a, 61001,
	    22));
	assert_int_not_equal(c, cookie_v4(&k, 0xc6336402, 0xc633640a, 61000,
	    23));
	assert_int_not_equal(c, cookie_v4(&k, 0xc6336403, 0xc633640a, 61000,
	    22));
}

/* Two scans with the same seed still have different keys (kernel
 * randomness): replies to one never validate for the other. */
static void
test_cookie_keys_differ_between_scans(void **state)
{
	struct cookie_key	a, b;

	(void)state;
	cookie_key_init(&a, 7);
	cookie_key_init(&b, 7);
	assert_int_not_equal(cookie_v4(&a, 1, 2, 61000, 80),
	    cookie_v4(&b, 1, 2, 61000, 80));
}

/* A forger guessing acknowledgement numbers: about 2^-32 per try. */
static void
test_cookie_rejects_forged_acks(void **state)
{
	struct cookie_key	k;
	uint32_t		i, hits = 0, want;

	(void)state;
	cookie_key_init(&k, 1);
	want = cookie_v4(&k, 10, 20, 61234, 443);
	for (i = 0; i < 1000000; i++)
		if (i * 2654435761u + 1 - 1 == want)
			hits++;
	assert_true(hits <= 1);
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Patched packets carry the tuple, the cookie and valid checksums. */
static void
test_packet_fields_and_checksums(void **state)
{
	static struct sengine	se;
	uint8_t			pkt[SYN_TMPL_LEN], pseudo[12];
	uint32_t		seq;

	(void)state;
	memset(&se, 0, sizeof(se));
	cookie_key_init(&se.key, 3);
	/* IPv4 (DF, TTL 64, TCP) + TCP SYN with an MSS option, as libnet
	 * builds it; addresses, ports and checksums are patched. */
	memcpy(se.tmpl, "\x45\x00\x00\x2c\x00\x00\x40\x00\x40\x06\x00\x00"
	    "\x00\x00\x00\x00\x00\x00\x00\x00"
	    "\xee\x48\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x60\x02\x04\x00"
	    "\x00\x00\x00\x00\x02\x04\x05\xb4", SYN_TMPL_LEN);
	syn_packet(&se, pkt, 0xc6336402, 0xcb00711e, 3389, 61001);
	assert_memory_equal(pkt + 12, "\xc6\x33\x64\x02\xcb\x00\x71\x1e", 8);
	assert_int_equal(pkt[20] << 8 | pkt[21], 61001);
	assert_int_equal(pkt[22] << 8 | pkt[23], 3389);
	seq = (uint32_t)pkt[24] << 24 | (uint32_t)pkt[25] << 16 |
	    (uint32_t)pkt[26] << 8 | pkt[27];
	assert_int_equal(seq, cookie_v4(&se.key, 0xc6336402, 0xcb00711e,
	    61001, 3389));
	assert_int_equal(fold(sum16(pkt, 20, 0)), 0xffff);
	memcpy(pseudo, pkt + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 6;
	pseudo[10] = 0;
	pseudo[11] = SYN_TMPL_LEN - 20;
	assert_int_equal(fold(sum16(pkt + 20, SYN_TMPL_LEN - 20,
	    sum16(pseudo, 12, 0))), 0xffff);
}

/* IPv6: every byte of both addresses counts, and the ports. */
static void
test_cookie_v6_binds_the_tuple(void **state)
{
	struct cookie_key	k;
	uint8_t			src[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t			dst[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint32_t		c;
	int			i;

	(void)state;
	cookie_key_init(&k, 42);
	src[15] = 2;
	dst[15] = 10;
	c = cookie_v6(&k, src, dst, 61000, 22);
	assert_int_equal(c, cookie_v6(&k, src, dst, 61000, 22));
	assert_int_not_equal(c, cookie_v6(&k, src, dst, 61001, 22));
	assert_int_not_equal(c, cookie_v6(&k, src, dst, 61000, 23));
	assert_int_not_equal(c, cookie_v6(&k, dst, src, 61000, 22));
	for (i = 0; i < 16; i++) {
		dst[i] ^= 0x80;
		assert_int_not_equal(c, cookie_v6(&k, src, dst, 61000, 22));
		dst[i] ^= 0x80;
		src[i] ^= 0x01;
		assert_int_not_equal(c, cookie_v6(&k, src, dst, 61000, 22));
		src[i] ^= 0x01;
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_cookie_binds_the_tuple),
		cmocka_unit_test(test_cookie_keys_differ_between_scans),
		cmocka_unit_test(test_cookie_rejects_forged_acks),
		cmocka_unit_test(test_cookie_v6_binds_the_tuple),
		cmocka_unit_test(test_packet_fields_and_checksums),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
