/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_disc: discovery.  /version, and /api, /apis, /api/v1, /apis/G,
 * /apis/G/V in both forms: the aggregated APIGroupDiscoveryList
 * (apidiscovery.k8s.io/v2, only when the Accept asks for it, with its
 * exact Content-Type: kubectl parses an aggregated body labelled
 * application/json as the legacy form and fails) and the legacy
 * APIVersions / APIGroupList / APIGroup / APIResourceList.  Everything
 * is generated from the registry table and the live CRD rows (crd.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/crd.h"
#include "common/mem.h"

#define MAX_CRD_ROWS 4096
#define MAX_CRD_GROUPS 512

#define AGG_CT "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

static cJSON *verbs_array(unsigned verbs)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; reg_verb_names[i]; i++)
		if (verbs & reg_verb_bits[i])
			cJSON_AddItemToArray(a, cJSON_CreateString(reg_verb_names[i]));
	return a;
}

static void add_short_names(cJSON *o, const struct reg_kind *k)
{
	char tmp[64];
	cJSON *a;

	if (!k->short_names)
		return;
	a = cJSON_AddArrayToObject(o, "shortNames");
	snprintf(tmp, sizeof(tmp), "%s", k->short_names);
	for (char *s = strtok(tmp, ","); s; s = strtok(NULL, ","))
		cJSON_AddItemToArray(a, cJSON_CreateString(s));
}

static void add_categories(cJSON *o, const struct reg_kind *k)
{
	const char *cats = crd_categories(k);
	char *tmp, *save = NULL;
	cJSON *a;

	if (!(k->flags & REG_CUSTOM)) {
		if (k->flags & REG_CAT_ALL)
			cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "categories"),
					     cJSON_CreateString("all"));
		return;
	}
	if (!cats)
		return;
	a = cJSON_AddArrayToObject(o, "categories");
	tmp = xstrdup(cats);
	for (char *s = strtok_r(tmp, ",", &save); s; s = strtok_r(NULL, ",", &save))
		cJSON_AddItemToArray(a, cJSON_CreateString(s));
	free(tmp);
}

/* Built-in rows then live CRD rows, as pointers; caller frees. */
static const struct reg_kind **all_kinds(size_t *n)
{
	size_t nb;
	const struct reg_kind *ks = reg_kinds(&nb);
	const struct reg_kind **out = xmalloc((nb + MAX_CRD_ROWS) * sizeof(*out));

	for (size_t i = 0; i < nb; i++)
		out[i] = &ks[i];
	*n = nb + crd_kinds(out + nb, MAX_CRD_ROWS);
	return out;
}

/* Built-in groups (core first) then CRD groups; caller frees. */
static const char **all_groups(size_t *n)
{
	size_t nb;
	const char *const *gs = reg_groups(&nb);
	const char **out = xmalloc((nb + MAX_CRD_GROUPS) * sizeof(*out));

	for (size_t i = 0; i < nb; i++)
		out[i] = gs[i];
	*n = nb + crd_groups(out + nb, MAX_CRD_GROUPS);
	return out;
}

static cJSON *gvk(const char *g, const char *v, const char *kind)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "group", g);
	cJSON_AddStringToObject(o, "version", v);
	cJSON_AddStringToObject(o, "kind", kind);
	return o;
}

/* Action subresources served by api_sub.c, as real discovery lists them. */
static const struct {
	const char *kind, *sub, *group, *version, *resp_kind;
	unsigned verbs;
} action_subs[] = {
	{ "Pod", "binding", "", "v1", "Binding", REG_CREATE },
	{ "Pod", "eviction", "policy", "v1", "Eviction", REG_CREATE },
	{ "Pod", "log", "", "v1", "Pod", REG_GET },
	{ "ServiceAccount", "token", "authentication.k8s.io", "v1", "TokenRequest", REG_CREATE },
};
#define NACTION_SUBS (sizeof(action_subs) / sizeof(action_subs[0]))

static bool core_kind(const struct reg_kind *k, const char *kind)
{
	return !k->group[0] && !strcmp(k->kind, kind);
}

static void agg_action_subs(cJSON *subs, const struct reg_kind *k)
{
	for (size_t i = 0; i < NACTION_SUBS; i++) {
		cJSON *s;

		if (!core_kind(k, action_subs[i].kind))
			continue;
		s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "subresource", action_subs[i].sub);
		cJSON_AddItemToObject(s, "responseKind",
				      gvk(action_subs[i].group, action_subs[i].version,
					  action_subs[i].resp_kind));
		cJSON_AddItemToObject(s, "verbs", verbs_array(action_subs[i].verbs));
		cJSON_AddItemToArray(subs, s);
	}
}

static void legacy_action_subs(cJSON *arr, const struct reg_kind *k)
{
	for (size_t i = 0; i < NACTION_SUBS; i++) {
		cJSON *o;
		char *name;

		if (!core_kind(k, action_subs[i].kind))
			continue;
		o = cJSON_CreateObject();
		name = xasprintf("%s/%s", k->plural, action_subs[i].sub);
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "singularName", "");
		cJSON_AddBoolToObject(o, "namespaced", true);
		if (action_subs[i].group[0]) {
			cJSON_AddStringToObject(o, "group", action_subs[i].group);
			cJSON_AddStringToObject(o, "version", action_subs[i].version);
		}
		cJSON_AddStringToObject(o, "kind", action_subs[i].resp_kind);
		cJSON_AddItemToObject(o, "verbs", verbs_array(action_subs[i].verbs));
		cJSON_AddItemToArray(arr, o);
		free(name);
	}
}

static cJSON *agg_resource(const struct reg_kind *k)
{
	cJSON *r = cJSON_CreateObject(), *subs;

	cJSON_AddStringToObject(r, "resource", k->plural);
	cJSON_AddItemToObject(r, "responseKind", gvk(k->group, k->version, k->kind));
	cJSON_AddStringToObject(r, "scope", reg_namespaced(k) ? "Namespaced" : "Cluster");
	cJSON_AddStringToObject(r, "singularResource", k->singular);
	cJSON_AddItemToObject(r, "verbs", verbs_array(k->verbs));
	add_short_names(r, k);
	add_categories(r, k);
	if (!(k->flags & (REG_SUB_STATUS | REG_SUB_SCALE)) &&
	    !core_kind(k, "ServiceAccount"))
		return r;
	subs = cJSON_AddArrayToObject(r, "subresources");
	agg_action_subs(subs, k);
	if (!strcmp(k->kind, "Namespace")) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "subresource", "finalize");
		cJSON_AddItemToObject(s, "responseKind", gvk(k->group, k->version, k->kind));
		cJSON_AddItemToObject(s, "verbs", verbs_array(REG_UPDATE));
		cJSON_AddItemToArray(subs, s);
	}
	if (k->flags & REG_SUB_SCALE) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "subresource", "scale");
		cJSON_AddItemToObject(s, "responseKind", gvk("autoscaling", "v1", "Scale"));
		cJSON_AddItemToObject(s, "verbs", verbs_array(REG_GET | REG_UPDATE));
		cJSON_AddItemToArray(subs, s);
	}
	if (k->flags & REG_SUB_STATUS) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "subresource", "status");
		cJSON_AddItemToObject(s, "responseKind", gvk(k->group, k->version, k->kind));
		cJSON_AddItemToObject(s, "verbs", verbs_array(REG_GET | REG_UPDATE));
		cJSON_AddItemToArray(subs, s);
	}
	return r;
}

static cJSON *agg_group(const char *group)
{
	const char *vers[4];
	size_t nv = reg_group_versions(group, vers, 4), nk;
	const struct reg_kind **ks = all_kinds(&nk);
	cJSON *g = cJSON_CreateObject(), *va;

	cJSON_AddStringToObject(cJSON_AddObjectToObject(g, "metadata"), "name", group);
	va = cJSON_AddArrayToObject(g, "versions");
	for (size_t v = 0; v < nv; v++) {
		cJSON *vo = cJSON_CreateObject();
		cJSON *ra = cJSON_AddArrayToObject(vo, "resources");

		cJSON_AddStringToObject(vo, "version", vers[v]);
		for (size_t i = 0; i < nk; i++)
			if (!strcmp(ks[i]->group, group) && !strcmp(ks[i]->version, vers[v]))
				cJSON_AddItemToArray(ra, agg_resource(ks[i]));
		cJSON_AddStringToObject(vo, "freshness", "Current");
		cJSON_AddItemToArray(va, vo);
	}
	free(ks);
	return g;
}

static void reply_agg(struct api_resp *resp, bool core)
{
	cJSON *l = cJSON_CreateObject(), *items;
	size_t ng;
	const char **groups = all_groups(&ng);

	cJSON_AddStringToObject(l, "kind", "APIGroupDiscoveryList");
	cJSON_AddStringToObject(l, "apiVersion", "apidiscovery.k8s.io/v2");
	cJSON_AddObjectToObject(l, "metadata");
	items = cJSON_AddArrayToObject(l, "items");
	for (size_t i = core ? 0 : 1; i < (core ? 1 : ng); i++)
		cJSON_AddItemToArray(items, agg_group(groups[i]));
	api_reply_json(resp, 200, l);
	resp->content_type = AGG_CT;
	cJSON_Delete(l);
	free(groups);
}

static cJSON *group_versions(const char *group, cJSON **preferred)
{
	const char *vers[4];
	size_t nv = reg_group_versions(group, vers, 4);
	cJSON *a = cJSON_CreateArray();

	for (size_t v = 0; v < nv; v++) {
		cJSON *o = cJSON_CreateObject();
		char *gv = xasprintf("%s/%s", group, vers[v]);

		cJSON_AddStringToObject(o, "groupVersion", gv);
		cJSON_AddStringToObject(o, "version", vers[v]);
		free(gv);
		if (v == 0)
			*preferred = cJSON_Duplicate(o, 1);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *legacy_group(const char *group, bool with_type)
{
	cJSON *g = cJSON_CreateObject(), *pref = NULL;

	if (with_type) {
		cJSON_AddStringToObject(g, "kind", "APIGroup");
		cJSON_AddStringToObject(g, "apiVersion", "v1");
	}
	cJSON_AddStringToObject(g, "name", group);
	cJSON_AddItemToObject(g, "versions", group_versions(group, &pref));
	if (pref)
		cJSON_AddItemToObject(g, "preferredVersion", pref);
	return g;
}

static void legacy_sub(cJSON *arr, const struct reg_kind *k, const char *sub)
{
	cJSON *o = cJSON_CreateObject();
	char *name = xasprintf("%s/%s", k->plural, sub);
	bool scale = !strcmp(sub, "scale");

	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "singularName", "");
	cJSON_AddBoolToObject(o, "namespaced", reg_namespaced(k));
	if (scale) {
		cJSON_AddStringToObject(o, "group", "autoscaling");
		cJSON_AddStringToObject(o, "version", "v1");
	}
	cJSON_AddStringToObject(o, "kind", scale ? "Scale" : k->kind);
	cJSON_AddItemToObject(o, "verbs", verbs_array(!strcmp(sub, "finalize")
						      ? REG_UPDATE : REG_GET | REG_UPDATE));
	cJSON_AddItemToArray(arr, o);
	free(name);
}

static void reply_resource_list(struct api_resp *resp, const char *group,
				const char *version)
{
	size_t nk;
	const struct reg_kind **ks = all_kinds(&nk);
	cJSON *l = cJSON_CreateObject(), *arr;
	char gv[160];

	snprintf(gv, sizeof(gv), "%s%s%s", group, group[0] ? "/" : "", version);
	cJSON_AddStringToObject(l, "kind", "APIResourceList");
	cJSON_AddStringToObject(l, "apiVersion", "v1");
	cJSON_AddStringToObject(l, "groupVersion", gv);
	arr = cJSON_AddArrayToObject(l, "resources");
	for (size_t i = 0; i < nk; i++) {
		const struct reg_kind *k = ks[i];
		cJSON *o;

		if (strcmp(k->group, group) || strcmp(k->version, version))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", k->plural);
		cJSON_AddStringToObject(o, "singularName", k->singular);
		cJSON_AddBoolToObject(o, "namespaced", reg_namespaced(k));
		cJSON_AddStringToObject(o, "kind", k->kind);
		cJSON_AddItemToObject(o, "verbs", verbs_array(k->verbs));
		add_short_names(o, k);
		add_categories(o, k);
		cJSON_AddItemToArray(arr, o);
		if (k->flags & REG_SUB_SCALE)
			legacy_sub(arr, k, "scale");
		if (!strcmp(k->kind, "Namespace"))
			legacy_sub(arr, k, "finalize");
		if (k->flags & REG_SUB_STATUS)
			legacy_sub(arr, k, "status");
		legacy_action_subs(arr, k);
	}
	api_reply_json(resp, 200, l);
	cJSON_Delete(l);
	free(ks);
}

static void reply_version(struct api *api, struct api_resp *resp)
{
	cJSON *v = cJSON_CreateObject();
	char major[8] = "1", minor[8] = "33";

	sscanf(api->git_version, "v%7[0-9].%7[0-9]", major, minor);
	cJSON_AddStringToObject(v, "major", major);
	cJSON_AddStringToObject(v, "minor", minor);
	cJSON_AddStringToObject(v, "gitVersion", api->git_version);
	cJSON_AddStringToObject(v, "gitCommit", "0000000000000000000000000000000000000000");
	cJSON_AddStringToObject(v, "gitTreeState", "clean");
	cJSON_AddStringToObject(v, "buildDate", "2025-04-23T00:00:00Z");
	cJSON_AddStringToObject(v, "goVersion", "go1.24.0");
	cJSON_AddStringToObject(v, "compiler", "gc");
	cJSON_AddStringToObject(v, "platform", "linux/amd64");
	api_reply_json(resp, 200, v);
	cJSON_Delete(v);
}

static void reply_api_versions(struct api *api, struct api_resp *resp)
{
	cJSON *v = cJSON_CreateObject(), *a, *sa;
	char addr[300];

	cJSON_AddStringToObject(v, "kind", "APIVersions");
	a = cJSON_AddArrayToObject(v, "versions");
	cJSON_AddItemToArray(a, cJSON_CreateString("v1"));
	sa = cJSON_CreateObject();
	snprintf(addr, sizeof(addr), "%s:%d", api->advertise_host,
		 api->advertise_port);
	cJSON_AddStringToObject(sa, "clientCIDR", "0.0.0.0/0");
	cJSON_AddStringToObject(sa, "serverAddress", addr);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(v, "serverAddressByClientCIDRs"), sa);
	api_reply_json(resp, 200, v);
	cJSON_Delete(v);
}

static void reply_group_list(struct api_resp *resp)
{
	cJSON *l = cJSON_CreateObject(), *arr;
	size_t ng;
	const char **groups = all_groups(&ng);

	cJSON_AddStringToObject(l, "kind", "APIGroupList");
	cJSON_AddStringToObject(l, "apiVersion", "v1");
	arr = cJSON_AddArrayToObject(l, "groups");
	for (size_t i = 1; i < ng; i++)
		cJSON_AddItemToArray(arr, legacy_group(groups[i], false));
	api_reply_json(resp, 200, l);
	cJSON_Delete(l);
	free(groups);
}

static void not_found(struct api_resp *resp)
{
	struct err e;

	err_set(&e, ERR_NOT_FOUND, "the server could not find the requested resource");
	api_reply_err(resp, &e, NULL);
}

static bool group_known(const char *g)
{
	size_t ng;
	const char *const *groups = reg_groups(&ng);
	const char *v[1];

	for (size_t i = 1; i < ng; i++)
		if (!strcmp(groups[i], g))
			return true;
	return crd_group_versions(g, v, 1) > 0;
}

/* Routes /version, /api, /apis, /api/v1, /apis/G, /apis/G/V. */
void api_disc_handle(struct api *api, const struct api_req *req,
		     struct api_resp *resp)
{
	bool agg = req->accept && strstr(req->accept, "as=APIGroupDiscoveryList");
	char a[128] = "", b[128] = "", c[64] = "";
	int n = sscanf(req->path, "/%127[^/]/%127[^/]/%63[^/]", a, b, c);

	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		struct err e;

		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		api_reply_err(resp, &e, NULL);
	} else if (!strcmp(a, "version")) {
		reply_version(api, resp);
	} else if (n == 1 && !strcmp(a, "api")) {
		agg ? reply_agg(resp, true) : reply_api_versions(api, resp);
	} else if (n == 1) {
		agg ? reply_agg(resp, false) : reply_group_list(resp);
	} else if (!strcmp(a, "api") && !strcmp(b, "v1")) {
		reply_resource_list(resp, "", "v1");
	} else if (!strcmp(a, "apis") && group_known(b) && n == 2) {
		cJSON *g = legacy_group(b, true);

		api_reply_json(resp, 200, g);
		cJSON_Delete(g);
	} else if (!strcmp(a, "apis") && group_known(b) && n == 3) {
		const char *vers[4];
		size_t nv = reg_group_versions(b, vers, 4), i;

		for (i = 0; i < nv && strcmp(vers[i], c); i++)
			;
		if (i < nv)
			reply_resource_list(resp, b, c);
		else
			not_found(resp);
	} else {
		not_found(resp);
	}
}
