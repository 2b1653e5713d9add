/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simnode_pod: how a simulated kubelet ends, restarts and stops the
 * containers of its running pods (simnode.c decides which pods it looks
 * at; the writes here are thread safe and run in parallel).
 *
 * Exits.  A running pod owned by a Job or annotated with
 * `kdeck.io/sim-exit-code` or `kdeck.io/sim-duration` has its containers
 * exit `kdeck.io/sim-duration` seconds (default 1) after they (re)started,
 * with exit code `kdeck.io/sim-exit-code` (default 0).  Then, as the
 * kubelet's restart policy rules:
 *   - Never, or OnFailure with code 0: the pod ends, Succeeded (0) or
 *     Failed (otherwise), containers terminated;
 *   - Always, or OnFailure with a non-zero code: the containers restart
 *     in place: restartCount + 1, lastState.terminated holds the run that
 *     ended (exit code, reason Completed/Error, startedAt, finishedAt,
 *     containerID), state.running a new start and container ID; the pod
 *     stays Running.  `kdeck.io/sim-exits: N` stops the exits after N
 *     restarts (the container then keeps running).  A restart within
 *     the back-off of the previous one waits in CrashLoopBackOff first
 *     (simnode_backoff.c).
 * Graceful deletion.  A pod given a deletionTimestamp first has its
 * running containers stopped (a `Killing` "Stopping container <c>"
 * event each, from the kubelet): state.terminated with exit code
 * `kdeck.io/sim-stop-exit-code` (default 0 for restartPolicy Always, 143
 * (SIGTERM) otherwise), Ready/ContainersReady False and a terminal phase
 * (Succeeded when every container exited 0, else Failed), as the kubelet
 * reports since 1.27; the next pass removes it (simnode.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/simnode_int.h"
#include "common/json.h"
#include "common/ktime.h"

#define ANN_CODE "kdeck.io/sim-exit-code"
#define ANN_DURATION "kdeck.io/sim-duration"
#define ANN_EXITS "kdeck.io/sim-exits"
#define ANN_STOP_CODE "kdeck.io/sim-stop-exit-code"

int64_t simpod_ann_int(const cJSON *pod, const char *key, int64_t def)
{
	const cJSON *a = json_obj(json_get(pod, "metadata.annotations"), key);

	return cJSON_IsString(a) ? strtoll(a->valuestring, NULL, 10) : def;
}

static const char *restart_policy(const cJSON *pod)
{
	return json_get_str(pod, "spec.restartPolicy") ?: "Always";
}

/* When the current run of the pod's containers started (unix seconds). */
static int64_t run_started(const cJSON *pod)
{
	const cJSON *cs = cJSON_GetArrayItem(json_get(pod, "status.containerStatuses"), 0);
	int64_t t = ctrl_time(cs, "state.running.startedAt");

	return t ? t : ctrl_time(pod, "status.startTime");
}

enum simpod_act simpod_due(const cJSON *pod, int64_t now)
{
	const cJSON *ref = ctrl_controller_ref(pod);
	const char *rp = restart_policy(pod);
	const cJSON *cs = cJSON_GetArrayItem(json_get(pod, "status.containerStatuses"), 0);
	int64_t code = simpod_ann_int(pod, ANN_CODE, 0), limit, restarts = 0;
	int64_t started = run_started(pod);
	bool exits = (ref && !strcmp(json_get_str(ref, "kind") ?: "", "Job")) ||
		     simpod_ann_int(pod, ANN_CODE, -1) >= 0 ||
		     simpod_ann_int(pod, ANN_DURATION, -1) >= 0;

	if (!exits || !started ||
	    now - started < simpod_ann_int(pod, ANN_DURATION, 1))
		return SIMPOD_NONE;
	if (!strcmp(rp, "Never") || (!strcmp(rp, "OnFailure") && !code))
		return SIMPOD_EXIT;
	limit = simpod_ann_int(pod, ANN_EXITS, -1);
	json_get_int(cs, "restartCount", &restarts);
	return limit >= 0 && restarts >= limit ? SIMPOD_NONE : SIMPOD_RESTART;
}

/* state.terminated of a container that ran from started until now. */
static cJSON *terminated(const cJSON *cs, int64_t code, const char *started,
			 const char *now)
{
	cJSON *term = cJSON_CreateObject();

	json_set_int(term, "exitCode", code);
	json_set_str(term, "reason", code ? "Error" : "Completed");
	json_set_str(term, "startedAt", started ?: now);
	json_set_str(term, "finishedAt", now);
	if (json_get_str(cs, "containerID"))
		json_set_str(term, "containerID", json_get_str(cs, "containerID"));
	return term;
}

/* Ready, ContainersReady (and PodReadyToStartContainers) False. */
static void not_ready(cJSON *p, const char *now, bool sandbox_gone)
{
	cJSON *cd;

	cJSON_ArrayForEach(cd, json_get(p, "status.conditions")) {
		const char *ty = json_get_str(cd, "type") ?: "";
		bool ready = !strcmp(ty, "Ready") || !strcmp(ty, "ContainersReady");

		if (!ready && !(sandbox_gone && !strcmp(ty, "PodReadyToStartContainers")))
			continue;
		json_set_str(cd, "status", "False");
		json_set_str(cd, "lastTransitionTime", now);
		if (ready)
			json_set_str(cd, "reason", "PodCompleted");
	}
}

void simpod_put_status(struct ctrl *c, const cJSON *p)
{
	char path[512];

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods/%s/status",
		 json_get_str(p, "metadata.namespace"),
		 json_get_str(p, "metadata.name"));
	ctrl_call(c, CTRL_USER_CM, "PUT", path, p, NULL);
}

/*
 * Every still running container of p terminated with code (those that
 * ended already keep their state); the number of non-zero exits.
 */
static int terminate_all(cJSON *p, int64_t code, const char *now)
{
	cJSON *cs, *term;
	int failed = 0;

	cJSON_ArrayForEach(cs, json_get(p, "status.containerStatuses")) {
		const char *st = json_get_str(cs, "state.running.startedAt");
		int64_t had = -1;

		if (json_get_int(cs, "state.terminated.exitCode", &had) == 0) {
			failed += had != 0;
			continue;
		}
		term = terminated(cs, code, st, now);	/* st dies with state */
		json_set(cs, "state", cJSON_CreateObject());
		json_set(cs, "state.terminated", term);
		cJSON_ReplaceItemInObject(cs, "ready", cJSON_CreateFalse());
		cJSON_ReplaceItemInObject(cs, "started", cJSON_CreateFalse());
		failed += code != 0;
	}
	return failed;
}

void simpod_exit(struct ctrl *c, const cJSON *pod)
{
	int64_t code = simpod_ann_int(pod, ANN_CODE, 0);
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX];
	cJSON *p = json_dup(pod);

	ktime_format(&t, now);
	json_set_str(p, "status.phase",
		     terminate_all(p, code, now) ? "Failed" : "Succeeded");
	not_ready(p, now, true);
	simpod_put_status(c, p);
	cJSON_Delete(p);
}

void simpod_end_run(cJSON *p, const char *now)
{
	int64_t code = simpod_ann_int(p, ANN_CODE, 0);
	cJSON *cs;

	cJSON_ArrayForEach(cs, json_get(p, "status.containerStatuses")) {
		const char *st = json_get_str(cs, "state.running.startedAt");

		if (!st)
			continue;
		json_set(cs, "lastState", cJSON_CreateObject());
		json_set(cs, "lastState.terminated", terminated(cs, code, st, now));
	}
}

/* Ready and ContainersReady True again (after a CrashLoopBackOff). */
static void ready_again(cJSON *p, const char *now)
{
	cJSON *cd;

	cJSON_ArrayForEach(cd, json_get(p, "status.conditions")) {
		const char *ty = json_get_str(cd, "type") ?: "";

		if ((strcmp(ty, "Ready") && strcmp(ty, "ContainersReady")) ||
		    !strcmp(json_get_str(cd, "status") ?: "", "True"))
			continue;
		json_set_str(cd, "status", "True");
		json_set_str(cd, "lastTransitionTime", now);
		json_del(cd, "reason");
		json_del(cd, "message");
	}
}

void simpod_restart(struct ctrl *c, const cJSON *pod)
{
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], id[96];
	cJSON *p = json_dup(pod), *cs;
	int i = 0;

	ktime_format(&t, now);
	simpod_end_run(p, now);
	cJSON_ArrayForEach(cs, json_get(p, "status.containerStatuses")) {
		int64_t n = 0;

		json_get_int(cs, "restartCount", &n);
		json_set_int(cs, "restartCount", n + 1);
		snprintf(id, sizeof(id), "kdeck-sim://%08x%04d",
			 (unsigned)rand(), i++);
		json_set_str(cs, "containerID", id);
		json_set(cs, "state", cJSON_CreateObject());
		json_set_str(cs, "state.running.startedAt", now);
		cJSON_ReplaceItemInObject(cs, "ready", cJSON_CreateTrue());
		cJSON_ReplaceItemInObject(cs, "started", cJSON_CreateTrue());
	}
	ready_again(p, now);
	simpod_put_status(c, p);
	cJSON_Delete(p);
}

bool simpod_stopped(const cJSON *pod)
{
	const cJSON *cs;

	if (ctrl_pod_terminal(pod))
		return true;
	cJSON_ArrayForEach(cs, json_get(pod, "status.containerStatuses"))
		if (json_get(cs, "state.running"))
			return false;
	return true;
}

void simpod_stop(struct ctrl *c, const cJSON *pod)
{
	bool always = !strcmp(restart_policy(pod), "Always");
	int64_t code = simpod_ann_int(pod, ANN_STOP_CODE, always ? 0 : 143);
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], msg[400];
	cJSON *p = json_dup(pod);
	const cJSON *cs;

	ktime_format(&t, now);
	cJSON_ArrayForEach(cs, json_get(pod, "status.containerStatuses")) {
		if (!json_get(cs, "state.running"))
			continue;
		snprintf(msg, sizeof(msg), "Stopping container %s",
			 json_get_str(cs, "name") ?: "");
		ctrl_event(c, "kubelet", CTRL_USER_CM, pod, "Normal", "Killing",
			   "Kill", msg);
	}
	json_set_str(p, "status.phase",
		     terminate_all(p, code, now) ? "Failed" : "Succeeded");
	not_ready(p, now, true);
	simpod_put_status(c, p);
	cJSON_Delete(p);
}
