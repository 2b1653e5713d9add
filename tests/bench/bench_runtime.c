/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_runtime: container start latency through runtime.h (from
 * rt_container_start to RUNNING, which is when it returns) over 20 runs,
 * median and p99, and the resident size of one shim.  Needs root, a
 * working runc/crun and /bin/busybox; prints why when it cannot run.
 * Figures only: never fails on timing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/layout.h"
#include "cluster/runtime/rt_int.h"
#include "common/buf.h"
#include "common/mem.h"

#define RUNS 20

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int make_rootfs(const char *rootfs)
{
	char *cmd = xasprintf("mkdir -p %s/bin %s/proc %s/dev %s/sys %s/etc && "
			      "cp /bin/busybox %s/bin/ && ln -s busybox %s/bin/sleep",
			      rootfs, rootfs, rootfs, rootfs, rootfs, rootfs, rootfs);
	int rc = system(cmd);

	free(cmd);
	return rc;
}

/* The shim's VmRSS in kB, from the pid in the status file. */
static long shim_rss(const char *run_dir, const char *id)
{
	char *path = xasprintf("%s/containers/%s/status", run_dir, id);
	struct buf b = BUF_INIT;
	struct rt_status st;
	pid_t shim = 0;
	long kb = -1;
	const char *p;

	if (rt_read_file(path, 65536, &b) == 0 &&
	    rt_status_parse(buf_cstr(&b), b.len, &st, &shim, NULL) == 0) {
		free(path);
		path = xasprintf("/proc/%d/status", (int)shim);
		buf_reset(&b);
		if (rt_read_file(path, 65536, &b) == 0 &&
		    (p = strstr(buf_cstr(&b), "VmRSS:")))
			kb = atol(p + 6);
	}
	buf_free(&b);
	free(path);
	return kb;
}

static void run(struct rt *r, const char *tmp, const char *run_dir)
{
	char *argv[] = { "sleep", "1000", NULL }, *env[] = { "PATH=/bin", NULL };
	char *rootfs = xasprintf("%s/rootfs", tmp), *ids[RUNS] = { 0 };
	struct rt_sandbox_spec sb = { .uid = "bench", .hostname = "bench" };
	double ms[RUNS], spawn[RUNS], rtime[RUNS];
	int n = 0;
	struct err e;
	long rss = -1;

	if (make_rootfs(rootfs) != 0 || rt_sandbox_create(r, &sb, NULL, &e) < 0) {
		printf("runtime: cannot set up: %s\n", e.msg);
		goto out;
	}
	for (int i = 0; i < RUNS; i++) {
		char *log = xasprintf("%s/logs/%d.log", tmp, i);
		struct rt_container_spec s = { .pod_uid = "bench", .rootfs = rootfs,
					       .argv = argv, .env = env,
					       .log_path = log };
		int64_t wall0 = rt_now_ns();
		double t0 = now_ms();
		struct rt_status st;

		ids[i] = layout_container_id("bench", "c", i);
		s.id = ids[i];
		if (rt_container_start(r, &s, &e) == 0) {
			ms[n] = now_ms() - t0;
			rt_container_status(r, ids[i], &st, &e);
			spawn[n] = (double)(st.created_ns - wall0) / 1e6;
			rtime[n++] = (double)(st.started_ns - st.created_ns) / 1e6;
		} else
			printf("runtime: start failed: %s\n", e.msg);
		free(log);
	}
	if (ids[0])
		rss = shim_rss(run_dir, ids[0]);
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	qsort(spawn, (size_t)n, sizeof(*spawn), cmp_double);
	qsort(rtime, (size_t)n, sizeof(*rtime), cmp_double);
	if (n)
		printf("runtime: %s\nruntime: container start (to running), %d runs: "
		       "median %.1f ms, p99 %.1f ms\n"
		       "runtime:   of which shim spawn median %.1f ms, runtime "
		       "create+start median %.1f ms\nruntime: shim RSS %ld kB\n",
		       rt_describe(r), n, ms[n / 2], ms[n - 1], spawn[n / 2],
		       rtime[n / 2], rss);
out:
	for (int i = 0; i < RUNS; i++) {
		if (ids[i])
			rt_container_remove(r, ids[i], NULL);
		free(ids[i]);
	}
	rt_sandbox_remove(r, "bench", NULL);
	free(rootfs);
}

int main(void)
{
	char tmpl[] = "/tmp/kdeck-bench-rt-XXXXXX", *tmp, *run_dir, *self, *cmd;
	struct rt *r = NULL;
	struct err e;

	self = getenv("KDECK");
	if (geteuid() != 0 || !self || access("/bin/busybox", X_OK) < 0) {
		printf("runtime: skipped (needs root, $KDECK and /bin/busybox)\n");
		return 0;
	}
	tmp = mkdtemp(tmpl);
	run_dir = xasprintf("%s/run", tmp);
	struct rt_config cfg = { run_dir, NULL, self, false };
	if (rt_open(&cfg, &r, &e) < 0)
		printf("runtime: skipped: %s\n", e.msg);
	else
		run(r, tmp, run_dir);
	rt_free(r);
	cmd = xasprintf("rm -rf %s", tmp);
	if (system(cmd) != 0)
		printf("runtime: could not remove %s\n", tmp);
	free(cmd);
	free(run_dir);
	return 0;
}
