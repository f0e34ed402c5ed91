// SPDX-License-Identifier: GPL-2.0
/*
 * timestamps' judge on synthetic captures: SYNs whose TS option has
 * length byte 10, later segments where NOP, NOP, TS take 12 bytes, at
 * tcp_timestamps 1 and 0; the article's 8 bytes against them.
 */
#include "judge_test.h"
#include "judges/timestamps.h"

#define LEN	"A10.option_bytes"
#define ALIGNED	"A10.aligned_bytes"

static struct timestamps_fig fig(int ts, uint8_t syn, uint8_t later)
{
	struct timestamps_fig f = {
		.timestamps = ts, .nsyn = TIMESTAMPS_NCONN,
		.nlater = 3 * TIMESTAMPS_NCONN,
	};

	for (int i = 0; i < f.nsyn; i++)
		f.syn_len[i] = syn;
	for (int i = 0; i < f.nlater; i++)
		f.later_fill[i] = later;
	return f;
}

JT_DEFINE_JUDGE(timestamps)

/* 10 bytes on the wire, 12 aligned: the article's "8 in all" is refuted, the kernel as written. */
static void as_on_the_wire(void **state)
{
	struct tw_result r = judge(fig(1, 10, 12));

	(void)state;
	jt_expect(&r, LEN, V_REFUTED, REL_INSIDE);
	jt_expect(&r, ALIGNED, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* The defect: the old claim text read 10 bytes and called it "refined"; 8 would confirm. */
static void eight_bytes_would_confirm(void **state)
{
	struct tw_result r = judge(fig(2, 8, 8));

	(void)state;
	jt_expect(&r, LEN, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, ALIGNED, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* One SYN without the option while timestamps are on: the kernel did not write it. */
static void missing_option_fails(void **state)
{
	struct timestamps_fig f = fig(1, 10, 12);
	struct tw_result r;

	(void)state;
	f.syn_len[7] = 0;
	r = judge(f);
	jt_expect(&r, LEN, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* tcp_timestamps=0: no option anywhere is not applicable; one is a fault. */
static void timestamps_off(void **state)
{
	struct timestamps_fig f = fig(0, 0, 0);
	struct tw_result r = judge(f);

	(void)state;
	jt_expect(&r, LEN, V_NA, REL_INSIDE);
	jt_expect(&r, ALIGNED, V_NA, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.later_fill[0] = 12;
	r = judge(f);
	jt_expect(&r, ALIGNED, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* A capture that holds no SYN decides nothing. */
static void capture_missed(void **state)
{
	struct timestamps_fig f = fig(1, 10, 12);
	struct tw_result r;

	(void)state;
	f.nsyn = 0;
	f.nlater = 0;
	r = judge(f);
	jt_expect(&r, LEN, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, ALIGNED, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(timestamps)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_on_the_wire),
		cmocka_unit_test(eight_bytes_would_confirm),
		cmocka_unit_test(missing_option_fails),
		cmocka_unit_test(timestamps_off),
		cmocka_unit_test(capture_missed),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge timestamps", tests, NULL, NULL);
}
