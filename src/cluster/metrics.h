/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics: CPU and memory usage of the real node and of its pods'
 * containers, as metrics-server computes them from kubelet's summary:
 * CPU as a rate (nanocores) between two cumulative samples, memory as the
 * working set (usage minus inactive file pages).
 *
 * Containers are found in the cgroups the runtime creates
 * (layout_cgroup(): "kdeck/podUID/UID_CTR_N" below each controller's root
 * on cgroup v1, below the unified root on v2); the highest attempt of each
 * container name counts.  The node's figures come from /proc/stat and
 * /proc/meminfo.  A background thread samples every period so that a rate
 * is ready at the first request; a request then measures from the last
 * sample to now (the window).
 *
 * Thread-safe: the API's connection threads call these concurrently.
 */
#ifndef KDECK_CLUSTER_METRICS_H
#define KDECK_CLUSTER_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct metrics;

struct metrics_config {
	const char *node_name;	/* NULL: no real node, nothing is reported */
	const char *cgroup_root;	/* NULL = /sys/fs/cgroup */
	const char *proc_root;		/* NULL = /proc */
	int period_ms;			/* background sampling; 0 = 10 s, <0 = none */
};

struct metrics_usage {
	int64_t cpu_nanocores;
	int64_t memory_bytes;	/* working set */
	int64_t ts_ns;		/* unix ns of the newer sample */
	int64_t window_ns;	/* between the two samples */
};

struct metrics_container {
	char name[64];
	struct metrics_usage usage;
};

/* NULL config fields take the defaults above.  Never fails. */
struct metrics *metrics_new(const struct metrics_config *cfg);
void metrics_free(struct metrics *m);
const char *metrics_node_name(const struct metrics *m);

/* The node's usage: 0, or -1 when there is no node or no rate yet. */
int metrics_node(struct metrics *m, struct metrics_usage *out);

/*
 * The containers of pod uid with a rate: 0 and *out (caller frees) with
 * *n > 0, or -1 when the pod has no cgroups or no rate yet (metrics-server
 * omits such pods).
 */
int metrics_pod(struct metrics *m, const char *uid,
		struct metrics_container **out, size_t *n);

#endif
