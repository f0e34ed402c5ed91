// SPDX-License-Identifier: GPL-2.0
/*
 * lib/proc: the run's time stamp, mkdir -p, the one line that says how a
 * child ended, a whole memfd read back, and a child's exec failure said by
 * proc_spawn() rather than by an exit status.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "proc.h"

static void stamp_is_iso8601_utc(void **state)
{
	char buf[PROC_STAMP_LEN];

	(void)state;
	proc_utc_stamp(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	proc_utc_stamp(1700000000, buf, sizeof(buf));
	assert_string_equal(buf, "2023-11-14T22:13:20Z");
	assert_int_equal(strlen(buf) + 1, PROC_STAMP_LEN);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* rm -r: the folder a test made, and all it made in it */
static void tmp_remove(const char *dir)
{
	assert_int_equal(nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static void mkdir_p_makes_the_parents(void **state)
{
	char tmp[] = "/tmp/twlab-proc-XXXXXX", path[PATH_MAX], file[PATH_MAX];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/a/b/c", tmp);
	assert_int_equal(proc_mkdir_p(path), 0);
	assert_true(is_dir(path));
	/* there already, and with a trailing slash: both fine */
	assert_int_equal(proc_mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/a/b/c/", tmp);
	assert_int_equal(proc_mkdir_p(path), 0);
	/* a file in the way is no folder */
	snprintf(file, sizeof(file), "%s/a/f", tmp);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(proc_mkdir_p(file), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/a/f/g", tmp);
	assert_int_equal(proc_mkdir_p(path), -ENOTDIR);

	tmp_remove(tmp);
}

static int count_name(const char *name, void *arg)
{
	int *n = arg;

	(*n)++;
	return strcmp(name, "stop") ? 0 : 7;
}

/* Only the entries of the type asked for, never "." nor "..", until the callback says stop. */
static void dir_each_entries(void **state)
{
	char tmp[] = "/tmp/twlab-proc-XXXXXX", path[PATH_MAX];
	int n = 0;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/f", tmp);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/d", tmp);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(proc_dir_each(tmp, DT_REG, count_name, &n), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(proc_dir_each(tmp, DT_UNKNOWN, count_name, &n), 0);
	assert_int_equal(n, 2);
	snprintf(path, sizeof(path), "%s/stop", tmp);
	fclose(fopen(path, "w"));
	n = 0;
	assert_int_equal(proc_dir_each(tmp, DT_REG, count_name, &n), 7);
	assert_int_equal(proc_dir_each("/nonexistent-twlab", DT_REG, count_name, &n), -ENOENT);

	tmp_remove(tmp);
}

static void status_in_one_line(void **state)
{
	char buf[96];

	(void)state;
	proc_status_text(W_EXITCODE(0, 0), buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 0");
	proc_status_text(W_EXITCODE(3, 0), buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 3");
	proc_status_text(W_EXITCODE(0, SIGKILL), buf, sizeof(buf));
	assert_string_equal(buf, "was killed by signal 9 (Killed)");
	assert_int_equal(proc_exit_code(W_EXITCODE(3, 0)), 3);
	assert_int_equal(proc_exit_code(W_EXITCODE(0, SIGKILL)), 128 + 9);
}

/* From its start, wherever the fd stands, and larger than one read. */
static void read_fd_whole(void **state)
{
	int fd = memfd_create("twlab-proc-test", MFD_CLOEXEC);
	char big[10000], *text;

	(void)state;
	assert_true(fd >= 0);
	memset(big, 'x', sizeof(big));
	assert_int_equal(write(fd, big, sizeof(big)), sizeof(big));
	assert_int_equal(proc_read_fd(fd, &text), 0);
	assert_int_equal(strlen(text), sizeof(big));
	free(text);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(proc_read_fd(fd, &text), 0);
	assert_string_equal(text, "");
	free(text);
	close(fd);
}

static void run_and_its_status(void **state)
{
	int fd = memfd_create("twlab-proc-test", MFD_CLOEXEC), status;
	char *text;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(proc_run((char *[]){ "sh", "-c", "echo hi; exit 3", NULL },
				  (int []){ -1, fd, -1 }, &status), 0);
	assert_int_equal(proc_exit_code(status), 3);
	assert_int_equal(proc_read_fd(fd, &text), 0);
	assert_string_equal(text, "hi\n");
	free(text);
	close(fd);
	/* no such program: said by the spawn, not as status 127 */
	assert_int_equal(proc_run((char *[]){ "twlab-no-such-program", NULL }, NULL, &status),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stamp_is_iso8601_utc),
		cmocka_unit_test(mkdir_p_makes_the_parents),
		cmocka_unit_test(dir_each_entries),
		cmocka_unit_test(status_in_one_line),
		cmocka_unit_test(read_fd_whole),
		cmocka_unit_test(run_and_its_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
