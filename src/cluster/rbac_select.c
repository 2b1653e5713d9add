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
 * Selectors are metav1.LabelSelectors evaluated by common/selector
 * (matchLabels and matchExpressions): an empty selector matches
 * everything, a null or invalid one nothing, as in Kubernetes.
 */
#include "config.h"

#include <string.h>

#include "cluster/rbac.h"
#include "common/selector.h"

bool rbac_selector_matches(const cJSON *selector, const cJSON *labels)
{
	struct label_selector *sel = NULL;
	struct err e;
	bool hit;

	/* An invalid selector selects nothing (the controller skips it). */
	if (selector_from_json(selector, &sel, &e) < 0)
		return false;
	hit = selector_matches(sel, cJSON_IsObject(labels) ? labels : NULL);
	selector_free(sel);
	return hit;
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
