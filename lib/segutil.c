// SPDX-License-Identifier: GPL-2.0
#include <time.h>
#include <netinet/tcp.h>

#include "clock.h"
#include "segutil.h"

uint32_t seg_end_seq(const struct tcp_segment *s)
{
	return s->seq + s->payload_len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);
}

double seg_gap_ms(const struct tcp_segment *a, const struct tcp_segment *b)
{
	return (double)(b->ts_us - a->ts_us) / 1000.0;
}

int64_t seg_mono_ns(const struct tcp_segment *s)
{
	struct timespec rt;
	int64_t mono = now_ns();

	clock_gettime(CLOCK_REALTIME, &rt);
	return s->ts_us * 1000 - (rt.tv_sec * NSEC_PER_SEC + rt.tv_nsec - mono);
}

int segment_count(const struct tcp_segment *from, const struct tcp_segment *end,
		  const struct tuple *t, uint8_t flags, uint8_t not)
{
	int n = 0;

	for (const struct tcp_segment *s = segment_find(from, end, t, flags, not); s;
	     s = segment_find(s + 1, end, t, flags, not))
		n++;
	return n;
}
