/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending IP packets we built ourselves (lib/craft.h) from inside a lab
 * namespace: a raw socket of protocol IPPROTO_RAW, which implies
 * IP_HDRINCL for IPv4 and IPV6_HDRINCL for IPv6 (inet_create(),
 * inet6_create()), so the kernel sends our header as it is; for IPv4,
 * raw_send_hdrinc() recomputes the header checksum and may pick an id
 * where ours is 0.
 */
#ifndef TWLAB_RAWSOCK_H
#define TWLAB_RAWSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "inet.h"

struct netns;

/* A send-only raw socket of @family in @ns, or -errno (CAP_NET_RAW needed). */
int rawsock_open(const struct netns *ns, int family);
/* Send the @len bytes of the IP packet @pkt toward @dst's address. */
int rawsock_send(int fd, const uint8_t *pkt, size_t len, const struct endpoint *dst);

#endif
