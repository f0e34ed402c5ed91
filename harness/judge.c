// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict rule (judge.h), and the sub-claims' words from docs/claims.md;
 * their registry is in registry.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "claims.h"
#include "judge.h"

bool win_empty(const struct tw_window *w)
{
	return w->lo > w->hi || (w->lo == w->hi && (w->lo_open || w->hi_open));
}

static bool above_lo(const struct tw_window *w, double x)
{
	return w->lo_open ? x > w->lo : x >= w->lo;
}

static bool below_hi(const struct tw_window *w, double x)
{
	return w->hi_open ? x < w->hi : x <= w->hi;
}

bool win_contains(const struct tw_window *w, double x)
{
	return above_lo(w, x) && below_hi(w, x);
}

bool win_overlap(const struct tw_window *a, const struct tw_window *b)
{
	struct tw_window i = {
		.lo = fmax(a->lo, b->lo), .hi = fmin(a->hi, b->hi),
		.lo_open = a->lo > b->lo ? a->lo_open : a->lo < b->lo ? b->lo_open :
			   a->lo_open || b->lo_open,
		.hi_open = a->hi < b->hi ? a->hi_open : a->hi > b->hi ? b->hi_open :
			   a->hi_open || b->hi_open,
	};

	return !win_empty(a) && !win_empty(b) && !win_empty(&i);
}

/*
 * The truth is somewhere in [x - below, x + above]: inside when all of
 * that is in @w, outside when none of it is.  A NaN figure (nothing was
 * measured) decides nothing.
 */
enum tw_rel win_relate(const struct tw_window *w, const struct tw_sample *s)
{
	double lo = s->x - s->below, hi = s->x + s->above;

	if (isnan(s->x) || isnan(lo) || isnan(hi))
		return REL_STRADDLES;
	if (win_contains(w, lo) && win_contains(w, hi))
		return REL_INSIDE;
	if (!below_hi(w, lo) || !above_lo(w, hi))
		return REL_OUTSIDE;
	return REL_STRADDLES;
}

enum tw_rel win_relate_all(const struct tw_window *w, const struct tw_sample *s, int n)
{
	enum tw_rel worst = REL_INSIDE;

	for (int i = 0; i < n; i++) {
		enum tw_rel r = win_relate(w, &s[i]);

		if (r == REL_OUTSIDE)
			return REL_OUTSIDE;
		if (r == REL_STRADDLES)
			worst = REL_STRADDLES;
	}
	return n > 0 ? worst : REL_STRADDLES;
}

char *tw_number(double x, double whole_from, const char *fmt, char *buf, size_t len)
{
	if (isnan(x))
		snprintf(buf, len, "-");
	else if (isinf(x))
		snprintf(buf, len, "%sinf", x < 0 ? "-" : "");
	else if (x == rint(x) || fabs(x) >= whole_from)
		snprintf(buf, len, "%.0f", x);
	else
		snprintf(buf, len, fmt, x);
	return buf;
}

char *tw_figure(double x, char *buf, size_t len)
{
	return tw_number(x, 1000, "%.2f", buf, len);
}

char *win_format_with(const struct tw_window *w, tw_numfmt num, const void *arg, char *buf,
		      size_t len)
{
	char lo[32], hi[32];

	if (win_empty(w))
		snprintf(buf, len, "none");
	else if (isinf(w->lo) && isinf(w->hi))
		snprintf(buf, len, "any");
	else if (w->lo == w->hi)
		snprintf(buf, len, "%s", num(w->lo, arg, lo, sizeof(lo)));
	else if (isinf(w->hi))
		snprintf(buf, len, "%s %s", w->lo_open ? ">" : ">=", num(w->lo, arg, lo, sizeof(lo)));
	else if (isinf(w->lo))
		snprintf(buf, len, "%s %s", w->hi_open ? "<" : "<=", num(w->hi, arg, hi, sizeof(hi)));
	else
		snprintf(buf, len, "%c%s, %s%c", w->lo_open ? '(' : '[',
			 num(w->lo, arg, lo, sizeof(lo)), num(w->hi, arg, hi, sizeof(hi)),
			 w->hi_open ? ')' : ']');
	return buf;
}

static char *figure(double x, const void *arg, char *buf, size_t len)
{
	(void)arg;
	return tw_figure(x, buf, len);
}

char *win_format(const struct tw_window *w, char *buf, size_t len)
{
	return win_format_with(w, figure, NULL, buf, len);
}

const char *tw_rel_name(enum tw_rel r)
{
	static const char *const names[] = {
		[REL_INSIDE] = "inside", [REL_STRADDLES] = "straddles", [REL_OUTSIDE] = "outside",
	};

	return r <= REL_OUTSIDE ? names[r] : "?";
}

enum tw_verdict_kind tw_rule(const struct tw_window *article, const struct tw_window *kernel,
			     const struct tw_sample *s, int n, enum tw_rel *krel)
{
	enum tw_rel a = win_relate_all(article, s, n);

	*krel = win_relate_all(kernel, s, n);
	if (*krel == REL_STRADDLES || a == REL_STRADDLES)
		return V_INCONCLUSIVE;
	if (a == REL_INSIDE)
		return V_CONFIRMED;
	/* where the kernel's own window is missed, the article's fate is moot */
	if (*krel == REL_OUTSIDE || !win_overlap(article, kernel))
		return V_REFUTED;
	return V_REFINED;
}

char *subclaim_claim(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(id, "."), id);
	return buf;
}

void subclaim_declare(struct tw_subclaim *sc)
{
	const struct subclaim_info *in = subclaim_info_at(subclaim_info_index(sc->id));

	if (!in) {
		fprintf(stderr, "twlab: sub-claim %s (%s) is not in docs/claims.md: list it "
			"under its claim's \"Sub-claims:\"\n", sc->id, sc->file);
		abort();
	}
	sc->unit = in->unit;
	sc->fact = in->fact;
	sc->what = in->what;
	sc->article = in->article;
	subclaim_add(sc);
}

static struct tw_verdict *verdict_new(struct tw_result *r, const struct tw_subclaim *sc)
{
	struct tw_verdict *v;

	if (r->nverdicts >= TW_MAX_VERDICTS)
		abort();	/* a case judging more is a bug in the case */
	v = &r->v[r->nverdicts++];
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", sc->id);
	subclaim_claim(sc->id, v->claim, sizeof(v->claim));
	snprintf(v->fact, sizeof(v->fact), "%s", sc->fact);
	snprintf(v->what, sizeof(v->what), "%s", sc->what);
	snprintf(v->unit, sizeof(v->unit), "%s", sc->unit ?: "");
	v->measured = v->lo = v->hi = v->min = v->max = NAN;
	v->art = v->kern = win_any();
	v->krel = REL_INSIDE;
	return v;
}

/*
 * Fold one verdict into the instance's result: a figure outside the
 * kernel's window fails it, an undecidable one makes it inconclusive
 * unless something already failed; an error or a skip stays.
 */
static void settle(struct tw_result *r, const struct tw_verdict *v)
{
	char fig[96], win[64];

	if (r->outcome == R_ERROR || r->outcome == R_SKIP)
		return;
	if (v->krel == REL_OUTSIDE) {
		if (r->outcome != R_FAIL)
			r->reason[0] = '\0';
		r->outcome = R_FAIL;
	} else if (v->kind == V_INCONCLUSIVE && r->outcome != R_FAIL) {
		r->outcome = R_INCONCLUSIVE;
	} else {
		return;
	}
	if (isnan(v->measured)) {
		tw_reason_add(r, "%s: %s", v->id, v->evidence[0] ? v->evidence : "nothing measured");
		return;
	}
	if (v->bounds)
		snprintf(fig, sizeof(fig), "(%.6g, %.6g] %s", v->min, v->max, v->unit);
	else if (v->n > 1)
		snprintf(fig, sizeof(fig), "%.6g..%.6g %s (n=%d, each -%.3g/+%.3g)", v->min,
			 v->max, v->unit, v->n, v->below, v->above);
	else
		snprintf(fig, sizeof(fig), "%.6g %s (-%.3g/+%.3g)", v->measured, v->unit,
			 v->below, v->above);
	tw_reason_add(r, "%s: %s %s the kernel's %s [%s]%s", v->id, fig,
		   v->krel == REL_OUTSIDE ? "outside" : v->krel == REL_STRADDLES ?
		   "straddles an edge of" : "is inside", win_format(&v->kern, win, sizeof(win)),
		   v->fact, v->krel == REL_INSIDE ? " but straddles the article's" : "");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void tw_sort(double *x, int n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

static void summarise(struct tw_verdict *v, const struct tw_sample *s, int n)
{
	double *x = malloc(sizeof(*x) * (n > 0 ? n : 1));

	v->n = n;
	if (!x || n <= 0) {
		free(x);
		return;
	}
	for (int i = 0; i < n; i++) {
		x[i] = s[i].x;
		v->below = fmax(v->below, s[i].below);
		v->above = fmax(v->above, s[i].above);
	}
	tw_sort(x, n);
	v->measured = tw_median(x, n);
	v->min = x[0];
	v->max = x[n - 1];
	free(x);
}

/*
 * The verdict on @n samples, not yet folded into @r: each caller settles
 * it once it is whole, since settle() writes the reason from its bounds
 * and evidence.
 */
static struct tw_verdict *judge(struct tw_result *r, const struct tw_subclaim *sc,
				struct tw_window article, struct tw_window kernel,
				const struct tw_sample *s, int n)
{
	struct tw_verdict *v = verdict_new(r, sc);

	v->art = article;
	v->kern = kernel;
	v->lo = kernel.lo;
	v->hi = kernel.hi;
	summarise(v, s, n);
	v->kind = tw_rule(&article, &kernel, s, n, &v->krel);
	return v;
}

struct tw_verdict *tw_judge(struct tw_result *r, const struct tw_subclaim *sc,
			    struct tw_window article, struct tw_window kernel,
			    const struct tw_sample *s, int n)
{
	struct tw_verdict *v = judge(r, sc, article, kernel, s, n);

	settle(r, v);
	return v;
}

struct tw_verdict *tw_judge_one(struct tw_result *r, const struct tw_subclaim *sc,
				struct tw_window article, struct tw_window kernel,
				double x, double below, double above)
{
	struct tw_sample s = { x, below, above };

	return tw_judge(r, sc, article, kernel, &s, 1);
}

struct tw_verdict *tw_judge_bounds(struct tw_result *r, const struct tw_subclaim *sc,
				   struct tw_window article, struct tw_window kernel,
				   double lo, double hi, int probes)
{
	struct tw_sample s = sample_bounds(lo, hi);
	struct tw_verdict *v = judge(r, sc, article, kernel, &s, 1);

	v->bounds = true;
	v->min = lo;
	v->max = hi;
	v->n = probes;
	settle(r, v);
	return v;
}

struct tw_verdict *tw_judge_said(struct tw_result *r, const struct tw_subclaim *sc,
				 enum tw_verdict_kind kind, const char *fmt, ...)
{
	struct tw_verdict *v = verdict_new(r, sc);
	va_list ap;

	v->kind = kind;
	v->krel = kind == V_INCONCLUSIVE ? REL_STRADDLES : REL_INSIDE;
	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
	settle(r, v);
	return v;
}

struct tw_verdict *tw_judge_exact(struct tw_result *r, const struct tw_subclaim *sc,
				  struct tw_window article, struct tw_window kernel, double x,
				  const char *fmt, ...)
{
	struct tw_sample s = { x, 0, 0 };
	struct tw_verdict *v = judge(r, sc, article, kernel, &s, 1);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
	settle(r, v);
	return v;
}
