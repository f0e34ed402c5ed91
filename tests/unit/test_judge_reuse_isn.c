// SPDX-License-Identifier: GPL-2.0
/* reuse_isn's judge on synthetic sequence numbers. */
#include "judge_test.h"
#include "judges/reuse_isn.h"

#define ISN	"A12.reuse_isn"

static struct tw_result judge(uint32_t fin, uint32_t syn, bool seen)
{
	struct reuse_isn_fig f = {
		.seen = seen, .old_fin = fin, .new_syn = syn, .fresh_syn = 12345,
		.data_bytes = 1000,
	};
	struct tw_result r = { 0 };

	reuse_isn_judge(&f, &r);
	return r;
}

/* snd_nxt + 65537: the article's figure and the kernel's. */
static void step_confirmed(void **state)
{
	struct tw_result r = judge(1000, 1001 + 65537, true);

	(void)state;
	jt_expect(&r, ISN, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* The defect: the verdict is computed, so a fresh ISN (no take-over) fails. */
static void fresh_isn_fails(void **state)
{
	struct tw_result r = judge(1000, 0x9abcdef0, true);

	(void)state;
	jt_expect(&r, ISN, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* Across the 2^32 wrap the distance is the same, modulo 2^32. */
static void wrap_confirmed(void **state)
{
	struct tw_result r = judge(0xffffff00u, 0xffffff01u + 65537, true);

	(void)state;
	jt_expect(&r, ISN, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Where snd_nxt + 65537 is 0 the kernel starts at 1: not the article's figure. */
static void zero_becomes_one(void **state)
{
	uint32_t fin = (uint32_t)(0 - 65537 - 1);
	struct tw_result r = judge(fin, 1, true);

	(void)state;
	jt_expect(&r, ISN, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* A capture that missed a segment decides nothing. */
static void capture_miss_undecided(void **state)
{
	struct tw_result r = judge(0, 0, false);

	(void)state;
	jt_expect(&r, ISN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(reuse_isn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(step_confirmed),
		cmocka_unit_test(fresh_isn_fails),
		cmocka_unit_test(wrap_confirmed),
		cmocka_unit_test(zero_becomes_one),
		cmocka_unit_test(capture_miss_undecided),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge reuse_isn", tests, NULL, NULL);
}
