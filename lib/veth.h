/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_VETH_H
#define TWLAB_VETH_H

struct netns;
struct nl_sock;

/*
 * Create a veth pair whose ends are born in @ns_a (named @name_a, with
 * interface index @ifindex_a) and @ns_b (@name_b, @ifindex_b), the first
 * up.  Ifindexes are per namespace, so asking for them saves a look-up
 * per end.  @sk must be an rtnl socket of @ns_a.
 */
int veth_pair_add(struct nl_sock *sk, const struct netns *ns_a, const char *name_a,
		  int ifindex_a, const struct netns *ns_b, const char *name_b,
		  int ifindex_b);

#endif
