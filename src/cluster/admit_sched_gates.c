/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_sched_gates: the API server's side of Pod scheduling readiness
 * (spec.schedulingGates), as pkg/apis/core/validation and the binding
 * REST word it:
 *
 *   - every pod spec (templates too): each gate name is a qualified name
 *     (field spec.schedulingGates[i]) and appears once (Duplicate value);
 *   - a new pod may not name its node while gated:
 *     `spec.nodeName: Forbidden: cannot be set until all schedulingGates
 *     have been cleared` (an update cannot reach that state: nodeName is
 *     immutable and gates may only be removed, admit_pod_upd.c);
 *   - pods/binding refuses a gated pod with 409 "pod NAME has non-empty
 *     .spec.schedulingGates".  A bound preemptor keeps its
 *     status.nominatedNodeName, as on v1.33 (kdeck's version): clearing
 *     it is ClearingNominatedNodeNameAfterBinding, default on from 1.35.
 *
 * The scheduler's side (SchedulingGated condition, gated pods left out
 * of the queue) is sched_gates.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/admit.h"
#include "cluster/admit_int.h"
#include "common/json.h"

#define FLD 320

void admit_sched_gates(const cJSON *spec, const char *base, struct err *e)
{
	const cJSON *gates = json_get(spec, "schedulingGates"), *g;
	char f[FLD];
	int i = 0;

	cJSON_ArrayForEach(g, gates) {
		const char *name = json_get_str(g, "name") ?: "";

		snprintf(f, sizeof(f), "%s.schedulingGates[%d]", base, i);
		admit_label_name(e, f, name);
		for (const cJSON *d = gates->child; d != g; d = d->next)
			if (!strcmp(json_get_str(d, "name") ?: "", name)) {
				admit_duplicate(e, f, name);
				break;
			}
		i++;
	}
}

void admit_pod_gated_node(const cJSON *pod, struct err *e)
{
	const char *node = json_get_str(pod, "spec.nodeName");

	if (node && *node &&
	    cJSON_GetArraySize(json_get(pod, "spec.schedulingGates")) > 0)
		admit_forbidden(e, "spec.nodeName",
				"cannot be set until all schedulingGates have been cleared");
}

int admit_binding_pod(const char *name, cJSON *pod, struct err *e)
{
	if (cJSON_GetArraySize(json_get(pod, "spec.schedulingGates")) > 0)
		return err_set(e, ERR_CONFLICT,
			       "Operation cannot be fulfilled on pods/binding \"%s\": pod %s has non-empty .spec.schedulingGates",
			       name, name);
	return 0;
}
