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
/* The verdict of @inst whose "what" contains @what; fails the test if none. */
/* The verdict on sub-claim @id ("A02.tw_lifetime"); fails the test if none. */
json_t *itest_subclaim(json_t *inst, const char *id);
void itest_window(json_t *v, const char *key, double *lo, double *hi);
json_t *itest_verdict(json_t *inst, const char *what);
json_t *itest_verdict_maybe(json_t *inst, const char *what);
json_t *itest_subclaim_is(json_t *inst, const char *id, const char *kind);
double itest_num(json_t *obj, const char *key);	/* fails unless a number */
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
