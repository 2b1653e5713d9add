/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_metrics: CPU rates and working sets from fake cgroup v1 and v2
 * trees and a fake /proc in a temporary directory (no root needed):
 * highest attempt per container, no figures before a second sample,
 * counters that go backwards, pods without cgroups, no node name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster/metrics.h"
#include "../tap.h"

#define UID "1234-abcd"

static char root[256];

static void put(const char *rel, const char *text)
{
	char p[1024], cmd[1200];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
	if (system(cmd) != 0)
		abort();
	f = fopen(p, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void put_v1(const char *id, long long cpu, long long use,
		   long long inactive)
{
	char rel[512], text[256];

	snprintf(rel, sizeof(rel), "cg/cpuacct/kdeck/pod" UID "/%s/cpuacct.usage", id);
	snprintf(text, sizeof(text), "%lld\n", cpu);
	put(rel, text);
	snprintf(rel, sizeof(rel), "cg/memory/kdeck/pod" UID "/%s/memory.usage_in_bytes", id);
	snprintf(text, sizeof(text), "%lld\n", use);
	put(rel, text);
	snprintf(rel, sizeof(rel), "cg/memory/kdeck/pod" UID "/%s/memory.stat", id);
	snprintf(text, sizeof(text), "cache 1\ntotal_cache 2\ntotal_inactive_file %lld\n", inactive);
	put(rel, text);
}

static void put_v2(const char *id, long long usec, long long cur,
		   long long inactive)
{
	char rel[512], text[256];

	snprintf(rel, sizeof(rel), "v2/kdeck/pod" UID "/%s/cpu.stat", id);
	snprintf(text, sizeof(text), "usage_usec %lld\nuser_usec 1\n", usec);
	put(rel, text);
	snprintf(rel, sizeof(rel), "v2/kdeck/pod" UID "/%s/memory.current", id);
	snprintf(text, sizeof(text), "%lld\n", cur);
	put(rel, text);
	snprintf(rel, sizeof(rel), "v2/kdeck/pod" UID "/%s/memory.stat", id);
	snprintf(text, sizeof(text), "anon 5\ninactive_file %lld\n", inactive);
	put(rel, text);
}

static const struct metrics_container *find(const struct metrics_container *c,
					    size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return &c[i];
	return NULL;
}

/* Rate expected for delta ns of CPU over the reported window, within 1%. */
static int rate_ok(const struct metrics_usage *u, double delta)
{
	double want = delta * 1e9 / (double)u->window_ns;

	return u->window_ns >= 500000000 && u->cpu_nanocores > want * 0.99 &&
	       u->cpu_nanocores < want * 1.01;
}

static void test_v1(void)
{
	char cg[300];
	struct metrics *m;
	struct metrics_container *c = NULL;
	const struct metrics_container *x;
	size_t n = 0;

	snprintf(cg, sizeof(cg), "%s/cg", root);
	put_v1(UID "_web_0", 5000000000LL, 1 << 20, 0);
	put_v1(UID "_web_2", 1000000000LL, 50 << 20, 10 << 20);
	put_v1(UID "_side_0", 0, 4096, 8192);
	m = metrics_new(&(struct metrics_config){ .node_name = "n1",
		.cgroup_root = cg, .proc_root = root, .period_ms = -1 });
	is_int(metrics_pod(m, UID, &c, &n), -1, "v1: no rate at the first sample");
	usleep(600000);
	put_v1(UID "_web_2", 1300000000LL, 50 << 20, 10 << 20);
	put_v1(UID "_side_0", 100000000LL, 4096, 8192);
	is_int(metrics_pod(m, UID, &c, &n), 0, "v1: rate at the second sample");
	is_int((long long)n, 2, "v1: one entry per container name");
	x = find(c, n, "web");
	ok(x && rate_ok(&x->usage, 3e8), "v1: web CPU from the highest attempt");
	ok(x && x->usage.memory_bytes == 40 << 20, "v1: working set = usage - inactive file");
	x = find(c, n, "side");
	ok(x && rate_ok(&x->usage, 1e8), "v1: side CPU");
	ok(x && x->usage.memory_bytes == 0, "v1: working set never negative");
	ok(x && x->usage.ts_ns > 0, "v1: timestamp set");
	free(c);
	c = NULL;
	is_int(metrics_pod(m, "nope", &c, &n), -1, "v1: pod without cgroups");
	is_int(metrics_pod(m, "../x", &c, &n), -1, "v1: uid with a slash");
	metrics_free(m);
}

static void test_v2(void)
{
	char cg[300];
	struct metrics *m;
	struct metrics_container *c = NULL;
	size_t n = 0;

	snprintf(cg, sizeof(cg), "%s/v2", root);
	put_v2(UID "_app_1", 1000, 8 << 20, 1 << 20);
	m = metrics_new(&(struct metrics_config){ .node_name = "n1",
		.cgroup_root = cg, .proc_root = root, .period_ms = -1 });
	is_int(metrics_pod(m, UID, &c, &n), -1, "v2: no rate at the first sample");
	usleep(600000);
	put_v2(UID "_app_1", 201000, 8 << 20, 1 << 20);
	is_int(metrics_pod(m, UID, &c, &n), 0, "v2: rate at the second sample");
	ok(n == 1 && !strcmp(c[0].name, "app"), "v2: container name");
	ok(n == 1 && rate_ok(&c[0].usage, 2e8), "v2: CPU from usage_usec");
	ok(n == 1 && c[0].usage.memory_bytes == 7 << 20, "v2: memory.current - inactive_file");
	free(c);
	c = NULL;
	usleep(600000);
	put_v2(UID "_app_1", 10, 8 << 20, 1 << 20);	/* restarted counter */
	is_int(metrics_pod(m, UID, &c, &n), -1, "v2: a counter going back gives no rate");
	metrics_free(m);
}

static void test_node(void)
{
	struct metrics *m;
	struct metrics_usage u;

	put("stat", "cpu  100 0 100 1000 0 0 0 0 0 0\ncpu0 1 1 1 1\n");
	put("meminfo", "MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    600 kB\n");
	m = metrics_new(&(struct metrics_config){ .node_name = "n1",
		.cgroup_root = root, .proc_root = root, .period_ms = -1 });
	is_int(metrics_node(m, &u), -1, "node: no rate at the first sample");
	usleep(600000);
	put("stat", "cpu  150 0 150 1000 0 0 0 0 0 0\n");
	is_int(metrics_node(m, &u), 0, "node: rate at the second sample");
	ok(rate_ok(&u, 100.0 * 1e9 / (double)sysconf(_SC_CLK_TCK)), "node: busy ticks as nanocores");
	is_int(u.memory_bytes, 400 * 1024, "node: MemTotal - MemAvailable");
	metrics_free(m);
	m = metrics_new(&(struct metrics_config){ .proc_root = root, .period_ms = -1 });
	is_int(metrics_node(m, &u), -1, "no node name: no node metrics");
	ok(metrics_node_name(m) == NULL, "no node name");
	metrics_free(m);
	metrics_free(NULL);
	/* the background sampler starts and stops */
	m = metrics_new(&(struct metrics_config){ .node_name = "n1",
		.cgroup_root = root, .proc_root = root, .period_ms = 50 });
	usleep(200000);
	is_int(metrics_node(m, &u), 0, "sampler: warm at the first request");
	metrics_free(m);
}

int main(void)
{
	char cmd[300];

	snprintf(root, sizeof(root), "%s/test_metrics.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return 1;
	test_v1();
	test_v2();
	test_node();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		ok(0, "clean up");
	return tap_done();
}
