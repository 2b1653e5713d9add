/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_sa: what the API server's ServiceAccount admission plugin adds to
 * a new pod.  Unless the pod says automountServiceAccountToken: false,
 * it gets the projected volume kube-api-access-XXXXX (a ServiceAccount
 * token for 3607 s, the kube-root-ca.crt ConfigMap's ca.crt and the
 * namespace from the downward API) mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container and
 * init container that does not mount something there already.  The node
 * agent materializes it (node/podvol), so in-cluster clients work.
 *
 * admit_sa_pod is the part that reads the store, as the API server's
 * plugin does: the pod's ServiceAccount must exist (403 "error looking up
 * service account ns/sa: serviceaccount "sa" not found"), its
 * automountServiceAccountToken decides when the pod says nothing, and its
 * imagePullSecrets become the pod's when the pod names none.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cluster/admit.h"
#include "cluster/admit_int.h"
#include "cluster/store.h"
#include "common/json.h"

#define SA_MOUNT "/var/run/secrets/kubernetes.io/serviceaccount"

/* "kube-api-access-" and five characters as the API server picks them. */
static void volume_name(char out[32])
{
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
	unsigned char r[5];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)random();
	memcpy(out, "kube-api-access-", 16);
	for (size_t i = 0; i < 5; i++)
		out[16 + i] = alnum[r[i] % (sizeof(alnum) - 1)];
	out[21] = '\0';
}

static cJSON *projected(const char *name)
{
	cJSON *v = cJSON_CreateObject(), *p, *src, *s, *items, *it;

	cJSON_AddStringToObject(v, "name", name);
	p = cJSON_AddObjectToObject(v, "projected");
	cJSON_AddNumberToObject(p, "defaultMode", 420);
	src = cJSON_AddArrayToObject(p, "sources");
	s = cJSON_CreateObject();
	it = cJSON_AddObjectToObject(s, "serviceAccountToken");
	cJSON_AddNumberToObject(it, "expirationSeconds", 3607);
	cJSON_AddStringToObject(it, "path", "token");
	cJSON_AddItemToArray(src, s);
	s = cJSON_CreateObject();
	it = cJSON_AddObjectToObject(s, "configMap");
	cJSON_AddStringToObject(it, "name", "kube-root-ca.crt");
	items = cJSON_AddArrayToObject(it, "items");
	it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "key", "ca.crt");
	cJSON_AddStringToObject(it, "path", "ca.crt");
	cJSON_AddItemToArray(items, it);
	cJSON_AddItemToArray(src, s);
	s = cJSON_CreateObject();
	items = cJSON_AddArrayToObject(cJSON_AddObjectToObject(s, "downwardAPI"),
				       "items");
	it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "path", "namespace");
	it = (cJSON_AddItemToArray(items, it), it);
	p = cJSON_AddObjectToObject(it, "fieldRef");
	cJSON_AddStringToObject(p, "apiVersion", "v1");
	cJSON_AddStringToObject(p, "fieldPath", "metadata.namespace");
	cJSON_AddItemToArray(src, s);
	return v;
}

static bool mounts_there(const cJSON *ctr)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, json_get(ctr, "volumeMounts")) {
		const char *p = json_get_str(m, "mountPath");

		if (p && !strcmp(p, SA_MOUNT))
			return true;
	}
	return false;
}

static void mount_in(cJSON *list, const char *name)
{
	cJSON *c;

	cJSON_ArrayForEach(c, list) {
		cJSON *mounts = json_get(c, "volumeMounts"), *m;

		if (mounts_there(c))
			continue;
		if (!cJSON_IsArray(mounts)) {
			cJSON_DeleteItemFromObject(c, "volumeMounts");
			mounts = cJSON_AddArrayToObject(c, "volumeMounts");
		}
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "name", name);
		cJSON_AddBoolToObject(m, "readOnly", true);
		cJSON_AddStringToObject(m, "mountPath", SA_MOUNT);
		cJSON_AddItemToArray(mounts, m);
	}
}

void admit_sa_token_volume(cJSON *spec)
{
	cJSON *vols, *auto_ = json_get(spec, "automountServiceAccountToken");
	const cJSON *v;
	char name[32];

	if (cJSON_IsFalse(auto_))
		return;
	cJSON_ArrayForEach(v, json_get(spec, "volumes")) {
		const char *n = json_get_str(v, "name");

		if (n && !strncmp(n, "kube-api-access-", 16))
			return;	/* already there (an update or a re-create) */
	}
	volume_name(name);
	vols = json_get(spec, "volumes");
	if (!cJSON_IsArray(vols)) {
		cJSON_DeleteItemFromObject(spec, "volumes");
		vols = cJSON_AddArrayToObject(spec, "volumes");
	}
	cJSON_AddItemToArray(vols, projected(name));
	mount_in(json_get(spec, "containers"), name);
	mount_in(json_get(spec, "initContainers"), name);
}

/* The pod's ServiceAccount from the store, or NULL (e says why). */
static cJSON *service_account(struct store *st, const char *ns,
			      const char *name, struct err *e)
{
	char *key = store_key(NULL, "serviceaccounts", ns, name);
	const struct store_obj *so = NULL;
	cJSON *sa = NULL;

	if (store_get(st, key, &so, e) == 0) {
		sa = store_obj_parse(so);
		store_obj_unref(so);
	}
	free(key);
	return sa;
}

/* The SA's imagePullSecrets become the pod's when it names none. */
static void pull_secrets(cJSON *spec, const cJSON *sa)
{
	const cJSON *have = json_get(spec, "imagePullSecrets");
	const cJSON *from = json_get(sa, "imagePullSecrets"), *s;
	cJSON *list;

	if ((cJSON_IsArray(have) && cJSON_GetArraySize(have) > 0) ||
	    !cJSON_IsArray(from) || cJSON_GetArraySize(from) == 0)
		return;
	list = cJSON_CreateArray();
	cJSON_ArrayForEach(s, from) {
		const char *n = json_get_str(s, "name");
		cJSON *ref;

		if (!n)
			continue;
		ref = cJSON_CreateObject();
		cJSON_AddStringToObject(ref, "name", n);
		cJSON_AddItemToArray(list, ref);
	}
	json_set(spec, "imagePullSecrets", list);
}

int admit_sa_pod(struct store *st, const char *ns, const char *pod_name,
		 cJSON *pod, struct err *e)
{
	cJSON *spec = json_get(pod, "spec"), *sa;
	const char *name = json_get_str(spec, "serviceAccountName");
	const cJSON *pod_auto = json_get(spec, "automountServiceAccountToken");
	const cJSON *sa_auto;
	struct err ge;

	if (!cJSON_IsObject(spec) || !name || !*name)
		return 0;
	err_clear(&ge);
	if (!(sa = service_account(st, ns, name, &ge))) {
		if (ge.code != ERR_NOT_FOUND)
			return err_set(e, ge.code, "%s", ge.msg);
		return err_set(e, ERR_FORBIDDEN, "pods \"%s\" is forbidden: error looking up service account %s/%s: serviceaccount \"%s\" not found",
			       pod_name, ns, name, name);
	}
	sa_auto = json_get(sa, "automountServiceAccountToken");
	if (cJSON_IsBool(pod_auto) ? cJSON_IsTrue(pod_auto)
				   : !cJSON_IsFalse(sa_auto))
		admit_sa_token_volume(spec);
	pull_secrets(spec, sa);
	cJSON_Delete(sa);
	return 0;
}
