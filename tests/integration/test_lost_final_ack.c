// SPDX-License-Identifier: GPL-2.0
/*
 * lost_final_ack against the real kernel (about 62 s: one whole
 * TIME_WAIT): with exactly the final ACK dropped, the server waits in
 * LAST_ACK and sends its FIN again one RTO later -- a level-0 wheel timer
 * whose span is recomputed here from the run's HZ and the server's
 * tcpi_rto -- the client's TIME_WAIT ACKs it and restarts its timer
 * (K04), and lives TCP_TIMEWAIT_LEN from that second FIN (K03).  Each
 * decided sub-claim's figure, with the observer's uncertainty, inside the
 * kernel's window recomputed here; an inconclusive one's is not checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "lost_final_ack");
}

static void test_all_pass(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "lost_final_ack", 2);
	json_array_foreach(itest_instances(*state), i, in) {
		assert_true(*itest_str(in, "impair"));
		v = itest_conclusive(in, "A04.last_ack", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") == 1);
		v = itest_conclusive(in, "A04.tw_answers", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") == 1);
	}
}

/*
 * One RTO: the FIN's retransmit timer, armed for the server's own tcpi_rto
 * in jiffies (read back from the evidence), fires within that level-0
 * timer's span at the run's HZ (K13, K20); the figure, the gap by the
 * server's TSvals when both FINs carry one, and all of its uncertainty
 * inside that span.
 */
static void test_fin_after_one_rto(void **state)
{
	unsigned int hz, rto_us;
	json_t *in, *v;
	struct window w;
	size_t i;

	ITEST_NEED_RUN(state);
	hz = itest_hz(*state);
	json_array_foreach(itest_instances(*state), i, in) {
		double ms, ts;

		v = itest_conclusive(in, "A04.fin_retransmit", "confirmed");
		if (!v)
			continue;
		ms = itest_num(v, "measured");
		itest_evidence_scan(v, 1, "tcpi_rto %u us", &rto_us);
		assert_true(rto_us >= itest_rto_min_us(*state));
		assert_int_equal(expect_timer_span(hz, expect_usecs_to_jiffies(hz, rto_us), &w), 0);
		itest_assert_window(v, "kernel", w.lo_ms, w.hi_ms, 1e-9);
		assert_true(ms - itest_below(v) > w.lo_ms);
		assert_true(ms + itest_above(v) <= w.hi_ms);
		if (!strstr(itest_str(v, "evidence"), "(no TS)")) {
			itest_evidence_scan(v, 1, "later on the capture, %lf ms by the server's "
					    "TSvals", &ts);
			assert_true(fabs(ms - ts) <= 1);
		}
		print_message("%s: FIN again after %.2f ms (-%.2f/+%.2f), RTO %u us: "
			      "(%.0f, %.0f]\n", itest_str(in, "name"), ms, itest_below(v),
			      itest_above(v), rto_us, w.lo_ms, w.hi_ms);
	}
}

/*
 * The timer was armed at the second FIN, between its capture and the ACK
 * it drew, a tick and a rounding either way (K04): the kernel's window
 * recomputed from the ACK's delay and the run's HZ; the article's, at
 * the entry one FIN gap before, from the gap the read was timed against.
 * The whole sample lies past the midpoint of the two FINs.
 */
static void test_timer_restarted(void **state)
{
	json_t *in, *v;
	size_t i;
	double e;

	ITEST_NEED_RUN(state);
	e = 1000.0 / itest_hz(*state) + 1;	/* a tick, and jiffies_to_msecs()' rounding */
	json_array_foreach(itest_instances(*state), i, in) {
		double ms, age, since2, since1, answer, gap;

		v = itest_conclusive(in, "A04.tw_restart", "refuted");
		if (!v)
			continue;
		ms = itest_num(v, "measured");
		itest_evidence_scan(v, 3, "idiag_expires: %lf ms old when read %lf ms after the "
				    "second FIN, %lf ms after the first", &age, &since2, &since1);
		itest_evidence_scan(itest_subclaim(in, "A04.tw_answers"), 1,
				    "the first %lf ms after it", &answer);
		gap = since1 - since2;
		/* printed as %.2f, %.1f and %.0f: half the last digit of each */
		itest_assert_window(v, "kernel", -e, answer + e, 0.006);
		itest_assert_window(v, "article", -gap - e, -gap + e, 0.11);
		assert_true(fabs(ms - (since2 - age)) <= 0.56);
		assert_true(ms - itest_below(v) >= -e && ms <= answer + e);
		assert_true(ms - itest_below(v) > -gap / 2);
		print_message("%s: armed %.2f ms after the second FIN (-%.2f), %.1f ms after the "
			      "first\n", itest_str(in, "name"), ms, itest_below(v), gap + ms);
	}
}

/*
 * TCP_TIMEWAIT_LEN = 60*HZ jiffies from the restart, on its wheel level
 * at the run's HZ, less the jiffy phase (K03, K20): the lifetime from
 * the second FIN inside that span, its whole uncertainty (when the
 * TIME_WAIT was last seen, and the restart's place before the ACK) too.
 */
static void test_lifetime(void **state)
{
	unsigned long jiffies;
	json_t *in, *v;
	struct window tw;
	unsigned int hz;
	size_t i;

	ITEST_NEED_RUN(state);
	hz = itest_hz(*state);
	assert_int_equal(expect_tw_window(hz, &tw), 0);
	assert_int_equal(expect_timer_span(hz, tw.timeout_jiffies, &tw), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		double ms;

		v = itest_conclusive(in, "A04.tw_lifetime", "refined");
		if (!v)
			continue;
		ms = itest_num(v, "measured");
		itest_evidence_scan(v, 1, "60*HZ = %lu jiffies", &jiffies);
		assert_int_equal(jiffies, 60 * hz);
		itest_assert_window(v, "kernel", tw.lo_ms, tw.hi_ms, 1e-9);
		assert_true(ms - itest_below(v) > tw.lo_ms);
		assert_true(ms <= tw.hi_ms);
		print_message("%s: gone %.1f ms (-%.1f) after the second FIN: (%.0f, %.0f]\n",
			      itest_str(in, "name"), ms, itest_below(v), tw.lo_ms, tw.hi_ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_fin_after_one_rto),
		cmocka_unit_test(test_timer_restarted),
		cmocka_unit_test(test_lifetime),
	};

	return cmocka_run_group_tests_name("lost_final_ack (root, real kernel)", tests, setup,
					   itest_free);
}
