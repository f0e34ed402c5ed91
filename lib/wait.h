/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded waits on kernel socket state, read over sock_diag.
 *
 * No wait measures by sleeping: each sleeps until shortly before the
 * kernel's own timer (idiag_expires) is due, then polls finely until the
 * state changes, and gives up with -ETIMEDOUT at its deadline.
 */
#ifndef TWLAB_WAIT_H
#define TWLAB_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "inet.h"

struct sockview;

#define WAIT_POLL_MS	1	/* the resolution of a wait that measures nothing */
#define WAIT_FINE_US	250	/* the poll period near a timer's expiry: what a lifetime's end is known to */
#define WAIT_LEAD_MS	20	/* start polling this long before idiag_expires, at least */
#define WAIT_NAP_MS	1000	/* the longest sleep of wait_gone() */

struct watch {
	struct tuple t;
	uint32_t states;	/* TCPF_* the socket is watched in */
	int64_t gone_ns;	/* end of the first poll that missed it; 0 while present */
	int64_t seen_ns;	/* start of the last poll that saw it (or what the
				 * caller knew before): the end lies in (seen_ns, gone_ns] */
};

/*
 * Until every watched socket has left its states, or @deadline_ns.  A
 * socket no poll of this wait sees keeps the seen_ns its caller set.
 */
int wait_gone(struct sockview *sv, struct watch *w, int n, int64_t deadline_ns);
/* The next poll's time, given the soonest timer @due and the worst lateness @late of a sleep. */
int64_t wait_wake_ns(int64_t now, int64_t due, int64_t late, int64_t deadline);
/* One poll of [@start, @end] saw @w (@present) or missed it: move its bracket. */
void watch_note(struct watch *w, bool present, int64_t start, int64_t end);
/* Until the socket with 4-tuple @t is in one of @states, or @deadline_ns. */
int wait_state(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns);
/*
 * The same, polling every WAIT_FINE_US, and saying when: the change
 * happened in (*@before_ns, *@seen_ns], the start of the last poll that
 * missed it and the end of the first that saw it (*@before_ns is 0 if the
 * first saw it: then only the caller knows a bound).
 */
int wait_state_at(struct sockview *sv, const struct tuple *t, uint32_t states,
		  int64_t deadline_ns, int64_t *before_ns, int64_t *seen_ns);

#endif
