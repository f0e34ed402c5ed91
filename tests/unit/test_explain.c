// SPDX-License-Identifier: GPL-2.0
/*
 * The claims and kernel facts that tools/docs2c.awk compiles in from
 * docs/claims.md and docs/kernel-facts.md: the tables are non-empty,
 * well-formed and unique (test_docs.c checks what cites them), and
 * `twlab explain` prints an entry, lists them all, or refuses an unknown
 * ID in one line.
 */
#include <ctype.h>
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

#define UNUSED __attribute__((unused))
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* What explain_main() wrote to its two streams, and its exit status. */
struct run {
	char *out, *err;
	size_t nout, nerr;
	int ret;
};

static void run_explain(struct run *r, const char *const *ids, int n)
{
	FILE *out = open_memstream(&r->out, &r->nout);
	FILE *err = open_memstream(&r->err, &r->nerr);

	assert_non_null(out);
	assert_non_null(err);
	r->ret = explain_main(ids, n, out, err);
	fclose(out);
	fclose(err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* "A01", "A05r", "K20": a letter, two digits, at most an 'r'. */
static void assert_id_form(const char *id, char letter)
{
	size_t l = strlen(id);

	assert_int_equal(id[0], letter);
	assert_true(l == 3 || (l == 4 && id[3] == 'r'));
	assert_true(isdigit((unsigned char)id[1]) && isdigit((unsigned char)id[2]));
}

static void assert_entry(const char *id, const char *title, const char *body, char letter)
{
	assert_id_form(id, letter);
	assert_true(strlen(title) > 10);
	assert_null(strchr(title, '\n'));
	assert_true(strlen(body) > 40);
	assert_int_equal(body[strlen(body) - 1], '\n');
	assert_null(strstr(body, "\n## "));	/* the next entry did not run in */
}

static void claims_table_sound(void **state UNUSED)
{
	assert_true(claims_count() >= 18);
	for (int i = 0; i < claims_count(); i++) {
		const struct claim_info *c = claim_at(i);

		assert_entry(c->id, c->text, c->body, 'A');
		assert_int_equal(claim_index(c->id), i);	/* unique */
		assert_null(strstr(c->body, "../"));	/* nothing outside the project */
	}
	assert_null(claim_at(claims_count()));
	assert_null(claim_at(-1));
	/* the report's row order: A05r right after A05 */
	assert_int_equal(claim_index("A05r"), claim_index("A05") + 1);
	assert_int_equal(claim_index("A01"), 0);
}

static void facts_table_sound(void **state UNUSED)
{
	assert_true(facts_count() >= 19);
	for (int i = 0; i < facts_count(); i++) {
		const struct fact_info *f = fact_at(i);

		assert_entry(f->id, f->title, f->body, 'K');
		assert_int_equal(fact_index(f->id), i);	/* unique */
		assert_non_null(strstr(f->body, "Versions:"));
		assert_non_null(strstr(f->body, "Source:"));
	}
	assert_null(fact_at(facts_count()));
	assert_int_equal(fact_index("K01"), 0);
	assert_int_equal(fact_index("K99"), -1);
	assert_int_equal(claim_index("K01"), -1);
}

/* The article's figure, not the reference's old "10 bytes". */
static void a10_says_eight_bytes(void **state UNUSED)
{
	const struct claim_info *c = claim_at(claim_index("A10"));

	assert_non_null(strstr(c->body, "一共 8 个字节"));
	assert_non_null(strstr(c->text, "8 bytes"));
}

static void explain_one_entry(void **state UNUSED)
{
	static const char *const ids[] = { "k08" };
	struct run r;

	run_explain(&r, ids, N(ids));
	assert_int_equal(r.ret, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(strncmp(r.out, "## K08: ", 8), 0);
	assert_non_null(strstr(r.out, fact_at(fact_index("K08"))->body));
	run_free(&r);
}

static void explain_lists_all(void **state UNUSED)
{
	struct run r;

	run_explain(&r, NULL, 0);
	assert_int_equal(r.ret, 0);
	assert_int_equal(lines(r.out), 1 + claims_count() + facts_count());
	assert_non_null(strstr(r.out, "\nA05r "));
	assert_non_null(strstr(r.out, "\nK19 "));
	run_free(&r);
}

/* Exit 2, one line naming the ID and the fix, and nothing on stdout. */
static void explain_unknown_id(void **state UNUSED)
{
	static const char *const ids[] = { "A01", "A99" };
	struct run r;

	run_explain(&r, ids, N(ids));
	assert_int_equal(r.ret, 2);
	assert_string_equal(r.out, "");
	assert_int_equal(lines(r.err), 1);
	assert_non_null(strstr(r.err, "'A99'"));
	assert_non_null(strstr(r.err, "twlab explain"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claims_table_sound),
		cmocka_unit_test(facts_table_sound),
		cmocka_unit_test(a10_says_eight_bytes),
		cmocka_unit_test(explain_one_entry),
		cmocka_unit_test(explain_lists_all),
		cmocka_unit_test(explain_unknown_id),
	};

	return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
