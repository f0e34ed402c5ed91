/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_RUNNER_H
#define TWLAB_RUNNER_H

#include <stdint.h>

#include "expand.h"

struct kernel_info;
struct netns;

#define RUNNER_DEFAULT_LIMIT_S	120
#define RUNNER_TICK_MS		500

struct runner_opts {
	int jobs;				/* instances at once */
	int time_scale;				/* time limits x this; 0 is 1 */
	const struct kernel_info *kernel;
	const struct netns *home;		/* the namespace twlab started in */
	const struct netns *nursery;		/* labs are made here (lab_nursery_open()); NULL: home */
	const char *out_dir;			/* captures go here; NULL: none */
	void (*done)(struct tw_instance *in, int index, void *arg);
	/* optional: each turn of the wait, at least every RUNNER_TICK_MS, with the last deadline */
	void (*tick)(int64_t last_deadline_ns, void *arg);
	void *arg;
};

/* Why @in cannot run on this kernel, or NULL when it can. */
const char *runner_skip_reason(const struct tw_instance *in,
			       const struct kernel_info *k, char *buf, size_t len);
/*
 * The order instances start in: the longest time limit first, the plan's
 * order among equals.  Under -j the long waits (a whole TIME_WAIT) then
 * overlap the short cases instead of trailing after them; KTAP still
 * prints in the plan's order.
 */
void runner_order(const struct tw_instance *in, int n, int *order);
int runner_run(struct tw_instance *in, int n, const struct runner_opts *o);

#endif
