// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

#define KMSG_RECORD_MAX	8192	/* a read() into less than one record is EINVAL */
#define KMSG_MAX_RECORDS 1000000	/* a bound, should the log never stop growing */

int kmsg_open(bool at_end)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* SEEK_END: past the newest record (kernel/printk/printk.c: devkmsg_llseek()) */
	if (at_end && lseek(fd, 0, SEEK_END) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* "prio,seq,usec,flags;text\n": the seq, and the text cut at its newline. */
static int parse_record(char *rec, long long *seq, char **text)
{
	char *semi = strchr(rec, ';'), *comma = strchr(rec, ','), *end;

	if (!semi || !comma || comma > semi)
		return -EINVAL;
	*seq = strtoll(comma + 1, &end, 10);
	if (end == comma + 1)
		return -EINVAL;
	*text = semi + 1;
	(*text)[strcspn(*text, "\n")] = '\0';
	return 0;
}

static void note(struct kmsg_scan *s, const char *needle, char *rec)
{
	long long seq;
	char *text;

	if (parse_record(rec, &seq, &text))
		return;
	if (!s->records++)
		s->first_seq = seq;
	if (strstr(text, needle) && !s->matches++)
		snprintf(s->match, sizeof(s->match), "%s", text);
}

int kmsg_scan(int fd, const char *needle, struct kmsg_scan *s)
{
	char *rec = malloc(KMSG_RECORD_MAX + 1);
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->first_seq = -1;
	if (!rec)
		return -ENOMEM;
	for (unsigned int i = 0; i < KMSG_MAX_RECORDS; i++) {
		ssize_t n = read(fd, rec, KMSG_RECORD_MAX);

		if (n < 0 && errno == EPIPE) {
			s->lost = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 && errno != EAGAIN ? -errno : 0;
			break;
		}
		rec[n] = '\0';
		note(s, needle, rec);
	}
	free(rec);
	return err;
}

int kmsg_boot_hash(const char *table, unsigned long *entries, unsigned long *bytes,
		   struct kmsg_scan *s)
{
	char needle[96];
	const char *line;
	int fd, order, err;

	snprintf(needle, sizeof(needle), "%s hash table entries:", table);
	fd = kmsg_open(false);
	if (fd < 0)
		return fd;
	err = kmsg_scan(fd, needle, s);
	close(fd);
	if (err)
		return err;
	if (!s->matches)
		return -ENOENT;
	line = strstr(s->match, needle);
	if (!line || sscanf(line + strlen(needle), " %lu (order: %d, %lu bytes", entries, &order,
			    bytes) != 3 || !*entries)
		return -EBADMSG;
	return 0;
}
