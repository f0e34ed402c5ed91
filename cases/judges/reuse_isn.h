/* SPDX-License-Identifier: GPL-2.0 */
/* What reuse_isn measures, and its judge: see cases/reuse_isn.c. */
#ifndef TWLAB_JUDGE_REUSE_ISN_H
#define TWLAB_JUDGE_REUSE_ISN_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"

/* Sequence numbers read from the capture of the lab link. */
struct reuse_isn_fig {
	bool seen;		/* the capture holds the old FIN and the reusing SYN */
	uint32_t old_fin;	/* the old connection's FIN: its snd_nxt is this + 1 */
	uint32_t new_syn;	/* the SYN that took the TIME_WAIT 4-tuple over */
	uint32_t fresh_syn;	/* a SYN from another port, for comparison */
	uint32_t data_bytes;	/* what the old connection sent before its FIN */
};

void reuse_isn_judge(const struct reuse_isn_fig *f, struct tw_result *r);

#endif
