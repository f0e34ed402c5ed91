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
void report_md_text(FILE *f, const char *s)
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


/* @open, the claim's ID, @mid, its text, @close: a row's head, a section's heading. */
static void md_claim(FILE *f, const struct rep_row *row, const char *open, const char *mid,
		     const char *close)
{
	fputs(open, f);
	report_md_text(f, row->id);
	fputs(mid, f);
	report_md_text(f, row->text ?: "(a claim twlab does not know)");
	fputs(close, f);
}

static void md_head(FILE *f, const struct report *rep, const char *first)
{
	fprintf(f, "| %s |", first);
	for (int c = 0; c < rep->nruns; c++) {
		fputc(' ', f);
		report_md_text(f, rep->run[c].label);
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

		md_claim(f, row, "| **", "** ", " |");
		for (int c = 0; c < rep->nruns; c++) {
			const struct rep_cell *cell = &row->cell[c];

			if (!cell->s.v) {
				fprintf(f, " %s |", report_word(cell));
				continue;
			}
			fprintf(f, " **%s**", report_word(cell));
			if (*report_head_figure(cell, fig, sizeof(fig))) {
				fputs(" ", f);
				report_md_text(f, fig);
			}
			fputs(" (", f);
			report_md_text(f, scorecard_key(cell->s.v));
			fputs(") |", f);
		}
		fputc('\n', f);
	}
}

/* Each claim's sub-claims against the kernels. */
static void md_subclaims(FILE *f, const struct report *rep)
{
	char text[512];

	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		md_claim(f, row, "\n### ", " ", "\n\n");
		md_head(f, rep, "sub-claim");
		for (int s = 0; s < row->nsub; s++) {
			const struct rep_sub *sub = &row->sub[s];

			fputs(sub->has_id ? "| `" : "| ", f);
			report_md_text(f, sub->key);
			fputs(sub->has_id ? "`" : " (no sub-claim ID)", f);
			if (sub->what) {
				fputs(" ", f);
				report_md_text(f, sub->what);
			}
			fputs(" |", f);
			for (int c = 0; c < rep->nruns; c++) {
				const struct rep_cell *cell = &sub->cell[c];

				fputs(" ", f);
				if (cell->s.v)
					fprintf(f, "**%s**", report_word(cell));
				report_md_text(f, report_cell_text(cell, text, sizeof(text)) +
					   (cell->s.v ? strlen(report_word(cell)) : 0));
				report_breakdown_write(f, REP_MD, &rep->run[c], row->id, sub, cell);
				fputs(" |", f);
			}
			fputc('\n', f);
		}
	}
}

int report_write_md(FILE *f, const struct report *rep, const struct rep_diffs *d)
{
	fprintf(f, "# twlab report\n\n%d run%s, one column each. Claims are the article's, "
		   "as `claims.md` numbers them; facts (K..) are `kernel-facts.md`'s.\n\n",
		rep->nruns, rep->nruns == 1 ? "" : "s");
	report_runs_write(f, REP_MD, rep);
	fputs("\n## Claims against kernels\n\n", f);
	md_table(f, rep);
	fprintf(f, "\n%s\n", report_cell_note);
	report_unmeasured_write(f, REP_MD, rep);
	report_diffs_write(f, REP_MD, rep, d);
	fputs("\n## Sub-claims against kernels\n", f);
	md_subclaims(f, rep);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
