/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One connection as the capture saw it: a snapshot of the capture's
 * segments (capture_snapshot()) read for one 4-tuple, both ways, with
 * the FINs that closed it found; taken again and again until what a case
 * waits for is in it, or a deadline.
 */
#ifndef TWLAB_FLOWCAP_H
#define TWLAB_FLOWCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "segment.h"

struct capture;

struct flowcap {
	const struct tcp_segment *segs, *end;	/* the snapshot, in capture order */
	struct tuple tc, ts;			/* sent by the client, by the server */
	/* the first FIN each way, and the server's next FIN (sent again); NULL if none */
	const struct tcp_segment *cfin, *sfin, *sfin2;
};

/*
 * What a case looks for in one snapshot of @fc: a positive value once it
 * is there (flowcap_await() returns it), 0 while not yet, or -errno.
 */
typedef int (*flowcap_fn)(const struct flowcap *fc, void *arg);

/*
 * Snapshot @cap, for the 4-tuple @tc (the client's view), until @fn finds
 * what it looks for, -ETIMEDOUT at @deadline_ns (0: one look), or -errno.
 * Polls every WAIT_POLL_MS; no segment outlives the call.
 */
int flowcap_await(struct capture *cap, const struct tuple *tc, int64_t deadline_ns,
		  flowcap_fn fn, void *arg);

/* A segment of one way of the 4-tuple, for flowcap_find(). */
struct flowcap_want {
	int from;			/* at this index of the capture or later */
	bool server;			/* sent by the server, else by the client */
	uint8_t flags, not;		/* all of @flags, none of @not */
	bool seq_is, ack_is;		/* and, if set, of this @seq, this @ack */
	uint32_t seq, ack;
	/* found: the first, its index, and how many matched in its snapshot */
	struct tcp_segment seg;
	int idx, n;
};

/* flowcap_await() until @want is there: its index, -ETIMEDOUT at @deadline_ns, or -errno. */
int flowcap_find(struct capture *cap, const struct tuple *tc, int64_t deadline_ns,
		 struct flowcap_want *want);

#endif
