// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include "craft.h"

#define TCPOPT_NOP		1
#define TCPOPT_TIMESTAMP	8
#define TCPOLEN_TIMESTAMP	10	/* K14 */
#define IPV4_DF			0x4000
#define IP_MAXPACKET_LEN	65535

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

uint32_t craft_sum(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	for (; len > 1; p += 2, len -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t craft_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * IPv4 (RFC 9293 3.1): source, destination, zero, protocol, TCP length.
 * IPv6 (RFC 8200 8.1): source, destination, 32-bit upper-layer length,
 * three zero bytes, next header.  Both sum to the same words but for the
 * length's width, which matters only past 65535.
 */
uint32_t craft_pseudo_sum(int family, const union inet_addr *src, const union inet_addr *dst,
			  uint8_t proto, uint32_t len)
{
	size_t alen = inet_addr_len(family);
	uint32_t sum;

	sum = craft_sum(0, src, alen);
	sum = craft_sum(sum, dst, alen);
	sum = craft_sum(sum, (uint8_t[]){ len >> 24, len >> 16, len >> 8, len }, 4);
	return craft_sum(sum, (uint8_t[]){ 0, proto }, 2);
}

uint16_t craft_tcp_csum(int family, const union inet_addr *src, const union inet_addr *dst,
			const uint8_t *tcp, size_t len)
{
	uint32_t sum = craft_pseudo_sum(family, src, dst, IPPROTO_TCP, len);

	return ~craft_fold(craft_sum(sum, tcp, len));
}

uint16_t craft_ipv4_csum(const uint8_t *ip, size_t hlen)
{
	return ~craft_fold(craft_sum(0, ip, hlen));
}

size_t craft_opt_ts(uint8_t *opt, uint32_t tsval, uint32_t tsecr)
{
	opt[0] = TCPOPT_NOP;
	opt[1] = TCPOPT_NOP;
	opt[2] = TCPOPT_TIMESTAMP;
	opt[3] = TCPOLEN_TIMESTAMP;
	put32(opt + 4, tsval);
	put32(opt + 8, tsecr);
	return CRAFT_TS_ALIGNED;
}

static size_t ip_hlen(int family)
{
	return family == AF_INET ? CRAFT_IPV4_HLEN : CRAFT_IPV6_HLEN;
}

size_t craft_header_len(const struct craft_seg *c)
{
	return ip_hlen(c->t.src.family) + CRAFT_TCP_HLEN + (c->has_ts ? CRAFT_TS_ALIGNED : 0);
}

static void ipv4_header(const struct craft_seg *c, uint8_t *ip, size_t total)
{
	memset(ip, 0, CRAFT_IPV4_HLEN);
	ip[0] = 0x45;			/* version 4, 5 words */
	put16(ip + 2, total);
	put16(ip + 4, c->ip_id);
	put16(ip + 6, IPV4_DF);		/* as the kernel's TCP sends (PMTU discovery) */
	ip[8] = CRAFT_TTL;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &c->t.src.addr.v4, 4);
	memcpy(ip + 16, &c->t.dst.addr.v4, 4);
	put16(ip + 10, craft_ipv4_csum(ip, CRAFT_IPV4_HLEN));
}

static void ipv6_header(const struct craft_seg *c, uint8_t *ip, size_t payload)
{
	put32(ip, 6u << 28 | (c->flowlabel & 0xfffff));
	put16(ip + 4, payload);
	ip[6] = IPPROTO_TCP;
	ip[7] = CRAFT_TTL;
	memcpy(ip + 8, &c->t.src.addr.v6, 16);
	memcpy(ip + 24, &c->t.dst.addr.v6, 16);
}

static void tcp_header(const struct craft_seg *c, uint8_t *th, size_t optlen)
{
	memset(th, 0, CRAFT_TCP_HLEN);
	put16(th, c->t.src.port);
	put16(th + 2, c->t.dst.port);
	put32(th + 4, c->seq);
	put32(th + 8, c->ack);
	th[12] = (uint8_t)((CRAFT_TCP_HLEN + optlen) / 4) << 4;
	th[13] = c->flags;
	put16(th + 14, c->window);
	if (c->has_ts)
		craft_opt_ts(th + CRAFT_TCP_HLEN, c->tsval, c->tsecr);
}

int craft_packet(const struct craft_seg *c, uint8_t *buf, size_t len)
{
	int family = c->t.src.family;
	size_t iphl, optlen, tcplen, total;
	uint8_t *th;

	if ((family != AF_INET && family != AF_INET6) || c->t.dst.family != family)
		return -EAFNOSUPPORT;
	iphl = ip_hlen(family);
	optlen = c->has_ts ? CRAFT_TS_ALIGNED : 0;
	tcplen = CRAFT_TCP_HLEN + optlen + c->payload_len;
	total = iphl + tcplen;
	if (c->payload_len > IP_MAXPACKET_LEN || total > IP_MAXPACKET_LEN || total > len)
		return -EMSGSIZE;

	th = buf + iphl;
	tcp_header(c, th, optlen);
	if (c->payload_len)
		memcpy(th + CRAFT_TCP_HLEN + optlen, c->payload, c->payload_len);
	put16(th + 16, craft_tcp_csum(family, &c->t.src.addr, &c->t.dst.addr, th, tcplen));
	if (family == AF_INET)
		ipv4_header(c, buf, total);
	else
		ipv6_header(c, buf, tcplen);
	return (int)total;
}
