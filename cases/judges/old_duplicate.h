/* SPDX-License-Identifier: GPL-2.0 */
/* What old_duplicate measures, and its judge: see cases/old_duplicate.c. */
#ifndef TWLAB_JUDGE_OLD_DUPLICATE_H
#define TWLAB_JUDGE_OLD_DUPLICATE_H

#include "case.h"

struct old_duplicate_fig {
	unsigned int hz;
	int rfc1337;			/* the instance's tcp_rfc1337 */
	/* (a) the server's data segment again, at the first TIME_WAIT */
	uint32_t snd_nxt, rcv_nxt;	/* that TIME_WAIT's tw_snd_nxt, tw_rcv_nxt */
	uint32_t data_seq, data_tsval, ts_recent;
	int acks;			/* its ACKs of tw_snd_nxt/tw_rcv_nxt after the data */
	uint32_t ack_seq, ack_ack;	/* the first segment the TIME_WAIT sent, if any */
	bool answered;			/* it sent one at all */
	bool paws_want;			/* its TSval older than ts_recent */
	long long paws;			/* PAWSTimewait's rise, -1 unread */
	unsigned int stray;		/* sockets or accept()s the data made */
	/* the closed server's answer to that ACK, and the TIME_WAIT after it */
	bool peer_rst;			/* an RST came */
	uint32_t peer_rst_seq;
	int peer_rst_stays;		/* 1: the TIME_WAIT still there STAY_MS later */
	/* (b) an RST of seq tw_rcv_nxt at the second TIME_WAIT */
	int rst_stays;
	double rst_gone_ms;		/* after the RST showed on the capture, if gone */
	unsigned int stay_ms;
	/*
	 * If it stayed: idiag_expires before and after, and the time between
	 * the two reads, at least @least_ms, at most @most_ms.
	 */
	bool timer_read;
	unsigned int before_ms, after_ms;
	double least_ms, most_ms;
};

void old_duplicate_judge(const struct old_duplicate_fig *f, struct tw_result *r);

#endif
