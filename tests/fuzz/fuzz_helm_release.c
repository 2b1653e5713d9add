/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_helm_release: a helm release Secret's data.release (base64 of
 * base64 of gzip of JSON).  Any input decodes to a JSON object or fails
 * with ERR_PARSE; a decoded release renders its values, manifest and
 * notes, and a Secret carrying the input lists as one release line.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "tui/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void as_secret(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	cJSON *list = cJSON_CreateArray(), *sec = cJSON_CreateObject();
	cJSON *md = cJSON_AddObjectToObject(sec, "metadata");
	cJSON *lab = cJSON_AddObjectToObject(md, "labels");
	struct vec lines = VEC_INIT;

	cJSON_AddStringToObject(sec, "type", "helm.sh/release.v1");
	cJSON_AddStringToObject(md, "name", "sh.helm.release.v1.f.v1");
	cJSON_AddStringToObject(md, "namespace", "d");
	cJSON_AddStringToObject(lab, "name", "f");
	cJSON_AddStringToObject(lab, "version", "1");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(sec, "data"), "release", s);
	cJSON_AddItemToArray(list, sec);
	helm_build(list, NULL, NULL, &lines);
	if (lines.len != 1)
		abort();
	vec_free(&lines, ui_line_free);
	cJSON_Delete(list);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char parts[] = { 'v', 'm', 'n' };
	cJSON *rel = NULL;
	struct err e;

	if (helm_release_decode((const char *)data, size, &rel, &e) < 0) {
		if (e.code != ERR_PARSE)
			abort();
	} else {
		if (!cJSON_IsObject(rel))
			abort();
		for (size_t i = 0; i < sizeof(parts); i++)
			free(helm_section(rel, parts[i]));
		cJSON_Delete(rel);
	}
	if (size < 65536)
		as_secret(data, size);
	return 0;
}
