// SPDX-License-Identifier: GPL-2.0
#include "rtprio.h"

void rt_begin(struct rt_saved *s)
{
	struct sched_param fifo = { .sched_priority = sched_get_priority_min(SCHED_FIFO) };

	s->changed = false;
	s->policy = sched_getscheduler(0);
	if (s->policy < 0 || s->policy == SCHED_FIFO || s->policy == SCHED_RR ||
	    sched_getparam(0, &s->param))
		return;
	s->changed = !sched_setscheduler(0, SCHED_FIFO, &fifo);
}

void rt_end(const struct rt_saved *s)
{
	if (s->changed)
		sched_setscheduler(0, s->policy, &s->param);
}
