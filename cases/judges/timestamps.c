// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of timestamps (A10): pure, driven by tests/unit/test_judge_timestamps.c.
 *
 * The article: the timestamp option takes 8 bytes in all, TSval and TSecr
 * 4 bytes each.  K14: it is kind 8, length 10 (TS_OPTION_BYTES): a kind
 * byte and a length byte before the two fields.  tcp_options_write()
 * keeps it 4-byte aligned: NOP, NOP, TS (TS_ALIGNED_BYTES, 12) --
 * in a SYN, SACK_PERM takes the two NOPs' place.  With tcp_timestamps=0
 * no segment carries it.
 */
#include "judges/timestamps.h"

TW_SUBCLAIM(sc_length, "A10.option_bytes");
TW_SUBCLAIM(sc_aligned, "A10.aligned_bytes");

#define ARTICLE_BYTES		8
#define TS_OPTION_BYTES	10
#define TS_ALIGNED_BYTES	12

static void judge_bytes(const struct timestamps_fig *f, struct tw_result *r,
			const struct tw_subclaim *sc, const uint8_t *bytes, int n,
			unsigned int kernel_bytes, const char *which)
{
	struct tw_sample s[TIMESTAMPS_NLATER];
	struct tw_verdict *v;
	int with = 0;

	/* each segment's bytes, 0 for none; how many carry the option */
	for (int i = 0; i < n; i++) {
		s[i] = sample_exact(bytes[i]);
		with += bytes[i] > 0;
	}
	if (!n) {
		tw_judge_undecided(r, sc, "the capture holds none of the %s of %d connections",
				   which, TIMESTAMPS_NCONN);
		return;
	}
	if (!f->timestamps && !with) {
		tw_judge_na(r, sc, "tcp_timestamps=0: none of %d %s carries the option", n, which);
		return;
	}
	v = tw_judge(r, sc, win_exact(ARTICLE_BYTES),
		     win_exact(f->timestamps ? kernel_bytes : 0), s, n);
	tw_evidence(v, "tcp_timestamps=%u: %d of %d %s carry it; the kernel writes kind 8, "
		    "length %d: kind, length, TSval (4), TSecr (4)%s", f->timestamps, with, n,
		    which, TS_OPTION_BYTES, kernel_bytes == TS_ALIGNED_BYTES ?
		    ", behind NOP, NOP so that the header stays 4-byte aligned" : "");
}

void timestamps_judge(const struct timestamps_fig *f, struct tw_result *r)
{
	judge_bytes(f, r, &sc_length, f->syn_len, f->nsyn, TS_OPTION_BYTES, "SYNs");
	judge_bytes(f, r, &sc_aligned, f->later_fill, f->nlater, TS_ALIGNED_BYTES,
		    "later segments");
}
