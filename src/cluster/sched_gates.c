/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_gates: Pod scheduling readiness (spec.schedulingGates).  A pod
 * with gates is created with PodScheduled=False, reason SchedulingGated,
 * "Scheduling is blocked due to non-empty scheduling gates" (the pod
 * strategy's applySchedulingGatedCondition; `kubectl get pods` then shows
 * SchedulingGated) and the scheduler leaves it out of its queue until
 * the last gate is removed (the SchedulingGates PreEnqueue plugin).
 */
#include "config.h"

#include "cluster/ctrl_int.h"
#include "cluster/sched.h"
#include "common/json.h"

bool sched_gated(const cJSON *pod)
{
	return cJSON_GetArraySize(json_get(pod, "spec.schedulingGates")) > 0;
}

void sched_gates_on_create(cJSON *pod)
{
	cJSON *cd;

	if (!sched_gated(pod))
		return;
	json_set_str(pod, "status.phase", "Pending");
	ctrl_set_condition(pod, "PodScheduled", "False", "SchedulingGated",
			   "Scheduling is blocked due to non-empty scheduling gates",
			   false);
	cd = (cJSON *)ctrl_condition(pod, "PodScheduled");
	if (cd && !json_get(cd, "lastProbeTime"))
		cJSON_AddNullToObject(cd, "lastProbeTime");
}
