/*
 * addr.c - IPv4/IPv6 addresses and CIDR prefixes.
 */
#include "vigie/addr.h"

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
addr_parse(const char *s, struct vg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = 6;
		return 0;
	}
	return -1;
}

static unsigned
addr_bits(const struct vg_addr *a)
{
	return a->family == 4 ? 32 : 128;
}

/* Keep the first plen bits of a; zero the rest.  True if any was set. */
static int
mask_host(struct vg_addr *a, unsigned plen)
{
	unsigned	i, bits = addr_bits(a), nbytes = bits / 8;
	int		dirty = 0;
	uint8_t		m;

	for (i = 0; i < nbytes; i++) {
		if (plen >= (i + 1) * 8)
			continue;
		m = plen > i * 8 ? (uint8_t)(0xff << (8 - (plen - i * 8))) : 0;
		if ((a->a[i] & (uint8_t)~m) != 0)
			dirty = 1;
		a->a[i] &= m;
	}
	return dirty;
}

int
cidr_parse(const char *s, bool lax, struct vg_cidr *c)
{
	char		 tmp[ADDR_STRLEN + 8], *slash, *end;
	unsigned long	 plen;
	size_t		 n = strlen(s);

	memset(c, 0, sizeof(*c));
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n + 1);
	if ((slash = strchr(tmp, '/')) != NULL)
		*slash = '\0';
	if (addr_parse(tmp, &c->addr) == -1)
		return -1;
	if (slash == NULL) {
		c->plen = (uint8_t)addr_bits(&c->addr);
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	plen = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || plen > addr_bits(&c->addr))
		return -1;
	c->plen = (uint8_t)plen;
	if (mask_host(&c->addr, c->plen) && !lax)
		return -1;
	return 0;
}

const char *
addr_str(const struct vg_addr *a, char buf[ADDR_STRLEN])
{
	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->a, buf,
	    ADDR_STRLEN) == NULL)
		snprintf(buf, ADDR_STRLEN, "?");
	return buf;
}

const char *
cidr_str(const struct vg_cidr *c, char *buf, size_t len)
{
	char	a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_str(&c->addr, a), c->plen);
	return buf;
}

const char *
endpoint_str(const struct vg_addr *a, uint16_t port, char buf[ENDPOINT_STRLEN])
{
	char	s[ADDR_STRLEN];

	addr_str(a, s);
	snprintf(buf, ENDPOINT_STRLEN, a->family == 6 ? "[%s]:%u" : "%s:%u",
	    s, port);
	return buf;
}

bool
cidr_contains(const struct vg_cidr *c, const struct vg_addr *a)
{
	struct vg_addr	m;

	if (c->addr.family != a->family)
		return false;
	m = *a;
	mask_host(&m, c->plen);
	return memcmp(m.a, c->addr.a, 16) == 0;
}

bool
cidr_overlap(const struct vg_cidr *x, const struct vg_cidr *y)
{
	return x->plen <= y->plen ? cidr_contains(x, &y->addr) :
	    cidr_contains(y, &x->addr);
}

int
addr_cmp(const struct vg_addr *x, const struct vg_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->a, y->a, 16);
}

uint32_t
addr_v4(const struct vg_addr *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
	    (uint32_t)a->a[2] << 8 | a->a[3];
}

void
addr_from_v4(struct vg_addr *a, uint32_t v)
{
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->a[0] = (uint8_t)(v >> 24);
	a->a[1] = (uint8_t)(v >> 16);
	a->a[2] = (uint8_t)(v >> 8);
	a->a[3] = (uint8_t)v;
}

void
addr_add(struct vg_addr *a, uint64_t n)
{
	int		i = a->family == 4 ? 3 : 15;
	unsigned	carry = 0, sum;

	for (; i >= 0 && (n != 0 || carry != 0); i--) {
		sum = a->a[i] + (unsigned)(n & 0xff) + carry;
		a->a[i] = (uint8_t)sum;
		carry = sum >> 8;
		n >>= 8;
	}
}

uint64_t
addr_hash(const struct vg_addr *a)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i, n = a->family == 4 ? 4 : 16;

	for (i = 0; i < n; i++)
		h = (h ^ a->a[i]) * 0x100000001b3ULL;
	return h ^ a->family;
}

socklen_t
addr_to_sockaddr(const struct vg_addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == 4) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->a, 4);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, a->a, 16);
	return sizeof(*sin6);
}

int
addr_from_sockaddr(struct vg_addr *a, const struct sockaddr_storage *ss)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = 4;
		memcpy(a->a, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		a->family = 6;
		memcpy(a->a, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		return 0;
	}
	return -1;
}
