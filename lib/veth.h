/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_VETH_H
#define TWLAB_VETH_H

#include <stdint.h>

struct netns;
struct nl_sock;

/*
 * One end: born in @ns, named @name, with interface index @ifindex and
 * MAC @mac.  Ifindexes are per namespace, so asking for them saves a
 * look-up per end; a MAC chosen here is one the other end can be told
 * (lib/neigh.h) without reading it back.
 */
struct veth_end {
	const struct netns *ns;
	const char *name;
	int ifindex;
	const uint8_t *mac;	/* 6 bytes */
};

/* Create a veth pair of ends @a, up, and @b.  @sk must be an rtnl socket of @a's ns. */
int veth_pair_add(struct nl_sock *sk, const struct veth_end *a, const struct veth_end *b);

#endif
