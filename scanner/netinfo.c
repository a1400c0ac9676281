/*
 * netinfo.c - what a host would use to reach an address: the interface
 * and gateway from the routing table (/proc/net/route, longest prefix),
 * the source address the kernel picks (a connected UDP socket sends
 * nothing), and a neighbour's MAC from the ARP table.  Read inside the
 * scanner's own network namespace, as on a real host.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syn_internal.h"

int
netinfo_route(uint32_t daddr, char iface[IF_NAMESIZE], uint32_t *gateway,
    uint32_t *src, char *errbuf, size_t len)
{
	struct sockaddr_in	sin, local;
	socklen_t		slen = sizeof(local);
	FILE			*fp;
	char			line[256], name[IF_NAMESIZE + 1];
	unsigned		dst, gw, flags, mask, best_mask = 0;
	int			found = 0, fd = -1;

	if ((fp = fopen("/proc/net/route", "r")) == NULL) {
		snprintf(errbuf, len, "/proc/net/route: cannot open");
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%16s %x %x %x %*d %*d %*d %x", name, &dst,
		    &gw, &flags, &mask) != 5)
			continue;	/* the header line */
		if (!(flags & 0x1))	/* RTF_UP */
			continue;
		/* The file holds addresses in network order, read as host
		 * integers: compare in the same representation. */
		if ((htonl(daddr) & mask) != dst)
			continue;
		if (found && ntohl(mask) < ntohl(best_mask))
			continue;
		if (strlen(name) >= IF_NAMESIZE)
			continue;
		found = 1;
		best_mask = mask;
		memcpy(iface, name, strlen(name) + 1);
		*gateway = ntohl(gw);
	}
	fclose(fp);
	if (!found) {
		struct in_addr	a = { htonl(daddr) };

		snprintf(errbuf, len, "no route to %s", inet_ntoa(a));
		return -1;
	}
	memset(&sin, 0, sizeof(sin));
	memset(&local, 0, sizeof(local));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(daddr);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&local, &slen) == -1) {
		snprintf(errbuf, len, "cannot find a source address");
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	*src = ntohl(local.sin_addr.s_addr);
	return 0;
}

int
netinfo_neighbor_mac(const char *iface, uint32_t addr, uint8_t mac[6])
{
	FILE		*fp;
	char		 line[256], ip[64], hw[64], dev[IF_NAMESIZE + 1];
	struct in_addr	 a = { htonl(addr) };
	unsigned	 m[6];
	int		 rc = -1, i;

	if ((fp = fopen("/proc/net/arp", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%63s %*s %*s %63s %*s %16s", ip, hw,
		    dev) != 3)
			continue;
		if (strcmp(ip, inet_ntoa(a)) != 0 || strcmp(dev, iface) != 0)
			continue;
		/* An incomplete entry (resolution under way or failed)
		 * shows as all zeros. */
		if (sscanf(hw, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2],
		    &m[3], &m[4], &m[5]) == 6 &&
		    (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0) {
			for (i = 0; i < 6; i++)
				mac[i] = (uint8_t)m[i];
			rc = 0;
		}
		break;
	}
	fclose(fp);
	return rc;
}

int
netinfo_iface(const char *iface, uint8_t mac[6], int *ifindex)
{
	struct ifreq	ifr;
	int		fd, rc = -1;

	if (strlen(iface) >= sizeof(ifr.ifr_name))
		return -1;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, iface, strlen(iface));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
		if ((*ifindex = (int)if_nametoindex(iface)) > 0)
			rc = 0;
	}
	close(fd);
	return rc;
}
