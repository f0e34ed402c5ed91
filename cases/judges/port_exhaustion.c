// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of port_exhaustion (A05, A05r): pure, driven by
 * tests/unit/test_judge_port_exhaustion.c.
 *
 * The ephemeral search, __inet_hash_connect(), gives connect() a port
 * whose 4-tuple is free; a TIME_WAIT holds its 4-tuple, not its port, and
 * connect() fails with EADDRNOTAVAIL once every port is held toward that
 * destination (K15).  The TIME_WAIT lets its port go when its timer
 * fires, TCP_TIMEWAIT_LEN after the entry as the wheel rounds it (K03),
 * less the jiffy phase (K20); with tcp_tw_reuse=1 and timestamps,
 * tcp_twsk_unique() lends it out past the reuse threshold (K06, K08).
 */
#include <math.h>

#include "expect.h"
#include "judges/port_exhaustion.h"

#define ARTICLE_RATE	1000.0	/* connections per second that run the range dry */

TW_SUBCLAIM(sc_one_dest, "A05.exhaust_one_dest");
TW_SUBCLAIM(sc_other_dest, "A05r.other_dest");
TW_SUBCLAIM(sc_reopened, "A05.reuse_reopens");
TW_SUBCLAIM(sc_rate, "A05.sustained_rate");

static void judge_count(struct tw_result *r, const struct tw_subclaim *sc, int n, int want,
			const char *why)
{
	tw_judge_exact(r, sc, win_exact(want), win_exact(want), n, "%d of a %d-port range: %s",
		       n, want, why);
}

/*
 * A port held h ms frees one connection per h: the range sustains
 * ports / h.  Each sample's bracket on h maps onto the rate, reversed.
 */
static void judge_rate(const struct port_exhaustion_fig *f, struct tw_result *r)
{
	struct tw_sample s[PORT_EXHAUSTION_NPORTS];
	double p = f->default_ports * 1000.0, hmin = INFINITY, hmax = 0;
	struct tw_window kern, art = { -INFINITY, ARTICLE_RATE, false, true };
	struct window tw, span;
	struct tw_verdict *v;
	int n = f->nhold < PORT_EXHAUSTION_NPORTS ? f->nhold : PORT_EXHAUSTION_NPORTS;

	if (n <= 0)
		return;
	for (int i = 0; i < n; i++) {
		double most = f->hold[i].x + f->hold[i].above, least = f->hold[i].x - f->hold[i].below;

		s[i] = sample_bounds(p / most, least > 0 ? p / least : INFINITY);
		hmin = fmin(hmin, least);
		hmax = fmax(hmax, most);
	}
	expect_tw_window(f->hz, &tw);
	if (expect_timer_span(f->hz, tw.timeout_jiffies, &span))
		kern = win_any();
	else	/* held in (lo, hi]: the rate in [p / hi, p / lo) */
		kern = (struct tw_window){ p / span.hi_ms, p / span.lo_ms, false, true };
	/*
	 * Below tcp_max_tw_buckets the TIME_WAITs past the cap are not kept
	 * (K10): the range never runs dry, and what one port's hold says of
	 * the range is no longer the kernel's rate.
	 */
	if (f->tw_buckets < f->default_ports)
		kern = win_any();
	v = tw_judge(r, &sc_rate, art, kern, s, n);
	tw_evidence(v, "%d ports of a narrowed range, each held in TIME_WAIT within %.1f-%.1f s "
		    "(entry to the connect() that got it back): the default range's %d ports "
		    "sustain that many per hold%s", n, hmin / 1000, hmax / 1000, f->default_ports,
		    f->tw_buckets < f->default_ports ?
		    "; but tcp_max_tw_buckets is lower, so it never runs dry (K10)" : "");
}

void port_exhaustion_judge(const struct port_exhaustion_fig *f, struct tw_result *r)
{
	judge_count(r, &sc_one_dest, f->one_dest, PORT_EXHAUSTION_NPORTS,
		    "tcp_tw_reuse=0, so connect() failed once every port held a TIME_WAIT "
		    "toward it (EADDRNOTAVAIL)");
	judge_count(r, &sc_other_dest, f->other_dest, PORT_EXHAUSTION_NPORTS,
		    "the same ports served a second address: a TIME_WAIT blocks its 4-tuple");
	if (f->reopened >= 0)
		judge_count(r, &sc_reopened, f->reopened, PORT_EXHAUSTION_NPORTS,
			    "timestamps on, every TIME_WAIT past the reuse threshold counted from "
			    "the last entry: tcp_twsk_unique() lent out each 4-tuple");
	judge_rate(f, r);
}
