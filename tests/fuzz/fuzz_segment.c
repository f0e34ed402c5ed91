// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for segment_parse() and tcp_options_parse().
 *
 * Input: one byte that picks the link type (linktypes.h), then the frame.
 * The frame is passed in place: libFuzzer's buffer ends exactly where the
 * input does, so ASan turns any read past caplen into a crash.  The
 * options parser gets the last (up to) 40 bytes, for the same reason.
 * A parse that succeeds must also leave a segment that makes sense.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "linktypes.h"
#include "segment.h"

#define TCP_MAX_OPTLEN	40

static void check_options(const struct tcp_segment *s)
{
	if (s->opt_len > TCP_MAX_OPTLEN)
		abort();
	if (s->has_ts && (s->ts_kind != 8 || s->ts_len != 10))
		abort();
	if (s->ts_offset >= 0 && s->ts_offset + s->ts_len > s->opt_len)
		abort();
	if (s->ts_offset < 0 && (s->has_ts || s->ts_kind || s->ts_len))
		abort();
	if (s->sack_blocks > (TCP_MAX_OPTLEN - 2) / 8)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcp_segment s;
	size_t olen;
	int ret;

	if (!size)
		return 0;
	ret = segment_parse(data + 1, size - 1, fuzz_linktypes[data[0] % FUZZ_NLINK], &s);
	if (ret && ret != -ENOENT && ret != -EINVAL)
		abort();
	if (!ret) {
		if (s.t.src.family != s.t.dst.family ||
		    (s.t.src.family != AF_INET && s.t.src.family != AF_INET6))
			abort();
		/* an IP length field holds 65535 at most; a length of 0 means the frame's */
		if (s.payload_len > 65535 && s.payload_len > size)
			abort();
		check_options(&s);
	}

	olen = size - 1 < TCP_MAX_OPTLEN ? size - 1 : TCP_MAX_OPTLEN;
	ret = tcp_options_parse(data + size - olen, olen, &s);
	if (ret && ret != -EINVAL)
		abort();
	if (!ret && s.opt_len != olen)
		abort();
	if (!ret)
		check_options(&s);
	return 0;
}
