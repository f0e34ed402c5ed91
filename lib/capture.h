/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet capture on a lab interface, with libpcap.
 *
 * The packet socket is opened from inside the lab namespace, since it
 * belongs to the namespace it was made in for the rest of its life.  A
 * thread reads it, writes every frame to a pcap file that tcpdump and
 * Wireshark read, and keeps the TCP segments, parsed, in memory.
 */
#ifndef TWLAB_CAPTURE_H
#define TWLAB_CAPTURE_H

#include "netns.h"
#include "segment.h"

struct capture;

/*
 * In immediate mode libpcap's ring has one slot per frame, of about the
 * snaplen: 65535 would leave a 4 MiB ring some 60 slots, and a burst of
 * closes overruns it.  Headers are what these experiments read, so 512
 * bytes (every header and the first bytes of payload) in 8 MiB holds
 * some 14,000 frames.
 */
#define CAPTURE_SNAPLEN		512
#define CAPTURE_BUFFER_BYTES	(8 << 20)

/*
 * Capture on @ifname in @ns, and write every frame to @pcap_path unless it
 * is NULL.  Frames the interface sees once this returns 0 are captured.
 * On failure *@cp is NULL if even the allocation failed; otherwise it
 * holds the capture so capture_error() can say why, and the caller still
 * calls capture_stop(), as with lab_pair_up() and lab_down().
 */
int capture_start(struct capture **cp, const struct netns *ns, const char *ifname,
		  const char *pcap_path);
/*
 * Return once every frame the kernel had queued for the capture before
 * the call is parsed and written (and the file flushed), -ETIMEDOUT after
 * @timeout_ms, or the error that stopped the capture.
 */
int capture_sync(struct capture *c, int timeout_ms);
/*
 * Copy up to @max of the TCP segments parsed so far, in capture order,
 * to @out.  Return how many there are in all, which may be more than @max.
 */
int capture_segments(struct capture *c, struct tcp_segment *out, int max);
/*
 * capture_sync(), then all the TCP segments parsed so far, in capture
 * order, in *@segs (allocated; the caller frees it).  Return how many, or
 * -errno (*@segs is then NULL): -ENODEV for no capture (@c NULL, as in a
 * fixture run without a pcap).
 */
int capture_snapshot(struct capture *c, int timeout_ms, struct tcp_segment **segs);
/*
 * Stop, read what is left, flush and close the file, free everything.
 * *@npackets (unless NULL) is the number of frames written to the file.
 * Safe with @c == NULL.  Return 0 or the first error the capture met.
 */
int capture_stop(struct capture *c, unsigned int *npackets);
/* What went wrong last, in libpcap's words where it was libpcap; "" if nothing. */
const char *capture_error(const struct capture *c);

/* A bound on capture_sync(): the capture catching up with the kernel's queue. */
#define CAPTURE_SYNC_MS		2000

#endif
