/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_state: the per-pass snapshot of the scheduler.  Pods are parsed
 * once (requests, host ports, priority) and bound ones accounted on their
 * nodes; the pod-to-pod indexes (sched_podrules.c) follow every
 * sched_assume/sched_forget so a burst within one pass sees its own
 * placements.  Reason texts are interned so statuses can point at them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/sched_int.h"
#include "cluster/sched_podrules.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "common/quantity.h"

#define NZ_CPU 100				/* milli-cpu */
#define NZ_MEM (200LL * 1024 * 1024)		/* bytes */

struct sched_intern {
	char *text;
	UT_hash_handle hh;
};

static int64_t qty(const char *s, bool milli)
{
	struct quantity q;
	struct err e;

	if (!s || quantity_parse(s, &q, &e) < 0)
		return 0;
	return milli ? quantity_milli_value(&q) : quantity_value(&q);
}

/* Requests as the scheduler sees them: max(sum(containers), init). */
static void pod_requests(struct sched_pod *p)
{
	const cJSON *ct;

	cJSON_ArrayForEach(ct, json_get(p->pod, "spec.containers")) {
		int64_t c = qty(json_get_str(ct, "resources.requests.cpu"), true);
		int64_t m = qty(json_get_str(ct, "resources.requests.memory"), false);

		p->cpu += c;
		p->mem += m;
		p->cpu_nz += c ? c : NZ_CPU;
		p->mem_nz += m ? m : NZ_MEM;
	}
	cJSON_ArrayForEach(ct, json_get(p->pod, "spec.initContainers")) {
		int64_t c = qty(json_get_str(ct, "resources.requests.cpu"), true);
		int64_t m = qty(json_get_str(ct, "resources.requests.memory"), false);

		if (c > p->cpu)
			p->cpu = c;
		if (m > p->mem)
			p->mem = m;
	}
}

static void pod_ports(struct sched_pod *p)
{
	const cJSON *ct, *pt;

	cJSON_ArrayForEach(ct, json_get(p->pod, "spec.containers"))
		cJSON_ArrayForEach(pt, json_get(ct, "ports")) {
			int64_t hp = 0;
			struct sched_port *x;

			if (json_get_int(pt, "hostPort", &hp) < 0 || hp <= 0)
				continue;
			p->ports = xrealloc(p->ports, (p->nports + 1) * sizeof(*x));
			x = &p->ports[p->nports++];
			x->port = (int)hp;
			snprintf(x->proto, sizeof(x->proto), "%s",
				 json_get_str(pt, "protocol") ?: "TCP");
			snprintf(x->ip, sizeof(x->ip), "%s",
				 json_get_str(pt, "hostIP") ?: "");
			if (!strcmp(x->ip, "0.0.0.0"))
				x->ip[0] = '\0';
		}
}

static void pod_init(struct sched_pod *p, const cJSON *pod)
{
	const char *pp = json_get_str(pod, "spec.preemptionPolicy");
	const char *ts = json_get_str(pod, "metadata.creationTimestamp");
	struct ktime t;
	struct err e;

	memset(p, 0, sizeof(*p));
	p->pod = pod;
	p->node = -1;
	p->ns = json_get_str(pod, "metadata.namespace") ?: "default";
	p->name = json_get_str(pod, "metadata.name") ?: "";
	p->uid = json_get_str(pod, "metadata.uid") ?: "";
	p->labels = json_get(pod, "metadata.labels");
	json_get_int(pod, "spec.priority", &p->prio);
	p->never = pp && !strcmp(pp, "Never");
	p->terminating = json_get(pod, "metadata.deletionTimestamp") != NULL;
	p->want_node = json_get_str(pod, "spec.nodeName");
	p->node_sel = json_get(pod, "spec.nodeSelector");
	p->node_terms = json_get(pod, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
	p->node_prefs = json_get(pod, "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution");
	p->tolerations = json_get(pod, "spec.tolerations");
	p->anti = json_get(pod, "spec.affinity.podAntiAffinity") != NULL ||
		  json_get(pod, "spec.affinity.podAffinity") != NULL;
	if (ts && ktime_parse(ts, &t, &e) == 0)
		p->created = t.sec;
	pod_requests(p);
	pod_ports(p);
}

static void node_init(struct sched_node *n, const cJSON *node)
{
	memset(n, 0, sizeof(*n));
	n->node = node;
	n->name = json_get_str(node, "metadata.name") ?: "";
	n->labels = json_get(node, "metadata.labels");
	n->taints = json_get(node, "spec.taints");
	if (!cJSON_GetArraySize(n->taints))
		n->taints = NULL;
	n->unschedulable = json_get_bool(node, "spec.unschedulable", false);
	n->cpu_cap = qty(json_get_str(node, "status.allocatable.cpu"), true);
	n->mem_cap = qty(json_get_str(node, "status.allocatable.memory"), false);
	n->pods_cap = qty(json_get_str(node, "status.allocatable.pods"), false);
}

struct sched_name {
	const char *name;
	size_t i;
	UT_hash_handle hh;
};

int sched_node_index(const struct sched_state *s, const char *name)
{
	struct sched_name *ni;

	if (!name)
		return -1;
	HASH_FIND_STR(s->names, name, ni);
	return ni ? (int)ni->i : -1;
}

static bool pod_counts(const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase");

	return !ph || (strcmp(ph, "Succeeded") && strcmp(ph, "Failed"));
}

struct sched_state *sched_state_new(const cJSON *pods, const cJSON *nodes,
				    const cJSON *namespaces, uint64_t seed)
{
	struct sched_state *s = xcalloc(1, sizeof(*s));
	struct sched_name *ni;
	const cJSON *x;
	size_t i = 0;

	s->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
	s->namespaces = namespaces;
	s->nnodes = (size_t)cJSON_GetArraySize(nodes);
	s->nodes = xcalloc(s->nnodes + 1, sizeof(*s->nodes));
	s->status = xcalloc(s->nnodes + 1, sizeof(*s->status));
	s->feasible = xcalloc(s->nnodes + 1, sizeof(*s->feasible));
	s->scores = xcalloc(8 * (s->nnodes + 1), sizeof(*s->scores));
	cJSON_ArrayForEach(x, nodes) {
		node_init(&s->nodes[i], x);
		ni = xcalloc(1, sizeof(*ni));
		ni->name = s->nodes[i].name;
		ni->i = i++;
		HASH_ADD_KEYPTR(hh, s->names, ni->name, strlen(ni->name), ni);
	}
	s->npods = (size_t)cJSON_GetArraySize(pods);
	s->pods = xcalloc(s->npods + 1, sizeof(*s->pods));
	i = 0;
	cJSON_ArrayForEach(x, pods) {
		const char *nn = json_get_str(x, "spec.nodeName");

		pod_init(&s->pods[i], x);
		if (nn && *nn && pod_counts(x))
			sched_assume(s, &s->pods[i], sched_node_index(s, nn));
		i++;
	}
	return s;
}

void sched_state_free(struct sched_state *s)
{
	struct sched_intern *t, *tmp;
	struct sched_name *ni, *ntmp;

	if (!s)
		return;
	sched_index_free(s);
	HASH_ITER(hh, s->names, ni, ntmp) {
		HASH_DEL(s->names, ni);
		free(ni);
	}
	HASH_ITER(hh, s->texts, t, tmp) {
		HASH_DEL(s->texts, t);
		free(t->text);
		free(t);
	}
	for (size_t i = 0; i < s->nnodes; i++)
		free(s->nodes[i].pods_on);
	for (size_t i = 0; i < s->npods; i++)
		free(s->pods[i].ports);
	free(s->nodes);
	free(s->status);
	free(s->feasible);
	free(s->scores);
	free(s->pods);
	free(s);
}

static void usage_add(struct sched_node *n, const struct sched_pod *p, int d)
{
	n->cpu += d * p->cpu;
	n->mem += d * p->mem;
	n->cpu_nz += d * p->cpu_nz;
	n->mem_nz += d * p->mem_nz;
	n->pods += d;
}

void sched_assume(struct sched_state *s, struct sched_pod *p, int node)
{
	struct sched_node *n;

	if (node < 0 || (size_t)node >= s->nnodes || p->node >= 0)
		return;
	n = &s->nodes[node];
	if (n->npods_on == n->pods_alloc) {
		n->pods_alloc = n->pods_alloc ? 2 * n->pods_alloc : 8;
		n->pods_on = xrealloc(n->pods_on, n->pods_alloc * sizeof(*n->pods_on));
	}
	n->pods_on[n->npods_on++] = p;
	p->node = node;
	usage_add(n, p, 1);
	sched_index_add(s, p, (size_t)node, 1);
}

void sched_forget(struct sched_state *s, struct sched_pod *p)
{
	struct sched_node *n;

	if (p->node < 0)
		return;
	n = &s->nodes[p->node];
	for (size_t i = 0; i < n->npods_on; i++)
		if (n->pods_on[i] == p) {
			memmove(&n->pods_on[i], &n->pods_on[i + 1],
				(n->npods_on - i - 1) * sizeof(*n->pods_on));
			n->npods_on--;
			break;
		}
	usage_add(n, p, -1);
	sched_index_add(s, p, (size_t)p->node, -1);
	p->node = -1;
}

struct sched_pod *sched_pod_by_uid(struct sched_state *s, const char *uid)
{
	for (size_t i = 0; i < s->npods; i++)
		if (!strcmp(s->pods[i].uid, uid))
			return &s->pods[i];
	return NULL;
}

const char *sched_text(struct sched_state *s, const char *text)
{
	struct sched_intern *t;

	HASH_FIND_STR(s->texts, text, t);
	if (t)
		return t->text;
	t = xcalloc(1, sizeof(*t));
	t->text = xstrdup(text);
	HASH_ADD_KEYPTR(hh, s->texts, t->text, strlen(t->text), t);
	return t->text;
}
