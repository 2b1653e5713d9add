/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_quota_scope: ResourceQuota scopes and scopeSelector against pods
 * (quota_scopes_match), table driven.
 */
#include "config.h"

#include "cluster/quota.h"
#include "common/json.h"
#include "tests/tap.h"

#define SEL(x) "{\"spec\":{\"hard\":{\"pods\":\"1\"},\"scopeSelector\":{\"matchExpressions\":[" x "]}}}"

static const struct {
	const char *name, *quota, *pod;
	bool want;
} cases[] = {
	{ "no scopes", "{\"spec\":{}}", "{}", true },
	{ "class In: yes", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\",\"mid\"]}"),
	  "{\"spec\":{\"priorityClassName\":\"high\"}}", true },
	{ "class In: other", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}"),
	  "{\"spec\":{\"priorityClassName\":\"low\"}}", false },
	{ "class In: none", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}"),
	  "{\"spec\":{}}", false },
	{ "class NotIn: none", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"NotIn\",\"values\":[\"high\"]}"),
	  "{\"spec\":{}}", true },
	{ "class NotIn: listed", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"NotIn\",\"values\":[\"high\"]}"),
	  "{\"spec\":{\"priorityClassName\":\"high\"}}", false },
	{ "class Exists", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"priorityClassName\":\"x\"}}", true },
	{ "class Exists: none", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{}}", false },
	{ "class DoesNotExist never", SEL("{\"scopeName\":\"PriorityClass\",\"operator\":\"DoesNotExist\"}"),
	  "{\"spec\":{}}", false },
	{ "Terminating", SEL("{\"scopeName\":\"Terminating\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"activeDeadlineSeconds\":30}}", true },
	{ "NotTerminating", SEL("{\"scopeName\":\"NotTerminating\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"activeDeadlineSeconds\":30}}", false },
	{ "BestEffort", SEL("{\"scopeName\":\"BestEffort\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"containers\":[{\"name\":\"c\"}]}}", true },
	{ "NotBestEffort", SEL("{\"scopeName\":\"NotBestEffort\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}", true },
	{ "AND of two", SEL("{\"scopeName\":\"NotBestEffort\",\"operator\":\"Exists\"},"
			    "{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}"),
	  "{\"spec\":{\"priorityClassName\":\"high\",\"containers\":[{\"name\":\"c\"}]}}", false },
	{ "scopes and selector", "{\"spec\":{\"scopes\":[\"NotTerminating\"],\"scopeSelector\":{\"matchExpressions\":"
	  "[{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}]}}}",
	  "{\"spec\":{\"priorityClassName\":\"high\"}}", true },
	{ "CrossNamespacePodAffinity", SEL("{\"scopeName\":\"CrossNamespacePodAffinity\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"affinity\":{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
	  "[{\"topologyKey\":\"k\",\"namespaceSelector\":{}}]}}}}", true },
	{ "CrossNamespacePodAffinity: same ns", SEL("{\"scopeName\":\"CrossNamespacePodAffinity\",\"operator\":\"Exists\"}"),
	  "{\"spec\":{\"affinity\":{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
	  "[{\"topologyKey\":\"k\"}]}}}}", false },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *q = cJSON_Parse(cases[i].quota), *p = cJSON_Parse(cases[i].pod);

		ok(q && p, "%s: parses", cases[i].name);
		is_int(quota_scopes_match(q, "pods", p), cases[i].want, "%s", cases[i].name);
		cJSON_Delete(q);
		cJSON_Delete(p);
	}
	{
		cJSON *q = cJSON_Parse(SEL("{\"scopeName\":\"BestEffort\",\"operator\":\"Exists\"}"));

		is_int(quota_scopes_match(q, "services", NULL), 0, "a scoped quota matches only pods");
		cJSON_Delete(q);
	}
	return tap_done();
}
