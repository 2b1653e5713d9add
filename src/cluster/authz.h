/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authz: RBAC authorization with Kubernetes' semantics.
 *
 * The authorizer reads Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings from the store (keeping its own index current with
 * a store watch) and answers whether a user may perform an action.  It
 * also evaluates the rules a user has in a namespace (for
 * SelfSubjectRulesReview) and creates the bootstrap roles and bindings of
 * a new cluster (cluster-admin, admin, edit, view, system:*).
 */
#ifndef KDECK_CLUSTER_AUTHZ_H
#define KDECK_CLUSTER_AUTHZ_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cluster/http.h"
#include "cluster/store.h"
#include "common/err.h"

/* What a request wants to do (Kubernetes' authorizer.Attributes). */
struct authz_attrs {
	const char *verb;	/* get list watch create update patch delete deletecollection, or
				   the lower-case HTTP method for non-resource requests */
	bool resource_request;
	const char *group;	/* "" for core */
	const char *version;
	const char *resource;	/* plural: "pods" */
	const char *subresource;/* "log", "status", or "" */
	const char *namespace;	/* "" for cluster-wide */
	const char *name;	/* "" when not named */
	const char *path;	/* for non-resource requests: "/healthz" */
};

struct authz;

/*
 * Start the authorizer over st: lists the RBAC objects and watches the
 * store (callbacks on the store's writer thread) and starts one thread
 * that writes aggregated ClusterRole rules back.  st NULL makes a purely
 * in-memory authorizer fed by authz_put/authz_delete (tests).
 * Every authz_ function is thread-safe.
 */
int authz_new(struct store *st, struct authz **out, struct err *e);
/* Stops the watch and the thread.  NULL is fine.  Before store_close. */
void authz_free(struct authz *az);

/*
 * In-memory authorizers only (st NULL): add/replace or remove a Role,
 * ClusterRole, RoleBinding or ClusterRoleBinding (obj is copied; its
 * kind says which).  -1 for other kinds.  With a store, objects come
 * from the store and these must not be used.
 */
int authz_put(struct authz *az, const cJSON *obj);
int authz_delete(struct authz *az, const char *kind, const char *ns,
		 const char *name);

/*
 * Create the bootstrap ClusterRoles and ClusterRoleBindings that are
 * missing and complete existing ones (missing default rules, subjects,
 * labels, annotations; never removing anything; not when annotated
 * rbac.authorization.kubernetes.io/autoupdate=false).  Idempotent; run at
 * every start like the apiserver does.
 */
int authz_bootstrap(struct authz *az, struct err *e);

/*
 * Decide.  Returns true when allowed.  Reflects every write committed to
 * the store before the call (waits up to 0.5 s for the watch to deliver
 * them; see authz.c).  When denied, reason (may be NULL)
 * receives Kubernetes' explanation for the Forbidden message suffix, e.g.
 * "" or "RBAC: clusterrole.rbac.authorization.k8s.io \"x\" not found".
 * Members of system:masters are always allowed.
 */
bool authz_allowed(struct authz *az, const struct user_info *user,
		   const struct authz_attrs *a, char *reason, size_t reason_len);

/*
 * The Forbidden message Kubernetes gives, e.g.
 * `pods is forbidden: User "x" cannot list resource "pods" in API group ""
 * in the namespace "y"`, into a fresh string (caller frees).  When
 * authz_allowed gave a non-empty reason, Kubernetes appends ": " reason
 * (the caller does that).  Status.details: name = a->name, group =
 * a->group, kind = a->resource.
 */
char *authz_forbidden_message(const struct user_info *user,
			      const struct authz_attrs *a);

/*
 * Fill status of a SelfSubjectRulesReview for user in namespace: returns
 * a new cJSON object {resourceRules, nonResourceRules, incomplete,
 * evaluationError?}; caller frees.
 */
cJSON *authz_rules_status(struct authz *az, const struct user_info *user,
			  const char *namespace);

/*
 * Can the user who creates/updates this Role/ClusterRole(Binding) do so
 * without escalating (Kubernetes' escalate/bind checks)?  obj is the
 * object being written, kind its kind.  -1 with ERR_FORBIDDEN if not
 * (e->msg is the complete Status message), ERR_NOT_FOUND when a binding
 * references a missing role, ERR_BAD_REQUEST for another kind.  An
 * aggregationRule on a ClusterRole update is checked even if unchanged.
 */
int authz_check_escalation(struct authz *az, const struct user_info *user,
			   const char *kind, const cJSON *obj, struct err *e);

#endif
