// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_buckets (A14): pure, driven by tests/unit/test_judge_tw_buckets.c.
 *
 * K10: tcp_time_wait() asks inet_twsk_alloc() for a timewait socket, which
 * returns NULL once the namespace's count of them has reached
 * tcp_max_tw_buckets (tw_count on 5.10, tw_refcount - 1 on 6.x: the same
 * cap; net/ipv4/inet_timewait_sock.c); tcp_time_wait() then counts
 * LINUX_MIB_TCPTIMEWAITOVERFLOW and calls tcp_done() -- no TIME_WAIT, no
 * socket at all (net/ipv4/tcp_minisocks.c).  Its peer's FIN then finds
 * nothing and is answered with an RST, which closes the peer too.
 *
 * Since 4.11 ("ipv4: Namespaceify tcp_tw_recycle and tcp_max_tw_buckets
 * knob") the cap and the count live in each namespace's tcp_death_row;
 * before, the knob existed in the initial namespace only and counted the
 * whole machine's TIME_WAIT sockets, so a lab namespace can predict
 * nothing there.  The log line the article quotes, "TCP: time wait bucket
 * table overflow", was printed by 3.x kernels (net_info_ratelimited(),
 * later LIMIT_NETDEBUG); in every kernel since the knob went per
 * namespace tcp_time_wait() only counts.
 */
#include <string.h>

#include "judges/tw_buckets.h"

TW_SUBCLAIM(sc_cap, "A14.tw_cap");
TW_SUBCLAIM(sc_closed, "A14.overflow_closed");
TW_SUBCLAIM(sc_counter, "A14.overflow_counter");
TW_SUBCLAIM(sc_log, "A14.overflow_log");

/* The cap and its count per namespace, in net->ipv4.tcp_death_row: 4.11 on. */
#define PER_NETNS	KV(4, 11, 0)

/* Counts the kernel predicts exactly where the cap is the namespace's. */
static void judge_counts(const struct tw_buckets_fig *f, struct tw_result *r)
{
	double over = f->conns > f->cap ? f->conns - f->cap : 0;
	bool netns = f->version >= PER_NETNS;
	struct tw_window cap = netns ? win_exact(f->cap) : win_any();

	tw_judge_exact(r, &sc_cap, win_exact(f->cap), cap, f->tw[LAB_CLIENT], "%d connections "
		       "closed client first at tcp_max_tw_buckets=%d: inet_twsk_alloc() gave %u a "
		       "timewait socket%s", f->conns, f->cap, f->tw[LAB_CLIENT], netns ? "" :
		       "; before 4.11 the cap is the initial namespace's, over the whole machine");
	tw_judge_exact(r, &sc_closed, win_exact(f->cap), cap,
		       f->left[LAB_CLIENT] + f->left[LAB_SERVER], "client %u (%u TIME-WAIT), "
		       "server %u: the %d closes past the cap were closed at once "
		       "(tcp_time_wait() -> tcp_done()), the server's end by the RST its FIN met",
		       f->left[LAB_CLIENT], f->tw[LAB_CLIENT], f->left[LAB_SERVER],
		       f->conns - f->cap);
	tw_judge_exact(r, &sc_counter, win_exact(over), netns ? win_exact(over) : win_any(),
		       (double)f->overflow, "rose by %llu over %d closes at a cap of %d: the "
		       "namespace's own LINUX_MIB_TCPTIMEWAITOVERFLOW",
		       (unsigned long long)f->overflow, f->conns, f->cap);
}

static void judge_log(const struct tw_buckets_fig *f, struct tw_result *r)
{
	struct tw_window kern = f->version >= PER_NETNS ? win_exact(0) : win_any();

	if (f->log_err)
		tw_judge_undecided(r, &sc_log, "/dev/kmsg cannot be read: %s",
				   strerror(-f->log_err));
	else if (f->log.lost && !f->log.matches)
		tw_judge_undecided(r, &sc_log, "records written during the experiment were "
				   "overwritten before they could be read");
	else if (f->log.matches)
		tw_judge_exact(r, &sc_log, win_at_least(1), kern, f->log.matches, "%u of %u new "
			       "records, first: \"%s\"", f->log.matches, f->log.records,
			       f->log.match);
	else
		tw_judge_exact(r, &sc_log, win_at_least(1), kern, 0, "none of the %u records "
			       "written machine-wide during the %d overflows mentions it: "
			       "tcp_time_wait() only counts (K10)", f->log.records,
			       f->conns - f->cap);
}

void tw_buckets_judge(const struct tw_buckets_fig *f, struct tw_result *r)
{
	judge_counts(f, r);
	judge_log(f, r);
}
