// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "worker.h"

int worker_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

int worker_knock(int ctl)
{
	uint64_t one = 1;

	return write(ctl, &one, sizeof(one)) < 0 ? -errno : 0;
}

bool worker_knocked(int ctl, pthread_mutex_t *lock, const bool *stopping, int *err)
{
	uint64_t knocks;
	bool stop;

	*err = read(ctl, &knocks, sizeof(knocks)) < 0 && errno != EAGAIN ? -errno : 0;
	pthread_mutex_lock(lock);
	stop = *stopping;
	pthread_mutex_unlock(lock);
	return stop;
}

void worker_stop(pthread_t t, pthread_mutex_t *lock, bool *stopping, int ctl)
{
	pthread_mutex_lock(lock);
	*stopping = true;
	pthread_mutex_unlock(lock);
	if (worker_knock(ctl))
		pthread_cancel(t);
	pthread_join(t, NULL);
}
