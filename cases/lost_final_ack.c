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
 * client's final ACK dropped (nftables on the client's egress).  Then:
 * sock_diag until the server's end is gone; at once the client's
 * TIME_WAIT idiag_expires; from the capture both server FINs and the
 * client's ACK of the second.  Last, the TIME_WAIT watched to its end
 * (the suite runs its instances at once, so this fits in the one
 * TIME_WAIT length the suite pays anyway).
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "expect.h"
#include "impair.h"
#include "kernel.h"
#include "lastack.h"
#include "netstat.h"
#include "segutil.h"
#include "sockview.h"
#include "wait.h"

#define PORT		9700
#define SYNC_MS		2000
#define SLACK_MS	(WAIT_POLL_MS + 1)	/* our sampling: a poll period and a dump */
#define TW_LEN_MS	60000.0			/* TCP_TIMEWAIT_LEN = 60 * HZ jiffies (K01) */

struct lost {
	struct lab *lab;
	const struct tw_params *p;
	unsigned int hz;
	struct sockview sv[LAB_SERVER + 1];
	struct impair *ip;
	struct lastack la;
	int64_t t_gone;			/* the server's end left LAST_ACK */
	struct sv_sock tw;		/* the client's TIME_WAIT right after */
	int64_t read_us[2];		/* CLOCK_REALTIME (as capture timestamps) around that read */
	struct tcp_segment fin1, fin2, ack2;
	int nacks;			/* client ACKs captured after the first FIN */
	uint64_t dropped, matched;
	uint64_t probes;		/* the server's TCPLossProbes during the close */
	bool have_probes;
};

static double jiffy_ms(const struct lost *x)
{
	return 1000.0 / x->hz;
}

static int64_t realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* Until the server's end leaves LAST_ACK; then, at once, the client's TIME_WAIT. */
static int retransmission(struct lost *x)
{
	int64_t bound = 4LL * x->la.server_rto_us * 1000 + NSEC_PER_SEC;
	int err;

	err = lastack_wait_end(&x->sv[LAB_SERVER], &x->la, x->la.t_close + bound);
	if (err)
		return err;
	x->t_gone = x->la.end_hi;
	x->read_us[0] = realtime_us();
	err = sockview_find(&x->sv[LAB_CLIENT], &x->la.tc, TCPF(TCP_TIME_WAIT), &x->tw);
	x->read_us[1] = realtime_us();
	return err;
}

/* Both server FINs and the client's ACKs after the first, from the capture. */
static int read_back(struct lost *x)
{
	const struct tcp_segment *end, *f1, *f2, *a;
	struct tcp_segment *segs;
	struct tuple ts;
	int n, err = 0;

	n = capture_snapshot(x->p->capture, SYNC_MS, &segs);
	if (n < 0)
		return n;
	end = segs + n;
	tuple_reverse(&x->la.tc, &ts);
	f1 = segment_find(segs, end, &ts, TH_FIN, 0);
	f2 = f1 ? segment_find(f1 + 1, end, &ts, TH_FIN, 0) : NULL;
	a = f2 ? segment_find(f2 + 1, end, &x->la.tc, TH_ACK, TH_SYN | TH_FIN | TH_RST) : NULL;
	if (f1 && f2 && a) {
		x->fin1 = *f1;
		x->fin2 = *f2;
		x->ack2 = *a;
		x->nacks = segment_count(f1 + 1, end, &x->la.tc, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	} else {
		err = -ENOENT;
	}
	free(segs);
	return err;
}

static void judge_last_ack(struct lost *x, struct tw_result *r)
{
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A04", "K02", x->dropped == 1 ? V_CONFIRMED : V_REFUTED,
			   "final ACK lost: the server's end waits in LAST_ACK");
	tw_verdict_figure(v, x->dropped, 1, 1, "ACKs");
	tw_evidence(v, "the client's final ACK dropped (%s, %llu of %llu pure ACKs of its port); "
		    "the server's end was in LAST_ACK and left it in (%.0f, %.0f] ms after its "
		    "close(), the client's already in TIME_WAIT", r->impair,
		    (unsigned long long)x->dropped, (unsigned long long)x->matched,
		    ns_to_ms(x->la.end_lo - x->la.t_close), ns_to_ms(x->t_gone - x->la.t_close));
	if (x->dropped != 1)
		tw_fail(r, "%llu ACKs dropped, expected exactly the final one",
			(unsigned long long)x->dropped);
}

/* icsk_rto jiffies after the first FIN, on a level-0 timer (K03, K13). */
static void judge_fin_gap(struct lost *x, struct tw_result *r)
{
	unsigned long rto_j = ((unsigned long)x->la.server_rto_us * x->hz + 999999) / 1000000;
	double gap = seg_gap_ms(&x->fin1, &x->fin2);
	struct tw_verdict *v;
	struct window w;

	expect_timer_window(x->hz, rto_j, &w);
	v = tw_verdict_add(r, "A04", "K13", V_CONFIRMED,
			   "the server retransmits its FIN after one RTO");
	tw_verdict_figure(v, gap, w.lo_ms, w.hi_ms + SLACK_MS, "ms");
	tw_evidence(v, "FIN seq %u at +0 and again at +%.1f ms (capture); the server's tcpi_rto "
		    "was %u us = %lu jiffies, a level-%u wheel timer; %s", x->fin1.seq, gap,
		    x->la.server_rto_us, rto_j, w.level, !x->have_probes ? "" : x->probes ?
		    "sent as a tail-loss probe (TCPLossProbes +1), which tcp_schedule_loss_probe() "
		    "caps at the RTO" : "sent by the retransmit timer (no loss probe)");
	if (x->fin2.seq != x->fin1.seq || !(gap > v->lo && gap <= v->hi)) {
		v->kind = V_REFUTED;
		tw_fail(r, "second FIN (seq %u) %.1f ms after the first (seq %u), expected (%.0f, %.0f]",
			x->fin2.seq, gap, x->fin1.seq, v->lo, v->hi);
	}
}

static void judge_answer(struct lost *x, struct tw_result *r)
{
	bool ok = x->nacks == 1 && x->ack2.ack == seg_end_seq(&x->fin2);
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A04", "K04", ok ? V_CONFIRMED : V_REFUTED,
			   "the TIME_WAIT ACKs the retransmitted FIN; both ends close");
	tw_verdict_figure(v, x->nacks, 1, 1, "ACKs");
	tw_evidence(v, "the client's TIME_WAIT sent ACK %u %.2f ms after the second FIN (the only "
		    "client ACK on the wire after the first FIN: that one was dropped); the "
		    "server's LAST_ACK ended in (%.0f, %.0f] ms after its close()", x->ack2.ack,
		    seg_gap_ms(&x->fin2, &x->ack2), ns_to_ms(x->la.end_lo - x->la.t_close),
		    ns_to_ms(x->t_gone - x->la.t_close));
	if (!ok)
		tw_fail(r, "%d client ACK(s) after the first FIN, the last acking %u, expected one "
			"acking %u", x->nacks, x->ack2.ack, seg_end_seq(&x->fin2));
}

/*
 * K04: the timer restarts at the second FIN, so its age (TCP_TIMEWAIT_LEN
 * less idiag_expires) is the time from that FIN to the read, to a jiffy
 * (the read is bracketed by two clock readings); had it not restarted, it
 * would be the time since the first.
 */
static void judge_restart(struct lost *x, struct tw_result *r)
{
	double age = TW_LEN_MS - x->tw.expires_ms;
	double since2[2], since1 = (x->read_us[1] - x->fin1.ts_us) / 1000.0;
	struct tw_verdict *v;
	bool ok;

	for (int i = 0; i < 2; i++)
		since2[i] = (x->read_us[i] - x->fin2.ts_us) / 1000.0;
	v = tw_verdict_add(r, "A04", "K04", V_REFINED,
			   "TIME_WAIT timer restarted by the retransmitted FIN");
	tw_verdict_figure(v, age, since2[0] - jiffy_ms(x) - 1, since2[1] + jiffy_ms(x) + 1, "ms");
	ok = age > v->lo && age <= v->hi;
	tw_evidence(v, "idiag_expires %u ms: the timer is %.0f ms old, armed at the second FIN "
		    "(%.1f ms before the read), not at the entry (%.1f ms): TIME_WAIT lasts "
		    "one RTO longer", x->tw.expires_ms, age, since2[1], since1);
	if (!ok) {
		v->kind = V_REFUTED;
		tw_fail(r, "TIME_WAIT timer %.0f ms old, expected (%.1f, %.1f] (%.1f since the entry)",
			age, v->lo, v->hi, since1);
	}
}

/* The whole TIME_WAIT: TCP_TIMEWAIT_LEN on the wheel (K03), from the second FIN. */
static int judge_lifetime(struct lost *x, struct tw_result *r)
{
	struct watch w = { .t = x->la.tc, .states = TCPF(TCP_TIME_WAIT) };
	int64_t fin2 = seg_mono_ns(&x->fin2), fin1 = seg_mono_ns(&x->fin1);
	double from2, from1;
	struct tw_verdict *v;
	struct window tw;
	int err;

	expect_tw_window(x->hz, &tw);
	err = wait_gone(&x->sv[LAB_CLIENT], &w, 1,
			fin2 + (int64_t)(tw.hi_ms + 1000) * NSEC_PER_MSEC);
	if (err)
		return tw_error(r, err, "the TIME_WAIT's end");
	from2 = ns_to_ms(w.gone_ns - fin2);
	from1 = ns_to_ms(w.gone_ns - fin1);
	v = tw_verdict_add(r, "A04", "K03", V_REFINED,
			   "TIME_WAIT lifetime, counted from the retransmitted FIN");
	tw_verdict_figure(v, from2, tw.lo_ms, tw.hi_ms + SLACK_MS, "ms");
	tw_evidence(v, "gone %.0f ms after the second FIN, %.0f ms after the first (the entry): "
		    "60*HZ on the wheel (level %u, granularity %lu jiffies) from the restart",
		    from2, from1, tw.level, tw.gran_jiffies);
	if (!(from2 > v->lo && from2 <= v->hi)) {
		v->kind = V_REFUTED;
		tw_fail(r, "TIME_WAIT ended %.0f ms after the second FIN, expected (%.0f, %.0f]",
			from2, v->lo, v->hi);
	}
	return 0;
}

static int run_experiment(struct lost *x, struct tw_result *r)
{
	struct endpoint server;
	uint64_t probes0 = 0;
	int lfd, cfd, sfd, err;

	lab_endpoint(x->lab, LAB_SERVER, 0, x->p->family, PORT, &server);
	lfd = conn_listen(x->lab, LAB_SERVER, &server);
	if (lfd < 0)
		return tw_error(r, lfd, "listen");
	err = conn_pair(x->lab, LAB_CLIENT, NULL, lfd, &server, &cfd, &sfd);
	close(lfd);	/* the connection needs no listener, nor does the final ACK */
	if (err)
		return tw_error(r, err, "connect");
	x->have_probes = !netstat_read(&x->lab->host[LAB_SERVER].ns, "TcpExt", "TCPLossProbes",
				       &probes0);
	err = lastack_enter(cfd, sfd, x->ip, &x->sv[LAB_CLIENT], &x->sv[LAB_SERVER], &x->la);
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(x->ip));
	err = retransmission(x);
	if (!err && x->have_probes)
		err = netstat_read(&x->lab->host[LAB_SERVER].ns, "TcpExt", "TCPLossProbes",
				   &x->probes);
	x->probes -= probes0;
	if (!err)
		err = impair_dropped(x->ip, &x->dropped) ?: impair_matched(x->ip, &x->matched);
	if (!err)
		err = read_back(x);
	if (err)
		return tw_error(r, err, "the FIN retransmission and its ACK");
	judge_last_ack(x, r);
	judge_fin_gap(x, r);
	judge_answer(x, r);
	judge_restart(x, r);
	return judge_lifetime(x, r);
}

static int lost_final_ack(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct lost x = { .lab = lab, .p = p, .hz = lab->kernel->hz };
	int err;

	err = lab_sockviews_open(lab, x.sv);
	if (err) {
		tw_error(r, err, "sock_diag");
		goto out;
	}
	err = tw_impair_open(lab, LAB_CLIENT, &x.ip, r);
	if (!err)
		err = run_experiment(&x, r);
out:
	impair_close(x.ip);
	lab_sockviews_close(x.sv);
	return err;
}

TW_CASE(lost_final_ack,
	.summary = "the final ACK dropped: LAST_ACK, the FIN again after an RTO, TIME_WAIT restarted",
	.claims = "A04",
	.needs = NEED_SOCK_DIAG | NEED_CAPTURE,
	.time_limit_s = 90);
