/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_json: json_parse on arbitrary bytes.  What parses must print,
 * re-parse to an equal value (unless it holds a number that JSON cannot
 * print, such as 1e999), and survive canonical printing and copying.  The
 * input, as a NUL-terminated string, is also tried as a path for
 * get/set/del.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_nonfinite(const cJSON *v)
{
	if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
		return 1;
	for (const cJSON *c = v->child; c; c = c->next)
		if (has_nonfinite(c))
			return 1;
	return 0;
}

static void try_paths(const uint8_t *data, size_t size, const cJSON *v)
{
	char *path = malloc(size + 1);
	cJSON *copy = json_dup(v);
	int64_t n;

	memcpy(path, data, size);
	path[size] = '\0';
	(void)json_get(v, path);
	(void)json_get_int(v, path, &n);
	(void)json_set_str(copy, path, "x");
	(void)json_get_str(copy, path);
	(void)json_del(copy, path);
	cJSON_Delete(copy);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	cJSON *v = json_parse((const char *)data, size, &e), *again;
	char *text, *canon;

	if (!v) {
		if (e.code != ERR_PARSE || !strstr(e.msg, "offset"))
			abort();
		return 0;
	}
	text = json_print(v);
	canon = json_canonical(v);
	again = json_parse(text, strlen(text), &e);
	if (!again)
		abort();
	if (!has_nonfinite(v) && !json_equal(v, again))
		abort();
	cJSON_Delete(again);
	again = json_parse(canon, strlen(canon), &e);
	if (!again || (!has_nonfinite(v) && !json_equal(v, again)))
		abort();
	try_paths(data, size, v);
	cJSON_Delete(again);
	free(text);
	free(canon);
	cJSON_Delete(v);
	return 0;
}
