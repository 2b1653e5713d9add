/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_ds: the DaemonSet controller, one level-triggered pass.
 *
 * A node should run the daemon pod when the template's nodeSelector and
 * required node affinity admit it and every NoSchedule/NoExecute taint
 * (NoExecute only, for a pod already there) is tolerated by the
 * template's tolerations plus the ones the real
 * controller adds to every daemon pod (not-ready, unreachable,
 * disk/memory/pid-pressure, unschedulable; network-unavailable for
 * hostNetwork).  Cordoned nodes are eligible.  Each pod is pinned to its
 * node by required node affinity matchFields metadata.name (the
 * scheduler binds it there), labelled with controller-revision-hash and
 * pod-template-generation.  Failed pods are replaced, pods on nodes that
 * should not run one and duplicates are deleted.  RollingUpdate deletes
 * pods of an old template while fewer than maxUnavailable are
 * unavailable; OnDelete leaves them.  Status is what `kubectl rollout
 * status ds/x` reads.
 *
 * RollingUpdate with maxSurge (maxUnavailable 0, admission enforces it):
 * on up to maxSurge nodes at a time a pod of the new template starts
 * next to the old one, which is deleted once the new one is available;
 * a node whose old pod is not available gets its new pod at once.  A pod
 * is available when Ready for spec.minReadySeconds (ctrl_pod_available),
 * which numberAvailable and the rollout follow.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"

#define D_COMPONENT "daemonset-controller"
#define HASH_PATH "metadata.labels.controller-revision-hash"

static const char *const default_tol[][2] = {
	{ "node.kubernetes.io/not-ready", "NoExecute" },
	{ "node.kubernetes.io/unreachable", "NoExecute" },
	{ "node.kubernetes.io/disk-pressure", "NoSchedule" },
	{ "node.kubernetes.io/memory-pressure", "NoSchedule" },
	{ "node.kubernetes.io/pid-pressure", "NoSchedule" },
	{ "node.kubernetes.io/unschedulable", "NoSchedule" },
	{ "node.kubernetes.io/network-unavailable", "NoSchedule" },	/* hostNetwork */
};
#define N_TOL (sizeof(default_tol) / sizeof(default_tol[0]))

struct node_slot {
	const cJSON *node;
	const char *name;
	bool should, keep;	/* run a pod / keep a running one */
	const cJSON *pods[8];	/* its daemon pods, active ones (borrowed) */
	size_t n;
};

/* A pod-shaped object from the template with the default tolerations. */
static cJSON *template_pod(const cJSON *ds)
{
	cJSON *p = cJSON_CreateObject(), *tols;
	bool hostnet = json_get_bool(ds, "spec.template.spec.hostNetwork", false);

	json_set(p, "metadata", json_dup(json_get(ds, "spec.template.metadata")));
	json_set(p, "spec", json_dup(json_get(ds, "spec.template.spec")));
	if (!cJSON_IsObject(json_get(p, "spec")))
		json_set(p, "spec", cJSON_CreateObject());
	tols = json_get(p, "spec.tolerations");
	if (!cJSON_IsArray(tols)) {
		tols = cJSON_CreateArray();
		json_set(p, "spec.tolerations", tols);
	}
	for (size_t i = 0; i < N_TOL; i++) {
		cJSON *t;

		if (i == N_TOL - 1 && !hostnet)
			break;
		t = cJSON_CreateObject();
		json_set_str(t, "key", default_tol[i][0]);
		json_set_str(t, "operator", "Exists");
		json_set_str(t, "effect", default_tol[i][1]);
		cJSON_AddItemToArray(tols, t);
	}
	return p;
}

/* NoExecute only (keep) or also NoSchedule taints (run) count. */
static bool should_run(const cJSON *tp, const cJSON *node, bool keep)
{
	const cJSON *kv, *t;

	cJSON_ArrayForEach(kv, json_get(tp, "spec.nodeSelector")) {
		const cJSON *l = json_obj(json_get(node, "metadata.labels"), kv->string);

		if (!cJSON_IsString(l) || !cJSON_IsString(kv) ||
		    strcmp(l->valuestring, kv->valuestring))
			return false;
	}
	if (!sched_affinity_ok(tp, node))
		return false;
	cJSON_ArrayForEach(t, json_get(node, "spec.taints")) {
		const char *eff = json_get_str(t, "effect") ?: "";

		if (strcmp(eff, "PreferNoSchedule") && (!keep || !strcmp(eff, "NoExecute")) &&
		    !sched_tolerates(tp, t))
			return false;
	}
	return true;
}

/* The node a daemon pod is for: its nodeName or its pinned affinity. */
static const char *pod_node(const cJSON *pod)
{
	const char *nn = json_get_str(pod, "spec.nodeName");
	const cJSON *terms = json_get(pod,
		"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
	const cJSON *t, *f;

	if (nn && *nn)
		return nn;
	cJSON_ArrayForEach(t, terms)
		cJSON_ArrayForEach(f, json_get(t, "matchFields"))
			if (!strcmp(json_get_str(f, "key") ?: "", "metadata.name")) {
				const cJSON *v = cJSON_GetArrayItem(json_get(f, "values"), 0);

				return cJSON_IsString(v) ? v->valuestring : NULL;
			}
	return NULL;
}

static void template_hash(const cJSON *ds, char out[16])
{
	char *text = json_canonical(json_get(ds, "spec.template"));
	uint32_t h = 2166136261u;

	for (const char *p = text; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	free(text);
	snprintf(out, 16, "%x", h);
}

/* Pin tp (a template_pod copy) to node, label it and create it. */
static void create_on(struct ctrl *c, const cJSON *ds, const cJSON *tp,
		      const char *node, const char *hash)
{
	char name[320], sfx[6], gen[24];
	cJSON *p, *term = cJSON_CreateObject(), *f = cJSON_CreateObject(), *arr;
	int64_t g = 1;

	ctrl_random_suffix(sfx);
	snprintf(name, sizeof(name), "%s-%s", json_get_str(ds, "metadata.name"), sfx);
	p = ctrl_pod_from_template(ds, "spec.template", name);
	json_set(p, "spec", json_dup(json_get(tp, "spec")));
	json_set_str(f, "key", "metadata.name");
	json_set_str(f, "operator", "In");
	json_set(f, "values", cJSON_CreateStringArray(&node, 1));
	arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, f);
	json_set(term, "matchFields", arr);
	arr = cJSON_CreateArray();
	cJSON_AddItemToArray(arr, term);
	json_set(p, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", arr);
	if (!json_get(p, "metadata.labels"))
		json_set(p, "metadata.labels", cJSON_CreateObject());
	json_set_str(p, HASH_PATH, hash);
	json_get_int(ds, "metadata.generation", &g);
	snprintf(gen, sizeof(gen), "%lld", (long long)g);
	json_set_str(p, "metadata.labels.pod-template-generation", gen);
	ctrl_create_pod(c, D_COMPONENT, ds, p);
	cJSON_Delete(p);
}

bool ctrl_pod_available(const cJSON *pod, int64_t min_ready, int64_t now)
{
	const cJSON *rc = ctrl_condition(pod, "Ready");

	if (json_get(pod, "metadata.deletionTimestamp") || !ctrl_pod_ready(pod))
		return false;
	return min_ready <= 0 || (rc && ctrl_time(rc, "lastTransitionTime") > 0 &&
				  ctrl_time(rc, "lastTransitionTime") + min_ready < now);
}

/* Available for the DaemonSet ds: Ready for its minReadySeconds. */
static bool available(const cJSON *ds, const cJSON *pod)
{
	int64_t min_ready = 0;

	json_get_int(ds, "spec.minReadySeconds", &min_ready);
	return ctrl_pod_available(pod, min_ready, (int64_t)time(NULL));
}

static bool has_hash(const cJSON *pod, const char *hash)
{
	return pod && !strcmp(json_get_str(pod, HASH_PATH) ?: "", hash);
}

/* The slot's pod of the current template (first) or of an older one. */
static const cJSON *slot_pod(const struct node_slot *sl, const char *hash, bool cur)
{
	for (size_t k = 0; k < sl->n; k++)
		if (has_hash(sl->pods[k], hash) == cur)
			return sl->pods[k];
	return NULL;
}

/* An int-or-percent of total (percentages rounded up when up). */
static int64_t int_or_pct(const cJSON *v, int64_t total, int64_t def, bool up)
{
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (cJSON_IsString(v)) {
		int64_t pct = strtoll(v->valuestring, NULL, 10);

		return up ? (pct * total + 99) / 100 : pct * total / 100;
	}
	return def;
}

/*
 * RollingUpdate with maxSurge: start new pods next to old ones on up to
 * max nodes, delete an old pod once the new one on its node is available.
 */
static void surge(struct ctrl *c, const cJSON *ds, const cJSON *tp,
		  struct node_slot *sl, size_t n, int64_t max, const char *hash)
{
	int64_t surging = 0;

	for (size_t i = 0; i < n; i++)
		surging += sl[i].should && slot_pod(&sl[i], hash, false) &&
			   slot_pod(&sl[i], hash, true);
	for (size_t i = 0; i < n; i++) {
		const cJSON *old = sl[i].should ? slot_pod(&sl[i], hash, false) : NULL;
		const cJSON *nw = slot_pod(&sl[i], hash, true);

		if (!old)
			continue;
		if (nw && available(ds, nw))
			ctrl_delete_pod(c, D_COMPONENT, ds, old);
		else if (!nw && (!available(ds, old) || surging < max)) {
			create_on(c, ds, tp, sl[i].name, hash);
			surging += available(ds, old);
		}
	}
}

/* RollingUpdate: delete old-template pods within maxUnavailable. */
static void roll(struct ctrl *c, const cJSON *ds, const cJSON *tp,
		 struct node_slot *sl, size_t n, int64_t desired, const char *hash)
{
	const cJSON *mu = json_get(ds, "spec.updateStrategy.rollingUpdate.maxUnavailable");
	const cJSON *ms = json_get(ds, "spec.updateStrategy.rollingUpdate.maxSurge");
	int64_t max = int_or_pct(mu, desired, 1, false), unavail = 0;
	int64_t smax = int_or_pct(ms, desired, 0, true);

	if (strcmp(json_get_str(ds, "spec.updateStrategy.type") ?: "RollingUpdate",
		   "RollingUpdate"))
		return;
	if (smax > 0 && max == 0) {
		surge(c, ds, tp, sl, n, smax, hash);
		return;
	}
	if (max < 1)
		max = 1;
	for (size_t i = 0; i < n; i++)
		if (sl[i].should && (!sl[i].n || !available(ds, sl[i].pods[0])))
			unavail++;
	for (size_t i = 0; i < n && unavail < max; i++) {
		const cJSON *p = sl[i].should && sl[i].n ? sl[i].pods[0] : NULL;

		if (p && available(ds, p) && strcmp(json_get_str(p, HASH_PATH) ?: "", hash) &&
		    ctrl_delete_pod(c, D_COMPONENT, ds, p))
			unavail++;
	}
}

static void write_status(struct ctrl *c, const cJSON *ds,
			 const struct node_slot *sl, size_t n, const char *hash)
{
	int64_t desired = 0, cur = 0, mis = 0, ready = 0, avail = 0, upd = 0, gen = 0;
	cJSON *w = json_dup(ds);

	for (size_t i = 0; i < n; i++) {
		const cJSON *p = sl[i].n ? sl[i].pods[0] : NULL;
		bool rdy = false, avl = false;

		for (size_t k = 0; k < sl[i].n; k++) {
			rdy |= ctrl_pod_ready(sl[i].pods[k]);
			avl |= available(ds, sl[i].pods[k]);
		}
		desired += sl[i].should;
		cur += sl[i].should && p;
		mis += !sl[i].should && p;
		ready += sl[i].should && rdy;
		avail += sl[i].should && avl;
		upd += sl[i].should && slot_pod(&sl[i], hash, true);
	}
	json_get_int(ds, "metadata.generation", &gen);
	json_set(w, "status", cJSON_CreateObject());
	json_set_int(w, "status.currentNumberScheduled", cur);
	json_set_int(w, "status.numberMisscheduled", mis);
	json_set_int(w, "status.desiredNumberScheduled", desired);
	json_set_int(w, "status.numberReady", ready);
	json_set_int(w, "status.observedGeneration", gen);
	json_set_int(w, "status.updatedNumberScheduled", upd);
	json_set_int(w, "status.numberAvailable", avail);
	if (desired > avail)
		json_set_int(w, "status.numberUnavailable", desired - avail);
	if (!json_equal(json_get(w, "status"), json_get(ds, "status")))
		ctrl_put(c, w, "daemonsets", "status");
	cJSON_Delete(w);
}

/* Put the daemon's active pods into their node slots; others deleted. */
static void place(struct ctrl *c, const cJSON *ds, const cJSON *pods,
		  struct node_slot *sl, size_t n, const char *hash)
{
	const char *uid = json_get_str(ds, "metadata.uid");
	const cJSON *pod;

	cJSON_ArrayForEach(pod, pods) {
		const char *nn = pod_node(pod);
		size_t i;

		if (!ctrl_owned_by(pod, uid) || json_get(pod, "metadata.deletionTimestamp"))
			continue;
		for (i = 0; i < n && (!nn || strcmp(sl[i].name, nn)); i++)
			;
		if (i < n && !strcmp(json_get_str(pod, "status.phase") ?: "", "Failed"))
			ctrl_delete_pod(c, D_COMPONENT, ds, pod);
		else if (i == n || sl[i].n == 8 || !sl[i].keep ||
			 (sl[i].n && (sl[i].n > 1 || has_hash(sl[i].pods[0], hash) ==
						      has_hash(pod, hash))))
			ctrl_delete_pod(c, D_COMPONENT, ds, pod);	/* one per template */
		else
			sl[i].pods[sl[i].n++] = pod;
	}
}

static void ds_sync_one(struct ctrl *c, const cJSON *ds, const cJSON *pods,
			const cJSON *nodes)
{
	size_t n = (size_t)cJSON_GetArraySize(nodes), i = 0;
	struct node_slot *sl = xcalloc(n + 1, sizeof(*sl));
	cJSON *tp = template_pod(ds);
	const cJSON *node;
	char hash[16], rev[320];
	int64_t desired = 0;

	template_hash(ds, hash);
	snprintf(rev, sizeof(rev), "%s-%s", json_get_str(ds, "metadata.name"), hash);
	ctrl_ensure_revision(c, ds, rev, hash);
	cJSON_ArrayForEach(node, nodes) {
		sl[i].node = node;
		sl[i].name = json_get_str(node, "metadata.name") ?: "";
		sl[i].should = should_run(tp, node, false);
		sl[i].keep = should_run(tp, node, true);
		desired += sl[i++].should;
	}
	place(c, ds, pods, sl, n, hash);
	for (i = 0; i < n; i++)
		if (sl[i].should && !sl[i].n)
			create_on(c, ds, tp, sl[i].name, hash);
	roll(c, ds, tp, sl, n, desired, hash);
	write_status(c, ds, sl, n, hash);
	cJSON_Delete(tp);
	free(sl);
}

void ds_sync(struct ctrl *c, const cJSON *dss, const cJSON *pods,
	     const cJSON *nodes)
{
	const cJSON *ds;

	cJSON_ArrayForEach(ds, dss)
		if (!json_get(ds, "metadata.deletionTimestamp"))
			ds_sync_one(c, ds, pods, nodes);
}
