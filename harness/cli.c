// SPDX-License-Identifier: GPL-2.0
/*
 * The command line, parsed without side effects so that the unit tests
 * can feed it anything: twlab list | run [CASE|CLAIM ...] [-j N] [--json F].
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage[] =
"usage: twlab list\n"
"       twlab run [CASE|CLAIM ...] [-j N] [--json FILE] [--out DIR]\n"
"                 [--set SYSCTL=V[,V...]]...\n"
"       twlab --help | --version\n"
"\n"
"  list           the cases, the claims each checks, the instances each runs\n"
"  run            run the named cases, or those checking the named claims\n"
"                 (A01, A02, ...); all of them when none is named\n"
"  -j, --jobs N   run at most N instances at once (default: all at once)\n"
"      --json F   also write the results as JSON to F\n"
"      --out D    where each instance's capture goes\n"
"                 (default ./twlab-out/<UTC time>/)\n"
"      --set S=V,W  run at these values of sysctl S (net.ipv4 unless\n"
"                 dotted): replaces the values a case varies, or adds\n"
"                 S to the cases that do not; repeatable\n"
"  -h, --help     this text\n"
"  -V, --version  twlab's version\n"
"\n"
"Results print as KTAP on stdout.  Exit status: 0 when no instance failed\n"
"or errored, 1 when one did, 2 on a usage error.\n";

static int bad(char *err, size_t len, const char *fmt, const char *arg)
{
	snprintf(err, len, fmt, arg);
	return -EINVAL;
}

static bool parse_jobs(const char *s, int *jobs)
{
	long v = 0;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
		if (v > CLI_MAX_JOBS)
			return false;
	}
	if (v < 1)
		return false;
	*jobs = v;
	return true;
}

/* "--json F", "--json=F", "-j N", "-jN", "--jobs N", "--jobs=N" */
static const char *option_value(int argc, char *const *argv, int *i,
				const char *shrt, const char *lng)
{
	const char *a = argv[*i];
	size_t l = strlen(lng);

	if (!strncmp(a, lng, l) && a[l] == '=')
		return a + l + 1;
	if (shrt && !strncmp(a, shrt, 2) && a[2])
		return a + 2;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool is_option(const char *a, const char *shrt, const char *lng)
{
	size_t l = strlen(lng);

	return (shrt && !strncmp(a, shrt, 2)) ||
	       (!strncmp(a, lng, l) && (a[l] == '\0' || a[l] == '='));
}

static int parse_run(int argc, char *const *argv, int i, struct cli *c,
		     char *err, size_t len)
{
	for (; i < argc; i++) {
		const char *a = argv[i], *v;

		if (is_option(a, "-j", "--jobs")) {
			v = option_value(argc, argv, &i, "-j", "--jobs");
			if (!v)
				return bad(err, len, "twlab: %s needs a number of jobs, 1 to 1024", a);
			if (!parse_jobs(v, &c->jobs))
				return bad(err, len, "twlab: -j wants a number of jobs from 1 to 1024, not '%s'", v);
		} else if (is_option(a, NULL, "--json")) {
			v = option_value(argc, argv, &i, NULL, "--json");
			if (!v || !*v)
				return bad(err, len, "twlab: %s needs a file name", a);
			c->json = v;
		} else if (is_option(a, NULL, "--out")) {
			v = option_value(argc, argv, &i, NULL, "--out");
			if (!v || !*v)
				return bad(err, len, "twlab: %s needs a directory", a);
			c->out = v;
		} else if (is_option(a, NULL, "--set")) {
			v = option_value(argc, argv, &i, NULL, "--set");
			if (!v)
				return bad(err, len, "twlab: %s needs SYSCTL=VALUE[,VALUE...]", a);
			if (c->nov == TW_MAX_VARY)
				return bad(err, len, "twlab: --set: at most %s sysctls", "6");
			if (override_parse(v, &c->ov[c->nov], err, len))
				return -EINVAL;
			for (int k = 0; k < c->nov; k++)
				if (!strcmp(c->ov[k].key, c->ov[c->nov].key))
					return bad(err, len, "twlab: --set %s given twice; "
						   "list the values once, comma-separated",
						   c->ov[k].key);
			c->nov++;
		} else if (a[0] == '-') {
			return bad(err, len, "twlab: unknown option '%s'; see 'twlab --help'", a);
		} else {
			if (c->nfilters == CLI_MAX_FILTERS)
				return bad(err, len, "twlab: too many cases named (at most %s)", "64");
			c->filters[c->nfilters++] = a;
		}
	}
	return 0;
}

int cli_parse(int argc, char *const *argv, struct cli *c, char *err, size_t len)
{
	const char *cmd;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	if (argc < 2)
		return bad(err, len, "twlab: say what to do: 'twlab run' runs the suite; %s",
			   "'twlab --help' lists the commands");
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		c->cmd = CMD_HELP;
	} else if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		c->cmd = CMD_VERSION;
	} else if (!strcmp(cmd, "list")) {
		c->cmd = CMD_LIST;
		if (argc > 2)
			return bad(err, len, "twlab: 'list' takes no arguments, got '%s'", argv[2]);
	} else if (!strcmp(cmd, "run")) {
		c->cmd = CMD_RUN;
		return parse_run(argc, argv, 2, c, err, len);
	} else {
		return bad(err, len, "twlab: unknown command '%s'; see 'twlab --help'", cmd);
	}
	return 0;
}
