// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_memory (A07): pure, driven by tests/unit/test_judge_tw_memory.c.
 *
 * K11: the article's 8 bytes (cases/tw_memory.c) are one ehash bucket, a
 * struct inet_ehash_bucket holding one hlist_nulls_head pointer
 * (include/net/inet_hashtables.h), allocated once for every bucket, used
 * or not: at boot by alloc_large_system_hash(), for a namespace of its own
 * by inet_pernet_hashinfo_alloc() when it is made; neither table grows.
 * A TIME_WAIT connection costs its struct tcp_timewait_sock
 * (net/ipv4/inet_timewait_sock.c: inet_twsk_alloc()).
 */
#include <stdlib.h>

#include "judges/tw_memory.h"

#define ARTICLE_BYTES	8	/* "65536 bytes / 8192 entries" */

/*
 * A reading of objects in use is off by up to a few slabs: every object
 * of a CPU's slabs counts as in use, and a CPU that runs short takes
 * several partial slabs at once (mm/slub.c: get_partial_node()).  The case
 * allocates on one CPU; SLACK_SLABS bounds what one reading can be off.
 */
#define SLACK_SLABS	2
#define DEFAULT_PER_SLAB 16

/*
 * sizeof(struct tcp_timewait_sock), rounded up to the cache's 8-byte
 * alignment, on 64-bit kernels: 240 B (slab 248) on Debian's 5.10, 264 B
 * (272) on Debian's 6.1, 248 B (256) on this project's 6.18 host.  The
 * 24 B from 5.10 to 6.1 are the bhash2 links of inet_timewait_sock
 * (tw_bind2_node, tw_tb2); configs add or drop 8-byte pointers
 * (CONFIG_TCP_MD5SIG: tw_md5_key; CONFIG_TCP_AO, 6.7 on: ao_info).  The
 * window spans those configs, from the smallest struct to the largest
 * slab footprint, a pointer to spare.  32-bit kernels: no facts here, no
 * window.
 */
static struct tw_window object_window(const struct tw_memory_fig *f)
{
	return f->word_bytes != 8 ? win_any() :
	       f->version < KV(6, 1, 0) ? win_cc(224, 264) : win_cc(240, 288);
}

TW_SUBCLAIM(sc_socket, "A07.tw_socket_bytes");
TW_SUBCLAIM(sc_growth, "A07.ehash_bytes_per_tw");
TW_SUBCLAIM(sc_bucket, "A07.ehash_bucket_bytes");

/*
 * Bytes per socket of each round; the figure is their median.  Its
 * uncertainty is one reading's slack plus what other labs did to the
 * cache meanwhile (the case's idle drift, the median round's), or, where
 * the rounds disagree by more, the spread of the middle rounds (the
 * second to the fourth of five): TIME_WAIT sockets of other labs, or of
 * our own first rounds on a slow machine, that come or go during a round
 * move objects of the same cache, and no reading can tell them from
 * ours.  One round spoiled either way is outvoted; more make the figure
 * as uncertain as they are.
 */
static int per_socket(const struct tw_memory_fig *f, struct tw_sample *s, double *least,
		      double *most)
{
	double b[TW_MEMORY_ROUNDS], d[TW_MEMORY_ROUNDS], slack, tw = 0;
	long per = f->slab.objs_per_slab > 0 ? f->slab.objs_per_slab : DEFAULT_PER_SLAB;
	int n = 0, q;

	for (int k = 0; k < f->rounds && k < TW_MEMORY_ROUNDS; k++) {
		if (!f->tw[k])
			continue;
		tw += f->tw[k];
		b[n] = (double)f->slab.size * f->grew[k] / f->tw[k];
		d[n++] = (double)f->slab.size * labs(f->drift[k]) / f->tw[k];
	}
	if (!n)
		return 0;
	tw_sort(b, n);
	tw_sort(d, n);
	*least = b[0];
	*most = b[n - 1];
	q = (n - 1) / 4;
	slack = (double)f->slab.size * SLACK_SLABS * per / (tw / n) + d[n / 2];
	s->x = tw_median(b, n);
	s->below = fmax(slack, s->x - b[q]);
	s->above = fmax(slack, b[n - 1 - q] - s->x);
	return n;
}

static void judge_socket(const struct tw_memory_fig *f, struct tw_result *r)
{
	double least = 0, most = 0;
	struct tw_sample s;
	long drift = 0;
	int n = f->slab.size ? per_socket(f, &s, &least, &most) : 0;

	for (int k = 0; k < f->rounds && k < TW_MEMORY_ROUNDS; k++)
		drift = labs(f->drift[k]) > drift ? labs(f->drift[k]) : drift;
	if (!f->slab.size)
		tw_judge_undecided(r, &sc_socket, "the slab allocator shows no cache %s in "
				   "/sys/kernel/slab or /proc/slabinfo", f->cache);
	else if (!n)
		tw_judge_undecided(r, &sc_socket, "no round made a TIME_WAIT socket");
	else
		tw_evidence(tw_judge(r, &sc_socket, win_exact(ARTICLE_BYTES), object_window(f),
				     &s, 1),
			    "%s: %.1f..%.1f B per TIME_WAIT socket in %d rounds (%s; others "
			    "moved up to %ld objects a round), %ld B an object (the struct %ld B): "
			    "one struct tcp_timewait_sock each, not 8 B", f->cache, least, most, n,
			    f->count_from, drift, f->slab.size, f->slab.object_size);
}

static double bucket_bytes(const struct tw_memory_fig *f)
{
	return f->boot.entries ? (double)f->boot.bytes / f->boot.entries : f->word_bytes;
}

static void judge_growth(const struct tw_memory_fig *f, struct tw_result *r)
{
	long before = f->ehash_before.entries, after = f->ehash_after.entries;
	unsigned long tw = 0;

	for (int k = 0; k < f->rounds && k < TW_MEMORY_ROUNDS; k++)
		tw += f->tw[k];
	if (!f->ehash_before.sysctl)
		tw_judge_undecided(r, &sc_growth, "no tcp_ehash_entries before 6.1 (commit "
				   "d1e5e6408b30): the table's size cannot be read at run time");
	else if (!tw)
		tw_judge_undecided(r, &sc_growth, "no round made a TIME_WAIT socket");
	else
		tw_judge_exact(r, &sc_growth, win_exact(ARTICLE_BYTES), win_exact(0),
			       (double)(labs(after) - labs(before)) * bucket_bytes(f) / tw,
			       "tcp_ehash_entries %ld before and %ld after %lu TIME_WAIT sockets, "
			       "%.0f B a bucket: the table is allocated once, whole, and never "
			       "grows (alloc_large_system_hash(), inet_pernet_hashinfo_alloc())",
			       before, after, tw, bucket_bytes(f));
}

static void judge_bucket(const struct tw_memory_fig *f, struct tw_result *r)
{
	if (!f->boot.entries)
		tw_judge_undecided(r, &sc_bucket, "%s", f->boot.note);
	else
		tw_judge_exact(r, &sc_bucket, win_exact(ARTICLE_BYTES), win_exact(f->word_bytes),
			       bucket_bytes(f), "\"%s\": %lu B / %lu buckets; a bucket is one "
			       "hlist_nulls_head, one pointer of %u bytes, allocated at boot "
			       "whether or not a socket uses it", f->boot.note, f->boot.bytes,
			       f->boot.entries, f->word_bytes);
}

void tw_memory_judge(const struct tw_memory_fig *f, struct tw_result *r)
{
	judge_socket(f, r);
	judge_growth(f, r);
	judge_bucket(f, r);
}
