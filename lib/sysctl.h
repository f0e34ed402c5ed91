/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_SYSCTL_H
#define TWLAB_SYSCTL_H

#include <stddef.h>

struct netns;

/*
 * @key is a dotted name ("net.ipv4.tcp_fin_timeout") or a bare name under
 * net.ipv4 ("tcp_fin_timeout"); anything outside net.* is refused with
 * -EINVAL, as only net.* belongs to a network namespace.  Both calls act on the namespace @ns:
 * /proc/sys/net resolves to the netns of the task that opens it.
 */
int sysctl_path(const char *key, char *path, size_t len);
int sysctl_read(const struct netns *ns, const char *key, char *val, size_t len);
/* A sysctl that holds one integer: 0, or -EINVAL when it does not start with one. */
int sysctl_read_long(const struct netns *ns, const char *key, long *v);
int sysctl_write(const struct netns *home, const struct netns *ns,
		 const char *key, const char *val);
int sysctl_exists(const struct netns *ns, const char *key);

#endif
