// SPDX-License-Identifier: GPL-2.0
/*
 * twlab matrix --kernel host --kernel 6.1 ... [CASE|CLAIM ...]: the suite
 * on each kernel, then the report over all of them.
 *
 * "host" is `twlab run` on this kernel.  Every other kernel is a Debian
 * package that ci/kernel-fetch.sh unpacks into the cache, booted under
 * qemu with the initramfs of ci/initramfs.sh: the guest mounts this
 * machine's root read-only over 9p and runs this very twlab binary in a
 * chroot, writing its JSON into a second, writable 9p share, which is
 * DIR/<kernel>/ here.  The host then adds a "vm" object to that JSON and
 * writes it to DIR/<kernel>.json.
 *
 * Nothing is left behind, whatever happens to twlab: every child (qemu,
 * the host's run, the scripts) carries PR_SET_PDEATHSIG(SIGKILL), the
 * guests mount only inside themselves, and apt's extra sources live in the
 * cache, never in /etc/apt.  A guest that outlives its time limit is
 * killed and reported as an error of that kernel alone.
 *
 * One thread, one loop: children are polled every KM_POLL_MS, which is
 * also how finely boot times are measured.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "kmatrix.h"
#include "proc.h"
#include "registry.h"
#include "report.h"
#include "slurp.h"

#define KM_DEFAULT_JOBS		2
#define KM_DEFAULT_SMP		2	/* at most; fewer where the host has fewer CPUs per guest */
/*
 * Instances at once in a guest.  Under TCG a guest CPU is 6-7 times slower:
 * all 70 at once starve the timed steps (a 5 s accept(), a FIN's
 * retransmission) of CPU.  The longest start first (runner_order()), so
 * the whole-TIME_WAIT cases overlap the short ones.
 */
#define KM_DEFAULT_GUEST_JOBS	12
/*
 * The host's run shares the CPUs with the guests' emulators: its time
 * limits and the observer's own bounds (lib/clock.h: guard_ms()) doubled,
 * never a window the kernel sets.
 */
#define KM_HOST_TIME_SCALE	"2"
#define KM_DEFAULT_TIMEOUT_S	1800
#define KM_DEFAULT_MEM_MB	1024
#define KM_PROBE_S		15	/* a working KVM boots in a second or two */
#define KM_PROBE_MEM_MB		256
#define KM_POLL_MS		100
/*
 * A guest boots at our own priority, then runs its suite at nice 19 while
 * the host's own run goes on, so that it keeps the CPU it needs.  Booted
 * at nice 19 beside the host run's first seconds (some 70 labs made at
 * once), a guest spent 30 s to 3 min of wall time before its kernel's
 * clock started; alone it is up in 6 s.
 */
#define KM_QEMU_NICE		19
#define KM_CACHE_DEFAULT	"twlab-cache"
#define KM_QEMU			"qemu-system-x86_64"

enum job_state { JOB_WAIT, JOB_RUN, JOB_DONE };

struct km_job {
	struct km_spec spec;
	bool guest;
	enum job_state state;
	char kver[96];			/* guest: what the spec resolved to */
	char packages[256];		/* guest: the Debian packages it came from */
	char kdir[PATH_MAX];		/* guest: CACHE/KVER */
	char dir[PATH_MAX];		/* DIR/<name>: captures; the guest's results share */
	char log[PATH_MAX];		/* DIR/<name>.log: KTAP, or the serial console */
	char json[PATH_MAX];		/* DIR/<name>.json */
	pid_t pid;
	int64_t t0, t_boot, t_end, deadline;
	double wall_s;			/* qemu's start to its end; host: its run's own */
	int status;			/* from waitpid() */
	bool timed_out;
	char error[PATH_MAX + 512];	/* why it has no JSON; "" when it has */
	char release[96];		/* from its JSON */
	int n[R_NOUTCOMES];
};

struct km_ctx {
	const struct kmatrix_opts *o;
	char exe[PATH_MAX];		/* this twlab, which the guests run too */
	char ci[PATH_MAX];		/* the ci/ scripts */
	char out[PATH_MAX];
	char cache[PATH_MAX];
	const char *accel;		/* "kvm" or "tcg" */
	char accel_why[512];		/* how it was chosen */
	int smp, mem_mb, jobs, guest_jobs, timeout_s;
	int njobs;
	struct km_job job[KM_MAX_KERNELS];
};

static int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Why @j has no results: one line, which may be long (it names its log). */
__attribute__((format(printf, 2, 3)))
static void job_error(struct km_job *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->error, sizeof(j->error), fmt, ap);
	va_end(ap);
}

/* mkdir -p, then the absolute path: qemu and the guest need one. */
static int dir_make_abs(const char *want, char *abs)
{
	int err = proc_mkdir_p(want);

	if (err)
		return err;
	return realpath(want, abs) ? 0 : -errno;
}

static double secs(int64_t ns)
{
	return (double)ns / NSEC_PER_SEC;
}

/*
 * Run @argv to its end, its stdout into @buf (NULL: ours), cut at @len - 1,
 * and its stderr to /dev/null if @quiet; its exit status or -errno.
 * stdout is a memfd, which cannot fill up while the child still writes.
 */
static int run_wait(char *const *argv, char *buf, size_t len, bool quiet)
{
	int fd[3] = { -1, -1, -1 }, status, err;
	char *text = NULL;

	if (quiet && (fd[2] = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (buf && (fd[1] = memfd_create("twlab-out", MFD_CLOEXEC)) < 0) {
		err = -errno;
		goto out;
	}
	err = proc_run(argv, fd, &status);
	if (err)
		fprintf(stderr, "twlab: cannot run %s: %s\n", argv[0], strerror(-err));
	else if (buf)
		err = proc_read_fd(fd[1], &text);
	if (buf) {
		snprintf(buf, len, "%s", text ?: "");
		free(text);
		close(fd[1]);
	}
out:
	if (fd[2] >= 0)
		close(fd[2]);
	return err ?: proc_exit_code(status);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/*
 * This binary, which the guests run too (from the host's root, through
 * 9p, so the same path), and the helper scripts: $TWLAB_CI, else
 * ../lib/twlab beside an installed binary (PREFIX/bin/twlab), else ci or
 * ../ci in a source tree (./twlab, build/twlab).
 */
static int self_paths(struct km_ctx *x)
{
	static const char *const where[] = { "/../lib/twlab", "/../ci", "/ci" };
	char dir[PATH_MAX], probe[PATH_MAX + 32];
	const char *env = getenv("TWLAB_CI");
	ssize_t n = readlink("/proc/self/exe", x->exe, sizeof(x->exe) - 1);

	if (n < 0)
		return -errno;
	x->exe[n] = '\0';
	if (env && *env)
		return pathf(x->ci, sizeof(x->ci), "%s", env);
	snprintf(dir, sizeof(dir), "%s", x->exe);
	dirname(dir);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (pathf(probe, sizeof(probe), "%s%s/kernel-fetch.sh", dir, where[i]))
			return -ENAMETOOLONG;
		if (access(probe, X_OK))
			continue;
		*strrchr(probe, '/') = '\0';
		return realpath(probe, x->ci) ? 0 : -errno;
	}
	return -ENOENT;
}

static int script(const struct km_ctx *x, const char *name, char *path, size_t len)
{
	return pathf(path, len, "%s/%s", x->ci, name);
}

/* `ci/deps.sh matrix`: silent when qemu and the rest are there. */
static int deps_install(const struct km_ctx *x)
{
	char path[PATH_MAX];
	char *argv[] = { path, "matrix", NULL };
	int rc;

	if (script(x, "deps.sh", path, sizeof(path)))
		return -ENAMETOOLONG;
	rc = run_wait(argv, NULL, 0, false);
	if (rc)
		fprintf(stderr, "twlab: matrix needs qemu, busybox-static, cpio and kmod, and "
			"'%s matrix' could not install them (status %d); run it as root\n", path, rc);
	return rc ? -ENOPKG : 0;
}

/* The last line of a script's stdout, what it says it made; "" if too long. */
static void last_line(char *buf, char *line, size_t len)
{
	char *p;

	chomp(buf);
	p = strrchr(buf, '\n');
	if (pathf(line, len, "%s", p ? p + 1 : buf))
		line[0] = '\0';
}

/*
 * kernel-fetch.sh's argv for @j: [--mirror URL] SPEC CACHE, or for an
 * image [--modules DIR] FILE CACHE.
 */
static void fetch_argv(const struct km_ctx *x, const struct km_job *j, char *script,
		       char **argv)
{
	int n = 0;

	argv[n++] = script;
	if (j->spec.kind == KSPEC_FILE && j->spec.modules) {
		argv[n++] = "--modules";
		argv[n++] = (char *)j->spec.modules;
	} else if (j->spec.kind != KSPEC_FILE && x->o->mirror) {
		argv[n++] = "--mirror";
		argv[n++] = (char *)x->o->mirror;
	}
	argv[n++] = j->spec.kind == KSPEC_FILE ? (char *)j->spec.path : (char *)j->spec.name;
	argv[n++] = (char *)x->cache;
	argv[n] = NULL;
}

/*
 * ci/kernel-fetch.sh, then ci/initramfs.sh: 0, or the job is done with an
 * error.  An image is unpacked under CACHE/image/, apart from Debian's
 * kernels of the same release.
 */
static int fetch(const struct km_ctx *x, struct km_job *j)
{
	char fetch[PATH_MAX], initrd[PATH_MAX], out[4096], path[PATH_MAX + 32];
	char kcache[PATH_MAX];
	char *fargv[8];
	char *iargv[] = { initrd, j->kver, kcache, NULL };
	int64_t t0 = now_ns();
	char *pk;
	int rc;

	if (script(x, "kernel-fetch.sh", fetch, sizeof(fetch)) ||
	    script(x, "initramfs.sh", initrd, sizeof(initrd)) ||
	    pathf(kcache, sizeof(kcache), "%s%s", x->cache,
		  j->spec.kind == KSPEC_FILE ? "/image" : ""))
		return -ENAMETOOLONG;
	fetch_argv(x, j, fetch, fargv);
	rc = run_wait(fargv, out, sizeof(out), false);
	last_line(out, j->kver, sizeof(j->kver));
	if (rc || !*j->kver || strchr(j->kver, '/')) {
		job_error(j, "not fetched: kernel-fetch.sh %s exited with status %d "
			  "(its message is above)", j->spec.path ?: j->spec.name, rc);
		return -ENOENT;
	}
	if (pathf(j->kdir, sizeof(j->kdir), "%s/%s", kcache, j->kver) ||
	    pathf(path, sizeof(path), "%s/.fetched", j->kdir))
		return -ENAMETOOLONG;
	pk = slurp(path);
	if (pk) {
		chomp(pk);
		snprintf(j->packages, sizeof(j->packages), "%s", pk);
		free(pk);
	}
	rc = run_wait(iargv, out, sizeof(out), false);
	if (rc) {
		job_error(j, "no initramfs: initramfs.sh %s exited "
			 "with status %d (its message is above)", j->kver, rc);
		return -ENOENT;
	}
	/* what the guests wait for, while the host's run has started */
	fprintf(stderr, "twlab: %s is %s (%s), ready in %.1f s\n", j->spec.name, j->kver,
		j->packages, secs(now_ns() - t0));
	return 0;
}

/* O_APPEND: qemu writes the console into the same file (chardev append=on). */
static int open_log(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
}

/* Start qemu on @j's kernel; @cmdline already made. */
static pid_t qemu_start(const struct km_ctx *x, const struct km_job *j, const char *accel,
			int smp, int mem_mb, const char *cmdline, const char *console,
			const char *results)
{
	char kernel[PATH_MAX], initrd[PATH_MAX], buf[3 * PATH_MAX + KM_CMDLINE_MAX];
	char *argv[KM_ARGV_MAX];
	pid_t pid;
	int err, fd;

	(void)x;
	if (pathf(kernel, sizeof(kernel), "%s/vmlinuz", j->kdir) ||
	    pathf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", j->kdir))
		return -ENAMETOOLONG;
	err = km_qemu_argv(&(struct km_guest){
		.qemu = KM_QEMU, .accel = accel, .smp = smp, .mem_mb = mem_mb,
		.kernel = kernel, .initrd = initrd, .cmdline = cmdline,
		.console = console, .results = results,
	}, buf, sizeof(buf), argv, KM_ARGV_MAX);
	if (err < 0)
		return err;
	/* qemu's complaints, such as an MSR that KVM refuses, beside the console */
	fd = open_log(console);
	if (fd < 0)
		return -errno;
	pid = proc_spawn(argv, (int []){ -1, -1, fd });
	close(fd);
	return pid;
}

/* Wait for @pid until @deadline; SIGKILL it then.  Its wait status, or -ETIMEDOUT. */
static int wait_until(pid_t pid, int64_t deadline)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (now_ns() >= deadline) {
			kill(pid, SIGKILL);
			proc_wait(pid, &status);
			return -ETIMEDOUT;
		}
		sleep_until_ns(now_ns() + KM_POLL_MS * NSEC_PER_MSEC);
	}
}

/*
 * --accel auto: boot the first guest kernel under KVM with an init that
 * powers off at once.  Only a guest that got that far proves KVM: qemu
 * can abort on the CPU model, and a kernel can hang in its decompressor.
 */
static void accel_choose(struct km_ctx *x)
{
	char cmdline[KM_CMDLINE_MAX], console[PATH_MAX], said[160] = "";
	struct km_job *j = NULL;
	double took;
	int64_t t0;
	char *log;
	pid_t pid;
	int st;

	x->accel = x->o->accel && strcmp(x->o->accel, "auto") ? x->o->accel : NULL;
	if (x->accel) {
		snprintf(x->accel_why, sizeof(x->accel_why), "--accel %s", x->accel);
		return;
	}
	x->accel = "tcg";
	for (int i = 0; i < x->njobs && !j; i++)
		if (x->job[i].guest && x->job[i].state == JOB_WAIT)
			j = &x->job[i];
	if (!j)
		return;
	if (access("/dev/kvm", R_OK | W_OK)) {
		snprintf(x->accel_why, sizeof(x->accel_why), "no usable /dev/kvm");
		return;
	}
	if (km_cmdline(&(struct km_boot){ .probe = true }, cmdline, sizeof(cmdline)) ||
	    pathf(console, sizeof(console), "%s/kvm-probe.log", x->out))
		return;
	fprintf(stderr, "twlab: probing KVM with %s (%d s at most)\n", j->kver, KM_PROBE_S);
	t0 = now_ns();
	pid = qemu_start(x, j, "kvm", 1, KM_PROBE_MEM_MB, cmdline, console, NULL);
	st = pid < 0 ? pid : wait_until(pid, t0 + KM_PROBE_S * NSEC_PER_SEC);
	took = secs(now_ns() - t0);
	log = slurp(console);
	if (st == 0 && log && strstr(log, "twlab-guest: probe: up"))
		x->accel = "kvm";
	if (!log || !km_console_reason(log, said, sizeof(said)))
		snprintf(said, sizeof(said), "the guest never came up");
	if (!strcmp(x->accel, "kvm"))
		snprintf(x->accel_why, sizeof(x->accel_why), "the KVM probe booted %s in %.1f s",
			 j->kver, took);
	else if (st == -ETIMEDOUT)
		snprintf(x->accel_why, sizeof(x->accel_why), "under KVM %s did not come up "
			 "within %d s; see kvm-probe.log", j->kver, KM_PROBE_S);
	else
		snprintf(x->accel_why, sizeof(x->accel_why), "under KVM qemu ended after %.1f s "
			 "with status %d: %s", took, st >= 0 ? proc_exit_code(st) : st, said);
	free(log);
}

/* Remove what an earlier run into the same --out left in the share. */
static void share_clean(const struct km_job *j)
{
	static const char *const names[] = { "out.json", "booted", "rc", "ktap.txt" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!pathf(path, sizeof(path), "%s/%s", j->dir, names[i]))
			unlink(path);
}

static int guest_start(struct km_ctx *x, struct km_job *j)
{
	char cmdline[KM_CMDLINE_MAX];
	int err;

	err = km_cmdline(&(struct km_boot){
		.exe = x->exe, .kdir = j->kdir, .jobs = x->guest_jobs,
		.nargs = x->o->nfilters, .args = x->o->filters,
	}, cmdline, sizeof(cmdline));
	if (err)
		return err;
	share_clean(j);
	j->t0 = now_ns();
	j->pid = qemu_start(x, j, x->accel, x->smp, x->mem_mb, cmdline, j->log, j->dir);
	if (j->pid < 0)
		return j->pid;
	fprintf(stderr, "twlab: booting %s (%s) under %s; its console is %s\n",
		j->spec.name, j->kver, x->accel, j->log);
	return 0;
}

/* `twlab run` on this kernel, its KTAP into the log. */
static int host_start(struct km_ctx *x, struct km_job *j)
{
	char *argv[KM_MAX_FILTERS + 10];
	int n = 0, fd;

	argv[n++] = x->exe;
	argv[n++] = "run";
	argv[n++] = "--json";
	argv[n++] = j->json;
	argv[n++] = "--out";
	argv[n++] = j->dir;
	argv[n++] = "--time-scale";
	argv[n++] = KM_HOST_TIME_SCALE;
	for (int i = 0; i < x->o->nfilters; i++)
		argv[n++] = (char *)x->o->filters[i];
	argv[n] = NULL;
	unlink(j->json);
	fd = open_log(j->log);
	if (fd < 0)
		return -errno;
	j->t0 = now_ns();
	j->pid = proc_spawn(argv, (int []){ -1, fd, fd });
	close(fd);
	if (j->pid < 0)
		return j->pid;
	fprintf(stderr, "twlab: running the suite on this kernel; its KTAP is %s\n", j->log);
	return 0;
}

static int job_start(struct km_ctx *x, struct km_job *j)
{
	int err = j->guest ? guest_start(x, j) : host_start(x, j);

	if (err) {
		job_error(j, "cannot start: %s", strerror(-err));
		j->state = JOB_DONE;
		return err;
	}
	j->deadline = j->t0 + (int64_t)x->timeout_s * NSEC_PER_SEC;
	j->state = JOB_RUN;
	return 0;
}

/* The JSON a run left, its release and results counted; NULL if none or not a run. */
static json_t *json_take(struct km_job *j, const char *path)
{
	json_t *run = json_load_file(path, 0, NULL);
	const char *rel;

	if (run && km_outcomes(run, j->n)) {
		json_decref(run);
		return NULL;
	}
	rel = run ? json_string_value(json_object_get(json_object_get(run, "kernel"), "release"))
		  : NULL;
	snprintf(j->release, sizeof(j->release), "%s", rel ?: "-");
	return run;
}

static double file_seconds(const char *dir, const char *name)
{
	char path[PATH_MAX], *text;
	double s = -1;

	if (pathf(path, sizeof(path), "%s/%s", dir, name))
		return -1;
	text = slurp(path);
	if (text && sscanf(text, "%lf", &s) != 1)
		s = -1;
	free(text);
	return s;
}

/* Why a guest left no JSON: what its console said, else what qemu did. */
static void guest_reason(const struct km_ctx *x, struct km_job *j)
{
	char why[256] = "", st[64];
	char *console = slurp(j->log);
	bool said = console && km_console_reason(console, why, sizeof(why));

	free(console);
	proc_status_text(j->status, st, sizeof(st));
	if (j->timed_out)
		job_error(j, "still running after %d s, so killed%s%s%s; "
			 "see %s", x->timeout_s, said ? " (it said: " : "", why, said ? ")" : "",
			 j->log);
	else if (said)
		job_error(j, "%s; see %s", why, j->log);
	else if (file_seconds(j->dir, "rc") >= 0)
		job_error(j, "twlab ran in the guest but wrote no "
			 "JSON; see %s", j->log);
	else
		job_error(j, "qemu %s before the guest ran twlab; see %s",
			 st, j->log);
}

static void guest_collect(const struct km_ctx *x, struct km_job *j)
{
	char path[PATH_MAX];
	json_t *run;
	int err;

	if (pathf(path, sizeof(path), "%s/out.json", j->dir))
		return;
	run = j->timed_out ? NULL : json_take(j, path);
	if (!run) {
		guest_reason(x, j);
		return;
	}
	err = km_annotate(run, &(struct km_vm){
		.spec = j->spec.name, .accel = x->accel, .packages = j->packages,
		.smp = x->smp, .mem_mb = x->mem_mb,
		.boot_s = j->t_boot ? secs(j->t_boot - j->t0) : -1,
		.guest_boot_s = file_seconds(j->dir, "booted"),
		.qemu_s = secs(j->t_end - j->t0),
	}, j->dir);
	if (err || json_dump_file(run, j->json, JSON_INDENT(2) | JSON_SORT_KEYS))
		job_error(j, "cannot write %s", j->json);
	json_decref(run);
}

static void host_collect(const struct km_ctx *x, struct km_job *j)
{
	char st[64];
	json_t *run = j->timed_out ? NULL : json_take(j, j->json);

	/* reaped late if it ended while a kernel was being fetched: its own clock */
	if (run && json_is_number(json_object_get(run, "wall_s")))
		j->wall_s = json_number_value(json_object_get(run, "wall_s"));
	json_decref(run);
	if (run)
		return;
	proc_status_text(j->status, st, sizeof(st));
	if (j->timed_out)
		job_error(j, "still running after %d s, killed; see %s",
			 x->timeout_s, j->log);
	else
		job_error(j, "twlab run %s and wrote no JSON; see %s",
			 st, j->log);
}

static int renice_one(const char *tid, void *prio)
{
	setpriority(PRIO_PROCESS, atoi(tid), *(int *)prio);
	return 0;
}

/* Every thread of @pid (qemu's vCPUs are threads) at nice @prio. */
static void renice_all(pid_t pid, int prio)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	proc_dir_each(path, DT_DIR, renice_one, &prio);
}

static bool host_running(const struct km_ctx *x)
{
	for (int i = 0; i < x->njobs; i++)
		if (!x->job[i].guest && x->job[i].state == JOB_RUN)
			return true;
	return false;
}

/*
 * Guests yield to the host's run only while it runs: once it is done,
 * the booted ones go back to our priority (their last minute, and the
 * writes of their results over 9p, took 40 s more at nice 19 on a busy
 * machine).
 */
static void guests_renice(const struct km_ctx *x)
{
	int prio = host_running(x) ? KM_QEMU_NICE : 0;

	for (int i = 0; i < x->njobs; i++)
		if (x->job[i].guest && x->job[i].state == JOB_RUN && x->job[i].t_boot)
			renice_all(x->job[i].pid, prio);
}

/* One pass over the running jobs: boots seen, ends reaped, the late killed. */
static int jobs_poll(struct km_ctx *x)
{
	char path[PATH_MAX];
	int running = 0;

	for (int i = 0; i < x->njobs; i++) {
		struct km_job *j = &x->job[i];
		int64_t now = now_ns();
		pid_t r;

		if (j->state != JOB_RUN)
			continue;
		if (j->guest && !j->t_boot && !pathf(path, sizeof(path), "%s/booted", j->dir) &&
		    !access(path, F_OK)) {
			j->t_boot = now;
			guests_renice(x);
			fprintf(stderr, "twlab: %s is up after %.1f s\n", j->spec.name,
				secs(now - j->t0));
		}
		r = waitpid(j->pid, &j->status, WNOHANG);
		if (r == 0 && now >= j->deadline) {
			kill(j->pid, SIGKILL);
			r = proc_wait(j->pid, &j->status) ?: j->pid;
			j->timed_out = true;
		}
		if (r != j->pid) {
			running++;
			continue;
		}
		j->t_end = now_ns();
		j->wall_s = secs(j->t_end - j->t0);
		j->state = JOB_DONE;
		if (j->guest) {
			guest_collect(x, j);
		} else {
			host_collect(x, j);
			guests_renice(x);
		}
		fprintf(stderr, "twlab: %s done after %.1f s%s%s\n", j->spec.name,
			j->wall_s, *j->error ? ": " : "", j->error);
	}
	return running;
}

/* Guests wait for a slot of -j; the host's run never does. */
static void jobs_run(struct km_ctx *x)
{
	for (;;) {
		int guests = 0, waiting = 0;

		for (int i = 0; i < x->njobs; i++) {
			guests += x->job[i].guest && x->job[i].state == JOB_RUN;
			waiting += x->job[i].state == JOB_WAIT;
		}
		for (int i = 0; i < x->njobs && guests < x->jobs; i++)
			if (x->job[i].state == JOB_WAIT && !job_start(x, &x->job[i]))
				guests += x->job[i].guest;
		if (!jobs_poll(x) && !waiting)
			return;
		sleep_until_ns(now_ns() + KM_POLL_MS * NSEC_PER_MSEC);
	}
}

static void job_row(const struct km_ctx *x, const struct km_job *j, struct km_row *r)
{
	*r = (struct km_row){
		.kernel = j->spec.name,
		.release = *j->release ? j->release : *j->kver ? j->kver : "-",
		.accel = j->guest && j->t0 ? x->accel : "-",
		.boot_s = j->t_boot ? secs(j->t_boot - j->t0) : -1,
		.wall_s = j->t_end ? j->wall_s : -1,
		.n = j->n, .error = j->error,
	};
}

/* The table on stdout, and DIR/matrix.json with the same figures. */
static void summary(const struct km_ctx *x, double wall_s)
{
	struct km_row rows[KM_MAX_KERNELS];
	char path[PATH_MAX];
	bool guests = false;
	json_t *j;

	for (int i = 0; i < x->njobs; i++) {
		guests |= x->job[i].guest;
		job_row(x, &x->job[i], &rows[i]);
	}
	printf("# twlab matrix: %d kernel%s", x->njobs, x->njobs == 1 ? "" : "s");
	if (guests)
		printf("; guests under %s (%s), %d CPU%s, %d MiB and %d instances at once each",
		       x->accel, *x->accel_why ? x->accel_why : "no guest was fetched to probe "
		       "KVM with", x->smp, x->smp == 1 ? "" : "s", x->mem_mb, x->guest_jobs);
	printf("\n");
	km_summary_head(stdout);
	for (int i = 0; i < x->njobs; i++)
		km_summary_row(stdout, &rows[i]);
	printf("# wall time %.1f s; everything in %s/\n", wall_s, x->out);
	fflush(stdout);
	j = km_summary_json(rows, x->njobs, wall_s);
	if (!j || pathf(path, sizeof(path), "%s/matrix.json", x->out) ||
	    json_dump_file(j, path, JSON_INDENT(2) | JSON_REAL_PRECISION(10)))
		fprintf(stderr, "twlab: cannot write %s/matrix.json\n", x->out);
	json_decref(j);
}

static int report(const struct km_ctx *x)
{
	const char *files[KM_MAX_KERNELS];
	char dir[PATH_MAX];
	int n = 0;

	for (int i = 0; i < x->njobs; i++)
		if (!*x->job[i].error)
			files[n++] = x->job[i].json;
	if (!n) {
		fprintf(stderr, "twlab: no kernel gave results, so there is no report\n");
		return 1;
	}
	if (pathf(dir, sizeof(dir), "%s/report", x->out))
		return 1;
	return report_main(files, n, dir);
}

/*
 * The release of kernel image @path, as its uname -r will say it: from a
 * bzImage's setup header, or a kernel .deb's package name.  0, or -ENOEXEC
 * for a file that is neither, -errno for one that cannot be read.
 */
static int image_release(const char *path, char *rel, size_t len)
{
	static unsigned char head[64 << 10];	/* the setup code: its version string is in it */
	char pkg[256], *argv[] = { "dpkg-deb", "--field", (char *)path, "Package", NULL };
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, head, sizeof(head));
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (n >= 8 && !memcmp(head, "!<arch>\n", 8)) {
		/* quiet: dpkg-deb's own complaint about a broken archive would be a second line */
		if (run_wait(argv, pkg, sizeof(pkg), true))
			return -ENOEXEC;
		chomp(pkg);
		return km_deb_release(pkg, rel, len);
	}
	return km_bzimage_release(head, n, rel, len);
}

/*
 * Each --kernel FILE named by its release; a file that is not a kernel, a
 * --modules that is not a folder, or two kernels of one name, is a usage
 * error: 2, after one line.
 */
static int images_name(struct km_ctx *x)
{
	struct stat st;

	for (int i = 0; i < x->njobs; i++) {
		struct km_spec *k = &x->job[i].spec;
		int err;

		if (k->kind != KSPEC_FILE)
			continue;
		if (k->modules && (stat(k->modules, &st) < 0 || !S_ISDIR(st.st_mode))) {
			fprintf(stderr, "twlab: --modules %s: not a folder; name the "
				"lib/modules/<release> folder of %s\n", k->modules, k->path);
			return 2;
		}
		err = image_release(k->path, k->name, sizeof(k->name));
		if (err) {
			fprintf(stderr, "twlab: --kernel %s: %s\n", k->path,
				err == -ENOEXEC ? "not a kernel: name a bzImage or a kernel .deb"
						: strerror(-err));
			return 2;
		}
		for (int o = 0; o < i; o++)
			if (!strcmp(x->job[o].spec.name, k->name)) {
				fprintf(stderr, "twlab: --kernel %s is %s, as is the --kernel %s "
					"before it; name each kernel once\n", k->path, k->name,
					x->job[o].spec.path ?: x->job[o].spec.name);
				return 2;
			}
	}
	return 0;
}

static int jobs_init(struct km_ctx *x)
{
	for (int i = 0; i < x->njobs; i++) {
		struct km_job *j = &x->job[i];

		j->guest = j->spec.kind != KSPEC_HOST;
		if (pathf(j->dir, sizeof(j->dir), "%s/%s", x->out, j->spec.name) ||
		    pathf(j->log, sizeof(j->log), "%s/%s.log", x->out, j->spec.name) ||
		    pathf(j->json, sizeof(j->json), "%s/%s.json", x->out, j->spec.name) ||
		    proc_mkdir_p(j->dir))
			return -ENAMETOOLONG;
	}
	return 0;
}

/* --out DIR, or ./twlab-out/matrix-<UTC time>/, and --cache DIR: absolute, made. */
static int dirs_make(struct km_ctx *x)
{
	char want[PATH_MAX], stamp[PROC_STAMP_LEN];
	int err;

	proc_utc_stamp(time(NULL), stamp, sizeof(stamp));
	if (pathf(want, sizeof(want), x->o->out ? "%s" : "twlab-out/matrix-%s",
		  x->o->out ?: stamp))
		return -ENAMETOOLONG;
	err = dir_make_abs(want, x->out);
	if (err) {
		fprintf(stderr, "twlab: cannot make the output folder %s: %s; name another "
			"with --out DIR\n", want, strerror(-err));
		return err;
	}
	err = dir_make_abs(x->o->cache ?: KM_CACHE_DEFAULT, x->cache);
	if (err)
		fprintf(stderr, "twlab: cannot make the kernel cache %s: %s; name another "
			"with --cache DIR\n", x->o->cache ?: KM_CACHE_DEFAULT, strerror(-err));
	return err;
}

static int prepare(struct km_ctx *x)
{
	const struct tw_case *sel[REGISTRY_MAX];
	const char *bad = NULL;
	bool guests = false;
	int err;

	if (registry_select(x->o->filters, x->o->nfilters, sel, REGISTRY_MAX, &bad) < 0) {
		fprintf(stderr, "twlab: no case or claim named '%s'; 'twlab list' shows them\n", bad);
		return 2;
	}
	x->njobs = x->o->nkernels;
	for (int i = 0; i < x->njobs; i++)
		x->job[i].spec = x->o->kernels[i];
	err = images_name(x);
	if (err)
		return err;
	if (geteuid()) {
		fprintf(stderr, "twlab: matrix installs packages, boots kernels and builds lab "
			"namespaces; run it as root (sudo twlab matrix)\n");
		return 2;
	}
	for (int i = 0; i < x->o->nkernels; i++)
		guests |= x->o->kernels[i].kind != KSPEC_HOST;
	err = self_paths(x);
	if (err && guests) {
		fprintf(stderr, "twlab: cannot find kernel-fetch.sh in ../lib/twlab or ci "
			"beside %s: %s; set TWLAB_CI to the folder that holds it\n",
			x->exe, strerror(-err));
		return 1;
	}
	if (dirs_make(x) || jobs_init(x))
		return 1;
	if (guests && deps_install(x))
		return 1;
	return 0;
}

static int guests_at_once(const struct kmatrix_opts *o, int jobs)
{
	int guests = 0;

	for (int i = 0; i < o->nkernels; i++)
		guests += o->kernels[i].kind != KSPEC_HOST;
	return guests < jobs ? guests : jobs;
}

int kmatrix_main(const struct kmatrix_opts *o)
{
	struct km_ctx *x = calloc(1, sizeof(*x));
	int64_t t0 = now_ns();
	int ret, bad = 0;

	if (!x) {
		fprintf(stderr, "twlab: out of memory\n");
		return 1;
	}
	x->o = o;
	x->jobs = o->jobs ?: KM_DEFAULT_JOBS;
	x->smp = o->smp ?: km_default_smp(sysconf(_SC_NPROCESSORS_ONLN),
					   guests_at_once(o, x->jobs), KM_DEFAULT_SMP);
	x->guest_jobs = o->guest_jobs ?: KM_DEFAULT_GUEST_JOBS;
	x->mem_mb = o->mem_mb ?: KM_DEFAULT_MEM_MB;
	x->timeout_s = o->timeout_s ?: KM_DEFAULT_TIMEOUT_S;
	x->accel = "tcg";
	ret = prepare(x);
	if (ret)
		goto out;
	/* the host's run goes first: it needs nothing fetched */
	for (int i = 0; i < x->njobs; i++)
		if (!x->job[i].guest)
			job_start(x, &x->job[i]);
	for (int i = 0; i < x->njobs; i++)
		if (x->job[i].guest && fetch(x, &x->job[i]))
			x->job[i].state = JOB_DONE;
	accel_choose(x);
	jobs_run(x);
	summary(x, secs(now_ns() - t0));
	for (int i = 0; i < x->njobs; i++) {
		struct km_row r;

		job_row(x, &x->job[i], &r);
		bad |= km_row_bad(&r);
	}
	ret = report(x) ? 1 : bad;
out:
	free(x);
	return ret;
}
