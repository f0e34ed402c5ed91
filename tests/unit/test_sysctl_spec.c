// SPDX-License-Identifier: GPL-2.0
/*
 * --set: values checked against the kernel's own ranges, and the matrix
 * a case expands into once the command line has narrowed or widened it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "expand.h"
#include "sysctl_spec.h"

#define UNUSED __attribute__((unused))

static int run_ok(struct lab *l, const struct tw_params *p, struct tw_result *r)
{
	(void)l, (void)p, (void)r;
	return 0;
}

static const struct tw_case reuse_case = {
	.name = "reuse", .run = run_ok,
	.vary = { { "tcp_tw_reuse", { "0", "1", "2" } }, { "tcp_timestamps", { "0", "1" } } },
};

static int parse(const char *arg, struct tw_override *ov, char *err)
{
	return override_parse(arg, ov, err, 256);
}

static void value_in_range(void **state UNUSED)
{
	struct tw_override ov;
	char err[256];

	assert_int_equal(parse("tcp_tw_reuse=0,1,2", &ov, err), 0);
	assert_string_equal(ov.key, "tcp_tw_reuse");
	assert_int_equal(ov.nvals, 3);
	assert_string_equal(ov.vals[2], "2");
	assert_int_equal(parse("net.ipv4.tcp_tw_reuse_delay=100,3000", &ov, err), 0);
	assert_string_equal(ov.vals[1], "3000");
	/* the form the kernel wants, whichever the user typed */
	assert_int_equal(parse("ip_local_port_range=40000-40099", &ov, err), 0);
	assert_string_equal(ov.vals[0], "40000 40099");
	assert_int_equal(parse("ip_local_port_range=40000 40000", &ov, err), 0);
	/* no range known: shape only */
	assert_int_equal(parse("tcp_syn_retries=3", &ov, err), 0);
}

static void value_out_of_range(void **state UNUSED)
{
	struct tw_override ov;
	char err[256];

	assert_int_equal(parse("tcp_tw_reuse=3", &ov, err), -ERANGE);
	assert_non_null(strstr(err, "tcp_tw_reuse=3"));
	assert_non_null(strstr(err, "0..2"));
	assert_int_equal(parse("tcp_timestamps=-1", &ov, err), -ERANGE);
	assert_int_equal(parse("tcp_tw_reuse_delay=0", &ov, err), -ERANGE);
	assert_int_equal(parse("tcp_rfc1337=2", &ov, err), -ERANGE);
	assert_int_equal(parse("ip_local_port_range=50000-40000", &ov, err), -ERANGE);
	assert_int_equal(parse("ip_local_port_range=40000-70000", &ov, err), -ERANGE);
}

static void value_malformed(void **state UNUSED)
{
	struct tw_override ov;
	char err[256];

	assert_int_equal(parse("tcp_tw_reuse", &ov, err), -EINVAL);
	assert_int_equal(parse("=1", &ov, err), -EINVAL);
	assert_int_equal(parse("tcp_tw_reuse=", &ov, err), -EINVAL);
	assert_int_equal(parse("tcp_tw_reuse=1,,2", &ov, err), -EINVAL);
	assert_int_equal(parse("tcp_tw_reuse=x", &ov, err), -EINVAL);
	assert_non_null(strstr(err, "whole number"));
	assert_int_equal(parse("tcp_tw_reuse=1x", &ov, err), -EINVAL);
	assert_int_equal(parse("ip_local_port_range=40000", &ov, err), -EINVAL);
	assert_non_null(strstr(err, "port range"));
	assert_int_equal(parse("tcp/../x=1", &ov, err), -EINVAL);
	assert_int_equal(parse("tcp_tw_reuse=0,1,2,0,1,2,0,1,2", &ov, err), -EINVAL);
	assert_int_equal(parse("tcp_tw_reuse=000000000000000000000000000000001", &ov, err), -EINVAL);
}

static void cli_set(void **state UNUSED)
{
	char *argv[] = { "twlab", "run", "--set", "tcp_tw_reuse=0,1", "--set=tcp_timestamps=1",
			 "reuse", NULL };
	char *twice[] = { "twlab", "run", "--set", "tcp_tw_reuse=0", "--set", "tcp_tw_reuse=1", NULL };
	char err[256];
	struct cli c;

	assert_int_equal(cli_parse(6, argv, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nov, 2);
	assert_string_equal(c.ov[1].key, "tcp_timestamps");
	assert_int_equal(c.nfilters, 1);
	assert_int_equal(cli_parse(6, twice, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "twice"));
}

static struct sysctl_names kernel_names(const char *const *names)
{
	struct sysctl_names k = { 0 };

	for (; *names; names++)
		snprintf(k.name[k.n++], SYSCTL_NAME_LEN, "%s", *names);
	return k;
}

static int check_set(const char *arg, const struct sysctl_names *k, char *err)
{
	struct tw_override ov;

	assert_int_equal(parse(arg, &ov, err), 0);
	return override_names_check(&ov, 1, k, err, 256);
}

/*
 * A name neither twlab nor the kernel knows is a typo (exit 2), with the
 * nearest known name; one only the kernel knows runs; one only twlab
 * knows (a sysctl this kernel lacks) runs and SKIPs.
 */
static void name_unknown(void **state UNUSED)
{
	static const char *const names[] = {
		"tcp_syncookies", "tcp_tw_reuse", "tcp_fin_timeout", "net.core.somaxconn", NULL,
	};
	struct sysctl_names k = kernel_names(names);
	struct tw_override ov;
	char err[256];

	assert_int_equal(check_set("tcp_tw_resue=1", &k, err), -ENOENT);
	assert_string_equal(err, "twlab: unknown sysctl tcp_tw_resue in --set; "
			    "did you mean tcp_tw_reuse?");
	assert_int_equal(check_set("net.ipv4.tcp_tw_reuze=1", &k, err), -ENOENT);
	assert_non_null(strstr(err, "did you mean tcp_tw_reuse?"));
	assert_int_equal(check_set("tcp_syncookie=1", &k, err), -ENOENT);
	assert_non_null(strstr(err, "did you mean tcp_syncookies?"));
	assert_int_equal(check_set("net.core.somaxcon=1", &k, err), -ENOENT);
	assert_non_null(strstr(err, "did you mean net.core.somaxconn?"));
	/* the kernel's, not twlab's; twlab's, not this kernel's */
	assert_int_equal(check_set("tcp_syncookies=1", &k, err), 0);
	assert_int_equal(check_set("net.ipv4.tcp_syncookies=1", &k, err), 0);
	assert_int_equal(check_set("tcp_tw_recycle=0", &k, err), 0);
	assert_true(sysctl_twlab_knows("net.ipv4.tcp_tw_reuse_delay"));
	assert_false(sysctl_twlab_knows("tcp_syncookies"));
	/* a swap is one edit; a tie goes to twlab's own name */
	assert_string_equal(sysctl_nearest("tcp_tw_reues", &k), "tcp_tw_reuse");
	assert_string_equal(sysctl_nearest("tcp_timestampz", NULL), "tcp_timestamps");
	/* outside net.* nothing belongs to a namespace */
	assert_int_equal(parse("kernel.pid_max=1", &ov, err), -EINVAL);
	assert_non_null(strstr(err, "net.*"));
}

/* A --set of a varied sysctl narrows it; of another, adds a dimension. */
static void matrix_overrides(void **state UNUSED)
{
	const struct tw_case *cases[] = { &reuse_case };
	const int v4[] = { AF_INET };
	struct tw_instance in[16];
	struct tw_override ov[2];
	char err[256];

	assert_int_equal(parse("tcp_tw_reuse=1", &ov[0], err), 0);
	assert_int_equal(expand_instances(cases, 1, v4, 1, ov, 1, in, 16), 2);
	assert_string_equal(in[0].name, "reuse.ipv4.tcp_tw_reuse=1,tcp_timestamps=0");
	assert_string_equal(in[1].name, "reuse.ipv4.tcp_tw_reuse=1,tcp_timestamps=1");

	assert_int_equal(parse("tcp_tw_reuse_delay=100,3000", &ov[1], err), 0);
	assert_int_equal(expand_instances(cases, 1, v4, 1, ov, 2, in, 16), 4);
	assert_int_equal(in[3].p.nset, 3);
	assert_string_equal(in[3].p.set[2].key, "tcp_tw_reuse_delay");
	assert_string_equal(in[3].p.set[2].val, "3000");
	assert_string_equal(in[0].name,
			    "reuse.ipv4.tcp_tw_reuse=1,tcp_timestamps=0,tcp_tw_reuse_delay=100");
	/* without overrides, the case's own matrix */
	assert_int_equal(expand_instances(cases, 1, v4, 1, NULL, 0, in, 16), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_in_range),
		cmocka_unit_test(value_out_of_range),
		cmocka_unit_test(value_malformed),
		cmocka_unit_test(cli_set),
		cmocka_unit_test(name_unknown),
		cmocka_unit_test(matrix_overrides),
	};

	return cmocka_run_group_tests_name("sysctl overrides (--set)", tests, NULL, NULL);
}
