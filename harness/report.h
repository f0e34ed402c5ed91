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
#include "scorecard.h"

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
 * One column's verdicts on a claim, or on one of its sub-claims, rolled
 * up by the scorecard's rule: one verdict word, and the one verdict that
 * decides it -- whose figure, window and fact the cell shows.  Never a
 * count of verdicts, never a range across figures: one unit per cell.
 */
struct rep_cell {
	struct claim_score s;		/* kind (V_NKINDS: none), the deciding s.v */
	const struct rep_instance *in;	/* the deciding verdict's instance */
	int instances;			/* instances that gave one */
	int failed;			/* of those, failed */
	int silent;			/* instances of its cases that gave none */
	int skipped;			/* of those, skipped */
};

/* A sub-claim: a row of its claim's table, matched across runs by its ID. */
struct rep_sub {
	const char *key;		/* the sub-claim ID; a verdict without one: its text */
	bool has_id;
	const char *what;		/* as this twlab declares it; NULL where it does not */
	struct rep_cell *cell;		/* one per run */
};

struct rep_row {
	char id[8];
	const char *text;		/* the paraphrase; NULL if twlab does not know the claim */
	struct rep_cell *cell;		/* one per run: the claim's verdict there */
	int nsub;
	struct rep_sub *sub;		/* its sub-claims, in the order the runs give them */
};

struct report {
	int nruns;
	struct rep_run *run;		/* the columns, in the order given */
	int nrows;
	struct rep_row *row;		/* the claims, in claims.md's order */
};

enum rep_diff_kind {
	DIFF_SUBCLAIM,		/* a sub-claim's conclusive verdict or kernel window differs,
				   or it was judged on some kernels only */
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
	bool window;			/* DIFF_SUBCLAIM: the kernel's window differs */
	bool partial;			/* DIFF_SUBCLAIM: judged in some columns, skipped in others */
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
/* a verdict on @claim's sub-claim @key (scorecard_key()); NULL: any */
bool report_gives_sub(const struct rep_instance *in, const char *claim, const char *key);
const struct rep_row *report_row(const struct report *rep, const char *id);
const struct rep_sub *report_sub(const struct rep_row *row, const char *key);
/* @in's @occ'th verdict (from 0) on @claim's sub-claim @key (NULL: any); NULL if none. */
const struct tw_verdict *report_verdict_at(const struct rep_instance *in, const char *claim,
					   const char *key, int occ);
/* Every instance of @run gave @claim's sub-claim @key the same verdict, in the same window. */
bool report_instances_agree(const struct rep_run *run, const char *claim, const char *key);
/* "tw_duration.ipv4.tcp_fin_timeout=5" -> "ipv4.tcp_fin_timeout=5" */
const char *report_short_name(const struct rep_instance *in);
void report_run_outcomes(const struct rep_run *run, int n[R_NOUTCOMES]);	/* by result */

/* report_cell.c */
/* The figure with the observer's uncertainty: "61.0 s (60.0-62.0, n=24, -0.004/+0.004 each)". */
char *report_figure(const struct tw_verdict *v, char *buf, size_t len);
/* Where @v's truth may lie: a search's (lo, hi], or its samples widened by their uncertainty. */
void report_reach(const struct tw_verdict *v, double *lo, double *hi);
/* The kernel's window of @v: its own, or the one a verdict from before sub-claims was given. */
struct tw_window report_kern_window(const struct tw_verdict *v);
/* The kernel's window, in the figure's unit: "(60.0, 62.1] s". */
char *report_window(const struct tw_verdict *v, char *buf, size_t len);
/* "refined", "not run", "no verdict": the one word of a cell. */
const char *report_word(const struct rep_cell *c);
/* The headline's cell: the word, then the deciding figure -- "refined: 61.0 s". */
char *report_head_text(const struct rep_cell *c, char *buf, size_t len);
char *report_head_figure(const struct rep_cell *c, char *buf, size_t len);	/* "61.0 s"; "" */
/* A sub-claim's cell: "refined: 61.0 s (...); kernel (60.0, 62.1] s [K03]". */
char *report_cell_text(const struct rep_cell *c, char *buf, size_t len);
/* One instance's verdict on a sub-claim, for the breakdown under a cell. */
char *report_verdict_text(const struct tw_verdict *v, char *buf, size_t len);
char *report_number(double x, char *buf, size_t len);
extern const char report_cell_note[];		/* how a cell is rolled up, for readers */

/* report_diff.c */
/* The same kernel window (report_kern_window()), edge for edge: memcmp() would compare padding. */
bool report_same_window(const struct tw_verdict *a, const struct tw_verdict *b);
int report_diff(const struct report *rep, struct rep_diffs *out);
/*
 * The report's "what differs between these kernels": only sub-claims
 * whose conclusive verdict or kernel window differs, or that one kernel
 * judged where another ran the instance and got none (a skip), each with
 * its fact; then HZ and the sysctl defaults that differ.
 */
int report_differs(const struct report *rep, struct rep_diffs *out);
void report_diffs_free(struct rep_diffs *d);
const char *report_sysctl_fact(const char *sysctl);
const char *report_diff_title(const struct rep_diff *d);
extern const char report_diff_note[];		/* how to read the list */
extern const char report_diff_none[];		/* when it is empty */
extern const char report_differs_note[];	/* report_differs(): how to read it */
extern const char report_differs_none[];

/* report_text.c: what report.md and report.html say alike, each in its markup. */
enum rep_format { REP_MD, REP_HTML, REP_NFORMATS };

void report_md_text(FILE *f, const char *s);	/* escaped for a Markdown table cell */
void report_html_text(FILE *f, const char *s);
void report_runs_write(FILE *f, enum rep_format fmt, const struct report *rep);
void report_unmeasured_write(FILE *f, enum rep_format fmt, const struct report *rep);
/* Under a cell whose verdicts came from several instances: alike, or what each gave. */
void report_breakdown_write(FILE *f, enum rep_format fmt, const struct rep_run *run,
			    const char *claim, const struct rep_sub *sub,
			    const struct rep_cell *cell);
void report_diffs_write(FILE *f, enum rep_format fmt, const struct report *rep,
			const struct rep_diffs *d);

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
