// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of reuse_isn (A12): pure, driven by tests/unit/test_judge_reuse_isn.c.
 *
 * tcp_twsk_unique() (net/ipv4/tcp_ipv4.c) sets the reusing socket's
 * write_seq to tw_snd_nxt + 65535 + 2, and to 1 where that wraps to 0
 * (K05, K06): the figure is the new SYN's distance past the old snd_nxt,
 * modulo 2^32.
 */
#include "judges/reuse_isn.h"

#define ARTICLE_STEP	(65535 + 2)

TW_SUBCLAIM(sc_isn, "A12.reuse_isn");

void reuse_isn_judge(const struct reuse_isn_fig *f, struct tw_result *r)
{
	uint32_t snd_nxt = f->old_fin + 1, want = snd_nxt + ARTICLE_STEP;

	if (!f->seen) {
		tw_judge_undecided(r, &sc_isn, "the capture lacks the old FIN or the new SYN");
		return;
	}
	tw_judge_exact(r, &sc_isn, win_exact(ARTICLE_STEP),
		       /* write_seq 0 means "draw one": the kernel takes 1 */
		       win_exact((uint32_t)((want ?: 1) - snd_nxt)), (uint32_t)(f->new_syn - snd_nxt),
		       "old snd_nxt %u (its FIN %u + 1, after %u bytes): the new SYN %u is "
		       "snd_nxt + %u, where a fresh SYN from secure_tcp_seq() started at %u",
		       snd_nxt, f->old_fin, f->data_bytes, f->new_syn,
		       (uint32_t)(f->new_syn - snd_nxt), f->fresh_syn);
}
