// SPDX-License-Identifier: GPL-2.0
/*
 * tw_reuse against the real kernel: the whole matrix once, then each
 * instance's figures against what tcp_twsk_unique() predicts for its
 * sysctls (K06, K07, K08), recomputed here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "tw_reuse");
}

static json_t *subclaim(json_t *in, const char *id)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(in, "claims"), i, v)
		if (!strcmp(itest_str(v, "subclaim"), id))
			return v;
	return NULL;
}

/* Taken over exactly where K07 says; where K08 counts ms, at the stamp's ms + delay + 1. */
static void check_path(json_t *in, const char *path, bool loopback)
{
	int reuse = itest_param(in, "tcp_tw_reuse"), ts = itest_param(in, "tcp_timestamps");
	int delay = itest_param(in, "tcp_tw_reuse_delay");
	bool want = ts && (reuse == 1 || (reuse == 2 && loopback));
	char id[64];
	json_t *v;

	snprintf(id, sizeof(id), "A11.reuse_taken.%s", path);
	v = subclaim(in, id);
	assert_non_null(v);
	assert_int_equal(itest_num(v, "measured"), want);
	snprintf(id, sizeof(id), "A11.reuse_threshold.%s", path);
	v = subclaim(in, id);
	if (!want) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	if (delay > 0 && strcmp(itest_str(v, "verdict"), "inconclusive"))
		assert_int_equal(itest_num(v, "measured"), delay + 1);
	print_message("%s %s: %s %s\n", itest_str(in, "name"), path,
		      itest_str(v, "verdict"), itest_str(v, "evidence"));
}

static void test_matrix_is_complete(void **state)
{
	ITEST_NEED_RUN(state);
	/* 3 x 2 x 3 values, both families */
	itest_assert_case_passed(*state, "tw_reuse", 36);
}

static void test_outgoing_reuse(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check_path(in, "veth", false);
		check_path(in, "loopback", true);
	}
}

/* K05: an incoming SYN takes over the server's TIME_WAIT at every setting. */
static void test_incoming_ignores_tw_reuse(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = subclaim(in, "A11.incoming_syn");

		assert_non_null(v);
		assert_int_equal(itest_num(v, "measured"), 1);
		itest_assert_verdict(v, "refuted");
	}
}

/* Only the instance at the kernel's defaults reports the default. */
static void test_default_reported_once_per_family(void **state)
{
	json_t *in, *defaults;
	size_t i;
	int n = 0;

	ITEST_NEED_RUN(state);
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = subclaim(in, "A11.reuse_default");

		if (!v)
			continue;
		n++;
		assert_int_equal(itest_num(v, "measured"), atoi(itest_str(defaults, "tcp_tw_reuse")));
	}
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_is_complete),
		cmocka_unit_test(test_outgoing_reuse),
		cmocka_unit_test(test_incoming_ignores_tw_reuse),
		cmocka_unit_test(test_default_reported_once_per_family),
	};

	return cmocka_run_group_tests_name("tw_reuse (root, real kernel)", tests, setup, itest_free);
}
