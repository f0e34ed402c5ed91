// SPDX-License-Identifier: GPL-2.0
/*
 * tw_recycle's judge on synthetic figures: the sysctl's presence on
 * kernels before 4.11 (init_net only), 4.11 (per namespace) and 4.12 on
 * (gone); SYNs older than the newest TSval from one NAT address at
 * tcp_timestamps 1 and 2.
 */
#include "judge_test.h"
#include "judges/tw_recycle.h"

#define SYSCTL	"A13.recycle_sysctl"
#define OLDER	"A13.nat_older_syns"

static struct tw_recycle_fig fig(unsigned int version, int ts, int older)
{
	return (struct tw_recycle_fig){
		.version = version, .timestamps = ts, .nconn = 100, .nsyn = 100,
		.older = older, .distinct = ts == 1 ? 100 : 1,
	};
}

JT_DEFINE_JUDGE(tw_recycle)

/* The defect: absence on 4.12 on was "not applicable"; it is what the article says. */
static void gone_since_4_12(void **state)
{
	struct tw_result r = judge(fig(KV(6, 18, 0), 1, 47));

	(void)state;
	jt_expect(&r, SYSCTL, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, OLDER, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Present on 6.18 would be a kernel other than its source; present on 4.11 is the article. */
static void present(void **state)
{
	struct tw_recycle_fig f = fig(KV(6, 18, 0), 1, 47);
	struct tw_result r;

	(void)state;
	f.lab_has = true;
	r = judge(f);
	jt_expect(&r, SYSCTL, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.version = KV(4, 11, 0);
	r = judge(f);
	jt_expect(&r, SYSCTL, V_CONFIRMED, REL_INSIDE);
	f.lab_has = false;
	r = judge(f);
	jt_expect(&r, SYSCTL, V_REFUTED, REL_OUTSIDE);
}

/* The defect: before 4.11 a lab reads "absent" on a kernel that has it. */
static void init_net_only_before_4_11(void **state)
{
	struct tw_recycle_fig f = fig(KV(4, 9, 0), 1, 0);
	struct tw_result r = judge(f);

	(void)state;
	jt_expect(&r, SYSCTL, V_INCONCLUSIVE, REL_STRADDLES);
	f.home_has = true;
	r = judge(f);
	jt_expect(&r, SYSCTL, V_CONFIRMED, REL_INSIDE);
	/* no offsets before 4.10: one clock, nothing older */
	jt_expect(&r, OLDER, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* tcp_timestamps=2: one clock, no SYN older; one older SYN would be a fault. */
static void one_clock(void **state)
{
	struct tw_recycle_fig f = fig(KV(6, 18, 0), 2, 0);
	struct tw_result r = judge(f);

	(void)state;
	jt_expect(&r, OLDER, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.older = 1;
	r = judge(f);
	jt_expect(&r, OLDER, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	/* at 1, none older out of 100 is no keyed offset at all */
	r = judge(fig(KV(6, 18, 0), 1, 0));
	jt_expect(&r, OLDER, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* SYNs the captures missed might have been the older ones: cannot tell. */
static void missed_syns(void **state)
{
	struct tw_recycle_fig f = fig(KV(6, 18, 0), 2, 0);
	struct tw_result r;

	(void)state;
	f.nsyn = 97;
	r = judge(f);
	jt_expect(&r, OLDER, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
	f.nsyn = 0;
	r = judge(f);
	jt_expect(&r, OLDER, V_INCONCLUSIVE, REL_STRADDLES);
}

JT_DEFINE_COVERAGE(tw_recycle)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gone_since_4_12),
		cmocka_unit_test(present),
		cmocka_unit_test(init_net_only_before_4_11),
		cmocka_unit_test(one_clock),
		cmocka_unit_test(missed_syns),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_recycle", tests, NULL, NULL);
}
