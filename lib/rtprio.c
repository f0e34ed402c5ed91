// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE	/* SCHED_RESET_ON_FORK */
#include "rtprio.h"

void rt_begin(struct rt_saved *s)
{
	struct sched_param fifo = { .sched_priority = sched_get_priority_min(SCHED_FIFO) };
	int policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;

	s->changed = false;
	s->policy = policy;
	if (policy < 0 || policy == SCHED_FIFO || policy == SCHED_RR ||
	    sched_getparam(0, &s->param))
		return;
	/* a tool it runs (ss) must not inherit it */
	s->changed = !sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &fifo);
}

void rt_end(const struct rt_saved *s)
{
	if (s->changed)
		sched_setscheduler(0, s->policy, &s->param);
}
