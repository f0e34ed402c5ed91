// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>

#include "nsexec.h"
#include "rtomin.h"

#define IP_TIMEOUT_MS	5000

int route_rto_min(const struct netns *ns, const char *ifname, int family,
		  const union inet_addr *to, unsigned int ms)
{
	char addr[INET6_ADDRSTRLEN], cmd[200], out[256];
	int v6 = family == AF_INET6;

	addr_fmt(family, to, addr, sizeof(addr));
	snprintf(cmd, sizeof(cmd), "ip -%d route add %s/%d dev %s rto_min %ums", v6 ? 6 : 4,
		 addr, v6 ? 128 : 32, ifname, ms);
	return ns_run_ok(ns, cmd, out, sizeof(out), IP_TIMEOUT_MS);
}
