// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "netstat.h"

/* The line after @hdr, if it starts with the same "Table:" prefix. */
static const char *values_line(const char *hdr, size_t plen)
{
	const char *v = strchr(hdr, '\n');

	if (!v || strncmp(++v, hdr, plen))
		return NULL;
	return v;
}

/* The @col-th number of a values line; skipped ones may be signed (MaxConn). */
static int parse_column(const char *v, int col, uint64_t *val)
{
	uint64_t x;
	char *end;

	for (; col > 0; col--) {
		v += strspn(v, " ");
		if (!*v || *v == '\n')
			return -EINVAL;
		v += strcspn(v, " \n");
	}
	v += strspn(v, " ");
	if (*v == '-')
		return -ERANGE;
	x = strtoull(v, &end, 10);
	if (end == v)
		return -EINVAL;
	*val = x;
	return 0;
}

int netstat_parse(const char *text, const char *table, const char *name, uint64_t *val)
{
	char prefix[32];
	size_t plen, nlen = strlen(name);
	const char *hdr, *v;

	plen = snprintf(prefix, sizeof(prefix), "%s:", table);
	if (plen >= sizeof(prefix))
		return -EINVAL;
	for (hdr = text; hdr && *hdr; hdr = strchr(hdr, '\n') ? strchr(hdr, '\n') + 1 : NULL) {
		const char *h, *eol;
		int col = 0;

		if (strncmp(hdr, prefix, plen) || !(v = values_line(hdr, plen)))
			continue;
		eol = strchr(hdr, '\n');
		for (h = hdr + plen; h < eol; col++) {
			size_t n;

			h += strspn(h, " ");
			n = strcspn(h, " \n");
			if (n == nlen && !strncmp(h, name, n)) {
				return parse_column(v + plen, col, val);
			}
			h += n;
		}
		hdr = v;	/* skip the values line */
	}
	return -ENOENT;
}

static int read_in(const struct netns *ns, const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	fd = netns_open_file(ns, path, O_RDONLY);	/* /proc/net follows the opener's netns */
	if (fd < 0)
		return fd;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return 0;
}

int netstat_read(const struct netns *ns, const char *table, const char *name, uint64_t *val)
{
	static const char *const files[] = { "/proc/net/snmp", "/proc/net/netstat" };
	char *buf = malloc(65536);
	int err = -ENOENT;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < 2 && err == -ENOENT; i++) {
		err = read_in(ns, files[i], buf, 65536);
		if (!err)
			err = netstat_parse(buf, table, name, val);
	}
	free(buf);
	return err;
}

long long netstat_ext(const struct netns *ns, const char *name)
{
	uint64_t v;

	return netstat_read(ns, "TcpExt", name, &v) ? -1 : (long long)v;
}

long long netstat_rise(long long before, long long after)
{
	return before < 0 || after < 0 ? -1 : after - before;
}
