/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_conv: conversion between the served versions of one kind that
 * share a store, as kube-apiserver's conversion functions do it.
 *
 *  - HorizontalPodAutoscaler autoscaling/v1 <-> autoscaling/v2
 *    (pkg/apis/autoscaling/v1/conversion.go): the CPU utilization target
 *    is targetCPUUtilizationPercentage in v1 and a Resource metric in v2;
 *    what v1 cannot say travels in the autoscaling.alpha.kubernetes.io/
 *    metrics, current-metrics, conditions and behavior annotations (the
 *    behavior one with the internal type's capitalized field names).
 *  - Event v1 <-> events.k8s.io/v1 (pkg/apis/events/v1/conversion.go):
 *    message/note, involvedObject/regarding, source/deprecatedSource,
 *    first/lastTimestamp/deprecated*, count/deprecatedCount,
 *    reportingComponent/reportingController.
 *
 * Objects are stored in one version (autoscaling/v2, core v1 Event):
 * api_conv_to_storage before a write, api_set_type (api_obj.c) converts
 * on every read path (get, list, watch, the object a write returns).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "common/json.h"
#include "common/mem.h"

#define ANN_METRICS "autoscaling.alpha.kubernetes.io/metrics"
#define ANN_CURRENT "autoscaling.alpha.kubernetes.io/current-metrics"
#define ANN_CONDITIONS "autoscaling.alpha.kubernetes.io/conditions"
#define ANN_BEHAVIOR "autoscaling.alpha.kubernetes.io/behavior"

static bool is_hpa(const char *kind)
{
	return !strcmp(kind, "HorizontalPodAutoscaler");
}

bool api_conv_applies(const struct reg_kind *k)
{
	if (k->flags & REG_CUSTOM)
		return false;
	return (is_hpa(k->kind) && !strcmp(k->group, "autoscaling")) ||
	       (!strcmp(k->kind, "Event") &&
		(!k->group[0] || !strcmp(k->group, "events.k8s.io")));
}

/* Move the value at from to to (both paths in obj), when present. */
static void move(cJSON *obj, const char *from, const char *to)
{
	cJSON *v = json_get(obj, from);

	if (!v)
		return;
	json_set(obj, to, cJSON_Duplicate(v, true));
	json_del(obj, from);
}

/* --- Event --- */

static const char *const event_fields[][2] = {	/* core, events.k8s.io */
	{ "message", "note" },
	{ "involvedObject", "regarding" },
	{ "source", "deprecatedSource" },
	{ "firstTimestamp", "deprecatedFirstTimestamp" },
	{ "lastTimestamp", "deprecatedLastTimestamp" },
	{ "count", "deprecatedCount" },
	{ "reportingComponent", "reportingController" },
};

static void event_convert(cJSON *obj, bool to_events)
{
	for (size_t i = 0; i < sizeof(event_fields) / sizeof(event_fields[0]); i++)
		move(obj, event_fields[i][!to_events], event_fields[i][to_events]);
}

/* --- HPA metric specs: v2 <-> the v1 (v2beta1-shaped) annotation --- */

static void copy_key(const cJSON *from, const char *fk, cJSON *to, const char *tk)
{
	const cJSON *v = json_get(from, fk);

	if (v && !cJSON_IsNull(v))
		json_set(to, tk, cJSON_Duplicate(v, true));
}

/* One v2 MetricSpec as the v1 MetricSpec of the annotation. */
static cJSON *metric_to_v1(const cJSON *m)
{
	const char *type = json_get_str(m, "type") ?: "";
	cJSON *o = cJSON_CreateObject();

	json_set_str(o, "type", type);
	if (!strcmp(type, "Resource") || !strcmp(type, "ContainerResource")) {
		const char *k = type[0] == 'R' ? "resource" : "containerResource";
		char p[64];

		snprintf(p, sizeof(p), "%s.name", k);
		copy_key(m, p, o, p);
		snprintf(p, sizeof(p), "%s.container", k);
		copy_key(m, p, o, p);
		{
			char a[96], b[96];

			snprintf(a, sizeof(a), "%s.target.averageUtilization", k);
			snprintf(b, sizeof(b), "%s.targetAverageUtilization", k);
			copy_key(m, a, o, b);
			snprintf(a, sizeof(a), "%s.target.averageValue", k);
			snprintf(b, sizeof(b), "%s.targetAverageValue", k);
			copy_key(m, a, o, b);
		}
	} else if (!strcmp(type, "Pods")) {
		copy_key(m, "pods.metric.name", o, "pods.metricName");
		copy_key(m, "pods.metric.selector", o, "pods.selector");
		copy_key(m, "pods.target.averageValue", o, "pods.targetAverageValue");
	} else if (!strcmp(type, "Object")) {
		copy_key(m, "object.describedObject", o, "object.target");
		copy_key(m, "object.metric.name", o, "object.metricName");
		copy_key(m, "object.metric.selector", o, "object.selector");
		copy_key(m, "object.target.value", o, "object.targetValue");
		copy_key(m, "object.target.averageValue", o, "object.averageValue");
	} else if (!strcmp(type, "External")) {
		copy_key(m, "external.metric.name", o, "external.metricName");
		copy_key(m, "external.metric.selector", o, "external.metricSelector");
		copy_key(m, "external.target.value", o, "external.targetValue");
		copy_key(m, "external.target.averageValue", o, "external.targetAverageValue");
	}
	return o;
}

/* One v1 (annotation) MetricSpec as a v2 MetricSpec. */
static cJSON *metric_to_v2(const cJSON *m)
{
	const char *type = json_get_str(m, "type") ?: "";
	cJSON *o = cJSON_CreateObject();

	json_set_str(o, "type", type);
	if (!strcmp(type, "Resource") || !strcmp(type, "ContainerResource")) {
		const char *k = type[0] == 'R' ? "resource" : "containerResource";
		char a[96], b[96];

		snprintf(a, sizeof(a), "%s.name", k);
		copy_key(m, a, o, a);
		snprintf(a, sizeof(a), "%s.container", k);
		copy_key(m, a, o, a);
		snprintf(a, sizeof(a), "%s.targetAverageUtilization", k);
		snprintf(b, sizeof(b), "%s.target.type", k);
		json_set_str(o, b, json_get(m, a) ? "Utilization" : "AverageValue");
		snprintf(b, sizeof(b), "%s.target.averageUtilization", k);
		copy_key(m, a, o, b);
		snprintf(a, sizeof(a), "%s.targetAverageValue", k);
		snprintf(b, sizeof(b), "%s.target.averageValue", k);
		copy_key(m, a, o, b);
	} else if (!strcmp(type, "Pods")) {
		copy_key(m, "pods.metricName", o, "pods.metric.name");
		copy_key(m, "pods.selector", o, "pods.metric.selector");
		json_set_str(o, "pods.target.type", "AverageValue");
		copy_key(m, "pods.targetAverageValue", o, "pods.target.averageValue");
	} else if (!strcmp(type, "Object")) {
		copy_key(m, "object.target", o, "object.describedObject");
		copy_key(m, "object.metricName", o, "object.metric.name");
		copy_key(m, "object.selector", o, "object.metric.selector");
		json_set_str(o, "object.target.type", json_get(m, "object.averageValue") ? "AverageValue" : "Value");
		copy_key(m, "object.targetValue", o, "object.target.value");
		copy_key(m, "object.averageValue", o, "object.target.averageValue");
	} else if (!strcmp(type, "External")) {
		copy_key(m, "external.metricName", o, "external.metric.name");
		copy_key(m, "external.metricSelector", o, "external.metric.selector");
		json_set_str(o, "external.target.type",
			     json_get(m, "external.targetAverageValue") ? "AverageValue" : "Value");
		copy_key(m, "external.targetValue", o, "external.target.value");
		copy_key(m, "external.targetAverageValue", o, "external.target.averageValue");
	}
	return o;
}

/* Current metric statuses: v1 and v2 name the same fields differently
 * below the metric type's key (v2 current.{averageUtilization,...}). */
static const struct {
	const char *v1, *v2;
} status_fields[] = {
	{ "name", "name" },
	{ "container", "container" },
	{ "metricName", "metric.name" },
	{ "currentAverageUtilization", "current.averageUtilization" },
	{ "currentAverageValue", "current.averageValue" },
	{ "currentValue", "current.value" },
};

/* One current-metric status converted to v2 (to_v2) or to v1. */
static cJSON *status_convert(const cJSON *m, bool to_v2)
{
	const char *type = json_get_str(m, "type") ?: "";
	cJSON *o = cJSON_CreateObject();
	const char *k = !strcmp(type, "Resource") ? "resource" :
			!strcmp(type, "ContainerResource") ? "containerResource" :
			!strcmp(type, "Pods") ? "pods" : !strcmp(type, "Object") ? "object" : "external";
	char a[96], b[96];

	json_set_str(o, "type", type);
	for (size_t i = 0; i < sizeof(status_fields) / sizeof(status_fields[0]); i++) {
		snprintf(a, sizeof(a), "%s.%s", k, to_v2 ? status_fields[i].v1 : status_fields[i].v2);
		snprintf(b, sizeof(b), "%s.%s", k, to_v2 ? status_fields[i].v2 : status_fields[i].v1);
		copy_key(m, a, o, b);
	}
	return o;
}

/* Object keys with the first letter raised (up) or lowered, recursively. */
static cJSON *recase(const cJSON *v, bool up)
{
	cJSON *o, *it;

	if (cJSON_IsArray(v)) {
		o = cJSON_CreateArray();
		cJSON_ArrayForEach(it, v)
			cJSON_AddItemToArray(o, recase(it, up));
		return o;
	}
	if (!cJSON_IsObject(v))
		return cJSON_Duplicate(v, true);
	o = cJSON_CreateObject();
	cJSON_ArrayForEach(it, v) {
		char *k = xstrdup(it->string);

		k[0] = (char)(up ? toupper((unsigned char)k[0]) : tolower((unsigned char)k[0]));
		cJSON_AddItemToObject(o, k, recase(it, up));
		free(k);
	}
	return o;
}

static void set_annotation(cJSON *obj, const char *key, cJSON *val)
{
	cJSON *ann = json_obj_ensure(json_obj_ensure(obj, "metadata"), "annotations");
	char *s = cJSON_PrintUnformatted(val);

	cJSON_DeleteItemFromObjectCaseSensitive(ann, key);
	cJSON_AddStringToObject(ann, key, s);
	free(s);
	cJSON_Delete(val);
}

/* The annotation's JSON (removed from obj), or NULL. */
static cJSON *take_annotation(cJSON *obj, const char *key)
{
	cJSON *ann = json_get(obj, "metadata.annotations");
	cJSON *v = ann ? cJSON_GetObjectItemCaseSensitive(ann, key) : NULL;
	cJSON *out = NULL;

	if (!v)
		return NULL;
	if (cJSON_IsString(v))
		out = cJSON_Parse(v->valuestring);
	cJSON_DeleteItemFromObjectCaseSensitive(ann, key);
	if (!ann->child)
		json_del(obj, "metadata.annotations");
	return out;
}

static bool is_cpu_util(const cJSON *m)
{
	const char *t = json_get_str(m, "type"), *n = json_get_str(m, "resource.name");

	return t && !strcmp(t, "Resource") && n && !strcmp(n, "cpu") &&
	       json_get(m, "resource.target.averageUtilization");
}

static void hpa_spec_to_v1(cJSON *obj)
{
	cJSON *metrics = json_get(obj, "spec.metrics"), *others = cJSON_CreateArray(), *m;
	cJSON *behavior = json_get(obj, "spec.behavior");

	cJSON_ArrayForEach(m, metrics) {
		if (is_cpu_util(m) && !json_get(obj, "spec.targetCPUUtilizationPercentage"))
			json_set(obj, "spec.targetCPUUtilizationPercentage",
				 cJSON_Duplicate(json_get(m, "resource.target.averageUtilization"), true));
		else if (!is_cpu_util(m))
			cJSON_AddItemToArray(others, metric_to_v1(m));
	}
	if (cJSON_GetArraySize(others))
		set_annotation(obj, ANN_METRICS, others);
	else
		cJSON_Delete(others);
	if (cJSON_IsObject(behavior))
		set_annotation(obj, ANN_BEHAVIOR, recase(behavior, true));
	json_del(obj, "spec.metrics");
	json_del(obj, "spec.behavior");
}

static void hpa_status_to_v1(cJSON *obj)
{
	cJSON *cur = json_get(obj, "status.currentMetrics"), *conds = json_get(obj, "status.conditions");
	cJSON *list, *m;

	if (cJSON_GetArraySize(cur)) {
		list = cJSON_CreateArray();
		cJSON_ArrayForEach(m, cur) {
			if (!strcmp(json_get_str(m, "type") ?: "", "Resource") &&
			    !strcmp(json_get_str(m, "resource.name") ?: "", "cpu") &&
			    json_get(m, "resource.current.averageUtilization"))
				json_set(obj, "status.currentCPUUtilizationPercentage",
					 cJSON_Duplicate(json_get(m, "resource.current.averageUtilization"), true));
			cJSON_AddItemToArray(list, status_convert(m, false));
		}
		set_annotation(obj, ANN_CURRENT, list);
	}
	if (cJSON_GetArraySize(conds))
		set_annotation(obj, ANN_CONDITIONS, cJSON_Duplicate(conds, true));
	json_del(obj, "status.currentMetrics");
	json_del(obj, "status.conditions");
}

static void hpa_to_v2(cJSON *obj)
{
	cJSON *metrics = cJSON_CreateArray(), *other, *m, *beh, *cur, *conds;
	cJSON *cpu = json_get(obj, "spec.targetCPUUtilizationPercentage");

	if (cJSON_IsNumber(cpu)) {
		m = cJSON_CreateObject();
		json_set_str(m, "type", "Resource");
		json_set_str(m, "resource.name", "cpu");
		json_set_str(m, "resource.target.type", "Utilization");
		json_set(m, "resource.target.averageUtilization", cJSON_Duplicate(cpu, true));
		cJSON_AddItemToArray(metrics, m);
	}
	other = take_annotation(obj, ANN_METRICS);
	cJSON_ArrayForEach(m, other)
		cJSON_AddItemToArray(metrics, metric_to_v2(m));
	cJSON_Delete(other);
	json_del(obj, "spec.targetCPUUtilizationPercentage");
	if (cJSON_GetArraySize(metrics))
		json_set(obj, "spec.metrics", metrics);
	else
		cJSON_Delete(metrics);
	if ((beh = take_annotation(obj, ANN_BEHAVIOR))) {
		json_set(obj, "spec.behavior", recase(beh, false));
		cJSON_Delete(beh);
	}
	cur = take_annotation(obj, ANN_CURRENT);
	if (cJSON_GetArraySize(cur)) {
		cJSON *list = cJSON_CreateArray();

		cJSON_ArrayForEach(m, cur)
			cJSON_AddItemToArray(list, status_convert(m, true));
		json_set(obj, "status.currentMetrics", list);
	} else if (cJSON_IsNumber(json_get(obj, "status.currentCPUUtilizationPercentage"))) {
		m = cJSON_CreateObject();
		json_set_str(m, "type", "Resource");
		json_set_str(m, "resource.name", "cpu");
		json_set(m, "resource.current.averageUtilization",
			 cJSON_Duplicate(json_get(obj, "status.currentCPUUtilizationPercentage"), true));
		json_set(obj, "status.currentMetrics", cJSON_CreateArray());
		cJSON_AddItemToArray(json_get(obj, "status.currentMetrics"), m);
	}
	cJSON_Delete(cur);
	json_del(obj, "status.currentCPUUtilizationPercentage");
	if ((conds = take_annotation(obj, ANN_CONDITIONS)))
		json_set(obj, "status.conditions", conds);
}

/* v2's defaults: minReplicas 1, no metrics means CPU at 80 %. */
static void hpa_v2_defaults(cJSON *obj)
{
	cJSON *m;

	if (!json_get(obj, "spec.minReplicas"))
		json_set_int(obj, "spec.minReplicas", 1);
	if (cJSON_GetArraySize(json_get(obj, "spec.metrics")))
		return;
	m = cJSON_CreateObject();
	json_set_str(m, "type", "Resource");
	json_set_str(m, "resource.name", "cpu");
	json_set_str(m, "resource.target.type", "Utilization");
	json_set_int(m, "resource.target.averageUtilization", 80);
	json_set(obj, "spec.metrics", cJSON_CreateArray());
	cJSON_AddItemToArray(json_get(obj, "spec.metrics"), m);
}

void api_conv(cJSON *obj, const char *kind, const char *to_av)
{
	const char *from = json_get_str(obj, "apiVersion");

	if (!obj || !from || !*from || !strcmp(from, to_av))
		return;
	if (is_hpa(kind) && !strcmp(to_av, "autoscaling/v1") && !strcmp(from, "autoscaling/v2")) {
		hpa_spec_to_v1(obj);
		hpa_status_to_v1(obj);
	} else if (is_hpa(kind) && !strcmp(to_av, "autoscaling/v2") && !strcmp(from, "autoscaling/v1")) {
		hpa_to_v2(obj);
		hpa_v2_defaults(obj);
	} else if (!strcmp(kind, "Event") && !strcmp(to_av, "events.k8s.io/v1") && !strcmp(from, "v1")) {
		event_convert(obj, true);
	} else if (!strcmp(kind, "Event") && !strcmp(to_av, "v1") && !strcmp(from, "events.k8s.io/v1")) {
		event_convert(obj, false);
	} else {
		return;
	}
	json_set_str(obj, "apiVersion", to_av);
}

const char *api_conv_event_path(const char *core_path, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof(event_fields) / sizeof(event_fields[0]); i++) {
		size_t l = strlen(event_fields[i][0]);

		if (!strncmp(core_path, event_fields[i][0], l) &&
		    (core_path[l] == '.' || !core_path[l])) {
			snprintf(buf, n, "%s%s", event_fields[i][1], core_path + l);
			return buf;
		}
	}
	return core_path;
}

void api_conv_to_storage(const struct reg_kind *k, cJSON *obj)
{
	if (!api_conv_applies(k))
		return;
	api_conv(obj, k->kind, is_hpa(k->kind) ? "autoscaling/v2" : "v1");
}
