/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many connections at once, told apart by the server port they share.
 *
 * A case that closes tens or thousands of connections does not watch
 * each 4-tuple: it counts, per state, the sockets of a lab host that have
 * the port at either end, and waits until none of them is left in a
 * transient state.  Client ports come from the ephemeral range (32768-
 * 60999 by default) and server ports lie below it, so one server port
 * names one group of connections at both ends.
 *
 * The wait polls every WAIT_POLL_MS: the transient states of a close
 * (FIN_WAIT1, CLOSE_WAIT, LAST_ACK, a FIN_WAIT2 whose peer's FIN is on
 * its way) end on a segment, not on a timer, so idiag_expires says
 * nothing about when they end (cf. wait_gone()).
 */
#ifndef TWLAB_CONNGROUP_H
#define TWLAB_CONNGROUP_H

#include <stdint.h>

#include "lab.h"
#include "sockview.h"

/* What a close leaves before it settles: all but LISTEN and TIME_WAIT. */
#define CONNGROUP_TRANSIENT	(TCPF_ALL & ~(TCPF(TCP_LISTEN) | TCPF(TCP_TIME_WAIT)))

/* What to do with a connection before it is closed: 0 or -errno. */
typedef int (*conngroup_use_fn)(int cfd, int sfd, void *arg);

/*
 * @n connections from the client host to the server's @port, one after
 * another, each used by @use (when not NULL) and then closed in order,
 * the end @first (LAB_CLIENT, LAB_SERVER) first: that end's side of the
 * connection enters TIME_WAIT (A01, K02).
 */
int conngroup_close(const struct lab *lab, int family, uint16_t port, int n, int first,
		    conngroup_use_fn use, void *arg);
/* Until no host's socket on @port is in a transient state, or -ETIMEDOUT. */
int conngroup_settle(struct sockview *sv, int nhosts, int family, uint16_t port,
		     int timeout_ms);
/* Sockets of @family in @states with @port at either end, by state. */
int conngroup_count(struct sockview *sv, int family, uint32_t states, uint16_t port,
		    unsigned int counts[TCP_NSTATES]);

/*
 * What a group leaves on @port once it has settled (conngroup_settle() on
 * both hosts of the pair, WAIT_SETTLE_MS at most): per host, its
 * sockets in TIME_WAIT, and in @all (may be NULL) in any state but LISTEN.
 */
int conngroup_left(struct sockview sv[LAB_PAIR_HOSTS], int family, uint16_t port,
		   unsigned int tw[LAB_PAIR_HOSTS], unsigned int all[LAB_PAIR_HOSTS]);

#endif
