/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_podnet: latency of podnet_setup and podnet_teardown per pod
 * (median and p99 over 50 pods) on a throw-away bridge "kdb<pid>" and
 * namespaces made beforehand with `ip netns add` (their creation is the
 * runtime's cost, not ours); then the wall time of setting up 50 pods at
 * once from 10 threads, as the agent does when a Deployment scales.
 * Needs root; prints why and exits 0 without.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/net/podnet.h"

#define PODS	50
#define THREADS 10

static char ns[PODS][32];
static struct podnet *shared;
static int failures;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *ms)
{
	qsort(ms, PODS, sizeof(*ms), cmp);
	printf("podnet %-18s median %7.2f ms   p99 %7.2f ms   (%d pods)\n",
	       what, ms[PODS / 2], ms[PODS * 99 / 100], PODS);
}

static void run_pods(struct podnet *n, double *setup, double *down,
		     double *both)
{
	char path[64], ip[64], uid[32];
	struct err e;

	for (int i = 0; i < PODS; i++) {
		double t0, t1, t2;

		snprintf(path, sizeof(path), "/run/netns/%s", ns[i]);
		snprintf(uid, sizeof(uid), "bench-pod-%d", i);
		t0 = now_ms();
		if (podnet_setup(n, uid, path, ip, &e) < 0)
			fprintf(stderr, "setup %s: %s\n", uid, e.msg);
		t1 = now_ms();
		if (podnet_teardown(n, uid, &e) < 0)
			fprintf(stderr, "teardown %s: %s\n", uid, e.msg);
		t2 = now_ms();
		setup[i] = t1 - t0;
		down[i] = t2 - t1;
		both[i] = t2 - t0;
	}
}

/* Pods i, i + THREADS, ... of the parallel round. */
static void *worker(void *arg)
{
	char path[64], ip[64], uid[32];
	struct err e;

	for (int i = (int)(long)arg; i < PODS; i += THREADS) {
		snprintf(path, sizeof(path), "/run/netns/%s", ns[i]);
		snprintf(uid, sizeof(uid), "bench-par-%d", i);
		if (podnet_setup(shared, uid, path, ip, &e) < 0) {
			fprintf(stderr, "setup %s: %s\n", uid, e.msg);
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void run_parallel(struct podnet *n)
{
	pthread_t t[THREADS];
	char uid[32];
	double t0, t1, t2;
	struct err e;

	shared = n;
	t0 = now_ms();
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	t1 = now_ms();
	for (int i = 0; i < PODS; i++) {
		snprintf(uid, sizeof(uid), "bench-par-%d", i);
		podnet_teardown(n, uid, &e);
	}
	t2 = now_ms();
	printf("podnet %d pods at once (%d threads): setup %.0f ms, "
	       "teardown (serial) %.0f ms, %d failed\n",
	       PODS, THREADS, t1 - t0, t2 - t1, failures);
}

static void remove_netns(void)
{
	char cmd[128];

	for (int i = 0; i < PODS && ns[i][0]; i++) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null",
			 ns[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "%s failed\n", cmd);
	}
}

int main(void)
{
	double setup[PODS], down[PODS], both[PODS];
	char bridge[16], cidr[32], dir[64], cmd[128];
	struct podnet_config cfg = {dir, cidr, bridge};
	struct podnet *n = NULL;
	int pid = (int)getpid();
	struct err e;

	if (geteuid() != 0) {
		printf("podnet: skipped (needs root)\n");
		return 0;
	}
	snprintf(bridge, sizeof(bridge), "kdb%d", pid);
	snprintf(cidr, sizeof(cidr), "10.%d.%d.0/24", 150 + pid % 40,
		 (pid / 40) % 256);
	snprintf(dir, sizeof(dir), "/tmp/kdeck-bench-podnet-%d", pid);
	for (int i = 0; i < PODS; i++) {
		snprintf(ns[i], sizeof(ns[i]), "kdb%d_%d", pid, i);
		snprintf(cmd, sizeof(cmd), "ip netns add %s", ns[i]);
		if (system(cmd) != 0) {
			printf("podnet: skipped (ip netns add failed)\n");
			ns[i][0] = '\0';
			remove_netns();
			return 0;
		}
	}
	if (podnet_open(&cfg, &n, &e) < 0) {
		printf("podnet: skipped (%s)\n", e.msg);
		remove_netns();
		return 0;
	}
	run_pods(n, setup, down, both);
	report("setup", setup);
	report("teardown", down);
	report("setup+teardown", both);
	run_parallel(n);
	podnet_free(n);
	podnet_destroy(&cfg, &e);
	remove_netns();
	return 0;
}
