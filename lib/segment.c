// SPDX-License-Identifier: GPL-2.0
/*
 * Link, IP and TCP headers of one captured frame.
 *
 * Each layer is handed the bytes that were captured from its first byte
 * on (@avail) and, from the layer below, the length the packet claims on
 * the wire.  A header must lie wholly inside both; only the TCP payload
 * may be missing from the capture.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "clock.h"
#include "segment.h"

#define ETH_HLEN		14
#define VLAN_HLEN		4
#define SLL_HLEN		16	/* struct sll_header, pcap/sll.h */
#define ETH_P_IP		0x0800
#define ETH_P_IPV6		0x86dd
#define ETH_P_8021Q		0x8100

#define IPV4_HLEN		20
#define IPV6_HLEN		40
#define IPV6_EXT_MIN		8
/*
 * RFC 8200 4.1: each extension header occurs at most once, Destination
 * Options at most twice, so the four kinds walked here make a chain of
 * at most five; a longer one is not a packet any host sends.
 */
#define IPV6_MAX_EXTHDRS	8

#define TCP_HLEN		20
#define TCP_MAX_OPTLEN		40	/* doff is 4 bits: 15 * 4 - 20 */
#define TCPOLEN_SACK_BASE	2
#define TCPOLEN_SACK_PERBLOCK	8

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void options_reset(struct tcp_segment *s)
{
	s->opt_len = 0;
	s->has_mss = s->has_wscale = s->has_sack_perm = s->has_ts = false;
	s->mss = 0;
	s->wscale = 0;
	s->sack_blocks = 0;
	s->ts_kind = s->ts_len = 0;
	s->tsval = s->tsecr = 0;
	s->ts_offset = -1;
}

/*
 * One option of @olen bytes (kind and length included) at offset @off.
 * A known kind with the wrong length is skipped, as tcp_parse_options()
 * (net/ipv4/tcp_input.c) skips it: it only takes an option whose opsize
 * is exactly TCPOLEN_MSS, TCPOLEN_WINDOW, TCPOLEN_SACK_PERM or
 * TCPOLEN_TIMESTAMP.  The TS kind, length and place are kept anyway, so
 * a TS option the kernel would ignore still shows, with has_ts false.
 */
static void tcp_option(const uint8_t *o, uint8_t olen, size_t off, struct tcp_segment *s)
{
	switch (o[0]) {
	case TCPOPT_MAXSEG:
		if (olen == TCPOLEN_MAXSEG) {
			s->has_mss = true;
			s->mss = get16(o + 2);
		}
		break;
	case TCPOPT_WINDOW:
		/* the wire value: the kernel clamps it to 14 (RFC 7323 2.3) */
		if (olen == TCPOLEN_WINDOW) {
			s->has_wscale = true;
			s->wscale = o[2];
		}
		break;
	case TCPOPT_SACK_PERMITTED:
		if (olen == TCPOLEN_SACK_PERMITTED)
			s->has_sack_perm = true;
		break;
	case TCPOPT_SACK:
		if (olen >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((olen - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK))
			s->sack_blocks = (olen - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_PERBLOCK;
		break;
	case TCPOPT_TIMESTAMP:
		s->ts_kind = o[0];
		s->ts_len = olen;
		s->ts_offset = (int)off;
		s->has_ts = olen == TCPOLEN_TIMESTAMP;
		s->tsval = s->has_ts ? get32(o + 2) : 0;
		s->tsecr = s->has_ts ? get32(o + 6) : 0;
		break;
	default:
		break;		/* unknown kinds: skipped by their length (RFC 9293 3.1) */
	}
}

int tcp_options_parse(const uint8_t *opt, size_t len, struct tcp_segment *s)
{
	size_t i = 0;

	options_reset(s);
	if (len > TCP_MAX_OPTLEN)
		return -EINVAL;
	s->opt_len = (uint8_t)len;
	while (i < len) {
		uint8_t olen;

		if (opt[i] == TCPOPT_EOL)
			break;		/* the rest is padding */
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		/*
		 * tcp_parse_options() stops at a "silly" length below 2 or
		 * one past the end; here that makes the segment malformed.
		 */
		if (len - i < 2)
			return -EINVAL;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		tcp_option(opt + i, olen, i, s);
		i += olen;
	}
	return 0;
}

/* @l4len: the TCP length the IP header claims; @avail: bytes captured. */
static int tcp_parse(const uint8_t *p, size_t avail, size_t l4len, struct tcp_segment *s)
{
	size_t doff;

	if (l4len < TCP_HLEN || avail < TCP_HLEN)
		return -EINVAL;
	doff = (size_t)(p[12] >> 4) * 4;
	if (doff < TCP_HLEN || doff > l4len || doff > avail)
		return -EINVAL;
	s->t.src.port = get16(p);
	s->t.dst.port = get16(p + 2);
	s->seq = get32(p + 4);
	s->ack = get32(p + 8);
	s->flags = p[13];
	s->window = get16(p + 14);
	s->payload_len = (uint32_t)(l4len - doff);
	return tcp_options_parse(p + TCP_HLEN, doff - TCP_HLEN, s);
}

/*
 * A tot_len of 0 is how BIG TCP sends an IPv4 GSO packet over 64 KiB
 * (iph_totlen(), include/net/ip.h): the length is then the frame's own.
 */
static int ipv4_parse(const uint8_t *p, size_t avail, struct tcp_segment *s)
{
	size_t ihl, tot;

	if (avail < IPV4_HLEN || p[0] >> 4 != 4)
		return -EINVAL;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < IPV4_HLEN || ihl > avail)
		return -EINVAL;
	tot = get16(p + 2);
	if (!tot)
		tot = avail;
	if (tot < ihl)
		return -EINVAL;
	/* a non-first fragment carries no TCP header (RFC 791: offset in 8-byte units) */
	if (get16(p + 6) & 0x1fff)
		return -ENOENT;
	if (p[9] != IPPROTO_TCP)
		return -ENOENT;
	s->t.src.family = s->t.dst.family = AF_INET;
	memcpy(&s->t.src.addr.v4, p + 12, 4);
	memcpy(&s->t.dst.addr.v4, p + 16, 4);
	return tcp_parse(p + ihl, avail - ihl, tot - ihl, s);
}

/*
 * Walk hop-by-hop, routing, destination options and fragment headers, as
 * ipv6_skip_exthdr() (net/ipv6/exthdrs_core.c) does.  A payload length of
 * 0 is a jumbogram (RFC 2675) or a BIG TCP packet (ipv6_payload_len(),
 * include/net/ipv6.h): the length is then the frame's own.
 */
static int ipv6_parse(const uint8_t *p, size_t avail, struct tcp_segment *s)
{
	size_t off = IPV6_HLEN, end;
	uint8_t nh;

	if (avail < IPV6_HLEN || p[0] >> 4 != 6)
		return -EINVAL;
	end = get16(p + 4);
	end = end ? IPV6_HLEN + end : avail;
	nh = p[6];
	for (int i = 0; nh != IPPROTO_TCP; i++) {
		size_t len;

		if (i == IPV6_MAX_EXTHDRS)
			return -EINVAL;
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_FRAGMENT:
			break;
		default:
			return -ENOENT;		/* ICMPv6, UDP, no next header ... */
		}
		if (off + IPV6_EXT_MIN > avail || off + IPV6_EXT_MIN > end)
			return -EINVAL;
		if (nh == IPPROTO_FRAGMENT) {
			/* struct frag_hdr: offset in the top 13 bits of frag_off */
			if (get16(p + off + 2) & 0xfff8)
				return -ENOENT;
			len = IPV6_EXT_MIN;
		} else {
			len = ((size_t)p[off + 1] + 1) * 8;	/* ipv6_optlen() */
			if (off + len > avail || off + len > end)
				return -EINVAL;
		}
		nh = p[off];
		off += len;	/* still <= end and <= avail: checked above */
	}
	s->t.src.family = s->t.dst.family = AF_INET6;
	memcpy(&s->t.src.addr.v6, p + 8, 16);
	memcpy(&s->t.dst.addr.v6, p + 24, 16);
	return tcp_parse(p + off, avail - off, end - off, s);
}

/* The EtherType and the link header's length, or -errno. */
static int link_parse(const uint8_t *f, size_t caplen, int linktype,
		      uint16_t *proto, size_t *hlen)
{
	switch (linktype) {
	case DLT_EN10MB:
		if (caplen < ETH_HLEN)
			return -EINVAL;
		*proto = get16(f + 12);
		*hlen = ETH_HLEN;
		if (*proto == ETH_P_8021Q) {
			if (caplen < ETH_HLEN + VLAN_HLEN)
				return -EINVAL;
			*proto = get16(f + 16);
			*hlen += VLAN_HLEN;
		}
		return 0;
	case DLT_LINUX_SLL:
		if (caplen < SLL_HLEN)
			return -EINVAL;
		*proto = get16(f + 14);		/* sll_protocol */
		*hlen = SLL_HLEN;
		return 0;
	case DLT_RAW:
	case LINKTYPE_RAW:
		*proto = f[0] >> 4 == 4 ? ETH_P_IP : f[0] >> 4 == 6 ? ETH_P_IPV6 : 0;
		*hlen = 0;
		return *proto ? 0 : -EINVAL;
	case DLT_IPV4:
		*proto = ETH_P_IP;
		*hlen = 0;
		return 0;
	case DLT_IPV6:
		*proto = ETH_P_IPV6;
		*hlen = 0;
		return 0;
	default:
		return -ENOENT;
	}
}

int segment_parse(const uint8_t *frame, size_t caplen, int linktype, struct tcp_segment *s)
{
	uint16_t proto;
	size_t hlen;
	int err;

	memset(s, 0, sizeof(*s));
	s->ts_offset = -1;
	if (!caplen)
		return -EINVAL;		/* and @frame may be NULL */
	err = link_parse(frame, caplen, linktype, &proto, &hlen);
	if (err)
		return err;
	switch (proto) {
	case ETH_P_IP:
		return ipv4_parse(frame + hlen, caplen - hlen, s);
	case ETH_P_IPV6:
		return ipv6_parse(frame + hlen, caplen - hlen, s);
	default:
		return -ENOENT;		/* ARP, a second VLAN tag, LLC ... */
	}
}

const struct tcp_segment *segment_find(const struct tcp_segment *from,
				       const struct tcp_segment *end, const struct tuple *t,
				       uint8_t flags, uint8_t not)
{
	for (const struct tcp_segment *s = from; s && s < end; s++)
		if (tuple_eq(&s->t, t) && (s->flags & flags) == flags && !(s->flags & not))
			return s;
	return NULL;
}

uint32_t seg_end_seq(const struct tcp_segment *s)
{
	return s->seq + s->payload_len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
}

double seg_gap_ms(const struct tcp_segment *a, const struct tcp_segment *b)
{
	return (double)(b->ts_us - a->ts_us) / 1000.0;
}

int64_t seg_mono_ns(const struct tcp_segment *s)
{
	struct timespec rt;
	int64_t mono = now_ns();

	clock_gettime(CLOCK_REALTIME, &rt);
	return s->ts_us * 1000 - (rt.tv_sec * NSEC_PER_SEC + rt.tv_nsec - mono);
}

int segment_syns(const struct tcp_segment *from, const struct tcp_segment *end,
		 const struct tuple *t, int n, const struct tcp_segment **syn)
{
	int found = 0;

	for (int i = 0; i < n; i++) {
		syn[i] = segment_find(from, end, &t[i], TH_SYN, TH_ACK);
		found += syn[i] != NULL;
	}
	return found;
}

bool segment_on_any(const struct tcp_segment *s, const struct tuple *t, int n)
{
	for (int i = 0; i < n; i++)
		if (tuple_eq(&s->t, &t[i]))
			return true;
	return false;
}
