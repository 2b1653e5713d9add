/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_nodelife: the node lifecycle controller and the taint eviction
 * controller, as kube-controller-manager runs them.
 *
 * Health: a node is heard from when its Lease in kube-node-lease is
 * renewed or its Ready condition's lastHeartbeatTime moves (the later of
 * the two; a node that has neither is counted from its
 * creationTimestamp, as the real controller does for a node that never
 * posted status).  The controller's own start does not count: a node
 * whose kubelet died while the cluster was down is found silent at once,
 * except that nothing is marked during the controller's first
 * NODE_STARTUP_HOLD_S seconds, so the node agent and the simulated
 * nodes, which start with it, renew their Leases first.  Silent
 * for longer than the grace period (c->grace_s, 40 s by default,
 * KDECK_NODE_MONITOR_GRACE_PERIOD) every condition turns Unknown with
 * reason NodeStatusUnknown and "Kubelet stopped posting node status.",
 * the node's pods get Ready=False, and a NodeNotReady event is recorded
 * (a Node that never posted a status gets them as NodeStatusNeverUpdated,
 * "Kubelet never posted node status.").
 * Taints follow the Ready condition: Unknown -> node.kubernetes.io/
 * unreachable, False -> node.kubernetes.io/not-ready, each NoSchedule and
 * NoExecute (with timeAdded); True removes them (event NodeReady).
 *
 * Eviction: a pod on a node with NoExecute taints that it does not
 * tolerate is deleted at once; one tolerating them all for a while
 * (the smallest tolerationSeconds; <= 0 means none) is deleted once that
 * long has passed since the taint's timeAdded.  Before the delete the pod
 * gets the DisruptionTarget condition and a TaintManagerEviction event.
 * Nothing of this keeps state between passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define TAINT_UNREACHABLE "node.kubernetes.io/unreachable"
#define TAINT_NOT_READY "node.kubernetes.io/not-ready"
#define NODE_COMPONENT "node-controller"
#define TAINT_COMPONENT "taint-eviction-controller"
#define NODE_STARTUP_HOLD_S 5

/* Unix seconds the node was last heard from (lease or heartbeat). */
static int64_t heard_from(const cJSON *node, const cJSON *leases)
{
	const char *name = json_get_str(node, "metadata.name") ?: "";
	const cJSON *ready = ctrl_condition(node, "Ready"), *l;
	int64_t t = ctrl_time(node, "metadata.creationTimestamp"), h;

	h = ready ? ctrl_time(ready, "lastHeartbeatTime") : 0;
	if (h > t)
		t = h;
	cJSON_ArrayForEach(l, leases) {
		if (strcmp(json_get_str(l, "metadata.name") ?: "", name))
			continue;
		h = ctrl_time(l, "spec.renewTime");
		if (h > t)
			t = h;
	}
	return t;
}

/* Pods bound to node with Ready=True get Ready=False (MarkPodsNotReady). */
static void pods_not_ready(struct ctrl *c, const char *node,
			   const cJSON *pods)
{
	const cJSON *p;
	char path[512];

	cJSON_ArrayForEach(p, pods) {
		cJSON *np;

		if (strcmp(json_get_str(p, "spec.nodeName") ?: "", node) ||
		    !ctrl_condition_true(p, "Ready"))
			continue;
		np = json_dup(p);
		ctrl_set_condition(np, "Ready", "False", NULL, NULL, false);
		ctrl_obj_path(np, "pods", "status", path, sizeof(path));
		ctrl_call(c, CTRL_USER_CM, "PUT", path, np, NULL);
		cJSON_Delete(np);
	}
}

/* Every condition of node to Unknown; PUT the status; event; pods. */
static void mark_unknown(struct ctrl *c, const cJSON *node, const cJSON *pods)
{
	static const char *const never[] = { "Ready", "MemoryPressure",
					     "DiskPressure", "PIDPressure", NULL };
	cJSON *n = json_dup(node), *cd;
	char now[KTIME_STR_MAX], path[320], msg[400];
	struct ktime t = ktime_now();
	const char *name = json_get_str(node, "metadata.name");

	ktime_format(&t, now);
	if (!ctrl_condition(n, "Ready"))	/* a Node nobody ever ran */
		for (size_t i = 0; never[i]; i++)
			ctrl_set_condition(n, never[i], "Unknown", "NodeStatusNeverUpdated",
					   "Kubelet never posted node status.", false);
	cJSON_ArrayForEach(cd, json_get(n, "status.conditions")) {
		if (!strcmp(json_get_str(cd, "status") ?: "", "Unknown"))
			continue;
		json_set_str(cd, "status", "Unknown");
		json_set_str(cd, "reason", "NodeStatusUnknown");
		json_set_str(cd, "message", "Kubelet stopped posting node status.");
		json_set_str(cd, "lastTransitionTime", now);
	}
	snprintf(path, sizeof(path), "/api/v1/nodes/%s/status", name);
	if (ctrl_call(c, CTRL_USER_CM, "PUT", path, n, NULL) == 200) {
		snprintf(msg, sizeof(msg), "Node %s status is now: NodeNotReady", name);
		ctrl_event(c, NODE_COMPONENT, CTRL_USER_CM, node, "Normal",
			   "NodeNotReady", NULL, msg);
		pods_not_ready(c, name, pods);
	}
	cJSON_Delete(n);
}

static bool is_lifecycle_taint(const cJSON *t)
{
	const char *k = json_get_str(t, "key") ?: "";
	const char *e = json_get_str(t, "effect") ?: "";

	return (!strcmp(k, TAINT_UNREACHABLE) || !strcmp(k, TAINT_NOT_READY)) &&
	       (!strcmp(e, "NoSchedule") || !strcmp(e, "NoExecute"));
}

/* The lifecycle taint key Ready's status asks for, or NULL (True). */
static const char *wanted_taint(const cJSON *node)
{
	const cJSON *r = ctrl_condition(node, "Ready");
	const char *st = r ? json_get_str(r, "status") : NULL;

	if (!st)
		return NULL;	/* never posted: nothing to map yet */
	if (!strcmp(st, "Unknown"))
		return TAINT_UNREACHABLE;
	return strcmp(st, "False") ? NULL : TAINT_NOT_READY;
}

/* Make node's lifecycle taints those of its Ready condition. */
static void sync_taints(struct ctrl *c, const cJSON *node)
{
	const char *want = wanted_taint(node);
	const cJSON *t;
	cJSON *n, *taints;
	char now[KTIME_STR_MAX], path[320], msg[400];
	struct ktime kt = ktime_now();
	int have = 0, other = 0;

	cJSON_ArrayForEach(t, json_get(node, "spec.taints"))
		if (!is_lifecycle_taint(t))
			continue;
		else if (want && !strcmp(json_get_str(t, "key"), want))
			have++;
		else
			other++;
	if (other == 0 && have == (want ? 2 : 0))
		return;
	ktime_format(&kt, now);
	n = json_dup(node);
	taints = cJSON_CreateArray();
	cJSON_ArrayForEach(t, json_get(node, "spec.taints"))
		if (!is_lifecycle_taint(t))
			cJSON_AddItemToArray(taints, json_dup(t));
	for (int i = 0; want && i < 2; i++) {
		cJSON *x = cJSON_CreateObject();

		json_set_str(x, "key", want);
		json_set_str(x, "effect", i ? "NoExecute" : "NoSchedule");
		json_set_str(x, "timeAdded", now);
		cJSON_AddItemToArray(taints, x);
	}
	if (cJSON_GetArraySize(taints))
		json_set(n, "spec.taints", taints);
	else {
		cJSON_Delete(taints);
		json_del(n, "spec.taints");
	}
	snprintf(path, sizeof(path), "/api/v1/nodes/%s",
		 json_get_str(node, "metadata.name"));
	if (ctrl_call(c, CTRL_USER_CM, "PUT", path, n, NULL) == 200 && !want &&
	    have + other > 0) {
		snprintf(msg, sizeof(msg), "Node %s status is now: NodeReady",
			 json_get_str(node, "metadata.name"));
		ctrl_event(c, NODE_COMPONENT, CTRL_USER_CM, node, "Normal",
			   "NodeReady", NULL, msg);
	}
	cJSON_Delete(n);
}

void nodelife_sync(struct ctrl *c, const cJSON *nodes, const cJSON *pods)
{
	char *lk = store_key("coordination.k8s.io", "leases", "kube-node-lease", NULL);
	cJSON *leases = ctrl_list(c, lk);
	int64_t now = ktime_now().sec;
	const cJSON *n, *r;

	cJSON_ArrayForEach(n, nodes) {
		r = ctrl_condition(n, "Ready");
		if (now - c->started >= NODE_STARTUP_HOLD_S &&
		    now - heard_from(n, leases) > c->grace_s &&
		    (!r || strcmp(json_get_str(r, "status") ?: "", "Unknown")))
			mark_unknown(c, n, pods);
		else
			sync_taints(c, n);
	}
	cJSON_Delete(leases);
	free(lk);
}

/* --- taint-based eviction --- */

/* Toleration tol tolerates taint (ToleratesTaint). */
static bool tol_matches(const cJSON *tol, const cJSON *taint)
{
	const char *tk = json_get_str(tol, "key") ?: "";
	const char *te = json_get_str(tol, "effect") ?: "";
	const char *op = json_get_str(tol, "operator") ?: "Equal";

	if (*te && strcmp(te, json_get_str(taint, "effect") ?: ""))
		return false;
	if (*tk && strcmp(tk, json_get_str(taint, "key") ?: ""))
		return false;
	if (!strcmp(op, "Exists"))
		return true;
	return *tk && !strcmp(json_get_str(tol, "value") ?: "",
			      json_get_str(taint, "value") ?: "");
}

/*
 * When pod must go given node's NoExecute taints: 0 = now, -1 = never,
 * else the unix second (getMinTolerationTime from the taints' timeAdded).
 */
int64_t nodelife_evict_at(const cJSON *pod, const cJSON *taints)
{
	const cJSON *t, *tol;
	int64_t min = -1, since = 0;
	bool any = false;

	cJSON_ArrayForEach(t, taints) {
		bool ok = false;

		if (strcmp(json_get_str(t, "effect") ?: "", "NoExecute"))
			continue;
		any = true;
		if (ctrl_time(t, "timeAdded") > since)
			since = ctrl_time(t, "timeAdded");
		cJSON_ArrayForEach(tol, json_get(pod, "spec.tolerations")) {
			int64_t s;

			if (!tol_matches(tol, t))
				continue;
			ok = true;
			if (json_get_int(tol, "tolerationSeconds", &s) < 0)
				continue;
			s = s < 0 ? 0 : s;
			if (min < 0 || s < min)
				min = s;
		}
		if (!ok)
			return 0;
	}
	if (!any || min < 0)
		return -1;
	return min == 0 ? 0 : since + min;
}

/* DisruptionTarget, event, delete (addConditionAndDeletePod). */
static void evict(struct ctrl *c, const cJSON *pod)
{
	cJSON *p = json_dup(pod);
	char path[512], msg[600];

	snprintf(msg, sizeof(msg), "Marking for deletion Pod %s/%s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"));
	ctrl_event(c, TAINT_COMPONENT, CTRL_USER_CM, pod, "Normal",
		   "TaintManagerEviction", NULL, msg);
	ctrl_set_condition(p, "DisruptionTarget", "True", "DeletionByTaintManager",
			   "Taint manager: deleting due to NoExecute taint", false);
	ctrl_obj_path(p, "pods", "status", path, sizeof(path));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, p, NULL);
	ctrl_obj_path(p, "pods", NULL, path, sizeof(path));
	ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL);
	cJSON_Delete(p);
}

void taint_evict_sync(struct ctrl *c, const cJSON *nodes, const cJSON *pods)
{
	int64_t now = ktime_now().sec;
	const cJSON *n, *p;

	cJSON_ArrayForEach(n, nodes) {
		const char *name = json_get_str(n, "metadata.name") ?: "";
		const cJSON *taints = json_get(n, "spec.taints");

		if (cJSON_GetArraySize(taints) == 0)
			continue;
		cJSON_ArrayForEach(p, pods) {
			int64_t at;

			if (strcmp(json_get_str(p, "spec.nodeName") ?: "", name) ||
			    json_get(p, "metadata.deletionTimestamp"))
				continue;
			at = nodelife_evict_at(p, taints);
			if (at == 0 || (at > 0 && now >= at))
				evict(c, p);
		}
	}
}
