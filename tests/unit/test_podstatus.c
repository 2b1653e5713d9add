/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_podstatus: the node agent's pure status rules: container states to
 * phase (kubelet's getPhase), conditions and their reasons, container
 * status objects, QoS classes and back-off arithmetic.
 */
#include "config.h"

#include <string.h>

#include "cluster/node/podstatus.h"
#include "common/json.h"
#include "../tap.h"

#define SEC 1000000000LL
#define NOW (1795946400LL * SEC)

/* Shorthands for container observations. */
#define WAIT(n) { .name = n, .state = PS_WAITING, .reason = "ContainerCreating" }
#define RUN(n, rdy) { .name = n, .state = PS_RUNNING, .started_ns = NOW, \
		      .ready = rdy, .started = true }
#define EXIT(n, code) { .name = n, .state = PS_TERMINATED, \
			.term = { .exit_code = code, .started_ns = NOW - SEC, \
				  .finished_ns = NOW } }
#define LOOP(n, code) { .name = n, .state = PS_WAITING, \
			.reason = "CrashLoopBackOff", .has_last = true, \
			.last = { .exit_code = code }, .restart_count = 1 }
#define SIDECAR(n, st) { .name = n, .state = PS_RUNNING, .sidecar = true, \
			 .started = st, .ready = st }

struct phase_case {
	const char *what, *policy;
	struct ps_ctr init[3];
	int ninit;
	struct ps_ctr ctrs[3];
	int nctrs;
	bool terminal;
	const char *phase, *initialized, *ready, *ready_reason, *ready_msg;
};

static const struct phase_case phases[] = {
	{ "nothing started", "Always", {{0}}, 0, { WAIT("a") }, 1, false,
	  "Pending", "True", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "running, not ready", "Always", {{0}}, 0, { RUN("a", false) }, 1,
	  false, "Running", "True", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "running, ready", "Always", {{0}}, 0, { RUN("a", true) }, 1, false,
	  "Running", "True", "True", NULL, NULL },
	{ "one waiting one running", "Always", {{0}}, 0,
	  { RUN("a", true), WAIT("b") }, 2, false, "Pending", "True", "False",
	  "ContainersNotReady", "containers with unready status: [b]" },
	{ "never, exit 0", "Never", {{0}}, 0, { EXIT("a", 0) }, 1, false,
	  "Succeeded", "True", "False", "PodCompleted", NULL },
	{ "never, exit 1", "Never", {{0}}, 0, { EXIT("a", 1) }, 1, false,
	  "Failed", "True", "False", "PodCompleted", NULL },
	{ "never, one of two failed", "Never", {{0}}, 0,
	  { EXIT("a", 0), EXIT("b", 2) }, 2, false, "Failed", "True", "False",
	  "PodCompleted", NULL },
	{ "never, one still running", "Never", {{0}}, 0,
	  { EXIT("a", 1), RUN("b", true) }, 2, false, "Running", "True",
	  "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "onfailure, exit 0", "OnFailure", {{0}}, 0, { EXIT("a", 0) }, 1,
	  false, "Succeeded", "True", "False", "PodCompleted", NULL },
	{ "onfailure, crash loop", "OnFailure", {{0}}, 0, { LOOP("a", 1) }, 1,
	  false, "Running", "True", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "always, crash loop", "Always", {{0}}, 0, { LOOP("a", 1) }, 1,
	  false, "Running", "True", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "always, all exited, not terminal", "Always", {{0}}, 0,
	  { EXIT("a", 0) }, 1, false, "Running", "True", "False",
	  "ContainersNotReady", "containers with unready status: [a]" },
	{ "always, exited, terminal", "Always", {{0}}, 0, { EXIT("a", 0) }, 1,
	  true, "Succeeded", "True", "False", "PodCompleted", NULL },
	{ "init running", "Always", { RUN("i", false) }, 1, { WAIT("a") }, 1,
	  false, "Pending", "False", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "init done", "Always", { EXIT("i", 0) }, 1, { RUN("a", true) }, 1,
	  false, "Running", "True", "True", NULL, NULL },
	{ "init failed, never", "Never", { EXIT("i", 3) }, 1, { WAIT("a") },
	  1, false, "Failed", "False", "False", "PodCompleted", NULL },
	{ "init failed, always", "Always", { LOOP("i", 3) }, 1, { WAIT("a") },
	  1, false, "Pending", "False", "False", "ContainersNotReady",
	  "containers with unready status: [a]" },
	{ "sidecar not started", "Always", { SIDECAR("s", false) }, 1,
	  { WAIT("a") }, 1, false, "Pending", "False", "False",
	  "ContainersNotReady", "containers with unready status: [a]" },
	{ "sidecar and main running", "Always",
	  { EXIT("i", 0), SIDECAR("s", true) }, 2, { RUN("a", true) }, 1,
	  false, "Running", "True", "True", NULL, NULL },
};

static cJSON *pod_with(const char *policy)
{
	cJSON *p = cJSON_CreateObject();

	json_set_str(p, "metadata.name", "p");
	json_set_str(p, "spec.restartPolicy", policy);
	return p;
}

static const cJSON *cond(const cJSON *st, const char *type)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, json_get(st, "conditions")) {
		if (!strcmp(json_get_str(c, "type"), type))
			return c;
	}
	return NULL;
}

static void test_phases(void)
{
	for (size_t i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		const struct phase_case *t = &phases[i];
		cJSON *pod = pod_with(t->policy);
		struct ps_pod p = { .pod = pod, .init = t->init,
				    .ninit = t->ninit, .ctrs = t->ctrs,
				    .nctrs = t->nctrs, .terminal = t->terminal,
				    .sandbox_ready = true, .now_ns = NOW };
		cJSON *st = podstatus_build(&p);
		const cJSON *ready = cond(st, "Ready");

		is_str(podstatus_phase(&p), t->phase, "%s: phase", t->what);
		is_str(json_get_str(st, "phase"), t->phase, "%s: status.phase",
		       t->what);
		is_str(json_get_str(cond(st, "Initialized"), "status"),
		       t->initialized, "%s: Initialized", t->what);
		is_str(json_get_str(ready, "status"), t->ready, "%s: Ready",
		       t->what);
		is_str(json_get_str(ready, "reason"), t->ready_reason,
		       "%s: Ready reason", t->what);
		is_str(json_get_str(ready, "message"), t->ready_msg,
		       "%s: Ready message", t->what);
		is_str(json_get_str(cond(st, "ContainersReady"), "status"),
		       t->ready, "%s: ContainersReady", t->what);
		cJSON_Delete(st);
		cJSON_Delete(pod);
	}
}

static void test_transition_kept(void)
{
	cJSON *pod = pod_with("Always");
	struct ps_ctr c[] = { RUN("a", true) };
	struct ps_pod p = { .pod = pod, .ctrs = c, .nctrs = 1,
			    .sandbox_ready = true, .now_ns = NOW,
			    .pod_ip = "10.244.0.5", .host_ip = "127.0.0.1" };
	cJSON *st = podstatus_build(&p), *st2;

	json_set(pod, "status", st);
	p.now_ns = NOW + 100 * SEC;
	st2 = podstatus_build(&p);
	is_str(json_get_str(cond(st2, "Ready"), "lastTransitionTime"),
	       "2026-11-29T10:00:00Z", "unchanged condition keeps its time");
	is_str(json_get_str(st2, "startTime"), "2026-11-29T10:00:00Z",
	       "startTime kept");
	is_str(json_get_str(st2, "podIP"), "10.244.0.5", "podIP");
	is_str(json_get_str(st2, "podIPs[0].ip"), "10.244.0.5", "podIPs");
	is_str(json_get_str(st2, "hostIP"), "127.0.0.1", "hostIP");
	ok(json_equal(st, st2), "same observation, same status");
	c[0].ready = false;
	cJSON_Delete(st2);
	st2 = podstatus_build(&p);
	is_str(json_get_str(cond(st2, "Ready"), "lastTransitionTime"),
	       "2026-11-29T10:01:40Z", "flipped condition gets a new time");
	ok(!json_equal(st, st2), "a change is a change");
	cJSON_Delete(st2);
	cJSON_Delete(pod);
}

static void test_container_status(void)
{
	struct ps_ctr c = LOOP("web", 137);
	cJSON *o;

	c.image = "docker.io/library/busybox:latest";
	c.message = "back-off 10s restarting failed container=web pod=p_d(u)";
	c.last.reason = "OOMKilled";
	c.last.started_ns = NOW - 5 * SEC;
	c.last.finished_ns = NOW;
	c.last.container_id = "runc://u_web_0";
	c.restart_count = 3;
	o = podstatus_container(&c);
	is_str(json_get_str(o, "state.waiting.reason"), "CrashLoopBackOff",
	       "waiting reason");
	is_str(json_get_str(o, "state.waiting.message"), c.message,
	       "waiting message");
	is_str(json_get_str(o, "lastState.terminated.reason"), "OOMKilled",
	       "last reason");
	is_str(json_get_str(o, "lastState.terminated.finishedAt"),
	       "2026-11-29T10:00:00Z", "last finishedAt");
	is_str(json_get_str(o, "lastState.terminated.containerID"),
	       "runc://u_web_0", "last containerID");
	is_int(cJSON_GetObjectItem(json_get(o, "lastState.terminated"),
				   "exitCode")->valueint, 137, "last exit code");
	is_int(cJSON_GetObjectItem(o, "restartCount")->valueint, 3,
	       "restartCount");
	ok(!json_get(o, "containerID"), "no containerID while waiting fresh");
	ok(cJSON_IsFalse(json_obj(o, "started")), "not started");
	cJSON_Delete(o);
	c = (struct ps_ctr)RUN("web", true);
	c.container_id = "runc://u_web_1";
	o = podstatus_container(&c);
	is_str(json_get_str(o, "state.running.startedAt"),
	       "2026-11-29T10:00:00Z", "running startedAt");
	ok(json_get(o, "lastState") && !json_get(o, "lastState.terminated"),
	   "empty lastState");
	is_str(json_get_str(o, "containerID"), "runc://u_web_1", "containerID");
	cJSON_Delete(o);
}

static const struct {
	const char *spec, *qos;
} qos[] = {
	{ "{\"containers\":[{\"name\":\"a\"}]}", "BestEffort" },
	{ "{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
	  "{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}", "Guaranteed" },
	{ "{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
	  "{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"1000m\","
	  "\"memory\":\"1Gi\"}}}]}", "Guaranteed" },
	{ "{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
	  "{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"500m\"}}}]}",
	  "Burstable" },
	{ "{\"containers\":[{\"name\":\"a\",\"resources\":{\"requests\":"
	  "{\"memory\":\"64Mi\"}}}]}", "Burstable" },
	{ "{\"containers\":[{\"name\":\"a\",\"resources\":{\"limits\":"
	  "{\"cpu\":\"1\",\"memory\":\"1Gi\"}}},{\"name\":\"b\"}]}",
	  "Burstable" },
};

static void test_qos(void)
{
	for (size_t i = 0; i < sizeof(qos) / sizeof(qos[0]); i++) {
		cJSON *s = cJSON_Parse(qos[i].spec);

		is_str(podstatus_qos(s), qos[i].qos, "qos %zu", i);
		cJSON_Delete(s);
	}
}

static void test_backoff(void)
{
	static const long long steps[] = { 10, 20, 40, 80, 160, 300, 300 };
	int64_t b = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		b = podstatus_backoff_next(b);
		is_int(b / SEC, steps[i], "back-off step %zu", i);
	}
	is_int(podstatus_backoff_keep(b, NOW, NOW + 599 * SEC), b,
	       "short run keeps the back-off");
	is_int(podstatus_backoff_keep(b, NOW, NOW + 600 * SEC), 0,
	       "ten minutes of running reset it");
	is_int(podstatus_backoff_keep(b, 0, NOW), b, "never started: kept");
	is_str(podstatus_term_reason(0, false), "Completed", "exit 0");
	is_str(podstatus_term_reason(2, false), "Error", "exit 2");
	is_str(podstatus_term_reason(137, true), "OOMKilled", "oom");
	ok(podstatus_should_restart("Always", 0), "Always restarts exit 0");
	ok(podstatus_should_restart(NULL, 0), "default is Always");
	ok(!podstatus_should_restart("OnFailure", 0), "OnFailure, exit 0");
	ok(podstatus_should_restart("OnFailure", 1), "OnFailure, exit 1");
	ok(!podstatus_should_restart("Never", 1), "Never");
}

int main(void)
{
	test_phases();
	test_transition_kept();
	test_container_status();
	test_qos();
	test_backoff();
	return tap_done();
}
