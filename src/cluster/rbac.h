/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac: the private pieces of the authorizer (authz*.c).
 *
 * rbac_rules.c   PolicyRule matching and coverage on cJSON rules, with
 *                Kubernetes' exact semantics (rbac/v1 helpers and
 *                registry/rbac/validation).
 * rbac_index.c   An in-memory index of Roles, ClusterRoles and bindings,
 *                keyed by subject so that a decision visits only the
 *                bindings naming the user or one of its groups.  No
 *                locking: the owner (authz.c) holds a rwlock around it.
 * rbac_select.c  Label selectors of aggregation rules and the
 *                clusterrole-aggregation computation.
 * rbac_bootstrap.c The default roles and bindings of a new cluster.
 *
 * Objects are the JSON forms of rbac.authorization.k8s.io/v1 kinds.
 */
#ifndef KDECK_CLUSTER_RBAC_H
#define KDECK_CLUSTER_RBAC_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cluster/authz.h"
#include "common/buf.h"
#include "common/vec.h"

#define RBAC_GROUP "rbac.authorization.k8s.io"
#define RBAC_MASTERS "system:masters"

/* ---- rules (rbac_rules.c) ---- */

/* Does one PolicyRule (cJSON object) allow the request? */
bool rbac_rule_allows(const cJSON *rule, const struct authz_attrs *a);
/* Does any rule of the array allow it? */
bool rbac_rules_allow(const cJSON *rules, const struct authz_attrs *a);

/*
 * Kubernetes' validation.Covers: do owner rules cover every rule of
 * want?  When not, and missing is not NULL, the uncovered atomic rules
 * are compacted and appended to missing as CompactString lines, sorted,
 * separated by '\n'.
 */
bool rbac_rules_cover(const cJSON *owner, const cJSON *want,
		      struct buf *missing);

/* Is s in the JSON string array arr? */
bool rbac_has(const cJSON *arr, const char *s);

/* ---- index (rbac_index.c) ---- */

enum rbac_kind { RBAC_ROLE, RBAC_CLUSTER_ROLE, RBAC_ROLE_BINDING,
		 RBAC_CLUSTER_ROLE_BINDING, RBAC__KINDS };

struct rbac_index;

struct rbac_index *rbac_index_new(void);
void rbac_index_free(struct rbac_index *ix);

/* The kind for a store resource name ("roles", ...) or a Kind ("Role"). */
int rbac_kind_from_resource(const char *resource);
int rbac_kind_from_kind(const char *kind);
const char *rbac_kind_resource(enum rbac_kind k);

/*
 * Insert or replace an object (takes ownership of obj).  Objects without
 * metadata.name are dropped.
 */
void rbac_index_put(struct rbac_index *ix, enum rbac_kind k, cJSON *obj);
void rbac_index_del(struct rbac_index *ix, enum rbac_kind k, const char *ns,
		    const char *name);
/* Borrowed object, or NULL. */
const cJSON *rbac_index_get(const struct rbac_index *ix, enum rbac_kind k,
			    const char *ns, const char *name);
/* Every object of a kind, in name order (borrowed; caller frees vec). */
void rbac_index_all(const struct rbac_index *ix, enum rbac_kind k,
		    struct vec *out);

/*
 * The rules a binding's roleRef resolves to: 0 and *rules (borrowed, may
 * be NULL for a role without rules), or -1 with Kubernetes' error text
 * appended to err (e.g. `clusterrole.rbac.authorization.k8s.io "x" not
 * found`).  ns is the binding's namespace ("" for a ClusterRoleBinding).
 */
int rbac_index_role_rules(const struct rbac_index *ix, const cJSON *role_ref,
			  const char *ns, const cJSON **rules,
			  struct buf *err);

/*
 * Visit the rules that apply to user in ns (ClusterRoleBindings first,
 * then RoleBindings of ns): fn gets each rules array, or NULL and an
 * error text; returning false stops the visit.
 */
void rbac_index_visit(const struct rbac_index *ix,
		      const struct user_info *user, const char *ns,
		      bool (*fn)(void *arg, const cJSON *rules,
				 const char *err),
		      void *arg);

/* ---- selectors and aggregation (rbac_select.c) ---- */

/* Does a metav1.LabelSelector match labels (object or NULL)? */
bool rbac_selector_matches(const cJSON *selector, const cJSON *labels);

/*
 * The rules the clusterrole-aggregation controller would write for the
 * ClusterRole cr (which has an aggregationRule): a new array, or NULL
 * when they equal cr's current rules or cr aggregates nothing.
 */
cJSON *rbac_aggregate(const struct rbac_index *ix, const cJSON *cr);

/* ---- bootstrap (rbac_bootstrap.c) ---- */

/* The default ClusterRoles / ClusterRoleBindings as new JSON arrays. */
cJSON *rbac_bootstrap_cluster_roles(void);
cJSON *rbac_bootstrap_cluster_role_bindings(void);

/* ---- reconciliation (rbac_reconcile.c) ---- */

/*
 * The existing default object completed with what expected adds (new
 * object), or NULL when nothing is missing or it is annotated
 * autoupdate=false.
 */
cJSON *rbac_reconcile(const cJSON *existing, const cJSON *expected);

#endif
