// SPDX-License-Identifier: GPL-2.0
/*
 * timestamps against the real kernel: the option's length byte in SYNs
 * and the bytes it takes after, held to the kernel facts (K14) recomputed
 * here, and the instance's capture read again with libpcap.
 */
#include <pcap/pcap.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "itest.h"

#define NFAMILIES	2
#define NCONN		20	/* the case's connections */
#define FRAMES_PER_CONN	6	/* handshake and an orderly close, at least */

static int setup(void **state)
{
	return itest_run(state, "timestamps");
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "timestamps", NFAMILIES);
}

/* A10 (K14): kind 8, length 10 in SYNs; NOP, NOP, TS = 12 bytes after; the article's 8 refuted. */
static void test_option_length(void **state)
{
	char err[PCAP_ERRBUF_SIZE];
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *syn = itest_verdict(in, "timestamp option length in captured SYNs");
		json_t *after = itest_verdict(in, "bytes the timestamp option takes after");
		pcap_t *p = pcap_open_offline(itest_str(in, "pcap"), err);
		struct pcap_pkthdr *h;
		const uint8_t *data;
		unsigned int frames = 0;

		assert_true(itest_num(syn, "measured") == TCPOLEN_TIMESTAMP);
		assert_true(itest_expected(syn, 0) == TCPOLEN_TIMESTAMP);
		itest_assert_verdict(syn, "refuted");
		assert_string_equal(itest_str(syn, "fact"), "K14");
		assert_string_equal(itest_str(syn, "id"), "A10");
		assert_true(itest_num(after, "measured") == TCPOLEN_TSTAMP_APPA);
		assert_true(itest_expected(after, 0) == TCPOLEN_TSTAMP_APPA);
		itest_assert_verdict(after, "refuted");
		assert_string_equal(itest_str(after, "fact"), "K14");
		if (!p)
			fail_msg("%s: %s", itest_str(in, "pcap"), err);
		while (pcap_next_ex(p, &h, &data) == 1)
			frames++;
		pcap_close(p);
		assert_int_equal(frames, itest_num(in, "pcap_packets"));
		assert_true(frames >= NCONN * FRAMES_PER_CONN);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_option_length),
	};

	return cmocka_run_group_tests_name("timestamps (root, real kernel)", tests, setup,
					   itest_free);
}
