/* SPDX-License-Identifier: Apache-2.0 */
/*
 * patch: JSON patch, JSON merge patch and strategic merge patch on cJSON
 * documents (see patch.h for the contract).  Each entry point duplicates
 * the document and patches the copy, so a failure half-way leaves the
 * caller's object as it was.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/patch.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

/* ------------------------------------------------------------------ */
/* RFC 6901 JSON pointers                                             */

/* Decode one reference token (~1 -> /, ~0 -> ~); caller frees. */
static char *ptr_token(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
			*o++ = s[i + 1] == '0' ? '~' : '/';
			i++;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Array index token: digits only, no leading zero; -1 if not one. */
static long ptr_index(const char *tok)
{
	char *end;
	long v;

	if (!tok[0] || (tok[0] == '0' && tok[1]) || tok[0] == '-' || tok[0] == '+')
		return -1;
	v = strtol(tok, &end, 10);
	return *end ? -1 : v;
}

/*
 * Resolve all tokens but the last of pointer p inside doc: *parent gets
 * the container, *last the final token (caller frees).  p == "" (the
 * whole document) yields parent NULL and last NULL.
 */
static int ptr_split(cJSON *doc, const char *p, cJSON **parent, char **last,
		     struct err *e)
{
	cJSON *cur = doc;
	const char *s = p;

	*parent = NULL;
	*last = NULL;
	if (!*p)
		return 0;
	if (*p != '/')
		return err_set(e, ERR_BAD_REQUEST, "invalid JSON pointer %s: must start with /", p);
	for (;;) {
		const char *tok = s + 1, *next = strchr(tok, '/');
		char *t = ptr_token(tok, next ? (size_t)(next - tok) : strlen(tok));

		if (!next) {
			*parent = cur;
			*last = t;
			return 0;
		}
		if (cJSON_IsObject(cur)) {
			cur = cJSON_GetObjectItemCaseSensitive(cur, t);
		} else if (cJSON_IsArray(cur)) {
			long i = ptr_index(t);
			cur = i < 0 ? NULL : cJSON_GetArrayItem(cur, (int)i);
		} else {
			cur = NULL;
		}
		free(t);
		if (!cur)
			return err_set(e, ERR_INVALID, "doc is missing path: \"%s\": missing value", p);
		s = next;
	}
}

static cJSON *ptr_get(cJSON *doc, const char *p, struct err *e)
{
	cJSON *parent, *v = NULL;
	char *last;

	if (ptr_split(doc, p, &parent, &last, e) < 0)
		return NULL;
	if (!parent)
		return doc;
	if (cJSON_IsObject(parent)) {
		v = cJSON_GetObjectItemCaseSensitive(parent, last);
	} else if (cJSON_IsArray(parent)) {
		long i = ptr_index(last);
		v = i < 0 ? NULL : cJSON_GetArrayItem(parent, (int)i);
	}
	free(last);
	if (!v)
		err_set(e, ERR_INVALID, "doc is missing path: \"%s\": missing value", p);
	return v;
}

/* ------------------------------------------------------------------ */
/* RFC 6902 operations                                                */

/*
 * Insert value (owned) before index i.  Done by hand: the Debian 12 build
 * of cJSON's InsertItemInArray refuses inserts in the middle of an array.
 */
static void arr_insert(cJSON *arr, int i, cJSON *value)
{
	cJSON *tail = cJSON_CreateArray();

	while (cJSON_GetArraySize(arr) > i)
		cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(arr, i));
	cJSON_AddItemToArray(arr, value);
	while (cJSON_GetArraySize(tail) > 0)
		cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(tail, 0));
	cJSON_Delete(tail);
}

/* Insert value (owned) at pointer p; replace=1 requires an existing target. */
static int op_put(cJSON **doc, const char *p, cJSON *value, int replace,
		  struct err *e)
{
	cJSON *parent;
	char *last;
	int rc = -1;

	if (ptr_split(*doc, p, &parent, &last, e) < 0)
		goto fail;
	if (!parent) {
		cJSON_Delete(*doc);
		*doc = value;
		return 0;
	}
	if (cJSON_IsObject(parent)) {
		int exists = cJSON_GetObjectItemCaseSensitive(parent, last) != NULL;

		if (replace && !exists) {
			err_set(e, ERR_INVALID, "doc is missing key: %s: missing value", p);
			goto out;
		}
		if (exists)
			cJSON_ReplaceItemInObjectCaseSensitive(parent, last, value);
		else
			cJSON_AddItemToObject(parent, last, value);
		rc = 0;
	} else if (cJSON_IsArray(parent)) {
		int n = cJSON_GetArraySize(parent);
		long i = !strcmp(last, "-") && !replace ? n : ptr_index(last);

		if (i < 0 || i > n || (replace && i == n)) {
			err_set(e, ERR_INVALID, "unable to access invalid index: %s", last);
			goto out;
		}
		if (replace)
			cJSON_ReplaceItemInArray(parent, (int)i, value);
		else if (i == n)
			cJSON_AddItemToArray(parent, value);
		else
			arr_insert(parent, (int)i, value);
		rc = 0;
	} else {
		err_set(e, ERR_INVALID, "doc is missing path: \"%s\": missing value", p);
	}
out:
	free(last);
	if (rc == 0)
		return 0;
fail:
	cJSON_Delete(value);
	return -1;
}

/* Detach the value at p; caller owns it. */
static cJSON *op_take(cJSON *doc, const char *p, struct err *e)
{
	cJSON *parent, *v = NULL;
	char *last;

	if (ptr_split(doc, p, &parent, &last, e) < 0)
		return NULL;
	if (!parent) {
		err_set(e, ERR_INVALID, "cannot remove the whole document");
		return NULL;
	}
	if (cJSON_IsObject(parent)) {
		v = cJSON_DetachItemFromObjectCaseSensitive(parent, last);
	} else if (cJSON_IsArray(parent)) {
		long i = ptr_index(last);
		if (i >= 0 && i < cJSON_GetArraySize(parent))
			v = cJSON_DetachItemFromArray(parent, (int)i);
	}
	if (!v)
		err_set(e, ERR_INVALID, "doc is missing path: \"%s\": missing value", p);
	free(last);
	return v;
}

static int op_apply(cJSON **doc, const cJSON *op, struct err *e)
{
	const char *name = json_get_str(op, "op");
	const char *path = json_get_str(op, "path");
	const char *from = json_get_str(op, "from");
	const cJSON *value = json_obj(op, "value");
	cJSON *v;

	if (!name || !path)
		return err_set(e, ERR_BAD_REQUEST, "invalid JSON patch operation: missing %s",
			       !name ? "op" : "path");
	if (!strcmp(name, "add") || !strcmp(name, "replace")) {
		if (!value)
			return err_set(e, ERR_BAD_REQUEST, "%s operation has no value", name);
		if (op_put(doc, path, json_dup(value), name[0] == 'r', e) < 0)
			return err_wrap(e, "%s operation does not apply", name);
		return 0;
	}
	if (!strcmp(name, "remove")) {
		v = op_take(*doc, path, e);
		if (!v)
			return err_wrap(e, "remove operation does not apply");
		cJSON_Delete(v);
		return 0;
	}
	if (!strcmp(name, "test")) {
		struct err ign;

		if (!value)
			return err_set(e, ERR_BAD_REQUEST, "test operation has no value");
		v = ptr_get(*doc, path, &ign);
		if (!v || !json_equal(v, value))
			return err_set(e, ERR_INVALID, "testing value %s failed: test failed", path);
		return 0;
	}
	if (!strcmp(name, "move") || !strcmp(name, "copy")) {
		if (!from)
			return err_set(e, ERR_BAD_REQUEST, "%s operation has no from", name);
		if (name[0] == 'm') {
			size_t n = strlen(from);
			if (!strncmp(path, from, n) && path[n] == '/')
				return err_set(e, ERR_INVALID, "move operation: cannot move %s into its own child", from);
			v = op_take(*doc, from, e);
		} else {
			v = ptr_get(*doc, from, e);
			v = v ? json_dup(v) : NULL;
		}
		if (!v || op_put(doc, path, v, 0, e) < 0)
			return err_wrap(e, "%s operation does not apply", name);
		return 0;
	}
	return err_set(e, ERR_BAD_REQUEST, "Unexpected kind: %s", name);
}

cJSON *patch_json(const cJSON *doc, const cJSON *ops, struct err *e)
{
	cJSON *out;
	const cJSON *op;

	if (!cJSON_IsArray(ops)) {
		err_set(e, ERR_BAD_REQUEST, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
		return NULL;
	}
	out = json_dup(doc);
	cJSON_ArrayForEach(op, ops) {
		if (!cJSON_IsObject(op) || op_apply(&out, op, e) < 0) {
			if (!cJSON_IsObject(op))
				err_set(e, ERR_BAD_REQUEST, "invalid JSON patch operation: not an object");
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* RFC 7386 merge patch                                               */

/* Merge patch into target (owned) and return the result (owned). */
static cJSON *merge_into(cJSON *target, const cJSON *patch)
{
	const cJSON *m;

	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return json_dup(patch);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	cJSON_ArrayForEach(m, patch) {
		if (cJSON_IsNull(m)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
			continue;
		}
		cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(target, m->string);
		cJSON_AddItemToObject(target, m->string, merge_into(old, m));
	}
	return target;
}

cJSON *patch_merge(const cJSON *doc, const cJSON *patch, struct err *e)
{
	if (!patch) {
		err_set(e, ERR_BAD_REQUEST, "empty merge patch");
		return NULL;
	}
	return merge_into(json_dup(doc), patch);
}

/* ------------------------------------------------------------------ */
/* Strategic merge patch                                              */

/*
 * Patch metadata of the built-in types (patchStrategy/patchMergeKey tags),
 * by list field and the field that holds its parent object.  "*" matches
 * any parent.  The first matching row wins.
 */
static const struct {
	const char *parent, *field, *key;
	enum patch_list_strategy strategy;
} list_rules[] = {
	{ "containers", "ports", "containerPort", PATCH_LIST_MERGE_KEY },
	{ "initContainers", "ports", "containerPort", PATCH_LIST_MERGE_KEY },
	{ "ephemeralContainers", "ports", "containerPort", PATCH_LIST_MERGE_KEY },
	{ "*", "containers", "name", PATCH_LIST_MERGE_KEY },
	{ "*", "initContainers", "name", PATCH_LIST_MERGE_KEY },
	{ "*", "ephemeralContainers", "name", PATCH_LIST_MERGE_KEY },
	{ "*", "env", "name", PATCH_LIST_MERGE_KEY },
	{ "*", "volumeMounts", "mountPath", PATCH_LIST_MERGE_KEY },
	{ "*", "volumeDevices", "devicePath", PATCH_LIST_MERGE_KEY },
	{ "*", "resizePolicy", "resourceName", PATCH_LIST_MERGE_KEY },
	{ "spec", "volumes", "name", PATCH_LIST_MERGE_KEY },
	{ "spec", "imagePullSecrets", "name", PATCH_LIST_MERGE_KEY },
	{ "spec", "hostAliases", "ip", PATCH_LIST_MERGE_KEY },
	{ "spec", "topologySpreadConstraints", "topologyKey", PATCH_LIST_MERGE_KEY },
	{ "spec", "schedulingGates", "name", PATCH_LIST_MERGE_KEY },
	{ "spec", "resourceClaims", "name", PATCH_LIST_MERGE_KEY },
	{ "spec", "ports", "port", PATCH_LIST_MERGE_KEY },
	{ "spec", "podCIDRs", NULL, PATCH_LIST_MERGE_SET },
	{ "metadata", "ownerReferences", "uid", PATCH_LIST_MERGE_KEY },
	{ "metadata", "finalizers", NULL, PATCH_LIST_MERGE_SET },
	{ "status", "conditions", "type", PATCH_LIST_MERGE_KEY },
	{ "status", "addresses", "type", PATCH_LIST_MERGE_KEY },
};

enum patch_list_strategy patch_list_strategy(const char *parent,
					     const char *field,
					     const char **merge_key)
{
	for (size_t i = 0; i < sizeof(list_rules) / sizeof(list_rules[0]); i++) {
		if (strcmp(list_rules[i].field, field))
			continue;
		if (strcmp(list_rules[i].parent, "*") && strcmp(list_rules[i].parent, parent))
			continue;
		if (merge_key)
			*merge_key = list_rules[i].key;
		return list_rules[i].strategy;
	}
	return PATCH_LIST_REPLACE;
}

/*
 * Structs and maps of the built-in types that structured-merge-diff treats
 * as one value (x-kubernetes-map-type: atomic in the real OpenAPI: label
 * selectors, object references, a Pod's nodeSelector, a Service's
 * selector), by field and parent field as list_rules.  "*" matches any
 * parent but a schema's "properties" (a CRD's own field names).  Only
 * object values are atomic through this table.
 */
static const struct {
	const char *parent, *field;
} atomic_rules[] = {
	{ "*", "nodeSelector" }, { "*", "selector" }, { "*", "labelSelector" },
	{ "*", "namespaceSelector" }, { "*", "objectSelector" },
	{ "*", "podSelector" }, { "*", "scopeSelector" },
	{ "*", "configMapKeyRef" }, { "*", "secretKeyRef" }, { "*", "fileKeyRef" },
	{ "*", "fieldRef" }, { "*", "resourceFieldRef" },
	{ "*", "claimRef" }, { "*", "dataSource" }, { "*", "roleRef" },
	{ "*", "involvedObject" }, { "*", "regarding" }, { "*", "related" },
	{ "*", "targetRef" }, { "*", "preference" }, { "*", "nodeTopology" },
	{ "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution" },
	{ "nodeAffinity", "required" },
	{ "*", "controllerExpandSecretRef" }, { "*", "controllerPublishSecretRef" },
	{ "*", "nodeExpandSecretRef" }, { "*", "nodePublishSecretRef" },
	{ "*", "nodeStageSecretRef" },
	{ "*", "matchConstraints" }, { "*", "matchResources" },
	{ "*", "paramKind" }, { "*", "paramRef" },
	{ "service", "port" }, { "backend", "resource" }, { "defaultBackend", "resource" },
	{ "cephfs", "secretRef" }, { "cinder", "secretRef" }, { "flexVolume", "secretRef" },
	{ "iscsi", "secretRef" }, { "rbd", "secretRef" }, { "scaleIO", "secretRef" },
	{ "storageos", "secretRef" },
	/* elements of keyed lists that are atomic structs */
	{ "metadata", "ownerReferences" }, { "spec", "imagePullSecrets" },
};

bool patch_atomic(const char *parent, const char *field)
{
	if (!strcmp(parent, "properties") || !strcmp(parent, "patternProperties"))
		return false;
	for (size_t i = 0; i < sizeof(atomic_rules) / sizeof(atomic_rules[0]); i++)
		if (!strcmp(atomic_rules[i].field, field) &&
		    (!strcmp(atomic_rules[i].parent, "*") || !strcmp(atomic_rules[i].parent, parent)))
			return true;
	return false;
}

static int smp_map(cJSON *orig, const cJSON *patch, const char *self, struct err *e);

static bool is_directive(const char *k)
{
	return k[0] == '$';
}

/* Deep copy of a patch value with every directive removed. */
static cJSON *smp_strip(const cJSON *v)
{
	cJSON *out, *c;
	const cJSON *m;

	if (cJSON_IsObject(v)) {
		out = cJSON_CreateObject();
		cJSON_ArrayForEach(m, v) {
			if (is_directive(m->string) || cJSON_IsNull(m))
				continue;
			cJSON_AddItemToObject(out, m->string, smp_strip(m));
		}
		return out;
	}
	if (cJSON_IsArray(v)) {
		out = cJSON_CreateArray();
		cJSON_ArrayForEach(m, v) {
			const char *d = json_get_str(m, "$patch");
			if (d && (!strcmp(d, "delete") || !strcmp(d, "replace")))
				continue;
			c = smp_strip(m);
			cJSON_AddItemToArray(out, c);
		}
		return out;
	}
	return json_dup(v);
}

static cJSON *list_find(cJSON *list, const char *key, const cJSON *want, int *idx)
{
	cJSON *el;
	int i = 0;

	cJSON_ArrayForEach(el, list) {
		const cJSON *k = json_obj(el, key);
		if (k && json_equal(k, want)) {
			if (idx)
				*idx = i;
			return el;
		}
		i++;
	}
	return NULL;
}

static void set_add(cJSON *list, const cJSON *v)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, list)
		if (json_equal(el, v))
			return;
	cJSON_AddItemToArray(list, json_dup(v));
}

/* Merge a keyed list in place: orig is modified. */
static int smp_keyed_list(cJSON *orig, const cJSON *patch, const char *field,
			  const char *key, struct err *e)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, patch) {
		const char *d = json_get_str(p, "$patch");
		const cJSON *kv = json_obj(p, key);
		cJSON *found;
		int idx = -1;

		if (!cJSON_IsObject(p)) {
			set_add(orig, p);
			continue;
		}
		if (d && !strcmp(d, "replace"))
			continue;
		if (!kv)
			return err_set(e, ERR_BAD_REQUEST,
				       "map: %s does not contain declared merge key: %s",
				       field, key);
		found = list_find(orig, key, kv, &idx);
		if (d && !strcmp(d, "delete")) {
			if (found)
				cJSON_DeleteItemFromArray(orig, idx);
			continue;
		}
		if (found) {
			if (smp_map(found, p, field, e) < 0)
				return -1;
		} else {
			cJSON_AddItemToArray(orig, smp_strip(p));
		}
	}
	return 0;
}

static bool list_has_replace(const cJSON *patch)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, patch) {
		const char *d = json_get_str(p, "$patch");
		if (d && !strcmp(d, "replace"))
			return true;
	}
	return false;
}

/* The merged value of list field `field` of an object held by `parent`. */
static cJSON *smp_list(cJSON *orig, const cJSON *patch, const char *parent,
		       const char *field, struct err *e)
{
	const char *key = NULL;
	enum patch_list_strategy st = patch_list_strategy(parent, field, &key);
	cJSON *out;
	const cJSON *p;

	if (st == PATCH_LIST_REPLACE || !cJSON_IsArray(orig) || list_has_replace(patch))
		return smp_strip(patch);
	out = json_dup(orig);
	if (st == PATCH_LIST_MERGE_SET) {
		cJSON_ArrayForEach(p, patch)
			set_add(out, p);
		return out;
	}
	if (smp_keyed_list(out, patch, field, key, e) < 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* Reorder list per $setElementOrder: listed elements first, in order. */
static void smp_order(cJSON *list, const cJSON *order, const char *key)
{
	cJSON *sorted = cJSON_CreateArray(), *el;
	const cJSON *o;

	cJSON_ArrayForEach(o, order) {
		const cJSON *want = key && cJSON_IsObject(o) ? json_obj(o, key) : o;
		int idx = -1, i = 0;

		if (!want)
			continue;
		cJSON_ArrayForEach(el, list) {
			const cJSON *have = key && cJSON_IsObject(el) ? json_obj(el, key) : el;
			if (have && json_equal(have, want)) {
				idx = i;
				break;
			}
			i++;
		}
		if (idx >= 0)
			cJSON_AddItemToArray(sorted, cJSON_DetachItemFromArray(list, idx));
	}
	while (cJSON_GetArraySize(list) > 0)
		cJSON_AddItemToArray(sorted, cJSON_DetachItemFromArray(list, 0));
	while (cJSON_GetArraySize(sorted) > 0)
		cJSON_AddItemToArray(list, cJSON_DetachItemFromArray(sorted, 0));
	cJSON_Delete(sorted);
}

/* $deleteFromPrimitiveList/<field>: drop the listed values. */
static int smp_delete_primitives(cJSON *orig, const char *field, const cJSON *vals,
				 struct err *e)
{
	cJSON *list = json_obj(orig, field);
	const cJSON *v;

	if (!cJSON_IsArray(vals))
		return err_set(e, ERR_BAD_REQUEST, "invalid patch: $deleteFromPrimitiveList/%s must be a list", field);
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(v, vals) {
		int i = 0, hit = -1;
		cJSON *el;

		cJSON_ArrayForEach(el, list) {
			if (json_equal(el, v)) {
				hit = i;
				break;
			}
			i++;
		}
		if (hit >= 0)
			cJSON_DeleteItemFromArray(list, hit);
	}
	return 0;
}

static int smp_retain(cJSON *orig, const cJSON *patch, const cJSON *keep, struct err *e)
{
	cJSON *m = orig->child;

	if (!cJSON_IsArray(keep))
		return err_set(e, ERR_BAD_REQUEST, "invalid patch: $retainKeys must be a list of strings");
	while (m) {
		cJSON *next = m->next;
		bool kept = json_obj(patch, m->string) != NULL;
		const cJSON *k;

		cJSON_ArrayForEach(k, keep)
			if (cJSON_IsString(k) && !strcmp(k->valuestring, m->string))
				kept = true;
		if (!kept)
			cJSON_Delete(cJSON_DetachItemViaPointer(orig, m));
		m = next;
	}
	return 0;
}

/* The directives of a map patch that run after its fields merged. */
static int smp_post(cJSON *orig, const cJSON *patch, const char *self, struct err *e)
{
	const cJSON *m;
	static const char order[] = "$setElementOrder/";
	static const char delprim[] = "$deleteFromPrimitiveList/";

	cJSON_ArrayForEach(m, patch) {
		if (!strncmp(m->string, order, sizeof(order) - 1)) {
			const char *field = m->string + sizeof(order) - 1, *key = NULL;
			cJSON *list = json_obj(orig, field);

			patch_list_strategy(self, field, &key);
			if (cJSON_IsArray(list) && cJSON_IsArray(m))
				smp_order(list, m, key);
		} else if (!strncmp(m->string, delprim, sizeof(delprim) - 1)) {
			if (smp_delete_primitives(orig, m->string + sizeof(delprim) - 1, m, e) < 0)
				return -1;
		} else if (!strcmp(m->string, "$retainKeys")) {
			if (smp_retain(orig, patch, m, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* Merge patch (an object) into orig (an object) in place. */
static int smp_map(cJSON *orig, const cJSON *patch, const char *self, struct err *e)
{
	const cJSON *m;
	const char *d = json_get_str(patch, "$patch");

	if (d && !strcmp(d, "replace")) {
		cJSON *r = smp_strip(patch);
		while (orig->child)
			cJSON_Delete(cJSON_DetachItemViaPointer(orig, orig->child));
		while (r->child) {
			cJSON *item = cJSON_DetachItemViaPointer(r, r->child);

			cJSON_AddItemToObject(orig, item->string, item);
		}
		cJSON_Delete(r);
		return 0;
	}
	if (d && strcmp(d, "merge") && strcmp(d, "delete"))
		return err_set(e, ERR_BAD_REQUEST, "invalid patch: unknown $patch directive %s", d);
	cJSON_ArrayForEach(m, patch) {
		cJSON *old, *merged;

		if (is_directive(m->string))
			continue;
		if (cJSON_IsNull(m)) {
			cJSON_DeleteItemFromObjectCaseSensitive(orig, m->string);
			continue;
		}
		old = json_obj(orig, m->string);
		const char *md = json_get_str(m, "$patch");
		if (cJSON_IsObject(m) && md && !strcmp(md, "delete")) {
			cJSON_DeleteItemFromObjectCaseSensitive(orig, m->string);
			continue;
		}
		if (cJSON_IsObject(m) && cJSON_IsObject(old)) {
			if (smp_map(old, m, m->string, e) < 0)
				return -1;
			continue;
		}
		if (cJSON_IsArray(m))
			merged = smp_list(old, m, self, m->string, e);
		else
			merged = smp_strip(m);
		if (!merged)
			return -1;
		if (old)
			cJSON_ReplaceItemInObjectCaseSensitive(orig, m->string, merged);
		else
			cJSON_AddItemToObject(orig, m->string, merged);
	}
	return smp_post(orig, patch, self, e);
}

cJSON *patch_strategic(const cJSON *doc, const cJSON *patch, struct err *e)
{
	cJSON *out;

	if (!cJSON_IsObject(patch)) {
		err_set(e, ERR_BAD_REQUEST, "invalid strategic merge patch: not a JSON object");
		return NULL;
	}
	out = cJSON_IsObject(doc) ? json_dup(doc) : cJSON_CreateObject();
	if (smp_map(out, patch, "", e) < 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
