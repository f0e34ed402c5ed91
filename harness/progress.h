/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live progress line of `twlab run`: one line on stderr, rewritten in
 * place, for a person at a terminal -- never in a log or a pipe.
 */
#ifndef TWLAB_PROGRESS_H
#define TWLAB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_PERIOD_MS	500	/* redrawn at most this often */

struct progress {
	FILE *f;
	bool on;
	bool shown;		/* a line is on the screen now */
	int done, total;
	int64_t drawn_ns;	/* when it was last drawn; 0: never */
};

void progress_init(struct progress *p, FILE *f, bool on, int total);
/*
 * "[12/56 done] longest wait: at most 41 s left": what the runner knows
 * for sure is the time limit of each running instance, so the figure is
 * the time left until the last of those limits; @left_s < 0: none running.
 */
int progress_format(char *buf, size_t len, int done, int total, int left_s);
void progress_done(struct progress *p);
/* Redraw, if PROGRESS_PERIOD_MS have passed; @until_ns: the last running limit, 0 if none. */
void progress_update(struct progress *p, int64_t now_ns, int64_t until_ns);
/* Before anything else is printed, and at the end. */
void progress_clear(struct progress *p);

#endif
