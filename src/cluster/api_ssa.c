/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_ssa: field ownership for server-side apply (managedFields).
 *
 * An apply request's body is walked into its set of leaf fields, written
 * as FieldsV1 ({"f:spec":{"f:replicas":{}}}, keyed list elements as
 * k:{"name":"main"}) and paths (.spec.template.spec.containers[name="main"].image).
 * A leaf the applier sets to a value different from the live one while
 * another manager owns it is a conflict: 409 naming the manager and the
 * fields, unless force=true, which moves the fields to the applier.  The
 * applier's Apply entry is replaced by the new set; others are kept.
 *
 * The body is merged as a strategic merge patch; then fields the applier
 * owned before, no longer applies and nobody else owns are removed.
 * Non-apply writes (POST, PUT, PATCH) record the fields they change as the
 * writer's Update entry, taking them from other managers (no conflicts).
 *
 * Custom resources follow their CRD's schema instead of the built-in
 * patch tables: a list with x-kubernetes-list-type map is keyed by its
 * x-kubernetes-list-map-keys (k:{"name":"a","port":80}), any other list
 * is one leaf; the applied list-maps are merged by key into the stored
 * ones (the apply body itself was merged as a merge patch); a map with
 * x-kubernetes-map-type atomic is one leaf, owned and replaced whole.
 * api_ssa_order.c then orders lists as structured-merge-diff does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "cluster/patch.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

/* Leaves of an applied configuration: path, applied and live value. */
struct leaf {
	char *path;
	const cJSON *want;
	const cJSON *have;
};

static void leaf_free(void *p)
{
	struct leaf *l = p;

	free(l->path);
	free(l);
}

static void add_leaf(struct vec *out, const char *path, const cJSON *want,
		     const cJSON *have)
{
	struct leaf *l = xmalloc(sizeof(*l));

	l->path = xstrdup(path);
	l->want = want;
	l->have = have;
	vec_push(out, l);
}

/* `[k=v,...]` of a k: key object, as structured-merge-diff prints it. */
static void key_path(struct buf *b, const cJSON *key)
{
	const cJSON *c;
	bool first = true;

	buf_addc(b, '[');
	cJSON_ArrayForEach(c, key) {
		char *v = cJSON_PrintUnformatted(c);

		buf_printf(b, "%s%s=%s", first ? "" : ",", c->string, v);
		free(v);
		first = false;
	}
	buf_addc(b, ']');
}

static const cJSON *find_keyed(const cJSON *list, const char *mk,
			       const cJSON *kv)
{
	const cJSON *el;

	cJSON_ArrayForEach(el, list)
		if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(el, mk), kv, true))
			return el;
	return NULL;
}

static void walk(const cJSON *want, const cJSON *have, const char *parent,
		 const char *path, cJSON *fset, struct vec *out,
		 const cJSON *sch);

/* --- custom resources: lists keyed by x-kubernetes-list-map-keys --- */

/*
 * A custom resource's field its schema does not describe (below
 * x-kubernetes-preserve-unknown-fields): granular maps, atomic lists, as
 * structured-merge-diff deduces them; never the built-in tables.
 */
static const cJSON unknown_schema = { .type = cJSON_Object };

static const cJSON *sch_child(const cJSON *sch, const char *name)
{
	const cJSON *p;

	if (!sch)
		return NULL;
	p = json_obj(json_obj(sch, "properties"), name);
	if (!p)
		p = json_obj(sch, "additionalProperties");
	return cJSON_IsObject(p) ? p : &unknown_schema;
}

/* x-kubernetes-map-type: atomic: the map is one field, owned whole. */
static bool sch_atomic_map(const cJSON *sch)
{
	const char *mt = json_get_str(sch, "x-kubernetes-map-type");

	return mt && !strcmp(mt, "atomic");
}

/* The list-map keys of a list schema, or NULL when the list is not a map. */
static const cJSON *sch_map_keys(const cJSON *sch)
{
	const char *lt = json_get_str(sch, "x-kubernetes-list-type");
	const cJSON *keys = json_obj(sch, "x-kubernetes-list-map-keys");

	return lt && !strcmp(lt, "map") && cJSON_GetArraySize(keys) ? keys : NULL;
}

/* {key: value, ...} of el, NULL when el lacks one of the keys. */
static cJSON *sch_key_of(const cJSON *keys, const cJSON *el)
{
	cJSON *key = cJSON_CreateObject();
	const cJSON *k, *v;

	cJSON_ArrayForEach(k, keys) {
		if (!cJSON_IsString(k) || !cJSON_IsObject(el) ||
		    !(v = cJSON_GetObjectItemCaseSensitive(el, k->valuestring))) {
			cJSON_Delete(key);
			return NULL;
		}
		cJSON_AddItemToObject(key, k->valuestring, cJSON_Duplicate(v, true));
	}
	return key;
}

static cJSON *keyed_elem(cJSON *list, const cJSON *key);

/* A custom resource's list-map: elements walked by their keys. */
static bool walk_cr_list(const cJSON *c, const cJSON *hc, const char *path,
			 cJSON *fset, struct vec *out, const cJSON *sch)
{
	const cJSON *keys = sch_map_keys(sch), *el;
	cJSON *key;

	if (!keys)
		return false;
	cJSON_ArrayForEach(el, c) {
		if (!(key = sch_key_of(keys, el)))
			return false;
		cJSON_Delete(key);
	}
	cJSON_ArrayForEach(el, c) {
		struct buf p = BUF_INIT, k = BUF_INIT;
		char *kj;
		cJSON *sub;

		key = sch_key_of(keys, el);
		kj = cJSON_PrintUnformatted(key);
		buf_printf(&k, "k:%s", kj);
		sub = cJSON_AddObjectToObject(fset, buf_cstr(&k));
		cJSON_AddObjectToObject(sub, ".");
		buf_adds(&p, path);
		key_path(&p, key);
		walk(el, cJSON_IsArray(hc) ? keyed_elem((cJSON *)hc, key) : NULL, c->string,
		     buf_cstr(&p), sub, out, json_obj(sch, "items"));
		free(kj);
		cJSON_Delete(key);
		buf_free(&p);
		buf_free(&k);
	}
	return true;
}

/* A list field: keyed elements are walked, other lists are one leaf. */
static void walk_list(const cJSON *c, const cJSON *hc, const char *parent,
		      const char *path, cJSON *fset, struct vec *out,
		      const cJSON *sch)
{
	const char *mk = NULL;
	const cJSON *el;
	bool keyed, atomic;

	if (sch) {	/* a custom resource: its schema alone decides */
		if (!walk_cr_list(c, hc, path, fset, out, sch))
			add_leaf(out, path, c, hc);
		return;
	}
	keyed = patch_list_strategy(parent, c->string, &mk) == PATCH_LIST_MERGE_KEY;
	atomic = patch_atomic(parent, c->string);

	cJSON_ArrayForEach(el, c)
		if (!cJSON_GetObjectItemCaseSensitive(el, mk ? mk : ""))
			keyed = false;
	if (!keyed) {
		add_leaf(out, path, c, hc);
		return;
	}
	cJSON_ArrayForEach(el, c) {
		const cJSON *kv = cJSON_GetObjectItemCaseSensitive(el, mk);
		cJSON *key = cJSON_CreateObject(), *sub;
		struct buf p = BUF_INIT, k = BUF_INIT;
		char *kj;

		cJSON_AddItemToObject(key, mk, cJSON_Duplicate(kv, true));
		kj = cJSON_PrintUnformatted(key);
		buf_printf(&k, "k:%s", kj);
		sub = cJSON_AddObjectToObject(fset, buf_cstr(&k));
		buf_adds(&p, path);
		key_path(&p, key);
		if (atomic) {	/* an atomic struct: the element is one leaf */
			add_leaf(out, buf_cstr(&p), el, find_keyed(hc, mk, kv));
		} else {
			cJSON_AddObjectToObject(sub, ".");
			walk(el, find_keyed(hc, mk, kv), c->string, buf_cstr(&p), sub, out, NULL);
		}
		free(kj);
		cJSON_Delete(key);
		buf_free(&p);
		buf_free(&k);
	}
}

/* Identity and server-owned metadata are not owned by anyone. */
static bool unowned(const char *path)
{
	static const char *const skip[] = {
		".apiVersion", ".kind", ".metadata.name", ".metadata.namespace",
		".metadata.managedFields", ".metadata.resourceVersion",
		".metadata.uid", ".metadata.creationTimestamp", ".metadata.generation",
		".status", NULL
	};

	for (const char *const *s = skip; *s; s++)
		if (!strcmp(path, *s))
			return true;
	return false;
}

static void walk(const cJSON *want, const cJSON *have, const char *parent,
		 const char *path, cJSON *fset, struct vec *out,
		 const cJSON *sch)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, want) {
		/* metadata follows the built-in rules, whatever the CRD says */
		const cJSON *cs = !path[0] && !strcmp(c->string, "metadata") ? NULL :
				  sch_child(sch, c->string);
		const cJSON *hc = cJSON_IsObject(have) ? cJSON_GetObjectItemCaseSensitive(have, c->string) : NULL;
		struct buf p = BUF_INIT, f = BUF_INIT;
		cJSON *sub;

		buf_printf(&p, "%s.%s", path, c->string);
		buf_printf(&f, "f:%s", c->string);
		if (c->string[0] == '$' || unowned(buf_cstr(&p)))
			goto next;
		sub = cJSON_AddObjectToObject(fset, buf_cstr(&f));
		if (cJSON_IsArray(c))
			walk_list(c, hc, parent, buf_cstr(&p), sub, out, cs);
		else if (cJSON_IsObject(c) && c->child && !sch_atomic_map(cs) &&
			 (cs || !patch_atomic(parent, c->string))) {
			walk(c, hc, c->string, buf_cstr(&p), sub, out, cs);
			if (!sub->child)	/* nothing owned below (identity only) */
				cJSON_Delete(cJSON_DetachItemViaPointer(fset, sub));
		} else
			add_leaf(out, buf_cstr(&p), c, hc);
next:
		buf_free(&p);
		buf_free(&f);
	}
}

/* The path of FieldsV1 key k under path, into b; false for ".". */
static bool fkey_path(struct buf *b, const char *path, const char *k)
{
	cJSON *key;

	buf_adds(b, path);
	if (!strcmp(k, "."))
		return false;
	if (!strncmp(k, "f:", 2)) {
		buf_printf(b, ".%s", k + 2);
	} else if (!strncmp(k, "k:", 2) && (key = cJSON_Parse(k + 2))) {
		key_path(b, key);
		cJSON_Delete(key);
	} else if (!strncmp(k, "v:", 2)) {
		buf_printf(b, "[=%s]", k + 2);
	} else {
		buf_printf(b, "[%s]", k);
	}
	return true;
}

static bool in_leaves(const struct vec *v, const char *path)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(((struct leaf *)v->items[i])->path, path))
			return true;
	return false;
}

/*
 * Walk FieldsV1 fs: collect into hit the leaves that are in `mine` with a
 * changed value (the conflicts), and when `drop` remove them from fs.
 * Returns true when fs is left with no owned field.
 */
static bool scan(cJSON *fs, const char *path, const struct vec *changed,
		 struct vec *hit, bool drop)
{
	cJSON *c = fs ? fs->child : NULL, *next;
	bool owned = false;

	for (; c; c = next) {
		struct buf p = BUF_INIT;
		bool gone = false;

		next = c->next;
		if (fkey_path(&p, path, c->string)) {
			if (!c->child) {
				gone = in_leaves(changed, buf_cstr(&p));
				if (gone)
					add_leaf(hit, buf_cstr(&p), NULL, NULL);
			} else {
				gone = scan(c, buf_cstr(&p), changed, hit, drop);
			}
		}
		if (gone && drop)
			cJSON_DeleteItemFromObjectCaseSensitive(fs, c->string);
		else if (strcmp(c->string, "."))
			owned = true;
		buf_free(&p);
	}
	return !owned;
}

/* The manager as the apiserver names it: Update entries add version and time. */
static void manager_name(struct buf *b, const cJSON *ent)
{
	const char *op = json_get_str(ent, "operation"), *t = json_get_str(ent, "time");

	buf_printf(b, "\"%s\"", json_get_str(ent, "manager"));
	if (op && !strcmp(op, "Update")) {
		buf_printf(b, " using %s", json_get_str(ent, "apiVersion") ? json_get_str(ent, "apiVersion") : "v1");
		if (t)
			buf_printf(b, " at %s", t);
	}
}

static void conflict_msg(struct buf *b, const cJSON *ent, const struct vec *hit)
{
	buf_adds(b, hit->len == 1 ? "conflict with " : "conflicts with ");
	manager_name(b, ent);
	if (hit->len == 1) {
		buf_printf(b, ": %s", ((struct leaf *)hit->items[0])->path);
		return;
	}
	buf_addc(b, ':');
	for (size_t i = 0; i < hit->len; i++)
		buf_printf(b, "\n- %s", ((struct leaf *)hit->items[i])->path);
}

static cJSON *new_entry(const char *manager, const char *op,
			const char *api_version, cJSON *fset)
{
	cJSON *m = cJSON_CreateObject();
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(m, "manager", manager);
	cJSON_AddStringToObject(m, "operation", op);
	cJSON_AddStringToObject(m, "apiVersion", api_version);
	cJSON_AddStringToObject(m, "time", ts);
	cJSON_AddStringToObject(m, "fieldsType", "FieldsV1");
	cJSON_AddItemToObject(m, "fieldsV1", fset);
	return m;
}

static cJSON *managed_fields(cJSON *obj)
{
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata"), *mf;

	if (!cJSON_IsObject(meta)) {
		meta = cJSON_CreateObject();
		if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, "metadata", meta))
			cJSON_AddItemToObject(obj, "metadata", meta);
	}
	mf = cJSON_GetObjectItemCaseSensitive(meta, "managedFields");
	if (!cJSON_IsArray(mf)) {
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
		mf = cJSON_AddArrayToObject(meta, "managedFields");
	}
	return mf;
}

static bool is_entry(const cJSON *ent, const char *manager, const char *op)
{
	const char *m = json_get_str(ent, "manager"), *o = json_get_str(ent, "operation");

	return m && o && !strcmp(m, manager) && !strcmp(o, op);
}

/* Take the changed leaves from every entry but (manager, op); drop emptied entries. */
static void take_fields(cJSON *mf, const char *manager, const char *op,
			const struct vec *changed)
{
	cJSON *ent, *next;

	for (ent = mf->child; ent; ent = next) {
		struct vec hit = VEC_INIT;
		cJSON *fv = cJSON_GetObjectItemCaseSensitive(ent, "fieldsV1");

		next = ent->next;
		if (!is_entry(ent, manager, op))
			scan(fv, "", changed, &hit, true);
		if (!is_entry(ent, manager, op) && (!fv || !fv->child))
			cJSON_Delete(cJSON_DetachItemViaPointer(mf, ent));
		vec_free(&hit, leaf_free);
	}
}

/* Split the leaves into changed (value differs from live) and unchanged. */
static void split(const struct vec *leaves, bool all, struct vec *changed,
		  struct vec *same)
{
	for (size_t i = 0; i < leaves->len; i++) {
		struct leaf *l = leaves->items[i];

		vec_push(all || !cJSON_Compare(l->want, l->have, true) ? changed : same, l);
	}
}

/* All leaf paths of FieldsV1 fs into out. */
static void collect(const cJSON *fs, const char *path, struct vec *out)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, fs) {
		struct buf p = BUF_INIT;

		if (fkey_path(&p, path, c->string)) {
			if (c->child)
				collect(c, buf_cstr(&p), out);
			else
				add_leaf(out, buf_cstr(&p), NULL, NULL);
		}
		buf_free(&p);
	}
}

/* Is path, or something below it, still owned (in keep)? */
static bool kept(const struct vec *keep, const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < keep->len; i++) {
		const char *k = ((struct leaf *)keep->items[i])->path;

		if (!strncmp(k, path, n) && (!k[n] || k[n] == '.' || k[n] == '['))
			return true;
	}
	return false;
}

/* The element of list matching k:{...} key object. */
static cJSON *keyed_elem(cJSON *list, const cJSON *key)
{
	cJSON *el;

	cJSON_ArrayForEach(el, list) {
		const cJSON *kc;
		bool match = true;

		cJSON_ArrayForEach(kc, key)
			if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(el, kc->string), kc, true))
				match = false;
		if (match)
			return el;
	}
	return NULL;
}

static void forget(cJSON *obj, const cJSON *fs, const char *path,
		   const struct vec *keep);

/*
 * Was the value the FieldsV1 entry c stands for owned as a whole (a leaf,
 * an atomic value, a list element: "." is a member) rather than through
 * some of its fields?  Only then does giving it up remove it all.
 */
static bool whole(const cJSON *c, const cJSON *child)
{
	return !c->child || cJSON_GetObjectItemCaseSensitive(c, ".") ||
	       !(cJSON_IsObject(child) || cJSON_IsArray(child));
}

/*
 * Give up the fields below child (held by obj) that c lists; child goes
 * when that leaves it empty.  Keys nobody owned stay, as with
 * structured-merge-diff (which removes only the applier's own fields).
 */
static void forget_below(cJSON *obj, cJSON *child, const cJSON *c,
			 const char *path, const struct vec *keep)
{
	bool had = child->child != NULL;

	forget(child, c, path, keep);
	if (had && !child->child && !kept(keep, path))
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, child));
}

/*
 * Remove from obj what FieldsV1 fs (the applier's previous set) owned and
 * nobody owns any more (keep: the new set plus every other manager's).
 */
static void forget(cJSON *obj, const cJSON *fs, const char *path,
		   const struct vec *keep)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, fs) {
		struct buf p = BUF_INIT;
		cJSON *child = NULL, *key = NULL;

		if (!fkey_path(&p, path, c->string))
			goto next;
		if (!strncmp(c->string, "f:", 2) && cJSON_IsObject(obj))
			child = cJSON_GetObjectItemCaseSensitive(obj, c->string + 2);
		else if (!strncmp(c->string, "k:", 2) && cJSON_IsArray(obj) &&
			 (key = cJSON_Parse(c->string + 2)))
			child = keyed_elem(obj, key);
		if (!child || unowned(buf_cstr(&p)))
			goto next;
		if (!strcmp(buf_cstr(&p), ".metadata"))	/* never dropped: it holds managedFields */
			forget(child, c, buf_cstr(&p), keep);
		else if (!kept(keep, buf_cstr(&p)) && whole(c, child))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, child));
		else if (c->child)
			forget_below(obj, child, c, buf_cstr(&p), keep);
next:
		cJSON_Delete(key);
		buf_free(&p);
	}
}

/* Fields in mine (the old Apply entry) not applied again and owned by no one else go. */
static void drop_unapplied(cJSON *nw, const cJSON *mf, const cJSON *mine,
			   const struct vec *applied)
{
	struct vec keep = VEC_INIT;
	const cJSON *ent;

	for (size_t i = 0; i < applied->len; i++)
		add_leaf(&keep, ((struct leaf *)applied->items[i])->path, NULL, NULL);
	cJSON_ArrayForEach(ent, mf)
		if (ent != mine)
			collect(cJSON_GetObjectItemCaseSensitive(ent, "fieldsV1"), "", &keep);
	forget(nw, cJSON_GetObjectItemCaseSensitive(mine, "fieldsV1"), "", &keep);
	vec_free(&keep, leaf_free);
}

/* The openAPIV3Schema of a custom resource's kind; NULL for built-ins. */
static const cJSON *cr_schema(const cJSON *obj)
{
	const char *av = json_get_str(obj, "apiVersion");
	const char *kind = json_get_str(obj, "kind");
	const char *slash = av ? strchr(av, '/') : NULL;
	const struct reg_kind *k;
	char group[256];

	if (!slash || !kind || (size_t)(slash - av) >= sizeof(group))
		return NULL;
	snprintf(group, sizeof(group), "%.*s", (int)(slash - av), av);
	k = crd_find_kind(group, kind);
	return k ? crd_schema(k) : NULL;
}

/* dst (an element of the merged list) laid over the stored element. */
static void overlay(cJSON *dst, const cJSON *stored)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, stored) {
		cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, c->string);

		if (!d)
			cJSON_AddItemToObject(dst, c->string, cJSON_Duplicate(c, true));
		else if (cJSON_IsObject(d) && cJSON_IsObject(c))
			overlay(d, c);
	}
}

/*
 * The merged list-map: the stored elements in their order (an applied
 * element with the same key laid over its stored one), then the applied
 * elements that are new, as structured-merge-diff orders them when the
 * shared elements keep their relative order.
 */
static cJSON *merge_keyed(cJSON *nl, const cJSON *ol, const cJSON *keys)
{
	cJSON *out = cJSON_CreateArray(), *ne, *next;
	const cJSON *oe;

	cJSON_ArrayForEach(oe, ol) {
		cJSON *key = sch_key_of(keys, oe);

		ne = key ? keyed_elem(nl, key) : NULL;
		if (ne) {
			ne = cJSON_DetachItemViaPointer(nl, ne);
			overlay(ne, oe);
			cJSON_AddItemToArray(out, ne);
		} else {
			cJSON_AddItemToArray(out, cJSON_Duplicate(oe, true));
		}
		cJSON_Delete(key);
	}
	for (ne = nl->child; ne; ne = next) {
		next = ne->next;
		cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(nl, ne));
	}
	return out;
}

/*
 * Server-side apply merges a custom resource's list-map by its keys (the
 * merge patch before this replaced the list): elements of the stored list
 * the applied one lacks come back, applied elements keep the stored
 * fields they do not set.  What the applier gave up goes later
 * (drop_unapplied).
 */
static void merge_cr_lists(cJSON *nw, const cJSON *old, const cJSON *applied,
			   const cJSON *sch, int depth)
{
	const cJSON *c, *keys;

	if (!cJSON_IsObject(applied) || !cJSON_IsObject(nw) || !cJSON_IsObject(old) ||
	    !sch || depth > 32)
		return;
	cJSON_ArrayForEach(c, applied) {
		const cJSON *cs = !depth && !strcmp(c->string, "metadata") ? NULL :
				  sch_child(sch, c->string);
		cJSON *nl = cJSON_GetObjectItemCaseSensitive(nw, c->string);
		const cJSON *ol = cJSON_GetObjectItemCaseSensitive(old, c->string);

		if (!cs)
			continue;
		if (!cJSON_IsArray(c) || !(keys = sch_map_keys(cs))) {
			merge_cr_lists(nl, ol, c, cs, depth + 1);
			continue;
		}
		if (cJSON_IsArray(nl) && cJSON_IsArray(ol))
			cJSON_ReplaceItemInObjectCaseSensitive(nw, c->string,
							       merge_keyed(nl, ol, keys));
	}
}

int api_ssa_apply(cJSON *nw, const cJSON *old, const cJSON *applied,
		  const char *manager, bool force, struct err *e)
{
	struct vec leaves = VEC_INIT, changed = VEC_INIT, same = VEC_INIT;
	cJSON *fset = cJSON_CreateObject(), *mf, *ent, *next;
	const cJSON *sch;
	struct buf msg = BUF_INIT;
	size_t nconf = 0;
	int rc = 0;

	sch = cr_schema(nw);
	if (sch && old)
		merge_cr_lists(nw, old, applied, sch, 0);
	if (old)
		api_ssa_shape(nw, old, applied, sch);
	walk(applied, old, "", "", fset, &leaves, sch);
	split(&leaves, !old, &changed, &same);
	mf = managed_fields(nw);
	for (ent = mf->child; ent && !force; ent = ent->next) {
		struct vec hit = VEC_INIT;

		if (!is_entry(ent, manager, "Apply"))
			scan(cJSON_GetObjectItemCaseSensitive(ent, "fieldsV1"), "", &changed, &hit, false);
		if (hit.len) {
			if (msg.len)
				buf_addc(&msg, '\n');
			conflict_msg(&msg, ent, &hit);
			nconf += hit.len;
		}
		vec_free(&hit, leaf_free);
	}
	if (nconf) {
		rc = err_set(e, ERR_CONFLICT, "Apply failed with %zu conflict%s: %s",
			     nconf, nconf > 1 ? "s" : "", buf_cstr(&msg));
		goto out;
	}
	take_fields(mf, manager, "Apply", &changed);
	for (ent = mf->child; ent; ent = next) {
		next = ent->next;
		if (!is_entry(ent, manager, "Apply"))
			continue;
		if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(ent, "fieldsV1"), fset, true))
			goto out;	/* same set: keep the entry (and its time) */
		drop_unapplied(nw, mf, ent, &leaves);
		cJSON_Delete(cJSON_DetachItemViaPointer(mf, ent));
	}
	cJSON_AddItemToArray(mf, new_entry(manager, "Apply", json_get_str(nw, "apiVersion") ?
				json_get_str(nw, "apiVersion") : "v1", fset));
	fset = NULL;
out:
	cJSON_Delete(fset);
	vec_free(&changed, NULL);
	vec_free(&same, NULL);
	vec_free(&leaves, leaf_free);
	buf_free(&msg);
	return rc;
}

/* Merge FieldsV1 src into dst. */
static void fset_merge(cJSON *dst, const cJSON *src)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, src) {
		cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, c->string);

		if (d)
			fset_merge(d, c);
		else
			cJSON_AddItemToObject(dst, c->string, cJSON_Duplicate(c, true));
	}
}

void api_ssa_update(cJSON *nw, const cJSON *old, const char *manager)
{
	struct vec leaves = VEC_INIT, changed = VEC_INIT, same = VEC_INIT, hit = VEC_INIT;
	cJSON *fset = cJSON_CreateObject(), *mf, *ent, *fv;

	walk(nw, old, "", "", fset, &leaves, cr_schema(nw));
	split(&leaves, !old, &changed, &same);
	if (!changed.len)
		goto out;
	scan(fset, "", &same, &hit, true);
	mf = managed_fields(nw);
	take_fields(mf, manager, "Update", &changed);
	cJSON_ArrayForEach(ent, mf)
		if (is_entry(ent, manager, "Update"))
			break;
	if (!ent) {
		cJSON_AddItemToArray(mf, new_entry(manager, "Update", json_get_str(nw, "apiVersion") ?
					json_get_str(nw, "apiVersion") : "v1", fset));
		fset = NULL;
	} else if ((fv = cJSON_GetObjectItemCaseSensitive(ent, "fieldsV1"))) {
		fset_merge(fv, fset);
	}
out:
	cJSON_Delete(fset);
	vec_free(&hit, leaf_free);
	vec_free(&changed, NULL);
	vec_free(&same, NULL);
	vec_free(&leaves, leaf_free);
}

const char *api_field_manager(const struct api_req *req, char *buf, size_t n)
{
	const char *m = api_query(req, "fieldManager");
	const char *ua = req->user_agent ? req->user_agent : "unknown";

	if (m && m[0])
		return m;
	snprintf(buf, n, "%.*s", (int)strcspn(ua, "/"), ua);
	return buf;
}
