// SPDX-License-Identifier: GPL-2.0
/*
 * lost_final_ack's judge on synthetic figures, at HZ=250 and tcpi_rto
 * 204 ms (51 jiffies, level 0): the FIN again in (200, 212] ms; the
 * TIME_WAIT from the restart in (59996, 62052] ms.
 */
#include "judge_test.h"
#include "judges/lost_final_ack.h"

#define LA	"A04.last_ack"
#define FIN	"A04.fin_retransmit"
#define ANS	"A04.tw_answers"
#define RST	"A04.tw_restart"
#define LIFE	"A04.tw_lifetime"

static struct lost_final_ack_fig fig(void)
{
	return (struct lost_final_ack_fig){
		.hz = 250, .rto_us = 204000,
		.last_ack_seen = 1,
		.fin1_seen = true, .fins_seen = true, .fin_gap_ms = 209.3, .fin_ts = true, .fin_ts_gap = 209,
		.loss_probes = 1, .answers = 1, .answer_ms = 0.04,
		.tw_read = true, .tw_age_ms = 4,
		.since_fin2 = { 4.7, 4.9 },
		.tw_gone = true, .lifetime = { 60470, 0.5, 0 },
	};
}

JT_DEFINE_JUDGE(lost_final_ack)

static void as_the_kernel_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, LA, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, FIN, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, ANS, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, RST, V_REFUTED, REL_INSIDE);
	jt_expect(&r, LIFE, V_REFINED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * The defect: the LAST_ACK figure was the impairment's drop count, so
 * it could not see the state.  Now a server end not in LAST_ACK fails.
 */
static void not_in_last_ack_fails(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.last_ack_seen = 0;
	r = judge(f);
	jt_expect(&r, LA, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.last_ack_late = true;		/* read after the ACK that ends it: cannot tell */
	r = judge(f);
	jt_expect(&r, LA, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/*
 * The defect: 214.8 ms on the capture under load failed (204, 214].  The
 * server's TSvals say 213: the later FIN met a delay on its way to the
 * capture; the send gap is in (212, 214), across the edge: inconclusive.
 */
static void loaded_capture_is_not_a_failure(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.fin_gap_ms = 214.8;
	f.fin_ts_gap = 211;
	r = judge(f);
	jt_expect(&r, FIN, V_CONFIRMED, REL_INSIDE);	/* clamped into (210, 212] */
	jt_outcome(&r, R_PASS);
	f.fin_ts_gap = 213;
	r = judge(f);
	jt_expect(&r, FIN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* One tick short of the RTO is the jiffy phase (K20), not a fault. */
static void jiffy_phase_is_inside(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.fin_gap_ms = 202.2;
	f.fin_ts_gap = 202;
	r = judge(f);
	jt_expect(&r, FIN, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

static void outside_fails(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.fin_gap_ms = 230;
	f.fin_ts_gap = 230;
	f.answers = 0;
	f.tw_age_ms = 234.9;		/* not restarted: as old as the entry, 230 + 4.9 ms */
	f.lifetime.x = 62100;
	r = judge(f);
	jt_expect(&r, FIN, V_CONFIRMED, REL_OUTSIDE);	/* "after an RTO", but too late */
	jt_expect(&r, ANS, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, RST, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, LIFE, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	/* no timestamps: the capture, a tick of way to it; exactly 60 s from the restart */
	f = fig();
	f.fin_ts = false;
	f.fin_gap_ms = 195;
	f.lifetime = (struct tw_sample){ 60000, 0, 0 };
	r = judge(f);
	jt_expect(&r, FIN, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, LIFE, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_FAIL);
}

/* A capture that lacks the FINs, a TIME_WAIT not read: undecided, never a verdict. */
static void capture_miss_is_undecided(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.fins_seen = f.fin1_seen = false;
	r = judge(f);
	jt_expect(&r, LA, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, FIN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, ANS, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, RST, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, LIFE, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
	f = fig();
	f.tw_read = false;
	f.tw_gone = false;
	r = judge(f);
	jt_expect(&r, RST, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, LIFE, V_INCONCLUSIVE, REL_STRADDLES);
}

/* The first FIN and no second within 4 RTOs and a second: the kernel's window is missed. */
static void no_retransmission_fails(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.fins_seen = false;
	f.fin_gap_ms = 1800;
	r = judge(f);
	jt_expect(&r, FIN, V_INCONCLUSIVE, REL_OUTSIDE);	/* the article's FIN may be later */
	jt_expect(&r, ANS, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_FAIL);
}

/*
 * A read that took long (a loaded machine) leaves the arming time
 * uncertain by as much: once that reaches across the article's or the
 * kernel's window, inconclusive -- it read "refined" when the read's
 * length widened the windows instead.
 */
static void slow_read_is_inconclusive(void **state)
{
	struct lost_final_ack_fig f = fig();
	struct tw_result r;

	(void)state;
	f.since_fin2[0] = 3335;
	f.since_fin2[1] = 3559;
	f.tw_age_ms = 3532;
	r = judge(f);
	jt_expect(&r, RST, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(lost_final_ack)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_the_kernel_says),
		cmocka_unit_test(not_in_last_ack_fails),
		cmocka_unit_test(loaded_capture_is_not_a_failure),
		cmocka_unit_test(jiffy_phase_is_inside),
		cmocka_unit_test(outside_fails),
		cmocka_unit_test(capture_miss_is_undecided),
		cmocka_unit_test(no_retransmission_fails),
		cmocka_unit_test(slow_read_is_inconclusive),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge lost_final_ack", tests, NULL, NULL);
}
