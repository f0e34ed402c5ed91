// SPDX-License-Identifier: GPL-2.0
/*
 * The NFQUEUE delay line: see delayline.h.
 *
 * libnetfilter_queue (its nfq_nlmsg_* builders and parser, over libmnl),
 * the maintained NFQUEUE library, because on a kernel without sch_netem
 * (as here) a delay is packets held in user space and released by due
 * time.
 *
 * One thread owns the queue socket, a timerfd armed at the head's due
 * time (CLOCK_MONOTONIC, absolute: no drift and no busy loop) and the
 * ring of held packets.  The socket is made by the caller inside the lab
 * namespace; it is bound to queue @num there for as long as it is open.
 *
 * The queue is configured fail-open and the rule that feeds it says
 * "bypass": if the thread stops, it closes the socket, the kernel unbinds
 * the queue (nfqnl_rcv_nl_event() on NETLINK_URELEASE) and from then on
 * packets pass undelayed (NF_VERDICT_FLAG_QUEUE_BYPASS in nf_queue())
 * instead of vanishing into a queue nobody reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "clock.h"
#include "delayline.h"
#include "netns.h"
#include "worker.h"

/*
 * Metadata only (NFQNL_COPY_META): a queued packet costs some 100 bytes of
 * message, but the socket is charged the skb's truesize, so the receive
 * buffer is sized for a full queue of them.
 */
#define DL_RCVBUF	(8 << 20)
#define DL_RXBUF	(64 << 10)
#define DL_TXBUF	(16 << 10)
/* Messages read per round, so that due verdicts never wait on a flood. */
#define DL_BURST	64
/* One verdict message: nlmsghdr, nfgenmsg, NFQA_VERDICT_HDR; with room. */
#define DL_VERDICT_MAX	64

/* ---- the queue: pure ---- */

int dlq_init(struct dl_queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	if (!cap)
		return -EINVAL;
	q->v = calloc(cap, sizeof(*q->v));
	if (!q->v)
		return -ENOMEM;
	q->cap = cap;
	return 0;
}

void dlq_free(struct dl_queue *q)
{
	free(q->v);
	memset(q, 0, sizeof(*q));
}

static struct dl_pkt *dlq_at(const struct dl_queue *q, size_t i)
{
	return &q->v[(q->head + i) % q->cap];
}

/*
 * Insert after the last packet due at or before @due_ns (an upper bound
 * by bisection), shifting the later ones back.  With one fixed delay
 * every packet is due after the ones before it, so this is an append.
 */
int dlq_push(struct dl_queue *q, uint32_t id, int64_t due_ns)
{
	size_t lo = 0, hi = q->len;

	if (q->len == q->cap)
		return -ENOSPC;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dlq_at(q, mid)->due_ns <= due_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = q->len; i > lo; i--)
		*dlq_at(q, i) = *dlq_at(q, i - 1);
	*dlq_at(q, lo) = (struct dl_pkt){ .due_ns = due_ns, .id = id };
	q->len++;
	return 0;
}

bool dlq_pop_due(struct dl_queue *q, int64_t now_ns, struct dl_pkt *p)
{
	if (!q->len || dlq_at(q, 0)->due_ns > now_ns)
		return false;
	*p = *dlq_at(q, 0);
	q->head = (q->head + 1) % q->cap;
	q->len--;
	return true;
}

void dlq_next_wakeup(const struct dl_queue *q, struct itimerspec *its)
{
	memset(its, 0, sizeof(*its));
	if (q->len)
		dl_ns_timespec(dlq_at(q, 0)->due_ns, &its->it_value);
}

int64_t dl_timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

void dl_ns_timespec(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

int64_t dl_due_ns(const struct timespec *arrival, unsigned int ms)
{
	return dl_timespec_ns(arrival) + (int64_t)ms * NSEC_PER_MSEC;
}

/* ---- the line: a thread on a queue socket ---- */

struct delayline {
	struct mnl_socket *nl;		/* the thread's while it runs; NULL once closed */
	unsigned int portid;
	uint16_t num;
	uint32_t seq;
	int tfd;			/* timerfd: the head is due */
	int ctl;			/* eventfd: delayline_stop() knocks */
	pthread_t thread;
	bool running;

	/* the thread's alone while it runs */
	struct dl_queue q;
	char *rx, *tx;
	size_t txlen;
	unsigned int round_ms;		/* ms, as read at the start of a round */

	pthread_mutex_t lock;		/* guards everything below */
	unsigned int ms;
	bool stopping;
	int err;			/* the first error, sticky */
	char msg[256];
};

static void set_msg(struct delayline *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first error wins: "<what>: <strerror>". */
static void set_msg(struct delayline *d, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	pthread_mutex_lock(&d->lock);
	if (!d->err) {
		d->err = err;
		va_start(ap, fmt);
		n = vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < sizeof(d->msg))
			snprintf(d->msg + n, sizeof(d->msg) - n, ": %s", strerror(-err));
	}
	pthread_mutex_unlock(&d->lock);
}

static bool failed(struct delayline *d)
{
	bool f;

	pthread_mutex_lock(&d->lock);
	f = d->err != 0;
	pthread_mutex_unlock(&d->lock);
	return f;
}

/* Send the verdicts gathered in d->tx: many messages, one sendto(). */
static void flush_verdicts(struct delayline *d)
{
	if (d->txlen && mnl_socket_sendto(d->nl, d->tx, d->txlen) < 0)
		set_msg(d, -errno, "sending verdicts on queue %u", d->num);
	d->txlen = 0;
}

/*
 * No NLM_F_ACK: a refused verdict still comes back as an NLMSG_ERROR
 * (netlink_rcv_skb() acks every error), which drain() counts.
 */
static void add_verdict(struct delayline *d, uint32_t id)
{
	struct nlmsghdr *nlh;

	if (d->txlen + DL_VERDICT_MAX > DL_TXBUF)
		flush_verdicts(d);
	nlh = nfq_nlmsg_put(d->tx + d->txlen, NFQNL_MSG_VERDICT, d->num);
	nlh->nlmsg_seq = ++d->seq;
	nfq_nlmsg_verdict_put(nlh, id, NF_ACCEPT);
	d->txlen += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void release_due(struct delayline *d, int64_t now)
{
	struct dl_pkt p;

	while (dlq_pop_due(&d->q, now, &p))
		add_verdict(d, p.id);
	flush_verdicts(d);
}

/*
 * One queued packet, held until it is due.  The ring cannot be full: the
 * kernel's queue has the same limit and counts every packet we hold until
 * its verdict, so past it the kernel itself passes packets (fail-open).
 * Should it ever be, the packet goes on at once rather than be lost.
 */
static int on_packet(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr[NFQA_MAX + 1] = { NULL };
	struct delayline *d = data;
	struct nfqnl_msg_packet_hdr *ph;
	struct timespec now;
	uint32_t id;

	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	id = ntohl(ph->packet_id);
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (dlq_push(&d->q, id, dl_due_ns(&now, d->round_ms)))
		add_verdict(d, id);
	return MNL_CB_OK;
}

/*
 * Read what the socket holds, up to DL_BURST messages; true if there may
 * be more.  An NLMSG_ERROR is a verdict the kernel refused because the
 * packet is gone (flushed with its device, say): nothing to do about it.
 */
static bool drain(struct delayline *d)
{
	pthread_mutex_lock(&d->lock);
	d->round_ms = d->ms;
	pthread_mutex_unlock(&d->lock);

	for (int i = 0; i < DL_BURST; i++) {
		ssize_t n = mnl_socket_recvfrom(d->nl, d->rx, DL_RXBUF);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return false;
		if (n < 0) {
			set_msg(d, -errno, "reading queue %u", d->num);
			return false;
		}
		mnl_cb_run(d->rx, n, 0, d->portid, on_packet, d);
	}
	return true;
}

static void arm(struct delayline *d)
{
	struct itimerspec its;

	dlq_next_wakeup(&d->q, &its);
	if (timerfd_settime(d->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		set_msg(d, -errno, "timerfd_settime");
}

static void *dl_thread(void *arg)
{
	struct delayline *d = arg;
	struct pollfd pfd[3] = {
		{ .fd = d->ctl, .events = POLLIN },
		{ .fd = mnl_socket_get_fd(d->nl), .events = POLLIN },
		{ .fd = d->tfd, .events = POLLIN },
	};
	uint64_t expirations;
	bool stop = false;
	int err;

	while (!stop && !failed(d)) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno != EINTR)
				set_msg(d, -errno, "poll");
			continue;
		}
		if (pfd[0].revents) {
			stop = worker_knocked(d->ctl, &d->lock, &d->stopping, &err);
			if (err)
				set_msg(d, err, "reading the control eventfd");
		}
		if (pfd[1].revents)
			drain(d);
		if (pfd[2].revents && read(d->tfd, &expirations, sizeof(expirations)) < 0 &&
		    errno != EAGAIN)
			set_msg(d, -errno, "reading the timerfd");
		release_due(d, now_ns());
		arm(d);
	}
	/*
	 * Whatever made us stop, nothing stays held: pass it all now, in
	 * order; then unbind, so that from now on the rule's bypass applies.
	 */
	while (drain(d))
		;
	release_due(d, INT64_MAX);
	mnl_socket_close(d->nl);
	d->nl = NULL;
	return NULL;
}

/* Send one request with NLM_F_ACK and read its answer. */
static int talk(struct delayline *d, struct nlmsghdr *nlh)
{
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++d->seq;
	if (mnl_socket_sendto(d->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(d->nl, d->rx, DL_RXBUF);
	if (n < 0)
		return -errno;
	if (mnl_cb_run(d->rx, n, d->seq, d->portid, NULL, NULL) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

/*
 * Bind the queue, metadata only, as long as our ring, fail-open; and
 * NFQA_CFG_F_GSO, so a GSO packet is held whole rather than segmented
 * first (__nfqnl_enqueue_packet_gso()): we never touch the payload, and
 * netem too delays the GSO skb as one.
 */
static int bind_queue(struct delayline *d)
{
	uint32_t flags = NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO;
	struct nlmsghdr *nlh;

	nlh = nfq_nlmsg_put(d->tx, NFQNL_MSG_CONFIG, d->num);
	nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
	nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_META, 0);
	nfq_nlmsg_cfg_put_qmaxlen(nlh, DL_QUEUE_MAX);
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(flags));
	return talk(d, nlh);
}

/*
 * NETLINK_NO_ENOBUFS: an overrun socket is not an error to report, the
 * kernel has already let the packet through (fail-open).  A receive buffer
 * above rmem_max needs SO_RCVBUFFORCE; without it, SO_RCVBUF's cap will do.
 */
static int open_here(struct delayline *d)
{
	int one = 1, size = DL_RCVBUF, fd;

	d->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!d->nl)
		return -errno;
	fd = mnl_socket_get_fd(d->nl);
	if (mnl_socket_bind(d->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	d->portid = mnl_socket_get_portid(d->nl);
	mnl_socket_setsockopt(d->nl, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

static int dl_alloc(struct delayline **dp, uint16_t num, unsigned int ms)
{
	struct delayline *d;
	int err;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->tfd = d->ctl = -1;
	d->num = num;
	d->ms = ms;
	err = -pthread_mutex_init(&d->lock, NULL);
	if (err) {
		free(d);
		return err;
	}
	*dp = d;
	d->rx = malloc(DL_RXBUF);
	d->tx = malloc(DL_TXBUF);
	if (!d->rx || !d->tx)
		return -ENOMEM;
	return dlq_init(&d->q, DL_QUEUE_MAX);
}

int delayline_start(struct delayline **dp, const struct netns *ns, uint16_t num,
		    unsigned int ms)
{
	struct netns saved = NETNS_INIT;
	struct delayline *d = NULL;
	int err, lerr;

	*dp = NULL;
	err = dl_alloc(&d, num, ms);
	*dp = d;
	if (err)
		goto out;
	d->ctl = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->ctl < 0 || d->tfd < 0) {
		err = -errno;
		goto out;
	}

	/* a netlink socket talks to the namespace it was made in: make it in the lab */
	err = netns_enter(ns, &saved);
	if (err)
		goto out;
	err = open_here(d);
	lerr = netns_leave(&saved);
	if (!err)
		err = lerr;
	if (!err)
		err = bind_queue(d);
	if (err)
		goto out;
	/* configured: only now may recvfrom() come back empty */
	if (fcntl(mnl_socket_get_fd(d->nl), F_SETFL, O_NONBLOCK) < 0) {
		err = -errno;
		goto out;
	}
	err = worker_start(&d->thread, dl_thread, d);
	if (err)
		set_msg(d, err, "pthread_create");
	d->running = !err;
out:
	if (err && d)
		set_msg(d, err, "starting the delay line on queue %u", num);
	return err;
}

void delayline_set(struct delayline *d, unsigned int ms)
{
	pthread_mutex_lock(&d->lock);
	d->ms = ms;
	pthread_mutex_unlock(&d->lock);
}

int delayline_stop(struct delayline *d, char *msg, size_t len)
{
	int err;

	if (!d)
		return 0;
	if (d->running)
		worker_stop(d->thread, &d->lock, &d->stopping, d->ctl);
	/* the thread is gone (or never ran): the socket and the ring are ours */
	err = d->err;
	if (msg && len)
		snprintf(msg, len, "%s", d->msg);
	if (d->nl)
		mnl_socket_close(d->nl);
	if (d->tfd >= 0)
		close(d->tfd);
	if (d->ctl >= 0)
		close(d->ctl);
	dlq_free(&d->q);
	free(d->rx);
	free(d->tx);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return err;
}
