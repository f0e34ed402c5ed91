// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of rto (A15, A16): pure, driven by tests/unit/test_judge_rto.c.
 *
 * K13, the formula as cases/rto.c derives it; besides, tcp_bound_rto()
 * caps icsk_rto at TCP_RTO_MAX, a locked rto_min route metric overrides
 * every minimum (tcp_rto_min()), and tcp_get_info() reports tcpi_rto =
 * jiffies_to_usecs(icsk_rto); sock_diag's INET_DIAG_INFO is the same
 * tcp_get_info(); ss prints it as "rto:%g" of tcpi_rto / 1000.
 */
#include <math.h>

#include "expect.h"
#include "judges/rto.h"

#define US_MS	0.0005	/* tcpi_rto is whole microseconds: half of one, in ms */

TW_SUBCLAIM(sc_ss, "A15.ss_rto");
TW_SUBCLAIM(sc_diag, "A15.diag_rto");
TW_SUBCLAIM(sc_min, "A16.rto_min");
TW_SUBCLAIM(sc_d10, "A16.rto_delay_10ms");
TW_SUBCLAIM(sc_d50, "A16.rto_delay_50ms");
TW_SUBCLAIM(sc_d200, "A16.rto_delay_200ms");
TW_SUBCLAIM(sc_max, "A16.rto_max");

double rto_formula_ms(const struct rto_fig *f, const struct rto_reading *rd)
{
	uint64_t var = 4ULL * rd->rttvar_us;
	uint64_t us = rd->rtt_us + (var > f->rto_min_us ? var : f->rto_min_us);

	return expect_usecs_to_jiffies(f->hz, us) * 1000.0 / f->hz;
}

/* "%g" keeps six significant digits: half the last one either way (203.333 at HZ=300). */
static double ss_precision(double ms)
{
	return ms > 0 ? fmax(0.5 * pow(10, floor(log10(ms)) - 5) * (1 + 1e-9), US_MS) : US_MS;
}

static void judge_readers(const struct rto_fig *f, struct tw_result *r)
{
	double ms = f->base.tcpi_rto_us / 1000.0, u = ss_precision(ms);
	struct tw_window w = win_cc(ms - u, ms + u), d = win_cc(ms - US_MS, ms + US_MS);

	if (isnan(f->base.ss_rto_ms)) {
		tw_judge_undecided(r, &sc_ss, "ss -ti printed no rto: field");
	} else {
		tw_judge_exact(r, &sc_ss, w, w, f->base.ss_rto_ms,
			       "ss -ti rto:%g; TCP_INFO tcpi_rto %u us: the same within ss's "
			       "six digits (+-%g ms)", f->base.ss_rto_ms, f->base.tcpi_rto_us, u);
	}
	tw_judge_exact(r, &sc_diag, d, d, f->base.diag_rto_us / 1000.0,
		       "INET_DIAG_INFO tcpi_rto %u us, getsockopt(TCP_INFO) %u us: one "
		       "tcp_get_info() behind both", f->base.diag_rto_us, f->base.tcpi_rto_us);
}

/* The formula, give or take one jiffy while rttvar_us still decays onto it. */
static struct tw_verdict *judge_reading(const struct rto_fig *f, const struct tw_subclaim *sc,
					struct tw_window article, const struct rto_reading *rd,
					struct tw_result *r)
{
	double want = rto_formula_ms(f, rd), tick = 1000.0 / f->hz;

	if (rd->unsettled)	/* rttvar_us, which tcp_info hides, may still be above the formula */
		return tw_judge_undecided(r, sc, "%d exchanges at %u ms delay, and the estimator "
					  "never had 32 calm RTTs in a row (RTT spikes: a loaded "
					  "machine): tcpi_rto %u us is not yet the formula's",
					  rd->exchanges, rd->delay_ms, rd->tcpi_rto_us);
	return tw_judge_exact(r, sc, article, win_oc(want - tick, want + tick),
			      rd->tcpi_rto_us / 1000.0,
			      "after %d exchanges at %u ms delay: tcpi_rtt %u us, tcpi_rttvar "
			      "%u us: ceil((rtt + max(4 rttvar, %u)) / jiffy) = %.3f ms at "
			      "HZ=%u; ss rto:%g, sock_diag %u us", rd->exchanges, rd->delay_ms,
			      rd->rtt_us, rd->rttvar_us, f->rto_min_us, want, f->hz,
			      rd->ss_rto_ms, rd->diag_rto_us);
}

/*
 * TCP_RTO_MAX = 120*HZ jiffies before 6.15 (include/net/tcp.h), which
 * tcp_bound_rto() has applied since long before 4.19; since 6.15
 * (54a378f43425 "tcp: add the ability to control max RTO", 1280c26228bd
 * "tcp: add tcp_rto_max_ms sysctl") the socket's icsk_rto_max, from the
 * namespace's tcp_rto_max_ms when it was made.  A locked rto_min route
 * metric has set tcp_rto_min() since 2.6.23, so the cap is read the same
 * way on every kernel.
 */
static void judge_max(const struct rto_fig *f, struct tw_result *r)
{
	bool sysctl = f->version >= KV(6, 15, 0) && f->rto_max_sysctl;
	double cap = sysctl ? f->rto_max_ms : 120000;

	if (!f->max_read) {
		tw_judge_undecided(r, &sc_max, "no connection with a locked rto_min route metric "
				   "could be made: the cap was not read");
		return;
	}
	tw_judge_exact(r, &sc_max, win_cc(120000 - US_MS, 120000 + US_MS),
		       win_cc(cap - US_MS, cap + US_MS), f->max_rto_us / 1000.0,
		       "route rto_min lock %u ms: tcpi_rto %u us after the first RTT sample, "
		       "clamped by tcp_bound_rto() to %s (%.0f ms)", f->max_route_ms, f->max_rto_us,
		       sysctl ? "tcp_rto_max_ms" : "the constant TCP_RTO_MAX = 120*HZ", cap);
}

void rto_judge(const struct rto_fig *f, struct tw_result *r)
{
	const struct tw_subclaim *sc[RTO_NDELAYS] = { &sc_d10, &sc_d50, &sc_d200 };

	judge_readers(f, r);
	judge_reading(f, &sc_min, win_at_least(200), &f->base, r);
	judge_max(f, r);
	for (int i = 0; i < f->ndelayed && i < RTO_NDELAYS; i++)
		judge_reading(f, sc[i], win_cc(200, 120000), &f->delayed[i], r);
}
