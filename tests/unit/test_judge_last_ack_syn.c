// SPDX-License-Identifier: GPL-2.0
/*
 * last_ack_syn's judge on synthetic figures, at HZ=250: the SYN again
 * TCP_TIMEOUT_MIN = 2 jiffies after the challenge ACK, a level-0 timer,
 * so (4, 16] ms with the jiffy phase; before 5.6 up to TCP_TIMEOUT_INIT's.
 */
#include <errno.h>

#include "judge_test.h"
#include "judges/last_ack_syn.h"

#define ANS	"A17.answer"
#define CRST	"A17.client_rst"
#define CONN	"A17.connects"
#define SYN	"A17.syn_again"

static struct last_ack_syn_fig fig(void)
{
	return (struct last_ack_syn_fig){
		.hz = 250, .version = KV(6, 18, 0),
		.answer = LAS_CHALLENGE, .answer_flags = 0x10, .answer_ack = 1000,
		.old_rcv_nxt = 1000, .client_rsts = 1, .connect_ms = 9.5,
		.syn2_seen = true, .syn2_ms = 8.9, .rst_ms = 0.02, .up_ms = 9.1,
		.syn_challenge = 1, .challenge_ack = 1,
	};
}

JT_DEFINE_JUDGE(last_ack_syn)

static void as_the_kernel_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, ANS, V_REFUTED, REL_INSIDE);
	jt_expect(&r, CRST, V_REFUTED, REL_INSIDE);
	jt_expect(&r, CONN, V_REFUTED, REL_INSIDE);
	jt_expect(&r, SYN, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* The article's world: an RST, no connection. The kernel's window is missed: fail. */
static void the_articles_rst_fails(void **state)
{
	struct last_ack_syn_fig f = fig();
	struct tw_result r;

	(void)state;
	f.answer = LAS_RST;
	f.answer_flags = 0x14;
	f.client_rsts = 0;
	f.syn2_seen = false;
	f.connect_err = -ECONNREFUSED;
	r = judge(f);
	jt_expect(&r, ANS, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, CRST, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, CONN, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, SYN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_FAIL);
}

/*
 * The defect: anything but a challenge ACK read as the article's RST,
 * including no answer and a capture that missed the SYN; and any
 * connect() failure as the article's reset.  None is a kernel-window
 * miss, a miss is undecided, a timeout is neither reset nor connection.
 */
static void none_or_miss_is_never_the_rst(void **state)
{
	struct last_ack_syn_fig f = fig();
	struct tw_result r;

	(void)state;
	f.answer = LAS_NONE;
	r = judge(f);
	jt_expect(&r, ANS, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, CRST, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_FAIL);
	f.answer = LAS_OTHER;
	r = judge(f);
	jt_expect(&r, ANS, V_REFUTED, REL_OUTSIDE);
	f.answer = LAS_MISS;
	f.connect_err = -ETIMEDOUT;
	r = judge(f);
	jt_expect(&r, ANS, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, CONN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

static void no_client_rst_fails(void **state)
{
	struct last_ack_syn_fig f = fig();
	struct tw_result r;

	(void)state;
	f.client_rsts = 0;
	r = judge(f);
	jt_expect(&r, CRST, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * The defect: 19.8 ms from the first SYN to the handshake under TCG
 * failed (8, 18]: round trips counted as the timer.  Timed from the
 * answer that re-arms it, with its uncertainty (until the RST), the
 * jiffy phase included.
 */
static void syn_timer_window(void **state)
{
	struct last_ack_syn_fig f = fig();
	struct tw_result r;

	(void)state;
	f.up_ms = 19.8;
	f.syn2_ms = 15.2;
	f.rst_ms = 0.4;
	r = judge(f);
	jt_expect(&r, SYN, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.syn2_ms = 4.2;		/* the RST at +0.4: re-armed in [3.8, 4.2] ms before */
	r = judge(f);
	jt_expect(&r, SYN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
	f.syn2_ms = 17;
	r = judge(f);
	jt_expect(&r, SYN, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.version = KV(5, 4, 0);	/* before 9603d47bad46: TCP_TIMEOUT_INIT, unless backported */
	f.syn2_ms = 990;
	r = judge(f);
	jt_expect(&r, SYN, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* The server's FIN went again first: no LAST_ACK was met, nothing to judge. */
static void late_is_undecided(void **state)
{
	struct last_ack_syn_fig f = fig();
	struct tw_result r;

	(void)state;
	f.late = true;
	r = judge(f);
	jt_expect(&r, ANS, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, CONN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(last_ack_syn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_the_kernel_says),
		cmocka_unit_test(the_articles_rst_fails),
		cmocka_unit_test(none_or_miss_is_never_the_rst),
		cmocka_unit_test(no_client_rst_fails),
		cmocka_unit_test(syn_timer_window),
		cmocka_unit_test(late_is_undecided),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge last_ack_syn", tests, NULL, NULL);
}
