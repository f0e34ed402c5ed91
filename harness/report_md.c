// SPDX-License-Identifier: GPL-2.0
/*
 * report.md: the runs, the table of claims against kernels, and the
 * differences between the kernels.  GitHub-flavoured Markdown; text from
 * the JSON files is escaped so that no value can break the table.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "report.h"

/* A table cell must not hold a pipe or a newline, nor raw HTML. */
static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static void md_runs(FILE *f, const struct report *rep)
{
	fprintf(f, "| column | kernel | HZ | started (UTC) | wall | instances | file |\n"
		   "|---|---|---|---|---|---|---|\n");
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_run *r = &rep->run[c];
		int n[R_NOUTCOMES];

		report_run_outcomes(r, n);
		fputs("| ", f);
		md_text(f, r->label);
		fputs(" | ", f);
		md_text(f, r->release);
		fprintf(f, " | %d | ", r->hz);
		md_text(f, *r->started ? r->started : "-");
		fprintf(f, " | %.1f s | %d: %d pass, %d fail, %d skip, %d error | ", r->wall_s,
			r->ninst, n[R_PASS], n[R_FAIL], n[R_SKIP], n[R_ERROR]);
		md_text(f, r->path);
		fputs(" |\n", f);
	}
}

static void md_head(FILE *f, const struct report *rep, const char *first)
{
	fprintf(f, "| %s |", first);
	for (int c = 0; c < rep->nruns; c++) {
		fputc(' ', f);
		md_text(f, rep->run[c].label);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (int c = 0; c < rep->nruns; c++)
		fputs("---|", f);
	fputc('\n', f);
}

/* The headline: one word a cell, and the figure of the sub-claim that decides it. */
static void md_table(FILE *f, const struct report *rep)
{
	char fig[96];

	md_head(f, rep, "claim");
	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		fprintf(f, "| **");
		md_text(f, row->id);
		fputs("** ", f);
		md_text(f, row->text ?: "(a claim twlab does not know)");
		fputs(" |", f);
		for (int c = 0; c < rep->nruns; c++) {
			const struct rep_cell *cell = &row->cell[c];

			if (!cell->s.v) {
				fprintf(f, " %s |", report_word(cell));
				continue;
			}
			fprintf(f, " **%s**", report_word(cell));
			if (*report_head_figure(cell, fig, sizeof(fig))) {
				fputs(" ", f);
				md_text(f, fig);
			}
			fputs(" (", f);
			md_text(f, scorecard_key(cell->s.v));
			fputs(") |", f);
		}
		fputc('\n', f);
	}
}

/*
 * Under a cell whose verdicts came from several instances: that they
 * agree, or which one decided and what each gave.
 */
static void md_breakdown(FILE *f, const struct rep_run *run, const char *claim,
			 const struct rep_sub *sub, const struct rep_cell *cell)
{
	char text[REPORT_VAL_LEN];
	int n = 0;

	if (cell->instances < 2)
		return;
	if (report_instances_agree(run, claim, sub->key)) {
		fprintf(f, " (%d instances alike)", cell->instances);
		return;
	}
	fputs(" (in ", f);
	md_text(f, report_short_name(cell->in));
	fputs(")", f);
	for (int i = 0; i < run->ninst; i++) {
		const struct tw_verdict *v = report_verdict_of(&run->in[i], claim, sub->key);

		if (!v)
			continue;
		fputs(n++ ? "; " : " — by instance: ", f);
		md_text(f, report_short_name(&run->in[i]));
		fputs(" ", f);
		md_text(f, report_verdict_text(v, text, sizeof(text)));
	}
}

/* Each claim's sub-claims against the kernels. */
static void md_subclaims(FILE *f, const struct report *rep)
{
	char text[512];

	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		fputs("\n### ", f);
		md_text(f, row->id);
		fputs(" ", f);
		md_text(f, row->text ?: "(a claim twlab does not know)");
		fputs("\n\n", f);
		md_head(f, rep, "sub-claim");
		for (int s = 0; s < row->nsub; s++) {
			const struct rep_sub *sub = &row->sub[s];

			fputs(sub->has_id ? "| `" : "| ", f);
			md_text(f, sub->key);
			fputs(sub->has_id ? "`" : " (no sub-claim ID)", f);
			if (sub->what) {
				fputs(" ", f);
				md_text(f, sub->what);
			}
			fputs(" |", f);
			for (int c = 0; c < rep->nruns; c++) {
				const struct rep_cell *cell = &sub->cell[c];

				fputs(" ", f);
				if (cell->s.v)
					fprintf(f, "**%s**", report_word(cell));
				md_text(f, report_cell_text(cell, text, sizeof(text)) +
					   (cell->s.v ? strlen(report_word(cell)) : 0));
				md_breakdown(f, &rep->run[c], row->id, sub, cell);
				fputs(" |", f);
			}
			fputc('\n', f);
		}
	}
}

static void md_unmeasured(FILE *f, const struct report *rep)
{
	int n = 0;

	for (int i = 0; i < claims_count(); i++)
		if (!report_has_claim(rep, claim_at(i)->id))
			fprintf(f, "%s%s", n++ ? ", " : "\nNot measured in any of these runs: ",
				claim_at(i)->id);
	if (n)
		fputs(".\n", f);
}

static void md_diff(FILE *f, const struct report *rep, const struct rep_diff *d)
{
	fputs("- ", f);
	if (d->claim) {
		fputs("**", f);
		md_text(f, d->claim);
		fputs("** ", f);
	}
	if (d->kind == DIFF_DEFAULT)
		fputs("sysctl ", f);
	if (d->subclaim) {
		fputc('`', f);
		md_text(f, d->subclaim);
		fputs("` ", f);
	} else if (d->what) {
		md_text(f, d->what);
		fputs(" ", f);
	}
	if (d->kind == DIFF_SUBCLAIM && d->subject) {
		fputs("in `", f);
		md_text(f, d->subject);
		fputs("`: ", f);
	} else if (d->subject) {
		fputc('`', f);
		md_text(f, d->subject);
		fputs("`: ", f);
	}
	fprintf(f, "%s [%s]\n", report_diff_title(d), *d->fact ? d->fact : "no kernel fact");
	for (int c = 0; c < rep->nruns; c++) {
		if (!d->val[c][0])
			continue;
		fputs("  - ", f);
		md_text(f, rep->run[c].label);
		fputs(": ", f);
		md_text(f, d->val[c]);
		fputc('\n', f);
	}
}

static void md_diffs(FILE *f, const struct report *rep, const struct rep_diffs *d)
{
	int subs = 0, settings = 0;

	fputs("\n## What differs between these kernels\n\n", f);
	for (int i = 0; i < d->n; i++)
		subs += d->d[i].kind == DIFF_SUBCLAIM;
	if (rep->nruns < 2)
		fputs("One run: nothing to compare.\n", f);
	else
		fprintf(f, "%s\n\n", subs ? report_differs_note : report_differs_none);
	for (int i = 0; i < d->n; i++)
		if (d->d[i].kind == DIFF_SUBCLAIM)
			md_diff(f, rep, &d->d[i]);
	for (int i = 0; i < d->n; i++) {
		if (d->d[i].kind == DIFF_SUBCLAIM)
			continue;
		if (!settings++)
			fputs("\n### Settings that differ\n\n", f);
		md_diff(f, rep, &d->d[i]);
	}
}

int report_write_md(FILE *f, const struct report *rep, const struct rep_diffs *d)
{
	fprintf(f, "# twlab report\n\n%d run%s, one column each. Claims are the article's, "
		   "as `claims.md` numbers them; facts (K..) are `kernel-facts.md`'s.\n\n",
		rep->nruns, rep->nruns == 1 ? "" : "s");
	md_runs(f, rep);
	fputs("\n## Claims against kernels\n\n", f);
	md_table(f, rep);
	fprintf(f, "\n%s\n", report_cell_note);
	md_unmeasured(f, rep);
	md_diffs(f, rep, d);
	fputs("\n## Sub-claims against kernels\n", f);
	md_subclaims(f, rep);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
