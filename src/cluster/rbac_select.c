/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_select: label selectors and ClusterRole aggregation.
 *
 * A ClusterRole with aggregationRule.clusterRoleSelectors gets as rules
 * the union of the rules of every other ClusterRole matched by any of its
 * selectors, exactly as Kubernetes' clusterrole-aggregation controller
 * computes it: selectors in order, matched roles sorted by name, a rule
 * appended only if an equal rule is not there yet.  authz.c writes the
 * result back through the store, which in turn triggers the aggregation
 * of roles aggregating this one (admin picks up edit, edit picks up view).
 *
 * Selectors support matchLabels and matchExpressions (In, NotIn, Exists,
 * DoesNotExist), which is all metav1.LabelSelector has.  An empty
 * selector matches everything, as in Kubernetes.
 */
#include "config.h"

#include <string.h>

#include "cluster/rbac.h"

static const char *label(const cJSON *labels, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool expr_matches(const cJSON *ex, const cJSON *labels)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(ex, "key");
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(ex, "operator");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(ex, "values");
	const char *v;

	if (!cJSON_IsString(k) || !cJSON_IsString(op))
		return false;
	v = label(labels, k->valuestring);
	if (strcmp(op->valuestring, "In") == 0)
		return v && rbac_has(vals, v);
	if (strcmp(op->valuestring, "NotIn") == 0)
		return !v || !rbac_has(vals, v);
	if (strcmp(op->valuestring, "Exists") == 0)
		return v != NULL;
	if (strcmp(op->valuestring, "DoesNotExist") == 0)
		return v == NULL;
	return false;	/* unknown operator: Kubernetes rejects it */
}

bool rbac_selector_matches(const cJSON *selector, const cJSON *labels)
{
	const cJSON *it;

	if (!cJSON_IsObject(selector))
		return false;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
				       selector, "matchLabels")) {
		const char *v = label(labels, it->string);

		if (!cJSON_IsString(it) || !v ||
		    strcmp(v, it->valuestring) != 0)
			return false;
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
				       selector, "matchExpressions")) {
		if (!expr_matches(it, labels))
			return false;
	}
	return true;
}

static bool rule_exists(const cJSON *rules, const cJSON *rule)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rules) {
		if (cJSON_Compare(r, rule, true))
			return true;
	}
	return false;
}

static void add_matching(const struct rbac_index *ix, const char *self,
			 const cJSON *sel, cJSON *out)
{
	struct vec all = VEC_INIT;

	rbac_index_all(ix, RBAC_CLUSTER_ROLE, &all);
	for (size_t i = 0; i < all.len; i++) {
		const cJSON *cr = all.items[i];
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(cr,
								   "metadata");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(md,
								     "name");
		const cJSON *r;

		if (cJSON_IsString(name) &&
		    strcmp(name->valuestring, self) == 0)
			continue;
		if (!rbac_selector_matches(
			    sel, cJSON_GetObjectItemCaseSensitive(md, "labels")))
			continue;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(cr,
								       "rules"))
			if (!rule_exists(out, r))
				cJSON_AddItemToArray(
					out, cJSON_Duplicate(r, true));
	}
	vec_free(&all, NULL);
}

cJSON *rbac_aggregate(const struct rbac_index *ix, const cJSON *cr)
{
	const cJSON *agg = cJSON_GetObjectItemCaseSensitive(cr,
							    "aggregationRule");
	const cJSON *sels = cJSON_GetObjectItemCaseSensitive(
		agg, "clusterRoleSelectors");
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(cr, "rules");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cr, "metadata"), "name");
	const cJSON *sel;
	cJSON *out;

	if (!cJSON_IsArray(sels) || !cJSON_IsString(name))
		return NULL;
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(sel, sels)
		add_matching(ix, name->valuestring, sel, out);
	if (cJSON_Compare(out, cur, true) ||
	    (cJSON_GetArraySize(out) == 0 && cJSON_GetArraySize(cur) == 0)) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
