// SPDX-License-Identifier: GPL-2.0
/*
 * Links, addresses and routes of one lab host, through libnl-route-3.
 * A pair lab has only the connected routes that come with each address;
 * a NAT lab adds one route per client and family, to the server's subnet
 * (lib/lab.h).  No lab has a default route, so nothing can leave it.
 */
#include <errno.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "link.h"
#include "rtnl.h"

int link_set_up(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *link, *change;
	int err = -ENOMEM;

	link = rtnl_link_alloc();
	change = rtnl_link_alloc();
	if (!link || !change)
		goto out;
	rtnl_link_set_ifindex(link, ifindex);
	rtnl_link_set_flags(change, IFF_UP);
	err = nl_to_errno(rtnl_link_change(sk, link, change, 0));
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	return err;
}

/* @addr/@prefixlen as libnl takes it; NULL without memory.  libnl's puts take NULL. */
static struct nl_addr *prefix_build(int family, const union inet_addr *addr,
				    unsigned int prefixlen)
{
	struct nl_addr *a = nl_addr_build(family, addr, inet_addr_len(family));

	if (a)
		nl_addr_set_prefixlen(a, prefixlen);
	return a;
}

/*
 * IFA_F_NODAD: an IPv6 address is usable at once.  The lab link has
 * exactly two ends we made ourselves, so duplicate detection could only
 * cost a second of "tentative" and prove nothing.
 */
int link_addr_add(struct nl_sock *sk, int ifindex, int family,
		  const union inet_addr *addr, unsigned int prefixlen)
{
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err = -ENOMEM;

	ra = rtnl_addr_alloc();
	local = prefix_build(family, addr, prefixlen);
	if (!ra || !local)
		goto out;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, family);
	err = nl_to_errno(rtnl_addr_set_local(ra, local));
	if (err)
		goto out;
	if (family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = nl_to_errno(rtnl_addr_add(sk, ra, 0));
out:
	nl_addr_put(local);
	rtnl_addr_put(ra);
	return err;
}

/* NLM_F_EXCL: a route already there means the lab is not what we think. */
int link_route_add(struct nl_sock *sk, int ifindex, int family, const union inet_addr *dst,
		   unsigned int prefixlen, const union inet_addr *gw)
{
	struct nl_addr *to = NULL, *via = NULL;
	struct rtnl_nexthop *nh = NULL;
	struct rtnl_route *rt;
	int err = -ENOMEM;

	rt = rtnl_route_alloc();
	nh = rtnl_route_nh_alloc();
	to = prefix_build(family, dst, prefixlen);
	via = prefix_build(family, gw, 8 * inet_addr_len(family));
	if (!rt || !nh || !to || !via)
		goto out;
	rtnl_route_set_family(rt, family);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	rtnl_route_set_type(rt, RTN_UNICAST);
	err = nl_to_errno(rtnl_route_set_dst(rt, to));
	if (err)
		goto out;
	rtnl_route_nh_set_gateway(nh, via);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(rt, nh);		/* the route owns it from here */
	nh = NULL;
	err = nl_to_errno(rtnl_route_add(sk, rt, NLM_F_EXCL));
out:
	nl_addr_put(via);
	nl_addr_put(to);
	if (nh)
		rtnl_route_nh_free(nh);
	rtnl_route_put(rt);
	return err;
}
