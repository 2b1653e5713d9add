/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rbac_reconcile: bring an existing bootstrap object up to date.
 *
 * At every start the apiserver reconciles its default roles and bindings
 * with what is stored, unless the stored object is annotated
 * rbac.authorization.kubernetes.io/autoupdate=false: missing labels and
 * annotations are added, a ClusterRole gets the default rules it does not
 * already cover and the aggregation selectors it lacks, a binding gets the
 * default subjects it lacks.  Nothing is ever removed, so what users added
 * stays.  Differences from Kubernetes: uncovered rules are appended whole
 * (Kubernetes appends their atomic breakdown), and a binding whose roleRef
 * was changed is left alone (Kubernetes deletes and recreates it).
 */
#include "config.h"

#include <string.h>

#include "cluster/rbac.h"

#define AUTOUPDATE "rbac.authorization.kubernetes.io/autoupdate"

static cJSON *obj_at(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsObject(v)) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		v = cJSON_AddObjectToObject(o, key);
	}
	return v;
}

static cJSON *arr_at(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsArray(v)) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		v = cJSON_AddArrayToObject(o, key);
	}
	return v;
}

/* Add the members of want missing from the map at have[key]. */
static bool merge_map(cJSON *have_md, const cJSON *want_md, const char *key)
{
	const cJSON *it;
	cJSON *map = NULL;
	bool changed = false;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(want_md, key)) {
		if (!map)
			map = obj_at(have_md, key);
		if (cJSON_GetObjectItemCaseSensitive(map, it->string))
			continue;
		cJSON_AddItemToObject(map, it->string,
				      cJSON_Duplicate(it, true));
		changed = true;
	}
	return changed;
}

/* Append the items of want missing from have[key] (exact comparison). */
static bool merge_items(cJSON *have, const cJSON *want, bool cover_rules)
{
	const cJSON *it;
	bool changed = false;

	cJSON_ArrayForEach(it, want) {
		const cJSON *h;
		bool found = false;

		cJSON_ArrayForEach(h, have)
			found = found || cJSON_Compare(h, it, true);
		if (!found && cover_rules) {
			cJSON *one = cJSON_CreateArray();

			cJSON_AddItemReferenceToArray(one, (cJSON *)it);
			found = rbac_rules_cover(have, one, NULL);
			cJSON_Delete(one);
		}
		if (found)
			continue;
		cJSON_AddItemToArray(have, cJSON_Duplicate(it, true));
		changed = true;
	}
	return changed;
}

cJSON *rbac_reconcile(const cJSON *existing, const cJSON *expected)
{
	const cJSON *ann = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(existing, "metadata"),
			"annotations"),
		AUTOUPDATE);
	const cJSON *want_md = cJSON_GetObjectItemCaseSensitive(expected,
								"metadata");
	const cJSON *sels = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(expected, "aggregationRule"),
		"clusterRoleSelectors");
	cJSON *out, *md;
	bool changed = false;

	if (cJSON_IsString(ann) && strcmp(ann->valuestring, "false") == 0)
		return NULL;
	out = cJSON_Duplicate(existing, true);
	md = obj_at(out, "metadata");
	changed |= merge_map(md, want_md, "labels");
	changed |= merge_map(md, want_md, "annotations");
	if (cJSON_GetObjectItemCaseSensitive(expected, "rules"))
		changed |= merge_items(arr_at(out, "rules"),
				       cJSON_GetObjectItemCaseSensitive(
					       expected, "rules"), true);
	if (cJSON_GetArraySize(sels) > 0)
		changed |= merge_items(arr_at(obj_at(out, "aggregationRule"),
					      "clusterRoleSelectors"),
				       sels, false);
	if (cJSON_GetObjectItemCaseSensitive(expected, "subjects"))
		changed |= merge_items(arr_at(out, "subjects"),
				       cJSON_GetObjectItemCaseSensitive(
					       expected, "subjects"), false);
	if (!changed) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}
