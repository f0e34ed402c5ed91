// SPDX-License-Identifier: GPL-2.0
/*
 * tw_memory against the real kernel.  The figures it is held to are read
 * here again, by other means than the case used: the cache's slab size
 * from sysfs or /proc/slabinfo, the boot log through syslog(2) rather
 * than /dev/kmsg, the ehash sizes from this namespace's /proc/sys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#include <cmocka.h>

#include "itest.h"

#define ROUNDS		5	/* the case's rounds of 2000 TIME_WAIT sockets */
#define TOLERANCE	0.10
#define EHASH_LOG	"TCP established hash table entries:"
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

static int setup(void **state)
{
	return itest_run(state, "tw_memory");
}

static bool read_long(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok;
}

/* Bytes per object of @cache: SLUB's sysfs, else the objsize column. */
static long slab_size(const char *cache)
{
	char path[256], line[512], name[64];
	long size = -1, a, n, sz;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slab_size", cache);
	if (read_long(path, &size))
		return size;
	f = fopen("/proc/slabinfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &a, &n, &sz) == 4 && !strcmp(name, cache))
			size = sz;
	fclose(f);
	return size;
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
	json_t *in, *v, *s;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		const char *cache = strcmp(itest_str(in, "family"), "ipv6") ?
				    "tw_sock_TCP" : "tw_sock_TCPv6";
		long size = slab_size(cache);

		v = itest_verdict(in, "memory per TIME_WAIT socket");
		assert_string_equal(itest_str(v, "id"), "A07");
		assert_string_equal(itest_str(v, "fact"), "K11");
		if (size < 0) {
			itest_assert_verdict(v, "not applicable");
			continue;
		}
		assert_non_null(strstr(itest_str(v, "what"), cache));
		itest_assert_verdict(v, "refuted");
		assert_string_equal(itest_str(v, "unit"), "bytes");
		assert_true(itest_expected(v, 0) == (1 - TOLERANCE) * size);
		assert_true(itest_expected(v, 1) == (1 + TOLERANCE) * size);
		assert_true(itest_num(v, "measured") > (1 - TOLERANCE) * size);
		assert_true(itest_num(v, "measured") <= (1 + TOLERANCE) * size);
		s = json_object_get(v, "samples");
		assert_int_equal(json_integer_value(json_object_get(s, "n")), ROUNDS);
		print_message("%s: %.1f B per TIME_WAIT socket (%.1f..%.1f), %s %ld B\n",
			      itest_str(in, "name"), itest_num(v, "measured"), itest_num(s, "min"),
			      itest_num(s, "max"), cache, size);
	}
}

/* The article's 8 bytes: one pointer per ehash bucket, per the boot log. */
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
			itest_assert_verdict(v, "not applicable");
			continue;
		}
		itest_assert_verdict(v, "refined");
		assert_true(itest_num(v, "measured") == (double)bytes / entries);
		assert_true(itest_expected(v, 0) == sizeof(void *));
	}
}

static long roundup_pow_of_two(long n)
{
	long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* K12: a lab shares the global ehash unless our tcp_child_ehash_entries is set. */
static void test_ehash_of_a_namespace(void **state)
{
	long ehash, child, want;
	unsigned long entries, bytes;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	if (!read_long("/proc/sys/net/ipv4/tcp_ehash_entries", &ehash) ||
	    !read_long("/proc/sys/net/ipv4/tcp_child_ehash_entries", &child)) {
		json_array_foreach(itest_instances(*state), i, in)
			itest_assert_verdict(itest_verdict(in, "tcp_ehash_entries"),
					     "not applicable");
		return;
	}
	want = child ? roundup_pow_of_two(child) : -ehash;
	if (boot_ehash(&entries, &bytes))
		assert_int_equal(entries, ehash);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "tcp_ehash_entries");
		assert_string_equal(itest_str(v, "id"), "A06");
		assert_string_equal(itest_str(v, "fact"), "K12");
		assert_true(itest_num(v, "measured") == want);
		assert_true(itest_expected(v, 0) == want);
		itest_assert_verdict(v, "refined");
	}
}

/*
 * The bind hash refuses the TIME_WAIT socket's port; the ehash lookup of
 * its 4-tuple hands it over when the lab has timestamps (K06).
 */
static void test_bind_and_ehash_lookup(void **state)
{
	json_t *defaults, *in, *v;
	int ts;
	size_t i;

	ITEST_NEED_RUN(state);
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	ts = atoi(itest_str(defaults, "tcp_timestamps"));
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "bind() to a TIME_WAIT socket's port");
		assert_true(itest_num(v, "measured") == 1);
		assert_non_null(strstr(itest_str(v, "evidence"), "Address already in use"));
		itest_assert_verdict(v, "confirmed");

		v = itest_verdict(in, "connect() onto a TIME_WAIT 4-tuple");
		assert_string_equal(itest_str(v, "fact"), "K06");
		assert_true(itest_num(v, "measured") == (ts ? 0 : 1));
		assert_true(itest_expected(v, 0) == (ts ? 0 : 1));
		itest_assert_verdict(v, "confirmed");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_bytes_per_socket),
		cmocka_unit_test(test_bytes_per_bucket),
		cmocka_unit_test(test_ehash_of_a_namespace),
		cmocka_unit_test(test_bind_and_ehash_lookup),
	};

	return cmocka_run_group_tests_name("tw_memory (root, real kernel)", tests,
					   setup, itest_free);
}
