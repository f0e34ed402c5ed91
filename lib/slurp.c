// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "slurp.h"

char *slurp(const char *path)
{
	char *text = NULL, buf[4096];
	FILE *f = fopen(path, "re"), *m;
	size_t len = 0, n;

	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	while (m && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	if (m)
		fclose(m);
	fclose(f);
	return text;
}
