/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_limitrange_valid: ValidateLimitRange (limitrange_valid.c), table
 * driven: each LimitRange's causes (count, first field, first message).
 */
#include "config.h"

#include <string.h>

#include "cluster/quota.h"
#include "common/json.h"
#include "tests/tap.h"

static const struct {
	const char *name, *json;
	int causes;
	const char *field, *msg;
} cases[] = {
	{ "valid", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"100m\"},"
	  "\"defaultRequest\":{\"cpu\":\"200m\"},\"default\":{\"cpu\":\"500m\"},\"max\":{\"cpu\":\"1\"},"
	  "\"maxLimitRequestRatio\":{\"cpu\":\"4\"}}]}}", 0, NULL, NULL },
	{ "min > max", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"2\"},\"max\":{\"cpu\":\"1\"}}]}}",
	  1, "spec.limits[0].min[cpu]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:2, scale:0}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"2\", Format:\"DecimalSI\"}: "
	  "min value 2 is greater than max value 1" },
	{ "min > defaultRequest", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"memory\":\"2Gi\"},"
	  "\"defaultRequest\":{\"memory\":\"1Gi\"}}]}}", 1, "spec.limits[0].defaultRequest[memory]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1Gi\", Format:\"BinarySI\"}: "
	  "min value 2Gi is greater than default request value 1Gi" },
	{ "defaultRequest > default", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"200m\"},"
	  "\"defaultRequest\":{\"cpu\":\"400m\"}}]}}", 1, "spec.limits[0].defaultRequest[cpu]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:400, scale:-3}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"400m\", Format:\"DecimalSI\"}: "
	  "default request value 400m is greater than default limit value 200m" },
	{ "default > max", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"default\":{\"cpu\":\"2\"},"
	  "\"max\":{\"cpu\":\"1\"}}]}}", 1, "spec.limits[0].default[cpu]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:1, scale:0}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1\", Format:\"DecimalSI\"}: "
	  "default value 2 is greater than max value 1" },
	{ "ratio < 1", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"maxLimitRequestRatio\":{\"cpu\":\"500m\"}}]}}",
	  1, "spec.limits[0].maxLimitRequestRatio[cpu]", NULL },
	{ "ratio > max/min", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"1\"},\"max\":{\"cpu\":\"2\"},"
	  "\"maxLimitRequestRatio\":{\"cpu\":\"3\"}}]}}", 1, "spec.limits[0].maxLimitRequestRatio[cpu]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:3, scale:0}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"3\", Format:\"DecimalSI\"}: "
	  "ratio 3 is greater than max/min = 2.000000" },
	{ "pod default", "{\"spec\":{\"limits\":[{\"type\":\"Pod\",\"default\":{\"cpu\":\"1\"}}]}}",
	  1, "spec.limits[0].default", "Forbidden: may not be specified when `type` is 'Pod'" },
	{ "pvc without storage", "{\"spec\":{\"limits\":[{\"type\":\"PersistentVolumeClaim\",\"max\":{\"cpu\":\"1\"}}]}}",
	  1, "spec.limits[0].limits", NULL },
	{ "duplicate type", "{\"spec\":{\"limits\":[{\"type\":\"Container\"},{\"type\":\"Container\"}]}}",
	  1, "spec.limits[1].type", "Duplicate value: \"Container\"" },
	{ "unknown type", "{\"spec\":{\"limits\":[{\"type\":\"Node\"}]}}",
	  1, "spec.limits[0].type", "Invalid value: \"Node\": must be a standard limit type or fully qualified" },
	{ "extended: default != defaultRequest", "{\"spec\":{\"limits\":[{\"type\":\"Container\","
	  "\"default\":{\"nvidia.com/gpu\":\"2\"},\"defaultRequest\":{\"nvidia.com/gpu\":\"1\"}}]}}",
	  1, "spec.limits[0].defaultRequest[nvidia.com/gpu]", NULL },
	{ "non-canonical text: no cached s", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"2000m\"},"
	  "\"max\":{\"cpu\":\"1\"}}]}}", 1, "spec.limits[0].min[cpu]",
	  "Invalid value: resource.Quantity{i:resource.int64Amount{value:2000, scale:-3}, "
	  "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"\", Format:\"DecimalSI\"}: "
	  "min value 2 is greater than max value 1" },
	{ "two errors", "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"min\":{\"cpu\":\"2\"},\"max\":{\"cpu\":\"1\"},"
	  "\"default\":{\"cpu\":\"3\"}}]}}", 2, "spec.limits[0].min[cpu]", NULL },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *lr = cJSON_Parse(cases[i].json);
		struct err e;

		err_clear(&e);
		limitrange_validate(lr, &e);
		is_int((long long)e.ncauses, cases[i].causes, "%s: causes", cases[i].name);
		if (cases[i].field && e.ncauses)
			is_str(e.causes[0].field, cases[i].field, "%s: field", cases[i].name);
		if (cases[i].msg && e.ncauses)
			is_str(e.causes[0].message, cases[i].msg, "%s: message", cases[i].name);
		cJSON_Delete(lr);
	}
	limitrange_validate(NULL, NULL);
	ok(1, "NULL LimitRange is fine");
	return tap_done();
}
