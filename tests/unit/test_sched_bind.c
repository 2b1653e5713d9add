/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sched_bind: the scheduler's asynchronous binder (sched_bind.c)
 * against a real store and API handler in a temporary directory: many
 * concurrent bindings all land, each once; an assumption done but not
 * yet seen bound holds its room in the next pass's snapshot and is
 * dropped once the snapshot shows the pod bound; a failed binding (a
 * gated pod, refused by pods/binding; a pod already bound) calls the
 * wake callback and is forgotten, so the pod is pending again; a bound
 * preemptor keeps its status.nominatedNodeName (v1.33 behaviour).
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tap.h"
#include "cluster/api.h"
#include "cluster/ctrl_int.h"
#include "cluster/evrec.h"
#include "cluster/sched_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

#define NPODS 48

static _Atomic int wakes;

static void wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

static cJSON *parse(const char *js)
{
	struct err e;

	return json_parse(js, strlen(js), &e);
}

static int post(struct api *api, const char *path, const char *js)
{
	cJSON *o = parse(js);
	int st = api_call(api, "test", NULL, "POST", path, o, NULL);

	cJSON_Delete(o);
	return st;
}

static void make_pod(struct api *api, const char *name, const char *extra)
{
	char *js = xasprintf(
		"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
		"\"namespace\":\"default\"},\"spec\":{%s\"containers\":[{\"name\":\"c\","
		"\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"100m\"}}}]}}",
		name, extra);

	if (post(api, "/api/v1/namespaces/default/pods", js) != 201)
		diag("cannot create a pod");
	free(js);
}

/* GET path's items (caller frees the list). */
static cJSON *list(struct api *api, const char *path)
{
	cJSON *out = NULL;

	api_call(api, "test", NULL, "GET", path, NULL, &out);
	return out;
}

static cJSON *get_pod(struct api *api, const char *name)
{
	char path[128];
	cJSON *out = NULL;

	snprintf(path, sizeof(path), "/api/v1/namespaces/default/pods/%s", name);
	api_call(api, "test", NULL, "GET", path, NULL, &out);
	return out;
}

static int count_bound(struct api *api)
{
	cJSON *l = list(api, "/api/v1/namespaces/default/pods"), *p;
	int n = 0;

	cJSON_ArrayForEach(p, json_get(l, "items")) {
		const char *nn = json_get_str(p, "spec.nodeName");

		n += nn && !strcmp(nn, "n1");
	}
	cJSON_Delete(l);
	return n;
}

struct par_bind {
	struct sched_binder *b;
	cJSON *pods;
};

static void bind_one(void *arg, size_t i)
{
	struct par_bind *pb = arg;

	sched_binder_bind(pb->b, cJSON_GetArrayItem(pb->pods, (int)i), "n1");
}

static bool wait_until(struct api *api, int want_bound, int want_wakes)
{
	for (int i = 0; i < 1000; i++) {
		if ((want_bound < 0 || count_bound(api) >= want_bound) &&
		    atomic_load(&wakes) >= want_wakes)
			return true;
		usleep(10000);
	}
	return false;
}

/* The snapshot pod named name. */
static struct sched_pod *pod_named(struct sched_state *s, const char *name)
{
	for (size_t i = 0; i < s->npods; i++)
		if (!strcmp(s->pods[i].name, name))
			return &s->pods[i];
	return NULL;
}

static void test_concurrent(struct ctrl *c)
{
	cJSON *pods = list(c->api, "/api/v1/namespaces/default/pods");
	cJSON *items = json_get(pods, "items");
	struct par_bind pb = { c->binder, items };

	ctrl_parallel((size_t)cJSON_GetArraySize(items), bind_one, &pb);
	ok(wait_until(c->api, NPODS, 0), "%d concurrent bindings all land", NPODS);
	is_int(atomic_load(&wakes), 0, "no binding failed");
	is_int((long long)sched_binder_held(c->binder), NPODS,
	       "every pod stays assumed until a pass sees it bound");
	cJSON_Delete(pods);
}

static void test_settle(struct ctrl *c, const cJSON *nodes)
{
	cJSON *before = list(c->api, "/api/v1/namespaces/default/pods");
	cJSON *after;
	struct sched_state *s;
	struct sched_pod *p;

	make_pod(c->api, "late", "");
	cJSON_Delete(before);
	before = list(c->api, "/api/v1/namespaces/default/pods");
	s = sched_state_new(json_get(before, "items"), nodes, NULL, 1);
	p = pod_named(s, "late");
	sched_binder_bind(c->binder, p->pod, "n1");
	ok(wait_until(c->api, NPODS + 1, 0), "the late pod is bound");
	sched_binder_settle(c->binder, s);
	ok(p->held && p->node == 0, "a done binding the snapshot does not show holds the pod on its node");
	is_int(s->nodes[0].pods, NPODS + 1, "the node accounts the assumed pod");
	is_int((long long)sched_binder_held(c->binder), 1,
	       "assumptions the snapshot shows bound are dropped");
	sched_state_free(s);
	cJSON_Delete(before);
	after = list(c->api, "/api/v1/namespaces/default/pods");
	s = sched_state_new(json_get(after, "items"), nodes, NULL, 1);
	sched_binder_settle(c->binder, s);
	is_int((long long)sched_binder_held(c->binder), 0, "all settled once bound");
	sched_state_free(s);
	cJSON_Delete(after);
}

/* Bind name (pending in a fresh snapshot); the binding must fail. */
static void bind_fails(struct ctrl *c, const cJSON *nodes, const char *name,
		       const char *what)
{
	cJSON *pods = list(c->api, "/api/v1/namespaces/default/pods");
	struct sched_state *s = sched_state_new(json_get(pods, "items"), nodes, NULL, 1);
	struct sched_pod *p = pod_named(s, name);
	int w = atomic_load(&wakes);

	sched_binder_bind(c->binder, p->pod, "n1");
	ok(wait_until(c->api, -1, w + 1), "%s: the failed binding wakes the scheduler", what);
	sched_binder_settle(c->binder, s);
	ok(!p->held, "%s: the failed binding is forgotten (pending again)", what);
	is_int((long long)sched_binder_held(c->binder), 0, "%s: no assumption left", what);
	sched_state_free(s);
	cJSON_Delete(pods);
}

static void test_failures(struct ctrl *c, const cJSON *nodes)
{
	cJSON *pod;

	make_pod(c->api, "gated", "\"schedulingGates\":[{\"name\":\"example.com/wait\"}],");
	bind_fails(c, nodes, "gated", "gated pod");
	pod = get_pod(c->api, "gated");
	ok(!json_get_str(pod, "spec.nodeName"), "the gated pod is not bound");
	is_str(json_get_str(json_get(pod, "status.conditions")->child, "reason"),
	       "SchedulingGated", "the gated pod shows SchedulingGated");
	cJSON_Delete(pod);
	/* A snapshot older than the pod's binding: the API refuses again. */
	{
		cJSON *pods = list(c->api, "/api/v1/namespaces/default/pods");
		cJSON *arr = cJSON_CreateArray(), *x = NULL, *it;
		struct sched_state *s;
		int w = atomic_load(&wakes);

		cJSON_ArrayForEach(it, json_get(pods, "items"))
			if (!strcmp(json_get_str(it, "metadata.name"), "p0"))
				x = json_dup(it);
		json_del(x, "spec.nodeName");
		cJSON_AddItemToArray(arr, x);
		s = sched_state_new(arr, nodes, NULL, 1);
		sched_binder_bind(c->binder, s->pods[0].pod, "n1");
		ok(wait_until(c->api, -1, w + 1), "binding a bound pod fails and wakes");
		sched_binder_settle(c->binder, s);
		ok(!s->pods[0].held, "the stale binding is forgotten");
		sched_state_free(s);
		cJSON_Delete(arr);
		cJSON_Delete(pods);
	}
}

static void test_nominated(struct ctrl *c)
{
	cJSON *pod, *pods;
	char path[] = "/api/v1/namespaces/default/pods/pre/status";

	make_pod(c->api, "pre", "");
	pod = get_pod(c->api, "pre");
	json_set_str(pod, "status.nominatedNodeName", "n1");
	is_int(api_call(c->api, "test", NULL, "PUT", path, pod, NULL), 200,
	       "the preemptor is nominated");
	cJSON_Delete(pod);
	pods = list(c->api, "/api/v1/namespaces/default/pods");
	cJSON_ArrayForEach(pod, json_get(pods, "items"))
		if (!strcmp(json_get_str(pod, "metadata.name"), "pre"))
			sched_binder_bind(c->binder, pod, "n1");
	ok(wait_until(c->api, NPODS + 2, 0), "the preemptor is bound");
	pod = get_pod(c->api, "pre");
	is_str(json_get_str(pod, "status.nominatedNodeName"), "n1",
	       "binding keeps nominatedNodeName (v1.33: the 1.35 gate that clears it is off)");
	cJSON_Delete(pod);
	cJSON_Delete(pods);
}

int main(void)
{
	char dir[] = "/tmp/test_sched_bind.XXXXXX", *path, *cmd;
	struct store_options so = { 0 };
	struct api_config cfg = { 0 };
	struct ctrl c = { 0 };
	cJSON *nodes;
	struct err e;

	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/state.db", dir);
	so.path = path;
	if (store_open(&so, &c.store, &e) < 0 ||
	    api_new(&cfg, c.store, NULL, &c.api, &e) < 0 || api_bootstrap(c.api, &e) < 0) {
		fprintf(stderr, "test_sched_bind: %s\n", e.msg);
		return 1;
	}
	c.events = evrec_new(c.api);
	post(c.api, "/api/v1/nodes",
	     "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"},"
	     "\"status\":{\"allocatable\":{\"cpu\":\"64\",\"memory\":\"64Gi\",\"pods\":\"250\"}}}");
	for (int i = 0; i < NPODS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "p%d", i);
		make_pod(c.api, name, "");
	}
	nodes = list(c.api, "/api/v1/nodes");
	c.binder = sched_binder_new(&c, wake, NULL);
	test_concurrent(&c);
	test_settle(&c, json_get(nodes, "items"));
	test_failures(&c, json_get(nodes, "items"));
	test_nominated(&c);
	sched_binder_free(c.binder);
	cJSON_Delete(nodes);
	evrec_free(c.events);
	api_free(c.api);
	store_close(c.store);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("cannot remove the temporary directory");
	free(cmd);
	free(path);
	return tap_done();
}
