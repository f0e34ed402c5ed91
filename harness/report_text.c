// SPDX-License-Identifier: GPL-2.0
/*
 * What report.md and report.html say alike -- the runs, the claims no
 * run measured, the breakdown under a cell, the differences between the
 * kernels -- written once: the words and their order live here, and
 * markup[] gives each piece of markup in both formats side by side.
 */
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "report.h"

/* A piece of markup: what comes before and after, or a separator alone. */
enum piece {
	BOLD, CODE, SMALL, RUNS, ROW, CELL_SEP, UNMEASURED, BY, BY_SEP, BY_ITEM, BY_NAME_SEP,
	DIFFERS_HEAD, NOTE, ONE_RUN, SETTINGS_HEAD, LIST, ITEM, VALS, VAL, NPIECES
};

static const char *const markup[NPIECES][REP_NFORMATS][2] = {
	/*		   Markdown: before, after	HTML: before, after */
	[BOLD] =	 { { "**", "**" },		{ "<b>", "</b>" } },
	[CODE] =	 { { "`", "`" },		{ "<code>", "</code>" } },
	[SMALL] =	 { { " ", "" },			{ " <small>", "</small>" } },
	[RUNS] =	 { { "| column | kernel | HZ | started (UTC) | wall | instances | file |\n"
			     "|---|---|---|---|---|---|---|\n", "" },
			   { "<table class=\"runs\"><thead><tr><th>column</th><th>kernel</th>"
			     "<th>HZ</th><th>started (UTC)</th><th>wall</th><th>instances</th>"
			     "<th>file</th></tr></thead><tbody>\n", "</tbody></table>\n" } },
	[ROW] =		 { { "| ", " |\n" },		{ "<tr><td>", "</td></tr>\n" } },
	[CELL_SEP] =	 { { " | " },			{ "</td><td>" } },
	[UNMEASURED] =	 { { "\n", "\n" },		{ "<p>", "</p>\n" } },
	[BY] =		 { { " — by instance: ", "" },	{ "<ul class=\"by\">", "</ul>" } },
	[BY_SEP] =	 { { "; " },			{ "" } },
	[BY_ITEM] =	 { { "", "" },			{ "<li>", "</li>" } },
	[BY_NAME_SEP] =	 { { " " },			{ ": " } },
	[DIFFERS_HEAD] = { { "\n## What differs between these kernels\n\n" },
			   { "<h2 id=\"differs\">What differs between these kernels</h2>\n" } },
	[NOTE] =	 { { "", "\n\n" },		{ "<p>", "</p>\n" } },
	[ONE_RUN] =	 { { "", "\n" },		{ "<p>", "</p>\n" } },
	[SETTINGS_HEAD] = { { "\n### Settings that differ\n\n" },
			   { "<h3>Settings that differ</h3>\n" } },
	[LIST] =	 { { "", "" },			{ "<ul class=\"diffs\">\n", "</ul>\n" } },
	[ITEM] =	 { { "- ", "" },		{ "<li>", "</li>\n" } },
	[VALS] =	 { { "\n", "" },		{ "<ul>", "</ul>" } },
	[VAL] =		 { { "  - ", "\n" },		{ "<li>", "</li>" } },
};

static void before(FILE *f, enum rep_format fmt, enum piece p)
{
	fputs(markup[p][fmt][0], f);
}

static void after(FILE *f, enum rep_format fmt, enum piece p)
{
	fputs(markup[p][fmt][1] ?: "", f);
}

static void text(FILE *f, enum rep_format fmt, const char *s)
{
	(fmt == REP_HTML ? report_html_text : report_md_text)(f, s);
}

static void wrap(FILE *f, enum rep_format fmt, enum piece p, const char *s)
{
	before(f, fmt, p);
	text(f, fmt, s);
	after(f, fmt, p);
}

void report_runs_write(FILE *f, enum rep_format fmt, const struct report *rep)
{
	char line[160];

	before(f, fmt, RUNS);
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_run *r = &rep->run[c];
		const char *cell[] = { r->label, r->release, NULL, *r->started ? r->started : "-",
				       NULL, NULL, r->path };
		char hz[16], wall[32];
		int n[R_NOUTCOMES];

		report_run_outcomes(r, n);
		snprintf(hz, sizeof(hz), "%d", r->hz);
		snprintf(wall, sizeof(wall), "%.1f s", r->wall_s);
		snprintf(line, sizeof(line), "%d: %d pass, %d fail, %d skip, %d error", r->ninst,
			 n[R_PASS], n[R_FAIL], n[R_SKIP], n[R_ERROR]);
		cell[2] = hz;
		cell[4] = wall;
		cell[5] = line;
		before(f, fmt, ROW);
		for (size_t i = 0; i < sizeof(cell) / sizeof(cell[0]); i++) {
			if (i)
				before(f, fmt, CELL_SEP);
			text(f, fmt, cell[i]);
		}
		after(f, fmt, ROW);
	}
	after(f, fmt, RUNS);
}

void report_unmeasured_write(FILE *f, enum rep_format fmt, const struct report *rep)
{
	int n = 0;

	for (int i = 0; i < claims_count(); i++) {
		if (report_has_claim(rep, claim_at(i)->id))
			continue;
		if (n++)
			fputs(", ", f);
		else
			fprintf(f, "%sNot measured in any of these runs: ",
				markup[UNMEASURED][fmt][0]);
		text(f, fmt, claim_at(i)->id);
	}
	if (n)
		fprintf(f, ".%s", markup[UNMEASURED][fmt][1]);
}

void report_breakdown_write(FILE *f, enum rep_format fmt, const struct rep_run *run,
			    const char *claim, const struct rep_sub *sub,
			    const struct rep_cell *cell)
{
	char said[REPORT_VAL_LEN];
	int n = 0;

	if (cell->instances < 2)
		return;
	if (report_instances_agree(run, claim, sub->key)) {
		fprintf(f, "%s(%d instances alike)%s", markup[SMALL][fmt][0], cell->instances,
			markup[SMALL][fmt][1]);
		return;
	}
	fprintf(f, "%s(in ", markup[SMALL][fmt][0]);
	text(f, fmt, report_short_name(cell->in));
	fprintf(f, ")%s", markup[SMALL][fmt][1]);
	for (int i = 0; i < run->ninst; i++) {
		const struct tw_verdict *v = report_verdict_at(&run->in[i], claim, sub->key, 0);

		if (!v)
			continue;
		before(f, fmt, n++ ? BY_SEP : BY);
		before(f, fmt, BY_ITEM);
		text(f, fmt, report_short_name(&run->in[i]));
		before(f, fmt, BY_NAME_SEP);
		text(f, fmt, report_verdict_text(v, said, sizeof(said)));
		after(f, fmt, BY_ITEM);
	}
	if (n)
		after(f, fmt, BY);
}

static void diff_write(FILE *f, enum rep_format fmt, const struct report *rep,
		       const struct rep_diff *d)
{
	before(f, fmt, ITEM);
	if (d->claim) {
		wrap(f, fmt, BOLD, d->claim);
		fputs(" ", f);
	}
	if (d->kind == DIFF_DEFAULT)
		fputs("sysctl ", f);
	if (d->subclaim) {
		wrap(f, fmt, CODE, d->subclaim);
		fputs(" ", f);
	} else if (d->what) {
		text(f, fmt, d->what);
		fputs(" ", f);
	}
	if (d->subject) {
		fputs(d->kind == DIFF_SUBCLAIM ? "in " : "", f);
		wrap(f, fmt, CODE, d->subject);
		fputs(": ", f);
	}
	text(f, fmt, report_diff_title(d));
	fputs(" [", f);
	text(f, fmt, *d->fact ? d->fact : "no kernel fact");
	fprintf(f, "]%s", markup[VALS][fmt][0]);
	for (int c = 0; c < rep->nruns; c++) {
		if (!d->val[c][0])
			continue;
		before(f, fmt, VAL);
		text(f, fmt, rep->run[c].label);
		fputs(": ", f);
		text(f, fmt, d->val[c]);
		after(f, fmt, VAL);
	}
	after(f, fmt, VALS);
	after(f, fmt, ITEM);
}

/* The differences of @sub kind (sub-claims) or of the other kinds (settings), under @head. */
static void diffs_list(FILE *f, enum rep_format fmt, const struct report *rep,
		       const struct rep_diffs *d, bool sub, const char *head)
{
	int n = 0;

	for (int i = 0; i < d->n; i++) {
		if ((d->d[i].kind == DIFF_SUBCLAIM) != sub)
			continue;
		if (!n++)
			fprintf(f, "%s%s", head, markup[LIST][fmt][0]);
		diff_write(f, fmt, rep, &d->d[i]);
	}
	if (n)
		after(f, fmt, LIST);
}

void report_diffs_write(FILE *f, enum rep_format fmt, const struct report *rep,
			const struct rep_diffs *d)
{
	int subs = 0;

	for (int i = 0; i < d->n; i++)
		subs += d->d[i].kind == DIFF_SUBCLAIM;
	before(f, fmt, DIFFERS_HEAD);
	before(f, fmt, rep->nruns < 2 ? ONE_RUN : NOTE);
	text(f, fmt, rep->nruns < 2 ? "One run: nothing to compare." :
		   subs ? report_differs_note : report_differs_none);
	after(f, fmt, rep->nruns < 2 ? ONE_RUN : NOTE);
	diffs_list(f, fmt, rep, d, true, "");
	diffs_list(f, fmt, rep, d, false, markup[SETTINGS_HEAD][fmt][0]);
}
