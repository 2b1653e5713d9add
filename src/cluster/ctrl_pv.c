/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_pv: persistent volumes: the default StorageClass, binding and a
 * local-path provisioner.
 *
 * At start the StorageClass `standard` (default class, provisioner
 * kdeck.io/local-path, WaitForFirstConsumer, reclaim Delete) is created
 * if missing.  Each pass: claims without a class get the default one
 * (what the DefaultStorageClass admission plugin does at create); a
 * pending claim binds to the smallest Available volume of its class that
 * is large enough and has its access modes; else, for a class of our
 * provisioner, a volume pvc-<claim uid> with a hostPath directory
 * <data_dir>/volumes/pvc-<uid> is provisioned - for WaitForFirstConsumer
 * once a pod using the claim is on a node (the claim then gets
 * volume.kubernetes.io/selected-node, the volume node affinity to it).
 * Binding sets the volume's claimRef and the claim's volumeName, the
 * bind-completed / bound-by-controller annotations and phases Bound.  A
 * volume whose claim is gone is Released; with reclaim policy Delete a
 * provisioned one is deleted with its directory, Retain keeps both.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/quantity.h"

#define PV_COMPONENT "persistentvolume-controller"
#define PROVISIONER "kdeck.io/local-path"
#define DEFAULT_CLASS "standard"
#define ANN_NODE "metadata.annotations.volume\\.kubernetes\\.io/selected-node"

static void ensure_class(struct ctrl *c)
{
	cJSON *sc;
	int st;

	if (c->class_made)
		return;
	sc = cJSON_CreateObject();
	json_set_str(sc, "apiVersion", "storage.k8s.io/v1");
	json_set_str(sc, "kind", "StorageClass");
	json_set_str(sc, "metadata.name", DEFAULT_CLASS);
	json_set_str(sc, "metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class", "true");
	json_set_str(sc, "provisioner", PROVISIONER);
	json_set_str(sc, "reclaimPolicy", "Delete");
	json_set_str(sc, "volumeBindingMode", "WaitForFirstConsumer");
	st = ctrl_call(c, CTRL_USER_CM, "POST", "/apis/storage.k8s.io/v1/storageclasses",
		       sc, NULL);
	c->class_made = st == 201 || st == 409;
	cJSON_Delete(sc);
}

static int64_t bytes(const char *q)
{
	struct quantity v;
	struct err e;

	return q && quantity_parse(q, &v, &e) == 0 ? quantity_value(&v) : 0;
}

static const cJSON *find_name(const cJSON *arr, const char *name)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
		if (!strcmp(json_get_str(x, "metadata.name") ?: "", name ?: ""))
			return x;
	return NULL;
}

static const cJSON *default_class(const cJSON *classes)
{
	const cJSON *sc;

	cJSON_ArrayForEach(sc, classes)
		if (!strcmp(json_get_str(sc, "metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class") ?: "",
			    "true"))
			return sc;
	return NULL;
}

static bool modes_cover(const cJSON *pv, const cJSON *pvc)
{
	const cJSON *m, *h;

	cJSON_ArrayForEach(m, json_get(pvc, "spec.accessModes")) {
		bool found = false;

		cJSON_ArrayForEach(h, json_get(pv, "spec.accessModes"))
			found |= cJSON_IsString(h) && cJSON_IsString(m) &&
				 !strcmp(h->valuestring, m->valuestring);
		if (!found)
			return false;
	}
	return true;
}

/* The smallest Available unclaimed volume that fits pvc, or NULL. */
static const cJSON *match(const cJSON *pvs, const cJSON *pvc)
{
	const char *cls = json_get_str(pvc, "spec.storageClassName") ?: "";
	int64_t want = bytes(json_get_str(pvc, "spec.resources.requests.storage"));
	const cJSON *pv, *best = NULL;

	cJSON_ArrayForEach(pv, pvs) {
		int64_t have = bytes(json_get_str(pv, "spec.capacity.storage"));

		if (json_get(pv, "spec.claimRef") || json_get(pv, "metadata.deletionTimestamp") ||
		    strcmp(json_get_str(pv, "spec.storageClassName") ?: "", cls) ||
		    have < want || !modes_cover(pv, pvc))
			continue;
		if (!best || have < bytes(json_get_str(best, "spec.capacity.storage")))
			best = pv;
	}
	return best;
}

static cJSON *claim_ref(const cJSON *pvc)
{
	cJSON *r = cJSON_CreateObject();

	json_set_str(r, "kind", "PersistentVolumeClaim");
	json_set_str(r, "namespace", json_get_str(pvc, "metadata.namespace"));
	json_set_str(r, "name", json_get_str(pvc, "metadata.name"));
	json_set_str(r, "uid", json_get_str(pvc, "metadata.uid"));
	json_set_str(r, "apiVersion", "v1");
	json_set_str(r, "resourceVersion", json_get_str(pvc, "metadata.resourceVersion"));
	return r;
}

/* Set the phase (status subresource) of obj if it differs. */
static void set_phase(struct ctrl *c, const cJSON *obj, const char *plural,
		      const char *phase, const cJSON *pv)
{
	cJSON *w;

	if (!strcmp(json_get_str(obj, "status.phase") ?: "", phase) &&
	    (!pv || json_get(obj, "status.capacity")))
		return;
	w = json_dup(obj);
	json_set_str(w, "status.phase", phase);
	if (pv) {
		json_set(w, "status.accessModes", json_dup(json_get(pv, "spec.accessModes")));
		json_set(w, "status.capacity", json_dup(json_get(pv, "spec.capacity")));
	}
	ctrl_put(c, w, plural, "status");
	cJSON_Delete(w);
}

/* Bind pv (claimRef pointing at pvc, or free) and pvc to each other. */
static void bind(struct ctrl *c, const cJSON *pv, const cJSON *pvc)
{
	cJSON *v = json_dup(pv), *out = NULL;
	char msg[400];
	int st = 200;

	if (!json_get(pv, "spec.claimRef")) {
		json_set(v, "spec.claimRef", claim_ref(pvc));
		json_set_str(v, "metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller", "yes");
		st = ctrl_put(c, v, "persistentvolumes", NULL);
	}
	cJSON_Delete(v);
	if (st != 200)
		return;
	v = json_dup(pvc);
	json_set_str(v, "spec.volumeName", json_get_str(pv, "metadata.name"));
	json_set_str(v, "metadata.annotations.pv\\.kubernetes\\.io/bind-completed", "yes");
	json_set_str(v, "metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller", "yes");
	if (ctrl_call(c, CTRL_USER_CM, "PUT", (ctrl_obj_path(v, "persistentvolumeclaims",
		      NULL, msg, sizeof(msg)), msg), v, &out) == 200 && out) {
		set_phase(c, pv, "persistentvolumes", "Bound", NULL);
		set_phase(c, out, "persistentvolumeclaims", "Bound", pv);
	}
	cJSON_Delete(out);
	cJSON_Delete(v);
}

/* A pod on a node that uses pvc: that node's name, else NULL. */
static const char *consumer_node(const cJSON *pods, const cJSON *pvc)
{
	const cJSON *pod, *vol;

	cJSON_ArrayForEach(pod, pods) {
		const char *nn = json_get_str(pod, "spec.nodeName");

		if (!nn || !*nn || strcmp(json_get_str(pod, "metadata.namespace") ?: "",
					  json_get_str(pvc, "metadata.namespace") ?: ""))
			continue;
		cJSON_ArrayForEach(vol, json_get(pod, "spec.volumes"))
			if (!strcmp(json_get_str(vol, "persistentVolumeClaim.claimName") ?: "",
				    json_get_str(pvc, "metadata.name") ?: ""))
				return nn;
	}
	return NULL;
}

static char *volume_dir(const struct ctrl *c, const char *pv)
{
	return xasprintf("%s/volumes/%s", c->cfg.data_dir, pv);
}

/* Create the directory and the PV pre-bound to pvc; NULL node = any. */
static void provision(struct ctrl *c, const cJSON *pvc, const cJSON *sc,
		      const char *node)
{
	char name[128], *dir, *top;
	cJSON *pv = cJSON_CreateObject(), *out = NULL;

	snprintf(name, sizeof(name), "pvc-%s", json_get_str(pvc, "metadata.uid"));
	top = xasprintf("%s/volumes", c->cfg.data_dir);
	dir = volume_dir(c, name);
	(void)mkdir(top, 0755);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		goto out;
	json_set_str(pv, "apiVersion", "v1");
	json_set_str(pv, "kind", "PersistentVolume");
	json_set_str(pv, "metadata.name", name);
	json_set_str(pv, "metadata.annotations.pv\\.kubernetes\\.io/provisioned-by", PROVISIONER);
	json_set_str(pv, "spec.capacity.storage",
		     json_get_str(pvc, "spec.resources.requests.storage") ?: "1Gi");
	json_set(pv, "spec.accessModes", json_dup(json_get(pvc, "spec.accessModes")));
	json_set_str(pv, "spec.persistentVolumeReclaimPolicy",
		     json_get_str(sc, "reclaimPolicy") ?: "Delete");
	json_set_str(pv, "spec.storageClassName", json_get_str(sc, "metadata.name"));
	json_set_str(pv, "spec.volumeMode", "Filesystem");
	json_set_str(pv, "spec.hostPath.path", dir);
	json_set_str(pv, "spec.hostPath.type", "DirectoryOrCreate");
	json_set(pv, "spec.claimRef", claim_ref(pvc));
	if (node) {
		cJSON *terms = cJSON_CreateArray(), *t = cJSON_CreateObject();
		cJSON *exprs = cJSON_CreateArray(), *x = cJSON_CreateObject();

		json_set_str(x, "key", "kubernetes.io/hostname");
		json_set_str(x, "operator", "In");
		json_set(x, "values", cJSON_CreateStringArray(&node, 1));
		cJSON_AddItemToArray(exprs, x);
		json_set(t, "matchExpressions", exprs);
		cJSON_AddItemToArray(terms, t);
		json_set(pv, "spec.nodeAffinity.required.nodeSelectorTerms", terms);
	}
	if (ctrl_call(c, CTRL_USER_CM, "POST", "/api/v1/persistentvolumes", pv, &out) == 201 &&
	    out) {
		char msg[300];

		snprintf(msg, sizeof(msg), "Successfully provisioned volume %s", name);
		ctrl_event(c, PROVISIONER, CTRL_USER_CM, pvc, "Normal",
			   "ProvisioningSucceeded", "Provision", msg);
		bind(c, out, pvc);
	}
out:
	cJSON_Delete(out);
	cJSON_Delete(pv);
	free(dir);
	free(top);
}

static void claim_sync(struct ctrl *c, const cJSON *pvc, const cJSON *pvs,
		       const cJSON *classes, const cJSON *pods)
{
	const char *vn = json_get_str(pvc, "spec.volumeName");
	const char *cls = json_get_str(pvc, "spec.storageClassName");
	const cJSON *pv, *sc, *dflt = default_class(classes);
	const char *node;
	cJSON *w;

	if (vn && *vn) {
		pv = find_name(pvs, vn);
		if (!pv)
			set_phase(c, pvc, "persistentvolumeclaims", "Lost", NULL);
		else if (!strcmp(json_get_str(pv, "spec.claimRef.uid") ?: "",
				 json_get_str(pvc, "metadata.uid") ?: ""))
			set_phase(c, pvc, "persistentvolumeclaims", "Bound", pv);
		return;
	}
	if (!cls && dflt) {
		w = json_dup(pvc);
		json_set_str(w, "spec.storageClassName", json_get_str(dflt, "metadata.name"));
		ctrl_put(c, w, "persistentvolumeclaims", NULL);
		cJSON_Delete(w);
		return;
	}
	set_phase(c, pvc, "persistentvolumeclaims", "Pending", NULL);
	cJSON_ArrayForEach(pv, pvs)	/* pre-bound to this claim */
		if (!strcmp(json_get_str(pv, "spec.claimRef.uid") ?: "",
			    json_get_str(pvc, "metadata.uid") ?: "")) {
			bind(c, pv, pvc);
			return;
		}
	if ((pv = match(pvs, pvc))) {
		bind(c, pv, pvc);
		return;
	}
	sc = find_name(classes, cls);
	if (!sc || strcmp(json_get_str(sc, "provisioner") ?: "", PROVISIONER) ||
	    !c->cfg.data_dir)
		return;
	node = json_get_str(pvc, ANN_NODE);
	if (!node && !strcmp(json_get_str(sc, "volumeBindingMode") ?: "",
			     "WaitForFirstConsumer")) {
		if (!(node = consumer_node(pods, pvc)))
			return;
		w = json_dup(pvc);
		json_set_str(w, ANN_NODE, node);
		json_set_str(w, "metadata.annotations.volume\\.kubernetes\\.io/storage-provisioner",
			     PROVISIONER);
		ctrl_put(c, w, "persistentvolumeclaims", NULL);
		cJSON_Delete(w);
		return;	/* provisioned next pass, from the annotated claim */
	}
	provision(c, pvc, sc, node);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Released volumes: reclaim (Delete: directory and object). */
static void volume_sync(struct ctrl *c, const cJSON *pv, const cJSON *pvcs)
{
	const cJSON *ref = json_get(pv, "spec.claimRef"), *pvc;
	const char *pol = json_get_str(pv, "spec.persistentVolumeReclaimPolicy") ?: "Retain";
	char path[512], *dir;
	bool ours = !strcmp(json_get_str(pv,
		"metadata.annotations.pv\\.kubernetes\\.io/provisioned-by") ?: "", PROVISIONER);

	if (!ref) {
		set_phase(c, pv, "persistentvolumes", "Available", NULL);
		return;
	}
	pvc = NULL;
	cJSON_ArrayForEach(pvc, pvcs)
		if (!strcmp(json_get_str(pvc, "metadata.uid") ?: "",
			    json_get_str(ref, "uid") ?: "-"))
			break;
	if (pvc || !json_get_str(ref, "uid"))
		return;
	set_phase(c, pv, "persistentvolumes", "Released", NULL);
	if (strcmp(pol, "Delete") || !ours || !c->cfg.data_dir)
		return;
	dir = volume_dir(c, json_get_str(pv, "metadata.name"));
	if (!strcmp(json_get_str(pv, "spec.hostPath.path") ?: "", dir))
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	ctrl_obj_path(pv, "persistentvolumes", NULL, path, sizeof(path));
	ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL);
}

static cJSON *list_of(struct ctrl *c, const char *group, const char *res)
{
	char *k = store_key(group, res, NULL, NULL);
	cJSON *l = ctrl_list(c, k);

	free(k);
	return l;
}

void pv_sync(struct ctrl *c, const cJSON *pods)
{
	cJSON *pvcs, *pvs, *classes;
	const cJSON *x;

	ensure_class(c);
	pvcs = list_of(c, NULL, "persistentvolumeclaims");
	pvs = list_of(c, NULL, "persistentvolumes");
	classes = list_of(c, "storage.k8s.io", "storageclasses");
	cJSON_ArrayForEach(x, pvcs)
		if (!json_get(x, "metadata.deletionTimestamp"))
			claim_sync(c, x, pvs, classes, pods);
	cJSON_Delete(pvs);
	pvs = list_of(c, NULL, "persistentvolumes");
	cJSON_ArrayForEach(x, pvs)
		if (!json_get(x, "metadata.deletionTimestamp"))
			volume_sync(c, x, pvcs);
	cJSON_Delete(pvs);
	cJSON_Delete(pvcs);
	cJSON_Delete(classes);
}
