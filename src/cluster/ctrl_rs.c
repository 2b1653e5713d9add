/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_rs: the ReplicaSet controller, one level-triggered pass.
 *
 * For every live ReplicaSet: pods in its namespace that it controls
 * (ownerReference controller=true with its uid), plus orphans matching
 * its selector (adopted by adding the controller reference); then pods
 * are created (<rs>-<5 random>, from the template, with the controller
 * reference) or deleted (unscheduled < pending < not ready < ready first)
 * to reach spec.replicas, and status is written when it changed.  At
 * most RS_BURST creations per ReplicaSet and pass (the next pass
 * continues), like the slow-start batches of kube-controller-manager.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/selector.h"

#define RS_BURST 500
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

static void create_pod(struct ctrl *c, const cJSON *rs)
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

static void write_status(struct ctrl *c, const cJSON *rs, cJSON **pods,
			 size_t n)
{
	int64_t gen = 0, ready = 0, labeled = 0;
	const cJSON *tl = json_get(rs, "spec.template.metadata.labels");
	cJSON *st = cJSON_CreateObject(), *r;
	char path[320];

	for (size_t i = 0; i < n; i++) {
		ready += ctrl_pod_ready(pods[i]);
		labeled += labels_superset(json_get(pods[i], "metadata.labels"), tl);
	}
	json_get_int(rs, "metadata.generation", &gen);
	json_set_int(st, "replicas", (int64_t)n);
	json_set_int(st, "fullyLabeledReplicas", labeled);
	if (ready) {
		json_set_int(st, "readyReplicas", ready);
		json_set_int(st, "availableReplicas", ready);
	}
	json_set_int(st, "observedGeneration", gen);
	if (json_get(rs, "status.conditions"))
		json_set(st, "conditions", json_dup(json_get(rs, "status.conditions")));
	if (json_equal(st, json_get(rs, "status"))) {
		cJSON_Delete(st);
		return;
	}
	r = json_dup(rs);
	json_set(r, "status", st);
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/replicasets/%s/status",
		 json_get_str(rs, "metadata.namespace"),
		 json_get_str(rs, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, r, NULL);
	cJSON_Delete(r);
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

static void rs_sync_one(struct ctrl *c, const cJSON *rs, const cJSON *pods)
{
	cJSON **own;
	size_t n = owned_pods(c, rs, pods, &own);
	int64_t want = 1;

	json_get_int(rs, "spec.replicas", &want);
	if ((int64_t)n < want) {
		for (int64_t i = 0; i < want - (int64_t)n && i < RS_BURST; i++)
			create_pod(c, rs);
	} else if ((int64_t)n > want) {
		qsort(own, n, sizeof(*own), cmp_rank);
		for (size_t i = 0; i < n - (size_t)want; i++)
			delete_pod(c, rs, own[i]);
	}
	write_status(c, rs, own, n);
	free(own);
}

void rs_sync(struct ctrl *c, const cJSON *rss, const cJSON *pods)
{
	const cJSON *rs;

	cJSON_ArrayForEach(rs, rss)
		if (!json_get(rs, "metadata.deletionTimestamp"))
			rs_sync_one(c, rs, pods);
}
