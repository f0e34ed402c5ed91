// SPDX-License-Identifier: GPL-2.0
/*
 * The router's masquerade, run through an nft session in its namespace
 * (lib/nft.h), so that libnftables' socket is made, and every command
 * acts, there and nowhere else.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "nat.h"
#include "netns.h"
#include "nft.h"

/*
 * `oifname`, a string the kernel compares, never `oif`, which libnftables
 * would resolve to an index in the calling thread's namespace.
 */
int nat_ruleset(char *buf, size_t len, const char *out_ifname)
{
	int n;

	if (!nft_ifname_ok(out_ifname))
		return -EINVAL;
	n = snprintf(buf, len,
		     "table inet " NAT_TABLE " {\n"
		     "\tchain postrouting {\n"
		     "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
		     "\t\toifname \"%s\" masquerade\n"
		     "\t}\n"
		     "}\n", out_ifname);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/*
 * nft_text has no builder for a nat chain (nft_text_chain() makes filter
 * chains): the ruleset goes in whole, as one transaction.
 */
int nat_masquerade(const struct netns *ns, const char *out_ifname)
{
	struct nft_session *s = NULL;
	struct nft_text t;
	int err;

	nft_text_init(&t);
	err = nat_ruleset(t.buf, sizeof(t.buf), out_ifname);
	if (err)
		return err;
	t.len = strlen(t.buf);
	err = nft_session_open(&s, ns);
	if (!err)
		err = nft_session_run(s, &t);
	nft_session_close(s);
	return err;
}
