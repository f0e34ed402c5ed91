// SPDX-License-Identifier: GPL-2.0
/*
 * Runs into a table: each run is a column, each claim a row, and a cell
 * folds every verdict that the column's instances gave the claim into
 * counts by kind and the range of the claim's key figures.
 *
 * A column is one run, never two runs pooled: two files of the same
 * kernel release may come from different machines, and pooling them
 * would hide the difference a report is for.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "report.h"

static bool same_run_id(const struct rep_run *a, const struct rep_run *b)
{
	return !strcmp(a->release, b->release) && !strcmp(a->started, b->started);
}

/*
 * The release alone where it is unique; else release@started; and where
 * even that repeats (the same file twice), #1, #2... in the order given.
 */
void report_label_runs(struct rep_run *runs, int n)
{
	for (int i = 0; i < n; i++) {
		struct rep_run *r = &runs[i];
		int same_release = 0, same = 0, before = 0;
		size_t l;

		for (int j = 0; j < n; j++) {
			same_release += !strcmp(runs[j].release, r->release);
			same += same_run_id(&runs[j], r);
			before += j < i && same_run_id(&runs[j], r);
		}
		if (same_release > 1 && *r->started)
			snprintf(r->label, sizeof(r->label), "%s@%s", r->release, r->started);
		else
			snprintf(r->label, sizeof(r->label), "%s", r->release);
		l = strlen(r->label);
		if (same > 1)
			snprintf(r->label + l, sizeof(r->label) - l, "#%d", before + 1);
	}
}

bool report_has_claim(const struct report *rep, const char *id)
{
	for (int r = 0; r < rep->nrows; r++)
		if (!strcmp(rep->row[r].id, id))
			return true;
	return false;
}

void report_run_outcomes(const struct rep_run *run, int n[R_NOUTCOMES])
{
	memset(n, 0, R_NOUTCOMES * sizeof(*n));
	for (int i = 0; i < run->ninst; i++)
		n[run->in[i].r.outcome]++;
}

/*
 * Inserted where claims.md has it, so the rows stay in its order; a claim
 * twlab does not know goes last, after those met before it.
 */
static int row_add(struct report *rep, int *cap, const char *id)
{
	int idx = claim_index(id), at = rep->nrows;
	struct rep_row *nr;

	if (rep->nrows == *cap) {
		nr = realloc(rep->row, 2 * *cap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		rep->row = nr;
		*cap *= 2;
	}
	while (idx >= 0 && at > 0 && (claim_index(rep->row[at - 1].id) < 0 ||
				      claim_index(rep->row[at - 1].id) > idx))
		at--;
	memmove(&rep->row[at + 1], &rep->row[at], (rep->nrows - at) * sizeof(*rep->row));
	memset(&rep->row[at], 0, sizeof(*rep->row));
	snprintf(rep->row[at].id, sizeof(rep->row[at].id), "%s", id);
	rep->row[at].text = idx >= 0 ? claim_at(idx)->text : NULL;
	rep->nrows++;
	return 0;
}

static int rows_find(struct report *rep)
{
	int cap = claims_count();

	rep->row = calloc(cap, sizeof(*rep->row));
	if (!rep->row)
		return -ENOMEM;
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++)
			for (int k = 0; k < rep->run[c].in[i].r.nverdicts; k++) {
				const char *id = rep->run[c].in[i].r.v[k].claim;
				int err = report_has_claim(rep, id) ? 0 : row_add(rep, &cap, id);

				if (err)
					return err;
			}
	return 0;
}

static bool is_key(const struct tw_verdict *v, enum rep_figure fig)
{
	switch (fig) {
	case FIG_SAMPLES:
		return v->n > 1 && !v->bounds && isfinite(v->measured);
	case FIG_BOUNDS:
		return v->bounds && (isfinite(v->min) || isfinite(v->max));
	case FIG_PLAIN:
		return isfinite(v->measured);
	default:
		return false;
	}
}

/* Where next_verdict() is: column, instance, verdict. */
struct verdict_iter {
	int c, i, k;
};

/* The claim's verdicts, every run's, one by one; NULL after the last. */
static const struct tw_verdict *next_verdict(const struct report *rep, const char *id,
					     struct verdict_iter *it)
{
	for (; it->c < rep->nruns; it->c++, it->i = 0)
		for (; it->i < rep->run[it->c].ninst; it->i++, it->k = 0)
			while (it->k < rep->run[it->c].in[it->i].r.nverdicts) {
				const struct tw_verdict *v = &rep->run[it->c].in[it->i].r.v[it->k++];

				if (!strcmp(v->claim, id))
					return v;
			}
	return NULL;
}

/* The richest kind of figure the claim has anywhere, in its most common unit. */
static void row_key(const struct report *rep, struct rep_row *row)
{
	static const enum rep_figure pref[] = { FIG_SAMPLES, FIG_BOUNDS, FIG_PLAIN };
	struct verdict_iter it = { 0 };
	const struct tw_verdict *v, *w;
	int best = 0;

	row->fig = FIG_NONE;
	for (size_t p = 0; p < sizeof(pref) / sizeof(pref[0]) && row->fig == FIG_NONE; p++)
		for (it = (struct verdict_iter){ 0 }; (v = next_verdict(rep, row->id, &it)); )
			if (is_key(v, pref[p]))
				row->fig = pref[p];
	for (it = (struct verdict_iter){ 0 }; (v = next_verdict(rep, row->id, &it)); ) {
		struct verdict_iter it2 = { 0 };
		int n = 0;

		if (!is_key(v, row->fig))
			continue;
		while ((w = next_verdict(rep, row->id, &it2)))
			n += is_key(w, row->fig) && !strcmp(w->unit, v->unit);
		if (n > best) {
			best = n;
			snprintf(row->unit, sizeof(row->unit), "%s", v->unit);
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void cell_add(const struct rep_row *row, struct rep_cell *cell,
		     const struct tw_verdict *v, double *mids)
{
	cell->count[v->kind]++;
	if (!is_key(v, row->fig) || strcmp(v->unit, row->unit))
		return;
	switch (row->fig) {
	case FIG_SAMPLES:
		cell->lo = fmin(cell->lo, fmin(v->min, v->measured));
		cell->hi = fmax(cell->hi, fmax(v->max, v->measured));
		break;
	case FIG_BOUNDS:
		cell->lo = fmin(cell->lo, isfinite(v->min) ? v->min : v->max);
		cell->hi = fmax(cell->hi, isfinite(v->max) ? v->max : v->min);
		break;
	default:
		cell->lo = fmin(cell->lo, v->measured);
		cell->hi = fmax(cell->hi, v->measured);
		break;
	}
	mids[cell->nfig++] = v->measured;
}

/* Did an instance of @kase, in any run, give @id a verdict? */
static bool case_gives(const struct report *rep, const char *kase, const char *id)
{
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++)
			if (!strcmp(rep->run[c].in[i].kase, kase) &&
			    report_gives(&rep->run[c].in[i], id))
				return true;
	return false;
}

bool report_gives(const struct rep_instance *in, const char *id)
{
	for (int k = 0; k < in->r.nverdicts; k++)
		if (!strcmp(in->r.v[k].claim, id))
			return true;
	return false;
}

static void cell_fold(const struct report *rep, const struct rep_row *row,
		      const struct rep_run *run, struct rep_cell *cell, double *mids)
{
	memset(cell, 0, sizeof(*cell));
	cell->lo = cell->hi = cell->mid = NAN;
	for (int i = 0; i < run->ninst; i++) {
		const struct rep_instance *in = &run->in[i];
		bool gave = false;

		for (int k = 0; k < in->r.nverdicts; k++) {
			if (strcmp(in->r.v[k].claim, row->id))
				continue;
			cell_add(row, cell, &in->r.v[k], mids);
			gave = true;
		}
		cell->instances += gave;
		cell->failed += gave && (in->r.outcome == R_FAIL || in->r.outcome == R_ERROR);
		/* ran, but said nothing of the claim: a SKIP, most often */
		if (!gave && case_gives(rep, in->kase, row->id)) {
			cell->silent++;
			cell->skipped += in->r.outcome == R_SKIP;
		}
	}
	if (row->fig == FIG_SAMPLES && cell->nfig) {
		qsort(mids, cell->nfig, sizeof(*mids), cmp_double);
		cell->mid = cell->nfig % 2 ? mids[cell->nfig / 2] :
			    (mids[cell->nfig / 2 - 1] + mids[cell->nfig / 2]) / 2;
	}
}

int report_merge(struct report *rep, struct rep_run *runs, int n)
{
	size_t most = 1;
	double *mids;
	int err;

	memset(rep, 0, sizeof(*rep));
	rep->run = runs;
	rep->nruns = n;
	if (n > REPORT_MAX_RUNS)
		return -E2BIG;
	report_label_runs(runs, n);
	err = rows_find(rep);
	if (err)
		return err;
	for (int c = 0; c < n; c++)
		for (int i = 0; i < runs[c].ninst; i++)
			most += runs[c].in[i].r.nverdicts;
	mids = calloc(most, sizeof(*mids));
	if (!mids)
		return -ENOMEM;
	for (int r = 0; r < rep->nrows && !err; r++) {
		struct rep_row *row = &rep->row[r];

		row_key(rep, row);
		row->cell = calloc(n ?: 1, sizeof(*row->cell));
		if (!row->cell) {
			err = -ENOMEM;
			break;
		}
		for (int c = 0; c < n; c++)
			cell_fold(rep, row, &runs[c], &row->cell[c], mids);
	}
	free(mids);
	return err;
}

void report_free(struct report *rep)
{
	for (int r = 0; r < rep->nrows; r++)
		free(rep->row[r].cell);
	free(rep->row);
	for (int c = 0; c < rep->nruns; c++)
		report_run_free(&rep->run[c]);
	free(rep->run);
	memset(rep, 0, sizeof(*rep));
}
