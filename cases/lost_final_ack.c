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
 * idiag_expires, the read bracketed, set on the capture's clock.  Last, the
 * TIME_WAIT watched to its end (the suite runs its instances at once, so
 * this fits in the one TIME_WAIT length the suite pays anyway).  The
 * judge is cases/judges/lost_final_ack.c.
 */
#include <errno.h>
#include <netinet/tcp.h>

#include "case.h"
#include "clock.h"
#include "flowcap.h"
#include "impair.h"
#include "judges/lost_final_ack.h"
#include "kernel.h"
#include "lastack_fixture.h"
#include "netstat.h"
#include "wait.h"

#define PORT		9700
#define TW_END_MS	63000	/* TCP_TIMEWAIT_LEN on the wheel at any HZ but 100, and spare */

TW_CASE(lost_final_ack,
	.summary = "the final ACK dropped: LAST_ACK, the FIN again after an RTO, TIME_WAIT restarted",
	.claims = "A04",
	/*
	 * The listener stays for the whole run: while the server's end is in
	 * LAST_ACK, __inet_lookup_skb() finds it in the established hash
	 * before any listener, and once it is gone the client's TIME_WAIT
	 * sends nothing unasked: no segment of the 4-tuple reaches it.
	 */
	LASTACK_FIXTURE(PORT),
	.time_limit_s = 90);

struct lost {
	struct tw_fixture *fx;
	struct lastack la;
	struct tcp_segment fin1, fin2;
	int64_t t_read;			/* the server's end was read before this now_ns() */
	int64_t tw_seen_ns;		/* the TIME_WAIT was there at this now_ns() */
	struct lost_final_ack_fig fig;
};

/* The server's end, once more, right after the client's was seen in TIME_WAIT. */
static int last_ack_read(struct lost *x)
{
	struct tuple ts;
	int err;

	tuple_reverse(&x->la.tc, &ts);
	err = sockview_holds(&x->fx->sv[LAB_SERVER], &ts, TCPF(TCP_LAST_ACK));
	x->t_read = now_ns();
	x->fig.last_ack_seen |= err > 0;
	return err < 0 ? err : 0;
}

/* The server's FIN, the same FIN again, the client's ACKs of it: each as it comes. */
static int find_fins(struct lost *x, int64_t deadline)
{
	struct flowcap_want fin = { .server = true, .flags = TH_FIN };
	struct flowcap_want ack = { .flags = TH_ACK, .not = TH_SYN | TH_FIN | TH_RST, .ack_is = true };
	struct capture *cap = x->fx->capture[LAB_CLIENT];
	struct lost_final_ack_fig *f = &x->fig;
	int i = flowcap_find(cap, &x->la.tc, deadline, &fin);

	if (i < 0)
		return i;
	f->fin1_seen = true;
	x->fin1 = fin.seg;
	fin.from = i + 1;
	fin.seq_is = true;
	fin.seq = x->fin1.seq;
	i = flowcap_find(cap, &x->la.tc, deadline, &fin);
	if (i < 0)
		return i;
	x->fin2 = fin.seg;
	ack.from = i + 1;
	ack.ack = seg_end_seq(&x->fin2);
	i = flowcap_find(cap, &x->la.tc, deadline, &ack);
	if (i < 0)
		return i;
	f->fins_seen = true;
	f->answers = ack.n;
	f->fin_gap_ms = seg_gap_ms(&x->fin1, &x->fin2);
	f->fin_ts = x->fin1.has_ts && x->fin2.has_ts;
	f->fin_ts_gap = (int32_t)(x->fin2.tsval - x->fin1.tsval);
	f->answer_ms = seg_gap_ms(&x->fin2, &ack.seg);
	f->last_ack_late = x->t_read > seg_mono_ns(&ack.seg);
	return 0;
}

/* The client's TIME_WAIT, its read bracketed and set against the second FIN's capture. */
static int tw_read(struct lost *x)
{
	int64_t t[2], fin2 = seg_mono_ns(&x->fin2);
	struct lost_final_ack_fig *f = &x->fig;
	struct sv_sock s;
	int err;

	err = sockview_find_at(&x->fx->sv[LAB_CLIENT], &x->la.tc, TCPF(TCP_TIME_WAIT), &s, t);
	if (err)
		return err == -ENOENT ? 0 : err;
	x->tw_seen_ns = t[0];	/* before the dump that finds it: it was there then */
	f->tw_read = true;
	f->tw_age_ms = 60000.0 - s.expires_ms;
	for (int i = 0; i < 2; i++)
		f->since_fin2[i] = ns_to_ms(t[i] - fin2);
	return 0;
}

/*
 * In (seen, gone] after the restart, which lies in [second FIN, its ACK];
 * if no poll of the wait saw it (one woken late), the read above did.
 */
static int tw_end(struct lost *x)
{
	struct watch w = { .t = x->la.tc, .states = TCPF(TCP_TIME_WAIT), .seen_ns = x->tw_seen_ns };
	int64_t fin2 = seg_mono_ns(&x->fin2);
	int err;

	err = wait_gone(&x->fx->sv[LAB_CLIENT], &w, 1, fin2 + TW_END_MS * NSEC_PER_MSEC);
	if (err)
		return err;
	x->fig.tw_gone = true;
	x->fig.lifetime = (struct tw_sample){
		.x = ns_to_ms(w.gone_ns - fin2),
		.below = ns_to_ms(w.gone_ns - w.seen_ns) + x->fig.answer_ms,
	};
	return 0;
}

static int into_last_ack(struct lab *lab, struct lost *x, struct tw_result *r)
{
	struct tw_fixture *fx = x->fx;
	uint64_t dropped = 0;
	int err;

	err = lastack_open(lab, NULL, fx->lfd[0], &fx->listen[0], fx->impair, fx->sv, &x->la);
	x->fig.last_ack_seen = !err;	/* its polls saw the server's end in LAST_ACK */
	/*
	 * If they missed it, the capture below tells whether the FIN went
	 * again, and the read below comes after the LAST_ACK, as the judge
	 * then says.
	 */
	if (!err || lastack_missed(err, &x->la))
		err = last_ack_read(x);
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(fx->impair));
	x->fig.rto_us = x->la.server_rto_us;
	/* the RTO, a tail-loss probe at most that, four times over and a second spare */
	err = find_fins(x, x->la.t_close + 4LL * x->la.server_rto_us * 1000 + NSEC_PER_SEC);
	if (err == -ETIMEDOUT) {	/* the judge says what the capture lacks */
		x->fig.fin_gap_ms = ns_to_ms(now_ns() - seg_mono_ns(&x->fin1));
		return 0;
	}
	/* the tool: a drop of anything but the final ACK is no experiment */
	err = err ?: tw_read(x) ?: lastack_dropped(fx->impair, &dropped);
	if (err)
		return tw_error(r, err, "the FIN retransmission and its ACK (%llu ACKs dropped)",
				(unsigned long long)dropped);
	return 0;
}

static int lost_final_ack(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	const struct netns *ns = &lab->host[LAB_SERVER].ns;
	struct lost x = { .fx = p->fx,
			  .fig = { .hz = lab->kernel->hz } };
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
