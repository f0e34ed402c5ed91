// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink sockets made inside a lab namespace, and libnl's errors as
 * -errno.
 *
 * libnl-3/libnl-route-3 because it has typed objects for what a lab is
 * made of -- veth pairs with a namespace fd for each end, links,
 * addresses, routes, neighbours, the netem qdisc (lib/veth.c, link.c,
 * neigh.c, impair.c) -- so a request is a few setters, not attributes
 * nested by hand.
 */
#include <errno.h>
#include <stdlib.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/errno.h>

#include "netns.h"
#include "rtnl.h"

/* libnl speaks its own error space; callers speak -errno. */
int nl_to_errno(int nlerr)
{
	switch (-abs(nlerr)) {
	case 0:			return 0;
	case -NLE_NOMEM:	return -ENOMEM;
	case -NLE_EXIST:	return -EEXIST;
	case -NLE_OBJ_NOTFOUND:	return -ENOENT;
	case -NLE_NODEV:	return -ENODEV;
	case -NLE_PERM:		return -EPERM;
	case -NLE_INVAL:	return -EINVAL;
	case -NLE_OPNOTSUPP:	return -EOPNOTSUPP;
	case -NLE_AF_NOSUPPORT:	return -EAFNOSUPPORT;
	case -NLE_BUSY:		return -EBUSY;
	case -NLE_RANGE:	return -ERANGE;
	case -NLE_NOADDR:	return -EADDRNOTAVAIL;
	default:		return -EIO;
	}
}

int rtnl_open_in(const struct netns *ns, struct nl_sock **skp)
{
	struct netns saved = NETNS_INIT;
	struct nl_sock *sk;
	int err;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = netns_enter(ns, &saved);
	if (err)
		goto out_free;
	err = nl_to_errno(nl_connect(sk, NETLINK_ROUTE));
	if (netns_leave(&saved) && !err)
		err = -EIO;
	if (err)
		goto out_free;
	*skp = sk;
	return 0;
out_free:
	nl_socket_free(sk);
	return err;
}

void rtnl_close(struct nl_sock *sk)
{
	nl_socket_free(sk);
}
