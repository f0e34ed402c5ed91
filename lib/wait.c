// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "clock.h"
#include "rtprio.h"
#include "sockview.h"
#include "wait.h"

struct poll_ctx {
	struct watch *w;
	int n;
	bool *present;
	int64_t next_ns;	/* when the soonest present timer is due */
	int64_t now;
};

static int note_present(const struct sv_sock *s, void *arg)
{
	struct poll_ctx *ctx = arg;

	for (int i = 0; i < ctx->n; i++) {
		struct watch *w = &ctx->w[i];
		int64_t due;

		if (w->gone_ns || !(w->states & TCPF(s->state)) || !tuple_eq(&s->t, &w->t))
			continue;
		ctx->present[i] = true;
		/*
		 * Only a TIME_WAIT timer (3) or an orphan's FIN_WAIT2 timer
		 * (keepalive, 2) ends the state by itself; a retransmit timer
		 * (LAST_ACK, FIN_WAIT1) is usually beaten by the peer's ACK.
		 */
		due = s->timer == 3 || s->timer == 2 ?
		      ctx->now + (int64_t)s->expires_ms * NSEC_PER_MSEC : ctx->now;
		if (due < ctx->next_ns)
			ctx->next_ns = due;
	}
	return 0;
}

/*
 * A dump is a snapshot of the hash taken at one instant somewhere between
 * the two clock readings around it (inet_diag walks each ehash chain
 * under its bucket lock), and the poller can lose its CPU anywhere in
 * between: before the walk, or after it and before recvmsg().  So a
 * socket a dump saw was there after @start, and one it missed was gone
 * by @end; never "gone by @start", which precedes the end by however long
 * the poller waited for a CPU.
 */
void watch_note(struct watch *w, bool present, int64_t start, int64_t end)
{
	if (w->gone_ns)
		return;
	if (!present)
		w->gone_ns = end;
	else if (start > w->seen_ns)
		w->seen_ns = start;
}

/*
 * When to poll next, after a poll at @now whose soonest timer is due at
 * @due: WAIT_LEAD_MS before it, or twice the worst lateness seen so far
 * if that is more -- a machine that wakes us late (a loaded host, a guest
 * under TCG) would otherwise sleep past the expiry and leave a lifetime
 * bracketed by the previous poll.  Never sleep more than WAIT_NAP_MS at
 * once, so that the lateness is measured before the approach.
 */
int64_t wait_wake_ns(int64_t now, int64_t due, int64_t late, int64_t deadline)
{
	int64_t lead = WAIT_LEAD_MS * NSEC_PER_MSEC, wake;

	if (2 * late > lead)
		lead = 2 * late;
	wake = due - lead;
	if (wake > now + WAIT_NAP_MS * NSEC_PER_MSEC)
		wake = now + WAIT_NAP_MS * NSEC_PER_MSEC;
	if (wake < now + WAIT_FINE_US * 1000)
		wake = now + WAIT_FINE_US * 1000;
	return wake < deadline ? wake : deadline;
}

int wait_gone(struct sockview *sv, struct watch *w, int n, int64_t deadline_ns)
{
	struct poll_ctx ctx = { .w = w, .n = n };
	struct rt_saved rt;
	uint32_t states = 0;
	int64_t late = 0;
	int err = 0, left;

	if (n <= 0)
		return 0;
	ctx.present = calloc(n, sizeof(*ctx.present));
	if (!ctx.present)
		return -ENOMEM;
	rt_begin(&rt);
	for (int i = 0; i < n; i++)
		states |= w[i].states;

	for (;;) {
		int64_t wake, done;

		ctx.now = now_ns();
		ctx.next_ns = INT64_MAX;
		for (int i = 0; i < n; i++)
			ctx.present[i] = false;
		err = sockview_dump(sv, w[0].t.src.family, states, note_present, &ctx);
		if (err)
			break;
		done = now_ns();
		left = 0;
		for (int i = 0; i < n; i++) {
			watch_note(&w[i], ctx.present[i], ctx.now, done);
			left += !w[i].gone_ns;
		}
		if (!left)
			break;
		if (ctx.now >= deadline_ns) {
			err = -ETIMEDOUT;
			break;
		}
		wake = wait_wake_ns(ctx.now, ctx.next_ns, late, deadline_ns);
		sleep_until_ns(wake);
		if (now_ns() - wake > late)
			late = now_ns() - wake;
	}
	rt_end(&rt);
	free(ctx.present);
	return err;
}

int wait_state(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns)
{
	for (;;) {
		int err = sockview_find(sv, t, states, NULL);

		if (err != -ENOENT)
			return err;
		if (now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		sleep_until_ns(now_ns() + WAIT_POLL_MS * NSEC_PER_MSEC);
	}
}

int wait_state_at(struct sockview *sv, const struct tuple *t, uint32_t states,
		  int64_t deadline_ns, int64_t *before_ns, int64_t *seen_ns)
{
	struct rt_saved rt;
	int err;

	*before_ns = 0;
	rt_begin(&rt);
	for (;;) {
		int64_t start = now_ns(), now;

		err = sockview_find(sv, t, states, NULL);
		/* a find that sees it ends after the change; one that misses began before it */
		now = now_ns();
		if (err != -ENOENT) {
			*seen_ns = now;
			break;
		}
		*before_ns = start;
		if (now >= deadline_ns) {
			err = -ETIMEDOUT;
			break;
		}
		sleep_until_ns(now + WAIT_FINE_US * 1000);
	}
	rt_end(&rt);
	return err;
}
