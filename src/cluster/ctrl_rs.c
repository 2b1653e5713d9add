/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_rs: the ReplicaSet controller, driven by a work queue.
 *
 * Which ReplicaSets a pass syncs: the keys ("ns/name") due in c->rsq.
 * The informer cache's hook (rs_observe) queues a ReplicaSet when it
 * changed and when one of its pods did (the pod's controller reference
 * names it; an orphan pod queues "ns/", every ReplicaSet of its
 * namespace, for adoption); every RS_RESYNC_S all are queued, as
 * client-go's resync.  A sync whose pod creations were refused (quota,
 * LimitRange: 403) or whose writes failed is retried with the key's
 * exponential back-off (5 ms doubling to 1000 s, ctrl_queue.h); a clean
 * sync resets it.  The cache's barrier makes the controller's own writes
 * visible to its next sync, so no expectations are kept.
 *
 * One sync is the replica-management core shared with
 * ReplicationControllers (ctrl_replicas.c: adoption, slow-start
 * creations, deletions, status); pods Ready but not yet available after
 * minReadySeconds queue their ReplicaSet again for that moment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/ctrl_queue.h"
#include "cluster/ctrl_replicas.h"
#include "common/json.h"

#define RS_RESYNC_S 30

static void obj_key(const cJSON *obj, char *out, size_t n);

/* The core's requeue: the key again after ms. */
static void rs_requeue(struct ctrl *c, const cJSON *rs, int64_t after_ms)
{
	char key[400];

	if (!c->rsq)
		return;
	obj_key(rs, key, sizeof(key));
	ctrl_queue_add_after(c->rsq, key, after_ms, ctrl_queue_now_ms());
}

static const struct ctrl_rep_kind rs_kind = {
	"replicaset-controller", "replicasets", rs_requeue,
};

/* One ReplicaSet; false when it must be retried (back-off). */
static bool rs_sync_one(struct ctrl *c, const cJSON *rs, const cJSON *pods)
{
	return ctrl_replicas_sync(c, &rs_kind, rs, json_get(rs, "spec.selector"),
				  pods);
}

/* "ns/name" of obj into out[n]. */
static void obj_key(const cJSON *obj, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", json_get_str(obj, "metadata.namespace") ?: "",
		 json_get_str(obj, "metadata.name") ?: "");
}

/* Sync rs (its key popped); queue it again after its back-off on failure. */
static void rs_sync_key(struct ctrl *c, const cJSON *rs, const cJSON *pods,
			int64_t now)
{
	char key[400];

	obj_key(rs, key, sizeof(key));
	if (json_get(rs, "metadata.deletionTimestamp")) {
		ctrl_queue_forget(c->rsq, key);
		return;
	}
	if (rs_sync_one(c, rs, pods))
		ctrl_queue_forget(c->rsq, key);
	else
		ctrl_queue_add_rate_limited(c->rsq, key, now);
}

/* A popped key: "ns/name", or "ns/" for every ReplicaSet of ns. */
static void rs_sync_popped(struct ctrl *c, const char *key, const cJSON *rss,
			   const cJSON *pods, int64_t now)
{
	size_t kl = strlen(key);
	bool all = kl && key[kl - 1] == '/';
	bool seen = false;
	const cJSON *rs;
	char k[400];

	cJSON_ArrayForEach(rs, rss) {
		obj_key(rs, k, sizeof(k));
		if (all ? strncmp(k, key, kl) : strcmp(k, key))
			continue;
		seen = true;
		if (all && ctrl_queue_requeues(c->rsq, k))
			continue;	/* backing off: its own key retries it */
		rs_sync_key(c, rs, pods, now);
		if (!all)
			break;
	}
	if (!seen && !all)
		ctrl_queue_forget(c->rsq, key);	/* gone */
}

void rs_sync(struct ctrl *c, const cJSON *rss, const cJSON *pods)
{
	int64_t now = ctrl_queue_now_ms();
	const cJSON *rs;
	char *key;

	if (!c->rsq) {
		cJSON_ArrayForEach(rs, rss)
			if (!json_get(rs, "metadata.deletionTimestamp"))
				rs_sync_one(c, rs, pods);
		return;
	}
	if (!c->rs_resync_ms || now - c->rs_resync_ms >= RS_RESYNC_S * 1000) {
		c->rs_resync_ms = now;
		cJSON_ArrayForEach(rs, rss) {
			char k[400];

			obj_key(rs, k, sizeof(k));
			ctrl_queue_add(c->rsq, k);
		}
	}
	while ((key = ctrl_queue_pop(c->rsq, now))) {
		rs_sync_popped(c, key, rss, pods, now);
		free(key);
	}
}

/* Queue what a pod's change concerns: its ReplicaSet, or its namespace. */
static void observe_pod(struct ctrl *c, const cJSON *pod)
{
	const cJSON *ref = ctrl_controller_ref(pod);
	const char *ns = json_get_str(pod, "metadata.namespace") ?: "";
	char key[400];

	if (ref && strcmp(json_get_str(ref, "kind") ?: "", "ReplicaSet"))
		return;
	snprintf(key, sizeof(key), "%s/%s", ns,
		 ref ? json_get_str(ref, "name") ?: "" : "");
	ctrl_queue_add(c->rsq, key);
}

void rs_observe(struct ctrl *c, bool is_pod, const cJSON *old,
		const cJSON *cur)
{
	char key[400];

	for (int i = 0; i < 2; i++) {
		const cJSON *o = i ? cur : old;

		if (!o)
			continue;
		if (is_pod) {
			observe_pod(c, o);
		} else {
			obj_key(o, key, sizeof(key));
			ctrl_queue_add(c->rsq, key);
		}
	}
}
