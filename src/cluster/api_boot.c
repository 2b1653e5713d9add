/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_boot: what a new cluster has (namespaces default, kube-system,
 * kube-public, kube-node-lease; a default ServiceAccount in each; the
 * kubernetes Service with its Endpoints and EndpointSlice) and the
 * Service allocators (ClusterIPs from the service CIDR, NodePorts from
 * the node-port range).
 *
 * Allocation scans the stored Services for addresses in use; creates of
 * Services hold api->alloc_lock from allocation to the store write so two
 * creates cannot pick the same address.
 */
#include "config.h"

#include <stdio.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cluster/api_int.h"
#include "cluster/sched.h"
#include "common/json.h"
#include "common/mem.h"

struct used {
	const cJSON *skip;	/* the Service being updated, or NULL */
	uint32_t *ips;
	size_t nips, capips;
	unsigned char ports[65536 / 8];
};

static int used_fn(void *arg, const struct store_obj *so)
{
	struct used *u = arg;
	cJSON *svc = store_obj_parse(so), *p;
	const char *ip = json_get_str(svc, "spec.clusterIP");
	struct in_addr a;

	if (u->skip && json_equal(json_get(svc, "metadata.namespace"),
				  json_get(u->skip, "metadata.namespace")) &&
	    json_equal(json_get(svc, "metadata.name"), json_get(u->skip, "metadata.name"))) {
		cJSON_Delete(svc);
		return 0;
	}

	if (ip && inet_pton(AF_INET, ip, &a) == 1) {
		if (u->nips == u->capips) {
			u->capips = u->capips ? 2 * u->capips : 64;
			u->ips = xrealloc(u->ips, u->capips * sizeof(*u->ips));
		}
		u->ips[u->nips++] = ntohl(a.s_addr);
	}
	cJSON_ArrayForEach(p, json_get(svc, "spec.ports")) {
		int64_t np = 0;

		if (json_get_int(p, "nodePort", &np) == 0 && np > 0 && np < 65536)
			u->ports[np / 8] |= (unsigned char)(1u << (np % 8));
	}
	cJSON_Delete(svc);
	return 0;
}

static int scan_used(struct api *api, struct used *u, const cJSON *skip,
		     struct err *e)
{
	const struct reg_kind *k = reg_find("", "v1", "services");
	char *prefix = api_prefix(k, NULL);
	int rc;

	memset(u, 0, sizeof(*u));
	u->skip = skip;
	rc = store_list(api->st, prefix, NULL, used_fn, u, NULL, e);
	free(prefix);
	return rc;
}

static bool ip_used(const struct used *u, uint32_t ip)
{
	for (size_t i = 0; i < u->nips; i++)
		if (u->ips[i] == ip)
			return true;
	return false;
}

/* 422 for a Service field, in the API server's wording. */
static int svc_invalid(cJSON *svc, const char *field, const char *value,
		       const char *why, struct err *e)
{
	err_set(e, ERR_INVALID, "Service \"%s\" is invalid: %s: Invalid value: %s: %s",
		json_get_str(svc, "metadata.name"), field, value, why);
	return err_cause(e, "FieldValueInvalid", field, "Invalid value: %s: %s",
			 value, why);
}

/* A requested clusterIP must lie in the service CIDR and be free. */
static int check_cluster_ip(struct api *api, cJSON *svc, const char *ip,
			    const struct used *u, struct err *e)
{
	struct in_addr a;
	uint32_t h;
	char val[80], why[160];

	snprintf(val, sizeof(val), "[]string{\"%s\"}", ip);
	if (inet_pton(AF_INET, ip, &a) != 1)
		return 0;	/* admission reports malformed addresses */
	h = ntohl(a.s_addr);
	if ((h & api->cidr_mask) != api->cidr_base) {
		snprintf(why, sizeof(why), "failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s",
			 ip, ip, api->service_cidr);
		return svc_invalid(svc, "spec.clusterIPs", val, why, e);
	}
	if (ip_used(u, h)) {
		snprintf(why, sizeof(why), "failed to allocate IP %s: provided IP is already allocated", ip);
		return svc_invalid(svc, "spec.clusterIPs", val, why, e);
	}
	return 0;
}

int api_alloc_cluster_ip(struct api *api, cJSON *svc, struct err *e)
{
	const char *want = json_get_str(svc, "spec.clusterIP");
	uint32_t size = ~api->cidr_mask + 1, start;
	struct used u;
	struct in_addr a;
	char out[INET_ADDRSTRLEN];
	int rc = -1;

	if (want && !strcmp(want, "None"))
		return 0;
	if (scan_used(api, &u, NULL, e) < 0)
		return -1;
	if (want && want[0]) {
		rc = check_cluster_ip(api, svc, want, &u, e);
		goto out;
	}
	if (getrandom(&start, sizeof(start), 0) != sizeof(start))
		start = (uint32_t)rand();
	for (uint32_t i = 0; i < size; i++) {
		uint32_t off = (start + i) % size, ip = api->cidr_base + off;

		/* skip network, broadcast and the kubernetes Service (.1) */
		if (off < 2 || off == size - 1 || ip_used(&u, ip))
			continue;
		a.s_addr = htonl(ip);
		inet_ntop(AF_INET, &a, out, sizeof(out));
		json_set_str(svc, "spec.clusterIP", out);
		json_set(svc, "spec.clusterIPs",
			 cJSON_CreateStringArray((const char *[]){ out }, 1));
		rc = 0;
		goto out;
	}
	err_set(e, ERR_INTERNAL, "failed to allocate a serviceIP: range is full");
out:
	free(u.ips);
	return rc;
}

/* A requested nodePort: in the range and not taken (by another Service). */
static int check_node_port(struct api *api, cJSON *svc, int i, int64_t np,
			   struct used *u, struct err *e)
{
	char field[64], val[24], why[160];

	snprintf(field, sizeof(field), "spec.ports[%d].nodePort", i);
	snprintf(val, sizeof(val), "%lld", (long long)np);
	if (np < api->node_port_min || np > api->node_port_max) {
		snprintf(why, sizeof(why), "provided port is not in the valid range. The range of valid ports is %d-%d",
			 api->node_port_min, api->node_port_max);
		return svc_invalid(svc, field, val, why, e);
	}
	if (u->ports[np / 8] & (1u << (np % 8)))
		return svc_invalid(svc, field, val, "provided port is already allocated", e);
	u->ports[np / 8] |= (unsigned char)(1u << (np % 8));
	return 0;
}

static bool wants_node_ports(const cJSON *svc)
{
	const char *type = json_get_str(svc, "spec.type");

	return type && (!strcmp(type, "NodePort") || !strcmp(type, "LoadBalancer"));
}

/* Check requested and allocate missing nodePorts; skip: svc is stored. */
static int assign_ports(struct api *api, cJSON *svc, bool skip, struct err *e)
{
	int span = api->node_port_max - api->node_port_min + 1, i = 0;
	struct used u;
	cJSON *p;
	int rc = 0;

	if (scan_used(api, &u, skip ? svc : NULL, e) < 0)
		return -1;
	cJSON_ArrayForEach(p, json_get(svc, "spec.ports")) {
		int64_t np = 0;

		if (json_get_int(p, "nodePort", &np) == 0 && np > 0) {
			if ((rc = check_node_port(api, svc, i++, np, &u, e)) < 0)
				break;
			continue;
		}
		i++;
		for (int t = 0; t < span; t++) {
			int cand = api->node_port_min + (int)((unsigned)(rand() + t) % (unsigned)span);

			if (!(u.ports[cand / 8] & (1u << (cand % 8)))) {
				u.ports[cand / 8] |= (unsigned char)(1u << (cand % 8));
				json_set_int(p, "nodePort", cand);
				break;
			}
		}
	}
	free(u.ips);
	return rc;
}

int api_alloc_service_ports(struct api *api, cJSON *svc, struct err *e)
{
	if (!wants_node_ports(svc))
		return 0;
	return assign_ports(api, svc, false, e);
}

/* A port of old with the same port number and protocol as p, or NULL. */
static const cJSON *same_port(const cJSON *old, const cJSON *p)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, json_get(old, "spec.ports"))
		if (json_equal(json_get(o, "port"), json_get(p, "port")) &&
		    json_equal(json_get(o, "protocol"), json_get(p, "protocol")))
			return o;
	return NULL;
}

/* An update that leaves nodePort out keeps the stored one (patchAllocatedValues). */
static void keep_node_ports(struct api *api, cJSON *svc)
{
	char *key = store_key("", "services", json_get_str(svc, "metadata.namespace"),
			      json_get_str(svc, "metadata.name"));
	const struct store_obj *so = NULL;
	cJSON *old, *p;
	struct err ge;

	if (store_get(api->st, key, &so, &ge) == 0) {
		old = store_obj_parse(so);
		cJSON_ArrayForEach(p, json_get(svc, "spec.ports")) {
			const cJSON *o = same_port(old, p);

			if (o && !json_get(p, "nodePort") && json_get(o, "nodePort"))
				json_set(p, "nodePort", cJSON_Duplicate(json_get(o, "nodePort"), 1));
		}
		cJSON_Delete(old);
		store_obj_unref(so);
	}
	free(key);
}

int api_update_service_ports(struct api *api, cJSON *svc, struct err *e)
{
	cJSON *p;

	if (wants_node_ports(svc)) {
		keep_node_ports(api, svc);
		return assign_ports(api, svc, true, e);
	}
	cJSON_ArrayForEach(p, json_get(svc, "spec.ports"))
		cJSON_DeleteItemFromObjectCaseSensitive(p, "nodePort");
	json_del(svc, "spec.healthCheckNodePort");
	return 0;
}

static int ensure(struct api *api, const char *key, cJSON *obj, struct err *e)
{
	const struct store_obj *so = NULL;
	char uid_ts[32];
	int rc = 0;

	if (store_get(api->st, key, &so, e) == 0) {
		store_obj_unref(so);
		goto out;
	}
	api_now_rfc3339(uid_ts, sizeof(uid_ts), time(NULL));
	json_set_str(obj, "metadata.creationTimestamp", uid_ts);
	if (!json_get(obj, "metadata.uid")) {
		unsigned char b[16];
		char uid[40];

		if (getrandom(b, sizeof(b), 0) != sizeof(b))
			memset(b, 7, sizeof(b));
		b[6] = (b[6] & 0x0f) | 0x40;
		b[8] = (b[8] & 0x3f) | 0x80;
		snprintf(uid, sizeof(uid), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
			 b[10], b[11], b[12], b[13], b[14], b[15]);
		json_set_str(obj, "metadata.uid", uid);
	}
	rc = store_create(api->st, key, obj, NULL, e);
	if (rc < 0 && e->code == ERR_ALREADY_EXISTS)
		rc = 0;
out:
	cJSON_Delete(obj);
	return rc;
}

static cJSON *typed(const char *av, const char *kind, const char *ns,
		    const char *name)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "apiVersion", av);
	cJSON_AddStringToObject(o, "kind", kind);
	json_set_str(o, "metadata.name", name);
	if (ns)
		json_set_str(o, "metadata.namespace", ns);
	return o;
}

/* The CA bundle every namespace gets, as the root-ca-cert-publisher does. */
static int ensure_root_ca(struct api *api, const char *ns, struct err *e)
{
	cJSON *cm;
	char *key;
	int rc;

	if (!api->ca_pem)
		return 0;
	cm = typed("v1", "ConfigMap", ns, "kube-root-ca.crt");
	json_set_str(cm, "metadata.annotations.kubernetes\\.io/description",
		     "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.");
	json_set_str(cm, "data.ca\\.crt", api->ca_pem);
	key = store_key("", "configmaps", ns, "kube-root-ca.crt");
	rc = ensure(api, key, cm, e);
	free(key);
	return rc;
}

int api_ensure_default_sa(struct api *api, const char *ns, struct err *e)
{
	char *key = store_key("", "serviceaccounts", ns, "default");
	int rc = ensure(api, key, typed("v1", "ServiceAccount", ns, "default"), e);

	free(key);
	return rc < 0 ? -1 : ensure_root_ca(api, ns, e);
}

static int each_ns(void *arg, const struct store_obj *so)
{
	struct api *api = arg;
	cJSON *ns = store_obj_parse(so);
	const char *name = json_get_str(ns, "metadata.name");
	struct err e;

	if (name && !json_get(ns, "metadata.deletionTimestamp"))
		api_ensure_default_sa(api, name, &e);
	cJSON_Delete(ns);
	return 0;
}

static int ensure_namespace(struct api *api, const char *name, struct err *e)
{
	cJSON *ns = typed("v1", "Namespace", NULL, name);
	char *key = store_key("", "namespaces", NULL, name);
	char *lbl = xasprintf("metadata.labels.kubernetes\\.io/metadata\\.name");
	int rc;

	json_set_str(ns, lbl, name);
	json_set(ns, "spec.finalizers", cJSON_CreateStringArray((const char *[]){ "kubernetes" }, 1));
	json_set_str(ns, "status.phase", "Active");
	rc = ensure(api, key, ns, e);
	free(key);
	free(lbl);
	return rc < 0 ? -1 : api_ensure_default_sa(api, name, e);
}

static cJSON *kubernetes_service(struct api *api)
{
	cJSON *s = typed("v1", "Service", "default", "kubernetes"), *p = cJSON_CreateObject();

	json_set_str(s, "metadata.labels.component", "apiserver");
	json_set_str(s, "metadata.labels.provider", "kubernetes");
	json_set_str(s, "spec.type", "ClusterIP");
	json_set_str(s, "spec.clusterIP", api->cluster_ip_first);
	json_set(s, "spec.clusterIPs", cJSON_CreateStringArray((const char *[]){ api->cluster_ip_first }, 1));
	json_set_str(s, "spec.sessionAffinity", "None");
	json_set(s, "spec.ipFamilies", cJSON_CreateStringArray((const char *[]){ "IPv4" }, 1));
	json_set_str(s, "spec.ipFamilyPolicy", "SingleStack");
	json_set_str(s, "spec.internalTrafficPolicy", "Cluster");
	cJSON_AddStringToObject(p, "name", "https");
	cJSON_AddNumberToObject(p, "port", 443);
	cJSON_AddStringToObject(p, "protocol", "TCP");
	cJSON_AddNumberToObject(p, "targetPort", api->advertise_port);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(json_get(s, "spec"), "ports"), p);
	json_set(s, "status.loadBalancer", cJSON_CreateObject());
	return s;
}

static cJSON *kubernetes_endpoints(struct api *api)
{
	cJSON *ep = typed("v1", "Endpoints", "default", "kubernetes");
	cJSON *sub = cJSON_CreateObject(), *addr = cJSON_CreateObject(), *port = cJSON_CreateObject();

	json_set_str(ep, "metadata.labels.endpointslice\\.kubernetes\\.io/skip-mirror", "true");
	cJSON_AddStringToObject(addr, "ip", api->advertise_host);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(sub, "addresses"), addr);
	cJSON_AddStringToObject(port, "name", "https");
	cJSON_AddNumberToObject(port, "port", api->advertise_port);
	cJSON_AddStringToObject(port, "protocol", "TCP");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(sub, "ports"), port);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ep, "subsets"), sub);
	return ep;
}

static cJSON *kubernetes_slice(struct api *api)
{
	cJSON *s = typed("discovery.k8s.io/v1", "EndpointSlice", "default", "kubernetes");
	cJSON *ep = cJSON_CreateObject(), *port = cJSON_CreateObject();

	json_set_str(s, "metadata.labels.kubernetes\\.io/service-name", "kubernetes");
	json_set_str(s, "metadata.labels.endpointslice\\.kubernetes\\.io/managed-by", "endpointslice-controller.k8s.io");
	cJSON_AddStringToObject(s, "addressType", "IPv4");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(ep, "addresses"),
			     cJSON_CreateString(api->advertise_host));
	json_set(ep, "conditions.ready", cJSON_CreateTrue());
	cJSON_AddItemToArray(cJSON_AddArrayToObject(s, "endpoints"), ep);
	cJSON_AddStringToObject(port, "name", "https");
	cJSON_AddNumberToObject(port, "port", api->advertise_port);
	cJSON_AddStringToObject(port, "protocol", "TCP");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(s, "ports"), port);
	return s;
}

int api_bootstrap(struct api *api, struct err *e)
{
	static const char *const nss[] = { "default", "kube-system",
					   "kube-public", "kube-node-lease", NULL };
	char *k1 = store_key("", "services", "default", "kubernetes");
	char *k2 = store_key("", "endpoints", "default", "kubernetes");
	char *k3 = store_key("discovery.k8s.io", "endpointslices", "default", "kubernetes");
	int rc = 0;

	for (size_t i = 0; nss[i] && rc == 0; i++)
		rc = ensure_namespace(api, nss[i], e);
	if (rc == 0)
		rc = ensure(api, k1, kubernetes_service(api), e);
	if (rc == 0)
		rc = ensure(api, k2, kubernetes_endpoints(api), e);
	if (rc == 0)
		rc = ensure(api, k3, kubernetes_slice(api), e);
	for (size_t i = 0; rc == 0; i++) {	/* built-in PriorityClasses */
		char *kp = NULL;
		cJSON *pc = sched_prio_builtin(i, &kp);

		if (!pc)
			break;
		rc = ensure(api, kp, pc, e);
		free(kp);
	}
	if (rc == 0) {	/* namespaces of an older data directory */
		char *prefix = store_key("", "namespaces", NULL, "");

		rc = store_list(api->st, prefix, NULL, each_ns, api, NULL, e);
		free(prefix);
	}
	free(k1);
	free(k2);
	free(k3);
	return rc;
}
