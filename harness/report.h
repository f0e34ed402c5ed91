/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twlab report: the --json files of any number of runs, on any number of
 * machines, merged into one table -- claims down, kernels across -- with
 * the differences between the kernels and plots of the key figures.
 *
 * One concept per file:
 *   report_load.c     one file, checked field by field, into a rep_run
 *   report_merge.c    column labels, and the runs folded into rows of cells
 *   report_cell.c     a cell's text
 *   report_diff.c     what differs between the columns, and which fact says why
 *   report_md.c       report.md
 *   report_plot.c     gnuplot scripts (text only: testable without gnuplot)
 *   report_gnuplot.c  running gnuplot on a script, for its SVG
 *   report_html.c     report.html, self-contained
 *   report_cmd.c      `twlab report`: all of the above, into a folder
 */
#ifndef TWLAB_REPORT_H
#define TWLAB_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "case.h"
#include "json.h"

#define REPORT_MAX_RUNS		64	/* files, so columns */
#define REPORT_LABEL_LEN	128
#define REPORT_VAL_LEN		192
#define REPORT_DEFAULT_DIR	"twlab-report"
/* Two figures within this fraction of each other are the same figure. */
#define REPORT_FIGURE_TOLERANCE	0.10

struct rep_instance {
	const char *kase;		/* strings are borrowed from the run's JSON */
	const char *name;
	const char *family;
	json_t *params;			/* sysctl -> value string; NULL when none */
	struct tw_result r;		/* as the instance gave it */
};

/* One file: one `twlab run --json` on one machine. */
struct rep_run {
	const char *path;
	json_t *root;			/* holds every borrowed string */
	const char *release;
	const char *hz_source;		/* "" when not recorded */
	const char *started;		/* "" when not recorded */
	int hz;				/* 0 when not recorded */
	double wall_s;
	json_t *defaults;		/* sysctl -> string, null where absent; NULL if none */
	char label[REPORT_LABEL_LEN];	/* the column's heading */
	int ninst;
	struct rep_instance *in;
};

/*
 * Which figures sum a claim up, the same in every column so that the
 * cells of a row compare: sampled figures (tw_duration's lifetimes) or
 * searched bounds (tw_reuse's threshold) where the claim has them, else
 * every single figure -- always only those in the claim's most common unit.
 */
enum rep_figure { FIG_NONE, FIG_SAMPLES, FIG_BOUNDS, FIG_PLAIN };

struct rep_cell {
	int count[V_NKINDS];		/* the claim's verdicts in this column, by kind */
	int instances;			/* instances that gave one */
	int failed;			/* of those, failed or errored */
	int silent;			/* instances of the claim's cases that gave none */
	int skipped;			/* of those, skipped */
	int nfig;			/* key figures folded in */
	double lo, hi;			/* their range (samples: min..max; bounds: above..at_most) */
	double mid;			/* samples: the median of their medians */
};

struct rep_row {
	char id[8];
	const char *text;		/* the paraphrase; NULL if twlab does not know the claim */
	enum rep_figure fig;
	char unit[12];
	struct rep_cell *cell;		/* one per run */
};

struct report {
	int nruns;
	struct rep_run *run;		/* the columns, in the order given */
	int nrows;
	struct rep_row *row;		/* the claims, in claims.md's order */
};

enum rep_diff_kind {
	DIFF_CLAIM,		/* a claim has verdicts in some columns only */
	DIFF_INSTANCE,		/* an instance gave the claim verdicts in some columns only */
	DIFF_VERDICT,		/* one instance's verdict differs, or is missing */
	DIFF_FIGURE,		/* the same verdict, another figure or expectation */
	DIFF_HZ,
	DIFF_DEFAULT,		/* a sysctl's default in a fresh namespace */
};

struct rep_diff {
	enum rep_diff_kind kind;
	const char *claim;		/* NULL for DIFF_HZ and DIFF_DEFAULT */
	const char *subject;		/* instance name, or sysctl; NULL for DIFF_CLAIM, DIFF_HZ */
	const char *what;		/* the verdict's "what"; NULL unless a verdict */
	const char *subclaim;		/* its sub-claim ID; NULL unless it has one */
	bool gates;			/* two conclusive verdicts differ: a behaviour change */
	char fact[32];			/* the kernel facts that explain it: "K07, K08"; "" */
	char (*val)[REPORT_VAL_LEN];	/* per run; "" where that run was not compared */
};

struct rep_diffs {
	int n;
	struct rep_diff *d;
};

/* report_load.c: 0, -ENOENT & co. from the file, or -EINVAL; @err names the file. */
int report_load(const char *path, struct rep_run *run, char *err, size_t len);
int report_load_text(const char *path, const char *text, struct rep_run *run,
		     char *err, size_t len);
void report_run_free(struct rep_run *run);

/* report_merge.c: takes over @runs (calloc'ed, @n loaded); 0, -E2BIG or -ENOMEM. */
int report_merge(struct report *rep, struct rep_run *runs, int n);
void report_free(struct report *rep);
void report_label_runs(struct rep_run *runs, int n);
bool report_has_claim(const struct report *rep, const char *id);	/* a row for it */
bool report_gives(const struct rep_instance *in, const char *id);	/* a verdict on it */
void report_run_outcomes(const struct rep_run *run, int n[R_NOUTCOMES]);	/* by result */

/* report_cell.c */
char *report_cell_text(const struct rep_row *row, const struct rep_cell *c,
		       char *buf, size_t len);
char *report_number(double x, char *buf, size_t len);
extern const char report_cell_note[];		/* how a cell is folded, for readers */

/* report_diff.c */
int report_diff(const struct report *rep, struct rep_diffs *out);
void report_diffs_free(struct rep_diffs *d);
const char *report_sysctl_fact(const char *sysctl);
const char *report_diff_title(const struct rep_diff *d);
extern const char report_diff_note[];		/* how to read the list */
extern const char report_diff_none[];		/* when it is empty */

/* report_md.c */
int report_write_md(FILE *f, const struct report *rep, const struct rep_diffs *d);

/* report_plot.c: the plots, as gnuplot scripts writing SVG to stdout. */
enum rep_plot_id { PLOT_LIFETIME, PLOT_REUSE, PLOT_RTO, PLOT_TABLE, REPORT_NPLOTS };

struct rep_plot {
	const char *title;
	const char *absent;		/* why there is no plot, when there is none */
	char *script;			/* NULL: no data for this plot */
	char *svg;			/* what gnuplot made of it; NULL until then */
	char error[256];		/* why gnuplot made nothing */
};

/* 0 with *@script malloc'ed, -ENODATA when the runs hold nothing to plot. */
int report_plot_script(const struct report *rep, enum rep_plot_id id, char **script);
void report_plots_make(const struct report *rep, struct rep_plot *plots);
void report_plots_free(struct rep_plot *plots);

/* report_gnuplot.c: 0 with *@svg malloc'ed; else -errno and one line in @err. */
int gnuplot_svg(const char *script, char **svg, char *err, size_t len);

/* report_html.c */
int report_write_html(FILE *f, const struct report *rep, const struct rep_diffs *d,
		      const struct rep_plot *plots);

/* report_cmd.c: `twlab report`; returns the exit status. */
int report_main(const char *const *files, int nfiles, const char *dir);
/* twlab diff OLD NEW: 0 alike, 1 a conclusive verdict changed (or failure), 2 a bad file. */
int diff_main(const char *old, const char *new_);

#endif
