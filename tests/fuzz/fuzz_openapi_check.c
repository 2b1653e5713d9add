/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_openapi_check: arbitrary JSON through the unknown-field walk
 * (openapi_unknown_fields) of kinds from both tables: the modelled types
 * of openapi_types.c and the protobuf tables of pb_schema_*.c.  The first
 * input byte picks the kind; the rest is the object.  Reported once
 * without and once with dropping; after dropping a second walk must
 * find nothing.  The type check (openapi_type_error) walks it too.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cluster/openapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *group, *version, *kind;
} kinds[] = {
	{ "apps", "v1", "Deployment" }, { "", "v1", "Pod" },
	{ "", "v1", "ConfigMap" }, { "batch", "v1", "CronJob" },
	{ "networking.k8s.io", "v1", "NetworkPolicy" },
	{ "storage.k8s.io", "v1", "StorageClass" },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler" },
	{ "admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t k;
	cJSON *obj;
	char *a, *b;

	if (size < 1)
		return 0;
	k = data[0] % (sizeof(kinds) / sizeof(kinds[0]));
	obj = cJSON_ParseWithLength((const char *)data + 1, size - 1);
	if (!obj)
		return 0;
	free(openapi_type_error(kinds[k].group, kinds[k].version, kinds[k].kind, obj));
	free(openapi_unknown_fields(kinds[k].group, kinds[k].version, kinds[k].kind, obj, false));
	a = openapi_unknown_fields(kinds[k].group, kinds[k].version, kinds[k].kind, obj, true);
	b = openapi_unknown_fields(kinds[k].group, kinds[k].version, kinds[k].kind, obj, false);
	if (b)
		abort();	/* dropping left an unknown field behind */
	free(a);
	cJSON_Delete(obj);
	return 0;
}
