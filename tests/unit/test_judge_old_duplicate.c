// SPDX-License-Identifier: GPL-2.0
/*
 * old_duplicate's judge on synthetic figures: what the TIME_WAIT does
 * with old data and with an RST of seq tw_rcv_nxt, at tcp_rfc1337 0 and 1.
 */
#include "judge_test.h"
#include "judges/old_duplicate.h"

#define ACK	"A03.old_data_ack"
#define STRAY	"A03.old_data_sockets"
#define PEER	"A03.peer_rst_stays"
#define RST	"A03.rst_stays"
#define TIMER	"A03.rst_timer"

static struct old_duplicate_fig fig(int rfc1337)
{
	struct old_duplicate_fig f = {
		.hz = 250, .rfc1337 = rfc1337,
		.snd_nxt = 500, .rcv_nxt = 1101, .data_seq = 1000, .acks = 1,
		.ack_seq = 500, .ack_ack = 1101, .answered = true, .paws = 0,
		.peer_rst = true, .peer_rst_seq = 1101, .peer_rst_stays = rfc1337,
		.rst_stays = rfc1337, .rst_gone_ms = 1, .stay_ms = 300,
	};

	if (rfc1337) {	/* it stayed: idiag_expires read around the RST */
		f.timer_read = true;
		f.before_ms = 59648;
		f.after_ms = 59344;
		f.least_ms = 302.5;
		f.most_ms = 303.5;
	}
	return f;
}

JT_DEFINE_JUDGE(old_duplicate)

/*
 * The defect: the RST verdicts at tcp_rfc1337=0 were "refined" whatever
 * happened.  At 0 the TIME_WAIT is killed: the article's 2MSL of
 * protection does not hold, and the windows are disjoint: refuted.
 */
static void rfc1337_0(void **state)
{
	struct tw_result r = judge(fig(0));

	(void)state;
	jt_expect(&r, ACK, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, STRAY, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, PEER, V_REFUTED, REL_INSIDE);
	jt_expect(&r, RST, V_REFUTED, REL_INSIDE);
	assert_int_equal(r.nverdicts, 4);	/* nothing stayed to be timed */
	jt_outcome(&r, R_PASS);
}

static void rfc1337_1(void **state)
{
	struct tw_result r = judge(fig(1));

	(void)state;
	jt_expect(&r, PEER, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, RST, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, TIMER, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* A kernel that does otherwise than its source says fails, whatever the article. */
static void the_kernel_otherwise_fails(void **state)
{
	struct old_duplicate_fig f = fig(0);
	struct tw_result r;

	(void)state;
	f.acks = 0;
	f.stray = 1;
	f.peer_rst_stays = 1;
	f.rst_stays = 1;
	r = judge(f);
	jt_expect(&r, ACK, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, STRAY, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, PEER, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, RST, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f = fig(1);
	f.after_ms = 60000;		/* restarted by the RST */
	r = judge(f);
	jt_expect(&r, TIMER, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* An RST not of tw_rcv_nxt is out of window: the TIME_WAIT stays at either setting. */
static void out_of_window_peer_rst(void **state)
{
	struct old_duplicate_fig f = fig(0);
	struct tw_result r;

	(void)state;
	f.peer_rst_seq = 1200;
	f.peer_rst_stays = 1;
	r = judge(f);
	jt_expect(&r, PEER, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* No ACK to answer, no RST on the capture: undecided, not a verdict. */
static void nothing_seen_is_undecided(void **state)
{
	struct old_duplicate_fig f = fig(0);
	struct tw_result r;

	(void)state;
	f.peer_rst = false;
	r = judge(f);
	jt_expect(&r, PEER, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
	f.answered = false;
	f.acks = 0;
	r = judge(f);
	jt_expect(&r, ACK, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, PEER, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_FAIL);
}

/* A timer read whose bracket reaches across an edge cannot be told. */
static void timer_straddles(void **state)
{
	struct old_duplicate_fig f = fig(1);
	struct tw_result r;

	(void)state;
	f.after_ms = 59339;		/* fell 309: the edge is 303.5 + 4 + 1 */
	r = judge(f);
	jt_expect(&r, TIMER, V_REFUTED, REL_OUTSIDE);
	f.after_ms = 59344;
	f.least_ms = 296;		/* fell 304 against (291, 308.5]: inside */
	r = judge(f);
	jt_expect(&r, TIMER, V_CONFIRMED, REL_INSIDE);
}

JT_DEFINE_COVERAGE(old_duplicate)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc1337_0),
		cmocka_unit_test(rfc1337_1),
		cmocka_unit_test(the_kernel_otherwise_fails),
		cmocka_unit_test(out_of_window_peer_rst),
		cmocka_unit_test(nothing_seen_is_undecided),
		cmocka_unit_test(timer_straddles),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge old_duplicate", tests, NULL, NULL);
}
