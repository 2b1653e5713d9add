/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_sts: the StatefulSet controller, one level-triggered pass.
 *
 * Pods are <sts>-<ordinal> (hostname = pod name, subdomain =
 * serviceName, labels statefulset.kubernetes.io/pod-name,
 * apps.kubernetes.io/pod-index and controller-revision-hash).  The
 * revision of the template is <sts>-<FNV hash>, stored as a
 * ControllerRevision.  Each volumeClaimTemplate gives a PVC
 * <template>-<sts>-<ordinal>, created before the pod and kept when the
 * pod goes (persistentVolumeClaimRetentionPolicy: whenDeleted=Delete
 * makes the StatefulSet own them, whenScaled=Delete deletes them on
 * scale-down).  OrderedReady creates ordinals upwards one at a time, each
 * Running and Ready before the next, and removes from the highest;
 * Parallel does all at once.  RollingUpdate replaces pods of another
 * revision from the highest ordinal down to partition, one at a time
 * once all are ready; OnDelete only uses the new revision for pods that
 * are recreated.  minReadySeconds: a pod counts as available (status.
 * availableReplicas) once Ready for that long, and OrderedReady creation
 * and rolling updates wait for availability, as the real controller does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"

#define S_COMPONENT "statefulset-controller"
#define S_MAX 1024
#define REV_LABEL "controller-revision-hash"
#define REV_PATH "metadata.labels.controller-revision-hash"

struct sstate {
	const cJSON *s;
	const cJSON *pod[S_MAX];	/* by ordinal (borrowed), NULL if none */
	int64_t replicas, partition, min_ready;
	bool parallel, ondelete;
	char rev[300];			/* update revision name */
	const char *cur;		/* current revision name */
};

static void sevent(struct ctrl *c, const cJSON *s, const char *reason,
		   const char *msg)
{
	ctrl_event(c, S_COMPONENT, CTRL_USER_CM, s, "Normal", reason, "", msg);
}

/* Ordinal of a pod named <sts>-<n>, or -1. */
static int64_t ordinal(const char *sts, const char *pod)
{
	size_t l = strlen(sts);
	char *end;
	long long v;

	if (!pod || strncmp(pod, sts, l) || pod[l] != '-' || !pod[l + 1])
		return -1;
	v = strtoll(pod + l + 1, &end, 10);
	return *end || v < 0 || v >= S_MAX ? -1 : v;
}

static void revision_name(const cJSON *s, char *out, size_t n)
{
	char *text = json_canonical(json_get(s, "spec.template"));
	uint32_t h = 2166136261u;

	for (const char *p = text; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	free(text);
	snprintf(out, n, "%s-%x", json_get_str(s, "metadata.name"), h);
}

static void claim_name(const cJSON *tmpl, const cJSON *s, int64_t i,
		       char *out, size_t n)
{
	snprintf(out, n, "%s-%s-%lld", json_get_str(tmpl, "metadata.name"),
		 json_get_str(s, "metadata.name"), (long long)i);
}

/* PVCs of ordinal i from the claim templates (existing ones kept). */
static void ensure_claims(struct ctrl *c, const struct sstate *st, int64_t i)
{
	const char *ns = json_get_str(st->s, "metadata.namespace");
	const cJSON *t;
	char name[320], path[640], msg[800];

	cJSON_ArrayForEach(t, json_get(st->s, "spec.volumeClaimTemplates")) {
		cJSON *pvc;

		claim_name(t, st->s, i, name, sizeof(name));
		snprintf(path, sizeof(path),
			 "/api/v1/namespaces/%s/persistentvolumeclaims/%s", ns, name);
		if (ctrl_call(c, CTRL_USER_CM, "GET", path, NULL, NULL) == 200)
			continue;
		pvc = json_dup(t);
		json_set_str(pvc, "apiVersion", "v1");
		json_set_str(pvc, "kind", "PersistentVolumeClaim");
		json_set_str(pvc, "metadata.name", name);
		json_set_str(pvc, "metadata.namespace", ns);
		json_del(pvc, "status");
		if (!json_get(pvc, "metadata.labels"))
			json_set(pvc, "metadata.labels", cJSON_CreateObject());
		{
			const cJSON *kv;

			cJSON_ArrayForEach(kv, json_get(st->s, "spec.selector.matchLabels"))
				cJSON_AddItemToObject(json_get(pvc, "metadata.labels"),
						      kv->string, json_dup(kv));
		}
		if (!strcmp(json_get_str(st->s, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted") ?: "",
			    "Delete")) {
			cJSON *refs = cJSON_CreateArray(), *r = ctrl_owner_ref(st->s);

			cJSON_ReplaceItemInObject(r, "controller", cJSON_CreateFalse());
			cJSON_AddItemToArray(refs, r);
			json_set(pvc, "metadata.ownerReferences", refs);
		}
		snprintf(path, sizeof(path),
			 "/api/v1/namespaces/%s/persistentvolumeclaims", ns);
		if (ctrl_call(c, CTRL_USER_CM, "POST", path, pvc, NULL) == 201) {
			snprintf(msg, sizeof(msg),
				 "create Claim %s Pod %s-%lld in StatefulSet %s success",
				 name, json_get_str(st->s, "metadata.name"), (long long)i,
				 json_get_str(st->s, "metadata.name"));
			sevent(c, st->s, "SuccessfulCreate", msg);
		}
		cJSON_Delete(pvc);
	}
}

static void delete_claims(struct ctrl *c, const struct sstate *st, int64_t i)
{
	const cJSON *t;
	char name[320], path[640];

	cJSON_ArrayForEach(t, json_get(st->s, "spec.volumeClaimTemplates")) {
		claim_name(t, st->s, i, name, sizeof(name));
		snprintf(path, sizeof(path),
			 "/api/v1/namespaces/%s/persistentvolumeclaims/%s",
			 json_get_str(st->s, "metadata.namespace"), name);
		ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL);
	}
}

static void create_pod(struct ctrl *c, const struct sstate *st, int64_t i)
{
	const char *sn = json_get_str(st->s, "metadata.name");
	const char *svc = json_get_str(st->s, "spec.serviceName");
	char name[320], num[24], claim[320], msg[800];
	const cJSON *t;
	cJSON *p, *vols, *v;

	snprintf(name, sizeof(name), "%s-%lld", sn, (long long)i);
	snprintf(num, sizeof(num), "%lld", (long long)i);
	p = ctrl_pod_from_template(st->s, "spec.template", name);
	if (!json_get(p, "metadata.labels"))
		json_set(p, "metadata.labels", cJSON_CreateObject());
	json_set_str(p, REV_PATH, st->rev);
	json_set_str(p, "metadata.labels.statefulset\\.kubernetes\\.io/pod-name", name);
	json_set_str(p, "metadata.labels.apps\\.kubernetes\\.io/pod-index", num);
	json_set_str(p, "spec.hostname", name);
	if (svc && *svc)
		json_set_str(p, "spec.subdomain", svc);
	vols = json_get(p, "spec.volumes");
	if (!cJSON_IsArray(vols)) {
		vols = cJSON_CreateArray();
		json_set(p, "spec.volumes", vols);
	}
	cJSON_ArrayForEach(t, json_get(st->s, "spec.volumeClaimTemplates")) {
		const char *vn = json_get_str(t, "metadata.name");
		int k = 0;

		cJSON_ArrayForEach(v, vols) {
			if (!strcmp(json_get_str(v, "name") ?: "", vn ?: ""))
				break;
			k++;
		}
		if (v)
			cJSON_DeleteItemFromArray(vols, k);
		claim_name(t, st->s, i, claim, sizeof(claim));
		v = cJSON_CreateObject();
		json_set_str(v, "name", vn);
		json_set_str(v, "persistentVolumeClaim.claimName", claim);
		cJSON_AddItemToArray(vols, v);
	}
	if (!cJSON_GetArraySize(vols))
		json_del(p, "spec.volumes");
	snprintf(msg, sizeof(msg), "/api/v1/namespaces/%s/pods",
		 json_get_str(st->s, "metadata.namespace"));
	if (ctrl_call(c, CTRL_USER_CM, "POST", msg, p, NULL) == 201) {
		snprintf(msg, sizeof(msg), "create Pod %s in StatefulSet %s successful",
			 name, sn);
		sevent(c, st->s, "SuccessfulCreate", msg);
	}
	cJSON_Delete(p);
}

static void delete_pod(struct ctrl *c, const struct sstate *st,
		       const cJSON *pod)
{
	char path[512], msg[800];

	ctrl_obj_path(pod, "pods", NULL, path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL) != 200)
		return;
	snprintf(msg, sizeof(msg), "delete Pod %s in StatefulSet %s successful",
		 json_get_str(pod, "metadata.name"), json_get_str(st->s, "metadata.name"));
	sevent(c, st->s, "SuccessfulDelete", msg);
}

static bool running_ready(const cJSON *pod)
{
	return pod && !json_get(pod, "metadata.deletionTimestamp") &&
	       !strcmp(json_get_str(pod, "status.phase") ?: "", "Running") &&
	       ctrl_pod_ready(pod);
}

/* Running and available (Ready for minReadySeconds): ordered steps wait on it. */
static bool healthy(const struct sstate *st, const cJSON *pod)
{
	return running_ready(pod) &&
	       ctrl_pod_available(pod, st->min_ready, (int64_t)time(NULL));
}

/* Create/replace ordinals below replicas; false while waiting. */
static bool scale_up(struct ctrl *c, struct sstate *st)
{
	bool all = true;

	for (int64_t i = 0; i < st->replicas && i < S_MAX; i++) {
		const cJSON *pod = st->pod[i];

		if (!pod) {
			ensure_claims(c, st, i);
			create_pod(c, st, i);
		} else if (ctrl_pod_terminal(pod) &&
			   !json_get(pod, "metadata.deletionTimestamp")) {
			delete_pod(c, st, pod);
		}
		if (!healthy(st, pod)) {
			all = false;
			if (!st->parallel)
				return false;
		}
	}
	return all;
}

/* Remove ordinals >= replicas, highest first (one at a time if ordered). */
static bool scale_down(struct ctrl *c, struct sstate *st, bool ready)
{
	bool scaled = !strcmp(json_get_str(st->s,
		"spec.persistentVolumeClaimRetentionPolicy.whenScaled") ?: "", "Delete");
	bool any = false;

	for (int64_t i = S_MAX - 1; i >= st->replicas; i--) {
		const cJSON *pod = st->pod[i];

		if (!pod)
			continue;
		any = true;
		if (json_get(pod, "metadata.deletionTimestamp")) {
			if (!st->parallel)
				return true;
			continue;
		}
		if (!st->parallel && !ready)
			return true;
		delete_pod(c, st, pod);
		if (scaled)
			delete_claims(c, st, i);
		if (!st->parallel)
			return true;
	}
	return any;
}

/* RollingUpdate: replace the highest outdated ordinal >= partition. */
static void roll(struct ctrl *c, struct sstate *st)
{
	for (int64_t i = st->replicas - 1; i >= st->partition && i >= 0; i--) {
		const cJSON *pod = st->pod[i];

		if (!pod || !healthy(st, pod))
			return;
		if (strcmp(json_get_str(pod, REV_PATH) ?: "", st->rev)) {
			delete_pod(c, st, pod);
			return;
		}
	}
}

static void write_status(struct ctrl *c, const struct sstate *st)
{
	int64_t n = 0, ready = 0, avail = 0, cur = 0, upd = 0, gen = 0;
	cJSON *w = json_dup(st->s);
	const char *crev = st->cur;

	for (int64_t i = 0; i < S_MAX; i++) {
		const cJSON *p = st->pod[i];
		const char *r = p ? json_get_str(p, REV_PATH) ?: "" : "";

		if (!p || ctrl_pod_terminal(p))
			continue;
		n++;
		ready += running_ready(p);
		avail += healthy(st, p);
		cur += !strcmp(r, crev);
		upd += !strcmp(r, st->rev);
	}
	if (!st->ondelete && upd == n && ready == n && n == st->replicas) {
		crev = st->rev;
		cur = upd;
	}
	json_get_int(st->s, "metadata.generation", &gen);
	json_set(w, "status", cJSON_CreateObject());
	json_set_int(w, "status.observedGeneration", gen);
	json_set_int(w, "status.replicas", n);
	json_set_int(w, "status.readyReplicas", ready);
	json_set_int(w, "status.currentReplicas", cur);
	json_set_int(w, "status.updatedReplicas", upd);
	json_set_int(w, "status.availableReplicas", avail);
	json_set_str(w, "status.currentRevision", crev);
	json_set_str(w, "status.updateRevision", st->rev);
	json_set_int(w, "status.collisionCount", 0);
	if (!json_equal(json_get(w, "status"), json_get(st->s, "status")))
		ctrl_put(c, w, "statefulsets", "status");
	cJSON_Delete(w);
}

static void sts_sync_one(struct ctrl *c, const cJSON *s, const cJSON *pods)
{
	struct sstate *st = xcalloc(1, sizeof(*st));
	const char *uid = json_get_str(s, "metadata.uid");
	const char *name = json_get_str(s, "metadata.name");
	const cJSON *pod;
	bool ready;

	st->s = s;
	st->replicas = 1;
	json_get_int(s, "spec.replicas", &st->replicas);
	json_get_int(s, "spec.minReadySeconds", &st->min_ready);
	json_get_int(s, "spec.updateStrategy.rollingUpdate.partition", &st->partition);
	st->parallel = !strcmp(json_get_str(s, "spec.podManagementPolicy") ?: "", "Parallel");
	st->ondelete = !strcmp(json_get_str(s, "spec.updateStrategy.type") ?: "", "OnDelete");
	revision_name(s, st->rev, sizeof(st->rev));
	st->cur = json_get_str(s, "status.currentRevision") ?: st->rev;
	cJSON_ArrayForEach(pod, pods) {
		int64_t i = ordinal(name, json_get_str(pod, "metadata.name"));

		if (i >= 0 && ctrl_owned_by(pod, uid))
			st->pod[i] = pod;
	}
	ctrl_ensure_revision(c, s, st->rev, st->rev);
	ready = scale_up(c, st);
	if (!scale_down(c, st, ready) && ready && !st->ondelete)
		roll(c, st);
	write_status(c, st);
	free(st);
}

void sts_sync(struct ctrl *c, const cJSON *stss, const cJSON *pods)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, stss)
		if (!json_get(s, "metadata.deletionTimestamp"))
			sts_sync_one(c, s, pods);
}
