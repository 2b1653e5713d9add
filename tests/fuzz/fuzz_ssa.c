/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ssa: managedFields bookkeeping (api_ssa.c) on arbitrary objects.
 * Input: a JSON array [old, applied, updated]; old may be null (create).
 * The applied configuration is applied by "fuzz-a" (without, then with
 * force), then "fuzz-u" records a plain update to `updated`.  Must never
 * crash, hang or leak whatever managedFields the old object carries.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cluster/api_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *in = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *old = cJSON_GetArrayItem(in, 0);
	const cJSON *applied = cJSON_GetArrayItem(in, 1);
	const cJSON *upd = cJSON_GetArrayItem(in, 2);
	cJSON *nw = NULL, *nw2 = NULL;
	struct err e;

	if (!cJSON_IsArray(in) || !cJSON_IsObject(applied))
		goto out;
	if (!cJSON_IsObject(old))
		old = NULL;
	nw = cJSON_Duplicate(old ? old : applied, 1);
	err_clear(&e);
	if (api_ssa_apply(nw, old, applied, "fuzz-a", false, &e) < 0) {
		err_clear(&e);
		api_ssa_apply(nw, old, applied, "fuzz-a", true, &e);
	}
	if (cJSON_IsObject(upd)) {
		nw2 = cJSON_Duplicate(upd, 1);
		api_ssa_update(nw2, nw, "fuzz-u");
	}
out:
	cJSON_Delete(nw);
	cJSON_Delete(nw2);
	cJSON_Delete(in);
	return 0;
}
