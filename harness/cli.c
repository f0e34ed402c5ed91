// SPDX-License-Identifier: GPL-2.0
/*
 * The command line, parsed without side effects so that the unit tests
 * can feed it anything: twlab list [--claims] | run [CASE|CLAIM ...] [-j N] [--json F]
 * | report [-o DIR] FILE.json... | diff OLD.json NEW.json | matrix --kernel K... [CASE|CLAIM ...]
 * | explain [ID ...]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage[] =
"usage: twlab list [--claims]\n"
"       twlab run [CASE|CLAIM ...] [-j N] [--json FILE] [--out DIR]\n"
"                 [--set SYSCTL=V[,V...]]... [-q]\n"
"       twlab report [-o DIR] FILE.json...\n"
"       twlab diff OLD.json NEW.json\n"
"       twlab matrix --kernel K [--modules DIR] [--kernel K]... [CASE|CLAIM ...]\n"
"                 [-j N] [--out DIR] [--cache DIR] [--mirror URL]\n"
"                 [--accel auto|kvm|tcg] [--smp N] [--guest-jobs N] [--mem MB]\n"
"                 [--timeout S]\n"
"       twlab explain [ID ...]\n"
"       twlab --help | --version\n"
"\n"
"  list           the cases, the claims each checks, the instances each runs\n"
"      --claims   instead, every sub-claim a verdict is given for: its unit,\n"
"                 the kernel fact its window comes from, the article's\n"
"                 prediction\n"
"  run            run the named cases, or those checking the named claims\n"
"                 (A01, A02, ...); all of them when none is named\n"
"  -j, --jobs N   run at most N instances at once (default: all at once)\n"
"      --json F   also write the results as JSON to F\n"
"      --out D    where each instance's capture goes\n"
"                 (default ./twlab-out/<UTC time>/)\n"
"      --time-scale N  every instance's time limit, and every bound on a\n"
"                 step of the observer (accept(), ss), x N (an emulated\n"
"                 machine, a loaded one); never a kernel's window\n"
"      --set S=V,W  run at these values of sysctl S (net.ipv4 unless\n"
"                 dotted): replaces the values a case varies, or adds\n"
"                 S to the cases that do not; repeatable\n"
"  -q, --quiet    no progress line on stderr (it shows only when stdout\n"
"                 and stderr are terminals)\n"
"  report         merge the JSON of runs, from any kernels and machines,\n"
"                 into DIR/report.md and DIR/report.html: claims down,\n"
"                 one column per file, headed by its kernel release --\n"
"                 RELEASE@STARTED (the run's UTC start) where two files\n"
"                 share a release, and #1, #2... if that is shared too\n"
"  -o, --out D    report: where to write (default ./twlab-report/)\n"
"  diff           what changed from one run to another, per sub-claim: a\n"
"                 verdict, a kernel window, a figure beyond both\n"
"                 observers' uncertainty; exit 1 when a conclusive\n"
"                 verdict changed (a kernel upgrade's behaviour change)\n"
"  matrix         run the cases on several kernels at once and report on\n"
"                 them: DIR/K.json per kernel, then DIR/report/\n"
"  --kernel K     host (this kernel, run directly), a Debian series (6.1,\n"
"                 5.10, 6.12, 7.3: its newest amd64 kernel) or version\n"
"                 (6.1.0-28), or a kernel image file (a path with a slash:\n"
"                 a bzImage, or a kernel .deb), booted under qemu; an\n"
"                 image is named by the release it reports; repeatable\n"
"  --modules D    matrix: the modules of the bzImage of the --kernel before\n"
"                 it, its lib/modules/<release> folder\n"
"  -j N           matrix: boot at most N guests at once (default 2)\n"
"  --out D        matrix: default ./twlab-out/matrix-<UTC time>/\n"
"  --cache D      matrix: fetched kernels (default ./twlab-cache/)\n"
"  --mirror URL   matrix: the Debian archive to fetch kernels from\n"
"                 (default: the one in this machine's apt sources)\n"
"  --accel A      matrix: kvm, tcg, or auto: kvm if a short boot shows it\n"
"                 works, else tcg (default)\n"
"  --smp N        matrix: CPUs per guest (default: the host's CPUs shared\n"
"                 among the guests at once, 1 or 2)\n"
"  --guest-jobs N matrix: instances at once in each guest, the longest\n"
"                 first (default 12): an emulated CPU starves timed steps\n"
"  --mem MB       matrix: memory per guest (default 1024); the kernel sizes\n"
"                 its TCP hash, and so tcp_max_tw_buckets, by it\n"
"  --timeout S    matrix: a kernel still running after S s is killed and\n"
"                 reported as an error (default 1800)\n"
"  explain        print a claim's (A01...) or kernel fact's (K01...) entry:\n"
"                 the article's words, where they stand, what twlab\n"
"                 tests, or the fact, its source and kernel versions; or\n"
"                 what a sub-claim (A02.tw_lifetime) measures; with no ID,\n"
"                 every claim and fact and its title\n"
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

/* A whole decimal number from 1 to @max. */
static bool parse_count(const char *s, long max, int *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
		if (v > max)
			return false;
	}
	if (v < 1)
		return false;
	*out = v;
	return true;
}

static bool parse_jobs(const char *s, int *jobs)
{
	return parse_count(s, CLI_MAX_JOBS, jobs);
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

/* argv[*@i] is @shrt or @lng: *@v is its value (NULL if none is given). */
static bool option(int argc, char *const *argv, int *i, const char *shrt, const char *lng,
		   const char **v)
{
	if (!is_option(argv[*i], shrt, lng))
		return false;
	*v = option_value(argc, argv, i, shrt, lng);
	return true;
}

static int parse_run(int argc, char *const *argv, int i, struct cli *c,
		     char *err, size_t len)
{
	for (; i < argc; i++) {
		const char *a = argv[i], *v;

		if (option(argc, argv, &i, "-j", "--jobs", &v)) {
			if (!v)
				return bad(err, len, "twlab: %s needs a number of jobs, 1 to 1024", a);
			if (!parse_jobs(v, &c->jobs))
				return bad(err, len, "twlab: -j wants a number of jobs from 1 to 1024, not '%s'", v);
		} else if (option(argc, argv, &i, NULL, "--json", &v)) {
			if (!v || !*v)
				return bad(err, len, "twlab: %s needs a file name", a);
			c->json = v;
		} else if (option(argc, argv, &i, NULL, "--out", &v)) {
			if (!v || !*v)
				return bad(err, len, "twlab: %s needs a directory", a);
			c->out = v;
		} else if (option(argc, argv, &i, NULL, "--set", &v)) {
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
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = true;
		} else if (option(argc, argv, &i, NULL, "--time-scale", &v)) {
			if (!v || !parse_count(v, 100, &c->time_scale))
				return bad(err, len, "twlab: --time-scale wants a whole factor from 1 "
					   "to 100, not '%s'", v ? v : "");
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

/* report [-o DIR] FILE.json...: at least one file */
static int parse_report(int argc, char *const *argv, int i, struct cli *c,
			char *err, size_t len)
{
	for (; i < argc; i++) {
		const char *a = argv[i], *v;

		if (option(argc, argv, &i, "-o", "--out", &v)) {
			if (!v || !*v)
				return bad(err, len, "twlab: %s needs a directory", a);
			c->out = v;
		} else if (a[0] == '-' && a[1]) {
			return bad(err, len, "twlab: unknown option '%s'; see 'twlab --help'", a);
		} else {
			if (c->nfiles == CLI_MAX_FILES)
				return bad(err, len, "twlab: too many files for a report (at most %s)",
					   "64");
			c->files[c->nfiles++] = a;
		}
	}
	if (!c->nfiles)
		return bad(err, len, "twlab: report needs the JSON of at least one run: %s",
			   "twlab report [-o DIR] FILE.json...");
	return 0;
}

/* diff OLD.json NEW.json: exactly two files */
static int parse_diff(int argc, char *const *argv, int i, struct cli *c, char *err, size_t len)
{
	for (; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return bad(err, len, "twlab: unknown option '%s'; see 'twlab --help'", argv[i]);
		if (c->nfiles == 2)
			return bad(err, len, "twlab: diff compares two runs, not more: %s",
				   "twlab diff OLD.json NEW.json");
		c->files[c->nfiles++] = argv[i];
	}
	if (c->nfiles != 2)
		return bad(err, len, "twlab: diff needs the JSON of two runs: %s",
			   "twlab diff OLD.json NEW.json");
	return 0;
}

static int add_kernel(const char *v, struct cli *c, char *err, size_t len)
{
	struct km_spec *k = &c->km.kernels[c->km.nkernels];

	if (c->km.nkernels == KM_MAX_KERNELS)
		return bad(err, len, "twlab: --kernel: at most %s kernels in one matrix", "16");
	if (kspec_parse(v, k, err, len))
		return -EINVAL;
	/* an image's name is its release, read later: its path is what repeats */
	for (int i = 0; i < c->km.nkernels; i++)
		if (c->km.kernels[i].kind == k->kind &&
		    !strcmp(k->path ? k->path : k->name,
			    c->km.kernels[i].path ? c->km.kernels[i].path : c->km.kernels[i].name))
			return bad(err, len, "twlab: --kernel %s given twice; name each kernel once",
				   k->path ?: k->name);
	c->km.nkernels++;
	return 0;
}

/* --modules DIR: of the bzImage that the --kernel before it names */
static int add_modules(const char *v, struct cli *c, char *err, size_t len)
{
	struct km_spec *k = c->km.nkernels ? &c->km.kernels[c->km.nkernels - 1] : NULL;
	size_t n;

	if (!k || k->kind != KSPEC_FILE || k->modules)
		return bad(err, len, "twlab: --modules %s: name it right after the --kernel "
			   "of its bzImage, once", v);
	n = strlen(k->path);
	if (n > 4 && !strcmp(k->path + n - 4, ".deb"))
		return bad(err, len, "twlab: --modules %s: a kernel .deb holds its own modules; "
			   "drop --modules", v);
	k->modules = v;
	return 0;
}

/* The value of matrix option @opt (already checked to be one). */
static int matrix_option(const char *opt, const char *v, struct cli *c, char *err, size_t len)
{
	if (!strcmp(opt, "--jobs")) {
		if (!parse_count(v, CLI_MAX_JOBS, &c->jobs))
			return bad(err, len, "twlab: -j wants a number of guests from 1 to 1024, "
				   "not '%s'", v);
	} else if (!strcmp(opt, "--out")) {
		c->out = v;
	} else if (!strcmp(opt, "--cache")) {
		c->km.cache = v;
	} else if (!strcmp(opt, "--kernel")) {
		return add_kernel(v, c, err, len);
	} else if (!strcmp(opt, "--modules")) {
		return add_modules(v, c, err, len);
	} else if (!strcmp(opt, "--mirror")) {
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8) &&
		    strncmp(v, "file:/", 6))
			return bad(err, len, "twlab: --mirror wants the URL of a Debian archive "
				   "(http://, https:// or file:/), not '%s'", v);
		c->km.mirror = v;
	} else if (!strcmp(opt, "--accel")) {
		if (strcmp(v, "auto") && strcmp(v, "kvm") && strcmp(v, "tcg"))
			return bad(err, len, "twlab: --accel takes auto, kvm or tcg, not '%s'", v);
		c->km.accel = v;
	} else if (!strcmp(opt, "--smp")) {
		if (!parse_count(v, 64, &c->km.smp))
			return bad(err, len, "twlab: --smp wants a number of CPUs from 1 to 64, "
				   "not '%s'", v);
	} else if (!strcmp(opt, "--guest-jobs")) {
		if (!parse_count(v, CLI_MAX_JOBS, &c->km.guest_jobs))
			return bad(err, len, "twlab: --guest-jobs wants a number of instances from 1 "
				   "to 1024, not '%s'", v);
	} else if (!strcmp(opt, "--mem")) {
		if (!parse_count(v, 1 << 20, &c->km.mem_mb) || c->km.mem_mb < 256)
			return bad(err, len, "twlab: --mem wants MiB from 256 to 1048576, not '%s'", v);
	} else if (!parse_count(v, 86400, &c->km.timeout_s)) {
		return bad(err, len, "twlab: --timeout wants seconds from 1 to 86400, not '%s'", v);
	}
	return 0;
}

/* matrix --kernel K... [CASE|CLAIM ...] [options]: at least one kernel */
static int parse_matrix(int argc, char *const *argv, int i, struct cli *c,
			char *err, size_t len)
{
	static const char *const opts[] = {
		"--jobs", "--out", "--cache", "--kernel", "--accel", "--smp", "--guest-jobs",
		"--mem", "--timeout", "--modules", "--mirror",
	};

	for (; i < argc; i++) {
		const char *a = argv[i], *opt = NULL, *v;

		if (a[0] != '-') {
			if (c->nfilters == CLI_MAX_FILTERS)
				return bad(err, len, "twlab: too many cases named (at most %s)", "64");
			c->filters[c->nfilters++] = a;
			continue;
		}
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]) && !opt; k++)
			if (is_option(a, k ? NULL : "-j", opts[k]))
				opt = opts[k];
		if (!opt)
			return bad(err, len, "twlab: unknown option '%s'; see 'twlab --help'", a);
		v = option_value(argc, argv, &i, strcmp(opt, "--jobs") ? NULL : "-j", opt);
		if (!v || !*v)
			return bad(err, len, "twlab: %s needs a value; see 'twlab --help'", a);
		if (matrix_option(opt, v, c, err, len))
			return -EINVAL;
	}
	if (!c->km.nkernels)
		return bad(err, len, "twlab: matrix needs at least one --kernel: %s",
			   "host, a series like 6.1, or a version like 6.1.0-28");
	/* the options it shares with run */
	c->km.jobs = c->jobs;
	c->km.out = c->out;
	c->km.nfilters = c->nfilters;
	c->km.filters = c->filters;
	return 0;
}

/* list [--claims] */
static int parse_list(int argc, char *const *argv, int i, struct cli *c,
		      char *err, size_t len)
{
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--claims"))
			return bad(err, len, "twlab: 'list' takes only --claims, got '%s'", argv[i]);
		c->list_claims = true;
	}
	return 0;
}

/* explain [ID ...]: the IDs, looked up by the command itself (harness/explain.c) */
static int parse_explain(int argc, char *const *argv, int i, struct cli *c,
			 char *err, size_t len)
{
	for (; i < argc; i++) {
		if (argv[i][0] == '-')
			return bad(err, len, "twlab: explain takes IDs such as A01 or K08, "
				   "not the option '%s'", argv[i]);
		if (c->nfilters == CLI_MAX_FILTERS)
			return bad(err, len, "twlab: too many IDs to explain (at most %s)", "64");
		c->filters[c->nfilters++] = argv[i];
	}
	return 0;
}

static const struct {
	const char *name;
	enum cli_cmd cmd;
	/* the command's own options, from argv[2] on; NULL: it takes none */
	int (*parse)(int argc, char *const *argv, int i, struct cli *c, char *err, size_t len);
} commands[] = {
	{ "-h", CMD_HELP, NULL }, { "--help", CMD_HELP, NULL }, { "help", CMD_HELP, NULL },
	{ "-V", CMD_VERSION, NULL }, { "--version", CMD_VERSION, NULL },
	{ "list", CMD_LIST, parse_list }, { "run", CMD_RUN, parse_run },
	{ "report", CMD_REPORT, parse_report }, { "diff", CMD_DIFF, parse_diff },
	{ "matrix", CMD_MATRIX, parse_matrix }, { "explain", CMD_EXPLAIN, parse_explain },
};

int cli_parse(int argc, char *const *argv, struct cli *c, char *err, size_t len)
{
	const char *cmd;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	if (argc < 2)
		return bad(err, len, "twlab: say what to do: 'twlab run' runs the suite; %s",
			   "'twlab --help' lists the commands");
	cmd = argv[1];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name))
			continue;
		c->cmd = commands[i].cmd;
		return commands[i].parse ? commands[i].parse(argc, argv, 2, c, err, len) : 0;
	}
	return bad(err, len, "twlab: unknown command '%s'; see 'twlab --help'", cmd);
}
