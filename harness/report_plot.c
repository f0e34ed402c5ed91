// SPDX-License-Identifier: GPL-2.0
/*
 * The report's plots as gnuplot scripts: text only, data inline as
 * datablocks, output SVG on stdout -- so that the unit tests check the
 * script and only report_gnuplot.c ever runs gnuplot.
 *
 *   (a) TIME_WAIT lifetimes: the samples (min, median, max) of each
 *       instance per kernel, against that kernel's window (K03);
 *   (b) the reuse threshold: the search's bounds per tcp_tw_reuse_delay
 *       and kernel, against the K08 window, both as offsets from the
 *       delay, so that 100 ms and 3000 ms share one axis;
 *   (c) RTO against the delay added to the link, against K13's window;
 *   (d) the headline table: each cell the colour of its verdict.
 *
 * What each plot shows is chosen by sub-claim ID alone (plot_sel[]):
 * never by case name nor by a verdict's words, which may be reworded.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SERIES_COLOURS	8
#define WINDOW_COLOUR	"#66bb6a"

static const char *const colour[SERIES_COLOURS] = {
	"#1565c0", "#c62828", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e", "#ad1457", "#37474f",
};

/* By verdict kind: confirmed, refuted, refined, not applicable, inconclusive. */
static const char *const kind_colour[V_NKINDS] = {
	"#2e7d32", "#c62828", "#f9a825", "#9e9e9e", "#5c6bc0",
};

/* One measured figure with its range, and the window it was expected in. */
struct point {
	int col;
	double x, y, ylo, yhi;
	double wlo, whi;		/* NAN: no window */
	char label[96];
};

struct points {
	int n, cap;
	struct point *p;
};

struct spec {
	const char *title, *xlabel, *ylabel, *window;
	bool xtic_labels;		/* label each point's x with its label */
	double width;			/* of a window box, in x units */
	double thin;			/* a window's least half-height, in y units: an exact one shows */
	double scale;			/* figures in ms are divided by it; 0: 1 */
};

static struct point *point_add(struct points *ps)
{
	if (ps->n == ps->cap) {
		int cap = ps->cap ? 2 * ps->cap : 32;
		struct point *np = realloc(ps->p, cap * sizeof(*np));

		if (!np)
			return NULL;
		ps->p = np;
		ps->cap = cap;
	}
	return memset(&ps->p[ps->n++], 0, sizeof(struct point));
}

/* gnuplot's single quotes take anything but a single quote, which doubles. */
static void gp_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("''", f);
		else
			fputc((unsigned char)*s < ' ' ? ' ' : *s, f);
	fputc('\'', f);
}

/* A datablock column cannot escape a double quote: it becomes a single one. */
static void gp_data_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' || (unsigned char)*s < ' ' ? '\'' : *s, f);
	fputc('"', f);
}

static void gp_number(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, " %.6g", x);
	else
		fputs(" NaN", f);
}

static void preamble(FILE *f, const struct spec *s, int width, int height)
{
	fprintf(f, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' "
		   "background '#ffffff'\n", width, height);
	fputs("set encoding utf8\nset border 3\nset tics nomirror\n"
	      "set grid ytics lc rgb '#dddddd'\nset key below\n", f);
	fputs("set title ", f);
	gp_quote(f, s->title);
	fputs("\nset xlabel ", f);
	gp_quote(f, s->xlabel);
	fputs("\nset ylabel ", f);
	gp_quote(f, s->ylabel);
	fputc('\n', f);
}

/* $win: every window as a box; $k<col>: each column's figures with their ranges. */
static void points_data(FILE *f, const struct report *rep, const struct points *ps,
			const struct spec *s)
{
	fputs("$win << EOD\n", f);
	for (int i = 0; i < ps->n; i++) {
		const struct point *p = &ps->p[i];

		if (isnan(p->wlo) && isnan(p->whi))
			continue;
		gp_number(f, p->x);
		gp_number(f, (p->wlo + p->whi) / 2);
		gp_number(f, p->x - s->width / 2);
		gp_number(f, p->x + s->width / 2);
		gp_number(f, (isnan(p->wlo) ? p->whi : p->wlo) - s->thin);
		gp_number(f, (isnan(p->whi) ? p->wlo : p->whi) + s->thin);
		fputc('\n', f);
	}
	fputs("EOD\n", f);
	for (int c = 0; c < rep->nruns; c++) {
		fprintf(f, "$k%d << EOD\n", c);
		for (int i = 0; i < ps->n; i++) {
			const struct point *p = &ps->p[i];

			if (p->col != c)
				continue;
			gp_number(f, p->x);
			gp_number(f, p->y);
			gp_number(f, isnan(p->ylo) ? p->y : p->ylo);
			gp_number(f, isnan(p->yhi) ? p->y : p->yhi);
			fputc(' ', f);
			gp_data_string(f, p->label);
			fputc('\n', f);
		}
		fputs("EOD\n", f);
	}
}

static bool column_has_points(const struct points *ps, int col)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].col == col)
			return true;
	return false;
}

static void points_plot(FILE *f, const struct report *rep, const struct points *ps,
			const struct spec *s)
{
	points_data(f, rep, ps, s);
	fputs("set style fill transparent solid 0.3 noborder\n", f);
	if (s->xtic_labels)
		fputs("set xtics rotate by -30 font ',9'\n", f);
	fprintf(f, "plot $win using 1:2:3:4:5:6 with boxxyerror lc rgb '%s' title ",
		WINDOW_COLOUR);
	gp_quote(f, s->window);
	for (int c = 0; c < rep->nruns; c++) {
		if (!column_has_points(ps, c))
			continue;
		fprintf(f, ", \\\n     $k%d using 1:2:3:4%s with yerrorbars pt 7 ps 0.7 "
			   "lc rgb '%s' title ", c, s->xtic_labels ? ":xtic(5)" : "",
			colour[c % SERIES_COLOURS]);
		gp_quote(f, rep->run[c].label);
	}
	fputc('\n', f);
}

/*
 * The sub-claims each plot shows.  An entry matches the ID itself and
 * IDs under it ("A11.reuse_threshold" takes "A11.reuse_threshold.veth");
 * one that ends in '_' takes the added delay from the rest of the ID
 * ("A16.rto_delay_" takes "A16.rto_delay_50ms" at 50 ms).
 */
static const struct plot_sel {
	enum rep_plot_id plot;
	const char *id;
	double delay_ms;		/* (c): the delay added; NAN: from the ID */
} plot_sel[] = {
	{ PLOT_LIFETIME, "A02.tw_lifetime", 0 },
	{ PLOT_REUSE, "A11.reuse_threshold", 0 },
	{ PLOT_RTO, "A16.rto_min", 0 },
	{ PLOT_RTO, "A16.rto_delay_", NAN },
};

/* The entry of @plot that takes @v; NULL if none does. */
static const struct plot_sel *plot_takes(enum rep_plot_id plot, const struct tw_verdict *v)
{
	for (size_t i = 0; i < sizeof(plot_sel) / sizeof(plot_sel[0]); i++) {
		const struct plot_sel *p = &plot_sel[i];
		size_t l = strlen(p->id);

		if (p->plot != plot || strncmp(v->id, p->id, l))
			continue;
		if (!v->id[l] || v->id[l] == '.' || p->id[l - 1] == '_')
			return p;
	}
	return NULL;
}

/* The kernel's window of a verdict: its own, or what a verdict before sub-claims gave. */
static void kernel_window(const struct tw_verdict *v, double *lo, double *hi)
{
	struct tw_window w = report_kern_window(v);

	*lo = w.lo;
	*hi = w.hi;
	if (!isfinite(*lo))
		*lo = NAN;
	if (!isfinite(*hi))
		*hi = NAN;
}

/* A figure -- a search's upper bound -- and where its truth may lie. */
static void figure_span(const struct tw_verdict *v, double *y, double *lo, double *hi)
{
	*y = v->bounds ? v->max : v->measured;
	report_reach(v, lo, hi);
}

/*
 * Where a plot puts a verdict's figure: the point comes with its x at the
 * next ordinal, its label the instance's short name and its values scaled
 * by the plot's spec; a plot's place_fn moves it, names it, or shifts its
 * values.
 */
struct place {
	const struct rep_run *run;
	const struct rep_instance *in;
	const struct plot_sel *sel;	/* the entry that took the verdict */
	const struct tw_verdict *v;
	double shift, scale;		/* each value y becomes (y - shift) / scale */
};

typedef void place_fn(struct place *pl, struct point *p);

/* The delay an instance ran at: its own, else its kernel's default, else K08's 1 s clock. */
static double reuse_delay(const struct rep_run *run, const struct rep_instance *in,
			  char *label, size_t len)
{
	const char *d = json_string_value(json_object_get(in->params, "tcp_tw_reuse_delay"));

	if (d) {
		snprintf(label, len, "%s ms", d);
		return atof(d);
	}
	d = json_string_value(json_object_get(run->defaults, "tcp_tw_reuse_delay"));
	if (d) {
		snprintf(label, len, "%s ms (default)", d);
		return atof(d);
	}
	snprintf(label, len, "no sysctl (1 s)");
	return 1000;
}

/* (b): at its delay, as an offset from it */
static void reuse_place(struct place *pl, struct point *p)
{
	p->x = pl->shift = reuse_delay(pl->run, pl->in, p->label, sizeof(p->label));
}

/* (c): at the delay added to the link, from the sub-claim or its ID */
static void rto_place(struct place *pl, struct point *p)
{
	const struct plot_sel *sel = pl->sel;

	p->x = isnan(sel->delay_ms) ? atof(pl->v->id + strlen(sel->id)) : sel->delay_ms;
}

static int by_x(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->col - q->col;
}

/*
 * One slot on the x axis per delay, its points spread across the slot;
 * until then .x holds the delay itself, to sort and group by.
 */
static void spread_by_delay(struct points *ps, FILE *xtics)
{
	int slot = -1;

	qsort(ps->p, ps->n, sizeof(*ps->p), by_x);
	for (int i = 0, j; i < ps->n; i = j) {
		double d = ps->p[i].x;

		for (j = i; j < ps->n && ps->p[j].x == d; j++)
			;
		slot++;
		fprintf(xtics, "%s", slot ? ", " : "set xtics (");
		gp_quote(xtics, ps->p[i].label);
		fprintf(xtics, " %d", slot);
		for (int k = i; k < j; k++)
			ps->p[k].x = slot - 0.4 + 0.8 * (k - i + 0.5) / (j - i);
	}
	if (slot >= 0)
		fprintf(xtics, ")\nset xrange [-0.5:%d.5]\n", slot);
}

static const struct {
	struct spec s;
	place_fn *place;
} points_plots[] = {
	[PLOT_LIFETIME] = { {
		.title = "TIME_WAIT lifetime per kernel and instance (A02.tw_lifetime), against "
			 "the kernel's window",
		.xlabel = "instance", .ylabel = "seconds in TIME_WAIT",
		.window = "kernel's window (K01, K03)", .xtic_labels = true, .width = 0.7,
		.thin = 0.002, .scale = 1000,
	}, NULL },
	[PLOT_REUSE] = { {
		.title = "tcp_tw_reuse: threshold found by the search (A11.reuse_threshold), "
			 "against the K08 window",
		.xlabel = "tcp_tw_reuse_delay",
		.ylabel = "threshold minus the delay (ms)",
		.window = "kernel's window (K08)", .width = 0.06, .thin = 0.25,
	}, reuse_place },
	[PLOT_RTO] = { {
		.title = "RTO against the delay added to the link (A16.rto_min, A16.rto_delay_*)",
		.xlabel = "added one-way delay (ms)", .ylabel = "RTO (ms)",
		.window = "kernel's window (K13)", .width = 2, .thin = 0.5,
	}, rto_place },
};

/* Every verdict of every run that plot @id takes, in ms, with a figure. */
static int points_collect(const struct report *rep, enum rep_plot_id id, struct points *ps)
{
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++) {
			const struct rep_instance *in = &rep->run[c].in[i];

			for (int k = 0; k < in->r.nverdicts; k++) {
				const struct tw_verdict *v = &in->r.v[k];
				const struct plot_sel *sel = plot_takes(id, v);
				struct place pl = {
					.run = &rep->run[c], .in = in, .sel = sel, .v = v,
					.shift = 0, .scale = points_plots[id].s.scale ?: 1,
				};
				double lo, hi, y, ylo, yhi;
				struct point *p;

				if (!sel || isnan(v->measured) || strcmp(v->unit, "ms"))
					continue;
				p = point_add(ps);
				if (!p)
					return -ENOMEM;
				p->x = ps->n;
				snprintf(p->label, sizeof(p->label), "%s", report_short_name(in));
				if (points_plots[id].place)
					points_plots[id].place(&pl, p);
				kernel_window(v, &lo, &hi);
				figure_span(v, &y, &ylo, &yhi);
				p->col = c;
				p->y = (y - pl.shift) / pl.scale;
				p->ylo = (ylo - pl.shift) / pl.scale;
				p->yhi = (yhi - pl.shift) / pl.scale;
				p->wlo = (lo - pl.shift) / pl.scale;
				p->whi = (hi - pl.shift) / pl.scale;
			}
		}
	return 0;
}

static int points_script(const struct report *rep, enum rep_plot_id id, FILE *f)
{
	const struct spec *s = &points_plots[id].s;
	struct points ps = { 0 };
	int err = points_collect(rep, id, &ps);

	if (!err && !ps.n)
		err = -ENODATA;
	if (!err) {
		preamble(f, s, 960, 480);
		if (id == PLOT_REUSE)
			spread_by_delay(&ps, f);
		else if (id == PLOT_LIFETIME)
			fprintf(f, "set xrange [0.5:%d.5]\n", ps.n);
		points_plot(f, rep, &ps, s);
	}
	free(ps.p);
	return err;
}

/* (d): a row per claim, a column per run; each cell a bar split in the verdicts' shares. */
static int table_script(const struct report *rep, FILE *f)
{
	static const struct spec s = {
		.title = "Verdict per claim and kernel",
		.xlabel = "", .ylabel = "",
	};

	if (!rep->nrows)
		return -ENODATA;
	preamble(f, &s, 960, 140 + 26 * rep->nrows);
	fputs("$cells << EOD\n", f);
	for (int r = 0; r < rep->nrows; r++)
		for (int c = 0; c < rep->nruns; c++) {
			enum tw_verdict_kind k = rep->row[r].cell[c].s.kind;
			double y = rep->nrows - 1 - r;

			/* x y xlow xhigh ylow yhigh colour */
			if (k < V_NKINDS)
				fprintf(f, "%d %g %.2f %.2f %.2f %.2f 0x%s\n", c, y, c - 0.45,
					c + 0.45, y - 0.4, y + 0.4, kind_colour[k] + 1);
		}
	fputs("EOD\nset xtics (", f);
	for (int c = 0; c < rep->nruns; c++) {
		fputs(c ? ", " : "", f);
		gp_quote(f, rep->run[c].label);
		fprintf(f, " %d", c);
	}
	fputs(")\nset ytics (", f);
	for (int r = 0; r < rep->nrows; r++) {
		fputs(r ? ", " : "", f);
		gp_quote(f, rep->row[r].id);
		fprintf(f, " %d", rep->nrows - 1 - r);
	}
	fprintf(f, ")\nset xrange [-0.5:%d.5]\nset yrange [-0.6:%d.6]\nunset grid\n"
		   "set style fill solid 1.0 noborder\n"
		   "plot $cells using 1:2:3:4:5:6:7 with boxxyerror lc rgb variable notitle",
		rep->nruns - 1, rep->nrows - 1);
	/* entries of the key alone, for the colours */
	for (int k = 0; k < V_NKINDS; k++)
		fprintf(f, ", \\\n     keyentry with boxes lc rgb '%s' title '%s'", kind_colour[k],
			tw_verdict_name(k));
	fputc('\n', f);
	return 0;
}

int report_plot_script(const struct report *rep, enum rep_plot_id id, char **script)
{
	size_t len;
	FILE *f;
	int err;

	*script = NULL;
	f = open_memstream(script, &len);
	if (!f)
		return -ENOMEM;
	err = id == PLOT_TABLE ? table_script(rep, f) : points_script(rep, id, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(*script);
		*script = NULL;
	}
	return err;
}

static const struct {
	const char *title, *absent;
} plot_text[REPORT_NPLOTS] = {
	[PLOT_LIFETIME] = { "(a) TIME_WAIT lifetime per kernel against its window",
			    "No plot: no verdict on A02.tw_lifetime in these runs." },
	[PLOT_REUSE] = { "(b) The reuse threshold per kernel and tcp_tw_reuse_delay",
			 "No plot: no verdict on A11.reuse_threshold in ms in these runs." },
	[PLOT_RTO] = { "(c) RTO against added delay",
		       "No plot: no verdict on A16.rto_min or A16.rto_delay_* in ms in these "
		       "runs." },
	[PLOT_TABLE] = { "(d) Verdict per claim and kernel",
			 "No plot: these runs hold no verdicts." },
};

void report_plots_make(const struct report *rep, struct rep_plot *plots)
{
	for (int id = 0; id < REPORT_NPLOTS; id++) {
		struct rep_plot *p = &plots[id];
		int err;

		memset(p, 0, sizeof(*p));
		p->title = plot_text[id].title;
		p->absent = plot_text[id].absent;
		err = report_plot_script(rep, id, &p->script);
		if (err == -ENOMEM)
			snprintf(p->error, sizeof(p->error), "out of memory");
		else if (!err)
			gnuplot_svg(p->script, &p->svg, p->error, sizeof(p->error));
	}
}

void report_plots_free(struct rep_plot *plots)
{
	for (int id = 0; id < REPORT_NPLOTS; id++) {
		free(plots[id].script);
		free(plots[id].svg);
		plots[id].script = plots[id].svg = NULL;
	}
}
