/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_delete: DELETE of one object and of a collection, with
 * DeleteOptions (body as JSON or protobuf, or query parameters),
 * preconditions, finalizers (a deleting object with finalizers only gets
 * deletionTimestamp; removing the last finalizer deletes it, see
 * api_write_update), graceful pod deletion (bound pods with a grace
 * period > 0 get deletionTimestamp; the node agent finishes them) and
 * namespace deletion (phase Terminating + finalizer "kubernetes"; the
 * namespace controller deletes the contents and the namespace).  Also
 * the scale subresource's Scale conversion.
 *
 * Propagation (store.go's deletionFinalizersForGarbageCollection):
 * propagationPolicy Foreground adds the "foregroundDeletion" finalizer,
 * Orphan (or orphanDependents=true) the "orphan" finalizer, Background
 * neither; without an explicit policy a GC finalizer already on the
 * object decides, then the kind's default (ReplicationControllers in
 * core/v1 orphan, everything else deletes in the background).  The
 * garbage collector (ctrl_gc.c) works the finalizers off.  A pod already
 * pending graceful deletion keeps its finalizers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

enum del_policy { POL_UNSET, POL_ORPHAN, POL_BACKGROUND, POL_FOREGROUND };

#define FIN_ORPHAN "orphan"
#define FIN_FOREGROUND "foregroundDeletion"

struct del_opts {
	int64_t grace;		/* -1 = not given */
	enum del_policy policy;	/* explicit propagationPolicy/orphanDependents */
	char uid[64];
	char rv[32];
	bool dry_run;
};

/* The policy named s into *p; -1 (Invalid, as ValidateDeleteOptions) if unknown. */
static int policy_of(const char *s, enum del_policy *p, struct err *e)
{
	static const struct { const char *name; enum del_policy p; } tab[] = {
		{ "Orphan", POL_ORPHAN }, { "Background", POL_BACKGROUND },
		{ "Foreground", POL_FOREGROUND },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name)) {
			*p = tab[i].p;
			return 0;
		}
	return err_set(e, ERR_INVALID, "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"%s\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"",
		       s);
}

/*
 * propagationPolicy and orphanDependents from the query and the body (the
 * body wins); both given is invalid.
 */
static int parse_policy(const struct api_req *req, const cJSON *body,
			struct del_opts *o, struct err *e)
{
	const char *pp = api_query(req, "propagationPolicy");
	const char *od = api_query(req, "orphanDependents");
	const cJSON *bo = json_get(body, "orphanDependents");

	if (json_get_str(body, "propagationPolicy"))
		pp = json_get_str(body, "propagationPolicy");
	if (cJSON_IsBool(bo))
		od = cJSON_IsTrue(bo) ? "true" : "false";
	if (pp && od)
		return err_set(e, ERR_INVALID, "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"%s\": orphanDependents and deletionPropagation cannot be both set",
			       pp);
	if (pp)
		return policy_of(pp, &o->policy, e);
	if (od)
		o->policy = !strcmp(od, "true") ? POL_ORPHAN : POL_BACKGROUND;
	return 0;
}

static int parse_opts(const struct api_req *req, struct del_opts *o,
		      struct err *e)
{
	const char *g = api_query(req, "gracePeriodSeconds");
	cJSON *body = NULL;

	memset(o, 0, sizeof(*o));
	o->grace = g ? strtoll(g, NULL, 10) : -1;
	o->dry_run = api_dry_run(req);
	if (!req->body_len && parse_policy(req, NULL, o, e) < 0)
		return -1;
	if (req->body_len) {
		const char *u, *rv;
		const cJSON *d;
		int64_t n;

		body = api_decode_body(req, e);
		if (!body)
			return -1;
		if (json_get_int(body, "gracePeriodSeconds", &n) == 0)
			o->grace = n;
		u = json_get_str(body, "preconditions.uid");
		rv = json_get_str(body, "preconditions.resourceVersion");
		snprintf(o->uid, sizeof(o->uid), "%s", u ? u : "");
		snprintf(o->rv, sizeof(o->rv), "%s", rv ? rv : "");
		d = json_get(body, "dryRun");
		if (cJSON_IsArray(d) && cJSON_GetArraySize(d) > 0)
			o->dry_run = true;
		if (parse_policy(req, body, o, e) < 0) {
			cJSON_Delete(body);
			return -1;
		}
	}
	cJSON_Delete(body);
	return 0;
}

static bool has_finalizer(const cJSON *obj, const char *name)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (cJSON_IsString(f) && !strcmp(f->valuestring, name))
			return true;
	return false;
}

/* The policy in effect: explicit, else a GC finalizer, else the kind's default. */
static enum del_policy effective_policy(const struct reg_kind *k,
					const struct del_opts *o,
					const cJSON *obj)
{
	if (o->policy != POL_UNSET)
		return o->policy;
	if (has_finalizer(obj, FIN_ORPHAN))
		return POL_ORPHAN;
	if (has_finalizer(obj, FIN_FOREGROUND))
		return POL_FOREGROUND;
	if (!strcmp(k->kind, "ReplicationController") && !k->group[0])
		return POL_ORPHAN;	/* core/v1, for back compatibility */
	return POL_BACKGROUND;
}

/* Replace the GC finalizers of obj by the one policy p asks for. */
static void set_gc_finalizers(cJSON *obj, enum del_policy p)
{
	cJSON *fin = cJSON_CreateArray(), *f;

	cJSON_ArrayForEach(f, json_get(obj, "metadata.finalizers"))
		if (!cJSON_IsString(f) || (strcmp(f->valuestring, FIN_ORPHAN) &&
					   strcmp(f->valuestring, FIN_FOREGROUND)))
			cJSON_AddItemToArray(fin, json_dup(f));
	if (p == POL_ORPHAN)
		cJSON_AddItemToArray(fin, cJSON_CreateString(FIN_ORPHAN));
	if (p == POL_FOREGROUND)
		cJSON_AddItemToArray(fin, cJSON_CreateString(FIN_FOREGROUND));
	if (cJSON_GetArraySize(fin) == 0 && !json_get(obj, "metadata.finalizers"))
		cJSON_Delete(fin);
	else
		json_set(obj, "metadata.finalizers", fin);
}

/* A pod whose graceful deletion is already under way (store.go's pendingGraceful). */
static bool pending_graceful(const cJSON *obj)
{
	int64_t g = 0;

	json_get_int(obj, "metadata.deletionGracePeriodSeconds", &g);
	return json_get(obj, "metadata.deletionTimestamp") && g > 0;
}

static int check_preconditions(const struct del_opts *o, const cJSON *obj,
			       struct err *e)
{
	const char *uid = json_get_str(obj, "metadata.uid");
	const char *rv = json_get_str(obj, "metadata.resourceVersion");

	if (o->uid[0] && strcmp(o->uid, uid ? uid : ""))
		return err_set(e, ERR_CONFLICT, "Precondition failed: UID in precondition: %s, UID in object meta: %s",
			       o->uid, uid ? uid : "");
	if (o->rv[0] && strcmp(o->rv, rv ? rv : ""))
		return err_set(e, ERR_CONFLICT, "Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s",
			       o->rv, rv ? rv : "");
	return 0;
}

static void mark_deleting(cJSON *obj, int64_t grace)
{
	char ts[32];

	if (!json_get(obj, "metadata.deletionTimestamp")) {
		api_now_rfc3339(ts, sizeof(ts), time(NULL) + (time_t)grace);
		json_set_str(obj, "metadata.deletionTimestamp", ts);
	}
	json_set_int(obj, "metadata.deletionGracePeriodSeconds", grace);
}

/*
 * Decide what a delete does to obj: 1 = keep it (updated in place: it
 * was marked for deletion), 0 = remove it now.
 */
static int delete_mode(const struct api_route *rt, const struct del_opts *o,
		       cJSON *obj)
{
	const char *kind = rt->k->kind;

	if (!strcmp(kind, "Namespace")) {
		mark_deleting(obj, 0);
		json_set_str(obj, "status.phase", "Terminating");
		if (!json_get(obj, "spec.finalizers"))
			json_set(obj, "spec.finalizers",
				 cJSON_CreateStringArray((const char *[]){ "kubernetes" }, 1));
		return 1;
	}
	if (!pending_graceful(obj))
		set_gc_finalizers(obj, effective_policy(rt->k, o, obj));
	if (!strcmp(kind, "Pod")) {
		int64_t grace = 30;
		const char *node = json_get_str(obj, "spec.nodeName");
		const char *phase = json_get_str(obj, "status.phase");

		json_get_int(obj, "spec.terminationGracePeriodSeconds", &grace);
		if (o->grace >= 0)
			grace = o->grace;
		if (!phase)
			phase = "";
		if (node && node[0] && grace > 0 && strcmp(phase, "Succeeded") &&
		    strcmp(phase, "Failed")) {
			mark_deleting(obj, grace);
			return 1;
		}
	}
	if (!json_get(obj, "metadata.finalizers") ||
	    cJSON_GetArraySize(json_get(obj, "metadata.finalizers")) == 0)
		return 0;
	mark_deleting(obj, 0);
	return 1;
}

/* Delete the object at rt->name.  On success *out is the final state. */
static int delete_one(struct api *api, const struct api_req *req,
		      const struct api_route *rt, const struct del_opts *o,
		      cJSON **out, struct err *e)
{
	const struct store_obj *so = NULL;
	cJSON *obj = NULL;
	char *key = NULL;
	int rc = -1;

	if (api_load(api, rt, &so, &obj, e) < 0 ||
	    check_preconditions(o, obj, e) < 0)
		goto out;
	api_set_type(obj, rt->k);
	if (delete_mode(rt, o, obj)) {
		if (!o->dry_run && api_write_update(api, req, rt, so->rev, obj, e) < 0)
			goto out;
	} else if (!o->dry_run) {
		key = api_key(rt, rt->name);
		if (store_delete(api->st, key, so->rev, NULL, e) < 0) {
			if (e->code == ERR_CONFLICT)
				api_conflict(e, rt);
			else if (e->code == ERR_NOT_FOUND)
				api_not_found(e, rt, rt->name);
			goto out;
		}
	}
	*out = obj;
	obj = NULL;
	rc = 0;
out:
	free(key);
	cJSON_Delete(obj);
	store_obj_unref(so);
	return rc;
}

void api_delete(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp)
{
	struct del_opts o;
	struct err e;
	cJSON *obj = NULL;

	if (parse_opts(req, &o, &e) < 0 ||
	    delete_one(api, req, rt, &o, &obj, &e) < 0) {
		api_reply_err(resp, &e, rt);
		return;
	}
	api_reply_json(resp, 200, obj);
	cJSON_Delete(obj);
}

struct collect {
	struct api_filter *f;
	const struct reg_kind *k;
	struct vec names;
};

static int collect_fn(void *arg, const struct store_obj *so)
{
	struct collect *c = arg;
	cJSON *obj = store_obj_parse(so);

	if (api_filter_match(c->f, c->k, obj))
		vec_push(&c->names, xstrdup(json_get_str(obj, "metadata.name")));
	cJSON_Delete(obj);
	return 0;
}

/* DELETE on a collection: every object matching the selectors. */
int api_delete_collection(struct api *api, const struct api_req *req,
			  struct api_route *rt, struct api_resp *resp)
{
	struct collect c = { NULL, rt->k, VEC_INIT };
	struct del_opts o;
	struct err e;
	char *prefix = api_prefix(rt->k, rt->ns);
	cJSON *list = cJSON_CreateObject(), *items;
	char kind[128];
	int rc = -1;

	if (parse_opts(req, &o, &e) < 0 || api_filter_new(req, rt->k, &c.f, &e) < 0 ||
	    store_list(api->st, prefix, NULL, collect_fn, &c, NULL, &e) < 0)
		goto out;
	snprintf(kind, sizeof(kind), "%sList", rt->k->kind);
	cJSON_AddStringToObject(list, "kind", kind);
	cJSON_AddStringToObject(list, "apiVersion", rt->k->group[0] ? rt->k->group : "v1");
	if (rt->k->group[0])
		json_set_str(list, "apiVersion", reg_api_version(rt->k, kind, sizeof(kind)));
	cJSON_AddObjectToObject(list, "metadata");
	items = cJSON_AddArrayToObject(list, "items");
	for (size_t i = 0; i < c.names.len; i++) {
		struct api_route one = *rt;
		cJSON *obj = NULL;

		snprintf(one.name, sizeof(one.name), "%s", (char *)c.names.items[i]);
		if (delete_one(api, req, &one, &o, &obj, &e) == 0)
			cJSON_AddItemToArray(items, obj);
		else if (e.code != ERR_NOT_FOUND)
			goto out;
	}
	api_reply_json(resp, 200, list);
	rc = 0;
out:
	if (rc < 0)
		api_reply_err(resp, &e, rt);
	api_filter_free(c.f);
	vec_free(&c.names, free);
	cJSON_Delete(list);
	free(prefix);
	return rc;
}

/* "k=v,k2=v2" from a LabelSelector or a plain map (ReplicationController). */
static void selector_string(const cJSON *obj, struct buf *b)
{
	const cJSON *sel = json_get(obj, "spec.selector");
	const cJSON *ml = json_obj(sel, "matchLabels");
	const cJSON *m = ml ? ml : sel, *it;

	cJSON_ArrayForEach(it, m) {
		if (!cJSON_IsString(it))
			continue;
		buf_printf(b, "%s%s=%s", b->len ? "," : "", it->string, it->valuestring);
	}
}

cJSON *api_scale_of(const struct reg_kind *k, const cJSON *obj)
{
	static const char *const md_keys[] = { "name", "namespace", "uid",
					       "resourceVersion", "creationTimestamp", NULL };
	cJSON *s = cJSON_CreateObject(), *md;
	struct buf sel = BUF_INIT;
	int64_t n = 1;

	if (k->flags & REG_CUSTOM) {
		cJSON_Delete(s);
		return crd_scale_of(k, obj);
	}
	cJSON_AddStringToObject(s, "kind", "Scale");
	cJSON_AddStringToObject(s, "apiVersion", "autoscaling/v1");
	md = cJSON_AddObjectToObject(s, "metadata");
	for (size_t i = 0; md_keys[i]; i++) {
		const cJSON *v = json_obj(json_obj(obj, "metadata"), md_keys[i]);

		if (v)
			cJSON_AddItemToObject(md, md_keys[i], json_dup(v));
	}
	json_get_int(obj, "spec.replicas", &n);
	json_set_int(s, "spec.replicas", n);
	n = 0;
	json_get_int(obj, "status.replicas", &n);
	json_set_int(s, "status.replicas", n);
	selector_string(obj, &sel);
	if (sel.len)
		json_set_str(s, "status.selector", buf_cstr(&sel));
	buf_free(&sel);
	return s;
}

void api_scale_reply(struct api_resp *resp, const struct reg_kind *k,
		     const cJSON *obj, int status)
{
	cJSON *s = api_scale_of(k, obj);

	api_reply_json(resp, status, s);
	cJSON_Delete(s);
}

cJSON *api_scale_apply(const struct reg_kind *k, const cJSON *obj,
		       const cJSON *scale)
{
	cJSON *out;
	int64_t n;

	if (k->flags & REG_CUSTOM)
		return crd_scale_apply(k, obj, scale);
	out = json_dup(obj);

	if (json_get_int(scale, "spec.replicas", &n) == 0) {
		int64_t old = -1, g = 0;

		json_get_int(out, "spec.replicas", &old);
		json_set_int(out, "spec.replicas", n);
		if (old != n && json_get_int(out, "metadata.generation", &g) == 0)
			json_set_int(out, "metadata.generation", g + 1);
	}
	return out;
}
