// SPDX-License-Identifier: GPL-2.0
/*
 * A cell of the report, as text.  A cell is one verdict word -- the
 * roll-up of the column's verdicts by the scorecard's rule -- and the
 * verdict that decides it: its figure with the observer's uncertainty,
 * the kernel's window and the kernel fact:
 *   headline   "refined: 61.0 s"
 *   sub-claim  "refined: 61.0 s (60.0-62.0, n=24, -0.004/+0.002 each); kernel (59.996, 62.052] s [K03]"
 * One verdict, so one unit: a cell never counts verdicts nor spans figures
 * of different things.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

const char report_cell_note[] =
"Each cell is one verdict, rolled up from the column's verdicts by the rule of "
"docs/claims.md: refuted if any conclusive verdict refutes, else refined if any "
"refines, else confirmed; inconclusive, then not applicable, only when none is "
"conclusive. The figure is the deciding verdict's: for sampled figures (TIME_WAIT "
"lifetimes) the median, the lowest and highest sample and the observer's uncertainty; "
"for a search (the reuse threshold) the bounds it narrowed the figure to. Milliseconds "
"from 10 s up are shown in seconds. \"not run\": that run ran none of its cases; "
"\"no verdict\": its cases ran and gave none (a skip, most often).";

/* Whole numbers as such, three significant digits below 100: 5196, 61.1, 0.04. */
char *report_number(double x, char *buf, size_t len)
{
	return tw_number(x, 100, "%.3g", buf, len);
}

/* Tens of seconds read better in seconds: the figure and its window alike. */
static double scale_of(const struct tw_verdict *v, const char **unit)
{
	double x = v->bounds ? v->min : v->n > 1 ? v->min : v->measured;

	*unit = v->unit;
	if (strcmp(v->unit, "ms") || !(fabs(x) >= 10000))
		return 1;
	*unit = "s";
	return 1000;
}

/* In seconds, to the ms the figure was taken to, with no trailing zero: 61.01, 60.0. */
static char *num(double x, double scale, char *buf, size_t len)
{
	size_t l;

	if (scale == 1 || !isfinite(x))
		return report_number(x, buf, len);
	snprintf(buf, len, "%.3f", x / scale);
	l = strlen(buf);
	while (l > 2 && buf[l - 1] == '0' && buf[l - 2] != '.')
		buf[--l] = '\0';
	return buf;
}

char *report_figure(const struct tw_verdict *v, char *buf, size_t len)
{
	char m[32], lo[32], hi[32], b[32], a[32];
	const char *unit;
	double sc = scale_of(v, &unit);
	const char *sp = *unit ? " " : "";
	size_t at;

	if (isnan(v->measured))
		return snprintf(buf, len, "no figure"), buf;
	if (v->bounds)
		return snprintf(buf, len, "(%s, %s]%s%s (search)", num(v->min, sc, lo, sizeof(lo)),
				num(v->max, sc, hi, sizeof(hi)), sp, unit), buf;
	if (v->n > 1)
		snprintf(buf, len, "%s%s%s (%s-%s, n=%d", num(v->measured, sc, m, sizeof(m)), sp,
			 unit, num(v->min, sc, lo, sizeof(lo)), num(v->max, sc, hi, sizeof(hi)),
			 v->n);
	else
		snprintf(buf, len, "%s%s%s", num(v->measured, sc, m, sizeof(m)), sp, unit);
	at = strlen(buf);
	if (v->below > 0 || v->above > 0)
		snprintf(buf + at, len - at, "%s-%s/+%s%s", v->n > 1 ? ", " : " ",
			 report_number(v->below / sc, b, sizeof(b)),
			 report_number(v->above / sc, a, sizeof(a)), v->n > 1 ? " each" : "");
	at = strlen(buf);
	if (v->n > 1)
		snprintf(buf + at, len - at, ")");
	return buf;
}

void report_reach(const struct tw_verdict *v, double *lo, double *hi)
{
	double min = isnan(v->min) ? v->measured : v->min;
	double max = isnan(v->max) ? v->measured : v->max;

	*lo = v->bounds ? min : min - v->below;
	*hi = v->bounds ? max : max + v->above;
}

struct tw_window report_kern_window(const struct tw_verdict *v)
{
	if (v->id[0])
		return v->kern;
	return isnan(v->lo) && isnan(v->hi) ? win_any() :
	       v->lo == v->hi ? win_exact(v->lo) : win_oc(v->lo, v->hi);
}

static char *scaled(double x, const void *scale, char *buf, size_t len)
{
	return num(x, *(const double *)scale, buf, len);
}

char *report_window(const struct tw_verdict *v, char *buf, size_t len)
{
	const char *unit;
	double sc = scale_of(v, &unit);
	struct tw_window w = report_kern_window(v);

	win_format_with(&w, scaled, &sc, buf, len);
	if (*unit && strcmp(buf, "none") && strcmp(buf, "any")) {
		size_t at = strlen(buf);

		snprintf(buf + at, len - at, " %s", unit);
	}
	return buf;
}

const char *report_word(const struct rep_cell *c)
{
	if (c->s.kind < V_NKINDS)
		return tw_verdict_name(c->s.kind);
	return c->silent ? "no verdict" : "not run";
}

/* Why a cell has no verdict: its instances skipped, or gave none. */
static char *empty_text(const struct rep_cell *c, char *buf, size_t len)
{
	if (!c->silent)
		snprintf(buf, len, "not run");
	else if (c->skipped == c->silent)
		snprintf(buf, len, "no verdict: %d skipped", c->skipped);
	else
		snprintf(buf, len, "no verdict from %d instance%s", c->silent,
			 c->silent == 1 ? "" : "s");
	return buf;
}

char *report_head_figure(const struct rep_cell *c, char *buf, size_t len)
{
	const struct tw_verdict *v = c->s.v;
	char lo[32], m[32];
	const char *unit;
	double sc;

	buf[0] = '\0';
	if (!v || isnan(v->measured))
		return buf;
	sc = scale_of(v, &unit);
	if (v->bounds)
		snprintf(buf, len, "(%s, %s]%s%s", num(v->min, sc, lo, sizeof(lo)),
			 num(v->max, sc, m, sizeof(m)), *unit ? " " : "", unit);
	else
		snprintf(buf, len, "%s%s%s", num(v->measured, sc, m, sizeof(m)), *unit ? " " : "",
			 unit);
	return buf;
}

char *report_head_text(const struct rep_cell *c, char *buf, size_t len)
{
	char fig[80];

	if (!c->s.v)
		return empty_text(c, buf, len);
	report_head_figure(c, fig, sizeof(fig));
	snprintf(buf, len, "%s%s%s", report_word(c), *fig ? ": " : "", fig);
	return buf;
}

char *report_verdict_text(const struct tw_verdict *v, char *buf, size_t len)
{
	char fig[160], win[80];

	snprintf(buf, len, "%s: %s; kernel %s [%s]", tw_verdict_name(v->kind),
		 report_figure(v, fig, sizeof(fig)), report_window(v, win, sizeof(win)),
		 *v->fact ? v->fact : "no fact");
	return buf;
}

char *report_cell_text(const struct rep_cell *c, char *buf, size_t len)
{
	size_t at;

	if (!c->s.v)
		return empty_text(c, buf, len);
	report_verdict_text(c->s.v, buf, len);
	at = strlen(buf);
	if (c->failed && at < len)
		snprintf(buf + at, len - at, "; %d of %d instances failed", c->failed,
			 c->instances);
	return buf;
}
