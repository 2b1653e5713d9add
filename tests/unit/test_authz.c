/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of authz over an in-memory authorizer: decisions for each
 * subject kind, bootstrap roles and aggregation, missing-role reasons,
 * Forbidden messages word for word, rules reviews and escalation checks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/authz.h"
#include "../tap.h"

static char *auth_groups[] = { "system:authenticated", NULL };
static char *dev_groups[] = { "devs", "system:authenticated", NULL };
static char *master_groups[] = { "system:masters", "system:authenticated",
				 NULL };
static char *sa_groups[] = { "system:serviceaccounts",
			     "system:serviceaccounts:ns",
			     "system:authenticated", NULL };
static struct user_info alice = { "alice", "1", auth_groups };
static struct user_info bob = { "bob", "2", dev_groups };
static struct user_info admin = { "kubernetes-admin", "3", master_groups };
static struct user_info robot = { "system:serviceaccount:ns:robot", "4",
				  sa_groups };

#define RES(v, g, r, s, n, ns) \
	{ .verb = v, .resource_request = true, .group = g, .resource = r, \
	  .subresource = s, .name = n, .namespace = ns }
#define NONRES(v, p) { .verb = v, .resource_request = false, .path = p }

static void put(struct authz *az, const char *json)
{
	cJSON *o = cJSON_Parse(json);

	ok(o && authz_put(az, o) == 0, "put %.40s", json);
	cJSON_Delete(o);
}

static const struct {
	struct user_info *u;
	struct authz_attrs a;
	bool want;
} decisions[] = {
	{ &admin, RES("delete", "", "nodes", "", "n", ""), true },
	{ &alice, RES("list", "", "pods", "", "", "default"), false },
	{ &alice, NONRES("get", "/healthz"), true },
	{ &alice, NONRES("get", "/apis/apps/v1"), true },
	{ &alice, NONRES("get", "/metrics"), false },
	{ &alice, RES("create", "authorization.k8s.io",
		      "selfsubjectaccessreviews", "", "", ""), true },
	{ &alice, RES("create", "authorization.k8s.io",
		      "selfsubjectrulesreviews", "", "", ""), true },
	/* bob's group holds "edit" in ns via a RoleBinding to a ClusterRole */
	{ &bob, RES("create", "apps", "deployments", "", "", "ns"), true },
	{ &bob, RES("get", "", "pods", "log", "p", "ns"), true },
	{ &bob, RES("get", "", "pods", "log", "p", "other"), false },
	{ &bob, RES("create", "rbac.authorization.k8s.io", "rolebindings", "", "", "ns"), false },
	{ &bob, RES("list", "", "nodes", "", "", ""), false },
	/* robot: Role in ns with resourceNames */
	{ &robot, RES("get", "", "configmaps", "", "cfg", "ns"), true },
	{ &robot, RES("get", "", "configmaps", "", "other", "ns"), false },
	{ &robot, RES("list", "", "configmaps", "", "", "ns"), false },
	/* alice has no binding in x */
	{ &alice, RES("get", "", "secrets", "", "s", "x"), false },
};

static void test_decisions(struct authz *az)
{
	for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
		char reason[256];

		is_int(authz_allowed(az, decisions[i].u, &decisions[i].a,
				     reason, sizeof(reason)),
		       decisions[i].want, "decision %zu", i);
	}
}

static void test_missing(struct authz *az)
{
	struct authz_attrs a = RES("get", "", "pods", "", "", "ns");
	char reason[256];

	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"gone\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"ClusterRole\","
		"\"name\":\"nope\"},\"subjects\":[{\"kind\":\"User\","
		"\"name\":\"alice\"}]}");
	ok(!authz_allowed(az, &alice, &a, reason, sizeof(reason)),
	   "missing role denies");
	is_str(reason, "RBAC: clusterrole.rbac.authorization.k8s.io \"nope\" "
		       "not found", "missing role reason");
	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"gone2\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"Role\","
		"\"name\":\"nope\"},\"subjects\":[{\"kind\":\"User\","
		"\"name\":\"alice\"}]}");
	authz_allowed(az, &alice, &a, reason, sizeof(reason));
	is_str(reason, "RBAC: [clusterrole.rbac.authorization.k8s.io \"nope\" "
		       "not found, role.rbac.authorization.k8s.io \"nope\" not "
		       "found]", "two missing roles");
	cJSON *st = authz_rules_status(az, &alice, "ns");
	const cJSON *ev = cJSON_GetObjectItem(st, "evaluationError");
	ok(cJSON_IsString(ev) && strstr(ev->valuestring, "not found"),
	   "rules review reports the evaluation error");
	cJSON_Delete(st);
	authz_delete(az, "RoleBinding", "ns", "gone");
	authz_delete(az, "RoleBinding", "ns", "gone2");
	authz_allowed(az, &alice, &a, reason, sizeof(reason));
	is_str(reason, "", "no reason once the bindings are gone");
}

static const struct {
	struct authz_attrs a;
	const char *msg;
} messages[] = {
	{ RES("list", "", "pods", "", "", "default"),
	  "pods is forbidden: User \"alice\" cannot list resource \"pods\" in "
	  "API group \"\" in the namespace \"default\"" },
	{ RES("get", "", "pods", "", "x", "default"),
	  "pods \"x\" is forbidden: User \"alice\" cannot get resource \"pods\" "
	  "in API group \"\" in the namespace \"default\"" },
	{ RES("list", "", "nodes", "", "", ""),
	  "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in "
	  "API group \"\" at the cluster scope" },
	{ RES("get", "", "pods", "log", "x", "default"),
	  "pods \"x\" is forbidden: User \"alice\" cannot get resource "
	  "\"pods/log\" in API group \"\" in the namespace \"default\"" },
	{ RES("create", "apps", "deployments", "", "", "ns"),
	  "deployments.apps is forbidden: User \"alice\" cannot create "
	  "resource \"deployments\" in API group \"apps\" in the namespace "
	  "\"ns\"" },
	{ NONRES("get", "/foo"),
	  "forbidden: User \"alice\" cannot get path \"/foo\"" },
};

static void test_messages(void)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		char *m = authz_forbidden_message(&alice, &messages[i].a);

		is_str(m, messages[i].msg, "message %zu", i);
		free(m);
	}
}

static bool has_rule(const cJSON *rules, const char *needle)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rules) {
		char *s = cJSON_PrintUnformatted(r);
		bool hit = strcmp(s, needle) == 0;

		free(s);
		if (hit)
			return true;
	}
	return false;
}

static void test_rules_status(struct authz *az)
{
	cJSON *st = authz_rules_status(az, &alice, "default");

	ok(has_rule(cJSON_GetObjectItem(st, "resourceRules"),
		    "{\"verbs\":[\"create\"],\"apiGroups\":"
		    "[\"authorization.k8s.io\"],\"resources\":"
		    "[\"selfsubjectaccessreviews\",\"selfsubjectrulesreviews\"]}"),
	   "can-i --list shows the self reviews");
	ok(has_rule(cJSON_GetObjectItem(st, "nonResourceRules"),
		    "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz\","
		    "\"/livez\",\"/readyz\",\"/version\",\"/version/\"]}"),
	   "can-i --list shows public info");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(st, "incomplete")), "complete");
	ok(!cJSON_GetObjectItem(st, "evaluationError"), "no error");
	cJSON_Delete(st);
	st = authz_rules_status(az, &robot, "ns");
	ok(has_rule(cJSON_GetObjectItem(st, "resourceRules"),
		    "{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":"
		    "[\"configmaps\"],\"resourceNames\":[\"cfg\"]}"),
	   "resourceNames listed");
	cJSON_Delete(st);
}

static void test_escalation(struct authz *az)
{
	struct err e;
	cJSON *role = cJSON_Parse(
		"{\"metadata\":{\"name\":\"r\",\"namespace\":\"ns\"},\"rules\":"
		"[{\"verbs\":[\"get\",\"list\"],\"apiGroups\":[\"\"],"
		"\"resources\":[\"pods\",\"nodes\"]}]}");
	cJSON *small = cJSON_Parse(
		"{\"metadata\":{\"name\":\"r\",\"namespace\":\"ns\"},\"rules\":"
		"[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],"
		"\"resources\":[\"pods\"]}]}");
	cJSON *rb = cJSON_Parse(
		"{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\"},"
		"\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"admin\"},"
		"\"subjects\":[{\"kind\":\"User\",\"name\":\"eve\"}]}");
	cJSON *rbv = cJSON_Parse(
		"{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\"},"
		"\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\"},"
		"\"subjects\":[{\"kind\":\"User\",\"name\":\"eve\"}]}");
	cJSON *rbm = cJSON_Parse(
		"{\"metadata\":{\"name\":\"b\",\"namespace\":\"ns\"},"
		"\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"nope\"}}");

	is_int(authz_check_escalation(az, &admin, "Role", role, &e), 0,
	       "system:masters may grant anything");
	is_int(authz_check_escalation(az, &bob, "Role", small, &e), 0,
	       "bob holds get pods in ns");
	is_int(authz_check_escalation(az, &bob, "Role", role, &e), -1,
	       "bob does not hold nodes");
	is_int(e.code, ERR_FORBIDDEN, "forbidden");
	is_str(e.msg, "roles.rbac.authorization.k8s.io \"r\" is forbidden: "
		      "user \"bob\" (groups=[\"devs\" \"system:authenticated\"])"
		      " is attempting to grant RBAC permissions not currently "
		      "held:\n{APIGroups:[\"\"], Resources:[\"nodes\"], "
		      "Verbs:[\"get\" \"list\"]}", "escalation message");
	is_int(authz_check_escalation(az, &bob, "RoleBinding", rbv, &e), 0,
	       "bob (edit) may bind view");
	is_int(authz_check_escalation(az, &bob, "RoleBinding", rb, &e), -1,
	       "bob (edit) may not bind admin");
	ok(strncmp(e.msg, "rolebindings.rbac.authorization.k8s.io \"b\" is "
			  "forbidden: user \"bob\"", 60) == 0, "bind message");
	is_int(authz_check_escalation(az, &bob, "RoleBinding", rbm, &e), -1,
	       "missing role");
	is_int(e.code, ERR_NOT_FOUND, "missing role is NotFound");
	is_int(authz_check_escalation(az, &bob, "Pod", rbm, &e), -1,
	       "not an RBAC kind");
	/* bind verb lets alice bind admin without holding it */
	put(az, "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"binder\"},"
		"\"rules\":[{\"verbs\":[\"bind\"],\"apiGroups\":"
		"[\"rbac.authorization.k8s.io\"],\"resources\":"
		"[\"clusterroles\"],\"resourceNames\":[\"admin\"]}]}");
	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"binder\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"ClusterRole\","
		"\"name\":\"binder\"},\"subjects\":[{\"kind\":\"User\","
		"\"name\":\"alice\"}]}");
	is_int(authz_check_escalation(az, &alice, "RoleBinding", rb, &e), 0,
	       "bind verb allows binding admin");
	cJSON_Delete(role);
	cJSON_Delete(small);
	cJSON_Delete(rb);
	cJSON_Delete(rbv);
	cJSON_Delete(rbm);
}

static void test_aggregation(struct authz *az)
{
	struct authz_attrs a = RES("list", "example.com", "widgets", "", "",
				   "ns");
	struct user_info carol = { "carol", "5", auth_groups };

	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"carol\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"ClusterRole\","
		"\"name\":\"admin\"},\"subjects\":[{\"kind\":\"User\","
		"\"name\":\"carol\"}]}");
	ok(!authz_allowed(az, &carol, &a, NULL, 0), "no widgets yet");
	put(az, "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"w\","
		"\"labels\":{\"rbac.authorization.k8s.io/aggregate-to-view\":"
		"\"true\"}},\"rules\":[{\"verbs\":[\"list\"],\"apiGroups\":"
		"[\"example.com\"],\"resources\":[\"widgets\"]}]}");
	ok(authz_allowed(az, &carol, &a, NULL, 0),
	   "aggregate-to-view reaches admin through edit");
	authz_delete(az, "ClusterRole", "", "w");
	ok(!authz_allowed(az, &carol, &a, NULL, 0), "and leaves with it");
}

int main(void)
{
	struct authz *az = NULL;
	struct err e;

	is_int(authz_new(NULL, &az, &e), 0, "in-memory authorizer");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap again (idempotent)");
	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"devs\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"ClusterRole\","
		"\"name\":\"edit\"},\"subjects\":[{\"kind\":\"Group\","
		"\"name\":\"devs\"}]}");
	put(az, "{\"kind\":\"Role\",\"metadata\":{\"name\":\"cfg\","
		"\"namespace\":\"ns\"},\"rules\":[{\"verbs\":[\"get\"],"
		"\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],"
		"\"resourceNames\":[\"cfg\"]}]}");
	put(az, "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"robot\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"Role\","
		"\"name\":\"cfg\"},\"subjects\":[{\"kind\":\"ServiceAccount\","
		"\"name\":\"robot\"}]}");
	ok(authz_put(az, cJSON_GetObjectItem(NULL, "x")) == -1, "no kind");
	test_decisions(az);
	test_missing(az);
	test_messages();
	test_rules_status(az);
	test_escalation(az);
	test_aggregation(az);
	authz_free(az);
	authz_free(NULL);
	return tap_done();
}
