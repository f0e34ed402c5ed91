// SPDX-License-Identifier: GPL-2.0
/*
 * tw_memory against the real kernel.  The figures it is held to: the
 * cache's slab size as lib/slab.c reads it (the case's figure is what its
 * rounds grew the cache by, not that size), and the boot line, read here
 * again by other means than the case used: syslog(2), not /dev/kmsg.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "slab.h"

#define TOLERANCE	0.10
#define EHASH_LOG	"TCP established hash table entries:"
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

static int setup(void **state)
{
	return itest_run(state, "tw_memory");
}

/* The boot line, from the ring as syslog(2) returns it: false if gone. */
static bool boot_ehash(unsigned long *entries, unsigned long *bytes)
{
	int len = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), order;
	char *buf, *line;
	bool found = false;

	assert_true(len > 0);
	buf = calloc(1, len + 1);
	assert_non_null(buf);
	len = klogctl(SYSLOG_ACTION_READ_ALL, buf, len);
	assert_true(len >= 0);
	line = strstr(buf, EHASH_LOG);
	if (line)
		found = sscanf(line + strlen(EHASH_LOG), " %lu (order: %d, %lu bytes",
			       entries, &order, bytes) == 3;
	free(buf);
	return found;
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "tw_memory", 2);
}

/* K11: one slab object per TIME_WAIT socket, not the article's 8 bytes. */
static void test_bytes_per_socket(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		const char *cache = strcmp(itest_str(in, "family"), "ipv6") ?
				    "tw_sock_TCP" : "tw_sock_TCPv6";
		struct slab_cache c;
		long size = slab_cache_info(cache, &c) ? -1 : c.size;

		v = itest_verdict(in, "slab memory per TIME_WAIT socket");
		assert_string_equal(itest_str(v, "id"), "A07");
		assert_string_equal(itest_str(v, "fact"), "K11");
		if (size < 0) {
			itest_assert_verdict(v, "inconclusive");
			continue;
		}
		itest_assert_verdict(v, "refuted");
		assert_string_equal(itest_str(v, "unit"), "bytes");
		/* the facts' window holds this kernel's object */
		assert_true(itest_expected(v, 0) <= size && size <= itest_expected(v, 1));
		assert_true(itest_num(v, "measured") > (1 - TOLERANCE) * size);
		assert_true(itest_num(v, "measured") <= (1 + TOLERANCE) * size);
		print_message("%s: %.1f B per TIME_WAIT socket, %s %ld B\n",
			      itest_str(in, "name"), itest_num(v, "measured"), cache, size);
	}
}

/* The article's 8 bytes: one pointer per ehash bucket, per the boot log; none per socket. */
static void test_bytes_per_bucket(void **state)
{
	unsigned long entries, bytes;
	bool found;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	found = boot_ehash(&entries, &bytes);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "bytes per ehash bucket");
		assert_string_equal(itest_str(v, "id"), "A07");
		if (!found) {
			itest_assert_verdict(v, "inconclusive");
			continue;
		}
		itest_assert_verdict(v, "confirmed");
		assert_true(itest_num(v, "measured") == (double)bytes / entries);
		v = itest_verdict(in, "established-hash memory added per TIME_WAIT socket");
		if (access("/proc/sys/net/ipv4/tcp_ehash_entries", F_OK))
			continue;
		itest_assert_verdict(v, "refuted");
		assert_true(itest_num(v, "measured") == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_bytes_per_socket),
		cmocka_unit_test(test_bytes_per_bucket),
	};

	return cmocka_run_group_tests_name("tw_memory (root, real kernel)", tests,
					   setup, itest_free);
}
