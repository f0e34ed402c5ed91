/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A helper thread that its owner stops with a knock: the capture's and
 * the delay line's.  The thread polls an eventfd (@ctl, nonblocking) and
 * reads a stopping flag under its owner's lock.
 */
#ifndef TWLAB_WORKER_H
#define TWLAB_WORKER_H

#include <pthread.h>
#include <stdbool.h>

/*
 * pthread_create() with every signal blocked, so that none meant for the
 * program lands in the helper: 0 or -errno.
 */
int worker_start(pthread_t *t, void *(*fn)(void *), void *arg);
/* Wake the thread's poll(): 0 or -errno. */
int worker_knock(int ctl);
/*
 * In the thread: take the knocks, then read *@stopping under @lock.
 * Whether to stop; *@err is -errno if the knocks could not be read.
 */
bool worker_knocked(int ctl, pthread_mutex_t *lock, const bool *stopping, int *err);
/*
 * Set *@stopping under @lock, knock, and join the thread; if the knock
 * fails the thread would wait for good, so it is cancelled instead.
 */
void worker_stop(pthread_t t, pthread_mutex_t *lock, bool *stopping, int ctl);

#endif
