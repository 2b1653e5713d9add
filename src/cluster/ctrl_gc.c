/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_gc: the garbage collector (background propagation) and the
 * namespace controller, level-triggered passes over every stored kind.
 *
 * GC: an object whose ownerReferences all name owners that no longer
 * exist (missing, or the key now holds another uid) is deleted; one with
 * only some owners gone loses those references.  Candidates are found by
 * a cheap text probe for "ownerReferences" under the store's read lock and
 * handled after the list (list callbacks must not write).
 * Namespaces: a namespace with a deletionTimestamp has all its content
 * deleted (pods with gracePeriodSeconds 0); once nothing is left the
 * "kubernetes" finalizer is removed through the finalize subresource.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/crd.h"
#include "cluster/ctrl_int.h"
#include "cluster/registry.h"
#include "common/json.h"
#include "common/mem.h"

/* Visit each stored (group, plural) once: rows of several versions share it. */
static bool first_row(const struct reg_kind *ks, size_t i)
{
	if (ks[i].flags & REG_VIRTUAL)
		return false;
	for (size_t j = 0; j < i; j++)
		if (!strcmp(ks[j].plural, ks[i].plural) &&
		    !strcmp(reg_store_group(&ks[j]), reg_store_group(&ks[i])))
			return false;
	return true;
}

static void obj_path(const struct reg_kind *k, const char *ns,
		     const char *name, const char *sub, char *out, size_t n)
{
	char gv[128];

	reg_api_version(k, gv, sizeof(gv));
	snprintf(out, n, "%s%s%s%s%s/%s/%s%s%s", k->group[0] ? "/apis/" : "/api/",
		 gv, ns ? "/namespaces/" : "", ns ? ns : "", "", k->plural,
		 name, sub ? "/" : "", sub ? sub : "");
}

static int owned_cb(void *arg, const struct store_obj *o)
{
	if (memmem(o->json, o->len, "\"ownerReferences\"", 17))
		cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

/* Does the owner named by ref (for a dependent in ns) still exist? */
static bool owner_alive(struct ctrl *c, const cJSON *ref, const char *ns)
{
	const char *av = json_get_str(ref, "apiVersion") ?: "";
	const char *slash = strchr(av, '/');
	char group[128];
	const struct reg_kind *k;
	const struct store_obj *o = NULL;
	struct err e;
	char *key;
	bool alive = false;

	snprintf(group, sizeof(group), "%.*s", slash ? (int)(slash - av) : 0, av);
	k = reg_find_kind(group, json_get_str(ref, "kind") ?: "");
	if (!k)
		return true;	/* unknown kinds (CRDs): never collect */
	key = store_key(reg_store_group(k), k->plural,
			reg_namespaced(k) ? ns : NULL,
			json_get_str(ref, "name") ?: "");
	if (store_get(c->store, key, &o, &e) == 0) {
		cJSON *obj = store_obj_parse(o);
		const char *uid = json_get_str(obj, "metadata.uid");

		alive = uid && !strcmp(uid, json_get_str(ref, "uid") ?: "");
		cJSON_Delete(obj);
		store_obj_unref(o);
	}
	free(key);
	return alive;
}

static void gc_one(struct ctrl *c, const struct reg_kind *k, cJSON *obj)
{
	const char *ns = json_get_str(obj, "metadata.namespace");
	cJSON *refs = json_get(obj, "metadata.ownerReferences"), *keep;
	int n = cJSON_GetArraySize(refs), gone = 0;
	char path[512];

	keep = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *r = cJSON_GetArrayItem(refs, i);

		if (owner_alive(c, r, ns))
			cJSON_AddItemToArray(keep, json_dup(r));
		else
			gone++;
	}
	obj_path(k, ns, json_get_str(obj, "metadata.name"), NULL, path,
		 sizeof(path));
	if (gone == n && n > 0 && !json_get(obj, "metadata.deletionTimestamp")) {
		cJSON_Delete(keep);
		keep = cJSON_CreateObject();
		json_set_str(keep, "kind", "DeleteOptions");
		json_set_str(keep, "apiVersion", "v1");
		json_set_str(keep, "propagationPolicy", "Background");
		json_set_str(keep, "preconditions.uid",
			     json_get_str(obj, "metadata.uid"));
		ctrl_call(c, CTRL_USER_CM, "DELETE", path, keep, NULL);
	} else if (gone && gone < n) {
		json_set(obj, "metadata.ownerReferences", keep);
		keep = NULL;
		ctrl_call(c, CTRL_USER_CM, "PUT", path, obj, NULL);
	}
	cJSON_Delete(keep);
}

/* Collect the dependents of kind k whose owners are gone. */
static void gc_kind(struct ctrl *c, const struct reg_kind *k)
{
	char *prefix = store_key(reg_store_group(k), k->plural, NULL, NULL);
	cJSON *objs = cJSON_CreateArray(), *o;
	struct err e;

	if (store_list(c->store, prefix, NULL, owned_cb, objs, NULL, &e) < 0)
		err_clear(&e);
	cJSON_ArrayForEach(o, objs)
		gc_one(c, k, o);
	cJSON_Delete(objs);
	free(prefix);
}

/* Built-in kinds, then custom resources (one row per CRD). */
void gc_sync(struct ctrl *c)
{
	size_t nk;
	const struct reg_kind *ks = reg_kinds(&nk);
	const struct reg_kind *crs[512];

	for (size_t i = 0; i < nk; i++)
		if (first_row(ks, i))
			gc_kind(c, &ks[i]);
	nk = crd_kinds(crs, 512);
	for (size_t i = 0; i < nk; i++)
		if (crs[i]->flags & REG_PREFERRED)
			gc_kind(c, crs[i]);
}

static int collect_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

/* Delete the objects of kind k left in ns; returns how many there were. */
static size_t drain_kind(struct ctrl *c, const struct reg_kind *k,
			 const char *ns)
{
	char *prefix = store_key(reg_store_group(k), k->plural, ns, NULL);
	cJSON *objs = cJSON_CreateArray(), *o, *opt;
	char path[512];
	size_t left = 0;
	struct err e;

	if (store_list(c->store, prefix, NULL, collect_cb, objs, NULL, &e) < 0)
		err_clear(&e);
	cJSON_ArrayForEach(o, objs) {
		left++;
		if (json_get(o, "metadata.deletionTimestamp") &&
		    strcmp(k->plural, "pods"))
			continue;
		opt = cJSON_CreateObject();
		json_set_str(opt, "kind", "DeleteOptions");
		json_set_str(opt, "apiVersion", "v1");
		json_set_int(opt, "gracePeriodSeconds", 0);
		json_set_str(opt, "propagationPolicy", "Background");
		obj_path(k, ns, json_get_str(o, "metadata.name"), NULL,
			 path, sizeof(path));
		ctrl_call(c, CTRL_USER_CM, "DELETE", path, opt, NULL);
		cJSON_Delete(opt);
	}
	cJSON_Delete(objs);
	free(prefix);
	return left;
}

/* Delete what is left in ns (built-in kinds, then custom resources);
 * returns how many objects remain. */
static size_t ns_drain(struct ctrl *c, const char *ns)
{
	size_t nk, left = 0;
	const struct reg_kind *ks = reg_kinds(&nk);
	const struct reg_kind *crs[512];

	for (size_t i = 0; i < nk; i++)
		if (reg_namespaced(&ks[i]) && first_row(ks, i))
			left += drain_kind(c, &ks[i], ns);
	nk = crd_kinds(crs, 512);
	for (size_t i = 0; i < nk; i++)
		if (reg_namespaced(crs[i]) && (crs[i]->flags & REG_PREFERRED))
			left += drain_kind(c, crs[i], ns);
	return left;
}

/* Remove the "kubernetes" finalizer through namespaces/<ns>/finalize. */
static void ns_finalize(struct ctrl *c, const cJSON *nsobj)
{
	cJSON *n = json_dup(nsobj), *fin = cJSON_CreateArray(), *f;
	char path[320];

	cJSON_ArrayForEach(f, json_get(nsobj, "spec.finalizers"))
		if (!cJSON_IsString(f) || strcmp(f->valuestring, "kubernetes"))
			cJSON_AddItemToArray(fin, json_dup(f));
	json_set(n, "spec.finalizers", fin);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/finalize",
		 json_get_str(nsobj, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, n, NULL);
	cJSON_Delete(n);
}

void ns_sync(struct ctrl *c)
{
	char *prefix = store_key(NULL, "namespaces", NULL, NULL);
	cJSON *nss = ctrl_list(c, prefix), *n;

	cJSON_ArrayForEach(n, nss) {
		if (!json_get(n, "metadata.deletionTimestamp"))
			continue;
		if (ns_drain(c, json_get_str(n, "metadata.name")) == 0)
			ns_finalize(c, n);
	}
	cJSON_Delete(nss);
	free(prefix);
}
