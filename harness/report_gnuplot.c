// SPDX-License-Identifier: GPL-2.0
/*
 * A script through gnuplot, for the SVG it writes.  The child's stdin,
 * stdout and stderr are memfds: no temporary file to clean up, and no
 * pipe that could fill while we are still writing the script.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "proc.h"
#include "report.h"

enum { GP_IN, GP_OUT, GP_ERR, GP_NFDS };

/* gnuplot's complaint: its last line, which says what went wrong where. */
static void complaint(int fd, int status, char *err, size_t len)
{
	char *text = NULL, how[96];
	const char *line;
	size_t l;

	proc_read_fd(fd, &text);
	l = text ? strlen(text) : 0;
	while (l && (unsigned char)text[l - 1] <= ' ')
		text[--l] = '\0';
	line = l ? strrchr(text, '\n') : NULL;
	line = line ? line + 1 : l ? text : "(it said nothing)";
	proc_status_text(status, how, sizeof(how));
	snprintf(err, len, "gnuplot %s: %s", how, line);
	free(text);
}

int gnuplot_svg(const char *script, char **svg, char *err, size_t len)
{
	int fd[GP_NFDS] = { -1, -1, -1 }, status = 0, ret;

	*svg = NULL;
	for (int i = 0; i < GP_NFDS; i++) {
		fd[i] = memfd_create("twlab-gnuplot", MFD_CLOEXEC);
		if (fd[i] < 0) {
			ret = -errno;
			snprintf(err, len, "memfd_create: %s", strerror(-ret));
			goto out;
		}
	}
	ret = conn_write_full(fd[GP_IN], script, strlen(script));
	if (!ret && lseek(fd[GP_IN], 0, SEEK_SET) < 0)
		ret = -errno;
	if (ret) {
		snprintf(err, len, "cannot hand gnuplot its script: %s", strerror(-ret));
		goto out;
	}
	ret = proc_run((char *[]){ "gnuplot", NULL }, fd, &status);
	if (ret == -ENOENT) {
		snprintf(err, len, "gnuplot is not installed (Debian package gnuplot-nox; "
			 "ci/deps.sh installs it)");
		goto out;
	}
	if (ret) {
		snprintf(err, len, "cannot run gnuplot: %s", strerror(-ret));
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		complaint(fd[GP_ERR], status, err, len);
		ret = -EIO;
		goto out;
	}
	ret = proc_read_fd(fd[GP_OUT], svg);
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
