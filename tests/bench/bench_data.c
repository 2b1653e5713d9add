/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_data: throughput of the JSON and YAML helpers on a synthetic
 * List of 2,000 Pod-like objects (about 2.5 MB of JSON): json_parse,
 * json_print, json_canonical, json_equal, kyaml_emit and kyaml_parse.
 * Prints MB/s per operation; never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "common/yaml.h"

#define ITEMS 2000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cJSON *make_pod(int i)
{
	char buf[64];
	cJSON *pod = cJSON_CreateObject();

	json_set_str(pod, "apiVersion", "v1");
	json_set_str(pod, "kind", "Pod");
	snprintf(buf, sizeof(buf), "web-%d", i);
	json_set_str(pod, "metadata.name", buf);
	json_set_str(pod, "metadata.namespace", "default");
	json_set_str(pod, "metadata.labels.app\\.kubernetes\\.io/name", "web");
	json_set_str(
	    pod, "metadata.annotations.note",
	    "a longer annotation value with spaces\nand a second line\n");
	json_set_str(pod, "metadata.creationTimestamp", "2024-01-02T03:04:05Z");
	json_set(pod, "spec.containers", cJSON_CreateArray());
	for (int c = 0; c < 2; c++) {
		cJSON *ctr = cJSON_CreateObject();

		json_set_str(ctr, "name", c ? "sidecar" : "app");
		json_set_str(ctr, "image", "registry.example/app:1.2.3");
		json_set(ctr, "env", cJSON_CreateArray());
		json_set(ctr, "env[0]", cJSON_CreateObject());
		json_set_str(ctr, "env[0].name", "DEBUG");
		json_set_str(ctr, "env[0].value", "true");
		json_set_int(ctr, "resources.limits.memory", 134217728);
		json_set_str(ctr, "resources.limits.cpu", "500m");
		cJSON_AddItemToArray(json_get(pod, "spec.containers"), ctr);
	}
	json_set_int(pod, "spec.terminationGracePeriodSeconds", 30);
	json_set(pod, "status.phase", cJSON_CreateString("Running"));
	return pod;
}

static void report(const char *what, size_t bytes, int reps, double secs)
{
	printf("%-16s %8.1f MB/s  (%zu bytes x %d in %.3f s)\n", what,
	       (double)bytes * reps / secs / 1e6, bytes, reps, secs);
}

int main(void)
{
	cJSON *list = cJSON_CreateObject(), *items = cJSON_CreateArray();
	struct err e;
	const int reps = 3;
	double t;

	json_set_str(list, "apiVersion", "v1");
	json_set_str(list, "kind", "List");
	for (int i = 0; i < ITEMS; i++)
		cJSON_AddItemToArray(items, make_pod(i));
	json_set(list, "items", items);

	char *json = json_print(list);
	size_t jlen = strlen(json);
	char *yaml = kyaml_emit(list);
	size_t ylen = strlen(yaml);

	t = now();
	for (int r = 0; r < reps; r++)
		cJSON_Delete(json_parse(json, jlen, &e));
	report("json_parse", jlen, reps, now() - t);
	t = now();
	for (int r = 0; r < reps; r++)
		free(json_print(list));
	report("json_print", jlen, reps, now() - t);
	t = now();
	for (int r = 0; r < reps; r++)
		free(json_canonical(list));
	report("json_canonical", jlen, reps, now() - t);
	cJSON *copy = json_dup(list);

	t = now();
	for (int r = 0; r < reps; r++)
		if (!json_equal(list, copy))
			puts("json_equal: copies differ!");
	report("json_equal", jlen, reps, now() - t);
	t = now();
	for (int r = 0; r < reps; r++)
		free(kyaml_emit(list));
	report("kyaml_emit", ylen, reps, now() - t);
	t = now();
	for (int r = 0; r < reps; r++)
		cJSON_Delete(kyaml_parse(yaml, ylen, &e));
	report("kyaml_parse", ylen, reps, now() - t);

	cJSON_Delete(copy);
	cJSON_Delete(list);
	free(json);
	free(yaml);
	return 0;
}
