// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "link.h"
#include "rtnl.h"
#include "sysctl.h"
#include "veth.h"

#define LAB_V4_BASE	0xc6120000u	/* 198.18.0.0 */
#define LAB_IFINDEX	2		/* lo is 1 in every new netns */
#define LOOPBACK_IFINDEX 1

int lab_addr(unsigned int id, int host, int slot, int family, union inet_addr *a)
{
	unsigned int low = 1 + host + 16 * slot;

	if (id > LAB_MAX_ID || host < 0 || host >= LAB_MAX_HOSTS ||
	    slot < 0 || slot > LAB_MAX_SLOT)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->v4.s_addr = htonl(LAB_V4_BASE + (id << 8) + low);
	} else if (family == AF_INET6) {
		a->v6.s6_addr[0] = 0x20;		/* 2001:db8:id::low */
		a->v6.s6_addr[1] = 0x01;
		a->v6.s6_addr[2] = 0x0d;
		a->v6.s6_addr[3] = 0xb8;
		a->v6.s6_addr[4] = id >> 8;
		a->v6.s6_addr[5] = id & 0xff;
		a->v6.s6_addr[15] = low;
	} else {
		return -EAFNOSUPPORT;
	}
	return 0;
}

int lab_endpoint(const struct lab *lab, int host, int slot, int family,
		 uint16_t port, struct endpoint *ep)
{
	ep->family = family;
	ep->port = port;
	return lab_addr(lab->id, host, slot, family, &ep->addr);
}

static int lab_host_up(struct lab *lab, struct lab_host *h)
{
	int err;

	h->rtnl = NULL;
	err = netns_new(&h->ns);
	if (err)
		return err;
	lab->nhosts++;
	err = rtnl_open_in(&h->ns, &h->rtnl);
	if (err)
		return err;
	return link_set_up(h->rtnl, LOOPBACK_IFINDEX);
}

int lab_addr_add(struct lab *lab, int host, int slot)
{
	static const struct { int family; unsigned int plen; } fam[] = {
		{ AF_INET, 24 }, { AF_INET6, 64 },
	};
	union inet_addr a;
	int err;

	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		err = lab_addr(lab->id, host, slot, fam[i].family, &a);
		if (err)
			return err;
		err = link_addr_add(lab->host[host].rtnl, LAB_IFINDEX,
				    fam[i].family, &a, fam[i].plen);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Two hosts, one veth, slot 0 addresses of both families on each end.
 * On failure the caller still calls lab_down(); and if it never does,
 * exit closes the fds and the kernel frees the lot.
 */
int lab_pair_up(struct lab *lab, unsigned int id, const struct netns *home)
{
	int err;

	memset(lab, 0, sizeof(*lab));
	for (int i = 0; i < LAB_MAX_HOSTS; i++)
		lab->host[i].ns = (struct netns)NETNS_INIT;
	if (id > LAB_MAX_ID)
		return -EINVAL;
	lab->id = id;
	lab->home = home;
	for (int i = LAB_CLIENT; i <= LAB_SERVER; i++) {
		err = lab_host_up(lab, &lab->host[i]);
		if (err)
			return err;
	}
	err = veth_pair_add(lab->host[LAB_CLIENT].rtnl,
			    &lab->host[LAB_CLIENT].ns, LAB_IFNAME,
			    &lab->host[LAB_SERVER].ns, LAB_IFNAME, LAB_IFINDEX);
	if (err)
		return err;
	err = link_set_up(lab->host[LAB_SERVER].rtnl, LAB_IFINDEX);
	if (err)
		return err;
	err = lab_addr_add(lab, LAB_CLIENT, 0);
	if (err)
		return err;
	return lab_addr_add(lab, LAB_SERVER, 0);
}

void lab_down(struct lab *lab)
{
	for (int i = 0; i < lab->nhosts; i++) {
		if (lab->host[i].rtnl)
			rtnl_close(lab->host[i].rtnl);
		lab->host[i].rtnl = NULL;
		netns_close(&lab->host[i].ns);
	}
	lab->nhosts = 0;
}

int lab_socket(const struct lab *lab, int host, int family, int type)
{
	struct netns saved = NETNS_INIT;
	int fd, err;

	err = netns_enter(&lab->host[host].ns, &saved);
	if (err)
		return err;
	fd = socket(family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		err = -errno;
	if (netns_leave(&saved) && !err) {
		close(fd);
		return -EIO;
	}
	return err ? err : fd;
}

int lab_sysctl_set(const struct lab *lab, int host, const char *key, const char *val)
{
	return sysctl_write(lab->home, &lab->host[host].ns, key, val);
}

int lab_sysctl_get(const struct lab *lab, int host, const char *key, char *val, size_t len)
{
	return sysctl_read(&lab->host[host].ns, key, val, len);
}
