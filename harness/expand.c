// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inet.h"
#include "expand.h"

static int nvalues(const struct tw_vary *v)
{
	int n = 0;

	while (n < TW_MAX_VALUES && v->values[n])
		n++;
	return n;
}

/*
 * What an instance of @c varies once the command line has had its say:
 * a --set replaces the values of a sysctl the case varies, and adds one
 * it does not.  Returns how many, or -E2BIG.
 */
static int effective_vary(const struct tw_case *c, const struct tw_override *ov,
			  int nov, struct tw_vary *out)
{
	int n = 0;

	while (n < TW_MAX_VARY && c->vary[n].key) {
		out[n] = c->vary[n];
		n++;
	}
	for (int o = 0; o < nov; o++) {
		int i;

		for (i = 0; i < n && strcmp(out[i].key, ov[o].key); i++)
			;
		if (i == n) {
			if (n == TW_MAX_VARY)
				return -E2BIG;
			n++;
		}
		memset(&out[i], 0, sizeof(out[i]));	/* asked for by name: not optional */
		out[i].key = ov[o].key;
		for (int v = 0; v < ov[o].nvals; v++)
			out[i].values[v] = ov[o].vals[v];
	}
	return n;
}

int expand_count(const struct tw_case *c, int nfamilies)
{
	struct tw_vary vary[TW_MAX_VARY];
	int n = nfamilies, nv = effective_vary(c, NULL, 0, vary);

	for (int i = 0; i < nv; i++)
		n *= nvalues(&vary[i]);
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
static int expand_case(const struct tw_case *c, const struct tw_vary *vary, int nv,
		     int family, struct tw_instance *out, int room)
{
	int idx[TW_MAX_VARY] = { 0 };
	int n = 0;

	for (int i = 0; i < nv; i++)
		if (!nvalues(&vary[i]))
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
			in->p.set[i].key = vary[i].key;
			in->p.set[i].val = vary[i].values[idx[i]];
			in->p.set[i].optional = vary[i].optional;
			in->p.set[i].first = !idx[i];
		}
		instance_name(in);
		n++;
		for (d = nv - 1; d >= 0; d--) {
			if (++idx[d] < nvalues(&vary[d]))
				break;
			idx[d] = 0;
		}
		if (d < 0)
			return n;
	}
}

int expand_instances(const struct tw_case *const *cases, int ncases,
		     const int *families, int nfamilies,
		     const struct tw_override *ov, int nov,
		     struct tw_instance *out, int max)
{
	struct tw_vary vary[TW_MAX_VARY];
	int n = 0;

	for (int i = 0; i < ncases; i++) {
		int nv = effective_vary(cases[i], ov, nov, vary);

		if (nv < 0)
			return nv;
		for (int f = 0; f < nfamilies; f++) {
			int got = expand_case(cases[i], vary, nv, families[f], out + n, max - n);

			if (got < 0)
				return got;
			n += got;
		}
	}
	for (int i = 0; i < n; i++)
		out[i].lab_id = i;
	return n;
}
