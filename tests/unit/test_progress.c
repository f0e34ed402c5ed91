// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line: its text, its rate limit, and that clearing it
 * leaves the terminal as a pipe would have been -- and that, off, it
 * writes nothing at all.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clock.h"
#include "progress.h"

#define UNUSED __attribute__((unused))
#define ERASE "\r\033[K"

static void progress_text(void **state UNUSED)
{
	char buf[96];

	progress_format(buf, sizeof(buf), 12, 56, 41);
	assert_string_equal(buf, "[12/56 done] longest wait: at most 41 s left");
	progress_format(buf, sizeof(buf), 56, 56, -1);
	assert_string_equal(buf, "[56/56 done]");
	progress_format(buf, 8, 12, 56, 41);
	assert_string_equal(buf, "[12/56 ");
}

struct screen {
	FILE *f;
	char *text;
	size_t len;
};

static void screen_open(struct screen *s)
{
	s->text = NULL;
	s->f = open_memstream(&s->text, &s->len);
	assert_non_null(s->f);
}

static const char *screen(struct screen *s)
{
	fflush(s->f);
	return s->text;
}

static void progress_rate_and_clear(void **state UNUSED)
{
	int64_t t = 1000 * NSEC_PER_SEC, until = t + 41 * NSEC_PER_SEC;
	struct progress p;
	struct screen s;

	screen_open(&s);
	progress_init(&p, s.f, true, 56);
	progress_clear(&p);		/* nothing shown yet: nothing to erase */
	assert_string_equal(screen(&s), "");
	progress_update(&p, t, until);
	assert_string_equal(screen(&s), ERASE "[0/56 done] longest wait: at most 41 s left");
	/* within PROGRESS_PERIOD_MS: not redrawn, however much changed */
	progress_done(&p);
	progress_update(&p, t + (PROGRESS_PERIOD_MS - 1) * NSEC_PER_MSEC, until);
	assert_int_equal(strlen(screen(&s)), strlen(ERASE "[0/56 done] longest wait: at most 41 s left"));
	/* past it: redrawn; part of a second left counts as a whole one */
	progress_update(&p, t + PROGRESS_PERIOD_MS * NSEC_PER_MSEC, until);
	assert_non_null(strstr(screen(&s), ERASE "[1/56 done] longest wait: at most 41 s left"));
	progress_clear(&p);
	assert_true(strlen(s.text) >= strlen(ERASE) &&
		    !strcmp(s.text + strlen(s.text) - strlen(ERASE), ERASE));
	/* past the last limit, and with nothing running */
	progress_update(&p, until + NSEC_PER_SEC, until);
	assert_non_null(strstr(screen(&s), "at most 0 s left"));
	progress_update(&p, until + 2 * NSEC_PER_SEC, 0);
	assert_true(!strcmp(s.text + strlen(s.text) - strlen("[1/56 done]"), "[1/56 done]"));
	fclose(s.f);
	free(s.text);
}

/* Off (not a terminal, or --quiet): silent, whatever is called. */
static void progress_off(void **state UNUSED)
{
	struct progress p;
	struct screen s;

	screen_open(&s);
	progress_init(&p, s.f, false, 3);
	progress_done(&p);
	progress_update(&p, NSEC_PER_SEC, 2 * NSEC_PER_SEC);
	progress_clear(&p);
	assert_string_equal(screen(&s), "");
	fclose(s.f);
	free(s.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_text),
		cmocka_unit_test(progress_rate_and_clear),
		cmocka_unit_test(progress_off),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
