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
/* PUT p's status. */
void simpod_put_status(struct ctrl *c, const cJSON *p);
/* Running containers of p (a copy being edited) get lastState.terminated
 * for the run ending at now. */
void simpod_end_run(cJSON *p, const char *now);

/* --- restart back-off (simnode_backoff.c) --- */
struct sim_backoff;
/*
 * A pod (uid) whose containers exited at finished must restart: true to
 * restart now (the back-off moves on: 10 s, doubling, 5 min at most,
 * reset after 10 min unused), false to wait; *backoff gets the back-off
 * in force (seconds).  One thread.
 */
bool simpod_backoff_restart(struct sim_backoff **tab, const char *uid,
			    int64_t now, int64_t finished, int64_t *backoff);
/* Drop expired entries; free all. */
void simpod_backoff_gc(struct sim_backoff **tab, int64_t now);
void simpod_backoff_free(struct sim_backoff **tab);
/* A container of pod waits in CrashLoopBackOff; *finished (may be NULL)
 * gets when it exited. */
bool simpod_in_backoff(const cJSON *pod, int64_t *finished);
/* The running containers exited and wait backoff seconds: waiting
 * CrashLoopBackOff, pod not Ready, BackOff events.  Thread safe. */
void simpod_crash(struct ctrl *c, const cJSON *pod, int64_t backoff);

/* No container of pod runs (or it is Succeeded/Failed): it may be removed. */
bool simpod_stopped(const cJSON *pod);

#endif
