/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_sub: the action subresources that are not CRUD on the object:
 *
 *   POST pods/NAME/binding            assign the pod to a node (scheduler)
 *   POST serviceaccounts/NAME/token   TokenRequest (`kubectl create token`)
 *   POST pods/NAME/eviction           Eviction (api_evict.c)
 *
 * Both answer 201 like the real API server: binding with a Success
 * Status, token with the TokenRequest and its status filled in.  A token
 * may be bound to a Pod or Secret (spec.boundObjectRef); authn then
 * refuses it once that object is gone or replaced (daemon.c's check).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit.h"
#include "cluster/api_exec.h"
#include "cluster/api_int.h"
#include "cluster/satoken.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

/* spec.nodeName and the PodScheduled condition, as the binding REST does. */
static void assign(cJSON *pod, const char *node)
{
	char now[40];
	cJSON *conds = json_get(pod, "status.conditions"), *c;

	json_set_str(pod, "spec.nodeName", node);
	api_now_rfc3339(now, sizeof(now), time(NULL));
	if (!cJSON_IsArray(conds)) {
		json_set_str(pod, "status.phase",
			     json_get_str(pod, "status.phase")
				     ? json_get_str(pod, "status.phase")
				     : "Pending");
		conds = cJSON_AddArrayToObject(json_get(pod, "status"),
					       "conditions");
	}
	cJSON_ArrayForEach(c, conds) {
		const char *t = json_get_str(c, "type");

		if (t && !strcmp(t, "PodScheduled")) {
			cJSON_DeleteItemFromObject(c, "reason");
			cJSON_DeleteItemFromObject(c, "message");
			json_set_str(c, "status", "True");
			json_set_str(c, "lastTransitionTime", now);
			return;
		}
	}
	c = cJSON_CreateObject();
	json_set_str(c, "type", "PodScheduled");
	json_set_str(c, "status", "True");
	cJSON_AddNullToObject(c, "lastProbeTime");
	json_set_str(c, "lastTransitionTime", now);
	cJSON_AddItemToArray(conds, c);
}

static int binding_check(const struct api_route *rt, const cJSON *b,
			 const cJSON *pod, struct err *e)
{
	const char *node = json_get_str(b, "target.name");
	const char *kind = json_get_str(b, "target.kind");
	const char *uid = json_get_str(b, "metadata.uid");
	const char *have = json_get_str(pod, "spec.nodeName");

	if (!node || !node[0])
		return err_set(e, ERR_INVALID, "Binding.core \"%s\" is invalid: target.name: Required value", rt->name);
	if (kind && kind[0] && strcmp(kind, "Node"))
		return err_set(e, ERR_INVALID, "Binding.core \"%s\" is invalid: target.kind: Unsupported value: \"%s\": supported values: \"Node\"", rt->name, kind);
	if (uid && uid[0] && strcmp(uid, json_get_str(pod, "metadata.uid")))
		return err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on pods/binding \"%s\": Precondition failed: UID in precondition: %s, UID in object meta: %s",
			       rt->name, uid, json_get_str(pod, "metadata.uid"));
	if (json_get(pod, "metadata.deletionTimestamp"))
		return err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on pods/binding \"%s\": pod %s is being deleted, cannot be assigned to a host", rt->name, rt->name);
	if (have && have[0])
		return err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on pods/binding \"%s\": pod %s is already assigned to node \"%s\"",
			       rt->name, rt->name, have);
	return 0;
}

static void success(struct api_resp *resp)
{
	static const char ok[] = "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				 "\"metadata\":{},\"status\":\"Success\","
				 "\"code\":201}";

	api_reply_raw(resp, 201, ok, sizeof(ok) - 1);
}

static void binding(struct api *api, const struct api_req *req,
		    struct api_route *rt, struct api_resp *resp)
{
	struct api_route main_rt = *rt;
	const struct store_obj *so = NULL;
	cJSON *b, *pod = NULL;
	struct err e;
	int rc = -1;

	err_clear(&e);
	main_rt.sub[0] = '\0';
	if (!(b = api_decode_body(req, &e)) ||
	    api_load(api, &main_rt, &so, &pod, &e) < 0 ||
	    binding_check(rt, b, pod, &e) < 0 ||
	    admit_binding_pod(rt->name, pod, &e) < 0)
		goto out;
	assign(pod, json_get_str(b, "target.name"));
	if (api_write_update(api, req, &main_rt, so->rev, pod, &e) < 0)
		goto out;
	success(resp);
	rc = 0;
out:
	if (rc < 0)
		api_reply_err(resp, &e, rt);
	store_obj_unref(so);
	cJSON_Delete(b);
	cJSON_Delete(pod);
}

/* Audiences of the request, NULL-terminated (borrowed strings). */
static const char **audiences(const cJSON *tr)
{
	const cJSON *a = json_get(tr, "spec.audiences"), *x;
	const char **v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	size_t n = 0;

	cJSON_ArrayForEach(x, a)
		if (cJSON_IsString(x) && x->valuestring[0])
			v[n++] = x->valuestring;
	if (!n) {
		free(v);
		return NULL;
	}
	return v;
}

static int token_check(const struct api_route *rt, const cJSON *tr,
		       int64_t *exp, struct err *e)
{
	const char *kind = json_get_str(tr, "kind");

	*exp = 3600;
	if (kind && strcmp(kind, "TokenRequest"))
		return err_set(e, ERR_BAD_REQUEST, "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
	if (json_get(tr, "spec.expirationSeconds") &&
	    (json_get_int(tr, "spec.expirationSeconds", exp) < 0 || *exp < 600))
		return err_set(e, ERR_INVALID, "TokenRequest.authentication.k8s.io \"%s\" is invalid: spec.expirationSeconds: Invalid value: %lld: may not specify a duration less than 10 minutes",
			       rt->name, (long long)*exp);
	if (*exp > 1LL << 32)
		return err_set(e, ERR_INVALID, "TokenRequest.authentication.k8s.io \"%s\" is invalid: spec.expirationSeconds: Invalid value: %lld: may not specify a duration larger than 2^32 seconds",
			       rt->name, (long long)*exp);
	return 0;
}

/*
 * spec.boundObjectRef of a TokenRequest for ServiceAccount sa: a Pod that
 * runs as sa or a Secret, existing, with the given uid if any (the API
 * server's 400 / 404 / 409).  Fills kind, name and uid (borrowed from
 * tr, uid from the stored object into uid_buf).
 */
static int bound_ref(struct api *api, const struct api_route *rt,
		     cJSON *tr, const char **kind, const char **name,
		     char *uid_buf, size_t n, struct err *e)
{
	const cJSON *ref = json_get(tr, "spec.boundObjectRef");
	const char *k = json_get_str(ref, "kind") ?: "", *av = json_get_str(ref, "apiVersion") ?: "";
	const char *nm = json_get_str(ref, "name") ?: "", *want = json_get_str(ref, "uid") ?: "";
	const struct store_obj *so = NULL;
	bool pod = !strcmp(k, "Pod");
	cJSON *obj = NULL;
	char *key;
	const char *have;
	int rc = -1;

	*kind = NULL;
	if (!cJSON_IsObject(ref))
		return 0;
	if ((strcmp(av, "v1") && *av) || (!pod && strcmp(k, "Secret")))
		return err_set(e, ERR_BAD_REQUEST, "cannot bind token to object of type %s%s, Kind=%s",
			       strchr(av, '/') ? "" : "/", av, k);
	key = store_key("", pod ? "pods" : "secrets", rt->ns, nm);
	if (store_get(api->st, key, &so, e) < 0) {
		err_set(e, ERR_NOT_FOUND, "%s \"%s\" not found", pod ? "pods" : "secrets", nm);
		goto out;
	}
	obj = store_obj_parse(so);
	have = json_get_str(obj, "metadata.uid") ?: "";
	if (pod && strcmp(json_get_str(obj, "spec.serviceAccountName") ?: "default", rt->name)) {
		err_set(e, ERR_BAD_REQUEST, "cannot bind token for serviceaccount \"%s\" to pod running with different serviceaccount name.",
			rt->name);
		goto out;
	}
	if (*want && strcmp(want, have)) {
		err_set(e, ERR_CONFLICT, "Operation cannot be fulfilled on %s \"%s\": the UID in the bound object reference (%s) does not match the UID in record. The object might have been deleted and then recreated",
			k, nm, want);
		goto out;
	}
	snprintf(uid_buf, n, "%s", have);
	json_set_str(tr, "spec.boundObjectRef.uid", have);
	*kind = pod ? "Pod" : "Secret";
	*name = json_get_str(tr, "spec.boundObjectRef.name");
	rc = 0;
out:
	free(key);
	store_obj_unref(so);
	cJSON_Delete(obj);
	return rc;
}

static void token(struct api *api, const struct api_req *req,
		  struct api_route *rt, struct api_resp *resp)
{
	struct api_route main_rt = *rt;
	const struct store_obj *so = NULL;
	cJSON *tr = NULL, *sa = NULL;
	const char **aud = NULL, *bkind = NULL, *bname = NULL;
	char *tok = NULL, stamp[KTIME_STR_MAX], buid[64];
	int64_t exp_s, exp_at;
	struct ktime kt;
	struct err e;
	int rc = -1;

	err_clear(&e);
	main_rt.sub[0] = '\0';
	if (!api->sa) {
		err_set(&e, ERR_NOT_FOUND, "the server could not find the requested resource");
		goto out;
	}
	if (!(tr = api_decode_body(req, &e)) ||
	    token_check(rt, tr, &exp_s, &e) < 0 ||
	    api_load(api, &main_rt, &so, &sa, &e) < 0 ||
	    bound_ref(api, rt, tr, &bkind, &bname, buid, sizeof(buid), &e) < 0)
		goto out;
	aud = audiences(tr);
	if (satoken_issue(api->sa, &(struct satoken_req){
				  .namespace = rt->ns, .name = rt->name,
				  .uid = json_get_str(sa, "metadata.uid"),
				  .audiences = aud, .expiration_seconds = exp_s,
				  .bound_kind = bkind, .bound_name = bname,
				  .bound_uid = bkind ? buid : NULL},
			  &tok, &exp_at, &e) < 0)
		goto out;
	json_set_str(tr, "apiVersion", "authentication.k8s.io/v1");
	json_set_str(tr, "kind", "TokenRequest");
	json_set_str(tr, "metadata.name", rt->name);
	json_set_str(tr, "metadata.namespace", rt->ns);
	json_set_int(tr, "spec.expirationSeconds", exp_s);
	if (!json_get(tr, "spec.audiences") || !aud) {
		cJSON *a = cJSON_CreateArray();

		cJSON_AddItemToArray(a, cJSON_CreateString(SATOKEN_ISSUER));
		cJSON_DeleteItemFromObject(json_get(tr, "spec"), "audiences");
		cJSON_AddItemToObject(json_get(tr, "spec"), "audiences", a);
	}
	json_set_str(tr, "status.token", tok);
	kt = (struct ktime){ .sec = exp_at };
	ktime_format(&kt, stamp);
	json_set_str(tr, "status.expirationTimestamp", stamp);
	api_reply_json(resp, 201, tr);
	rc = 0;
out:
	if (rc < 0)
		api_reply_err(resp, &e, rt);
	store_obj_unref(so);
	free(aud);
	free(tok);
	cJSON_Delete(tr);
	cJSON_Delete(sa);
}

static const struct {
	const char *kind, *sub, *method;
	void (*fn)(struct api *, const struct api_req *, struct api_route *,
		   struct api_resp *);
} subs[] = {
	{ "Pod", "portforward", NULL, api_pf },	/* api_pf.c: GET or POST */
	{ "Pod", "binding", "POST", binding },
	{ "ServiceAccount", "token", "POST", token },
	{ "Pod", "log", "GET", api_log },	/* api_log.c */
	{ "Pod", "eviction", "POST", api_evict },	/* api_evict.c */
	{ "Pod", "exec", NULL, api_exec },	/* api_exec.c: GET or POST */
	{ "Pod", "attach", NULL, api_attach },
};

bool api_sub_known(const struct api_route *rt)
{
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(rt->k->kind, subs[i].kind) && !rt->k->group[0] &&
		    !strcmp(rt->sub, subs[i].sub))
			return true;
	return false;
}

bool api_sub_handle(struct api *api, const struct api_req *req,
		    struct api_route *rt, struct api_resp *resp)
{
	struct err e;

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(rt->k->kind, subs[i].kind) || rt->k->group[0] ||
		    strcmp(rt->sub, subs[i].sub))
			continue;
		if (subs[i].method ? strcmp(req->method, subs[i].method)
				   : strcmp(req->method, "GET") &&
					     strcmp(req->method, "POST")) {
			err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
			api_reply_err(resp, &e, NULL);
		} else {
			subs[i].fn(api, req, rt, resp);
		}
		return true;
	}
	return false;
}
