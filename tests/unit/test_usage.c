/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The header's CPU/MEM text (usage_text: nodes with metrics only, units,
 * nothing without figures) and the log view's targets (every container
 * of a pod, init ones first; the pods a workload's selector picks, with
 * matchLabels and matchExpressions, whole pods only under the cap).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tests/tap.h"
#include "tui/tui.h"

static const char nodes_json[] = "["
	"{\"metadata\":{\"name\":\"n1\"},\"status\":{\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\"}}},"
	"{\"metadata\":{\"name\":\"n2\"},\"status\":{\"allocatable\":{\"cpu\":\"3900m\",\"memory\":\"8Gi\"}}},"
	"{\"metadata\":{\"name\":\"sim\"},\"status\":{\"allocatable\":{\"cpu\":\"100\",\"memory\":\"1Ti\"}}}]";

static void test_usage(void)
{
	static const struct {
		const char *metrics, *want;
	} cases[] = {
		{ "[{\"metadata\":{\"name\":\"n1\"},\"usage\":{\"cpu\":\"250m\",\"memory\":\"1Gi\"}},"
		  " {\"metadata\":{\"name\":\"n2\"},\"usage\":{\"cpu\":\"1950000000n\",\"memory\":\"3Gi\"}}]",
		  "CPU: 27% (2.2/7.9)  MEM: 25% (4Gi/16Gi)" },
		{ "[{\"metadata\":{\"name\":\"n1\"},\"usage\":{\"cpu\":\"400m\",\"memory\":\"512Mi\"}}]",
		  "CPU: 10% (400m/4)  MEM: 6% (512Mi/8Gi)" },
		{ "[]", NULL },
		{ "[{\"metadata\":{\"name\":\"gone\"},\"usage\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}]", NULL },
		{ "[{\"metadata\":{\"name\":\"n1\"},\"usage\":{\"cpu\":\"bad\",\"memory\":\"1Gi\"}}]", NULL },
	};
	cJSON *nodes = cJSON_Parse(nodes_json), *n;
	struct vec v = VEC_INIT;

	cJSON_ArrayForEach(n, nodes)
		vec_push(&v, n);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *m = cJSON_Parse(cases[i].metrics);
		char buf[128] = "";
		int rc = usage_text(m, &v, buf, sizeof(buf));

		if (cases[i].want)
			is_str(rc == 0 ? buf : NULL, cases[i].want, "usage case %zu", i);
		else
			is_int(rc, -1, "usage case %zu: nothing to show", i);
		cJSON_Delete(m);
	}
	vec_free(&v, NULL);
	cJSON_Delete(nodes);
}

#define POD(name, app, tier, ctrs) \
	"{\"metadata\":{\"name\":\"" name "\",\"labels\":{\"app\":\"" app "\",\"tier\":\"" tier "\"}}," \
	"\"spec\":{" ctrs "}}"

static const char pods_json[] = "["
	POD("web-1", "web", "front", "\"initContainers\":[{\"name\":\"init\"}],\"containers\":[{\"name\":\"main\"},{\"name\":\"side\"}]") ","
	POD("web-2", "web", "back", "\"containers\":[{\"name\":\"main\"}]") ","
	POD("db-0", "db", "back", "\"containers\":[{\"name\":\"pg\"}]") "]";

static void test_targets(void)
{
	cJSON *pods = cJSON_Parse(pods_json);
	cJSON *labels = cJSON_Parse("{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}");
	cJSON *exprs = cJSON_Parse("{\"spec\":{\"selector\":{\"matchExpressions\":["
				   "{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"back\"]},"
				   "{\"key\":\"app\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}}}");
	cJSON *empty = cJSON_Parse("{\"spec\":{}}");
	struct log_target t[8];
	int more;
	size_t n;

	n = log_targets_pod(cJSON_GetArrayItem(pods, 0), t, 8);
	is_int((long long)n, 3, "a pod's containers, init included");
	is_str(t[0].container, "init", "init containers first");
	is_str(t[2].container, "side", "then the others");
	is_int((long long)log_targets_pod(cJSON_GetArrayItem(pods, 0), t, 2), 2, "capped");
	n = log_targets_workload(labels, pods, t, 8, &more);
	is_int((long long)n, 4, "matchLabels: both web pods' containers");
	ok(!more, "not truncated");
	is_str(t[3].pod, "web-2", "the second pod");
	n = log_targets_workload(exprs, pods, t, 8, &more);
	is_int((long long)n, 1, "matchExpressions In / NotIn");
	is_str(n ? t[0].pod : "", "db-0", "the db pod");
	n = log_targets_workload(labels, pods, t, 3, &more);
	ok(n == 3 && !strcmp(t[2].pod, "web-1") && more, "whole pods under the cap, truncation said");
	n = log_targets_workload(empty, pods, t, 8, &more);
	is_int((long long)n, 0, "no selector: nothing");
	cJSON_Delete(pods);
	cJSON_Delete(labels);
	cJSON_Delete(exprs);
	cJSON_Delete(empty);
}

int main(void)
{
	test_usage();
	test_targets();
	return tap_done();
}
