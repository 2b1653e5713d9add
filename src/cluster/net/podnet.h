/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podnet: the pod network of the node (the CNI bridge plugin's job).
 *
 * A Linux bridge owned by kdeck holds the gateway address of the node's
 * pod CIDR; every pod's
 * network namespace gets a veth pair, one end on the bridge, the other as
 * eth0 with the next free address (IPAM state under DATA/net, so a pod
 * keeps its IP across daemon restarts), loopback up and a default route
 * through the gateway.  Outbound traffic is masqueraded when the machine
 * has nftables (podnet_describe says so, or why not); hostPort maps node
 * ports to pod ports, 127.0.0.1:hostPort included.  The NAT rules live in
 * the nftables table "kdeck" (bridge kdeck0) or "kdeck_BRIDGE" (any other
 * bridge).  Needs CAP_NET_ADMIN: podnet_open fails with ERR_FORBIDDEN and
 * a plain message otherwise.
 *
 * In a user namespace (a rootless cluster, runtime.h rt_userns_enter)
 * there is no bridge and no NAT: each pod gets loopback with its pod IP
 * (as ip/32 on lo) and outbound traffic through slirp4netns when that is
 * installed (usernet.c); hostPorts fail with ERR_UNAVAILABLE.
 *
 * Thread-safe; setups and teardowns of different pods run in parallel,
 * the caller serialises those of one pod.
 */
#ifndef KDECK_CLUSTER_NET_PODNET_H
#define KDECK_CLUSTER_NET_PODNET_H

#include <stdbool.h>

#include "common/err.h"

struct podnet;

/*
 * One network per cluster: with bridge NULL or "" the cluster's own
 * bridge and CIDR are used, chosen at its first start and kept in
 * state_dir/network.json: the first (kdeckN, 10.244.N.0/24) that no link
 * on the machine uses (a lone cluster gets kdeck0 / 10.244.0.0/24, and a
 * data dir of an earlier kdeck keeps those); pod_cidr is ignored then.
 * With an explicit bridge (tests), pod_cidr (default 10.244.0.0/24) is
 * used as given and nothing is written to network.json.
 */
struct podnet_config {
	const char *state_dir; /* DATA/net */
	const char *pod_cidr;  /* "10.244.0.0/24", with bridge only */
	const char *bridge;    /* NULL: the cluster's own (see above) */
};

int podnet_open(const struct podnet_config *cfg, struct podnet **out,
		struct err *e);
/* Leaves the bridge and NAT in place (pods keep running); see destroy. */
void podnet_free(struct podnet *n);
/*
 * Remove this cluster's bridge, NAT table and state (cluster reset):
 * cfg->bridge, or network.json's; other clusters' are never touched.
 */
int podnet_destroy(const struct podnet_config *cfg, struct err *e);

/*
 * e.g. "bridge kdeck0, pod CIDR 10.244.0.0/24 (gateway 10.244.0.1),
 * outbound NAT through nftables"
 */
const char *podnet_describe(const struct podnet *n);
/* The gateway (node-side) address, e.g. "10.244.0.1". */
const char *podnet_gateway(const struct podnet *n);
/* The pod CIDR in use, e.g. "10.244.0.0/24" (the Node's spec.podCIDR). */
const char *podnet_cidr(const struct podnet *n);
/* The bridge in use, e.g. "kdeck0". */
const char *podnet_bridge(const struct podnet *n);

/*
 * Give pod uid's network namespace (a path, see runtime.h) its interface
 * and address; idempotent (the same uid keeps its address).  ip gets the
 * pod IP as text.  ERR_NOT_FOUND when netns does not exist,
 * ERR_UNAVAILABLE when the pod CIDR is full.
 */
int podnet_setup(struct podnet *n, const char *uid, const char *netns,
		 char ip[64], struct err *e);
/* Release the address and the veth; missing is fine. */
int podnet_teardown(struct podnet *n, const char *uid, struct err *e);

struct podnet_port {
	int host_port, container_port;
	const char *protocol; /* "TCP", "UDP", "SCTP" */
	const char *host_ip;  /* NULL or "" = all addresses */
};
/*
 * Map hostPorts to the pod's IP (replaces earlier maps of uid; nports 0
 * removes them).  uid must hold an address (ERR_NOT_FOUND); ip, when not
 * NULL or "", must be it.  ERR_CONFLICT when another pod maps the same
 * port and protocol on an overlapping hostIP.  ERR_UNAVAILABLE when
 * nftables is missing (the
 * maps are kept and apply once it works after a restart).  Teardown
 * removes the maps of uid.
 */
int podnet_host_ports(struct podnet *n, const char *uid, const char *ip,
		      const struct podnet_port *ports, size_t nports,
		      struct err *e);

/*
 * Uids that hold an address (restart safety); caller frees each string
 * and the array (which is also NULL-terminated).
 */
int podnet_list(struct podnet *n, char ***uids, size_t *count, struct err *e);

#endif
