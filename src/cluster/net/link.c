/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link: the kernel side of the pod network through libnl-route: the
 * bridge, one veth pair per pod (host end "kvXXXXXXXXXXXX" on the bridge,
 * the other end created directly inside the pod's namespace as eth0), the
 * pod's address, loopback and default route.
 *
 * Attaching a pod runs in one thread of its own that opens a netlink
 * socket (which stays in the node's namespace), setns()es into the pod's
 * namespace, opens a second socket there (a socket belongs to the
 * namespace it was created in), creates the veth from the pod's side with
 * the peer sent to the node's namespace, configures both ends and exits:
 * no thread shared with anyone else ever changes namespace.
 *
 * Hairpin mode is switched on through sysfs (brport/hairpin_mode): libnl
 * has no stable call for bridge port flags.  Sysctls go through /proc/sys.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "cluster/net/net_priv.h"
#include "common/mem.h"

#define POD_IF "eth0"

/* err_set from a libnl error code (negative NLE_*). */
static int __attribute__((format(printf, 3, 4)))
nl_fail(struct err *e, int nlerr, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(e, nlerr == -NLE_PERM ? ERR_FORBIDDEN : ERR_INTERNAL,
		       "%s: %s", what, nl_geterror(nlerr));
}

static struct nl_sock *nl_open(struct err *e)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (!sk) {
		err_set(e, ERR_INTERNAL, "netlink: out of memory");
		return NULL;
	}
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc < 0) {
		nl_fail(e, rc, "netlink socket");
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int link_sysctl(const char *path, const char *value, struct err *e)
{
	char *full = xasprintf("/proc/sys/%s", path);
	int fd = open(full, O_WRONLY | O_CLOEXEC), rc = 0;
	size_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		rc = err_set(e, ERR_IO, "set %s = %s: %s", full, value,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	free(full);
	return rc;
}

void link_veth_name(const char *uid, char out[16])
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)uid; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	snprintf(out, 16, "kv%012llx",
		 (unsigned long long)(h & 0xffffffffffffull));
}

static struct nl_addr *v4(uint32_t ip, int prefix)
{
	uint32_t be = htonl(ip);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (!a)
		abort();
	nl_addr_set_prefixlen(a, prefix);
	return a;
}

/* Add ip/prefix to ifindex; an existing one is fine. */
static int addr_add(struct nl_sock *sk, int ifindex, uint32_t ip, int prefix,
		    const char *ifname, struct err *e)
{
	struct rtnl_addr *ad = rtnl_addr_alloc();
	struct nl_addr *local = v4(ip, prefix);
	int rc;

	rtnl_addr_set_ifindex(ad, ifindex);
	rtnl_addr_set_family(ad, AF_INET);
	rtnl_addr_set_local(ad, local);
	rtnl_addr_set_prefixlen(ad, prefix);
	rc = rtnl_addr_add(sk, ad, 0);
	nl_addr_put(local);
	rtnl_addr_put(ad);
	if (rc < 0 && rc != -NLE_EXIST)
		return nl_fail(e, rc, "add address to %s", ifname);
	return 0;
}

/* Set IFF_UP on link (and master when > 0). */
static int link_up(struct nl_sock *sk, struct rtnl_link *l, int master,
		   struct err *e)
{
	struct rtnl_link *ch = rtnl_link_alloc();
	int rc;

	rtnl_link_set_flags(ch, IFF_UP);
	if (master > 0)
		rtnl_link_set_master(ch, master);
	rc = rtnl_link_change(sk, l, ch, 0);
	rtnl_link_put(ch);
	if (rc < 0)
		return nl_fail(e, rc, "set %s up", rtnl_link_get_name(l));
	return 0;
}

static int bridge_get(struct nl_sock *sk, const char *bridge,
		      struct rtnl_link **out, struct err *e)
{
	struct rtnl_link *l = NULL;
	const char *type;
	int rc = rtnl_link_get_kernel(sk, 0, bridge, &l);

	if (rc < 0)
		return nl_fail(e, rc, "bridge %s", bridge);
	type = rtnl_link_get_type(l);
	if (!type || strcmp(type, "bridge")) {
		rtnl_link_put(l);
		return err_set(e, ERR_CONFLICT,
			       "%s exists and is not a "
			       "bridge",
			       bridge);
	}
	*out = l;
	return 0;
}

int link_bridge_ensure(const char *bridge, uint32_t gw, int prefix,
		       struct err *e)
{
	struct nl_sock *sk = nl_open(e);
	struct rtnl_link *l = NULL;
	int rc = -1;

	if (!sk)
		return -1;
	if (rtnl_link_get_kernel(sk, 0, bridge, &l) < 0) {
		struct rtnl_link *nb = rtnl_link_bridge_alloc();

		rtnl_link_set_name(nb, bridge);
		rc = rtnl_link_add(sk, nb, NLM_F_CREATE);
		rtnl_link_put(nb);
		if (rc < 0 && rc != -NLE_EXIST) {
			rc = nl_fail(e, rc, "create bridge %s", bridge);
			goto out;
		}
	} else {
		rtnl_link_put(l);
	}
	l = NULL;
	if (bridge_get(sk, bridge, &l, e) < 0 ||
	    addr_add(sk, rtnl_link_get_ifindex(l), gw, prefix, bridge, e) < 0 ||
	    link_up(sk, l, 0, e) < 0)
		goto out;
	rc = 0;
out:
	if (l)
		rtnl_link_put(l);
	nl_socket_free(sk);
	return rc;
}

/* Delete the links whose master is ifindex. */
static void delete_ports(struct nl_sock *sk, int ifindex)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;

	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache) < 0)
		return;
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;

		if (rtnl_link_get_master(l) == ifindex)
			rtnl_link_delete(sk, l);
	}
	nl_cache_free(cache);
}

int link_bridge_delete(const char *bridge, struct err *e)
{
	struct nl_sock *sk = nl_open(e);
	struct rtnl_link *l = NULL;
	int rc = 0;

	if (!sk)
		return -1;
	if (rtnl_link_get_kernel(sk, 0, bridge, &l) < 0)
		goto out;
	delete_ports(sk, rtnl_link_get_ifindex(l));
	rc = rtnl_link_delete(sk, l);
	if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NODEV)
		rc = nl_fail(e, rc, "delete bridge %s", bridge);
	else
		rc = 0;
	rtnl_link_put(l);
out:
	nl_socket_free(sk);
	return rc;
}

int link_pod_detach(const char *host_if, struct err *e)
{
	struct nl_sock *sk = nl_open(e);
	struct rtnl_link *l = rtnl_link_alloc();
	int rc;

	if (!sk) {
		rtnl_link_put(l);
		return -1;
	}
	rtnl_link_set_name(l, host_if);
	rc = rtnl_link_delete(sk, l);
	if (rc < 0 && rc != -NLE_OBJ_NOTFOUND && rc != -NLE_NODEV)
		rc = nl_fail(e, rc, "delete %s", host_if);
	else
		rc = 0;
	rtnl_link_put(l);
	nl_socket_free(sk);
	return rc;
}

/* ---- attaching a pod ---- */

struct attach_job {
	const char *bridge, *host_if;
	int ns_fd, host_ns_fd;
	uint32_t ip, gw;
	int prefix;
	int rc;
	struct err err;
};

static int default_route(struct nl_sock *sk, int ifindex, uint32_t gw,
			 struct err *e)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = v4(0, 0), *via = v4(gw, 32);
	int rc;

	rtnl_route_set_family(r, AF_INET);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_dst(r, dst);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_nh_set_gateway(nh, via);
	rtnl_route_add_nexthop(r, nh);
	rc = rtnl_route_add(sk, r, NLM_F_REPLACE);
	nl_addr_put(dst);
	nl_addr_put(via);
	rtnl_route_put(r);
	if (rc < 0)
		return nl_fail(e, rc, "default route in the pod");
	return 0;
}

/* In the pod: lo up, eth0 with its address, up, default route. */
static int configure_eth0(struct attach_job *j, struct nl_sock *sk)
{
	struct rtnl_link *lo = NULL, *eth = NULL;
	int rc;

	if ((rc = rtnl_link_get_kernel(sk, 0, "lo", &lo)) < 0 ||
	    (rc = rtnl_link_get_kernel(sk, 0, POD_IF, &eth)) < 0) {
		rc = nl_fail(&j->err, rc, "pod interfaces");
		goto out;
	}
	rc = -1;
	if (link_up(sk, lo, 0, &j->err) < 0 ||
	    addr_add(sk, rtnl_link_get_ifindex(eth), j->ip, j->prefix, POD_IF,
		     &j->err) < 0 ||
	    link_up(sk, eth, 0, &j->err) < 0 ||
	    default_route(sk, rtnl_link_get_ifindex(eth), j->gw, &j->err) < 0)
		goto out;
	rc = 0;
out:
	if (lo)
		rtnl_link_put(lo);
	if (eth)
		rtnl_link_put(eth);
	return rc;
}

/* From the pod's side: eth0 here, its peer host_if in the node's netns. */
static int veth_create(struct nl_sock *psk, const char *host_if, int host_ns_fd,
		       struct err *e)
{
	struct rtnl_link *v = rtnl_link_veth_alloc(), *peer;
	int rc;

	if (!v)
		return err_set(e, ERR_INTERNAL, "veth: out of memory");
	peer = rtnl_link_veth_get_peer(v);
	rtnl_link_set_name(v, POD_IF);
	rtnl_link_set_name(peer, host_if);
	rtnl_link_set_ns_fd(peer, host_ns_fd);
	rtnl_link_put(peer);
	rc = rtnl_link_add(psk, v, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_veth_release(v);
	if (rc < 0)
		return nl_fail(e, rc, "create veth %s", host_if);
	return 0;
}

static int hairpin_on(const char *host_if, struct err *e)
{
	char *path =
	    xasprintf("/sys/class/net/%s/brport/hairpin_mode", host_if);
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || write(fd, "1", 1) != 1)
		rc = err_set(e, ERR_IO, "hairpin on %s: %s", host_if,
			     strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

/* Node's side: host_if on the bridge, up, hairpin. */
static int host_end(struct nl_sock *hsk, const char *bridge,
		    const char *host_if, struct err *e)
{
	struct rtnl_link *br = NULL, *l = NULL;
	int rc = -1;

	if (bridge_get(hsk, bridge, &br, e) < 0)
		goto out;
	rc = rtnl_link_get_kernel(hsk, 0, host_if, &l);
	if (rc < 0) {
		rc = nl_fail(e, rc, "veth %s", host_if);
		goto out;
	}
	rc = -1;
	if (link_up(hsk, l, rtnl_link_get_ifindex(br), e) < 0 ||
	    hairpin_on(host_if, e) < 0)
		goto out;
	rc = 0;
out:
	if (br)
		rtnl_link_put(br);
	if (l)
		rtnl_link_put(l);
	return rc;
}

/* No bridge (rootless): lo up with the pod's address as ip/32. */
static int configure_lo(struct attach_job *j, struct nl_sock *sk)
{
	struct rtnl_link *lo = NULL;
	int rc;

	if ((rc = rtnl_link_get_kernel(sk, 0, "lo", &lo)) < 0)
		return nl_fail(&j->err, rc, "pod loopback");
	rc = link_up(sk, lo, 0, &j->err) < 0 ||
	     addr_add(sk, rtnl_link_get_ifindex(lo), j->ip, 32, "lo",
		      &j->err) < 0 ? -1 : 0;
	rtnl_link_put(lo);
	return rc;
}

/* hsk talks to the node's namespace, psk to the pod's. */
static int attach(struct attach_job *j, struct nl_sock *hsk,
		  struct nl_sock *psk)
{
	struct rtnl_link *eth = NULL;
	int rc;

	if (!j->bridge)
		return configure_lo(j, psk);
	if (rtnl_link_get_kernel(psk, 0, POD_IF, &eth) == 0) {
		rtnl_link_put(eth);
	} else {
		/* A host end without its eth0 is stale (namespace gone). */
		rc = rtnl_link_get_kernel(hsk, 0, j->host_if, &eth);
		if (rc == 0) {
			rc = rtnl_link_delete(hsk, eth);
			rtnl_link_put(eth);
			if (rc < 0 && rc != -NLE_OBJ_NOTFOUND)
				return nl_fail(&j->err, rc, "delete stale %s",
					       j->host_if);
		}
		if (veth_create(psk, j->host_if, j->host_ns_fd, &j->err) < 0)
			return -1;
	}
	if (configure_eth0(j, psk) < 0 ||
	    host_end(hsk, j->bridge, j->host_if, &j->err) < 0)
		return -1;
	return 0;
}

/*
 * The one thread that enters the pod's namespace: its first socket is
 * made before setns (so it stays in the node's namespace), the second
 * after.  It exits when done; nobody else runs on it.
 */
static void *attach_thread(void *arg)
{
	struct attach_job *j = arg;
	struct nl_sock *hsk = nl_open(&j->err), *psk = NULL;

	j->rc = -1;
	if (!hsk)
		return NULL;
	if (setns(j->ns_fd, CLONE_NEWNET) < 0)
		err_set(&j->err, ERR_IO, "enter network namespace: %s",
			strerror(errno));
	else if ((psk = nl_open(&j->err)))
		j->rc = attach(j, hsk, psk);
	nl_socket_free(psk);
	nl_socket_free(hsk);
	return NULL;
}

int link_pod_attach(const char *bridge, const char *netns_path,
		    const char *host_if, uint32_t ip, int prefix, uint32_t gw,
		    struct err *e)
{
	struct attach_job j = {.bridge = bridge,
			       .host_if = host_if,
			       .ip = ip,
			       .gw = gw,
			       .prefix = prefix,
			       .host_ns_fd = -1};
	pthread_t t;
	int rc;

	j.ns_fd = open(netns_path, O_RDONLY | O_CLOEXEC);
	if (j.ns_fd < 0)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "network namespace %s: %s", netns_path,
			       strerror(errno));
	j.host_ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (j.host_ns_fd < 0) {
		rc = err_set(e, ERR_IO, "node network namespace: %s",
			     strerror(errno));
		goto out;
	}
	err_clear(&j.err);
	rc = pthread_create(&t, NULL, attach_thread, &j);
	if (rc != 0) {
		rc = err_set(e, ERR_INTERNAL, "thread: %s", strerror(rc));
		goto out;
	}
	pthread_join(t, NULL);
	rc = j.rc;
	if (rc < 0)
		err_copy(e, &j.err);
out:
	if (j.host_ns_fd >= 0)
		close(j.host_ns_fd);
	close(j.ns_fd);
	return rc;
}

/* Record one IPv4 address of the address cache into the snapshot. */
static void scan_addr(struct nl_object *o, void *arg)
{
	struct link_snapshot *s = arg;
	struct nl_addr *local = rtnl_addr_get_local((struct rtnl_addr *)o);
	uint32_t be;

	if (!local || nl_addr_get_family(local) != AF_INET ||
	    nl_addr_get_len(local) != sizeof(be) ||
	    s->naddrs == LINK_SNAPSHOT_MAX)
		return;
	memcpy(&be, nl_addr_get_binary_addr(local), sizeof(be));
	s->addrs[s->naddrs] = ntohl(be);
	s->prefixes[s->naddrs++] = rtnl_addr_get_prefixlen((struct rtnl_addr *)o);
}

/* Record one link name (kdeck* only: the names podnet may pick). */
static void scan_link(struct nl_object *o, void *arg)
{
	struct link_snapshot *s = arg;
	const char *name = rtnl_link_get_name((struct rtnl_link *)o);

	if (name && !strncmp(name, "kdeck", 5) && s->nnames < LINK_SNAPSHOT_MAX)
		snprintf(s->names[s->nnames++], 16, "%s", name);
}

int link_snapshot_take(struct link_snapshot *s, struct err *e)
{
	struct nl_sock *sk = nl_open(e);
	struct nl_cache *addrs = NULL, *links = NULL;
	int rc;

	if (!sk)
		return -1;
	memset(s, 0, sizeof(*s));
	rc = rtnl_addr_alloc_cache(sk, &addrs);
	if (rc == 0)
		rc = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (rc < 0) {
		rc = nl_fail(e, rc, "list links and addresses");
		goto out;
	}
	nl_cache_foreach(addrs, scan_addr, s);
	nl_cache_foreach(links, scan_link, s);
out:
	if (addrs)
		nl_cache_free(addrs);
	if (links)
		nl_cache_free(links);
	nl_socket_free(sk);
	return rc;
}
