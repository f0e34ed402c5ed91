// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssout.h"

int ss_state_from_name(const char *name)
{
	for (int s = 1; s < TCP_NSTATES; s++)
		if (!strcmp(tcp_state_name(s), name))
			return s;
	return -EINVAL;
}

int ss_count_lines(const char *out)
{
	int n = 0;

	for (const char *p = out; *p; p++)
		if (*p == '\n')
			n++;
	if (*out && out[strlen(out) - 1] != '\n')
		n++;
	return n;
}

int ss_each_line(const char *out, int (*fn)(char *line, void *arg), void *arg)
{
	char line[256];

	while (*out) {
		size_t n = strcspn(out, "\n");
		int err;

		if (n >= sizeof(line))
			return -E2BIG;
		memcpy(line, out, n);
		line[n] = '\0';
		err = fn(line, arg);
		if (err)
			return err;
		out += n + (out[n] == '\n');
	}
	return 0;
}

static int histogram_line(char *line, void *arg)
{
	unsigned int *counts = arg, n;
	char name[32];
	int state;

	if (!line[strspn(line, " ")])
		return 0;
	if (sscanf(line, "%31s %u", name, &n) != 2)
		return -EINVAL;
	state = ss_state_from_name(name);
	if (state < 0)
		return state;
	counts[state] += n;
	return 0;
}

int ss_parse_histogram(const char *out, unsigned int counts[TCP_NSTATES])
{
	memset(counts, 0, TCP_NSTATES * sizeof(counts[0]));
	return ss_each_line(out, histogram_line, counts);
}

struct uniq_ctx {
	struct ss_uniq *u;
	int n, max;
};

static int uniq_line(char *line, void *arg)
{
	struct uniq_ctx *ctx = arg;
	unsigned int count;
	int off = 0;

	if (!line[strspn(line, " ")])
		return 0;
	if (sscanf(line, " %u %n", &count, &off) != 1 || !off)
		return -EINVAL;
	ctx->n = ss_uniq_add(ctx->u, ctx->n, ctx->max, line + off, count);
	return ctx->n < 0 ? ctx->n : 0;
}

int ss_parse_uniq(const char *out, struct ss_uniq *u, int max)
{
	struct uniq_ctx ctx = { .u = u, .max = max };
	int err = ss_each_line(out, uniq_line, &ctx);

	return err ? err : ctx.n;
}

void ss_sed_strip_ports(const char *in, char *out, size_t len)
{
	size_t o = 0;

	while (*in && o + 1 < len) {
		if (*in == ':') {
			in += strcspn(in, " ");
			continue;
		}
		out[o++] = *in++;
	}
	out[o] = '\0';
}

const struct ss_uniq *ss_uniq_find(const struct ss_uniq *u, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(u[i].key, key))
			return &u[i];
	return NULL;
}

int ss_uniq_add(struct ss_uniq *u, int n, int max, const char *key, unsigned int count)
{
	struct ss_uniq *e = (struct ss_uniq *)ss_uniq_find(u, n, key);

	if (e) {
		e->count += count;
		return n;
	}
	if (n == max)
		return -E2BIG;
	snprintf(u[n].key, sizeof(u[n].key), "%s", key);
	u[n].count = count;
	return n + 1;
}

/* "min", "sec", "ms", or "." (seconds, then milliseconds follow) after a number. */
static int timer_part(const char **s, unsigned int n, unsigned int *min, unsigned int *sec,
		      unsigned int *msec)
{
	static const struct { const char *unit; int which; } units[] = {
		{ "min", 0 }, { "sec", 1 }, { "ms", 2 }, { ".", 1 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t len = strlen(units[i].unit);

		if (strncmp(*s, units[i].unit, len))
			continue;
		*s += len;
		/* after "N." the milliseconds come as "MMMms" or "MMMsec" */
		if (units[i].which == 1 && len == 1) {
			*sec = n;
			return -EAGAIN;
		}
		*(units[i].which == 0 ? min : units[i].which == 1 ? sec : msec) = n;
		return 0;
	}
	return -EINVAL;
}

int ss_parse_timer_value(const char *s, unsigned int *ms, unsigned int *quantum)
{
	unsigned int min = 0, sec = 0, msec = 0;
	bool frac = false;

	while (*s) {
		char *end;
		unsigned long n = strtoul(s, &end, 10);
		int err;

		if (end == s || n > 100000)
			return -EINVAL;
		s = end;
		if (frac) {
			/* "5.460ms" or "5.460sec": the part after the dot */
			if (strcmp(s, "ms") && strcmp(s, "sec"))
				return -EINVAL;
			msec = n;
			break;
		}
		err = timer_part(&s, n, &min, &sec, &msec);
		if (err == -EAGAIN)
			frac = true;
		else if (err)
			return err;
	}
	*ms = min * 60000 + sec * 1000 + msec;
	*quantum = min > 9 ? 60000 : min || sec > 9 ? 1000 : 1;
	return 0;
}

int ss_parse_timer_line(const char *line, struct ss_timer_line *t)
{
	char value[32] = "";
	int off = 0;

	if (sscanf(line, " %*u %*u %54s %54s timer:(%*[a-z],%n", t->local, t->peer, &off) != 2 ||
	    !off)
		return -EINVAL;
	if (sscanf(line + off, "%31[^,]", value) != 1)
		value[0] = '\0';	/* a timer at 0 prints as nothing */
	return ss_parse_timer_value(value, &t->ms, &t->quantum);
}
