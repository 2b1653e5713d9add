/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of authz over an in-memory authorizer: decisions for each
 * subject kind, bootstrap roles and aggregation, missing-role reasons,
 * Forbidden messages word for word, rules reviews and escalation checks.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/authz.h"
#include "../tap.h"

#define RBAC_GROUP_NAME "rbac.authorization.k8s.io"

static char *auth_groups[] = { "system:authenticated", NULL };
static char *dev_groups[] = { "devs", "system:authenticated", NULL };
static char *master_groups[] = { "system:masters", "system:authenticated",
				 NULL };
static char *sa_groups[] = { "system:serviceaccounts",
			     "system:serviceaccounts:ns",
			     "system:authenticated", NULL };
static struct user_info alice = { "alice", "1", auth_groups, NULL };
static struct user_info bob = { "bob", "2", dev_groups, NULL };
static struct user_info admin = { "kubernetes-admin", "3", master_groups, NULL };
static struct user_info robot = { "system:serviceaccount:ns:robot", "4",
				  sa_groups, NULL };

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
	struct user_info carol = { "carol", "5", auth_groups, NULL };

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

static void test_reconcile(struct authz *az)
{
	struct authz_attrs ssar = RES("create", "authorization.k8s.io",
				      "selfsubjectaccessreviews", "", "", "");
	struct authz_attrs extra = RES("get", "", "nodes", "", "n", "");
	struct err e;

	/* someone trimmed a default role and added to it */
	put(az, "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
		"\"system:basic-user\"},\"rules\":[{\"verbs\":[\"get\"],"
		"\"apiGroups\":[\"\"],\"resources\":[\"nodes\"]}]}");
	ok(!authz_allowed(az, &alice, &ssar, NULL, 0), "trimmed");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap reconciles");
	ok(authz_allowed(az, &alice, &ssar, NULL, 0), "default rule restored");
	ok(authz_allowed(az, &alice, &extra, NULL, 0), "added rule kept");
	/* autoupdate=false protects a customised default */
	put(az, "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
		"\"system:basic-user\",\"annotations\":{\"rbac.authorization."
		"kubernetes.io/autoupdate\":\"false\"}},\"rules\":[]}");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap again");
	ok(!authz_allowed(az, &alice, &ssar, NULL, 0), "protected role untouched");
	authz_delete(az, "ClusterRole", "", "system:basic-user");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap recreates");
	ok(authz_allowed(az, &alice, &ssar, NULL, 0), "deleted default recreated");
}

/* ---- concurrency: decisions while bindings churn ---- */

struct churn {
	struct authz *az;
	int wrong;
	volatile int stop;
};

static void *decider(void *arg)
{
	struct churn *c = arg;
	struct authz_attrs a = RES("get", "", "configmaps", "", "cfg", "ns");

	while (!c->stop) {
		/* robot always holds this through its own binding */
		if (!authz_allowed(c->az, &robot, &a, NULL, 0))
			c->wrong++;
		cJSON_Delete(authz_rules_status(c->az, &bob, "ns"));
	}
	return NULL;
}

static void test_concurrency(struct authz *az)
{
	struct churn c = { az, 0, 0 };
	pthread_t t[2];
	cJSON *rb = cJSON_Parse(
		"{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"tmp\","
		"\"namespace\":\"ns\"},\"roleRef\":{\"kind\":\"ClusterRole\","
		"\"name\":\"view\"},\"subjects\":[{\"kind\":\"Group\","
		"\"name\":\"devs\"}]}");

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, decider, &c);
	for (int i = 0; i < 2000; i++) {
		authz_put(az, rb);
		authz_delete(az, "RoleBinding", "ns", "tmp");
	}
	c.stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	is_int(c.wrong, 0, "decisions stay right while bindings churn");
	cJSON_Delete(rb);
}

/* ---- over a real store (skipped until the store is linked) ---- */

static int count_prefix(struct store *st, const char *res)
{
	char *pre = store_key(RBAC_GROUP_NAME, res, NULL, NULL);
	int n = (int)store_count(st, pre);

	free(pre);
	return n;
}

static bool admin_aggregated(struct store *st)
{
	char *key = store_key(RBAC_GROUP_NAME, "clusterroles", NULL, "admin");
	const struct store_obj *o = NULL;
	struct err e;
	bool done = false;

	for (int i = 0; i < 100 && !done; i++) {
		if (store_get(st, key, &o, &e) == 0) {
			cJSON *j = store_obj_parse(o);

			done = cJSON_GetArraySize(cJSON_GetObjectItem(j, "rules"))
			       > 10;
			cJSON_Delete(j);
			store_obj_unref(o);
		}
		if (!done)
			usleep(50000);
	}
	free(key);
	return done;
}

static void store_phase(struct store *st, bool first)
{
	struct authz *az = NULL;
	struct err e;
	struct authz_attrs a = RES("create", "apps", "deployments", "", "",
				   "team");
	char *key = store_key(RBAC_GROUP_NAME, "rolebindings", "team", "devs");
	cJSON *rb = cJSON_Parse(
		"{\"apiVersion\":\"rbac.authorization.k8s.io/v1\","
		"\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"devs\","
		"\"namespace\":\"team\"},\"roleRef\":{\"apiGroup\":"
		"\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
		"\"name\":\"edit\"},\"subjects\":[{\"kind\":\"Group\","
		"\"name\":\"devs\"}]}");
	int roles;

	is_int(authz_new(st, &az, &e), 0, "authz over the store");
	is_int(authz_bootstrap(az, &e), 0, "bootstrap into the store");
	roles = count_prefix(st, "clusterroles");
	ok(roles >= 14, "bootstrap roles stored (%d)", roles);
	is_int(authz_bootstrap(az, &e), 0, "bootstrap again");
	is_int(count_prefix(st, "clusterroles"), roles, "idempotent");
	ok(admin_aggregated(st), "admin aggregated and written back");
	if (first) {
		ok(!authz_allowed(az, &bob, &a, NULL, 0), "bob: not yet");
		is_int(store_create(st, key, rb, NULL, &e), 0, "bind devs");
	}
	ok(authz_allowed(az, &bob, &a, NULL, 0),
	   "the binding counts as soon as the write returned");
	if (!first) {
		is_int(store_delete(st, key, 0, NULL, &e), 0, "unbind");
		ok(!authz_allowed(az, &bob, &a, NULL, 0),
		   "the delete counts at once");
	}
	authz_free(az);
	cJSON_Delete(rb);
	free(key);
}

static void test_store(void)
{
	char path[] = "/tmp/test_authz.XXXXXX";
	int fd = mkstemp(path);
	struct store_options opt = { 0 };
	struct store *st = NULL;
	struct err e;

	if (fd < 0) {
		ok(0, "mkstemp");
		return;
	}
	close(fd);
	unlink(path);
	opt.path = path;
	if (store_open(&opt, &st, &e) < 0) {
		diag("store not available: skipping the store-backed tests");
		return;
	}
	store_phase(st, true);
	store_close(st);
	st = NULL;
	/* the roles and the binding survive a restart */
	if (store_open(&opt, &st, &e) == 0) {
		store_phase(st, false);
		store_close(st);
	}
	unlink(path);
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
	test_concurrency(az);
	test_reconcile(az);
	authz_free(az);
	test_store();
	authz_free(NULL);
	return tap_done();
}
