/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The processes and files the harness makes: a tool run to its end, the
 * one-line account of how a child ended, a folder made with its parents
 * or walked, the UTC time stamp a run is named by, and the whole of a
 * file read back.
 */
#ifndef TWLAB_PROC_H
#define TWLAB_PROC_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* "2024-05-01T12:00:00Z": 20 characters and the NUL */
#define PROC_STAMP_LEN	21

/*
 * fork and exec @argv (searched on PATH) with stdin, stdout and stderr on
 * @fd[0..2]; a NULL @fd or an fd of -1 leaves ours, except stdin, which
 * is /dev/null then: a child never reads our terminal.  The child carries
 * PR_SET_PDEATHSIG(SIGKILL), so it dies with us.  Its pid, or -errno; an
 * exec that failed (-ENOENT: no such program) is said here, not by an
 * exit status of 127.
 */
pid_t proc_spawn(char *const *argv, const int *fd);
/* waitpid() retried on EINTR: 0 with the wait status in *@status, or -errno. */
int proc_wait(pid_t pid, int *status);
/* proc_spawn() then proc_wait(): 0 with the wait status in *@status, or -errno. */
int proc_run(char *const *argv, const int *fd, int *status);
/* The exit status, or 128 + the signal that killed it, as a shell says $?. */
int proc_exit_code(int status);
/* "exited with status 3", "was killed by signal 9 (Killed)" */
void proc_status_text(int status, char *buf, size_t len);

/* mkdir -p @path, mode 0755: 0 if it is there afterwards, or -errno. */
int proc_mkdir_p(const char *path);
/* @t as ISO-8601 UTC, "%Y-%m-%dT%H:%M:%SZ", into @buf of PROC_STAMP_LEN or more. */
void proc_utc_stamp(time_t t, char *buf, size_t len);
/*
 * @fn(name, @arg) for each entry of the folder @path but "." and "..",
 * of d_type @type (DT_REG, DT_DIR; DT_UNKNOWN: any), until @fn returns
 * non-zero: that, -errno when the folder will not open, or 0.
 */
int proc_dir_each(const char *path, unsigned char type,
		  int (*fn)(const char *name, void *arg), void *arg);
/* All of @fd (a file or a memfd), from its start, NUL-terminated for free(). */
int proc_read_fd(int fd, char **out);

#endif
