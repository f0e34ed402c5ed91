// SPDX-License-Identifier: GPL-2.0
/*
 * segment_parse() and tcp_options_parse() on real frames (fixtures/
 * segments.h) and on those frames cut short or broken one field at a
 * time.  Every parse runs on a heap copy of exactly the bytes it is
 * given, so that under ASan (make BUILD=build-asan SANITIZE=1 unit) a
 * read one byte past caplen is a crash, not a silent pass.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>
#include <cmocka.h>

#include "fixtures/segments.h"
#include "segment.h"

#define UNUSED __attribute__((unused))

#define ETH_HLEN	14
#define V4_TCP		(ETH_HLEN + 20)		/* TCP header in an IPv4 fixture */
#define V6_TCP		(ETH_HLEN + 40)
#define TCP_DOFF	12
#define TCP_OPT		20

/* Parse a heap copy of exactly @len bytes; no copy at all for 0. */
static int parse(const uint8_t *bytes, size_t len, int linktype, struct tcp_segment *s)
{
	uint8_t *copy = NULL;
	int ret;

	if (len) {
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, bytes, len);
	}
	ret = segment_parse(copy, len, linktype, s);
	free(copy);
	return ret;
}

static int options(const uint8_t *opt, size_t len, struct tcp_segment *s)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	if (len)
		memcpy(copy, opt, len);
	ret = tcp_options_parse(copy, len, s);
	free(copy);
	return ret;
}

static uint8_t *dup_bytes(const uint8_t *bytes, size_t len)
{
	uint8_t *p = malloc(len);

	assert_non_null(p);
	memcpy(p, bytes, len);
	return p;
}

#define PARSE_OK(fx, s) assert_int_equal(parse(fx, sizeof(fx), DLT_EN10MB, s), 0)

static void assert_endpoint(const struct endpoint *ep, int family, const char *addr,
			    uint16_t port)
{
	union inet_addr a;

	assert_int_equal(ep->family, family);
	assert_int_equal(inet_pton(family, addr, &a), 1);
	assert_true(addr_eq(family, &ep->addr, &a));
	assert_int_equal(ep->port, port);
}

/*
 * segment_parse() starts from a zeroed struct, padding included, so two
 * parses of the same headers compare equal byte for byte.
 */
static void assert_same_segment(const struct tcp_segment *a, const struct tcp_segment *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

/* Every field of the IPv4 SYN, as tcpdump -n reads it (fixtures/segments.h). */
static void sg_v4_syn(void **state UNUSED)
{
	struct tcp_segment s;

	PARSE_OK(fx_v4_syn, &s);
	assert_int_equal(s.ts_us, 0);
	assert_endpoint(&s.t.src, AF_INET, "198.18.3.1", 46918);
	assert_endpoint(&s.t.dst, AF_INET, "198.18.3.2", 8080);
	assert_int_equal(s.seq, 1194530620u);
	assert_int_equal(s.ack, 0);
	assert_int_equal(s.flags, TH_SYN);
	assert_int_equal(s.window, 64240);
	assert_int_equal(s.payload_len, 0);
	assert_int_equal(s.opt_len, 20);
	assert_true(s.has_mss);
	assert_int_equal(s.mss, 1460);
	assert_true(s.has_wscale);
	assert_int_equal(s.wscale, 10);
	assert_true(s.has_sack_perm);
	assert_int_equal(s.sack_blocks, 0);
	assert_true(s.has_ts);
	assert_int_equal(s.ts_kind, TCPOPT_TIMESTAMP);
	assert_int_equal(s.ts_len, TCPOLEN_TIMESTAMP);
	/*
	 * MSS(4), then SACK_PERM(2) where the NOP,NOP of RFC 7323 appendix A
	 * would go: tcp_options_write() packs SACK_PERM and TS in one word.
	 */
	assert_int_equal(s.ts_offset, 6);
	assert_int_equal(fx_v4_syn[V4_TCP + TCP_OPT + 4], TCPOPT_SACK_PERMITTED);
	assert_int_equal(s.tsval, 1483807719u);
	assert_int_not_equal(s.tsval, 0);
	assert_int_equal(s.tsecr, 0);
}

static void sg_v4_handshake_and_close(void **state UNUSED)
{
	struct tcp_segment syn, sa, ack, data, fin;
	struct tuple rev;

	PARSE_OK(fx_v4_syn, &syn);
	PARSE_OK(fx_v4_synack, &sa);
	PARSE_OK(fx_v4_ack, &ack);
	PARSE_OK(fx_v4_data, &data);
	PARSE_OK(fx_v4_fin, &fin);

	/* the SYN-ACK comes back on the reversed tuple and echoes the SYN */
	tuple_reverse(&syn.t, &rev);
	assert_true(tuple_eq(&sa.t, &rev));
	assert_int_equal(sa.flags, TH_SYN | TH_ACK);
	assert_int_equal(sa.seq, 535507009u);
	assert_int_equal(sa.ack, syn.seq + 1);
	assert_true(sa.has_ts);
	assert_int_equal(sa.tsecr, syn.tsval);
	assert_int_equal(sa.tsval, 271254966u);
	assert_int_equal(sa.mss, 1460);

	/* after the handshake: NOP,NOP,TS, the appendix A layout, TS at 2 */
	assert_true(tuple_eq(&ack.t, &syn.t));
	assert_int_equal(ack.flags, TH_ACK);
	assert_int_equal(ack.opt_len, 12);
	assert_int_equal(ack.ts_offset, 2);
	assert_int_equal(fx_v4_ack[V4_TCP + TCP_OPT], TCPOPT_NOP);
	assert_int_equal(fx_v4_ack[V4_TCP + TCP_OPT + 1], TCPOPT_NOP);
	assert_false(ack.has_mss || ack.has_wscale || ack.has_sack_perm);
	assert_int_equal(ack.tsecr, sa.tsval);

	assert_int_equal(data.flags, TH_PUSH | TH_ACK);
	assert_int_equal(data.payload_len, 13);		/* "hello, twlab\n" */
	assert_int_equal(data.seq, syn.seq + 1);
	assert_int_equal(data.ack, sa.seq + 1);

	assert_int_equal(fin.flags, TH_FIN | TH_ACK);
	assert_int_equal(fin.seq, syn.seq + 1 + 13);
	assert_int_equal(fin.payload_len, 0);
}

/* segment_find(): by tuple (the sender's view) and flags, from a start. */
static void sg_find(void **state UNUSED)
{
	struct tcp_segment seg[5];
	const struct tcp_segment *end = seg + 5;
	struct tuple rev;

	PARSE_OK(fx_v4_syn, &seg[0]);
	PARSE_OK(fx_v4_synack, &seg[1]);
	PARSE_OK(fx_v4_ack, &seg[2]);
	PARSE_OK(fx_v4_data, &seg[3]);
	PARSE_OK(fx_v4_fin, &seg[4]);
	tuple_reverse(&seg[0].t, &rev);

	assert_ptr_equal(segment_find(seg, end, &seg[0].t, TH_SYN, TH_ACK), &seg[0]);
	assert_ptr_equal(segment_find(seg, end, &rev, TH_SYN | TH_ACK, 0), &seg[1]);
	/* the SYN-ACK is not a SYN without ACK, nor on the client's tuple */
	assert_null(segment_find(seg, end, &rev, TH_SYN, TH_ACK));
	assert_ptr_equal(segment_find(seg, end, &seg[0].t, TH_ACK, TH_SYN), &seg[2]);
	assert_ptr_equal(segment_find(seg + 3, end, &seg[0].t, TH_ACK, TH_SYN), &seg[3]);
	assert_ptr_equal(segment_find(seg, end, &seg[0].t, TH_FIN, 0), &seg[4]);
	/* an empty range, and a search that starts where another found nothing */
	assert_null(segment_find(seg, seg, &seg[0].t, 0, 0));
	assert_null(segment_find(NULL, end, &seg[0].t, 0, 0));
}

static void sg_v4_rst(void **state UNUSED)
{
	struct tcp_segment s;

	PARSE_OK(fx_v4_rst, &s);
	assert_endpoint(&s.t.src, AF_INET, "198.18.3.1", 43794);
	assert_endpoint(&s.t.dst, AF_INET, "198.18.3.2", 8081);
	assert_int_equal(s.flags, TH_RST | TH_ACK);
	assert_int_equal(s.seq, 3942545249u);
	assert_int_equal(s.payload_len, 0);
	assert_true(s.has_ts);
}

static void sg_v6(void **state UNUSED)
{
	struct tcp_segment syn, sa, data, fin, rst;

	PARSE_OK(fx_v6_syn, &syn);
	assert_endpoint(&syn.t.src, AF_INET6, "2001:db8:3::1", 42092);
	assert_endpoint(&syn.t.dst, AF_INET6, "2001:db8:3::2", 8080);
	assert_int_equal(syn.flags, TH_SYN);
	assert_int_equal(syn.seq, 3269121371u);
	assert_int_equal(syn.window, 64800);
	assert_int_equal(syn.mss, 1440);		/* 1500 - 40 - 20 */
	assert_int_equal(syn.wscale, 10);
	assert_true(syn.has_sack_perm);
	assert_int_equal(syn.ts_offset, 6);
	assert_int_equal(syn.tsval, 2803888846u);
	assert_int_equal(syn.tsecr, 0);

	PARSE_OK(fx_v6_synack, &sa);
	assert_endpoint(&sa.t.src, AF_INET6, "2001:db8:3::2", 8080);
	assert_endpoint(&sa.t.dst, AF_INET6, "2001:db8:3::1", 42092);
	assert_int_equal(sa.flags, TH_SYN | TH_ACK);
	assert_int_equal(sa.ack, syn.seq + 1);
	assert_int_equal(sa.tsecr, syn.tsval);

	PARSE_OK(fx_v6_data, &data);
	assert_int_equal(data.payload_len, 13);
	assert_int_equal(data.seq, syn.seq + 1);

	PARSE_OK(fx_v6_fin, &fin);
	assert_int_equal(fin.flags, TH_FIN | TH_ACK);
	assert_int_equal(fin.seq, syn.seq + 14);

	PARSE_OK(fx_v6_rst, &rst);
	assert_int_equal(rst.flags, TH_RST | TH_ACK);
	assert_endpoint(&rst.t.dst, AF_INET6, "2001:db8:3::2", 8081);
}

/* tcp_timestamps=0: MSS, NOP, NOP, SACK_PERM, NOP, WS, and no TS at all. */
static void sg_syn_without_timestamps(void **state UNUSED)
{
	struct tcp_segment s;

	PARSE_OK(fx_v4_syn_nots, &s);
	assert_int_equal(s.flags, TH_SYN);
	assert_int_equal(s.t.dst.port, 8082);
	assert_int_equal(s.opt_len, 12);
	assert_false(s.has_ts);
	assert_int_equal(s.ts_offset, -1);
	assert_int_equal(s.ts_kind, 0);
	assert_int_equal(s.tsval, 0);
	assert_true(s.has_mss && s.has_sack_perm && s.has_wscale);
	assert_int_equal(s.mss, 1460);
	assert_int_equal(s.wscale, 10);
}

static void sg_not_tcp(void **state UNUSED)
{
	struct tcp_segment s;
	uint8_t *p;

	assert_int_equal(parse(fx_arp, sizeof(fx_arp), DLT_EN10MB, &s), -ENOENT);
	/* ICMPv6 behind a hop-by-hop header: the walk reaches it, then stops */
	assert_int_equal(parse(fx_v6_mld_hbh, sizeof(fx_v6_mld_hbh), DLT_EN10MB, &s), -ENOENT);

	p = dup_bytes(fx_v4_syn, sizeof(fx_v4_syn));
	p[ETH_HLEN + 9] = IPPROTO_UDP;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -ENOENT);
	p[ETH_HLEN + 9] = IPPROTO_TCP;
	p[ETH_HLEN + 7] = 0x01;			/* fragment offset 8: no TCP header here */
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -ENOENT);
	p[ETH_HLEN + 6] = 0x20;			/* MF, offset 0: the first fragment is */
	p[ETH_HLEN + 7] = 0x00;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), 0);
	p[12] = 0x88;				/* EtherType 0x88cc, LLDP */
	p[13] = 0xcc;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -ENOENT);
	free(p);

	/* a link type the parser does not know */
	assert_int_equal(parse(fx_v4_syn, sizeof(fx_v4_syn), 147 /* DLT_USER0 */, &s), -ENOENT);
}

/* The same IP packet behind each link header gives the same segment. */
static void check_link_types(const uint8_t *frame, size_t len, bool v6)
{
	const uint8_t *ip = frame + ETH_HLEN;
	size_t iplen = len - ETH_HLEN;
	struct tcp_segment want, got;
	uint8_t *p;

	assert_int_equal(parse(frame, len, DLT_EN10MB, &want), 0);
	assert_int_equal(parse(ip, iplen, DLT_RAW, &got), 0);
	assert_same_segment(&want, &got);
	assert_int_equal(parse(ip, iplen, LINKTYPE_RAW, &got), 0);
	assert_same_segment(&want, &got);
	assert_int_equal(parse(ip, iplen, v6 ? DLT_IPV6 : DLT_IPV4, &got), 0);
	assert_same_segment(&want, &got);
	/* the other family's link type: a version mismatch is malformed */
	assert_int_equal(parse(ip, iplen, v6 ? DLT_IPV4 : DLT_IPV6, &got), -EINVAL);

	/* Linux cooked v1: pkttype, ARPHRD_ETHER, halen 6, address, protocol */
	p = calloc(1, 16 + iplen);
	assert_non_null(p);
	p[1] = 4;				/* PACKET_OUTGOING */
	p[3] = 1;
	p[5] = 6;
	memcpy(p + 6, frame + 6, 6);
	memcpy(p + 14, frame + 12, 2);
	memcpy(p + 16, ip, iplen);
	assert_int_equal(parse(p, 16 + iplen, DLT_LINUX_SLL, &got), 0);
	assert_same_segment(&want, &got);
	free(p);

	/* one 802.1Q tag, VID 5 */
	p = malloc(len + 4);
	assert_non_null(p);
	memcpy(p, frame, 12);
	p[12] = 0x81;
	p[13] = 0x00;
	p[14] = 0x00;
	p[15] = 0x05;
	memcpy(p + 16, frame + 12, len - 12);
	assert_int_equal(parse(p, len + 4, DLT_EN10MB, &got), 0);
	assert_same_segment(&want, &got);
	/* a second tag (QinQ) is past what is parsed: not an error, not TCP */
	memcpy(p + 16, (const uint8_t[]){ 0x81, 0x00 }, 2);
	assert_int_equal(parse(p, len + 4, DLT_EN10MB, &got), -ENOENT);
	free(p);
}

static void sg_link_types(void **state UNUSED)
{
	check_link_types(fx_v4_syn, sizeof(fx_v4_syn), false);
	check_link_types(fx_v4_data, sizeof(fx_v4_data), false);
	check_link_types(fx_v6_syn, sizeof(fx_v6_syn), true);
	check_link_types(fx_v6_data, sizeof(fx_v6_data), true);
}

/*
 * Each fixture cut at every length: an error until the IP and TCP headers
 * are all there, then the same segment as the whole frame (only payload
 * is missing: its length comes from the IP header, as with a short
 * snaplen).  Through Ethernet, raw IP and cooked headers alike.
 */
static void check_truncations(const struct fixture_frame *fx, int linktype,
			      const uint8_t *bytes, size_t len)
{
	struct tcp_segment whole, s;
	size_t headers = len;
	int want;

	want = parse(bytes, len, linktype, &whole);
	assert_int_equal(want, fx->want);
	if (!want)
		headers = len - whole.payload_len;
	for (size_t caplen = 0; caplen < len; caplen++) {
		int ret = parse(bytes, caplen, linktype, &s);

		if (caplen >= headers) {
			assert_int_equal(ret, 0);
			assert_same_segment(&whole, &s);
		} else if (!want) {
			assert_int_equal(ret, -EINVAL);
		} else {
			assert_true(ret < 0);
		}
	}
}

static void sg_every_truncation(void **state UNUSED)
{
	for (size_t i = 0; i < FIXTURE_FRAMES; i++) {
		const struct fixture_frame *fx = &fixture_frames[i];
		uint16_t type = fx->bytes[12] << 8 | fx->bytes[13];
		uint8_t *sll;

		check_truncations(fx, DLT_EN10MB, fx->bytes, fx->len);
		if (type != 0x0800 && type != 0x86dd)
			continue;		/* ARP: no IP packet to cut */
		check_truncations(fx, DLT_RAW, fx->bytes + ETH_HLEN, fx->len - ETH_HLEN);
		sll = calloc(1, fx->len + 2);
		assert_non_null(sll);
		memcpy(sll + 14, fx->bytes + 12, fx->len - 12);
		check_truncations(fx, DLT_LINUX_SLL, sll, fx->len + 2);
		free(sll);
	}
}

static void sg_data_offset(void **state UNUSED)
{
	uint8_t *p = dup_bytes(fx_v4_syn, sizeof(fx_v4_syn));
	struct tcp_segment s;

	for (uint8_t doff = 0; doff < 5; doff++) {
		p[V4_TCP + TCP_DOFF] = doff << 4;
		assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -EINVAL);
	}
	/* 15 words = 60 bytes: 20 more than the frame and the IP length hold */
	p[V4_TCP + TCP_DOFF] = 15 << 4;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -EINVAL);
	/* 6 words: in bounds; the rest of the options count as payload */
	p[V4_TCP + TCP_DOFF] = 6 << 4;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), 0);
	assert_int_equal(s.opt_len, 4);
	assert_int_equal(s.payload_len, 16);
	assert_false(s.has_ts);
	free(p);

	/* past the end of what the IP header claims, though inside the frame */
	p = dup_bytes(fx_v4_data, sizeof(fx_v4_data));
	p[ETH_HLEN + 3] = 20 + 20;		/* tot_len: IP + 20 bytes of TCP */
	assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), -EINVAL);
	free(p);
}

static void sg_ipv4_header(void **state UNUSED)
{
	uint8_t *p = dup_bytes(fx_v4_data, sizeof(fx_v4_data));
	struct tcp_segment s, whole;

	PARSE_OK(fx_v4_data, &whole);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		p[ETH_HLEN] = 0x40 | ihl;
		assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), -EINVAL);
	}
	p[ETH_HLEN] = 0x4f;			/* 60 bytes: runs into the TCP header */
	assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), -EINVAL);
	p[ETH_HLEN] = 0x65;			/* EtherType IPv4, version 6 */
	assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), -EINVAL);
	p[ETH_HLEN] = 0x45;
	p[ETH_HLEN + 2] = 0;
	p[ETH_HLEN + 3] = 19;			/* tot_len shorter than the header */
	assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), -EINVAL);

	/* tot_len 0: a BIG TCP packet, whose length is the frame's */
	p[ETH_HLEN + 3] = 0;
	assert_int_equal(parse(p, sizeof(fx_v4_data), DLT_EN10MB, &s), 0);
	assert_int_equal(s.payload_len, 13);
	free(p);

	/* Ethernet padding after the packet is not payload */
	p = calloc(1, sizeof(fx_v4_data) + 20);
	assert_non_null(p);
	memcpy(p, fx_v4_data, sizeof(fx_v4_data));
	assert_int_equal(parse(p, sizeof(fx_v4_data) + 20, DLT_EN10MB, &s), 0);
	assert_same_segment(&whole, &s);
	free(p);
}

/* fx_v6_data with @ext (@extlen bytes, chained by the caller) after its IPv6 header. */
static uint8_t *v6_with_ext(uint8_t first, const uint8_t *ext, size_t extlen, size_t *len)
{
	size_t tcplen = sizeof(fx_v6_data) - V6_TCP;
	uint16_t plen = tcplen + extlen;
	uint8_t *p;

	*len = sizeof(fx_v6_data) + extlen;
	p = malloc(*len);
	assert_non_null(p);
	memcpy(p, fx_v6_data, V6_TCP);
	memcpy(p + V6_TCP, ext, extlen);
	memcpy(p + V6_TCP + extlen, fx_v6_data + V6_TCP, tcplen);
	p[ETH_HLEN + 4] = plen >> 8;
	p[ETH_HLEN + 5] = plen & 0xff;
	p[ETH_HLEN + 6] = first;
	return p;
}

static void sg_ipv6_extension_headers(void **state UNUSED)
{
	/* destination options (PadN 4) then a fragment header, offset 0 */
	const uint8_t dst_frag[] = {
		IPPROTO_FRAGMENT, 0, 1, 4, 0, 0, 0, 0,
		IPPROTO_TCP, 0, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef,
	};
	uint8_t chain[9 * 8] = { 0 };
	struct tcp_segment whole, s;
	uint8_t ext[16];
	size_t len;
	uint8_t *p;

	PARSE_OK(fx_v6_data, &whole);
	p = v6_with_ext(IPPROTO_DSTOPTS, dst_frag, sizeof(dst_frag), &len);
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), 0);
	assert_same_segment(&whole, &s);
	check_truncations(&(struct fixture_frame){ .want = 0 }, DLT_EN10MB, p, len);
	free(p);

	/* a non-first fragment: well-formed, but no TCP header in it */
	memcpy(ext, dst_frag, sizeof(ext));
	ext[11] = 0x08;				/* offset 1 (8 bytes) */
	p = v6_with_ext(IPPROTO_DSTOPTS, ext, sizeof(ext), &len);
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), -ENOENT);
	free(p);

	/* a hop-by-hop header whose length runs past the packet */
	memcpy(ext, dst_frag, sizeof(ext));
	ext[1] = 200;
	p = v6_with_ext(IPPROTO_DSTOPTS, ext, sizeof(ext), &len);
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), -EINVAL);
	p[ETH_HLEN + 6] = IPPROTO_HOPOPTS;
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), -EINVAL);
	free(p);

	/* eight headers are walked, a ninth is a malformed chain (RFC 8200 4.1) */
	for (size_t i = 0; i < 9; i++)
		chain[8 * i] = IPPROTO_DSTOPTS;
	chain[8 * 7] = IPPROTO_TCP;
	p = v6_with_ext(IPPROTO_DSTOPTS, chain, 8 * 8, &len);
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), 0);
	assert_same_segment(&whole, &s);
	free(p);
	chain[8 * 7] = IPPROTO_DSTOPTS;
	chain[8 * 8] = IPPROTO_TCP;
	p = v6_with_ext(IPPROTO_DSTOPTS, chain, 9 * 8, &len);
	assert_int_equal(parse(p, len, DLT_EN10MB, &s), -EINVAL);
	free(p);

	/* payload length 0: a jumbogram or BIG TCP, sized by the frame */
	p = dup_bytes(fx_v6_data, sizeof(fx_v6_data));
	p[ETH_HLEN + 4] = p[ETH_HLEN + 5] = 0;
	assert_int_equal(parse(p, sizeof(fx_v6_data), DLT_EN10MB, &s), 0);
	assert_int_equal(s.payload_len, 13);
	free(p);
}

/* Option lengths 0 and 1, and one past the end, inside a real SYN. */
static void sg_option_lengths_in_frame(void **state UNUSED)
{
	const size_t opt = V4_TCP + TCP_OPT;
	uint8_t *p = dup_bytes(fx_v4_syn, sizeof(fx_v4_syn));
	struct tcp_segment s;

	assert_int_equal(p[opt], TCPOPT_MAXSEG);
	p[opt + 1] = 0;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -EINVAL);
	p[opt + 1] = 1;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -EINVAL);
	p[opt + 1] = TCPOLEN_MAXSEG;
	/* the last option, WS at 17: a length of 4 runs one byte past doff */
	assert_int_equal(p[opt + 17], TCPOPT_WINDOW);
	p[opt + 18] = 4;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), -EINVAL);
	p[opt + 18] = TCPOLEN_WINDOW;
	assert_int_equal(parse(p, sizeof(fx_v4_syn), DLT_EN10MB, &s), 0);
	free(p);
}

static void sg_options(void **state UNUSED)
{
	struct tcp_segment s;

	/* lengths 0 and 1, one past the end, and a kind with no length byte */
	assert_int_equal(options((const uint8_t[]){ 2, 0, 5, 180 }, 4, &s), -EINVAL);
	assert_int_equal(options((const uint8_t[]){ 2, 1, 5, 180 }, 4, &s), -EINVAL);
	assert_int_equal(options((const uint8_t[]){ 1, 3, 3 }, 3, &s), -EINVAL);
	assert_int_equal(options((const uint8_t[]){ 1, 1, 1, 3 }, 4, &s), -EINVAL);
	assert_int_equal(options((const uint8_t[]){ 8, 10, 0, 0, 0, 1, 0, 0, 0 }, 9, &s),
			 -EINVAL);
	/* more than 40 bytes is no TCP header */
	assert_int_equal(options((const uint8_t[41]){ 0 }, 41, &s), -EINVAL);

	/* nothing, all NOP, EOL then garbage: fine, and nothing found */
	assert_int_equal(options(NULL, 0, &s), 0);
	assert_int_equal(s.opt_len, 0);
	assert_int_equal(s.ts_offset, -1);
	assert_int_equal(options((const uint8_t[]){ 1, 1, 1, 1 }, 4, &s), 0);
	assert_int_equal(options((const uint8_t[]){ 0, 0xff, 0, 2 }, 4, &s), 0);
	assert_false(s.has_mss || s.has_ts || s.has_wscale || s.has_sack_perm);
	assert_int_equal(s.opt_len, 4);

	/* an unknown kind is skipped by its length */
	assert_int_equal(options((const uint8_t[]){ 254, 4, 0xf9, 0x89, 2, 4, 0x05, 0xb4 }, 8, &s), 0);
	assert_true(s.has_mss);
	assert_int_equal(s.mss, 1460);

	/* NOP, NOP, TS: the appendix A layout */
	assert_int_equal(options((const uint8_t[]){ 1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9 },
				 12, &s), 0);
	assert_true(s.has_ts);
	assert_int_equal(s.ts_offset, 2);
	assert_int_equal(s.ts_kind, 8);
	assert_int_equal(s.ts_len, 10);
	assert_int_equal(s.tsval, 7);
	assert_int_equal(s.tsecr, 9);

	/*
	 * A known kind with the wrong length is skipped, as the kernel skips
	 * it; TS keeps its wire kind, length and place all the same.
	 */
	assert_int_equal(options((const uint8_t[]){ 2, 3, 5, 3, 2, 1, 8, 6, 0, 0, 0, 1 },
				 12, &s), 0);
	assert_false(s.has_mss);
	assert_false(s.has_wscale);
	assert_false(s.has_ts);
	assert_int_equal(s.ts_kind, 8);
	assert_int_equal(s.ts_len, 6);
	assert_int_equal(s.ts_offset, 6);
	assert_int_equal(s.tsval, 0);

	/* SACK: 2 + 8n bytes */
	assert_int_equal(options((const uint8_t[]){ 1, 1, 5, 18,
						    0, 0, 0, 1, 0, 0, 0, 2,
						    0, 0, 0, 3, 0, 0, 0, 4 }, 20, &s), 0);
	assert_int_equal(s.sack_blocks, 2);
	assert_int_equal(options((const uint8_t[]){ 5, 6, 0, 0, 0, 1 }, 6, &s), 0);
	assert_int_equal(s.sack_blocks, 0);

	/* a parse starts afresh: nothing is left over from the last one */
	assert_int_equal(options((const uint8_t[]){ 3, 3, 14, 4, 2 }, 5, &s), 0);
	assert_true(s.has_wscale && s.has_sack_perm);
	assert_int_equal(s.wscale, 14);
	assert_int_equal(s.sack_blocks, 0);
	assert_false(s.has_ts);
	assert_int_equal(s.ts_len, 0);
}

static void sg_empty_and_tiny(void **state UNUSED)
{
	const int types[] = { DLT_EN10MB, DLT_RAW, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6,
			      DLT_LINUX_SLL };
	struct tcp_segment s;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_int_equal(segment_parse(NULL, 0, types[i], &s), -EINVAL);
		assert_int_equal(parse((const uint8_t[]){ 0x45 }, 1, types[i], &s), -EINVAL);
	}
	/* raw IP of no version twlab knows */
	assert_int_equal(parse((const uint8_t[]){ 0x55, 0 }, 2, DLT_RAW, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sg_v4_syn),
		cmocka_unit_test(sg_v4_handshake_and_close),
		cmocka_unit_test(sg_find),
		cmocka_unit_test(sg_v4_rst),
		cmocka_unit_test(sg_v6),
		cmocka_unit_test(sg_syn_without_timestamps),
		cmocka_unit_test(sg_not_tcp),
		cmocka_unit_test(sg_link_types),
		cmocka_unit_test(sg_every_truncation),
		cmocka_unit_test(sg_data_offset),
		cmocka_unit_test(sg_ipv4_header),
		cmocka_unit_test(sg_ipv6_extension_headers),
		cmocka_unit_test(sg_option_lengths_in_frame),
		cmocka_unit_test(sg_options),
		cmocka_unit_test(sg_empty_and_tiny),
	};

	return cmocka_run_group_tests_name("segment parser", tests, NULL, NULL);
}
