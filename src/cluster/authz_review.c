/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authz_review: what the API says about authorization.
 *
 * - authz_forbidden_message: the text of the 403 Status, built the way
 *   the apiserver's ForbiddenStatusError and errors.NewForbidden do.
 * - authz_rules_status: SelfSubjectRulesReview status, one resourceRule
 *   per PolicyRule with resources and one nonResourceRule per PolicyRule
 *   with nonResourceURLs, in binding order (ClusterRoleBindings, then the
 *   namespace's RoleBindings), as RBACAuthorizer.RulesFor lists them.
 * - authz_check_escalation: registry/rbac's policy-based storage checks:
 *   system:masters may write anything; otherwise a Role/ClusterRole write
 *   needs `escalate` on it or every permission it grants (and cluster-
 *   admin power to set an aggregationRule), a binding needs `bind` on the
 *   role it references or every permission of that role.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/authz_int.h"
#include "common/mem.h"

static const char *nz(const char *s)
{
	return s ? s : "";
}

char *authz_forbidden_message(const struct user_info *user,
			      const struct authz_attrs *a)
{
	struct buf b = BUF_INIT;
	const char *res = nz(a->resource), *sub = nz(a->subresource);
	const char *name = user ? nz(user->name) : "";

	if (!a->resource_request) {
		buf_printf(&b, "forbidden: User \"%s\" cannot %s path \"%s\"",
			   name, nz(a->verb), nz(a->path));
		return buf_take(&b);
	}
	buf_adds(&b, res);
	if (*nz(a->group))
		buf_printf(&b, ".%s", a->group);
	if (*nz(a->name))
		buf_printf(&b, " \"%s\"", a->name);
	buf_printf(&b, " is forbidden: User \"%s\" cannot %s resource \"%s%s%s\""
		       " in API group \"%s\"",
		   name, nz(a->verb), res, *sub ? "/" : "", sub, nz(a->group));
	if (*nz(a->namespace))
		buf_printf(&b, " in the namespace \"%s\"", a->namespace);
	else
		buf_adds(&b, " at the cluster scope");
	return buf_take(&b);
}

static void copy_list(cJSON *to, const char *key, const cJSON *rule,
		      const char *from, bool always)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(rule, from);

	if (cJSON_GetArraySize(src) > 0)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(src, true));
	else if (always)
		cJSON_AddArrayToObject(to, key);
}

static void add_rule(cJSON *rr, cJSON *nr, const cJSON *rule)
{
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		    rule, "resources")) > 0) {
		cJSON *o = cJSON_CreateObject();

		copy_list(o, "verbs", rule, "verbs", true);
		copy_list(o, "apiGroups", rule, "apiGroups", false);
		copy_list(o, "resources", rule, "resources", false);
		copy_list(o, "resourceNames", rule, "resourceNames", false);
		cJSON_AddItemToArray(rr, o);
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		    rule, "nonResourceURLs")) > 0) {
		cJSON *o = cJSON_CreateObject();

		copy_list(o, "verbs", rule, "verbs", true);
		copy_list(o, "nonResourceURLs", rule, "nonResourceURLs", false);
		cJSON_AddItemToArray(nr, o);
	}
}

cJSON *authz_rules_status(struct authz *az, const struct user_info *user,
			  const char *namespace)
{
	struct authz_errs errs = { VEC_INIT };
	cJSON *st = cJSON_CreateObject();
	cJSON *rr = cJSON_AddArrayToObject(st, "resourceRules");
	cJSON *nr = cJSON_AddArrayToObject(st, "nonResourceRules");
	const cJSON *r;
	cJSON *rules;

	pthread_rwlock_rdlock(&az->lock);
	rules = authz_rules_for_locked(az, user, nz(namespace), &errs);
	cJSON_ArrayForEach(r, rules)
		add_rule(rr, nr, r);
	pthread_rwlock_unlock(&az->lock);
	cJSON_Delete(rules);
	cJSON_AddBoolToObject(st, "incomplete", false);
	if (errs.msgs.len > 0) {
		struct buf b = BUF_INIT;

		authz_errs_format(&errs, &b);
		cJSON_AddStringToObject(st, "evaluationError", buf_cstr(&b));
		buf_free(&b);
	}
	authz_errs_done(&errs);
	return st;
}

/* ---- escalation ---- */

static const char *jstr(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Go's %q of a []string: ["a" "b"]. */
static void quote_groups(struct buf *b, const struct user_info *u)
{
	buf_addc(b, '[');
	for (size_t i = 0; u->groups && u->groups[i]; i++)
		buf_printf(b, "%s\"%s\"", i ? " " : "", u->groups[i]);
	buf_addc(b, ']');
}

/*
 * ConfirmNoEscalation: 0 when the user's rules in ns cover want, else -1
 * with ERR_FORBIDDEN and Kubernetes' message for resource/name.
 */
static int confirm_no_escalation(struct authz *az,
				 const struct user_info *user, const char *ns,
				 const cJSON *want, const char *gr,
				 const char *name, const char *override,
				 struct err *e)
{
	struct authz_errs errs = { VEC_INIT };
	struct buf missing = BUF_INIT, msg = BUF_INIT;
	cJSON *owner;
	bool ok;

	pthread_rwlock_rdlock(&az->lock);
	owner = authz_rules_for_locked(az, user, ns, &errs);
	ok = rbac_rules_cover(owner, want, &missing);
	pthread_rwlock_unlock(&az->lock);
	cJSON_Delete(owner);
	if (!ok) {
		buf_printf(&msg, "%s \"%s\" is forbidden: ", gr, name);
		if (override) {
			buf_adds(&msg, override);
		} else {
			buf_printf(&msg, "user \"%s\" (groups=", nz(user->name));
			quote_groups(&msg, user);
			buf_printf(&msg, ") is attempting to grant RBAC "
					 "permissions not currently held:\n%s",
				   buf_cstr(&missing));
			if (errs.msgs.len > 0) {
				buf_adds(&msg, "; resolution errors: [");
				for (size_t i = 0; i < errs.msgs.len; i++)
					buf_printf(&msg, "%s%s", i ? " " : "",
						   (char *)errs.msgs.items[i]);
				buf_addc(&msg, ']');
			}
		}
		err_set(e, ERR_FORBIDDEN, "%s", buf_cstr(&msg));
	}
	buf_free(&missing);
	buf_free(&msg);
	authz_errs_done(&errs);
	return ok ? 0 : -1;
}

static bool may(struct authz *az, const struct user_info *user,
		const char *verb, const char *resource, const char *ns,
		const char *name)
{
	struct authz_attrs a = {
		.verb = verb, .resource_request = true, .group = RBAC_GROUP,
		.version = "v1", .resource = resource, .subresource = "",
		.namespace = ns, .name = name, .path = "",
	};

	return authz_allowed(az, user, &a, NULL, 0);
}

static int check_role(struct authz *az, const struct user_info *user,
		      bool cluster, const cJSON *obj, struct err *e)
{
	const char *res = cluster ? "clusterroles" : "roles";
	const char *ns = cluster ? "" : jstr(obj, "metadata", "namespace");
	const char *name = jstr(obj, "metadata", "name");
	char gr[64];
	cJSON *full;
	int rc;

	if (may(az, user, "escalate", res, ns, name))
		return 0;
	snprintf(gr, sizeof(gr), "%s.%s", res, RBAC_GROUP);
	if (confirm_no_escalation(az, user, ns,
				  cJSON_GetObjectItemCaseSensitive(obj, "rules"),
				  gr, name, NULL, e) < 0)
		return -1;
	if (!cluster || !cJSON_GetObjectItemCaseSensitive(obj,
							   "aggregationRule"))
		return 0;
	full = cJSON_Parse("[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
			   "\"resources\":[\"*\"]},{\"verbs\":[\"*\"],"
			   "\"nonResourceURLs\":[\"*\"]}]");
	rc = confirm_no_escalation(az, user, ns, full, gr, name,
				   "must have cluster-admin privileges to use "
				   "the aggregationRule", e);
	cJSON_Delete(full);
	return rc;
}

static int check_binding(struct authz *az, const struct user_info *user,
			 bool cluster, const cJSON *obj, struct err *e)
{
	const char *ns = cluster ? "" : jstr(obj, "metadata", "namespace");
	const char *name = jstr(obj, "metadata", "name");
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(obj, "roleRef");
	const char *rk = jstr(ref, "kind", NULL);
	const cJSON *rules = NULL;
	struct buf why = BUF_INIT;
	cJSON *copy = NULL;
	char gr[64];
	int rc;

	if (may(az, user, "bind",
		strcmp(rk, "Role") == 0 ? "roles" : "clusterroles", ns,
		jstr(ref, "name", NULL)))
		return 0;
	snprintf(gr, sizeof(gr), "%s.%s",
		 cluster ? "clusterrolebindings" : "rolebindings", RBAC_GROUP);
	pthread_rwlock_rdlock(&az->lock);
	rc = rbac_index_role_rules(az->ix, ref, ns, &rules, &why);
	if (rc == 0)
		copy = rules ? cJSON_Duplicate(rules, true) : cJSON_CreateArray();
	pthread_rwlock_unlock(&az->lock);
	if (rc < 0) {
		err_set(e, ERR_NOT_FOUND, "%s", buf_cstr(&why));
		buf_free(&why);
		return -1;
	}
	rc = confirm_no_escalation(az, user, ns, copy, gr, name, NULL, e);
	cJSON_Delete(copy);
	buf_free(&why);
	return rc;
}

int authz_check_escalation(struct authz *az, const struct user_info *user,
			   const char *kind, const cJSON *obj, struct err *e)
{
	int k = rbac_kind_from_kind(kind);

	if (authz_is_master(user))
		return 0;
	switch (k) {
	case RBAC_ROLE:
	case RBAC_CLUSTER_ROLE:
		return check_role(az, user, k == RBAC_CLUSTER_ROLE, obj, e);
	case RBAC_ROLE_BINDING:
	case RBAC_CLUSTER_ROLE_BINDING:
		return check_binding(az, user, k == RBAC_CLUSTER_ROLE_BINDING,
				     obj, e);
	default:
		return err_set(e, ERR_BAD_REQUEST, "authz: not an RBAC kind: %s",
			       nz(kind));
	}
}
