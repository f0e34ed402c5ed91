// SPDX-License-Identifier: GPL-2.0
/*
 * timestamps against the real kernel, in its NAT lab: the option's
 * length in SYNs and after, tcp_tw_recycle, both NATed clients' success
 * counts, and the TSval offsets at tcp_timestamps 1 and 2.  The figures
 * the case expects are recomputed here from the kernel facts, not read
 * back from the case.
 */
#include <pcap/pcap.h>
#include <math.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"

#define NFAMILIES	2
#define NVALUES		2	/* tcp_timestamps 1 and 2 */
#define NCLIENTS	2
#define TS_TICK_MS	1	/* TSval counts milliseconds (TCP_TS_HZ) */
#define FRAMES_PER_CONN	6	/* handshake and an orderly close, at least */

static int setup(void **state)
{
	return itest_run(state, "timestamps");
}

static void test_all_pass(void **state)
{
	json_t *in;
	size_t i;
	int seen[3] = { 0 };

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "timestamps", NFAMILIES * NVALUES);
	json_array_foreach(itest_instances(*state), i, in) {
		int ts = itest_param(in, "tcp_timestamps");

		assert_true(ts == 1 || ts == 2);
		seen[ts]++;
	}
	assert_int_equal(seen[1], NFAMILIES);
	assert_int_equal(seen[2], NFAMILIES);
}

/* A10 (K14): kind 8, length 10 in SYNs; NOP, NOP, TS = 12 bytes after. */
static void test_option_length(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *syn = itest_verdict(in, "timestamp option length in captured SYNs");
		json_t *after = itest_verdict(in, "bytes the timestamp option fills after");

		assert_true(itest_num(syn, "measured") == TCPOLEN_TIMESTAMP);
		assert_true(itest_expected(syn, 0) == TCPOLEN_TIMESTAMP);
		itest_assert_verdict(syn, "refined");
		assert_string_equal(itest_str(syn, "fact"), "K14");
		assert_string_equal(itest_str(syn, "id"), "A10");
		assert_true(itest_num(after, "measured") == TCPOLEN_TSTAMP_APPA);
		assert_true(itest_expected(after, 0) == TCPOLEN_TSTAMP_APPA);
		itest_assert_verdict(after, "refined");
		assert_string_equal(itest_str(after, "fact"), "K14");
	}
}

/* A13 (K09): the sysctl is there or not, as it is in this test's namespace. */
static void test_recycle(void **state)
{
	bool exists = access("/proc/sys/net/ipv4/tcp_tw_recycle", F_OK) == 0;
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "tcp_tw_recycle sysctl");

		itest_assert_verdict(v, exists ? "confirmed" : "not applicable");
		assert_string_equal(itest_str(v, "fact"), "K09");
		assert_string_equal(itest_str(v, "id"), "A13");
	}
}

/*
 * A13 (K09): every connection of both clients succeeded, the same number
 * each; and the client's capture holds them all.
 */
static void test_nat_connections(void **state)
{
	char err[PCAP_ERRBUF_SIZE];
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *c1 = itest_verdict(in, "connections from NATed client 1");
		json_t *c2 = itest_verdict(in, "connections from NATed client 2");
		double n = itest_expected(c1, 0);
		pcap_t *p = pcap_open_offline(itest_str(in, "pcap"), err);
		struct pcap_pkthdr *h;
		const uint8_t *data;
		unsigned int frames = 0;

		assert_true(n >= 1);
		assert_true(itest_num(c1, "measured") == n);
		assert_true(itest_num(c2, "measured") == n);
		assert_true(itest_expected(c2, 0) == n);
		itest_assert_verdict(c1, "not applicable");
		itest_assert_verdict(c2, "not applicable");
		if (!p)
			fail_msg("%s: %s", itest_str(in, "pcap"), err);
		while (pcap_next_ex(p, &h, &data) == 1)
			frames++;
		pcap_close(p);
		assert_int_equal(frames, itest_num(in, "pcap_packets"));
		assert_true(frames >= n * FRAMES_PER_CONN);
	}
}

/*
 * A13 (K09): with tcp_timestamps=2 no SYN has an offset from the clock
 * and the clients agree to within a tick; with 1, each (saddr, daddr) --
 * or, on kernels with commit 165573e41f2f, each connection -- has its
 * own, and the clients' TSvals lie further apart than the run lasted.
 */
static void test_offsets(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *k = itest_verdict(in, "distinct TSval offsets");
		json_t *d = itest_verdict(in, "TSval difference between the NATed clients");
		double n = itest_num(itest_verdict(in, "connections from NATed client 1"),
				     "measured");
		double distinct = itest_num(k, "measured"), diff = itest_num(d, "measured");
		json_t *samples = json_object_get(d, "samples");

		itest_assert_verdict(k, "refined");
		itest_assert_verdict(d, "refined");
		assert_string_equal(itest_str(d, "fact"), "K09");
		assert_true(itest_num(samples, "n") == n);
		if (itest_param(in, "tcp_timestamps") == 2) {
			assert_true(distinct == 1 && itest_expected(k, 0) == 1);
			assert_true(fabs(diff) <= TS_TICK_MS);
			assert_true(itest_expected(d, 0) == -TS_TICK_MS);
			assert_true(itest_expected(d, 1) == TS_TICK_MS);
			continue;
		}
		/* one offset per address pair, or one per connection */
		assert_true(distinct == NCLIENTS || distinct == NCLIENTS * n);
		assert_true(json_is_null(json_object_get(k, "expected")));
		/* the run takes well under a minute; a random 32-bit offset does not fit it */
		assert_true(itest_expected(d, 0) > 0 && itest_expected(d, 0) < 60000);
		assert_true(itest_expected(d, 1) == 2147483648.0);
		assert_true(diff > itest_expected(d, 0) && diff <= itest_expected(d, 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_option_length),
		cmocka_unit_test(test_recycle),
		cmocka_unit_test(test_nat_connections),
		cmocka_unit_test(test_offsets),
	};

	return cmocka_run_group_tests_name("timestamps (root, real kernel)", tests, setup,
					   itest_free);
}
