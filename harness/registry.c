// SPDX-License-Identifier: GPL-2.0
/*
 * The case registry: the one piece of global mutable state, filled by the
 * cases' constructors before main() runs and only read after that.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry.h"

static const struct tw_case *cases[REGISTRY_MAX];
static int ncases;

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct tw_case *const *)a)->name,
		      (*(const struct tw_case *const *)b)->name);
}

void registry_add(const struct tw_case *c)
{
	if (ncases == REGISTRY_MAX) {
		fprintf(stderr, "twlab: more than %d cases; raise REGISTRY_MAX\n",
			REGISTRY_MAX);
		abort();
	}
	cases[ncases++] = c;
	qsort(cases, ncases, sizeof(cases[0]), by_name);
}

int registry_count(void)
{
	return ncases;
}

const struct tw_case *registry_get(int i)
{
	return i >= 0 && i < ncases ? cases[i] : NULL;
}

const struct tw_case *registry_find(const char *name)
{
	for (int i = 0; i < ncases; i++)
		if (!strcmp(cases[i]->name, name))
			return cases[i];
	return NULL;
}

/* "A01", "a05r": an A, two digits, an optional letter. */
bool is_claim_id(const char *s)
{
	if (toupper((unsigned char)s[0]) != 'A' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return false;
	return !s[3] || (isalpha((unsigned char)s[3]) && !s[4]);
}

bool case_has_claim(const struct tw_case *c, const char *claim)
{
	size_t len = strlen(claim);

	if (!len)
		return false;
	for (const char *p = c->claims; p && *p; ) {
		size_t n = strcspn(p, " ");

		if (n == len && !strncasecmp(p, claim, len))
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

static bool matches(const struct tw_case *c, const char *filter)
{
	if (is_claim_id(filter))
		return case_has_claim(c, filter);
	return !strcmp(c->name, filter);
}

int registry_select(const char *const *filters, int nfilters,
		    const struct tw_case **out, int max, const char **bad)
{
	int n = 0;

	for (int f = 0; f < nfilters; f++) {
		bool hit = false;

		for (int i = 0; i < ncases; i++)
			hit |= matches(cases[i], filters[f]);
		if (!hit) {
			*bad = filters[f];
			return -ENOENT;
		}
	}
	for (int i = 0; i < ncases && n < max; i++) {
		bool want = !nfilters;

		for (int f = 0; f < nfilters && !want; f++)
			want = matches(cases[i], filters[f]);
		if (want)
			out[n++] = cases[i];
	}
	return n;
}
