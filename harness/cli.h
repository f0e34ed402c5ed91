/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_CLI_H
#define TWLAB_CLI_H

#include <stddef.h>

#include "sysctls.h"

#define CLI_MAX_FILTERS	64
#define CLI_MAX_JOBS	1024

enum cli_cmd { CMD_HELP, CMD_VERSION, CMD_LIST, CMD_RUN };

struct cli {
	enum cli_cmd cmd;
	int jobs;			/* 0: all at once */
	const char *json;		/* --json FILE */
	const char *out;		/* --out DIR */
	int nov;
	struct tw_override ov[TW_MAX_VARY];	/* --set SYSCTL=V[,V...] */
	int nfilters;
	const char *filters[CLI_MAX_FILTERS];
};

/* 0, or -EINVAL with a one-line message in @err. */
int cli_parse(int argc, char *const *argv, struct cli *c, char *err, size_t len);
extern const char cli_usage[];

#endif
