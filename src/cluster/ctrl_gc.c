/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_gc: the garbage collector (background propagation) and the
 * namespace controller, level-triggered passes over every stored kind.
 *
 * GC (the real garbage collector's attemptToDeleteItem and
 * processDeletingDependentsItem, level-triggered): owners are solid,
 * gone (missing, or the key now holds another uid), waiting (deleting
 * with the "foregroundDeletion" finalizer) or orphaning (deleting with
 * "orphan").  A dependent loses its references to orphaning owners, and
 * to gone and waiting ones while a solid owner remains; with no solid
 * owner it is deleted (in the foreground when a waiting owner has it and
 * it has dependents of its own).  A waiting owner loses its finalizer
 * once no dependent with blockOwnerDeletion is left, an orphaning one
 * once no dependent names it; the last finalizer going deletes it.
 * Candidates are found by cheap text probes under the store's read lock
 * and handled after the list (list callbacks must not write).
 *
 * Event driven, as the real collector's graph builder: a store watch on
 * every key (gc_watch_cb, on the writer thread, text probes only) queues
 * the keys of objects whose ownerReferences appeared or changed (each is
 * checked alone: its owners looked up by key) and asks for a full pass -
 * the listing above - when something was deleted or got a deletion with
 * a GC finalizer (its dependents must be found).  A full pass also runs
 * at the start and every GC_RESYNC_S; otherwise a pass with nothing
 * queued costs nothing.  A queued dependent whose owner waits for it
 * (foreground) asks for a full pass too, which knows its dependents.
 * Namespaces: a namespace with a deletionTimestamp has all its content
 * deleted (pods with gracePeriodSeconds 0); once nothing is left the
 * "kubernetes" finalizer is removed through the finalize subresource.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/crd.h"
#include "cluster/ctrl_int.h"
#include "cluster/registry.h"
#include "common/json.h"
#include "common/mem.h"

#include <uthash.h>

#define FIN_FOREGROUND "foregroundDeletion"
#define FIN_ORPHAN "orphan"
#define GC_RESYNC_S 30

/* Keys queued by the watch. */
struct gc_key {
	char *key;
	UT_hash_handle hh;
};

/* The collector's state across passes (c->gc). */
struct gc_state {
	pthread_mutex_t mu;
	struct store_watch *w;
	struct gc_key *keys;	/* dependents to check */
	bool full;		/* a full pass is wanted */
	int64_t last_full;	/* unix seconds of the last one */
};

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

/* The owners' side of a pass: per owner uid, its dependents. */
struct gc_owner {
	char uid[64];
	int deps;	/* dependents naming it */
	int blocking;	/* of which with blockOwnerDeletion */
	UT_hash_handle hh;
};

/* What a pass looks at: dependents and deleting objects with GC finalizers. */
struct gc_pass {
	const struct reg_kind *k;	/* of the list being filled */
	cJSON *deps, *fins;	/* arrays of {"k": index, "o": obj}, see item() */
	const struct reg_kind **kinds;
	size_t nkinds;
	struct gc_owner *owners;
	bool partial;		/* checking queued keys: owners unknown */
};

enum owner_state { OWNER_SOLID, OWNER_GONE, OWNER_WAITING, OWNER_ORPHANING };

static void gc_want_full(struct ctrl *c)
{
	pthread_mutex_lock(&c->gc->mu);
	c->gc->full = true;
	pthread_mutex_unlock(&c->gc->mu);
}

/* The ownerReferences array's text in o (up to its ']'), or NULL. */
static const char *refs_text(const struct store_obj *o, size_t *len)
{
	const char *p, *end;

	if (!o)
		return NULL;
	p = memmem(o->json, o->len, "\"ownerReferences\"", 17);
	if (!p)
		return NULL;
	end = memchr(p, ']', o->len - (size_t)(p - o->json));
	*len = end ? (size_t)(end - p) : o->len - (size_t)(p - o->json);
	return p;
}

static bool deleting_with_fin(const struct store_obj *o)
{
	return memmem(o->json, o->len, "\"deletionTimestamp\"", 19) &&
	       (memmem(o->json, o->len, "\"foregroundDeletion\"", 20) ||
		memmem(o->json, o->len, "\"orphan\"", 8));
}

/*
 * The store watch (writer thread; probes only): a deletion, or a deletion
 * with a GC finalizer, wants a full pass; new or changed ownerReferences
 * queue the key.
 */
static void gc_watch_cb(void *arg, const struct store_event *ev)
{
	struct gc_state *s = arg;
	size_t n = 0, pn = 0;
	const char *r = refs_text(ev->obj, &n), *pr;
	struct gc_key *k;

	if (ev->type == STORE_DELETED || deleting_with_fin(ev->obj)) {
		pthread_mutex_lock(&s->mu);
		s->full = true;
		pthread_mutex_unlock(&s->mu);
		return;
	}
	pr = refs_text(ev->prev, &pn);
	if (!r || (pr && pn == n && !memcmp(pr, r, n)))
		return;
	pthread_mutex_lock(&s->mu);
	HASH_FIND_STR(s->keys, ev->obj->key, k);
	if (!k) {
		k = xcalloc(1, sizeof(*k));
		k->key = xstrdup(ev->obj->key);
		HASH_ADD_KEYPTR(hh, s->keys, k->key, strlen(k->key), k);
	}
	pthread_mutex_unlock(&s->mu);
}

static void gc_keys_free(struct gc_key *keys)
{
	struct gc_key *k, *tmp;

	HASH_ITER(hh, keys, k, tmp) {
		HASH_DEL(keys, k);
		free(k->key);
		free(k);
	}
}

void gc_state_free(struct gc_state *s)
{
	if (!s)
		return;
	store_unwatch(s->w);
	gc_keys_free(s->keys);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

static bool has_fin(const cJSON *obj, const char *name)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (cJSON_IsString(f) && !strcmp(f->valuestring, name))
			return true;
	return false;
}

static void gc_index(struct gc_pass *g, const cJSON *obj)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, json_get(obj, "metadata.ownerReferences")) {
		const char *uid = json_get_str(r, "uid");
		struct gc_owner *o;

		if (!uid)
			continue;
		HASH_FIND_STR(g->owners, uid, o);
		if (!o) {
			o = xcalloc(1, sizeof(*o));
			snprintf(o->uid, sizeof(o->uid), "%s", uid);
			HASH_ADD_STR(g->owners, uid, o);
		}
		o->deps++;
		o->blocking += json_get_bool(r, "blockOwnerDeletion", false);
	}
}

static const struct gc_owner *gc_owner_of(const struct gc_pass *g,
					  const cJSON *obj)
{
	const char *uid = json_get_str(obj, "metadata.uid");
	struct gc_owner *o = NULL;

	if (uid)
		HASH_FIND_STR(g->owners, uid, o);
	return o;
}

/* Tag obj with the index of the kind being listed; it goes to arr. */
static void gc_keep(struct gc_pass *g, cJSON *arr, cJSON *obj)
{
	cJSON *it = cJSON_CreateObject();

	cJSON_AddNumberToObject(it, "k", (double)(g->nkinds - 1));
	cJSON_AddItemToObject(it, "o", obj);
	cJSON_AddItemToArray(arr, it);
}

static int owned_cb(void *arg, const struct store_obj *o)
{
	struct gc_pass *g = arg;
	bool owned = memmem(o->json, o->len, "\"ownerReferences\"", 17);
	bool fin = memmem(o->json, o->len, "\"deletionTimestamp\"", 19) &&
		   (memmem(o->json, o->len, "\"foregroundDeletion\"", 20) ||
		    memmem(o->json, o->len, "\"orphan\"", 8));
	cJSON *obj;

	if (!owned && !fin)
		return 0;
	obj = store_obj_parse(o);
	if (owned) {
		gc_index(g, obj);
		gc_keep(g, g->deps, fin ? json_dup(obj) : obj);
	}
	if (fin)
		gc_keep(g, g->fins, obj);
	return 0;
}

/* The state of the owner named by ref (for a dependent in ns). */
static enum owner_state owner_state(struct ctrl *c, const cJSON *ref,
				    const char *ns)
{
	const char *av = json_get_str(ref, "apiVersion") ?: "";
	const char *slash = strchr(av, '/');
	char group[128];
	const struct reg_kind *k;
	const struct store_obj *o = NULL;
	enum owner_state st = OWNER_GONE;
	struct err e;
	char *key;

	snprintf(group, sizeof(group), "%.*s", slash ? (int)(slash - av) : 0, av);
	k = reg_find_kind(group, json_get_str(ref, "kind") ?: "");
	if (!k)
		return OWNER_SOLID;	/* unknown kinds (CRDs): never collect */
	key = store_key(reg_store_group(k), k->plural,
			reg_namespaced(k) ? ns : NULL,
			json_get_str(ref, "name") ?: "");
	if (store_get(c->store, key, &o, &e) == 0) {
		cJSON *obj = store_obj_parse(o);
		const char *uid = json_get_str(obj, "metadata.uid");
		bool deleting = json_get(obj, "metadata.deletionTimestamp");

		if (uid && !strcmp(uid, json_get_str(ref, "uid") ?: ""))
			st = deleting && has_fin(obj, FIN_FOREGROUND) ? OWNER_WAITING :
			     deleting && has_fin(obj, FIN_ORPHAN) ? OWNER_ORPHANING :
			     OWNER_SOLID;
		cJSON_Delete(obj);
		store_obj_unref(o);
	}
	free(key);
	return st;
}

/* DELETE obj (uid precondition) with propagation policy. */
static void gc_delete(struct ctrl *c, const char *path, const cJSON *obj,
		      const char *policy)
{
	cJSON *opt = cJSON_CreateObject();

	json_set_str(opt, "kind", "DeleteOptions");
	json_set_str(opt, "apiVersion", "v1");
	json_set_str(opt, "propagationPolicy", policy);
	json_set_str(opt, "preconditions.uid", json_get_str(obj, "metadata.uid"));
	ctrl_call(c, CTRL_USER_CM, "DELETE", path, opt, NULL);
	cJSON_Delete(opt);
}

/*
 * One dependent (attemptToDeleteItem): references to orphaning owners
 * go; with a solid owner left, the references to gone and waiting owners
 * go too; with none, the object is deleted: in the foreground when an
 * owner waits for it and it has dependents itself, else as its own GC
 * finalizers say.
 */
static void gc_one(struct ctrl *c, const struct gc_pass *g,
		   const struct reg_kind *k, cJSON *obj)
{
	const char *ns = json_get_str(obj, "metadata.namespace");
	cJSON *refs = json_get(obj, "metadata.ownerReferences"), *keep, *r;
	int n[4] = { 0 }, total = 0;
	char path[512];

	keep = cJSON_CreateArray();
	cJSON_ArrayForEach(r, refs) {
		enum owner_state st = owner_state(c, r, ns);

		n[st]++;
		total++;
		if (st == OWNER_SOLID || st == OWNER_GONE || st == OWNER_WAITING)
			cJSON_AddItemToArray(keep, json_dup(r));
	}
	obj_path(k, ns, json_get_str(obj, "metadata.name"), NULL, path,
		 sizeof(path));
	if (n[OWNER_SOLID] && (n[OWNER_GONE] || n[OWNER_WAITING])) {
		cJSON_Delete(keep);
		keep = cJSON_CreateArray();
		cJSON_ArrayForEach(r, refs)
			if (owner_state(c, r, ns) == OWNER_SOLID)
				cJSON_AddItemToArray(keep, json_dup(r));
	}
	if (cJSON_GetArraySize(keep) < total && (n[OWNER_SOLID] || n[OWNER_ORPHANING])) {
		if (cJSON_GetArraySize(keep) == 0) {
			cJSON_Delete(keep);
			json_del(obj, "metadata.ownerReferences");
		} else
			json_set(obj, "metadata.ownerReferences", keep);
		ctrl_call(c, CTRL_USER_CM, "PUT", path, obj, NULL);
		/* an orphaning owner may now lose its finalizer: look again */
		if (n[OWNER_ORPHANING])
			gc_want_full(c);
		return;
	}
	cJSON_Delete(keep);
	if (n[OWNER_SOLID] || !total || json_get(obj, "metadata.deletionTimestamp"))
		return;
	if (n[OWNER_WAITING] && g->partial) {
		gc_want_full(c);	/* whether it has dependents decides */
		return;
	}
	if (n[OWNER_WAITING] && gc_owner_of(g, obj))
		gc_delete(c, path, obj, "Foreground");
	else
		gc_delete(c, path, obj, has_fin(obj, FIN_ORPHAN) ? "Orphan" :
			  has_fin(obj, FIN_FOREGROUND) ? "Foreground" : "Background");
}

/*
 * A deleting owner with a GC finalizer (processDeletingDependentsItem,
 * orphanDependents): "foregroundDeletion" goes once no dependent blocks
 * it, "orphan" once no dependent names it; without finalizers left the
 * PUT deletes it.
 */
static void gc_finish(struct ctrl *c, const struct gc_pass *g,
		      const struct reg_kind *k, const cJSON *obj)
{
	const struct gc_owner *o = gc_owner_of(g, obj);
	bool fg = has_fin(obj, FIN_FOREGROUND), orphan = has_fin(obj, FIN_ORPHAN);
	cJSON *n, *fin, *f;
	char path[512];

	if ((fg && o && o->blocking) || (orphan && o && o->deps))
		return;
	n = json_dup(obj);
	fin = cJSON_CreateArray();
	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (!cJSON_IsString(f) || (strcmp(f->valuestring, FIN_FOREGROUND) &&
					   strcmp(f->valuestring, FIN_ORPHAN)))
			cJSON_AddItemToArray(fin, json_dup(f));
	json_set(n, "metadata.finalizers", fin);
	obj_path(k, json_get_str(obj, "metadata.namespace"),
		 json_get_str(obj, "metadata.name"), NULL, path, sizeof(path));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, n, NULL);
	cJSON_Delete(n);
}

/* List kind k into the pass. */
static void gc_list(struct ctrl *c, struct gc_pass *g, const struct reg_kind *k)
{
	char *prefix = store_key(reg_store_group(k), k->plural, NULL, NULL);
	struct err e;

	g->kinds[g->nkinds++] = k;
	if (store_list(c->store, prefix, NULL, owned_cb, g, NULL, &e) < 0)
		err_clear(&e);
	free(prefix);
}

/* The full pass: built-in kinds, then custom resources (one row per CRD). */
static void gc_full(struct ctrl *c)
{
	size_t nk, ncr;
	const struct reg_kind *ks = reg_kinds(&nk);
	const struct reg_kind *crs[512];
	struct gc_pass g = { NULL, cJSON_CreateArray(), cJSON_CreateArray(),
			     NULL, 0, NULL, false };
	struct gc_owner *o, *tmp;
	const cJSON *it;

	ncr = crd_kinds(crs, 512);
	g.kinds = xcalloc(nk + ncr + 1, sizeof(*g.kinds));
	for (size_t i = 0; i < nk; i++)
		if (first_row(ks, i))
			gc_list(c, &g, &ks[i]);
	for (size_t i = 0; i < ncr; i++)
		if (crs[i]->flags & REG_PREFERRED)
			gc_list(c, &g, crs[i]);
	cJSON_ArrayForEach(it, g.deps)
		gc_one(c, &g, g.kinds[(size_t)json_get(it, "k")->valuedouble],
		       json_get(it, "o"));
	cJSON_ArrayForEach(it, g.fins)
		gc_finish(c, &g, g.kinds[(size_t)json_get(it, "k")->valuedouble],
			  json_get(it, "o"));
	HASH_ITER(hh, g.owners, o, tmp) {
		HASH_DEL(g.owners, o);
		free(o);
	}
	cJSON_Delete(g.deps);
	cJSON_Delete(g.fins);
	free(g.kinds);
}

/* The stored kind of store key ("/registry/<plural>[.<group>]/..."), or NULL. */
static const struct reg_kind *kind_of_key(const char *key)
{
	const char *p = key + strlen("/registry/"), *slash = strchr(p, '/');
	const struct reg_kind *ks = NULL, *crs[512];
	char res[256], *dot;
	size_t nk = 0;

	if (strncmp(key, "/registry/", 10) || !slash ||
	    (size_t)(slash - p) >= sizeof(res))
		return NULL;
	memcpy(res, p, (size_t)(slash - p));
	res[slash - p] = '\0';
	dot = strchr(res, '.');
	if (dot)
		*dot++ = '\0';
	ks = reg_kinds(&nk);
	for (size_t i = 0; i < nk; i++)
		if (first_row(ks, i) && !strcmp(ks[i].plural, res) &&
		    !strcmp(reg_store_group(&ks[i]), dot ? dot : ""))
			return &ks[i];
	nk = crd_kinds(crs, 512);
	for (size_t i = 0; i < nk; i++)
		if ((crs[i]->flags & REG_PREFERRED) && !strcmp(crs[i]->plural, res) &&
		    !strcmp(reg_store_group(crs[i]), dot ? dot : ""))
			return crs[i];
	return NULL;
}

/* Check the queued dependents alone (their owners looked up by key). */
static void gc_partial(struct ctrl *c, struct gc_key *keys)
{
	struct gc_pass g = { .partial = true };
	struct gc_key *k, *tmp;

	HASH_ITER(hh, keys, k, tmp) {
		const struct reg_kind *kind = kind_of_key(k->key);
		const struct store_obj *o;
		struct err e;
		cJSON *obj;

		if (!kind) {
			gc_want_full(c);
			continue;
		}
		if (store_get(c->store, k->key, &o, &e) < 0)
			continue;	/* gone: its deletion asked for a full pass */
		obj = store_obj_parse(o);
		store_obj_unref(o);
		if (json_get(obj, "metadata.ownerReferences"))
			gc_one(c, &g, kind, obj);
		cJSON_Delete(obj);
	}
}

/* Start watching on the first pass (which is a full one). */
static void gc_start(struct ctrl *c)
{
	struct err e;

	c->gc = xcalloc(1, sizeof(*c->gc));
	pthread_mutex_init(&c->gc->mu, NULL);
	c->gc->full = true;
	if (store_watch(c->store, "/registry/", 0, gc_watch_cb, c->gc,
			&c->gc->w, &e) < 0) {
		fprintf(stderr, "kdeck: garbage collector: %s; full passes "
			"only\n", e.msg);
		c->gc->w = NULL;
	}
}

void gc_sync(struct ctrl *c)
{
	int64_t now = (int64_t)time(NULL);
	struct gc_key *keys;
	bool full;

	if (!c->gc)
		gc_start(c);
	pthread_mutex_lock(&c->gc->mu);
	full = c->gc->full || !c->gc->w ||
	       now - c->gc->last_full >= GC_RESYNC_S;
	keys = c->gc->keys;
	c->gc->keys = NULL;
	c->gc->full = false;
	pthread_mutex_unlock(&c->gc->mu);
	if (full) {
		c->gc->last_full = now;
		gc_full(c);
	} else {
		gc_partial(c, keys);
	}
	gc_keys_free(keys);
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

/* From the informer cache: only terminating namespaces cost a listing. */
void ns_sync(struct ctrl *c)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, ctrl_cached(c, CTRL_K_NS)) {
		if (!json_get(n, "metadata.deletionTimestamp"))
			continue;
		if (ns_drain(c, json_get_str(n, "metadata.name")) == 0)
			ns_finalize(c, n);
	}
}
