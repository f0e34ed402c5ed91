// SPDX-License-Identifier: GPL-2.0
/*
 * A01: the side that closes first -- the active closer -- enters TIME_WAIT
 * once it ACKs its peer's FIN; the passive closer passes through
 * CLOSE_WAIT and LAST_ACK and never does (K02: tcp_time_wait() is reached
 * from FIN_WAIT2 and CLOSING only).
 *
 * Method: connections client -> server, each closed another way:
 *   1. the client closes first; the server closes when it reads EOF;
 *   2. the server closes first; the client closes when it reads EOF;
 *   3. the client closes with SO_LINGER {1, 0}, an abortive close.
 * Observe: once the passive end has left every transient state (a bounded
 * wait), how many TIME_WAIT sockets hold the 4-tuple at each end, as each
 * host's own sock_diag lists them; for 3, also the client's Tcp OutRsts
 * rise and what the server's read() returned.  The counts go to the judge
 * (cases/judges/active_closer.c); 3 is the project's sub-claim, not the
 * article's, which speaks of orderly closes only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "judges/active_closer.h"
#include "clock.h"
#include "conn.h"
#include "netstat.h"
#include "sockview.h"
#include "wait.h"

#define PORT		8000
#define SETTLE_MS	3000	/* LAST_ACK ends on one veth round trip */
#define TRANSIENT	(TCPF_ALL & ~TCPF(TCP_TIME_WAIT))

struct ends {
	struct sockview sv[LAB_PAIR_HOSTS];
	struct endpoint server;
	int lfd;
};

/* 1 if the end @t of host @h is in TIME_WAIT, 0 if not, or -errno. */
static int in_time_wait(struct ends *e, int h, const struct tuple *t)
{
	int err = sockview_find(&e->sv[h], t, TCPF(TCP_TIME_WAIT), NULL);

	return err == -ENOENT ? 0 : err ? err : 1;
}

/* Until neither end of the connection is in a transient state. */
static int settle(struct ends *e, const struct tuple *client_view)
{
	int64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	struct watch w = { .states = TRANSIENT };
	int err;

	w.t = *client_view;
	err = wait_gone(&e->sv[LAB_CLIENT], &w, 1, deadline);
	if (err)
		return err;
	tuple_reverse(client_view, &w.t);
	w.gone_ns = 0;
	return wait_gone(&e->sv[LAB_SERVER], &w, 1, deadline);
}

static int count_tw(struct ends *e, const struct tuple *tc, unsigned int tw[LAB_PAIR_HOSTS])
{
	struct tuple ts;
	int err;

	err = settle(e, tc);
	if (err)
		return err;
	tuple_reverse(tc, &ts);
	for (int h = 0; h < LAB_PAIR_HOSTS; h++) {
		err = in_time_wait(e, h, h == LAB_CLIENT ? tc : &ts);
		if (err < 0)
			return err;
		tw[h] = err;
	}
	return 0;
}

/* Orderly close, @first closing first; the other closes on reading EOF. */
static int close_orderly(struct lab *lab, struct ends *e, int first,
			 unsigned int tw[LAB_PAIR_HOSTS], struct tw_result *r)
{
	int second = first == LAB_CLIENT ? LAB_SERVER : LAB_CLIENT;
	const char *how = first == LAB_CLIENT ? "client closes first" : "server closes first";
	int fd[LAB_PAIR_HOSTS], err;
	struct tuple tc;

	err = conn_pair(lab, LAB_CLIENT, NULL, e->lfd, &e->server, &fd[LAB_CLIENT], &fd[LAB_SERVER]);
	if (err)
		return tw_error(r, err, "%s: connect", how);
	err = tuple_of_socket(fd[LAB_CLIENT], &tc);
	err = conn_close_orderly(fd[first], fd[second], NULL) ?: err;
	if (!err)
		err = count_tw(e, &tc, tw);
	return err ? tw_error(r, err, "%s", how) : 0;
}

/*
 * SO_LINGER {1, 0}: tcp_close() calls tcp_disconnect(), which sends an RST
 * and goes straight to CLOSE; tcp_time_wait() is never reached (K02).
 * The article does not speak of it: the judge marks it the project's.
 */
static int close_abortive(struct lab *lab, struct ends *e, struct active_closer_fig *f,
			  struct tw_result *r)
{
	uint64_t rst0 = 0, rst1 = 0;
	int cfd, sfd, err;
	struct tuple tc;

	err = conn_pair(lab, LAB_CLIENT, NULL, e->lfd, &e->server, &cfd, &sfd);
	if (err)
		return tw_error(r, err, "SO_LINGER {1,0}: connect");
	err = tuple_of_socket(cfd, &tc);
	if (!err)
		err = netstat_read(&lab->host[LAB_CLIENT].ns, "Tcp", "OutRsts", &rst0);
	if (!err)
		err = conn_linger_abort(cfd);
	close(cfd);
	f->linger_read = conn_wait_eof(sfd, CONN_TIMEOUT_MS);
	close(sfd);
	if (!err)
		err = netstat_read(&lab->host[LAB_CLIENT].ns, "Tcp", "OutRsts", &rst1);
	if (!err)
		err = count_tw(e, &tc, f->linger_tw);
	if (err)
		return tw_error(r, err, "SO_LINGER {1,0}");
	f->linger_rsts = rst1 - rst0;
	return 0;
}

static int active_closer(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct active_closer_fig fig = { .version = lab->kernel->version };
	struct ends e = { .lfd = -1 };
	int err;

	err = lab_sockviews_open(lab, e.sv);
	if (err)
		goto out;
	lab_endpoint(lab, LAB_SERVER, 0, p->family, PORT, &e.server);
	e.lfd = conn_listen(lab, LAB_SERVER, &e.server);
	if (e.lfd < 0) {
		err = e.lfd;
		goto out;
	}

	err = close_orderly(lab, &e, LAB_CLIENT, fig.tw[AC_CLIENT_FIRST], r) ?:
	      close_orderly(lab, &e, LAB_SERVER, fig.tw[AC_SERVER_FIRST], r) ?:
	      close_abortive(lab, &e, &fig, r);
	if (!err)
		active_closer_judge(&fig, r);
out:
	if (e.lfd >= 0)
		close(e.lfd);
	lab_sockviews_close(e.sv);
	return err;
}

TW_CASE(active_closer,
	.summary = "which end holds TIME_WAIT: client-closes, server-closes, SO_LINGER {1,0}",
	.claims = "A01",
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 30);
