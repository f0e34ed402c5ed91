// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"
#include "link.h"
#include "nat.h"
#include "neigh.h"
#include "rtnl.h"
#include "sysctl.h"
#include "veth.h"

#define LAB_V4_BASE	0xc6120000u	/* 198.18.0.0 */
#define LAB_IFINDEX	2		/* lo is 1 in every new netns */
#define LOOPBACK_IFINDEX 1

static const int lab_families[] = { AF_INET, AF_INET6 };

/*
 * The NAT shape's links, each joining the router to one other host; a
 * link's position here is its quarter of the lab's subnets (lib/lab.h).
 * The other host's end is LAB_IFNAME, at LAB_IFINDEX.
 */
static const struct nat_link {
	int host;
	const char *router_ifname;
	int router_ifindex;
} nat_links[] = {
	{ LAB_CLIENT,	"tw-client",	LAB_IFINDEX },
	{ LAB_CLIENT2,	"tw-client2",	LAB_IFINDEX + 1 },
	{ LAB_SERVER,	"tw-server",	LAB_IFINDEX + 2 },
};

#define NAT_NLINKS	(sizeof(nat_links) / sizeof(nat_links[0]))

/* Quarter @quarter of lab @id's /24 and /64, address @low in it. */
static int plan_addr(unsigned int id, unsigned int quarter, unsigned int low, int family,
		     union inet_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->v4.s_addr = htonl(LAB_V4_BASE + (id << 8) + (quarter << 6) + low);
	} else if (family == AF_INET6) {
		a->v6.s6_addr[0] = 0x20;		/* 2001:db8:id:0:(quarter << 14)::low */
		a->v6.s6_addr[1] = 0x01;
		a->v6.s6_addr[2] = 0x0d;
		a->v6.s6_addr[3] = 0xb8;
		a->v6.s6_addr[4] = id >> 8;
		a->v6.s6_addr[5] = id & 0xff;
		a->v6.s6_addr[8] = quarter << 6;
		a->v6.s6_addr[15] = low;
	} else {
		return -EAFNOSUPPORT;
	}
	return 0;
}

int lab_addr(unsigned int id, int host, int slot, int family, union inet_addr *a)
{
	if (id > LAB_MAX_ID || host < 0 || host >= LAB_MAX_HOSTS ||
	    slot < 0 || slot > LAB_MAX_SLOT)
		return -EINVAL;
	return plan_addr(id, 0, 1 + host + 16 * slot, family, a);
}

static const struct nat_link *nat_link_of(int host)
{
	for (size_t k = 0; k < NAT_NLINKS; k++)
		if (nat_links[k].host == host)
			return &nat_links[k];
	return NULL;
}

/*
 * The MAC of @host's end of the link in quarter @quarter of lab @id (a
 * pair's one link is quarter 0): 02:74:77:id:quarter host, locally
 * administered unicast ("tw"), so it is known before the link exists and
 * is the same in every run.  Only the two ends of one link must differ.
 */
static void end_mac(unsigned int id, unsigned int quarter, int host,
		    uint8_t mac[NEIGH_MAC_LEN])
{
	mac[0] = 0x02;
	mac[1] = 0x74;
	mac[2] = 0x77;
	mac[3] = id >> 8;
	mac[4] = id & 0xff;
	mac[5] = quarter << 4 | host;
}

/*
 * The other end of @host's end of the link named by @link (the NAT
 * shape's; a pair has one link): its host, its ifindex and @host's MAC.
 */
static int link_peer(const struct lab *lab, int host, int link, int *peer, int *peer_ifindex,
		     uint8_t mac[NEIGH_MAC_LEN])
{
	const struct nat_link *l = nat_link_of(link);

	if (lab->shape != LAB_NAT) {
		*peer = host == LAB_CLIENT ? LAB_SERVER : LAB_CLIENT;
		*peer_ifindex = LAB_IFINDEX;
		end_mac(lab->id, 0, host, mac);
		return 0;
	}
	if (!l)
		return -EINVAL;
	*peer = host == LAB_ROUTER ? l->host : LAB_ROUTER;
	*peer_ifindex = host == LAB_ROUTER ? LAB_IFINDEX : l->router_ifindex;
	end_mac(lab->id, l - nat_links, host, mac);
	return 0;
}

int lab_nat_addr(unsigned int id, int link, int host, int slot, int family,
		 union inet_addr *a)
{
	const struct nat_link *l = nat_link_of(link);

	if (id > LAB_MAX_ID || !l || (host != link && host != LAB_ROUTER) ||
	    slot < 0 || slot > LAB_NAT_MAX_SLOT)
		return -EINVAL;
	return plan_addr(id, l - nat_links, 1 + host + 16 * slot, family, a);
}

int lab_nat_subnet(unsigned int id, int link, int family, union inet_addr *net)
{
	const struct nat_link *l = nat_link_of(link);

	if (id > LAB_MAX_ID || !l)
		return -EINVAL;
	return plan_addr(id, l - nat_links, 0, family, net);
}

const char *lab_router_ifname(int link)
{
	const struct nat_link *l = nat_link_of(link);

	return l ? l->router_ifname : NULL;
}

int lab_endpoint(const struct lab *lab, int host, int slot, int family,
		 uint16_t port, struct endpoint *ep)
{
	ep->family = family;
	ep->port = port;
	if (lab->shape == LAB_NAT)
		return lab_nat_addr(lab->id, host == LAB_ROUTER ? LAB_SERVER : host, host,
				    slot, family, &ep->addr);
	return lab_addr(lab->id, host, slot, family, &ep->addr);
}

static unsigned int plen(enum lab_shape shape, int family)
{
	if (shape == LAB_NAT)
		return family == AF_INET ? LAB_NAT_PLEN4 : LAB_NAT_PLEN6;
	return family == AF_INET ? 24 : 64;
}

static int lab_init(struct lab *lab, enum lab_shape shape, unsigned int id,
		    const struct netns *home, const struct netns *parent)
{
	memset(lab, 0, sizeof(*lab));
	for (int i = 0; i < LAB_MAX_HOSTS; i++)
		lab->host[i].ns = (struct netns)NETNS_INIT;
	if (id > LAB_MAX_ID)
		return -EINVAL;
	lab->id = id;
	lab->shape = shape;
	lab->home = home;
	lab->parent = parent;
	return 0;
}

/* Hosts 0 .. @n - 1, in role order, so that host[role] is that role. */
static int lab_hosts_up(struct lab *lab, int n)
{
	for (int i = 0; i < n; i++) {
		struct lab_host *h = &lab->host[i];
		int err;

		h->rtnl = NULL;
		err = netns_new_from(lab->parent, &h->ns);
		if (err)
			return err;
		lab->nhosts++;
		err = rtnl_open_in(&h->ns, &h->rtnl);
		if (err)
			return err;
		err = link_set_up(h->rtnl, LOOPBACK_IFINDEX);
		if (err)
			return err;
	}
	return 0;
}

/*
 * @host's addresses of @slot, both families, on its end of the link
 * named by @link (the NAT shape's lab_nat_addr(); a pair has one link),
 * and at the other end of that link a permanent neighbour entry for
 * each: no lab ever resolves a neighbour (lib/neigh.h).
 */
static int addrs_add(struct lab *lab, int host, int link, int ifindex, int slot)
{
	uint8_t mac[NEIGH_MAC_LEN];
	int peer, peer_ifindex, err;

	err = link_peer(lab, host, link, &peer, &peer_ifindex, mac);
	if (err)
		return err;
	for (size_t i = 0; i < sizeof(lab_families) / sizeof(lab_families[0]); i++) {
		int family = lab_families[i];
		union inet_addr a;

		if (lab->shape == LAB_NAT)
			err = lab_nat_addr(lab->id, link, host, slot, family, &a);
		else
			err = lab_addr(lab->id, host, slot, family, &a);
		if (!err)
			err = link_addr_add(lab->host[host].rtnl, ifindex, family, &a,
					    plen(lab->shape, family));
		if (!err)
			err = neigh_add_permanent(lab->host[peer].rtnl, peer_ifindex, family, &a,
						  mac);
		if (err)
			return err;
	}
	return 0;
}

/* The interface of lab_endpoint(): the router's outside one in the NAT shape. */
int lab_addr_add(struct lab *lab, int host, int slot)
{
	const struct nat_link *out = nat_link_of(LAB_SERVER);

	if (host < 0 || host >= lab->nhosts)
		return -EINVAL;
	if (lab->shape != LAB_NAT)
		return addrs_add(lab, host, host, LAB_IFINDEX, slot);
	if (host == LAB_ROUTER)
		return addrs_add(lab, host, out->host, out->router_ifindex, slot);
	return addrs_add(lab, host, host, LAB_IFINDEX, slot);
}

/*
 * The veth between @a (its end LAB_IFNAME at @ifindex_a, up) and @b (its
 * end @name_b at @ifindex_b), in quarter @quarter: the MACs of end_mac().
 */
static int link_veth_add(struct lab *lab, int a, int ifindex_a, int b, const char *name_b,
			 int ifindex_b, unsigned int quarter)
{
	uint8_t mac_a[NEIGH_MAC_LEN], mac_b[NEIGH_MAC_LEN];
	struct veth_end end_a = { &lab->host[a].ns, LAB_IFNAME, ifindex_a, mac_a };
	struct veth_end end_b = { &lab->host[b].ns, name_b, ifindex_b, mac_b };

	end_mac(lab->id, quarter, a, mac_a);
	end_mac(lab->id, quarter, b, mac_b);
	return veth_pair_add(lab->host[a].rtnl, &end_a, &end_b);
}

/* Two hosts, one veth, slot 0 addresses of both families on each end. */
static int pair_links_up(struct lab *lab)
{
	int err = link_veth_add(lab, LAB_CLIENT, LAB_IFINDEX, LAB_SERVER, LAB_IFNAME,
				LAB_IFINDEX, 0);
	if (!err)
		err = link_set_up(lab->host[LAB_SERVER].rtnl, LAB_IFINDEX);
	if (!err)
		err = lab_addr_add(lab, LAB_CLIENT, 0);
	if (!err)
		err = lab_addr_add(lab, LAB_SERVER, 0);
	return err;
}

/*
 * The client's route to the server's subnet through the router's address
 * on the client's link: its only way off that link.
 */
static int nat_route_add(struct lab *lab, int client)
{
	for (size_t i = 0; i < sizeof(lab_families) / sizeof(lab_families[0]); i++) {
		int family = lab_families[i];
		union inet_addr net, gw;
		int err;

		err = lab_nat_subnet(lab->id, LAB_SERVER, family, &net);
		if (!err)
			err = lab_nat_addr(lab->id, client, LAB_ROUTER, 0, family, &gw);
		if (!err)
			err = link_route_add(lab->host[client].rtnl, LAB_IFINDEX, family, &net,
					     plen(LAB_NAT, family), &gw);
		if (err)
			return err;
	}
	return 0;
}

/* One link of the NAT shape: the veth, both ends up, their addresses. */
static int nat_link_up(struct lab *lab, const struct nat_link *l)
{
	int err;

	err = link_veth_add(lab, l->host, LAB_IFINDEX, LAB_ROUTER, l->router_ifname,
			    l->router_ifindex, l - nat_links);
	if (!err)
		err = link_set_up(lab->host[LAB_ROUTER].rtnl, l->router_ifindex);
	if (!err)
		err = addrs_add(lab, l->host, l->host, LAB_IFINDEX, 0);
	if (!err)
		err = addrs_add(lab, LAB_ROUTER, l->host, l->router_ifindex, 0);
	if (!err && l->host != LAB_SERVER)
		err = nat_route_add(lab, l->host);
	return err;
}

/*
 * Forwarding on in the router, and off everywhere else in so many words:
 * a new namespace copies IPv4's conf/all, ip_forward with it, from the
 * initial namespace (net.core.devconf_inherit_init_net = 0, the default:
 * net/ipv4/devinet.c: devinet_init_net()), and that is the user's
 * machine, which may well forward.
 */
static int forwarding_set(struct lab *lab, int host)
{
	const char *on = host == LAB_ROUTER ? "1" : "0";
	int err;

	err = lab_sysctl_set(lab, host, "net.ipv4.ip_forward", on);
	if (!err)
		err = lab_sysctl_set(lab, host, "net.ipv6.conf.all.forwarding", on);
	return err;
}

/*
 * Four hosts, three veths through the router, which masquerades the
 * clients behind its outside address (lib/nat.h).
 */
static int nat_links_up(struct lab *lab)
{
	int err = 0;

	for (size_t k = 0; k < NAT_NLINKS && !err; k++)
		err = nat_link_up(lab, &nat_links[k]);
	for (int h = 0; h < lab->nhosts && !err; h++)
		err = forwarding_set(lab, h);
	if (!err)
		err = nat_masquerade(&lab->host[LAB_ROUTER].ns, lab_router_ifname(LAB_SERVER));
	return err;
}

int lab_up_from(struct lab *lab, enum lab_shape shape, unsigned int id,
		const struct netns *home, const struct netns *parent)
{
	bool known = shape == LAB_PAIR || shape == LAB_NAT;
	/* a shape we cannot build: nothing built, nothing for lab_down() */
	int err = lab_init(lab, known ? shape : LAB_PAIR, id, home, parent) ?:
		  (known ? 0 : -EINVAL);

	if (!err)
		err = lab_hosts_up(lab, shape == LAB_NAT ? LAB_MAX_HOSTS : LAB_PAIR_HOSTS);
	if (!err)
		err = shape == LAB_NAT ? nat_links_up(lab) : pair_links_up(lab);
	return err;
}

int lab_pair_up(struct lab *lab, unsigned int id, const struct netns *home)
{
	return lab_up_from(lab, LAB_PAIR, id, home, NULL);
}

int lab_nat_up(struct lab *lab, unsigned int id, const struct netns *home)
{
	return lab_up_from(lab, LAB_NAT, id, home, NULL);
}

int lab_up(struct lab *lab, enum lab_shape shape, unsigned int id, const struct netns *home)
{
	return lab_up_from(lab, shape, id, home, NULL);
}

/*
 * The namespace labs are made in, where the kernel lets a namespace have
 * an established hash of its own (6.1+: tcp_child_ehash_entries): a
 * sock_diag dump walks the whole hash its namespace uses, and the
 * machine's (262144 buckets here) costs ~1 ms a dump, 4096 buckets ~30 us
 * -- what every poll's uncertainty is made of.  The sysctl is written in
 * this anonymous namespace only, never in @home.
 */
int lab_nursery_open(struct netns *nursery, const struct netns *home, unsigned int buckets)
{
	char val[16];
	int err;

	err = netns_new(nursery);
	if (err)
		return err;
	snprintf(val, sizeof(val), "%u", buckets);
	err = sysctl_write(home, nursery, "tcp_child_ehash_entries", val);
	if (err)
		netns_close(nursery);
	return err;
}

void lab_down(struct lab *lab)
{
	for (int i = 0; i < lab->nhosts; i++) {
		if (lab->host[i].rtnl)
			rtnl_close(lab->host[i].rtnl);
		lab->host[i].rtnl = NULL;
		netns_close(&lab->host[i].ns);
	}
	lab->nhosts = 0;
}

int lab_socket(const struct lab *lab, int host, int family, int type)
{
	return netns_socket(&lab->host[host].ns, family, type, 0);
}

int lab_sysctl_set(const struct lab *lab, int host, const char *key, const char *val)
{
	return sysctl_write(lab->home, &lab->host[host].ns, key, val);
}

int lab_sysctl_get(const struct lab *lab, int host, const char *key, char *val, size_t len)
{
	return sysctl_read(&lab->host[host].ns, key, val, len);
}

int lab_sysctl_uint(const struct lab *lab, int host, const char *key, unsigned int *val)
{
	long v;
	int err = sysctl_read_long(&lab->host[host].ns, key, &v);

	if (!err && (v < 0 || v > UINT_MAX))
		err = -ERANGE;
	if (!err)
		*val = v;
	return err;
}

const char *lab_role_name(int role)
{
	static const char *const name[LAB_MAX_HOSTS] = {
		[LAB_CLIENT] = "client", [LAB_SERVER] = "server",
		[LAB_ROUTER] = "router", [LAB_CLIENT2] = "second client",
	};

	return role >= 0 && role < LAB_MAX_HOSTS ? name[role] : "?";
}
