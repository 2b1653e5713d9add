/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_pvcprot: storage object in-use protection for claims.  The
 * StorageObjectInUseProtection admission plugin gives every new
 * PersistentVolumeClaim the finalizer kubernetes.io/pvc-protection
 * (pvcprot_defaults); the pvc-protection controller (pvcprot_sync)
 * removes it from a claim being deleted once no pod uses the claim any
 * more, so `kubectl delete pvc` of a mounted claim leaves it Terminating
 * until its pods are gone, as in Kubernetes.  A pod uses a claim when it
 * is scheduled (spec.nodeName), not Succeeded/Failed, and names the claim
 * in a persistentVolumeClaim volume or is the owner of a generic
 * ephemeral volume's claim (<pod>-<volume>).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"

#define PVC_FINALIZER "kubernetes.io/pvc-protection"

static bool has_finalizer(const cJSON *obj)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (cJSON_IsString(f) && !strcmp(f->valuestring, PVC_FINALIZER))
			return true;
	return false;
}

void pvcprot_defaults(cJSON *pvc, bool create)
{
	cJSON *fs = json_get(pvc, "metadata.finalizers");

	if (!create || has_finalizer(pvc))
		return;
	if (!cJSON_IsArray(fs)) {
		fs = cJSON_CreateArray();
		json_set(pvc, "metadata.finalizers", fs);
	}
	cJSON_AddItemToArray(fs, cJSON_CreateString(PVC_FINALIZER));
}

/* pod (scheduled, running or pending) mounts claim name. */
static bool pod_uses(const cJSON *pod, const char *name)
{
	const char *pn = json_get_str(pod, "metadata.name") ?: "";
	const char *nn = json_get_str(pod, "spec.nodeName");
	const cJSON *v;
	char eph[512];

	if (!nn || !*nn || ctrl_pod_terminal(pod))
		return false;
	cJSON_ArrayForEach(v, json_get(pod, "spec.volumes")) {
		const char *claim = json_get_str(v, "persistentVolumeClaim.claimName");

		snprintf(eph, sizeof(eph), "%s-%s", pn, json_get_str(v, "name") ?: "");
		if ((claim && !strcmp(claim, name)) ||
		    (json_get(v, "ephemeral") && !strcmp(eph, name)))
			return true;
	}
	return false;
}

static bool in_use(const cJSON *pvc, const cJSON *pods)
{
	const char *ns = json_get_str(pvc, "metadata.namespace") ?: "";
	const char *name = json_get_str(pvc, "metadata.name") ?: "";
	const cJSON *pod;

	cJSON_ArrayForEach(pod, pods)
		if (!strcmp(json_get_str(pod, "metadata.namespace") ?: "", ns) &&
		    pod_uses(pod, name))
			return true;
	return false;
}

/* Remove the finalizer (the claim then goes if it was the last). */
static void release(struct ctrl *c, const cJSON *pvc)
{
	cJSON *p = json_dup(pvc), *fs = json_get(p, "metadata.finalizers");
	int i = 0;
	const cJSON *f;

	cJSON_ArrayForEach(f, fs) {
		if (cJSON_IsString(f) && !strcmp(f->valuestring, PVC_FINALIZER))
			break;
		i++;
	}
	cJSON_DeleteItemFromArray(fs, i);
	ctrl_put(c, p, "persistentvolumeclaims", NULL);
	cJSON_Delete(p);
}

void pvcprot_sync(struct ctrl *c, const cJSON *pvcs, const cJSON *pods)
{
	const cJSON *pvc;

	cJSON_ArrayForEach(pvc, pvcs)
		if (json_get(pvc, "metadata.deletionTimestamp") &&
		    has_finalizer(pvc) && !in_use(pvc, pods))
			release(c, pvc);
}
