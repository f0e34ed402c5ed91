// SPDX-License-Identifier: GPL-2.0
/*
 * Runs into a table: each run is a column, each claim a row, and each
 * claim holds a table of its sub-claims.  A cell is the scorecard's
 * roll-up of that run's verdicts (scorecard_roll()): one verdict, and the
 * one verdict that decides it.  Sub-claims match across runs by their ID
 * alone: a verdict reworded is the same sub-claim.
 *
 * A column is one run, never two runs pooled: two files of the same
 * kernel release may come from different machines, and pooling them
 * would hide the difference a report is for.
 */
#include <errno.h>
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

const struct rep_row *report_row(const struct report *rep, const char *id)
{
	for (int r = 0; r < rep->nrows; r++)
		if (!strcmp(rep->row[r].id, id))
			return &rep->row[r];
	return NULL;
}

const struct rep_sub *report_sub(const struct rep_row *row, const char *key)
{
	for (int i = 0; i < row->nsub; i++)
		if (!strcmp(row->sub[i].key, key))
			return &row->sub[i];
	return NULL;
}

const struct tw_verdict *report_verdict_at(const struct rep_instance *in, const char *claim,
					   const char *key, int occ)
{
	for (int k = 0; k < in->r.nverdicts; k++)
		if (!strcmp(in->r.v[k].claim, claim) &&
		    (!key || !strcmp(scorecard_key(&in->r.v[k]), key)) && !occ--)
			return &in->r.v[k];
	return NULL;
}

bool report_gives_sub(const struct rep_instance *in, const char *claim, const char *key)
{
	return report_verdict_at(in, claim, key, 0);
}

bool report_instances_agree(const struct rep_run *run, const char *claim, const char *key)
{
	const struct tw_verdict *first = NULL, *v;

	for (int i = 0; i < run->ninst; i++) {
		v = report_verdict_at(&run->in[i], claim, key, 0);
		if (!v)
			continue;
		if (!first)
			first = v;
		else if (v->kind != first->kind || !report_same_window(v, first))
			return false;
	}
	return true;
}

const char *report_short_name(const struct rep_instance *in)
{
	size_t l = strlen(in->kase);

	return !strncmp(in->name, in->kase, l) && in->name[l] == '.' ? in->name + l + 1 : in->name;
}

bool report_gives(const struct rep_instance *in, const char *id)
{
	return report_gives_sub(in, id, NULL);
}

/* Every sub-claim of the row that any run has, in the order met. */
static int subs_find(const struct report *rep, struct rep_row *row)
{
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++)
			for (int k = 0; k < rep->run[c].in[i].r.nverdicts; k++) {
				const struct tw_verdict *v = &rep->run[c].in[i].r.v[k];
				const struct tw_subclaim *sc;
				struct rep_sub *ns;

				if (strcmp(v->claim, row->id) || report_sub(row, scorecard_key(v)))
					continue;
				ns = realloc(row->sub, ((size_t)row->nsub + 1) * sizeof(*ns));
				if (!ns)
					return -ENOMEM;
				row->sub = ns;
				ns = &row->sub[row->nsub++];
				memset(ns, 0, sizeof(*ns));
				ns->key = scorecard_key(v);
				ns->has_id = v->id[0];
				sc = ns->has_id ? subclaim_find(v->id) : NULL;
				ns->what = sc ? sc->what : NULL;
			}
	return 0;
}

/* Did an instance of @kase, in any run, give @claim (@key: that sub-claim) a verdict? */
static bool case_gives(const struct report *rep, const char *kase, const char *claim,
		       const char *key)
{
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++)
			if (!strcmp(rep->run[c].in[i].kase, kase) &&
			    report_gives_sub(&rep->run[c].in[i], claim, key))
				return true;
	return false;
}

/* The roll-up of @run's verdicts on @claim (@key: on that sub-claim), and who gave them. */
static void cell_fill(const struct report *rep, const struct rep_run *run,
		      const struct score_src *src, const char *claim, const char *key,
		      struct rep_cell *cell)
{
	memset(cell, 0, sizeof(*cell));
	scorecard_roll(src, run->ninst, claim, key, &cell->s);
	cell->in = cell->s.src >= 0 ? &run->in[cell->s.src] : NULL;
	for (int i = 0; i < run->ninst; i++) {
		const struct rep_instance *in = &run->in[i];
		bool gave = report_gives_sub(in, claim, key);

		cell->instances += gave;
		cell->failed += gave && (in->r.outcome == R_FAIL || in->r.outcome == R_ERROR);
		/* ran, but said nothing of it: a SKIP, most often */
		if (!gave && case_gives(rep, in->kase, claim, key)) {
			cell->silent++;
			cell->skipped += in->r.outcome == R_SKIP;
		}
	}
}

static int row_fill(const struct report *rep, struct rep_row *row, struct score_src **src)
{
	int n = rep->nruns ?: 1, err = subs_find(rep, row);

	if (err)
		return err;
	row->cell = calloc(n, sizeof(*row->cell));
	if (!row->cell)
		return -ENOMEM;
	for (int s = 0; s < row->nsub; s++) {
		row->sub[s].cell = calloc(n, sizeof(*row->sub[s].cell));
		if (!row->sub[s].cell)
			return -ENOMEM;
	}
	for (int c = 0; c < rep->nruns; c++) {
		cell_fill(rep, &rep->run[c], src[c], row->id, NULL, &row->cell[c]);
		for (int s = 0; s < row->nsub; s++)
			cell_fill(rep, &rep->run[c], src[c], row->id, row->sub[s].key,
				  &row->sub[s].cell[c]);
	}
	return 0;
}

/* What the scorecard reads of each instance of each run. */
static struct score_src **sources(const struct report *rep)
{
	struct score_src **src = calloc(rep->nruns > 0 ? (size_t)rep->nruns : 1, sizeof(*src));

	for (int c = 0; src && c < rep->nruns; c++) {
		const struct rep_run *run = &rep->run[c];

		src[c] = calloc(run->ninst > 0 ? (size_t)run->ninst : 1, sizeof(**src));
		if (!src[c])
			return src;	/* report_merge() sees the hole */
		for (int i = 0; i < run->ninst; i++)
			src[c][i] = (struct score_src){ NULL, run->in[i].name, &run->in[i].r };
	}
	return src;
}

static void sources_free(struct score_src **src, int n)
{
	for (int c = 0; src && c < n; c++)
		free(src[c]);
	free(src);
}

int report_merge(struct report *rep, struct rep_run *runs, int n)
{
	struct score_src **src;
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
	src = sources(rep);
	for (int c = 0; c < n && src; c++)
		if (!src[c])
			err = -ENOMEM;
	if (!src)
		err = -ENOMEM;
	for (int r = 0; r < rep->nrows && !err; r++)
		err = row_fill(rep, &rep->row[r], src);
	sources_free(src, n);
	return err;
}

void report_free(struct report *rep)
{
	for (int r = 0; r < rep->nrows; r++) {
		for (int s = 0; s < rep->row[r].nsub; s++)
			free(rep->row[r].sub[s].cell);
		free(rep->row[r].sub);
		free(rep->row[r].cell);
	}
	free(rep->row);
	for (int c = 0; c < rep->nruns; c++)
		report_run_free(&rep->run[c]);
	free(rep->run);
	memset(rep, 0, sizeof(*rep));
}
