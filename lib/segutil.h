/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small questions asked of captured segments (lib/segment.h) by the cases
 * that read their capture: where a segment's sequence space ends, how far
 * apart two segments were, and when one was seen on our own clock.
 */
#ifndef TWLAB_SEGUTIL_H
#define TWLAB_SEGUTIL_H

#include <stdint.h>

#include "segment.h"

/* The sequence number just past @s: seq + payload + 1 for a SYN + 1 for a FIN. */
uint32_t seg_end_seq(const struct tcp_segment *s);
/* Milliseconds from @a to @b, by their capture timestamps. */
double seg_gap_ms(const struct tcp_segment *a, const struct tcp_segment *b);
/*
 * When @s was captured, on CLOCK_MONOTONIC (now_ns()).  Capture timestamps
 * are CLOCK_REALTIME (pcap headers); the two clocks are compared at the
 * call, so a clock step in between would show.
 */
int64_t seg_mono_ns(const struct tcp_segment *s);
/* How many segments in [@from, @end) segment_find() would match. */
int segment_count(const struct tcp_segment *from, const struct tcp_segment *end,
		  const struct tuple *t, uint8_t flags, uint8_t not);

#endif
