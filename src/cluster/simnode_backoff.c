/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simnode_backoff: the simulated kubelet's container restart back-off
 * (CrashLoopBackOff), as the kubelet's flowcontrol.Backoff per pod:
 *
 *   - a container that exits and must restart, with no back-off in
 *     force, restarts at once and the back-off becomes 10 s (the first
 *     one) or doubles, capped at 5 min;
 *   - one that exits within the back-off of its last restart waits:
 *     state.waiting reason CrashLoopBackOff, "back-off 10s restarting
 *     failed container=main pod=name_ns(uid)", the pod not Ready, a
 *     Warning BackOff event "Back-off restarting failed container main
 *     in pod name_ns(uid)"; it restarts once the back-off since its exit
 *     has passed;
 *   - a back-off not used for 10 min (twice the cap: the container ran
 *     that long) is forgotten, so the next exit restarts at once and
 *     starts again from 10 s.
 *
 * The table (uid -> back-off) lives in the simulated nodes' state and is
 * only touched by the pass's planning (one thread); expired entries are
 * dropped as the kubelet's GC does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "cluster/ctrl_int.h"
#include "cluster/simnode_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define BACKOFF_INITIAL 10
#define BACKOFF_MAX 300

struct sim_backoff {
	char *uid;
	int64_t backoff;	/* seconds */
	int64_t last;		/* unix seconds of the last restart */
	UT_hash_handle hh;
};

static bool expired(const struct sim_backoff *b, int64_t t)
{
	return t - b->last > 2 * BACKOFF_MAX;
}

bool simpod_backoff_restart(struct sim_backoff **tab, const char *uid,
			    int64_t now, int64_t finished, int64_t *backoff)
{
	struct sim_backoff *b;

	HASH_FIND_STR(*tab, uid, b);
	if (b && !expired(b, finished) && now - finished < b->backoff) {
		*backoff = b->backoff;
		return false;
	}
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		b->uid = xstrdup(uid);
		HASH_ADD_KEYPTR(hh, *tab, b->uid, strlen(b->uid), b);
	}
	if (!b->backoff || expired(b, now))
		b->backoff = BACKOFF_INITIAL;
	else
		b->backoff = b->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : b->backoff * 2;
	b->last = now;
	*backoff = b->backoff;
	return true;
}

void simpod_backoff_gc(struct sim_backoff **tab, int64_t now)
{
	struct sim_backoff *b, *tmp;

	HASH_ITER(hh, *tab, b, tmp)
		if (expired(b, now)) {
			HASH_DEL(*tab, b);
			free(b->uid);
			free(b);
		}
}

void simpod_backoff_free(struct sim_backoff **tab)
{
	struct sim_backoff *b, *tmp;

	HASH_ITER(hh, *tab, b, tmp) {
		HASH_DEL(*tab, b);
		free(b->uid);
		free(b);
	}
}

bool simpod_in_backoff(const cJSON *pod, int64_t *finished)
{
	const cJSON *cs;

	cJSON_ArrayForEach(cs, json_get(pod, "status.containerStatuses"))
		if (!strcmp(json_get_str(cs, "state.waiting.reason") ?: "",
			    "CrashLoopBackOff")) {
			if (finished)
				*finished = ctrl_time(cs, "lastState.terminated.finishedAt");
			return true;
		}
	return false;
}

/* Go's time.Duration String of whole seconds: 10s, 1m20s, 5m0s. */
static void go_duration(int64_t s, char *out, size_t n)
{
	if (s < 60)
		snprintf(out, n, "%llds", (long long)s);
	else
		snprintf(out, n, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
}

/* Ready and ContainersReady False: ContainersNotReady. */
static void containers_not_ready(cJSON *p, const char *names, const char *now)
{
	cJSON *cd;
	char msg[400];

	snprintf(msg, sizeof(msg), "containers with unready status: [%s]", names);
	cJSON_ArrayForEach(cd, json_get(p, "status.conditions")) {
		const char *ty = json_get_str(cd, "type") ?: "";

		if (strcmp(ty, "Ready") && strcmp(ty, "ContainersReady"))
			continue;
		if (strcmp(json_get_str(cd, "status") ?: "", "False"))
			json_set_str(cd, "lastTransitionTime", now);
		json_set_str(cd, "status", "False");
		json_set_str(cd, "reason", "ContainersNotReady");
		json_set_str(cd, "message", msg);
	}
}

void simpod_crash(struct ctrl *c, const cJSON *pod, int64_t backoff)
{
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], dur[32], who[400], msg[600], names[300] = "";
	cJSON *p = json_dup(pod), *cs;

	ktime_format(&t, now);
	go_duration(backoff, dur, sizeof(dur));
	snprintf(who, sizeof(who), "%s_%s(%s)", json_get_str(pod, "metadata.name") ?: "",
		 json_get_str(pod, "metadata.namespace") ?: "",
		 json_get_str(pod, "metadata.uid") ?: "");
	simpod_end_run(p, now);
	cJSON_ArrayForEach(cs, json_get(p, "status.containerStatuses")) {
		const char *name = json_get_str(cs, "name") ?: "";

		snprintf(msg, sizeof(msg), "back-off %s restarting failed container=%s pod=%s",
			 dur, name, who);
		json_set(cs, "state", cJSON_CreateObject());
		json_set_str(cs, "state.waiting.reason", "CrashLoopBackOff");
		json_set_str(cs, "state.waiting.message", msg);
		cJSON_ReplaceItemInObject(cs, "ready", cJSON_CreateFalse());
		cJSON_ReplaceItemInObject(cs, "started", cJSON_CreateFalse());
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 *names ? " " : "", name);
		snprintf(msg, sizeof(msg), "Back-off restarting failed container %s in pod %s",
			 name, who);
		ctrl_event(c, "kubelet", CTRL_USER_CM, pod, "Warning", "BackOff",
			   "Backoff", msg);
	}
	containers_not_ready(p, names, now);
	simpod_put_status(c, p);
	cJSON_Delete(p);
}
