// SPDX-License-Identifier: GPL-2.0
/*
 * A script through gnuplot, for the SVG it writes.  The child's stdin,
 * stdout and stderr are memfds: no temporary file to clean up, and no
 * pipe that could fill while we are still writing the script.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

extern char **environ;

enum { GP_IN, GP_OUT, GP_ERR, GP_NFDS };

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= n;
	}
	return 0;
}

/* All of @fd, from its start, as a string. */
static int read_all(int fd, char **out)
{
	struct stat st;
	size_t got = 0;
	char *buf;

	*out = NULL;
	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	buf = malloc(st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	*out = buf;
	return 0;
}

static int spawn(const int *fd, pid_t *pid)
{
	char *const argv[] = { "gnuplot", NULL };
	posix_spawn_file_actions_t fa;
	int err;

	err = posix_spawn_file_actions_init(&fa);
	if (err)
		return -err;
	for (int i = 0; i < GP_NFDS && !err; i++)
		err = posix_spawn_file_actions_adddup2(&fa, fd[i], i);
	if (!err)
		err = posix_spawnp(pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return -err;
}

/* gnuplot's complaint: its last line, which says what went wrong where. */
static void complaint(int fd, int status, char *err, size_t len)
{
	char *text = NULL;
	const char *line;
	size_t l;

	read_all(fd, &text);
	l = text ? strlen(text) : 0;
	while (l && (unsigned char)text[l - 1] <= ' ')
		text[--l] = '\0';
	line = l ? strrchr(text, '\n') : NULL;
	line = line ? line + 1 : l ? text : "(it said nothing)";
	if (WIFSIGNALED(status))
		snprintf(err, len, "gnuplot was killed by signal %d: %s", WTERMSIG(status), line);
	else
		snprintf(err, len, "gnuplot exited with status %d: %s", WEXITSTATUS(status), line);
	free(text);
}

int gnuplot_svg(const char *script, char **svg, char *err, size_t len)
{
	int fd[GP_NFDS] = { -1, -1, -1 }, status = 0, ret;
	pid_t pid;

	*svg = NULL;
	for (int i = 0; i < GP_NFDS; i++) {
		fd[i] = memfd_create("twlab-gnuplot", MFD_CLOEXEC);
		if (fd[i] < 0) {
			ret = -errno;
			snprintf(err, len, "memfd_create: %s", strerror(-ret));
			goto out;
		}
	}
	ret = write_all(fd[GP_IN], script, strlen(script));
	if (!ret && lseek(fd[GP_IN], 0, SEEK_SET) < 0)
		ret = -errno;
	if (ret) {
		snprintf(err, len, "cannot hand gnuplot its script: %s", strerror(-ret));
		goto out;
	}
	ret = spawn(fd, &pid);
	if (ret == -ENOENT) {
		snprintf(err, len, "gnuplot is not installed (Debian package gnuplot-nox; "
			 "ci/deps.sh installs it)");
		goto out;
	}
	if (ret) {
		snprintf(err, len, "cannot run gnuplot: %s", strerror(-ret));
		goto out;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		complaint(fd[GP_ERR], status, err, len);
		ret = -EIO;
		goto out;
	}
	ret = read_all(fd[GP_OUT], svg);
	if (!ret && !strstr(*svg, "<svg")) {
		snprintf(err, len, "gnuplot wrote no SVG");
		ret = -EIO;
	}
out:
	if (ret) {
		free(*svg);
		*svg = NULL;
	}
	for (int i = 0; i < GP_NFDS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return ret;
}
