// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

/*
 * The child's side of proc_spawn(): what goes wrong before exec (and exec
 * itself) is written as errno into @errfd, which exec closes (O_CLOEXEC)
 * when it works: the parent reads either the errno or end of file.
 */
static void __attribute__((noreturn))
child(char *const *argv, const int *fd, pid_t parent, int errfd)
{
	ssize_t n;
	int err;

	/* the parent may have died before prctl(): then nobody would kill us */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		goto fail;
	for (int i = STDIN_FILENO; i <= STDERR_FILENO; i++) {
		int from = fd ? fd[i] : -1;

		if (from < 0 && i == STDIN_FILENO)
			from = open("/dev/null", O_RDONLY);
		if (from >= 0 && from != i && dup2(from, i) < 0)
			goto fail;
	}
	execvp(argv[0], argv);
fail:
	err = errno ?: ESRCH;
	n = write(errfd, &err, sizeof(err));
	(void)n;
	_exit(127);
}

pid_t proc_spawn(char *const *argv, const int *fd)
{
	pid_t parent = getpid(), pid;
	int ep[2], err = 0, status;
	ssize_t n;

	if (pipe2(ep, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);	/* a child must not flush our buffers twice */
	pid = fork();
	if (!pid)
		child(argv, fd, parent, ep[1]);
	close(ep[1]);
	if (pid < 0) {
		err = -errno;
		goto out;
	}
	do
		n = read(ep[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		proc_wait(pid, &status);
		err = -err;
	} else {
		err = 0;
	}
out:
	close(ep[0]);
	return err ?: pid;
}

int proc_wait(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

int proc_run(char *const *argv, const int *fd, int *status)
{
	pid_t pid = proc_spawn(argv, fd);

	return pid < 0 ? pid : proc_wait(pid, status);
}

int proc_exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void proc_status_text(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
}

int proc_mkdir_p(const char *path)
{
	char dir[PATH_MAX];
	struct stat st;
	int n = snprintf(dir, sizeof(dir), "%s", path);

	if (n < 0 || (size_t)n >= sizeof(dir))
		return -ENAMETOOLONG;
	for (char *p = dir + 1; ; p++) {
		char ch = *p;

		if (ch && ch != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = ch;
		if (!ch)
			break;
	}
	/* EEXIST also stands for a file of that name */
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

void proc_utc_stamp(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

int proc_dir_each(const char *path, unsigned char type,
		  int (*fn)(const char *name, void *arg), void *arg)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -errno;
	while (!ret && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (type == DT_UNKNOWN || e->d_type == type))
			ret = fn(e->d_name, arg);
	closedir(d);
	return ret;
}

int proc_read_fd(int fd, char **out)
{
	size_t got = 0, cap = 0;
	char *buf = NULL, *nb;
	int err = 0;

	*out = NULL;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (got + 1 >= cap) {
			cap = cap ? 2 * cap : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto out;
		}
		if (!n)
			break;
		got += n;
	}
	buf[got] = '\0';
	*out = buf;
	return 0;
out:
	free(buf);
	return err;
}
