/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_bootstrap: the default ClusterRoles and ClusterRoleBindings.
 *
 * A data table of the roles Kubernetes' bootstrap policy creates that
 * matter to a single-node cluster driven by kubectl, helm and client
 * libraries: cluster-admin, the aggregated admin/edit/view trio with the
 * system:aggregate-to-* roles carrying their rules for built-in
 * resources, the discovery/basic-user/public-info-viewer roles every
 * client relies on, and a few system roles that cost one line each.
 * Every object carries the label kubernetes.io/bootstrapping=rbac-defaults
 * and the annotation rbac.authorization.kubernetes.io/autoupdate=true.
 * authz_bootstrap creates the missing ones.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "cluster/rbac.h"
#include "common/ktime.h"
#include "common/mem.h"

#define R "get,list,watch"
#define W "create,update,patch,delete,deletecollection"
#define RW R "," W
#define AGG "rbac.authorization.k8s.io/aggregate-to-"

/* One rule: comma-separated lists; urls set means non-resource. */
struct rule_def {
	const char *verbs, *groups, *resources, *urls;
};

struct role_def {
	const char *name;
	const char *agg_label;	/* "admin": labelled aggregate-to-admin */
	const char *aggregates;	/* "edit": selects aggregate-to-edit */
	struct rule_def rules[14];
};

static const struct role_def roles[] = {
	{ "cluster-admin", NULL, NULL, {
		{ "*", "*", "*", NULL },
		{ "*", NULL, NULL, "*" } } },
	{ "admin", NULL, "admin", { { 0 } } },
	{ "edit", "admin", "edit", { { 0 } } },
	{ "view", "edit", "view", { { 0 } } },
	{ "system:aggregate-to-admin", "admin", NULL, {
		{ "create", "authorization.k8s.io",
		  "localsubjectaccessreviews", NULL },
		{ RW, RBAC_GROUP, "roles,rolebindings", NULL } } },
	{ "system:aggregate-to-edit", "edit", NULL, {
		{ R, "", "pods/attach,pods/proxy,pods/exec,pods/portforward,"
			 "secrets,services/proxy", NULL },
		{ "impersonate", "", "serviceaccounts", NULL },
		{ W, "", "pods,pods/attach,pods/proxy,pods/exec,"
			 "pods/portforward", NULL },
		{ "create", "", "pods/eviction", NULL },
		{ W, "", "replicationcontrollers,replicationcontrollers/scale,"
			 "serviceaccounts,services,services/proxy,"
			 "persistentvolumeclaims,configmaps,secrets,events",
		  NULL },
		{ "create", "", "serviceaccounts/token", NULL },
		{ W, "apps", "statefulsets,statefulsets/scale,daemonsets,"
			     "deployments,deployments/scale,"
			     "deployments/rollback,replicasets,"
			     "replicasets/scale", NULL },
		{ W, "autoscaling", "horizontalpodautoscalers", NULL },
		{ W, "batch", "jobs,cronjobs", NULL },
		{ W, "extensions", "daemonsets,deployments,deployments/scale,"
				   "deployments/rollback,ingresses,replicasets,"
				   "replicasets/scale,"
				   "replicationcontrollers/scale,"
				   "networkpolicies", NULL },
		{ W, "policy", "poddisruptionbudgets", NULL },
		{ W, "networking.k8s.io", "networkpolicies,ingresses", NULL },
		{ RW, "coordination.k8s.io", "leases", NULL } } },
	{ "system:aggregate-to-view", "view", NULL, {
		{ R, "", "pods,replicationcontrollers,"
			 "replicationcontrollers/scale,serviceaccounts,"
			 "services,services/status,endpoints,"
			 "persistentvolumeclaims,"
			 "persistentvolumeclaims/status,configmaps", NULL },
		{ R, "", "limitranges,resourcequotas,bindings,events,"
			 "pods/status,resourcequotas/status,namespaces/status,"
			 "replicationcontrollers/status,pods/log", NULL },
		{ R, "", "namespaces", NULL },
		{ R, "discovery.k8s.io", "endpointslices", NULL },
		{ R, "apps", "controllerrevisions,statefulsets,"
			     "statefulsets/status,statefulsets/scale,"
			     "daemonsets,daemonsets/status,deployments,"
			     "deployments/status,deployments/scale,"
			     "replicasets,replicasets/status,"
			     "replicasets/scale", NULL },
		{ R, "autoscaling", "horizontalpodautoscalers,"
				    "horizontalpodautoscalers/status", NULL },
		{ R, "batch", "jobs,cronjobs,cronjobs/status,jobs/status",
		  NULL },
		{ R, "extensions", "daemonsets,daemonsets/status,deployments,"
				   "deployments/scale,deployments/status,"
				   "ingresses,ingresses/status,replicasets,"
				   "replicasets/scale,replicasets/status,"
				   "replicationcontrollers/scale,"
				   "networkpolicies", NULL },
		{ R, "policy", "poddisruptionbudgets,"
			       "poddisruptionbudgets/status", NULL },
		{ R, "networking.k8s.io", "networkpolicies,ingresses,"
					  "ingresses/status", NULL } } },
	{ "system:basic-user", NULL, NULL, {
		{ "create", "authorization.k8s.io",
		  "selfsubjectaccessreviews,selfsubjectrulesreviews", NULL },
		{ "create", "authentication.k8s.io", "selfsubjectreviews",
		  NULL } } },
	{ "system:discovery", NULL, NULL, {
		{ "get", NULL, NULL, "/api,/api/*,/apis,/apis/*,/healthz,"
				     "/livez,/openapi,/openapi/*,/readyz,"
				     "/version,/version/" } } },
	{ "system:public-info-viewer", NULL, NULL, {
		{ "get", NULL, NULL, "/healthz,/livez,/readyz,/version,"
				     "/version/" } } },
	{ "system:monitoring", NULL, NULL, {
		{ "get", NULL, NULL, "/healthz,/healthz/*,/livez,/livez/*,"
				     "/metrics,/metrics/slis,/readyz,"
				     "/readyz/*" } } },
	{ "system:auth-delegator", NULL, NULL, {
		{ "create", "authentication.k8s.io", "tokenreviews", NULL },
		{ "create", "authorization.k8s.io", "subjectaccessreviews",
		  NULL } } },
	{ "system:service-account-issuer-discovery", NULL, NULL, {
		{ "get", NULL, NULL, "/.well-known/openid-configuration,"
				     "/.well-known/openid-configuration/,"
				     "/openid/v1/jwks,/openid/v1/jwks/" } } },
	{ "system:node-proxier", NULL, NULL, {
		{ "list,watch", "", "services,endpoints", NULL },
		{ "get,list,watch", "", "nodes", NULL },
		{ "create,update,patch", ",events.k8s.io", "events", NULL },
		{ "list,watch", "discovery.k8s.io", "endpointslices",
		  NULL } } },
};

/* ClusterRoleBindings: role name and subjects "User:x" / "Group:y". */
static const struct {
	const char *role, *subjects;
} bindings[] = {
	{ "cluster-admin", "Group:system:masters" },
	{ "system:basic-user", "Group:system:authenticated" },
	{ "system:discovery", "Group:system:authenticated" },
	{ "system:public-info-viewer",
	  "Group:system:authenticated,Group:system:unauthenticated" },
	{ "system:monitoring", "Group:system:monitoring" },
	{ "system:service-account-issuer-discovery",
	  "Group:system:serviceaccounts" },
	{ "system:node-proxier", "User:system:kube-proxy" },
};

/* "a,b" -> ["a","b"]; "" -> [""] (the core group); NULL -> absent. */
static void add_list(cJSON *o, const char *key, const char *csv)
{
	cJSON *arr;
	const char *p = csv;

	if (!csv)
		return;
	arr = cJSON_AddArrayToObject(o, key);
	for (;;) {
		const char *c = strchr(p, ',');
		char *s = xstrndup(p, c ? (size_t)(c - p) : strlen(p));

		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
		free(s);
		if (!c)
			break;
		p = c + 1;
	}
}

/* A random (version 4) UUID for metadata.uid. */
static void new_uid(char out[37])
{
	unsigned char b[16] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, b, sizeof(b)) != (ssize_t)sizeof(b))
			b[0] ^= 0x5a;	/* still unique enough per start */
		close(fd);
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

static cJSON *meta(cJSON *obj, const char *kind, const char *name)
{
	cJSON *md, *labels, *ann;
	struct ktime now = ktime_now();
	char ts[KTIME_STR_MAX], uid[37];

	cJSON_AddStringToObject(obj, "apiVersion", RBAC_GROUP "/v1");
	cJSON_AddStringToObject(obj, "kind", kind);
	md = cJSON_AddObjectToObject(obj, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	new_uid(uid);
	cJSON_AddStringToObject(md, "uid", uid);
	cJSON_AddStringToObject(md, "creationTimestamp", ktime_format(&now, ts));
	ann = cJSON_AddObjectToObject(md, "annotations");
	cJSON_AddStringToObject(ann, "rbac.authorization.kubernetes.io/autoupdate",
				"true");
	labels = cJSON_AddObjectToObject(md, "labels");
	cJSON_AddStringToObject(labels, "kubernetes.io/bootstrapping",
				"rbac-defaults");
	return labels;
}

static cJSON *role_json(const struct role_def *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *labels = meta(o, "ClusterRole", d->name);
	cJSON *rules = cJSON_AddArrayToObject(o, "rules");
	char key[128];

	if (d->agg_label) {
		snprintf(key, sizeof(key), AGG "%s", d->agg_label);
		cJSON_AddStringToObject(labels, key, "true");
	}
	if (d->aggregates) {
		cJSON *sels = cJSON_AddArrayToObject(
			cJSON_AddObjectToObject(o, "aggregationRule"),
			"clusterRoleSelectors");
		cJSON *ml = cJSON_CreateObject();

		snprintf(key, sizeof(key), AGG "%s", d->aggregates);
		cJSON_AddStringToObject(
			cJSON_AddObjectToObject(ml, "matchLabels"), key, "true");
		cJSON_AddItemToArray(sels, ml);
	}
	for (size_t i = 0; i < sizeof(d->rules) / sizeof(d->rules[0]); i++) {
		const struct rule_def *r = &d->rules[i];
		cJSON *rj;

		if (!r->verbs)
			break;
		rj = cJSON_CreateObject();
		add_list(rj, "verbs", r->verbs);
		add_list(rj, "apiGroups", r->groups);
		add_list(rj, "resources", r->resources);
		add_list(rj, "nonResourceURLs", r->urls);
		cJSON_AddItemToArray(rules, rj);
	}
	return o;
}

cJSON *rbac_bootstrap_cluster_roles(void)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		cJSON_AddItemToArray(arr, role_json(&roles[i]));
	return arr;
}

static void add_subjects(cJSON *o, const char *csv)
{
	cJSON *subs = cJSON_AddArrayToObject(o, "subjects");
	const char *p = csv;

	while (p && *p) {
		const char *c = strchr(p, ',');
		const char *colon = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		cJSON *s = cJSON_CreateObject();
		char *kind = xstrndup(p, (size_t)(colon - p));
		char *name = xstrndup(colon + 1, n - (size_t)(colon - p) - 1);

		cJSON_AddStringToObject(s, "apiGroup", RBAC_GROUP);
		cJSON_AddStringToObject(s, "kind", kind);
		cJSON_AddStringToObject(s, "name", name);
		cJSON_AddItemToArray(subs, s);
		free(kind);
		free(name);
		p = c ? c + 1 : NULL;
	}
}

cJSON *rbac_bootstrap_cluster_role_bindings(void)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON *ref;

		meta(o, "ClusterRoleBinding", bindings[i].role);
		ref = cJSON_AddObjectToObject(o, "roleRef");
		cJSON_AddStringToObject(ref, "apiGroup", RBAC_GROUP);
		cJSON_AddStringToObject(ref, "kind", "ClusterRole");
		cJSON_AddStringToObject(ref, "name", bindings[i].role);
		add_subjects(o, bindings[i].subjects);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}
