/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP segments built by hand, as whole IP packets, for a raw socket with
 * IP_HDRINCL / IPV6_HDRINCL to send: a segment the kernel did not write,
 * such as an old duplicate of a closed connection (A03).
 *
 * Pure functions of their arguments: no socket, no clock, no allocation.
 * Checksums are the Internet checksum (RFC 1071) over the pseudo-header
 * of RFC 9293 3.1 (IPv4) or RFC 8200 8.1 (IPv6), as the kernel's
 * csum_tcpudp_nofold() and csum_ipv6_magic() compute it.
 */
#ifndef TWLAB_CRAFT_H
#define TWLAB_CRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inet.h"

#define CRAFT_IPV4_HLEN		20
#define CRAFT_IPV6_HLEN		40
#define CRAFT_TCP_HLEN		20
#define CRAFT_TS_ALIGNED	12	/* NOP NOP TS: TCPOLEN_TSTAMP_ALIGNED (K14) */
#define CRAFT_TTL		64

/* The fields of one segment that a case chooses. */
struct craft_seg {
	struct tuple t;		/* t.src sends, t.dst receives; one family */
	uint32_t seq, ack;
	uint8_t flags;		/* TH_* of <netinet/tcp.h> */
	uint16_t window;	/* as on the wire: not scaled */
	bool has_ts;		/* append NOP NOP TS (RFC 7323 appendix A) */
	uint32_t tsval, tsecr;
	const uint8_t *payload;
	size_t payload_len;
	uint16_t ip_id;		/* IPv4: identification (the kernel picks one if 0) */
	uint32_t flowlabel;	/* IPv6: 20 bits */
};

/* @sum plus the 16-bit big-endian words of @len bytes (an odd tail padded with 0). */
uint32_t craft_sum(uint32_t sum, const void *data, size_t len);
/* The 32-bit sum folded to 16 bits, end-around carry included; not complemented. */
uint16_t craft_fold(uint32_t sum);
/* The pseudo-header's sum for @len bytes of upper-layer protocol @proto. */
uint32_t craft_pseudo_sum(int family, const union inet_addr *src, const union inet_addr *dst,
			  uint8_t proto, uint32_t len);
/*
 * The TCP checksum of the @len bytes at @tcp, over the bytes as they are:
 * with the checksum field zeroed it is the value to store; over a segment
 * that carries a correct checksum it is 0.
 */
uint16_t craft_tcp_csum(int family, const union inet_addr *src, const union inet_addr *dst,
			const uint8_t *tcp, size_t len);
/* The IPv4 header checksum of @hlen bytes at @ip, the same way. */
uint16_t craft_ipv4_csum(const uint8_t *ip, size_t hlen);

/* NOP NOP TS @tsval @tsecr into @opt: CRAFT_TS_ALIGNED bytes. */
size_t craft_opt_ts(uint8_t *opt, uint32_t tsval, uint32_t tsecr);
/* The IP and TCP header bytes @c needs, payload excluded. */
size_t craft_header_len(const struct craft_seg *c);
/*
 * Write @c as one IP packet into @buf, checksums filled in.  Return its
 * length, -EAFNOSUPPORT for a family other than AF_INET and AF_INET6 or
 * mixed ones, -EMSGSIZE when it does not fit @len (or 65535).
 */
int craft_packet(const struct craft_seg *c, uint8_t *buf, size_t len);

#endif
