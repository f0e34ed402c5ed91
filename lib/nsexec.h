/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run a shell command inside a lab namespace and collect its output: how
 * twlab asks an independent tool (ss) for its view of the same sockets.
 */
#ifndef TWLAB_NSEXEC_H
#define TWLAB_NSEXEC_H

#include <stddef.h>

struct netns;

/*
 * Run "sh -c @cmd" in @ns with stdout into @out (NUL-terminated, cut at
 * @len - 1) and stderr discarded.  Returns the exit status, or -errno; the helper dies with
 * us (PR_SET_PDEATHSIG) and is killed after @timeout_ms.
 */
int ns_run(const struct netns *ns, const char *cmd, char *out, size_t len, int timeout_ms);
/* The same, for a command that must succeed: 0, -errno, or -EIO if it exited non-zero. */
int ns_run_ok(const struct netns *ns, const char *cmd, char *out, size_t len, int timeout_ms);

#endif
