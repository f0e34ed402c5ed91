/* SPDX-License-Identifier: GPL-2.0 */
/* What last_ack_syn measures, and its judge: see cases/last_ack_syn.c. */
#ifndef TWLAB_JUDGE_LAST_ACK_SYN_H
#define TWLAB_JUDGE_LAST_ACK_SYN_H

#include "case.h"
#include "kernel.h"

/* What the LAST_ACK peer answered the new SYN with, as the capture shows it. */
enum las_answer {
	LAS_NONE,		/* the SYN is on the capture, no answer after it */
	LAS_RST,		/* the article's */
	LAS_CHALLENGE,		/* a bare ACK of the old sequence space (K18) */
	LAS_OTHER,		/* anything else: a SYN-ACK, an ACK of another number */
	LAS_MISS,		/* the capture lacks the SYN itself: nothing to tell */
};

struct last_ack_syn_fig {
	unsigned int hz;
	unsigned int version;		/* KV() of the kernel */
	bool late;			/* the server's FIN went again before the SYN: no LAST_ACK met */
	unsigned int server_rto_min_ms;	/* the route's rto_min that stretched LAST_ACK, 0 none */
	enum las_answer answer;
	uint8_t answer_flags;
	uint32_t answer_ack, old_rcv_nxt;	/* its ack; the client FIN's end */
	int client_rsts;		/* client RSTs of seq = the answer's ack, before any new SYN */
	bool last_ack_left;		/* the server's LAST_ACK still there afterwards */
	int connect_err;		/* connect(): 0 or -errno */
	double connect_ms;		/* its wall time */
	/* the capture, ms from the answer's arrival */
	bool syn2_seen;
	double syn2_ms;			/* the SYN again */
	double rst_ms;			/* the client's RST (the timer is re-armed before it) */
	double up_ms;			/* first SYN to the handshake's ACK, NAN if none */
	long long syn_challenge, challenge_ack;	/* server counters' rise, -1 unread */
};

void last_ack_syn_judge(const struct last_ack_syn_fig *f, struct tw_result *r);

#endif
