/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_review: the create-only review kinds, answered and never stored:
 * authorization.k8s.io/v1 SelfSubjectAccessReview, SubjectAccessReview,
 * LocalSubjectAccessReview, SelfSubjectRulesReview, and
 * authentication.k8s.io/v1 SelfSubjectReview (whoami).  Bodies come as
 * JSON or protobuf (kubectl auth sends protobuf).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/vec.h"

static cJSON *user_json(const struct user_info *u)
{
	cJSON *o = cJSON_CreateObject(), *g;

	cJSON_AddStringToObject(o, "username", u && u->name ? u->name : "");
	if (u && u->uid && u->uid[0])
		cJSON_AddStringToObject(o, "uid", u->uid);
	g = cJSON_AddArrayToObject(o, "groups");
	for (size_t i = 0; u && u->groups && u->groups[i]; i++)
		cJSON_AddItemToArray(g, cJSON_CreateString(u->groups[i]));
	if (u && u->extra && u->extra[0]) {
		cJSON *x = cJSON_AddObjectToObject(o, "extra");

		for (size_t i = 0; u->extra[i] && u->extra[i + 1]; i += 2) {
			cJSON *vals = cJSON_GetObjectItemCaseSensitive(x, u->extra[i]);

			if (!vals)
				vals = cJSON_AddArrayToObject(x, u->extra[i]);
			cJSON_AddItemToArray(vals, cJSON_CreateString(u->extra[i + 1]));
		}
	}
	return o;
}

static const char *str_or(const cJSON *o, const char *path, const char *def)
{
	const char *s = json_get_str(o, path);

	return s ? s : def;
}

/* Decide spec.resourceAttributes / nonResourceAttributes for user. */
static void access_review(struct api *api, const struct user_info *user,
			  cJSON *obj, const char *force_ns)
{
	const cJSON *ra = json_get(obj, "spec.resourceAttributes");
	const cJSON *nra = json_get(obj, "spec.nonResourceAttributes");
	struct authz_attrs a;
	char reason[256] = "";
	bool allowed = true;

	memset(&a, 0, sizeof(a));
	if (ra) {
		a.resource_request = true;
		a.verb = str_or(ra, "verb", "");
		a.group = str_or(ra, "group", "");
		a.version = str_or(ra, "version", "");
		a.resource = str_or(ra, "resource", "");
		a.subresource = str_or(ra, "subresource", "");
		a.namespace = force_ns ? force_ns : str_or(ra, "namespace", "");
		a.name = str_or(ra, "name", "");
		a.path = "";
	} else {
		a.verb = str_or(nra, "verb", "");
		a.path = str_or(nra, "path", "");
		a.group = a.version = a.resource = a.subresource = a.namespace = a.name = "";
	}
	if (api->az)
		allowed = authz_allowed(api->az, user, &a, reason, sizeof(reason));
	json_del(obj, "status");
	json_set(obj, "status.allowed", cJSON_CreateBool(allowed));
	if (reason[0])
		json_set_str(obj, "status.reason", reason);
}

/* The user a SubjectAccessReview asks about (spec.user, spec.groups). */
static void spec_user(const cJSON *obj, struct user_info *u, struct vec *groups)
{
	const cJSON *g;

	u->name = (char *)str_or(obj, "spec.user", "");
	u->uid = (char *)str_or(obj, "spec.uid", "");
	cJSON_ArrayForEach(g, json_get(obj, "spec.groups"))
		if (cJSON_IsString(g))
			vec_push(groups, g->valuestring);
	vec_push(groups, NULL);
	u->groups = (char **)groups->items;
}

static int review(struct api *api, const struct api_req *req,
		  const struct api_route *rt, cJSON *obj, struct err *e)
{
	const char *kind = rt->k->kind;

	if (!strcmp(kind, "SelfSubjectReview")) {
		json_del(obj, "status");
		json_set(obj, "status.userInfo", user_json(req->user));
	} else if (!strcmp(kind, "SelfSubjectAccessReview")) {
		access_review(api, req->user, obj, NULL);
	} else if (!strcmp(kind, "SelfSubjectRulesReview")) {
		const char *ns = json_get_str(obj, "spec.namespace");

		if (!ns || !*ns)
			return err_set(e, ERR_INVALID, "SelfSubjectRulesReview.authorization.k8s.io \"\" is invalid: spec.namespace: Required value");
		json_set(obj, "status", api->az ? authz_rules_status(api->az, req->user, ns)
						 : cJSON_CreateObject());
	} else {
		struct user_info u;
		struct vec groups = VEC_INIT;
		bool local = !strcmp(kind, "LocalSubjectAccessReview");

		memset(&u, 0, sizeof(u));
		spec_user(obj, &u, &groups);
		access_review(api, &u, obj, local ? rt->ns : NULL);
		vec_free(&groups, NULL);
	}
	return 0;
}

void api_review(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp)
{
	struct err e;
	cJSON *obj = NULL;
	char av[160];

	if (strcmp(rt->verb, "create") || rt->name[0]) {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		api_reply_err(resp, &e, NULL);
		return;
	}
	obj = api_decode_body(req, &e);
	if (!obj || review(api, req, rt, obj, &e) < 0) {
		api_reply_err(resp, &e, NULL);
		cJSON_Delete(obj);
		return;
	}
	json_set_str(obj, "apiVersion", reg_api_version(rt->k, av, sizeof(av)));
	json_set_str(obj, "kind", rt->k->kind);
	json_set(obj, "metadata.creationTimestamp", cJSON_CreateNull());
	api_reply_json(resp, 201, obj);
	cJSON_Delete(obj);
}
