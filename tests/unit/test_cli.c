// SPDX-License-Identifier: GPL-2.0
/*
 * cli_parse(): every command, every spelling of -j and --json, and the
 * usage errors, whose one-line message must name what was wrong.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"

#define UNUSED __attribute__((unused))
#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct cli c;
static char err[256];

/* Parse a NULL-free argv; cli_parse never writes through argv. */
static int parse(int argc, char *const *argv)
{
	memset(err, 'x', sizeof(err));	/* catch a message left unterminated */
	err[sizeof(err) - 1] = '\0';
	return cli_parse(argc, argv, &c, err, sizeof(err));
}

static void assert_ok(int argc, char *const *argv)
{
	assert_int_equal(parse(argc, argv), 0);
	assert_string_equal(err, "");
}

/* -EINVAL, one line, naming @needle. */
static void assert_bad(int argc, char *const *argv, const char *needle)
{
	assert_int_equal(parse(argc, argv), -EINVAL);
	assert_non_null(strstr(err, needle));
	assert_null(strchr(err, '\n'));
	assert_true(strlen(err) > strlen(needle));
}

static void cli_list(void **state UNUSED)
{
	char *argv[] = { "twlab", "list" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.cmd, CMD_LIST);
	assert_int_equal(c.nfilters, 0);
	assert_int_equal(c.jobs, 0);
	assert_null(c.json);
	assert_false(c.list_claims);
}

static void cli_list_claims(void **state UNUSED)
{
	char *argv[] = { "twlab", "list", "--claims" };
	char *twice[] = { "twlab", "list", "--claims", "--claims" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.cmd, CMD_LIST);
	assert_true(c.list_claims);
	assert_ok(ARGC(twice), twice);
	assert_true(c.list_claims);
	assert_non_null(strstr(cli_usage, "twlab list [--claims]"));
}

static void cli_run_defaults(void **state UNUSED)
{
	char *argv[] = { "twlab", "run" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.cmd, CMD_RUN);
	assert_int_equal(c.nfilters, 0);
	assert_int_equal(c.jobs, 0);	/* all at once */
	assert_null(c.json);
}

static void cli_help_spellings(void **state UNUSED)
{
	static const char *const help[] = { "--help", "-h", "help" };

	for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++) {
		char *argv[] = { "twlab", (char *)help[i] };

		assert_ok(ARGC(argv), argv);
		assert_int_equal(c.cmd, CMD_HELP);
	}
}

static void cli_version_spellings(void **state UNUSED)
{
	char *v1[] = { "twlab", "--version" };
	char *v2[] = { "twlab", "-V" };

	assert_ok(ARGC(v1), v1);
	assert_int_equal(c.cmd, CMD_VERSION);
	assert_ok(ARGC(v2), v2);
	assert_int_equal(c.cmd, CMD_VERSION);
}

static void cli_run_filters(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "tw_duration", "A01", "a05r" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.cmd, CMD_RUN);
	assert_int_equal(c.nfilters, 3);
	/* the filters point into argv, in order, uninterpreted */
	assert_ptr_equal(c.filters[0], argv[2]);
	assert_ptr_equal(c.filters[1], argv[3]);
	assert_ptr_equal(c.filters[2], argv[4]);
}

static void cli_run_filters_around_options(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "A01", "-j", "2", "tw_reuse",
			 "--json", "out.json", "A09" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.jobs, 2);
	assert_string_equal(c.json, "out.json");
	assert_int_equal(c.nfilters, 3);
	assert_string_equal(c.filters[0], "A01");
	assert_string_equal(c.filters[1], "tw_reuse");
	assert_string_equal(c.filters[2], "A09");
}

static void cli_jobs_spellings(void **state UNUSED)
{
	char *a[] = { "twlab", "run", "-j", "4" };
	char *b[] = { "twlab", "run", "-j4" };
	char *d[] = { "twlab", "run", "--jobs", "4" };
	char *e[] = { "twlab", "run", "--jobs=4" };
	struct { int argc; char **argv; } t[] = {
		{ ARGC(a), a }, { ARGC(b), b }, { ARGC(d), d }, { ARGC(e), e },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_ok(t[i].argc, t[i].argv);
		assert_int_equal(c.jobs, 4);
		/* the value must not be mistaken for a filter */
		assert_int_equal(c.nfilters, 0);
	}
}

static void cli_jobs_limits(void **state UNUSED)
{
	char *one[] = { "twlab", "run", "-j", "1" };
	char *max[] = { "twlab", "run", "--jobs=1024" };
	char *lead0[] = { "twlab", "run", "-j", "016" };

	assert_ok(ARGC(one), one);
	assert_int_equal(c.jobs, 1);
	assert_ok(ARGC(max), max);
	assert_int_equal(c.jobs, CLI_MAX_JOBS);
	assert_ok(ARGC(lead0), lead0);
	assert_int_equal(c.jobs, 16);	/* decimal, not octal */
}

static void cli_jobs_last_wins(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "-j", "4", "--jobs=8" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.jobs, 8);
}

static void cli_json_spellings(void **state UNUSED)
{
	char *a[] = { "twlab", "run", "--json", "r.json" };
	char *b[] = { "twlab", "run", "--json=r.json" };

	assert_ok(ARGC(a), a);
	assert_string_equal(c.json, "r.json");
	assert_int_equal(c.nfilters, 0);
	assert_ok(ARGC(b), b);
	assert_string_equal(c.json, "r.json");
	assert_int_equal(c.nfilters, 0);
}

/* A second parse starts from scratch: nothing leaks from the first. */
static void cli_parse_resets(void **state UNUSED)
{
	char *first[] = { "twlab", "run", "A01", "-j", "3", "--json=x" };
	char *second[] = { "twlab", "list" };

	assert_ok(ARGC(first), first);
	assert_ok(ARGC(second), second);
	assert_int_equal(c.jobs, 0);
	assert_null(c.json);
	assert_int_equal(c.nfilters, 0);
}

static void cli_err_jobs_zero(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "-j", "0" };

	assert_bad(ARGC(argv), argv, "'0'");
}

static void cli_err_jobs_word(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "-j", "x" };

	assert_bad(ARGC(argv), argv, "'x'");
}

static void cli_err_jobs_too_many(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "-j", "1025" };
	char *huge[] = { "twlab", "run", "--jobs=99999999999999999999999" };

	assert_bad(ARGC(argv), argv, "'1025'");
	/* far past LONG_MAX: refused, not wrapped */
	assert_bad(ARGC(huge), huge, "'99999999999999999999999'");
}

static void cli_err_jobs_signed(void **state UNUSED)
{
	char *neg[] = { "twlab", "run", "-j", "-1" };
	char *pos[] = { "twlab", "run", "-j+4" };
	char *empty[] = { "twlab", "run", "--jobs=" };

	assert_bad(ARGC(neg), neg, "'-1'");
	assert_bad(ARGC(pos), pos, "'+4'");
	assert_bad(ARGC(empty), empty, "''");
}

static void cli_err_jobs_missing(void **state UNUSED)
{
	char *s[] = { "twlab", "run", "-j" };
	char *l[] = { "twlab", "run", "A01", "--jobs" };

	assert_bad(ARGC(s), s, "-j");
	assert_non_null(strstr(err, "number of jobs"));
	assert_bad(ARGC(l), l, "--jobs");
}

static void cli_err_json_missing(void **state UNUSED)
{
	char *s[] = { "twlab", "run", "--json" };
	char *e[] = { "twlab", "run", "--json=" };

	assert_bad(ARGC(s), s, "--json");
	assert_non_null(strstr(err, "file name"));
	assert_bad(ARGC(e), e, "--json");
}

static void cli_err_unknown_option(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "--bogus" };
	/* an option's name followed by more letters is another option */
	char *near[] = { "twlab", "run", "--jsonx", "f" };

	assert_bad(ARGC(argv), argv, "'--bogus'");
	assert_bad(ARGC(near), near, "'--jsonx'");
}

static void cli_err_unknown_command(void **state UNUSED)
{
	char *argv[] = { "twlab", "frobnicate" };
	char *opt[] = { "twlab", "--bogus" };

	assert_bad(ARGC(argv), argv, "'frobnicate'");
	assert_bad(ARGC(opt), opt, "'--bogus'");
}

static void cli_err_no_command(void **state UNUSED)
{
	char *argv[] = { "twlab" };

	assert_bad(ARGC(argv), argv, "twlab run");
}

static void cli_err_list_extra(void **state UNUSED)
{
	char *argv[] = { "twlab", "list", "extra" };

	assert_bad(ARGC(argv), argv, "'extra'");
}

static void cli_err_too_many_filters(void **state UNUSED)
{
	char *argv[2 + CLI_MAX_FILTERS + 1] = { "twlab", "run" };

	for (int i = 2; i < ARGC(argv); i++)
		argv[i] = "A01";
	assert_bad(ARGC(argv), argv, "64");
	/* one fewer fits exactly */
	assert_ok(ARGC(argv) - 1, argv);
	assert_int_equal(c.nfilters, CLI_MAX_FILTERS);
}

static void cli_quiet_spellings(void **state UNUSED)
{
	char *q[] = { "twlab", "run", "A01", "-q" };
	char *l[] = { "twlab", "run", "--quiet", "A01" };
	char *none[] = { "twlab", "run", "A01" };
	char *near[] = { "twlab", "run", "--quietly" };

	assert_ok(ARGC(q), q);
	assert_true(c.quiet);
	assert_int_equal(c.nfilters, 1);
	assert_ok(ARGC(l), l);
	assert_true(c.quiet);
	assert_string_equal(c.filters[0], "A01");	/* not taken as the flag's value */
	assert_ok(ARGC(none), none);
	assert_false(c.quiet);
	assert_bad(ARGC(near), near, "'--quietly'");
}

/* Time limits x N for an emulated machine; whole factors 1..100 only. */
static void cli_time_scale(void **state UNUSED)
{
	char *two[] = { "twlab", "run", "--time-scale", "4", "A01" };
	char *eq[] = { "twlab", "run", "--time-scale=3" };
	char *zero[] = { "twlab", "run", "--time-scale", "0" };
	char *frac[] = { "twlab", "run", "--time-scale", "1.5" };
	char *none[] = { "twlab", "run", "--time-scale" };

	assert_ok(ARGC(two), two);
	assert_int_equal(c.time_scale, 4);
	assert_int_equal(c.nfilters, 1);
	assert_ok(ARGC(eq), eq);
	assert_int_equal(c.time_scale, 3);
	assert_bad(ARGC(zero), zero, "'0'");
	assert_bad(ARGC(frac), frac, "'1.5'");
	assert_bad(ARGC(none), none, "--time-scale");
}

static void cli_report(void **state UNUSED)
{
	char *argv[] = { "twlab", "report", "a.json", "-o", "out", "b.json" };
	char *eq[] = { "twlab", "report", "--out=d", "a.json" };
	char *dflt[] = { "twlab", "report", "a.json" };

	assert_ok(ARGC(argv), argv);
	assert_int_equal(c.cmd, CMD_REPORT);
	assert_int_equal(c.nfiles, 2);
	assert_string_equal(c.files[0], "a.json");
	assert_string_equal(c.files[1], "b.json");
	assert_string_equal(c.out, "out");
	assert_int_equal(c.nfilters, 0);
	assert_ok(ARGC(eq), eq);
	assert_string_equal(c.out, "d");
	assert_int_equal(c.nfiles, 1);
	assert_ok(ARGC(dflt), dflt);
	assert_null(c.out);		/* the caller's default, ./twlab-report */
}

static void cli_err_report(void **state UNUSED)
{
	char *none[] = { "twlab", "report" };
	char *only_o[] = { "twlab", "report", "-o", "d" };
	char *no_dir[] = { "twlab", "report", "a.json", "-o" };
	char *opt[] = { "twlab", "report", "a.json", "-j", "2" };
	char *many[2 + CLI_MAX_FILES + 1] = { "twlab", "report" };

	assert_bad(ARGC(none), none, "FILE.json");
	assert_bad(ARGC(only_o), only_o, "at least one run");
	assert_bad(ARGC(no_dir), no_dir, "-o");
	assert_bad(ARGC(opt), opt, "'-j'");
	for (int i = 2; i < ARGC(many); i++)
		many[i] = "r.json";
	assert_bad(ARGC(many), many, "64");
	assert_ok(ARGC(many) - 1, many);
	assert_int_equal(c.nfiles, CLI_MAX_FILES);
}

/* The usage names the new command and says how same-release columns are told apart. */
static void cli_usage_report(void **state UNUSED)
{
	assert_non_null(strstr(cli_usage, "twlab report [-o DIR] FILE.json..."));
	assert_non_null(strstr(cli_usage, "RELEASE@STARTED"));
	assert_non_null(strstr(cli_usage, "--quiet"));
}

static void cli_explain(void **state UNUSED)
{
	char *none[] = { "twlab", "explain" };
	char *two[] = { "twlab", "explain", "A05r", "k08" };
	char *opt[] = { "twlab", "explain", "A01", "--all" };

	assert_ok(ARGC(none), none);
	assert_int_equal(c.cmd, CMD_EXPLAIN);
	assert_int_equal(c.nfilters, 0);
	assert_ok(ARGC(two), two);
	assert_int_equal(c.nfilters, 2);
	assert_string_equal(c.filters[0], "A05r");
	assert_string_equal(c.filters[1], "k08");	/* looked up, not parsed */
	assert_bad(ARGC(opt), opt, "--all");
	assert_non_null(strstr(cli_usage, "twlab explain [ID ...]"));
}

/* A short buffer still gets a terminated, truncated message. */
static void cli_err_short_buffer(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "-j", "0" };
	char small[8];

	assert_int_equal(cli_parse(ARGC(argv), argv, &c, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "twlab: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cli_list),
		cmocka_unit_test(cli_list_claims),
		cmocka_unit_test(cli_run_defaults),
		cmocka_unit_test(cli_help_spellings),
		cmocka_unit_test(cli_version_spellings),
		cmocka_unit_test(cli_run_filters),
		cmocka_unit_test(cli_run_filters_around_options),
		cmocka_unit_test(cli_jobs_spellings),
		cmocka_unit_test(cli_jobs_limits),
		cmocka_unit_test(cli_jobs_last_wins),
		cmocka_unit_test(cli_json_spellings),
		cmocka_unit_test(cli_parse_resets),
		cmocka_unit_test(cli_err_jobs_zero),
		cmocka_unit_test(cli_err_jobs_word),
		cmocka_unit_test(cli_err_jobs_too_many),
		cmocka_unit_test(cli_err_jobs_signed),
		cmocka_unit_test(cli_err_jobs_missing),
		cmocka_unit_test(cli_err_json_missing),
		cmocka_unit_test(cli_err_unknown_option),
		cmocka_unit_test(cli_err_unknown_command),
		cmocka_unit_test(cli_err_no_command),
		cmocka_unit_test(cli_err_list_extra),
		cmocka_unit_test(cli_err_too_many_filters),
		cmocka_unit_test(cli_err_short_buffer),
		cmocka_unit_test(cli_quiet_spellings),
		cmocka_unit_test(cli_time_scale),
		cmocka_unit_test(cli_report),
		cmocka_unit_test(cli_err_report),
		cmocka_unit_test(cli_usage_report),
		cmocka_unit_test(cli_explain),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
