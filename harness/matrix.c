// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inet.h"
#include "matrix.h"

static int nvalues(const struct tw_vary *v)
{
	int n = 0;

	while (n < TW_MAX_VALUES && v->values[n])
		n++;
	return n;
}

static int nvary(const struct tw_case *c)
{
	int n = 0;

	while (n < TW_MAX_VARY && c->vary[n].key)
		n++;
	return n;
}

int matrix_size(const struct tw_case *c, int nfamilies)
{
	int n = nfamilies;

	for (int i = 0; i < nvary(c); i++)
		n *= nvalues(&c->vary[i]);
	return n;
}

static void instance_name(struct tw_instance *in)
{
	size_t len = sizeof(in->name);
	int off;

	off = snprintf(in->name, len, "%s.%s", in->c->name, family_name(in->p.family));
	for (int i = 0; i < in->p.nset && off > 0 && (size_t)off < len; i++)
		off += snprintf(in->name + off, len - off, "%s%s=%s", i ? "," : ".",
				in->p.set[i].key, in->p.set[i].val);
}

/* An odometer over the value lists: the last sysctl turns fastest. */
static int expand_case(const struct tw_case *c, int family,
		       struct tw_instance *out, int room)
{
	int idx[TW_MAX_VARY] = { 0 };
	int nv = nvary(c), n = 0;

	for (int i = 0; i < nv; i++)
		if (!nvalues(&c->vary[i]))
			return 0;
	for (;;) {
		struct tw_instance *in = &out[n];
		int d;

		if (n == room)
			return -E2BIG;
		memset(in, 0, sizeof(*in));
		in->c = c;
		in->p.family = family;
		in->p.nset = nv;
		for (int i = 0; i < nv; i++) {
			in->p.set[i].key = c->vary[i].key;
			in->p.set[i].val = c->vary[i].values[idx[i]];
		}
		instance_name(in);
		n++;
		for (d = nv - 1; d >= 0; d--) {
			if (++idx[d] < nvalues(&c->vary[d]))
				break;
			idx[d] = 0;
		}
		if (d < 0)
			return n;
	}
}

int matrix_expand(const struct tw_case *const *cases, int ncases,
		  const int *families, int nfamilies,
		  struct tw_instance *out, int max)
{
	int n = 0;

	for (int i = 0; i < ncases; i++)
		for (int f = 0; f < nfamilies; f++) {
			int got = expand_case(cases[i], families[f], out + n, max - n);

			if (got < 0)
				return got;
			n += got;
		}
	for (int i = 0; i < n; i++)
		out[i].lab_id = i;
	return n;
}
