// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_ehash (A06): pure, driven by tests/unit/test_judge_tw_ehash.c.
 *
 * K12, a namespace's own ehash since 6.1: net/ipv4/tcp_ipv4.c:
 * tcp_set_hashinfo() reads tcp_child_ehash_entries of the namespace of the
 * task that creates the new one; 0 shares the global table, else a table
 * of roundup_pow_of_two() of it is allocated.  tcp_ehash_entries then
 * reads the table's size, negated in a namespace other than init_net that
 * shares the global one (proc_tcp_ehash_entries()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "judges/tw_ehash.h"

TW_SUBCLAIM(sc_table, "A06.lab_ehash_entries");
TW_SUBCLAIM(sc_bind, "A06.bind_refused");
TW_SUBCLAIM(sc_lookup, "A06.ehash_lookup");

/*
 * A table of its own, of roundup_pow_of_two() of the creating namespace's
 * tcp_child_ehash_entries; or else the global one, shared, whose size is
 * what a sharing namespace reads, negated, or else the boot line's, the
 * global table's own (mm/mm_init.c: alloc_large_system_hash()).  Where
 * neither says (a creating namespace with a table of its own, and no boot
 * line): any shared table.
 */
static struct tw_window table_window(const struct tw_ehash_fig *f)
{
	long global = f->home.entries < 0 ? -f->home.entries : (long)f->boot.entries;
	long size = 1;

	if (f->home.child <= 0)
		return global ? win_exact(-global) : win_at_most(-1);
	while (size < f->home.child)
		size <<= 1;
	return win_exact(size);
}

static void judge_table(const struct tw_ehash_fig *f, struct tw_result *r)
{
	if (!f->lab.sysctl)
		tw_judge_na(r, &sc_table, "no tcp_ehash_entries: before 6.1 every namespace "
			    "shares the one global ehash, and no namespace has its own");
	else
		tw_judge_exact(r, &sc_table, win_at_most(-1), table_window(f), f->lab.entries,
			       "%s %ld buckets (tcp_child_ehash_entries %ld here); the namespace "
			       "that made the lab reads tcp_ehash_entries %ld, "
			       "tcp_child_ehash_entries %ld%s; boot log: %lu", f->lab.entries < 0 ?
			       "shares the global table of" : "a table of its own:",
			       labs(f->lab.entries), f->lab.child, f->home.entries, f->home.child,
			       f->home.child ? ", which gives new namespaces their own" :
			       ": new namespaces share the global table", f->boot.entries);
}

static void judge_bind(const struct tw_ehash_fig *f, struct tw_result *r)
{
	tw_judge_exact(r, &sc_bind, win_exact(1), win_exact(1), f->bind_err == -EADDRINUSE,
		       "%s: port %u stays in the bind hash while its TIME_WAIT socket holds the "
		       "bind bucket (inet_csk_bind_conflict())",
		       f->bind_err ? strerror(-f->bind_err) : "bound", f->port);
}

/*
 * The bound connect() goes straight to __inet_check_established(), which
 * walks the ehash chain of the 4-tuple: with timestamps the TIME_WAIT
 * socket there is taken over (tcp_twsk_unique() with no twp, K06);
 * without, connect() fails with EADDRNOTAVAIL and it stays.  Either way
 * the lookup found it; anything else, it did not.
 */
static bool found(const struct tw_ehash_fig *f)
{
	return f->timestamps ? !f->connect_err && f->est_after && !f->tw_after :
			       f->connect_err == -EADDRNOTAVAIL && f->tw_after;
}

static void judge_lookup(const struct tw_ehash_fig *f, struct tw_result *r)
{
	tw_judge_exact(r, &sc_lookup, win_exact(1), win_exact(1), found(f),
		       "tcp_timestamps=%u: connect() %s; then %s holds the 4-tuple: %s",
		       f->timestamps, f->connect_err ? strerror(-f->connect_err) : "succeeded",
		       f->tw_after ? "the TIME_WAIT" : f->est_after ? "a new ESTAB" : "nothing",
		       f->timestamps ? "the ehash lookup (__inet_check_established()) should "
		       "find the TIME_WAIT and hand it over" : "the ehash lookup should find "
		       "the TIME_WAIT and refuse with EADDRNOTAVAIL");
}

void tw_ehash_judge(const struct tw_ehash_fig *f, struct tw_result *r)
{
	judge_table(f, r);
	judge_bind(f, r);
	judge_lookup(f, r);
}
