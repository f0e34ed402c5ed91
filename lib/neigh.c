// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/neighbour.h>

#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/route/neighbour.h>

#include "neigh.h"
#include "rtnl.h"

/*
 * NLM_F_REPLACE: an entry the kernel made on its own before this one
 * (from a packet that arrived first) is overwritten, not an error.
 */
int neigh_add_permanent(struct nl_sock *sk, int ifindex, int family,
			const union inet_addr *addr, const uint8_t mac[NEIGH_MAC_LEN])
{
	struct nl_addr *dst, *ll;
	struct rtnl_neigh *n;
	int err = -ENOMEM;

	n = rtnl_neigh_alloc();
	dst = nl_addr_build(family, addr, inet_addr_len(family));
	ll = nl_addr_build(AF_LLC, mac, NEIGH_MAC_LEN);
	if (!n || !dst || !ll)
		goto out;
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_family(n, family);
	rtnl_neigh_set_state(n, NUD_PERMANENT);
	rtnl_neigh_set_lladdr(n, ll);
	err = nl_to_errno(rtnl_neigh_set_dst(n, dst));
	if (!err)
		err = nl_to_errno(rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE));
out:
	nl_addr_put(ll);
	nl_addr_put(dst);
	rtnl_neigh_put(n);
	return err;
}
