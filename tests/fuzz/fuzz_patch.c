/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the three patch engines: the input is "document\npatch" (two JSON
 * texts separated by the first newline).  Each engine must either fail
 * cleanly or return a document, and never touch its input.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/patch.h"
#include "common/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	cJSON *doc, *patch;
	struct err e;
	char *before;

	if (!nl)
		return 0;
	doc = json_parse(s, (size_t)(nl - s), &e);
	patch = json_parse(nl + 1, size - (size_t)(nl - s) - 1, &e);
	if (doc && patch) {
		before = json_canonical(doc);
		cJSON_Delete(patch_json(doc, patch, &e));
		cJSON_Delete(patch_merge(doc, patch, &e));
		cJSON_Delete(patch_strategic(doc, patch, &e));
		char *after = json_canonical(doc);
		if (strcmp(before, after))
			abort();
		free(after);
		free(before);
	}
	cJSON_Delete(doc);
	cJSON_Delete(patch);
	return 0;
}
