/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched: what the scheduler's part offers the API server - the Priority
 * admission plugin and the built-in PriorityClasses (sched_prio.c).
 */
#ifndef KDECK_CLUSTER_SCHED_H
#define KDECK_CLUSTER_SCHED_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cluster/store.h"
#include "common/err.h"

/*
 * Priority admission of a new pod (before defaulting): resolve
 * spec.priorityClassName (or the globalDefault class) into spec.priority
 * and spec.preemptionPolicy.  -1 with ERR_FORBIDDEN and Kubernetes'
 * message (`pods "x" is forbidden: no PriorityClass with name foo was
 * found`, or a priority/policy given that differs from the class's).
 */
int sched_prio_admit(struct store *st, cJSON *pod, struct err *e);

/*
 * The i-th built-in PriorityClass (system-node-critical,
 * system-cluster-critical) as a new object, or NULL past the end; *key
 * gets its store key (caller frees both).
 */
cJSON *sched_prio_builtin(size_t i, char **key);

/* pod has a non-empty spec.schedulingGates (sched_gates.c). */
bool sched_gated(const cJSON *pod);
/*
 * A new pod with scheduling gates gets phase Pending and PodScheduled=
 * False, reason SchedulingGated (applySchedulingGatedCondition).
 */
void sched_gates_on_create(cJSON *pod);

#endif
