/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_rbac: the content rules of pkg/apis/rbac/validation - policy
 * rules of Roles and ClusterRoles (verbs required; apiGroups and
 * resources required unless the rule is about nonResourceURLs, which
 * namespaced Roles may not have and which exclude resources), and the
 * roleRef and subjects of RoleBindings and ClusterRoleBindings (roleRef
 * apiGroup and kind, immutable roleRef, subject kinds, apiGroups and the
 * namespace a ClusterRoleBinding's ServiceAccount subject needs).
 * Defaults of rbac/v1 (roleRef.apiGroup, User/Group subjects' apiGroup)
 * come first, as the API server applies them before validating.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/admit_int.h"
#include "common/buf.h"
#include "common/json.h"

#define RBAC_GROUP "rbac.authorization.k8s.io"

static void policy_rule(const cJSON *r, int i, bool namespaced, struct err *e)
{
	const cJSON *urls = json_get(r, "nonResourceURLs");
	char f[96];

	admit_field(f, sizeof(f), "rules[%d].verbs", i);
	if (!cJSON_GetArraySize(json_get(r, "verbs")))
		admit_required(e, f, "verbs must contain at least one value");
	if (cJSON_GetArraySize(urls)) {
		struct buf b = BUF_INIT;

		admit_go_strings(urls, &b);
		admit_field(f, sizeof(f), "rules[%d].nonResourceURLs", i);
		if (namespaced)
			err_cause(e, "FieldValueInvalid", f, "Invalid value: %s: namespaced rules cannot apply to non-resource URLs", buf_cstr(&b));
		if (cJSON_GetArraySize(json_get(r, "apiGroups")) ||
		    cJSON_GetArraySize(json_get(r, "resources")) ||
		    cJSON_GetArraySize(json_get(r, "resourceNames")))
			err_cause(e, "FieldValueInvalid", f, "Invalid value: %s: rules cannot apply to both regular resources and non-resource URLs", buf_cstr(&b));
		buf_free(&b);
		return;
	}
	admit_field(f, sizeof(f), "rules[%d].apiGroups", i);
	if (!cJSON_GetArraySize(json_get(r, "apiGroups")))
		admit_required(e, f, "resource rules must supply at least one api group");
	admit_field(f, sizeof(f), "rules[%d].resources", i);
	if (!cJSON_GetArraySize(json_get(r, "resources")))
		admit_required(e, f, "resource rules must supply at least one resource");
}

static void rules(const cJSON *obj, bool namespaced, struct err *e)
{
	const cJSON *r;
	int i = 0;

	cJSON_ArrayForEach(r, json_get(obj, "rules"))
		policy_rule(r, i++, namespaced, e);
}

void admit_role_validate(const cJSON *obj, struct err *e)
{
	rules(obj, true, e);
}

void admit_clusterrole_validate(const cJSON *obj, struct err *e)
{
	rules(obj, false, e);
}

void admit_binding_defaults(cJSON *obj, bool create)
{
	cJSON *s;

	(void)create;
	if (cJSON_IsObject(json_get(obj, "roleRef")) &&
	    !json_get_str(obj, "roleRef.apiGroup"))
		json_set_str(obj, "roleRef.apiGroup", RBAC_GROUP);
	cJSON_ArrayForEach(s, json_get(obj, "subjects")) {
		const char *k = json_get_str(s, "kind");

		if (k && (!strcmp(k, "User") || !strcmp(k, "Group")) &&
		    !json_get_str(s, "apiGroup"))
			json_set_str(s, "apiGroup", RBAC_GROUP);
	}
}

/* validation.ValidateServiceAccountName (a DNS-1123 subdomain). */
static void sa_name(const char *f, const char *name, struct err *e)
{
	if (strlen(name) > 253)
		admit_invalid(e, f, name, "must be no more than 253 characters");
	else if (!admit_is_subdomain(name))
		admit_invalid(e, f, name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
}

static void subject(const cJSON *s, int i, bool namespaced, struct err *e)
{
	static const char *const kinds[] = { "ServiceAccount", "User", "Group", NULL };
	const char *name = json_get_str(s, "name") ?: "", *kind = json_get_str(s, "kind") ?: "";
	const char *group = json_get_str(s, "apiGroup") ?: "";
	char f[96];

	admit_field(f, sizeof(f), "subjects[%d].name", i);
	if (!*name)
		admit_required(e, f, NULL);
	if (!strcmp(kind, "ServiceAccount")) {
		if (*name)
			sa_name(f, name, e);
		admit_field(f, sizeof(f), "subjects[%d].apiGroup", i);
		if (*group)
			admit_not_supported(e, f, group, (const char *const[]){ "", NULL });
		admit_field(f, sizeof(f), "subjects[%d].namespace", i);
		if (!namespaced && !*(json_get_str(s, "namespace") ?: ""))
			admit_required(e, f, NULL);
		return;
	}
	if (!strcmp(kind, "User") || !strcmp(kind, "Group")) {
		admit_field(f, sizeof(f), "subjects[%d].apiGroup", i);
		if (strcmp(group, RBAC_GROUP))
			admit_not_supported(e, f, group, (const char *const[]){ RBAC_GROUP, NULL });
		return;
	}
	admit_field(f, sizeof(f), "subjects[%d].kind", i);
	admit_not_supported(e, f, kind, kinds);
}

static void binding(const cJSON *obj, bool namespaced, struct err *e)
{
	static const char *const ns_kinds[] = { "Role", "ClusterRole", NULL };
	static const char *const cl_kinds[] = { "ClusterRole", NULL };
	const char *const *kinds = namespaced ? ns_kinds : cl_kinds;
	const char *group = json_get_str(obj, "roleRef.apiGroup") ?: "";
	const char *kind = json_get_str(obj, "roleRef.kind") ?: "";
	const char *name = json_get_str(obj, "roleRef.name") ?: "";
	const cJSON *s;
	int i = 0;

	if (strcmp(group, RBAC_GROUP))
		admit_not_supported(e, "roleRef.apiGroup", group,
				    (const char *const[]){ RBAC_GROUP, NULL });
	if (!admit_one_of(kind, kinds))
		admit_not_supported(e, "roleRef.kind", kind, kinds);
	if (!*name)
		admit_required(e, "roleRef.name", NULL);
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		admit_invalid(e, "roleRef.name", name, !strcmp(name, ".") ? "may not be '.'"
			      : "may not be '..'");
	else {
		if (strchr(name, '/'))
			admit_invalid(e, "roleRef.name", name, "may not contain '/'");
		if (strchr(name, '%'))
			admit_invalid(e, "roleRef.name", name, "may not contain '%'");
	}
	cJSON_ArrayForEach(s, json_get(obj, "subjects"))
		subject(s, i++, namespaced, e);
}

void admit_rolebinding_validate(const cJSON *obj, struct err *e)
{
	binding(obj, true, e);
}

void admit_crb_validate(const cJSON *obj, struct err *e)
{
	binding(obj, false, e);
}

void admit_binding_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	if (json_equal(json_get(old, "roleRef"), json_get(nw, "roleRef")))
		return;
	err_cause(e, "FieldValueInvalid", "roleRef",
		  "Invalid value: rbac.RoleRef{APIGroup:\"%s\", Kind:\"%s\", Name:\"%s\"}: cannot change roleRef",
		  json_get_str(nw, "roleRef.apiGroup") ?: "",
		  json_get_str(nw, "roleRef.kind") ?: "",
		  json_get_str(nw, "roleRef.name") ?: "");
}
