/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection left with its passive closer in LAST_ACK (A04, A17): the
 * client closes first; once the server has ACKed the client's FIN (the
 * client's end is in FIN_WAIT2), the client's next pure ACK -- the final
 * ACK, for the server's FIN -- is dropped on the client's egress
 * (impair_drop(), exactly one); then the server closes.  The client's end
 * enters TIME_WAIT on the server's FIN (K02) while the server's end
 * waits in LAST_ACK for an ACK that never comes, until it retransmits
 * its FIN after an RTO.
 */
#ifndef TWLAB_LASTACK_H
#define TWLAB_LASTACK_H

#include <stdbool.h>
#include <stdint.h>

#include "inet.h"

struct impair;
struct lab;
struct sockview;

#define LASTACK_SETTLE_MS	3000	/* bound on each step: one veth round trip, or a delayed ACK */

struct lastack {
	struct tuple tc;		/* the client's view */
	uint32_t server_rto_us;		/* the server end's tcpi_rto, just before its close() */
	int64_t t_close;		/* now_ns() just before the server's close() */
};

/*
 * From the connected ends @cfd (client) and @sfd (server), both closed
 * here whatever happens; @ip an impair on the client's lab interface;
 * @client and @server sock_diag views of the two hosts.  Returns once the
 * server's end is in LAST_ACK, -ETIMEDOUT if a step does not come.
 */
int lastack_enter(int cfd, int sfd, struct impair *ip, struct sockview *client,
		  struct sockview *server, struct lastack *la);

/*
 * lastack_enter() on a new connection to the listener @lfd at @dst: from
 * @src, bound with SO_REUSEADDR so that a later socket may bind there too
 * while this one is in TIME_WAIT, or from a port connect() picks (@src
 * NULL); @sv the sock_diag views of the lab's hosts, by role.
 */
int lastack_open(const struct lab *lab, const struct endpoint *src, int lfd,
		 const struct endpoint *dst, struct impair *ip, struct sockview *sv,
		 struct lastack *la);
/*
 * lastack_enter() returned @err: true when the server closed after
 * reading EOF, yet no poll saw its LAST_ACK in time -- a loaded machine,
 * not the kernel; the capture tells whether its FIN went again.
 */
bool lastack_missed(int err, const struct lastack *la);
/*
 * The tool, after the experiment: 0 if @ip dropped exactly one packet,
 * the final ACK; -EPROTO for any other count (a budget left over drops
 * the next pure ACK of the port), which *@dropped says; or -errno.
 */
int lastack_dropped(struct impair *ip, uint64_t *dropped);

#endif
