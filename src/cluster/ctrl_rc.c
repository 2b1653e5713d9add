/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_rc: the ReplicationController controller (core/v1), the
 * ReplicaSet controller's semantics with RC's equality selector.
 *
 * ReplicationControllers are not among the informer cache's kinds: each
 * pass lists them from the store (few exist; nothing is read when there
 * are none) and takes the pods from the cache.  One sync, as
 * kube-controller-manager's replication manager (which is the ReplicaSet
 * controller run on RCs): pods of its namespace it controls (controller
 * ownerReference with its uid) plus orphans whose labels carry every
 * key=value of spec.selector (adopted by adding the reference; an empty
 * selector means the template's labels, the API's default); then pods are
 * created (<rc>-<5 random>) or deleted (unscheduled < pending < not ready
 * < ready first) to reach spec.replicas with events SuccessfulCreate /
 * SuccessfulDelete from "replication-controller", and status (replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas,
 * observedGeneration) is written when it changed.  At most RC_BURST pods
 * are created per sync (their events bring the next pass).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

#define RC_BURST 500
#define RC_COMPONENT "replication-controller"

/* Every key=value of want is in have (an empty want matches nothing). */
static bool labels_match(const cJSON *have, const cJSON *want)
{
	const cJSON *kv;
	int n = 0;

	cJSON_ArrayForEach(kv, want) {
		const cJSON *h = json_obj(have, kv->string);

		if (!cJSON_IsString(h) || !cJSON_IsString(kv) ||
		    strcmp(h->valuestring, kv->valuestring))
			return false;
		n++;
	}
	return n > 0;
}

/* spec.selector, or the template's labels when it is empty (borrowed). */
static const cJSON *rc_selector(const cJSON *rc)
{
	const cJSON *sel = json_get(rc, "spec.selector");

	if (cJSON_IsObject(sel) && sel->child)
		return sel;
	return json_get(rc, "spec.template.metadata.labels");
}

static bool pod_active(const cJSON *pod)
{
	return !json_get(pod, "metadata.deletionTimestamp") &&
	       !ctrl_pod_terminal(pod);
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

/* Adopt an orphan: add rc's controller reference (conditional update). */
static bool adopt(struct ctrl *c, const cJSON *rc, const cJSON *pod)
{
	cJSON *p = json_dup(pod);
	cJSON *refs = json_get(p, "metadata.ownerReferences");
	int st;

	if (!cJSON_IsArray(refs)) {
		refs = cJSON_CreateArray();
		json_set(p, "metadata.ownerReferences", refs);
	}
	cJSON_AddItemToArray(refs, ctrl_owner_ref(rc));
	st = ctrl_put(c, p, "pods", NULL);
	cJSON_Delete(p);
	return st == 200;
}

/*
 * The active pods rc controls, adopting matching orphans, into *out
 * (borrowed pointers into pods; caller frees the array).  Returns count.
 */
static size_t owned_pods(struct ctrl *c, const cJSON *rc, const cJSON *pods,
			 const cJSON ***out)
{
	const char *ns = json_get_str(rc, "metadata.namespace") ?: "";
	const char *uid = json_get_str(rc, "metadata.uid");
	const cJSON *sel = rc_selector(rc), *pod;
	size_t n = 0, cap = 16;
	const cJSON **v = xmalloc(cap * sizeof(*v));

	cJSON_ArrayForEach(pod, pods) {
		const cJSON *ref = ctrl_controller_ref(pod);

		if (strcmp(json_get_str(pod, "metadata.namespace") ?: "", ns) ||
		    !pod_active(pod))
			continue;
		if (ref ? !ctrl_owned_by(pod, uid)
			: !(labels_match(json_get(pod, "metadata.labels"), sel) &&
			    adopt(c, rc, pod)))
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = pod;
	}
	*out = v;
	return n;
}

/* Create one pod of rc; true when created. */
static bool create_one(struct ctrl *c, const cJSON *rc)
{
	char sfx[6], name[300];
	cJSON *p;
	bool ok;

	ctrl_random_suffix(sfx);
	snprintf(name, sizeof(name), "%s-%s",
		 json_get_str(rc, "metadata.name") ?: "", sfx);
	p = ctrl_pod_from_template(rc, "spec.template", name);
	ok = ctrl_create_pod(c, RC_COMPONENT, rc, p);
	cJSON_Delete(p);
	return ok;
}

/* Write rc's status from its pods when it changed. */
static void write_status(struct ctrl *c, const cJSON *rc, const cJSON **pods,
			 size_t n)
{
	int64_t gen = 0, ready = 0, avail = 0, labeled = 0, min_ready = 0;
	int64_t now = time(NULL);
	const cJSON *tl = json_get(rc, "spec.template.metadata.labels");
	cJSON *st = cJSON_CreateObject(), *r;

	json_get_int(rc, "spec.minReadySeconds", &min_ready);
	for (size_t i = 0; i < n; i++) {
		ready += ctrl_pod_ready(pods[i]);
		avail += ctrl_pod_available(pods[i], min_ready, now);
		labeled += !tl || !tl->child ||
			   labels_match(json_get(pods[i], "metadata.labels"), tl);
	}
	json_get_int(rc, "metadata.generation", &gen);
	json_set_int(st, "replicas", (int64_t)n);
	json_set_int(st, "fullyLabeledReplicas", labeled);
	if (ready)
		json_set_int(st, "readyReplicas", ready);
	if (avail)
		json_set_int(st, "availableReplicas", avail);
	json_set_int(st, "observedGeneration", gen);
	if (json_get(rc, "status.conditions"))
		json_set(st, "conditions", json_dup(json_get(rc, "status.conditions")));
	if (json_equal(st, json_get(rc, "status"))) {
		cJSON_Delete(st);
		return;
	}
	r = json_dup(rc);
	json_set(r, "status", st);
	ctrl_put(c, r, "replicationcontrollers", "status");
	cJSON_Delete(r);
}

/* One ReplicationController toward spec.replicas. */
static void rc_sync_one(struct ctrl *c, const cJSON *rc, const cJSON *pods)
{
	const cJSON **own;
	size_t n = owned_pods(c, rc, pods, &own);
	int64_t want = 1;

	json_get_int(rc, "spec.replicas", &want);
	if (want < 0)
		want = 0;
	if ((int64_t)n < want) {
		int64_t missing = want - (int64_t)n;

		for (int64_t i = 0; i < missing && i < RC_BURST; i++)
			if (!create_one(c, rc))
				break;
	} else if ((int64_t)n > want) {
		qsort(own, n, sizeof(*own), cmp_rank);
		for (size_t i = 0; i < n - (size_t)want; i++)
			ctrl_delete_pod(c, RC_COMPONENT, rc, own[i]);
	}
	write_status(c, rc, own, n);
	free(own);
}

void rc_sync(struct ctrl *c)
{
	char *k = store_key(NULL, "replicationcontrollers", NULL, NULL);
	cJSON *rcs = ctrl_list(c, k);
	const cJSON *rc, *pods = NULL;

	cJSON_ArrayForEach(rc, rcs) {
		if (json_get(rc, "metadata.deletionTimestamp"))
			continue;
		if (!pods)
			pods = ctrl_cached(c, CTRL_K_PODS);
		rc_sync_one(c, rc, pods);
	}
	cJSON_Delete(rcs);
	free(k);
}
