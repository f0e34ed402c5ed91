// SPDX-License-Identifier: GPL-2.0
/*
 * The twlab binary's failure paths, as a user meets them: each exits 2
 * with one line on stderr that names the thing and the fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

struct outcome {
	int status;
	char err[1024];
	char out[4096];
	int err_lines;
};

static void run(const char *prefix, const char *args, struct outcome *o)
{
	char cmd[1024], *path;
	size_t n;
	FILE *f;

	path = getenv("TWLAB");
	snprintf(cmd, sizeof(cmd), "%s %s %s 2>/tmp/twlab-cli-err", prefix, path, args);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(o->out, 1, sizeof(o->out) - 1, f);
	o->out[n] = '\0';
	o->status = pclose(f);
	f = fopen("/tmp/twlab-cli-err", "r");
	assert_non_null(f);
	n = fread(o->err, 1, sizeof(o->err) - 1, f);
	o->err[n] = '\0';
	fclose(f);
	unlink("/tmp/twlab-cli-err");
	o->err_lines = 0;
	for (char *p = o->err; *p; p++)
		o->err_lines += *p == '\n';
}

static void assert_usage_error(const char *args, const char *needle)
{
	struct outcome o;

	run("", args, &o);
	assert_true(WIFEXITED(o.status));
	assert_int_equal(WEXITSTATUS(o.status), 2);
	assert_int_equal(o.err_lines, 1);
	if (!strstr(o.err, needle))
		fail_msg("'twlab %s' said: %s (wanted '%s')", args, o.err, needle);
	assert_string_equal(o.out, "");
}

static int need_twlab(void **state)
{
	(void)state;
	return getenv("TWLAB") ? 0 : -1;
}

static void test_unknown_case(void **state)
{
	(void)state;
	assert_usage_error("run nosuch", "'nosuch'");
	assert_usage_error("run nosuch", "twlab list");
	assert_usage_error("run A99", "'A99'");
}

static void test_bad_jobs(void **state)
{
	(void)state;
	assert_usage_error("run -j 0", "'0'");
	assert_usage_error("run -j x", "'x'");
	assert_usage_error("run -j", "-j");
	assert_usage_error("run --bogus", "'--bogus'");
	assert_usage_error("frobnicate", "'frobnicate'");
}

/* A misspelt --set is a usage error, not a run whose every instance SKIPs. */
static void test_unknown_sysctl(void **state)
{
	(void)state;
	assert_usage_error("run --set tcp_tw_resue=1 A01",
			   "unknown sysctl tcp_tw_resue in --set; did you mean tcp_tw_reuse?");
	assert_usage_error("run --set kernel.pid_max=1 A01", "net.*");
}

/* Root without CAP_NET_ADMIN in its bounding set gets none after exec. */
static void test_without_cap_net_admin(void **state)
{
	struct outcome o;

	(void)state;
	if (geteuid() || system("command -v setpriv >/dev/null"))
		skip();
	run("setpriv --bounding-set=-net_admin", "run active_closer", &o);
	assert_int_equal(WEXITSTATUS(o.status), 2);
	assert_int_equal(o.err_lines, 1);
	assert_non_null(strstr(o.err, "CAP_NET_ADMIN"));
	assert_non_null(strstr(o.err, "root"));
}

static void test_list_and_version(void **state)
{
	struct outcome o;

	(void)state;
	run("", "list", &o);
	assert_int_equal(WEXITSTATUS(o.status), 0);
	assert_non_null(strstr(o.out, "active_closer"));
	assert_non_null(strstr(o.out, "tw_duration"));
	assert_non_null(strstr(o.out, "ss_agrees"));
	run("", "--version", &o);
	assert_int_equal(WEXITSTATUS(o.status), 0);
	assert_true(!strncmp(o.out, "twlab ", 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_case),
		cmocka_unit_test(test_bad_jobs),
		cmocka_unit_test(test_unknown_sysctl),
		cmocka_unit_test(test_without_cap_net_admin),
		cmocka_unit_test(test_list_and_version),
	};

	return cmocka_run_group_tests_name("twlab command line", tests, need_twlab, NULL);
}
