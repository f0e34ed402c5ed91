// SPDX-License-Identifier: GPL-2.0
/*
 * tw_reuse against the real kernel: the whole matrix once, then each
 * instance's verdicts against what tcp_twsk_unique() predicts for its
 * sysctls (K06, K07, K08), recomputed here.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "expect.h"

static json_t *run_case(const char *args)
{
	char path[] = "/tmp/twlab-reuse-XXXXXX", cmd[512];
	json_t *root;
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s run %s --json %s >/dev/null", getenv("TWLAB"), args, path);
	print_message("running: %s\n", cmd);
	if (system(cmd) != 0)
		print_message("twlab exited non-zero\n");
	root = json_load_file(path, 0, NULL);
	unlink(path);
	return root;
}

static int setup(void **state)
{
	if (!getenv("TWLAB") || geteuid()) {
		*state = NULL;
		return 0;
	}
	*state = run_case("tw_reuse");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	json_decref(*state);
	return 0;
}

static int param(json_t *in, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(in, "params"), key));

	return v ? atoi(v) : -1;
}

static json_t *verdict(json_t *in, const char *what)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(in, "claims"), i, v)
		if (strstr(json_string_value(json_object_get(v, "what")), what))
			return v;
	return NULL;
}

/* The path's verdict: bounds within the K08 window, or no reuse at all. */
static void check_path(json_t *in, const char *path, bool loopback)
{
	int reuse = param(in, "tcp_tw_reuse"), ts = param(in, "tcp_timestamps");
	int delay = param(in, "tcp_tw_reuse_delay");
	bool want = ts && (reuse == 1 || (reuse == 2 && loopback));
	json_t *v = verdict(in, path), *b;
	double lo, hi;

	assert_non_null(v);
	b = json_object_get(v, "bounds");
	if (!want) {
		assert_true(json_is_null(json_object_get(v, "measured")));
		assert_null(b);
		return;
	}
	assert_non_null(b);
	expect_reuse_window(delay > 0 ? delay : 0, &lo, &hi);
	double above = json_number_value(json_object_get(b, "above"));
	double at_most = json_number_value(json_object_get(b, "at_most"));

	assert_true(at_most - above <= 10);	/* the search's resolution */
	assert_true(above < hi + 1 && at_most > lo);
	print_message("%s %s: (%.2f, %.2f] ms, K08 window (%.0f, %.0f]\n",
		      json_string_value(json_object_get(in, "name")), path, above, at_most, lo, hi);
}

static void test_matrix_is_complete(void **state)
{
	json_t *in;
	size_t i;

	if (!*state)
		skip();
	/* 3 x 2 x 3 values, both families */
	assert_int_equal(json_array_size(json_object_get(*state, "instances")), 36);
	json_array_foreach(json_object_get(*state, "instances"), i, in)
		assert_string_equal(json_string_value(json_object_get(in, "result")), "pass");
}

static void test_outgoing_reuse(void **state)
{
	json_t *in;
	size_t i;

	if (!*state)
		skip();
	json_array_foreach(json_object_get(*state, "instances"), i, in) {
		check_path(in, "over veth", false);
		check_path(in, "over loopback", true);
	}
}

/* K05: an incoming SYN takes over the server's TIME_WAIT at every setting. */
static void test_incoming_ignores_tw_reuse(void **state)
{
	json_t *in;
	size_t i;

	if (!*state)
		skip();
	json_array_foreach(json_object_get(*state, "instances"), i, in) {
		json_t *v = verdict(in, "incoming SYN");

		assert_non_null(v);
		assert_true(json_is_number(json_object_get(v, "measured")));
		assert_string_equal(json_string_value(json_object_get(v, "verdict")), "refined");
	}
}

/* Only the instance at the kernel's defaults reports the default. */
static void test_default_reported_once_per_family(void **state)
{
	json_t *in, *defaults;
	size_t i;
	int n = 0;

	if (!*state)
		skip();
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	json_array_foreach(json_object_get(*state, "instances"), i, in) {
		json_t *v = verdict(in, "default");

		if (!v)
			continue;
		n++;
		assert_int_equal(json_number_value(json_object_get(v, "measured")),
				 atoi(json_string_value(json_object_get(defaults, "tcp_tw_reuse"))));
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

	return cmocka_run_group_tests_name("tw_reuse (root, real kernel)", tests, setup, teardown);
}
