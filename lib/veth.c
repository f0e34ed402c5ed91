// SPDX-License-Identifier: GPL-2.0
/*
 * veth pairs straight between two lab namespaces.
 *
 * Both ends carry IFLA_NET_NS_FD in the one RTM_NEWLINK request, and the
 * request itself is sent from inside @ns_a: rtnl_newlink() then registers
 * each device directly in its target namespace (net/core/rtnetlink.c:
 * rtnl_create_link(), drivers/net/veth.c: veth_newlink()), so no end ever
 * exists in the namespace twlab was started from, not even for a moment.
 * IFF_UP in the same request saves a round trip; it works for the first
 * end only, as veth_newlink() configures the peer before the two are
 * joined and veth_open() would fail with ENOTCONN.
 */
#include <errno.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "netns.h"
#include "rtnl.h"
#include "veth.h"

/* @l takes @e's name, namespace, ifindex and MAC. */
static int end_set(struct rtnl_link *l, const struct veth_end *e)
{
	struct nl_addr *mac;

	mac = nl_addr_build(AF_LLC, e->mac, 6);
	if (!mac)
		return -ENOMEM;
	rtnl_link_set_name(l, e->name);
	rtnl_link_set_ns_fd(l, e->ns->fd);
	rtnl_link_set_ifindex(l, e->ifindex);
	rtnl_link_set_addr(l, mac);	/* takes its own reference */
	nl_addr_put(mac);
	return 0;
}

int veth_pair_add(struct nl_sock *sk, const struct veth_end *a, const struct veth_end *b)
{
	struct rtnl_link *link, *peer;
	int err;

	link = rtnl_link_veth_alloc();
	if (!link)
		return -ENOMEM;
	peer = rtnl_link_veth_get_peer(link);

	err = end_set(link, a);
	if (!err)
		err = end_set(peer, b);
	if (err)
		goto out;
	rtnl_link_set_flags(link, IFF_UP);
	err = nl_to_errno(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL));
out:
	rtnl_link_put(peer);
	rtnl_link_veth_release(link);
	return err;
}
