/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_CLI_H
#define TWLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "kmatrix.h"
#include "sysctl_spec.h"

#define CLI_MAX_FILTERS	KM_MAX_FILTERS
#define CLI_MAX_JOBS	1024
#define CLI_MAX_FILES	64

enum cli_cmd { CMD_HELP, CMD_VERSION, CMD_LIST, CMD_RUN, CMD_REPORT, CMD_MATRIX, CMD_EXPLAIN,
	       CMD_DIFF };

struct cli {
	enum cli_cmd cmd;
	int jobs;			/* 0: all at once */
	int time_scale;			/* --time-scale N: time limits x N; 0 is 1 */
	const char *json;		/* --json FILE */
	const char *out;		/* --out DIR; report: -o DIR */
	bool quiet;			/* --quiet: no progress line */
	bool list_claims;		/* list --claims: the sub-claims, not the cases */
	int nov;
	struct tw_override ov[TW_MAX_VARY];	/* --set SYSCTL=V[,V...] */
	int nfilters;
	const char *filters[CLI_MAX_FILTERS];	/* run, matrix: cases, claims; explain: IDs */
	int nfiles;
	const char *files[CLI_MAX_FILES];	/* report: the runs' JSON */
	struct kmatrix_opts km;		/* matrix: --kernel ... --timeout; its own fields */
};

/* 0, or -EINVAL with a one-line message in @err. */
int cli_parse(int argc, char *const *argv, struct cli *c, char *err, size_t len);
extern const char cli_usage[];

#endif
