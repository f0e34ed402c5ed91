// SPDX-License-Identifier: GPL-2.0
/*
 * A cell of the report's table, as text: the verdicts the claim got in
 * that column, counted by kind, then its key figures --
 *   "refined ×4: 61.0 s (60.0-62.0)"   samples: median of medians (min-max)
 *   "refined ×8: 999..1002 ms"          bounds or single figures: their range
 * and how many of the instances behind it failed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

const char report_cell_note[] =
"Each cell folds every verdict the claim got from that column's instances: how many of "
"each kind (×N), then the claim's key figures, in the unit they most often have -- for "
"sampled figures (TIME_WAIT lifetimes) the median of the instances' medians and, in "
"brackets, the lowest and the highest sample; for searched bounds (the reuse threshold) "
"the lowest lower bound to the highest upper bound; otherwise the range of the single "
"figures. Milliseconds from 10 s up are shown in seconds. A cell also says how many of "
"its instances failed, and how many instances of the claim's cases skipped; \"not run\": "
"that run ran none of them.";

/* Whole numbers as such, three significant digits below 100: 5196, 61.1, 0.04. */
char *report_number(double x, char *buf, size_t len)
{
	if (isnan(x))
		snprintf(buf, len, "-");
	else if (x == rint(x) || fabs(x) >= 100)
		snprintf(buf, len, "%.0f", x);
	else
		snprintf(buf, len, "%.3g", x);
	return buf;
}

static bool all_at_least(const struct rep_cell *c, double floor)
{
	return c->lo >= floor && c->hi >= floor && (isnan(c->mid) || c->mid >= floor);
}

/* Tens of seconds read better in seconds, to a tenth as timing allows. */
static void figures(const struct rep_row *row, const struct rep_cell *c,
		    char *buf, size_t len)
{
	bool secs = !strcmp(row->unit, "ms") && all_at_least(c, 10000);
	double scale = secs ? 1000 : 1;
	const char *unit = secs ? "s" : row->unit;
	const char *sp = *unit ? " " : "";
	char lo[32], hi[32], mid[32];

	if (secs) {
		snprintf(lo, sizeof(lo), "%.1f", c->lo / scale);
		snprintf(hi, sizeof(hi), "%.1f", c->hi / scale);
		snprintf(mid, sizeof(mid), "%.1f", c->mid / scale);
	} else {
		report_number(c->lo, lo, sizeof(lo));
		report_number(c->hi, hi, sizeof(hi));
		report_number(c->mid, mid, sizeof(mid));
	}
	if (row->fig == FIG_SAMPLES)
		snprintf(buf, len, "%s%s%s (%s-%s)", mid, sp, unit, lo, hi);
	else if (!strcmp(lo, hi))
		snprintf(buf, len, "%s%s%s", lo, sp, unit);
	else
		snprintf(buf, len, "%s..%s%s%s", lo, hi, sp, unit);
}

char *report_cell_text(const struct rep_row *row, const struct rep_cell *c,
		       char *buf, size_t len)
{
	size_t off = 0;
	char fig[128];

	buf[0] = '\0';
	for (int k = 0; k < V_NKINDS; k++)
		if (c->count[k] && off < len)
			off += snprintf(buf + off, len - off, "%s%s ×%d", off ? ", " : "",
					tw_verdict_name(k), c->count[k]);
	if (!off && !c->silent) {
		snprintf(buf, len, "not run");
		return buf;
	}
	if (!off) {
		snprintf(buf, len, "no verdict from %d instance%s (%d skipped)", c->silent,
			 c->silent == 1 ? "" : "s", c->skipped);
		return buf;
	}
	if (c->nfig && off < len) {
		figures(row, c, fig, sizeof(fig));
		off += snprintf(buf + off, len - off, ": %s", fig);
	}
	if (c->failed && off < len)
		off += snprintf(buf + off, len - off, "; %d of %d instances failed", c->failed,
				c->instances);
	if (c->skipped && off < len)
		snprintf(buf + off, len - off, "; %d more skipped", c->skipped);
	return buf;
}
