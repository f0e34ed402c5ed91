// SPDX-License-Identifier: GPL-2.0
/*
 * tw_duration's judge on synthetic lifetimes: at HZ=250 TIME_WAIT is
 * 15000 jiffies at wheel level 3 (granularity 512), so the kernel's
 * window is (59996, 62052] ms; the orphan at tcp_fin_timeout=5 is 1250
 * jiffies at level 2 (granularity 64): (4996, 5260] ms.
 */
#include "judge_test.h"
#include "judges/tw_duration.h"

#define TW	"A02.tw_lifetime"
#define ORPH	"A02.orphan_fin_wait2"

static struct tw_duration_fig fig(double tw_ms, double orphan_ms, double below)
{
	struct tw_duration_fig f = {
		.hz = 250, .version = KV(6, 18, 0), .fin_timeout_s = 5, .rto_us = 204000,
		.n = TW_DURATION_NCONN,
	};

	for (int i = 0; i < f.n; i++)
		f.tw[i] = (struct tw_sample){ tw_ms + i, below, 0 };
	f.orphan = (struct tw_sample){ orphan_ms, below, 0 };
	return f;
}

static struct tw_result judge(struct tw_duration_fig f)
{
	struct tw_result r = { 0 };

	tw_duration_judge(&f, &r);
	return r;
}

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
	for (int i = 0; i < f.n; i++)
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

static void coverage(void **state)
{
	(void)state;
	jt_coverage("cases/judges/tw_duration.c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refined_inside),
		cmocka_unit_test(one_tick_short_is_inside),
		cmocka_unit_test(exact_is_confirmed),
		cmocka_unit_test(outside_fails),
		cmocka_unit_test(straddle_is_inconclusive),
		cmocka_unit_test(other_hz),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_duration", tests, NULL, NULL);
}
