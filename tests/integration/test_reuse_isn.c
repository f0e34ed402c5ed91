// SPDX-License-Identifier: GPL-2.0
/*
 * reuse_isn against the real kernel: the reusing SYN's sequence number,
 * read from the instance's own capture, and the capture file itself.
 */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "reuse_isn");
}

static void test_isn_is_snd_nxt_plus_65537(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_all_pass(*state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "ISN of a connection");

		assert_true(itest_num(v, "measured") == itest_expected(v, 0));
		itest_assert_verdict(v, "confirmed");
	}
}

/* tcpdump (a dependency of the tests) reads the file as a user would. */
static void tcpdump_reads(const char *pcap)
{
	char cmd[600];

	if (system("command -v tcpdump >/dev/null 2>&1"))
		return;
	snprintf(cmd, sizeof(cmd), "tcpdump -nr '%s' >/dev/null 2>&1", pcap);
	if (system(cmd))
		fail_msg("tcpdump -r %s failed", pcap);
}

/* The pcap the instance reports is there, whole, and libpcap and tcpdump read it. */
static void test_capture_file(void **state)
{
	char err[PCAP_ERRBUF_SIZE];
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		pcap_t *p = pcap_open_offline(itest_str(in, "pcap"), err);
		struct pcap_pkthdr *h;
		const uint8_t *data;
		unsigned int n = 0;

		if (!p)
			fail_msg("%s: %s", itest_str(in, "pcap"), err);
		while (pcap_next_ex(p, &h, &data) == 1)
			n++;
		pcap_close(p);
		assert_int_equal(n, itest_num(in, "pcap_packets"));
		assert_true(n >= 10);	/* two handshakes and closes at least */
		tcpdump_reads(itest_str(in, "pcap"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isn_is_snd_nxt_plus_65537),
		cmocka_unit_test(test_capture_file),
	};

	return cmocka_run_group_tests_name("reuse_isn (root, real kernel)", tests, setup, itest_free);
}
