/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_patch: PATCH for every kind and the status/scale subresources,
 * through patch.h (JSON patch, merge patch, strategic merge patch).  The
 * patched document then takes the same road as a PUT (api_merge_update,
 * admission, conditional write); a conflict with a concurrent writer is
 * retried from a fresh read, as the apiserver does for patches.
 *
 * application/apply-patch+yaml (server-side apply) is approximated: a
 * missing object is created from the body (201), an existing one gets the
 * body as a strategic merge patch.  Field ownership (managedFields, one
 * entry per manager and operation) and conflicts between managers are
 * tracked by api_ssa.c; fields an applier drops are not removed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit.h"
#include "cluster/api_int.h"
#include "cluster/openapi.h"
#include "cluster/patch.h"
#include "common/json.h"
#include "common/yaml.h"

/*
 * A patch without a resourceVersion is applied again to the newer object
 * when a concurrent write won the race, as the apiserver's
 * GuaranteedUpdate loop does: a client never sees a 409 for it.  The
 * bound only stops a livelock; a controller rewriting a pod's status on
 * a loaded machine easily wins five races in a row.
 */
#define PATCH_RETRIES 64

enum patch_kind { P_JSON, P_MERGE, P_SMP, P_APPLY };

static const struct {
	const char *type;
	enum patch_kind kind;
} patch_types[] = {
	{ "application/json-patch+json", P_JSON },
	{ "application/merge-patch+json", P_MERGE },
	{ "application/strategic-merge-patch+json", P_SMP },
	{ "application/apply-patch+yaml", P_APPLY },
	{ "application/apply-patch+json", P_APPLY },
};

static int patch_kind_of(const char *ct, enum patch_kind *out, struct err *e)
{
	for (size_t i = 0; ct && i < sizeof(patch_types) / sizeof(patch_types[0]); i++)
		if (!strncmp(ct, patch_types[i].type, strlen(patch_types[i].type))) {
			*out = patch_types[i].kind;
			return 0;
		}
	return err_set(e, ERR_MEDIA_TYPE, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
}

static cJSON *parse_patch(const struct api_req *req, enum patch_kind pk,
			  struct err *e)
{
	cJSON *p = pk == P_APPLY ? kyaml_parse(req->body, req->body_len, e)
				 : json_parse(req->body, req->body_len, e);

	if (!p) {
		e->code = ERR_BAD_REQUEST;
		return NULL;
	}
	if (pk == P_JSON ? !cJSON_IsArray(p) : !cJSON_IsObject(p)) {
		cJSON_Delete(p);
		err_set(e, ERR_BAD_REQUEST, pk == P_JSON ?
			"json: cannot unmarshal object into Go value of type jsonpatch.Patch" :
			"json: cannot unmarshal array into Go value of type map[string]interface {}");
		return NULL;
	}
	return p;
}

static cJSON *apply_one(enum patch_kind pk, const cJSON *doc,
			const cJSON *patch, struct err *e)
{
	switch (pk) {
	case P_JSON: return patch_json(doc, patch, e);
	case P_MERGE: return patch_merge(doc, patch, e);
	case P_SMP: case P_APPLY: return patch_strategic(doc, patch, e);
	}
	return NULL;
}

/* Patch the current object (or its Scale) into the object to store. */
static cJSON *patched(const struct api_route *rt, enum patch_kind pk,
		      const cJSON *old, const cJSON *patch, struct err *e)
{
	bool scale = !strcmp(rt->sub, "scale");
	cJSON *base = scale ? api_scale_of(rt->k, old) : NULL, *p, *out;

	/* A custom resource has no patch metadata: an apply body is merged as
	 * a merge patch, then api_ssa_apply merges its list-maps by key. */
	if (pk == P_APPLY && (rt->k->flags & REG_CUSTOM))
		pk = P_MERGE;
	p = apply_one(pk, base ? base : old, patch, e);
	cJSON_Delete(base);
	if (!p)
		return NULL;
	if (scale)
		out = api_scale_apply(rt->k, old, p);
	else
		out = api_merge_update(rt, old, p);
	cJSON_Delete(p);
	api_set_type(out, rt->k);
	return out;
}

/* managedFields for a patch of the object itself (not a subresource). */
static int ssa_record(const struct api_req *req, const struct api_route *rt,
		      enum patch_kind pk, cJSON *nw, const cJSON *old,
		      const cJSON *patch, struct err *e)
{
	char mb[128];
	const char *m = api_field_manager(req, mb, sizeof(mb));
	const char *force = api_query(req, "force");

	if (rt->sub[0])
		return 0;
	if (pk != P_APPLY) {
		api_ssa_update(nw, old, m);
		return 0;
	}
	return api_ssa_apply(nw, old, patch, m, force && !strcmp(force, "true"), e);
}

/* Create from an apply body: the object with the applier's Apply entry. */
static void apply_create(struct api *api, const struct api_req *req,
			 struct api_route *rt, const cJSON *patch,
			 struct api_resp *resp)
{
	cJSON *obj = cJSON_Duplicate(patch, true);
	struct err e;

	if (ssa_record(req, rt, P_APPLY, obj, NULL, patch, &e) < 0)
		api_reply_err(resp, &e, rt);
	else
		api_create_decoded(api, req, rt, obj, resp);
	cJSON_Delete(obj);
}

static void reply_patched(const struct api_route *rt, const cJSON *obj,
			  struct api_resp *resp)
{
	if (!strcmp(rt->sub, "scale"))
		api_scale_reply(resp, rt->k, obj, 200);
	else
		api_reply_obj(resp, 200, obj, rt);
}

/*
 * The patched object must still decode: a value of the wrong type is a
 * 422 naming the patch, as the apiserver's patcher answers
 * ("patch: Invalid value: ...: json: cannot unmarshal string into Go
 * struct field DeploymentSpec.spec.replicas of type int32").
 */
static int patched_types(const struct api_route *rt, const cJSON *nw,
			 struct err *e)
{
	char *te = (rt->k->flags & REG_CUSTOM) || rt->sub[0] ? NULL
		   : openapi_type_error(rt->k->group, rt->k->version, rt->k->kind, nw);
	char *js, val[160];

	if (!te)
		return 0;
	js = cJSON_PrintUnformatted(nw);	/* the value, shortened to fit */
	snprintf(val, sizeof(val), "%.140s%s", js ? js : "", js && strlen(js) > 140 ? "..." : "");
	cJSON_free(js);
	err_set(e, ERR_INVALID, " \"\" is invalid: patch: Invalid value: \"%s\": %s", val, te);
	err_cause(e, "FieldValueInvalid", "patch", "Invalid value: \"%s\": %s", val, te);
	free(te);
	return -1;
}

/* One read-patch-write round; 1 = retry (conflict), 0 done, -1 error. */
static int patch_round(struct api *api, const struct api_req *req,
		       struct api_route *rt, enum patch_kind pk,
		       const cJSON *patch, struct api_resp *resp, struct err *e)
{
	const struct store_obj *so = NULL;
	cJSON *old = NULL, *nw = NULL;
	int rc = -1;

	if (api_load(api, rt, &so, &old, e) < 0)
		goto out;
	nw = patched(rt, pk, old, patch, e);
	if (nw && patched_types(rt, nw, e) < 0)
		goto out;
	if (!nw || ssa_record(req, rt, pk, nw, old, patch, e) < 0 ||
	    admit_update(rt->k, old, nw, e) < 0 ||
	    admit_store(api->st, rt->k, old, nw, e) < 0 ||
	    api_guard_rbac(api, req, rt, nw, e) < 0)
		goto out;
	if (cJSON_Compare(old, nw, true)) {	/* no change: nothing written */
		reply_patched(rt, old, resp);
		rc = 0;
		goto out;
	}
	if (api_write_update(api, req, rt, so->rev, nw, e) < 0) {
		rc = e->code == ERR_CONFLICT && !json_get(patch, "metadata.resourceVersion") ? 1 : -1;
		goto out;
	}
	reply_patched(rt, nw, resp);
	rc = 0;
out:
	store_obj_unref(so);
	cJSON_Delete(old);
	cJSON_Delete(nw);
	return rc;
}

void api_patch(struct api *api, const struct api_req *req,
	       struct api_route *rt, struct api_resp *resp)
{
	enum patch_kind pk = P_MERGE;
	struct err e;
	cJSON *patch = NULL;
	int rc = -1;

	if (!rt->name[0]) {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		api_reply_err(resp, &e, NULL);
		return;
	}
	if (patch_kind_of(req->content_type, &pk, &e) < 0 ||
	    !(patch = parse_patch(req, pk, &e)))
		goto out;
	if (pk == P_SMP && (rt->k->flags & REG_CUSTOM)) {
		/* custom resources have no patch metadata: 415 as upstream */
		err_set(&e, ERR_MEDIA_TYPE, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
		goto out;
	}
	if (pk != P_JSON && !rt->sub[0] &&
	    api_check_fields(req, rt, patch, resp, &e) < 0)
		goto out;
	for (int i = 0; i < PATCH_RETRIES; i++) {
		rc = patch_round(api, req, rt, pk, patch, resp, &e);
		if (rc != 1)
			break;
	}
	if (rc < 0 && pk == P_APPLY && e.code == ERR_NOT_FOUND && !rt->sub[0]) {
		apply_create(api, req, rt, patch, resp);
		rc = 0;
	}
out:
	if (rc != 0 && pk == P_JSON && e.code == ERR_INVALID && !e.ncauses) {
		/* a failed test op: 422 without details, as the apiserver answers */
		err_set(&e, ERR_INVALID, "the server rejected our request due to an error in our request");
		api_reply_err(resp, &e, NULL);
	} else if (rc != 0) {
		api_reply_err(resp, &e, rt);
	}
	cJSON_Delete(patch);
}
