// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>

#include "capture.h"
#include "clock.h"
#include "flowcap.h"
#include "wait.h"

static int flowcap_look(struct capture *cap, const struct tuple *tc, flowcap_fn fn, void *arg)
{
	struct tcp_segment *segs;
	struct flowcap fc = { .tc = *tc };
	int n;

	n = capture_snapshot(cap, FLOWCAP_SYNC_MS, &segs);
	if (n < 0)
		return n;
	fc.segs = segs;
	fc.end = segs + n;
	tuple_reverse(tc, &fc.ts);
	fc.cfin = segment_find(segs, fc.end, &fc.tc, TH_FIN, 0);
	fc.sfin = segment_find(segs, fc.end, &fc.ts, TH_FIN, 0);
	fc.sfin2 = fc.sfin ? segment_find(fc.sfin + 1, fc.end, &fc.ts, TH_FIN, 0) : NULL;
	n = fn(&fc, arg);
	free(segs);
	return n;
}

int flowcap_await(struct capture *cap, const struct tuple *tc, int64_t deadline_ns,
		  flowcap_fn fn, void *arg)
{
	for (;;) {
		int ret = flowcap_look(cap, tc, fn, arg);

		if (ret)
			return ret;
		if (now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		sleep_until_ns(now_ns() + WAIT_POLL_MS * NSEC_PER_MSEC);
	}
}
