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
"body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;"
"color:#212121}\n"
"table{border-collapse:collapse;margin:1em 0}\n"
"th,td{border:1px solid #cfd8dc;padding:.35em .5em;text-align:left;vertical-align:top;"
"overflow-wrap:anywhere}\n"
"thead th{background:#eceff1}\n"
"table.claims{width:100%;table-layout:fixed}\n"
"table.claims col.id{width:4.2em}table.claims col.text{width:34%}\n"
"table.subs{width:100%;table-layout:fixed;font-size:90%}table.subs col.id{width:22%}\n"
".confirmed{background:#e8f5e9}.refuted{background:#ffcdd2}.refined{background:#fff3c4}\n"
".na{background:#f5f5f5}.inconclusive{background:#e3e8fd}.none{color:#757575}\n"
"td b.word{display:block}td small,li small,th small{color:#546e7a}th small{font-weight:normal}\n"
"code{background:#f5f5f5;padding:0 .2em}\n"
"p.note{color:#546e7a;font-size:90%}\n"
"ul.diffs>li{margin:.4em 0}ul.by{margin:.2em 0 0;padding-left:1.1em;font-size:90%}\n"
"details{margin:.6em 0;border-left:3px solid #cfd8dc;padding-left:.6em}\n"
"summary{cursor:pointer}summary span{font-size:90%;margin-left:.4em;padding:0 .3em}\n"
"figure{margin:1.5em 0}figure svg{width:100%;height:auto;max-width:960px}\n"
"@media print{body{max-width:none;margin:0;font-size:10pt}"
"details::details-content{content-visibility:visible;display:block}"
"figure,tr,details{break-inside:avoid}summary{list-style:none}}\n";

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

void report_html_text(FILE *f, const char *s)
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


/* The colour of a cell: its one verdict's. */
static const char *cell_class(const struct rep_cell *c)
{
	static const char *const cls[V_NKINDS] = {
		[V_CONFIRMED] = "confirmed", [V_REFUTED] = "refuted", [V_REFINED] = "refined",
		[V_NA] = "na", [V_INCONCLUSIVE] = "inconclusive",
	};

	return c->s.kind < V_NKINDS ? cls[c->s.kind] : "none";
}

/*
 * @open, the claim's ID, @mid, the ID again, @close, then the claim's
 * text: the headline's link to a claim's section, and that section's
 * heading, which the link names.
 */
static void html_claim(FILE *f, const struct rep_row *row, const char *open, const char *mid,
		       const char *close)
{
	fputs(open, f);
	report_html_text(f, row->id);
	fputs(mid, f);
	report_html_text(f, row->id);
	fputs(close, f);
	html_claim_text(f, row->text ?: "(a claim twlab does not know)");
}

static void html_head(FILE *f, const struct report *rep, const char *cls, const char *cols)
{
	fprintf(f, "<table class=\"%s\"><colgroup>%s</colgroup><thead><tr>", cls, cols);
	fputs(!strcmp(cls, "claims") ? "<th>claim</th><th>the article says</th>" :
	      "<th>sub-claim</th>", f);
	for (int c = 0; c < rep->nruns; c++) {
		fputs("<th>", f);
		report_html_text(f, rep->run[c].label);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
}

/* The headline: claims against kernels, one word a cell, the deciding figure under it. */
static void html_table(FILE *f, const struct report *rep)
{
	char fig[96];

	html_head(f, rep, "claims", "<col class=\"id\"><col class=\"text\">");
	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		html_claim(f, row, "<tr><th><a href=\"#claim-", "\">",
			   "</a></th><td class=\"claim\">");
		fputs("</td>", f);
		for (int c = 0; c < rep->nruns; c++) {
			const struct rep_cell *cell = &row->cell[c];

			fprintf(f, "<td class=\"%s\"><b class=\"word\">%s</b>", cell_class(cell),
				report_word(cell));
			if (cell->s.v) {
				report_html_text(f, report_head_figure(cell, fig, sizeof(fig)));
				fputs("<br><small>", f);
				report_html_text(f, scorecard_key(cell->s.v));
				fputs("</small>", f);
			}
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n<p class=\"note\">", f);
	report_html_text(f, report_cell_note);
	fputs("</p>\n", f);
}

static void html_sub(FILE *f, const struct report *rep, const struct rep_row *row,
		     const struct rep_sub *sub)
{
	char text[512];

	fputs("<tr><th>", f);
	if (sub->has_id) {
		fputs("<code>", f);
		report_html_text(f, sub->key);
		fputs("</code>", f);
	} else {
		report_html_text(f, sub->key);
		fputs(" <small>(no sub-claim ID)</small>", f);
	}
	if (sub->what) {
		fputs("<br><small>", f);
		html_claim_text(f, sub->what);
		fputs("</small>", f);
	}
	fputs("</th>", f);
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_cell *cell = &sub->cell[c];

		fprintf(f, "<td class=\"%s\"><b class=\"word\">%s</b>", cell_class(cell),
			report_word(cell));
		/* the word is above: the rest of the text, after "word: " */
		if (cell->s.v)
			report_html_text(f, report_cell_text(cell, text, sizeof(text)) +
				     strlen(report_word(cell)) + 2);
		report_breakdown_write(f, REP_HTML, &rep->run[c], row->id, sub, cell);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

/* Each claim opens into its sub-claims against the kernels. */
static void html_subclaims(FILE *f, const struct report *rep)
{
	fputs("<h2>Sub-claims against kernels</h2>\n", f);
	for (int r = 0; r < rep->nrows; r++) {
		const struct rep_row *row = &rep->row[r];

		html_claim(f, row, "<details id=\"claim-", "\"><summary><b>", "</b> ");
		for (int c = 0; c < rep->nruns; c++) {
			fprintf(f, "<span class=\"%s\" title=\"", cell_class(&row->cell[c]));
			report_html_text(f, rep->run[c].label);
			fprintf(f, "\">%s</span>", report_word(&row->cell[c]));
		}
		fputs("</summary>\n", f);
		html_head(f, rep, "subs", "<col class=\"id\">");
		for (int s = 0; s < row->nsub; s++)
			html_sub(f, rep, row, &row->sub[s]);
		fputs("</tbody></table></details>\n", f);
	}
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
	report_html_text(f, p->title);
	fputs("</h3></figcaption>\n", f);
	if (svg) {
		html_svg(f, svg, plot);
	} else {
		fputs("<p>", f);
		report_html_text(f, p->script ? p->error : p->absent);
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
	report_runs_write(f, REP_HTML, rep);
	fputs("<h2>Claims against kernels</h2>\n", f);
	html_table(f, rep);
	report_unmeasured_write(f, REP_HTML, rep);
	report_diffs_write(f, REP_HTML, rep, d);
	html_subclaims(f, rep);
	fputs("<h2>Plots</h2>\n", f);
	for (int id = 0; id < REPORT_NPLOTS; id++)
		html_plot(f, &plots[id], id);
	fputs("</body></html>\n", f);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
