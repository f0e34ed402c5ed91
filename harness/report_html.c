// SPDX-License-Identifier: GPL-2.0
/*
 * report.html: the same runs, table and differences as report.md, and
 * the plots gnuplot drew, in one file that needs nothing else to be
 * read: the CSS is inline, each plot's SVG is inline text, and there is
 * no script and no URL to fetch -- not even a favicon.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "report.h"

static const char style[] =
"body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;"
"color:#212121}\n"
"table{border-collapse:collapse;margin:1em 0}\n"
"th,td{border:1px solid #cfd8dc;padding:.35em .6em;text-align:left;vertical-align:top}\n"
"thead th{background:#eceff1}\n"
"td.claim{max-width:28em}\n"
"td.confirmed{background:#e8f5e9}td.refuted{background:#ffebee}\n"
"td.refined{background:#fff8e1}td.na{background:#f5f5f5}td.mixed{background:#e3f2fd}\n"
"td.none{color:#9e9e9e}\n"
"code{background:#f5f5f5;padding:0 .2em}\n"
"p.note{color:#546e7a;font-size:90%}\n"
"ul.diffs>li{margin:.4em 0}\n"
"figure{margin:1.5em 0}figure svg{width:100%;height:auto;max-width:960px}\n";

static void html_char(FILE *f, char c)
{
	switch (c) {
	case '&': fputs("&amp;", f); break;
	case '<': fputs("&lt;", f); break;
	case '>': fputs("&gt;", f); break;
	case '"': fputs("&quot;", f); break;
	case '\'': fputs("&#39;", f); break;
	default: fputc(c, f);
	}
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		html_char(f, *s);
}

/* claims.md's `code` spans, as <code>. */
static void html_claim_text(FILE *f, const char *s)
{
	bool code = false;

	for (; *s; s++) {
		if (*s != '`') {
			html_char(f, *s);
			continue;
		}
		fputs(code ? "</code>" : "<code>", f);
		code = !code;
	}
	if (code)
		fputs("</code>", f);
}

static void html_runs(FILE *f, const struct report *rep)
{
	fputs("<table class=\"runs\"><thead><tr><th>column</th><th>kernel</th><th>HZ</th>"
	      "<th>started (UTC)</th><th>wall</th><th>instances</th><th>file</th></tr></thead>"
	      "<tbody>\n", f);
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_run *r = &rep->run[c];
		int n[R_NOUTCOMES];

		report_run_outcomes(r, n);
		fputs("<tr><td>", f);
		html_text(f, r->label);
		fputs("</td><td>", f);
		html_text(f, r->release);
		fprintf(f, "</td><td>%d</td><td>", r->hz);
		html_text(f, *r->started ? r->started : "-");
		fprintf(f, "</td><td>%.1f s</td><td>%d: %d pass, %d fail, %d skip, %d error</td><td>",
			r->wall_s, r->ninst, n[R_PASS], n[R_FAIL], n[R_SKIP], n[R_ERROR]);
		html_text(f, r->path);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

/* The colour of a cell: its one kind of verdict, or "mixed". */
static const char *cell_class(const struct rep_cell *c)
{
	static const char *const cls[V_NKINDS] = {
		"confirmed", "refuted", "refined", "na", "inconclusive",
	};
	int kinds = 0, last = 0;

	for (int k = 0; k < V_NKINDS; k++)
		if (c->count[k]) {
			kinds++;
			last = k;
		}
	return !kinds ? "none" : kinds > 1 ? "mixed" : cls[last];
}

static void html_table(FILE *f, const struct report *rep)
{
	char cell[512];

	fputs("<table class=\"claims\"><thead><tr><th>claim</th><th>the article says</th>", f);
	for (int c = 0; c < rep->nruns; c++) {
		fputs("<th>", f);
		html_text(f, rep->run[c].label);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		fputs("<tr><th>", f);
		html_text(f, row->id);
		fputs("</th><td class=\"claim\">", f);
		html_claim_text(f, row->text ?: "(a claim twlab does not know)");
		fputs("</td>", f);
		for (int c = 0; c < rep->nruns; c++) {
			fprintf(f, "<td class=\"%s\">", cell_class(&row->cell[c]));
			html_text(f, report_cell_text(row, &row->cell[c], cell, sizeof(cell)));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n<p class=\"note\">", f);
	html_text(f, report_cell_note);
	fputs("</p>\n", f);
}

static void html_unmeasured(FILE *f, const struct report *rep)
{
	int n = 0;

	for (int i = 0; i < claims_count(); i++)
		if (!report_has_claim(rep, claim_at(i)->id))
			fprintf(f, "%s%s", n++ ? ", " : "<p>Not measured in any of these runs: ",
				claim_at(i)->id);
	if (n)
		fputs(".</p>\n", f);
}

static void html_diff(FILE *f, const struct report *rep, const struct rep_diff *d)
{
	fputs("<li>", f);
	if (d->claim) {
		fputs("<b>", f);
		html_text(f, d->claim);
		fputs("</b> ", f);
	}
	if (d->kind == DIFF_DEFAULT)
		fputs("sysctl ", f);
	if (d->subject) {
		fputs("<code>", f);
		html_text(f, d->subject);
		fputs("</code> ", f);
	}
	if (d->what) {
		html_text(f, d->what);
		fputs(": ", f);
	}
	html_text(f, report_diff_title(d));
	fputs(" [", f);
	html_text(f, *d->fact ? d->fact : "no kernel fact");
	fputs("]<ul>", f);
	for (int c = 0; c < rep->nruns; c++) {
		if (!d->val[c][0])
			continue;
		fputs("<li>", f);
		html_text(f, rep->run[c].label);
		fputs(": ", f);
		html_text(f, d->val[c]);
		fputs("</li>", f);
	}
	fputs("</ul></li>\n", f);
}

static void html_diffs(FILE *f, const struct report *rep, const struct rep_diffs *d)
{
	fputs("<h2>Differences between kernels</h2>\n<p>", f);
	if (rep->nruns < 2)
		fputs("One run: nothing to compare.", f);
	else
		html_text(f, d->n ? report_diff_note : report_diff_none);
	fputs("</p>\n", f);
	if (!d->n)
		return;
	fputs("<ul class=\"diffs\">\n", f);
	for (int i = 0; i < d->n; i++)
		html_diff(f, rep, &d->d[i]);
	fputs("</ul>\n", f);
}

/*
 * Every plot's SVG names its markers alike (gpPt0, gnuplot_canvas...),
 * and ids must be unique in one document: each plot's ids, and the
 * references to them, get a prefix of their own.
 */
static void html_svg(FILE *f, const char *svg, int plot)
{
	static const char *const refs[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	const char *start = svg;

	while (*svg) {
		size_t i, l = 0;

		for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			l = strlen(refs[i]);
			/* a whole attribute name: not the tail of another one */
			if (!strncmp(svg, refs[i], l) && (svg == start || !isalnum(svg[-1])))
				break;
		}
		if (i == sizeof(refs) / sizeof(refs[0])) {
			fputc(*svg++, f);
			continue;
		}
		fprintf(f, "%.*sp%d-", (int)l, svg, plot);
		svg += l;
	}
}

/* From <svg on: gnuplot's XML declaration has no place inside HTML. */
static void html_plot(FILE *f, const struct rep_plot *p, int plot)
{
	const char *svg = p->svg ? strstr(p->svg, "<svg") : NULL;

	fprintf(f, "<figure id=\"plot-%c\"><figcaption><h3>", 'a' + plot);
	html_text(f, p->title);
	fputs("</h3></figcaption>\n", f);
	if (svg) {
		html_svg(f, svg, plot);
	} else {
		fputs("<p>", f);
		html_text(f, p->script ? p->error : p->absent);
		fputs("</p>", f);
	}
	fputs("</figure>\n", f);
}

int report_write_html(FILE *f, const struct report *rep, const struct rep_diffs *d,
		      const struct rep_plot *plots)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<link rel=\"icon\" href=\"data:,\">\n<title>twlab report</title>\n"
		   "<style>\n%s</style></head>\n<body>\n<h1>twlab report</h1>\n"
		   "<p>%d run%s, one column each. Claims are the article's, as "
		   "<code>claims.md</code> numbers them; facts (K..) are "
		   "<code>kernel-facts.md</code>'s.</p>\n",
		style, rep->nruns, rep->nruns == 1 ? "" : "s");
	html_runs(f, rep);
	fputs("<h2>Claims against kernels</h2>\n", f);
	html_table(f, rep);
	html_unmeasured(f, rep);
	html_diffs(f, rep, d);
	fputs("<h2>Plots</h2>\n", f);
	for (int id = 0; id < REPORT_NPLOTS; id++)
		html_plot(f, &plots[id], id);
	fputs("</body></html>\n", f);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
