/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podnet: the public face of the pod network (see podnet.h): one mutex
 * around the address book, which is written to DATA/net/ipam.json after
 * every change before the kernel is touched, so a crash can leave an
 * address without its veth (setup repairs that, idempotently) but never a
 * veth whose address could be handed out twice.
 *
 * NAT lives in one nftables table rewritten whole from the book after
 * every hostPort change (nft.c).  Without nft the network still works
 * inside the node; podnet_describe says so and hostPorts fail plainly.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/net/net_priv.h"
#include "cluster/net/svcrules.h"
#include "cluster/net/podnet.h"
#include "common/file.h"
#include "common/mem.h"

#define STATE_FILE	  "ipam.json"
#define CAP_NET_ADMIN_BIT 12
#define DEFAULT_CIDR	  "10.244.0.0/24"

struct podnet {
	pthread_mutex_t mu;
	char *state_file, *bridge, *cidr, *describe;
	char table[32], gateway[16];
	bool nat;
	bool rootless;		/* usernet.c: loopback (+ slirp4netns) */
	char *slirp, *state_dir;
	struct ipam ipam;
};

/* Does this process hold CAP_NET_ADMIN (effective)? */
static bool has_net_admin(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long caps = 0;
	char line[256];
	bool found = false;

	if (!f)
		return geteuid() == 0;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &caps) == 1;
	fclose(f);
	return found ? (caps >> CAP_NET_ADMIN_BIT) & 1 : geteuid() == 0;
}

int net_slurp(const char *path, char **text, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "re");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t r;

	if (!f)
		return err_set(e, errno == ENOENT ? ERR_NOT_FOUND : ERR_IO,
			       "%s: %s", path, strerror(errno));
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, r);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return err_set(e, ERR_IO, "read %s", path);
	}
	fclose(f);
	*len = b.len;
	*text = b.data ? buf_take(&b) : xstrdup("");
	return 0;
}

static int save(struct podnet *n, struct err *e)
{
	char *text = ipam_dump(&n->ipam);
	int rc = file_write_atomic(n->state_file, text, strlen(text), 0600, e);

	free(text);
	return rc;
}

/* Load the book, or start an empty one for cidr when there is none. */
static int load(struct podnet *n, uint32_t net, int prefix, const char *cidr,
		struct err *e)
{
	struct err se;
	char *text = NULL;
	size_t len = 0;

	if (net_slurp(n->state_file, &text, &len, &se) < 0) {
		if (se.code != ERR_NOT_FOUND) {
			err_copy(e, &se);
			return -1;
		}
		ipam_init(&n->ipam, net, prefix);
		return 0;
	}
	if (ipam_load(&n->ipam, text, len, e) < 0) {
		free(text);
		return err_wrap(e,
				"%s is corrupt (remove it, or run `kdeck "
				"cluster reset`)",
				n->state_file);
	}
	free(text);
	if (n->ipam.net != net || n->ipam.prefix != prefix) {
		ipam_done(&n->ipam);
		ipam_init(&n->ipam, net, prefix);
		return err_set(e, ERR_CONFLICT,
			       "%s belongs to another pod "
			       "CIDR than %s (run `kdeck cluster reset`)",
			       n->state_file, cidr);
	}
	return 0;
}

/* Rewrite the NAT table from the book; remembers whether NAT works. */
static int apply_nat(struct podnet *n, struct err *e)
{
	struct buf script = BUF_INIT;
	int rc;

	nft_ruleset(&script, n->table, n->bridge, &n->ipam);
	rc = nft_run(buf_cstr(&script), e);
	buf_free(&script);
	n->nat = rc == 0;
	return rc;
}

/* why: the reason for no NAT; local: for no 127.0.0.1:hostPort. */
static void set_describe(struct podnet *n, const char *why, const char *local)
{
	free(n->describe);
	n->describe = xasprintf("bridge %s, pod CIDR %s (gateway %s), "
				"%s%s%s%s%s%s",
				n->bridge, n->cidr, n->gateway,
				n->nat ? "outbound NAT through nftables"
				       : "no outbound NAT (",
				n->nat ? "" : why, n->nat ? "" : ")",
				*local ? ", no 127.0.0.1:hostPort (" : "",
				local, *local ? ")" : "");
}

/* route_localnet on the bridge: see nft.c; "" or why it failed. */
static void local_ports(struct podnet *n, struct err *le)
{
	char *path = xasprintf("net/ipv4/conf/%s/route_localnet", n->bridge);

	err_clear(le);
	link_sysctl(path, "1", le);
	free(path);
}

static int make_dir(const char *dir, struct err *e)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "create %s: %s", dir,
			       strerror(errno));
	return 0;
}

static int start(struct podnet *n, const char *state_dir, struct err *e)
{
	struct err nat_err, local_err;
	uint32_t net;
	int prefix;

	if (ipam_parse_cidr(n->cidr, &net, &prefix, e) < 0 ||
	    make_dir(state_dir, e) < 0 || load(n, net, prefix, n->cidr, e) < 0)
		return -1;
	ipam_ip_str(ipam_gateway(&n->ipam), n->gateway);
	if (link_bridge_ensure(n->bridge, ipam_gateway(&n->ipam), prefix, e) <
	    0)
		return -1;
	local_ports(n, &local_err);
	if (!nft_available())
		set_describe(n, "nftables not installed", local_err.msg);
	else if (link_sysctl("net/ipv4/ip_forward", "1", &nat_err) < 0 ||
		 apply_nat(n, &nat_err) < 0) {
		n->nat = false;
		set_describe(n, nat_err.msg, local_err.msg);
	} else {
		set_describe(n, "", local_err.msg);
	}
	return save(n, e);
}

/*
 * No bridge in cfg: this cluster's own network (netpick.c), chosen and
 * its bridge created under the machine-wide lock.
 */
static int start_own(struct podnet *n, const struct podnet_config *cfg,
		     struct err *e)
{
	struct netpick p;
	int fd = netpick_lock(e), rc = -1;

	if (fd < 0)
		return -1;
	if (make_dir(cfg->state_dir, e) < 0 ||
	    netpick_resolve(cfg->state_dir, &p, e) < 0)
		goto out;
	n->bridge = xstrdup(p.bridge);
	n->cidr = xstrdup(p.cidr);
	snprintf(n->table, sizeof(n->table), "%s", p.table);
	rc = start(n, cfg->state_dir, e);
out:
	netpick_unlock(fd);
	return rc;
}

/* A rootless cluster: no bridge, an address book of its own. */
static int start_user(struct podnet *n, const struct podnet_config *cfg,
		      struct err *e)
{
	const char *why = NULL;
	uint32_t net;
	int prefix;

	n->rootless = true;
	n->bridge = xstrdup("");
	n->cidr = xstrdup(cfg->pod_cidr && *cfg->pod_cidr ? cfg->pod_cidr :
			  DEFAULT_CIDR);
	n->state_dir = xstrdup(cfg->state_dir);
	n->slirp = usernet_slirp_path(&why);
	if (ipam_parse_cidr(n->cidr, &net, &prefix, e) < 0 ||
	    make_dir(cfg->state_dir, e) < 0 ||
	    load(n, net, prefix, n->cidr, e) < 0)
		return -1;
	n->describe = xasprintf(
		"rootless: a network namespace per pod with loopback and its "
		"pod IP (%s, reachable only inside the pod), %s%s%s; no pod-to-pod "
		"traffic, Service IPs, cluster DNS or hostPort", n->cidr,
		n->slirp ? "outbound through slirp4netns (tap0 10.0.2.100)" :
			   "no outbound traffic (", n->slirp ? "" : why,
		n->slirp ? "" : ")");
	return save(n, e);
}

int podnet_open(const struct podnet_config *cfg, struct podnet **out,
		struct err *e)
{
	struct podnet *n;
	int rc;

	if (usernet_in_userns()) {
		n = xcalloc(1, sizeof(*n));
		pthread_mutex_init(&n->mu, NULL);
		n->state_file = xasprintf("%s/%s", cfg->state_dir, STATE_FILE);
		if (start_user(n, cfg, e) < 0) {
			podnet_free(n);
			return -1;
		}
		*out = n;
		return 0;
	}
	if (!has_net_admin())
		return err_set(e, ERR_FORBIDDEN,
			       "the pod network needs "
			       "CAP_NET_ADMIN (run kdeck as root)");
	n = xcalloc(1, sizeof(*n));
	pthread_mutex_init(&n->mu, NULL);
	n->state_file = xasprintf("%s/%s", cfg->state_dir, STATE_FILE);
	if (!cfg->bridge || !*cfg->bridge) {
		rc = start_own(n, cfg, e);
	} else if (strlen(cfg->bridge) >= 16) {
		rc = err_set(e, ERR_INVALID,
			     "bridge name \"%s\" is longer than 15 "
			     "characters",
			     cfg->bridge);
	} else {
		n->bridge = xstrdup(cfg->bridge);
		n->cidr = xstrdup(cfg->pod_cidr && *cfg->pod_cidr
					  ? cfg->pod_cidr
					  : DEFAULT_CIDR);
		nft_table_name(n->bridge, n->table);
		rc = start(n, cfg->state_dir, e);
	}
	if (rc < 0) {
		podnet_free(n);
		return -1;
	}
	*out = n;
	return 0;
}

void podnet_free(struct podnet *n)
{
	if (!n)
		return;
	ipam_done(&n->ipam);
	pthread_mutex_destroy(&n->mu);
	free(n->state_file);
	free(n->bridge);
	free(n->cidr);
	free(n->describe);
	free(n->slirp);
	free(n->state_dir);
	free(n);
}

/* Remove state_dir/name; missing is fine. */
static int remove_state(const char *dir, const char *name, struct err *e)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = 0;

	if (unlink(path) < 0 && errno != ENOENT)
		rc = err_set(e, ERR_IO, "remove %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

/*
 * The bridge and table of cfg: the explicit bridge, network.json's, or
 * kdeck0 for a data dir of an earlier kdeck (ipam.json without
 * network.json).  false when this data dir never had a network.
 */
static bool own_bridge(const struct podnet_config *cfg, struct netpick *p)
{
	struct err le;
	char *ipam;
	bool old;

	if (cfg->bridge && *cfg->bridge) {
		snprintf(p->bridge, sizeof(p->bridge), "%s", cfg->bridge);
		nft_table_name(p->bridge, p->table);
		return true;
	}
	if (netpick_load(cfg->state_dir, p, &le) == 0)
		return true;
	ipam = xasprintf("%s/%s", cfg->state_dir, STATE_FILE);
	old = access(ipam, F_OK) == 0;
	free(ipam);
	snprintf(p->bridge, sizeof(p->bridge), "kdeck0");
	nft_table_name(p->bridge, p->table);
	return old;
}

int podnet_destroy(const struct podnet_config *cfg, struct err *e)
{
	struct buf script = BUF_INIT;
	struct netpick p;
	bool mine = own_bridge(cfg, &p);
	int rc = 0;

	if (usernet_in_userns()) {	/* rootless: no bridge, no table */
		usernet_slirp_stop_all(cfg->state_dir);
		mine = false;
	}
	/* Without CAP_NET_ADMIN we cannot have made a bridge or table. */
	if (mine && has_net_admin() && link_bridge_delete(p.bridge, e) < 0)
		return -1;
	if (mine && has_net_admin() && nft_available()) {
		char svc[48];

		svcrules_table_name(p.bridge, svc);
		nft_delete_script(&script, p.table);
		svcrules_delete_script(&script, svc);
		rc = nft_run(buf_cstr(&script), e);
		buf_free(&script);
	}
	if (remove_state(cfg->state_dir, STATE_FILE, e) < 0 ||
	    remove_state(cfg->state_dir, "network.json", e) < 0)
		rc = -1;
	if (rmdir(cfg->state_dir) < 0 && errno != ENOENT && errno != ENOTEMPTY)
		rc = err_set(e, ERR_IO, "remove %s: %s", cfg->state_dir,
			     strerror(errno));
	return rc;
}

const char *podnet_describe(const struct podnet *n)
{
	return n->describe;
}

const char *podnet_gateway(const struct podnet *n)
{
	return n->gateway;
}

const char *podnet_cidr(const struct podnet *n)
{
	return n->cidr;
}

const char *podnet_bridge(const struct podnet *n)
{
	return n->bridge;
}

/* Address of uid under the lock, saved before the kernel sees it. */
static int reserve(struct podnet *n, const char *uid, uint32_t *a, bool *fresh,
		   struct err *e)
{
	int rc;

	pthread_mutex_lock(&n->mu);
	rc = ipam_alloc(&n->ipam, uid, a, fresh, e);
	if (rc == 0 && *fresh && save(n, e) < 0) {
		ipam_release(&n->ipam, uid);
		rc = -1;
	}
	pthread_mutex_unlock(&n->mu);
	return rc;
}

/*
 * The lock covers the book only: the netlink work of different pods runs
 * in parallel (the agent starts many pods at once; one pod's setup and
 * teardown are never concurrent, its pod worker serialises them).
 */
int podnet_setup(struct podnet *n, const char *uid, const char *netns,
		 char ip[64], struct err *e)
{
	char host_if[16], addr[16];
	bool fresh = false;
	uint32_t a;

	if (!uid || !*uid || !netns)
		return err_set(e, ERR_INVALID, "podnet_setup: no uid or netns");
	if (reserve(n, uid, &a, &fresh, e) < 0)
		return -1;
	link_veth_name(uid, host_if);
	if (link_pod_attach(n->rootless ? NULL : n->bridge, netns, host_if, a,
			    n->ipam.prefix, ipam_gateway(&n->ipam), e) < 0) {
		if (fresh) {
			pthread_mutex_lock(&n->mu);
			ipam_release(&n->ipam, uid);
			save(n, NULL);
			pthread_mutex_unlock(&n->mu);
		}
		return -1;
	}
	if (n->rootless && n->slirp) {	/* the pod runs without it too */
		struct err se;

		if (usernet_slirp_start(n->slirp, n->state_dir, uid, netns,
					&se) < 0)
			fprintf(stderr, "kdeck: pod %s: no outbound network: "
				"%s\n", uid, se.msg);
	}
	ipam_ip_str(a, addr);
	snprintf(ip, 64, "%s", addr);
	return 0;
}

int podnet_teardown(struct podnet *n, const char *uid, struct err *e)
{
	struct ipam_entry *en;
	char host_if[16];
	bool ports;
	int rc = 0;

	link_veth_name(uid, host_if);
	if (n->rootless)
		usernet_slirp_stop(n->state_dir, uid);
	else if (link_pod_detach(host_if, e) < 0)
		return -1;
	pthread_mutex_lock(&n->mu);
	en = ipam_find(&n->ipam, uid);
	if (en) {
		ports = en->nports > 0;
		ipam_release(&n->ipam, uid);
		rc = save(n, e);
		if (rc == 0 && ports && n->nat)
			rc = apply_nat(n, e);
	}
	pthread_mutex_unlock(&n->mu);
	return rc;
}

/* The public ports as ipam's; ERR_INVALID for over-long fields. */
static int convert_ports(const struct podnet_port *ports, size_t nports,
			 struct ipam_port *out, struct err *e)
{
	for (size_t i = 0; i < nports; i++) {
		const char *proto = ports[i].protocol && *ports[i].protocol
					? ports[i].protocol
					: "TCP";
		const char *hip = ports[i].host_ip ? ports[i].host_ip : "";

		if (strlen(proto) >= sizeof(out[i].proto) ||
		    strlen(hip) >= sizeof(out[i].host_ip))
			return err_set(e, ERR_INVALID,
				       "hostPort %d: bad "
				       "protocol or hostIP",
				       ports[i].host_port);
		out[i].host_port = ports[i].host_port;
		out[i].container_port = ports[i].container_port;
		strcpy(out[i].proto, proto);
		strcpy(out[i].host_ip, hip);
	}
	return 0;
}

int podnet_host_ports(struct podnet *n, const char *uid, const char *ip,
		      const struct podnet_port *ports, size_t nports,
		      struct err *e)
{
	struct ipam_port *conv = xcalloc(nports ? nports : 1, sizeof(*conv));
	struct ipam_entry *en;
	char have[16];
	int rc = -1;

	if (n->rootless) {
		free(conv);
		return nports ? err_set(e, ERR_UNAVAILABLE, "hostPort is not "
					"supported by rootless pods") : 0;
	}
	pthread_mutex_lock(&n->mu);
	en = ipam_find(&n->ipam, uid);
	if (!en) {
		err_set(e, ERR_NOT_FOUND, "pod %s has no address", uid);
		goto out;
	}
	ipam_ip_str(en->ip, have);
	if (ip && *ip && strcmp(ip, have)) {
		err_set(e, ERR_INVALID, "pod %s has address %s, not %s", uid,
			have, ip);
		goto out;
	}
	if (convert_ports(ports, nports, conv, e) < 0 ||
	    ipam_set_ports(&n->ipam, uid, conv, nports, e) < 0 ||
	    save(n, e) < 0)
		goto out;
	if (!nft_available() && !ipam_port_count(&n->ipam))
		rc = 0;
	else if (!nft_available())
		err_set(e, ERR_UNAVAILABLE,
			"hostPort needs nftables, which "
			"is not installed");
	else
		rc = apply_nat(n, e);
out:
	pthread_mutex_unlock(&n->mu);
	free(conv);
	return rc;
}

int podnet_list(struct podnet *n, char ***uids, size_t *count, struct err *e)
{
	const struct ipam_entry *en;
	char **out;
	size_t i = 0;

	(void)e;
	pthread_mutex_lock(&n->mu);
	out = xcalloc(HASH_CNT(hh, n->ipam.by_uid) + 1, sizeof(*out));
	for (en = n->ipam.by_uid; en; en = en->hh.next)
		out[i++] = xstrdup(en->uid);
	pthread_mutex_unlock(&n->mu);
	*uids = out;
	*count = i;
	return 0;
}
