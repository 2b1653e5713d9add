/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_rules: PolicyRule matching and coverage.
 *
 * Matching follows Kubernetes' rbac/v1 helpers: a rule allows a resource
 * request when its verbs, apiGroups, resources and resourceNames all
 * match; "*" matches anything in verbs, apiGroups and resources;
 * "*\/<sub>" matches any resource's <sub> subresource, while "pods" does
 * not match "pods/log" and "pods/<star>" is no wildcard (it only matches the
 * literal string, as in Kubernetes).  resourceNames restrict a rule to
 * named requests: an unnamed request (list, create) never matches a rule
 * that has them.  A non-resource rule allows a path that equals one of
 * its nonResourceURLs or starts with a URL ending in "*" minus the star.
 *
 * Coverage (used against privilege escalation) follows
 * registry/rbac/validation: every requested rule is broken down into
 * atomic rules (one group, resource, verb, name) and each must be covered
 * by some owner rule.  Uncovered atomic rules are compacted per
 * (group, resource) and printed in Go's CompactString form, sorted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/rbac.h"
#include "common/mem.h"

bool rbac_has(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return true;
	}
	return false;
}

static bool has_or_star(const cJSON *arr, const char *s)
{
	return rbac_has(arr, "*") || rbac_has(arr, s);
}

static bool nonempty(const cJSON *arr)
{
	return cJSON_GetArraySize(arr) > 0;
}

static bool resource_matches(const cJSON *resources, const char *combined,
			     const char *sub)
{
	const cJSON *it;
	size_t sl = strlen(sub);

	cJSON_ArrayForEach(it, resources) {
		const char *r = cJSON_IsString(it) ? it->valuestring : "";

		if (strcmp(r, "*") == 0 || strcmp(r, combined) == 0)
			return true;
		if (sl > 0 && strlen(r) == sl + 2 && strncmp(r, "*/", 2) == 0 &&
		    strcmp(r + 2, sub) == 0)
			return true;
	}
	return false;
}

static bool url_covers(const char *owner, const char *path)
{
	size_t n = strlen(owner);

	if (strcmp(owner, path) == 0)
		return true;
	while (n > 0 && owner[n - 1] == '*')
		n--;
	return n < strlen(owner) && strncmp(owner, path, n) == 0;
}

static bool url_matches(const cJSON *urls, const char *path)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, urls) {
		const char *u = cJSON_IsString(it) ? it->valuestring : "";
		size_t n = strlen(u);

		if (strcmp(u, "*") == 0 || strcmp(u, path) == 0)
			return true;
		if (n > 0 && u[n - 1] == '*' && strncmp(u, path, n - 1) == 0)
			return true;
	}
	return false;
}

bool rbac_rule_allows(const cJSON *rule, const struct authz_attrs *a)
{
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(rule,
							      "resourceNames");
	char combined[512];
	const char *sub = a->subresource ? a->subresource : "";

	if (!has_or_star(cJSON_GetObjectItemCaseSensitive(rule, "verbs"),
			 a->verb ? a->verb : ""))
		return false;
	if (!a->resource_request)
		return url_matches(cJSON_GetObjectItemCaseSensitive(
					   rule, "nonResourceURLs"),
				   a->path ? a->path : "");
	if (!has_or_star(cJSON_GetObjectItemCaseSensitive(rule, "apiGroups"),
			 a->group ? a->group : ""))
		return false;
	snprintf(combined, sizeof(combined), "%s%s%s",
		 a->resource ? a->resource : "", *sub ? "/" : "", sub);
	if (!resource_matches(cJSON_GetObjectItemCaseSensitive(rule,
							       "resources"),
			      combined, sub))
		return false;
	if (!nonempty(names))
		return true;
	return a->name && *a->name && rbac_has(names, a->name);
}

bool rbac_rules_allow(const cJSON *rules, const struct authz_attrs *a)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rules) {
		if (rbac_rule_allows(r, a))
			return true;
	}
	return false;
}

/* ---- coverage ---- */

/* One atomic rule of a breakdown; strings borrowed from the request. */
struct atom {
	const char *verb, *group, *resource, *name, *url;
};

static bool has_all_one(const cJSON *owner, const char *s)
{
	return has_or_star(owner, s);
}

static bool resource_covers(const cJSON *owner, const char *res)
{
	const char *slash;
	char star[512];

	if (rbac_has(owner, "*") || rbac_has(owner, res))
		return true;
	slash = strchr(res, '/');
	if (!slash)
		return false;
	snprintf(star, sizeof(star), "*/%s", slash + 1);
	return rbac_has(owner, star);
}

static bool urls_cover(const cJSON *owner, const char *url)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, owner) {
		if (cJSON_IsString(it) && url_covers(it->valuestring, url))
			return true;
	}
	return false;
}

/* Go's ruleCovers(ownerRule, atom). */
static bool rule_covers(const cJSON *o, const struct atom *t)
{
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(o,
							      "resourceNames");

	if (!has_all_one(cJSON_GetObjectItemCaseSensitive(o, "verbs"),
			 t->verb))
		return false;
	if (t->url)
		return !nonempty(names) &&
		       urls_cover(cJSON_GetObjectItemCaseSensitive(
					  o, "nonResourceURLs"), t->url);
	if (!has_all_one(cJSON_GetObjectItemCaseSensitive(o, "apiGroups"),
			 t->group))
		return false;
	if (!resource_covers(cJSON_GetObjectItemCaseSensitive(o, "resources"),
			     t->resource))
		return false;
	if (!nonempty(names))
		return true;
	return t->name && rbac_has(names, t->name);
}

static bool atom_covered(const cJSON *owner, const struct atom *t)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, owner) {
		if (rule_covers(o, t))
			return true;
	}
	return false;
}

static const char *sval(const cJSON *it)
{
	return cJSON_IsString(it) ? it->valuestring : "";
}

/* A missing (group, resource[, name]) with its verbs, for compaction. */
struct gap {
	char *key;		/* printed prefix before Verbs */
	struct buf verbs;	/* "\"get\" \"list\"" */
};

static void gap_add(struct vec *gaps, const char *key, const char *verb)
{
	struct gap *g = NULL;

	for (size_t i = 0; i < gaps->len; i++) {
		struct gap *c = gaps->items[i];

		if (strcmp(c->key, key) == 0) {
			g = c;
			break;
		}
	}
	if (!g) {
		g = xcalloc(1, sizeof(*g));
		g->key = xstrdup(key);
		buf_init(&g->verbs);
		vec_push(gaps, g);
	} else {
		buf_addc(&g->verbs, ' ');
	}
	buf_printf(&g->verbs, "\"%s\"", verb);
}

static void gap_free(void *p)
{
	struct gap *g = p;

	free(g->key);
	buf_free(&g->verbs);
	free(g);
}

/*
 * Record an uncovered atom.  Atoms with one group and one resource and no
 * name are merged per (group, resource) as CompactRules does; others stay
 * one line each (the key then carries the verb too, so nothing merges).
 */
static void record_gap(struct vec *gaps, const struct atom *t)
{
	char key[1024];

	if (t->url)
		snprintf(key, sizeof(key), "NonResourceURLs:[\"%s\"]\x1f%s",
			 t->url, t->verb);
	else if (t->name)
		snprintf(key, sizeof(key),
			 "APIGroups:[\"%s\"], Resources:[\"%s\"], "
			 "ResourceNames:[\"%s\"]\x1f%s",
			 t->group, t->resource, t->name, t->verb);
	else
		snprintf(key, sizeof(key),
			 "APIGroups:[\"%s\"], Resources:[\"%s\"]", t->group,
			 t->resource);
	gap_add(gaps, key, t->verb);
}

static void check_atom(const cJSON *owner, const struct atom *t,
		       struct vec *gaps, bool *ok)
{
	if (atom_covered(owner, t))
		return;
	*ok = false;
	if (gaps)
		record_gap(gaps, t);
}

/* Break one requested rule down (Go's BreakdownRule) and check each. */
static void check_rule(const cJSON *owner, const cJSON *r, struct vec *gaps,
		       bool *ok)
{
	const cJSON *verbs = cJSON_GetObjectItemCaseSensitive(r, "verbs");
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(r,
							      "resourceNames");
	const cJSON *g, *res, *v, *n, *u;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(r, "apiGroups"))
	cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(r, "resources"))
	cJSON_ArrayForEach(v, verbs) {
		struct atom t = { sval(v), sval(g), sval(res), NULL, NULL };

		if (!nonempty(names)) {
			check_atom(owner, &t, gaps, ok);
			continue;
		}
		cJSON_ArrayForEach(n, names) {
			t.name = sval(n);
			check_atom(owner, &t, gaps, ok);
		}
	}
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(
				      r, "nonResourceURLs"))
	cJSON_ArrayForEach(v, verbs) {
		struct atom t = { sval(v), NULL, NULL, NULL, sval(u) };

		check_atom(owner, &t, gaps, ok);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_gaps(struct vec *gaps, struct buf *missing)
{
	struct vec lines = VEC_INIT;

	for (size_t i = 0; i < gaps->len; i++) {
		struct gap *g = gaps->items[i];
		char *sep = strchr(g->key, '\x1f');
		struct buf l = BUF_INIT;

		buf_printf(&l, "{%.*s, Verbs:[%s]}",
			   (int)(sep ? (size_t)(sep - g->key) : strlen(g->key)),
			   g->key, buf_cstr(&g->verbs));
		vec_push(&lines, buf_take(&l));
	}
	vec_sort(&lines, cmp_str);
	for (size_t i = 0; i < lines.len; i++) {
		if (i > 0 || missing->len > 0)
			buf_addc(missing, '\n');
		buf_adds(missing, lines.items[i]);
	}
	vec_free(&lines, free);
}

bool rbac_rules_cover(const cJSON *owner, const cJSON *want,
		      struct buf *missing)
{
	struct vec gaps = VEC_INIT;
	const cJSON *r;
	bool ok = true;

	cJSON_ArrayForEach(r, want)
		check_rule(owner, r, missing ? &gaps : NULL, &ok);
	if (missing)
		print_gaps(&gaps, missing);
	vec_free(&gaps, gap_free);
	return ok;
}
