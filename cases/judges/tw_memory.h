/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_memory measures, and its judge: see cases/tw_memory.c. */
#ifndef TWLAB_JUDGE_TW_MEMORY_H
#define TWLAB_JUDGE_TW_MEMORY_H

#include "case.h"
#include "kernel.h"

#define TW_MEMORY_ROUNDS	5
#define TW_MEMORY_NOTE		160

struct tw_memory_fig {
	unsigned int version;		/* KV() of the kernel */
	unsigned int word_bytes;	/* the kernel's pointer size: 8 on a 64-bit kernel */
	/* the TIME_WAIT sockets' cache, tw_sock_TCP or tw_sock_TCPv6 */
	char cache[24];
	bool cache_seen;		/* the allocator shows it */
	long slab_size;			/* bytes one object takes in its slab */
	long object_size;		/* the struct alone; -1 unknown */
	long objs_per_slab;		/* -1 unknown */
	char count_from[48];		/* where the object counts were read */
	int rounds;
	long grew[TW_MEMORY_ROUNDS];	/* objects in use, after - before a round */
	unsigned int tw[TW_MEMORY_ROUNDS];	/* TIME_WAIT sockets the round made */
	long drift[TW_MEMORY_ROUNDS];	/* objects in use, change over as long again, idle */
	/* the established hash */
	unsigned long boot_entries, boot_bytes;	/* the boot line; 0 when not seen */
	char boot_note[TW_MEMORY_NOTE];	/* the line, or why it was not seen */
	bool ehash_sysctl;		/* tcp_ehash_entries exists (6.1 on) */
	long ehash_before, ehash_after;	/* the lab's tcp_ehash_entries around the rounds */
};

void tw_memory_judge(const struct tw_memory_fig *f, struct tw_result *r);

#endif
