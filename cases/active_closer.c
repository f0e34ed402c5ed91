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
 * host's own sock_diag lists them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
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

static const char *const host_name[LAB_PAIR_HOSTS] = {
	[LAB_CLIENT] = "client", [LAB_SERVER] = "server",
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

static int count_tw(struct ends *e, const struct tuple *tc, int tw[LAB_PAIR_HOSTS])
{
	struct tuple ts;
	int err;

	err = settle(e, tc);
	if (err)
		return err;
	tuple_reverse(tc, &ts);
	tw[LAB_CLIENT] = in_time_wait(e, LAB_CLIENT, tc);
	tw[LAB_SERVER] = in_time_wait(e, LAB_SERVER, &ts);
	if (tw[LAB_CLIENT] < 0)
		return tw[LAB_CLIENT];
	return tw[LAB_SERVER] < 0 ? tw[LAB_SERVER] : 0;
}

static void judge_end(struct tw_result *r, const char *how, int h, int got,
		      int want, const struct tuple *tc)
{
	const char *role = want ? "active closer" : "passive closer";
	struct tw_verdict *v;
	char what[96], tup[TUPLE_STRLEN];

	snprintf(what, sizeof(what), "%s: TIME_WAIT at the %s (%s)", how, host_name[h], role);
	v = tw_verdict_add(r, "A01", "K02", got == want ? V_CONFIRMED : V_REFUTED, what);
	tw_verdict_figure(v, got, want, want, "sockets");
	tw_evidence(v, "%s: the %s's end is %sin TIME-WAIT after both closed",
		    tuple_fmt(tc, tup, sizeof(tup)), host_name[h], got ? "" : "not ");
	if (got != want)
		tw_fail(r, "%s: %d TIME_WAIT socket(s) at the %s, expected %d",
			how, got, host_name[h], want);
}

/* Orderly close, @first closing first; the other closes on reading EOF. */
static int close_orderly(struct lab *lab, struct ends *e, int first, struct tw_result *r)
{
	int fd[LAB_PAIR_HOSTS], tw[LAB_PAIR_HOSTS], err;
	int second = first == LAB_CLIENT ? LAB_SERVER : LAB_CLIENT;
	const char *how = first == LAB_CLIENT ? "client closes first" : "server closes first";
	struct tuple tc;

	err = conn_pair(lab, LAB_CLIENT, NULL, e->lfd, &e->server, &fd[LAB_CLIENT], &fd[LAB_SERVER]);
	if (err)
		return tw_error(r, err, "%s: connect", how);
	err = tuple_of_socket(fd[LAB_CLIENT], &tc);
	err = conn_close_orderly(fd[first], fd[second], NULL) ?: err;
	if (!err)
		err = count_tw(e, &tc, tw);
	if (err)
		return tw_error(r, err, "%s", how);
	judge_end(r, how, first, tw[first], 1, &tc);
	judge_end(r, how, second, tw[second], 0, &tc);
	return 0;
}

/*
 * SO_LINGER {1, 0}: tcp_close() calls tcp_disconnect(), which sends an RST
 * and goes straight to CLOSE; tcp_time_wait() is never reached (K02).
 */
static int close_abortive(struct lab *lab, struct ends *e, struct tw_result *r)
{
	int cfd, sfd, tw[LAB_PAIR_HOSTS], readerr, err;
	uint64_t rst0 = 0, rst1 = 0;
	struct tw_verdict *v;
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
	readerr = conn_wait_eof(sfd, CONN_TIMEOUT_MS);
	close(sfd);
	if (!err)
		err = netstat_read(&lab->host[LAB_CLIENT].ns, "Tcp", "OutRsts", &rst1);
	if (!err)
		err = count_tw(e, &tc, tw);
	if (err)
		return tw_error(r, err, "SO_LINGER {1,0}");

	v = tw_verdict_add(r, "A01", "K02", V_CONFIRMED,
			   "SO_LINGER {1,0}: RSTs the client sent on close()");
	tw_verdict_figure(v, rst1 - rst0, 1, 1, "segments");
	tw_evidence(v, "Tcp OutRsts of the client host rose by %llu; the server's read() "
		    "returned %s", (unsigned long long)(rst1 - rst0),
		    readerr == -ECONNRESET ? "ECONNRESET" : readerr ? strerror(-readerr) : "EOF");
	if (rst1 - rst0 != 1 || readerr != -ECONNRESET) {
		v->kind = V_REFUTED;
		tw_fail(r, "SO_LINGER {1,0}: %llu RST(s) sent, server read() %s, expected 1 and ECONNRESET",
			(unsigned long long)(rst1 - rst0), strerror(-readerr));
	}

	v = tw_verdict_add(r, "A01", "K02", V_REFINED,
			   "SO_LINGER {1,0}: TIME_WAIT at either end");
	tw_verdict_figure(v, tw[LAB_CLIENT] + tw[LAB_SERVER], 0, 0, "sockets");
	tw_evidence(v, "the client closed first yet holds no TIME_WAIT: an abortive close "
		    "(tcp_close() -> tcp_disconnect()) skips it");
	if (tw[LAB_CLIENT] + tw[LAB_SERVER]) {
		v->kind = V_REFUTED;
		tw_fail(r, "SO_LINGER {1,0}: %d TIME_WAIT socket(s), expected none",
			tw[LAB_CLIENT] + tw[LAB_SERVER]);
	}
	return 0;
}

static int active_closer(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
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

	err = close_orderly(lab, &e, LAB_CLIENT, r);
	if (!err)
		err = close_orderly(lab, &e, LAB_SERVER, r);
	if (!err)
		err = close_abortive(lab, &e, r);
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
