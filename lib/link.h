/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_LINK_H
#define TWLAB_LINK_H

#include "inet.h"

struct nl_sock;

int link_set_up(struct nl_sock *sk, int ifindex);
int link_addr_add(struct nl_sock *sk, int ifindex, int family,
		  const union inet_addr *addr, unsigned int prefixlen);
/* A route to @dst/@prefixlen through @gw, on the link @ifindex, in the main table. */
int link_route_add(struct nl_sock *sk, int ifindex, int family, const union inet_addr *dst,
		   unsigned int prefixlen, const union inet_addr *gw);

#endif
