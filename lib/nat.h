/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Masquerading in a lab's router, with libnftables (an nft session of
 * lib/nft.h).
 *
 * One table, inet "twlab", in the router's namespace only: a nat chain
 * on postrouting that masquerades whatever leaves by the router's
 * outside interface, so every client behind it reaches the server from
 * the router's outside address (net/netfilter/nft_masq.c,
 * nf_nat_masquerade_ipv4() / _ipv6()).  An inet table serves both
 * families of the lab (inet nat chains: Linux 5.2).  Like everything
 * else in a lab, it dies with the namespace.
 */
#ifndef TWLAB_NAT_H
#define TWLAB_NAT_H

#include <stddef.h>

struct netns;

#define NAT_TABLE	"twlab"

/*
 * The ruleset nat_masquerade() loads, for @out_ifname, in @buf.  0, or
 * -EINVAL for a name that is not an interface name (empty, too long, or
 * with characters nft would read as syntax), -ENOSPC if @buf is short.
 */
int nat_ruleset(char *buf, size_t len, const char *out_ifname);
/* Load nat_ruleset(@out_ifname) in @ns. */
int nat_masquerade(const struct netns *ns, const char *out_ifname);

#endif
