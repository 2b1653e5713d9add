/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_top: the metrics.k8s.io/v1beta1 API (NodeMetrics, PodMetrics) that
 * `kubectl top` reads, answered as metrics-server answers it: read-only
 * (get and list), label selectors on the underlying Node/Pod objects,
 * only objects with usable figures listed (the real node and the pods
 * bound to it that have cgroups), "podmetrics.metrics.k8s.io \"ns/p\" not
 * found" otherwise.  Simulated nodes have no metrics, as with kwok.
 * Figures come from the sampler in metrics.c; authorization happened in
 * api.c like for any resource.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/api_int.h"
#include "cluster/metrics.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define GV "metrics.k8s.io/v1beta1"

struct top_list {
	struct api *api;
	const struct reg_kind *k;	/* Pod or Node, for the filter */
	struct api_filter *f;
	const char *name;		/* get: only this one */
	cJSON *items;
};

static void add_usage(cJSON *o, const struct metrics_usage *u)
{
	cJSON *usage = cJSON_AddObjectToObject(o, "usage");
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%lldn", (long long)u->cpu_nanocores);
	cJSON_AddStringToObject(usage, "cpu", tmp);
	if (u->memory_bytes % 1024 == 0)
		snprintf(tmp, sizeof(tmp), "%lldKi", (long long)(u->memory_bytes / 1024));
	else
		snprintf(tmp, sizeof(tmp), "%lld", (long long)u->memory_bytes);
	cJSON_AddStringToObject(usage, "memory", tmp);
}

/* kind, apiVersion, metadata (from the Pod/Node obj), timestamp, window. */
static cJSON *metrics_object(const char *kind, const cJSON *obj,
			     const struct metrics_usage *u)
{
	cJSON *o = cJSON_CreateObject(), *md, *labels;
	struct ktime t = ktime_now();
	char ts[KTIME_STR_MAX];

	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "apiVersion", GV);
	md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", json_get_str(obj, "metadata.name") ?: "");
	if (json_get_str(obj, "metadata.namespace"))
		cJSON_AddStringToObject(md, "namespace",
					json_get_str(obj, "metadata.namespace"));
	cJSON_AddStringToObject(md, "creationTimestamp", ktime_format(&t, ts));
	labels = json_get(obj, "metadata.labels");
	if (labels)
		cJSON_AddItemToObject(md, "labels", json_dup(labels));
	t.sec = u->ts_ns / KTIME_NS_PER_SEC;
	t.nsec = 0;
	cJSON_AddStringToObject(o, "timestamp", ktime_format(&t, ts));
	cJSON_AddStringToObject(o, "window",
				ktime_format_duration(u->window_ns / 1000000 * 1000000, ts));
	return o;
}

static cJSON *pod_metrics(struct metrics *m, const cJSON *pod)
{
	struct metrics_container *c = NULL;
	struct metrics_usage win = { 0 };
	size_t n = 0;
	cJSON *o, *arr;

	if (metrics_pod(m, json_get_str(pod, "metadata.uid"), &c, &n) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (c[i].usage.window_ns > win.window_ns)
			win = c[i].usage;
	o = metrics_object("PodMetrics", pod, &win);
	arr = cJSON_AddArrayToObject(o, "containers");
	for (size_t i = 0; i < n; i++) {
		cJSON *ct = cJSON_CreateObject();

		cJSON_AddStringToObject(ct, "name", c[i].name);
		add_usage(ct, &c[i].usage);
		cJSON_AddItemToArray(arr, ct);
	}
	free(c);
	return o;
}

static cJSON *node_metrics(struct metrics *m, const cJSON *node)
{
	struct metrics_usage u;
	cJSON *o;

	if (metrics_node(m, &u) < 0)
		return NULL;
	o = metrics_object("NodeMetrics", node, &u);
	add_usage(o, &u);
	return o;
}

static int list_fn(void *arg, const struct store_obj *so)
{
	struct top_list *l = arg;
	const char *node = metrics_node_name(l->api->top);
	cJSON *obj = store_obj_parse(so), *mo = NULL;
	bool is_pod = !strcmp(l->k->kind, "Pod");

	if (l->name && strcmp(json_get_str(obj, "metadata.name") ?: "", l->name))
		goto out;
	if (!api_filter_match(l->f, l->k, obj))
		goto out;
	if (is_pod && !strcmp(json_get_str(obj, "spec.nodeName") ?: "", node))
		mo = pod_metrics(l->api->top, obj);
	else if (!is_pod && !strcmp(json_get_str(obj, "metadata.name") ?: "", node))
		mo = node_metrics(l->api->top, obj);
	if (mo)
		cJSON_AddItemToArray(l->items, mo);
out:
	cJSON_Delete(obj);
	return 0;
}

static void not_found(const struct api_route *rt, struct err *e)
{
	if (rt->ns[0])
		err_set(e, ERR_NOT_FOUND, "podmetrics.metrics.k8s.io \"%s/%s\" not found",
			rt->ns, rt->name);
	else
		err_set(e, ERR_NOT_FOUND, "nodemetrics.metrics.k8s.io \"%s\" not found",
			rt->name);
}

/* Collect the items of the request into l->items. */
static int collect(struct api *api, const struct api_req *req,
		   const struct api_route *rt, struct top_list *l,
		   struct err *e)
{
	bool pods = !strcmp(rt->k->plural, "pods");
	char *prefix;
	int rc;

	l->api = api;
	l->k = reg_find("", "v1", pods ? "pods" : "nodes");
	l->name = rt->name[0] ? rt->name : NULL;
	l->items = cJSON_CreateArray();
	if (!metrics_node_name(api->top))
		return 0;
	if (api_filter_new(req, l->k, &l->f, e) < 0)
		return -1;
	prefix = store_key("", l->k->plural, pods && rt->ns[0] ? rt->ns : NULL, NULL);
	rc = store_list(api->st, prefix, NULL, list_fn, l, NULL, e);
	free(prefix);
	return rc;
}

void api_top(struct api *api, const struct api_req *req,
	     struct api_route *rt, struct api_resp *resp)
{
	struct top_list l = { 0 };
	struct err e;
	cJSON *out = NULL;

	err_clear(&e);
	if (strcmp(rt->verb, "get") && strcmp(rt->verb, "list")) {
		err_set(&e, ERR_METHOD, "the server does not allow this method on the requested resource");
		goto fail;
	}
	if (collect(api, req, rt, &l, &e) < 0)
		goto fail;
	if (rt->name[0]) {
		if (!cJSON_GetArraySize(l.items)) {
			not_found(rt, &e);
			goto fail;
		}
		api_reply_json(resp, 200, cJSON_GetArrayItem(l.items, 0));
		goto out;
	}
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "kind", strcmp(rt->k->plural, "pods")
				? "NodeMetricsList" : "PodMetricsList");
	cJSON_AddStringToObject(out, "apiVersion", GV);
	cJSON_AddObjectToObject(out, "metadata");
	cJSON_AddItemToObject(out, "items", l.items);
	l.items = NULL;
	api_reply_json(resp, 200, out);
	goto out;
fail:
	api_reply_err(resp, &e, NULL);
out:
	cJSON_Delete(out);
	cJSON_Delete(l.items);
	api_filter_free(l.f);
}
