/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_ctr: the life of one container, driven by its pod's worker.
 *
 * Each step looks at the runtime's state of the current attempt and
 * moves one notch: pull the image (imagePullPolicy; ErrImagePull, then
 * ImagePullBackOff with 10 s..5 min back-off), build the runtime spec
 * (CreateContainerConfigError), start it (attempt N = restartCount, id
 * UID_CTR_N), run postStart, probes while it runs, and after it exits
 * restart it as restartPolicy says with kubelet's crash-loop back-off
 * (the first restart is immediate, then 10 s, 20 s, ... 5 min, measured
 * from the exit; reset after 10 minutes of running).  The previous
 * attempt's container is kept for `logs --previous` and lastState; older
 * ones are removed.  Events carry kubelet's reasons and wording.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/agent_int.h"
#include "cluster/node/layout.h"
#include "common/json.h"
#include "common/mem.h"

#define SEC 1000000000LL

static const char *const probe_key[PR_N] = {
	[PR_STARTUP] = "startupProbe",
	[PR_LIVENESS] = "livenessProbe",
	[PR_READINESS] = "readinessProbe",
};
static const char *const probe_word[PR_N] = {
	[PR_STARTUP] = "Startup",
	[PR_LIVENESS] = "Liveness",
	[PR_READINESS] = "Readiness",
};

char *pod_ref(const cJSON *pod)
{
	return xasprintf("%s_%s(%s)", json_get_str(pod, "metadata.name"),
			 json_get_str(pod, "metadata.namespace"),
			 json_get_str(pod, "metadata.uid"));
}

static char *field_path(const struct ctr *c)
{
	return xasprintf("spec.%s{%s}", c->init ? "initContainers"
						: "containers", c->name);
}

/* An event about container c (fieldPath set). */
#define CEVENT(w, c, type, reason, ...)                                     \
	do {                                                                \
		char *fp_ = field_path(c);                                  \
		agent_event((w)->a, (w)->pod, fp_, type, reason,            \
			    __VA_ARGS__);                                   \
		free(fp_);                                                  \
	} while (0)

static void set_waiting(struct ctr *c, const char *reason, const char *msg)
{
	free(c->wreason);
	free(c->wmsg);
	c->wreason = xstrdup(reason);
	c->wmsg = xstrdup(msg);
}

static bool waiting_is(const struct ctr *c, const char *reason)
{
	return c->wreason && !strcmp(c->wreason, reason);
}

void ctr_clear(struct ctr *c)
{
	free(c->name);
	free(c->id);
	free(c->wreason);
	free(c->wmsg);
	free(c->image_id);
	free(c->last_reason);
	free(c->last_cid);
	free((char *)c->last.message);
	free(c->term_log);
	free(c->term_msg);
	free(c->gone_reason);
	memset(c, 0, sizeof(*c));
}

/* The termination message (at most 4096 bytes, as kubelet). */
static char *read_term_log(const char *path)
{
	char buf[4097];
	FILE *f = fopen(path, "re");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

void ctr_observe(struct pod_worker *w, struct ctr *c)
{
	struct err e;

	if (c->gone)	/* its recorded final state (agent_gone.c) */
		return;
	c->have_st = false;
	if (!c->id)
		return;
	err_clear(&e);
	if (w->a->ops->ctr_status(w->a->rt, c->id, &c->st, &e) == 0)
		c->have_st = true;
	if (c->have_st && c->st.state == RT_EXITED && c->term_log &&
	    !c->term_msg)
		c->term_msg = read_term_log(c->term_log);
}

static bool running(const struct ctr *c)
{
	return c->have_st && c->st.state == RT_RUNNING;
}

static bool exited(const struct ctr *c)
{
	return c->have_st && c->st.state == RT_EXITED;
}

static const char *term_reason(const struct ctr *c)
{
	if (c->gone && c->gone_reason)
		return c->gone_reason;
	if (c->st.message[0] && !c->st.started_ns)
		return "StartError";
	return podstatus_term_reason(c->st.exit_code, c->st.oom_killed);
}

/* ---- images ---- */

static const char *pull_policy(const cJSON *spec)
{
	const char *p = json_get_str(spec, "imagePullPolicy");
	const char *img = json_get_str(spec, "image");
	const char *slash, *colon;

	if (p)
		return p;
	if (strchr(img, '@'))
		return "IfNotPresent";
	slash = strrchr(img, '/');
	colon = strrchr(slash ? slash : img, ':');
	return !colon || !strcmp(colon, ":latest") ? "Always" : "IfNotPresent";
}

/* `.dockerconfigjson` of the pod's imagePullSecrets; NULL-terminated. */
static char **pull_auths(struct pod_worker *w)
{
	const cJSON *ref;
	char **v = xcalloc(1, sizeof(*v));
	size_t n = 0;

	cJSON_ArrayForEach(ref, json_get(w->pod, "spec.imagePullSecrets")) {
		cJSON *sec = w->a->env.get(w->a->env.arg,
					   json_get_str(w->pod, "metadata.namespace"),
					   "secrets", json_get_str(ref, "name"));
		const char *b64 = json_get_str(sec, "data..dockerconfigjson");
		gnutls_datum_t in = { (unsigned char *)b64,
				      b64 ? (unsigned)strlen(b64) : 0 };
		gnutls_datum_t out = { NULL, 0 };

		if (b64 && gnutls_base64_decode2(&in, &out) == 0) {
			v = xrealloc(v, (n + 2) * sizeof(*v));
			v[n++] = xstrndup((char *)out.data, out.size);
			v[n] = NULL;
		}
		gnutls_free(out.data);
		cJSON_Delete(sec);
	}
	return v;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void pull_failed(struct pod_worker *w, struct ctr *c, const char *img,
			const char *msg)
{
	CEVENT(w, c, "Warning", "Failed", "Failed to pull image \"%s\": %s",
	       img, msg);
	CEVENT(w, c, "Warning", "Failed", "Error: ErrImagePull");
	set_waiting(c, "ErrImagePull", msg);
	c->pull_backoff_ns = podstatus_backoff_next(c->pull_backoff_ns);
	c->next_pull_ns = agent_now_ns() + c->pull_backoff_ns;
}

static int do_pull(struct pod_worker *w, struct ctr *c, const char *img)
{
	const struct agent_ops *o = w->a->ops;
	char **auths = pull_auths(w);
	int64_t t0 = agent_now_ns(), dt;
	struct image_config *cfg = NULL;
	struct err e;
	int rc;

	CEVENT(w, c, "Normal", "Pulling", "Pulling image \"%s\"", img);
	err_clear(&e);
	rc = o->img_pull(w->a->images, img, (const char *const *)auths, &e);
	free_strv(auths);
	if (rc < 0) {
		pull_failed(w, c, img, e.msg);
		return -1;
	}
	dt = agent_now_ns() - t0;
	if (o->img_get(w->a->images, img, &cfg, &e) == 0)
		CEVENT(w, c, "Normal", "Pulled",
		       "Successfully pulled image \"%s\" in %.3gs (%.3gs "
		       "including waiting). Image size: %lld bytes.",
		       img, (double)dt / SEC, (double)dt / SEC,
		       (long long)cfg->size);
	o->img_config_free(cfg);
	c->pull_backoff_ns = 0;
	return 0;
}

/* Make the image present as the policy says; -1 leaves c waiting. */
static int ensure_image(struct pod_worker *w, struct ctr *c,
			const cJSON *spec)
{
	const char *img = json_get_str(spec, "image");
	const char *policy = pull_policy(spec);
	bool present = w->a->ops->img_present(w->a->images, img);
	char *msg;

	if (!strcmp(policy, "Never") && !present) {
		msg = xasprintf("Container image \"%s\" is not present with "
				"pull policy of Never", img);
		if (!waiting_is(c, "ErrImageNeverPull"))
			CEVENT(w, c, "Warning", "ErrImageNeverPull", "%s", msg);
		set_waiting(c, "ErrImageNeverPull", msg);
		free(msg);
		return -1;
	}
	if (present && strcmp(policy, "Always")) {
		CEVENT(w, c, "Normal", "Pulled",
		       "Container image \"%s\" already present on machine", img);
		return 0;
	}
	if (agent_now_ns() < c->next_pull_ns) {
		if (!waiting_is(c, "ImagePullBackOff")) {
			CEVENT(w, c, "Normal", "BackOff",
			       "Back-off pulling image \"%s\"", img);
			CEVENT(w, c, "Warning", "Failed",
			       "Error: ImagePullBackOff");
		}
		msg = xasprintf("Back-off pulling image \"%s\"", img);
		set_waiting(c, "ImagePullBackOff", msg);
		free(msg);
		return -1;
	}
	return do_pull(w, c, img);
}

/* ---- start ---- */

static void config_error(struct pod_worker *w, struct ctr *c,
			 const char *msg)
{
	if (!waiting_is(c, "CreateContainerConfigError") ||
	    strcmp(c->wmsg ? c->wmsg : "", msg))
		CEVENT(w, c, "Warning", "Failed", "Error: %s", msg);
	set_waiting(c, "CreateContainerConfigError", msg);
}

/* Remove the container two attempts back (the previous one stays). */
static void remove_old(struct pod_worker *w, struct ctr *c, int attempt)
{
	char *id;
	struct err e;

	if (attempt < 2)
		return;
	id = layout_container_id(w->uid, c->name, attempt - 2);
	err_clear(&e);
	w->a->ops->ctr_remove(w->a->rt, id, &e);
	free(id);
}

/* The exit of the current attempt becomes lastState. */
static void keep_last(struct pod_worker *w, struct ctr *c)
{
	char cid[192];

	free(c->last_reason);
	free(c->last_cid);
	free((char *)c->last.message);
	snprintf(cid, sizeof(cid), "%s://%s", w->a->ops->rt_name(w->a->rt),
		 c->id);
	c->last_reason = xstrdup(term_reason(c));
	c->last_cid = xstrdup(cid);
	c->last.exit_code = c->st.exit_code;
	c->last.reason = c->last_reason;
	c->last.message = xstrdup(c->st.message[0] ? c->st.message : NULL);
	c->last.started_ns = c->st.started_ns;
	c->last.finished_ns = c->st.finished_ns;
	c->last.container_id = c->last_cid;
	c->has_last = true;
}

static int run_spec(struct pod_worker *w, struct ctr *c, const cJSON *spec,
		    const struct image_config *img, int attempt)
{
	const struct agent_ops *o = w->a->ops;
	struct podspec_out out;
	char *id = layout_container_id(w->uid, c->name, attempt);
	char *log = layout_container_log(
		w->a->data_dir, json_get_str(w->pod, "metadata.namespace"),
		json_get_str(w->pod, "metadata.name"), w->uid, c->name, attempt);
	struct err e;
	int rc = -1;

	err_clear(&e);
	memset(&out, 0, sizeof(out));
	if (o->spec_container(&w->a->env, w->pod, spec, img, w->vols,
			      w->pod_ip, attempt, &out, &e) < 0) {
		config_error(w, c, e.msg);
		goto out;
	}
	if (!out.spec.id)
		out.spec.id = id;
	if (!out.spec.pod_uid)
		out.spec.pod_uid = w->uid;
	if (!out.spec.log_path)
		out.spec.log_path = log;
	o->ctr_remove(w->a->rt, out.spec.id, &e);	/* a stale one */
	err_clear(&e);
	if (exited(c))
		keep_last(w, c);
	free(c->id);
	c->id = xstrdup(out.spec.id);
	free(c->term_log);
	free(c->term_msg);
	c->term_log = xstrdup(out.spec.termination_log);
	c->term_msg = NULL;
	c->attempt = attempt;
	c->started = c->ready = c->hook_done = false;
	memset(c->pr, 0, sizeof(c->pr));
	free(c->wreason);
	free(c->wmsg);
	c->wreason = c->wmsg = NULL;
	if (o->ctr_start(w->a->rt, &out.spec, &e) < 0) {
		CEVENT(w, c, "Warning", "Failed", "Error: %s", e.msg);
		goto out;
	}
	CEVENT(w, c, "Normal", "Created", "Created container: %s", c->name);
	CEVENT(w, c, "Normal", "Started", "Started container %s", c->name);
	rc = 0;
out:
	if (out.mem)
		o->spec_done(&out);
	free(id);
	free(log);
	return rc;
}

/* Start attempt number attempt of c: image, spec, runtime. */
static void start(struct pod_worker *w, struct ctr *c, const cJSON *spec,
		  int attempt)
{
	const struct agent_ops *o = w->a->ops;
	struct image_config *img = NULL;
	struct err e;

	if (c->gone) {	/* a new start: the runtime's state from now on */
		c->gone = false;
		free(c->gone_reason);
		c->gone_reason = NULL;
		c->have_st = false;
	}
	if (ensure_image(w, c, spec) < 0)
		return;
	err_clear(&e);
	if (o->img_get(w->a->images, json_get_str(spec, "image"), &img,
		       &e) < 0) {
		pull_failed(w, c, json_get_str(spec, "image"), e.msg);
		return;
	}
	free(c->image_id);
	c->image_id = xstrdup(img->repo_digest ? img->repo_digest : img->id);
	remove_old(w, c, attempt);
	if (attempt == 0 && json_get(spec, "resources.limits") &&
	    !o->rt_limits_enforced(w->a->rt, NULL))
		CEVENT(w, c, "Warning", "LimitsNotEnforced",
		       "Container %s has resource limits, but this rootless "
		       "node cannot enforce them (no delegated cgroup)",
		       c->name);
	run_spec(w, c, spec, img, attempt);
	o->img_config_free(img);
	ctr_observe(w, c);
}

/* ---- hooks and probes ---- */

/* One probe or hook action (probe.h). */
static enum probe_result action(struct pod_worker *w, struct ctr *c,
				const cJSON *spec, const cJSON *p, char **msg)
{
	if (!w->a->ops->probe) {	/* not built in: never fails */
		*msg = NULL;
		return PROBE_SUCCESS;
	}
	return w->a->ops->probe(w->a->rt, c->id, w->pod_ip, spec, p, msg);
}

/* Run a lifecycle handler as a probe action; 0 on success. */
static int run_hook(struct pod_worker *w, struct ctr *c, const cJSON *spec,
		    const cJSON *handler, int64_t timeout_s, char **msg)
{
	cJSON *p = json_dup(handler);
	enum probe_result r;

	json_set_int(p, "timeoutSeconds", timeout_s > 0 ? timeout_s : 1);
	r = action(w, c, spec, p, msg);
	cJSON_Delete(p);
	return r == PROBE_FAILURE ? -1 : 0;
}

static int64_t pod_grace(const cJSON *pod)
{
	int64_t g = 30;

	json_get_int(pod, "spec.terminationGracePeriodSeconds", &g);
	return g;
}

static void post_start(struct pod_worker *w, struct ctr *c,
		       const cJSON *spec)
{
	const cJSON *h = json_get(spec, "lifecycle.postStart");
	char *msg = NULL;

	c->hook_done = true;
	if (!h || run_hook(w, c, spec, h, pod_grace(w->pod), &msg) == 0) {
		free(msg);
		return;
	}
	CEVENT(w, c, "Warning", "FailedPostStartHook",
	       "PostStartHook failed: %s", msg ? msg : "");
	free(msg);
	ctr_stop(w, c, spec, pod_grace(w->pod), "FailedPostStartHook");
}

static int64_t probe_field(const cJSON *p, const char *key, int64_t def)
{
	int64_t v = def;

	json_get_int(p, key, &v);
	return v;
}

static void probe_failed(struct pod_worker *w, struct ctr *c,
			 const cJSON *spec, const cJSON *p, int kind)
{
	int64_t grace = pod_grace(w->pod);
	char *why;

	if (kind == PR_READINESS) {
		c->ready = false;
		return;
	}
	json_get_int(p, "terminationGracePeriodSeconds", &grace);
	why = xasprintf("Container %s failed %s probe, will be restarted",
			c->name, kind == PR_LIVENESS ? "liveness" : "startup");
	ctr_stop(w, c, spec, grace, why);
	free(why);
}

static void probe_tick(struct pod_worker *w, struct ctr *c,
		       const cJSON *spec, int kind)
{
	const cJSON *p = json_get(spec, probe_key[kind]);
	struct probe_state *s = &c->pr[kind];
	int64_t now = agent_now_ns();
	enum probe_result r;
	char *msg = NULL;

	if (!p) {
		if (kind == PR_STARTUP)
			c->started = true;
		else if (kind == PR_READINESS)
			c->ready = c->started;
		return;
	}
	if ((kind == PR_STARTUP) == c->started)
		return;
	if (!s->next_ns)
		s->next_ns = c->st.started_ns +
			     probe_field(p, "initialDelaySeconds", 0) * SEC;
	if (now < s->next_ns)
		return;
	s->next_ns = now + probe_field(p, "periodSeconds", 10) * SEC;
	r = action(w, c, spec, p, &msg);
	if (r != PROBE_FAILURE) {
		s->failures = 0;
		if (++s->successes >= probe_field(p, "successThreshold", 1)) {
			if (kind == PR_STARTUP)
				c->started = true;
			else if (kind == PR_READINESS)
				c->ready = true;
		}
	} else {
		s->successes = 0;
		CEVENT(w, c, "Warning", "Unhealthy", "%s probe failed: %s",
		       probe_word[kind], msg ? msg : "");
		if (++s->failures >= probe_field(p, "failureThreshold", 3)) {
			s->failures = 0;
			probe_failed(w, c, spec, p, kind);
		}
	}
	free(msg);
}

static void while_running(struct pod_worker *w, struct ctr *c,
			  const cJSON *spec)
{
	if (!c->hook_done)
		post_start(w, c, spec);
	for (int k = 0; k < PR_N && running(c); k++)
		probe_tick(w, c, spec, k);
}

/* ---- restarts ---- */

static const char *restart_policy(const struct pod_worker *w,
				  const struct ctr *c)
{
	const char *p = json_get_str(w->pod, "spec.restartPolicy");

	if (c->sidecar)
		return "Always";
	if (!p)
		p = "Always";
	if (c->init && !strcmp(p, "Always"))
		return "OnFailure";
	return p;
}

bool ctr_will_restart(const struct pod_worker *w, const struct ctr *c)
{
	return !w->terminal &&
	       podstatus_should_restart(restart_policy(w, c), c->st.exit_code);
}

static void after_exit(struct pod_worker *w, struct ctr *c,
		       const cJSON *spec)
{
	int64_t now = agent_now_ns(), at;
	char *ref, *msg, d[40];

	c->ready = false;
	if (!ctr_will_restart(w, c))
		return;
	c->backoff_ns = podstatus_backoff_keep(c->backoff_ns, c->st.started_ns,
					       c->st.finished_ns);
	if (!c->backoff_ns) {	/* first failure: restart right away */
		c->backoff_ns = podstatus_backoff_next(0);
		start(w, c, spec, c->attempt + 1);
		return;
	}
	at = c->st.finished_ns + c->backoff_ns;
	if (now >= at) {
		c->backoff_ns = podstatus_backoff_next(c->backoff_ns);
		start(w, c, spec, c->attempt + 1);
		return;
	}
	if (waiting_is(c, "CrashLoopBackOff"))
		return;
	ref = pod_ref(w->pod);
	snprintf(d, sizeof(d), "%llds", (long long)(c->backoff_ns / SEC));
	msg = xasprintf("back-off %s restarting failed container=%s pod=%s", d,
			c->name, ref);
	set_waiting(c, "CrashLoopBackOff", msg);
	CEVENT(w, c, "Warning", "BackOff",
	       "Back-off restarting failed container %s in pod %s", c->name,
	       ref);
	free(msg);
	free(ref);
}

void ctr_sync(struct pod_worker *w, struct ctr *c, const cJSON *spec)
{
	ctr_observe(w, c);
	if (running(c)) {
		while_running(w, c, spec);
		return;
	}
	if (exited(c)) {
		after_exit(w, c, spec);
		return;
	}
	if (w->terminal)
		return;
	if (c->id && !c->have_st) {	/* vanished: start it again */
		free(c->id);
		c->id = NULL;
	}
	if (!c->id)
		start(w, c, spec, c->attempt);
}

/* ---- stopping ---- */

void ctrs_stop(struct pod_worker *w, struct ctr **v, int n, int64_t grace_s,
	       const char *why)
{
	const struct agent_ops *o = w->a->ops;
	int64_t deadline = agent_now_ns() + grace_s * SEC;
	struct err e;
	bool left = true;

	err_clear(&e);
	for (int i = 0; i < n; i++) {
		const cJSON *spec = pod_ctr_spec(w, v[i]);
		const cJSON *h = json_get(spec, "lifecycle.preStop");
		char *msg = NULL;
		int64_t rem = (deadline - agent_now_ns()) / SEC;

		if (why)
			CEVENT(w, v[i], "Normal", "Killing", "%s", why);
		else
			CEVENT(w, v[i], "Normal", "Killing",
			       "Stopping container %s", v[i]->name);
		if (h && rem > 0 && run_hook(w, v[i], spec, h, rem, &msg) < 0)
			CEVENT(w, v[i], "Warning", "FailedPreStopHook",
			       "PreStopHook failed: %s", msg ? msg : "");
		free(msg);
		o->ctr_kill(w->a->rt, v[i]->id, SIGTERM, &e);
	}
	while (left && agent_now_ns() < deadline) {
		left = false;
		for (int i = 0; i < n; i++) {
			ctr_observe(w, v[i]);
			left |= running(v[i]);
		}
		if (left)
			usleep(50000);
	}
	for (int i = 0; i < n && left; i++)
		if (running(v[i]))
			o->ctr_kill(w->a->rt, v[i]->id, SIGKILL, &e);
	for (int t = 0; t < 40 && left; t++) {
		left = false;
		for (int i = 0; i < n; i++) {
			ctr_observe(w, v[i]);
			left |= running(v[i]);
		}
		if (left)
			usleep(50000);
	}
}

void ctr_stop(struct pod_worker *w, struct ctr *c, const cJSON *spec,
	      int64_t grace_s, const char *why)
{
	(void)spec;
	ctr_observe(w, c);
	if (running(c))
		ctrs_stop(w, &c, 1, grace_s, why);
}

/* ---- status ---- */

void ctr_observation(const struct pod_worker *w, const struct ctr *c,
		     const cJSON *spec, struct ps_ctr *o, char *cid,
		     size_t cid_size)
{
	memset(o, 0, sizeof(*o));
	o->name = c->name;
	o->image = json_get_str(spec, "image");
	o->image_id = c->image_id;
	o->restart_count = c->attempt;
	o->sidecar = c->sidecar;
	o->has_last = c->has_last;
	o->last = c->last;
	if (c->id) {
		snprintf(cid, cid_size, "%s://%s", w->a->ops->rt_name(w->a->rt),
			 c->id);
		o->container_id = cid;
	}
	if (running(c)) {
		o->state = PS_RUNNING;
		o->started_ns = c->st.started_ns;
		o->ready = c->ready;
		o->started = c->started;
		return;
	}
	if (exited(c) && !waiting_is(c, "CrashLoopBackOff")) {
		o->state = PS_TERMINATED;
		o->term.exit_code = c->st.exit_code;
		o->term.reason = term_reason(c);
		o->term.message = c->st.message[0] ? c->st.message
						    : c->term_msg;
		o->term.started_ns = c->st.started_ns;
		o->term.finished_ns = c->st.finished_ns;
		o->term.container_id = o->container_id;
		return;
	}
	o->state = PS_WAITING;
	o->reason = c->wreason;
	o->message = c->wmsg;
	if (exited(c)) {	/* crash loop: the exit is the last state */
		o->has_last = true;
		o->last.exit_code = c->st.exit_code;
		o->last.reason = term_reason(c);
		o->last.message = c->st.message[0] ? c->st.message : NULL;
		o->last.started_ns = c->st.started_ns;
		o->last.finished_ns = c->st.finished_ns;
		o->last.container_id = o->container_id;
	}
}
