// SPDX-License-Identifier: GPL-2.0
/*
 * old_duplicate against the real kernel, at tcp_rfc1337 = 0 and 1: the
 * TIME_WAIT's ACK to a replayed data segment carries tw_snd_nxt/tw_rcv_nxt
 * (K05), nothing reaches an application, and an RST of seq tw_rcv_nxt --
 * injected, or the closed server's own answer to that ACK -- kills the
 * TIME_WAIT exactly when tcp_rfc1337 is 0 (K17).  Each sub-claim's
 * figure inside the kernel's window.  The capture file must
 * hold the replayed segment with a checksum that verifies (lib/craft.c
 * on the wire), beside the kernel's original.
 */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <netinet/tcp.h>

#include <cmocka.h>

#include "craft.h"
#include "itest.h"
#include "segment.h"

#define STAY_MS		300	/* as the case waits for an ignored RST */
#define ETH_HLEN	14

static int setup(void **state)
{
	return itest_run(state, "old_duplicate");
}

static void test_all_pass(void **state)
{
	int seen[2] = { 0 };
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "old_duplicate", 4);
	json_array_foreach(itest_instances(*state), i, in) {
		int rfc = itest_param(in, "tcp_rfc1337");

		assert_true(rfc == 0 || rfc == 1);
		seen[rfc]++;
	}
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 2);
}

/* The ACK's numbers, read back from the evidence, are the TIME_WAIT's own. */
static void test_old_data_acked(void **state)
{
	unsigned int seq, ack, snd_nxt, rcv_nxt;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A03.old_data_ack", "confirmed");
		if (v) {
			assert_string_equal(itest_str(v, "fact"), "K05");
			assert_true(itest_num(v, "measured") == 1);
			itest_evidence_scan(v, 4, "below tw_rcv_nxt %u: answered seq %u ack %u "
					    "(tw_snd_nxt %u)", &rcv_nxt, &seq, &ack, &snd_nxt);
			assert_int_equal(seq, snd_nxt);
			assert_int_equal(ack, rcv_nxt);
		}
		v = itest_conclusive(in, "A03.old_data_sockets", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") == 0);
	}
}

/*
 * K17, both ways an RST of seq tw_rcv_nxt arrives: the TIME_WAIT stays
 * exactly when tcp_rfc1337 is 1, against the article's 2MSL of it.
 */
static void test_rst_by_rfc1337(void **state)
{
	static const char *const ids[] = { "A03.peer_rst_stays", "A03.rst_stays" };
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		int rfc = itest_param(in, "tcp_rfc1337");

		for (int w = 0; w < 2; w++) {
			v = itest_conclusive(in, ids[w], rfc ? "confirmed" : "refuted");
			if (!v)
				continue;
			assert_string_equal(itest_str(v, "fact"), "K17");
			assert_true(itest_num(v, "measured") == rfc);
		}
		v = itest_verdict_maybe(in, "around an ignored RST");
		if (!rfc) {
			assert_null(v);
			continue;
		}
		/* fell by the wait, not put back to 60 s */
		v = itest_conclusive(in, "A03.rst_timer", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") >= STAY_MS - 5);
	}
}

/* The TCP checksum of a captured Ethernet frame verifies (or was left partial by veth). */
static bool checksum_ok(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HLEN;
	union inet_addr src = { 0 }, dst = { 0 };
	int v4 = (ip[0] >> 4) == 4;
	size_t hl = v4 ? (ip[0] & 15) * 4 : 40;
	size_t tl = v4 ? (size_t)(ip[2] << 8 | ip[3]) - hl : (size_t)(ip[4] << 8 | ip[5]);

	assert_true(ETH_HLEN + hl + tl <= len);
	memcpy(&src, ip + (v4 ? 12 : 8), v4 ? 4 : 16);
	memcpy(&dst, ip + (v4 ? 16 : 24), v4 ? 4 : 16);
	return !craft_tcp_csum(v4 ? AF_INET : AF_INET6, &src, &dst, ip + hl, tl);
}

/* The replay follows the original: same seq and length, its checksum whole. */
static void test_replay_on_the_wire(void **state)
{
	char err[PCAP_ERRBUF_SIZE];
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		pcap_t *p = pcap_open_offline(itest_str(in, "pcap"), err);
		struct tcp_segment first = { 0 }, s;
		struct pcap_pkthdr *h;
		const uint8_t *data;
		int replays = 0;

		if (!p)
			fail_msg("%s: %s", itest_str(in, "pcap"), err);
		while (pcap_next_ex(p, &h, &data) == 1) {
			if (segment_parse(data, h->caplen, pcap_datalink(p), &s) || !s.payload_len)
				continue;
			if (!first.payload_len) {
				first = s;
				continue;
			}
			if (s.seq == first.seq && tuple_eq(&s.t, &first.t) &&
			    s.payload_len == first.payload_len) {
				assert_true(h->caplen == h->len);
				assert_true(checksum_ok(data, h->caplen));
				replays++;
			}
		}
		pcap_close(p);
		assert_int_equal(replays, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_old_data_acked),
		cmocka_unit_test(test_rst_by_rfc1337),
		cmocka_unit_test(test_replay_on_the_wire),
	};

	return cmocka_run_group_tests_name("old_duplicate (root, real kernel)", tests, setup,
					   itest_free);
}
