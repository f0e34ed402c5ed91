// SPDX-License-Identifier: GPL-2.0
/*
 * The run's quiet lock: one holder at a time, a bounded wait for the
 * others, and let go by a holder that dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "case.h"

static int setup(void **state)
{
	static struct tw_params p;

	p.quiet = memfd_create("twlab-quiet-test", MFD_CLOEXEC);
	*state = &p;
	return p.quiet < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	close(((struct tw_params *)*state)->quiet);
	return 0;
}

static void one_holder_at_a_time(void **state)
{
	const struct tw_params *p = *state;
	int a, b;

	a = tw_quiet_begin(p, 100);
	assert_true(a >= 0);
	assert_int_equal(tw_quiet_begin(p, 30), -ETIMEDOUT);
	tw_quiet_end(a);
	b = tw_quiet_begin(p, 100);
	assert_true(b >= 0);
	tw_quiet_end(b);
}

static void a_dead_holder_lets_go(void **state)
{
	const struct tw_params *p = *state;
	int status, fd;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (tw_quiet_begin(p, 100) < 0)
			_exit(1);
		_exit(0);	/* dies holding it */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	fd = tw_quiet_begin(p, 100);
	assert_true(fd >= 0);
	tw_quiet_end(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_holder_at_a_time),
		cmocka_unit_test(a_dead_holder_lets_go),
	};

	return cmocka_run_group_tests_name("quiet lock", tests, setup, teardown);
}
