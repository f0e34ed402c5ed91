// SPDX-License-Identifier: GPL-2.0
/*
 * tw_duration's judge on synthetic lifetimes: at HZ=250 TIME_WAIT is
 * 15000 jiffies at wheel level 3 (granularity 512), so the kernel's
 * window is (59996, 62052] ms; the orphan at tcp_fin_timeout=5 is 1250
 * jiffies at level 2 (granularity 64): (4996, 5260] ms.
 */
#include <math.h>

#include "judge_test.h"
#include "judges/tw_duration.h"

#define TW	"A02.tw_lifetime"
#define ORPH	"A02.orphan_fin_wait2"

static struct tw_duration_fig fig(double tw_ms, double orphan_ms, double below)
{
	struct tw_duration_fig f = {
		.hz = 250, .fin_timeout_s = 5, .rto_us = 204000,
		.ack_rtt_us = 45000, .armed_ms = 5000,
	};

	for (int i = 0; i < TW_DURATION_NCONN; i++)
		f.tw[i] = (struct tw_sample){ tw_ms + i, below, 0 };
	f.orphan = (struct tw_sample){ orphan_ms, below, 0 };
	return f;
}

JT_DEFINE_JUDGE(tw_duration)

/* 60 s and up: the wheel's rounding is the refinement; the article's 60 s is a floor. */
static void refined_inside(void **state)
{
	struct tw_result r = judge(fig(61000, 5100, 0.3));

	(void)state;
	jt_expect(&r, TW, V_REFINED, REL_INSIDE);
	jt_expect(&r, ORPH, V_REFINED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* 59998 ms is one jiffy phase short of 60 s: the kernel as written (K20), not a fault. */
static void one_tick_short_is_inside(void **state)
{
	struct tw_duration_fig f = fig(61000, 5000, 0.3);
	struct tw_result r;

	(void)state;
	f.tw[3].x = 59998;
	f.orphan.below = 0;
	r = judge(f);
	jt_expect(&r, TW, V_REFINED, REL_INSIDE);
	jt_expect(&r, ORPH, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Every lifetime exactly 60 s, the orphan exactly tcp_fin_timeout: the article's words. */
static void exact_is_confirmed(void **state)
{
	struct tw_duration_fig f = fig(60000, 5000, 0);
	struct tw_result r;

	(void)state;
	for (int i = 0; i < TW_DURATION_NCONN; i++)
		f.tw[i].x = 60000;
	r = judge(f);
	jt_expect(&r, TW, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Too long, or far too short: the kernel did not do what its source says. */
static void outside_fails(void **state)
{
	struct tw_duration_fig f = fig(61000, 8744, 0.3);
	struct tw_result r;

	(void)state;
	f.tw[5].x = 62100;
	r = judge(f);
	jt_expect(&r, TW, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, ORPH, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(r.reason, TW));
}

/* A sample whose uncertainty reaches across 59996 ms cannot be told: inconclusive. */
static void straddle_is_inconclusive(void **state)
{
	struct tw_duration_fig f = fig(61000, 5100, 0.3);
	struct tw_result r;

	(void)state;
	f.tw[0] = (struct tw_sample){ 59996.2, 0.5, 0 };
	f.orphan = (struct tw_sample){ 5260.2, 0.5, 0 };
	r = judge(f);
	jt_expect(&r, TW, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, ORPH, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* At tcp_fin_timeout=60 the orphan's window is TIME_WAIT's; at HZ=1000, level 4. */
static void other_hz(void **state)
{
	struct tw_duration_fig f = fig(63000, 62000, 0.3);
	struct tw_result r;

	(void)state;
	f.hz = 1000;
	f.fin_timeout_s = 60;
	r = judge(f);
	jt_expect(&r, TW, V_REFINED, REL_INSIDE);
	jt_expect(&r, ORPH, V_REFINED, REL_INSIDE);
	assert_true(jt_verdict(&r, TW)->kern.hi == 64097);
	jt_outcome(&r, R_PASS);
}

/*
 * The RTO the FIN_WAIT2 timer uses is the one after the ACK of the FIN,
 * which the peer delays by up to TCP_DELACK_MAX: at tcp_fin_timeout=1,
 * 3.5 x an RTO raised by a 200 ms sample (<= 433 ms: 382 jiffies) is
 * above the 250 jiffies of tcp_fin_timeout.  Without that sample the
 * same lifetime is the kernel's fault.
 */
static void delayed_ack_raises_the_rto(void **state)
{
	struct tw_duration_fig f = fig(61000, 1400, 0.3);
	struct tw_result r;

	(void)state;
	f.fin_timeout_s = 1;
	f.ack_rtt_us = 200000;
	assert_int_equal(tw_fin_wait2_rto_max_us(250, 204000, 200000), 433000);
	r = judge(f);
	jt_expect(&r, ORPH, V_REFINED, REL_INSIDE);
	assert_true(jt_verdict(&r, ORPH)->kern.lo == 996);
	assert_true(jt_verdict(&r, ORPH)->kern.hi == (382 + 8 + 1) * 4);
	jt_outcome(&r, R_PASS);

	f.ack_rtt_us = 0;
	r = judge(f);
	jt_expect(&r, ORPH, V_REFUTED, REL_OUTSIDE);
	assert_true(jt_verdict(&r, ORPH)->kern.hi == (250 + 8 + 1) * 4);
	jt_outcome(&r, R_FAIL);
}

/*
 * 5.10 under TCG (issue 10): 8744 ms at tcp_fin_timeout=5.  Had the ACK of
 * the FIN taken 2.4 s, the RTO could have reached 2908 ms, 3.5 x of which
 * (2545 jiffies, level 2) the kernel would have used: the window says so
 * rather than failing (outside_fails: with the ACK in 45 ms, the kernel's fault).
 */
static void slow_ack_carries_its_rto(void **state)
{
	struct tw_duration_fig f = fig(61000, 8744, 0.3);
	struct tw_result r;

	(void)state;
	f.ack_rtt_us = 2400000;
	r = judge(f);
	jt_expect(&r, ORPH, V_REFINED, REL_INSIDE);
	assert_true(jt_verdict(&r, ORPH)->kern.hi == (2545 + 64 + 1) * 4);
	jt_outcome(&r, R_PASS);
}

/*
 * The sample of that run, as the observer had it: entry seen 2.4 s after
 * the close, and gone at wait_gone()'s first poll 8.7 s after it, never
 * seen by the wait.  Its end is only known to lie after the entry: a
 * sample that reaches across both edges, so inconclusive, not a failure.
 */
static void gone_before_the_first_poll_is_inconclusive(void **state)
{
	struct tw_duration_fig f = fig(61000, 0, 0.3);
	int64_t ms = 1000000;
	struct tw_result r;

	(void)state;
	f.orphan = tw_lifetime_sample(0, 2400 * ms, 0, 8744 * ms, 0, 0);
	assert_true(f.orphan.x == 8744 && f.orphan.below == 8744 + 2400);
	r = judge(f);
	jt_expect(&r, ORPH, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);

	/* seen by the wait 5.1 s after a close whose entry took 40 ms: a sharp sample */
	f.orphan = tw_lifetime_sample(0, 40 * ms, 5140 * ms, 5141 * ms, 0, 0);
	assert_true(f.orphan.x == 5141 && fabs(f.orphan.below - 41) < 1e-9);
}

/*
 * 5.10 under TCG: every TIME_WAIT of an instance 66.7..68.7 s on our clock.
 * Had the socket's expiry drifted 6.5 s later while it ran (lost ticks),
 * the kernel kept to 60 s on its own clock: not its fault.  A drift
 * within its error changes nothing.
 */
static void lost_ticks_are_the_machines(void **state)
{
	struct tw_duration_fig f = fig(61000, 5100, 0.3);
	int64_t ms = 1000000;
	struct tw_result r;

	(void)state;
	for (int i = 0; i < TW_DURATION_NCONN; i++)
		f.tw[i] = tw_lifetime_sample(0, 1 * ms, (67000 + i) * ms, (67002 + i) * ms, 0, 0);
	r = judge(f);
	jt_expect(&r, TW, V_REFUTED, REL_OUTSIDE);
	for (int i = 0; i < TW_DURATION_NCONN; i++)
		f.tw[i] = tw_lifetime_sample(0, 1 * ms, (67000 + i) * ms, (67002 + i) * ms,
					     6500 * ms, 10 * ms);
	assert_true(f.tw[0].x == 67002 - 6500 && fabs(f.tw[0].above - 10) < 1e-9);
	r = judge(f);
	jt_expect(&r, TW, V_REFINED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.tw[0] = tw_lifetime_sample(0, 1 * ms, 60500 * ms, 60502 * ms, 8 * ms, 10 * ms);
	assert_true(f.tw[0].x == 60502 && f.tw[0].above == 0);
}

JT_DEFINE_COVERAGE(tw_duration)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refined_inside),
		cmocka_unit_test(one_tick_short_is_inside),
		cmocka_unit_test(exact_is_confirmed),
		cmocka_unit_test(outside_fails),
		cmocka_unit_test(straddle_is_inconclusive),
		cmocka_unit_test(other_hz),
		cmocka_unit_test(delayed_ack_raises_the_rto),
		cmocka_unit_test(slow_ack_carries_its_rto),
		cmocka_unit_test(gone_before_the_first_poll_is_inconclusive),
		cmocka_unit_test(lost_ticks_are_the_machines),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_duration", tests, NULL, NULL);
}
