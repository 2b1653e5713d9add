/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of rbac_rules, rbac_index and rbac_select (pure evaluation). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/rbac.h"
#include "../tap.h"

#define RES(v, g, r, s, n, ns) \
	{ .verb = v, .resource_request = true, .group = g, .resource = r, \
	  .subresource = s, .name = n, .namespace = ns }
#define NONRES(v, p) { .verb = v, .resource_request = false, .path = p }

static const struct {
	const char *rule;
	struct authz_attrs a;
	bool want;
} rule_cases[] = {
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}",
	  RES("get", "", "pods", "", "x", "default"), true },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}",
	  RES("list", "", "pods", "", "", "default"), false },
	{ "{\"verbs\":[\"*\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}",
	  RES("deletecollection", "", "pods", "", "", "ns"), true },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"apps\"],\"resources\":[\"pods\"]}",
	  RES("get", "", "pods", "", "", "ns"), false },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"*\"],\"resources\":[\"deployments\"]}",
	  RES("get", "apps", "deployments", "", "", "ns"), true },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"*\"]}",
	  RES("get", "", "pods", "log", "x", "ns"), true },
	/* "pods" does not give pods/log */
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}",
	  RES("get", "", "pods", "log", "x", "ns"), false },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods/log\"]}",
	  RES("get", "", "pods", "log", "x", "ns"), true },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods/log\"]}",
	  RES("get", "", "pods", "", "x", "ns"), false },
	{ "{\"verbs\":[\"update\"],\"apiGroups\":[\"*\"],\"resources\":[\"*/scale\"]}",
	  RES("update", "apps", "deployments", "scale", "d", "ns"), true },
	{ "{\"verbs\":[\"update\"],\"apiGroups\":[\"*\"],\"resources\":[\"*/scale\"]}",
	  RES("update", "apps", "deployments", "", "d", "ns"), false },
	{ "{\"verbs\":[\"update\"],\"apiGroups\":[\"*\"],\"resources\":[\"*/scale\"]}",
	  RES("update", "apps", "deployments", "status", "d", "ns"), false },
	/* "pods/star" is not a wildcard in Kubernetes */
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods/*\"]}",
	  RES("get", "", "pods", "log", "x", "ns"), false },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\",\"b\"]}",
	  RES("get", "", "pods", "", "b", "ns"), true },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}",
	  RES("get", "", "pods", "", "c", "ns"), false },
	{ "{\"verbs\":[\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}",
	  RES("list", "", "pods", "", "", "ns"), false },
	{ "{\"verbs\":[\"create\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}",
	  RES("create", "", "pods", "", "", "ns"), false },
	{ "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[]}",
	  RES("get", "", "pods", "", "", "ns"), true },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz\"]}",
	  NONRES("get", "/healthz"), true },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz\"]}",
	  NONRES("get", "/healthz/etcd"), false },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz*\"]}",
	  NONRES("get", "/healthz/etcd"), true },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/apis/*\"]}",
	  NONRES("get", "/apis"), false },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"*\"]}",
	  NONRES("get", "/anything"), true },
	{ "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/version\"]}",
	  NONRES("post", "/version"), false },
	/* a non-resource rule never allows a resource request */
	{ "{\"verbs\":[\"*\"],\"nonResourceURLs\":[\"*\"]}",
	  RES("get", "", "pods", "", "", ""), false },
	/* a resource rule never allows a path */
	{ "{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}",
	  NONRES("get", "/healthz"), false },
};

static void test_rules(void)
{
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		cJSON *r = cJSON_Parse(rule_cases[i].rule);

		ok(r != NULL, "rule %zu parses", i);
		is_int(rbac_rule_allows(r, &rule_cases[i].a),
		       rule_cases[i].want, "rule case %zu", i);
		cJSON_Delete(r);
	}
}

static const struct {
	const char *owner, *want, *missing;
} cover_cases[] = {
	{ "[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}]",
	  "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],"
	  "\"resources\":[\"pods\",\"secrets\"]}]",
	  "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"list\"]}\n"
	  "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"*/log\"]}]",
	  "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods/log\"]}]",
	  "" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}]",
	  "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}]",
	  "" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\"]}]",
	  "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
	  "\"resourceNames\":[\"a\",\"b\"]}]",
	  "{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"b\"], "
	  "Verbs:[\"get\"]}" },
	{ "[{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/api/*\"]}]",
	  "[{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/api/v1\",\"/healthz\"]}]",
	  "{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}" },
	{ "[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "[{\"verbs\":[\"*\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]",
	  "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"*\"]}" },
	{ "[]", "[]", "" },
};

static void test_cover(void)
{
	for (size_t i = 0; i < sizeof(cover_cases) / sizeof(cover_cases[0]);
	     i++) {
		cJSON *o = cJSON_Parse(cover_cases[i].owner);
		cJSON *w = cJSON_Parse(cover_cases[i].want);
		struct buf m = BUF_INIT;
		bool got = rbac_rules_cover(o, w, &m);

		is_int(got, cover_cases[i].missing[0] == '\0', "cover %zu", i);
		is_str(buf_cstr(&m), cover_cases[i].missing, "missing %zu", i);
		buf_free(&m);
		cJSON_Delete(o);
		cJSON_Delete(w);
	}
}

static const struct {
	const char *sel, *labels;
	bool want;
} sel_cases[] = {
	{ "{\"matchLabels\":{\"a\":\"1\"}}", "{\"a\":\"1\",\"b\":\"2\"}", true },
	{ "{\"matchLabels\":{\"a\":\"1\"}}", "{\"a\":\"2\"}", false },
	{ "{\"matchLabels\":{\"a\":\"1\"}}", "null", false },
	{ "{}", "{}", true },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\","
	  "\"values\":[\"1\",\"2\"]}]}", "{\"a\":\"2\"}", true },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"NotIn\","
	  "\"values\":[\"1\"]}]}", "{\"a\":\"1\"}", false },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"NotIn\","
	  "\"values\":[\"1\"]}]}", "{}", true },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}",
	  "{\"a\":\"\"}", true },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"DoesNotExist\"}]}",
	  "{\"a\":\"x\"}", false },
	{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Bogus\"}]}",
	  "{\"a\":\"x\"}", false },
	{ "null", "{}", false },
};

static void test_selectors(void)
{
	for (size_t i = 0; i < sizeof(sel_cases) / sizeof(sel_cases[0]); i++) {
		cJSON *s = cJSON_Parse(sel_cases[i].sel);
		cJSON *l = cJSON_Parse(sel_cases[i].labels);

		is_int(rbac_selector_matches(s, l), sel_cases[i].want,
		       "selector %zu", i);
		cJSON_Delete(s);
		cJSON_Delete(l);
	}
}

static void put(struct rbac_index *ix, enum rbac_kind k, const char *json)
{
	cJSON *o = cJSON_Parse(json);

	if (!o)
		diag(json);
	rbac_index_put(ix, k, o);
}

static bool visit_count(void *arg, const cJSON *rules, const char *err)
{
	int *n = arg;

	(void)err;
	(void)rules;
	(*n)++;
	return true;
}

static void test_index(void)
{
	struct rbac_index *ix = rbac_index_new();
	char *groups[] = { "devs", "system:authenticated", NULL };
	struct user_info alice = { "alice", "1", groups, NULL };
	char *sagroups[] = { "system:serviceaccounts", NULL };
	struct user_info sa = { "system:serviceaccount:ns:robot", "2",
				sagroups, NULL };
	const cJSON *rules = NULL;
	struct buf err = BUF_INIT;
	int n = 0;

	put(ix, RBAC_ROLE, "{\"metadata\":{\"name\":\"r\",\"namespace\":\"ns\"},"
			   "\"rules\":[]}");
	put(ix, RBAC_CLUSTER_ROLE, "{\"metadata\":{\"name\":\"c\"}}");
	/* alice named twice (user and group): visited once */
	put(ix, RBAC_ROLE_BINDING,
	    "{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\"},"
	    "\"roleRef\":{\"kind\":\"Role\",\"name\":\"r\"},"
	    "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"},"
	    "{\"kind\":\"Group\",\"name\":\"devs\"},"
	    "{\"kind\":\"ServiceAccount\",\"name\":\"robot\"}]}");
	put(ix, RBAC_CLUSTER_ROLE_BINDING,
	    "{\"metadata\":{\"name\":\"cb\"},"
	    "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"missing\"},"
	    "\"subjects\":[{\"kind\":\"Group\",\"name\":\"devs\"}]}");
	rbac_index_visit(ix, &alice, "ns", visit_count, &n);
	is_int(n, 2, "alice: one cluster binding, one role binding");
	n = 0;
	rbac_index_visit(ix, &alice, "other", visit_count, &n);
	is_int(n, 1, "alice elsewhere: the cluster binding only");
	n = 0;
	rbac_index_visit(ix, &sa, "ns", visit_count, &n);
	is_int(n, 1, "service account subject defaults to binding namespace");
	cJSON *ref = cJSON_Parse("{\"kind\":\"ClusterRole\",\"name\":\"zz\"}");
	is_int(rbac_index_role_rules(ix, ref, "", &rules, &err), -1,
	       "missing clusterrole");
	is_str(buf_cstr(&err),
	       "clusterrole.rbac.authorization.k8s.io \"zz\" not found",
	       "missing clusterrole text");
	cJSON_Delete(ref);
	buf_reset(&err);
	ref = cJSON_Parse("{\"kind\":\"Role\",\"name\":\"r\"}");
	is_int(rbac_index_role_rules(ix, ref, "other", &rules, &err), -1,
	       "role of another namespace");
	is_str(buf_cstr(&err), "role.rbac.authorization.k8s.io \"r\" not found",
	       "missing role text");
	cJSON_Delete(ref);
	buf_reset(&err);
	ref = cJSON_Parse("{\"kind\":\"Thing\",\"name\":\"r\"}");
	is_int(rbac_index_role_rules(ix, ref, "ns", &rules, &err), -1,
	       "bad kind");
	is_str(buf_cstr(&err), "unsupported role reference kind: \"Thing\"",
	       "bad kind text");
	cJSON_Delete(ref);
	/* delete unfiles the binding */
	rbac_index_del(ix, RBAC_ROLE_BINDING, "ns", "b");
	n = 0;
	rbac_index_visit(ix, &sa, "ns", visit_count, &n);
	is_int(n, 0, "deleted binding is gone");
	ok(rbac_index_get(ix, RBAC_ROLE, "ns", "r") != NULL, "get role");
	ok(rbac_index_get(ix, RBAC_ROLE, "x", "r") == NULL, "get role ns");
	put(ix, RBAC_ROLE, "{\"metadata\":{}}");	/* nameless: dropped */
	buf_free(&err);
	rbac_index_free(ix);
	rbac_index_free(NULL);
}

static void test_aggregate(void)
{
	struct rbac_index *ix = rbac_index_new();
	const cJSON *agg;
	cJSON *rules;

	put(ix, RBAC_CLUSTER_ROLE,
	    "{\"metadata\":{\"name\":\"agg\"},\"aggregationRule\":"
	    "{\"clusterRoleSelectors\":[{\"matchLabels\":{\"x\":\"true\"}}]}}");
	put(ix, RBAC_CLUSTER_ROLE,
	    "{\"metadata\":{\"name\":\"b\",\"labels\":{\"x\":\"true\"}},"
	    "\"rules\":[{\"verbs\":[\"get\"]},{\"verbs\":[\"list\"]}]}");
	put(ix, RBAC_CLUSTER_ROLE,
	    "{\"metadata\":{\"name\":\"a\",\"labels\":{\"x\":\"true\"}},"
	    "\"rules\":[{\"verbs\":[\"list\"]},{\"verbs\":[\"watch\"]}]}");
	put(ix, RBAC_CLUSTER_ROLE,
	    "{\"metadata\":{\"name\":\"c\",\"labels\":{\"x\":\"false\"}},"
	    "\"rules\":[{\"verbs\":[\"delete\"]}]}");
	agg = rbac_index_get(ix, RBAC_CLUSTER_ROLE, "", "agg");
	rules = rbac_aggregate(ix, agg);
	char *s = cJSON_PrintUnformatted(rules);
	is_str(s, "[{\"verbs\":[\"list\"]},{\"verbs\":[\"watch\"]},"
		  "{\"verbs\":[\"get\"]}]", "union by name, deduplicated");
	free(s);
	cJSON *o = cJSON_Duplicate(agg, true);
	cJSON_AddItemToObject(o, "rules", rules);
	rbac_index_put(ix, RBAC_CLUSTER_ROLE, o);
	agg = rbac_index_get(ix, RBAC_CLUSTER_ROLE, "", "agg");
	ok(rbac_aggregate(ix, agg) == NULL, "unchanged: nothing to write");
	ok(rbac_aggregate(ix, rbac_index_get(ix, RBAC_CLUSTER_ROLE, "", "a"))
	   == NULL, "no aggregation rule");
	rbac_index_free(ix);
}

static void test_bootstrap_data(void)
{
	cJSON *roles = rbac_bootstrap_cluster_roles();
	cJSON *bindings = rbac_bootstrap_cluster_role_bindings();
	const cJSON *r;
	int labelled = 0, n = 0;

	cJSON_ArrayForEach(r, roles) {
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(r, "metadata"),
			"labels");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			l, "kubernetes.io/bootstrapping");

		n++;
		labelled += cJSON_IsString(v) &&
			    strcmp(v->valuestring, "rbac-defaults") == 0;
	}
	ok(n >= 10, "bootstrap has the default roles (%d)", n);
	is_int(labelled, n, "every role labelled rbac-defaults");
	char *s = cJSON_PrintUnformatted(cJSON_GetArrayItem(bindings, 0));
	ok(strstr(s, "\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\","
		     "\"kind\":\"Group\",\"name\":\"system:masters\"}]") != NULL,
	   "cluster-admin bound to system:masters");
	free(s);
	cJSON_Delete(roles);
	cJSON_Delete(bindings);
}

static const struct {
	const char *have, *want, *result;	/* result NULL: unchanged */
} reconcile_cases[] = {
	{ "{\"metadata\":{\"name\":\"b\"},\"subjects\":[{\"kind\":\"User\","
	  "\"name\":\"x\"}]}",
	  "{\"metadata\":{\"name\":\"b\",\"labels\":{\"l\":\"1\"}},"
	  "\"subjects\":[{\"kind\":\"Group\",\"name\":\"g\"}]}",
	  "{\"metadata\":{\"name\":\"b\",\"labels\":{\"l\":\"1\"}},"
	  "\"subjects\":[{\"kind\":\"User\",\"name\":\"x\"},"
	  "{\"kind\":\"Group\",\"name\":\"g\"}]}" },
	{ "{\"metadata\":{\"name\":\"r\",\"labels\":{\"l\":\"2\"}},"
	  "\"rules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
	  "\"resources\":[\"*\"]}]}",
	  "{\"metadata\":{\"name\":\"r\",\"labels\":{\"l\":\"1\"}},"
	  "\"rules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],"
	  "\"resources\":[\"pods\"]}]}",
	  NULL },	/* covered, and a changed label value is kept */
	{ "{\"metadata\":{\"name\":\"a\"}}",
	  "{\"metadata\":{\"name\":\"a\"},\"aggregationRule\":"
	  "{\"clusterRoleSelectors\":[{\"matchLabels\":{\"k\":\"v\"}}]}}",
	  "{\"metadata\":{\"name\":\"a\"},\"aggregationRule\":"
	  "{\"clusterRoleSelectors\":[{\"matchLabels\":{\"k\":\"v\"}}]}}" },
	{ "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"rbac."
	  "authorization.kubernetes.io/autoupdate\":\"false\"}}}",
	  "{\"metadata\":{\"name\":\"p\"},\"subjects\":[{\"kind\":"
	  "\"Group\",\"name\":\"g\"}]}",
	  NULL },
};

static void test_reconcile(void)
{
	for (size_t i = 0;
	     i < sizeof(reconcile_cases) / sizeof(reconcile_cases[0]); i++) {
		cJSON *h = cJSON_Parse(reconcile_cases[i].have);
		cJSON *w = cJSON_Parse(reconcile_cases[i].want);
		cJSON *r = rbac_reconcile(h, w);
		char *got = r ? cJSON_PrintUnformatted(r) : NULL;

		is_str(got, reconcile_cases[i].result, "reconcile %zu", i);
		free(got);
		cJSON_Delete(r);
		cJSON_Delete(h);
		cJSON_Delete(w);
	}
}

int main(void)
{
	test_rules();
	test_cover();
	test_selectors();
	test_index();
	test_aggregate();
	test_bootstrap_data();
	test_reconcile();
	return tap_done();
}
