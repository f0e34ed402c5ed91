/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_memory measures, and its judge: see cases/tw_memory.c. */
#ifndef TWLAB_JUDGE_TW_MEMORY_H
#define TWLAB_JUDGE_TW_MEMORY_H

#include "case.h"
#include "ehash.h"
#include "kernel.h"
#include "slab.h"

#define TW_MEMORY_ROUNDS	5

struct tw_memory_fig {
	unsigned int version;		/* KV() of the kernel */
	unsigned int word_bytes;	/* the kernel's pointer size: 8 on a 64-bit kernel */
	const char *cache;		/* the TIME_WAIT sockets': tw_sock_TCP, tw_sock_TCPv6 */
	struct slab_cache slab;		/* its sizes; size 0 where the allocator shows none */
	const char *count_from;		/* where the object counts were read */
	int rounds;
	long grew[TW_MEMORY_ROUNDS];	/* objects in use, after - before a round */
	unsigned int tw[TW_MEMORY_ROUNDS];	/* TIME_WAIT sockets the round made */
	long drift[TW_MEMORY_ROUNDS];	/* objects in use, change over as long again, idle */
	struct ehash_boot boot;		/* the ehash's boot line; entries 0 when not seen */
	struct ehash_size ehash_before, ehash_after;	/* the lab's, around the rounds */
};

void tw_memory_judge(const struct tw_memory_fig *f, struct tw_result *r);

#endif
