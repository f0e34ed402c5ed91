// SPDX-License-Identifier: GPL-2.0
/*
 * last_ack_syn against the real kernel: a SYN onto the peer's LAST_ACK
 * draws a challenge ACK of the old rcv_nxt, not an RST (K18); the client
 * RSTs it from SYN_SENT, which ends the LAST_ACK; and the SYN, re-armed to
 * TCP_TIMEOUT_MIN (2 jiffies), goes again within that level-0 timer's
 * span -- recomputed here from the run's HZ -- far from the 1 s of
 * TCP_TIMEOUT_INIT.  Each decided sub-claim's figure inside the kernel's
 * window; an inconclusive one's figure is not checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"
#include "kernel.h"

#define TCP_TIMEOUT_MIN	2	/* jiffies, include/net/tcp.h */

static int setup(void **state)
{
	return itest_run(state, "last_ack_syn");
}

static void test_all_pass(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "last_ack_syn", 2);
	json_array_foreach(itest_instances(*state), i, in)
		assert_true(*itest_str(in, "impair"));
}

/*
 * A challenge ACK (2), not the article's RST (1): a bare ACK of the old
 * rcv_nxt, the client FIN's end, counted by the server as a SYN
 * challenged (K18).  Its ack in *@ack; false when undecided.
 */
static bool challenge_ack(json_t *in, unsigned int *ack)
{
	json_t *v = itest_conclusive(in, "A17.answer", "refuted");
	long long syn_challenge, challenge_ack;
	unsigned int flags, rcv_nxt;

	if (!v)
		return false;
	assert_string_equal(itest_str(v, "fact"), "K18");
	assert_true(itest_num(v, "measured") == 2);
	itest_evidence_scan(v, 3, "a challenge ACK (flags 0x%x, ack %u; the old rcv_nxt, "
			    "the client FIN's end, is %u)", &flags, ack, &rcv_nxt);
	assert_int_equal(flags, 0x10);	/* TH_ACK alone */
	assert_int_equal(*ack, rcv_nxt);
	itest_evidence_scan(v, 2, "TCPSYNChallenge +%lld, TCPChallengeACK +%lld",
			    &syn_challenge, &challenge_ack);
	assert_true(syn_challenge == -1 || syn_challenge >= 1);	/* -1: unread */
	assert_true(challenge_ack == -1 || challenge_ack >= 1);
	return true;
}

/* The client RSTs it from SYN_SENT, seq = its ack, and the LAST_ACK is gone. */
static void test_challenge_ack_then_rst(void **state)
{
	unsigned int ack, rst_seq;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A17.client_rst", "refuted");
		if (challenge_ack(in, &ack) && v) {
			assert_string_equal(itest_str(v, "fact"), "K18");
			assert_true(itest_num(v, "measured") == 1);
			itest_evidence_scan(v, 1, "RST(s) of seq %u", &rst_seq);
			assert_int_equal(rst_seq, ack);
			assert_non_null(strstr(itest_str(v, "evidence"), "is gone"));
		}
		v = itest_conclusive(in, "A17.connects", "refuted");
		if (v)
			assert_string_equal(itest_str(v, "fact"), "K18");
	}
}

/*
 * The SYN again TCP_TIMEOUT_MIN (2 jiffies) after the challenge ACK, a
 * level-0 timer's span at the run's HZ less the jiffy phase (K20): since
 * 5.6 that span alone, before it up to TCP_TIMEOUT_INIT's end (a stable
 * kernel may carry 9603d47bad46) -- both recomputed here; the whole
 * sample inside it, and before TCP_TIMEOUT_INIT's (1 s) span begins.
 */
static void test_connect_time(void **state)
{
	struct window min, init;
	unsigned int hz;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	hz = itest_hz(*state);
	assert_int_equal(expect_timer_span(hz, TCP_TIMEOUT_MIN, &min), 0);
	assert_int_equal(expect_timer_span(hz, hz, &init), 0);
	if (itest_version(*state) < KV(5, 6, 0))
		min.hi_ms = init.hi_ms;
	json_array_foreach(itest_instances(*state), i, in) {
		double ms;

		v = itest_conclusive(in, "A17.syn_again", "refuted");
		if (!v)
			continue;
		ms = itest_num(v, "measured");
		assert_string_equal(itest_str(v, "fact"), "K18");
		itest_assert_window(v, "kernel", min.lo_ms, min.hi_ms, 1e-9);
		assert_true(ms - itest_below(v) > min.lo_ms);
		assert_true(ms + itest_above(v) <= min.hi_ms);
		assert_true(ms + itest_above(v) <= init.lo_ms);
		print_message("%s: the SYN again %.2f ms (-%.2f) after the challenge ACK: "
			      "(%.0f, %.0f]\n", itest_str(in, "name"), ms, itest_below(v),
			      min.lo_ms, min.hi_ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_challenge_ack_then_rst),
		cmocka_unit_test(test_connect_time),
	};

	return cmocka_run_group_tests_name("last_ack_syn (root, real kernel)", tests, setup,
					   itest_free);
}
