// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl_path(): dotted or bare keys to /proc/sys paths, and nothing that
 * could leave /proc/sys/net: a lab must never write outside it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sysctl.h"

#define UNUSED __attribute__((unused))

static void check_path(const char *key, const char *want)
{
	char path[256];

	assert_int_equal(sysctl_path(key, path, sizeof(path)), 0);
	assert_string_equal(path, want);
}

static int path_err(const char *key)
{
	char path[256];

	return sysctl_path(key, path, sizeof(path));
}

/* A bare name is under net.ipv4, where the TCP sysctls live. */
static void sp_bare(void **state UNUSED)
{
	check_path("tcp_fin_timeout", "/proc/sys/net/ipv4/tcp_fin_timeout");
	check_path("tcp_tw_reuse", "/proc/sys/net/ipv4/tcp_tw_reuse");
	check_path("tcp_max_tw_buckets", "/proc/sys/net/ipv4/tcp_max_tw_buckets");
}

static void sp_dotted(void **state UNUSED)
{
	check_path("net.core.somaxconn", "/proc/sys/net/core/somaxconn");
	check_path("net.ipv4.tcp_fin_timeout", "/proc/sys/net/ipv4/tcp_fin_timeout");
	check_path("net.ipv4.ip_local_port_range", "/proc/sys/net/ipv4/ip_local_port_range");
	check_path("net.ipv4.conf.all.rp_filter", "/proc/sys/net/ipv4/conf/all/rp_filter");
	check_path("net.ipv6.conf.default.disable_ipv6",
		   "/proc/sys/net/ipv6/conf/default/disable_ipv6");
}

static void sp_rejects(void **state UNUSED)
{
	assert_int_equal(path_err(""), -EINVAL);
	assert_int_equal(path_err("../x"), -EINVAL);
	assert_int_equal(path_err("a/b"), -EINVAL);
	assert_int_equal(path_err("/etc/passwd"), -EINVAL);
	assert_int_equal(path_err(".."), -EINVAL);
	assert_int_equal(path_err("net..ipv4"), -EINVAL);	/* becomes net//ipv4 */
	assert_int_equal(path_err("net.ipv4..tcp_tw_reuse"), -EINVAL);
	assert_int_equal(path_err("net.ipv4.tcp_tw_reuse."), -EINVAL);
}

/* Only net.* lives in a network namespace: the rest would be the host's. */
static void sp_rejects_host_wide(void **state UNUSED)
{
	assert_int_equal(path_err("kernel.core_pattern"), -EINVAL);
	assert_int_equal(path_err("vm.swappiness"), -EINVAL);
	assert_int_equal(path_err(".vm.swappiness"), -EINVAL);
	assert_int_equal(path_err("net."), -EINVAL);
	assert_int_equal(path_err("network.x"), -EINVAL);
}

/* Too long for the buffer: an error, with the buffer still a string. */
static void sp_too_long(void **state UNUSED)
{
	char path[24], exact[sizeof("/proc/sys/net/ipv4/tcp_fin_timeout")];

	assert_int_equal(sysctl_path("tcp_fin_timeout", path, sizeof(path)), -ENAMETOOLONG);
	assert_true(memchr(path, '\0', sizeof(path)) != NULL);
	/* room for the path and its NUL is enough; one byte less is not */
	assert_int_equal(sysctl_path("tcp_fin_timeout", exact, sizeof(exact) - 1),
			 -ENAMETOOLONG);
	assert_int_equal(sysctl_path("tcp_fin_timeout", exact, sizeof(exact)), 0);
	assert_string_equal(exact, "/proc/sys/net/ipv4/tcp_fin_timeout");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sp_bare),
		cmocka_unit_test(sp_dotted),
		cmocka_unit_test(sp_rejects),
		cmocka_unit_test(sp_rejects_host_wide),
		cmocka_unit_test(sp_too_long),
	};

	return cmocka_run_group_tests_name("sysctl", tests, NULL, NULL);
}
