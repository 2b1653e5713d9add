/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_job_policy: the Job controller's parsers of user text.  The first
 * byte picks the target: even, an index set ("1,3-5") for completions
 * 1..64, which must survive jobidx_format -> jobidx_parse unchanged;
 * odd, a JSON document {"policy":..., "pod":..., "success":...} for
 * jobpol_match and jobpol_success, whose messages must be well formed.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cluster/ctrl_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void index_sets(const char *text, int64_t n)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 };
	char *out;

	jobidx_parse(text, a, n);
	out = jobidx_format(a, n);
	jobidx_parse(out, b, n);
	if (memcmp(a, b, sizeof(a)) || jobidx_count(a, n) != jobidx_count(b, n))
		abort();
	free(out);
}

static void policies(const char *text)
{
	cJSON *doc = cJSON_Parse(text);
	unsigned char done[16] = { 0 };
	char *msg = NULL;

	if (!doc)
		return;
	if (jobpol_match(cJSON_GetObjectItem(doc, "policy"),
			 cJSON_GetObjectItem(doc, "pod"), &msg) == JOBPOL_FAIL_JOB &&
	    (!msg || !strstr(msg, "matching FailJob rule at index")))
		abort();
	free(msg);
	msg = NULL;
	done[3] = done[7] = 1;
	if (jobpol_success(cJSON_GetObjectItem(doc, "success"), done, 16, &msg) &&
	    (!msg || strncmp(msg, "Matched rules at index ", 23)))
		abort();
	free(msg);
	(void)jobpol_restarts(cJSON_GetObjectItem(doc, "pod"));
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] % 2 == 0)
		index_sets(s, 1 + data[0] / 2 % 64);
	else
		policies(s);
	free(s);
	return 0;
}
