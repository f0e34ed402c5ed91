/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calling thread kept on the CPU it runs on, and let go again: for
 * what must happen on one CPU, as allocations from one CPU's slabs or a
 * race between two threads timed on one clock.
 */
#ifndef TWLAB_CPU_H
#define TWLAB_CPU_H

#include <sched.h>

/* 0, with its affinity before in *@saved; or -errno, nothing changed. */
int cpu_pin_here(cpu_set_t *saved);
void cpu_unpin(const cpu_set_t *saved);

#endif
