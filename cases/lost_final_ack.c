// SPDX-License-Identifier: GPL-2.0
/*
 * A04: if the active closer's final ACK is lost, the passive closer stays
 * in LAST_ACK and retransmits its FIN; the TIME_WAIT socket answers it.
 *
 * Today: the server's FIN is on its retransmission queue; the retransmit
 * timer (or the tail-loss probe, which tcp_schedule_loss_probe() caps at
 * the RTO for a lone FIN) fires icsk_rto after it was sent (K13), a
 * timer-wheel timer at level 0 (K03).  The retransmitted FIN reaches the
 * client's TIME_WAIT as an old segment with ACK set:
 * tcp_timewait_state_process() restarts the TIME_WAIT timer for a full
 * TCP_TIMEWAIT_LEN (inet_twsk_reschedule(), K04) and ACKs it
 * (TCP_TW_ACK_OOW; a FIN is never rate-limited), which ends the LAST_ACK.
 *
 * Method: lib/lastack.c puts the server in LAST_ACK with exactly the
 * client's final ACK dropped (nftables on the client's egress; a drop
 * count other than one is a broken experiment, not a figure).  Then:
 * the server's end read once over sock_diag (the state, not the tool);
 * the capture watched until both server FINs and the client's ACK of the
 * second are in it -- their timestamps are the kernel's, and the FINs'
 * TSvals the server's own clock; at once the client's TIME_WAIT
 * idiag_expires, the read bracketed on the capture's clock.  Last, the
 * TIME_WAIT watched to its end (the suite runs its instances at once, so
 * this fits in the one TIME_WAIT length the suite pays anyway).  The
 * judge is cases/judges/lost_final_ack.c.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <time.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "flowcap.h"
#include "impair.h"
#include "judges/lost_final_ack.h"
#include "lastack.h"
#include "netstat.h"
#include "wait.h"

#define PORT		9700
#define TW_END_MS	63000	/* TCP_TIMEWAIT_LEN on the wheel at any HZ but 100, and spare */

struct lost {
	struct tw_fixture *fx;
	struct lastack la;
	struct tcp_segment fin1, fin2, ack2;
	int64_t tw_seen_ns;		/* the TIME_WAIT was there at this now_ns() */
	struct lost_final_ack_fig fig;
};

static int64_t realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The server's end, once more, right after the client's was seen in TIME_WAIT. */
static int last_ack_read(struct lost *x, int64_t *t_us)
{
	struct tuple ts;
	int err;

	tuple_reverse(&x->la.tc, &ts);
	err = sockview_holds(&x->fx->sv[LAB_SERVER], &ts, TCPF(TCP_LAST_ACK));
	*t_us = realtime_us();
	x->fig.last_ack_seen = err > 0;
	return err < 0 ? err : 0;
}

/* Both server FINs (one seq) and the client's ACKs of the second, once all are there. */
static int find_fins(const struct flowcap *fc, void *arg)
{
	const struct tcp_segment *f1 = fc->sfin, *f2 = fc->sfin2, *a;
	struct lost *x = arg;
	uint32_t fin_end;

	x->fig.answers = 0;
	x->fig.fin1_seen = f1;
	if (f1)
		x->fin1 = *f1;
	if (!f2 || f2->seq != f1->seq)
		return 0;
	fin_end = seg_end_seq(f2);
	for (a = segment_find(f2 + 1, fc->end, &fc->tc, TH_ACK, TH_SYN | TH_FIN | TH_RST); a;
	     a = segment_find(a + 1, fc->end, &fc->tc, TH_ACK, TH_SYN | TH_FIN | TH_RST))
		if (a->ack == fin_end && !x->fig.answers++)
			x->ack2 = *a;
	if (!x->fig.answers)
		return 0;
	x->fin2 = *f2;
	return 1;
}

static void fill_fins(struct lost *x)
{
	struct lost_final_ack_fig *f = &x->fig;

	f->fins_seen = true;
	f->fin_gap_ms = seg_gap_ms(&x->fin1, &x->fin2);
	f->fin_ts = x->fin1.has_ts && x->fin2.has_ts;
	f->fin_ts_gap = (int32_t)(x->fin2.tsval - x->fin1.tsval);
	f->answer_ms = seg_gap_ms(&x->fin2, &x->ack2);
}

/* The client's TIME_WAIT, its read bracketed on the capture's clock (CLOCK_REALTIME). */
static int tw_read(struct lost *x)
{
	struct lost_final_ack_fig *f = &x->fig;
	int64_t t[2], seen;
	struct sv_sock s;
	int err;

	t[0] = realtime_us();
	seen = now_ns();	/* before the dump that finds it: it was there then */
	err = sockview_find(&x->fx->sv[LAB_CLIENT], &x->la.tc, TCPF(TCP_TIME_WAIT), &s);
	t[1] = realtime_us();
	if (err)
		return err == -ENOENT ? 0 : err;
	x->tw_seen_ns = seen;
	f->tw_read = true;
	f->tw_age_ms = 60000.0 - s.expires_ms;
	for (int i = 0; i < 2; i++) {
		f->since_fin1[i] = (t[i] - x->fin1.ts_us) / 1000.0;
		f->since_fin2[i] = (t[i] - x->fin2.ts_us) / 1000.0;
	}
	return 0;
}

/*
 * In (seen, gone] after the restart, which lies in [second FIN, its ACK];
 * if no poll of the wait saw it (one woken late), the read above did.
 */
static int tw_end(struct lost *x)
{
	struct watch w = { .t = x->la.tc, .states = TCPF(TCP_TIME_WAIT) };
	int64_t fin2 = seg_mono_ns(&x->fin2), seen;
	int err;

	err = wait_gone(&x->fx->sv[LAB_CLIENT], &w, 1, fin2 + TW_END_MS * NSEC_PER_MSEC);
	if (err)
		return err;
	seen = w.seen_ns > x->tw_seen_ns ? w.seen_ns : x->tw_seen_ns;
	x->fig.tw_gone = true;
	x->fig.lifetime = (struct tw_sample){
		.x = ns_to_ms(w.gone_ns - fin2),
		.below = ns_to_ms(w.gone_ns - seen) + x->fig.answer_ms,
	};
	return 0;
}

/*
 * The listener stays for the whole run: while the server's end is in
 * LAST_ACK, __inet_lookup_skb() finds it in the established hash before
 * any listener, and once it is gone the client's TIME_WAIT sends nothing
 * unasked: no segment of the 4-tuple ever reaches the listener.
 */
static int into_last_ack(struct lab *lab, struct lost *x, struct tw_result *r)
{
	struct tw_fixture *fx = x->fx;
	uint64_t dropped = 0;
	int cfd, sfd, err;
	int64_t t_read;
	bool entered;

	err = conn_pair(lab, LAB_CLIENT, NULL, fx->lfd[0], &fx->listen[0], &cfd, &sfd);
	if (err)
		return tw_error(r, err, "connect");
	err = lastack_enter(cfd, sfd, fx->impair, &fx->sv[LAB_CLIENT], &fx->sv[LAB_SERVER], &x->la);
	entered = !err;		/* its polls saw the server's end in LAST_ACK */
	/*
	 * If it missed it, the capture below tells whether the FIN went
	 * again, and the read below comes after the LAST_ACK, as the judge
	 * then says.
	 */
	err = lastack_missed(err, &x->la) ? 0 : err;
	err = err ?: last_ack_read(x, &t_read);
	x->fig.last_ack_seen |= entered;
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(fx->impair));
	x->fig.rto_us = x->la.server_rto_us;
	/* the RTO, a tail-loss probe at most that, four times over and a second spare */
	err = flowcap_await(fx->capture[LAB_CLIENT], &x->la.tc,
			    x->la.t_close + 4LL * x->la.server_rto_us * 1000 + NSEC_PER_SEC,
			    find_fins, x);
	if (err == -ETIMEDOUT) {	/* the judge says what the capture lacks */
		x->fig.fin_gap_ms = (realtime_us() - x->fin1.ts_us) / 1000.0;
		return 0;
	}
	if (err > 0) {
		fill_fins(x);
		x->fig.last_ack_late = t_read > x->ack2.ts_us;
		err = tw_read(x);
	}
	/* the tool: a drop of anything but the final ACK is no experiment */
	err = err ?: lastack_dropped(fx->impair, &dropped);
	if (err)
		return tw_error(r, err, "the FIN retransmission and its ACK (%llu ACKs dropped)",
				(unsigned long long)dropped);
	return 0;
}

static int lost_final_ack(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	const struct netns *ns = &lab->host[LAB_SERVER].ns;
	struct lost x = { .fx = p->fx,
			  .fig = { .hz = lab->kernel->hz, .version = lab->kernel->version } };
	long long probes = netstat_ext(ns, "TCPLossProbes");
	int err;

	err = into_last_ack(lab, &x, r);
	if (err)
		return err;
	err = x.fig.fins_seen ? tw_end(&x) : 0;
	if (err)
		return tw_error(r, err, "the TIME_WAIT's end");
	x.fig.loss_probes = netstat_rise(probes, netstat_ext(ns, "TCPLossProbes"));
	lost_final_ack_judge(&x.fig, r);
	return 0;
}

TW_CASE(lost_final_ack,
	.summary = "the final ACK dropped: LAST_ACK, the FIN again after an RTO, TIME_WAIT restarted",
	.claims = "A04",
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.listen = { LISTEN(PORT) },
	.needs = NEED_CAPTURE | NEED_IMPAIR,
	.time_limit_s = 90);
