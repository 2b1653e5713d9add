/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_ttl: the TTL-after-finished controller.  A Job with
 * spec.ttlSecondsAfterFinished whose Complete or Failed condition has
 * been true for that long is deleted (background propagation, uid
 * precondition), and the garbage collector removes its pods.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "common/json.h"

static int64_t finished_at(const cJSON *job)
{
	static const char *const types[] = { "Complete", "Failed" };

	for (size_t i = 0; i < 2; i++)
		if (ctrl_condition_true(job, types[i]))
			return ctrl_time(ctrl_condition(job, types[i]),
					 "lastTransitionTime");
	return 0;
}

void ttl_sync(struct ctrl *c, const cJSON *jobs)
{
	int64_t now = (int64_t)time(NULL);
	const cJSON *job;

	cJSON_ArrayForEach(job, jobs) {
		int64_t ttl, done = finished_at(job);
		char path[512];
		cJSON *opt;

		if (!done || json_get(job, "metadata.deletionTimestamp") ||
		    json_get_int(job, "spec.ttlSecondsAfterFinished", &ttl) < 0 ||
		    done + ttl > now)
			continue;
		opt = cJSON_CreateObject();
		json_set_str(opt, "apiVersion", "v1");
		json_set_str(opt, "kind", "DeleteOptions");
		json_set_str(opt, "propagationPolicy", "Background");
		json_set_str(opt, "preconditions.uid", json_get_str(job, "metadata.uid"));
		ctrl_obj_path(job, "jobs", NULL, path, sizeof(path));
		ctrl_call(c, CTRL_USER_CM, "DELETE", path, opt, NULL);
		cJSON_Delete(opt);
	}
}
