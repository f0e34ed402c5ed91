/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab: lab hosts (anonymous namespaces) joined by veth.
 *
 * Addresses come only from 198.18.0.0/15 (RFC 2544 benchmarking) and
 * 2001:db8::/32 (RFC 3849 documentation).  Lab @id owns 198.18.0.0/24 +
 * id and 2001:db8:id::/64, so labs of concurrent instances never share an
 * address and their captures never mix.  There is no default route.
 */
#ifndef TWLAB_LAB_H
#define TWLAB_LAB_H

#include "inet.h"
#include "netns.h"

struct nl_sock;

enum lab_role { LAB_CLIENT, LAB_SERVER, LAB_MAX_HOSTS };

#define LAB_MAX_ID	511	/* 512 x /24 in 198.18.0.0/15 */
#define LAB_MAX_SLOT	14	/* extra addresses per host */
#define LAB_IFNAME	"tw0"

struct lab_host {
	struct netns ns;
	struct nl_sock *rtnl;
};

struct kernel_info;

struct lab {
	unsigned int id;
	const struct netns *home;	/* where twlab started: never written */
	const struct kernel_info *kernel;
	int nhosts;
	struct lab_host host[LAB_MAX_HOSTS];
};

int lab_addr(unsigned int id, int host, int slot, int family, union inet_addr *a);
int lab_endpoint(const struct lab *lab, int host, int slot, int family,
		 uint16_t port, struct endpoint *ep);

int lab_pair_up(struct lab *lab, unsigned int id, const struct netns *home);
void lab_down(struct lab *lab);
int lab_addr_add(struct lab *lab, int host, int slot);

int lab_socket(const struct lab *lab, int host, int family, int type);
int lab_sysctl_set(const struct lab *lab, int host, const char *key, const char *val);
int lab_sysctl_get(const struct lab *lab, int host, const char *key, char *val, size_t len);

#endif
