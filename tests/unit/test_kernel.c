// SPDX-License-Identifier: GPL-2.0
/*
 * Finding HZ: from a kernel config line, or by rounding a measured tick
 * rate to the nearest value kernel/Kconfig.hz offers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"

#define UNUSED __attribute__((unused))

static void config_hz_set(void **state UNUSED)
{
	assert_int_equal(kernel_config_hz("CONFIG_HZ=250\n"), 250);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=1000"), 1000);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=100\n"), 100);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=300\n"), 300);
}

/* The lines around CONFIG_HZ in a real config must not be taken for it. */
static void config_hz_other_lines(void **state UNUSED)
{
	assert_int_equal(kernel_config_hz("CONFIG_HZ_250=y\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ_1000=y"), 0);
	assert_int_equal(kernel_config_hz("# CONFIG_HZ is not set\n"), 0);
	assert_int_equal(kernel_config_hz("# CONFIG_HZ_300 is not set\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ_PERIODIC=y\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_NO_HZ_IDLE=y\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=0\n"), 0);
	assert_int_equal(kernel_config_hz(" CONFIG_HZ=250\n"), 0);
	assert_int_equal(kernel_config_hz("\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=-250\n"), 0);
	assert_int_equal(kernel_config_hz("CONFIG_HZ=250junk\n"), 0);
	assert_int_equal(kernel_config_hz(""), 0);
}

/* The choices themselves, and measurements that miss by a little. */
static void hz_nearest(void **state UNUSED)
{
	assert_int_equal(kernel_hz_nearest(248.7), 250);
	assert_int_equal(kernel_hz_nearest(99), 100);
	assert_int_equal(kernel_hz_nearest(310), 300);
	assert_int_equal(kernel_hz_nearest(990), 1000);
	assert_int_equal(kernel_hz_nearest(100), 100);
	assert_int_equal(kernel_hz_nearest(250), 250);
	assert_int_equal(kernel_hz_nearest(300), 300);
	assert_int_equal(kernel_hz_nearest(1000), 1000);
}

/* Far outside: the extremes; between two choices: the closer one. */
static void hz_nearest_range(void **state UNUSED)
{
	assert_int_equal(kernel_hz_nearest(0), 100);
	assert_int_equal(kernel_hz_nearest(-50), 100);
	assert_int_equal(kernel_hz_nearest(5000), 1000);
	assert_int_equal(kernel_hz_nearest(174), 100);
	assert_int_equal(kernel_hz_nearest(176), 250);
	assert_int_equal(kernel_hz_nearest(274), 250);
	assert_int_equal(kernel_hz_nearest(276), 300);
	assert_int_equal(kernel_hz_nearest(649), 300);
	assert_int_equal(kernel_hz_nearest(651), 1000);
}

/* A fresh namespace's value; NULL where the kernel lacks the sysctl or it was not probed. */
static void default_lookup(void **state UNUSED)
{
	struct kernel_info k = {
		.ndefaults = 2,
		.defaults = { { "tcp_tw_reuse", true, "2" }, { "tcp_tw_recycle", false, "" } },
	};

	assert_string_equal(kernel_default(&k, "tcp_tw_reuse"), "2");
	assert_null(kernel_default(&k, "tcp_tw_recycle"));
	assert_null(kernel_default(&k, "tcp_fin_timeout"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_hz_set),
		cmocka_unit_test(config_hz_other_lines),
		cmocka_unit_test(hz_nearest),
		cmocka_unit_test(hz_nearest_range),
		cmocka_unit_test(default_lookup),
	};

	return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
