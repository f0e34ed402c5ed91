// SPDX-License-Identifier: GPL-2.0
/*
 * expand_count() and expand_instances(): families times the cross product of
 * the sysctl values, in odometer order, each instance named and given a
 * lab ID equal to its index (so concurrent labs never share addresses).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "expand.h"
#include "runner.h"

#define UNUSED __attribute__((unused))

/* Not registered: expand_instances() takes the cases it is handed. */
static const struct tw_case plain = { .name = "plain" };

static const struct tw_case two = {
	.name = "two",
	.vary = {
		{ "tcp_tw_reuse", { "0", "1", "2" } },
		{ "tcp_timestamps", { "0", "1" } },
	},
};

static const struct tw_case empty_values = {
	.name = "empty_values",
	.vary = { { "tcp_tw_reuse", { NULL } } },
};

/* All TW_MAX_VALUES slots used: the list has no NULL terminator. */
static const struct tw_case full = {
	.name = "full",
	.vary = { { "tcp_fin_timeout", { "1", "2", "3", "4", "5", "6", "7", "8" } } },
};

static const int both[] = { AF_INET, AF_INET6 };

static struct tw_instance *instances(int n)
{
	struct tw_instance *in = calloc(n, sizeof(*in));

	assert_non_null(in);
	return in;
}

/* @cases over @fam, into a fresh array of @n, which expand_instances() must fill exactly. */
static struct tw_instance *expand_exactly(const struct tw_case *const *cases, int ncases,
					  const int *fam, int nfam, int n)
{
	struct tw_instance *in = instances(n);

	assert_int_equal(expand_instances(cases, ncases, fam, nfam, NULL, 0, in, n), n);
	return in;
}

static void mx_size(void **state UNUSED)
{
	assert_int_equal(expand_count(&plain, 1), 1);
	assert_int_equal(expand_count(&plain, 2), 2);
	assert_int_equal(expand_count(&two, 1), 6);
	assert_int_equal(expand_count(&two, 2), 12);
	assert_int_equal(expand_count(&empty_values, 2), 0);
	assert_int_equal(expand_count(&full, 2), 16);
}

static void mx_plain(void **state UNUSED)
{
	const struct tw_case *cases[] = { &plain };
	struct tw_instance *in = instances(4);

	assert_int_equal(expand_instances(cases, 1, both, 2, NULL, 0, in, 4), 2);
	assert_string_equal(in[0].name, "plain.ipv4");
	assert_string_equal(in[1].name, "plain.ipv6");
	assert_ptr_equal(in[0].c, &plain);
	assert_int_equal(in[0].p.family, AF_INET);
	assert_int_equal(in[1].p.family, AF_INET6);
	assert_int_equal(in[0].p.nset, 0);
	assert_int_equal(in[1].p.nset, 0);
	assert_int_equal(in[0].lab_id, 0);
	assert_int_equal(in[1].lab_id, 1);
	free(in);
}

/* The last sysctl turns fastest, and each family gets the full product. */
static void mx_two_sysctls(void **state UNUSED)
{
	static const char *const names[] = {
		"two.ipv4.tcp_tw_reuse=0,tcp_timestamps=0",
		"two.ipv4.tcp_tw_reuse=0,tcp_timestamps=1",
		"two.ipv4.tcp_tw_reuse=1,tcp_timestamps=0",
		"two.ipv4.tcp_tw_reuse=1,tcp_timestamps=1",
		"two.ipv4.tcp_tw_reuse=2,tcp_timestamps=0",
		"two.ipv4.tcp_tw_reuse=2,tcp_timestamps=1",
		"two.ipv6.tcp_tw_reuse=0,tcp_timestamps=0",
		"two.ipv6.tcp_tw_reuse=0,tcp_timestamps=1",
		"two.ipv6.tcp_tw_reuse=1,tcp_timestamps=0",
		"two.ipv6.tcp_tw_reuse=1,tcp_timestamps=1",
		"two.ipv6.tcp_tw_reuse=2,tcp_timestamps=0",
		"two.ipv6.tcp_tw_reuse=2,tcp_timestamps=1",
	};
	static const char *const reuse[] = { "0", "0", "1", "1", "2", "2" };
	static const char *const ts[] = { "0", "1", "0", "1", "0", "1" };
	const struct tw_case *cases[] = { &two };
	struct tw_instance *in = expand_exactly(cases, 1, both, 2, 12);

	for (int i = 0; i < 12; i++) {
		assert_string_equal(in[i].name, names[i]);
		assert_ptr_equal(in[i].c, &two);
		assert_int_equal(in[i].p.family, i < 6 ? AF_INET : AF_INET6);
		assert_int_equal(in[i].p.nset, 2);
		assert_string_equal(in[i].p.set[0].key, "tcp_tw_reuse");
		assert_string_equal(in[i].p.set[0].val, reuse[i % 6]);
		assert_string_equal(in[i].p.set[1].key, "tcp_timestamps");
		assert_string_equal(in[i].p.set[1].val, ts[i % 6]);
		assert_int_equal(in[i].lab_id, i);
		assert_int_equal(in[i].r.nverdicts, 0);
	}
	/* the parameters are what tw_param() hands a case */
	assert_string_equal(tw_param(&in[3].p, "tcp_timestamps"), "1");
	assert_string_equal(tw_param(&in[3].p, "tcp_tw_reuse"), "1");
	assert_null(tw_param(&in[3].p, "tcp_fin_timeout"));
	free(in);
}

/* Cases one after another, each family in turn; lab IDs run on across cases. */
static void mx_several_cases(void **state UNUSED)
{
	const struct tw_case *cases[] = { &plain, &two, &plain };
	struct tw_instance *in = expand_exactly(cases, 3, both, 2, 16);

	assert_string_equal(in[0].name, "plain.ipv4");
	assert_string_equal(in[1].name, "plain.ipv6");
	assert_string_equal(in[2].name, "two.ipv4.tcp_tw_reuse=0,tcp_timestamps=0");
	assert_string_equal(in[13].name, "two.ipv6.tcp_tw_reuse=2,tcp_timestamps=1");
	assert_string_equal(in[14].name, "plain.ipv4");
	assert_string_equal(in[15].name, "plain.ipv6");
	for (int i = 0; i < 16; i++)
		assert_int_equal(in[i].lab_id, i);
	free(in);
}

/* One case over one family: every value in order, whatever its count or family. */
static void mx_one_case_one_family(void **state UNUSED)
{
	static const struct {
		const struct tw_case *c;
		int family, n;
		const char *first, *last;
	} t[] = {
		{ &two, AF_INET6, 6, "two.ipv6.tcp_tw_reuse=0,tcp_timestamps=0",
		  "two.ipv6.tcp_tw_reuse=2,tcp_timestamps=1" },
		{ &full, AF_INET, 8, "full.ipv4.tcp_fin_timeout=1", "full.ipv4.tcp_fin_timeout=8" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const struct tw_case *cases[] = { t[i].c };
		struct tw_instance *in = expand_exactly(cases, 1, &t[i].family, 1, t[i].n);

		assert_string_equal(in[0].name, t[i].first);
		assert_string_equal(in[t[i].n - 1].name, t[i].last);
		free(in);
	}
}

/* A sysctl with no values leaves nothing to run: zero, not an error. */
static void mx_empty_values(void **state UNUSED)
{
	const struct tw_case *cases[] = { &empty_values, &plain };
	struct tw_instance *in = expand_exactly(cases, 2, both, 2, 2);

	assert_string_equal(in[0].name, "plain.ipv4");
	assert_int_equal(in[0].lab_id, 0);
	free(in);
}

static void mx_too_small(void **state UNUSED)
{
	const struct tw_case *cases[] = { &two };
	const struct tw_case *plains[] = { &plain };
	struct tw_instance *in = instances(12);

	assert_int_equal(expand_instances(cases, 1, both, 2, NULL, 0, in, 11), -E2BIG);
	assert_int_equal(expand_instances(cases, 1, both, 2, NULL, 0, in, 6), -E2BIG);
	assert_int_equal(expand_instances(plains, 1, both, 2, NULL, 0, in, 1), -E2BIG);
	assert_int_equal(expand_instances(plains, 1, both, 2, NULL, 0, in, 0), -E2BIG);
	/* exactly enough room is enough */
	assert_int_equal(expand_instances(cases, 1, both, 2, NULL, 0, in, 12), 12);
	free(in);
}

/* Long keys and values: the name is cut, terminated, never overrun. */
static void mx_long_name(void **state UNUSED)
{
	static const struct tw_case wide = {
		.name = "a_case_with_a_rather_long_name_indeed",
		.vary = {
			{ "net.ipv4.tcp_max_tw_buckets_and_then_some", { "262144" } },
			{ "net.ipv4.tcp_fin_timeout_but_longer_still", { "60" } },
			{ "net.ipv4.tcp_timestamps_with_a_long_tail_x", { "1" } },
			{ "net.ipv4.tcp_tw_reuse_with_yet_another_tail", { "2" } },
		},
	};
	static const int v4[] = { AF_INET };
	const struct tw_case *cases[] = { &wide };
	struct tw_instance *in = expand_exactly(cases, 1, v4, 1, 1);

	assert_int_equal(strlen(in[0].name), INSTANCE_NAME_LEN - 1);
	assert_memory_equal(in[0].name,
			    "a_case_with_a_rather_long_name_indeed.ipv4."
			    "net.ipv4.tcp_max_tw_buckets_and_then_some=262144,", 92);
	assert_int_equal(in[0].p.nset, 4);
	free(in);
}

static const struct tw_case slow = { .name = "slow", .time_limit_s = 90 };
static const struct tw_case quick = { .name = "quick", .time_limit_s = 30 };

/* The longest time limit starts first; equals keep the plan's order. */
static void mx_start_order(void **state UNUSED)
{
	const struct tw_case *plan[] = { &quick, &plain, &slow, &quick, &slow };
	struct tw_instance in[5] = { 0 };
	int order[5];
	const int want[] = { 1, 2, 4, 0, 3 };	/* plain: the default 120 s */

	for (int i = 0; i < 5; i++)
		in[i].c = plan[i];
	runner_order(in, 5, order);
	for (int i = 0; i < 5; i++)
		assert_int_equal(order[i], want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mx_size),
		cmocka_unit_test(mx_plain),
		cmocka_unit_test(mx_two_sysctls),
		cmocka_unit_test(mx_several_cases),
		cmocka_unit_test(mx_one_case_one_family),
		cmocka_unit_test(mx_empty_values),
		cmocka_unit_test(mx_too_small),
		cmocka_unit_test(mx_long_name),
		cmocka_unit_test(mx_start_order),
	};

	return cmocka_run_group_tests_name("matrix", tests, NULL, NULL);
}
