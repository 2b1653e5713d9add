/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rest: the dynamic REST client.  Builds paths for any resource from a
 * struct client_gvr (so CRDs work like built-ins once discovered), picks
 * the Accept header for the requested form (Table with metadata or full
 * objects, or plain JSON), and wraps the verbs over client_request.  The
 * synchronous list follows `continue` tokens and merges the pages (rows
 * of Tables or items of lists).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client/transport.h"
#include "common/mem.h"

char *client_path(const struct client_gvr *r, const char *ns,
		  const char *name, const char *subresource)
{
	struct buf b = BUF_INIT;

	if (r->group[0])
		buf_printf(&b, "/apis/%s/%s", r->group, r->version);
	else
		buf_printf(&b, "/api/%s", r->version);
	if (r->namespaced && ns && *ns) {
		buf_adds(&b, "/namespaces/");
		client_url_escape(&b, ns);
	}
	buf_addc(&b, '/');
	buf_adds(&b, r->resource);
	if (name) {
		buf_addc(&b, '/');
		client_url_escape(&b, name);
	}
	if (name && subresource) {
		buf_addc(&b, '/');
		buf_adds(&b, subresource);
	}
	return buf_take(&b);
}

static const char *rest_accept(enum client_form f)
{
	return f == CLIENT_FORM_OBJECT ? CLIENT_ACCEPT_JSON : CLIENT_ACCEPT_TABLE;
}

uint64_t client_get(struct client *c, const struct client_gvr *r,
		    const char *ns, const char *name, enum client_form form,
		    enum client_prio prio, client_cb cb, void *arg)
{
	struct buf path = BUF_INIT;
	char *p = client_path(r, ns, name, NULL);
	uint64_t id;

	buf_adds(&path, p);
	free(p);
	if (form == CLIENT_FORM_TABLE_OBJECT)
		client_url_param(&path, "includeObject", "Object");
	id = client_request(c, &(struct client_req){
		.path = buf_cstr(&path), .accept = rest_accept(form),
		.prio = prio }, cb, arg);
	buf_free(&path);
	return id;
}

/* Collection path with the list options as query parameters. */
static char *rest_list_path(const struct client_gvr *r, const char *ns,
			    const struct client_list_opts *lo,
			    const char *cont)
{
	struct buf b = BUF_INIT;
	char *p = client_path(r, ns, NULL, NULL), num[32];

	buf_adds(&b, p);
	free(p);
	if (lo && lo->label_selector && *lo->label_selector)
		client_url_param(&b, "labelSelector", lo->label_selector);
	if (lo && lo->field_selector && *lo->field_selector)
		client_url_param(&b, "fieldSelector", lo->field_selector);
	if (lo && lo->form == CLIENT_FORM_TABLE_OBJECT)
		client_url_param(&b, "includeObject", "Object");
	if (lo && lo->limit > 0) {
		snprintf(num, sizeof(num), "%ld", lo->limit);
		client_url_param(&b, "limit", num);
	}
	if (lo && lo->resource_version && !cont)
		client_url_param(&b, "resourceVersion", lo->resource_version);
	if (cont)
		client_url_param(&b, "continue", cont);
	return buf_take(&b);
}

uint64_t client_list(struct client *c, const struct client_gvr *r,
		     const char *ns, const struct client_list_opts *lo,
		     enum client_prio prio, client_cb cb, void *arg)
{
	char *path = rest_list_path(r, ns, lo, NULL);
	uint64_t id = client_request(c, &(struct client_req){
		.path = path, .accept = rest_accept(lo ? lo->form : 0),
		.prio = prio }, cb, arg);

	free(path);
	return id;
}

/* Append the rows/items of page to acc. */
static void rest_merge(cJSON *acc, cJSON *page)
{
	const char *key = cJSON_GetObjectItemCaseSensitive(page, "rows") ?
			  "rows" : "items";
	cJSON *dst = cJSON_GetObjectItemCaseSensitive(acc, key);
	cJSON *src = cJSON_GetObjectItemCaseSensitive(page, key), *it;

	if (!cJSON_IsArray(dst)) {
		cJSON_DeleteItemFromObjectCaseSensitive(acc, key);
		dst = cJSON_AddArrayToObject(acc, key);
	}
	while (cJSON_IsArray(src) && (it = cJSON_DetachItemFromArray(src, 0)))
		cJSON_AddItemToArray(dst, it);
}

int client_list_sync(struct client *c, const struct client_gvr *r,
		     const char *ns, const struct client_list_opts *lo,
		     cJSON **out, struct err *e)
{
	cJSON *acc = NULL;
	char *cont = NULL;

	do {
		struct client_resp *resp = NULL;
		char *path = rest_list_path(r, ns, lo, cont);
		int rc = client_request_sync(c, &(struct client_req){
			.path = path, .accept = rest_accept(lo ? lo->form : 0),
			.prio = CLIENT_PRIO_INTERACTIVE }, &resp, e);
		free(path);
		free(cont);
		cont = NULL;
		if (rc < 0 || !resp->json) {
			if (rc == 0)
				err_set(e, ERR_PARSE, "list: answer is not JSON");
			client_resp_free(resp);
			cJSON_Delete(acc);
			return -1;
		}
		cont = xstrdup(cJSON_GetStringValue(client_jget(resp->json,
						"metadata", "continue")));
		if (cont && !*cont) {
			free(cont);
			cont = NULL;
		}
		if (!acc) {
			acc = resp->json;
			resp->json = NULL;
		} else {
			rest_merge(acc, resp->json);
		}
		client_resp_free(resp);
	} while (cont);
	*out = acc;
	return 0;
}

static uint64_t rest_write(struct client *c, const char *method,
			   const char *path, const char *ctype,
			   const char *body, client_cb cb, void *arg)
{
	return client_request(c, &(struct client_req){
		.method = method, .path = path, .content_type = ctype,
		.body = body, .body_len = body ? strlen(body) : 0,
		.prio = CLIENT_PRIO_INTERACTIVE }, cb, arg);
}

uint64_t client_create(struct client *c, const struct client_gvr *r,
		       const char *ns, const cJSON *obj, client_cb cb,
		       void *arg)
{
	char *path = client_path(r, ns, NULL, NULL);
	char *body = cJSON_PrintUnformatted(obj);
	uint64_t id = rest_write(c, "POST", path, NULL, body, cb, arg);

	free(path);
	cJSON_free(body);
	return id;
}

uint64_t client_update(struct client *c, const struct client_gvr *r,
		       const char *ns, const cJSON *obj, client_cb cb,
		       void *arg)
{
	const char *name = cJSON_GetStringValue(client_jget(obj, "metadata",
							   "name"));
	char *path = client_path(r, ns, name ? name : "", NULL);
	char *body = cJSON_PrintUnformatted(obj);
	uint64_t id = rest_write(c, "PUT", path, NULL, body, cb, arg);

	free(path);
	cJSON_free(body);
	return id;
}

uint64_t client_patch(struct client *c, const struct client_gvr *r,
		      const char *ns, const char *name,
		      const char *patch_type, const char *patch,
		      const char *subresource, client_cb cb, void *arg)
{
	struct buf path = BUF_INIT;
	char *p = client_path(r, ns, name, subresource);
	uint64_t id;

	buf_adds(&path, p);
	free(p);
	if (patch_type && strstr(patch_type, "apply-patch"))
		client_url_param(&path, "fieldManager", "kdeck");
	id = rest_write(c, "PATCH", buf_cstr(&path), patch_type, patch, cb,
			arg);
	buf_free(&path);
	return id;
}

uint64_t client_delete(struct client *c, const struct client_gvr *r,
		       const char *ns, const char *name,
		       const char *propagation, client_cb cb, void *arg)
{
	char *path = client_path(r, ns, name, NULL);
	char *body = propagation ? xasprintf("{\"propagationPolicy\":\"%s\"}",
					     propagation) : NULL;
	uint64_t id = rest_write(c, "DELETE", path, NULL, body, cb, arg);

	free(path);
	free(body);
	return id;
}

static cJSON *rest_ssar_body(const char *verb, const char *group,
			     const char *resource, const char *sub,
			     const char *ns, const char *name)
{
	cJSON *o = cJSON_CreateObject(), *ra;

	cJSON_AddStringToObject(o, "kind", "SelfSubjectAccessReview");
	cJSON_AddStringToObject(o, "apiVersion", "authorization.k8s.io/v1");
	ra = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "spec"),
				     "resourceAttributes");
	const char *kv[][2] = { { "namespace", ns }, { "verb", verb },
		{ "group", group }, { "resource", resource },
		{ "subresource", sub }, { "name", name } };
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (kv[i][1] && *kv[i][1])
			cJSON_AddStringToObject(ra, kv[i][0], kv[i][1]);
	return o;
}

int client_can_i_sync(struct client *c, const char *verb, const char *group,
		      const char *resource, const char *subresource,
		      const char *ns, const char *name, bool *allowed,
		      char *reason, size_t reason_len, struct err *e)
{
	cJSON *o = rest_ssar_body(verb, group, resource, subresource, ns,
				  name);
	char *body = cJSON_PrintUnformatted(o);
	struct client_resp *resp = NULL;
	int rc;

	cJSON_Delete(o);
	rc = client_request_sync(c, &(struct client_req){
		.method = "POST",
		.path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
		.body = body, .body_len = strlen(body),
		.prio = CLIENT_PRIO_INTERACTIVE }, &resp, e);
	cJSON_free(body);
	if (rc < 0)
		return -1;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(resp->json,
							   "status");
	if (!st) {
		client_resp_free(resp);
		return err_set(e, ERR_PARSE, "SelfSubjectAccessReview: no "
			       "status in the answer");
	}
	*allowed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st,
								 "allowed"));
	if (reason && reason_len)
		snprintf(reason, reason_len, "%s", cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(st, "reason")) ?
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				st, "reason")) : "");
	client_resp_free(resp);
	return 0;
}
