/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_rest: the generic REST handlers (get, create, update, delete, and
 * the status and scale subresources) for every stored kind, driven by the
 * registry row of the route.  One code path for all kinds; what differs
 * per kind lives in the registry flags and in admit*.c.
 *
 * Write path: decode -> type/name/namespace checks -> admission ->
 * server-set metadata -> store write (conditional on the revision read,
 * so concurrent writers get 409 Conflict) -> reply with the stored object.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "cluster/admit.h"
#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "cluster/quota.h"
#include "cluster/sched.h"
#include "common/json.h"
#include "common/mem.h"

bool api_dry_run(const struct api_req *req)
{
	const char *d = api_query(req, "dryRun");

	return d && !strcmp(d, "All");
}

static void random_bytes(void *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n)
		for (size_t i = 0; i < n; i++)
			((unsigned char *)p)[i] = (unsigned char)rand();
}

static void new_uid(char *out, size_t n)
{
	unsigned char b[16];

	random_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Kubernetes' generateName suffix alphabet (no vowels, no 0/1/3). */
static void name_suffix(char *out)
{
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
	unsigned char b[5];

	random_bytes(b, sizeof(b));
	for (int i = 0; i < 5; i++)
		out[i] = alnum[b[i] % (sizeof(alnum) - 1)];
	out[5] = 0;
}

void api_reply_obj(struct api_resp *resp, int status, const cJSON *obj,
		      const struct api_route *rt)
{
	if (rt->table) {
		struct buf *b = &resp->body;

		buf_reset(b);
		api_table_begin(b, rt->k, json_get_str(obj, "metadata.resourceVersion"), NULL);
		api_table_row(b, rt->k, obj, NULL, true);
		api_table_end(b);
		resp->status = status;
		resp->content_type = "application/json";
		return;
	}
	api_reply_json(resp, status, obj);
}

static void fail(struct api_resp *resp, struct err *e,
		 const struct api_route *rt)
{
	api_reply_err(resp, e, rt);
}

int api_not_found(struct err *e, const struct api_route *rt,
		     const char *name)
{
	if (rt->k->group[0])
		return err_set(e, ERR_NOT_FOUND, "%s.%s \"%s\" not found",
			       rt->k->plural, rt->k->group, name);
	return err_set(e, ERR_NOT_FOUND, "%s \"%s\" not found", rt->k->plural, name);
}

const char *api_qualified(const struct reg_kind *k, char *buf, size_t n)
{
	if (k->group[0])
		snprintf(buf, n, "%s.%s", k->plural, k->group);
	else
		snprintf(buf, n, "%s", k->plural);
	return buf;
}

/* Load the object at the route's name.  cJSON out, store obj ref'd. */
int api_load(struct api *api, const struct api_route *rt,
		const struct store_obj **so, cJSON **obj, struct err *e)
{
	char *key = api_key(rt, rt->name);
	int rc = store_get(api->st, key, so, e);

	free(key);
	if (rc < 0) {
		if (e->code == ERR_NOT_FOUND)
			api_not_found(e, rt, rt->name);
		return -1;
	}
	*obj = store_obj_parse(*so);
	if (api_conv_applies(rt->k))
		api_set_type(*obj, rt->k);
	return 0;
}

/* Fill kind/apiVersion when absent, 400 when they disagree with the URL. */
static int check_type(const struct api_route *rt, cJSON *obj, bool scale,
		      struct err *e)
{
	char want_av[160];
	const char *av = json_get_str(obj, "apiVersion");
	const char *kind = json_get_str(obj, "kind");
	const char *want_kind = scale ? "Scale" : rt->k->kind;

	if (scale)
		snprintf(want_av, sizeof(want_av), "autoscaling/v1");
	else
		reg_api_version(rt->k, want_av, sizeof(want_av));
	if (av && av[0] && strcmp(av, want_av))
		return err_set(e, ERR_BAD_REQUEST, "the API version in the data (%s) does not match the expected API version (%s)",
			       av, want_av);
	if (kind && kind[0] && strcmp(kind, want_kind))
		return err_set(e, ERR_BAD_REQUEST, "the kind in the data (%s) does not match the expected kind (%s)",
			       kind, want_kind);
	json_set_str(obj, "apiVersion", want_av);
	json_set_str(obj, "kind", want_kind);
	return scale ? 0 : admit_decode_check(rt->k, obj, e);
}

static int check_namespace(const struct api_route *rt, cJSON *obj,
			   struct err *e)
{
	const char *ns = json_get_str(obj, "metadata.namespace");

	if (!reg_namespaced(rt->k)) {
		json_del(obj, "metadata.namespace");
		return 0;
	}
	if (ns && ns[0] && strcmp(ns, rt->ns))
		return err_set(e, ERR_BAD_REQUEST, "the namespace of the provided object does not match the namespace sent on the request");
	json_set_str(obj, "metadata.namespace", rt->ns);
	return 0;
}

/* 404 for a missing namespace, 403 for a terminating one. */
static int namespace_usable(struct api *api, const struct api_route *rt,
			    const char *name, struct err *e)
{
	char *key = store_key("", "namespaces", NULL, rt->ns);
	const struct store_obj *so = NULL;
	cJSON *ns;
	int rc;

	rc = store_get(api->st, key, &so, e);
	free(key);
	if (rc < 0)
		return err_set(e, ERR_NOT_FOUND, "namespaces \"%s\" not found", rt->ns);
	ns = store_obj_parse(so);
	store_obj_unref(so);
	if (json_get(ns, "metadata.deletionTimestamp") ||
	    !strcmp(json_get_str(ns, "status.phase") ? json_get_str(ns, "status.phase") : "", "Terminating")) {
		char q[160];

		rc = err_set(e, ERR_FORBIDDEN, "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is being terminated",
			     api_qualified(rt->k, q, sizeof(q)), name, rt->ns);
	}
	cJSON_Delete(ns);
	return rc;
}

/* Server-set metadata of a new object; status reset for status kinds. */
static void prepare_create(const struct reg_kind *k, cJSON *obj)
{
	char uid[40], ts[32];
	cJSON *md = json_obj_ensure(obj, "metadata");

	new_uid(uid, sizeof(uid));
	api_now_rfc3339(ts, sizeof(ts), time(NULL));
	json_set_str(md, "uid", uid);
	json_set_str(md, "creationTimestamp", ts);
	json_del(md, "resourceVersion");
	json_del(md, "deletionTimestamp");
	json_del(md, "deletionGracePeriodSeconds");
	json_del(md, "selfLink");
	if (k->flags & REG_GENERATION)
		json_set_int(md, "generation", 1);
	else
		json_del(md, "generation");
	if ((k->flags & REG_SUB_STATUS) && strcmp(k->kind, "Namespace") &&
	    strcmp(k->kind, "Node"))
		json_del(obj, "status");
	if (!strcmp(k->kind, "Pod")) {
		json_set_str(obj, "status.phase", "Pending");
		json_set_str(obj, "status.qosClass", "BestEffort");
	}
	if (!strcmp(k->kind, "Namespace")) {
		json_set_str(obj, "status.phase", "Active");
		json_set_str(obj, "metadata.labels.kubernetes\\.io/metadata\\.name",
			     json_get_str(obj, "metadata.name"));
		if (!json_get(obj, "spec.finalizers"))
			json_set(obj, "spec.finalizers",
				 cJSON_CreateStringArray((const char *[]){ "kubernetes" }, 1));
	}
}

static int resolve_name(const struct api_route *rt, cJSON *obj,
			struct err *e)
{
	const char *name = json_get_str(obj, "metadata.name");
	const char *gen = json_get_str(obj, "metadata.generateName");
	char sfx[6], qk[256], *full;

	if (name && name[0])
		return 0;
	if (!gen || !gen[0]) {
		err_clear(e);
		err_cause(e, "FieldValueRequired", "metadata.name",
			  "Required value: name or generateName is required");
		return admit_finish(e, admit_qualified_kind(rt->k, qk, sizeof(qk)), "");
	}
	name_suffix(sfx);
	full = xasprintf("%.*s%s", (int)(strlen(gen) > 58 ? 58 : strlen(gen)), gen, sfx);
	json_set_str(obj, "metadata.name", full);
	free(full);
	return 0;
}

static int create_prepare(struct api *api, const struct api_req *req,
			  struct api_route *rt, cJSON *obj, struct err *e)
{
	const char *name;

	if (check_type(rt, obj, false, e) < 0 || check_namespace(rt, obj, e) < 0 ||
	    resolve_name(rt, obj, e) < 0)
		return -1;
	name = json_get_str(obj, "metadata.name");
	snprintf(rt->name, sizeof(rt->name), "%s", name);
	if (reg_namespaced(rt->k) && namespace_usable(api, rt, name, e) < 0)
		return -1;
	prepare_create(rt->k, obj);
	if (!strcmp(rt->k->kind, "Pod") && sched_prio_admit(api->st, obj, e) < 0)
		return -1;
	if (limitrange_admit(api->st, rt->k, name, obj, e) < 0 ||
	    admit_create(rt->k, obj, e) < 0 ||
	    admit_store(api->st, rt->k, NULL, obj, e) < 0 ||
	    api_guard_rbac(api, req, rt, obj, e) < 0)
		return -1;
	if (!strcmp(rt->k->kind, "Pod") &&
	    admit_sa_pod(api->st, rt->ns, name, obj, e) < 0)
		return -1;
	if (!strcmp(rt->k->kind, "Service") && !api_dry_run(req) &&
	    api_alloc_cluster_ip(api, obj, e) < 0)
		return -1;
	return 0;
}

static void create_locked(struct api *api, const struct api_req *req,
			  struct api_route *rt, cJSON *obj, struct api_resp *resp)
{
	struct err e;
	char *key = NULL;
	bool qlocked = false;
	int rc = -1;

	if (create_prepare(api, req, rt, obj, &e) < 0)
		goto out;
	if (!strcmp(rt->k->kind, "Service") && !api_dry_run(req) &&
	    api_alloc_service_ports(api, obj, &e) < 0)
		goto out;
	if (quota_admit(api->st, rt->k, rt->name, NULL, obj, &qlocked, &e) < 0)
		goto out;
	key = api_key(rt, rt->name);
	crd_to_storage(rt->k, obj);	/* custom resources: storage version */
	api_conv_to_storage(rt->k, obj);	/* built-ins: the same */
	rc = api_dry_run(req) ? 0 : store_create(api->st, key, obj, NULL, &e);
	quota_admit_done(qlocked);
	if ((rt->k->flags & REG_CUSTOM) || api_conv_applies(rt->k))
		api_set_type(obj, rt->k);
	if (rc < 0) {
		rc = -1;
		if (e.code == ERR_ALREADY_EXISTS) {
			char q[160];

			err_set(&e, ERR_ALREADY_EXISTS, "%s \"%s\" already exists",
				api_qualified(rt->k, q, sizeof(q)), rt->name);
		}
		goto out;
	}
	if (!strcmp(rt->k->kind, "Namespace") && !api_dry_run(req))
		api_ensure_default_sa(api, rt->name, &e);
	api_reply_obj(resp, 201, obj, rt);
	rc = 0;
out:
	if (rc < 0)
		fail(resp, &e, rt);
	free(key);
}

void api_create_decoded(struct api *api, const struct api_req *req,
			struct api_route *rt, cJSON *obj,
			struct api_resp *resp)
{
	bool svc = !strcmp(rt->k->kind, "Service");

	if (svc)
		pthread_mutex_lock(&api->alloc_lock);
	create_locked(api, req, rt, obj, resp);
	if (svc)
		pthread_mutex_unlock(&api->alloc_lock);
}

static void create_obj(struct api *api, const struct api_req *req,
		       struct api_route *rt, struct api_resp *resp)
{
	struct err e;
	cJSON *obj = api_decode_body(req, &e);

	if (!obj || api_check_fields(req, rt, obj, resp, &e) < 0) {
		fail(resp, &e, rt);
		cJSON_Delete(obj);
		return;
	}
	if (!rt->sub[0]) {
		char mb[128];

		api_ssa_update(obj, NULL, api_field_manager(req, mb, sizeof(mb)));
	}
	api_create_decoded(api, req, rt, obj, resp);
	cJSON_Delete(obj);
}

static void get_obj(struct api *api, struct api_route *rt,
		    struct api_resp *resp)
{
	const struct store_obj *so = NULL;
	cJSON *obj = NULL;
	struct err e;

	if (api_load(api, rt, &so, &obj, &e) < 0) {
		fail(resp, &e, rt);
		return;
	}
	api_set_type(obj, rt->k);
	if (rt->k->flags & REG_CUSTOM)
		crd_default(rt->k, obj);	/* defaults apply on read too */
	if (!strcmp(rt->sub, "scale"))
		api_scale_reply(resp, rt->k, obj, 200);
	else
		api_reply_obj(resp, 200, obj, rt);
	cJSON_Delete(obj);
	store_obj_unref(so);
}

int api_conflict(struct err *e, const struct api_route *rt)
{
	char q[160];

	return err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on %s \"%s\": the object has been modified; please apply your changes to the latest version and try again",
		       api_qualified(rt->k, q, sizeof(q)), rt->name);
}

/* The resourceVersion the writer based its object on; 0 = unconditional. */
static int body_rev(const cJSON *obj, const struct api_route *rt,
		    int64_t *out, struct err *e)
{
	const char *rv = json_get_str(obj, "metadata.resourceVersion");
	char qk[256], *end;

	*out = 0;
	if (!rv || !rv[0])
		return 0;
	*out = strtoll(rv, &end, 10);
	if (*end || *out <= 0) {
		err_clear(e);
		err_cause(e, "FieldValueInvalid", "metadata.resourceVersion",
			  "Invalid value: \"%s\": must be a valid resource version", rv);
		return admit_finish(e, admit_qualified_kind(rt->k, qk, sizeof(qk)), rt->name);
	}
	return 0;
}

/* Merge what the writer may change into a copy of old. */
cJSON *api_merge_update(const struct api_route *rt, const cJSON *old,
			   cJSON *obj)
{
	static const char *const keep[] = {
		"uid", "creationTimestamp", "deletionTimestamp",
		"deletionGracePeriodSeconds", "generation", NULL
	};
	bool status_kind = (rt->k->flags & REG_SUB_STATUS) != 0;
	cJSON *out, *md;

	if (!strcmp(rt->sub, "status") || !strcmp(rt->sub, "finalize")) {
		const char *path = rt->sub[0] == 's' ? "status" : "spec.finalizers";
		cJSON *v = json_get(obj, path);

		out = json_dup(old);
		if (v)
			json_set(out, path, json_dup(v));
		else
			json_del(out, path);
		return out;
	}
	out = json_dup(obj);
	md = json_obj_ensure(out, "metadata");
	for (size_t i = 0; keep[i]; i++) {
		cJSON *v = json_obj(json_obj(old, "metadata"), keep[i]);

		cJSON_DeleteItemFromObjectCaseSensitive(md, keep[i]);
		if (v)
			cJSON_AddItemToObject(md, keep[i], json_dup(v));
	}
	if (status_kind) {
		json_del(out, "status");
		if (json_get(old, "status"))
			json_set(out, "status", json_dup(json_get(old, "status")));
	}
	if ((rt->k->flags & REG_GENERATION) &&
	    !json_equal(json_get(old, "spec"), json_get(out, "spec"))) {
		int64_t g = 0;

		json_get_int(old, "metadata.generation", &g);
		json_set_int(out, "metadata.generation", g + 1);
	}
	return out;
}

/* No metadata.finalizers (and, for namespaces, no spec.finalizers). */
static bool finalizers_empty(const cJSON *obj)
{
	const cJSON *f = json_get(obj, "metadata.finalizers");
	const char *kind = json_get_str(obj, "kind");
	const cJSON *sf = kind && !strcmp(kind, "Namespace")
			  ? json_get(obj, "spec.finalizers") : NULL;

	return (!f || cJSON_GetArraySize(f) == 0) &&
	       (!sf || cJSON_GetArraySize(sf) == 0);
}

static bool grace_zero(const cJSON *obj)
{
	int64_t g = 0;

	json_get_int(obj, "metadata.deletionGracePeriodSeconds", &g);
	return g == 0;
}

/*
 * ResourceQuota admission of an update that can change usage (PVC
 * resize, Service type/ports); see quota_admit.
 */
static int quota_admit_update(struct store *st, const struct api_route *rt,
			      const char *key, const cJSON *obj, bool *locked,
			      struct err *e)
{
	const struct store_obj *so = NULL;
	cJSON *old;
	struct err ge;
	int rc;

	*locked = false;
	if (rt->sub[0] || rt->k->group[0] ||
	    (strcmp(rt->k->kind, "PersistentVolumeClaim") &&
	     strcmp(rt->k->kind, "Service")))
		return 0;
	if (store_get(st, key, &so, &ge) < 0)
		return 0;	/* the write reports NotFound */
	old = store_obj_parse(so);
	store_obj_unref(so);
	rc = quota_admit(st, rt->k, rt->name, old, obj, locked, e);
	cJSON_Delete(old);
	return rc;
}

/*
 * Write new over the current object (revision cur_rev): an update, or a
 * delete when the object is being deleted and its last finalizer went.
 */
int api_write_update(struct api *api, const struct api_req *req,
			const struct api_route *rt, int64_t cur_rev,
			cJSON *obj, struct err *e)
{
	char *key = api_key(rt, rt->name);
	bool qlocked = false, svc = !rt->sub[0] && !strcmp(rt->k->kind, "Service") &&
				   !rt->k->group[0];
	int rc = 0;

	if (api_dry_run(req))
		goto out;
	if (svc) {
		pthread_mutex_lock(&api->alloc_lock);
		if ((rc = api_update_service_ports(api, obj, e)) < 0) {
			pthread_mutex_unlock(&api->alloc_lock);
			goto out;
		}
	}
	crd_to_storage(rt->k, obj);	/* custom resources: storage version */
	api_conv_to_storage(rt->k, obj);
	if (json_get(obj, "metadata.deletionTimestamp") && finalizers_empty(obj) &&
	    (strcmp(rt->k->kind, "Pod") || grace_zero(obj)))
		rc = store_delete(api->st, key, cur_rev, NULL, e);
	else if ((rc = quota_admit_update(api->st, rt, key, obj, &qlocked, e)) == 0)
		rc = store_update(api->st, key, cur_rev, obj, NULL, e);
	quota_admit_done(qlocked);
	if (svc)
		pthread_mutex_unlock(&api->alloc_lock);
	if ((rt->k->flags & REG_CUSTOM) || api_conv_applies(rt->k))
		api_set_type(obj, rt->k);
	if (rc < 0 && e->code == ERR_CONFLICT)
		api_conflict(e, rt);
	else if (rc < 0 && e->code == ERR_NOT_FOUND)
		api_not_found(e, rt, rt->name);
out:
	free(key);
	return rc;
}

static int update_prepare(const struct api_route *rt, cJSON *obj,
			  bool scale, struct err *e)
{
	const char *name;

	if (check_type(rt, obj, scale, e) < 0)
		return -1;
	name = json_get_str(obj, "metadata.name");
	if (name && name[0] && strcmp(name, rt->name))
		return err_set(e, ERR_BAD_REQUEST, "the name of the object (%s) does not match the name on the URL (%s)",
			       name, rt->name);
	json_set_str(obj, "metadata.name", rt->name);
	return scale ? 0 : check_namespace(rt, obj, e);
}

static void update_obj(struct api *api, const struct api_req *req,
		       struct api_route *rt, struct api_resp *resp)
{
	struct err e;
	cJSON *obj = api_decode_body(req, &e), *old = NULL, *nw = NULL;
	const struct store_obj *so = NULL;
	bool scale = !strcmp(rt->sub, "scale");
	int64_t want = 0;
	int rc = -1;

	if (!obj || (!rt->sub[0] && api_check_fields(req, rt, obj, resp, &e) < 0) ||
	    update_prepare(rt, obj, scale, &e) < 0 ||
	    body_rev(obj, rt, &want, &e) < 0 || api_load(api, rt, &so, &old, &e) < 0)
		goto out;
	if (want && want != so->rev) {
		api_conflict(&e, rt);
		goto out;
	}
	nw = scale ? api_scale_apply(rt->k, old, obj) : api_merge_update(rt, old, obj);
	api_set_type(nw, rt->k);
	if (!rt->sub[0]) {
		char mb[128];

		api_ssa_update(nw, old, api_field_manager(req, mb, sizeof(mb)));
	}
	if (admit_update(rt->k, old, nw, &e) < 0 ||
	    admit_store(api->st, rt->k, old, nw, &e) < 0 ||
	    api_guard_rbac(api, req, rt, nw, &e) < 0 ||
	    api_write_update(api, req, rt, so->rev, nw, &e) < 0)
		goto out;
	if (scale)
		api_scale_reply(resp, rt->k, nw, 200);
	else
		api_reply_obj(resp, 200, nw, rt);
	rc = 0;
out:
	if (rc < 0)
		fail(resp, &e, rt);
	store_obj_unref(so);
	cJSON_Delete(obj);
	cJSON_Delete(old);
	cJSON_Delete(nw);
}

void api_rest_handle(struct api *api, const struct api_req *req,
		     struct api_route *rt, struct api_resp *resp)
{
	struct err e;

	if (!strcmp(rt->verb, "get"))
		get_obj(api, rt, resp);
	else if (!strcmp(rt->verb, "list"))
		api_list(api, req, rt, resp);
	else if (!strcmp(rt->verb, "watch"))
		api_watch(api, req, rt, resp);
	else if (!strcmp(rt->verb, "create") && !rt->name[0])
		create_obj(api, req, rt, resp);
	else if (!strcmp(rt->verb, "update"))
		update_obj(api, req, rt, resp);
	else if (!strcmp(rt->verb, "patch"))
		api_patch(api, req, rt, resp);
	else if (!strcmp(rt->verb, "delete") && !rt->sub[0])
		api_delete(api, req, rt, resp);
	else if (!strcmp(rt->verb, "deletecollection") && (rt->k->verbs & REG_DELETECOLLECTION))
		api_delete_collection(api, req, rt, resp);
	else {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		api_reply_err(resp, &e, NULL);
	}
}
