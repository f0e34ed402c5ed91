/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The established hash (ehash) as the machine shows its size: the global
 * table's boot line, "TCP established hash table entries: N (order: k, B
 * bytes, ...)" (mm/mm_init.c: alloc_large_system_hash()), and from 6.1 a
 * namespace's tcp_ehash_entries, negated where the namespace shares the
 * global table, and tcp_child_ehash_entries (K12; commit d1e5e6408b30).
 */
#ifndef TWLAB_EHASH_H
#define TWLAB_EHASH_H

#include <stdbool.h>

struct netns;

#define EHASH_NOTE_LEN	160

struct ehash_boot {
	unsigned long entries, bytes;	/* the boot line's; 0 when not seen */
	char note[EHASH_NOTE_LEN];	/* the line, or why it was not seen */
};

/* The boot line, from the start of /dev/kmsg: 0, or -errno with why in @b->note. */
int ehash_boot_line(struct ehash_boot *b);

/* A namespace's own view of its table, 6.1 on. */
struct ehash_size {
	bool sysctl;		/* the sysctls exist */
	long entries;		/* tcp_ehash_entries: negative where the global table is shared */
	long child;		/* tcp_child_ehash_entries: what a namespace it makes gets */
};

/* @ns's: 0, with @s->sysctl false before 6.1 (neither exists), or -errno. */
int ehash_size(const struct netns *ns, struct ehash_size *s);

#endif
