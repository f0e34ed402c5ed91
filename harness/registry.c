// SPDX-License-Identifier: GPL-2.0
/*
 * The registries of cases and of sub-claims: the one piece of global
 * mutable state, filled by the constructors of cases and judges before
 * main() runs and only read after that.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry.h"

/*
 * A shelf of named things: the cases, by name, and the sub-claims, by ID
 * in the order they were declared.  A full shelf or a name declared twice
 * is a bug in a case or judge: it is said, and twlab stops.
 */
struct shelf {
	const char *what;
	const void **item;
	int n, max;
	size_t name_off;	/* where an item keeps its name (a const char *) */
	bool sorted;
};

#define SUBCLAIMS_MAX	128

static const void *case_items[REGISTRY_MAX], *subclaim_items[SUBCLAIMS_MAX];
static struct shelf cases = {
	"case", case_items, 0, REGISTRY_MAX, offsetof(struct tw_case, name), true,
};
static struct shelf subclaims = {
	"sub-claim", subclaim_items, 0, SUBCLAIMS_MAX, offsetof(struct tw_subclaim, id), false,
};

static const char *shelf_name(const struct shelf *s, const void *item)
{
	return *(const char *const *)((const char *)item + s->name_off);
}

static const void *shelf_find(const struct shelf *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(shelf_name(s, s->item[i]), name))
			return s->item[i];
	return NULL;
}

static void shelf_add(struct shelf *s, const void *item)
{
	const char *name = shelf_name(s, item);
	int i;

	if (s->n == s->max || shelf_find(s, name)) {
		fprintf(stderr, "twlab: %s %s declared twice, or more than %d of them\n",
			s->what, name, s->max);
		abort();
	}
	for (i = s->n++; s->sorted && i > 0 && strcmp(shelf_name(s, s->item[i - 1]), name) > 0;
	     i--)
		s->item[i] = s->item[i - 1];
	s->item[i] = item;
}

static const void *shelf_at(const struct shelf *s, int i)
{
	return i >= 0 && i < s->n ? s->item[i] : NULL;
}

/* A shelf's four calls, by the names registry.h and judge.h give them. */
#define SHELF_CALLS(s, type, add, count, at, find)				\
	void add(const type *x) { shelf_add(&(s), x); }			\
	int count(void) { return (s).n; }					\
	const type *at(int i) { return shelf_at(&(s), i); }			\
	const type *find(const char *name) { return shelf_find(&(s), name); }

SHELF_CALLS(cases, struct tw_case, registry_add, registry_count, registry_get, registry_find)
SHELF_CALLS(subclaims, struct tw_subclaim, subclaim_add, subclaims_count, subclaim_at,
	    subclaim_find)

/* "A01", "a05r": an A, two digits, an optional letter. */
bool is_claim_id(const char *s)
{
	if (toupper((unsigned char)s[0]) != 'A' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return false;
	return !s[3] || (isalpha((unsigned char)s[3]) && !s[4]);
}

bool claims_has(const char *claims, const char *claim)
{
	size_t len = strlen(claim);

	if (!len)
		return false;
	for (const char *p = claims; p && *p; ) {
		size_t n = strcspn(p, " ");

		if (n == len && !strncasecmp(p, claim, len))
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

bool case_has_claim(const struct tw_case *c, const char *claim)
{
	return claims_has(c->claims, claim);
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

		for (int i = 0; i < cases.n; i++)
			hit |= matches(cases.item[i], filters[f]);
		if (!hit) {
			*bad = filters[f];
			return -ENOENT;
		}
	}
	for (int i = 0; i < cases.n && n < max; i++) {
		bool want = !nfilters;

		for (int f = 0; f < nfilters && !want; f++)
			want = matches(cases.item[i], filters[f]);
		if (want)
			out[n++] = cases.item[i];
	}
	return n;
}
