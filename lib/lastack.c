// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "impair.h"
#include "lab.h"
#include "lastack.h"
#include "rtprio.h"
#include "sockview.h"
#include "wait.h"

static int64_t deadline(void)
{
	return now_ns() + guard_ms(LASTACK_SETTLE_MS) * NSEC_PER_MSEC;
}

/*
 * The client's close() leaves it in FIN_WAIT1; the server's ACK of that
 * FIN moves it to FIN_WAIT2, where an orphan becomes a TIME_WAIT socket
 * of substate FIN_WAIT2 (tcp_rcv_state_process(): tcp_time_wait(sk,
 * TCP_FIN_WAIT2, tmo)) that sock_diag lists as FIN_WAIT2.  From then on
 * the client sends nothing until the server's FIN, so the next pure ACK
 * from its port is the final ACK.
 */
static int client_closes(int cfd, struct impair *ip, struct sockview *client,
			 const struct tuple *tc)
{
	struct drop_match m = {
		.family = tc->src.family,
		.flags = TH_ACK, .mask = TH_SYN | TH_FIN | TH_RST | TH_ACK,
		.sport = tc->src.port, .dport = tc->dst.port,
		.count = 1,
	};
	int err;

	close(cfd);
	err = wait_state(client, tc, TCPF(TCP_FIN_WAIT2), deadline());
	return err ?: impair_drop(ip, &m);
}

/*
 * Once the server closes, its LAST_ACK lasts one RTO (about 200 ms) and no
 * more: the retransmitted FIN draws the ACK that ends it.  A look that the
 * scheduler holds back longer than that, on a loaded machine or in a
 * guest running a dozen instances, never sees it.  So the close and that
 * look run SCHED_FIFO (rtprio.h); each poll still sleeps between dumps.
 */
int lastack_enter(int cfd, int sfd, struct impair *ip, struct sockview *client,
		  struct sockview *server, struct lastack *la)
{
	struct rt_saved rt;
	struct tuple ts;
	int err;

	err = tuple_of_socket(cfd, &la->tc);
	if (err) {
		close(cfd);
		close(sfd);
		return err;
	}
	tuple_reverse(&la->tc, &ts);
	err = client_closes(cfd, ip, client, &la->tc);
	if (!err)
		err = conn_wait_eof(sfd, LASTACK_SETTLE_MS);
	if (!err)
		err = conn_rto_us(sfd, &la->server_rto_us);
	rt_begin(&rt);
	la->t_close = now_ns();
	close(sfd);
	if (!err)
		err = wait_state(server, &ts, TCPF(TCP_LAST_ACK), deadline());
	rt_end(&rt);
	if (!err)	/* the server's FIN made it TIME_WAIT all the same (K02) */
		err = wait_state(client, &la->tc, TCPF(TCP_TIME_WAIT), deadline());
	return err;
}

bool lastack_missed(int err, const struct lastack *la)
{
	return err == -ETIMEDOUT && la->server_rto_us;
}

int lastack_dropped(struct impair *ip, uint64_t *dropped)
{
	int err;

	*dropped = 0;
	err = impair_dropped(ip, dropped);
	return err ?: *dropped == 1 ? 0 : -EPROTO;
}

int lastack_open(const struct lab *lab, const struct endpoint *src, int lfd,
		 const struct endpoint *dst, struct impair *ip, struct sockview *sv,
		 struct lastack *la)
{
	int cfd, sfd, err = 0;

	cfd = src ? conn_bound(lab, LAB_CLIENT, src, true) : conn_connect(lab, LAB_CLIENT, NULL, dst);
	if (cfd < 0)
		return cfd;
	if (src)
		err = conn_connect_fd(cfd, dst);
	sfd = err ?: conn_accept(lfd, CONN_TIMEOUT_MS);
	if (sfd < 0) {
		close(cfd);
		return sfd;
	}
	return lastack_enter(cfd, sfd, ip, &sv[LAB_CLIENT], &sv[LAB_SERVER], la);
}
