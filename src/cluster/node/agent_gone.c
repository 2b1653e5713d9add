/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_gone: containers that ran before the agent's restart but are no
 * longer there (`cluster down` killed and removed them, or the machine
 * rebooted).  kubelet never runs such a container again when its pod's
 * restartPolicy says no: it records the last state it knew as the
 * container's final one.  Here: a container whose last reported state was
 * terminated keeps that state (exit code, reason, times); one that was
 * still running is recorded as terminated with exit code 137 and reason
 * ContainerStatusUnknown ("The container could not be located when the
 * pod was terminated"), as kubelet does.  Such a "gone" container has no
 * runtime state: ctr_observe leaves its recorded one alone.  Restarting
 * policies (Always, OnFailure after a failure) start it again as before.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cluster/node/agent_int.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define SEC 1000000000LL
#define GONE_MSG "The container could not be located when the pod was terminated"

static int64_t time_ns(const cJSON *st, const char *key)
{
	struct ktime t;
	const char *s = json_get_str(st, key);

	return s && ktime_parse(s, &t, NULL) == 0 ? t.sec * SEC + t.nsec : 0;
}

/* The status entry of c in the pod's last reported status, or NULL. */
static const cJSON *last_status(const struct pod_worker *w,
				const struct ctr *c)
{
	const char *key = c->init ? "status.initContainerStatuses"
				  : "status.containerStatuses";
	const cJSON *st;

	cJSON_ArrayForEach(st, json_get(w->pod, key))
		if (!strcmp(json_get_str(st, "name") ?: "", c->name) &&
		    json_get_str(st, "containerID"))
			return st;
	return NULL;
}

/* Fill c->st from st's terminated or running state; false otherwise. */
static bool recorded_state(struct ctr *c, const cJSON *st)
{
	int64_t code = 0;

	memset(&c->st, 0, sizeof(c->st));
	c->st.state = RT_EXITED;
	if (json_get(st, "state.terminated")) {
		json_get_int(st, "state.terminated.exitCode", &code);
		c->st.exit_code = (int)code;
		c->st.started_ns = time_ns(st, "state.terminated.startedAt");
		c->st.finished_ns = time_ns(st, "state.terminated.finishedAt");
		c->gone_reason = xstrdup(json_get_str(
			st, "state.terminated.reason") ?: "Error");
		free(c->term_msg);
		c->term_msg = xstrdup(json_get_str(
			st, "state.terminated.message") ?: "");
		return true;
	}
	if (!json_get(st, "state.running"))
		return false;
	c->st.exit_code = 137;
	c->st.started_ns = time_ns(st, "state.running.startedAt");
	c->st.finished_ns = agent_now_ns();
	c->gone_reason = xstrdup("ContainerStatusUnknown");
	free(c->term_msg);
	c->term_msg = xstrdup(GONE_MSG);
	return true;
}

bool ctr_adopt_gone(struct pod_worker *w, struct ctr *c)
{
	const cJSON *st = last_status(w, c);
	const char *id;
	int64_t n = 0;

	if (!st || c->init)
		return false;
	if (!recorded_state(c, st) || ctr_will_restart(w, c)) {
		free(c->gone_reason);
		c->gone_reason = NULL;
		memset(&c->st, 0, sizeof(c->st));
		return false;
	}
	id = json_get_str(st, "containerID");
	id = strstr(id, "://") ? strstr(id, "://") + 3 : id;
	json_get_int(st, "restartCount", &n);
	free(c->id);
	c->id = xstrdup(id);
	c->attempt = (int)n;
	c->gone = true;
	c->have_st = true;
	c->hook_done = true;
	return true;
}
