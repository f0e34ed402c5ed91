/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every root integration test does: run twlab as a user would, with
 * --json, and read back the instances, their parameters and verdicts.
 */
#ifndef TWLAB_ITEST_H
#define TWLAB_ITEST_H

#include <stdbool.h>

#include <jansson.h>

#include "lab.h"

/*
 * cmocka group setup: run `$TWLAB run @args --json F` and leave the parsed
 * JSON in *@state; NULL (the tests then skip) without root or $TWLAB.
 */
int itest_run(void **state, const char *args);
int itest_free(void **state);

/* 0, or -1 when $TWLAB_VALIDATE (tests/validate-json.sh) refuses @path. */
int itest_validate(const char *path);
json_t *itest_instances(json_t *root);
const char *itest_str(json_t *obj, const char *key);
int itest_param(json_t *inst, const char *key);	/* -1 when not set */
bool itest_is_case(json_t *inst, const char *name);
/* The verdict on sub-claim @id ("A02.tw_lifetime"); fails the test if none. */
json_t *itest_subclaim(json_t *inst, const char *id);
json_t *itest_subclaim_maybe(json_t *inst, const char *id);	/* NULL if none */
void itest_window(json_t *v, const char *key, double *lo, double *hi);
/* Fails the test unless window @key of @v is [@lo, @hi], each end within @tol. */
void itest_assert_window(json_t *v, const char *key, double lo, double hi, double tol);
/* The observer's uncertainty on @v's figure: the truth in [measured - below, + above]. */
double itest_below(json_t *v);
double itest_above(json_t *v);
/*
 * sscanf() of @v's evidence from where @fmt's literal head ("tcpi_rto ")
 * first occurs; fails the test unless all @n conversions match.
 */
void itest_evidence_scan(json_t *v, int n, const char *fmt, ...)
	__attribute__((format(scanf, 3, 4)));
/* The verdict of @inst whose "what" contains @what; fails the test if none. */
json_t *itest_verdict(json_t *inst, const char *what);
json_t *itest_verdict_maybe(json_t *inst, const char *what);
/*
 * The verdict on @id, inside the kernel's window and @kind (fails the
 * test if not); NULL when inconclusive: the caller checks no figure of it.
 */
json_t *itest_conclusive(json_t *inst, const char *id, const char *kind);
double itest_num(json_t *obj, const char *key);	/* fails unless a number */
/* Of the run's kernel: its HZ, KV() of its release, tcp_rto_min_us (HZ/5 before 6.11). */
unsigned int itest_hz(json_t *root);
unsigned int itest_version(json_t *root);
unsigned int itest_rto_min_us(json_t *root);
double itest_expected(json_t *v, int i);	/* expected, or its window's lo/hi */
void itest_assert_verdict(json_t *v, const char *kind);
void itest_assert_all_pass(json_t *root);
/* @n instances in all, every one of case @name, and every one passed. */
void itest_assert_case_passed(json_t *root, const char *name, size_t n);
/* The first integer in file @path: false when it cannot be read. */
bool itest_read_long(const char *path, long *v);

/*
 * For tests that drive lib/ directly: a lab of @shape, and the namespace
 * the test started in.  -1 (the group fails) without root or on error.
 */
int itest_lab_up(struct netns *home, struct lab *lab, enum lab_shape shape, unsigned int id);
void itest_lab_down(struct netns *home, struct lab *lab);

/*
 * A test's cmocka group setup() and teardown() around one lab of @shape:
 * @type has `struct netns home` and `struct lab lab` among its members.
 */
#define ITEST_LAB_GROUP(type, shape, id)				\
	static int setup(void **state)					\
	{								\
		static type f;						\
									\
		*state = &f;						\
		return itest_lab_up(&f.home, &f.lab, (shape), (id));	\
	}								\
	static int teardown(void **state)				\
	{								\
		type *f = *state;					\
									\
		itest_lab_down(&f->home, &f->lab);			\
		return 0;						\
	}

#define ITEST_NEED_RUN(state)						\
	do {								\
		if (!*(state))						\
			skip();						\
	} while (0)

#endif
