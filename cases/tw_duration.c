// SPDX-License-Identifier: GPL-2.0
/*
 * A02: TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60*HZ jiffies (K01, K02).  The
 * timer is a timer-wheel timer, which fires up to one level granularity
 * plus one tick after its expiry (K03): the window is computed from the
 * running HZ, not from "60 s".  tcp_fin_timeout has no say in it; it
 * bounds an orphaned FIN_WAIT2 instead (K16), a common misbelief.
 *
 * Method, at the instance's tcp_fin_timeout:
 *   1. NCONN connections, each closed client first, one every STEP_MS:
 *      the closes spread over more than one wheel granularity, so they
 *      land at different phases of the wheel;
 *   2. last, an orphan: the client closes, the server never does, so the
 *      client's socket sits in FIN_WAIT2 with no process behind it.  Last,
 *      so that its timer runs while we watch: made first, it outlived the
 *      closes of step 1 on a slow guest (5.10 under TCG took 2.4 s for its
 *      first sock_diag dump) and was gone before the first poll;
 *   3. every socket watched over sock_diag until it is gone, sleeping
 *      until shortly before its idiag_expires, then polling finely.
 * Each lifetime counts from the entry into its state, which a poll right
 * after the close brackets: (last poll that missed it, first that saw
 * it].  Its end lies between the last poll that saw the socket and the
 * first that did not.  Both brackets go into each sample's uncertainty,
 * which the judge (cases/judges/tw_duration.c) holds against the edges.
 * The orphan's timer is armed at the ACK of its FIN, for 3.5 x the RTO
 * then in force if that exceeds tcp_fin_timeout: the RTO before the
 * close and how long the (delayed) ACK took bound it for the judge.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/tw_duration.h"
#include "kernel.h"
#include "wait.h"

#define PORT		8001
#define NCONN		TW_DURATION_NCONN
#define STEP_MS		90	/* 24 x 90 ms > 2048 ms, the level-3 granularity at HZ=250 */
#define ENTRY_MS	1000	/* bound on reaching TIME_WAIT after the close */
#define ORPHAN		NCONN	/* the orphan's index among the watches */

TW_CASE(tw_duration,
	.summary = "how long TIME_WAIT lasts, and what tcp_fin_timeout changes instead",
	.claims = "A02",
	.vary = { { "tcp_fin_timeout", { "60", "5" } } },
	.views = HOST(LAB_CLIENT),
	/*
	 * kept for the whole run: an accepted socket no longer hangs on it, and
	 * neither tcp_time_wait() nor tcp_fin_time() looks at it
	 */
	.listen = { LISTEN(PORT) },
	.time_limit_s = 90);

struct lifetimes {
	struct sockview *sv;		/* the client's */
	struct watch w[NCONN + 1];
	int64_t t0[NCONN + 1];		/* the entry: after t0, ... */
	int64_t t_in[NCONN + 1];	/* ... and no later than t_in */
	int fd[NCONN + 1][LAB_PAIR_HOSTS];
};

/*
 * Wait for a socket to reach @states, and bracket when it did; then read
 * its timer once, the first estimate of its expiry on our clock.
 */
static int entered(struct lifetimes *lt, int i, uint32_t states)
{
	int64_t before, start;
	struct sv_sock s;
	/* an observer's bound, stretched on a slow machine (guard_ms()) */
	int err = wait_state_at(lt->sv, &lt->w[i].t, states,
				now_ns() + guard_ms(ENTRY_MS) * NSEC_PER_MSEC, &before, &lt->t_in[i]);

	if (before > lt->t0[i])
		lt->t0[i] = before;
	/* it ends after it began: what is known of its end before any wait_gone() poll */
	lt->w[i].seen_ns = lt->t0[i];
	if (err)
		return err;
	start = now_ns();
	err = sockview_find(lt->sv, &lt->w[i].t, states, &s);
	if (!err && (s.timer == 3 || s.timer == 2))
		watch_note_due(&lt->w[i], start, now_ns(), s.expires_ms);
	return err == -ENOENT ? 0 : err;
}

/*
 * The client closes, the server never: tcp_fin_time() runs from the ACK of
 * our FIN (FIN_WAIT1 -> FIN_WAIT2), which the peer may delay
 * (__tcp_ack_snd_check(), up to TCP_DELACK_MAX) and whose RTT sample can
 * raise the RTO the timer uses.
 */
static int orphan(struct lifetimes *lt, struct tw_duration_fig *f)
{
	struct watch *w = &lt->w[ORPHAN];
	int64_t t_close;
	int err;

	w->states = TCPF(TCP_FIN_WAIT2);
	err = conn_rto_us(lt->fd[ORPHAN][LAB_CLIENT], &f->rto_us);
	if (err)
		return err;
	lt->t0[ORPHAN] = t_close = now_ns();
	close(lt->fd[ORPHAN][LAB_CLIENT]);
	lt->fd[ORPHAN][LAB_CLIENT] = -1;
	err = entered(lt, ORPHAN, TCPF(TCP_FIN_WAIT2));
	f->ack_rtt_us = (lt->t_in[ORPHAN] - t_close) / 1000;
	/* the timer a tw sock of substate FIN_WAIT2 carries (timer 3), for the evidence */
	if (!err && w->due_first_ns)
		f->armed_ms = ns_to_ms(w->due_first_ns + w->due_err_ns - lt->t0[ORPHAN]);
	return err;
}

static int close_spread(struct lifetimes *lt)
{
	int64_t start = now_ns();
	int err = 0;

	for (int i = 0; i < NCONN && !err; i++) {
		int *fd = lt->fd[i];

		sleep_until_ns(start + (int64_t)i * STEP_MS * NSEC_PER_MSEC);
		/* present from FIN_WAIT2 on, so no poll can miss the entry */
		lt->w[i].states = TCPF(TCP_FIN_WAIT2) | TCPF(TCP_TIME_WAIT);
		err = conn_close_orderly(fd[LAB_CLIENT], fd[LAB_SERVER], &lt->t0[i]) ?:
		      entered(lt, i, TCPF(TCP_TIME_WAIT));
		fd[LAB_CLIENT] = fd[LAB_SERVER] = -1;
	}
	return err;
}

static int measure(struct lab *lab, struct tw_fixture *fx, struct lifetimes *lt,
		   struct tw_duration_fig *f, struct tw_result *r)
{
	int *fd, err = 0;

	for (int i = 0; i <= NCONN && !err; i++) {
		fd = lt->fd[i];
		err = conn_pair(lab, LAB_CLIENT, NULL, fx->lfd[0], &fx->listen[0], &fd[LAB_CLIENT],
				&fd[LAB_SERVER]) ?: tuple_of_socket(fd[LAB_CLIENT], &lt->w[i].t);
	}
	err = err ?: close_spread(lt) ?: orphan(lt, f);
	if (err)
		return tw_error(r, err, "closing %d connections", NCONN + 1);
	/*
	 * TIME_WAIT ends by 62.1 s at any HZ Kconfig offers but 100 (65.2 s),
	 * the orphan at tcp_fin_timeout=60 as late: 3 s spare
	 */
	err = wait_gone(lt->sv, lt->w, NCONN + 1, lt->t0[ORPHAN] + 68LL * NSEC_PER_SEC);
	if (err)
		return tw_error(r, err, "waiting for TIME_WAIT and FIN_WAIT2 to end");
	/* on the kernel's clock: what jiffies fell behind ours while it ran is taken off */
	for (int i = 0; i <= NCONN; i++) {
		int64_t lag_err, lag = watch_lag_ns(&lt->w[i], &lag_err);

		*(i == ORPHAN ? &f->orphan : &f->tw[i]) =
			tw_lifetime_sample(lt->t0[i], lt->t_in[i], lt->w[i].seen_ns,
					   lt->w[i].gone_ns, lag, lag_err + NSEC_PER_SEC / f->hz);
	}
	tw_duration_judge(f, r);
	return 0;
}

static int tw_duration(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct lifetimes lt = { .sv = &p->fx->sv[LAB_CLIENT] };
	struct tw_duration_fig fig = { .hz = lab->kernel->hz };
	int err;

	memset(lt.fd, -1, sizeof(lt.fd));
	err = lab_sysctl_uint(lab, LAB_CLIENT, "tcp_fin_timeout", &fig.fin_timeout_s);
	err = err ? tw_error(r, err, "tcp_fin_timeout") : measure(lab, p->fx, &lt, &fig, r);
	for (int i = 0; i <= NCONN; i++)
		for (int h = 0; h < LAB_PAIR_HOSTS; h++)
			if (lt.fd[i][h] >= 0)
				close(lt.fd[i][h]);
	return err;
}
