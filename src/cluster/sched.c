/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched: the default scheduler, one pass over all pending pods.
 *
 * For each pod with no spec.nodeName and schedulerName default-scheduler
 * (or none), every node is filtered (spec.nodeName, unschedulable,
 * nodeSelector, NoSchedule/NoExecute taints vs tolerations, cpu/memory
 * requests vs allocatable minus what the node's pods request, pod count)
 * and the fitting node with the lowest requested cpu share wins (spreads
 * load).  Node usage is accounted within the pass so a burst spreads too.
 * A pod that fits nowhere gets PodScheduled=False/Unschedulable with the
 * Kubernetes message ("0/1 nodes are available: 1 Insufficient cpu.")
 * and a FailedScheduling Event; every pass retries it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "common/quantity.h"

enum why { W_CPU, W_MEM, W_PODS, W_UNSCHED, W_SELECTOR, W_TAINT,
	   W_NAME, W_COUNT };

static const char *const why_text[W_COUNT] = {
	"Insufficient cpu", "Insufficient memory", "Too many pods",
	"node(s) were unschedulable",
	"node(s) didn't match Pod's node affinity/selector",
	"node(s) had untolerated taint", "node(s) didn't match the requested node name",
};

struct node_use {
	const cJSON *node;
	const char *name;
	int64_t cpu_cap, mem_cap, pods_cap;	/* milli-cpu, bytes, count */
	int64_t cpu, mem, pods;			/* requested so far */
};

static int64_t qty_milli(const char *s, bool milli)
{
	struct quantity q;
	struct err e;

	if (!s || quantity_parse(s, &q, &e) < 0)
		return 0;
	return milli ? quantity_milli_value(&q) : quantity_value(&q);
}

/* Sum of the containers' requests (milli-cpu, memory bytes). */
static void pod_requests(const cJSON *pod, int64_t *cpu, int64_t *mem)
{
	const cJSON *ct;

	*cpu = *mem = 0;
	cJSON_ArrayForEach(ct, json_get(pod, "spec.containers")) {
		*cpu += qty_milli(json_get_str(ct, "resources.requests.cpu"), true);
		*mem += qty_milli(json_get_str(ct, "resources.requests.memory"), false);
	}
}

static bool pod_pending(const cJSON *pod)
{
	const char *sn = json_get_str(pod, "spec.schedulerName");
	const char *nn = json_get_str(pod, "spec.nodeName");

	return (!nn || !*nn) && (!sn || !strcmp(sn, "default-scheduler")) &&
	       !json_get(pod, "metadata.deletionTimestamp");
}

static bool tolerated(const cJSON *pod, const cJSON *taint)
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

static bool selector_ok(const cJSON *pod, const cJSON *node)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, json_get(pod, "spec.nodeSelector")) {
		const cJSON *l = json_obj(json_get(node, "metadata.labels"),
					  kv->string);

		if (!cJSON_IsString(l) || !cJSON_IsString(kv) ||
		    strcmp(l->valuestring, kv->valuestring))
			return false;
	}
	return true;
}

/* Why the pod does not fit on u, or W_COUNT if it does. */
static enum why fits(const cJSON *pod, const struct node_use *u,
		     int64_t cpu, int64_t mem)
{
	const cJSON *t;
	const char *want = json_get_str(pod, "spec.nodeName");

	if (want && *want && strcmp(want, u->name))
		return W_NAME;
	if (json_get_bool(u->node, "spec.unschedulable", false))
		return W_UNSCHED;
	if (!selector_ok(pod, u->node))
		return W_SELECTOR;
	cJSON_ArrayForEach(t, json_get(u->node, "spec.taints")) {
		const char *eff = json_get_str(t, "effect");

		if (eff && strcmp(eff, "PreferNoSchedule") && !tolerated(pod, t))
			return W_TAINT;
	}
	if (u->cpu + cpu > u->cpu_cap)
		return W_CPU;
	if (u->mem + mem > u->mem_cap)
		return W_MEM;
	if (u->pods + 1 > u->pods_cap)
		return W_PODS;
	return W_COUNT;
}

static void node_use_init(struct node_use *u, const cJSON *node)
{
	memset(u, 0, sizeof(*u));
	u->node = node;
	u->name = json_get_str(node, "metadata.name");
	u->cpu_cap = qty_milli(json_get_str(node, "status.allocatable.cpu"), true);
	u->mem_cap = qty_milli(json_get_str(node, "status.allocatable.memory"), false);
	u->pods_cap = qty_milli(json_get_str(node, "status.allocatable.pods"), false);
}

/* Usage per node from the pods already bound (and not finished). */
static struct node_use *usage(const cJSON *pods, const cJSON *nodes,
			      size_t *n)
{
	size_t cnt = (size_t)cJSON_GetArraySize(nodes), i = 0;
	struct node_use *u = xcalloc(cnt + 1, sizeof(*u));
	const cJSON *x;

	cJSON_ArrayForEach(x, nodes)
		node_use_init(&u[i++], x);
	cJSON_ArrayForEach(x, pods) {
		const char *nn = json_get_str(x, "spec.nodeName");
		const char *ph = json_get_str(x, "status.phase");
		int64_t cpu, mem;

		if (!nn || (ph && (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed"))))
			continue;
		pod_requests(x, &cpu, &mem);
		for (i = 0; i < cnt; i++)
			if (u[i].name && !strcmp(u[i].name, nn)) {
				u[i].cpu += cpu;
				u[i].mem += mem;
				u[i].pods++;
			}
	}
	*n = cnt;
	return u;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "0/N nodes are available: 1 Insufficient cpu, 2 ... ." */
static char *unsched_message(size_t n, const int count[W_COUNT])
{
	char *parts[W_COUNT], *msg;
	size_t np = 0;
	struct buf b;

	for (int w = 0; w < W_COUNT; w++)
		if (count[w])
			parts[np++] = xasprintf("%d %s", count[w], why_text[w]);
	qsort(parts, np, sizeof(parts[0]), cmp_str);
	buf_init(&b);
	buf_printf(&b, "0/%zu nodes are available", n);
	for (size_t i = 0; i < np; i++) {
		buf_printf(&b, "%s%s", i ? ", " : ": ", parts[i]);
		free(parts[i]);
	}
	buf_adds(&b, ".");
	msg = buf_take(&b);
	return msg;
}

static void pod_path(const cJSON *pod, const char *sub, char *out, size_t n)
{
	snprintf(out, n, "/api/v1/namespaces/%s/pods/%s%s%s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"), sub ? "/" : "",
		 sub ? sub : "");
}

static void sched_event(struct ctrl *c, const cJSON *pod, const char *type,
			const char *reason, const char *msg)
{
	ctrl_event(c, "default-scheduler", CTRL_USER_SCHED, pod, type, reason,
		   reason[0] == 'S' ? "Binding" : "Scheduling", msg);
}

/* Record Unschedulable (once per distinct message). */
static void mark_unschedulable(struct ctrl *c, const cJSON *pod,
			       const char *msg)
{
	const cJSON *cd;
	cJSON *p, *cond, *conds;
	char now[KTIME_STR_MAX], path[320];
	struct ktime t = ktime_now();

	cJSON_ArrayForEach(cd, json_get(pod, "status.conditions")) {
		const char *m = json_get_str(cd, "message");

		if (!strcmp(json_get_str(cd, "type") ?: "", "PodScheduled") &&
		    m && !strcmp(m, msg))
			return;
	}
	ktime_format(&t, now);
	p = json_dup(pod);
	conds = cJSON_CreateArray();
	cond = cJSON_CreateObject();
	cJSON_AddStringToObject(cond, "type", "PodScheduled");
	cJSON_AddStringToObject(cond, "status", "False");
	cJSON_AddNullToObject(cond, "lastProbeTime");
	cJSON_AddStringToObject(cond, "lastTransitionTime", now);
	cJSON_AddStringToObject(cond, "reason", "Unschedulable");
	cJSON_AddStringToObject(cond, "message", msg);
	cJSON_AddItemToArray(conds, cond);
	json_set(p, "status.conditions", conds);
	pod_path(pod, "status", path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_SCHED, "PUT", path, p, NULL) == 200)
		sched_event(c, pod, "Warning", "FailedScheduling", msg);
	cJSON_Delete(p);
}

/* Bind through pods/<name>/binding.  Returns true when bound. */
static bool bind(struct ctrl *c, const cJSON *pod, const char *node)
{
	char path[320], msg[400];
	cJSON *b = cJSON_CreateObject();
	int st;

	json_set_str(b, "apiVersion", "v1");
	json_set_str(b, "kind", "Binding");
	json_set_str(b, "metadata.name", json_get_str(pod, "metadata.name"));
	json_set_str(b, "metadata.namespace", json_get_str(pod, "metadata.namespace"));
	json_set_str(b, "metadata.uid", json_get_str(pod, "metadata.uid"));
	json_set_str(b, "target.kind", "Node");
	json_set_str(b, "target.name", node);
	pod_path(pod, "binding", path, sizeof(path));
	st = ctrl_call(c, CTRL_USER_SCHED, "POST", path, b, NULL);
	cJSON_Delete(b);
	if (st != 200 && st != 201)
		return false;
	snprintf(msg, sizeof(msg), "Successfully assigned %s/%s to %s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"), node);
	sched_event(c, pod, "Normal", "Scheduled", msg);
	return true;
}

/* Schedule one pod against the usage table (updated on success). */
static void schedule_one(struct ctrl *c, const cJSON *pod,
			 struct node_use *u, size_t n)
{
	int count[W_COUNT] = { 0 };
	struct node_use *best = NULL;
	int64_t cpu, mem;
	char *msg;

	pod_requests(pod, &cpu, &mem);
	for (size_t i = 0; i < n; i++) {
		enum why w = fits(pod, &u[i], cpu, mem);

		if (w != W_COUNT) {
			count[w]++;
			continue;
		}
		/* least allocated: compare (cpu/cap + pods/podcap) shares */
		if (!best || (double)u[i].cpu / (double)(u[i].cpu_cap + 1) +
				     (double)u[i].pods / (double)(u[i].pods_cap + 1) <
				 (double)best->cpu / (double)(best->cpu_cap + 1) +
				     (double)best->pods / (double)(best->pods_cap + 1))
			best = &u[i];
	}
	if (best) {
		if (bind(c, pod, best->name)) {
			best->cpu += cpu;
			best->mem += mem;
			best->pods++;
		}
		return;
	}
	msg = unsched_message(n, count);
	mark_unschedulable(c, pod, msg);
	free(msg);
}

void sched_sync(struct ctrl *c, const cJSON *pods, const cJSON *nodes)
{
	struct node_use *u = NULL;
	size_t n = 0;
	const cJSON *pod;

	cJSON_ArrayForEach(pod, pods) {
		if (!pod_pending(pod))
			continue;
		if (!u)
			u = usage(pods, nodes, &n);
		schedule_one(c, pod, u, n);
	}
	free(u);
}
