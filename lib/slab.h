/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A slab cache as the allocator shows it: SLUB in /sys/kernel/slab/<cache>
 * (a merged cache as a link to the one it shares), SLAB (before 6.8) and
 * SLUB alike in /proc/slabinfo, whose columns are "name <active_objs>
 * <num_objs> <objsize> <objperslab> <pagesperslab> ..." (mm/slab_common.c:
 * cache_show()).  Both are machine-wide: every namespace's objects count.
 */
#ifndef TWLAB_SLAB_H
#define TWLAB_SLAB_H

struct slab_cache {
	long size;		/* bytes one object takes in its slab */
	long object_size;	/* the struct alone; -1 when unknown */
	long objs_per_slab;	/* -1 when unknown */
	long aliases;		/* other caches merged into it; -1 when unknown */
	const char *size_from;	/* where @size was read, for evidence */
};

/* The sizes of cache @name: 0, or -ENOENT where neither file shows it. */
int slab_cache_info(const char *name, struct slab_cache *c);
/*
 * Objects of @name in use: active_objs of /proc/slabinfo, else SLUB's
 * "objects" (a merged cache has no slabinfo line of its own).  @from says
 * which, for evidence.
 */
int slab_cache_active(const char *name, long *active, const char **from);

#endif
