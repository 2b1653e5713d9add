/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podstatus: kubelet's pod status computation as pure functions (see
 * podstatus.h).  The rules follow kubelet's status manager: getPhase
 * counts init containers first (a failed one with restartPolicy Never
 * fails the pod), then regular containers (a waiting container that has
 * terminated before counts as stopped, not waiting); sidecars never hold
 * the phase.  Conditions keep their lastTransitionTime from the old
 * status while their status stays the same.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/node/podstatus.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/quantity.h"

static void fmt_time(int64_t ns, char out[KTIME_STR_MAX])
{
	struct ktime t = { .sec = ns / KTIME_NS_PER_SEC,
			   .nsec = (int32_t)(ns % KTIME_NS_PER_SEC) };

	ktime_format(&t, out);
}

static void set_time(cJSON *o, const char *key, int64_t ns)
{
	char t[KTIME_STR_MAX];

	if (!ns) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	fmt_time(ns, t);
	cJSON_AddStringToObject(o, key, t);
}

int64_t podstatus_backoff_next(int64_t cur_ns)
{
	if (cur_ns <= 0)
		return PS_BACKOFF_INITIAL_NS;
	return cur_ns >= PS_BACKOFF_MAX_NS / 2 ? PS_BACKOFF_MAX_NS
					       : cur_ns * 2;
}

int64_t podstatus_backoff_keep(int64_t cur_ns, int64_t started_ns,
			       int64_t finished_ns)
{
	if (started_ns && finished_ns &&
	    finished_ns - started_ns >= PS_BACKOFF_RESET_NS)
		return 0;
	return cur_ns;
}

const char *podstatus_term_reason(int exit_code, bool oom_killed)
{
	if (oom_killed)
		return "OOMKilled";
	return exit_code == 0 ? "Completed" : "Error";
}

bool podstatus_should_restart(const char *restart_policy, int exit_code)
{
	if (!restart_policy || !strcmp(restart_policy, "Always"))
		return true;
	if (!strcmp(restart_policy, "OnFailure"))
		return exit_code != 0;
	return false;
}

/* ---- phase ---- */

struct counts {
	int waiting, running, stopped, succeeded;
	int pending_init, failed_init;
};

static void count_init(const struct ps_pod *p, struct counts *k)
{
	for (int i = 0; i < p->ninit; i++) {
		const struct ps_ctr *c = &p->init[i];

		if (c->sidecar) {
			if (!c->started)
				k->pending_init++;
			continue;
		}
		switch (c->state) {
		case PS_RUNNING:
			k->pending_init++;
			break;
		case PS_TERMINATED:
			if (c->term.exit_code)
				k->failed_init++;
			break;
		case PS_WAITING:
			if (!c->has_last)
				k->pending_init++;
			else if (c->last.exit_code)
				k->failed_init++;
			break;
		}
	}
}

static void count_regular(const struct ps_pod *p, struct counts *k)
{
	for (int i = 0; i < p->nctrs; i++) {
		const struct ps_ctr *c = &p->ctrs[i];

		switch (c->state) {
		case PS_RUNNING:
			k->running++;
			break;
		case PS_TERMINATED:
			k->stopped++;
			if (!c->term.exit_code)
				k->succeeded++;
			break;
		case PS_WAITING:
			if (c->has_last)
				k->stopped++;
			else
				k->waiting++;
			break;
		}
	}
}

const char *podstatus_phase(const struct ps_pod *p)
{
	const char *policy = json_get_str(p->pod, "spec.restartPolicy");
	struct counts k;

	if (!policy)
		policy = "Always";
	memset(&k, 0, sizeof(k));
	count_init(p, &k);
	count_regular(p, &k);
	if (k.failed_init && !strcmp(policy, "Never"))
		return "Failed";
	if ((k.pending_init || k.failed_init) && !p->terminal)
		return "Pending";
	if (k.waiting)
		return "Pending";
	if (k.running)
		return "Running";
	if (!k.stopped)
		return "Pending";
	if (p->terminal)
		return k.stopped == k.succeeded ? "Succeeded" : "Failed";
	if (!strcmp(policy, "Always"))
		return "Running";
	if (k.stopped == k.succeeded)
		return "Succeeded";
	return !strcmp(policy, "Never") ? "Failed" : "Running";
}

/* ---- QoS ---- */

static bool has_res(const cJSON *ctr, const char *kind, const char *res)
{
	char path[64];

	snprintf(path, sizeof(path), "resources.%s.%s", kind, res);
	return json_get(ctr, path) != NULL;
}

static bool same_res(const cJSON *ctr, const char *res)
{
	char rp[64], lp[64];
	const char *r, *l;
	struct quantity qr, ql;

	snprintf(rp, sizeof(rp), "resources.requests.%s", res);
	snprintf(lp, sizeof(lp), "resources.limits.%s", res);
	r = json_get_str(ctr, rp);
	l = json_get_str(ctr, lp);
	if (!l)
		return false;
	if (!r)
		return true;	/* requests default to limits */
	if (quantity_parse(r, &qr, NULL) < 0 || quantity_parse(l, &ql, NULL) < 0)
		return !strcmp(r, l);
	return quantity_cmp(&qr, &ql) == 0;
}

static void qos_scan(const cJSON *list, bool *any, bool *guaranteed)
{
	static const char *const res[] = { "cpu", "memory" };
	const cJSON *c;

	cJSON_ArrayForEach(c, list) {
		for (size_t i = 0; i < 2; i++) {
			if (has_res(c, "requests", res[i]) ||
			    has_res(c, "limits", res[i]))
				*any = true;
			if (!same_res(c, res[i]))
				*guaranteed = false;
		}
	}
}

const char *podstatus_qos(const cJSON *spec)
{
	bool any = false, guaranteed = true;

	qos_scan(json_get(spec, "initContainers"), &any, &guaranteed);
	qos_scan(json_get(spec, "containers"), &any, &guaranteed);
	if (!any)
		return "BestEffort";
	return guaranteed ? "Guaranteed" : "Burstable";
}

/* ---- container statuses ---- */

static cJSON *term_obj(const struct ps_term *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "exitCode", t->exit_code);
	cJSON_AddStringToObject(o, "reason", t->reason ? t->reason : "Error");
	if (t->message && *t->message)
		cJSON_AddStringToObject(o, "message", t->message);
	set_time(o, "startedAt", t->started_ns);
	set_time(o, "finishedAt", t->finished_ns);
	if (t->container_id)
		cJSON_AddStringToObject(o, "containerID", t->container_id);
	return o;
}

static cJSON *state_obj(const struct ps_ctr *c)
{
	cJSON *s = cJSON_CreateObject(), *w;

	switch (c->state) {
	case PS_RUNNING:
		w = cJSON_AddObjectToObject(s, "running");
		set_time(w, "startedAt", c->started_ns);
		break;
	case PS_TERMINATED:
		cJSON_AddItemToObject(s, "terminated", term_obj(&c->term));
		break;
	case PS_WAITING:
		w = cJSON_AddObjectToObject(s, "waiting");
		cJSON_AddStringToObject(w, "reason",
					c->reason ? c->reason
						  : "ContainerCreating");
		if (c->message && *c->message)
			cJSON_AddStringToObject(w, "message", c->message);
		break;
	}
	return s;
}

cJSON *podstatus_container(const struct ps_ctr *c)
{
	cJSON *o = cJSON_CreateObject(), *last;

	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddItemToObject(o, "state", state_obj(c));
	last = cJSON_AddObjectToObject(o, "lastState");
	if (c->has_last)
		cJSON_AddItemToObject(last, "terminated", term_obj(&c->last));
	cJSON_AddBoolToObject(o, "ready", c->ready);
	cJSON_AddNumberToObject(o, "restartCount", c->restart_count);
	cJSON_AddStringToObject(o, "image", c->image ? c->image : "");
	cJSON_AddStringToObject(o, "imageID", c->image_id ? c->image_id : "");
	if (c->container_id)
		cJSON_AddStringToObject(o, "containerID", c->container_id);
	cJSON_AddBoolToObject(o, "started", c->started);
	return o;
}

static cJSON *statuses(const struct ps_ctr *v, int n)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, podstatus_container(&v[i]));
	return arr;
}

/* ---- conditions ---- */

struct cond {
	const char *type;
	bool ok;
	const char *reason;
	char message[512];
};

/* "containers with unready status: [a b]" or "" when all pass. */
static void unready_list(const struct ps_ctr *v, int n, bool init,
			 const char *what, char *out, size_t size)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < n; i++) {
		bool pass = init ? (v[i].sidecar ? v[i].started
					: v[i].state == PS_TERMINATED &&
						  !v[i].term.exit_code)
				 : v[i].ready;

		if (!pass)
			buf_printf(&b, "%s%s", b.len ? " " : "", v[i].name);
	}
	if (b.len)
		snprintf(out, size, "containers with %s status: [%s]", what,
			 b.data);
	else
		out[0] = '\0';
	buf_free(&b);
}

static void ready_conds(const struct ps_pod *p, const char *phase,
			struct cond *ready, struct cond *cready)
{
	bool done = !strcmp(phase, "Succeeded") || !strcmp(phase, "Failed");
	char sidecars[256] = "";

	unready_list(p->ctrs, p->nctrs, false, "unready", cready->message,
		     sizeof(cready->message));
	for (int i = 0; i < p->ninit; i++)	/* sidecars count for Ready */
		if (p->init[i].sidecar && !p->init[i].ready)
			unready_list(&p->init[i], 1, false, "unready",
				     sidecars, sizeof(sidecars));
	if (!cready->message[0] && sidecars[0])
		snprintf(cready->message, sizeof(cready->message), "%s",
			 sidecars);
	cready->ok = !done && !cready->message[0];
	cready->reason = done ? "PodCompleted"
			      : cready->ok ? NULL : "ContainersNotReady";
	if (done)
		cready->message[0] = '\0';
	*ready = *cready;
	ready->type = "Ready";
	cready->type = "ContainersReady";
}

static cJSON *cond_obj(const struct cond *c, const cJSON *old_conds,
		       int64_t now_ns)
{
	const char *status = c->ok ? "True" : "False";
	cJSON *o = cJSON_CreateObject();
	const cJSON *oc;
	const char *when = NULL;

	cJSON_ArrayForEach(oc, old_conds) {
		const char *ty = json_get_str(oc, "type");
		const char *st = json_get_str(oc, "status");

		if (ty && st && !strcmp(ty, c->type) && !strcmp(st, status))
			when = json_get_str(oc, "lastTransitionTime");
	}
	cJSON_AddStringToObject(o, "type", c->type);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddNullToObject(o, "lastProbeTime");
	if (when)
		cJSON_AddStringToObject(o, "lastTransitionTime", when);
	else
		set_time(o, "lastTransitionTime", now_ns);
	if (c->reason)
		cJSON_AddStringToObject(o, "reason", c->reason);
	if (c->message[0])
		cJSON_AddStringToObject(o, "message", c->message);
	return o;
}

static cJSON *conditions(const struct ps_pod *p, const char *phase)
{
	const cJSON *old = json_get(p->pod, "status.conditions");
	struct cond c[5];
	cJSON *arr = cJSON_CreateArray();

	memset(c, 0, sizeof(c));
	c[0].type = "PodReadyToStartContainers";
	c[0].ok = p->sandbox_ready;
	c[1].type = "Initialized";
	unready_list(p->init, p->ninit, true, "incomplete", c[1].message,
		     sizeof(c[1].message));
	c[1].ok = !c[1].message[0];
	c[1].reason = c[1].ok ? NULL : "ContainersNotInitialized";
	ready_conds(p, phase, &c[2], &c[3]);
	c[4].type = "PodScheduled";
	c[4].ok = true;
	for (size_t i = 0; i < 5; i++)
		cJSON_AddItemToArray(arr, cond_obj(&c[i], old, p->now_ns));
	return arr;
}

static cJSON *ip_list(const char *ip)
{
	cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "ip", ip);
	cJSON_AddItemToArray(arr, o);
	return arr;
}

cJSON *podstatus_build(const struct ps_pod *p)
{
	const char *phase = podstatus_phase(p);
	const char *old_start = json_get_str(p->pod, "status.startTime");
	cJSON *s = cJSON_CreateObject();

	cJSON_AddStringToObject(s, "phase", phase);
	cJSON_AddItemToObject(s, "conditions", conditions(p, phase));
	if (p->host_ip) {
		cJSON_AddStringToObject(s, "hostIP", p->host_ip);
		cJSON_AddItemToObject(s, "hostIPs", ip_list(p->host_ip));
	}
	if (p->pod_ip && *p->pod_ip) {
		cJSON_AddStringToObject(s, "podIP", p->pod_ip);
		cJSON_AddItemToObject(s, "podIPs", ip_list(p->pod_ip));
	}
	if (old_start)
		cJSON_AddStringToObject(s, "startTime", old_start);
	else
		set_time(s, "startTime", p->start_ns ? p->start_ns : p->now_ns);
	if (p->ninit)
		cJSON_AddItemToObject(s, "initContainerStatuses",
				      statuses(p->init, p->ninit));
	cJSON_AddItemToObject(s, "containerStatuses",
			      statuses(p->ctrs, p->nctrs));
	cJSON_AddStringToObject(s, "qosClass",
				podstatus_qos(json_get(p->pod, "spec")));
	return s;
}
