/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svcmodel: what kube-proxy and cluster DNS need to know about Services,
 * read from the Service and EndpointSlice objects of the whole cluster
 * (the same objects a real cluster's kube-proxy and CoreDNS watch).
 *
 * A model is immutable once built and shared by reference count: the
 * service proxy (svcrules.c) turns it into nftables rules, the DNS server
 * (dns.c) answers from it, and a new model replaces the old one whole
 * whenever a Service or EndpointSlice changes.  Only IPv4 is modelled.
 */
#ifndef KDECK_CLUSTER_NET_SVCMODEL_H
#define KDECK_CLUSTER_NET_SVCMODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <uthash.h>

/* sessionAffinityConfig.clientIP.timeoutSeconds when unset (3 hours) */
#define SVC_AFFINITY_DEFAULT_S 10800

struct svc_port {
	char *name;	/* "" when the Service has one unnamed port */
	char *proto;	/* "TCP", "UDP", "SCTP" */
	int port;
	int node_port;	/* 0: none */
};

/* One endpoint address of one EndpointSlice. */
struct svc_ep {
	char *ip;
	char *hostname;	/* NULL: none (StatefulSet pods have one) */
	bool ready;
	int *target;	/* per Service port: the endpoint's port, 0 = none */
};

struct svc_entry {
	UT_hash_handle hh;
	char *key;		/* "name.namespace" */
	char *ns, *name;
	char *type;		/* ClusterIP, NodePort, LoadBalancer, ExternalName */
	char *cluster_ip;	/* NULL: headless or ExternalName */
	char *external_name;	/* ExternalName only */
	/* spec.externalIPs and status.loadBalancer.ingress[].ip: more
	 * addresses the Service's ports answer on (kube-proxy's "external
	 * IPs" and load-balancer IPs) */
	char **ext_ips;
	size_t next_ips;
	int affinity_s;		/* sessionAffinity ClientIP: timeout, else 0 */
	struct svc_port *ports;
	size_t nports;
	struct svc_ep *eps;
	size_t neps;
};

struct svc_model {
	struct svc_entry *by_key;	/* hash by key, see svc_model_find */
	struct svc_entry **sorted;	/* by namespace then name */
	size_t n;
	int refs;
};

/*
 * Build a model from the items arrays of a Service list and an
 * EndpointSlice list (either may be NULL).  Never fails: objects it
 * cannot use (no name, an IPv6 family, a port without number) are left
 * out.  The model starts with one reference.
 */
struct svc_model *svc_model_build(const cJSON *services, const cJSON *slices);
/* Take and drop references (thread-safe); unref(NULL) is a no-op. */
struct svc_model *svc_model_ref(struct svc_model *m);
void svc_model_unref(struct svc_model *m);
/* The Service ns/name, or NULL. */
const struct svc_entry *svc_model_find(const struct svc_model *m,
				       const char *ns, const char *name);
/* Index of the port named name (NULL or "" matches an unnamed port). */
int svc_entry_port(const struct svc_entry *s, const char *name,
		   const char *proto);

#endif
