/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_store: figures for the store (issue #3 targets alongside).
 *
 *   create rate and p99 latency, 1 and 32 writer threads, durable
 *   get rate over 10,000 objects
 *   list of 10,000 objects (store walk only)
 *   one write reaching 1,000 watchers
 *
 * Prints figures; never fails on timing.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/store.h"
#include "common/mem.h"

#define LIST_OBJECTS 10000
#define WATCHERS     1000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static cJSON *pod(const char *name)
{
	cJSON *o = cJSON_CreateObject(), *md, *spec, *c;

	cJSON_AddStringToObject(o, "apiVersion", "v1");
	cJSON_AddStringToObject(o, "kind", "Pod");
	md = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(md, "name", name);
	cJSON_AddStringToObject(md, "namespace", "bench");
	cJSON_AddObjectToObject(md, "labels");
	spec = cJSON_AddObjectToObject(o, "spec");
	c = cJSON_AddArrayToObject(spec, "containers");
	cJSON_AddItemToArray(c, cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetArrayItem(c, 0), "image",
				"registry.example/app:1.2.3");
	cJSON_AddStringToObject(cJSON_GetArrayItem(c, 0), "name", "app");
	return o;
}

struct wjob {
	struct store *st;
	int id, n;
	double *lat;
};

static void *create_loop(void *arg)
{
	struct wjob *j = arg;
	struct err e;

	for (int i = 0; i < j->n; i++) {
		char key[96];
		cJSON *o;
		double t0;

		snprintf(key, sizeof(key), "/registry/pods/bench/p-%d-%d",
			 j->id, i);
		o = pod(key + 20);
		t0 = now_ms();
		if (store_create(j->st, key, o, NULL, &e))
			fprintf(stderr, "create: %s\n", e.msg);
		j->lat[i] = now_ms() - t0;
		cJSON_Delete(o);
	}
	return NULL;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench_create(struct store *st, int threads, int per_thread,
			 const char *mode)
{
	struct wjob *jobs = xcalloc((size_t)threads, sizeof(*jobs));
	pthread_t *th = xcalloc((size_t)threads, sizeof(*th));
	double *lat = xcalloc((size_t)(threads * per_thread), sizeof(double));
	int total = threads * per_thread;
	double t0 = now_ms(), dt;

	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct wjob){st, threads * 1000 + i, per_thread,
					lat + i * per_thread};
		pthread_create(&th[i], NULL, create_loop, &jobs[i]);
	}
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	dt = now_ms() - t0;
	qsort(lat, (size_t)total, sizeof(double), cmpd);
	printf("create, %s, %2d thread(s): %6.0f creates/s, p50 %.2f ms,"
	       " p99 %.2f ms  (target: 5,000/s concurrent)\n",
	       mode, threads, total / (dt / 1e3), lat[total / 2],
	       lat[total * 99 / 100]);
	free(lat);
	free(th);
	free(jobs);
}

static int count_fn(void *arg, const struct store_obj *o)
{
	(*(size_t *)arg) += o->len > 0;
	return 0;
}

static void bench_read(struct store *st)
{
	const int gets = 200000;
	size_t n = 0;
	double t0 = now_ms(), dt;
	struct err e;

	for (int i = 0; i < gets; i++) {
		char key[96];
		const struct store_obj *o;

		snprintf(key, sizeof(key), "/registry/pods/bench/p-%d-%d",
			 32 * 1000 + i % 32, (i / 32) % 300);
		if (store_get(st, key, &o, &e) == 0) {
			n++;
			store_obj_unref(o);
		}
	}
	dt = now_ms() - t0;
	printf("get: %.0f gets/s (%zu hits)\n", gets / (dt / 1e3), n);
	for (int k = 0; k < 3; k++) {
		n = 0;
		t0 = now_ms();
		store_list(st, "/registry/pods/bench/", NULL, count_fn, &n,
			   NULL, &e);
		dt = now_ms() - t0;
		printf("list: %zu objects in %.2f ms (target: 10,000 < 150 ms"
		       " in the full API path)\n",
		       n, dt);
	}
}

static _Atomic int delivered;
static double last_delivery;

static void watch_fn(void *arg, const struct store_event *ev)
{
	if (atomic_fetch_add(&delivered, 1) + 1 == WATCHERS)
		last_delivery = now_ms();
}

static void bench_fanout(struct store *st)
{
	struct store_watch **w = xcalloc(WATCHERS, sizeof(*w));
	cJSON *o = pod("fan");
	double t0;
	struct err e;

	for (int i = 0; i < WATCHERS; i++)
		store_watch(st, "/registry/pods/", 0, watch_fn, NULL, &w[i],
			    &e);
	t0 = now_ms();
	store_create(st, "/registry/pods/bench/fan", o, NULL, &e);
	printf("fan-out: one write reached %d watchers %.2f ms after the call"
	       " (incl. commit; target: 1,000 watchers < 100 ms)\n",
	       atomic_load(&delivered), last_delivery - t0);
	for (int i = 0; i < WATCHERS; i++)
		store_unwatch(w[i]);
	free(w);
	cJSON_Delete(o);
}

int main(void)
{
	char dir[256], *path;
	struct store_options opt = {.compact_interval_s = -1};
	struct store *st;
	struct err e;
	struct store_stats s;

	snprintf(dir, sizeof(dir), "%s/kdeck-bench-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	path = xasprintf("%s/bench.db", dir);
	opt.path = path;
	if (store_open(&opt, &st, &e)) {
		fprintf(stderr, "bench_store: %s\n", e.msg);
		return 1;
	}
	bench_create(st, 1, 500, "fsync/commit");
	bench_create(st, 32, LIST_OBJECTS / 32 + 1, "fsync/commit");
	bench_read(st);
	bench_fanout(st);
	store_get_stats(st, &s);
	printf("stats: rev %lld, %llu objects, %llu writes in %llu commits"
	       " (%.1f per commit), %llu bytes on disk\n",
	       (long long)s.rev, (unsigned long long)s.objects,
	       (unsigned long long)s.writes, (unsigned long long)s.commits,
	       s.commits ? (double)s.writes / s.commits : 0.0,
	       (unsigned long long)s.db_bytes);
	store_close(st);
	/* The same writes without an fsync per commit (relaxed_sync). */
	free(path);
	path = xasprintf("%s/relaxed.db", dir);
	opt.path = path;
	opt.relaxed_sync = true;
	if (store_open(&opt, &st, &e) == 0) {
		bench_create(st, 1, 500, "relaxed_sync");
		bench_create(st, 32, LIST_OBJECTS / 32 + 1, "relaxed_sync");
		store_close(st);
	}
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd))
			fprintf(stderr, "cleanup failed\n");
		free(cmd);
	}
	free(path);
	return 0;
}
