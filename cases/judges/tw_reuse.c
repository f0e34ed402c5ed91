// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_reuse (A11): pure, driven by tests/unit/test_judge_tw_reuse.c.
 *
 * When connect() may take over a TIME_WAIT 4-tuple is tcp_twsk_unique()
 * (net/ipv4/tcp_ipv4.c), and it changed twice (K08):
 *   - before 4.19: get_seconds() - tw_ts_recent_stamp > 1, whole seconds
 *     of the wall clock since the last timestamp received: 1-2 s;
 *   - 4.19 (cca9bab1b72c, "tcp: use monotonic timestamps for PAWS") to
 *     6.13: time_after32(ktime_get_seconds(), tw_ts_recent_stamp), the
 *     next whole second after that timestamp: 0-1 s, not "older than 1 s";
 *   - 6.14 (19ce8cd30465, ca6a6f93867a): time_after32(tcp_clock_ms(),
 *     tw_entry_stamp + tcp_tw_reuse_delay): at the stamp's ms + delay + 1.
 * tcp_tw_reuse=2, loopback only, came in 4.19 (79e9fed46003) with the
 * default 2; before it any nonzero value is "on" (K07).  A whole-second
 * clock is read at a tick: up to one tick late (K20).
 */
#include <math.h>

#include "judges/tw_reuse.h"

/* The same two sub-claims over each path: they measure different sockets. */
TW_SUBCLAIM(sc_threshold_veth, "A11.reuse_threshold.veth");
TW_SUBCLAIM(sc_threshold_loopback, "A11.reuse_threshold.loopback");
TW_SUBCLAIM(sc_taken_veth, "A11.reuse_taken.veth");
TW_SUBCLAIM(sc_taken_loopback, "A11.reuse_taken.loopback");
TW_SUBCLAIM(sc_incoming, "A11.incoming_syn");
TW_SUBCLAIM(sc_default, "A11.reuse_default");

static const struct tw_subclaim *const sc_threshold[TW_REUSE_NPATH] = {
	&sc_threshold_veth, &sc_threshold_loopback,
};
static const struct tw_subclaim *const sc_taken[TW_REUSE_NPATH] = {
	&sc_taken_veth, &sc_taken_loopback,
};

/* Whether one was taken over; *@lag, the most our entry followed our FIN: the stamp lies within. */
static bool taken(const struct tw_reuse_path *p, double *lag)
{
	bool any = false;

	*lag = 0;
	for (int k = 0; k < p->n; k++) {
		*lag = fmax(*lag, p->tw[k].entry_ms - p->tw[k].fin_ms);
		any |= !isnan(p->tw[k].taken_ms);
	}
	return any;
}

/* What tcp_twsk_unique() does with this path's TIME_WAIT (K06, K07). */
static bool kernel_takes(const struct tw_reuse_fig *f, int path)
{
	if (!f->timestamps)
		return false;	/* tw_ts_recent_stamp stays 0 */
	if (f->reuse == 2 && f->version >= KV(4, 19, 0))
		return path == TW_REUSE_LOOPBACK;
	return f->reuse != 0;
}

/*
 * From 6.14: connect() may take the 4-tuple once tcp_clock_ms() >
 * tw_entry_stamp + delay, so at a whole ms B, delay + 1 ms after the
 * stamp's ms.  B > the refusal's start and B <= the take-over's end, and
 * the stamp's ms lies between those of our FIN and of the entry: the
 * figure is that count of whole ms, to within those brackets.
 */
static struct tw_sample ms_sample(const struct tw_reuse_tw *t)
{
	double first = floor(t->refused_ms) + 1, e = floor(t->entry_ms);

	if (isnan(t->taken_ms))		/* refused throughout: at least */
		return (struct tw_sample){ first - e, 0, 1e9 };
	if (first > floor(t->taken_ms))	/* no whole ms in between: not this clock */
		return sample_bounds(t->refused_ms - t->entry_ms, t->taken_ms - t->fin_ms);
	return sample_bounds(first - e, floor(t->taken_ms) - floor(t->fin_ms));
}

/* Before 6.14: the age at which it was taken, from the entry we saw. */
static struct tw_sample age_sample(const struct tw_reuse_tw *t)
{
	if (isnan(t->taken_ms))
		return (struct tw_sample){ t->refused_ms - t->entry_ms, 0, 1e9 };
	return sample_bounds(t->refused_ms - t->entry_ms, t->taken_ms - t->entry_ms);
}

/* From 6.14 tcp_twsk_unique() counts whole ms of tcp_clock_ms() (K08). */
#define COUNTS_MS(version)	((version) >= KV(6, 14, 0))

double tw_reuse_latest_ms(unsigned int version, unsigned int hz, unsigned int delay_ms)
{
	double tick = 1000.0 / (hz ?: 100);

	if (COUNTS_MS(version))
		return delay_ms + 1.0;
	return (version >= KV(4, 19, 0) ? 1000 : 2000) + tick;
}

static void judge_threshold(const struct tw_reuse_fig *f, int i, double lag, struct tw_result *r)
{
	const struct tw_reuse_path *p = &f->path[i];
	bool in_ms = COUNTS_MS(f->version);
	double hi = tw_reuse_latest_ms(f->version, f->hz, f->delay_ms);
	struct tw_sample s[TW_REUSE_NTW];
	struct tw_window kern;
	struct tw_verdict *v;
	int n = p->n < TW_REUSE_NTW ? p->n : TW_REUSE_NTW;

	/* before 6.14, a whole second after the stamp, which our entry follows by up to @lag */
	kern = in_ms ? win_exact(hi) : win_oc(hi - 1000.0 / (f->hz ?: 100) - 1000 - lag, hi);
	for (int k = 0; k < n; k++) {
		const struct tw_reuse_tw *t = &p->tw[k];

		/* one TIME_WAIT refused after it was taken over: no one figure */
		if (t->refused_ms >= t->taken_ms) {
			tw_judge_undecided(r, sc_threshold[i], "probes contradict each other: "
					   "refused %.2f ms after the entry, taken over at %.2f ms",
					   t->refused_ms - t->entry_ms, t->taken_ms - t->entry_ms);
			return;
		}
		s[k] = in_ms ? ms_sample(t) : age_sample(t);
	}
	v = tw_judge(r, sc_threshold[i], win_oc(1000 - (in_ms ? 0 : lag), 2000), kern, s, n);
	if (in_ms)
		tw_evidence(v, "%d TIME_WAITs, %d probes: tcp_twsk_unique() lets connect() in once "
			    "tcp_clock_ms() > tw_entry_stamp + tcp_tw_reuse_delay %u, so at the "
			    "stamp's ms + %u; whole ms counted from the stamp, known to within our "
			    "FIN and the entry (%.2f ms apart at most)", n, p->probes, f->delay_ms,
			    f->delay_ms + 1, lag);
	else
		tw_evidence(v, "%d TIME_WAITs, %d probes: tcp_twsk_unique() compares whole "
			    "seconds with tw_ts_recent_stamp (%s), so each TIME_WAIT has a "
			    "threshold of its own; ms after the entry", n, p->probes,
			    f->version >= KV(4, 19, 0) ?
			    "time_after32(ktime_get_seconds(), stamp): 0-1 s" :
			    "get_seconds() - stamp > 1: 1-2 s");
}

void tw_reuse_judge(const struct tw_reuse_fig *f, struct tw_result *r)
{
	int want = f->version >= KV(4, 19, 0) ? 2 : 0;

	for (int i = 0; i < TW_REUSE_NPATH; i++) {
		const struct tw_reuse_path *p = &f->path[i];
		double lag;
		bool got = taken(p, &lag);

		/* the article's kernel knew 0 and 1, and read any nonzero value as on */
		tw_judge_exact(r, sc_taken[i], win_exact(f->timestamps && f->reuse),
			win_exact(kernel_takes(f, i)), got,
			"%s in %d probes up to %.0f ms after the entry; tcp_tw_reuse=%d, "
			"tcp_timestamps=%d: %s", got ? "taken over" : "EADDRNOTAVAIL throughout",
			p->probes, p->max_age_ms, f->reuse, f->timestamps,
			!f->timestamps ? "no timestamps, so tw_ts_recent_stamp is 0" :
			!f->reuse ? "reuse off" : f->reuse == 2 && f->version >= KV(4, 19, 0) ?
			"2 lets loopback only" : "reuse on");
		if (got && kernel_takes(f, i))
			judge_threshold(f, i, lag, r);
	}
	if (f->incoming >= 0)
		tw_judge_exact(r, &sc_incoming, win_exact(0), win_exact(1), f->incoming, "connect() from the same port "
			"%s once the client's socket was gone: tcp_timewait_state_process() "
			"takes a newer SYN as TCP_TW_SYN, whatever tcp_tw_reuse=%d says",
			f->incoming ? "connected" : "did not connect", f->reuse);
	if (f->reuse_default >= 0)
		tw_judge_exact(r, &sc_default, win_exact(0), win_exact(want), f->reuse_default, "tcp_sk_init() sets %d "
			"on this kernel: 2 (loopback only) since 4.19 (79e9fed46003), 0 before",
			want);
}
