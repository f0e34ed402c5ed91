// SPDX-License-Identifier: GPL-2.0
/*
 * report.md: the runs, the table of claims against kernels, and the
 * differences between the kernels.  GitHub-flavoured Markdown; text from
 * the JSON files is escaped so that no value can break the table.
 */
#include <errno.h>
#include <stdio.h>

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

static void md_table(FILE *f, const struct report *rep)
{
	char cell[512];

	fputs("| claim |", f);
	for (int c = 0; c < rep->nruns; c++) {
		fputc(' ', f);
		md_text(f, rep->run[c].label);
		fputs(" |", f);
	}
	fputs("\n|---|", f);
	for (int c = 0; c < rep->nruns; c++)
		fputs("---|", f);
	fputc('\n', f);
	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		fprintf(f, "| **");
		md_text(f, row->id);
		fputs("** ", f);
		md_text(f, row->text ?: "(a claim twlab does not know)");
		fputs(" |", f);
		for (int c = 0; c < rep->nruns; c++) {
			fputc(' ', f);
			md_text(f, report_cell_text(row, &row->cell[c], cell, sizeof(cell)));
			fputs(" |", f);
		}
		fputc('\n', f);
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
	if (d->subject) {
		fputc('`', f);
		md_text(f, d->subject);
		fputs("` ", f);
	}
	if (d->what) {
		md_text(f, d->what);
		fputs(": ", f);
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
	fputs("\n## Differences between kernels\n\n", f);
	if (rep->nruns < 2)
		fputs("One run: nothing to compare.\n", f);
	else if (!d->n)
		fprintf(f, "%s\n", report_diff_none);
	else
		fprintf(f, "%s\n\n", report_diff_note);
	for (int i = 0; i < d->n; i++)
		md_diff(f, rep, &d->d[i]);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
