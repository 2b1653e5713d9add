/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_yaml: kyaml_parse_stream on arbitrary bytes.  Every document that
 * parses must survive kyaml_emit, and the emitted text must parse back to
 * an equal value (the round-trip property of yaml.h); a mismatch aborts.
 * Errors must be ERR_PARSE with a "yaml: " message.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/vec.h"
#include "common/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void free_json(void *v)
{
	cJSON_Delete(v);
}

static void check_roundtrip(const cJSON *v)
{
	struct err e = {0};
	char *y = kyaml_emit(v);
	cJSON *back = kyaml_parse(y, strlen(y), &e);

	if (!back || !json_equal(v, back)) {
		char *j = json_print(v);

		fprintf(stderr,
			"round trip failed\njson: %s\nyaml:\n%s\nerror: %s\n",
			j, y, e.msg);
		abort();
	}
	cJSON_Delete(back);
	free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vec docs = VEC_INIT;
	struct err e = {0};
	int rc = kyaml_parse_stream((const char *)data, size, &docs, &e);

	if (rc < 0 && (e.code != ERR_PARSE || strncmp(e.msg, "yaml: ", 6)))
		abort();
	for (size_t i = 0; i < docs.len; i++)
		check_roundtrip(docs.items[i]);
	vec_free(&docs, free_json);
	cJSON_Delete(kyaml_parse((const char *)data, size, &e));
	return 0;
}
