// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "netns.h"
#include "proc.h"
#include "registry.h"
#include "sysctl.h"
#include "sysctl_spec.h"

/* The bounds the kernel's own handlers enforce (net/ipv4/sysctl_net_ipv4.c). */
static const struct sysctl_spec specs[] = {
	{ "tcp_tw_reuse",	 0, 2,	     false, "proc_dou8vec_minmax 0..2 (K07)" },
	{ "tcp_timestamps",	 0, 2,	     false, "proc_dou8vec_minmax 0..2" },
	{ "tcp_tw_reuse_delay",	 1, 60000,   false, "proc_douintvec_minmax 1..TCP_PAWS_MSL*1000 ms (K08)" },
	{ "tcp_max_tw_buckets",	 0, INT_MAX, false, "proc_dointvec (K10)" },
	{ "tcp_fin_timeout",	 1, INT_MAX / 1000, false, "proc_dointvec_jiffies, seconds (K16)" },
	{ "tcp_rfc1337",	 0, 1,	     false, "proc_dou8vec_minmax 0..1 (K17)" },
	{ "ip_local_port_range", 1, 65535,   true,  "ipv4_local_port_range(): lo <= hi (K15)" },
};

/* Reported at the top of every run: what a fresh namespace starts with. */
static const char *const default_keys[] = {
	"tcp_tw_reuse", "tcp_tw_reuse_delay", "tcp_tw_recycle", "tcp_timestamps",
	"tcp_max_tw_buckets", "tcp_fin_timeout", "ip_local_port_range",
	"tcp_rfc1337", "tcp_ehash_entries", "tcp_child_ehash_entries",
	"tcp_rto_min_us", "tcp_rto_max_ms", "tcp_syn_retries", "tcp_orphan_retries",
};

const char *sysctl_bare(const char *key)
{
	return strncmp(key, "net.ipv4.", 9) ? key : key + 9;
}

const struct sysctl_spec *sysctl_spec_find(const char *key)
{
	key = sysctl_bare(key);
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (!strcmp(specs[i].key, key))
			return &specs[i];
	return NULL;
}

/* A decimal number, all of @s up to @end (or NUL); no sign games. */
static int parse_long(const char *s, const char **end, long *v)
{
	char *e;

	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	*v = strtol(s, &e, 10);
	if (errno)
		return -ERANGE;
	*end = e;
	return 0;
}

static int out_of_range(const struct sysctl_spec *sp, const char *val, char *err, size_t errlen)
{
	snprintf(err, errlen, "twlab: --set %s=%s: out of the kernel's range %ld..%ld (%s)",
		 sp->key, val, sp->min, sp->max, sp->source);
	return -ERANGE;
}

int sysctl_value_check(const char *key, const char *val, char *norm, size_t len,
		       char *err, size_t errlen)
{
	const struct sysctl_spec *sp = sysctl_spec_find(key);
	const char *end;
	long a, b;

	if (!*val || strlen(val) >= len) {
		snprintf(err, errlen, "twlab: --set %s: empty or overlong value '%s'", key, val);
		return -EINVAL;
	}
	if (!sp) {
		for (const char *p = val; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(" -_.:", *p)) {
				snprintf(err, errlen, "twlab: --set %s=%s: unexpected '%c'", key, val, *p);
				return -EINVAL;
			}
		snprintf(norm, len, "%s", val);
		return 0;
	}
	if (parse_long(val, &end, &a))
		goto bad;
	if (!sp->pair) {
		if (*end)
			goto bad;
		if (a < sp->min || a > sp->max)
			return out_of_range(sp, val, err, errlen);
		snprintf(norm, len, "%ld", a);
		return 0;
	}
	if ((*end != ' ' && *end != '-') || parse_long(end + 1, &end, &b) || *end)
		goto bad;
	if (a < sp->min || b > sp->max || a > b)
		return out_of_range(sp, val, err, errlen);
	snprintf(norm, len, "%ld %ld", a, b);
	return 0;
bad:
	snprintf(err, errlen, "twlab: --set %s=%s: not %s", key, val,
		 sp->pair ? "a port range such as 40000-40099" : "a whole number");
	return -EINVAL;
}

int override_parse(const char *arg, struct tw_override *ov, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *v;
	char path[256];
	size_t klen;
	int ret;

	memset(ov, 0, sizeof(*ov));
	klen = eq ? (size_t)(eq - arg) : 0;
	if (!eq || !klen || klen >= sizeof(ov->key)) {
		snprintf(err, errlen, "twlab: --set wants SYSCTL=VALUE[,VALUE...], not '%s'", arg);
		return -EINVAL;
	}
	memcpy(ov->key, arg, klen);
	for (const char *p = ov->key; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.') {
			snprintf(err, errlen, "twlab: --set: '%s' is not a sysctl name", ov->key);
			return -EINVAL;
		}
	/* only net.* lives in a lab's namespace (lib/sysctl.c) */
	if (sysctl_path(ov->key, path, sizeof(path)) == -EINVAL) {
		snprintf(err, errlen, "twlab: --set %s: not a sysctl of a network namespace; "
			 "twlab sets only net.* (bare names are net.ipv4)", ov->key);
		return -EINVAL;
	}
	for (v = eq + 1; ; ) {
		size_t n = strcspn(v, ",");
		char one[SYSCTL_VAL_LEN];

		if (ov->nvals == TW_MAX_VALUES) {
			snprintf(err, errlen, "twlab: --set %s: at most %d values", ov->key,
				 TW_MAX_VALUES);
			return -EINVAL;
		}
		if (n >= sizeof(one)) {
			snprintf(err, errlen, "twlab: --set %s: a value is longer than %zu characters",
				 ov->key, sizeof(one) - 1);
			return -EINVAL;
		}
		memcpy(one, v, n);
		one[n] = '\0';
		ret = sysctl_value_check(ov->key, one, ov->vals[ov->nvals],
					 sizeof(ov->vals[0]), err, errlen);
		if (ret)
			return ret;
		ov->nvals++;
		v += strcspn(v, ",");
		if (!*v)
			return 0;
		v++;
	}
}

#define NSPECS		(int)(sizeof(specs) / sizeof(specs[0]))
#define NDEFAULTS	(int)(sizeof(default_keys) / sizeof(default_keys[0]))

/* The @i-th name twlab itself knows, or NULL past the last. */
static const char *twlab_name(int i)
{
	if (i < NSPECS)
		return specs[i].key;
	i -= NSPECS;
	if (i < NDEFAULTS)
		return default_keys[i];
	i -= NDEFAULTS;
	for (int c = 0; c < registry_count(); c++) {
		const struct tw_case *tc = registry_get(c);

		for (int v = 0; v < TW_MAX_VARY && tc->vary[v].key; v++, i--)
			if (!i)
				return tc->vary[v].key;
	}
	return NULL;
}

bool sysctl_twlab_knows(const char *key)
{
	const char *name;

	for (int i = 0; (name = twlab_name(i)); i++)
		if (!strcmp(sysctl_bare(name), sysctl_bare(key)))
			return true;
	return false;
}

/* Optimal string alignment distance: typos are mostly one edit or one swap. */
static int edit_distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b);
	int d[SYSCTL_NAME_LEN + 1][SYSCTL_NAME_LEN + 1];

	if (la > SYSCTL_NAME_LEN || lb > SYSCTL_NAME_LEN)
		return INT_MAX;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

static void nearer(const char *key, const char *name, const char **best, int *dist)
{
	int d = edit_distance(sysctl_bare(key), sysctl_bare(name));

	if (d < *dist) {
		*dist = d;
		*best = name;
	}
}

const char *sysctl_nearest(const char *key, const struct sysctl_names *names)
{
	const char *best = NULL, *name;
	int dist = INT_MAX;

	for (int i = 0; (name = twlab_name(i)); i++)
		nearer(key, name, &best, &dist);
	for (int i = 0; names && i < names->n; i++)
		nearer(key, names->name[i], &best, &dist);
	return best;
}

static bool kernel_knows(const struct sysctl_names *k, const char *key)
{
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->name[i], sysctl_bare(key)))
			return true;
	return false;
}

int override_names_check(const struct tw_override *ov, int nov,
			 const struct sysctl_names *k, char *err, size_t errlen)
{
	for (int i = 0; i < nov; i++) {
		const char *key = ov[i].key, *near;

		if (sysctl_twlab_knows(key) || kernel_knows(k, key))
			continue;
		near = sysctl_nearest(key, k);
		snprintf(err, errlen, "twlab: unknown sysctl %s in --set; did you mean %s?",
			 key, near ? sysctl_bare(near) : "one that 'sysctl -a' lists");
		return -ENOENT;
	}
	return 0;
}

struct names_dir {
	struct sysctl_names *k;
	const char *prefix;
};

static int name_add(const char *name, void *arg)
{
	struct names_dir *nd = arg;
	struct sysctl_names *k = nd->k;
	int n;

	if (k->n >= SYSCTL_NAMES_MAX)
		return 1;
	n = snprintf(k->name[k->n], SYSCTL_NAME_LEN, "%s%s", nd->prefix, name);
	if (n > 0 && n < SYSCTL_NAME_LEN)
		k->n++;
	return 0;
}

/* Add the files of /proc/sys/@dir ("net/core") to @k, as "@prefix<name>". */
static void names_add_dir(struct sysctl_names *k, const char *dir, const char *prefix)
{
	char path[256];

	snprintf(path, sizeof(path), "/proc/sys/%s", dir);
	proc_dir_each(path, DT_REG, name_add, &(struct names_dir){ k, prefix });
}

void sysctl_names_read(struct sysctl_names *k, const struct tw_override *ov, int nov)
{
	k->n = 0;
	names_add_dir(k, "net/ipv4", "");
	for (int i = 0; i < nov; i++) {
		char path[256], prefix[SYSCTL_NAME_LEN];
		const char *key = sysctl_bare(ov[i].key), *dot = strrchr(key, '.');

		/* a dotted name outside net.ipv4: the files of its own folder */
		if (!dot || sysctl_path(key, path, sizeof(path)) ||
		    (size_t)(dot - key + 1) >= sizeof(prefix))
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(dot - key + 1), key);
		*strrchr(path, '/') = '\0';
		names_add_dir(k, path + strlen("/proc/sys/"), prefix);
	}
}

int sysctl_defaults_read(struct kernel_info *k)
{
	struct kernel_sysctl *d = k->defaults;
	struct netns ns = NETNS_INIT;
	int err, n = sizeof(default_keys) / sizeof(default_keys[0]);

	_Static_assert(sizeof(default_keys) / sizeof(default_keys[0]) <= KERNEL_MAX_DEFAULTS,
		       "raise KERNEL_MAX_DEFAULTS");
	err = netns_new(&ns);
	if (err)
		return err;
	k->ndefaults = n;
	for (int i = 0; i < n; i++) {
		d[i].key = default_keys[i];
		err = sysctl_read(&ns, d[i].key, d[i].val, sizeof(d[i].val));
		d[i].present = !err;
		if (err == -ENOENT)
			err = 0;
		if (err)
			break;
	}
	netns_close(&ns);
	return err;
}
