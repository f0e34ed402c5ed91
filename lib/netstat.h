/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SNMP and extended counters of one namespace: /proc/net/snmp ("Tcp:
 * OutRsts") and /proc/net/netstat ("TcpExt: TCPTimeWaitOverflow").
 */
#ifndef TWLAB_NETSTAT_H
#define TWLAB_NETSTAT_H

#include <stdint.h>

struct netns;

/* Find @table's counter @name in the header/value line pairs of @text. */
int netstat_parse(const char *text, const char *table, const char *name, uint64_t *val);
int netstat_read(const struct netns *ns, const char *table, const char *name, uint64_t *val);
/*
 * A TcpExt counter's rise over an experiment: netstat_ext() at each end,
 * -1 where unread; netstat_rise() the difference, -1 if either was.
 */
long long netstat_ext(const struct netns *ns, const char *name);
long long netstat_rise(long long before, long long after);

#endif
