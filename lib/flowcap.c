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

	n = capture_snapshot(cap, CAPTURE_SYNC_MS, &segs);
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

static int want_match(const struct flowcap *fc, void *arg)
{
	struct flowcap_want *m = arg;
	const struct tuple *t = m->server ? &fc->ts : &fc->tc;
	int n = fc->end - fc->segs;
	const struct tcp_segment *s;

	m->n = 0;
	for (s = segment_find(fc->segs + (m->from < n ? m->from : n), fc->end, t, m->flags, m->not);
	     s; s = segment_find(s + 1, fc->end, t, m->flags, m->not)) {
		if ((m->seq_is && s->seq != m->seq) || (m->ack_is && s->ack != m->ack))
			continue;
		if (!m->n++) {
			m->seg = *s;
			m->idx = s - fc->segs;
		}
	}
	return m->n > 0;
}

int flowcap_find(struct capture *cap, const struct tuple *tc, int64_t deadline_ns,
		 struct flowcap_want *want)
{
	int err = flowcap_await(cap, tc, deadline_ns, want_match, want);

	return err < 0 ? err : want->idx;
}
