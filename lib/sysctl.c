// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "sysctl.h"

/*
 * Only net.* is per network namespace: a key anywhere else under
 * /proc/sys would reach the user's machine from inside any lab.
 */
static bool key_is_netns_local(const char *key)
{
	const char *p;

	if (strncmp(key, "net.", 4) || !key[4])
		return false;
	for (p = key; *p; p++)
		if (*p == '/' || (*p == '.' && (p[1] == '.' || p[1] == '\0')))
			return false;
	return true;
}

int sysctl_path(const char *key, char *path, size_t len)
{
	const char *prefix = strchr(key, '.') ? "" : "net.ipv4.";
	char full[224];
	int n;
	char *p;

	if (!*key)
		return -EINVAL;
	n = snprintf(full, sizeof(full), "%s%s", prefix, key);
	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	if (!key_is_netns_local(full))
		return -EINVAL;
	n = snprintf(path, len, "/proc/sys/%s", full);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	for (p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	return 0;
}

/* Open @key with @flags while inside @ns; the fd keeps pointing there. */
static int sysctl_open(const struct netns *ns, const char *key, int flags)
{
	char path[256];
	int err;

	err = sysctl_path(key, path, sizeof(path));
	return err ? err : netns_open_file(ns, path, flags);
}

int sysctl_exists(const struct netns *ns, const char *key)
{
	int fd = sysctl_open(ns, key, O_RDONLY);

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 1;
}

int sysctl_read(const struct netns *ns, const char *key, char *val, size_t len)
{
	ssize_t n;
	int fd;

	fd = sysctl_open(ns, key, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, val, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == ' '))
		n--;
	val[n] = '\0';
	for (char *p = val; *p; p++)	/* "32768\t60999" -> "32768 60999" */
		if (*p == '\t')
			*p = ' ';
	return 0;
}

int sysctl_read_long(const struct netns *ns, const char *key, long *v)
{
	char val[32], *end;
	int err = sysctl_read(ns, key, val, sizeof(val));

	if (err)
		return err;
	*v = strtol(val, &end, 10);
	return end == val ? -EINVAL : 0;
}

/*
 * The namespace twlab started in is the user's machine: a write there is
 * refused here, whatever the caller believed @ns to be.
 */
int sysctl_write(const struct netns *home, const struct netns *ns,
		 const char *key, const char *val)
{
	struct netns saved = NETNS_INIT, here = NETNS_INIT;
	char path[256];
	ssize_t n;
	int fd = -1, err;

	err = sysctl_path(key, path, sizeof(path));
	if (err)
		return err;
	err = netns_enter(ns, &saved);
	if (err)
		return err;
	err = netns_current(&here);
	if (err)
		goto out;
	if (netns_same(&here, home)) {
		err = -EPERM;
		goto out;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
out:
	if (fd >= 0)
		close(fd);
	netns_close(&here);
	if (netns_leave(&saved) && !err)
		err = -EIO;
	return err;
}
