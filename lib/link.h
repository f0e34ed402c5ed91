/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_LINK_H
#define TWLAB_LINK_H

#include "inet.h"

struct nl_sock;

int link_set_up(struct nl_sock *sk, int ifindex);
int link_addr_add(struct nl_sock *sk, int ifindex, int family,
		  const union inet_addr *addr, unsigned int prefixlen);

#endif
