/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probes that must wake on time on a loaded machine: a probe that wakes
 * 20 ms late brackets its figure no better than 20 ms.
 */
#ifndef TWLAB_RT_H
#define TWLAB_RT_H

#include <stdbool.h>

/*
 * The calling process at SCHED_FIFO 1, timer slack 1 ns: true if it took.
 * Without the privilege it runs as it was, and says so.
 */
bool rt_begin(void);
/* Back to SCHED_OTHER, if rt_begin() took. */
void rt_end(bool rt);

#endif
