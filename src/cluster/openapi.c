/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi: generate and serve the OpenAPI v3 documents (see openapi.h).
 *
 * One document per group-version of the registry: paths for every
 * resource with the operations its verbs allow, each operation carrying
 * x-kubernetes-action and x-kubernetes-group-version-kind, writes carrying
 * dryRun/fieldManager/fieldValidation (kubectl and helm look for
 * fieldValidation on the PATCH operation of the object's kind before they
 * let the server validate).  Schemas: every kind gets one named like
 * Kubernetes names it (io.k8s.api.apps.v1.Deployment) with its GVK
 * extension; kinds in openapi_types.c are modelled field by field (with
 * patch merge keys), the rest accept any fields.
 *
 * PATCH request bodies list JSON patch, merge patch and apply patch but
 * not strategic merge patch: kubectl takes strategic-merge metadata from
 * the v3 schema only when the PATCH operation lists that media type, and
 * otherwise (after /openapi/v2, an empty document here) from the types
 * compiled into it, which are exact for every built-in kind.  Advertising
 * it would make kubectl trust kdeck's partial schemas instead.
 *
 * Built-in documents are built once, on first use, and never change
 * while the process runs.  Group-versions of CRDs (crd.h) get their
 * document built on each request from the live rows, with the CRD's
 * openAPIV3Schema as the kind's schema; the index then lists them too,
 * so its ETag changes whenever a CRD does.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "cluster/crd.h"
#include "cluster/openapi.h"
#include "cluster/openapi_int.h"
#include "cluster/registry.h"
#include "common/json.h"
#include "common/mem.h"

#define REF_PREFIX "#/components/schemas/"

struct oa_doc {
	char *gv_path;	/* "api/v1", "apis/apps/v1" */
	char *text;
	char etag[72];	/* hex SHA-256, quoted */
};

static struct oa_doc *docs;
static size_t ndocs;
static char *index_text;
static cJSON *index_json;	/* the built-in index, for CRD additions */
static char index_etag[72];
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------------ */
/* Names                                                              */

/* Schema name of a kind: io.k8s.api.<pkg>.<version>.<Kind>. */
static char *kind_schema_name(const char *group, const char *version,
			      const char *kind)
{
	char pkg[64];
	size_t n = strcspn(group, ".");

	if (!*group)
		return xasprintf("io.k8s.api.core.%s.%s", version, kind);
	if (!strcmp(group, "apiextensions.k8s.io"))
		return xasprintf("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.%s.%s",
				 version, kind);
	snprintf(pkg, sizeof(pkg), "%.*s", (int)n, group);
	return xasprintf("io.k8s.api.%s.%s.%s", pkg, version, kind);
}

/* A CRD kind's schema name: the group reversed (com.example.v1.Widget). */
static char *crd_schema_name(const char *group, const char *version,
			     const char *kind)
{
	struct buf b = BUF_INIT;
	const char *end = group + strlen(group);

	while (end > group) {
		const char *dot = end;

		while (dot > group && dot[-1] != '.')
			dot--;
		buf_printf(&b, "%.*s.", (int)(end - dot), dot);
		end = dot > group ? dot - 1 : group;
	}
	buf_printf(&b, "%s.%s", version, kind);
	return buf_take(&b);
}

/* "CoreV1", "AppsV1", "RbacAuthorizationV1" for operation ids. */
static void gv_camel(const char *group, const char *version, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	bool up = true;

	if (!*group)
		group = "core";
	for (const char *p = group; *p && strncmp(p, ".k8s.io", 7); p++) {
		if (*p == '.' || *p == '-') {
			up = true;
			continue;
		}
		buf_addc(&b, up ? (char)toupper((unsigned char)*p) : *p);
		up = false;
	}
	buf_addc(&b, (char)toupper((unsigned char)version[0]));
	buf_adds(&b, version + 1);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

static char *gv_path(const char *group, const char *version)
{
	return *group ? xasprintf("apis/%s/%s", group, version)
		      : xasprintf("api/%s", version);
}

/* ------------------------------------------------------------------ */
/* Schemas                                                            */

static cJSON *ref_schema(const char *name, const char *description)
{
	cJSON *s = cJSON_CreateObject(), *all = cJSON_AddArrayToObject(s, "allOf");
	cJSON *r = cJSON_CreateObject();
	char *ref = xasprintf(REF_PREFIX "%s", name);

	cJSON_AddStringToObject(r, "$ref", ref);
	cJSON_AddItemToArray(all, r);
	free(ref);
	if (description)
		cJSON_AddStringToObject(s, "description", description);
	return s;
}

static cJSON *typed(const char *type)
{
	cJSON *s = cJSON_CreateObject();

	cJSON_AddStringToObject(s, "type", type);
	return s;
}

static cJSON *any_object(void)
{
	cJSON *s = typed("object");

	cJSON_AddBoolToObject(s, "x-kubernetes-preserve-unknown-fields", 1);
	return s;
}

static cJSON *map_of(cJSON *items)
{
	cJSON *s = typed("object");

	cJSON_AddItemToObject(s, "additionalProperties", items);
	return s;
}

static cJSON *int_or_string(void)
{
	cJSON *s = cJSON_CreateObject();

	cJSON_AddStringToObject(s, "format", "int-or-string");
	cJSON_AddBoolToObject(s, "x-kubernetes-int-or-string", 1);
	return s;
}

/* "[]..." list types, with patch metadata for merged lists. */
static cJSON *list_schema(const char *elem)
{
	cJSON *s = typed("array");
	const char *slash = strchr(elem, '/');

	if (!strcmp(elem, "string") || !strcmp(elem, "string+")) {
		cJSON_AddItemToObject(s, "items", typed("string"));
		if (elem[6] == '+')
			cJSON_AddStringToObject(s, "x-kubernetes-patch-strategy", "merge");
		return s;
	}
	if (!strcmp(elem, "any")) {
		cJSON_AddItemToObject(s, "items", any_object());
		return s;
	}
	char *name = xstrndup(elem + 1, slash ? (size_t)(slash - elem - 1) : strlen(elem + 1));
	cJSON_AddItemToObject(s, "items", ref_schema(name, NULL));
	free(name);
	if (slash) {
		cJSON_AddStringToObject(s, "x-kubernetes-patch-merge-key", slash + 1);
		cJSON_AddStringToObject(s, "x-kubernetes-patch-strategy", "merge");
		cJSON_AddStringToObject(s, "x-kubernetes-list-type", "map");
		cJSON *keys = cJSON_AddArrayToObject(s, "x-kubernetes-list-map-keys");
		cJSON_AddItemToArray(keys, cJSON_CreateString(slash + 1));
	}
	return s;
}

/* The schema of one field of a modelled type. */
static cJSON *field_schema(const struct oa_field *f)
{
	cJSON *s;
	const char *t = f->type;

	if (t[0] == '@')
		return ref_schema(t + 1, f->description);
	if (!strncmp(t, "[]", 2))
		s = list_schema(t + 2);
	else if (!strcmp(t, "map"))
		s = map_of(typed("string"));
	else if (!strcmp(t, "quantities"))
		s = map_of(int_or_string());
	else if (!strcmp(t, "any"))
		s = any_object();
	else if (!strcmp(t, "int-or-string"))
		s = int_or_string();
	else
		s = typed(t);
	if (!strcmp(t, "integer"))
		cJSON_AddStringToObject(s, "format", "int64");
	cJSON_AddStringToObject(s, "description", f->description);
	return s;
}

static void add_fields(cJSON *props, const struct oa_field *fields)
{
	for (const struct oa_field *f = fields; f && f->name; f++)
		cJSON_AddItemToObject(props, f->name, field_schema(f));
}

static cJSON *type_schema(const struct oa_type *t)
{
	cJSON *s = typed("object");

	cJSON_AddStringToObject(s, "description", t->description);
	add_fields(cJSON_AddObjectToObject(s, "properties"), t->fields);
	return s;
}

static const struct oa_kind_fields *modelled(const struct reg_kind *k)
{
	for (const struct oa_kind_fields *m = oa_kind_fields; m->kind; m++)
		if (!strcmp(m->group, k->group) && !strcmp(m->kind, k->kind))
			return m;
	return NULL;
}

static void add_gvk(cJSON *obj, const char *group, const char *version,
		    const char *kind, bool as_list)
{
	cJSON *g = cJSON_CreateObject();

	cJSON_AddStringToObject(g, "group", group);
	cJSON_AddStringToObject(g, "kind", kind);
	cJSON_AddStringToObject(g, "version", version);
	if (as_list) {
		cJSON *l = cJSON_CreateArray();
		cJSON_AddItemToArray(l, g);
		cJSON_AddItemToObject(obj, "x-kubernetes-group-version-kind", l);
	} else {
		cJSON_AddItemToObject(obj, "x-kubernetes-group-version-kind", g);
	}
}

/* The schema of a kind: modelled fields, or any fields. */
static cJSON *kind_schema(const struct reg_kind *k)
{
	const struct oa_kind_fields *m = modelled(k);
	cJSON *s = typed("object"), *props;
	struct oa_field meta = { "metadata", "@io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
				 "Standard object metadata." };

	cJSON_AddStringToObject(s, "description",
				m ? m->description : "An object of this kind; kdeck does not model its fields, any are accepted.");
	props = cJSON_AddObjectToObject(s, "properties");
	cJSON_AddItemToObject(props, "apiVersion", field_schema(&(struct oa_field){
		"apiVersion", "string", "Versioned schema of this representation of the object." }));
	cJSON_AddItemToObject(props, "kind", field_schema(&(struct oa_field){
		"kind", "string", "The REST resource this object represents." }));
	cJSON_AddItemToObject(props, "metadata", field_schema(&meta));
	if (m)
		add_fields(props, m->fields);
	else
		cJSON_AddBoolToObject(s, "x-kubernetes-preserve-unknown-fields", 1);
	add_gvk(s, k->group, k->version, k->kind, true);
	return s;
}

/* Components: every modelled type, the kinds of this group-version, Scale. */
static void add_components(cJSON *doc, const char *group, const char *version)
{
	cJSON *schemas = cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "components"),
						 "schemas");
	const struct reg_kind *ks;
	size_t n;
	bool scale = false;

	for (const struct oa_type *t = oa_types; t->name; t++)
		cJSON_AddItemToObject(schemas, t->name, type_schema(t));
	ks = reg_kinds(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ks[i].group, group) || strcmp(ks[i].version, version))
			continue;
		char *name = kind_schema_name(group, version, ks[i].kind);
		if (!json_obj(schemas, name))
			cJSON_AddItemToObject(schemas, name, kind_schema(&ks[i]));
		free(name);
		scale |= (ks[i].flags & REG_SUB_SCALE) != 0;
	}
	if (scale) {
		static const struct reg_kind scale_kind = { "autoscaling", "v1", "Scale", "scale", "scale",
							    NULL, 0, 0, NULL };
		cJSON_AddItemToObject(schemas, "io.k8s.api.autoscaling.v1.Scale",
				      kind_schema(&scale_kind));
	}
}

/* ------------------------------------------------------------------ */
/* Paths                                                              */

static cJSON *param(const char *name, const char *in, bool required,
		    const char *type, const char *description)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "name", name);
	cJSON_AddStringToObject(p, "in", in);
	if (required)
		cJSON_AddBoolToObject(p, "required", 1);
	cJSON_AddStringToObject(p, "description", description);
	cJSON_AddItemToObject(p, "schema", typed(type));
	cJSON_AddBoolToObject(p, "uniqueItems", 1);
	return p;
}

static void add_write_params(cJSON *params, bool patch)
{
	cJSON_AddItemToArray(params, param("dryRun", "query", false, "string",
		"When All, the request is processed without persisting anything."));
	cJSON_AddItemToArray(params, param("fieldManager", "query", false, "string",
		"Name of the actor making the change, for managedFields."));
	cJSON_AddItemToArray(params, param("fieldValidation", "query", false, "string",
		"Ignore, Warn or Strict: what to do about unknown or duplicate fields."));
	if (patch)
		cJSON_AddItemToArray(params, param("force", "query", false, "boolean",
			"Take ownership of conflicting fields (server-side apply)."));
}

static void add_list_params(cJSON *params)
{
	static const char *const names[][2] = {
		{ "labelSelector", "string" }, { "fieldSelector", "string" },
		{ "limit", "integer" }, { "continue", "string" },
		{ "resourceVersion", "string" }, { "resourceVersionMatch", "string" },
		{ "timeoutSeconds", "integer" }, { "watch", "boolean" },
		{ "allowWatchBookmarks", "boolean" }, { "sendInitialEvents", "boolean" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cJSON_AddItemToArray(params, param(names[i][0], "query", false, names[i][1],
						   "Standard list and watch option."));
}

static cJSON *content_of(const char *const *types, const char *schema)
{
	cJSON *c = cJSON_CreateObject();

	for (size_t i = 0; types[i]; i++) {
		cJSON *mt = cJSON_AddObjectToObject(c, types[i]);
		cJSON *s = cJSON_AddObjectToObject(mt, "schema");
		char *ref = xasprintf(REF_PREFIX "%s", schema);

		cJSON_AddStringToObject(s, "$ref", ref);
		free(ref);
	}
	return c;
}

struct op_ctx {
	const char *group, *version, *kind;	/* GVK the operation carries */
	const char *schema;			/* response/request schema name */
	const char *id_suffix;			/* "NamespacedDeployment" ... */
	char gv[48];
};

static cJSON *operation(const struct op_ctx *c, const char *action,
			const char *id_verb)
{
	static const char *const json_only[] = { "application/json", NULL };
	static const char *const patch_types[] = {
		"application/json-patch+json", "application/merge-patch+json",
		"application/apply-patch+yaml", NULL };
	cJSON *op = cJSON_CreateObject(), *params, *resp;
	char *id = xasprintf("%s%s%s", id_verb, c->gv, c->id_suffix);

	cJSON_AddStringToObject(op, "operationId", id);
	free(id);
	params = cJSON_AddArrayToObject(op, "parameters");
	if (!strcmp(action, "list") || !strcmp(action, "deletecollection"))
		add_list_params(params);
	if (!strcmp(action, "post") || !strcmp(action, "put") || !strcmp(action, "patch"))
		add_write_params(params, !strcmp(action, "patch"));
	if (!strcmp(action, "post") || !strcmp(action, "put") || !strcmp(action, "patch")) {
		cJSON *body = cJSON_AddObjectToObject(op, "requestBody");
		cJSON_AddItemToObject(body, "content",
				      content_of(!strcmp(action, "patch") ? patch_types : json_only,
						 !strcmp(action, "patch") ? "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
									  : c->schema));
		cJSON_AddBoolToObject(body, "required", 1);
	}
	resp = cJSON_AddObjectToObject(cJSON_AddObjectToObject(op, "responses"),
				       !strcmp(action, "post") ? "201" : "200");
	cJSON_AddStringToObject(resp, "description", "OK");
	cJSON_AddItemToObject(resp, "content", content_of(json_only, c->schema));
	cJSON_AddStringToObject(op, "x-kubernetes-action", action);
	add_gvk(op, c->group, c->version, c->kind, false);
	return op;
}

static cJSON *path_item(cJSON *paths, const char *path, bool ns, bool named)
{
	cJSON *item = cJSON_AddObjectToObject(paths, path), *params;

	params = cJSON_AddArrayToObject(item, "parameters");
	if (named)
		cJSON_AddItemToArray(params, param("name", "path", true, "string", "Name of the object."));
	if (ns)
		cJSON_AddItemToArray(params, param("namespace", "path", true, "string",
						   "Object name and auth scope, such as for teams and projects."));
	return item;
}

/* Collection, item and subresource paths of one resource. */
static void add_resource_paths(cJSON *paths, const struct reg_kind *k)
{
	bool ns = (k->flags & REG_NAMESPACED) != 0;
	char *prefix = *k->group ? xasprintf("/apis/%s/%s", k->group, k->version)
				 : xasprintf("/api/%s", k->version);
	char *coll = ns ? xasprintf("%s/namespaces/{namespace}/%s", prefix, k->plural)
			: xasprintf("%s/%s", prefix, k->plural);
	char *item = xasprintf("%s/{name}", coll);
	char *schema = (k->flags & REG_CUSTOM)
		       ? crd_schema_name(k->group, k->version, k->kind)
		       : kind_schema_name(k->group, k->version, k->kind);
	char suffix[160];
	struct op_ctx c = { k->group, k->version, k->kind, schema, suffix, "" };
	cJSON *pi;

	gv_camel(k->group, k->version, c.gv, sizeof(c.gv));
	snprintf(suffix, sizeof(suffix), "%s%s", ns ? "Namespaced" : "", k->kind);
	pi = path_item(paths, coll, ns, false);
	if (k->verbs & REG_LIST)
		cJSON_AddItemToObject(pi, "get", operation(&c, "list", "list"));
	if (k->verbs & REG_CREATE)
		cJSON_AddItemToObject(pi, "post", operation(&c, "post", "create"));
	if (k->verbs & REG_DELETECOLLECTION)
		cJSON_AddItemToObject(pi, "delete", operation(&c, "deletecollection", "deleteCollection"));
	if (k->verbs & (REG_GET | REG_UPDATE | REG_PATCH | REG_DELETE)) {
		pi = path_item(paths, item, ns, true);
		if (k->verbs & REG_GET)
			cJSON_AddItemToObject(pi, "get", operation(&c, "get", "read"));
		if (k->verbs & REG_UPDATE)
			cJSON_AddItemToObject(pi, "put", operation(&c, "put", "replace"));
		if (k->verbs & REG_PATCH)
			cJSON_AddItemToObject(pi, "patch", operation(&c, "patch", "patch"));
		if (k->verbs & REG_DELETE)
			cJSON_AddItemToObject(pi, "delete", operation(&c, "delete", "delete"));
	}
	if (ns && (k->verbs & REG_LIST)) {
		char *all = xasprintf("%s/%s", prefix, k->plural);
		snprintf(suffix, sizeof(suffix), "%sForAllNamespaces", k->kind);
		pi = path_item(paths, all, false, false);
		cJSON_AddItemToObject(pi, "get", operation(&c, "list", "list"));
		free(all);
	}
	for (int sub = 0; sub < 2; sub++) {
		unsigned flag = sub ? REG_SUB_SCALE : REG_SUB_STATUS;
		char *p;

		if (!(k->flags & flag))
			continue;
		p = xasprintf("%s/%s", item, sub ? "scale" : "status");
		struct op_ctx sc = c;
		if (sub) {
			sc.group = "autoscaling";
			sc.version = "v1";
			sc.kind = "Scale";
			sc.schema = "io.k8s.api.autoscaling.v1.Scale";
		}
		snprintf(suffix, sizeof(suffix), "%s%s%s", ns ? "Namespaced" : "", k->kind,
			 sub ? "Scale" : "Status");
		pi = path_item(paths, p, ns, true);
		cJSON_AddItemToObject(pi, "get", operation(&sc, "get", "read"));
		cJSON_AddItemToObject(pi, "put", operation(&sc, "put", "replace"));
		cJSON_AddItemToObject(pi, "patch", operation(&sc, "patch", "patch"));
		free(p);
	}
	free(schema);
	free(item);
	free(coll);
	free(prefix);
}

static cJSON *int_or_string_any_of(void)
{
	cJSON *a = cJSON_CreateArray();

	cJSON_AddItemToArray(a, typed("integer"));
	cJSON_AddItemToArray(a, typed("string"));
	return a;
}

/*
 * apiextensions' Structural.Unfold(): an x-kubernetes-int-or-string field
 * is published with anyOf [integer, string] (or, when it has an anyOf of
 * its own, that pair first in allOf).  kubectl explain's typeGuess then
 * prints such a field as <Object>, as it does against kube-apiserver.
 */
static void unfold_int_or_string(cJSON *s, int depth)
{
	static const char *const subs[] = { "items", "additionalProperties", "not", NULL };
	cJSON *any, *it, *pair;

	if (!cJSON_IsObject(s) || depth > 64)
		return;
	if (cJSON_IsTrue(json_obj(s, "x-kubernetes-int-or-string"))) {
		any = json_obj(s, "anyOf");
		pair = int_or_string_any_of();
		if (!any) {
			cJSON_AddItemToObject(s, "anyOf", pair);
		} else if (json_equal(any, pair)) {
			cJSON_Delete(pair);
		} else {
			cJSON *all = json_obj(s, "allOf"), *first = cJSON_CreateObject();

			if (!cJSON_IsArray(all))
				cJSON_AddItemToObject(s, "allOf", all = cJSON_CreateArray());
			cJSON_AddItemToObject(first, "anyOf", pair);
			cJSON_InsertItemInArray(all, 0, first);
		}
	}
	cJSON_ArrayForEach(it, json_obj(s, "properties"))
		unfold_int_or_string(it, depth + 1);
	for (size_t i = 0; subs[i]; i++)
		unfold_int_or_string(json_obj(s, subs[i]), depth + 1);
}

/* A custom kind's schema: the CRD's, with type meta and GVK added. */
static cJSON *crd_kind_schema(const struct reg_kind *k)
{
	const cJSON *src = crd_schema(k);
	cJSON *s = src ? json_dup(src) : typed("object"), *props;
	struct oa_field meta = { "metadata", "@io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
				 "Standard object's metadata." };

	props = json_obj_ensure(s, "properties");
	cJSON_DeleteItemFromObjectCaseSensitive(props, "apiVersion");
	cJSON_DeleteItemFromObjectCaseSensitive(props, "kind");
	cJSON_DeleteItemFromObjectCaseSensitive(props, "metadata");
	cJSON_AddItemToObject(props, "apiVersion", field_schema(&(struct oa_field){
		"apiVersion", "string", "APIVersion defines the versioned schema of this representation of an object." }));
	cJSON_AddItemToObject(props, "kind", field_schema(&(struct oa_field){
		"kind", "string", "Kind is a string value representing the REST resource this object represents." }));
	cJSON_AddItemToObject(props, "metadata", field_schema(&meta));
	unfold_int_or_string(s, 0);
	add_gvk(s, k->group, k->version, k->kind, true);
	return s;
}

/* The document of a CRD group-version from the live rows; NULL if none. */
static char *build_crd_doc(const char *group, const char *version)
{
	const struct reg_kind *ks[512];
	size_t n = crd_kinds(ks, 512), found = 0;
	cJSON *doc = cJSON_CreateObject(), *info, *paths, *schemas, *patch;
	char *text = NULL;
	bool scale = false;

	cJSON_AddStringToObject(doc, "openapi", "3.0.0");
	info = cJSON_AddObjectToObject(doc, "info");
	cJSON_AddStringToObject(info, "title", "Kubernetes CRD Swagger");
	cJSON_AddStringToObject(info, "version", "v0.1.0");
	paths = cJSON_AddObjectToObject(doc, "paths");
	schemas = cJSON_AddObjectToObject(cJSON_AddObjectToObject(doc, "components"), "schemas");
	for (const struct oa_type *t = oa_types; t->name; t++)
		cJSON_AddItemToObject(schemas, t->name, type_schema(t));
	for (size_t i = 0; i < n; i++) {
		char *name;

		if (strcmp(ks[i]->group, group) || strcmp(ks[i]->version, version))
			continue;
		found++;
		add_resource_paths(paths, ks[i]);
		name = crd_schema_name(group, version, ks[i]->kind);
		cJSON_AddItemToObject(schemas, name, crd_kind_schema(ks[i]));
		free(name);
		scale |= (ks[i]->flags & REG_SUB_SCALE) != 0;
	}
	if (scale) {
		static const struct reg_kind scale_kind = { "autoscaling", "v1", "Scale", "scale", "scale",
							    NULL, 0, 0, NULL };
		cJSON_AddItemToObject(schemas, "io.k8s.api.autoscaling.v1.Scale",
				      kind_schema(&scale_kind));
	}
	patch = typed("object");
	cJSON_AddItemToObject(schemas, "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", patch);
	if (found)
		text = json_print(doc);
	cJSON_Delete(doc);
	return text;
}

static char *build_doc(const char *group, const char *version)
{
	cJSON *doc = cJSON_CreateObject(), *info, *paths, *patch;
	const struct reg_kind *ks;
	size_t n;
	char *text;

	cJSON_AddStringToObject(doc, "openapi", "3.0.0");
	info = cJSON_AddObjectToObject(doc, "info");
	cJSON_AddStringToObject(info, "title", "Kubernetes (kdeck embedded cluster)");
	cJSON_AddStringToObject(info, "version", "v1.33.0");
	paths = cJSON_AddObjectToObject(doc, "paths");
	ks = reg_kinds(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ks[i].group, group) && !strcmp(ks[i].version, version))
			add_resource_paths(paths, &ks[i]);
	add_components(doc, group, version);
	patch = typed("object");
	cJSON_AddStringToObject(patch, "description",
				"A patch document in one of the PATCH media types.");
	cJSON_AddItemToObject(json_get(doc, "components.schemas"),
			      "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", patch);
	text = json_print(doc);
	cJSON_Delete(doc);
	return text;
}

/* ------------------------------------------------------------------ */
/* Cache and serving                                                  */

static void hash_hex(const char *text, char *out, size_t n)
{
	unsigned char d[32];
	char hex[65];

	gnutls_hash_fast(GNUTLS_DIG_SHA256, text, strlen(text), d);
	for (size_t i = 0; i < sizeof(d); i++)
		sprintf(hex + 2 * i, "%02X", d[i]);
	snprintf(out, n, "%s", hex);
}

static void build_all(void)
{
	const struct reg_kind *ks;
	size_t n;
	cJSON *index = cJSON_CreateObject(), *ipaths = cJSON_AddObjectToObject(index, "paths");
	char hex[72];

	ks = reg_kinds(&n);
	docs = xcalloc(n, sizeof(*docs));
	for (size_t i = 0; i < n; i++) {
		char *p = gv_path(ks[i].group, ks[i].version);
		bool seen = false;

		for (size_t j = 0; j < ndocs && !seen; j++)
			seen = !strcmp(docs[j].gv_path, p);
		if (seen) {
			free(p);
			continue;
		}
		struct oa_doc *d = &docs[ndocs++];
		d->gv_path = p;
		d->text = build_doc(ks[i].group, ks[i].version);
		hash_hex(d->text, hex, sizeof(hex));
		snprintf(d->etag, sizeof(d->etag), "\"%s\"", hex);
		char *url = xasprintf("/openapi/v3/%s?hash=%s", p, hex);
		cJSON *e = cJSON_AddObjectToObject(ipaths, p);
		cJSON_AddStringToObject(e, "serverRelativeURL", url);
		free(url);
	}
	index_text = json_print(index);
	index_json = index;
	hash_hex(index_text, hex, sizeof(hex));
	snprintf(index_etag, sizeof(index_etag), "\"%s\"", hex);
}

const char *openapi_document(const char *path)
{
	pthread_once(&built, build_all);
	for (size_t i = 0; i < ndocs; i++)
		if (!strcmp(docs[i].gv_path, path))
			return docs[i].text;
	return NULL;
}

bool openapi_path(const char *path)
{
	return !strcmp(path, "/openapi") || !strncmp(path, "/openapi/", 9);
}

static void reply_status(struct api_resp *resp, int code, const char *reason,
			 const char *msg)
{
	resp->status = code;
	resp->content_type = "application/json";
	buf_printf(&resp->body,
		   "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
		   "\"status\":\"Failure\",\"message\":\"%s\",\"reason\":\"%s\",\"code\":%d}",
		   msg, reason, code);
}

static void reply_text(const struct api_req *req, struct api_resp *resp,
		       const char *text, const char *etag)
{
	api_resp_header(resp, "ETag", etag);
	api_resp_header(resp, "Vary", "Accept");
	if (req->if_none_match && !strcmp(req->if_none_match, etag)) {
		resp->status = 304;
		resp->content_type = "application/json";
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	buf_adds(&resp->body, text);
}

/*
 * /openapi/v2: an empty Swagger 2.0 document.  kubectl falls back to it
 * for kinds absent from every v3 document (CRDs not installed, removed
 * API versions) and then skips local validation of such kinds, so the
 * request reaches the server, which answers "no matches for kind".  JSON
 * for JSON clients; otherwise the gnostic protobuf kubectl asks for:
 * Document{swagger(1): "2.0", info(2): Info{title(1), version(2)}}.
 */
static void reply_v2(struct api_resp *resp, const struct api_req *req)
{
	static const char pb[] = "\x0a\x03" "2.0" "\x12\x15" "\x0a\x0a" "Kubernetes"
				 "\x12\x07" "v1.33.0";
	bool json = req->accept && strstr(req->accept, "application/json") &&
		    !strstr(req->accept, "protobuf");

	resp->status = 200;
	if (json) {
		resp->content_type = "application/json";
		buf_adds(&resp->body, "{\"swagger\":\"2.0\",\"info\":{\"title\":\"Kubernetes\",\"version\":\"v1.33.0\"},\"paths\":{},\"definitions\":{}}");
		return;
	}
	resp->content_type = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
	buf_add(&resp->body, pb, sizeof(pb) - 1);
}

/* The index: built-in entries plus one per CRD group-version. */
static void reply_index(const struct api_req *req, struct api_resp *resp)
{
	const struct reg_kind *ks[512];
	size_t n = crd_kinds(ks, 512);
	cJSON *idx, *paths;
	char hex[72], etag[80], *text;

	if (!n) {
		reply_text(req, resp, index_text, index_etag);
		return;
	}
	idx = json_dup(index_json);
	paths = json_obj(idx, "paths");
	for (size_t i = 0; i < n; i++) {
		char *p = gv_path(ks[i]->group, ks[i]->version), *doc, *url;

		if (!json_obj(paths, p) && (doc = build_crd_doc(ks[i]->group, ks[i]->version))) {
			hash_hex(doc, hex, sizeof(hex));
			url = xasprintf("/openapi/v3/%s?hash=%s", p, hex);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(paths, p),
						"serverRelativeURL", url);
			free(url);
			free(doc);
		}
		free(p);
	}
	text = json_print(idx);
	hash_hex(text, hex, sizeof(hex));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	reply_text(req, resp, text, etag);
	free(text);
	cJSON_Delete(idx);
}

/* /openapi/v3/apis/G/V of a CRD group-version; false when there is none. */
static bool reply_crd_doc(const struct api_req *req, struct api_resp *resp)
{
	char g[256], v[64], hex[72], etag[80], *doc;

	if (sscanf(req->path + 17, "%255[^/]/%63[^/?]", g, v) != 2 ||
	    !(doc = build_crd_doc(g, v)))
		return false;
	hash_hex(doc, hex, sizeof(hex));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	reply_text(req, resp, doc, etag);
	free(doc);
	return true;
}

void openapi_handle(const struct api_req *req, struct api_resp *resp)
{
	const char *doc;

	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		reply_status(resp, 405, "MethodNotAllowed",
			     "the server does not allow this method on the requested resource");
		return;
	}
	pthread_once(&built, build_all);
	if (!strcmp(req->path, "/openapi/v3") || !strcmp(req->path, "/openapi/v3/")) {
		reply_index(req, resp);
		return;
	}
	if (!strncmp(req->path, "/openapi/v3/", 12) && (doc = openapi_document(req->path + 12))) {
		for (size_t i = 0; i < ndocs; i++)
			if (docs[i].text == doc)
				reply_text(req, resp, doc, docs[i].etag);
		return;
	}
	if (!strncmp(req->path, "/openapi/v3/apis/", 17) && reply_crd_doc(req, resp))
		return;
	if (!strcmp(req->path, "/openapi/v2")) {
		reply_v2(resp, req);
		return;
	}
	reply_status(resp, 404, "NotFound", "the server could not find the requested resource");
}
