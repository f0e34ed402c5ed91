// SPDX-License-Identifier: GPL-2.0
/*
 * twlab explain: the entries of docs/claims.md and docs/kernel-facts.md,
 * compiled in (harness/claims.c), printed as the documents write them;
 * and the sub-claims that the judges register (judge.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "explain.h"
#include "judge.h"

#define ID_LEN	64	/* "A05r", "K08", "A02.orphan_fin_wait2" */

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

/*
 * A sub-claim as its verdict line names it: what it measures, both
 * predictions' sources, and the entries of its claim and fact to read on.
 */
static void subclaim_print(FILE *out, const struct tw_subclaim *sc)
{
	char claim[ID_LEN];
	int c, f;

	c = claim_index(subclaim_claim(sc->id, claim, sizeof(claim)));
	f = fact_index(sc->fact);
	fprintf(out, "## %s: a sub-claim of %s%s%s\n\n", sc->id, claim, c >= 0 ? ", " : "",
		c >= 0 ? claim_at(c)->text : "");
	fprintf(out, "Measures: %s%s%s%s.\n", sc->what, sc->unit && *sc->unit ? " (" : "",
		sc->unit && *sc->unit ? sc->unit : "", sc->unit && *sc->unit ? ")" : "");
	fprintf(out, "The article's prediction: %s.\n", sc->article);
	fprintf(out, "The kernel's window comes from %s%s%s.\n", sc->fact, f >= 0 ? ": " : "",
		f >= 0 ? fact_at(f)->title : "");
	fprintf(out, "Judged in %s; 'twlab explain %s %s' prints the claim and the fact.\n",
		sc->file, claim, sc->fact);
}

/* 0 when @s names a claim, a fact or a sub-claim, printing it if @out is not NULL. */
static int explain_one(const char *s, FILE *out)
{
	const struct tw_subclaim *sc;
	char id[ID_LEN];
	int i;

	if (strlen(s) >= sizeof(id))
		return -1;
	id_canon(s, id, sizeof(id));
	sc = subclaim_find(id);
	if (sc) {
		if (out)
			subclaim_print(out, sc);
		return 0;
	}
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
			fprintf(err, "twlab: no claim, sub-claim or kernel fact named '%s'; "
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

/* The claim's place in docs/claims.md of "A02.tw_lifetime"; unknown ones last. */
static int subclaim_rank(const struct tw_subclaim *sc)
{
	char claim[ID_LEN];
	int i = claim_index(subclaim_claim(sc->id, claim, sizeof(claim)));

	return i < 0 ? claims_count() : i;
}

static int subclaim_cmp(const void *a, const void *b)
{
	const struct tw_subclaim *x = *(const struct tw_subclaim *const *)a;
	const struct tw_subclaim *y = *(const struct tw_subclaim *const *)b;
	int d = subclaim_rank(x) - subclaim_rank(y);

	return d ?: strcmp(x->id, y->id);
}

static void subclaim_row(FILE *out, const struct tw_subclaim *sc)
{
	fprintf(out, "%-28s %-8s %-5s %s\n", sc->id, sc->unit && *sc->unit ? sc->unit : "-",
		sc->fact, sc->article);
}

void explain_subclaims(FILE *out)
{
	int n = subclaims_count();
	const struct tw_subclaim **sc = calloc(n ?: 1, sizeof(*sc));

	fprintf(out, "%-28s %-8s %-5s %s\n", "SUB-CLAIM", "UNIT", "FACT", "ARTICLE'S PREDICTION");
	for (int i = 0; i < n; i++) {
		if (!sc)	/* unsorted rather than nothing */
			subclaim_row(out, subclaim_at(i));
		else
			sc[i] = subclaim_at(i);
	}
	if (!sc)
		return;
	qsort(sc, n, sizeof(*sc), subclaim_cmp);
	for (int i = 0; i < n; i++)
		subclaim_row(out, sc[i]);
	free(sc);
}
