/*
 * addr.h - IPv4/IPv6 addresses, CIDR prefixes and "ip:port" formatting.
 *
 * An address is kept as 16 bytes in network order; IPv4 uses the first
 * four.  Plain values, no allocation.
 */
#ifndef VIGIE_ADDR_H
#define VIGIE_ADDR_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */
#define ENDPOINT_STRLEN	(ADDR_STRLEN + 8)	/* "[v6]:65535" */

struct vg_addr {
	uint8_t	family;		/* 4 or 6 */
	uint8_t	a[16];
};

struct vg_cidr {
	struct vg_addr	addr;	/* host bits cleared */
	uint8_t		plen;
};

/* Parse an address; 0 or -1. */
int	addr_parse(const char *, struct vg_addr *);
/* Parse "a.b.c.d/n", "v6/n" or a bare address; host bits must be zero
 * unless `lax`, in which case they are cleared.  0 or -1. */
int	cidr_parse(const char *, bool lax, struct vg_cidr *);
const char	*addr_str(const struct vg_addr *, char buf[ADDR_STRLEN]);
const char	*cidr_str(const struct vg_cidr *, char *buf, size_t len);
/* "192.0.2.1:22" or "[2001:db8::1]:22". */
const char	*endpoint_str(const struct vg_addr *, uint16_t port,
		    char buf[ENDPOINT_STRLEN]);
bool	cidr_contains(const struct vg_cidr *, const struct vg_addr *);
bool	cidr_overlap(const struct vg_cidr *, const struct vg_cidr *);
int	addr_cmp(const struct vg_addr *, const struct vg_addr *);
uint32_t	addr_v4(const struct vg_addr *);	/* host order */
void	addr_from_v4(struct vg_addr *, uint32_t host_order);
/* Adds n to the address (wrapping within 128 bits). */
void	addr_add(struct vg_addr *, uint64_t n);
/* A 64-bit hash (FNV-1a) of the address, for hash tables. */
uint64_t	addr_hash(const struct vg_addr *);
/* Fill `ss` with the address and port; returns the sockaddr's length. */
socklen_t	addr_to_sockaddr(const struct vg_addr *, uint16_t port,
		    struct sockaddr_storage *ss);
/* The address of an AF_INET or AF_INET6 sockaddr: 0, or -1 for others. */
int	addr_from_sockaddr(struct vg_addr *, const struct sockaddr_storage *);

#endif /* VIGIE_ADDR_H */
