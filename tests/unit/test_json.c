// SPDX-License-Identifier: GPL-2.0
/*
 * Results as JSON: what a case's child writes down the pipe must come
 * back field for field in the parent, and --json must have the shape
 * that tools reading it expect.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "json.h"
#include "kernel.h"

#define UNUSED __attribute__((unused))

/*
 * Equal, or both not finite: JSON has neither NaN (a figure the case did
 * not have) nor infinity (a window open on that side); both travel as null.
 */
static void assert_figure(double a, double b)
{
	if (!isfinite(a) || !isfinite(b))
		assert_true(!isfinite(a) && !isfinite(b));
	else
		assert_true(a == b);
}

static const struct tw_case fake = { .name = "tw_duration", .claims = "A02" };

/*
 * A made-up judge's sub-claims, one for each shape of figure, neither
 * registered nor in docs/claims.md.
 */
static const struct tw_subclaim sc_lifetime = { .id = "A01.lifetime", .fact = "K01", .unit = "ms",
	.what = "TIME_WAIT lasts 60 s", .article = "60 s" };
static const struct tw_subclaim sc_refuse = { .id = "A02.refuse", .fact = "K05", .unit = "errors",
	.what = "tw_reuse=0 refuses the port", .article = "never" };
static const struct tw_subclaim sc_absent = { .id = "A05r.absent", .fact = "K16", .what = "no figure for this one" };
static const struct tw_subclaim sc_at_most = { .id = "A09.at_most", .fact = "K03", .unit = "s",
	.what = "at most 5 s", .article = "5 s" };

/*
 * Four verdicts, one of each kind and each shape of figure: samples in
 * a window, an exact count (outside it: the result fails), no measurement
 * at all, and an open bottom.
 */
static void result_fill(struct tw_result *r)
{
	static const struct tw_sample x[] = {
		{ 62003, 0, 0 }, { 60123, 0, 0 }, { 61010.5, 0, 0 }, { 60999.25, 0, 0 },
		{ 61500, 0, 0 },
	};
	struct tw_verdict *v;

	memset(r, 0, sizeof(*r));
	r->wall_s = 61.875;

	v = tw_judge(r, &sc_lifetime, win_oc(60000, 62052), win_oc(60000, 62052), x, 5);
	tw_evidence(v, "level 3, granularity 512 jiffies at HZ=%d", 250);
	tw_judge_one(r, &sc_refuse, win_exact(0), win_exact(0), 3, 0, 0);
	tw_judge_na(r, &sc_absent, "not on this kernel");
	tw_judge_one(r, &sc_at_most, win_exact(5), win_at_most(5), 4.25, 0, 0);
}

static char read_err[256];

static int result_read(const json_t *j, struct tw_result *r)
{
	const struct json_in x = { "result", read_err, sizeof(read_err) };

	read_err[0] = '\0';
	return json_result_read(&x, "", j, r);
}

/* Through text, as across the pipe from child to parent. */
static void round_trip(const struct tw_result *in, struct tw_result *out)
{
	json_t *j = result_to_json(in), *back;
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	json_decref(j);
	back = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(back);
	if (result_read(back, out))
		fail_msg("%s", read_err);
	json_decref(back);
}

static void assert_verdict_equal(const struct tw_verdict *a, const struct tw_verdict *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->claim, b->claim);
	assert_int_equal(a->krel, b->krel);
	assert_string_equal(a->fact, b->fact);
	assert_int_equal(a->kind, b->kind);
	assert_string_equal(a->what, b->what);
	assert_string_equal(a->unit, b->unit);
	assert_string_equal(a->evidence, b->evidence);
	assert_figure(a->measured, b->measured);
	assert_figure(a->lo, b->lo);
	assert_figure(a->hi, b->hi);
	/* a single figure (n <= 1) carries no min/max across */
	if (a->n > 1) {
		assert_int_equal(a->n, b->n);
		assert_figure(a->min, b->min);
		assert_figure(a->max, b->max);
	} else {
		assert_true(b->n <= 1);
	}
}

static void json_round_trip(void **state UNUSED)
{
	struct tw_result *a = calloc(2, sizeof(*a)), *b = a + 1;

	assert_non_null(a);
	result_fill(a);
	round_trip(a, b);
	assert_int_equal(b->outcome, R_FAIL);
	assert_string_equal(b->reason, a->reason);
	assert_figure(b->wall_s, 61.875);
	assert_int_equal(b->nverdicts, 4);
	for (int i = 0; i < 4; i++)
		assert_verdict_equal(&a->v[i], &b->v[i]);
	assert_int_equal(a->v[0].kind, V_CONFIRMED);
	assert_int_equal(a->v[1].kind, V_REFUTED);
	assert_int_equal(a->v[2].kind, V_NA);
	assert_int_equal(a->v[3].kind, V_REFINED);

	/* spot checks, lest both sides be wrong the same way */
	assert_int_equal(b->v[0].n, 5);
	assert_figure(b->v[0].measured, 61010.5);
	assert_figure(b->v[0].min, 60123);
	assert_figure(b->v[0].max, 62003);
	assert_figure(b->v[1].lo, 0);
	assert_figure(b->v[1].hi, 0);
	assert_true(isnan(b->v[2].measured));
	assert_true(isnan(b->v[3].lo));
	assert_figure(b->v[3].hi, 5);
	free(a);
}

static void json_outcomes(void **state UNUSED)
{
	static const char *const names[] = { "pass", "fail", "skip", "error", "inconclusive" };
	struct tw_result *a = calloc(2, sizeof(*a)), *b = a + 1;

	assert_non_null(a);
	for (int o = 0; o < R_NOUTCOMES; o++) {
		json_t *j;

		memset(a, 0, sizeof(*a));
		a->outcome = o;
		snprintf(a->reason, sizeof(a->reason), "why %d", o);
		j = result_to_json(a);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "result")), names[o]);
		json_decref(j);
		round_trip(a, b);
		assert_int_equal(b->outcome, o);
		assert_string_equal(b->reason, a->reason);
		assert_int_equal(b->nverdicts, 0);
	}
	free(a);
}

/* Two samples are already samples: min and max must survive. */
static void json_two_samples(void **state UNUSED)
{
	static const struct tw_sample x[] = { { 60500, 0, 0 }, { 61500, 0, 0 } };
	struct tw_result *a = calloc(2, sizeof(*a)), *b = a + 1;
	json_t *j;

	assert_non_null(a);
	tw_judge(a, &sc_lifetime, win_oc(60000, 62052), win_oc(60000, 62052), x, 2);
	j = result_to_json(a);
	assert_non_null(j);
	assert_true(json_is_object(json_object_get(json_array_get(json_object_get(j, "claims"), 0),
						   "samples")));
	json_decref(j);
	round_trip(a, b);
	assert_int_equal(b->v[0].n, 2);
	assert_figure(b->v[0].measured, 61000);
	assert_figure(b->v[0].min, 60500);
	assert_figure(b->v[0].max, 61500);
	free(a);
}

/* The encoding itself: null for NaN, [lo, hi] for a window, a number for exact. */
static void json_verdict_shape(void **state UNUSED)
{
	struct tw_result *r = calloc(1, sizeof(*r));
	json_t *j, *claims, *v, *s;

	assert_non_null(r);
	result_fill(r);
	j = result_to_json(r);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "fail");
	assert_true(json_real_value(json_object_get(j, "wall_s")) == 61.875);
	claims = json_object_get(j, "claims");
	assert_true(json_is_array(claims));
	assert_int_equal(json_array_size(claims), 4);

	v = json_array_get(claims, 0);
	assert_string_equal(json_string_value(json_object_get(v, "id")), "A01");
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "confirmed");
	assert_string_equal(json_string_value(json_object_get(v, "fact")), "K01");
	assert_string_equal(json_string_value(json_object_get(v, "unit")), "ms");
	assert_true(json_is_array(json_object_get(v, "expected")));
	assert_true(json_number_value(json_array_get(json_object_get(v, "expected"), 0)) == 60000);
	assert_true(json_number_value(json_array_get(json_object_get(v, "expected"), 1)) == 62052);
	s = json_object_get(v, "samples");
	assert_true(json_is_object(s));
	assert_int_equal(json_integer_value(json_object_get(s, "n")), 5);
	assert_true(json_number_value(json_object_get(s, "median")) == 61010.5);
	assert_true(json_number_value(json_object_get(s, "min")) == 60123);
	assert_true(json_number_value(json_object_get(s, "max")) == 62003);

	v = json_array_get(claims, 1);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "refuted");
	assert_true(json_is_number(json_object_get(v, "expected")));
	assert_null(json_object_get(v, "samples"));	/* only when n > 1 */

	v = json_array_get(claims, 2);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "not applicable");
	assert_true(json_is_null(json_object_get(v, "measured")));
	assert_true(json_is_null(json_object_get(v, "expected")));

	v = json_array_get(claims, 3);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "refined");
	assert_true(json_is_null(json_array_get(json_object_get(v, "expected"), 0)));
	json_decref(j);
	free(r);
}

static void instance_fill(struct tw_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->c = &fake;
	in->p.family = AF_INET6;
	in->p.nset = 2;
	in->p.set[0] = (struct tw_sysctl){ .key = "tcp_tw_reuse", .val = "1" };
	in->p.set[1] = (struct tw_sysctl){ .key = "tcp_timestamps", .val = "0" };
	snprintf(in->name, sizeof(in->name),
		 "tw_duration.ipv6.tcp_tw_reuse=1,tcp_timestamps=0");
	result_fill(&in->r);
}

static void json_instance(void **state UNUSED)
{
	static const char *const keys[] = {
		"case", "name", "family", "params", "result", "reason", "claims", "wall_s",
		"pcap", "pcap_packets", "impair",
	};
	struct tw_instance *in = calloc(1, sizeof(*in));
	json_t *j, *params;

	assert_non_null(in);
	instance_fill(in);
	j = instance_to_json(in);
	assert_non_null(j);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(j, keys[i]));
	assert_int_equal(json_object_size(j), sizeof(keys) / sizeof(keys[0]));
	assert_string_equal(json_string_value(json_object_get(j, "case")), "tw_duration");
	/* no capture: null, not an empty path */
	assert_true(json_is_null(json_object_get(j, "pcap")));
	assert_string_equal(json_string_value(json_object_get(j, "name")), in->name);
	assert_string_equal(json_string_value(json_object_get(j, "family")), "ipv6");
	assert_string_equal(json_string_value(json_object_get(j, "result")), "fail");
	assert_string_equal(json_string_value(json_object_get(j, "reason")), in->r.reason);
	assert_int_equal(json_array_size(json_object_get(j, "claims")), 4);
	params = json_object_get(j, "params");
	assert_int_equal(json_object_size(params), 2);
	assert_string_equal(json_string_value(json_object_get(params, "tcp_tw_reuse")), "1");
	assert_string_equal(json_string_value(json_object_get(params, "tcp_timestamps")), "0");
	json_decref(j);
	free(in);
}

/* An instance varying nothing still has a params object, empty. */
static void json_instance_no_params(void **state UNUSED)
{
	struct tw_instance *in = calloc(1, sizeof(*in));
	json_t *j;

	assert_non_null(in);
	in->c = &fake;
	in->p.family = AF_INET;
	snprintf(in->name, sizeof(in->name), "tw_duration.ipv4");
	j = instance_to_json(in);
	assert_non_null(j);
	assert_true(json_is_object(json_object_get(j, "params")));
	assert_int_equal(json_object_size(json_object_get(j, "params")), 0);
	assert_string_equal(json_string_value(json_object_get(j, "family")), "ipv4");
	assert_string_equal(json_string_value(json_object_get(j, "result")), "pass");
	json_decref(j);
	free(in);
}

static void json_run(void **state UNUSED)
{
	static const struct kernel_info k = {
		.release = "6.1.0-28-amd64", .hz = 250, .hz_source = "/proc/config.gz",
		.ndefaults = 2, .defaults = {
			{ .key = "tcp_tw_reuse", .present = true, .val = "2" },
			{ .key = "tcp_tw_recycle", .present = false },
		},
	};
	struct tw_instance *in = calloc(2, sizeof(*in));
	json_t *j, *kj, *insts, *claims;

	assert_non_null(in);
	instance_fill(&in[0]);
	instance_fill(&in[1]);
	in[1].r.outcome = R_SKIP;
	j = run_to_json(&k, "2025-01-02T03:04:05Z", 123.5, in, 2);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 6);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), JSON_SCHEMA);
	/* the scorecard: A02 refuted by the second instance (the first failed, and counts too) */
	claims = json_object_get(j, "claims");
	assert_int_equal(json_array_size(claims), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(claims, 0), "id")),
			    "A02");
	assert_string_equal(json_string_value(json_object_get(json_array_get(claims, 0),
							      "verdict")), "refuted");
	kj = json_object_get(j, "kernel");
	assert_int_equal(json_object_size(kj), 4);
	/* defaults of a fresh namespace: an absent sysctl is null */
	assert_string_equal(json_string_value(json_object_get(json_object_get(kj, "defaults"),
							      "tcp_tw_reuse")), "2");
	assert_true(json_is_null(json_object_get(json_object_get(kj, "defaults"), "tcp_tw_recycle")));
	assert_string_equal(json_string_value(json_object_get(kj, "release")), "6.1.0-28-amd64");
	assert_int_equal(json_integer_value(json_object_get(kj, "hz")), 250);
	assert_string_equal(json_string_value(json_object_get(kj, "hz_source")), "/proc/config.gz");
	assert_string_equal(json_string_value(json_object_get(j, "started")),
			    "2025-01-02T03:04:05Z");
	assert_true(json_number_value(json_object_get(j, "wall_s")) == 123.5);
	insts = json_object_get(j, "instances");
	assert_int_equal(json_array_size(insts), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(insts, 1), "result")),
			    "skip");
	json_decref(j);

	/* no instances: an empty array, not a missing key */
	j = run_to_json(&k, "2025-01-02T03:04:05Z", 0, in, 0);
	assert_non_null(j);
	assert_true(json_is_array(json_object_get(j, "instances")));
	assert_int_equal(json_array_size(json_object_get(j, "instances")), 0);
	json_decref(j);
	free(in);
}

static int decode(const char *text, struct tw_result *r)
{
	json_t *j = json_loads(text, 0, NULL);
	int err;

	assert_non_null(j);
	err = result_read(j, r);
	json_decref(j);
	return err;
}

#define RESULT_REST "\"reason\":\"\",\"wall_s\":0.1,\"pcap\":null,\"pcap_packets\":0," \
			"\"impair\":null"
#define VERDICT_REST "\"what\":\"w\",\"measured\":null,\"expected\":null,\"unit\":\"\"," \
			"\"fact\":\"K01\",\"evidence\":\"\""

/* Each refusal names the field, in one line. */
static void rejects(const char *text, const char *words)
{
	struct tw_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	assert_int_equal(decode(text, r), -EINVAL);
	if (!strstr(read_err, words))
		fail_msg("\"%s\" does not say \"%s\"", read_err, words);
	assert_null(strchr(read_err, '\n'));
	free(r);
}

static void json_rejects(void **state UNUSED)
{
	struct tw_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	rejects("{\"result\":\"maybe\",\"claims\":[]," RESULT_REST "}",
		"'result' is \"maybe\", not one of pass, fail");
	rejects("{\"result\":\"PASS\",\"claims\":[]," RESULT_REST "}", "'result' is \"PASS\"");
	rejects("{\"claims\":[]," RESULT_REST "}", "'result' is missing");
	rejects("{\"result\":1,\"claims\":[]," RESULT_REST "}", "'result' is a number");
	rejects("{\"result\":\"pass\"," RESULT_REST "}", "'claims' is missing");
	rejects("{\"result\":\"pass\",\"claims\":[],\"reason\":\"\"}", "'wall_s' is missing");
	rejects("{\"result\":\"pass\",\"claims\":{}," RESULT_REST "}", "'claims' is an object");
	rejects("[]", "an array, not an object");
	/* a verdict of no known kind spoils the whole result */
	rejects("{\"result\":\"pass\",\"claims\":[{\"id\":\"A01\",\"verdict\":\"plausible\","
		VERDICT_REST "}]," RESULT_REST "}", "claims[0]: 'verdict' is \"plausible\"");
	rejects("{\"result\":\"pass\",\"claims\":[{\"id\":\"A01\",\"verdict\":\"confirmed\"}],"
		RESULT_REST "}", "claims[0]: 'what' is missing");
	rejects("{\"result\":\"pass\",\"claims\":[42]," RESULT_REST "}", "claims[0]: a number");
	rejects("{\"result\":\"pass\",\"claims\":[{\"id\":\"A01\",\"verdict\":\"confirmed\","
		VERDICT_REST ",\"subclaim\":\"A01.x\",\"kernel_rel\":\"near\"}]," RESULT_REST "}",
		"'kernel_rel' is \"near\"");
	/* the smallest acceptable result */
	assert_int_equal(decode("{\"result\":\"skip\",\"claims\":[]," RESULT_REST "}", r), 0);
	assert_int_equal(r->outcome, R_SKIP);
	assert_string_equal(r->reason, "");
	free(r);
}

static void json_too_many_claims(void **state UNUSED)
{
	struct tw_result *r = calloc(1, sizeof(*r));
	json_t *j = json_pack("{s:s, s:[], s:s, s:f, s:n, s:i, s:n}", "result", "pass", "claims",
			      "reason", "", "wall_s", 0.1, "pcap", "pcap_packets", 0, "impair");

	assert_non_null(r);
	assert_non_null(j);
	for (int i = 0; i <= TW_MAX_VERDICTS; i++)
		json_array_append_new(json_object_get(j, "claims"),
				      json_pack("{s:s, s:s, s:s, s:n, s:n, s:s, s:s, s:s}",
						"id", "A01", "verdict", "confirmed", "what", "w",
						"measured", "expected", "unit", "", "fact", "",
						"evidence", ""));
	assert_int_equal(result_read(j, r), -EINVAL);
	assert_non_null(strstr(read_err, "more than"));
	/* exactly TW_MAX_VERDICTS fit */
	json_array_remove(json_object_get(j, "claims"), 0);
	assert_int_equal(result_read(j, r), 0);
	assert_int_equal(r->nverdicts, TW_MAX_VERDICTS);
	json_decref(j);
	free(r);
}

/* Strings longer than their fields are cut, not overrun. */
static void json_truncates(void **state UNUSED)
{
	struct tw_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	assert_int_equal(decode("{\"result\":\"pass\",\"claims\":[{\"verdict\":\"confirmed\","
				"\"id\":\"A01234567890\",\"what\":\"w\",\"measured\":5,"
				"\"expected\":null,\"unit\":\"\",\"fact\":\"\",\"evidence\":\"\"}],"
				RESULT_REST "}", r), 0);
	assert_int_equal(r->nverdicts, 1);
	assert_string_equal(r->v[0].claim, "A012345");
	assert_figure(r->v[0].measured, 5);
	assert_true(isnan(r->v[0].lo));	/* no "expected": no figure */
	assert_int_equal(r->v[0].n, 1);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(json_outcomes),
		cmocka_unit_test(json_two_samples),
		cmocka_unit_test(json_verdict_shape),
		cmocka_unit_test(json_instance),
		cmocka_unit_test(json_instance_no_params),
		cmocka_unit_test(json_run),
		cmocka_unit_test(json_rejects),
		cmocka_unit_test(json_too_many_claims),
		cmocka_unit_test(json_truncates),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
