// SPDX-License-Identifier: GPL-2.0
/*
 * lib/craft.c against bytes the kernel wrote:
 *   - the IPv4 header checksums and the TCP pseudo-header sums of the
 *     captured frames in fixtures/segments.h (veth leaves TCP checksums
 *     CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, for
 *     IPv4 and IPv6 alike);
 *   - two IPv4 segments the kernel checksums in software and sends whole
 *     (tcp_v4_send_ack() from a TIME_WAIT, tcp_v4_send_reset() from a
 *     listener), captured in an old_duplicate run on Linux 6.18.44;
 *   - the ICMPv6 checksum of the fixtures' MLD report (a complete IPv6
 *     pseudo-header checksum);
 * and the RFC 1071 example, a round trip through segment_parse(), and
 * the errors.
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

#include "craft.h"
#include "fixtures/segments.h"
#include "segment.h"

#define UNUSED __attribute__((unused))

#define ETH_HLEN	14
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define TCP_CHECK	16	/* offset of the checksum in the TCP header */

/* Linux 6.18.44, veth, old_duplicate.ipv4.tcp_rfc1337=0: a TIME_WAIT's ACK. */
static const uint8_t kernel_tw_ack[] = {
	0x45, 0x00, 0x00, 0x34, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0x9c,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0xcf, 0x4c, 0x25, 0x1c,
	0xe7, 0xa5, 0xce, 0xea, 0x66, 0x14, 0xee, 0x53, 0x80, 0x10, 0x00, 0x3f,
	0x06, 0x6a, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0xac, 0xde, 0x2e, 0xd5,
	0x72, 0xdd, 0x95, 0xf9,
};

/* The same run: the server's listener answering that ACK with an RST. */
static const uint8_t kernel_listener_rst[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xae, 0xa8,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x01, 0x25, 0x1c, 0xcf, 0x4c,
	0x66, 0x14, 0xee, 0x53, 0x00, 0x00, 0x00, 0x00, 0x50, 0x04, 0x00, 0x00,
	0xda, 0xe7, 0x00, 0x00,
};

static const uint8_t hello[] = "hello, twlab\n";

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static struct endpoint ep(int family, const char *addr, uint16_t port)
{
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = family;
	e.port = port;
	assert_int_equal(inet_pton(family, addr, &e.addr), 1);
	return e;
}

static struct tuple tup(int family, const char *src, uint16_t sport, const char *dst,
			uint16_t dport)
{
	struct tuple t = { .src = ep(family, src, sport), .dst = ep(family, dst, dport) };

	return t;
}

/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to 2ddf0, folds to ddf2. */
static void test_rfc1071_example(void **state UNUSED)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	assert_int_equal(craft_sum(0, b, sizeof(b)), 0x2ddf0);
	assert_int_equal(craft_fold(craft_sum(0, b, sizeof(b))), 0xddf2);
	/* an odd tail counts as its high byte: same as a padding zero */
	assert_int_equal(craft_sum(0, b, 7), craft_sum(0, (uint8_t[]){ 0x00, 0x01, 0xf2, 0x03,
						0xf4, 0xf5, 0xf6, 0x00 }, 8));
	assert_int_equal(craft_fold(0x1ffff), 0x0001);	/* the carry wraps around twice */
	assert_int_equal(craft_fold(0xffffffff), 0xffff);
}

struct frame {
	const uint8_t *b;
	size_t len;
	int family;
};

#define F4(x) { x, sizeof(x), AF_INET }
#define F6(x) { x, sizeof(x), AF_INET6 }

static const struct frame tcp_frames[] = {
	F4(fx_v4_syn), F4(fx_v4_synack), F4(fx_v4_ack), F4(fx_v4_data), F4(fx_v4_fin),
	F4(fx_v4_rst), F4(fx_v4_syn_nots), F6(fx_v6_syn), F6(fx_v6_synack), F6(fx_v6_ack),
	F6(fx_v6_data), F6(fx_v6_fin), F6(fx_v6_rst),
};

static void frame_addrs(const struct frame *f, union inet_addr *src, union inet_addr *dst,
			const uint8_t **tcp, size_t *tcplen)
{
	const uint8_t *ip = f->b + ETH_HLEN;

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (f->family == AF_INET) {
		memcpy(src, ip + 12, 4);
		memcpy(dst, ip + 16, 4);
		*tcp = ip + IPV4_HLEN;
		*tcplen = get16(ip + 2) - IPV4_HLEN;
	} else {
		memcpy(src, ip + 8, 16);
		memcpy(dst, ip + 24, 16);
		*tcp = ip + IPV6_HLEN;
		*tcplen = get16(ip + 4);
	}
}

/* The kernel's IPv4 header checksums, recomputed; over a whole header, 0. */
static void test_ipv4_header_checksum(void **state UNUSED)
{
	for (size_t i = 0; i < sizeof(tcp_frames) / sizeof(tcp_frames[0]); i++) {
		const struct frame *f = &tcp_frames[i];
		uint8_t ip[IPV4_HLEN];

		if (f->family != AF_INET)
			continue;
		memcpy(ip, f->b + ETH_HLEN, sizeof(ip));
		assert_int_equal(craft_ipv4_csum(ip, sizeof(ip)), 0);
		ip[10] = ip[11] = 0;
		assert_int_equal(craft_ipv4_csum(ip, sizeof(ip)), get16(f->b + ETH_HLEN + 10));
	}
	assert_int_equal(craft_ipv4_csum(kernel_tw_ack, IPV4_HLEN), 0);
	assert_int_equal(craft_ipv4_csum(kernel_listener_rst, IPV4_HLEN), 0);
}

/*
 * CHECKSUM_PARTIAL: __tcp_v4_send_check() and __tcp_v6_send_check()
 * store ~tcp_v4_check()/~tcp_v6_check() of the pseudo-header alone, that
 * is the folded pseudo-header sum.
 */
static void test_pseudo_header_matches_kernel(void **state UNUSED)
{
	for (size_t i = 0; i < sizeof(tcp_frames) / sizeof(tcp_frames[0]); i++) {
		const struct frame *f = &tcp_frames[i];
		union inet_addr src, dst;
		const uint8_t *tcp;
		size_t len;

		frame_addrs(f, &src, &dst, &tcp, &len);
		assert_int_equal(craft_fold(craft_pseudo_sum(f->family, &src, &dst, IPPROTO_TCP, len)),
				 get16(tcp + TCP_CHECK));
	}
}

/* Whole checksums the kernel computed in software: 0 over the segment, the value with it zeroed. */
static void check_full(const uint8_t *pkt, size_t len)
{
	union inet_addr src = { 0 }, dst = { 0 };
	uint8_t tcp[64];
	size_t tlen = len - IPV4_HLEN;

	assert_true(tlen <= sizeof(tcp));
	memcpy(&src, pkt + 12, 4);
	memcpy(&dst, pkt + 16, 4);
	memcpy(tcp, pkt + IPV4_HLEN, tlen);
	assert_int_equal(craft_tcp_csum(AF_INET, &src, &dst, tcp, tlen), 0);
	tcp[TCP_CHECK] = tcp[TCP_CHECK + 1] = 0;
	assert_int_equal(craft_tcp_csum(AF_INET, &src, &dst, tcp, tlen),
			 get16(pkt + IPV4_HLEN + TCP_CHECK));
}

static void test_kernel_full_checksums_v4(void **state UNUSED)
{
	check_full(kernel_tw_ack, sizeof(kernel_tw_ack));
	check_full(kernel_listener_rst, sizeof(kernel_listener_rst));
}

/* The MLD report's ICMPv6 checksum: pseudo-header of :: -> ff02::16, 28 bytes, next header 58. */
static void test_icmpv6_checksum(void **state UNUSED)
{
	const uint8_t *icmp = fx_v6_mld_hbh + ETH_HLEN + IPV6_HLEN + 8;	/* past the HBH header */
	size_t len = sizeof(fx_v6_mld_hbh) - ETH_HLEN - IPV6_HLEN - 8;
	union inet_addr src, dst;
	uint8_t msg[64];
	uint32_t sum;

	assert_int_equal(len, 28);
	memcpy(msg, icmp, len);
	msg[2] = msg[3] = 0;
	assert_int_equal(inet_pton(AF_INET6, "::", &src), 1);
	assert_int_equal(inet_pton(AF_INET6, "ff02::16", &dst), 1);
	sum = craft_pseudo_sum(AF_INET6, &src, &dst, IPPROTO_ICMPV6, len);
	assert_int_equal((uint16_t)~craft_fold(craft_sum(sum, msg, len)), get16(icmp + 2));
}

static void test_opt_ts(void **state UNUSED)
{
	static const uint8_t want[] = { 1, 1, 8, 10, 0x12, 0x34, 0x56, 0x78,
					0x9a, 0xbc, 0xde, 0xf0 };
	uint8_t opt[CRAFT_TS_ALIGNED];

	assert_int_equal(craft_opt_ts(opt, 0x12345678, 0x9abcdef0), CRAFT_TS_ALIGNED);
	assert_memory_equal(opt, want, sizeof(want));
}

/* The kernel's own segments, rebuilt field by field: the same bytes. */
static void test_rebuilds_kernel_v4(void **state UNUSED)
{
	struct craft_seg ack = {
		.t = tup(AF_INET, "198.18.0.1", 53068, "198.18.0.2", 9500),
		.seq = 0xe7a5ceea, .ack = 0x6614ee53, .flags = TH_ACK, .window = 63,
		.has_ts = true, .tsval = 0xacde2ed5, .tsecr = 0x72dd95f9,
	};
	struct craft_seg rst = {
		.t = tup(AF_INET, "198.18.0.2", 9500, "198.18.0.1", 53068),
		.seq = 0x6614ee53, .flags = TH_RST,
	};
	uint8_t buf[128];

	assert_int_equal(craft_header_len(&ack), sizeof(kernel_tw_ack));
	assert_int_equal(craft_packet(&ack, buf, sizeof(buf)), sizeof(kernel_tw_ack));
	assert_memory_equal(buf, kernel_tw_ack, sizeof(kernel_tw_ack));
	assert_int_equal(craft_packet(&rst, buf, sizeof(buf)), sizeof(kernel_listener_rst));
	assert_memory_equal(buf, kernel_listener_rst, sizeof(kernel_listener_rst));
}

/*
 * IPv6 fixtures, rebuilt: every byte but the TCP checksum, which the
 * fixture holds partial; ours is its completion over the segment.
 */
static void rebuild_v6(const uint8_t *fx, size_t fxlen, const struct craft_seg *c)
{
	const uint8_t *want = fx + ETH_HLEN;
	size_t len = fxlen - ETH_HLEN;
	uint8_t buf[256], tcp[256];

	assert_int_equal(craft_packet(c, buf, sizeof(buf)), len);
	assert_memory_equal(buf, want, IPV6_HLEN + TCP_CHECK);
	assert_memory_equal(buf + IPV6_HLEN + TCP_CHECK + 2, want + IPV6_HLEN + TCP_CHECK + 2,
			    len - IPV6_HLEN - TCP_CHECK - 2);
	/* what a NIC completing CHECKSUM_PARTIAL would write */
	memcpy(tcp, want + IPV6_HLEN, len - IPV6_HLEN);
	assert_int_equal(get16(buf + IPV6_HLEN + TCP_CHECK),
			 (uint16_t)~craft_fold(craft_sum(0, tcp, len - IPV6_HLEN)));
}

static void test_rebuilds_fixture_v6(void **state UNUSED)
{
	struct craft_seg ack = {
		.t = tup(AF_INET6, "2001:db8:3::1", 42092, "2001:db8:3::2", 8080),
		.seq = 0xc2dad55c, .ack = 0x3bb503e3, .flags = TH_ACK, .window = 64,
		.has_ts = true, .tsval = 0xa71ff2ce, .tsecr = 0xf372143e, .flowlabel = 0xb7b1f,
	};
	struct craft_seg data = ack;

	data.flags = TH_ACK | TH_PUSH;
	data.payload = hello;
	data.payload_len = sizeof(hello) - 1;
	rebuild_v6(fx_v6_ack, sizeof(fx_v6_ack), &ack);
	rebuild_v6(fx_v6_data, sizeof(fx_v6_data), &data);
}

/*
 * An RST this code built, that Linux 6.18 took as in-window at a
 * TIME_WAIT (old_duplicate) and tcpdump -vv called "cksum 0x218b
 * (correct)": a regression vector.
 */
static void test_crafted_v6_rst(void **state UNUSED)
{
	struct craft_seg rst = {
		.t = tup(AF_INET6, "2001:db8:2::2", 9500, "2001:db8:2::1", 37724),
		.seq = 1059535677, .flags = TH_RST,
	};
	uint8_t buf[128];

	assert_int_equal(craft_packet(&rst, buf, sizeof(buf)), IPV6_HLEN + 20);
	assert_int_equal(get16(buf + IPV6_HLEN + TCP_CHECK), 0x218b);
	assert_int_equal(craft_tcp_csum(AF_INET6, &rst.t.src.addr, &rst.t.dst.addr,
					buf + IPV6_HLEN, 20), 0);
}

/* What we build, segment_parse() reads back. */
static void roundtrip(int family, const char *a, const char *b)
{
	uint8_t payload[300], buf[512];
	struct craft_seg c = {
		.t = tup(family, a, 40000, b, 9500),
		.seq = 0xfffffff0, .ack = 7, .flags = TH_ACK | TH_PUSH, .window = 511,
		.has_ts = true, .tsval = 1, .tsecr = 0xffffffff,
		.payload = payload, .payload_len = sizeof(payload), .ip_id = 0x1234,
	};
	struct tcp_segment s;
	int len;

	memset(payload, 0xa5, sizeof(payload));
	len = craft_packet(&c, buf, sizeof(buf));
	assert_int_equal(len, craft_header_len(&c) + sizeof(payload));
	assert_int_equal(segment_parse(buf, len, DLT_RAW, &s), 0);
	assert_true(tuple_eq(&s.t, &c.t));
	assert_int_equal(s.seq, c.seq);
	assert_int_equal(s.ack, c.ack);
	assert_int_equal(s.flags, c.flags);
	assert_int_equal(s.window, c.window);
	assert_int_equal(s.payload_len, sizeof(payload));
	assert_true(s.has_ts);
	assert_int_equal(s.ts_offset, 2);
	assert_int_equal(s.tsval, c.tsval);
	assert_int_equal(s.tsecr, c.tsecr);
	assert_int_equal(craft_tcp_csum(family, &c.t.src.addr, &c.t.dst.addr,
					buf + len - sizeof(payload) - 32, 32 + sizeof(payload)), 0);

	c.has_ts = false;
	c.payload_len = 0;
	len = craft_packet(&c, buf, sizeof(buf));
	assert_int_equal(segment_parse(buf, len, DLT_RAW, &s), 0);
	assert_false(s.has_ts);
	assert_int_equal(s.opt_len, 0);
	assert_int_equal(s.payload_len, 0);
}

static void test_roundtrip(void **state UNUSED)
{
	roundtrip(AF_INET, "198.18.7.1", "198.18.7.2");
	roundtrip(AF_INET6, "2001:db8:7::1", "2001:db8:7::2");
}

static void test_errors(void **state UNUSED)
{
	struct craft_seg c = { .t = tup(AF_INET, "198.18.7.1", 1, "198.18.7.2", 2) };
	uint8_t buf[64];

	assert_int_equal(craft_packet(&c, buf, 39), -EMSGSIZE);
	assert_int_equal(craft_packet(&c, buf, 40), 40);
	c.t.dst = ep(AF_INET6, "2001:db8::1", 2);
	assert_int_equal(craft_packet(&c, buf, sizeof(buf)), -EAFNOSUPPORT);
	c.t.src.family = c.t.dst.family = AF_UNIX;
	assert_int_equal(craft_packet(&c, buf, sizeof(buf)), -EAFNOSUPPORT);
	c.t = tup(AF_INET, "198.18.7.1", 1, "198.18.7.2", 2);
	c.payload = buf;
	c.payload_len = 65535 - 40 + 1;	/* one byte past the IPv4 total length */
	assert_int_equal(craft_packet(&c, buf, sizeof(buf)), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_ipv4_header_checksum),
		cmocka_unit_test(test_pseudo_header_matches_kernel),
		cmocka_unit_test(test_kernel_full_checksums_v4),
		cmocka_unit_test(test_icmpv6_checksum),
		cmocka_unit_test(test_opt_ts),
		cmocka_unit_test(test_rebuilds_kernel_v4),
		cmocka_unit_test(test_rebuilds_fixture_v6),
		cmocka_unit_test(test_crafted_v6_rst),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("craft", tests, NULL, NULL);
}
