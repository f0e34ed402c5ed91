// SPDX-License-Identifier: GPL-2.0
/*
 * twlab explain: the entries of docs/claims.md and docs/kernel-facts.md,
 * compiled in (harness/claims.c), printed as the documents write them.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "explain.h"

#define ID_LEN	8

/* "a05R" -> "A05r": the letter that starts an ID is upper case, the rest lower. */
static void id_canon(const char *s, char *id, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		id[i] = i ? tolower((unsigned char)s[i]) : toupper((unsigned char)s[i]);
	id[i] = '\0';
}

static void entry_print(FILE *out, const char *id, const char *title, const char *body)
{
	fprintf(out, "## %s: %s\n\n%s", id, title, body);
}

/* 0 when @s names a claim or a fact, printing its entry if @out is not NULL. */
static int explain_one(const char *s, FILE *out)
{
	char id[ID_LEN];
	int i;

	if (strlen(s) >= sizeof(id))
		return -1;
	id_canon(s, id, sizeof(id));
	i = claim_index(id);
	if (i >= 0) {
		if (out)
			entry_print(out, id, claim_at(i)->text, claim_at(i)->body);
		return 0;
	}
	i = fact_index(id);
	if (i >= 0) {
		if (out)
			entry_print(out, id, fact_at(i)->title, fact_at(i)->body);
		return 0;
	}
	return -1;
}

static void explain_list(FILE *out)
{
	fprintf(out, "%-5s %s\n", "ID", "TITLE (twlab explain ID prints the entry)");
	for (int i = 0; i < claims_count(); i++)
		fprintf(out, "%-5s %s\n", claim_at(i)->id, claim_at(i)->text);
	for (int i = 0; i < facts_count(); i++)
		fprintf(out, "%-5s %s\n", fact_at(i)->id, fact_at(i)->title);
}

int explain_main(const char *const *ids, int n, FILE *out, FILE *err)
{
	if (!n) {
		explain_list(out);
		return 0;
	}
	/* every ID checked before any is printed: a typo costs no screenful */
	for (int i = 0; i < n; i++) {
		if (explain_one(ids[i], NULL)) {
			fprintf(err, "twlab: no claim or kernel fact named '%s'; "
				"'twlab explain' lists them\n", ids[i]);
			return 2;
		}
	}
	for (int i = 0; i < n; i++) {
		if (i)
			fputc('\n', out);
		explain_one(ids[i], out);
	}
	return 0;
}
