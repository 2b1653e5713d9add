/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net_priv: the pieces behind podnet.h, private to src/cluster/net.
 *
 *   ipam.c   address book of the pod CIDR (pure: no system calls), its
 *            JSON state and the hostPort maps kept with each address
 *   nft.c    the nftables ruleset (text built from the ipam state, pure)
 *            and running `nft -f -`
 *   link.c   bridge, veth pairs, addresses and routes through libnl-route;
 *            work inside a pod's network namespace runs in a short-lived
 *            thread of its own that setns()es there and exits
 *   podnet.c the public API: locking, state file, gluing the above
 *
 * Addresses are IPv4 in host byte order (uint32_t) everywhere inside.
 */
#ifndef KDECK_CLUSTER_NET_PRIV_H
#define KDECK_CLUSTER_NET_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uthash.h>

#include "common/buf.h"
#include "common/err.h"

/* ---- ipam.c ---- */

struct ipam_port {
	int host_port, container_port;
	char proto[8];	  /* "TCP", "UDP", "SCTP" */
	char host_ip[16]; /* dotted quad or "" for every address */
};

struct ipam_entry {
	char *uid;
	uint32_t ip;
	struct ipam_port *ports;
	size_t nports;
	UT_hash_handle hh;    /* by uid */
	UT_hash_handle hh_ip; /* by ip */
};

struct ipam {
	uint32_t net;  /* network address */
	int prefix;    /* 8..30 */
	uint32_t last; /* last address handed out (next-fit) */
	struct ipam_entry *by_uid, *by_ip;
};

/*
 * Parse "A.B.C.D/N" (8 <= N <= 30, host bits zero).  *net and *prefix are
 * set on success; ERR_INVALID with the reason otherwise.
 */
int ipam_parse_cidr(const char *s, uint32_t *net, int *prefix, struct err *e);
/* Dotted quad of a host-order address; -1 when s is not one. */
int ipam_parse_ip(const char *s, uint32_t *ip);
void ipam_ip_str(uint32_t ip, char out[16]);

/* An empty book for net/prefix (no allocations, last = the gateway). */
void ipam_init(struct ipam *a, uint32_t net, int prefix);
/* Frees the entries; a is left empty (ipam_init before reuse). */
void ipam_done(struct ipam *a);
static inline uint32_t ipam_gateway(const struct ipam *a)
{
	return a->net + 1;
}
static inline uint32_t ipam_broadcast(const struct ipam *a)
{
	return a->net | (0xffffffffu >> a->prefix);
}
/* Addresses pods can get: all but network, gateway and broadcast. */
static inline uint32_t ipam_capacity(const struct ipam *a)
{
	return (0xffffffffu >> a->prefix) - 2;
}

/*
 * Read state text (see ipam.c for the format) into a fresh book *a
 * (ipam_init is done here).  Every field is checked: addresses inside the
 * CIDR and not reserved, no duplicates, ports 1..65535, known protocols.
 * ERR_PARSE with the reason on anything wrong; *a is untouched then.
 */
int ipam_load(struct ipam *a, const char *text, size_t len, struct err *e);
/* The state as JSON text, ending in a newline; caller frees. */
char *ipam_dump(const struct ipam *a);

struct ipam_entry *ipam_find(const struct ipam *a, const char *uid);
/*
 * The address of uid: its existing one, or the next free one after the
 * last handed out (wrapping around).  ERR_UNAVAILABLE naming the CIDR
 * when none is free.  *ip set on success; *fresh says it is new.
 */
int ipam_alloc(struct ipam *a, const char *uid, uint32_t *ip, bool *fresh,
	       struct err *e);
/* Forget uid and its ports; false when it had nothing. */
bool ipam_release(struct ipam *a, const char *uid);
/*
 * Replace uid's hostPort maps (uid must hold an address: ERR_NOT_FOUND
 * otherwise).  Checks each port (ERR_INVALID) and that no other pod maps
 * it on an overlapping hostIP (ERR_CONFLICT) before changing anything.
 */
int ipam_set_ports(struct ipam *a, const char *uid,
		   const struct ipam_port *ports, size_t n, struct err *e);
/* Total hostPort maps over all uids. */
size_t ipam_port_count(const struct ipam *a);

/* ---- nft.c ---- */

/*
 * The nftables table that podnet owns for a bridge: "kdeck" for the
 * default bridge "kdeck0", "kdeck_BRIDGE" for any other (tests, second
 * clusters) so that they never touch each other's rules.
 */
void nft_table_name(const char *bridge, char out[32]);
/*
 * Append to b an `nft -f` script that atomically replaces table `table`
 * with: masquerade of the pod CIDR leaving through anything but the
 * bridge, masquerade of loopback-sourced and hairpin traffic entering the
 * bridge, and one DNAT rule per hostPort (prerouting and output).
 */
void nft_ruleset(struct buf *b, const char *table, const char *bridge,
		 const struct ipam *a);
/* Append a script deleting the table if it exists. */
void nft_delete_script(struct buf *b, const char *table);
/* Is an `nft` binary on PATH? */
bool nft_available(void);
/*
 * Run `nft -f -` with script on its stdin.  ERR_UNAVAILABLE when nft is
 * missing, ERR_INTERNAL with nft's own message when it rejects the script.
 */
int nft_run(const char *script, struct err *e);

/* ---- usernet.c: rootless pod networks ---- */

/* This process runs in a user namespace (a rootless cluster). */
bool usernet_in_userns(void);
/* The slirp4netns binary (malloc'd); NULL when it is not installed or
 * cannot work here, *why then says why (static). */
char *usernet_slirp_path(const char **why);
/*
 * Outbound network for the pod namespace at netns: slirp4netns on tap0
 * (10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3), a process of its own
 * session whose pid is kept in state_dir/slirp-UID.pid.  Idempotent (a
 * live one is kept).  ERR_UNAVAILABLE when slirp4netns is missing or
 * does not come up.
 */
int usernet_slirp_start(const char *slirp, const char *state_dir,
			const char *uid, const char *netns, struct err *e);
/* Stop uid's slirp4netns and forget it; missing is fine. */
void usernet_slirp_stop(const char *state_dir, const char *uid);
/* Stop every slirp4netns of state_dir (cluster reset). */
void usernet_slirp_stop_all(const char *state_dir);

/* ---- link.c ---- */

/* Create bridge (if missing) with gw/prefix, up. */
int link_bridge_ensure(const char *bridge, uint32_t gw, int prefix,
		       struct err *e);
/* Delete bridge and every interface enslaved to it; missing is fine. */
int link_bridge_delete(const char *bridge, struct err *e);
/* Host-side veth name of a pod: "kv" + 12 hex digits of a uid hash. */
void link_veth_name(const char *uid, char out[16]);
/*
 * Give the network namespace at netns_path an eth0 with ip/prefix, a
 * default route through gw and loopback up; the host end is host_if on
 * bridge with hairpin on.  Idempotent: an existing, correct eth0 is kept.
 * bridge NULL (rootless): no veth, only loopback up with ip/32 on it.
 */
int link_pod_attach(const char *bridge, const char *netns_path,
		    const char *host_if, uint32_t ip, int prefix, uint32_t gw,
		    struct err *e);
/* Delete host_if (and so its peer); missing is fine. */
int link_pod_detach(const char *host_if, struct err *e);
/* Write value to /proc/sys/PATH. */
int link_sysctl(const char *path, const char *value, struct err *e);

/* What the machine's network uses: IPv4 addresses and kdeck* link names. */
#define LINK_SNAPSHOT_MAX 1024
struct link_snapshot {
	uint32_t addrs[LINK_SNAPSHOT_MAX];
	int prefixes[LINK_SNAPSHOT_MAX];
	size_t naddrs;
	char names[LINK_SNAPSHOT_MAX][16];
	size_t nnames;
};
/* Fill s from the kernel (node namespace); beyond MAX entries are dropped. */
int link_snapshot_take(struct link_snapshot *s, struct err *e);

/* ---- podnet.c ---- */

/* Read the whole file (caller frees *text); ERR_NOT_FOUND when missing. */
int net_slurp(const char *path, char **text, size_t *len, struct err *e);

/* ---- netpick.c ---- */

/* One cluster's network: kept in DATA/net/network.json. */
struct netpick {
	char bridge[16];
	char cidr[20];
	char table[32];
};
/*
 * The first free pair (kdeckN, 10.244.N.0/24), N = 0..255, in s: free
 * when no link is named kdeckN and no address overlaps the /24.
 * ERR_UNAVAILABLE when all 256 are taken.  Pure.
 */
int netpick_choose(const struct link_snapshot *s, struct netpick *out,
		   struct err *e);
/*
 * This cluster's network, state_dir being DATA/net: network.json when
 * present; else kdeck0/10.244.0.0/24 when ipam.json exists (a data dir of
 * an earlier kdeck, which always used those); else a fresh choice from
 * the kernel's state, written to network.json.  Serialised machine-wide
 * through a lock file that the caller holds (netpick_lock) until the
 * bridge exists.  *out set on success.
 */
int netpick_resolve(const char *state_dir, struct netpick *out,
		    struct err *e);
/* The network.json of state_dir, ERR_NOT_FOUND when there is none. */
int netpick_load(const char *state_dir, struct netpick *out, struct err *e);
/* Machine-wide lock fd (>= 0) around choosing and creating; -1 on error. */
int netpick_lock(struct err *e);
void netpick_unlock(int fd);

#endif
