// SPDX-License-Identifier: GPL-2.0
/*
 * The registry, filled by TW_CASE constructors exactly as cases/ fill it:
 * three fake cases, declared out of name order to prove the sorting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "registry.h"

#define UNUSED __attribute__((unused))
#define NFILTERS(f) ((int)(sizeof(f) / sizeof((f)[0])))

static int zz_tail(struct lab *lab UNUSED, const struct tw_params *p UNUSED,
		   struct tw_result *r UNUSED)
{
	return 0;
}

static int aa_head(struct lab *lab UNUSED, const struct tw_params *p UNUSED,
		   struct tw_result *r UNUSED)
{
	return 0;
}

static int mm_middle(struct lab *lab UNUSED, const struct tw_params *p UNUSED,
		     struct tw_result *r UNUSED)
{
	return 0;
}

TW_CASE(zz_tail, .summary = "a claim and its refinement", .claims = "A05 A05r")
TW_CASE(aa_head, .summary = "one claim", .claims = "A01")
TW_CASE(mm_middle, .summary = "two claims", .claims = "A02 A09",
	.vary = { { "tcp_tw_reuse", { "0", "1", "2" } } })

static void reg_count(void **state UNUSED)
{
	assert_int_equal(registry_count(), 3);
}

static void reg_get_sorted(void **state UNUSED)
{
	assert_ptr_equal(registry_get(0), &tw_case_aa_head);
	assert_ptr_equal(registry_get(1), &tw_case_mm_middle);
	assert_ptr_equal(registry_get(2), &tw_case_zz_tail);
	assert_null(registry_get(3));
	assert_null(registry_get(-1));
}

static void reg_case_fields(void **state UNUSED)
{
	const struct tw_case *c = registry_get(1);

	/* TW_CASE names the case after its run function */
	assert_string_equal(c->name, "mm_middle");
	assert_ptr_equal(c->run, mm_middle);
	assert_string_equal(c->claims, "A02 A09");
	assert_string_equal(c->vary[0].key, "tcp_tw_reuse");
	assert_null(c->vary[1].key);
}

static void reg_find(void **state UNUSED)
{
	assert_ptr_equal(registry_find("aa_head"), &tw_case_aa_head);
	assert_ptr_equal(registry_find("zz_tail"), &tw_case_zz_tail);
	assert_null(registry_find("mm"));		/* no prefix match */
	assert_null(registry_find("mm_middle_"));
	assert_null(registry_find("AA_HEAD"));		/* names are exact */
	assert_null(registry_find(""));
}

static void reg_has_claim(void **state UNUSED)
{
	assert_true(case_has_claim(&tw_case_aa_head, "A01"));
	assert_true(case_has_claim(&tw_case_aa_head, "a01"));
	assert_true(case_has_claim(&tw_case_mm_middle, "A02"));
	assert_true(case_has_claim(&tw_case_mm_middle, "A09"));
	assert_true(case_has_claim(&tw_case_zz_tail, "A05"));
	assert_true(case_has_claim(&tw_case_zz_tail, "A05r"));
	assert_true(case_has_claim(&tw_case_zz_tail, "a05R"));

	assert_false(case_has_claim(&tw_case_aa_head, "A02"));
	assert_false(case_has_claim(&tw_case_mm_middle, "A01"));
	assert_false(case_has_claim(&tw_case_zz_tail, "A05x"));
}

/* A claim is a whole word: neither prefix nor extension matches. */
static void reg_has_claim_whole_word(void **state UNUSED)
{
	static const struct tw_case only_r = { .name = "only_r", .claims = "A05r" };
	static const struct tw_case spaced = { .name = "spaced", .claims = "  A01   A02 " };
	static const struct tw_case none = { .name = "none" };

	assert_false(case_has_claim(&tw_case_aa_head, "A0"));
	assert_false(case_has_claim(&tw_case_aa_head, "A010"));
	assert_false(case_has_claim(&tw_case_mm_middle, "A02 A09"));
	assert_false(case_has_claim(&only_r, "A05"));
	assert_true(case_has_claim(&only_r, "A05r"));
	assert_true(case_has_claim(&spaced, "A01"));
	assert_true(case_has_claim(&spaced, "A02"));
	assert_false(case_has_claim(&none, "A01"));
}

static void reg_is_claim_id(void **state UNUSED)
{
	assert_true(is_claim_id("A01"));
	assert_true(is_claim_id("a05r"));
	assert_true(is_claim_id("A99"));

	assert_false(is_claim_id("A1"));
	assert_false(is_claim_id("B01"));
	assert_false(is_claim_id("A01x1"));
	assert_false(is_claim_id("A01 "));
	assert_false(is_claim_id("tw_reuse"));
	assert_false(is_claim_id("A"));
	assert_false(is_claim_id(""));
	assert_false(is_claim_id("AA01"));
	assert_false(is_claim_id("A01abc"));	/* one suffix letter at most */
}

static void reg_select_all(void **state UNUSED)
{
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(NULL, 0, out, REGISTRY_MAX, &bad), 3);
	assert_ptr_equal(out[0], &tw_case_aa_head);
	assert_ptr_equal(out[1], &tw_case_mm_middle);
	assert_ptr_equal(out[2], &tw_case_zz_tail);
	assert_null(bad);
}

static void reg_select_by_name(void **state UNUSED)
{
	static const char *const f[] = { "zz_tail" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(f, NFILTERS(f), out, REGISTRY_MAX, &bad), 1);
	assert_ptr_equal(out[0], &tw_case_zz_tail);
}

static void reg_select_by_claim(void **state UNUSED)
{
	static const char *const a09[] = { "A09" };
	static const char *const a05r[] = { "a05r" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(a09, 1, out, REGISTRY_MAX, &bad), 1);
	assert_ptr_equal(out[0], &tw_case_mm_middle);
	assert_int_equal(registry_select(a05r, 1, out, REGISTRY_MAX, &bad), 1);
	assert_ptr_equal(out[0], &tw_case_zz_tail);
}

/* Output follows the registry's order, not the filters'. */
static void reg_select_mixed(void **state UNUSED)
{
	static const char *const f[] = { "zz_tail", "A01" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(f, NFILTERS(f), out, REGISTRY_MAX, &bad), 2);
	assert_ptr_equal(out[0], &tw_case_aa_head);
	assert_ptr_equal(out[1], &tw_case_zz_tail);
}

static void reg_select_duplicates(void **state UNUSED)
{
	static const char *const same[] = { "A05", "zz_tail", "A05r", "a05" };
	static const char *const twice[] = { "A01", "aa_head", "A01", "A09", "A02" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(same, NFILTERS(same), out, REGISTRY_MAX, &bad), 1);
	assert_ptr_equal(out[0], &tw_case_zz_tail);
	assert_int_equal(registry_select(twice, NFILTERS(twice), out, REGISTRY_MAX, &bad), 2);
	assert_ptr_equal(out[0], &tw_case_aa_head);
	assert_ptr_equal(out[1], &tw_case_mm_middle);
}

static void reg_select_unknown(void **state UNUSED)
{
	static const char *const f[] = { "A01", "nope", "A77" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(f, NFILTERS(f), out, REGISTRY_MAX, &bad), -ENOENT);
	assert_ptr_equal(bad, f[1]);	/* the first that matched nothing */
}

static void reg_select_unknown_claim(void **state UNUSED)
{
	static const char *const f[] = { "A77", "aa_head" };
	/* "A0" is not a claim ID, so it is looked up as a name, and fails */
	static const char *const g[] = { "A0" };
	const struct tw_case *out[REGISTRY_MAX];
	const char *bad = NULL;

	assert_int_equal(registry_select(f, NFILTERS(f), out, REGISTRY_MAX, &bad), -ENOENT);
	assert_ptr_equal(bad, f[0]);
	bad = NULL;
	assert_int_equal(registry_select(g, NFILTERS(g), out, REGISTRY_MAX, &bad), -ENOENT);
	assert_ptr_equal(bad, g[0]);
}

/* @max bounds what is written; the sentinel past it stays untouched. */
static void reg_select_max(void **state UNUSED)
{
	const struct tw_case *out[3] = { NULL, NULL, &tw_case_aa_head };
	const char *bad = NULL;

	assert_int_equal(registry_select(NULL, 0, out, 2, &bad), 2);
	assert_ptr_equal(out[0], &tw_case_aa_head);
	assert_ptr_equal(out[1], &tw_case_mm_middle);
	assert_ptr_equal(out[2], &tw_case_aa_head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reg_count),
		cmocka_unit_test(reg_get_sorted),
		cmocka_unit_test(reg_case_fields),
		cmocka_unit_test(reg_find),
		cmocka_unit_test(reg_has_claim),
		cmocka_unit_test(reg_has_claim_whole_word),
		cmocka_unit_test(reg_is_claim_id),
		cmocka_unit_test(reg_select_all),
		cmocka_unit_test(reg_select_by_name),
		cmocka_unit_test(reg_select_by_claim),
		cmocka_unit_test(reg_select_mixed),
		cmocka_unit_test(reg_select_duplicates),
		cmocka_unit_test(reg_select_unknown),
		cmocka_unit_test(reg_select_unknown_claim),
		cmocka_unit_test(reg_select_max),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
