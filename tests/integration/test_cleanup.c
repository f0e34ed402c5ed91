// SPDX-License-Identifier: GPL-2.0
/*
 * SIGKILL `twlab run` at several moments: afterwards the root namespace
 * must look exactly as before (no netns name, link, nft table or mount
 * point more or less, no TCP sysctl changed) and nothing of twlab may
 * still run.
 *
 * twlab promises this without any cleanup code of its own running: lab
 * namespaces are anonymous and held by fds only (lib/netns.h), and every
 * child carries PR_SET_PDEATHSIG(SIGKILL) (harness/runner.c).  Here it is
 * observed from outside, with iproute2, nft, /proc and an rtnetlink link
 * monitor, none of which share code with twlab.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "clock.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SAMPLES		4	/* link samples per run, before the kill */
#define GONE_POLL_MS	50
#define GONE_LIMIT_MS	10000

/*
 * When to kill, counted from the fork: from just after exec to well into
 * the cases (some last ~65 s, so at 5 s twlab is still busy, unless it
 * has no cases at all).
 */
static struct moment {
	int ms;
	char name[32];
} moments[] = {
	{ .ms = 20 }, { .ms = 150 }, { .ms = 600 }, { .ms = 2000 }, { .ms = 5000 },
};

static const char *twlab;
static const char *skip_reason;
static bool have_nft;

/* A check that fails the test with what went wrong and why. */
#define check(expr, what) do {						\
	int __err = (expr);						\
									\
	if (__err < 0)							\
		fail_msg("%s: %s", what, strerror(-__err));		\
} while (0)

/* Sorted lists of strings: one per thing compared. */
struct list {
	char **v;
	size_t n;
	size_t cap;
};

static int list_add(struct list *l, const char *s)
{
	char *dup;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	dup = strdup(s);
	if (!dup)
		return -ENOMEM;
	l->v[l->n++] = dup;
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_sort(struct list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), by_str);
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Print what differs between two sorted lists; return how many items. */
static int list_diff(const char *what, const struct list *a, const struct list *b)
{
	size_t i = 0, j = 0;
	int n = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);

		if (!c) {
			i++;
			j++;
			continue;
		}
		if (c < 0)
			print_error("  %s, before only: %s\n", what, a->v[i++]);
		else
			print_error("  %s, after only:  %s\n", what, b->v[j++]);
		n++;
	}
	return n;
}

static int add_line(char *line, struct list *l)
{
	return list_add(l, line);
}

/* "3: veth0@if2: <BROADCAST,..." -> "3 veth0@if2" */
static int add_link(char *line, struct list *l)
{
	char name[48], item[64];
	int ifindex;

	if (sscanf(line, "%d: %47[^:]", &ifindex, name) != 2)
		return -EINVAL;
	snprintf(item, sizeof(item), "%d %s", ifindex, name);
	return list_add(l, item);
}

/* Each line @cmd prints, through @add; fails unless @cmd exits 0. */
static int collect_cmd(const char *cmd, struct list *l, int (*add)(char *, struct list *))
{
	char *line = NULL;
	size_t cap = 0;
	int err = 0, status;
	FILE *f;

	f = popen(cmd, "re");
	if (!f)
		return -errno;
	while (!err && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			err = add(line, l);
	}
	free(line);
	status = pclose(f);
	if (!err && (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)))
		err = -EIO;
	return err;
}

/* "name=value", tabs and newlines as spaces: tcp_rmem has three fields. */
static int add_sysctl(int dir, const char *name, struct list *l)
{
	char val[4096], item[4352];
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < sizeof(val) - 1) {
		n = read(fd, val + len, sizeof(val) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	if (err)
		return err;
	while (len && (val[len - 1] == '\n' || val[len - 1] == ' '))
		len--;
	val[len] = '\0';
	for (char *p = val; *p; p++)
		if (*p == '\t' || *p == '\n')
			*p = ' ';
	snprintf(item, sizeof(item), "%s=%s", name, val);
	return list_add(l, item);
}

static int take_netns(struct list *l)
{
	return collect_cmd("ip netns list", l, add_line);
}

static int take_links(struct list *l)
{
	return collect_cmd("ip -o link show", l, add_link);
}

static int take_nft(struct list *l)
{
	return have_nft ? collect_cmd("nft list tables", l, add_line) : 0;
}

static int take_sysctls(struct list *l)
{
	struct dirent *d;
	int err = 0;
	DIR *dir;

	dir = opendir("/proc/sys/net/ipv4");
	if (!dir)
		return -errno;
	while (!err && (d = readdir(dir)))
		if (!strncmp(d->d_name, "tcp_", 4) ||
		    !strcmp(d->d_name, "ip_local_port_range"))
			err = add_sysctl(dirfd(dir), d->d_name, l);
	closedir(dir);
	return err;
}

/*
 * The root namespace's NFQUEUE instances, one line each (queue number,
 * portid, ...): a delay line bound in the root namespace would show here.
 */
static int take_queues(struct list *l)
{
	char line[256];
	int err = 0;
	FILE *f;

	f = fopen("/proc/net/netfilter/nfnetlink_queue", "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		err = list_add(l, line);
	}
	fclose(f);
	return err;
}

/* Field 5 of mountinfo; spaces in it come escaped as \040. */
static int take_mounts(struct list *l)
{
	char *line = NULL, mp[4096];
	size_t cap = 0;
	int err = 0;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (!err && getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			err = -EINVAL;
		else
			err = list_add(l, mp);
	}
	free(line);
	fclose(f);
	return err;
}

enum { S_NETNS, S_LINKS, S_NFT, S_QUEUES, S_SYSCTL, S_MOUNTS, S_NKINDS };

static const struct {
	const char *what;
	int (*take)(struct list *l);
} kinds[S_NKINDS] = {
	[S_NETNS]	= { "ip netns list",	take_netns },
	[S_LINKS]	= { "link",		take_links },
	[S_NFT]		= { "nft table",	take_nft },
	[S_QUEUES]	= { "nfnetlink queue",	take_queues },
	[S_SYSCTL]	= { "sysctl",		take_sysctls },
	[S_MOUNTS]	= { "mount point",	take_mounts },
};

struct snap {
	struct list l[S_NKINDS];
};

static void snap_free(struct snap *s)
{
	for (int k = 0; k < S_NKINDS; k++)
		list_free(&s->l[k]);
}

static int snap_take(struct snap *s)
{
	int err = 0;

	snap_free(s);
	for (int k = 0; k < S_NKINDS && !err; k++) {
		err = kinds[k].take(&s->l[k]);
		if (err)
			print_error("cannot read the root namespace's %ss: %s\n",
				    kinds[k].what, strerror(-err));
		list_sort(&s->l[k]);
	}
	return err;
}

static int snap_diff(const struct snap *a, const struct snap *b)
{
	int n = 0;

	for (int k = 0; k < S_NKINDS; k++)
		n += list_diff(kinds[k].what, &a->l[k], &b->l[k]);
	return n;
}

static bool link_known(const struct list *links, int ifindex)
{
	for (size_t i = 0; i < links->n; i++)
		if (atoi(links->v[i]) == ifindex)
			return true;
	return false;
}

/*
 * Samples can miss a link that lives for a millisecond; the kernel's own
 * RTM_NEWLINK announcements in the root namespace cannot.
 */
static int monitor_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd, err, rcvbuf = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* best effort: the default buffer is plenty on a quiet machine */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static const char *link_name(struct nlmsghdr *nh)
{
	struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = IFLA_PAYLOAD(nh);

	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_IFNAME)
			return RTA_DATA(a);
	return "?";
}

/*
 * Count announcements of links not in @known since monitor_open(); an
 * overrun (-ENOBUFS) means some may have been lost.
 */
static int monitor_check(int fd, const struct list *known)
{
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	int n = 0;

	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return errno == EAGAIN ? n : -errno;
		for (; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			struct ifinfomsg *ifi = NLMSG_DATA(nh);

			if ((nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK) ||
			    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) ||
			    link_known(known, ifi->ifi_index))
				continue;
			print_error("  link %d %s was %s in the root namespace\n",
				    ifi->ifi_index, link_name(nh),
				    nh->nlmsg_type == RTM_NEWLINK ? "announced" : "deleted");
			n++;
		}
	}
}

/* /proc/PID/stat: comm (as /proc/PID/comm has it), state, ppid, pgrp. */
struct proc {
	pid_t pid, ppid, pgrp;
	char state;
	char comm[32];
};

static int proc_read(pid_t pid, struct proc *p)
{
	char path[64], buf[1024], *lp, *rp;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');	/* comm may hold ')' itself */
	if (!lp || !rp || rp < lp ||
	    sscanf(rp + 1, " %c %d %d", &p->state, &p->ppid, &p->pgrp) != 3)
		return -EINVAL;
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(rp - lp - 1), lp + 1);
	p->pid = pid;
	return 0;
}

enum scan_mode { SCAN_COUNT, SCAN_REPORT, SCAN_KILL };

/*
 * What is left of a killed twlab: the members of its process group and,
 * as we are a child subreaper, anything reparented to us (that catches
 * a process that left the group too).  A process named twlab is one of
 * those, or someone else's run, which is reported but not counted.
 */
static int survivors(pid_t pgid, enum scan_mode mode)
{
	struct proc other = { 0 };
	pid_t me = getpid();
	int n = 0, nother = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t pid = atoi(d->d_name);
		struct proc p;

		if (pid <= 0 || pid == me || proc_read(pid, &p))
			continue;	/* not a process, or gone meanwhile */
		if (p.pgrp != pgid && p.ppid != me) {
			if (!strcmp(p.comm, "twlab") && !nother++)
				other = p;
			continue;
		}
		if (mode == SCAN_REPORT)
			print_error("  left behind: pid %d (%s) state %c ppid %d pgrp %d\n",
				    p.pid, p.comm, p.state, p.ppid, p.pgrp);
		if (mode == SCAN_KILL)
			kill(p.pid, SIGKILL);
		n++;
	}
	closedir(dir);
	if (mode == SCAN_REPORT && nother)
		print_message("  note: %d process(es) named twlab that this test did not "
			      "start (pid %d, pgrp %d, ...) are running; not counted\n",
			      nother, other.pid, other.pgrp);
	return n;
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static bool group_exists(pid_t pgid)
{
	return !(kill(-pgid, 0) < 0 && errno == ESRCH);
}

/*
 * Until the group is empty and nothing is left, polling: the children
 * die by PR_SET_PDEATHSIG, so a survivor after GONE_LIMIT_MS is a bug.
 */
static int wait_group_gone(pid_t pgid, int64_t *took_ns)
{
	int64_t t0 = now_ns(), deadline = t0 + GONE_LIMIT_MS * NSEC_PER_MSEC;
	int n;

	for (;;) {
		reap_all();	/* our zombies would keep the group alive */
		n = survivors(pgid, SCAN_COUNT);
		if (n < 0)
			return n;
		if (!n && !group_exists(pgid))
			break;
		if (now_ns() >= deadline) {
			survivors(pgid, SCAN_REPORT);
			return -ETIMEDOUT;
		}
		sleep_until_ns(now_ns() + GONE_POLL_MS * NSEC_PER_MSEC);
	}
	*took_ns = now_ns() - t0;
	survivors(pgid, SCAN_REPORT);	/* names other runs of twlab, if any */
	return 0;
}

/* @argv in a process group of its own, stdout to @out, stderr to @err. */
static int spawn(char *const argv[], int out, int err, pid_t *pidp)
{
	pid_t parent = getpid(), pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		/* twlab must not outlive a test that crashed */
		if (setpgid(0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
		    getppid() != parent || dup2(out, STDOUT_FILENO) < 0 ||
		    dup2(err, STDERR_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);	/* as the child does: whichever runs first wins */
	*pidp = pid;
	return 0;
}

static int wait_exit(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* Cases `twlab list` shows: its lines after the header. */
static int count_cases(void)
{
	char *argv[] = { (char *)twlab, "list", NULL };
	char *line = NULL;
	int p[2], status, n = -1, err;
	size_t cap = 0;
	pid_t pid;
	FILE *f;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	err = spawn(argv, p[1], STDERR_FILENO, &pid);
	close(p[1]);
	if (err) {
		close(p[0]);
		return err;
	}
	f = fdopen(p[0], "r");
	if (!f) {
		err = -errno;
		close(p[0]);	/* twlab gets EPIPE and exits */
	}
	while (f && getline(&line, &cap, f) > 0)
		n++;
	free(line);
	if (f)
		fclose(f);
	if (wait_exit(pid, &status) && !err)
		err = -ECHILD;
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
		err = -EIO;
	return err ? err : n < 0 ? 0 : n;
}

static bool find_nft(void)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	char path[64];

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/nft", dirs[i]);
		if (!access(path, X_OK))
			return true;
	}
	return false;
}

static int group_setup(void **state)
{
	int n;

	(void)state;
	twlab = getenv("TWLAB");
	if (geteuid()) {
		skip_reason = "needs root: twlab run builds network namespaces, and "
			      "some root-namespace sysctls are readable by root only";
		return 0;
	}
	if (!twlab || !*twlab) {
		skip_reason = "TWLAB is not set: run it through 'make integration', "
			      "or set TWLAB to the twlab binary";
		return 0;
	}
	if (access(twlab, X_OK)) {
		print_error("TWLAB=%s: not an executable: %s\n", twlab, strerror(errno));
		return -1;
	}
	/* twlab's orphans come to us, not to init: none can slip away unseen */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		print_error("PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
		return -1;
	}
	have_nft = find_nft();
	if (!have_nft)
		print_message("note: no nft binary here; nft tables are not compared\n");
	n = count_cases();
	if (n < 0) {
		print_error("'%s list' failed: %s\n", twlab, strerror(-n));
		return -1;
	}
	print_message("'twlab list' shows %d case(s)%s\n", n,
		      n ? "" : "; twlab run will exit at once, so the later kills "
		      "find it gone and check only what it left");
	return 0;
}

struct run {
	const struct moment *m;
	pid_t pid;		/* twlab, until reaped; its pgid too */
	int mon;		/* rtnetlink link monitor */
	struct snap before, now;
};

static int setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	r->m = *state;
	r->mon = -1;
	*state = r;
	return 0;
}

/* After a failure: take down whatever is left, then free. */
static int teardown(void **state)
{
	struct run *r = *state;
	int64_t deadline = now_ns() + NSEC_PER_SEC;
	int status;

	if (r->pid > 0) {
		kill(-r->pid, SIGKILL);
		wait_exit(r->pid, &status);
		while (survivors(r->pid, SCAN_KILL) > 0 && now_ns() < deadline) {
			reap_all();
			sleep_until_ns(now_ns() + GONE_POLL_MS * NSEC_PER_MSEC);
		}
		reap_all();
	}
	if (r->mon >= 0)
		close(r->mon);
	snap_free(&r->before);
	snap_free(&r->now);
	free(r);
	return 0;
}

static int start_twlab(struct run *r)
{
	char *argv[] = { (char *)twlab, "run", NULL };
	int null, err;

	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0)
		return -errno;
	err = spawn(argv, null, null, &r->pid);
	close(null);
	return err;
}

/* A few looks at the root namespace's links while twlab runs. */
static void sample_links(struct run *r, int64_t t0, int64_t kill_at)
{
	for (int i = 0; i < SAMPLES; i++) {
		int64_t at = t0 + (kill_at - t0) * (i + 1) / (SAMPLES + 1);

		if (now_ns() > at)
			continue;	/* the previous sample overran this slot */
		sleep_until_ns(at);
		list_free(&r->now.l[S_LINKS]);
		check(take_links(&r->now.l[S_LINKS]), "ip -o link show");
		list_sort(&r->now.l[S_LINKS]);
		if (list_diff("link", &r->before.l[S_LINKS], &r->now.l[S_LINKS]))
			fail_msg("the root namespace's links changed %.1f ms after twlab "
				 "started (listed above)", ns_to_ms(now_ns() - t0));
	}
}

/*
 * SIGKILL the twlab process only, not its group: its children must die
 * of its death.  Returns whether it was there to be killed; one that had
 * already exited is reaped all the same.
 */
static bool kill_twlab(struct run *r, int *status)
{
	pid_t w = waitpid(r->pid, status, WNOHANG);
	bool sent = !w;

	check(w < 0 ? -errno : 0, "waitpid");
	if (sent) {
		check(kill(r->pid, SIGKILL) ? -errno : 0, "kill");
		check(wait_exit(r->pid, status), "waitpid");
	}
	if (WIFEXITED(*status))
		return false;	/* it ended on its own, maybe just before */
	if (!sent || WTERMSIG(*status) != SIGKILL)
		fail_msg("twlab died of signal %d (%s), not of our SIGKILL",
			 WTERMSIG(*status), strsignal(WTERMSIG(*status)));
	return true;
}

static void test_kill(void **state)
{
	struct run *r = *state;
	int64_t t0, kill_at, killed, took = 0;
	char how[64];
	int status, n;

	if (skip_reason) {
		print_message("skipped: %s\n", skip_reason);
		skip();
	}
	r->mon = monitor_open();
	check(r->mon, "rtnetlink link monitor");
	check(snap_take(&r->before), "root namespace snapshot before");

	check(start_twlab(r), "fork");
	t0 = now_ns();
	kill_at = t0 + r->m->ms * NSEC_PER_MSEC;
	sample_links(r, t0, kill_at);
	sleep_until_ns(kill_at);
	killed = now_ns();
	if (kill_twlab(r, &status))
		snprintf(how, sizeof(how), "alive, killed by SIGKILL");
	else
		snprintf(how, sizeof(how), "already exited (status %d), not killed",
			 WEXITSTATUS(status));

	n = wait_group_gone(r->pid, &took);
	if (n == -ETIMEDOUT)
		fail_msg("processes of twlab's (listed above) still ran %d ms after "
			 "it died: PR_SET_PDEATHSIG did not take them down", GONE_LIMIT_MS);
	check(n, "scanning /proc");
	r->pid = 0;
	print_message("  kill at %d ms (%.1f ms after fork): twlab %s; all of it "
		      "gone %.0f ms later\n", r->m->ms, ns_to_ms(killed - t0), how,
		      ns_to_ms(took));

	check(snap_take(&r->now), "root namespace snapshot after");
	n = snap_diff(&r->before, &r->now);
	if (n)
		fail_msg("%d item(s) of the root namespace differ after the kill "
			 "(listed above)", n);
	n = monitor_check(r->mon, &r->before.l[S_LINKS]);
	check(n, "rtnetlink link monitor (events lost?)");
	if (n)
		fail_msg("%d link(s) came and went in the root namespace while twlab "
			 "ran (listed above)", n);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(moments)];

	for (size_t i = 0; i < ARRAY_SIZE(moments); i++) {
		snprintf(moments[i].name, sizeof(moments[i].name),
			 "sigkill_after_%dms", moments[i].ms);
		tests[i] = (struct CMUnitTest){
			.name = moments[i].name,
			.test_func = test_kill,
			.setup_func = setup,
			.teardown_func = teardown,
			.initial_state = &moments[i],
		};
	}
	return cmocka_run_group_tests_name("twlab cleanup after SIGKILL", tests,
					   group_setup, NULL);
}
