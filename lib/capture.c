// SPDX-License-Identifier: GPL-2.0
/*
 * libpcap on a lab interface, read by a thread of its own.
 *
 * libpcap because it sets up the AF_PACKET ring and writes the pcap files
 * that tcpdump and Wireshark open; the few header fields we need are
 * parsed by lib/segment.c, within the captured length.
 *
 * The handle is made in immediate mode: libpcap then uses a TPACKET_V2
 * ring, where the kernel hands each frame over as soon as it is written
 * (tpacket_rcv(), net/packet/af_packet.c), rather than TPACKET_V3 blocks
 * that are only retired on a timeout.  A frame queued in the ring is then
 * visible to the next pcap_dispatch(), and "drain until pcap_dispatch()
 * returns 0" reads everything the kernel had queued.
 *
 * Only the thread touches the pcap handle and the dumper while it runs;
 * the mutex guards what the caller reads: segments, counters, requests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"
#include "clock.h"
#include "worker.h"

#define SEGS_MIN	64

struct capture {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int linktype;
	int ctl;			/* eventfd: capture_sync() and capture_stop() knock */
	pthread_t thread;
	bool running;

	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t cond;		/* the thread answered a request, or exited */
	uint64_t sync_asked, sync_done;
	bool stopping, exited;
	int err;			/* the first error met after start, sticky */
	unsigned int nframes;		/* frames read (and written to the file) */
	unsigned int ndrop;		/* frames the kernel dropped (pcap_stats) */
	struct tcp_segment *seg;
	size_t nseg, segcap;
	char msg[PCAP_ERRBUF_SIZE];
};

/* Record the first error after start; the caller holds c->lock. */
static void fail_locked(struct capture *c, int err)
{
	if (!c->err)
		c->err = err;
}

/*
 * libpcap's status codes as -errno.  The text is pcap_geterr()'s, which
 * names the cause better than any errno can (pcap_activate(3PCAP)).
 */
static int pcap_status_errno(struct capture *c, int status, const char *what)
{
	const char *text = pcap_geterr(c->pcap);

	if (!text || !*text)
		text = pcap_statustostr(status);
	snprintf(c->msg, sizeof(c->msg), "%s: %s", what, text);
	switch (status) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return -ENODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return -EPERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		return -ENETDOWN;
	case PCAP_ERROR_ACTIVATED:
		return -EBUSY;
	case PCAP_ERROR_RFMON_NOTSUP:
	case PCAP_ERROR_TSTAMP_PRECISION_NOTSUP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/*
 * Every frame goes to the file; only TCP segments are kept in memory.  A
 * malformed frame (-EINVAL) is left to whoever reads the file: it says
 * nothing about the TCP a case measures.
 */
static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)user;
	struct tcp_segment s;
	int err;

	if (c->dumper)
		pcap_dump((u_char *)c->dumper, h, bytes);
	err = segment_parse(bytes, h->caplen, c->linktype, &s);
	s.ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;

	pthread_mutex_lock(&c->lock);
	c->nframes++;
	if (!err && c->nseg == c->segcap) {
		size_t n = c->segcap ? 2 * c->segcap : SEGS_MIN;
		struct tcp_segment *seg = realloc(c->seg, n * sizeof(*seg));

		if (seg) {
			c->seg = seg;
			c->segcap = n;
		} else if (!c->err) {
			c->err = -ENOMEM;
			snprintf(c->msg, sizeof(c->msg), "out of memory after %zu segments",
				 c->nseg);
		}
	}
	if (!err && c->nseg < c->segcap)
		c->seg[c->nseg++] = s;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Read every frame the ring holds.  A capture that lost frames would
 * tell a case a wrong story, so a drop the kernel counted (tp_drops, in
 * pcap_stats()) is an error too.
 */
static int drain(struct capture *c)
{
	struct pcap_stat st;
	int n;

	do
		n = pcap_dispatch(c->pcap, -1, on_frame, (u_char *)c);
	while (n > 0);
	pthread_mutex_lock(&c->lock);
	if (n < 0 && !c->err)
		c->err = pcap_status_errno(c, n, "pcap_dispatch");
	if (!n && !pcap_stats(c->pcap, &st) && st.ps_drop != c->ndrop) {
		c->ndrop = st.ps_drop;
		if (!c->err) {
			c->err = -ENOBUFS;
			snprintf(c->msg, sizeof(c->msg), "the kernel dropped %u frame(s): "
				 "the capture is incomplete", c->ndrop);
		}
	}
	pthread_mutex_unlock(&c->lock);
	return n < 0 ? -EIO : 0;
}

/* Answer capture_sync() and capture_stop(); true when it is time to stop. */
static bool serve_requests(struct capture *c, bool pcap_ok)
{
	uint64_t asked;
	int err;
	bool stop = worker_knocked(c->ctl, &c->lock, &c->stopping, &err);

	pthread_mutex_lock(&c->lock);
	if (err) {
		fail_locked(c, err);
		snprintf(c->msg, sizeof(c->msg), "reading the control eventfd: %s", strerror(-err));
		stop = c->stopping = true;
	}
	asked = c->sync_asked;
	pthread_mutex_unlock(&c->lock);

	/* asked was read after the knock: the frames it waits for are in the ring */
	if (pcap_ok)
		drain(c);
	if (c->dumper && pcap_dump_flush(c->dumper) < 0) {
		err = -errno;
		pthread_mutex_lock(&c->lock);
		fail_locked(c, err ? err : -EIO);
		snprintf(c->msg, sizeof(c->msg), "writing the pcap file: %s",
			 strerror(err ? -err : EIO));
		pthread_mutex_unlock(&c->lock);
	}

	pthread_mutex_lock(&c->lock);
	c->sync_done = asked;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return stop;
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	struct pollfd pfd[2] = {
		{ .fd = c->ctl, .events = POLLIN },
		{ .fd = pcap_get_selectable_fd(c->pcap), .events = POLLIN },
	};
	bool stop = false;

	while (!stop) {
		if (poll(pfd, 2, -1) < 0) {
			int err = -errno;

			if (err == -EINTR)
				continue;
			pthread_mutex_lock(&c->lock);
			fail_locked(c, err);
			snprintf(c->msg, sizeof(c->msg), "poll: %s", strerror(-err));
			pthread_mutex_unlock(&c->lock);
			break;
		}
		/* POLLERR too: the interface went away, and pcap_dispatch() says so */
		if (pfd[1].revents && drain(c))
			pfd[1].fd = -1;		/* poll() skips it from now on */
		if (pfd[0].revents)
			stop = serve_requests(c, pfd[1].fd >= 0);
	}
	pthread_mutex_lock(&c->lock);
	c->exited = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* Make and activate the handle; the caller is inside the lab namespace. */
static int pcap_open_here(struct capture *c, const char *ifname)
{
	int status;

	c->pcap = pcap_create(ifname, c->msg);
	if (!c->pcap)
		return -ENOMEM;
	status = pcap_set_snaplen(c->pcap, CAPTURE_SNAPLEN);
	if (!status)
		status = pcap_set_immediate_mode(c->pcap, 1);
	if (!status)
		status = pcap_set_buffer_size(c->pcap, CAPTURE_BUFFER_BYTES);
	if (status)
		return pcap_status_errno(c, status, ifname);
	/* warnings (> 0) leave a working handle */
	status = pcap_activate(c->pcap);
	if (status < 0)
		return pcap_status_errno(c, status, ifname);
	if (pcap_setnonblock(c->pcap, 1, c->msg) < 0)
		return -EIO;
	c->linktype = pcap_datalink(c->pcap);
	return 0;
}

static int capture_alloc(struct capture **cp)
{
	pthread_condattr_t ca;
	struct capture *c;
	int err;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ctl = -1;
	err = -pthread_condattr_init(&ca);
	if (err)
		goto out;
	/* capture_sync()'s deadline is on the clock the rest of twlab uses */
	err = -pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = -pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (err)
		goto out;
	err = -pthread_mutex_init(&c->lock, NULL);
	if (err)
		pthread_cond_destroy(&c->cond);
out:
	if (err)
		free(c);
	else
		*cp = c;
	return err;
}

int capture_start(struct capture **cp, const struct netns *ns, const char *ifname,
		  const char *pcap_path)
{
	struct netns saved = NETNS_INIT;
	struct capture *c = NULL;
	int err, lerr;

	*cp = NULL;
	err = capture_alloc(&c);
	if (err)
		return err;
	*cp = c;
	c->ctl = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->ctl < 0) {
		err = -errno;
		snprintf(c->msg, sizeof(c->msg), "eventfd: %m");
		goto out;
	}

	/* pcap_activate() makes the packet socket: it must be made in @ns */
	err = netns_enter(ns, &saved);
	if (err) {
		snprintf(c->msg, sizeof(c->msg), "setns into the lab: %s", strerror(-err));
		goto out;
	}
	err = pcap_open_here(c, ifname);
	lerr = netns_leave(&saved);
	if (lerr && !err) {
		err = lerr;
		snprintf(c->msg, sizeof(c->msg), "setns back home: %s", strerror(-err));
	}
	if (err)
		goto out;

	if (pcap_path) {
		errno = 0;
		c->dumper = pcap_dump_open(c->pcap, pcap_path);
		if (!c->dumper) {
			err = errno ? -errno : -EIO;
			snprintf(c->msg, sizeof(c->msg), "%s", pcap_geterr(c->pcap));
			goto out;
		}
	}
	err = worker_start(&c->thread, capture_thread, c);
	if (err)
		snprintf(c->msg, sizeof(c->msg), "pthread_create: %s", strerror(-err));
	c->running = !err;
out:
	return err;
}

int capture_sync(struct capture *c, int timeout_ms)
{
	int64_t deadline = now_ns() + guard_ms(timeout_ms) * NSEC_PER_MSEC;
	struct timespec ts = {
		.tv_sec = deadline / NSEC_PER_SEC,
		.tv_nsec = deadline % NSEC_PER_SEC,
	};
	uint64_t asked;
	int err = 0;

	pthread_mutex_lock(&c->lock);
	if (!c->running || c->exited) {
		err = c->err ? c->err : -ESRCH;
		goto out;
	}
	asked = ++c->sync_asked;
	err = worker_knock(c->ctl);
	if (err) {
		snprintf(c->msg, sizeof(c->msg), "writing the control eventfd: %s", strerror(-err));
		goto out;
	}
	while (c->sync_done < asked && !c->exited && !err)
		err = -pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	if (!err && c->sync_done < asked)
		err = c->err ? c->err : -ESRCH;		/* it exited first */
	if (!err)
		err = c->err;
out:
	pthread_mutex_unlock(&c->lock);
	return err;
}

int capture_segments(struct capture *c, struct tcp_segment *out, int max)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->nseg;
	if (max > 0)
		memcpy(out, c->seg, (n < (size_t)max ? n : (size_t)max) * sizeof(*out));
	pthread_mutex_unlock(&c->lock);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

/* The thread may add segments between counting and copying: count again. */
int capture_snapshot(struct capture *c, int timeout_ms, struct tcp_segment **segs)
{
	int err, n, room = 0;

	*segs = NULL;
	if (!c)
		return -ENODEV;
	err = capture_sync(c, timeout_ms);
	if (err)
		return err;
	for (;;) {
		n = capture_segments(c, *segs, room);
		if (n <= room)
			return n;
		free(*segs);
		room = n + SEGS_MIN;
		*segs = calloc(room, sizeof(**segs));
		if (!*segs)
			return -ENOMEM;
	}
}

int capture_stop(struct capture *c, unsigned int *npackets)
{
	int err;

	if (npackets)
		*npackets = 0;
	if (!c)
		return 0;
	if (c->running)
		worker_stop(c->thread, &c->lock, &c->stopping, c->ctl);
	/* the thread is gone: the handle and the dumper are ours alone */
	err = c->err;
	if (c->dumper) {
		if (pcap_dump_flush(c->dumper) < 0 && !err) {
			err = -EIO;
			snprintf(c->msg, sizeof(c->msg), "writing the pcap file: %m");
		}
		pcap_dump_close(c->dumper);
	}
	if (npackets)
		*npackets = c->nframes;
	if (c->pcap)
		pcap_close(c->pcap);
	if (c->ctl >= 0)
		close(c->ctl);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c->seg);
	free(c);
	return err;
}

const char *capture_error(const struct capture *c)
{
	return c ? c->msg : "out of memory";
}
