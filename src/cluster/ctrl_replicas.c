/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_replicas: one sync of a ReplicaSet or ReplicationController, as
 * the ReplicaSet controller's syncReplicaSet (see ctrl_replicas.h).
 *
 * The pods it manages: active pods of its namespace that it controls
 * (controller ownerReference with its uid), plus orphans matching its
 * selector, adopted by adding the controller reference (a conditional
 * update: a pod changed meanwhile is left for the next sync).  Missing
 * pods are created from the template (<owner>-<5 random>) in slow-start
 * batches of 1, 2, 4, ... (slowStartBatch), each batch in parallel
 * (ctrl_parallel), stopping after a batch with a failure, at most
 * REP_BURST a sync (their events bring the next one); extra pods are all
 * deleted in parallel, the least useful first.  The status (replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas after
 * minReadySeconds, observedGeneration; conditions kept) is written when
 * it changed.  The cache's barrier makes the controller's own writes
 * visible to its next sync, so no expectations are kept.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/ctrl_replicas.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define REP_BURST 500

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
	return pod_rank(*(const cJSON *const *)a) -
	       pod_rank(*(const cJSON *const *)b);
}

/* Adopt an orphan: add owner's controller reference (conditional update). */
static bool adopt(struct ctrl *c, const cJSON *owner, const cJSON *pod)
{
	cJSON *p = json_dup(pod);
	cJSON *refs = json_get(p, "metadata.ownerReferences");
	int st;

	if (!cJSON_IsArray(refs)) {
		refs = cJSON_CreateArray();
		json_set(p, "metadata.ownerReferences", refs);
	}
	cJSON_AddItemToArray(refs, ctrl_owner_ref(owner));
	st = ctrl_put(c, p, "pods", NULL);
	cJSON_Delete(p);
	return st == 200;
}

/*
 * The active pods owner controls, adopting matching orphans, into *out
 * (borrowed pointers into pods; caller frees the array).  Returns count.
 */
static size_t owned_pods(struct ctrl *c, const cJSON *owner,
			 const cJSON *selector, const cJSON *pods,
			 const cJSON ***out)
{
	const char *ns = json_get_str(owner, "metadata.namespace") ?: "";
	const char *uid = json_get_str(owner, "metadata.uid");
	struct label_selector *sel = NULL;
	struct err e;
	size_t n = 0, cap = 16;
	const cJSON **v = xmalloc(cap * sizeof(*v)), *pod;

	if (selector_from_json(selector, &sel, &e) < 0)
		sel = NULL;
	cJSON_ArrayForEach(pod, pods) {
		if (strcmp(json_get_str(pod, "metadata.namespace") ?: "", ns) ||
		    !pod_active(pod))
			continue;
		if (ctrl_controller_ref(pod) ? !ctrl_owned_by(pod, uid)
			: !(sel && !selector_is_everything(sel) &&
			    selector_matches(sel, json_get(pod, "metadata.labels")) &&
			    adopt(c, owner, pod)))
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = pod;
	}
	selector_free(sel);
	*out = v;
	return n;
}

struct rep_batch {
	struct ctrl *c;
	const struct ctrl_rep_kind *k;
	const cJSON *owner;
	const cJSON **pods;	/* deletions: the victims */
	_Atomic int failed;
};

static void create_one(void *arg, size_t i)
{
	struct rep_batch *b = arg;
	char sfx[6], name[300];
	cJSON *p;

	(void)i;
	ctrl_random_suffix(sfx);
	snprintf(name, sizeof(name), "%s-%s",
		 json_get_str(b->owner, "metadata.name") ?: "", sfx);
	p = ctrl_pod_from_template(b->owner, "spec.template", name);
	if (!ctrl_create_pod(b->c, b->k->component, b->owner, p))
		atomic_fetch_add(&b->failed, 1);
	cJSON_Delete(p);
}

static void delete_one(void *arg, size_t i)
{
	struct rep_batch *b = arg;

	ctrl_delete_pod(b->c, b->k->component, b->owner, b->pods[i]);
}

/* Create up to want pods in slow-start batches; false if one failed. */
static bool create_missing(struct rep_batch *b, int64_t want)
{
	int64_t batch = 1, done = 0;

	if (want > REP_BURST)
		want = REP_BURST;
	while (done < want) {
		int64_t n = want - done < batch ? want - done : batch;

		ctrl_parallel((size_t)n, create_one, b);
		if (atomic_load(&b->failed))
			return false;
		done += n;
		batch *= 2;
	}
	return true;
}

bool ctrl_labels_subset(const cJSON *have, const cJSON *want)
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

/* Ready but not yet available pods: requeue when the first one is. */
static void requeue_min_ready(struct rep_batch *b, const cJSON **pods,
			      size_t n, int64_t min_ready, int64_t now)
{
	int64_t soonest = -1;

	for (size_t i = 0; i < n; i++) {
		int64_t due;

		if (!ctrl_pod_ready(pods[i]) ||
		    ctrl_pod_available(pods[i], min_ready, now))
			continue;
		due = ctrl_time(ctrl_condition(pods[i], "Ready"),
				"lastTransitionTime") + min_ready - now;
		if (soonest < 0 || due < soonest)
			soonest = due < 0 ? 0 : due;
	}
	if (soonest >= 0 && b->k->requeue)
		b->k->requeue(b->c, b->owner, soonest * 1000 + 100);
}

/* Write the owner's status from its pods when it changed; false on failure. */
static bool write_status(struct rep_batch *b, const cJSON **pods, size_t n)
{
	const cJSON *owner = b->owner;
	int64_t gen = 0, ready = 0, avail = 0, labeled = 0, min_ready = 0;
	int64_t now = time(NULL);
	const cJSON *tl = json_get(owner, "spec.template.metadata.labels");
	cJSON *st = cJSON_CreateObject(), *r;
	int code;

	json_get_int(owner, "spec.minReadySeconds", &min_ready);
	for (size_t i = 0; i < n; i++) {
		ready += ctrl_pod_ready(pods[i]);
		avail += ctrl_pod_available(pods[i], min_ready, now);
		labeled += ctrl_labels_subset(json_get(pods[i], "metadata.labels"), tl);
	}
	if (avail < ready)
		requeue_min_ready(b, pods, n, min_ready, now);
	json_get_int(owner, "metadata.generation", &gen);
	json_set_int(st, "replicas", (int64_t)n);
	json_set_int(st, "fullyLabeledReplicas", labeled);
	if (ready)
		json_set_int(st, "readyReplicas", ready);
	if (avail)
		json_set_int(st, "availableReplicas", avail);
	json_set_int(st, "observedGeneration", gen);
	if (json_get(owner, "status.conditions"))
		json_set(st, "conditions", json_dup(json_get(owner, "status.conditions")));
	if (json_equal(st, json_get(owner, "status"))) {
		cJSON_Delete(st);
		return true;
	}
	r = json_dup(owner);
	json_set(r, "status", st);
	code = ctrl_put(b->c, r, b->k->plural, "status");
	cJSON_Delete(r);
	return code == 200 || code == 404;	/* 404: deleted meanwhile */
}

bool ctrl_replicas_sync(struct ctrl *c, const struct ctrl_rep_kind *k,
			const cJSON *owner, const cJSON *selector,
			const cJSON *pods)
{
	struct rep_batch b = { .c = c, .k = k, .owner = owner };
	const cJSON **own;
	size_t n = owned_pods(c, owner, selector, pods, &own);
	int64_t want = 1;
	bool ok = true;

	json_get_int(owner, "spec.replicas", &want);
	if (want < 0)
		want = 0;
	if ((int64_t)n < want) {
		ok = create_missing(&b, want - (int64_t)n);
	} else if ((int64_t)n > want) {
		b.pods = own;
		qsort(own, n, sizeof(*own), cmp_rank);
		ctrl_parallel(n - (size_t)want, delete_one, &b);
	}
	ok &= write_status(&b, own, n);
	free(own);
	return ok;
}
