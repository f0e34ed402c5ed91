/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One captured frame, parsed down to its TCP header and options.
 *
 * The parser trusts nothing in the frame: every read is checked against
 * the captured length, and every length field against what encloses it.
 * The payload need not have been captured (a short snaplen): its length
 * comes from the IP header, but the IP and TCP headers, options included,
 * must all be there.
 */
#ifndef TWLAB_SEGMENT_H
#define TWLAB_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pcap/dlt.h>		/* DLT_EN10MB, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL */

#include "inet.h"

/* The pcap file header's number for DLT_RAW (pcap-linktype(7)); accepted too. */
#define LINKTYPE_RAW		101

/* th->flags beyond TH_FIN ... TH_URG of <netinet/tcp.h> (RFC 3168) */
#ifndef TH_ECE
#define TH_ECE			0x40
#endif
#ifndef TH_CWR
#define TH_CWR			0x80
#endif

struct tcp_segment {
	int64_t ts_us;		/* capture timestamp (pcap header), microseconds;
				 * left 0 by segment_parse(), set by its caller */
	struct tuple t;		/* t.src = sender, t.dst = receiver */
	uint32_t seq, ack;
	uint8_t flags;		/* TH_FIN TH_SYN TH_RST TH_PUSH TH_ACK TH_URG TH_ECE TH_CWR */
	uint16_t window;	/* as on the wire: not scaled */
	uint32_t payload_len;	/* from the IP length fields, captured or not */
	uint8_t opt_len;	/* bytes of options: 4 * doff - 20 */
	bool has_mss, has_wscale, has_sack_perm, has_ts;
	uint16_t mss;
	uint8_t wscale;
	uint8_t sack_blocks;	/* SACK option (kind 5): number of blocks, 0 if none */
	uint8_t ts_kind, ts_len;	/* as on the wire: 8 and 10 (RFC 7323) */
	uint32_t tsval, tsecr;
	int ts_offset;		/* of the TS option within the options, -1 if none:
				 * 2 for NOP,NOP,TS first (RFC 7323 appendix A) */
};

/*
 * Parse the frame @frame of @caplen captured bytes, of link type @linktype
 * (DLT_EN10MB with at most one 802.1Q tag, DLT_RAW or LINKTYPE_RAW,
 * DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL).
 *
 * Return 0 for a TCP segment, -ENOENT for a well-formed frame that carries
 * no TCP header (ARP, ICMPv6, UDP, a non-first IP fragment, a link type
 * or EtherType this parser does not know), -EINVAL for a malformed or
 * truncated one.  @s is overwritten in every case, but holds a segment
 * only on 0.
 */
int segment_parse(const uint8_t *frame, size_t caplen, int linktype, struct tcp_segment *s);

/*
 * Parse @len bytes of TCP options into the option fields of @s (opt_len,
 * has_*, mss, wscale, sack_blocks, ts_*), resetting them first.
 * Return 0, or -EINVAL for more than 40 bytes, an option length of 0 or 1,
 * or an option that runs past @len.
 */
int tcp_options_parse(const uint8_t *opt, size_t len, struct tcp_segment *s);

/*
 * The first segment in [@from, @end) sent on @t (the sender's view) with
 * all of @flags and none of @not; NULL if none, or if @from is NULL (so
 * that one search can start where another found nothing).
 */
const struct tcp_segment *segment_find(const struct tcp_segment *from,
				       const struct tcp_segment *end, const struct tuple *t,
				       uint8_t flags, uint8_t not);

/*
 * Small questions asked of captured segments by the cases that read
 * their capture: where a segment's sequence space ends, how far apart
 * two segments were, and when one was seen on our own clock.
 */
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

/*
 * Of @n connections, @t[i] each (the sender's view): the SYN (no ACK) that
 * opened each in [@from, @end), in @syn[i], NULL where there is none.
 * Return how many were found.
 */
int segment_syns(const struct tcp_segment *from, const struct tcp_segment *end,
		 const struct tuple *t, int n, const struct tcp_segment **syn);
/* Whether @s was sent on one of the @n 4-tuples @t (the sender's view). */
bool segment_on_any(const struct tcp_segment *s, const struct tuple *t, int n);

#endif
