/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lab: lab hosts (anonymous namespaces) joined by veth, in one of two
 * shapes.
 *
 * Addresses come only from 198.18.0.0/15 (RFC 2544 benchmarking) and
 * 2001:db8::/32 (RFC 3849 documentation).  Lab @id owns 198.18.0.0/24 +
 * id and 2001:db8:id::/64, so labs of concurrent instances never share an
 * address and their captures never mix.  There is no default route.
 *
 * LAB_PAIR: client and server on one veth.  Host h, slot s is .(1 + h +
 * 16 s) of the lab's /24 and ::(1 + h + 16 s) of its /64.
 *
 * LAB_NAT: client and client2 each joined to the router by a veth, the
 * router joined to the server by a third.  The lab's /24 and /64 are cut
 * in four, one quarter per link, k = 0 for the client's link, 1 for
 * client2's, 2 for the server's (3 is unused):
 *
 *	198.18.id.(64 k)/26	2001:db8:id:0:(k << 14)::/66
 *
 * and on each link host h, slot s is the quarter + 1 + h + 16 s, as in a
 * pair (the router, h = 2, is .3 on the client's link, .67 on client2's,
 * .131 on the server's; the server .130).  A client's one route off its
 * link goes to the server's /26 and /66 through the router's address on
 * that link; the server has none, as the router masquerades the clients
 * behind its outside address (lib/nat.h); only the router forwards.
 *
 * No lab waits on the kernel to learn its own links: IPv6 addresses are
 * IFA_F_NODAD, so never tentative, and each end of every link has the
 * other end's addresses as permanent neighbours (lib/neigh.h) at MACs
 * fixed by the plan, so nothing is ever resolved by ARP or ND.
 */
#ifndef TWLAB_LAB_H
#define TWLAB_LAB_H

#include "inet.h"
#include "netns.h"

struct nl_sock;

/* The values of LAB_CLIENT and LAB_SERVER are fixed: cases index by them. */
enum lab_role { LAB_CLIENT, LAB_SERVER, LAB_ROUTER, LAB_CLIENT2, LAB_MAX_HOSTS };

/* A pair lab's hosts are LAB_CLIENT and LAB_SERVER: roles below this. */
#define LAB_PAIR_HOSTS	2

enum lab_shape { LAB_PAIR, LAB_NAT };

#define LAB_MAX_ID	511	/* 512 x /24 in 198.18.0.0/15 */
#define LAB_MAX_SLOT	14	/* extra addresses per host */
#define LAB_NAT_MAX_SLOT 3	/* 1 + LAB_CLIENT2 + 16 * 3 stays in a /26 */
#define LAB_NAT_PLEN4	26
#define LAB_NAT_PLEN6	66
/* Every host's link; in the NAT shape the clients' and the server's end. */
#define LAB_IFNAME	"tw0"

struct lab_host {
	struct netns ns;
	struct nl_sock *rtnl;
};

struct kernel_info;

struct lab {
	unsigned int id;
	enum lab_shape shape;
	const struct netns *home;	/* where twlab started: never written */
	const struct netns *parent;	/* where its hosts were made: NULL, here */
	const struct kernel_info *kernel;
	int nhosts;
	struct lab_host host[LAB_MAX_HOSTS];
};

/* The pair plan. */
int lab_addr(unsigned int id, int host, int slot, int family, union inet_addr *a);
/*
 * The NAT plan: the address of @host (@link itself, or LAB_ROUTER) on the
 * link that joins the router to @link (LAB_CLIENT, LAB_CLIENT2 or
 * LAB_SERVER); and that link's subnet (/26, /66).
 */
int lab_nat_addr(unsigned int id, int link, int host, int slot, int family,
		 union inet_addr *a);
int lab_nat_subnet(unsigned int id, int link, int family, union inet_addr *net);
/* The router's end of the link to @link, or NULL if there is no such link. */
const char *lab_router_ifname(int link);
/*
 * The address of @host in @lab's shape.  In the NAT shape the router's
 * is its outside one, on the server's link: the one the server sees.
 */
int lab_endpoint(const struct lab *lab, int host, int slot, int family,
		 uint16_t port, struct endpoint *ep);

/*
 * Build a lab of @shape with id @id.  On failure the caller still calls
 * lab_down(); and if it never does, exit closes the fds and the kernel
 * frees the lot.
 */
int lab_up(struct lab *lab, enum lab_shape shape, unsigned int id, const struct netns *home);
/* The same, its hosts made inside @parent (a nursery, below) or here (NULL). */
int lab_up_from(struct lab *lab, enum lab_shape shape, unsigned int id,
		const struct netns *home, const struct netns *parent);
/*
 * A namespace whose children get an established hash of @buckets of
 * their own; -ENOENT where the kernel has no tcp_child_ehash_entries.
 */
int lab_nursery_open(struct netns *nursery, const struct netns *home, unsigned int buckets);
/* 4096 buckets: TIME_WAIT capped at 2048 in such a lab (tcp_max_tw_buckets = buckets / 2). */
#define LAB_NURSERY_BUCKETS	4096
int lab_pair_up(struct lab *lab, unsigned int id, const struct netns *home);
int lab_nat_up(struct lab *lab, unsigned int id, const struct netns *home);
void lab_down(struct lab *lab);
/* Slot @slot's addresses of both families on @host's interface of lab_endpoint(). */
int lab_addr_add(struct lab *lab, int host, int slot);

int lab_socket(const struct lab *lab, int host, int family, int type);

int lab_sysctl_set(const struct lab *lab, int host, const char *key, const char *val);
int lab_sysctl_get(const struct lab *lab, int host, const char *key, char *val, size_t len);
/*
 * The first number of @key's value ("32768 60999": 32768), as
 * sysctl_read_long() reads it; -ERANGE outside unsigned int.  *@val is
 * untouched on failure.
 */
int lab_sysctl_uint(const struct lab *lab, int host, const char *key, unsigned int *val);
/* "client", "server", ...: a host as evidence names it. */
const char *lab_role_name(int role);

#endif
