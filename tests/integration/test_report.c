// SPDX-License-Identifier: GPL-2.0
/*
 * twlab report on real runs: `twlab run A01 --json` twice, the second
 * file made into another kernel by changing its release, then `twlab
 * report -o DIR` on both.  report.md must have both kernels as columns,
 * report.html the table and at least one inline <svg>, and neither may
 * fetch anything.  Where Debian's chromium is installed (`make
 * report-check` installs it), report.html is also rendered headless: it
 * must load with no console message, and its DOM hold the table and the
 * SVG, and the headline table must fit 1280 px with no sideways scrolling
 * (with two columns, and with five).  Without chromium that part skips
 * and says so: this test installs nothing.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "slurp.h"

#define FAKE_SUFFIX	"-twin"
#define BROWSER_TIMEOUT	"120"

struct fixture {
	json_t *run[2];
	char dir[64];			/* everything this test writes */
	char json[2][96];
	char out[96];			/* the report's folder */
	char release[2][80];
};

/* `@cmd 2>FILE`: the exit status, stdout and stderr as strings. */
static int shell(const char *cmd, char **out, char **err, const char *dir)
{
	char full[2048], errpath[128];
	int status;

	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	snprintf(full, sizeof(full), "%s >%s/stdout 2>%s", cmd, dir, errpath);
	status = system(full);
	snprintf(full, sizeof(full), "%s/stdout", dir);
	*out = slurp(full);
	*err = slurp(errpath);
	assert_non_null(*out);
	assert_non_null(*err);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	void *r;

	*state = NULL;
	if (!fx)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (itest_run(&r, "A01"))
			return -1;
		if (!r) {	/* not root, or no $TWLAB: the tests skip */
			free(fx);
			return 0;
		}
		fx->run[i] = r;
	}
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/twlab-report-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->out, sizeof(fx->out), "%s/out", fx->dir);
	/* the second run, as if from another kernel */
	for (int i = 0; i < 2; i++) {
		json_t *k = json_object_get(fx->run[i], "kernel");

		snprintf(fx->release[i], sizeof(fx->release[i]), "%s%s",
			 itest_str(k, "release"), i ? FAKE_SUFFIX : "");
		json_object_set_new(k, "release", json_string(fx->release[i]));
		snprintf(fx->json[i], sizeof(fx->json[i]), "%s/run%d.json", fx->dir, i);
		if (json_dump_file(fx->run[i], fx->json[i], JSON_INDENT(2)))
			return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	if (!fx)
		return 0;
	for (int i = 0; i < 2; i++)
		itest_free((void **)&fx->run[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd))
		print_message("could not remove %s\n", fx->dir);
	free(fx);
	return 0;
}

static void report_made(void **state)
{
	struct fixture *fx = *state;
	char cmd[1024], header[256], path[160], *out, *err, *md, *html;

	ITEST_NEED_RUN(state);
	snprintf(cmd, sizeof(cmd), "%s report -o %s %s %s", getenv("TWLAB"), fx->out,
		 fx->json[0], fx->json[1]);
	if (shell(cmd, &out, &err, fx->dir))
		fail_msg("%s: %s", cmd, err);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "report.md"));

	snprintf(path, sizeof(path), "%s/report.md", fx->out);
	md = slurp(path);
	assert_non_null(md);
	snprintf(header, sizeof(header), "| claim | %s | %s |\n", fx->release[0], fx->release[1]);
	if (!strstr(md, header))
		fail_msg("report.md has no header '%s':\n%s", header, md);
	assert_non_null(strstr(md, "| **A01** The side that closes first"));
	assert_non_null(strstr(md, "## What differs between these kernels"));
	assert_non_null(strstr(md, "| `A01.client_closes.client` "));
	/* one word a cell: never a count of verdicts */
	assert_null(strstr(md, "×"));

	snprintf(path, sizeof(path), "%s/report.html", fx->out);
	html = slurp(path);
	assert_non_null(html);
	assert_non_null(strstr(html, "<table class=\"claims\">"));
	assert_non_null(strstr(html, "<details id=\"claim-A01\">"));
	if (!strstr(html, "<svg"))
		fail_msg("report.html has no <svg>: is gnuplot installed (ci/deps.sh)?");
	/* self-contained: no script, nothing to load */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, " src="));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "href='http"));
	assert_null(strstr(html, "url(http"));
	free(html);
	free(md);
	free(out);
	free(err);
}

static void assert_one_line_error(struct fixture *fx, const char *file, const char *needle)
{
	char cmd[1024], *out, *err;
	int status;

	snprintf(cmd, sizeof(cmd), "%s report -o %s/bad %s", getenv("TWLAB"), fx->dir, file);
	status = shell(cmd, &out, &err, fx->dir);
	if (status != 2 || lines(err) != 1 || !strstr(err, file) || !strstr(err, needle))
		fail_msg("'%s' exited %d saying '%s' (wanted 2 and one line naming %s: %s)",
			 cmd, status, err, file, needle);
	assert_string_equal(out, "");
	free(out);
	free(err);
}

static void report_refuses(void **state)
{
	struct fixture *fx = *state;
	char path[160];
	FILE *f;

	ITEST_NEED_RUN(state);
	snprintf(path, sizeof(path), "%s/nosuch.json", fx->dir);
	assert_one_line_error(fx, path, "No such file");
	snprintf(path, sizeof(path), "%s/text.json", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("KTAP version 1\n1..1\nok 1 x\n", f);
	fclose(f);
	assert_one_line_error(fx, path, "not JSON");
	snprintf(path, sizeof(path), "%s/object.json", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"kernel\": {\"release\": \"6.18\"}}", f);
	fclose(f);
	assert_one_line_error(fx, path, "'schema' is missing");
}

static bool have_chromium(void)
{
	return !system("command -v chromium >/dev/null 2>&1");
}

/* chromium headless on @page at 1280 px, with @what ("--dump-dom", "--screenshot=F") */
static int browse(struct fixture *fx, const char *page, const char *what, char **out,
		  char **err)
{
	char cmd[2048], profile[96];
	int status;

	snprintf(profile, sizeof(profile), "%s/profile-XXXXXX", fx->dir);
	assert_non_null(mkdtemp(profile));
	snprintf(cmd, sizeof(cmd), "timeout " BROWSER_TIMEOUT " chromium --headless --no-sandbox "
		 "--disable-gpu --disable-background-networking --disable-component-update "
		 "--disable-sync --no-first-run --user-data-dir=%s --window-size=1280,1600 "
		 "--enable-logging=stderr --v=0 %s file://%s",
		 profile, what, page);
	status = shell(cmd, out, err, fx->dir);
	if (status)
		fail_msg("chromium exited %d: %s", status, *err);
	return status;
}

/* chromium prints what a page logs as "...:CONSOLE..." lines */
static void assert_quiet_console(const char *err)
{
	const char *c = strstr(err, ":CONSOLE");

	if (c) {
		const char *start = c, *end = strchr(c, '\n');

		while (start > err && start[-1] != '\n')
			start--;
		fail_msg("report.html logged to the console: %.*s", (int)((end ?: c + strlen(c)) -
								    start), start);
	}
}

/*
 * The page's widths as the browser laid it out at 1280 px: a copy of
 * report.html with a measuring script before </body> -- the report itself
 * has no script -- that writes them into the DOM for --dump-dom.
 */
static const char measure[] =
"<script>var t=document.querySelector('table.claims');"
"document.body.setAttribute('data-fit',[document.documentElement.scrollWidth,"
"document.documentElement.clientWidth,Math.ceil(t.getBoundingClientRect().right)].join(' '));"
"</script>";

static void assert_fits(struct fixture *fx, const char *report_dir)
{
	char path[192], *html, *at, *out, *err;
	int scroll, client, right;
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.html", report_dir);
	html = slurp(path);
	assert_non_null(html);
	at = strstr(html, "</body>");
	assert_non_null(at);
	snprintf(path, sizeof(path), "%s/measure.html", report_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%.*s%s%s", (int)(at - html), html, measure, at);
	fclose(f);
	browse(fx, path, "--dump-dom", &out, &err);
	assert_quiet_console(err);
	at = strstr(out, "data-fit=\"");
	if (!at || sscanf(at, "data-fit=\"%d %d %d", &scroll, &client, &right) != 3)
		fail_msg("the measuring script wrote nothing: %.300s", err);
	print_message("at 1280 px: page %d px wide in %d, headline table ends at %d\n", scroll,
		      client, right);
	if (scroll > client || right > client)
		fail_msg("the headline table needs scrolling sideways at 1280 px: page %d px, "
			 "window %d, table to %d", scroll, client, right);
	free(html);
	free(out);
	free(err);
}

static void report_renders(void **state)
{
	struct fixture *fx = *state;
	char shot[160], arg[200], page[160], wide[160], cmd[1024], *out, *err;
	unsigned char magic[8];
	struct stat st;
	FILE *f;

	ITEST_NEED_RUN(state);
	if (!have_chromium()) {
		print_message("skipped: chromium is not installed; 'make report-check' "
			      "installs it and runs this test\n");
		skip();
	}
	snprintf(shot, sizeof(shot), "%s/report.html", fx->out);
	if (stat(shot, &st))	/* report_made() wrote it; run it here if alone */
		report_made(state);

	snprintf(page, sizeof(page), "%s/report.html", fx->out);
	browse(fx, page, "--dump-dom", &out, &err);
	assert_quiet_console(err);
	assert_non_null(strstr(out, "<table class=\"claims\">"));
	assert_non_null(strstr(out, "<a href=\"#claim-A01\">A01</a>"));
	assert_non_null(strstr(out, "<details id=\"claim-A01\">"));
	assert_non_null(strstr(out, "<svg"));
	free(out);
	free(err);
	assert_fits(fx, fx->out);

	/* five columns, each headed by the longest label there is: release@started#n */
	snprintf(wide, sizeof(wide), "%s/wide", fx->dir);
	snprintf(cmd, sizeof(cmd), "%s report -o %s %s %s %s %s %s", getenv("TWLAB"), wide,
		 fx->json[0], fx->json[0], fx->json[0], fx->json[1], fx->json[1]);
	if (shell(cmd, &out, &err, fx->dir))
		fail_msg("%s: %s", cmd, err);
	free(out);
	free(err);
	assert_fits(fx, wide);

	/* print: it lays out, and says nothing */
	snprintf(shot, sizeof(shot), "%s/report.pdf", fx->dir);
	snprintf(arg, sizeof(arg), "--no-pdf-header-footer --print-to-pdf=%s", shot);
	browse(fx, page, arg, &out, &err);
	assert_quiet_console(err);
	f = fopen(shot, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 5, f), 5);
	fclose(f);
	assert_memory_equal(magic, "%PDF-", 5);
	free(out);
	free(err);

	snprintf(shot, sizeof(shot), "%s/report.png", fx->dir);
	snprintf(arg, sizeof(arg), "--screenshot=%s", shot);
	browse(fx, page, arg, &out, &err);
	assert_quiet_console(err);
	f = fopen(shot, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, sizeof(magic), f), sizeof(magic));
	fclose(f);
	assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", sizeof(magic));
	assert_int_equal(stat(shot, &st), 0);
	assert_true(st.st_size > 10000);	/* a page, not a blank */
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_made),
		cmocka_unit_test(report_refuses),
		cmocka_unit_test(report_renders),
	};

	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
