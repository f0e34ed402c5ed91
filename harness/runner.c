// SPDX-License-Identifier: GPL-2.0
/*
 * Every instance runs in a forked child, in a lab of its own, under a time
 * limit; up to -j of them at once.  The child builds its lab, applies its
 * sysctls, runs the case and writes one JSON object down a pipe.
 *
 * Children carry PR_SET_PDEATHSIG(SIGKILL): if twlab dies in any way,
 * they die with it, their namespace fds close, and the kernel frees
 * every lab.  Nothing here depends on a cleanup path running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "fixture.h"
#include "json.h"
#include "kernel.h"
#include "lab.h"
#include "proc.h"
#include "runner.h"
#include "sysctl.h"

struct slot {
	pid_t pid;
	int fd;
	int index;
	int limit_s;
	int64_t deadline;
	char *buf;
	size_t len;
};

static bool have_ss(void)
{
	return !access("/usr/bin/ss", X_OK) || !access("/bin/ss", X_OK) ||
	       !access("/usr/sbin/ss", X_OK) || !access("/sbin/ss", X_OK);
}

static void missing_reason(const struct tw_sysctl *s, char *buf, size_t len)
{
	if (s->optional)
		snprintf(buf, len, "sysctl %s does not exist on this kernel; the instance at "
			 "its first value measures without it", s->key);
	else
		snprintf(buf, len, "sysctl %s does not exist on this kernel", s->key);
}

static int skip(struct tw_result *r, const struct tw_sysctl *s)
{
	r->outcome = R_SKIP;
	missing_reason(s, r->reason, sizeof(r->reason));
	return -ENOENT;
}

/*
 * A sysctl that a fresh namespace of this kernel lacks (sysctl_defaults_read())
 * SKIPs the instance before a lab is built for it: on an old kernel under
 * TCG that is two dozen labs fewer competing with the timed ones.
 */
static const struct tw_sysctl *missing_sysctl(const struct tw_instance *in,
					      const struct kernel_info *k)
{
	for (int i = 0; i < in->p.nset; i++) {
		const struct tw_sysctl *s = &in->p.set[i];
		const char *key = sysctl_bare(s->key);

		if (s->optional && s->first)	/* runs without it */
			continue;
		for (int d = 0; d < k->ndefaults; d++)
			if (!strcmp(k->defaults[d].key, key) && !k->defaults[d].present)
				return s;
	}
	return NULL;
}

const char *runner_skip_reason(const struct tw_instance *in,
			       const struct kernel_info *k, char *buf, size_t len)
{
	unsigned int needs = in->c->needs;
	const struct tw_sysctl *missing;

	if (in->p.family == AF_INET6 && !k->ipv6)
		snprintf(buf, len, "IPv6 is not available on this kernel (CONFIG_IPV6, ipv6.disable)");
	else if (in->c->views && !k->sock_diag)
		snprintf(buf, len, "sock_diag for TCP is missing (CONFIG_INET_DIAG, CONFIG_INET_TCP_DIAG)");
	else if ((needs & NEED_SS) && !have_ss())
		snprintf(buf, len, "ss is not installed (Debian package iproute2; 'make deps')");
	else if ((missing = missing_sysctl(in, k)))
		missing_reason(missing, buf, len);
	else
		return NULL;
	return buf;
}

/* A sysctl the kernel lacks makes the instance SKIP; one it refuses, ERROR. */
static int apply_params(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	for (int i = 0; i < p->nset; i++) {
		const struct tw_sysctl *s = &p->set[i];
		const char *key = s->key;

		for (int h = 0; h < lab->nhosts; h++) {
			int err = sysctl_exists(&lab->host[h].ns, key);

			if (err == 0 && s->optional && s->first)
				break;
			if (err == 0)
				return skip(r, s);
			if (err > 0)
				err = lab_sysctl_set(lab, h, key, p->set[i].val);
			if (err < 0)
				return tw_error(r, err, "sysctl %s=%s in lab host %d",
						key, p->set[i].val, h);
		}
	}
	return 0;
}

static void __attribute__((noreturn))
child(struct tw_instance *in, const struct runner_opts *o, pid_t parent, int wfd)
{
	struct tw_result *r = &in->r;
	int64_t t0 = now_ns();
	struct tw_fixture fx;
	char pcap[TW_PATH_LEN] = "";
	struct lab lab;
	json_t *j;
	char *s;
	int err;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	/* the observer's own bounds stretch with the instance's time limit */
	clock_guard_scale = o->time_scale ?: 1;
	memset(r, 0, sizeof(*r));
	if (o->out_dir)
		snprintf(pcap, sizeof(pcap), "%s/%s.pcap", o->out_dir, in->name);
	in->p.fx = &fx;
	/* a case about the machine's own hash is given a lab made beside it */
	err = lab_up_from(&lab, in->c->shape, in->lab_id, o->home,
			  in->c->needs & NEED_MACHINE_EHASH ? NULL : o->nursery);
	lab.kernel = o->kernel;
	if (err) {
		tw_error(r, err, "lab set-up");
		goto out;
	}
	if (apply_params(&lab, &in->p, r))
		goto out;
	if (!fixture_setup(&fx, &lab, in->c, in->p.family, pcap, r)) {
		err = in->c->run(&lab, &in->p, r);
		if (err && r->outcome != R_ERROR)
			tw_error(r, err, "%s", in->c->name);
	}
	fixture_teardown(&fx, in->c, r);
out:
	lab_down(&lab);
	r->wall_s = ns_to_ms(now_ns() - t0) / 1000;

	j = result_to_json(r);
	s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (s)
		conn_write_full(wfd, s, strlen(s));
	_exit(s ? 0 : 1);
}

static int time_limit(const struct tw_instance *in, const struct runner_opts *o)
{
	return (in->c->time_limit_s ?: RUNNER_DEFAULT_LIMIT_S) * (o->time_scale ?: 1);
}

static int start(struct slot *sl, struct tw_instance *in, int index,
		 const struct runner_opts *o)
{
	int limit = time_limit(in, o);
	pid_t parent = getpid();
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);	/* a child must not flush our buffers twice */
	sl->pid = fork();
	if (sl->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (!sl->pid) {
		close(p[0]);
		child(in, o, parent, p[1]);
	}
	close(p[1]);
	sl->fd = p[0];
	sl->index = index;
	sl->limit_s = limit;
	sl->deadline = now_ns() + limit * NSEC_PER_SEC;
	sl->buf = NULL;
	sl->len = 0;
	return 0;
}

/* Reap the child and turn what it wrote (or did not) into its result. */
static void finish(struct slot *sl, struct tw_instance *in, bool timed_out)
{
	struct tw_result *r = &in->r;
	json_t *j = NULL;
	int status = 0;
	char how[96], bad[160] = "";

	if (timed_out)
		kill(sl->pid, SIGKILL);
	proc_wait(sl->pid, &status);
	close(sl->fd);
	if (sl->buf)
		j = json_loadb(sl->buf, sl->len, 0, NULL);
	if (timed_out) {
		memset(r, 0, sizeof(*r));
		r->outcome = R_ERROR;
		snprintf(r->reason, sizeof(r->reason),
			 "exceeded its time limit of %d s and was killed",
			 sl->limit_s);
	} else if (!j || json_result_read(&(struct json_in){ "result", bad, sizeof(bad) },
					  "", j, r)) {
		proc_status_text(status, how, sizeof(how));
		memset(r, 0, sizeof(*r));
		r->outcome = R_ERROR;
		snprintf(r->reason, sizeof(r->reason), "instance gave no result: %s%s%.120s", how,
			 j ? "; " : "", bad);
	}
	json_decref(j);
	free(sl->buf);
	sl->pid = 0;
}

static int drain(struct slot *sl)
{
	char chunk[4096];
	ssize_t n;
	char *nb;

	n = read(sl->fd, chunk, sizeof(chunk));
	if (n < 0)
		return errno == EINTR ? 1 : -errno;
	if (n == 0)
		return 0;
	nb = realloc(sl->buf, sl->len + n);
	if (!nb)
		return -ENOMEM;
	memcpy(nb + sl->len, chunk, n);
	sl->buf = nb;
	sl->len += n;
	return 1;
}

void runner_order(const struct tw_instance *in, int n, int *order)
{
	for (int i = 0; i < n; i++) {
		int lim = in[i].c->time_limit_s ?: RUNNER_DEFAULT_LIMIT_S, j = i;

		for (; j > 0; j--) {
			const struct tw_case *c = in[order[j - 1]].c;

			if ((c->time_limit_s ?: RUNNER_DEFAULT_LIMIT_S) >= lim)
				break;
			order[j] = order[j - 1];
		}
		order[j] = i;
	}
}

int runner_run(struct tw_instance *in, int n, const struct runner_opts *o)
{
	int jobs = o->jobs > 0 && o->jobs < n ? o->jobs : n;
	struct slot *slots = calloc(jobs ? jobs : 1, sizeof(*slots));
	struct pollfd *pfd = calloc(jobs ? jobs : 1, sizeof(*pfd));
	int *order = calloc(n ? n : 1, sizeof(*order));
	int next = 0, running = 0, err = 0;
	int quiet = -1;
	char why[TW_REASON_LEN];

	if (!slots || !pfd || !order) {
		err = -ENOMEM;
		goto out;
	}
	quiet = memfd_create("twlab-quiet", MFD_CLOEXEC);
	if (quiet < 0) {
		err = -errno;
		goto out;
	}
	for (int i = 0; i < n; i++)
		in[i].p.quiet = quiet;
	runner_order(in, n, order);
	while (next < n || running) {
		int64_t now, soonest = INT64_MAX, latest = 0;
		int timeout;

		for (int s = 0; s < jobs && next < n; s++) {
			int i = order[next];

			if (slots[s].pid)
				continue;
			if (runner_skip_reason(&in[i], o->kernel, why, sizeof(why))) {
				in[i].r.outcome = R_SKIP;
				snprintf(in[i].r.reason, sizeof(in[i].r.reason), "%s", why);
				o->done(&in[i], i, o->arg);
				next++;
				s--;
				continue;
			}
			err = start(&slots[s], &in[i], i, o);
			if (err)
				goto out;
			next++;
			running++;
		}
		if (!running)
			continue;

		now = now_ns();
		for (int s = 0; s < jobs; s++) {
			pfd[s].fd = slots[s].pid ? slots[s].fd : -1;
			pfd[s].events = POLLIN;
			if (slots[s].pid && slots[s].deadline < soonest)
				soonest = slots[s].deadline;
			if (slots[s].pid && slots[s].deadline > latest)
				latest = slots[s].deadline;
		}
		timeout = soonest <= now ? 0 : (int)((soonest - now) / NSEC_PER_MSEC) + 1;
		if (o->tick) {	/* wake often enough for it to show time passing */
			o->tick(latest, o->arg);
			timeout = timeout < RUNNER_TICK_MS ? timeout : RUNNER_TICK_MS;
		}
		if (poll(pfd, jobs, timeout) < 0 && errno != EINTR) {
			err = -errno;
			goto out;
		}
		now = now_ns();
		for (int s = 0; s < jobs; s++) {
			struct slot *sl = &slots[s];
			int ret = 1;

			if (!sl->pid)
				continue;
			if (pfd[s].revents)
				ret = drain(sl);
			if (ret <= 0 || now >= sl->deadline) {
				finish(sl, &in[sl->index], ret > 0);
				running--;
				o->done(&in[sl->index], sl->index, o->arg);
			}
		}
	}
out:
	for (int s = 0; s < jobs && slots; s++)	/* only on error: let none outlive us */
		if (slots[s].pid)
			finish(&slots[s], &in[slots[s].index], true);
	if (quiet >= 0)
		close(quiet);
	free(order);
	free(pfd);
	free(slots);
	return err;
}
