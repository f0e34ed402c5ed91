// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "conn.h"
#include "fixture.h"
#include "impair.h"

static int listen_open(struct tw_fixture *fx, int i, struct lab *lab,
		       const struct tw_listen *l, int family)
{
	struct endpoint *ep = &fx->listen[i];

	if (l->loopback)
		endpoint_loopback(family, l->port, ep);
	else if (l->any)
		*ep = (struct endpoint){ .family = family, .port = l->port };
	else
		lab_endpoint(lab, l->host, 0, family, l->port, ep);
	fx->lfd[i] = conn_listen(lab, l->host, ep);
	return fx->lfd[i] < 0 ? fx->lfd[i] : 0;
}

static int views_open(struct tw_fixture *fx, struct lab *lab, unsigned int views,
		      struct tw_result *r)
{
	for (int h = 0; h < lab->nhosts; h++) {
		int err = views & HOST(h) ? sockview_open(&fx->sv[h], &lab->host[h].ns) : 0;

		if (err)
			return tw_error(r, err, "sock_diag in the %s's namespace", lab_role_name(h));
	}
	return 0;
}

static int impair_start(struct tw_fixture *fx, struct lab *lab, struct tw_result *r)
{
	int err = impair_open(&fx->impair, &lab->host[LAB_CLIENT].ns, LAB_IFNAME, IMPAIR_BEST);

	if (err)
		return tw_error(r, err, "impair: %s", fx->impair ? impair_error(fx->impair) : "");
	/* which mechanism, for KTAP and JSON: netem and nft differ in what they can do */
	snprintf(r->impair, sizeof(r->impair), "%s", impair_mech_name(impair_mech(fx->impair)));
	return 0;
}

/*
 * Every instance is captured on the client's end of its lab link.  A case
 * that reads the capture cannot run without it (SKIP); any other runs on
 * and says it has no file.
 */
static int client_capture(struct tw_fixture *fx, struct lab *lab, const struct tw_case *c,
			  const char *pcap, struct tw_result *r)
{
	struct capture **cap = &fx->capture[LAB_CLIENT];
	int err;

	if (!pcap || !*pcap)
		return 0;
	snprintf(r->pcap, sizeof(r->pcap), "%s", pcap);
	err = capture_start(cap, &lab->host[LAB_CLIENT].ns, LAB_IFNAME, r->pcap);
	if (!err)
		return 0;
	r->pcap[0] = '\0';
	if (!(c->needs & NEED_CAPTURE))
		return 0;
	r->outcome = R_SKIP;
	snprintf(r->reason, sizeof(r->reason), "no packet capture on the lab link: %s",
		 *cap ? capture_error(*cap) : strerror(-err));
	return -ENODEV;
}

static int captures_start(struct tw_fixture *fx, struct lab *lab, unsigned int hosts,
			  struct tw_result *r)
{
	for (int h = 0; h < lab->nhosts; h++) {
		struct capture **cap = &fx->capture[h];
		int err;

		if (h == LAB_CLIENT || !(hosts & HOST(h)))
			continue;
		err = capture_start(cap, &lab->host[h].ns, LAB_IFNAME, NULL);
		if (err)
			return tw_error(r, err, "capture on the %s's lab link%s%s", lab_role_name(h),
					*cap ? ": " : "", *cap ? capture_error(*cap) : "");
	}
	return 0;
}

int fixture_setup(struct tw_fixture *fx, struct lab *lab, const struct tw_case *c,
		  int family, const char *pcap, struct tw_result *r)
{
	int err;

	memset(fx, 0, sizeof(*fx));
	for (int i = 0; i < TW_MAX_LISTEN; i++)
		fx->lfd[i] = -1;
	err = client_capture(fx, lab, c, pcap, r);
	if (!err)
		err = captures_start(fx, lab, c->captures, r);
	if (!err)
		err = views_open(fx, lab, c->views, r);
	for (int i = 0; i < TW_MAX_LISTEN && c->listen[i].port && !err; i++) {
		err = listen_open(fx, i, lab, &c->listen[i], family);
		if (err)
			tw_error(r, err, "listen on port %u", c->listen[i].port);
	}
	if (!err && (c->needs & NEED_IMPAIR))
		err = impair_start(fx, lab, r);
	return err;
}

void fixture_teardown(struct tw_fixture *fx, const struct tw_case *c, struct tw_result *r)
{
	int err;

	impair_close(fx->impair);
	for (int i = 0; i < TW_MAX_LISTEN; i++)
		if (fx->lfd[i] >= 0)
			close(fx->lfd[i]);
	for (int h = 0; h < LAB_MAX_HOSTS; h++)
		sockview_close(&fx->sv[h]);
	for (int h = LAB_MAX_HOSTS - 1; h >= 0; h--) {
		err = capture_stop(fx->capture[h], h == LAB_CLIENT ? &r->pcap_packets : NULL);
		if (err && (c->needs & NEED_CAPTURE) && r->outcome == R_PASS)
			tw_error(r, err, "capture");
	}
}
