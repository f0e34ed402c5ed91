/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysctls twlab varies: the ranges the kernel accepts for them, and
 * their defaults as a fresh namespace sees them.
 */
#ifndef TWLAB_SYSCTLS_H
#define TWLAB_SYSCTLS_H

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

struct kernel_info;

/* Fill @k->defaults in a namespace made for the purpose, then dropped. */
int sysctl_defaults_read(struct kernel_info *k);

#endif
