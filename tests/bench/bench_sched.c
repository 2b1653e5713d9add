/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_sched: the scheduler's core without the API - 10,000 pods in
 * groups of 100 (plain, zone topology spread, preferred hostname
 * anti-affinity, required hostname anti-affinity on a few) placed one by
 * one onto 100 and 1,000 nodes in 10 zones, as one pass does.  Prints
 * pods/s; never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/sched_int.h"
#include "common/json.h"
#include "common/mem.h"

static cJSON *make_nodes(int n)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < n; i++) {
		cJSON *node = cJSON_CreateObject();
		char name[32], zone[16];

		snprintf(name, sizeof(name), "node-%d", i);
		snprintf(zone, sizeof(zone), "zone-%d", i % 10);
		json_set_str(node, "metadata.name", name);
		json_set_str(node, "metadata.labels.kubernetes\\.io/hostname", name);
		json_set_str(node, "metadata.labels.topology\\.kubernetes\\.io/zone", zone);
		json_set_str(node, "status.allocatable.cpu", "64");
		json_set_str(node, "status.allocatable.memory", "256Gi");
		json_set_str(node, "status.allocatable.pods", "250");
		cJSON_AddItemToArray(arr, node);
	}
	return arr;
}

static const char *const extras[] = {
	"",
	",\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"topology.kubernetes.io/zone\",\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"app\":\"g%d\"}}}]",
	",\"affinity\":{\"podAntiAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":50,\"podAffinityTerm\":{\"topologyKey\":\"kubernetes.io/hostname\",\"labelSelector\":{\"matchLabels\":{\"app\":\"g%d\"}}}}]}}",
	",\"affinity\":{\"podAntiAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{\"topologyKey\":\"kubernetes.io/hostname\",\"labelSelector\":{\"matchLabels\":{\"app\":\"g%d\"}}}]}}",
};

static cJSON *make_pods(int n)
{
	cJSON *arr = cJSON_CreateArray();
	struct err e;

	for (int i = 0; i < n; i++) {
		int g = i / 100;
		int kind = g % 8 == 7 ? 3 : g % 3;	/* few required anti */
		char extra[512], *js;

		snprintf(extra, sizeof(extra), extras[kind], g);
		js = xasprintf("{\"metadata\":{\"name\":\"p-%d\",\"namespace\":\"default\",\"uid\":\"u-%d\",\"labels\":{\"app\":\"g%d\"}},"
			       "\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}}}]%s}}",
			       i, i, g, extra);
		cJSON_AddItemToArray(arr, json_parse(js, strlen(js), &e));
		free(js);
	}
	return arr;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(int nnodes, int npods)
{
	cJSON *nodes = make_nodes(nnodes), *pods = make_pods(npods);
	struct sched_state *s;
	int bound = 0;
	double t0 = now_s(), t1;

	s = sched_state_new(pods, nodes, NULL, 1);
	for (size_t i = 0; i < s->npods; i++) {
		struct sched_result r;

		sched_find(s, &s->pods[i], &r);
		if (r.node >= 0) {
			sched_assume(s, &s->pods[i], r.node);
			bound++;
		}
		sched_result_clear(&r);
	}
	t1 = now_s();
	printf("sched core: %d pods onto %d nodes: %d bound in %.2f s (%.0f pods/s)\n",
	       npods, nnodes, bound, t1 - t0, (double)npods / (t1 - t0));
	sched_state_free(s);
	cJSON_Delete(pods);
	cJSON_Delete(nodes);
}

int main(int argc, char **argv)
{
	int npods = argc > 1 ? atoi(argv[1]) : 10000;

	run(100, npods);
	run(1000, npods);
	return 0;
}
