/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simnode_int: the simulated kubelet's pod lifecycle (simnode_pod.c),
 * shared with simnode.c.  Private to these files.
 */
#ifndef KDECK_CLUSTER_SIMNODE_INT_H
#define KDECK_CLUSTER_SIMNODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct ctrl;

/* What a running pod's containers do at now (unix seconds). */
enum simpod_act {
	SIMPOD_NONE,		/* keep running */
	SIMPOD_EXIT,		/* end the pod: Succeeded or Failed */
	SIMPOD_RESTART,		/* restart its containers in place */
};
enum simpod_act simpod_due(const cJSON *pod, int64_t now);
/* The integer annotation key of pod, def when absent. */
int64_t simpod_ann_int(const cJSON *pod, const char *key, int64_t def);

/* Status writes (PUT pods/status); thread safe, for ctrl_parallel. */
void simpod_exit(struct ctrl *c, const cJSON *pod);
void simpod_restart(struct ctrl *c, const cJSON *pod);
/* Graceful deletion: Killing events, containers terminated, terminal phase. */
void simpod_stop(struct ctrl *c, const cJSON *pod);
/* No container of pod runs (or it is Succeeded/Failed): it may be removed. */
bool simpod_stopped(const cJSON *pod);

#endif
