/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_admit: arbitrary JSON objects through admission (defaults,
 * validation, Invalid message composition) and table printing for the
 * kinds with the most rules.  Must never crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "cluster/admit.h"
#include "cluster/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const plurals[][2] = {
		{ "", "pods" }, { "", "services" }, { "", "secrets" },
		{ "", "configmaps" }, { "", "namespaces" }, { "apps", "deployments" },
		{ "batch", "jobs" }, { "batch", "cronjobs" }, { "apps", "statefulsets" },
		{ "rbac.authorization.k8s.io", "roles" },
		{ "rbac.authorization.k8s.io", "clusterrolebindings" },
		{ "scheduling.k8s.io", "priorityclasses" },
		{ "networking.k8s.io", "ingresses" },
		{ "networking.k8s.io", "ingressclasses" },
	};
	cJSON *obj = cJSON_ParseWithLength((const char *)data, size);

	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		return 0;
	}
	for (size_t i = 0; i < sizeof(plurals) / sizeof(plurals[0]); i++) {
		const struct reg_kind *k = reg_find(plurals[i][0], "v1", plurals[i][1]);
		cJSON *c = cJSON_Duplicate(obj, 1), *old = cJSON_Duplicate(obj, 1);
		struct buf b = BUF_INIT;
		struct err e;

		admit_create(k, c, &e);
		admit_update(k, old, c, &e);
		table_cells(k->kind, c, 0, &b);
		buf_free(&b);
		cJSON_Delete(c);
		cJSON_Delete(old);
	}
	cJSON_Delete(obj);
	return 0;
}
