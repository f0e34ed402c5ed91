// SPDX-License-Identifier: GPL-2.0
/*
 * Copied from ../shared/reference/claims.md, in its order, which is the
 * order of a report's rows.  A claim added there is added here too.
 */
#include <string.h>

#include "claims.h"

static const struct claim_info claims[] = {
	{ "A01", "The side that closes first (active closer) enters TIME_WAIT after ACKing "
		 "the peer's FIN; the passive closer never does." },
	{ "A02", "TIME_WAIT lasts 2MSL = 60 s on Linux (`TCP_TIMEWAIT_LEN` = 60*HZ)." },
	{ "A03", "TIME_WAIT stops a delayed segment of an old connection being accepted by "
		 "a new connection on the same 4-tuple." },
	{ "A04", "If the active closer's final ACK is lost, the passive closer stays in "
		 "LAST_ACK and retransmits its FIN; the TIME_WAIT socket answers it." },
	{ "A05", "A 4-tuple in TIME_WAIT cannot be reused for 2MSL, so at 1000 new short "
		 "connections per second the default ephemeral range (32768-60999) runs out: "
		 "connect() fails." },
	{ "A05r", "(refinement, not in the article) exhaustion is per destination: the same "
		  "local port is reused toward a different server address or port." },
	{ "A06", "TIME_WAIT sockets live in the kernel's established hash table; a separate "
		 "bind hash table holds bound ports." },
	{ "A07", "The memory cost of TIME_WAIT is tiny: about 8 bytes per connection "
		 "(65536 bytes / 8192 entries)." },
	{ "A08", "`ss` can count TIME_WAIT sockets, filter them by port, and count states "
		 "and peers." },
	{ "A09", "Remedies: widen `ip_local_port_range`; add servers; let clients close first "
		 "(keepalive) so the server holds no TIME_WAIT." },
	{ "A10", "The timestamp option is 10 bytes on the wire with two 4-byte fields "
		 "(TSval, TSecr)." },
	{ "A11", "`tcp_tw_reuse` lets a new outgoing connection take over a TIME_WAIT 4-tuple "
		 "only when timestamps are on, reuse is on, the new timestamp is newer, and the "
		 "TIME_WAIT socket is older than 1 second. Incoming connections never reuse. "
		 "Default is 0." },
	{ "A12", "A reused connection starts its sequence numbers at the old connection's "
		 "snd_nxt + 65535 + 2." },
	{ "A13", "`tcp_tw_recycle` shortens TIME_WAIT to 3.5 x RTO and, behind NAT, drops SYNs "
		 "from clients whose timestamps are older than the last one seen from that IP; "
		 "it was removed in Linux 4.12." },
	{ "A14", "`tcp_max_tw_buckets` caps the number of TIME_WAIT sockets; beyond it a "
		 "closing socket skips TIME_WAIT and the kernel logs \"time wait bucket table "
		 "overflow\"." },
	{ "A15", "`ss --info` shows a connection's RTO (e.g. 216 ms)." },
	{ "A16", "Linux's minimum RTO is 200 ms and its maximum 120 s." },
	{ "A17", "The passive closer's lost-ACK case: a new connection arriving while the old "
		 "peer is still in LAST_ACK gets reset instead of connecting." },
};

#define NCLAIMS ((int)(sizeof(claims) / sizeof(claims[0])))

int claims_count(void)
{
	return NCLAIMS;
}

const struct claim_info *claim_at(int i)
{
	return i >= 0 && i < NCLAIMS ? &claims[i] : NULL;
}

int claim_index(const char *id)
{
	for (int i = 0; i < NCLAIMS; i++)
		if (!strcmp(claims[i].id, id))
			return i;
	return -1;
}
