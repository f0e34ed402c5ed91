/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every judge test shares: run a judge on synthetic figures, assert
 * the verdict and the result each sub-claim gets, and, at the end, that
 * every sub-claim of the judge was driven to at least two verdicts and to
 * both a pass and a fail -- a verdict that cannot change is no verdict.
 */
#ifndef TWLAB_JUDGE_TEST_H
#define TWLAB_JUDGE_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "case.h"

#define JT_MAX	64

struct jt_seen {
	const char *id;
	unsigned int kinds;	/* 1 << enum tw_verdict_kind */
	unsigned int rels;	/* 1 << enum tw_rel */
};

static struct jt_seen jt_seen[JT_MAX];

static inline struct jt_seen *jt_slot(const char *id)
{
	for (int i = 0; i < JT_MAX; i++) {
		if (!jt_seen[i].id)
			jt_seen[i].id = id;
		if (!strcmp(jt_seen[i].id, id))
			return &jt_seen[i];
	}
	fail_msg("more than %d sub-claims", JT_MAX);
	return NULL;
}

static inline const struct tw_verdict *jt_verdict(const struct tw_result *r, const char *id)
{
	for (int i = 0; i < r->nverdicts; i++)
		if (!strcmp(r->v[i].id, id))
			return &r->v[i];
	fail_msg("no verdict %s among %d", id, r->nverdicts);
	return NULL;
}

/*
 * judge(): @name's judge run on a figure passed by value, so a test can
 * change one field of fig() and judge again.
 */
#define JT_DEFINE_JUDGE(name)						\
static struct tw_result judge(struct name##_fig f)			\
{									\
	struct tw_result r = { 0 };					\
									\
	name##_judge(&f, &r);						\
	return r;							\
}

/* Sub-claim @id got @kind, and the figure was @rel the kernel's window. */
static inline void jt_expect(const struct tw_result *r, const char *id,
			     enum tw_verdict_kind kind, enum tw_rel rel)
{
	const struct tw_verdict *v = jt_verdict(r, id);
	struct jt_seen *s = jt_slot(subclaim_find(id) ? subclaim_find(id)->id : id);

	if (v->kind != kind || v->krel != rel)
		fail_msg("%s: %s, %s the kernel's window; expected %s, %s", id,
			 tw_verdict_name(v->kind), tw_rel_name(v->krel),
			 tw_verdict_name(kind), tw_rel_name(rel));
	s->kinds |= 1u << v->kind;
	s->rels |= 1u << v->krel;
}

static inline void jt_outcome(const struct tw_result *r, enum tw_outcome o)
{
	if (r->outcome != o)
		fail_msg("result %s, expected %s (%s)", tw_outcome_name(r->outcome),
			 tw_outcome_name(o), r->reason);
}

/*
 * Every sub-claim declared in @judge_file reached two verdicts or more
 * and a figure inside and outside the kernel's window (or, for one that
 * only says "not applicable" or "inconclusive" without a figure, two
 * verdicts).
 */
static inline void jt_coverage(const char *judge_file)
{
	int n = 0;

	for (int i = 0; i < subclaims_count(); i++) {
		const struct tw_subclaim *sc = subclaim_at(i);
		struct jt_seen *s;

		if (strcmp(sc->file, judge_file))
			continue;
		n++;
		s = jt_slot(sc->id);
		if (__builtin_popcount(s->kinds) < 2)
			fail_msg("%s: its tests reach %d verdict(s): a verdict that cannot "
				 "change", sc->id, __builtin_popcount(s->kinds));
		if (!(s->rels & 1u << REL_INSIDE) || !(s->rels & 1u << REL_OUTSIDE))
			fail_msg("%s: its tests never %s the kernel's window", sc->id,
				 s->rels & 1u << REL_INSIDE ? "leave" : "stay inside");
	}
	if (!n)
		fail_msg("no sub-claim declared in %s", judge_file);
}

/* coverage(): the test that runs last, jt_coverage() of cases/judges/@name.c. */
#define JT_DEFINE_COVERAGE(name)					\
static void coverage(void **state)					\
{									\
	(void)state;							\
	jt_coverage("cases/judges/" #name ".c");			\
}

#endif
