/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel is: found once, before any lab, passed down.
 */
#ifndef TWLAB_KERNEL_H
#define TWLAB_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#define KERNEL_MAX_DEFAULTS 16

/* A sysctl as a fresh namespace has it: @present false where it does not exist. */
struct kernel_sysctl {
	const char *key;
	bool present;
	char val[32];
};

/* A release as one comparable number, as <linux/version.h> makes it. */
#define KV(a, b, c)	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

struct kernel_info {
	char release[65];
	unsigned int version;	/* KV() of the release; 0 if it does not parse */
	unsigned int hz;
	char hz_source[160];	/* "/proc/config.gz", "/boot/config-...", "measured ..." */
	bool ipv6;		/* AF_INET6 sockets can be made */
	bool sock_diag;		/* NETLINK_SOCK_DIAG answers for TCP */
	unsigned int word_bytes;	/* its pointer size, which a 32-bit twlab's need not be */
	int ndefaults;
	struct kernel_sysctl defaults[KERNEL_MAX_DEFAULTS];
};

int kernel_probe(struct kernel_info *k);
/* "6.1.0-28-amd64" -> KV(6, 1, 0); 0 when @release does not start a.b */
unsigned int kernel_version_parse(const char *release);
/* Find CONFIG_HZ in kernel config text, line by line; 0 when absent. */
unsigned int kernel_config_hz(const char *line);
/* The HZ nearest to @measured among those Kconfig offers. */
unsigned int kernel_hz_nearest(double measured);
/* @key's value in a fresh namespace, or NULL where it is not probed or absent. */
const char *kernel_default(const struct kernel_info *k, const char *key);

#endif
