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
 * One sync: pods in its namespace that it controls (ownerReference
 * controller=true with its uid), plus orphans matching its selector
 * (adopted by adding the controller reference); then pods are created
 * (<rs>-<5 random>, from the template, with the controller reference) or
 * deleted (unscheduled < pending < not ready < ready first) to reach
 * spec.replicas, and status is written when it changed.  Creations go in
 * slow-start batches of 1, 2, 4, ... (kube-controller-manager's
 * slowStartBatch), the creations of a batch in parallel (ctrl_parallel),
 * stopping at the first batch with a failure, at most RS_BURST per sync
 * (the pods' events queue the next one); deletions all in parallel.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/ctrl_queue.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define RS_BURST 500
#define RS_RESYNC_S 30
#define RS_COMPONENT "replicaset-controller"

static bool uid_is(const cJSON *ref, const char *uid)
{
	const char *u = json_get_str(ref, "uid");

	return u && uid && !strcmp(u, uid);
}

/* The pod's controller ownerReference, or NULL. */
const cJSON *ctrl_controller_ref(const cJSON *obj)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, json_get(obj, "metadata.ownerReferences"))
		if (json_get_bool(r, "controller", false))
			return r;
	return NULL;
}

cJSON *ctrl_owner_ref(const cJSON *owner)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "apiVersion", json_get_str(owner, "apiVersion"));
	cJSON_AddStringToObject(r, "kind", json_get_str(owner, "kind"));
	cJSON_AddStringToObject(r, "name", json_get_str(owner, "metadata.name"));
	cJSON_AddStringToObject(r, "uid", json_get_str(owner, "metadata.uid"));
	cJSON_AddBoolToObject(r, "controller", 1);
	cJSON_AddBoolToObject(r, "blockOwnerDeletion", 1);
	return r;
}

bool ctrl_pod_ready(const cJSON *pod)
{
	const cJSON *cd;

	cJSON_ArrayForEach(cd, json_get(pod, "status.conditions"))
		if (!strcmp(json_get_str(cd, "type") ?: "", "Ready"))
			return !strcmp(json_get_str(cd, "status") ?: "", "True");
	return false;
}

static bool pod_active(const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase");

	return !json_get(pod, "metadata.deletionTimestamp") &&
	       !(ph && (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed")));
}

/* Deletion preference: lower goes first. */
static int pod_rank(const cJSON *pod)
{
	const char *nn = json_get_str(pod, "spec.nodeName");
	const char *ph = json_get_str(pod, "status.phase");

	if (!nn || !*nn)
		return 0;
	if (!ph || !strcmp(ph, "Pending"))
		return 1;
	return ctrl_pod_ready(pod) ? 3 : 2;
}

static int cmp_rank(const void *a, const void *b)
{
	return pod_rank(*(cJSON *const *)a) - pod_rank(*(cJSON *const *)b);
}

/* Adopt an orphan: add our controller reference (conditional update). */
static bool adopt(struct ctrl *c, const cJSON *rs, const cJSON *pod)
{
	char path[320];
	cJSON *p = json_dup(pod);
	cJSON *refs = json_get(p, "metadata.ownerReferences");
	int st;

	if (!refs) {
		refs = cJSON_CreateArray();
		json_set(p, "metadata.ownerReferences", refs);
	}
	cJSON_AddItemToArray(refs, ctrl_owner_ref(rs));
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s",
		 json_get_str(pod, "metadata.namespace"),
		 json_get_str(pod, "metadata.name"));
	st = ctrl_call(c, CTRL_USER_CM, "PUT", path, p, NULL);
	cJSON_Delete(p);
	return st == 200;
}

static void random_suffix(char out[6])
{
	static const char alpha[] = "bcdfghjklmnpqrstvwxz2456789";

	for (int i = 0; i < 5; i++)
		out[i] = alpha[(unsigned)rand() % (sizeof(alpha) - 1)];
	out[5] = '\0';
}

/* Create one pod of rs.  True when created. */
static bool create_pod(struct ctrl *c, const cJSON *rs)
{
	const char *ns = json_get_str(rs, "metadata.namespace");
	const char *name = json_get_str(rs, "metadata.name");
	cJSON *p = cJSON_CreateObject(), *refs = cJSON_CreateArray(), *out = NULL;
	char sfx[6], pname[300], path[320], msg[400];
	int st;

	random_suffix(sfx);
	snprintf(pname, sizeof(pname), "%s-%s", name, sfx);
	json_set_str(p, "apiVersion", "v1");
	json_set_str(p, "kind", "Pod");
	json_set(p, "metadata", json_dup(json_get(rs, "spec.template.metadata")));
	if (!cJSON_IsObject(json_get(p, "metadata")))
		json_set(p, "metadata", cJSON_CreateObject());
	json_set_str(p, "metadata.name", pname);
	json_set_str(p, "metadata.namespace", ns);
	json_del(p, "metadata.generateName");
	cJSON_AddItemToArray(refs, ctrl_owner_ref(rs));
	json_set(p, "metadata.ownerReferences", refs);
	json_set(p, "spec", json_dup(json_get(rs, "spec.template.spec")));
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods", ns);
	st = ctrl_call(c, CTRL_USER_CM, "POST", path, p, &out);
	if (st == 201) {
		snprintf(msg, sizeof(msg), "Created pod: %s", pname);
		ctrl_event(c, RS_COMPONENT, CTRL_USER_CM, rs, "Normal",
			   "SuccessfulCreate", "Create", msg);
	}
	ctrl_failed_create(c, RS_COMPONENT, rs, st, out);
	cJSON_Delete(out);
	cJSON_Delete(p);
	return st == 201;
}

static void delete_pod(struct ctrl *c, const cJSON *rs, const cJSON *pod)
{
	char path[320], msg[400];
	const char *pname = json_get_str(pod, "metadata.name");

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s",
		 json_get_str(pod, "metadata.namespace"), pname);
	if (ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL) == 200) {
		snprintf(msg, sizeof(msg), "Deleted pod: %s", pname);
		ctrl_event(c, RS_COMPONENT, CTRL_USER_CM, rs, "Normal",
			   "SuccessfulDelete", "Delete", msg);
	}
}

static bool labels_superset(const cJSON *have, const cJSON *want)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, want) {
		const cJSON *h = json_obj(have, kv->string);

		if (!cJSON_IsString(h) || !cJSON_IsString(kv) ||
		    strcmp(h->valuestring, kv->valuestring))
			return false;
	}
	return true;
}

static void obj_key(const cJSON *obj, char *out, size_t n);

/*
 * Pods of rs that are ready but not yet available (Ready for less than
 * spec.minReadySeconds): sync rs again when the first of them becomes
 * available, as the real controller does (no resync wait).
 */
static void requeue_min_ready(struct ctrl *c, const cJSON *rs, cJSON **pods,
			      size_t n, int64_t min_ready, int64_t now)
{
	int64_t soonest = -1;
	char key[400];

	for (size_t i = 0; i < n; i++) {
		const cJSON *cd = ctrl_condition(pods[i], "Ready");
		int64_t due;

		if (!ctrl_pod_ready(pods[i]) ||
		    ctrl_pod_available(pods[i], min_ready, now))
			continue;
		due = ctrl_time(cd, "lastTransitionTime") + min_ready - now;
		if (soonest < 0 || due < soonest)
			soonest = due < 0 ? 0 : due;
	}
	if (soonest < 0 || !c->rsq)
		return;
	obj_key(rs, key, sizeof(key));
	ctrl_queue_add_after(c->rsq, key, soonest * 1000 + 100,
			     ctrl_queue_now_ms());
}

/*
 * Write rs's status from its pods when it changed; false if that failed.
 * availableReplicas counts pods Ready for spec.minReadySeconds.
 */
static bool write_status(struct ctrl *c, const cJSON *rs, cJSON **pods,
			 size_t n)
{
	int64_t gen = 0, ready = 0, avail = 0, labeled = 0, min_ready = 0;
	int64_t now = time(NULL);
	const cJSON *tl = json_get(rs, "spec.template.metadata.labels");
	cJSON *st = cJSON_CreateObject(), *r;
	char path[320];
	int code;

	json_get_int(rs, "spec.minReadySeconds", &min_ready);
	for (size_t i = 0; i < n; i++) {
		ready += ctrl_pod_ready(pods[i]);
		avail += ctrl_pod_available(pods[i], min_ready, now);
		labeled += labels_superset(json_get(pods[i], "metadata.labels"), tl);
	}
	if (avail < ready)
		requeue_min_ready(c, rs, pods, n, min_ready, now);
	json_get_int(rs, "metadata.generation", &gen);
	json_set_int(st, "replicas", (int64_t)n);
	json_set_int(st, "fullyLabeledReplicas", labeled);
	if (ready)
		json_set_int(st, "readyReplicas", ready);
	if (avail)
		json_set_int(st, "availableReplicas", avail);
	json_set_int(st, "observedGeneration", gen);
	if (json_get(rs, "status.conditions"))
		json_set(st, "conditions", json_dup(json_get(rs, "status.conditions")));
	if (json_equal(st, json_get(rs, "status"))) {
		cJSON_Delete(st);
		return true;
	}
	r = json_dup(rs);
	json_set(r, "status", st);
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/replicasets/%s/status",
		 json_get_str(rs, "metadata.namespace"),
		 json_get_str(rs, "metadata.name"));
	code = ctrl_call(c, CTRL_USER_CM, "PUT", path, r, NULL);
	cJSON_Delete(r);
	return code == 200 || code == 404;	/* 404: deleted meanwhile */
}

/* Collect the active pods rs controls (adopting matching orphans). */
static size_t owned_pods(struct ctrl *c, const cJSON *rs, const cJSON *pods,
			 cJSON ***out)
{
	const char *ns = json_get_str(rs, "metadata.namespace");
	const char *uid = json_get_str(rs, "metadata.uid");
	struct label_selector *sel = NULL;
	struct err e;
	size_t n = 0, cap = 16;
	cJSON **v = xmalloc(cap * sizeof(*v));
	cJSON *pod;

	if (selector_from_json(json_get(rs, "spec.selector"), &sel, &e) < 0)
		sel = NULL;
	cJSON_ArrayForEach(pod, pods) {
		const cJSON *ref = ctrl_controller_ref(pod);

		if (strcmp(json_get_str(pod, "metadata.namespace") ?: "", ns) ||
		    !pod_active(pod))
			continue;
		if (ref ? !uid_is(ref, uid)
			: !(sel && !selector_is_everything(sel) &&
			    selector_matches(sel, json_get(pod, "metadata.labels")) &&
			    adopt(c, rs, pod)))
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = pod;
	}
	selector_free(sel);
	*out = v;
	return n;
}

struct rs_batch {
	struct ctrl *c;
	const cJSON *rs;
	cJSON **pods;		/* deletions: the victims */
	_Atomic int failed;
};

static void create_one(void *arg, size_t i)
{
	struct rs_batch *b = arg;

	(void)i;
	if (!create_pod(b->c, b->rs))
		atomic_fetch_add(&b->failed, 1);
}

static void delete_one(void *arg, size_t i)
{
	struct rs_batch *b = arg;

	delete_pod(b->c, b->rs, b->pods[i]);
}

/*
 * Create up to want pods in slow-start batches (1, 2, 4, ...), each
 * batch in parallel, stopping after a batch in which a creation failed.
 * False if one failed.
 */
static bool create_missing(struct ctrl *c, const cJSON *rs, int64_t want)
{
	struct rs_batch b = { c, rs, NULL, 0 };
	int64_t batch = 1, done = 0;

	if (want > RS_BURST)
		want = RS_BURST;
	while (done < want) {
		int64_t n = want - done < batch ? want - done : batch;

		ctrl_parallel((size_t)n, create_one, &b);
		if (atomic_load(&b.failed))
			return false;
		done += n;
		batch *= 2;
	}
	return true;
}

/* One ReplicaSet; false when it must be retried (back-off). */
static bool rs_sync_one(struct ctrl *c, const cJSON *rs, const cJSON *pods)
{
	cJSON **own;
	size_t n = owned_pods(c, rs, pods, &own);
	int64_t want = 1;
	bool ok = true;

	json_get_int(rs, "spec.replicas", &want);
	if ((int64_t)n < want) {
		ok = create_missing(c, rs, want - (int64_t)n);
	} else if ((int64_t)n > want) {
		struct rs_batch b = { c, rs, own, 0 };

		qsort(own, n, sizeof(*own), cmp_rank);
		ctrl_parallel(n - (size_t)want, delete_one, &b);
	}
	ok &= write_status(c, rs, own, n);
	free(own);
	return ok;
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
