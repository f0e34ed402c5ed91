// SPDX-License-Identifier: GPL-2.0
/*
 * The roll-up from sub-claims to one verdict per claim (docs/claims.md):
 * a refutation outweighs a refinement outweighs a confirmation; with no
 * conclusive verdict, inconclusive outweighs not applicable; a broken
 * instance judges nothing; a claim no case of the run checks is left out.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scorecard.h"

static const struct tw_case dur = { .name = "tw_duration", .claims = "A02" };
static const struct tw_case reuse = { .name = "tw_reuse", .claims = "A11 A12" };

static void add(struct tw_instance *in, const char *sub, enum tw_verdict_kind k)
{
	struct tw_verdict *v = &in->r.v[in->r.nverdicts++];

	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", sub);
	snprintf(v->claim, sizeof(v->claim), "%.3s", sub);
	snprintf(v->fact, sizeof(v->fact), "K03");
	v->kind = k;
	v->measured = 1;
}

static int build(struct tw_instance *in, int n, struct claim_score *s)
{
	int ns = scorecard_build(in, n, s, SCORECARD_MAX);

	assert_true(ns >= 0);
	return ns;
}

static void refuted_outweighs(void **state)
{
	struct tw_instance in[2] = { { .c = &dur, .name = "a" }, { .c = &dur, .name = "b" } };
	struct claim_score s[SCORECARD_MAX];

	(void)state;
	add(&in[0], "A02.tw_lifetime", V_CONFIRMED);
	add(&in[0], "A02.orphan_fin_wait2", V_REFINED);
	add(&in[1], "A02.tw_lifetime", V_REFUTED);
	add(&in[1], "A02.orphan_fin_wait2", V_INCONCLUSIVE);
	assert_int_equal(build(in, 2, s), 1);
	assert_string_equal(s[0].claim, "A02");
	assert_int_equal(s[0].kind, V_REFUTED);
	assert_string_equal(s[0].v->id, "A02.tw_lifetime");
	assert_string_equal(s[0].in->name, "b");
	assert_int_equal(s[0].count[V_CONFIRMED], 1);
	assert_int_equal(s[0].count[V_INCONCLUSIVE], 1);
}

/* One conclusive verdict outweighs any number of inconclusive ones. */
static void conclusive_outweighs(void **state)
{
	struct tw_instance in[1] = { { .c = &dur, .name = "a" } };
	struct claim_score s[SCORECARD_MAX];

	(void)state;
	add(&in[0], "A02.tw_lifetime", V_INCONCLUSIVE);
	add(&in[0], "A02.orphan_fin_wait2", V_NA);
	add(&in[0], "A02.orphan_fin_wait2", V_CONFIRMED);
	build(in, 1, s);
	assert_int_equal(s[0].kind, V_CONFIRMED);
	assert_string_equal(s[0].v->id, "A02.orphan_fin_wait2");
}

static void inconclusive_then_na(void **state)
{
	struct tw_instance in[1] = { { .c = &dur, .name = "a" } };
	struct claim_score s[SCORECARD_MAX];

	(void)state;
	add(&in[0], "A02.orphan_fin_wait2", V_NA);
	build(in, 1, s);
	assert_int_equal(s[0].kind, V_NA);
	add(&in[0], "A02.tw_lifetime", V_INCONCLUSIVE);
	build(in, 1, s);
	assert_int_equal(s[0].kind, V_INCONCLUSIVE);
}

/* A broken experiment judges nothing; a claim its cases check but no verdict reached stays "not judged". */
static void error_judges_nothing(void **state)
{
	struct tw_instance in[2] = { { .c = &reuse, .name = "r" }, { .c = &dur, .name = "d" } };
	struct claim_score s[SCORECARD_MAX];

	(void)state;
	add(&in[0], "A11.reuse_threshold", V_REFUTED);
	in[0].r.outcome = R_ERROR;
	add(&in[1], "A02.tw_lifetime", V_REFINED);
	assert_int_equal(build(in, 2, s), 3);
	assert_string_equal(s[0].claim, "A02");
	assert_string_equal(s[1].claim, "A11");
	assert_int_equal(s[1].kind, V_NKINDS);
	assert_null(s[1].v);
	assert_string_equal(s[2].claim, "A12");
}

/* "A1" is not "A11"; the table's order, not the run's, orders the card. */
static void claims_by_word_in_table_order(void **state)
{
	static const struct tw_case c = { .name = "x", .claims = "A13 A1 A05r" };
	struct tw_instance in[1] = { { .c = &c, .name = "x" } };
	struct claim_score s[SCORECARD_MAX];

	(void)state;
	assert_int_equal(build(in, 1, s), 2);
	assert_string_equal(s[0].claim, "A05r");
	assert_string_equal(s[1].claim, "A13");
}

/* The same rule over any instances, per claim or per sub-claim: what twlab report rolls up. */
static void roll_per_subclaim(void **state)
{
	struct tw_result r[2] = { 0 };
	const struct score_src src[2] = { { NULL, "x.ipv4", &r[0] }, { NULL, "x.ipv6", &r[1] } };
	struct tw_instance in[2] = { 0 };
	struct claim_score s;

	(void)state;
	add(&in[0], "A02.tw_lifetime", V_CONFIRMED);
	add(&in[0], "A02.orphan_fin_wait2", V_REFUTED);
	add(&in[1], "A02.tw_lifetime", V_REFINED);
	r[0] = in[0].r;
	r[1] = in[1].r;
	scorecard_roll(src, 2, "A02", NULL, &s);
	assert_int_equal(s.kind, V_REFUTED);
	assert_int_equal(s.src, 0);
	scorecard_roll(src, 2, "A02", "A02.tw_lifetime", &s);
	assert_int_equal(s.kind, V_REFINED);
	assert_int_equal(s.src, 1);
	assert_string_equal(s.v->id, "A02.tw_lifetime");
	assert_int_equal(s.count[V_CONFIRMED] + s.count[V_REFINED], 2);
	assert_null(s.in);		/* no tw_instance behind a score_src */
	/* a verdict with no ID yet is its own sub-claim, by its words */
	r[1].v[0].id[0] = '\0';
	snprintf(r[1].v[0].what, sizeof(r[1].v[0].what), "lifetime");
	assert_string_equal(scorecard_key(&r[1].v[0]), "lifetime");
	scorecard_roll(src, 2, "A02", "lifetime", &s);
	assert_int_equal(s.kind, V_REFINED);
	scorecard_roll(src, 2, "A02", "A02.tw_lifetime", &s);
	assert_int_equal(s.kind, V_CONFIRMED);
	scorecard_roll(src, 2, "A03", NULL, &s);
	assert_int_equal(s.kind, V_NKINDS);
	assert_int_equal(s.src, -1);
	assert_null(s.v);
}

static void ktap_lines(void **state)
{
	struct tw_instance in[1] = { { .c = &dur, .name = "tw_duration.ipv4" } };
	struct claim_score s[SCORECARD_MAX];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	add(&in[0], "A02.tw_lifetime", V_REFINED);
	snprintf(in[0].r.v[0].unit, sizeof(in[0].r.v[0].unit), "ms");
	in[0].r.v[0].measured = 61010;
	scorecard_ktap(f, s, build(in, 1, s));
	fclose(f);
	assert_non_null(strstr(buf, "\n# A02  refined        A02.tw_lifetime = 61010 ms in "
				    "tw_duration.ipv4 [K03]\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuted_outweighs),
		cmocka_unit_test(conclusive_outweighs),
		cmocka_unit_test(inconclusive_then_na),
		cmocka_unit_test(error_judges_nothing),
		cmocka_unit_test(claims_by_word_in_table_order),
		cmocka_unit_test(roll_per_subclaim),
		cmocka_unit_test(ktap_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
