/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Permanent neighbour entries (ARP for IPv4, ND for IPv6), through
 * libnl-route-3.
 *
 * A lab knows both ends of every link it made, MAC and address, so it
 * writes each peer into the neighbour table at once instead of letting
 * the kernel resolve it.  An entry in NUD_PERMANENT is never probed,
 * never goes stale and never fails (net/core/neighbour.c:
 * __neigh_update() arms no timer for it, as NUD_PERMANENT is not in
 * NUD_IN_TIMER), so a guest too slow to answer an ARP request or a
 * neighbour solicitation within mcast_solicit x retrans_time (3 x 1 s)
 * can no longer turn a connect() into EHOSTUNREACH, and no capture
 * holds resolution traffic.
 */
#ifndef TWLAB_NEIGH_H
#define TWLAB_NEIGH_H

#include <stdint.h>

#include "inet.h"

struct nl_sock;

#define NEIGH_MAC_LEN	6

/* @addr (@family) is at @mac on the link @ifindex, for good. */
int neigh_add_permanent(struct nl_sock *sk, int ifindex, int family,
			const union inet_addr *addr, const uint8_t mac[NEIGH_MAC_LEN]);

#endif
