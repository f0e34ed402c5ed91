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
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "netns.h"
#include "rtnl.h"
#include "veth.h"

int veth_pair_add(struct nl_sock *sk, const struct netns *ns_a, const char *name_a,
		  int ifindex_a, const struct netns *ns_b, const char *name_b,
		  int ifindex_b)
{
	struct rtnl_link *link, *peer;
	int err;

	link = rtnl_link_veth_alloc();
	if (!link)
		return -ENOMEM;
	peer = rtnl_link_veth_get_peer(link);

	rtnl_link_set_name(link, name_a);
	rtnl_link_set_ns_fd(link, ns_a->fd);
	rtnl_link_set_flags(link, IFF_UP);
	rtnl_link_set_ifindex(link, ifindex_a);
	rtnl_link_set_name(peer, name_b);
	rtnl_link_set_ns_fd(peer, ns_b->fd);
	rtnl_link_set_ifindex(peer, ifindex_b);

	err = nl_to_errno(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL));

	rtnl_link_put(peer);
	rtnl_link_veth_release(link);
	return err;
}
