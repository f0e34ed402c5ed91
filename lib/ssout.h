/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading what ss and the article's shell one-liners print, so that their
 * view of a namespace's sockets can be set against sock_diag's.
 */
#ifndef TWLAB_SSOUT_H
#define TWLAB_SSOUT_H

#include <stddef.h>

#include "inet.h"
#include "sockview.h"

#define SS_KEY_LEN	160

/* One line of `... | sort | uniq -c`: a count and the rest of the line. */
struct ss_uniq {
	unsigned int count;
	char key[SS_KEY_LEN];
};

int ss_state_from_name(const char *name);	/* "TIME-WAIT" -> TCP_TIME_WAIT */
int ss_count_lines(const char *out);
/* "STATE N" lines, as the article's awk prints them; -EINVAL on others. */
int ss_parse_histogram(const char *out, unsigned int counts[TCP_NSTATES]);
int ss_parse_uniq(const char *out, struct ss_uniq *u, int max);
/* The article's sed (s, colon, then non-blanks, to nothing, globally):
 * drop every colon and what follows it up to a space. */
void ss_sed_strip_ports(const char *in, char *out, size_t len);
/* Add @count to @key in @u (of @n entries, room for @max): the new n. */
int ss_uniq_add(struct ss_uniq *u, int n, int max, const char *key, unsigned int count);
const struct ss_uniq *ss_uniq_find(const struct ss_uniq *u, int n, const char *key);

/*
 * A timer as ss -o prints it (iproute2 misc/ss.c: print_ms_timer()):
 * "59sec", "1min", "5.460ms" (5 s 460 ms; "5.460sec" in newer ss),
 * "476ms", "" for 0.  Whole seconds only from 10 s up, whole minutes from
 * 10 min: ss truncates, so the value ss had lies in [*@ms, *@ms +
 * *@quantum).  0, or -EINVAL.
 */
int ss_parse_timer_value(const char *s, unsigned int *ms, unsigned int *quantum);

/* One line of `ss -Htano state time-wait`: "0 0 LOCAL PEER timer:(timewait,VALUE,0)". */
struct ss_timer_line {
	char local[ENDPOINT_STRLEN];
	char peer[ENDPOINT_STRLEN];
	unsigned int ms, quantum;
};

int ss_parse_timer_line(const char *line, struct ss_timer_line *t);
/* Call @fn on each line of @out, copied and NUL-terminated; stop at its first non-zero. */
int ss_each_line(const char *out, int (*fn)(char *line, void *arg), void *arg);

#endif
