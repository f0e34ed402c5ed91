// SPDX-License-Identifier: GPL-2.0
/*
 * twlab report [-o DIR] FILE.json...: every file read and checked before
 * anything is written, so a bad file costs nothing but its one-line
 * error (exit 2); then report.md and report.html into DIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

static int load_all(const char *const *files, int n, struct rep_run *runs)
{
	char err[512];

	for (int i = 0; i < n; i++) {
		if (!report_load(files[i], &runs[i], err, sizeof(err)))
			continue;
		fprintf(stderr, "twlab: %s\n", err);
		while (i--)
			report_run_free(&runs[i]);
		return -EINVAL;
	}
	return 0;
}

static FILE *out_open(const char *dir, const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "twlab: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int out_close(FILE *f, const char *path, int err)
{
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "twlab: cannot write %s: %s\n", path, strerror(-err));
	return err;
}

/* A plot gnuplot could not draw says why in the HTML; say it here too, once. */
static void plots_warn(const struct rep_plot *plots)
{
	for (int id = 0; id < REPORT_NPLOTS; id++) {
		bool again = false;

		for (int j = 0; j < id; j++)
			again |= !strcmp(plots[j].error, plots[id].error);
		if (plots[id].script && !plots[id].svg && !again)
			fprintf(stderr, "twlab: report.html: %s\n", plots[id].error);
	}
}

static int write_outputs(const struct report *rep, const char *dir)
{
	struct rep_plot plots[REPORT_NPLOTS];
	struct rep_diffs d;
	char path[4096];
	int err;
	FILE *f;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "twlab: cannot make the report folder %s: %s (its parent must "
			"exist)\n", dir, strerror(-err));
		return err;
	}
	err = report_differs(rep, &d);
	if (err)
		return err;
	f = out_open(dir, "report.md", path, sizeof(path));
	err = f ? out_close(f, path, report_write_md(f, rep, &d)) : -EIO;
	if (!err) {
		report_plots_make(rep, plots);
		plots_warn(plots);
		f = out_open(dir, "report.html", path, sizeof(path));
		err = f ? out_close(f, path, report_write_html(f, rep, &d, plots)) : -EIO;
		report_plots_free(plots);
	}
	if (!err)
		printf("twlab: wrote %s/report.md and %s/report.html: %d claim%s, %d column%s, "
		       "%d difference%s\n", dir, dir, rep->nrows, rep->nrows == 1 ? "" : "s",
		       rep->nruns, rep->nruns == 1 ? "" : "s", d.n, d.n == 1 ? "" : "s");
	report_diffs_free(&d);
	return err;
}

/* @files loaded and merged: 0 with @rep to report_free(), else the exit status. */
static int runs_open(const char *const *files, int n, struct report *rep)
{
	struct rep_run *runs = calloc(n ?: 1, sizeof(*runs));
	int err;

	if (!runs) {
		fprintf(stderr, "twlab: out of memory\n");
		return 1;
	}
	if (load_all(files, n, runs)) {
		free(runs);
		return 2;
	}
	err = report_merge(rep, runs, n);
	if (err) {
		fprintf(stderr, "twlab: cannot merge the runs: %s\n", strerror(-err));
		report_free(rep);
		return 1;
	}
	return 0;
}

int report_main(const char *const *files, int nfiles, const char *dir)
{
	struct report rep;
	int err;

	if (nfiles > REPORT_MAX_RUNS) {
		fprintf(stderr, "twlab: report takes at most %d files\n", REPORT_MAX_RUNS);
		return 2;
	}
	err = runs_open(files, nfiles, &rep);
	if (err)
		return err;
	err = write_outputs(&rep, dir ?: REPORT_DEFAULT_DIR);
	report_free(&rep);
	return err ? 1 : 0;
}

/* One line a difference, its values under it: old first, then new. */
static int diff_print(FILE *f, const struct report *rep, const struct rep_diffs *d)
{
	int gates = 0;

	for (int i = 0; i < d->n; i++) {
		const struct rep_diff *x = &d->d[i];

		gates += x->gates;
		fprintf(f, "%s %s%s%s%s%s: %s%s%s%s\n", x->gates ? "CHANGED" : "differs",
			x->subclaim ?: x->claim ?: "", x->subject ? " in " : "", x->subject ?: "",
			!x->subclaim && x->what ? ": " : "", !x->subclaim && x->what ? x->what : "",
			report_diff_title(x), *x->fact ? " [" : "", x->fact, *x->fact ? "]" : "");
		for (int c = 0; c < rep->nruns; c++)
			if (x->val[c][0])
				fprintf(f, "  %s: %s\n", c ? "new" : "old", x->val[c]);
	}
	fprintf(f, "twlab diff: %d difference%s, %d behaviour change%s (a conclusive verdict "
		"that differs)\n", d->n, d->n == 1 ? "" : "s", gates, gates == 1 ? "" : "s");
	return gates;
}

int diff_main(const char *old, const char *new_)
{
	const char *files[2] = { old, new_ };
	struct report rep;
	struct rep_diffs d;
	int err = runs_open(files, 2, &rep);

	if (err)
		return err;
	err = report_diff(&rep, &d);
	if (err) {
		fprintf(stderr, "twlab: cannot compare the runs: %s\n", strerror(-err));
		report_free(&rep);
		return 1;
	}
	printf("twlab diff: %s (%s, HZ=%d) -> %s (%s, HZ=%d)\n", old, rep.run[0].release,
	       rep.run[0].hz, new_, rep.run[1].release, rep.run[1].hz);
	err = diff_print(stdout, &rep, &d) ? 1 : 0;
	report_diffs_free(&d);
	report_free(&rep);
	return err;
}
