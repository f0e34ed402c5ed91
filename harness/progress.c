// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line: "\r" and an erase-to-end-of-line, so a shorter line
 * leaves nothing of a longer one behind.  It is cleared before each KTAP
 * line reaches the terminal and at the end, so the terminal ends up
 * showing exactly what a pipe would have received.
 */
#include <stdio.h>

#include "clock.h"
#include "progress.h"

#define ERASE_LINE	"\r\033[K"

void progress_init(struct progress *p, FILE *f, bool on, int total)
{
	*p = (struct progress){ .f = f, .on = on, .total = total };
}

int progress_format(char *buf, size_t len, int done, int total, int left_s)
{
	if (left_s < 0)
		return snprintf(buf, len, "[%d/%d done]", done, total);
	return snprintf(buf, len, "[%d/%d done] longest wait: at most %d s left", done, total,
			left_s);
}

void progress_done(struct progress *p)
{
	p->done++;
}

void progress_update(struct progress *p, int64_t now_ns, int64_t until_ns)
{
	char line[96];
	int left = -1;

	if (!p->on || (p->drawn_ns && now_ns - p->drawn_ns < PROGRESS_PERIOD_MS * NSEC_PER_MSEC))
		return;
	if (until_ns)	/* rounded up: "0 s left" only once it is over */
		left = until_ns > now_ns ? (until_ns - now_ns + NSEC_PER_SEC - 1) / NSEC_PER_SEC : 0;
	progress_format(line, sizeof(line), p->done, p->total, left);
	fprintf(p->f, ERASE_LINE "%s", line);
	fflush(p->f);
	p->shown = true;
	p->drawn_ns = now_ns;
}

void progress_clear(struct progress *p)
{
	if (!p->shown)
		return;
	fputs(ERASE_LINE, p->f);
	fflush(p->f);
	p->shown = false;
}
