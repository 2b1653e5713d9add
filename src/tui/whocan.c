/* SPDX-License-Identifier: Apache-2.0 */
/*
 * whocan: who may VERB RESOURCE (`:who delete pods [NAMESPACE]`).
 *
 * Computed from the RBAC objects themselves, the way `kubectl who-can`
 * plugins do: a ClusterRoleBinding grants its ClusterRole everywhere, a
 * RoleBinding grants its Role or ClusterRole in its own namespace.  A
 * role allows the request when one of its rules lists the API group, the
 * resource (or "*", or "* /sub" for a subresource) and the verb (or "*");
 * rules with resourceNames allow named objects only and say so.
 * Aggregated ClusterRoles need nothing special: the server has already
 * copied the aggregated rules into them.  The namespace limits which
 * RoleBindings count ("" = all).  When one of the four lists failed (a
 * user who may not read RBAC) the answer is an error line, never a
 * silently partial list.  The builder is pure; the view watches the four
 * RBAC kinds (objset) and rebuilds when one changes.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/mem.h"
#include "tui/tui.h"

static const char *const rbac_plurals[] = {
	"clusterroles", "roles", "clusterrolebindings", "rolebindings", NULL,
};

static const char *str(const cJSON *o, const char *path)
{
	const char *s = json_get_str(o, path);

	return s ? s : "";
}

static int has(const cJSON *arr, const char *want)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
		if (cJSON_IsString(x) && (!strcmp(x->valuestring, "*") ||
					  !strcmp(x->valuestring, want)))
			return 1;
	return 0;
}

/* "*" covers everything (subresources too, as the RBAC authorizer has
 * it); "* /sub" covers sub of any resource. */
static int has_resource(const cJSON *arr, const char *res)
{
	const char *sl = strchr(res, '/');
	const cJSON *x;

	cJSON_ArrayForEach(x, arr) {
		const char *r = cJSON_IsString(x) ? x->valuestring : "";

		if (!strcmp(r, res) || !strcmp(r, "*") ||
		    (sl && r[0] == '*' && !strcmp(r + 1, sl)))
			return 1;
	}
	return 0;
}

/* 2: allowed on every object, 1: on named objects only, 0: not. */
static int role_allows(const cJSON *role, const char *verb, const char *group,
		       const char *res)
{
	const cJSON *r;
	int best = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(role, "rules")) {
		if (!has(cJSON_GetObjectItem(r, "apiGroups"), group) ||
		    !has_resource(cJSON_GetObjectItem(r, "resources"), res) ||
		    !has(cJSON_GetObjectItem(r, "verbs"), verb))
			continue;
		if (!cJSON_GetArraySize(cJSON_GetObjectItem(r, "resourceNames")))
			return 2;
		best = 1;
	}
	return best;
}

static const cJSON *find(const cJSON *arr, const char *ns, const char *name)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, arr)
		if (!strcmp(str(o, "metadata.name"), name) &&
		    (!ns || !strcmp(str(o, "metadata.namespace"), ns)))
			return o;
	return NULL;
}

struct grant {
	char *kind, *name, *ns, *via;
};

static void grant_free(void *p)
{
	struct grant *g = p;

	free(g->kind);
	free(g->name);
	free(g->ns);
	free(g->via);
	free(g);
}

static int by_subject(const void *a, const void *b)
{
	const struct grant *x = *(const struct grant *const *)a;
	const struct grant *y = *(const struct grant *const *)b;
	int c = strcmp(x->kind, y->kind);

	if (!c)
		c = tm_natural_cmp(x->name, y->name);
	if (!c)
		c = strcmp(x->ns, y->ns);
	return c ? c : strcmp(x->via, y->via);
}

/* The subjects of binding b, if its role allows the request. */
static void binding(const cJSON *objs, const cJSON *b, int cluster, const char *verb,
		    const char *group, const char *res, struct vec *grants)
{
	const char *rkind = str(b, "roleRef.kind"), *rname = str(b, "roleRef.name");
	const char *bns = str(b, "metadata.namespace");
	const cJSON *role, *s;
	int ok;

	if (!strcmp(rkind, "ClusterRole"))
		role = find(cJSON_GetObjectItem(objs, "clusterroles"), NULL, rname);
	else if (!cluster && !strcmp(rkind, "Role"))
		role = find(cJSON_GetObjectItem(objs, "roles"), bns, rname);
	else
		return;
	if (!role || !(ok = role_allows(role, verb, group, res)))
		return;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(b, "subjects")) {
		struct grant *g = xcalloc(1, sizeof(*g));
		const char *sns = str(s, "namespace");

		g->kind = xstrdup(str(s, "kind"));
		g->name = xstrdup(str(s, "name"));
		g->ns = xstrdup(sns[0] ? sns : "-");
		if (cluster)
			g->via = xasprintf("ClusterRoleBinding/%s -> ClusterRole/%s%s",
					   str(b, "metadata.name"), rname,
					   ok == 1 ? " (named objects only)" : "");
		else
			g->via = xasprintf("RoleBinding %s/%s -> %s/%s%s", bns,
					   str(b, "metadata.name"), rkind, rname,
					   ok == 1 ? " (named objects only)" : "");
		vec_push(grants, g);
	}
}

/* A failed or missing list: the one line of the answer, or 0. */
static int cannot(const cJSON *objs, const cJSON *errs, struct vec *out)
{
	for (size_t i = 0; rbac_plurals[i]; i++) {
		const cJSON *e = cJSON_GetObjectItem(errs, rbac_plurals[i]);

		if (e) {
			vec_push(out, ui_line_new(TS_ERROR, NULL, NULL, NULL, NULL,
						  "cannot tell who can: listing %s failed (%s); "
						  "this view needs list on roles, clusterroles, "
						  "rolebindings and clusterrolebindings",
						  rbac_plurals[i], cJSON_GetStringValue(e)));
			return 1;
		}
		if (!cJSON_GetObjectItem(objs, rbac_plurals[i])) {
			vec_push(out, ui_line_new(TS_ERROR, NULL, NULL, NULL, NULL,
						  "cannot tell who can: this cluster serves no %s "
						  "(rbac.authorization.k8s.io)", rbac_plurals[i]));
			return 1;
		}
	}
	return 0;
}

void whocan_build(const cJSON *objs, const cJSON *errs, const char *verb,
		  const char *group, const char *resource, const char *ns,
		  struct vec *out)
{
	struct vec grants = VEC_INIT;
	const cJSON *b;

	vec_push(out, ui_line_new(TS_HEADER_VALUE, NULL, NULL, NULL, NULL,
				  "Who can %s %s%s%s in %s%s", verb, resource,
				  group[0] ? "." : "", group, ns[0] ? "namespace " : "any namespace",
				  ns));
	if (cannot(objs, errs, out))
		return;
	cJSON_ArrayForEach(b, cJSON_GetObjectItem(objs, "clusterrolebindings"))
		binding(objs, b, 1, verb, group, resource, &grants);
	cJSON_ArrayForEach(b, cJSON_GetObjectItem(objs, "rolebindings"))
		if (!ns[0] || !strcmp(str(b, "metadata.namespace"), ns))
			binding(objs, b, 0, verb, group, resource, &grants);
	if (grants.len)
		qsort(grants.items, grants.len, sizeof(void *), by_subject);
	for (size_t i = 0; i < grants.len; i++) {
		const struct grant *g = grants.items[i];

		vec_push(out, ui_line_new(TS_ROW, NULL, NULL, g->name, g->kind,
					  "%-16s %-40s %-16s %s", g->kind, g->name, g->ns,
					  g->via));
	}
	if (!grants.len)
		vec_push(out, ui_line_new(TS_HINT, NULL, NULL, NULL, NULL,
					  "nobody (no binding grants it)"));
	vec_free(&grants, grant_free);
}

int whocan_args(const char *args, char *verb, size_t vn, char *res, size_t rn,
		char *ns, size_t nn)
{
	char w[3][256] = { "", "", "" }, extra[8] = "";
	int n = sscanf(args ? args : "", " %255s %255s %255s %7s", w[0], w[1], w[2], extra);

	if (n < 2 || n > 3)
		return -1;
	snprintf(verb, vn, "%s", w[0]);
	snprintf(res, rn, "%s", w[1]);
	snprintf(ns, nn, "%s", w[2]);
	return 0;
}

/* ---------------------------------------------------------------- view */

struct who_ctx {
	char verb[64], group[128], res[192], ns[128];
};

static void who_build(void *ctx, const cJSON *objs, const cJSON *errs, struct vec *out)
{
	struct who_ctx *c = ctx;

	whocan_build(objs, errs, c->verb, c->group, c->res, c->ns, out);
}

/* RESOURCE as typed: a kind name, short name or plural.group, with an
 * optional /subresource, resolved against the discovered kinds. */
static void resolve(struct app *a, const char *typed, struct who_ctx *c)
{
	char base[192], *sl, *dot;
	struct cmd_result r;

	snprintf(base, sizeof(base), "%s", typed);
	sl = strchr(base, '/');
	if (sl)
		*sl++ = '\0';
	cmdline_parse(base, a->src->ops->kinds(a->src), &r);
	if (r.kind == CMD_KIND) {
		snprintf(c->group, sizeof(c->group), "%s", r.ki->group);
		snprintf(c->res, sizeof(c->res), "%s%s%s", r.ki->plural, sl ? "/" : "",
			 sl ? sl : "");
		return;
	}
	dot = strchr(base, '.');
	snprintf(c->group, sizeof(c->group), "%s", dot ? dot + 1 : "");
	if (dot)
		*dot = '\0';
	snprintf(c->res, sizeof(c->res), "%s%s%s", base, sl ? "/" : "", sl ? sl : "");
}

struct view *view_whocan_new(struct app *a, const char *args)
{
	struct lines_spec sp = { .build = who_build, .free = free };
	struct who_ctx *c;
	char res[256];
	size_t i;

	c = xcalloc(1, sizeof(*c));
	if (whocan_args(args, c->verb, sizeof(c->verb), res, sizeof(res), c->ns,
			sizeof(c->ns)) < 0) {
		app_flash(a, 1, "usage: :who VERB RESOURCE [NAMESPACE]  (e.g. :who delete pods)");
		free(c);
		return NULL;
	}
	if (!c->ns[0])
		snprintf(c->ns, sizeof(c->ns), "%s", a->ns);
	if (!strcmp(c->ns, "all"))
		c->ns[0] = '\0';
	resolve(a, res, c);
	sp.ctx = c;
	snprintf(sp.ns, sizeof(sp.ns), "%s", c->ns);
	snprintf(sp.title, sizeof(sp.title), "who %s %s", c->verb, c->res);
	snprintf(sp.header, sizeof(sp.header), "%-16s %-40s %-16s %s", "SUBJECT KIND",
		 "NAME", "NAMESPACE", "VIA");
	for (i = 0; rbac_plurals[i]; i++)
		sp.plurals[i] = rbac_plurals[i];
	sp.plurals[i] = NULL;
	return view_lines_new(a, &sp);
}
