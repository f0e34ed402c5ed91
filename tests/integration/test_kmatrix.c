// SPDX-License-Identifier: GPL-2.0
/*
 * twlab matrix on a real Debian kernel: bookworm's 6.1 (this machine's
 * own apt sources have it, so no private source is needed), booted under
 * qemu, runs active_closer.  Its JSON must come back with the guest's
 * release (6.1.x), both instances passed, a "vm" object, and the report.
 * Then twlab matrix is killed while a guest boots, by SIGKILL and by a
 * Ctrl-C to its process group: no qemu, no mount and no apt source may
 * outlive it.
 *
 * Slow: the first run downloads ~60 MB into the kernel cache (./twlab-cache,
 * or $TWLAB_CACHE), and the guest boots under TCG where KVM does not
 * work; the time it took is printed.  Skips, saying why, without root or
 * when ci/deps.sh cannot install qemu.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "itest.h"

#define TIMEOUT_S	"900"		/* TCG, one CPU: a minute is plenty; a hang is not */
#define UP_LIMIT_MS	180000		/* the kill tests: until qemu runs */
#define GONE_LIMIT_MS	10000
/* PR_SET_PDEATHSIG kills at once: a guest that ran on would take ~5 s to end */
#define KILLED_LIMIT_MS	2000

struct fixture {
	const char *twlab;
	char src[PATH_MAX];		/* the source tree: ci/ and the default cache */
	char cache[PATH_MAX];
	char dir[64];			/* everything the test writes but the cache */
	char apt_before[8192];		/* /etc/apt, listed */
};

static struct fixture fx;

/* Names, sizes and times under /etc/apt: a matrix run must not change them. */
static void apt_state(char *buf, size_t len)
{
	static const char *const dirs[] = { "/etc/apt", "/etc/apt/sources.list.d",
					    "/etc/apt/apt.conf.d", "/etc/apt/preferences.d" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		while (dir && (e = readdir(dir))) {
			char path[PATH_MAX];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dirs[d], e->d_name);
			if (*e->d_name == '.' || lstat(path, &st) || S_ISDIR(st.st_mode))
				continue;
			used += snprintf(buf + used, used < len ? len - used : 0, "%s %lld %lld\n",
					 path, (long long)st.st_size, (long long)st.st_mtime);
		}
		if (dir)
			closedir(dir);
	}
}

static int setup(void **state)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 64];
	const char *cache = getenv("TWLAB_CACHE");

	*state = NULL;
	fx.twlab = getenv("TWLAB");
	if (!fx.twlab || geteuid()) {
		print_message("skipped: needs root and TWLAB=path/to/twlab\n");
		return 0;
	}
	/* build/twlab: the source tree is one up */
	if (!realpath(fx.twlab, exe))
		return -1;
	snprintf(fx.src, sizeof(fx.src), "%s", dirname(dirname(exe)));
	if (snprintf(fx.cache, sizeof(fx.cache), "%s%s", cache ?: fx.src,
		     cache ? "" : "/twlab-cache") >= (int)sizeof(fx.cache))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/ci/deps.sh matrix", fx.src);
	if (system(cmd)) {
		print_message("skipped: '%s' could not install qemu and the rest\n", cmd);
		return 0;
	}
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/twlab-kmatrix-XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	apt_state(fx.apt_before, sizeof(fx.apt_before));
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	if (!*state)
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx.dir);
	return system(cmd) ? -1 : 0;
}

/* Processes whose command line mentions @needle, other than us. */
static int procs_with(const char *needle)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[300], buf[8192];
		size_t len;
		FILE *f;

		if (*e->d_name < '0' || *e->d_name > '9' || atoi(e->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (size_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = '\0';
		n += !!strstr(buf, needle);
	}
	if (d)
		closedir(d);
	return n;
}

static bool mounted_under(const char *needle)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	while (f && fgets(line, sizeof(line), f))
		found |= !!strstr(line, needle);
	if (f)
		fclose(f);
	return found;
}

/* Nothing of a matrix run into @out may be left: no process, no mount, no apt source. */
static void assert_nothing_left(const char *out)
{
	char apt[sizeof(fx.apt_before)];
	int64_t until = now_ns() + GONE_LIMIT_MS * NSEC_PER_MSEC;

	while (procs_with(out) && now_ns() < until)
		sleep_until_ns(now_ns() + 50 * NSEC_PER_MSEC);
	assert_int_equal(procs_with(out), 0);
	assert_false(mounted_under(out));
	assert_false(mounted_under(fx.cache));
	apt_state(apt, sizeof(apt));
	assert_string_equal(apt, fx.apt_before);
}

static void matrix_6_1(void **state)
{
	char out[128], cmd[2 * PATH_MAX], path[256], *rel;
	json_t *root, *vm;
	int64_t t0;
	int status;

	ITEST_NEED_RUN(state);
	snprintf(out, sizeof(out), "%s/run", fx.dir);
	snprintf(cmd, sizeof(cmd), "%s matrix --kernel 6.1 --smp 1 --timeout " TIMEOUT_S
		 " --out %s --cache %s active_closer", fx.twlab, out, fx.cache);
	print_message("running: %s\n", cmd);
	t0 = now_ns();
	status = system(cmd);
	print_message("twlab matrix --kernel 6.1 active_closer took %.1f s, fetch included\n",
		      ns_to_ms(now_ns() - t0) / 1000);
	assert_int_equal(status, 0);

	snprintf(path, sizeof(path), "%s/6.1.json", out);
	root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	assert_int_equal(itest_validate(path), 0);
	rel = (char *)itest_str(json_object_get(root, "kernel"), "release");
	print_message("the guest ran %s\n", rel);
	assert_true(!strncmp(rel, "6.1.", 4));
	assert_true(!!strstr(itest_str(json_object_get(root, "kernel"), "hz_source"), rel));
	itest_assert_case_passed(root, "active_closer", 2);
	vm = json_object_get(root, "vm");
	assert_true(json_is_object(vm));
	assert_true(!strcmp(itest_str(vm, "accel"), "tcg") || !strcmp(itest_str(vm, "accel"), "kvm"));
	assert_true(itest_num(vm, "boot_s") > 0);
	assert_true(itest_num(vm, "qemu_s") >= itest_num(vm, "boot_s"));
	assert_true(!strncmp(itest_str(vm, "packages"), "linux-image-6.1.", 16));
	print_message("boot %.1f s under %s; qemu ran %.1f s\n", itest_num(vm, "boot_s"),
		      itest_str(vm, "accel"), itest_num(vm, "qemu_s"));
	/* the captures the guest made are where the JSON now says */
	assert_int_equal(access(itest_str(json_array_get(itest_instances(root), 0), "pcap"),
				R_OK), 0);
	json_decref(root);

	/* the summary as JSON: inconclusive counted apart, and not a failure */
	snprintf(path, sizeof(path), "%s/matrix.json", out);
	root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	assert_true(json_is_true(json_object_get(root, "ok")));
	vm = json_array_get(json_object_get(root, "kernels"), 0);
	assert_true(json_is_integer(json_object_get(vm, "inconclusive")));
	assert_int_equal(json_integer_value(json_object_get(vm, "pass")), 2);
	json_decref(root);

	snprintf(path, sizeof(path), "%s/report/report.md", out);
	assert_int_equal(access(path, R_OK), 0);
	assert_nothing_left(out);
}

/*
 * Kill twlab matrix once qemu runs (its console log has something in it),
 * with @sig to its process group (Ctrl-C) or to it alone (kill -9).
 */
static void kill_while_booting(int sig, bool group, const char *name)
{
	char out[128], log[160];
	int64_t until, t0;
	struct stat st;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/%s", fx.dir, name);
	snprintf(log, sizeof(log), "%s/6.1.log", out);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		setpgid(0, 0);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execl(fx.twlab, fx.twlab, "matrix", "--kernel", "6.1", "--kernel", "host",
		      "--accel", "tcg", "--smp", "1", "--out", out, "--cache", fx.cache,
		      "active_closer", (char *)NULL);
		_exit(127);
	}
	until = now_ns() + UP_LIMIT_MS * NSEC_PER_MSEC;
	while ((stat(log, &st) || !st.st_size || !procs_with(log)) && now_ns() < until)
		sleep_until_ns(now_ns() + 20 * NSEC_PER_MSEC);
	assert_true(procs_with(log) > 0);
	kill(group ? -pid : pid, sig);
	waitpid(pid, NULL, 0);
	t0 = now_ns();
	while (procs_with(out) && ns_to_ms(now_ns() - t0) < KILLED_LIMIT_MS)
		sleep_until_ns(now_ns() + 10 * NSEC_PER_MSEC);
	print_message("%s: twlab matrix got signal %d while qemu ran; qemu was gone %.0f ms "
		      "later\n", name, sig, ns_to_ms(now_ns() - t0));
	assert_int_equal(procs_with(out), 0);
	assert_nothing_left(out);
}

static void kill9_while_booting(void **state)
{
	ITEST_NEED_RUN(state);
	kill_while_booting(SIGKILL, false, "kill9");
}

static void ctrl_c_while_booting(void **state)
{
	ITEST_NEED_RUN(state);
	kill_while_booting(SIGINT, true, "ctrl-c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matrix_6_1),
		cmocka_unit_test(kill9_while_booting),
		cmocka_unit_test(ctrl_c_while_booting),
	};

	return cmocka_run_group_tests_name("kmatrix", tests, setup, teardown);
}
