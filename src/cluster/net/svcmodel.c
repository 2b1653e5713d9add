/* SPDX-License-Identifier: Apache-2.0 */
/*
 * svcmodel: Services and their ready addresses, joined the way kube-proxy
 * joins them: an EndpointSlice belongs to the Service named by its
 * kubernetes.io/service-name label in the same namespace, and a Service
 * port is served by the slice port of the same name and protocol.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "cluster/net/svcmodel.h"
#include "common/json.h"
#include "common/mem.h"

#define SLICE_SVC_LABEL "metadata.labels.kubernetes\\.io/service-name"

static bool ipv4(const char *s)
{
	struct in_addr a;

	return s && inet_pton(AF_INET, s, &a) == 1;
}

static const char *str_or(const cJSON *o, const char *path, const char *def)
{
	const char *s = json_get_str(o, path);

	return s ? s : def;
}

static void read_ports(struct svc_entry *s, const cJSON *svc)
{
	const cJSON *ports = json_get(svc, "spec.ports"), *p;
	size_t n = (size_t)cJSON_GetArraySize(ports), i = 0;

	s->ports = xcalloc(n ? n : 1, sizeof(*s->ports));
	cJSON_ArrayForEach(p, ports) {
		int64_t port = 0, np = 0;

		if (json_get_int(p, "port", &port) < 0 || port <= 0 ||
		    port > 65535)
			continue;
		json_get_int(p, "nodePort", &np);
		s->ports[i].name = xstrdup(str_or(p, "name", ""));
		s->ports[i].proto = xstrdup(str_or(p, "protocol", "TCP"));
		s->ports[i].port = (int)port;
		s->ports[i].node_port = np > 0 && np <= 65535 ? (int)np : 0;
		i++;
	}
	s->nports = i;
}

static void add_ext_ip(struct svc_entry *s, const char *ip)
{
	if (!ipv4(ip))
		return;
	for (size_t i = 0; i < s->next_ips; i++)
		if (!strcmp(s->ext_ips[i], ip))
			return;
	s->ext_ips = xrealloc(s->ext_ips,
			      (s->next_ips + 1) * sizeof(*s->ext_ips));
	s->ext_ips[s->next_ips++] = xstrdup(ip);
}

/* External and load-balancer addresses, and ClientIP affinity. */
static void read_extras(struct svc_entry *s, const cJSON *svc)
{
	const cJSON *i;
	int64_t t = SVC_AFFINITY_DEFAULT_S;

	cJSON_ArrayForEach(i, json_get(svc, "spec.externalIPs"))
		add_ext_ip(s, cJSON_GetStringValue(i));
	cJSON_ArrayForEach(i, json_get(svc, "status.loadBalancer.ingress"))
		add_ext_ip(s, json_get_str(i, "ip"));
	if (strcmp(str_or(svc, "spec.sessionAffinity", "None"), "ClientIP"))
		return;
	json_get_int(svc, "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
		     &t);
	s->affinity_s = t > 0 && t <= 86400 ? (int)t : SVC_AFFINITY_DEFAULT_S;
}

static struct svc_entry *entry_new(const cJSON *svc)
{
	const char *ns = json_get_str(svc, "metadata.namespace");
	const char *name = json_get_str(svc, "metadata.name");
	const char *type = str_or(svc, "spec.type", "ClusterIP");
	const char *ip = json_get_str(svc, "spec.clusterIP");
	struct svc_entry *s;

	if (!ns || !name || !*ns || !*name)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->ns = xstrdup(ns);
	s->name = xstrdup(name);
	s->key = xasprintf("%s.%s", name, ns);
	s->type = xstrdup(type);
	if (!strcmp(type, "ExternalName"))
		s->external_name =
		    xstrdup(str_or(svc, "spec.externalName", ""));
	else if (ipv4(ip))
		s->cluster_ip = xstrdup(ip);
	read_ports(s, svc);
	if (s->cluster_ip)
		read_extras(s, svc);
	return s;
}

static void entry_free(struct svc_entry *s)
{
	for (size_t i = 0; i < s->nports; i++) {
		free(s->ports[i].name);
		free(s->ports[i].proto);
	}
	for (size_t i = 0; i < s->neps; i++) {
		free(s->eps[i].ip);
		free(s->eps[i].hostname);
		free(s->eps[i].target);
	}
	for (size_t i = 0; i < s->next_ips; i++)
		free(s->ext_ips[i]);
	free(s->ext_ips);
	free(s->ports);
	free(s->eps);
	free(s->key);
	free(s->ns);
	free(s->name);
	free(s->type);
	free(s->cluster_ip);
	free(s->external_name);
	free(s);
}

/* The slice's port for Service port sp, or 0. */
static int slice_port(const cJSON *slice, const struct svc_port *sp)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, json_get(slice, "ports")) {
		int64_t n = 0;

		if (strcmp(str_or(p, "name", ""), sp->name) ||
		    strcmp(str_or(p, "protocol", "TCP"), sp->proto))
			continue;
		if (json_get_int(p, "port", &n) == 0 && n > 0 && n <= 65535)
			return (int)n;
	}
	return 0;
}

static void add_endpoint(struct svc_entry *s, const cJSON *slice,
			 const cJSON *ep, const char *ip)
{
	struct svc_ep *e;

	s->eps = xrealloc(s->eps, (s->neps + 1) * sizeof(*s->eps));
	e = &s->eps[s->neps++];
	memset(e, 0, sizeof(*e));
	e->ip = xstrdup(ip);
	if (json_get_str(ep, "hostname"))
		e->hostname = xstrdup(json_get_str(ep, "hostname"));
	/* an absent ready condition means ready (discovery/v1 contract) */
	e->ready = json_get_bool(ep, "conditions.ready", true);
	e->target = xcalloc(s->nports ? s->nports : 1, sizeof(int));
	for (size_t i = 0; i < s->nports; i++)
		e->target[i] = slice_port(slice, &s->ports[i]);
}

static void add_slice(struct svc_model *m, const cJSON *slice)
{
	const char *ns = json_get_str(slice, "metadata.namespace");
	const char *svc = json_get_str(slice, SLICE_SVC_LABEL);
	const char *family = str_or(slice, "addressType", "IPv4");
	struct svc_entry *s;
	const cJSON *ep, *ip;
	char *key;

	if (!ns || !svc || strcmp(family, "IPv4"))
		return;
	key = xasprintf("%s.%s", svc, ns);
	HASH_FIND_STR(m->by_key, key, s);
	free(key);
	if (!s)
		return;
	cJSON_ArrayForEach(ep, json_get(slice, "endpoints"))
		cJSON_ArrayForEach(ip, json_get(ep, "addresses"))
			if (cJSON_IsString(ip) && ipv4(ip->valuestring))
				add_endpoint(s, slice, ep, ip->valuestring);
}

static int by_ns_name(const void *a, const void *b)
{
	const struct svc_entry *x = *(struct svc_entry *const *)a;
	const struct svc_entry *y = *(struct svc_entry *const *)b;
	int c = strcmp(x->ns, y->ns);

	return c ? c : strcmp(x->name, y->name);
}

struct svc_model *svc_model_build(const cJSON *services, const cJSON *slices)
{
	struct svc_model *m = xcalloc(1, sizeof(*m));
	struct svc_entry *s, *tmp;
	const cJSON *o;
	size_t i = 0;

	m->refs = 1;
	cJSON_ArrayForEach(o, services) {
		struct svc_entry *old;

		if (!(s = entry_new(o)))
			continue;
		HASH_FIND_STR(m->by_key, s->key, old);
		if (old) {	/* a list never repeats a key; be safe */
			entry_free(s);
			continue;
		}
		HASH_ADD_KEYPTR(hh, m->by_key, s->key, strlen(s->key), s);
	}
	cJSON_ArrayForEach(o, slices)
		add_slice(m, o);
	m->n = HASH_COUNT(m->by_key);
	m->sorted = xcalloc(m->n ? m->n : 1, sizeof(*m->sorted));
	HASH_ITER(hh, m->by_key, s, tmp)
		m->sorted[i++] = s;
	qsort(m->sorted, m->n, sizeof(*m->sorted), by_ns_name);
	return m;
}

struct svc_model *svc_model_ref(struct svc_model *m)
{
	if (m)
		__atomic_add_fetch(&m->refs, 1, __ATOMIC_RELAXED);
	return m;
}

void svc_model_unref(struct svc_model *m)
{
	struct svc_entry *s, *tmp;

	if (!m || __atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	HASH_ITER(hh, m->by_key, s, tmp) {
		HASH_DEL(m->by_key, s);
		entry_free(s);
	}
	free(m->sorted);
	free(m);
}

const struct svc_entry *svc_model_find(const struct svc_model *m,
				       const char *ns, const char *name)
{
	struct svc_entry *s;
	char *key;

	if (!m)
		return NULL;
	key = xasprintf("%s.%s", name, ns);
	HASH_FIND_STR(m->by_key, key, s);
	free(key);
	return s;
}

int svc_entry_port(const struct svc_entry *s, const char *name,
		   const char *proto)
{
	for (size_t i = 0; i < s->nports; i++)
		if (!strcmp(s->ports[i].name, name ? name : "") &&
		    (!proto || !strcasecmp(s->ports[i].proto, proto)))
			return (int)i;
	return -1;
}
