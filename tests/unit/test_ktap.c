// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP output, byte for byte: what kselftest-style tools parse and what
 * a reader of the report sees.  Output is captured with open_memstream.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "ktap.h"

#define UNUSED __attribute__((unused))

static const struct kernel_info kinfo = {
	.release = "6.1.0-28-amd64",
	.hz = 250,
	.hz_source = "/boot/config-6.1.0-28-amd64",
};

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* Close the stream, compare, free. */
static void capture_check(struct capture *c, const char *want)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->buf, want);
	free(c->buf);
}

static void instance_init(struct tw_instance *in, const char *name,
			  enum tw_outcome o, const char *reason)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", name);
	in->r.outcome = o;
	snprintf(in->r.reason, sizeof(in->r.reason), "%s", reason);
}

static void ktap_header_line(void **state UNUSED)
{
	struct capture c;

	capture_start(&c);
	ktap_header(c.f, &kinfo, 12);
	capture_check(&c, "KTAP version 1\n"
		      "# twlab on Linux 6.1.0-28-amd64, HZ=250 "
		      "(from /boot/config-6.1.0-28-amd64)\n"
		      "1..12\n");
}

/*
 * A made-up judge's sub-claims, neither registered nor in docs/claims.md,
 * judged here the way a case judges its own.
 */
static const struct tw_subclaim sc_lifetime = { .id = "A01.lifetime", .fact = "K01", .unit = "ms",
	.what = "TIME_WAIT lasts 60 s", .article = "60 s" };
static const struct tw_subclaim sc_recycle = { .id = "A09.recycle", .fact = "K16", .what = "recycling" };
static const struct tw_subclaim sc_reuse = { .id = "A02.reuse", .fact = "K05", .unit = "ports",
	.what = "connect reuses the port", .article = "never" };

static void ktap_pass_with_verdicts(void **state UNUSED)
{
	static const struct tw_sample s[] = {
		{ 62003, 0, 0 }, { 60123, 0, 0 }, { 61010, 0, 0 },
	};
	struct ktap_totals t = { 0 };
	struct tw_instance in;
	struct tw_verdict *v;
	struct capture c;

	instance_init(&in, "tw_duration.ipv4", R_PASS, "");
	v = tw_judge(&in.r, &sc_lifetime, win_exact(60000), win_cc(60000, 62052), s, 3);
	tw_evidence(v, "timer wheel level %d, granularity %d jiffies", 3, 512);
	tw_judge_na(&in.r, &sc_recycle, "no recycling");

	capture_start(&c);
	ktap_instance(c.f, 1, &in, &t);
	capture_check(&c,
		"# A01.lifetime refined: TIME_WAIT lasts 60 s: measured 61010 ms "
		"(min 60123, max 62003, n=3), article 60000, kernel [60000, 62052] ms [K01]\n"
		"#   timer wheel level 3, granularity 512 jiffies\n"
		"# A09.recycle not applicable: recycling [K16]\n"
		"#   no recycling\n"
		"ok 1 tw_duration.ipv4\n");
	assert_int_equal(t.count[R_PASS], 1);
	assert_int_equal(t.count[R_FAIL] + t.count[R_SKIP] + t.count[R_ERROR], 0);
}

/* A figure outside the kernel's window fails the instance; its reason comes first. */
static void ktap_fail_with_reason(void **state UNUSED)
{
	struct ktap_totals t = { 0 };
	struct tw_instance in;
	struct capture c;

	instance_init(&in, "tw_reuse.ipv6.tcp_tw_reuse=0", R_PASS, "");
	tw_judge_one(&in.r, &sc_reuse, win_exact(0), win_exact(0), 1, 0, 0);
	tw_fail(&in.r, "connect() got EADDRNOTAVAIL %d times", 3);

	capture_start(&c);
	ktap_instance(c.f, 7, &in, &t);
	capture_check(&c,
		"# A02.reuse refuted: connect reuses the port: measured 1 ports, "
		"article 0, kernel 0 ports [K05]\n"
		"# fail: A02.reuse: 1 ports (-0/+0) outside the kernel's 0 [K05]; "
		"connect() got EADDRNOTAVAIL 3 times\n"
		"not ok 7 tw_reuse.ipv6.tcp_tw_reuse=0\n");
	assert_int_equal(t.count[R_FAIL], 1);
}

/* The reason is written from the whole verdict: a search's bounds, an exact figure's evidence. */
static void reason_from_whole_verdict(void **state UNUSED)
{
	struct tw_result r = { 0 };

	tw_judge_bounds(&r, &sc_reuse, win_exact(0), win_exact(0), 5, 9, 4);
	assert_int_equal(r.outcome, R_FAIL);
	assert_string_equal(r.reason, "A02.reuse: (5, 9] ports outside the kernel's 0 [K05]");
	memset(&r, 0, sizeof(r));
	tw_judge_exact(&r, &sc_reuse, win_exact(0), win_exact(0), NAN, "no %s read", "count");
	assert_int_equal(r.outcome, R_INCONCLUSIVE);
	assert_string_equal(r.reason, "A02.reuse: no count read");
}

static void ktap_skip(void **state UNUSED)
{
	struct ktap_totals t = { 0 };
	struct tw_instance in;
	struct capture c;

	instance_init(&in, "tw_diag.ipv6", R_SKIP, "IPv6 is not available on this kernel");
	capture_start(&c);
	ktap_instance(c.f, 3, &in, &t);
	capture_check(&c, "ok 3 tw_diag.ipv6 # SKIP IPv6 is not available on this kernel\n");
	assert_int_equal(t.count[R_SKIP], 1);
	assert_int_equal(t.count[R_PASS], 0);
}

static void ktap_error(void **state UNUSED)
{
	struct ktap_totals t = { 0 };
	struct tw_instance in;
	struct capture c;

	instance_init(&in, "tw_overflow.ipv4", R_PASS, "");
	assert_int_equal(tw_error(&in.r, -ETIMEDOUT, "lab set-up"), -ETIMEDOUT);
	capture_start(&c);
	ktap_instance(c.f, 12, &in, &t);
	capture_check(&c, "# error: lab set-up: Connection timed out\n"
		      "not ok 12 tw_overflow.ipv4\n");
	assert_int_equal(t.count[R_ERROR], 1);
	assert_int_equal(t.count[R_FAIL], 0);
}

/* A whole run: header, every outcome, and totals that add up. */
static void ktap_totals_footer(void **state UNUSED)
{
	static const enum tw_outcome o[] = {
		R_PASS, R_FAIL, R_PASS, R_SKIP, R_ERROR, R_PASS, R_SKIP,
	};
	struct ktap_totals t = { 0 };
	struct tw_instance in;
	struct capture c;

	capture_start(&c);
	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		instance_init(&in, "x", o[i], "r");
		ktap_instance(c.f, i + 1, &in, &t);
	}
	fclose(c.f);
	free(c.buf);

	capture_start(&c);
	ktap_footer(c.f, &t);
	capture_check(&c, "# Totals: pass:3 fail:1 xfail:0 xpass:0 skip:2 error:1\n"
		      "# inconclusive:0 (within skip above)\n");
}

static void ktap_footer_empty(void **state UNUSED)
{
	struct ktap_totals t = { 0 };
	struct capture c;

	capture_start(&c);
	ktap_footer(c.f, &t);
	capture_check(&c, "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:0\n"
		      "# inconclusive:0 (within skip above)\n");
}

/* A verdict as a reader of JSON gets it: the figure and the kernel window's ends. */
static struct tw_verdict figure(double m, double lo, double hi, const char *unit)
{
	struct tw_verdict v = {
		.measured = m, .lo = lo, .hi = hi, .min = NAN, .max = NAN, .n = 1,
	};

	snprintf(v.unit, sizeof(v.unit), "%s", unit);
	return v;
}

static void fmt_expected(void **state UNUSED)
{
	struct tw_verdict v;
	char buf[64];

	v = figure(61010, 60000, 62052, "ms");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "(60000, 62052] ms");
	v = figure(61010, 60000, 61710, "ms");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "(60000, 61710] ms");
	/* lo == hi: an exact expectation */
	v = figure(175, 175, 175, "jiffies");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "175 jiffies");
	v = figure(0, 0, 0, "resets");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "0 resets");
	v = figure(5, NAN, NAN, "ms");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "-");
	/* fractions below 1000 keep two places */
	v = figure(1, 0.5, 1.25, "s");
	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "(0.50, 1.25] s");
	assert_ptr_equal(ktap_expected(&v, buf, sizeof(buf)), buf);
}

/* A window's every shape, as a verdict's evidence and the report write it. */
static void fmt_window(void **state UNUSED)
{
	static const struct {
		struct tw_window w;
		const char *text;
	} t[] = {
		{ { 1, 0, false, false }, "none" },
		{ { 5, 5, false, true }, "none" },
		{ { -INFINITY, INFINITY, false, false }, "any" },
		{ { 64, 64, false, false }, "64" },
		{ { 64, INFINITY, false, false }, ">= 64" },
		{ { 64, INFINITY, true, false }, "> 64" },
		{ { -INFINITY, -1, false, false }, "<= -1" },
		{ { -INFINITY, 0.5, false, true }, "< 0.50" },
		{ { 60000, 62052, true, false }, "(60000, 62052]" },
		{ { 1.25, 2, false, true }, "[1.25, 2)" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(win_format(&t[i].w, buf, sizeof(buf)), t[i].text);
}

static void fmt_measured(void **state UNUSED)
{
	struct tw_verdict v;
	char buf[64];

	v = figure(62052, 60000, 62052, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "62052 ms");
	v = figure(NAN, 60000, 62052, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "-");
	v = figure(12.5, 0, 100, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "12.50 ms");
	/* at 1000 and above, whole units are enough */
	v = figure(61010.4, 60000, 62052, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "61010 ms");
	v = figure(1000.25, 0, 2000, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "1000 ms");
	v = figure(999.5, 0, 1000, "ms");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "999.50 ms");
	assert_ptr_equal(ktap_measured(&v, buf, sizeof(buf)), buf);
}

static void fmt_samples(void **state UNUSED)
{
	struct tw_verdict v = figure(61010, 60000, 62052, "ms");
	char buf[96];

	v.min = 60123;
	v.max = 62003;
	v.n = 24;
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)),
			    "61010 ms (min 60123, max 62003, n=24)");
	/* n == 1 is a single figure: no min/max */
	v.n = 1;
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "61010 ms");
	v.n = 24;
	v.measured = NAN;
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "-");
}

/* tw_judge() takes the median, and the mean of the middle two. */
static void fmt_samples_median(void **state UNUSED)
{
	static const struct tw_sample even[] = {
		{ 4, 0, 0 }, { 1, 0, 0 }, { 3, 0, 0 }, { 2, 0, 0 },
	};
	struct tw_result r = { 0 };
	struct tw_verdict *v;
	char buf[96];

	v = tw_judge(&r, &sc_lifetime, win_cc(0, 10), win_cc(0, 10), even, 4);
	assert_string_equal(ktap_measured(v, buf, sizeof(buf)),
			    "2.50 ms (min 1, max 4, n=4)");
	v = tw_judge(&r, &sc_lifetime, win_cc(0, 10), win_cc(0, 10), even, 0);
	assert_string_equal(ktap_measured(v, buf, sizeof(buf)), "-");
}

/* A short buffer truncates and terminates. */
static void fmt_short_buffer(void **state UNUSED)
{
	struct tw_verdict v = figure(61010, 60000, 62052, "ms");
	char buf[8];

	assert_string_equal(ktap_expected(&v, buf, sizeof(buf)), "(60000,");
	assert_string_equal(ktap_measured(&v, buf, sizeof(buf)), "61010 m");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ktap_header_line),
		cmocka_unit_test(ktap_pass_with_verdicts),
		cmocka_unit_test(ktap_fail_with_reason),
		cmocka_unit_test(reason_from_whole_verdict),
		cmocka_unit_test(ktap_skip),
		cmocka_unit_test(ktap_error),
		cmocka_unit_test(ktap_totals_footer),
		cmocka_unit_test(ktap_footer_empty),
		cmocka_unit_test(fmt_expected),
		cmocka_unit_test(fmt_window),
		cmocka_unit_test(fmt_measured),
		cmocka_unit_test(fmt_samples),
		cmocka_unit_test(fmt_samples_median),
		cmocka_unit_test(fmt_short_buffer),
	};

	return cmocka_run_group_tests_name("ktap", tests, NULL, NULL);
}
