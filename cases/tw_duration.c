// SPDX-License-Identifier: GPL-2.0
/*
 * A02: TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60*HZ jiffies (K01, K02).  The
 * timer is a timer-wheel timer, which fires up to one level granularity
 * plus one tick after its expiry (K03): the window is computed from the
 * running HZ, not from "60 s".  tcp_fin_timeout has no say in it; it
 * bounds an orphaned FIN_WAIT2 instead (K16), a common misbelief.
 *
 * Method, at the instance's tcp_fin_timeout:
 *   1. an orphan: the client closes, the server never does, so the
 *      client's socket sits in FIN_WAIT2 with no process behind it;
 *   2. NCONN connections, each closed client first, one every STEP_MS:
 *      the closes spread over more than one wheel granularity, so they
 *      land at different phases of the wheel;
 *   3. every socket watched over sock_diag until it is gone, sleeping
 *      until shortly before its idiag_expires, then polling each ms.
 * Each lifetime counts from just before the close that starts it: the
 * server's close() for TIME_WAIT (its FIN moves the client from FIN_WAIT2
 * to TIME_WAIT), the client's close() for the orphan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "expect.h"
#include "kernel.h"
#include "sockview.h"
#include "wait.h"

#define PORT		8001
#define NCONN		24
#define STEP_MS		90	/* 24 x 90 ms > 2048 ms, the level-3 granularity at HZ=250 */
#define ENTRY_MS	1000	/* bound on reaching TIME_WAIT after the close */
#define SLACK_MS	(WAIT_POLL_MS + 1)	/* our sampling: a poll period and a dump */
#define ORPHAN		NCONN	/* the orphan's index among the watches */

struct lifetimes {
	struct watch w[NCONN + 1];
	int64_t t0[NCONN + 1];
	int sfd[NCONN + 1];
	int cfd[NCONN + 1];
	unsigned int rto_us;
};

static int open_all(struct lab *lab, int family, struct lifetimes *lt)
{
	struct endpoint server;
	int lfd, err = 0;

	lab_endpoint(lab, LAB_SERVER, 0, family, PORT, &server);
	lfd = conn_listen(lab, LAB_SERVER, &server);
	if (lfd < 0)
		return lfd;
	for (int i = 0; i <= NCONN && !err; i++) {
		err = conn_pair(lab, LAB_CLIENT, NULL, lfd, &server, &lt->cfd[i], &lt->sfd[i]);
		if (!err)
			err = tuple_of_socket(lt->cfd[i], &lt->w[i].t);
	}
	if (!err)
		err = conn_rto_us(lt->cfd[ORPHAN], &lt->rto_us);
	close(lfd);
	return err;
}

/* The client closes; the server keeps its end open, so no FIN comes back. */
static void orphan(struct lifetimes *lt)
{
	lt->w[ORPHAN].states = TCPF(TCP_FIN_WAIT1) | TCPF(TCP_FIN_WAIT2);
	lt->t0[ORPHAN] = now_ns();
	close(lt->cfd[ORPHAN]);
	lt->cfd[ORPHAN] = -1;
}

static int close_spread(struct sockview *sv, struct lifetimes *lt)
{
	int64_t start = now_ns();
	int err;

	for (int i = 0; i < NCONN; i++) {
		sleep_until_ns(start + (int64_t)i * STEP_MS * NSEC_PER_MSEC);
		/* present from FIN_WAIT2 on, so no poll can miss the entry */
		lt->w[i].states = TCPF(TCP_FIN_WAIT2) | TCPF(TCP_TIME_WAIT);
		err = conn_close_orderly(lt->cfd[i], lt->sfd[i], &lt->t0[i]);
		lt->cfd[i] = lt->sfd[i] = -1;
		if (err)
			return err;
		err = wait_state(sv, &lt->w[i].t, TCPF(TCP_TIME_WAIT),
				 now_ns() + ENTRY_MS * NSEC_PER_MSEC);
		if (err)
			return err;
	}
	return 0;
}

static void judge_tw(struct tw_result *r, const struct window *win, const double *ms,
		     const char *fin_timeout)
{
	bool all = true, shorter = false;
	struct tw_verdict *v;
	char what[96];

	for (int i = 0; i < NCONN; i++) {
		all &= window_holds(win, ms[i], SLACK_MS);
		shorter |= ms[i] <= win->lo_ms;
	}
	snprintf(what, sizeof(what), "TIME_WAIT lifetime with tcp_fin_timeout=%s", fin_timeout);
	v = tw_verdict_add(r, "A02", "K03", shorter ? V_REFUTED : V_REFINED, what);
	tw_verdict_samples(v, ms, NCONN, win->lo_ms, win->hi_ms, "ms");
	tw_evidence(v, "60*HZ = %lu jiffies is a floor: the wheel files it at level %u and "
		    "rounds it up by up to %lu jiffies + 1 tick (HZ=%u); tcp_fin_timeout "
		    "plays no part (K16)", win->timeout_jiffies, win->level,
		    win->gran_jiffies, win->hz);
	if (!all)
		tw_fail(r, "TIME_WAIT lifetimes %.0f..%.0f ms leave the window (%.0f, %.0f] ms",
			v->min, v->max, win->lo_ms, win->hi_ms);
}

static void judge_orphan(struct tw_result *r, const struct window *win, double ms,
			 const char *fin_timeout, unsigned int rto_us)
{
	struct tw_verdict *v;
	char what[96];

	snprintf(what, sizeof(what), "orphaned FIN_WAIT2 lifetime with tcp_fin_timeout=%s",
		 fin_timeout);
	v = tw_verdict_add(r, "A02", "K16", V_REFINED, what);
	tw_verdict_figure(v, ms, win->lo_ms, win->hi_ms, "ms");
	tw_evidence(v, "tcp_fin_time() = max(tcp_fin_timeout, 3.5 x RTO %u ms) = %lu jiffies: "
		    "this, not TIME_WAIT, is what tcp_fin_timeout sets", rto_us / 1000,
		    win->timeout_jiffies);
	if (!window_holds(win, ms, SLACK_MS))
		tw_fail(r, "orphaned FIN_WAIT2 lasted %.0f ms, outside (%.0f, %.0f] ms",
			ms, win->lo_ms, win->hi_ms);
}

static int tw_duration(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct lifetimes *lt = calloc(1, sizeof(*lt));
	struct window tw_win, fin_win;
	double ms[NCONN + 1];
	struct sockview sv = { 0 };
	char fin_timeout[32];
	unsigned int hz = lab->kernel->hz;
	int err;

	if (!lt)
		return -ENOMEM;
	for (int i = 0; i <= NCONN; i++)
		lt->cfd[i] = lt->sfd[i] = -1;
	err = lab_sysctl_get(lab, LAB_CLIENT, "tcp_fin_timeout", fin_timeout, sizeof(fin_timeout));
	if (!err)
		err = sockview_open(&sv, &lab->host[LAB_CLIENT].ns);
	if (!err)
		err = open_all(lab, p->family, lt);
	if (err)
		goto out;

	orphan(lt);
	err = close_spread(&sv, lt);
	if (err) {
		tw_error(r, err, "closing %d connections", NCONN);
		goto out;
	}

	expect_tw_window(hz, &tw_win);
	expect_timer_window(hz, expect_fin_time_jiffies(hz, atoi(fin_timeout), lt->rto_us),
			    &fin_win);
	err = wait_gone(&sv, lt->w, NCONN + 1, lt->t0[NCONN - 1] +
			(int64_t)(tw_win.hi_ms + 3000) * NSEC_PER_MSEC);
	if (err) {
		tw_error(r, err, "waiting for TIME_WAIT and FIN_WAIT2 to end");
		goto out;
	}
	for (int i = 0; i <= NCONN; i++)
		ms[i] = ns_to_ms(lt->w[i].gone_ns - lt->t0[i]);
	judge_tw(r, &tw_win, ms, fin_timeout);
	judge_orphan(r, &fin_win, ms[ORPHAN], fin_timeout, lt->rto_us);
out:
	for (int i = 0; i <= NCONN; i++) {
		if (lt->cfd[i] >= 0)
			close(lt->cfd[i]);
		if (lt->sfd[i] >= 0)
			close(lt->sfd[i]);
	}
	sockview_close(&sv);
	free(lt);
	return err;
}

TW_CASE(tw_duration,
	.summary = "how long TIME_WAIT lasts, and what tcp_fin_timeout changes instead",
	.claims = "A02",
	.vary = { { "tcp_fin_timeout", { "60", "5" } } },
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 90);
