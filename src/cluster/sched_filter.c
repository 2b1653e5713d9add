/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_filter: the node-local filters of kube-scheduler's default
 * profile, in its order: NodeUnschedulable, NodeName, TaintToleration,
 * NodeAffinity (nodeSelector and required terms, matchExpressions and
 * the matchFields metadata.name DaemonSet pods carry), NodePorts and
 * NodeResourcesFit (pods, cpu, memory: every shortfall is a reason).
 * The first failing plugin decides a node's status, with the plugin's
 * reason text and code (Unschedulable, or UnschedulableAndUnresolvable
 * when removing pods cannot help, which preemption reads).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/sched_int.h"
#include "common/json.h"

static void reject(struct sched_status *st, enum sched_code code,
		   const char *why)
{
	if (st->code == SCHED_OK || st->code == code) {
		st->code = code;
		if (st->nr < SCHED_MAX_REASONS)
			st->reasons[st->nr++] = why;
	}
}

bool sched_tolerates(const cJSON *pod, const cJSON *taint)
{
	const cJSON *t;
	const char *key = json_get_str(taint, "key");
	const char *eff = json_get_str(taint, "effect");

	cJSON_ArrayForEach(t, json_get(pod, "spec.tolerations")) {
		const char *tk = json_get_str(t, "key");
		const char *te = json_get_str(t, "effect");
		const char *op = json_get_str(t, "operator");
		const char *tv = json_get_str(t, "value");

		if (tk && *tk && (!key || strcmp(tk, key)))
			continue;
		if (te && *te && (!eff || strcmp(te, eff)))
			continue;
		if (op && !strcmp(op, "Exists"))
			return true;
		if (!tk || !*tk)
			continue;
		if (!strcmp(tv ? tv : "", json_get_str(taint, "value") ?: ""))
			return true;
	}
	return false;
}

static bool selector_ok(const cJSON *sel, const cJSON *labels)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, sel) {
		const cJSON *l = json_obj(labels, kv->string);

		if (!cJSON_IsString(l) || !cJSON_IsString(kv) ||
		    strcmp(l->valuestring, kv->valuestring))
			return false;
	}
	return true;
}

/* One matchExpressions/matchFields requirement against a value (or NULL). */
static bool requirement_ok(const cJSON *req, const char *have)
{
	const char *op = json_get_str(req, "operator") ?: "";
	const cJSON *v;
	bool in = false;

	cJSON_ArrayForEach(v, json_get(req, "values"))
		if (have && cJSON_IsString(v) && !strcmp(v->valuestring, have))
			in = true;
	if (!strcmp(op, "In"))
		return in;
	if (!strcmp(op, "NotIn"))
		return !in;
	if (!strcmp(op, "Exists"))
		return have != NULL;
	if (!strcmp(op, "DoesNotExist"))
		return have == NULL;
	v = cJSON_GetArrayItem(json_get(req, "values"), 0);
	if (!have || !cJSON_IsString(v))
		return false;
	if (!strcmp(op, "Gt"))
		return strtoll(have, NULL, 10) > strtoll(v->valuestring, NULL, 10);
	if (!strcmp(op, "Lt"))
		return strtoll(have, NULL, 10) < strtoll(v->valuestring, NULL, 10);
	return false;
}

static bool term_ok(const cJSON *term, const cJSON *node)
{
	const cJSON *r;
	bool any = false;

	cJSON_ArrayForEach(r, json_get(term, "matchExpressions")) {
		const cJSON *l = json_obj(json_get(node, "metadata.labels"),
					  json_get_str(r, "key") ?: "");

		any = true;
		if (!requirement_ok(r, cJSON_IsString(l) ? l->valuestring : NULL))
			return false;
	}
	cJSON_ArrayForEach(r, json_get(term, "matchFields")) {
		any = true;
		if (strcmp(json_get_str(r, "key") ?: "", "metadata.name") ||
		    !requirement_ok(r, json_get_str(node, "metadata.name")))
			return false;
	}
	return any;
}

static bool terms_ok(const cJSON *terms, const cJSON *node)
{
	const cJSON *t;

	if (!cJSON_IsArray(terms))
		return true;
	cJSON_ArrayForEach(t, terms)
		if (term_ok(t, node))
			return true;
	return false;
}

bool sched_affinity_ok(const cJSON *pod, const cJSON *node)
{
	return terms_ok(json_get(pod,
		"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"),
		node);
}

bool sched_node_selected(const struct sched_pod *p, const struct sched_node *n)
{
	return (!p->node_sel || selector_ok(p->node_sel, n->labels)) &&
	       (!p->node_terms || terms_ok(p->node_terms, n->node));
}

int64_t sched_node_preference(const struct sched_pod *p,
			      const struct sched_node *n)
{
	const cJSON *t;
	int64_t sum = 0, w;

	cJSON_ArrayForEach(t, p->node_prefs)
		if (term_ok(json_get(t, "preference"), n->node) &&
		    json_get_int(t, "weight", &w) == 0)
			sum += w;
	return sum;
}

/* The first NoSchedule/NoExecute taint pod does not tolerate, or NULL. */
static const cJSON *untolerated(const struct sched_pod *p,
				const struct sched_node *n)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, n->taints) {
		const char *eff = json_get_str(t, "effect");

		if (eff && strcmp(eff, "PreferNoSchedule") && !sched_tolerates(p->pod, t))
			return t;
	}
	return NULL;
}

bool sched_taints_ok(const struct sched_pod *p, const struct sched_node *n)
{
	return untolerated(p, n) == NULL;
}

/* The taint a cordoned node stands for (NodeUnschedulable plugin). */
static cJSON *unsched;

static void make_unsched_taint(void)
{
	unsched = cJSON_CreateObject();
	json_set_str(unsched, "key", "node.kubernetes.io/unschedulable");
	json_set_str(unsched, "effect", "NoSchedule");
}

static const cJSON *unsched_taint(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, make_unsched_taint);
	return unsched;
}

void sched_filter_node(struct sched_state *s, const struct sched_pod *p,
		       const struct sched_node *n, struct sched_status *st)
{
	const char *want = p->want_node;
	const cJSON *t;
	char why[512];

	if (n->unschedulable &&
	    !sched_tolerates(p->pod, unsched_taint())) {
		reject(st, SCHED_UNRESOLVABLE, "node(s) were unschedulable");
	} else if (want && *want && strcmp(want, n->name)) {
		reject(st, SCHED_UNRESOLVABLE,
		       "node(s) didn't match the requested node name");
	} else if ((t = untolerated(p, n))) {
		snprintf(why, sizeof(why), "node(s) had untolerated taint {%s: %s}",
			 json_get_str(t, "key") ?: "", json_get_str(t, "value") ?: "");
		reject(st, SCHED_UNRESOLVABLE, sched_text(s, why));
	} else if (!sched_node_selected(p, n)) {
		reject(st, SCHED_UNRESOLVABLE,
		       "node(s) didn't match Pod's node affinity/selector");
	}
}

/* Two host port claims collide (same port and protocol, IPs overlap). */
static bool port_clash(const struct sched_port *a, const struct sched_port *b)
{
	return a->port == b->port && !strcmp(a->proto, b->proto) &&
	       (!a->ip[0] || !b->ip[0] || !strcmp(a->ip, b->ip));
}

static bool ports_free(const struct sched_pod *p, const struct sched_node *n)
{
	for (size_t i = 0; i < p->nports; i++)
		for (size_t j = 0; j < n->npods_on; j++) {
			const struct sched_pod *o = n->pods_on[j];

			for (size_t k = 0; k < o->nports; k++)
				if (port_clash(&p->ports[i], &o->ports[k]))
					return false;
		}
	return true;
}

void sched_filter_fit(struct sched_state *s, const struct sched_pod *p,
		      const struct sched_node *n, struct sched_status *st)
{
	(void)s;
	if (p->nports && !ports_free(p, n)) {
		reject(st, SCHED_UNSCHED,
		       "node(s) didn't have free ports for the requested pod ports");
		return;
	}
	if (n->pods + 1 > n->pods_cap)
		reject(st, SCHED_UNSCHED, "Too many pods");
	if (p->cpu > 0 && n->cpu + p->cpu > n->cpu_cap)
		reject(st, SCHED_UNSCHED, "Insufficient cpu");
	if (p->mem > 0 && n->mem + p->mem > n->mem_cap)
		reject(st, SCHED_UNSCHED, "Insufficient memory");
}
