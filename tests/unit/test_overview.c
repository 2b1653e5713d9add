/* SPDX-License-Identifier: Apache-2.0 */
/*
 * overview: summary and problem lines built from parsed objects (no
 * terminal, no source): pod phases, restarts and not-ready pods,
 * workloads short of ready replicas, failed jobs, services without
 * endpoints, pending PVCs, NotReady and cordoned nodes, the last Warning
 * events newest first, list errors, and what Enter opens.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "tests/tap.h"
#include "tui/tui.h"

static const char objs_json[] =
	"{\"pods\":["
	" {\"metadata\":{\"name\":\"ok\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Running\","
	"  \"containerStatuses\":[{\"ready\":true,\"restartCount\":2}]}},"
	" {\"metadata\":{\"name\":\"crash\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Running\","
	"  \"containerStatuses\":[{\"ready\":false,\"restartCount\":5,"
	"   \"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}},"
	" {\"metadata\":{\"name\":\"wait\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Pending\"}},"
	" {\"metadata\":{\"name\":\"bad\",\"namespace\":\"e\"},\"status\":{\"phase\":\"Failed\"}},"
	" {\"metadata\":{\"name\":\"done\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Succeeded\","
	"  \"containerStatuses\":[{\"ready\":false,\"restartCount\":0}]}}],"
	"\"deployments\":["
	" {\"metadata\":{\"name\":\"web\",\"namespace\":\"d\"},\"spec\":{\"replicas\":3},"
	"  \"status\":{\"readyReplicas\":1}},"
	" {\"metadata\":{\"name\":\"api\",\"namespace\":\"d\"},\"spec\":{\"replicas\":2},"
	"  \"status\":{\"readyReplicas\":2}}],"
	"\"statefulsets\":[],"
	"\"daemonsets\":[{\"metadata\":{\"name\":\"agent\",\"namespace\":\"d\"},"
	"  \"status\":{\"numberReady\":1,\"desiredNumberScheduled\":1}}],"
	"\"jobs\":["
	" {\"metadata\":{\"name\":\"j1\",\"namespace\":\"d\"},\"status\":{\"active\":1}},"
	" {\"metadata\":{\"name\":\"j2\",\"namespace\":\"d\"},\"status\":{\"failed\":4,"
	"  \"conditions\":[{\"type\":\"Failed\",\"status\":\"True\"}]}},"
	" {\"metadata\":{\"name\":\"j3\",\"namespace\":\"d\"},\"status\":{\"succeeded\":1}}],"
	"\"services\":["
	" {\"metadata\":{\"name\":\"web\",\"namespace\":\"d\"},\"spec\":{\"selector\":{\"app\":\"web\"}}},"
	" {\"metadata\":{\"name\":\"lonely\",\"namespace\":\"d\"},\"spec\":{\"selector\":{\"app\":\"x\"}}},"
	" {\"metadata\":{\"name\":\"manual\",\"namespace\":\"d\"},\"spec\":{}}],"
	"\"endpointslices\":[{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"d\","
	"  \"labels\":{\"kubernetes.io/service-name\":\"web\"}},"
	"  \"endpoints\":[{\"addresses\":[\"10.0.0.1\"]}]},"
	" {\"metadata\":{\"name\":\"lonely-1\",\"namespace\":\"d\","
	"  \"labels\":{\"kubernetes.io/service-name\":\"lonely\"}},\"endpoints\":[]}],"
	"\"persistentvolumeclaims\":["
	" {\"metadata\":{\"name\":\"data\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Pending\"}},"
	" {\"metadata\":{\"name\":\"logs\",\"namespace\":\"d\"},\"status\":{\"phase\":\"Bound\"}}],"
	"\"nodes\":["
	" {\"metadata\":{\"name\":\"n1\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
	" {\"metadata\":{\"name\":\"n2\"},\"spec\":{\"unschedulable\":true},"
	"  \"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}},"
	" {\"metadata\":{\"name\":\"n3\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}],"
	"\"events\":["
	" {\"metadata\":{\"name\":\"e-old\",\"namespace\":\"d\"},\"type\":\"Warning\",\"reason\":\"Old\","
	"  \"lastTimestamp\":\"2026-01-01T00:00:00Z\",\"message\":\"old\","
	"  \"involvedObject\":{\"kind\":\"Pod\",\"name\":\"crash\"}},"
	" {\"metadata\":{\"name\":\"e-new\",\"namespace\":\"d\"},\"type\":\"Warning\",\"reason\":\"BackOff\","
	"  \"lastTimestamp\":\"2026-02-01T00:00:00Z\",\"message\":\"Back-off restarting\","
	"  \"involvedObject\":{\"kind\":\"Pod\",\"name\":\"crash\"}},"
	" {\"metadata\":{\"name\":\"e-norm\",\"namespace\":\"d\"},\"type\":\"Normal\",\"reason\":\"Pulled\","
	"  \"lastTimestamp\":\"2026-03-01T00:00:00Z\",\"message\":\"fine\","
	"  \"involvedObject\":{\"kind\":\"Pod\",\"name\":\"ok\"}}]}";

/* The index of the first line containing s, or -1. */
static long find(const struct vec *lines, const char *s)
{
	for (size_t i = 0; i < lines->len; i++)
		if (strstr(((struct ui_line *)lines->items[i])->text, s))
			return (long)i;
	return -1;
}

static const struct ui_line *at(const struct vec *lines, const char *s)
{
	long i = find(lines, s);

	return i < 0 ? NULL : lines->items[i];
}

static const struct {
	const char *text;	/* a line containing this */
	int style;
	const char *plural, *arg;	/* what Enter opens */
} want[] = {
	{ "Pods            5: 2 Running, 1 Pending, 1 Failed, 1 Succeeded; 7 restarts, 1 not ready",
	  TS_STATUS_WARN, "pods", NULL },
	{ "! d/crash", TS_STATUS_WARN, "pods", "crash" },
	{ "Running (CrashLoopBackOff)", TS_STATUS_WARN, "pods", "crash" },
	{ "! d/wait", TS_STATUS_WARN, "pods", "wait" },
	{ "! e/bad", TS_STATUS_WARN, "pods", "bad" },
	{ "Deployments     2: 1 ready, 1 unavailable", TS_STATUS_WARN, "deployments", NULL },
	{ "ready 1/3", TS_STATUS_WARN, "deployments", "web" },
	{ "StatefulSets    0: 0 ready, 0 unavailable", TS_STATUS_OK, "statefulsets", NULL },
	{ "DaemonSets      1: 1 ready, 0 unavailable", TS_STATUS_OK, "daemonsets", NULL },
	{ "Jobs            3: 1 active, 1 failed, 1 complete", TS_STATUS_WARN, "jobs", NULL },
	{ "! d/j2", TS_STATUS_WARN, "jobs", "j2" },
	{ "Services        3: 1 without endpoints", TS_STATUS_WARN, "services", NULL },
	{ "no endpoints", TS_STATUS_WARN, "services", "lonely" },
	{ "PVCs            2: 1 Pending", TS_STATUS_WARN, "persistentvolumeclaims", NULL },
	{ "! d/data", TS_STATUS_WARN, "persistentvolumeclaims", "data" },
	{ "Nodes           3: 2 Ready, 1 NotReady, 1 cordoned", TS_STATUS_BAD, "nodes", NULL },
	{ "n2", TS_STATUS_WARN, "nodes", "n2" },
	{ "Warning events  2", TS_STATUS_WARN, "events", "Warning" },
	{ "Back-off restarting", TS_STATUS_WARN, "events", "crash" },
};

static void all_namespaces(void)
{
	cJSON *objs = cJSON_Parse(objs_json);
	struct vec lines = VEC_INIT;

	overview_build(objs, NULL, "", &lines);
	ok(find(&lines, "Overview of all namespaces") == 0, "heading first");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ui_line *l = at(&lines, want[i].text);

		if (!ok(l != NULL, "line \"%s\"", want[i].text))
			continue;
		is_int(l->style, want[i].style, "%s: style", want[i].text);
		is_str(l->plural, want[i].plural, "%s: opens", want[i].text);
		if (want[i].arg)
			is_str(l->arg, want[i].arg, "%s: filter", want[i].text);
		else
			ok(l->arg == NULL, "%s: no filter", want[i].text);
	}
	ok(find(&lines, "! d/ok ") < 0 && find(&lines, "! d/done") < 0, "healthy pods not listed");
	ok(find(&lines, "api") < 0 && find(&lines, "manual") < 0,
	   "ready workloads and selector-less services not listed");
	ok(find(&lines, "n3") > 0 && strstr(((struct ui_line *)lines.items[find(&lines, "n3")])->text,
					   "NotReady"), "n3 NotReady");
	ok(find(&lines, "BackOff") < find(&lines, "Old"), "events newest first");
	ok(find(&lines, "Pulled") < 0, "Normal events left out");
	ok(find(&lines, "Nodes") < find(&lines, "Pods"), "nodes first");
	vec_free(&lines, ui_line_free);
	cJSON_Delete(objs);
}

static void one_namespace_and_errors(void)
{
	cJSON *objs = cJSON_Parse("{\"pods\":[{\"metadata\":{\"name\":\"x\",\"namespace\":\"d\"},"
				  "\"status\":{\"phase\":\"Failed\"}}]}");
	cJSON *errs = cJSON_Parse("{\"nodes\":\"Forbidden: nodes is forbidden\"}");
	struct vec lines = VEC_INIT;
	struct buf b = BUF_INIT;

	overview_build(objs, errs, "d", &lines);
	for (size_t i = 0; i < lines.len; i++)
		buf_printf(&b, "%s\n", ((struct ui_line *)lines.items[i])->text);
	ok(strstr(buf_cstr(&b), "Overview of namespace d") != NULL, "heading names the namespace");
	ok(strstr(buf_cstr(&b), "! x ") != NULL, "names without namespace in one namespace");
	ok(at(&lines, "nodes: Forbidden") && at(&lines, "nodes: Forbidden")->style == TS_ERROR,
	   "a failed list is an error line");
	ok(!strstr(buf_cstr(&b), "Deployments") && !strstr(buf_cstr(&b), "Warning events"),
	   "kinds not listed are left out: %s", buf_cstr(&b));
	buf_free(&b);
	vec_free(&lines, ui_line_free);
	cJSON_Delete(objs);
	cJSON_Delete(errs);
}

static void many_problems(void)
{
	cJSON *objs = cJSON_Parse("{\"pods\":[]}");
	cJSON *pods = cJSON_GetObjectItem(objs, "pods");
	struct vec lines = VEC_INIT;
	size_t bad = 0;

	for (int i = 0; i < 20; i++) {
		char j[160];

		snprintf(j, sizeof(j), "{\"metadata\":{\"name\":\"p%d\",\"namespace\":\"d\"},"
			 "\"status\":{\"phase\":\"Pending\"}}", i);
		cJSON_AddItemToArray(pods, cJSON_Parse(j));
	}
	overview_build(objs, NULL, "d", &lines);
	for (size_t i = 0; i < lines.len; i++)
		bad += strstr(((struct ui_line *)lines.items[i])->text, "! p") != NULL;
	is_int((long long)bad, 8, "at most 8 problem objects per kind");
	ok(find(&lines, "...") > 0, "then an ellipsis");
	vec_free(&lines, ui_line_free);
	cJSON_Delete(objs);
}

int main(void)
{
	all_namespaces();
	one_namespace_and_errors();
	many_problems();
	return tap_done();
}
