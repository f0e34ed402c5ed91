// SPDX-License-Identifier: GPL-2.0
/*
 * Links and addresses of one lab host, through libnl-route-3.
 * The connected routes that come with each address are the only routes a
 * lab ever has: no default route, so nothing can leave the lab.
 */
#include <errno.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

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
	if (change)
		rtnl_link_put(change);
	if (link)
		rtnl_link_put(link);
	return err;
}

/*
 * IFA_F_NODAD: an IPv6 address is usable at once.  The lab link has
 * exactly two ends we made ourselves, so duplicate detection could only
 * cost a second of "tentative" and prove nothing.
 */
int link_addr_add(struct nl_sock *sk, int ifindex, int family,
		  const union inet_addr *addr, unsigned int prefixlen)
{
	size_t len = family == AF_INET ? sizeof(addr->v4) : sizeof(addr->v6);
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err = -ENOMEM;

	ra = rtnl_addr_alloc();
	local = nl_addr_build(family, addr, len);
	if (!ra || !local)
		goto out;
	nl_addr_set_prefixlen(local, prefixlen);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, family);
	err = nl_to_errno(rtnl_addr_set_local(ra, local));
	if (err)
		goto out;
	if (family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = nl_to_errno(rtnl_addr_add(sk, ra, 0));
out:
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return err;
}
