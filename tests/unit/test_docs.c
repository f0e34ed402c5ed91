// SPDX-License-Identifier: GPL-2.0
/*
 * docs/claims.md and docs/kernel-facts.md against what twlab registers:
 * every sub-claim a judge declares (harness/judge.h) took its words from
 * its claim's list and cites facts that exist, every sub-claim the
 * document lists is declared by a judge,
 * every fact either document cites exists, every claim and fact that the
 * sources, README.md and docs/ cite exists, `twlab explain` prints every
 * claim and fact, and `twlab list --claims` shows every sub-claim.
 *
 * Generic over the registry: this test links every judge and every case
 * (Makefile), so a sub-claim declared anywhere in twlab is seen here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "claims.h"
#include "explain.h"
#include "judge.h"
#include "slurp.h"

#ifndef TWLAB_SRCDIR
#define TWLAB_SRCDIR "."
#endif

#define UNUSED __attribute__((unused))
#define ID_LEN	64

/* The claim of "A02.tw_lifetime": "A02". */
static void claim_of(const char *sub, char *claim, size_t len)
{
	snprintf(claim, len, "%.*s", (int)strcspn(sub, "."), sub);
}

static const char *claim_body(const char *claim)
{
	int i = claim_index(claim);

	return i < 0 ? NULL : claim_at(i)->body;
}

/* "K03" at @s: a K, two digits, no third. */
static bool fact_id_at(const char *s)
{
	return s[0] == 'K' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	       !isalnum((unsigned char)s[3]);
}

/*
 * Every fact ID in @text, each looked up; @where names the text in the
 * failure.  Returns how many it found.
 */
static int facts_cited_exist(const char *text, const char *where)
{
	int n = 0;

	for (const char *p = text; *p; p++) {
		char id[4];

		if ((p > text && isalnum((unsigned char)p[-1])) || !fact_id_at(p))
			continue;
		snprintf(id, sizeof(id), "%.3s", p);
		if (fact_index(id) < 0)
			fail_msg("%s cites %s, which docs/kernel-facts.md does not have", where, id);
		n++;
	}
	return n;
}

static void subclaims_listed_under_their_claim(void **state UNUSED)
{
	assert_true(subclaims_count() > 0);
	for (int i = 0; i < subclaims_count(); i++) {
		const struct tw_subclaim *sc = subclaim_at(i);
		char claim[ID_LEN], quoted[ID_LEN + 2];
		const char *body;

		claim_of(sc->id, claim, sizeof(claim));
		body = claim_body(claim);
		if (!body)
			fail_msg("sub-claim %s (%s): no claim %s in docs/claims.md", sc->id,
				 sc->file, claim);
		snprintf(quoted, sizeof(quoted), "`%s`", sc->id);
		if (!strstr(body, quoted))
			fail_msg("sub-claim %s (%s) is not listed under %s in docs/claims.md",
				 sc->id, sc->file, claim);
		if (!sc->fact || facts_cited_exist(sc->fact, sc->id) == 0)
			fail_msg("sub-claim %s (%s) cites no kernel fact", sc->id, sc->file);
		assert_non_null(sc->article);
		assert_true(strlen(sc->article) > 0);
	}
}

/* "`A02.tw_lifetime`" at @s: a claim ID, a dot, a dotted name, in backquotes. */
static size_t listed_subclaim_at(const char *s, char *id, size_t len)
{
	size_t n = 1;

	if (s[0] != '`' || s[1] != 'A' || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]))
		return 0;
	n = 4 + (s[4] == 'r');
	if (s[n] != '.')
		return 0;
	for (n++; islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_' ||
		  s[n] == '.';
	     n++)
		;
	if (s[n] != '`' || n - 1 >= len)
		return 0;
	snprintf(id, len, "%.*s", (int)(n - 1), s + 1);
	return n;
}

/* What claims.md lists is what twlab registers, under the claim it names. */
static void listed_subclaims_registered(void **state UNUSED)
{
	int listed = 0;

	for (int i = 0; i < claims_count(); i++) {
		const struct claim_info *c = claim_at(i);

		for (const char *p = c->body; *p; p++) {
			char id[ID_LEN], claim[ID_LEN];

			if (!listed_subclaim_at(p, id, sizeof(id)))
				continue;
			claim_of(id, claim, sizeof(claim));
			if (strcmp(claim, c->id))
				fail_msg("docs/claims.md lists %s under %s", id, c->id);
			if (!subclaim_find(id))
				fail_msg("docs/claims.md lists %s under %s, but twlab registers "
					 "no such sub-claim", id, c->id);
			listed++;
		}
		/* every claim says what carries it, even if nothing yet */
		if (!strstr(c->body, "Sub-claims:"))
			fail_msg("%s in docs/claims.md has no \"Sub-claims:\"", c->id);
	}
	assert_true(listed >= subclaims_count());
	/* and every item the lists compile into twlab is a judge's */
	for (int i = 0; i < subclaim_infos_count(); i++)
		if (!subclaim_find(subclaim_info_at(i)->id))
			fail_msg("docs/claims.md lists %s, which no judge declares",
				 subclaim_info_at(i)->id);
	assert_int_equal(subclaim_infos_count(), subclaims_count());
}

static void cited_facts_exist(void **state UNUSED)
{
	for (int i = 0; i < claims_count(); i++)
		facts_cited_exist(claim_at(i)->body, claim_at(i)->id);
	for (int i = 0; i < facts_count(); i++)
		facts_cited_exist(fact_at(i)->body, fact_at(i)->id);
}

/* "A05r" or "A12" at @s, a word of its own: its length, else 0. */
static size_t claim_id_at(const char *s)
{
	size_t n;

	if (s[0] != 'A' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return 0;
	n = 3 + (s[3] == 'r');
	return isalnum((unsigned char)s[n]) ? 0 : n;
}

/* Every claim and fact ID in @text exists; @where names the file. */
static void ids_cited_exist(const char *text, const char *where)
{
	for (const char *p = text; *p; p++) {
		char id[8];
		size_t n;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		if (fact_id_at(p)) {
			snprintf(id, sizeof(id), "%.3s", p);
			if (fact_index(id) < 0)
				fail_msg("%s cites %s, which docs/kernel-facts.md does not have",
					 where, id);
		} else if ((n = claim_id_at(p))) {
			snprintf(id, sizeof(id), "%.*s", (int)n, p);
			if (claim_index(id) < 0)
				fail_msg("%s cites %s, which docs/claims.md does not have", where, id);
		}
	}
}

static bool cited_file(const char *name)
{
	size_t l = strlen(name);

	return l > 2 && (!strcmp(name + l - 2, ".c") || !strcmp(name + l - 2, ".h") ||
			 (l > 3 && !strcmp(name + l - 3, ".md")));
}

/* The files of @dir (not below it) that may cite IDs; returns how many. */
static int scan_dir(const char *dir)
{
	char path[4096];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", TWLAB_SRCDIR, dir);
	d = opendir(path);
	if (!d)
		fail_msg("cannot read %s", path);
	while ((e = readdir(d))) {
		char *text;

		if (!cited_file(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", TWLAB_SRCDIR, dir, e->d_name);
		text = slurp(path);
		if (!text)
			fail_msg("cannot read %s", path);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ids_cited_exist(text, path);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * What a person reads or a case prints names claims and facts that
 * `twlab explain` knows: the sources, README.md, docs/ and its
 * experiments.  The tests are left out (they name unknown IDs on purpose).
 */
static void sources_cite_known_ids(void **state UNUSED)
{
	static const char *const dirs[] = {
		".", "cases", "cases/judges", "lib", "harness", "docs", "docs/experiments",
	};
	int files = 0;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		files += scan_dir(dirs[i]);
	assert_true(files > 40);
}

/* explain_main() on one ID: its status, and whether it printed the entry. */
static int explain_id(const char *id)
{
	const char *ids[] = { id };
	char *out = NULL, *err = NULL, head[ID_LEN + 8];
	size_t nout, nerr;
	FILE *o = open_memstream(&out, &nout), *e = open_memstream(&err, &nerr);
	int ret;

	assert_non_null(o);
	assert_non_null(e);
	ret = explain_main(ids, 1, o, e);
	fclose(o);
	fclose(e);
	snprintf(head, sizeof(head), "## %s: ", id);
	if (!ret && strncmp(out, head, strlen(head)))
		ret = -1;
	free(out);
	free(err);
	return ret;
}

/* Every claim, fact and sub-claim, and every fact a sub-claim cites, has an entry. */
static void explain_covers_every_id(void **state UNUSED)
{
	for (int i = 0; i < claims_count(); i++)
		if (explain_id(claim_at(i)->id))
			fail_msg("twlab explain %s prints no entry", claim_at(i)->id);
	for (int i = 0; i < facts_count(); i++)
		if (explain_id(fact_at(i)->id))
			fail_msg("twlab explain %s prints no entry", fact_at(i)->id);
	for (int i = 0; i < subclaims_count(); i++) {
		const struct tw_subclaim *sc = subclaim_at(i);
		char claim[ID_LEN];

		claim_of(sc->id, claim, sizeof(claim));
		if (explain_id(sc->id))
			fail_msg("twlab explain %s prints nothing", sc->id);
		if (explain_id(claim))
			fail_msg("twlab explain %s (of %s) prints no entry", claim, sc->id);
		for (const char *p = sc->fact; p && *p; p++) {
			char id[4];

			if (!fact_id_at(p))
				continue;
			snprintf(id, sizeof(id), "%.3s", p);
			if (explain_id(id))
				fail_msg("twlab explain %s (of %s) prints no entry", id, sc->id);
		}
	}
}

/* One row per sub-claim, in the claims' order, with its unit, fact and prediction. */
static void list_claims_shows_every_subclaim(void **state UNUSED)
{
	char *out = NULL;
	size_t nout;
	FILE *o = open_memstream(&out, &nout);
	const char *prev = NULL;
	int rows = 0;

	assert_non_null(o);
	explain_subclaims(o);
	fclose(o);
	assert_int_equal(strncmp(out, "SUB-CLAIM", 9), 0);
	for (const char *l = strchr(out, '\n'); l && l[1]; l = strchr(l + 1, '\n'))
		rows++;
	assert_int_equal(rows, subclaims_count());
	for (int i = 0; i < subclaims_count(); i++) {
		const struct tw_subclaim *sc = subclaim_at(i);
		char row[ID_LEN + 8];
		const char *at;
		size_t len;

		snprintf(row, sizeof(row), "\n%s ", sc->id);
		at = strstr(out, row);
		if (!at) {
			fail_msg("twlab list --claims has no row for %s", sc->id);
			continue;
		}
		len = 1 + strcspn(at + 1, "\n");
		assert_true(memmem(at, len, sc->fact, strlen(sc->fact)) != NULL);
		assert_true(memmem(at, len, sc->article, strlen(sc->article)) != NULL);
		if (sc->unit && *sc->unit)
			assert_true(memmem(at, len, sc->unit, strlen(sc->unit)) != NULL);
	}
	/* the claims' order: A02's rows before any A11 row */
	for (const char *l = strchr(out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		char claim[ID_LEN];
		int at;

		claim_of(l + 1, claim, sizeof(claim));
		at = claim_index(claim);
		if (prev)
			assert_true(at < 0 || at >= claim_index(prev));
		prev = at < 0 ? prev : claim_at(at)->id;
	}
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(subclaims_listed_under_their_claim),
		cmocka_unit_test(listed_subclaims_registered),
		cmocka_unit_test(cited_facts_exist),
		cmocka_unit_test(sources_cite_known_ids),
		cmocka_unit_test(explain_covers_every_id),
		cmocka_unit_test(list_claims_shows_every_subclaim),
	};

	return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
