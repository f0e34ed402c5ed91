/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A one-way delay in user space, on NFQUEUE: what netem's delay does,
 * for a kernel without sch_netem.
 *
 * An nftables rule in the lab namespace queues each egress packet to
 * queue @num; a thread of ours receives it (metadata only, never the
 * payload), notes when it arrived, and gives the kernel its NF_ACCEPT
 * verdict @ms later.  Until then the kernel holds the packet
 * (net/netfilter/nfnetlink_queue.c keeps it on the instance's list), so
 * nothing is copied and nothing is re-sent: the packet goes on exactly as
 * it would have, only later.
 *
 * The pure part is the queue of held packets, ordered by due time (a
 * FIFO among equal due times, as netem's tfifo), and the arithmetic of
 * due times and wake-ups; it is unit-tested on its own.
 */
#ifndef TWLAB_DELAYLINE_H
#define TWLAB_DELAYLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/timerfd.h>

struct netns;

/*
 * The most packets held at once: the kernel's queue is given the same
 * limit (NFQA_CFG_QUEUE_MAXLEN), so the line can never be handed more,
 * and past it the kernel lets packets through undelayed (fail-open)
 * rather than drop them.
 */
#define DL_QUEUE_MAX	8192

struct dl_pkt {
	int64_t due_ns;		/* CLOCK_MONOTONIC */
	uint32_t id;		/* the kernel's packet id, for the verdict */
};

/* A ring of held packets, sorted by due time from head on. */
struct dl_queue {
	struct dl_pkt *v;
	size_t cap, head, len;
};

int dlq_init(struct dl_queue *q, size_t cap);
void dlq_free(struct dl_queue *q);
/* -ENOSPC when full; behind every packet due at or before @due_ns. */
int dlq_push(struct dl_queue *q, uint32_t id, int64_t due_ns);
/* Take the head into *@p if it is due at @now_ns; false otherwise. */
bool dlq_pop_due(struct dl_queue *q, int64_t now_ns, struct dl_pkt *p);
/* The absolute expiry to arm a timerfd with; all zero (disarm) when empty. */
void dlq_next_wakeup(const struct dl_queue *q, struct itimerspec *its);

int64_t dl_timespec_ns(const struct timespec *ts);
void dl_ns_timespec(int64_t ns, struct timespec *ts);
/* When a packet that arrived at @arrival is due after @ms of delay. */
int64_t dl_due_ns(const struct timespec *arrival, unsigned int ms);

struct delayline;

/*
 * Bind queue @num in @ns (the socket is made there, by the calling
 * thread) and start the thread that holds each packet for @ms.  On
 * failure the caller still calls delayline_stop() on *@dp (NULL if even
 * the allocation failed), which says why.
 */
int delayline_start(struct delayline **dp, const struct netns *ns, uint16_t num,
		    unsigned int ms);
/* Packets that arrive from now on are held @ms. */
void delayline_set(struct delayline *d, unsigned int ms);
/*
 * Hand back every held packet at once, stop the thread, unbind, free.
 * Returns the first error the line met (its text in @msg), or 0.  Safe
 * with NULL.
 */
int delayline_stop(struct delayline *d, char *msg, size_t len);

#endif
