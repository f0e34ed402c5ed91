// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "slab.h"

#define SLAB_SYSFS	"/sys/kernel/slab"
#define SLABINFO	"/proc/slabinfo"

static int sysfs_long(const char *cache, const char *file, long *v)
{
	char path[256];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s/%s", cache, file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	err = fscanf(f, "%ld", v) == 1 ? 0 : -EINVAL;
	fclose(f);
	return err;
}

struct slabinfo_line {
	long active, objsize, perslab;
};

static int slabinfo_find(const char *cache, struct slabinfo_line *l)
{
	char line[512], name[64];
	struct slabinfo_line x;
	int err = -ENOENT;
	long num;
	FILE *f;

	f = fopen(SLABINFO, "re");
	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld %ld", name, &x.active, &num, &x.objsize,
			   &x.perslab) == 5 && !strcmp(name, cache)) {
			*l = x;
			err = 0;
		}
	fclose(f);
	return err;
}

int slab_cache_info(const char *name, struct slab_cache *c)
{
	struct slabinfo_line l;

	c->object_size = c->objs_per_slab = c->aliases = -1;
	if (!sysfs_long(name, "slab_size", &c->size)) {
		sysfs_long(name, "object_size", &c->object_size);
		sysfs_long(name, "objs_per_slab", &c->objs_per_slab);
		sysfs_long(name, "aliases", &c->aliases);
		c->size_from = "slab_size, " SLAB_SYSFS;
		return 0;
	}
	if (!slabinfo_find(name, &l)) {
		c->size = l.objsize;
		c->objs_per_slab = l.perslab;
		c->size_from = "objsize, " SLABINFO;
		return 0;
	}
	return -ENOENT;
}

int slab_cache_active(const char *name, long *active, const char **from)
{
	struct slabinfo_line l;

	if (!slabinfo_find(name, &l)) {
		*active = l.active;
		*from = "active_objs, " SLABINFO;
		return 0;
	}
	if (!sysfs_long(name, "objects", active)) {
		*from = "objects, " SLAB_SYSFS;
		return 0;
	}
	return -ENOENT;
}
