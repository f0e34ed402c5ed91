// SPDX-License-Identifier: GPL-2.0
/*
 * tw_buckets' judge on synthetic counts: 28 closes at a cap of 8 on 6.18
 * leave 8 TIME_WAIT sockets and nothing else, count 20 overflows, and log
 * nothing (K10).
 */
#include <errno.h>

#include "judge_test.h"
#include "judges/tw_buckets.h"

#define CAP	"A14.tw_cap"
#define CLOSED	"A14.overflow_closed"
#define CTR	"A14.overflow_counter"
#define LOG	"A14.overflow_log"

static struct tw_buckets_fig fig(void)
{
	return (struct tw_buckets_fig){
		.version = KV(6, 18, 0), .cap = 8, .conns = 28, .tw = { [LAB_CLIENT] = 8 },
		.left = { [LAB_CLIENT] = 8, [LAB_SERVER] = 0 }, .overflow = 20,
		.log = { .records = 3, .first_seq = -1 },
	};
}

JT_DEFINE_JUDGE(tw_buckets)

/* The kernel as K10 says: the article's cap holds, its log line does not. */
static void as_the_kernel_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, CAP, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, CLOSED, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, CTR, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, LOG, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* One TIME_WAIT past the cap, or one short: the kernel broke its own cap. */
static void cap_missed_fails(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.tw[LAB_CLIENT] = f.left[LAB_CLIENT] = 9;
	f.overflow = 19;
	r = judge(f);
	jt_expect(&r, CAP, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, CLOSED, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, CTR, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(r.reason, CAP));
}

/* A close past the cap left a socket behind, the counter missed one. */
static void leftover_fails(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.left[LAB_SERVER] = 1;
	f.overflow = 21;
	r = judge(f);
	jt_expect(&r, CAP, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, CLOSED, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, CTR, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* The article's line in a current kernel's log: not what K10 predicts. */
static void log_line_fails(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.log.matches = 1;
	snprintf(f.log.match, sizeof(f.log.match), "TCP: time wait bucket table overflow");
	r = judge(f);
	jt_expect(&r, LOG, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* An unreadable or overrun log says nothing, either way. */
static void log_unseen_is_inconclusive(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.log_err = -EPERM;
	r = judge(f);
	jt_expect(&r, LOG, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
	f.log_err = 0;
	f.log.lost = true;
	r = judge(f);
	jt_expect(&r, LOG, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, CAP, V_CONFIRMED, REL_INSIDE);
}

/* Before 4.11 the cap counts the whole machine: no exact prediction, no failure. */
static void before_per_netns(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.version = KV(4, 9, 0);
	f.tw[LAB_CLIENT] = f.left[LAB_CLIENT] = 5;
	f.overflow = 23;
	f.log.matches = 2;
	r = judge(f);
	jt_expect(&r, CAP, V_REFINED, REL_INSIDE);
	jt_expect(&r, CTR, V_REFINED, REL_INSIDE);
	jt_expect(&r, LOG, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	/* 4.11 on: exact */
	f.version = KV(4, 19, 0);
	r = judge(f);
	jt_expect(&r, CAP, V_REFUTED, REL_OUTSIDE);
}

/* Issue 10: every count is a window, and each verdict follows from it. */
static void cap_follows_the_figure(void **state)
{
	struct tw_buckets_fig f = fig();
	struct tw_result r;

	(void)state;
	f.cap = 32;
	f.conns = 52;
	r = judge(f);
	jt_expect(&r, CAP, V_REFUTED, REL_OUTSIDE);	/* 8 at a cap of 32 */
	assert_true(jt_verdict(&r, CAP)->kern.lo == 32);
	assert_true(jt_verdict(&r, CTR)->art.lo == 32 - 12);
}

JT_DEFINE_COVERAGE(tw_buckets)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_the_kernel_says),
		cmocka_unit_test(cap_missed_fails),
		cmocka_unit_test(leftover_fails),
		cmocka_unit_test(log_line_fails),
		cmocka_unit_test(log_unseen_is_inconclusive),
		cmocka_unit_test(before_per_netns),
		cmocka_unit_test(cap_follows_the_figure),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_buckets", tests, NULL, NULL);
}
