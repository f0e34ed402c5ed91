// SPDX-License-Identifier: GPL-2.0
/*
 * active_closer's judge on synthetic counts: one TIME_WAIT at the end
 * that closed first, none at the other (K02); the abortive close is the
 * project's sub-claim, never the article's.
 */
#include <errno.h>

#include "judge_test.h"
#include "judges/active_closer.h"

#define CC_C	"A01.client_closes.client"
#define CC_S	"A01.client_closes.server"
#define SC_S	"A01.server_closes.server"
#define SC_C	"A01.server_closes.client"
#define L_TW	"A01.linger_tw"
#define L_RST	"A01.linger_rst"

static const char *const all[] = { CC_C, CC_S, SC_S, SC_C, L_TW, L_RST };

static struct active_closer_fig fig(void)
{
	struct active_closer_fig f = {
		.linger_rsts = 1, .linger_read = -ECONNRESET,
	};

	f.tw[AC_CLIENT_FIRST][LAB_CLIENT] = 1;
	f.tw[AC_SERVER_FIRST][LAB_SERVER] = 1;
	return f;
}

JT_DEFINE_JUDGE(active_closer)

static void as_k02_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		jt_expect(&r, all[i], V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* TIME_WAIT at the wrong end, or at both, or at neither: the kernel broke K02. */
static void wrong_end_fails(void **state)
{
	struct active_closer_fig f = fig();
	struct tw_result r;

	(void)state;
	f.tw[AC_CLIENT_FIRST][LAB_CLIENT] = 0;
	f.tw[AC_CLIENT_FIRST][LAB_SERVER] = 1;
	f.tw[AC_SERVER_FIRST][LAB_SERVER] = 0;
	f.tw[AC_SERVER_FIRST][LAB_CLIENT] = 1;
	r = judge(f);
	for (size_t i = 0; i < 4; i++)
		jt_expect(&r, all[i], V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(r.reason, CC_C));
}

/*
 * Issue 10: the SO_LINGER RST was counted under A01 as the article
 * confirmed.  It is the project's sub-claim: marked so, and judged by the
 * figure -- a TIME_WAIT after an abortive close, or no RST, fails.
 */
static void linger_is_the_projects(void **state)
{
	struct active_closer_fig f = fig();
	struct tw_result r;

	(void)state;
	r = judge(f);
	assert_non_null(strstr(subclaim_find(L_TW)->article, "(project)"));
	assert_non_null(strstr(subclaim_find(L_RST)->article, "(project)"));
	assert_non_null(strstr(jt_verdict(&r, L_RST)->what, "(project)"));
	f.linger_rsts = 0;
	f.linger_read = 0;
	f.linger_tw[LAB_CLIENT] = 1;
	r = judge(f);
	jt_expect(&r, L_TW, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, L_RST, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, CC_C, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(jt_verdict(&r, L_RST)->evidence, "EOF"));
}

JT_DEFINE_COVERAGE(active_closer)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_k02_says),
		cmocka_unit_test(wrong_end_fails),
		cmocka_unit_test(linger_is_the_projects),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge active_closer", tests, NULL, NULL);
}
