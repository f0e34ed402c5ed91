// SPDX-License-Identifier: GPL-2.0
/*
 * closing_side's judge on synthetic counts: 50 connections per pattern,
 * one TIME_WAIT per connection at the end that closed first (K02).
 */
#include "judge_test.h"
#include "judges/closing_side.h"

static const char *const id[CS_NPATTERNS][LAB_PAIR_HOSTS] = {
	[CS_CLIENT_CLOSES] = { [LAB_CLIENT] = "A09.client_closes.client",
			       [LAB_SERVER] = "A09.client_closes.server" },
	[CS_SERVER_CLOSES] = { [LAB_CLIENT] = "A09.server_closes.client",
			       [LAB_SERVER] = "A09.server_closes.server" },
	[CS_KEEP_ALIVE]    = { [LAB_CLIENT] = "A09.keep_alive.client",
			       [LAB_SERVER] = "A09.keep_alive.server" },
};

static struct closing_side_fig fig(void)
{
	struct closing_side_fig f;

	f.p[CS_CLIENT_CLOSES] = (struct cs_counted){ 50, 1, LAB_CLIENT, 8100, { 0 } };
	f.p[CS_SERVER_CLOSES] = (struct cs_counted){ 50, 1, LAB_SERVER, 8101, { 0 } };
	f.p[CS_KEEP_ALIVE] = (struct cs_counted){ 1, 50, LAB_CLIENT, 8102, { 0 } };
	for (int p = 0; p < CS_NPATTERNS; p++)
		f.p[p].tw[f.p[p].first] = f.p[p].conns;
	return f;
}

JT_DEFINE_JUDGE(closing_side)

static void expect_all(const struct tw_result *r, enum tw_verdict_kind kind, enum tw_rel rel)
{
	for (int p = 0; p < CS_NPATTERNS; p++)
		for (int h = 0; h < LAB_PAIR_HOSTS; h++)
			jt_expect(r, id[p][h], kind, rel);
}

static void as_k02_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	expect_all(&r, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Every count off by one, up or down: each sub-claim leaves its kernel window. */
static void off_by_one_fails(void **state)
{
	struct closing_side_fig f = fig();
	struct tw_result r;

	(void)state;
	for (int p = 0; p < CS_NPATTERNS; p++) {
		f.p[p].tw[f.p[p].first]--;
		f.p[p].tw[!f.p[p].first]++;
	}
	r = judge(f);
	expect_all(&r, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * Issue 10: the client's 50 were "refined" by hand.  The article does not
 * speak of them: the sub-claim is the project's, and its verdict follows
 * from the count alone.
 */
static void the_clients_count_is_the_projects(void **state)
{
	struct closing_side_fig f = fig();
	struct tw_result r;

	(void)state;
	assert_non_null(strstr(subclaim_find(id[CS_CLIENT_CLOSES][LAB_CLIENT])->article,
			       "(project)"));
	assert_null(strstr(subclaim_find(id[CS_CLIENT_CLOSES][LAB_SERVER])->article,
			   "(project)"));
	f.p[CS_KEEP_ALIVE].tw[LAB_CLIENT] = 50;	/* one per exchange: not what K02 says */
	r = judge(f);
	jt_expect(&r, id[CS_KEEP_ALIVE][LAB_CLIENT], V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, id[CS_CLIENT_CLOSES][LAB_CLIENT], V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_FAIL);
	assert_true(jt_verdict(&r, id[CS_KEEP_ALIVE][LAB_CLIENT])->kern.lo == 1);
}

JT_DEFINE_COVERAGE(closing_side)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_k02_says),
		cmocka_unit_test(off_by_one_fails),
		cmocka_unit_test(the_clients_count_is_the_projects),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge closing_side", tests, NULL, NULL);
}
