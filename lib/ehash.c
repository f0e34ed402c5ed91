// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ehash.h"
#include "kmsg.h"
#include "sysctl.h"

/* It may have been overwritten since boot: the note says so. */
int ehash_boot_line(struct ehash_boot *b)
{
	struct kmsg_scan s = { .first_seq = -1 };
	int err = kmsg_boot_hash("TCP established", &b->entries, &b->bytes, &s);

	if (!err)
		snprintf(b->note, sizeof(b->note), "%s", s.match);
	else if (err == -ENOENT && s.first_seq > 0)
		snprintf(b->note, sizeof(b->note), "the kernel log now starts at record %lld: "
			 "the boot records have been overwritten", s.first_seq);
	else if (err == -EBADMSG)
		snprintf(b->note, sizeof(b->note), "unexpected form: \"%.130s\"", s.match);
	else
		snprintf(b->note, sizeof(b->note), "the ehash boot line cannot be read from "
			 "/dev/kmsg: %s", strerror(-err));
	if (err)
		b->entries = b->bytes = 0;
	return err;
}

int ehash_size(const struct netns *ns, struct ehash_size *s)
{
	int err = sysctl_read_long(ns, "tcp_ehash_entries", &s->entries) ?:
		  sysctl_read_long(ns, "tcp_child_ehash_entries", &s->child);

	s->sysctl = err != -ENOENT;
	return s->sysctl ? err : 0;
}
