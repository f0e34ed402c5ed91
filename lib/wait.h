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
#define WAIT_DUTY	3	/* a poller rests this many times its last dump's length */
#define WAIT_SETTLE_MS	5000	/* a close settles in a veth round trip: a bound under load */

struct watch {
	struct tuple t;
	uint32_t states;	/* TCPF_* the socket is watched in */
	int64_t gone_ns;	/* end of the first poll that missed it; 0 while present */
	int64_t seen_ns;	/* start of the last poll that saw it (or what the
				 * caller knew before): the end lies in (seen_ns, gone_ns] */
	/* its own timer's expiry on our clock, first and last estimate, and their errors */
	int64_t due_first_ns, due_err_ns;
	int64_t due_last_ns, due_last_err_ns;
};

/*
 * Until every watched socket has left its states, or @deadline_ns.  A
 * socket no poll of this wait sees keeps the seen_ns its caller set.
 */
int wait_gone(struct sockview *sv, struct watch *w, int n, int64_t deadline_ns);
/* The next poll's time, given the soonest timer @due and the worst lateness @late of a sleep. */
int64_t wait_wake_ns(int64_t now, int64_t due, int64_t late, int64_t deadline);
/* @wake, or later: a rest of WAIT_DUTY x the dump that ran in [@start, @done]. */
int64_t wait_paced_ns(int64_t wake, int64_t start, int64_t done, int64_t deadline);
/* A poll of [@start, @end] saw @left_ms on @w's own timer (idiag_expires). */
void watch_note_due(struct watch *w, int64_t start, int64_t end, uint32_t left_ms);
/*
 * How far the kernel's clock fell behind ours while @w's timer ran, as its
 * expiry estimates drifted, to within *@err_ns and one jiffy (the
 * resolution of idiag_expires); 0 without two estimates.
 */
int64_t watch_lag_ns(const struct watch *w, int64_t *err_ns);
/* One poll of [@start, @end] saw @w (@present) or missed it: move its bracket. */
void watch_note(struct watch *w, bool present, int64_t start, int64_t end);
/*
 * wait_gone() for the one socket with 4-tuple @t in @states: 1 if it is
 * still there at @deadline_ns, 0 once gone (*@gone_ns, unless NULL, the
 * end of the first poll that missed it), or -errno.
 */
int wait_stays(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns, int64_t *gone_ns);
/* Until the socket with 4-tuple @t is in one of @states, or @deadline_ns. */
int wait_state(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns);
/*
 * The same, polling every WAIT_FINE_US or more (wait_paced_ns()), and
 * saying when: the change happened in (*@before_ns, *@seen_ns], the start
 * of the last poll that missed it and the end of the first that saw it
 * (*@before_ns is 0 if the first saw it: then only the caller knows a
 * bound).
 */
int wait_state_at(struct sockview *sv, const struct tuple *t, uint32_t states,
		  int64_t deadline_ns, int64_t *before_ns, int64_t *seen_ns);

#endif
