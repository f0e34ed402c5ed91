// SPDX-License-Identifier: GPL-2.0
/*
 * nat_ruleset(): the exact text nat_masquerade() hands libnftables, and
 * the interface names it refuses to put in it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lab.h"
#include "nat.h"

#define UNUSED __attribute__((unused))

static void nr_text(void **state UNUSED)
{
	char buf[512];

	assert_int_equal(nat_ruleset(buf, sizeof(buf), "tw-server"), 0);
	assert_string_equal(buf,
			    "table inet twlab {\n"
			    "\tchain postrouting {\n"
			    "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			    "\t\toifname \"tw-server\" masquerade\n"
			    "\t}\n"
			    "}\n");
}

/* What lab_nat_up() asks for: the router's end toward the server. */
static void nr_router_outside(void **state UNUSED)
{
	char buf[512], want[64];

	assert_int_equal(nat_ruleset(buf, sizeof(buf), lab_router_ifname(LAB_SERVER)), 0);
	snprintf(want, sizeof(want), "oifname \"%s\" masquerade", lab_router_ifname(LAB_SERVER));
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "table inet " NAT_TABLE " {"));
}

/* Nothing that nft could read as syntax, nothing the kernel would refuse. */
static void nr_bad_names(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "0123456789abcdef", "a\"b", "a b", "a;b", "a\nb", "a\\b", "a}", "a$b",
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nat_ruleset(buf, sizeof(buf), bad[i]), -EINVAL);
	assert_int_equal(nat_ruleset(buf, sizeof(buf), "0123456789abcde"), 0);	/* 15: fits */
	assert_int_equal(nat_ruleset(buf, sizeof(buf), "eth0.100_x-y"), 0);
}

static void nr_short_buffer(void **state UNUSED)
{
	char buf[64];

	assert_int_equal(nat_ruleset(buf, sizeof(buf), "tw-server"), -ENOSPC);
	assert_int_equal(nat_ruleset(buf, 0, "tw-server"), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nr_text),
		cmocka_unit_test(nr_router_outside),
		cmocka_unit_test(nr_bad_names),
		cmocka_unit_test(nr_short_buffer),
	};

	return cmocka_run_group_tests_name("nat_ruleset", tests, NULL, NULL);
}
