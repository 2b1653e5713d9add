/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_bind: the scheduler end to end, in process, over a real store
 * (synchronous=FULL, as the daemon) and the API handler: N Nodes (64 cpu,
 * 256Gi, 250 pods) and 10,000 pending pods (50m, 64Mi) are created, then
 * the controllers start (scheduler only, no simulated kubelets) and the
 * time until every pod is bound is measured: scheduling passes,
 * pods/binding writes, Scheduled events.  Onto 100 and 1,000 nodes.
 * Prints pods/s; never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/ctrl.h"
#include "cluster/ctrl_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct setup {
	struct api *api;
	int npods;
};

static void make_node(void *arg, size_t i)
{
	struct setup *s = arg;
	char *js = xasprintf(
		"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n-%zu\","
		"\"labels\":{\"kubernetes.io/hostname\":\"n-%zu\"}},\"status\":{"
		"\"capacity\":{\"cpu\":\"64\",\"memory\":\"256Gi\",\"pods\":\"250\"},"
		"\"allocatable\":{\"cpu\":\"64\",\"memory\":\"256Gi\",\"pods\":\"250\"},"
		"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}", i, i);
	struct err e;
	cJSON *n = json_parse(js, strlen(js), &e);

	api_call(s->api, "bench", NULL, "POST", "/api/v1/nodes", n, NULL);
	cJSON_Delete(n);
	free(js);
}

static void make_pod(void *arg, size_t i)
{
	struct setup *s = arg;
	char *js = xasprintf(
		"{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-%zu\","
		"\"namespace\":\"default\",\"labels\":{\"app\":\"g%zu\"}},\"spec\":{"
		"\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":"
		"{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}]}}", i, i / 100);
	struct err e;
	cJSON *p = json_parse(js, strlen(js), &e);

	api_call(s->api, "bench", NULL, "POST",
		 "/api/v1/namespaces/default/pods", p, NULL);
	cJSON_Delete(p);
	free(js);
}

/* Pods of the store with a spec.nodeName (text probe). */
static int count_cb(void *arg, const struct store_obj *o)
{
	*(int *)arg += memmem(o->json, o->len, "\"nodeName\"", 10) != NULL;
	return 0;
}

static int bound(struct store *st)
{
	char *k = store_key(NULL, "pods", NULL, NULL);
	struct err e;
	int n = 0;

	if (store_list(st, k, NULL, count_cb, &n, NULL, &e) < 0)
		n = -1;
	free(k);
	return n;
}

static int run(int nnodes, int npods)
{
	char dir[] = "/tmp/bench_bind.XXXXXX", *path;
	struct store_options so = { 0 };
	struct api_config cfg = { 0 };
	struct ctrl_config cc = { .scheduler = true };
	struct store *st = NULL;
	struct api *api = NULL;
	struct ctrl *c = NULL;
	struct setup s;
	int b = 0;
	double t0, t1;
	struct err e;

	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/state.db", dir);
	so.path = path;
	if (store_open(&so, &st, &e) < 0 || api_new(&cfg, st, NULL, &api, &e) < 0 ||
	    api_bootstrap(api, &e) < 0) {
		fprintf(stderr, "bench_bind: %s\n", e.msg);
		return 1;
	}
	s = (struct setup){ api, npods };
	ctrl_parallel((size_t)nnodes, make_node, &s);
	t0 = now_s();
	ctrl_parallel((size_t)npods, make_pod, &s);
	t1 = now_s();
	printf("sched e2e: %d pending pods created in %.2f s\n", npods, t1 - t0);
	t0 = now_s();
	if (ctrl_start(api, st, &cc, &c, &e) < 0) {
		fprintf(stderr, "bench_bind: %s\n", e.msg);
		return 1;
	}
	while ((b = bound(st)) < npods && now_s() - t0 < 300)
		usleep(20000);
	t1 = now_s();
	printf("sched e2e: %d pods onto %d nodes: %d bound in %.2f s (%.0f pods/s)\n",
	       npods, nnodes, b, t1 - t0, b / (t1 - t0));
	ctrl_stop(c);
	api_free(api);
	store_close(st);
	free(path);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "bench_bind: cannot remove %s\n", dir);
		free(cmd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int npods = argc > 1 ? atoi(argv[1]) : 10000;

	if (run(100, npods) || run(1000, npods))
		return 1;
	return 0;
}
