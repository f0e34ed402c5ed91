// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of ss_agrees (A08): pure, driven by tests/unit/test_judge_ss_agrees.c.
 *
 * K19: ss and twlab read the same kernel tables over the same inet_diag
 * interface, so the kernel predicts that ss sees what sock_diag saw --
 * but the two read at different moments.  The case measured when: the
 * ss commands ran between_lo to between_hi ms after the sock_diag dump.
 * In that time nothing the case holds open can change, but a TIME_WAIT
 * socket whose timer was due within it (its idiag_expires, less the one
 * tick of jiffy phase) may be gone by the time ss looks: each TIME_WAIT
 * count's window reaches down by as many.  A timer itself moves on by
 * the time between the reads, to within a tick each way; ss prints it
 * truncated (to the second from 10 s up, misc/ss.c: print_ms_timer()).
 *
 * The article's predictions are its own command lines' claims: `wc -l`
 * counts the TIME_WAIT sockets, the filter those on a port, the awk
 * histogram each state, the awk|sed|uniq one-liner each peer.  Where the
 * kernel (and ss's own header line, and the sed's cut at the first colon
 * of an IPv6 address) make them print something else, the rule says how
 * far the article is off; where ss and sock_diag disagree beyond the
 * window, the kernel's tables did not read alike twice: a failure.
 */
#include <math.h>
#include <string.h>

#include "judges/ss_agrees.h"

TW_SUBCLAIM(sc_wc, "A08.tw_count_wc");
TW_SUBCLAIM(sc_wc_h, "A08.tw_count");
TW_SUBCLAIM(sc_port, "A08.tw_port");
TW_SUBCLAIM(sc_states_tw, "A08.states.time_wait");
TW_SUBCLAIM(sc_states, "A08.states.others");
TW_SUBCLAIM(sc_peers, "A08.peers");
TW_SUBCLAIM(sc_peer_lines, "A08.peer_lines");
TW_SUBCLAIM(sc_timer, "A08.tw_timer");

/*
 * The TIME_WAIT sockets sock_diag listed (on :443 only if @https); if
 * @soon, only those that may have ended by ss's last read.
 */
static int tws(const struct ss_agrees_fig *f, bool https, bool soon)
{
	double due = soon ? f->between_hi + 1000.0 / f->hz : INFINITY;
	int n = 0;

	for (int i = 0; i < f->ntw; i++)
		n += (!https || f->tw[i].https) && f->tw[i].expires_ms <= due;
	return n;
}

static void judge_counts(const struct ss_agrees_fig *f, struct tw_result *r)
{
	double tw = f->have[TCP_TIME_WAIT], https = tws(f, true, false);
	int gone = tws(f, false, true), gone_https = tws(f, true, true);

	/* ss prints its header line unless -H: wc -l counts it too */
	tw_judge_exact(r, &sc_wc, win_exact(tw), win_cc(tw + 1 - gone, tw + 1), f->wc,
		       "sock_diag lists %.0f, ss ran %.0f-%.0f ms later, %d of them due by "
		       "then; wc -l counts ss's header line too", tw, f->between_lo,
		       f->between_hi, gone);
	tw_judge_exact(r, &sc_wc_h, win_exact(tw), win_cc(tw - gone, tw), f->wc_h,
		       "sock_diag lists %.0f; `ss -H` prints no header", tw);
	tw_judge_exact(r, &sc_port, win_exact(https), win_cc(https - gone_https, https), f->port,
		       "sock_diag lists %.0f on :443; ss's filter runs in the kernel as "
		       "inet_diag bytecode", https);
	tw_judge_exact(r, &sc_states_tw, win_exact(tw), win_cc(tw - gone, tw),
		       f->hist[TCP_TIME_WAIT],
		       "awk's NR>1 skips ss's header line; sock_diag lists %.0f", tw);
}

/* Every state but TIME_WAIT that either saw: ss's count less sock_diag's, exactly 0. */
static void judge_states(const struct ss_agrees_fig *f, struct tw_result *r)
{
	struct tw_sample s[TCP_NSTATES];
	struct tw_verdict *v;
	int n = 0;

	for (int st = 1; st < TCP_NSTATES; st++)
		if (st != TCP_TIME_WAIT && (f->have[st] || f->hist[st]))
			s[n++] = sample_exact((double)f->hist[st] - f->have[st]);
	v = tw_judge(r, &sc_states, win_exact(0), win_exact(0), s, n);
	tw_evidence(v, "awk: LISTEN %u, ESTAB %u; sock_diag: %u, %u; %d state(s) compared",
		    f->hist[TCP_LISTEN], f->hist[TCP_ESTABLISHED], f->have[TCP_LISTEN],
		    f->have[TCP_ESTABLISHED], n);
}

/* ss's header line, as the one-liner mangles it ("Process Address"): no digit in it. */
static bool header(const char *key)
{
	return !strpbrk(key, "0123456789");
}

static bool listener(const struct ss_agrees_fig *f, const char *key)
{
	const struct ss_uniq *w = ss_uniq_find(f->want, f->nwant, key);

	return w && f->want_listen[w - f->want];
}

/* Lines unlike the prediction: predicted ones missing or miscounted, and others printed. */
static int unlike(const struct ss_agrees_fig *f)
{
	int n = 0;

	for (int i = 0; i < f->nwant; i++) {
		const struct ss_uniq *g = ss_uniq_find(f->got, f->ngot, f->want[i].key);

		n += !g || g->count != f->want[i].count;
	}
	for (int i = 0; i < f->ngot; i++)
		n += !header(f->got[i].key) && !ss_uniq_find(f->want, f->nwant, f->got[i].key);
	return n;
}

static void judge_peers(const struct ss_agrees_fig *f, struct tw_result *r)
{
	int shown = 0, keys = 0, gone = tws(f, true, true);
	struct tw_verdict *v;

	for (int i = 0; i < f->ngot; i++)
		shown += !header(f->got[i].key) && !listener(f, f->got[i].key);
	for (int i = 0; i < f->nwant; i++)
		keys += !f->want_listen[i];
	v = tw_judge_one(r, &sc_peers, win_exact(f->naddr),
			 win_cc(keys > gone ? keys - gone : 0, keys), shown, 0, 0);
	if (keys == f->naddr)
		tw_evidence(v, "%d peer line(s) besides the listener's and ss's header; "
			    "sock_diag: %d peer address(es)", shown, f->naddr);
	else
		tw_evidence(v, "its sed cuts from the first colon, so sock_diag's %d peer "
			    "addresses make %d key(s) (IPv6); ss printed %d", f->naddr, keys,
			    shown);
	tw_judge_exact(r, &sc_peer_lines, win_exact(0), win_cc(0, gone), unlike(f),
		       "%d line(s) printed (ss's header among them), %d predicted from "
		       "sock_diag", f->ngot, f->nwant);
}

static void judge_timers(const struct ss_agrees_fig *f, struct tw_result *r)
{
	struct tw_sample s[SS_AGREES_MAX_TW];
	double q = 1, tick = 1000.0 / f->hz;
	struct tw_window w;
	struct tw_verdict *v;

	if (!f->ntimer) {
		tw_judge_undecided(r, &sc_timer, "no TIME_WAIT socket in both views "
				   "(%d ss line(s) of no socket sock_diag listed)",
				   f->timer_unmatched);
		return;
	}
	for (int i = 0; i < f->ntimer; i++) {
		s[i] = sample_exact(f->timer[i].sd - f->timer[i].ss);
		q = fmax(q, f->timer[i].quantum);
	}
	/* v_sd - v_ss = (jiffies at ss's read - at sock_diag's) x tick; ss truncates by < q */
	w = win_cc(f->timer_between_lo - tick, f->timer_between_hi + tick + q);
	v = tw_judge(r, &sc_timer, w, w, s, f->ntimer);
	tw_evidence(v, "%d socket(s); ss -o ran %.1f-%.1f ms after the dump, printing to "
		    "%.0f ms, at a tick of %.0f ms; %d ss line(s) of no listed socket",
		    f->ntimer, f->timer_between_lo, f->timer_between_hi, q, tick,
		    f->timer_unmatched);
}

void ss_agrees_judge(const struct ss_agrees_fig *f, struct tw_result *r)
{
	judge_counts(f, r);
	judge_states(f, r);
	judge_peers(f, r);
	judge_timers(f, r);
}
