/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_quota_pdb: the ResourceQuota and disruption controllers driven by
 * what changed (ctrl_quota.c's store watch, ctrl_pdb.c's work queue)
 * rather than recomputing every quota and budget each pass.  In process,
 * over a real store and the API handler: N namespaces, each with a
 * ResourceQuota, a PodDisruptionBudget and 20 pods; the controllers run
 * (no scheduler, no simulated nodes).  Printed for N = 50 and 500: the
 * time until every status is settled, the worker's CPU while nothing
 * changes (5 s; the whole process), and the latency of one pod's change
 * reaching its budget and its quota.  Never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/ctrl.h"
#include "cluster/ctrl_int.h"
#include "cluster/ctrl_queue.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

#define PODS_PER_NS 20

static double now_s(void)
{
	return (double)ctrl_queue_now_ms() / 1000;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void post(struct api *api, const char *path, const char *js)
{
	struct err e;
	cJSON *o = json_parse(js, strlen(js), &e);

	api_call(api, "bench", NULL, "POST", path, o, NULL);
	cJSON_Delete(o);
}

static void make_ns(void *arg, size_t i)
{
	struct api *api = arg;
	char *js, *path;

	js = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns-%zu\"}}", i);
	post(api, "/api/v1/namespaces", js);
	free(js);
	path = xasprintf("/api/v1/namespaces/ns-%zu/resourcequotas", i);
	post(api, path, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"q\"},"
		  "\"spec\":{\"hard\":{\"pods\":\"1000\",\"configmaps\":\"100\"}}}");
	free(path);
	path = xasprintf("/apis/policy/v1/namespaces/ns-%zu/poddisruptionbudgets", i);
	post(api, path, "{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":\"b\"},"
		  "\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}}");
	free(path);
	path = xasprintf("/api/v1/namespaces/ns-%zu/pods", i);
	for (int p = 0; p < PODS_PER_NS; p++) {
		js = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-%d\","
			       "\"labels\":{\"app\":\"a\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}", p);
		post(api, path, js);
		free(js);
	}
	free(path);
}

/* Integer at path of the object at url, -1 when absent. */
static long long get_int(struct api *api, const char *url, const char *path)
{
	cJSON *o = NULL;
	int64_t v = -1;

	api_call(api, "bench", NULL, "GET", url, NULL, &o);
	if (json_get_int(o, path, &v) < 0 && json_get_str(o, path))
		v = atoll(json_get_str(o, path));
	cJSON_Delete(o);
	return v;
}

/* Every quota counts its pods and every budget expects them. */
static bool settled(struct api *api, int nns)
{
	cJSON *l = NULL, *it;
	int n = 0;

	api_call(api, "bench", NULL, "GET", "/api/v1/resourcequotas", NULL, &l);
	cJSON_ArrayForEach(it, json_get(l, "items"))
		n += json_get_str(it, "status.used.pods") &&
		     atoi(json_get_str(it, "status.used.pods")) == PODS_PER_NS;
	cJSON_Delete(l);
	l = NULL;
	api_call(api, "bench", NULL, "GET", "/apis/policy/v1/poddisruptionbudgets", NULL, &l);
	cJSON_ArrayForEach(it, json_get(l, "items")) {
		int64_t e = 0;

		json_get_int(it, "status.expectedPods", &e);
		n += e == PODS_PER_NS;
	}
	cJSON_Delete(l);
	return n == 2 * nns;
}

/* Seconds until the integer at path of url becomes want (30 s at most). */
static double wait_int(struct api *api, const char *url, const char *path,
		       long long want)
{
	double t0 = now_s();

	while (get_int(api, url, path) != want && now_s() - t0 < 30)
		usleep(2000);
	return now_s() - t0;
}

static void relabel(struct api *api)
{
	cJSON *o = NULL;
	const char *url = "/api/v1/namespaces/ns-0/pods/p-0";

	api_call(api, "bench", NULL, "GET", url, NULL, &o);
	json_set_str(o, "metadata.labels.app", "b");
	api_call(api, "bench", NULL, "PUT", url, o, NULL);
	cJSON_Delete(o);
}

static int run(int nns)
{
	char dir[] = "/tmp/bench_quota_pdb.XXXXXX", *path, *cmd;
	struct store_options so = { 0 };
	struct api_config cfg = { 0 };
	struct ctrl_config cc = { 0 };
	struct store *st = NULL;
	struct api *api = NULL;
	struct ctrl *c = NULL;
	double t0, c0, lat;
	struct err e;

	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/state.db", dir);
	so.path = path;
	if (store_open(&so, &st, &e) < 0 || api_new(&cfg, st, NULL, &api, &e) < 0 ||
	    api_bootstrap(api, &e) < 0 || ctrl_start(api, st, &cc, &c, &e) < 0) {
		fprintf(stderr, "bench_quota_pdb: %s\n", e.msg);
		return 1;
	}
	t0 = now_s();
	ctrl_parallel((size_t)nns, make_ns, api);
	while (!settled(api, nns) && now_s() - t0 < 120)
		usleep(20000);
	printf("quota/pdb: %d namespaces (%d pods): created and settled in %.2f s\n",
	       nns, nns * PODS_PER_NS, now_s() - t0);
	c0 = cpu_s();
	sleep(5);
	printf("quota/pdb: %d namespaces: idle CPU %.1f ms/s\n", nns,
	       (cpu_s() - c0) * 1000 / 5);
	relabel(api);
	lat = wait_int(api, "/apis/policy/v1/namespaces/ns-0/poddisruptionbudgets/b",
		       "status.expectedPods", PODS_PER_NS - 1);
	printf("quota/pdb: %d namespaces: pod relabelled -> budget updated in %.0f ms\n",
	       nns, lat * 1000);
	post(api, "/api/v1/namespaces/ns-1/pods",
	     "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"extra\"},"
	     "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
	lat = wait_int(api, "/api/v1/namespaces/ns-1/resourcequotas/q",
		       "status.used.pods", PODS_PER_NS + 1);
	printf("quota/pdb: %d namespaces: pod created -> quota updated in %.0f ms\n",
	       nns, lat * 1000);
	ctrl_stop(c);
	api_free(api);
	store_close(st);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_quota_pdb: cannot remove %s\n", dir);
	free(cmd);
	free(path);
	return 0;
}

int main(void)
{
	if (run(50) || run(500))
		return 1;
	return 0;
}
