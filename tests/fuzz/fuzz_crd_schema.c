/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_crd_schema: a JSON array [schema, object, "jsonpath"] through
 * pruning, defaulting and validation (crd_schema.h) and the printer
 * columns' JSONPath evaluation (crd.h).  Must never crash, hang or leak,
 * whatever the schema (deep nesting, odd types, bad patterns) or path.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cluster/crd.h"
#include "cluster/crd_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *in = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *schema = cJSON_GetArrayItem(in, 0);
	cJSON *obj = cJSON_Duplicate(cJSON_GetArrayItem(in, 1), 1);
	struct err e;

	if (cJSON_IsArray(in) && schema && obj) {
		err_clear(&e);
		crd_schema_check(schema, &e);
		free(crd_schema_prune(schema, obj, false));
		free(crd_schema_prune(schema, obj, true));
		crd_schema_default(schema, obj);
		err_clear(&e);
		crd_schema_validate(schema, obj, &e);
		if (cJSON_IsString(cJSON_GetArrayItem(in, 2)))
			crd_jsonpath(obj, cJSON_GetArrayItem(in, 2)->valuestring);
	}
	cJSON_Delete(obj);
	cJSON_Delete(in);
	return 0;
}
