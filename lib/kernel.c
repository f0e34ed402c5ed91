// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <math.h>

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <zlib.h>

#include "clock.h"
#include "kernel.h"

unsigned int kernel_config_hz(const char *line)
{
	const char *p = line + strlen("CONFIG_HZ=");
	unsigned long hz;
	char *end;

	if (strncmp(line, "CONFIG_HZ=", strlen("CONFIG_HZ=")) || *p < '1' || *p > '9')
		return 0;
	hz = strtoul(p, &end, 10);
	if ((*end && *end != '\n') || hz > 100000)
		return 0;
	return hz;
}

unsigned int kernel_hz_nearest(double measured)
{
	static const unsigned int choices[] = { 100, 250, 300, 1000 };	/* kernel/Kconfig.hz */
	unsigned int best = choices[0];

	for (size_t i = 1; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (fabs(choices[i] - measured) < fabs(best - measured))
			best = choices[i];
	return best;
}

/* gzread() reads plain files too, so one reader serves both configs. */
static unsigned int hz_from_config(const char *path)
{
	unsigned int hz = 0;
	char line[256];
	gzFile f;

	f = gzopen(path, "rb");
	if (!f)
		return 0;
	while (!hz && gzgets(f, line, sizeof(line)))
		hz = kernel_config_hz(line);
	gzclose(f);
	return hz;
}

/* "jiffies: N" from /proc/timer_list, the kernel's own tick counter. */
static int read_jiffies(unsigned long long *j)
{
	char line[256];
	FILE *f;
	int err = -ENOENT;

	f = fopen("/proc/timer_list", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "jiffies: %llu", j) == 1) {
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

/* Last resort: count ticks over 200 ms; Kconfig's HZ values are far apart. */
static unsigned int hz_measured(void)
{
	unsigned long long j0, j1;
	int64_t t0, t1;

	if (read_jiffies(&j0))
		return 0;
	t0 = now_ns();
	sleep_until_ns(t0 + 200 * NSEC_PER_MSEC);
	if (read_jiffies(&j1))
		return 0;
	t1 = now_ns();
	return kernel_hz_nearest((double)(j1 - j0) * NSEC_PER_SEC / (t1 - t0));
}

static bool can_socket(int domain, int type, int proto)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int kernel_probe(struct kernel_info *k)
{
	char path[128];
	struct utsname u;

	memset(k, 0, sizeof(*k));
	if (uname(&u) < 0)
		return -errno;
	snprintf(k->release, sizeof(k->release), "%s", u.release);
	k->version = kernel_version_parse(u.release);
	k->word_bytes = strstr(u.machine, "64") || !strcmp(u.machine, "s390x") ? 8 : 4;

	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	if ((k->hz = hz_from_config("/proc/config.gz")))
		snprintf(k->hz_source, sizeof(k->hz_source), "/proc/config.gz");
	else if ((k->hz = hz_from_config(path)))
		snprintf(k->hz_source, sizeof(k->hz_source), "%s", path);
	else if ((k->hz = hz_measured()))
		snprintf(k->hz_source, sizeof(k->hz_source),
			 "measured from /proc/timer_list jiffies");
	else
		return -ENOENT;

	k->ipv6 = can_socket(AF_INET6, SOCK_STREAM, 0);
	k->sock_diag = can_socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
	return 0;
}

unsigned int kernel_version_parse(const char *release)
{
	unsigned int a, b, c = 0;

	if (sscanf(release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return KV(a, b, c);
}

const char *kernel_default(const struct kernel_info *k, const char *key)
{
	for (int d = 0; d < k->ndefaults; d++)
		if (!strcmp(k->defaults[d].key, key))
			return k->defaults[d].present ? k->defaults[d].val : NULL;
	return NULL;
}
