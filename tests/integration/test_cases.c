// SPDX-License-Identifier: GPL-2.0
/*
 * Root integration tests: run the cases of the first three claims once,
 * as a user would (`twlab run A01 A02 A08 --json`), then assert each
 * case's verdicts and figures.
 * The expectations are recomputed here from the kernel facts, not copied
 * from the run, so a harness that reported nonsense would fail.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "expect.h"

static char json_path[] = "/tmp/twlab-itest-XXXXXX";

struct run {
	json_t *root;
	int status;
};

static const char *twlab(void)
{
	return getenv("TWLAB");
}

static int run_suite(void **state)
{
	static struct run run;
	char cmd[512];
	int fd;

	if (!twlab() || geteuid()) {
		print_message("integration tests need root and TWLAB=path/to/twlab\n");
		*state = NULL;
		return 0;
	}
	fd = mkstemp(json_path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s run A01 A02 A08 --json %s", twlab(), json_path);
	print_message("running: %s\n", cmd);
	run.status = system(cmd);
	run.root = json_load_file(json_path, 0, NULL);
	unlink(json_path);
	*state = &run;
	return run.root ? 0 : -1;
}

static int free_suite(void **state)
{
	struct run *run = *state;

	if (run)
		json_decref(run->root);
	return 0;
}

#define NEED_RUN(state)							\
	do {								\
		if (!*(state))						\
			skip();						\
	} while (0)

static json_t *instances(void **state)
{
	return json_object_get(((struct run *)*state)->root, "instances");
}

static unsigned int run_hz(void **state)
{
	json_t *k = json_object_get(((struct run *)*state)->root, "kernel");

	return json_integer_value(json_object_get(k, "hz"));
}

/* The verdict of @inst whose "what" starts with @what. */
static json_t *verdict(json_t *inst, const char *what)
{
	json_t *claims = json_object_get(inst, "claims"), *v;
	size_t i;

	json_array_foreach(claims, i, v)
		if (!strncmp(json_string_value(json_object_get(v, "what")), what, strlen(what)))
			return v;
	fail_msg("%s: no verdict '%s'", json_string_value(json_object_get(inst, "name")), what);
	return NULL;
}

static double num(json_t *v, const char *key)
{
	json_t *j = json_object_get(v, key);

	assert_true(json_is_number(j));
	return json_number_value(j);
}

static double expected(json_t *v, int i)
{
	json_t *e = json_object_get(v, "expected");

	if (json_is_array(e))
		return json_number_value(json_array_get(e, i));
	assert_true(json_is_number(e));
	return json_number_value(e);
}

static void assert_verdict(json_t *v, const char *kind)
{
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), kind);
}

static int count_case(void **state, const char *name)
{
	json_t *in;
	size_t i;
	int n = 0;

	json_array_foreach(instances(state), i, in)
		n += !strcmp(json_string_value(json_object_get(in, "case")), name);
	return n;
}

static void test_run_header(void **state)
{
	struct run *run;
	struct utsname u;
	json_t *k;

	NEED_RUN(state);
	run = *state;
	k = json_object_get(run->root, "kernel");
	assert_int_equal(uname(&u), 0);
	assert_string_equal(json_string_value(json_object_get(k, "release")), u.release);
	assert_true(run_hz(state) == 100 || run_hz(state) == 250 ||
		    run_hz(state) == 300 || run_hz(state) == 1000);
	assert_non_null(json_string_value(json_object_get(run->root, "started")));
	print_message("suite wall time %.1f s\n", num(run->root, "wall_s"));
}

static void test_every_instance_passes(void **state)
{
	json_t *in;
	size_t i;

	NEED_RUN(state);
	json_array_foreach(instances(state), i, in) {
		const char *res = json_string_value(json_object_get(in, "result"));

		if (strcmp(res, "pass"))
			fail_msg("%s: %s: %s", json_string_value(json_object_get(in, "name")),
				 res, json_string_value(json_object_get(in, "reason")));
	}
	assert_int_equal(WEXITSTATUS(((struct run *)*state)->status), 0);
}

static void test_every_case_runs_both_families(void **state)
{
	NEED_RUN(state);
	assert_int_equal(count_case(state, "active_closer"), 2);
	assert_int_equal(count_case(state, "tw_duration"), 4);	/* x tcp_fin_timeout 60, 5 */
	assert_int_equal(count_case(state, "ss_agrees"), 2);
}

static void check_closer(json_t *in, const char *what, double want)
{
	json_t *v = verdict(in, what);

	assert_true(num(v, "measured") == want);
	assert_true(expected(v, 0) == want);
}

static void test_active_closer(void **state)
{
	json_t *in;
	size_t i;

	NEED_RUN(state);
	json_array_foreach(instances(state), i, in) {
		if (strcmp(json_string_value(json_object_get(in, "case")), "active_closer"))
			continue;
		check_closer(in, "client closes first: TIME_WAIT at the client", 1);
		check_closer(in, "client closes first: TIME_WAIT at the server", 0);
		check_closer(in, "server closes first: TIME_WAIT at the server", 1);
		check_closer(in, "server closes first: TIME_WAIT at the client", 0);
		check_closer(in, "SO_LINGER {1,0}: RSTs", 1);
		check_closer(in, "SO_LINGER {1,0}: TIME_WAIT at either end", 0);
		assert_verdict(verdict(in, "client closes first: TIME_WAIT at the client"), "confirmed");
		assert_verdict(verdict(in, "SO_LINGER {1,0}: TIME_WAIT"), "refined");
	}
}

/* Each lifetime inside the window computed here, from HZ alone (K03). */
static void test_tw_duration(void **state)
{
	struct window tw;
	json_t *in;
	size_t i;

	NEED_RUN(state);
	assert_int_equal(expect_tw_window(run_hz(state), &tw), 0);
	json_array_foreach(instances(state), i, in) {
		json_t *v, *s, *p;
		int fin;

		if (strcmp(json_string_value(json_object_get(in, "case")), "tw_duration"))
			continue;
		p = json_object_get(in, "params");
		fin = atoi(json_string_value(json_object_get(p, "tcp_fin_timeout")));

		v = verdict(in, "TIME_WAIT lifetime");
		s = json_object_get(v, "samples");
		assert_true(json_integer_value(json_object_get(s, "n")) >= 20);
		assert_true(expected(v, 0) == tw.lo_ms && expected(v, 1) == tw.hi_ms);
		assert_true(num(s, "min") > tw.lo_ms);
		assert_true(num(s, "max") <= tw.hi_ms + 2);
		print_message("%s: TIME_WAIT min %.0f median %.0f max %.0f ms in (%.0f, %.0f]\n",
			      json_string_value(json_object_get(in, "name")), num(s, "min"),
			      num(s, "median"), num(s, "max"), tw.lo_ms, tw.hi_ms);

		/* the orphan: tcp_fin_timeout seconds, when it exceeds 3.5 RTO */
		v = verdict(in, "orphaned FIN_WAIT2 lifetime");
		assert_true(num(v, "measured") > fin * 1000.0);
		assert_true(num(v, "measured") <= expected(v, 1) + 2);
		assert_true(expected(v, 0) == fin * 1000.0);
	}
}

static void test_ss_agrees(void **state)
{
	json_t *in, *v;
	size_t i;

	NEED_RUN(state);
	json_array_foreach(instances(state), i, in) {
		const char *fam = json_string_value(json_object_get(in, "family"));

		if (strcmp(json_string_value(json_object_get(in, "case")), "ss_agrees"))
			continue;
		/* the mix: 13 TIME_WAIT, 11 of them on :443; wc -l adds ss's header */
		v = verdict(in, "TIME-WAIT count by");
		assert_true(num(v, "measured") == 14 && expected(v, 0) == 13);
		assert_verdict(v, "refined");
		v = verdict(in, "TIME-WAIT on :443");
		assert_true(num(v, "measured") == 11 && expected(v, 0) == 11);
		assert_verdict(v, "confirmed");
		v = verdict(in, "states counted");
		assert_true(num(v, "measured") == 3 && expected(v, 0) == 3);
		v = verdict(in, "peers of :443");
		assert_true(expected(v, 0) == 2);
		/* the article's sed cuts IPv6 addresses at their first colon */
		assert_true(num(v, "measured") == (strcmp(fam, "ipv6") ? 2 : 1));
		assert_verdict(v, strcmp(fam, "ipv6") ? "confirmed" : "refined");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_header),
		cmocka_unit_test(test_every_instance_passes),
		cmocka_unit_test(test_every_case_runs_both_families),
		cmocka_unit_test(test_active_closer),
		cmocka_unit_test(test_tw_duration),
		cmocka_unit_test(test_ss_agrees),
	};

	return cmocka_run_group_tests_name("cases (root, real kernel)", tests,
					   run_suite, free_suite);
}
