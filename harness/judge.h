/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one rule that turns a measurement into a verdict.
 *
 * Every sub-claim carries two predictions: the article's, from its own
 * words, and the kernel's, from the kernel facts at the running HZ and
 * version.  Both are windows on the real line; counts and yes/no
 * outcomes are windows too ([1, 1] is "yes").  A figure is one or more
 * samples, each with the observer's own uncertainty: the truth lies in
 * [x - below, x + above].  The verdict follows from where the samples
 * lie, never from a word a case writes:
 *
 *   kernel window   article window       verdict         result
 *   all inside      all inside           confirmed       pass
 *   all inside      one outside          refined if the  pass
 *                                        windows overlap,
 *                                        else refuted
 *   one outside     -                    (by article)    fail
 *   otherwise (a sample straddles an edge it is judged
 *   against)                             inconclusive    inconclusive
 *
 * A sample "straddles" when its uncertainty reaches both sides of an
 * edge: the observer cannot tell, so neither can we.
 */
#ifndef TWLAB_JUDGE_H
#define TWLAB_JUDGE_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* An interval, each end open or closed, +-INFINITY for none; empty if lo > hi. */
struct tw_window {
	double lo, hi;
	bool lo_open, hi_open;
};

static inline struct tw_window win_cc(double lo, double hi)
{
	return (struct tw_window){ lo, hi, false, false };
}

/* (lo, hi]: a timer that fires after its expiry, by up to a bound. */
static inline struct tw_window win_oc(double lo, double hi)
{
	return (struct tw_window){ lo, hi, true, false };
}

static inline struct tw_window win_exact(double x)
{
	return win_cc(x, x);
}

static inline struct tw_window win_at_least(double lo)
{
	return win_cc(lo, INFINITY);
}

static inline struct tw_window win_at_most(double hi)
{
	return win_cc(-INFINITY, hi);
}

/* Anything: a kernel that the facts make no prediction for. */
static inline struct tw_window win_any(void)
{
	return win_cc(-INFINITY, INFINITY);
}

/* One measured value; the truth lies in [x - below, x + above]. */
struct tw_sample {
	double x, below, above;
};

static inline struct tw_sample sample_exact(double x)
{
	return (struct tw_sample){ x, 0, 0 };
}

/* A search narrowed the figure to (lo, hi]. */
static inline struct tw_sample sample_bounds(double lo, double hi)
{
	return (struct tw_sample){ hi, hi - lo, 0 };
}

/* Sort @n figures in place, ascending. */
void tw_sort(double *x, int n);

/* The median of @n > 0 sorted figures. */
static inline double tw_median(const double *x, int n)
{
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

enum tw_rel { REL_INSIDE, REL_STRADDLES, REL_OUTSIDE };

bool win_empty(const struct tw_window *w);
bool win_contains(const struct tw_window *w, double x);
bool win_overlap(const struct tw_window *a, const struct tw_window *b);
/* Where one sample lies against @w, its uncertainty included. */
enum tw_rel win_relate(const struct tw_window *w, const struct tw_sample *s);
/* Outside if any sample is; inside if all are; else straddles. */
enum tw_rel win_relate_all(const struct tw_window *w, const struct tw_sample *s, int n);
/*
 * A figure as text: "-" for NaN (none), "inf", whole numbers and those
 * from @whole_from up without decimals, the rest by @fmt ("%.2f").
 */
char *tw_number(double x, double whole_from, const char *fmt, char *buf, size_t len)
	__attribute__((format(printf, 3, 0)));
/* A figure as KTAP and evidence write it: whole from 1000 up, else to two decimals. */
char *tw_figure(double x, char *buf, size_t len);
/*
 * "(60000, 62052]", "[1, 1]" as "1", "[64, inf)" as ">= 64", "none", "any";
 * each end written by tw_figure(), or by @num given @arg.
 */
char *win_format(const struct tw_window *w, char *buf, size_t len);
typedef char *(*tw_numfmt)(double x, const void *arg, char *buf, size_t len);
char *win_format_with(const struct tw_window *w, tw_numfmt num, const void *arg, char *buf,
		      size_t len);
const char *tw_rel_name(enum tw_rel r);

/*
 * A sub-claim, declared beside its judge by its ID alone (TW_SUBCLAIM()):
 * its unit, fact and words are those its claim's "Sub-claims:" list in
 * docs/claims.md gives it, so the document is their one source.  Its @id
 * never changes with wording: reports and diffs match on it.
 */
struct tw_subclaim {
	const char *id;		/* "A02.tw_lifetime": the claim, a dot, a name */
	const char *fact;	/* the kernel fact its kernel window comes from */
	const char *unit;
	const char *what;	/* what was measured, for a person */
	const char *article;	/* the article's prediction, in its words */
	const char *file;	/* the judge that declares it: its tests must reach every verdict */
};

/* The claim of sub-claim @id, "A02" of "A02.tw_lifetime", into @buf (cut to fit). */
char *subclaim_claim(const char *id, char *buf, size_t len);

/* @sc filled in from docs/claims.md, and registered; an ID it does not list stops twlab. */
void subclaim_declare(struct tw_subclaim *sc);
void subclaim_add(const struct tw_subclaim *sc);
int subclaims_count(void);
const struct tw_subclaim *subclaim_at(int i);
const struct tw_subclaim *subclaim_find(const char *id);

#define TW_SUBCLAIM(var, sid)						\
	static struct tw_subclaim var = { .id = sid, .file = __FILE__ };	\
	static void __attribute__((constructor)) tw_register_sc_##var(void) \
	{								\
		subclaim_declare(&var);					\
	}

#endif
