// SPDX-License-Identifier: GPL-2.0
/*
 * tw_ehash's judge on synthetic figures: a 6.18 host whose global ehash
 * has 262144 buckets, twlab started in init_net, in a namespace that
 * shares the global table (a container, `unshare --net`), or in one whose
 * tcp_child_ehash_entries gives new namespaces their own.
 */
#include <errno.h>

#include "judge_test.h"
#include "judges/tw_ehash.h"

#define TABLE	"A06.lab_ehash_entries"
#define BIND	"A06.bind_refused"
#define LOOKUP	"A06.ehash_lookup"
#define GLOBAL	262144

static struct tw_ehash_fig fig(void)
{
	return (struct tw_ehash_fig){
		.lab = { .sysctl = true, .entries = -GLOBAL },
		.home = { .sysctl = true, .entries = GLOBAL }, .boot = { .entries = GLOBAL },
		.port = 40000, .timestamps = 1, .bind_err = -EADDRINUSE, .est_after = true,
	};
}

JT_DEFINE_JUDGE(tw_ehash)

static void from_init_net(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, TABLE, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, BIND, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, LOOKUP, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * The defect: twlab in a namespace that shares the global table reads
 * -262144 at home, and `want = -home_ehash` expected +262144 of the lab.
 */
static void from_a_sharing_namespace(void **state)
{
	struct tw_ehash_fig f = fig();
	struct tw_result r;

	(void)state;
	f.home.entries = -GLOBAL;
	r = judge(f);
	jt_expect(&r, TABLE, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	assert_true(jt_verdict(&r, TABLE)->kern.lo == -GLOBAL);
	/* and no boot line: the home's negated size is the global table's */
	f.boot.entries = 0;
	r = judge(f);
	jt_expect(&r, TABLE, V_CONFIRMED, REL_INSIDE);
	/* a lab with a table of its own, though the home would not give one */
	f.lab.entries = 1024;
	r = judge(f);
	jt_expect(&r, TABLE, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* A home with tcp_child_ehash_entries=1000: each lab gets 1024 buckets of its own. */
static void from_a_namespace_that_gives_tables(void **state)
{
	struct tw_ehash_fig f = fig();
	struct tw_result r;

	(void)state;
	f.home.child = 1000;
	f.lab.entries = 1024;
	r = judge(f);
	jt_expect(&r, TABLE, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.lab.entries = -GLOBAL;
	r = judge(f);
	jt_expect(&r, TABLE, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* A home with a table of its own and no boot line: any shared table will do. */
static void global_unknown(void **state)
{
	struct tw_ehash_fig f = fig();
	struct tw_result r;

	(void)state;
	f.home.entries = 4096;
	f.boot.entries = 0;
	r = judge(f);
	jt_expect(&r, TABLE, V_CONFIRMED, REL_INSIDE);
	assert_true(isinf(jt_verdict(&r, TABLE)->kern.lo));
	f.lab.sysctl = false;
	r = judge(f);
	jt_expect(&r, TABLE, V_NA, REL_INSIDE);
}

static void bind_and_lookup_fail(void **state)
{
	struct tw_ehash_fig f = fig();
	struct tw_result r;

	(void)state;
	f.bind_err = 0;
	f.est_after = false;
	f.tw_after = true;
	r = judge(f);
	jt_expect(&r, BIND, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, LOOKUP, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	/* without timestamps the lookup refuses and the TIME_WAIT stays */
	f = fig();
	f.timestamps = 0;
	f.connect_err = -EADDRNOTAVAIL;
	f.est_after = false;
	f.tw_after = true;
	r = judge(f);
	jt_expect(&r, LOOKUP, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

JT_DEFINE_COVERAGE(tw_ehash)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_init_net),
		cmocka_unit_test(from_a_sharing_namespace),
		cmocka_unit_test(from_a_namespace_that_gives_tables),
		cmocka_unit_test(global_unknown),
		cmocka_unit_test(bind_and_lookup_fail),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_ehash", tests, NULL, NULL);
}
