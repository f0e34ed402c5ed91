/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log, read through /dev/kmsg the way dmesg reads it, and
 * never cleared.
 *
 * Each read() returns one record, "prio,seq,usec,flags;text\n" and then
 * optional " KEY=value" lines (Documentation/ABI/testing/dev-kmsg).  On
 * an O_NONBLOCK fd, EAGAIN means there is no further record; EPIPE means
 * records were overwritten before we read them, and the next read()
 * goes on with the oldest one left.  The log is machine-wide: to see only
 * what happened during an experiment, open at the end before it and scan
 * after it.
 */
#ifndef TWLAB_KMSG_H
#define TWLAB_KMSG_H

#include <stdbool.h>

#define KMSG_TEXT_LEN	160

struct kmsg_scan {
	unsigned int records;		/* records read */
	unsigned int matches;		/* records whose text holds the needle */
	bool lost;			/* EPIPE: some were overwritten unread */
	long long first_seq;		/* seq of the first record read; -1 if none */
	char match[KMSG_TEXT_LEN];	/* the text of the first match */
};

/* An fd at the oldest record still in the log, or past the newest. */
int kmsg_open(bool at_end);
/* Read every record from where @fd stands to the newest. */
int kmsg_scan(int fd, const char *needle, struct kmsg_scan *s);
/*
 * The boot line of hash table @table ("TCP established"): "<table> hash
 * table entries: N (order: k, B bytes, ...)", which mm/mm_init.c:
 * alloc_large_system_hash() prints.  0 with N and B; -ENOENT when the log
 * no longer holds it (@s->first_seq > 0: the boot records were
 * overwritten); -EBADMSG for another form (in @s->match); else -errno.
 */
int kmsg_boot_hash(const char *table, unsigned long *entries, unsigned long *bytes,
		   struct kmsg_scan *s);

#endif
