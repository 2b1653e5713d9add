/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_pdb: the disruption controller (pkg/controller/disruption).  For
 * each PodDisruptionBudget queued (pdb_observe: the PDB changed, a pod it
 * selects changed, a workload of its namespace changed; all every
 * PDB_RESYNC_S, when recently disrupted pods expire): the pods it selects, how many are
 * expected (the selected pods for an integer minAvailable, otherwise the
 * scale of their controllers: ReplicaSet - or its Deployment -,
 * StatefulSet, ReplicationController), how many must stay healthy
 * (minAvailable, or expected - maxUnavailable; percentages round up),
 * how many are healthy now (Ready, not being deleted, not recently
 * evicted: status.disruptedPods) and so how many disruptions are allowed.
 * Status and condition DisruptionAllowed are written when they change;
 * a pod whose controller has no scale makes the sync fail (condition
 * reason SyncFailed, no disruption allowed).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/ctrl_queue.h"
#include "cluster/pdb.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"
#include "common/selector.h"

bool pdb_selects(const cJSON *pdb, const cJSON *pod)
{
	struct label_selector *sel = NULL;
	struct err e;
	bool m;

	if (selector_from_json(json_get(pdb, "spec.selector"), &sel, &e) < 0)
		return false;
	m = sel && selector_matches(sel, json_get(pod, "metadata.labels"));
	selector_free(sel);
	return m;
}

void pdb_update_condition(cJSON *pdb)
{
	int64_t allowed = 0, gen = 0;
	cJSON *cd;

	json_get_int(pdb, "status.disruptionsAllowed", &allowed);
	json_get_int(pdb, "status.observedGeneration", &gen);
	if (allowed > 0)
		ctrl_set_condition(pdb, "DisruptionAllowed", "True", "SufficientPods", "", false);
	else
		ctrl_set_condition(pdb, "DisruptionAllowed", "False", "InsufficientPods", "", false);
	cd = (cJSON *)ctrl_condition(pdb, "DisruptionAllowed");
	if (cd)
		json_set_int(cd, "observedGeneration", gen);
}

/* Scale (spec.replicas) of the object at group/plural ns/name; -1 if gone. */
static int64_t replicas_of(struct ctrl *c, const char *group,
			   const char *plural, const char *ns,
			   const char *name, cJSON **out)
{
	char *k = store_key(group, plural, ns, name);
	const struct store_obj *so = NULL;
	int64_t n = 1;
	struct err e;
	cJSON *o;

	if (store_get(c->store, k, &so, &e) < 0) {
		free(k);
		return -1;
	}
	free(k);
	o = store_obj_parse(so);
	store_obj_unref(so);
	json_get_int(o, "spec.replicas", &n);
	if (out)
		*out = o;
	else
		cJSON_Delete(o);
	return n;
}

/* Scale of pod's controller into *n, its uid into uid; -1 on failure. */
static int controller_scale(struct ctrl *c, const cJSON *pod, int64_t *n,
			    char *uid, size_t un, char *msg, size_t mn)
{
	const cJSON *ref = ctrl_controller_ref(pod);
	const char *ns = json_get_str(pod, "metadata.namespace");
	const char *kind = ref ? json_get_str(ref, "kind") : NULL;
	const char *name = ref ? json_get_str(ref, "name") : NULL;
	cJSON *rs = NULL;
	const cJSON *dref;

	if (!kind || !name)
		return 1;	/* unmanaged: ignored, as Kubernetes does */
	snprintf(uid, un, "%s", json_get_str(ref, "uid") ?: name);
	if (!strcmp(kind, "ReplicaSet")) {
		*n = replicas_of(c, "apps", "replicasets", ns, name, &rs);
		dref = rs ? ctrl_controller_ref(rs) : NULL;
		if (dref && !strcmp(json_get_str(dref, "kind") ?: "", "Deployment")) {
			snprintf(uid, un, "%s", json_get_str(dref, "uid") ?: "");
			*n = replicas_of(c, "apps", "deployments", ns,
					 json_get_str(dref, "name") ?: "", NULL);
		}
		cJSON_Delete(rs);
	} else if (!strcmp(kind, "StatefulSet")) {
		*n = replicas_of(c, "apps", "statefulsets", ns, name, NULL);
	} else if (!strcmp(kind, "ReplicationController")) {
		*n = replicas_of(c, "", "replicationcontrollers", ns, name, NULL);
	} else {
		*n = -1;
	}
	if (*n >= 0)
		return 0;
	snprintf(msg, mn, "found no controllers for pod \"%s\"",
		 json_get_str(pod, "metadata.name") ?: "");
	return -1;
}

/* getExpectedScale: sum of the scales of the pods' distinct controllers. */
static int expected_scale(struct ctrl *c, const cJSON *pods, int64_t *out,
			  char *msg, size_t mn)
{
	cJSON *seen = cJSON_CreateObject();
	const cJSON *p;
	int64_t sum = 0;
	int rc = 0;

	cJSON_ArrayForEach(p, pods) {
		char uid[128];
		int64_t n = 0;
		int r = controller_scale(c, p, &n, uid, sizeof(uid), msg, mn);

		if (r < 0) {
			rc = -1;
			break;
		}
		if (r > 0 || cJSON_GetObjectItemCaseSensitive(seen, uid))
			continue;
		cJSON_AddTrueToObject(seen, uid);
		sum += n;
	}
	cJSON_Delete(seen);
	*out = sum;
	return rc;
}

/* An int-or-percent value scaled to total, rounded up. */
static int64_t scaled(const cJSON *v, int64_t total)
{
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (cJSON_IsString(v)) {
		double pct = strtod(v->valuestring, NULL);

		return (int64_t)ceil(pct * (double)total / 100.0);
	}
	return 0;
}

/* expected and desired healthy counts; -1 with msg on failure. */
static int desired(struct ctrl *c, const cJSON *pdb, const cJSON *pods,
		   int64_t *expected, int64_t *want, char *msg, size_t mn)
{
	const cJSON *maxu = json_get(pdb, "spec.maxUnavailable");
	const cJSON *mina = json_get(pdb, "spec.minAvailable");

	*expected = *want = 0;
	if (maxu && !cJSON_IsNull(maxu)) {
		if (expected_scale(c, pods, expected, msg, mn) < 0)
			return -1;
		*want = *expected - scaled(maxu, *expected);
		if (*want < 0)
			*want = 0;
	} else if (cJSON_IsNumber(mina)) {
		*want = (int64_t)mina->valuedouble;
		*expected = cJSON_GetArraySize(pods);
	} else if (cJSON_IsString(mina)) {
		if (expected_scale(c, pods, expected, msg, mn) < 0)
			return -1;
		*want = scaled(mina, *expected);
	}
	return 0;
}

/* Unix seconds of an RFC 3339 string; 0 if it does not parse. */
static int64_t unix_of(const cJSON *v)
{
	struct ktime t;
	struct err e;

	return cJSON_IsString(v) && ktime_parse(v->valuestring, &t, &e) == 0 ? t.sec : 0;
}

static const cJSON *pod_named(const cJSON *pods, const char *name)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, pods)
		if (!strcmp(json_get_str(p, "metadata.name") ?: "", name))
			return p;
	return NULL;
}

/* status.disruptedPods without expired entries or pods gone/deleting. */
static cJSON *live_disrupted(const cJSON *pdb, const cJSON *pods,
			     int64_t now)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *d, *p;

	cJSON_ArrayForEach(d, json_get(pdb, "status.disruptedPods")) {
		p = pod_named(pods, d->string);
		if (p && !json_get(p, "metadata.deletionTimestamp") &&
		    unix_of(d) + PDB_DELETION_TIMEOUT_S > now)
			cJSON_AddItemToObject(out, d->string, cJSON_Duplicate(d, true));
	}
	return out;
}

/* countHealthyPods. */
static int64_t healthy(const cJSON *pods, const cJSON *disrupted)
{
	const cJSON *p;
	int64_t n = 0;

	cJSON_ArrayForEach(p, pods) {
		if (json_get(p, "metadata.deletionTimestamp") ||
		    cJSON_GetObjectItemCaseSensitive(disrupted, json_get_str(p, "metadata.name") ?: ""))
			continue;
		if (ctrl_pod_ready(p))
			n++;
	}
	return n;
}

/* The pods of pdb's namespace it selects (borrowed into a new array). */
static cJSON *selected(const cJSON *pdb, const cJSON *pods)
{
	const char *ns = json_get_str(pdb, "metadata.namespace") ?: "";
	cJSON *out = cJSON_CreateArray();
	struct label_selector *sel = NULL;
	const cJSON *p;
	struct err e;

	if (selector_from_json(json_get(pdb, "spec.selector"), &sel, &e) < 0)
		return out;
	cJSON_ArrayForEach(p, pods)
		if (sel && !strcmp(json_get_str(p, "metadata.namespace") ?: "", ns) &&
		    selector_matches(sel, json_get(p, "metadata.labels")))
			cJSON_AddItemReferenceToArray(out, (cJSON *)p);
	selector_free(sel);
	return out;
}

/* Fill nw's status from pdb and the pods (SyncFailed on failure). */
static void compute(struct ctrl *c, const cJSON *pdb, const cJSON *pods,
		    cJSON *nw)
{
	cJSON *sel = selected(pdb, pods), *dis;
	int64_t expected, want, cur, gen = 0, allowed;
	char msg[300];

	json_get_int(pdb, "metadata.generation", &gen);
	if (desired(c, pdb, sel, &expected, &want, msg, sizeof(msg)) < 0) {
		json_set_int(nw, "status.disruptionsAllowed", 0);
		ctrl_set_condition(nw, "DisruptionAllowed", "False", "SyncFailed", msg, false);
		cJSON_Delete(sel);
		return;
	}
	dis = live_disrupted(pdb, sel, time(NULL));
	cur = healthy(sel, dis);
	allowed = cur - want;
	if (expected <= 0 || allowed <= 0)
		allowed = 0;
	json_set_int(nw, "status.currentHealthy", cur);
	json_set_int(nw, "status.desiredHealthy", want);
	json_set_int(nw, "status.expectedPods", expected);
	json_set_int(nw, "status.disruptionsAllowed", allowed);
	json_set_int(nw, "status.observedGeneration", gen);
	if (cJSON_GetArraySize(dis))
		json_set(nw, "status.disruptedPods", dis);
	else {
		json_del(nw, "status.disruptedPods");
		cJSON_Delete(dis);
	}
	pdb_update_condition(nw);
	cJSON_Delete(sel);
}

#define PDB_RESYNC_S 30

/*
 * Queue keys: "ns/name" for a PDB; "ns\n<labels JSON>" for a pod that
 * changed (the PDBs of ns selecting those labels); "ns\n*" for every PDB
 * of ns (a workload's scale changed).
 */
static void observe_pod(struct ctrl *c, const cJSON *pod)
{
	char *labels = cJSON_PrintUnformatted(json_get(pod, "metadata.labels"));
	char *key = xasprintf("%s\n%s", json_get_str(pod, "metadata.namespace") ?: "",
			      labels ? labels : "{}");

	ctrl_queue_add(c->pdbq, key);
	free(key);
	free(labels);
}

void pdb_observe(struct ctrl *c, int kind, const cJSON *old, const cJSON *cur)
{
	char key[400];

	if (!c->pdbq)
		return;
	for (int i = 0; i < 2; i++) {
		const cJSON *o = i ? cur : old;
		const char *ns;

		if (!o)
			continue;
		ns = json_get_str(o, "metadata.namespace") ?: "";
		if (kind == CTRL_K_PODS) {
			observe_pod(c, o);
		} else if (kind == CTRL_K_PDB) {
			snprintf(key, sizeof(key), "%s/%s", ns,
				 json_get_str(o, "metadata.name") ?: "");
			ctrl_queue_add(c->pdbq, key);
		} else if (kind == CTRL_K_RS || kind == CTRL_K_DEPLOY ||
			   kind == CTRL_K_STS) {
			snprintf(key, sizeof(key), "%s\n*", ns);
			ctrl_queue_add(c->pdbq, key);
		}
	}
}

/* Mark in want[] the PDBs (in list order) that popped key concerns. */
static void mark(const cJSON *pdbs, const char *key, bool *want)
{
	const char *nl = strchr(key, '\n');
	size_t nsl = nl ? (size_t)(nl - key) : 0;
	cJSON *labels = nl && strcmp(nl + 1, "*") ? cJSON_Parse(nl + 1) : NULL;
	cJSON *pod = cJSON_CreateObject();
	const cJSON *b;
	char k[400];
	size_t i = 0;

	if (labels)
		cJSON_AddItemToObject(json_obj_ensure(pod, "metadata"), "labels", labels);
	cJSON_ArrayForEach(b, pdbs) {
		const char *ns = json_get_str(b, "metadata.namespace") ?: "";

		if (!nl) {
			snprintf(k, sizeof(k), "%s/%s", ns, json_get_str(b, "metadata.name") ?: "");
			want[i] |= !strcmp(k, key);
		} else if (strlen(ns) == nsl && !strncmp(ns, key, nsl)) {
			want[i] |= !labels || pdb_selects(b, pod);
		}
		i++;
	}
	cJSON_Delete(pod);
}

/* PDBs and pods from the informer cache (borrowed, read only). */
void pdb_sync(struct ctrl *c)
{
	const cJSON *pods = ctrl_cached(c, CTRL_K_PODS), *b;
	const cJSON *pdbs = ctrl_cached(c, CTRL_K_PDB);
	int64_t now = ctrl_queue_now_ms();
	bool all = !c->pdbq || !c->pdb_resync_ms ||
		   now - c->pdb_resync_ms >= PDB_RESYNC_S * 1000;
	bool *want = xcalloc((size_t)cJSON_GetArraySize(pdbs) + 1, sizeof(bool));
	size_t i = 0;
	char *key;

	if (all)
		c->pdb_resync_ms = now;
	while (c->pdbq && (key = ctrl_queue_pop(c->pdbq, now))) {
		if (!all)
			mark(pdbs, key, want);
		ctrl_queue_forget(c->pdbq, key);
		free(key);
	}
	cJSON_ArrayForEach(b, pdbs) {
		cJSON *nw;

		if (!all && !want[i++])
			continue;
		nw = cJSON_Duplicate(b, true);
		compute(c, b, pods, nw);
		if (!json_equal(json_get(nw, "status"), json_get(b, "status")))
			ctrl_put(c, nw, "poddisruptionbudgets", "status");
		cJSON_Delete(nw);
	}
	free(want);
}
