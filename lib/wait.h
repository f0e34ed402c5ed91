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

#include <stdint.h>

#include "inet.h"

struct sockview;

#define WAIT_POLL_MS	1	/* the resolution of every time we report */
#define WAIT_LEAD_MS	20	/* start polling this long before idiag_expires */

struct watch {
	struct tuple t;
	uint32_t states;	/* TCPF_* the socket is watched in */
	int64_t gone_ns;	/* first poll that missed it; 0 while present */
};

/* Until every watched socket has left its states, or @deadline_ns. */
int wait_gone(struct sockview *sv, struct watch *w, int n, int64_t deadline_ns);
/* Until the socket with 4-tuple @t is in one of @states, or @deadline_ns. */
int wait_state(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns);

#endif
