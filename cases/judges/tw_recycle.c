// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_recycle (A13): pure, driven by tests/unit/test_judge_tw_recycle.c.
 *
 * The article: tcp_tw_recycle shortens TIME_WAIT and, behind NAT, drops
 * SYNs whose timestamps are older than the last seen from that address;
 * it was removed in 4.12.  K09:
 *   - the sysctl is gone since 4.12 (commit 4396e46187ca, with the
 *     per-peer check tcp_peer_is_proven()); before 4.11 it lived in
 *     init_net only (made per namespace by commit 1946e672c1e6), so a lab
 *     namespace cannot see it there: its absence in a lab says nothing
 *     before 4.11;
 *   - a SYN's TSval is tcp_clock_ms() + tp->tsoffset, and with
 *     tcp_timestamps = 1 the offset is a keyed hash (since 4.10, commit
 *     95a22caee396; of (saddr, daddr) from 4.11, commit 28ee1b746f49; of
 *     the 4-tuple since commit 165573e41f2f), while with 2 it is 0 (those
 *     functions return 0 unless tcp_timestamps is 1).  Clients behind one
 *     address then send TSvals that go back and forth at 1, the very SYNs
 *     the per-peer check dropped, and one clock's at 2.
 * Both clients here are namespaces of one kernel, reading one clock: at 2
 * they look like one machine, as distinct machines would not.
 */
#include "judges/tw_recycle.h"

TW_SUBCLAIM(sc_sysctl, "A13.recycle_sysctl");
TW_SUBCLAIM(sc_older, "A13.nat_older_syns");

#define REMOVED		KV(4, 12, 0)
#define PER_NETNS	KV(4, 11, 0)
#define TS_OFFSETS	KV(4, 10, 0)

static void judge_sysctl(const struct tw_recycle_fig *f, struct tw_result *r)
{
	struct tw_window w = win_exact(f->version < REMOVED);
	bool init_net_only = f->version < PER_NETNS;
	struct tw_verdict *v;

	if (init_net_only && !f->home_has) {
		tw_judge_undecided(r, &sc_sysctl, "before 4.11 tcp_tw_recycle lives in init_net "
				   "only (commit 1946e672c1e6): neither a lab nor the namespace "
				   "twlab started in can see it");
		return;
	}
	v = tw_judge_one(r, &sc_sysctl, w, w, init_net_only ? f->home_has : f->lab_has, 0, 0);
	if (init_net_only)
		tw_evidence(v, "in the initial namespace: before 4.11 it lives there only "
			    "(commit 1946e672c1e6)");
	else
		tw_evidence(v, "/proc/sys/net/ipv4/tcp_tw_recycle %s in a lab namespace: %s",
			    f->lab_has ? "exists" : "is absent", f->version < REMOVED ?
			    "per namespace from 4.11 (commit 1946e672c1e6) until its removal in 4.12" :
			    "removed in 4.12 (commit 4396e46187ca) with the per-peer timestamp check");
}

static void judge_older(const struct tw_recycle_fig *f, struct tw_result *r)
{
	struct tw_sample s = { f->older, 0, f->nconn - f->nsyn };
	struct tw_verdict *v;

	if (!f->nsyn) {
		tw_judge_undecided(r, &sc_older, "the captures hold none of the %d SYNs",
				   f->nconn);
		return;
	}
	/* the offsets that make TSvals go back: a keyed hash at tcp_timestamps=1 (4.10 on) */
	v = tw_judge(r, &sc_older, win_at_least(1), f->timestamps == 1 && f->version >= TS_OFFSETS ?
		     win_at_least(1) : win_exact(0), &s, 1);
	tw_evidence(v, "tcp_timestamps=%u: %d of %d SYNs (of %d connections) older than a "
		    "TSval the two clients sent before through one address; at least %d "
		    "distinct offsets from the clock: %s", f->timestamps, f->older, f->nsyn,
		    f->nconn, f->distinct, f->timestamps == 1 ? "a keyed hash per connection "
		    "or address pair, so two clients look like unrelated clocks" :
		    "no offset: both clients read this kernel's one clock");
}

void tw_recycle_judge(const struct tw_recycle_fig *f, struct tw_result *r)
{
	judge_sysctl(f, r);
	judge_older(f, r);
}
