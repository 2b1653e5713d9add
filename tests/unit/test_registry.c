/* SPDX-License-Identifier: Apache-2.0 */
/* registry: lookups, scopes, short names, versions, table invariants. */
#include "config.h"

#include <string.h>

#include "../tap.h"
#include "cluster/registry.h"

static const struct {
	const char *group, *version, *plural, *kind, *shorts;
	bool namespaced;
} cases[] = {
	{ "", "v1", "pods", "Pod", "po", true },
	{ "", "v1", "namespaces", "Namespace", "ns", false },
	{ "", "v1", "services", "Service", "svc", true },
	{ "", "v1", "configmaps", "ConfigMap", "cm", true },
	{ "apps", "v1", "deployments", "Deployment", "deploy", true },
	{ "apps", "v1", "statefulsets", "StatefulSet", "sts", true },
	{ "batch", "v1", "cronjobs", "CronJob", "cj", true },
	{ "autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "hpa", true },
	{ "autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "hpa", true },
	{ "networking.k8s.io", "v1", "ingresses", "Ingress", "ing", true },
	{ "rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", NULL, false },
	{ "storage.k8s.io", "v1", "storageclasses", "StorageClass", "sc", false },
	{ "apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", "crd,crds", false },
	{ "policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", "pdb", true },
};

static void test_lookup(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct reg_kind *k = reg_find(cases[i].group, cases[i].version, cases[i].plural);

		if (!ok(k != NULL, "find %s/%s", cases[i].group, cases[i].plural))
			continue;
		is_str(k->kind, cases[i].kind, "%s kind", cases[i].plural);
		is_int(reg_namespaced(k), cases[i].namespaced, "%s scope", cases[i].plural);
		is_str(k->short_names, cases[i].shorts, "%s short names", cases[i].plural);
	}
	ok(reg_find("", "v1", "nope") == NULL, "unknown resource");
	ok(reg_find("apps", "v2", "deployments") == NULL, "unknown version");
	ok(reg_find("", "v1", "deployments") == NULL, "wrong group");
}

static void test_table_invariants(void)
{
	size_t n, bad = 0, cat = 0;
	const struct reg_kind *ks = reg_kinds(&n);

	ok(n >= 55, "at least 55 rows (%zu)", n);
	for (size_t i = 0; i < n; i++) {
		const struct reg_kind *k = &ks[i];

		if (!k->plural[0] || !k->singular[0] || !k->kind[0] || !k->verbs)
			bad++;
		if ((k->flags & REG_SUB_SCALE) && !(k->flags & REG_NAMESPACED))
			bad++;
		if ((k->flags & REG_VIRTUAL) && k->verbs != REG_CREATE)
			bad++;
		if (k->flags & REG_CAT_ALL)
			cat++;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(ks[j].group, k->group) && !strcmp(ks[j].version, k->version) &&
			    !strcmp(ks[j].plural, k->plural))
				bad++;
	}
	is_int((long long)bad, 0, "rows are complete and unique");
	is_int((long long)cat, 11, "category all: the 10 kinds of get all + hpa v1");
}

static void test_versions(void)
{
	const char *v[4];
	char buf[64];

	is_int((long long)reg_group_versions("autoscaling", v, 4), 2, "autoscaling has 2 versions");
	is_str(v[0], "v2", "v2 preferred");
	is_str(v[1], "v1", "then v1");
	is_int((long long)reg_group_versions("nope", v, 4), 0, "unknown group");
	is_str(reg_api_version(reg_find("", "v1", "pods"), buf, sizeof(buf)), "v1", "core apiVersion");
	is_str(reg_api_version(reg_find("apps", "v1", "deployments"), buf, sizeof(buf)), "apps/v1", "apps apiVersion");
	is_str(reg_store_group(reg_find("events.k8s.io", "v1", "events")), "", "events.k8s.io stored with core events");
	ok(reg_find_kind("autoscaling", "HorizontalPodAutoscaler") ==
	   reg_find("autoscaling", "v2", "horizontalpodautoscalers"), "find_kind gives the preferred row");
	ok(reg_find_kind("apps", "Pod") == NULL, "find_kind: kind not in group");
}

int main(void)
{
	test_lookup();
	test_table_invariants();
	test_versions();
	return tap_done();
}
