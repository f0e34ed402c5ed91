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
	uint32_t *left_ms;	/* idiag_expires of a timer that ends the state, else 0 */
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
		ctx->left_ms[i] = s->timer == 3 || s->timer == 2 ? s->expires_ms : 0;
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
 * Where a poll of [@start, @end] that saw @left_ms on the socket's own
 * timer puts its expiry on our clock.  Two such estimates drift apart
 * only if the kernel's clock (jiffies, against which idiag_expires counts
 * down) fell behind CLOCK_MONOTONIC in between: lost ticks of a guest
 * whose vCPU was not run.  A timer already due (0 left) says nothing of
 * that, and is not counted: firing late after its expiry is the timer's
 * own doing.
 */
void watch_note_due(struct watch *w, int64_t start, int64_t end, uint32_t left_ms)
{
	int64_t due = start + (end - start) / 2 + (int64_t)left_ms * NSEC_PER_MSEC;

	if (!left_ms)
		return;
	if (!w->due_first_ns) {
		w->due_first_ns = due;
		w->due_err_ns = (end - start) / 2;
	}
	w->due_last_ns = due;
	w->due_last_err_ns = (end - start) / 2;
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

/*
 * A dump walks the whole established hash its namespace uses -- on most
 * kernels the machine's, 262144 buckets here, ~1 ms a dump whatever the
 * lab holds -- and the poller runs SCHED_FIFO (rtprio.h): polling every
 * WAIT_FINE_US regardless would have a few pollers fill both CPUs, and
 * then starve each other for seconds.  So a poller rests WAIT_DUTY times
 * as long as its last dump took: what it can know shrinks to that, and is
 * measured, never assumed.
 */
int64_t wait_paced_ns(int64_t wake, int64_t start, int64_t done, int64_t deadline)
{
	int64_t rest = WAIT_DUTY * (done - start);

	if (rest < WAIT_FINE_US * 1000)
		rest = WAIT_FINE_US * 1000;
	if (wake < done + rest)
		wake = done + rest;
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
	ctx.left_ms = calloc(n, sizeof(*ctx.left_ms));
	if (!ctx.present || !ctx.left_ms) {
		free(ctx.present);
		free(ctx.left_ms);
		return -ENOMEM;
	}
	rt_begin(&rt);
	for (int i = 0; i < n; i++)
		states |= w[i].states;

	for (;;) {
		int64_t wake, done;

		ctx.now = now_ns();
		ctx.next_ns = INT64_MAX;
		for (int i = 0; i < n; i++) {
			ctx.present[i] = false;
			ctx.left_ms[i] = 0;
		}
		err = sockview_dump(sv, w[0].t.src.family, states, note_present, &ctx);
		if (err)
			break;
		done = now_ns();
		left = 0;
		for (int i = 0; i < n; i++) {
			watch_note(&w[i], ctx.present[i], ctx.now, done);
			if (ctx.present[i])
				watch_note_due(&w[i], ctx.now, done, ctx.left_ms[i]);
			left += !w[i].gone_ns;
		}
		if (!left)
			break;
		if (ctx.now >= deadline_ns) {
			err = -ETIMEDOUT;
			break;
		}
		wake = wait_wake_ns(ctx.now, ctx.next_ns, late, deadline_ns);
		sleep_until_ns(wait_paced_ns(wake, ctx.now, done, deadline_ns));
		if (now_ns() - wake > late)
			late = now_ns() - wake;
	}
	rt_end(&rt);
	free(ctx.present);
	free(ctx.left_ms);
	return err;
}

int64_t watch_lag_ns(const struct watch *w, int64_t *err_ns)
{
	*err_ns = w->due_err_ns + w->due_last_err_ns;
	return w->due_first_ns ? w->due_last_ns - w->due_first_ns : 0;
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
		sleep_until_ns(wait_paced_ns(now, start, now, deadline_ns));
	}
	rt_end(&rt);
	return err;
}

int wait_stays(struct sockview *sv, const struct tuple *t, uint32_t states,
	       int64_t deadline_ns, int64_t *gone_ns)
{
	struct watch w = { .t = *t, .states = states };
	int err = wait_gone(sv, &w, 1, deadline_ns);

	if (err)
		return err == -ETIMEDOUT ? 1 : err;
	if (gone_ns)
		*gone_ns = w.gone_ns;
	return 0;
}
