/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink sockets bound to a lab namespace, through libnl-route-3.
 *
 * A netlink socket talks to the namespace it was created in, so every
 * request made on one of these acts on that lab host and nowhere else.
 */
#ifndef TWLAB_RTNL_H
#define TWLAB_RTNL_H

struct netns;
struct nl_sock;

int rtnl_open_in(const struct netns *ns, struct nl_sock **sk);
void rtnl_close(struct nl_sock *sk);
int nl_to_errno(int nlerr);

#endif
