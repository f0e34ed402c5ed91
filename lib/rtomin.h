/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A host route that sets the minimum RTO toward one peer.
 *
 * tcp_rto_min() takes a locked RTAX_RTO_MIN route metric over every
 * default (TCP_RTO_MIN, tcp_rto_min_us), and has since 2.6.23; iproute2
 * always locks it ("ip route" shows "rto_min lock").  Far above the cap,
 * it lets tcp_bound_rto() show TCP_RTO_MAX at once (rto); moderately
 * raised, it stretches a LAST_ACK past a loaded machine's delays
 * (last_ack_syn).
 */
#ifndef TWLAB_RTOMIN_H
#define TWLAB_RTOMIN_H

#include "inet.h"

struct netns;

/* In @ns, a /32 or /128 route to @to over @ifname with rto_min @ms: 0 or -errno. */
int route_rto_min(const struct netns *ns, const char *ifname, int family,
		  const union inet_addr *to, unsigned int ms);

#endif
