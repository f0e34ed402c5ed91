/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysctls twlab varies: the ranges the kernel accepts for them, and
 * their defaults as a fresh namespace sees them.
 */
#ifndef TWLAB_SYSCTL_SPEC_H
#define TWLAB_SYSCTL_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

struct netns;

#define SYSCTL_VAL_LEN	32

struct sysctl_spec {
	const char *key;
	long min, max;
	bool pair;		/* "lo hi", as ip_local_port_range */
	const char *source;	/* where the kernel sets the range */
};

/* A --set from the command line: one sysctl and the values to run it at. */
struct tw_override {
	char key[64];
	int nvals;
	char vals[TW_MAX_VALUES][SYSCTL_VAL_LEN];
};

/* "net.ipv4.tcp_fin_timeout" as "tcp_fin_timeout": one name, spelt bare. */
const char *sysctl_bare(const char *key);
const struct sysctl_spec *sysctl_spec_find(const char *key);
/*
 * Check @val for @key against the kernel's range and write it as the
 * kernel wants it into @norm ("40000-40099" -> "40000 40099").  Keys
 * twlab has no range for are checked for shape only.  0 or -EINVAL/-ERANGE
 * with a one-line message in @err.
 */
int sysctl_value_check(const char *key, const char *val, char *norm, size_t len,
		       char *err, size_t errlen);
/* "tcp_tw_reuse=0,1" into @ov; 0 or -EINVAL with a message. */
int override_parse(const char *arg, struct tw_override *ov, char *err, size_t errlen);

/*
 * The sysctl names the kernel offers where twlab runs, spelt as --set takes
 * them: bare under net.ipv4, dotted elsewhere ("net.core.somaxconn").
 */
#define SYSCTL_NAMES_MAX	1024
#define SYSCTL_NAME_LEN		64

struct sysctl_names {
	int n;
	char name[SYSCTL_NAMES_MAX][SYSCTL_NAME_LEN];
};

/* Whether twlab itself names @key: a range above, a default it reports, a case's. */
bool sysctl_twlab_knows(const char *key);
/*
 * Fill @k from /proc/sys/net/ipv4 and the folder of each dotted name in
 * @ov, in this task's namespace (reading it needs no privilege).
 */
void sysctl_names_read(struct sysctl_names *k, const struct tw_override *ov, int nov);
/*
 * A --set name that neither twlab nor the kernel (@k) knows is a typo, not
 * a sysctl this kernel lacks: -ENOENT with one line naming the nearest
 * known name in @err.  A name only one of them knows is fine: the instance
 * SKIPs where the kernel lacks it.
 */
int override_names_check(const struct tw_override *ov, int nov,
			 const struct sysctl_names *k, char *err, size_t errlen);
/*
 * The known name fewest edits (a swap of two neighbours is one) from @key:
 * twlab's own first, so that a tie goes to a name it varies; NULL if none.
 */
const char *sysctl_nearest(const char *key, const struct sysctl_names *names);

struct kernel_info;

/* Fill @k->defaults in a namespace made for the purpose, then dropped. */
int sysctl_defaults_read(struct kernel_info *k);

#endif
