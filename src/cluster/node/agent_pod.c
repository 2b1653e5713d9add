/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_pod: the pod worker, one thread per pod bound to this node.
 *
 * The thread wakes on every change of its pod (agent.c hands it the
 * latest copy), on container exits and at least once a second, and runs
 * one sync: sandbox (namespaces) and pod network, volumes (FailedMount
 * and retry), init containers strictly in order (sidecars, restartPolicy
 * Always, are started and left running), then every regular container
 * (agent_ctr.c); the status (podstatus.c) is written through
 * pods/status when it differs from the last one written.
 *
 * A pod whose containers will not run again (Succeeded/Failed) has its
 * sidecars stopped and its network and sandbox released; a pod already
 * finished when its worker starts (daemon restart) is left as it is
 * until it is deleted.  A pod with a
 * deletionTimestamp is terminated gracefully (preStop, SIGTERM, the
 * deletion grace period, SIGKILL), torn down (containers, network,
 * sandbox, volumes) and deleted for good: DELETE with gracePeriodSeconds
 * 0 and a uid precondition, as kubelet does.  A pod removed from the
 * store without that (force deletion) is killed at once.
 *
 * Restart safety: a new worker adopts the containers its pod already has
 * in the runtime (the highest attempt of each container is the current
 * one, the one before it gives lastState), so a daemon restart neither
 * restarts nor duplicates them.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/node/agent_int.h"
#include "cluster/node/layout.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define SEC 1000000000LL
#define DOWN_GRACE_MAX_S 10
#define VOL_BACKOFF_MAX_NS (30 * SEC)
#define REFRESH_NS (20 * SEC)

const cJSON *pod_ctr_spec(const struct pod_worker *w, const struct ctr *c)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, json_get(w->pod, c->init ? "spec.initContainers"
						      : "spec.containers")) {
		if (!strcmp(json_get_str(s, "name") ?: "", c->name))
			return s;
	}
	return NULL;
}

static void init_ctrs(struct pod_worker *w)
{
	const cJSON *ini = json_get(w->pod, "spec.initContainers");
	const cJSON *reg = json_get(w->pod, "spec.containers"), *s;
	int i = 0;

	w->ninit = cJSON_GetArraySize(ini);
	w->nctrs = w->ninit + cJSON_GetArraySize(reg);
	w->ctrs = xcalloc((size_t)w->nctrs + 1, sizeof(*w->ctrs));
	cJSON_ArrayForEach(s, ini) {
		const char *rp = json_get_str(s, "restartPolicy");

		w->ctrs[i].name = xstrdup(json_get_str(s, "name"));
		w->ctrs[i].init = true;
		w->ctrs[i].sidecar = rp && !strcmp(rp, "Always");
		i++;
	}
	cJSON_ArrayForEach(s, reg)
		w->ctrs[i++].name = xstrdup(json_get_str(s, "name"));
}

static struct ctr *find_ctr(struct pod_worker *w, const char *name)
{
	for (int i = 0; i < w->nctrs; i++)
		if (!strcmp(w->ctrs[i].name, name))
			return &w->ctrs[i];
	return NULL;
}

/*
 * A container that ran before but is gone (cluster down and up again):
 * its next start counts as a restart, as after a node reboot.
 */
static void continue_count(struct pod_worker *w, struct ctr *c)
{
	const char *key = c->init ? "status.initContainerStatuses"
				  : "status.containerStatuses";
	const cJSON *st;
	int64_t n = 0;

	cJSON_ArrayForEach(st, json_get(w->pod, key)) {
		if (strcmp(json_get_str(st, "name") ?: "", c->name) ||
		    !json_get_str(st, "containerID"))
			continue;
		json_get_int(st, "restartCount", &n);
		c->attempt = (int)n + 1;
	}
}

/* The last attempt of each container becomes current; see the top. */
static void adopt(struct pod_worker *w)
{
	const struct agent_ops *o = w->a->ops;
	char **v = NULL;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	if (o->ctr_list(w->a->rt, &v, &n, &e) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *buf;
		const char *uid, *name;
		int attempt;
		struct ctr *c;

		if (layout_parse_container_id(v[i], &buf, &uid, &name,
					      &attempt) < 0)
			goto next;
		c = strcmp(uid, w->uid) ? NULL : find_ctr(w, name);
		if (c && (!c->id || attempt > c->attempt)) {
			free(c->id);
			c->id = xstrdup(v[i]);
			c->attempt = attempt;
			c->hook_done = true;	/* ran before the restart */
		}
		free(buf);
next:
		free(v[i]);
	}
	free(v);
	for (int i = 0; i < w->nctrs; i++)
		if (w->ctrs[i].id)
			ctr_observe(w, &w->ctrs[i]);
		else if (!ctr_adopt_gone(w, &w->ctrs[i]))
			continue_count(w, &w->ctrs[i]);
}

/* Adopted containers: lastState from the attempt before the current. */
static void adopt_last(struct pod_worker *w)
{
	const cJSON *st;

	cJSON_ArrayForEach(st, json_get(w->pod, "status.containerStatuses")) {
		struct ctr *c = find_ctr(w, json_get_str(st, "name") ?: "");
		int64_t code = 0;
		const char *r = json_get_str(st, "lastState.terminated.reason");
		struct ktime t;

		if (!c || !c->id || !r)
			continue;
		json_get_int(st, "lastState.terminated.exitCode", &code);
		c->has_last = true;
		c->last_reason = xstrdup(r);
		c->last_cid = xstrdup(json_get_str(
			st, "lastState.terminated.containerID"));
		c->last.reason = c->last_reason;
		c->last.container_id = c->last_cid;
		c->last.exit_code = (int)code;
		if (ktime_parse(json_get_str(st, "lastState.terminated.startedAt")
				    ?: "", &t, NULL) == 0)
			c->last.started_ns = t.sec * SEC;
		if (ktime_parse(json_get_str(st, "lastState.terminated.finishedAt")
				    ?: "", &t, NULL) == 0)
			c->last.finished_ns = t.sec * SEC;
	}
}

/* ---- sandbox, network, volumes ---- */

/* Map the containers' hostPorts to the pod IP. */
static void host_ports(struct pod_worker *w)
{
	struct podnet_port *v = NULL;
	const cJSON *c, *p;
	size_t n = 0;
	int64_t hp, cp;
	struct err e;

	cJSON_ArrayForEach(c, json_get(w->pod, "spec.containers")) {
		cJSON_ArrayForEach(p, json_get(c, "ports")) {
			if (json_get_int(p, "hostPort", &hp) < 0 || hp <= 0 ||
			    json_get_int(p, "containerPort", &cp) < 0)
				continue;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].host_port = (int)hp;
			v[n].container_port = (int)cp;
			v[n].protocol = json_get_str(p, "protocol") ?: "TCP";
			v[n].host_ip = json_get_str(p, "hostIP");
			n++;
		}
	}
	err_clear(&e);
	if (n && w->a->ops->net_host_ports(w->a->net, w->uid, w->pod_ip, v, n,
					   &e) < 0)
		agent_event(w->a, w->pod, NULL, "Warning", "FailedHostPort",
			    "%s", e.msg);
	free(v);
}


/* hostNetwork, which every pod has with the host-process runtime. */
static bool host_network(const struct pod_worker *w)
{
	return json_get_bool(w->pod, "spec.hostNetwork", false) ||
	       w->a->ops->rt_host_process(w->a->rt);
}

static void sandbox(struct pod_worker *w)
{
	const struct agent_ops *o = w->a->ops;
	struct rt_sandbox_spec s = {
		.uid = w->uid,
		.hostname = json_get_str(w->pod, "spec.hostname")
				    ?: json_get_str(w->pod, "metadata.name"),
		.host_network = host_network(w),
		.host_ipc = json_get_bool(w->pod, "spec.hostIPC", false),
		.host_pid = json_get_bool(w->pod, "spec.hostPID", false),
	};
	char *netns = NULL;
	struct err e;

	err_clear(&e);
	if (o->sandbox_create(w->a->rt, &s, &netns, &e) < 0)
		goto fail;
	if (s.host_network) {
		snprintf(w->pod_ip, sizeof(w->pod_ip), "%s", w->a->host_ip);
	} else if (o->net_setup(w->a->net, w->uid, netns, w->pod_ip, &e) < 0) {
		free(netns);
		goto fail;
	}
	free(w->netns);
	w->netns = netns;
	w->sandbox_ready = true;
	if (!s.host_network)
		host_ports(w);
	return;
fail:
	agent_event(w->a, w->pod, NULL, "Warning", "FailedCreatePodSandBox",
		    "Failed to create pod sandbox: %s", e.msg);
}

static void volumes(struct pod_worker *w)
{
	int64_t now = agent_now_ns();
	struct err e;

	if (now < w->vol_next_ns)
		return;
	err_clear(&e);
	if (w->a->ops->vol_setup(&w->a->env, w->pod, &w->vols, &e) == 0) {
		w->vols_ready = true;
		w->refresh_ns = now + REFRESH_NS;
		return;
	}
	agent_event(w->a, w->pod, NULL, "Warning", "FailedMount", "%s", e.msg);
	w->vol_backoff_ns = w->vol_backoff_ns ? w->vol_backoff_ns * 2 : SEC;
	if (w->vol_backoff_ns > VOL_BACKOFF_MAX_NS)
		w->vol_backoff_ns = VOL_BACKOFF_MAX_NS;
	w->vol_next_ns = now + w->vol_backoff_ns;
}

static void refresh(struct pod_worker *w, bool now)
{
	struct err e;

	if (!w->vols || (!now && agent_now_ns() < w->refresh_ns))
		return;
	w->refresh_ns = agent_now_ns() + REFRESH_NS;
	err_clear(&e);
	w->a->ops->vol_refresh(&w->a->env, w->pod, w->vols, &e);
}

static void set_pending_reason(struct ctr *c, const char *reason)
{
	if (c->id || c->wreason)
		return;
	c->wreason = xstrdup(reason);
}

/* ---- containers in order ---- */

/* Init containers; true once all are done (sidecars started). */
static bool run_init(struct pod_worker *w)
{
	for (int i = 0; i < w->ninit; i++) {
		struct ctr *c = &w->ctrs[i];

		ctr_sync(w, c, pod_ctr_spec(w, c));
		if (c->sidecar) {
			if (!(c->have_st && c->st.state == RT_RUNNING &&
			      c->started))
				return false;
			continue;
		}
		if (c->have_st && c->st.state == RT_EXITED &&
		    c->st.exit_code == 0)
			continue;
		if (c->have_st && c->st.state == RT_EXITED &&
		    !ctr_will_restart(w, c))
			w->terminal = true;	/* failed, restartPolicy Never */
		return false;
	}
	return true;
}

/* Every regular container has exited and none will restart. */
static bool all_done(struct pod_worker *w)
{
	for (int i = w->ninit; i < w->nctrs; i++) {
		struct ctr *c = &w->ctrs[i];

		if (!c->have_st || c->st.state != RT_EXITED ||
		    ctr_will_restart(w, c))
			return false;
	}
	return w->nctrs > w->ninit;
}

static void run_containers(struct pod_worker *w)
{
	bool inited = run_init(w);

	for (int i = w->ninit; i < w->nctrs; i++) {
		struct ctr *c = &w->ctrs[i];

		if (inited && !w->terminal)
			ctr_sync(w, c, pod_ctr_spec(w, c));
		else
			set_pending_reason(c, "PodInitializing");
	}
	for (int i = 0; i < w->ninit; i++)
		set_pending_reason(&w->ctrs[i], "PodInitializing");
	if (!w->terminal && inited && all_done(w))
		w->terminal = true;
}

/* ---- stop and tear down ---- */

static void stop_all(struct pod_worker *w, int64_t grace)
{
	struct ctr **v = xcalloc((size_t)w->nctrs + 1, sizeof(*v));
	int n = 0;

	for (int i = 0; i < w->nctrs; i++) {
		ctr_observe(w, &w->ctrs[i]);
		if (w->ctrs[i].have_st && w->ctrs[i].st.state == RT_RUNNING)
			v[n++] = &w->ctrs[i];
	}
	if (n)
		ctrs_stop(w, v, n, grace, NULL);
	free(v);
}

/* Network and sandbox (a finished pod keeps volumes and containers). */
static void release_sandbox(struct pod_worker *w)
{
	struct err e;

	err_clear(&e);
	if (!host_network(w))
		w->a->ops->net_teardown(w->a->net, w->uid, &e);
	w->a->ops->sandbox_remove(w->a->rt, w->uid, &e);
	w->sandbox_ready = false;
}

static void teardown(struct pod_worker *w)
{
	const struct agent_ops *o = w->a->ops;
	char **v = NULL;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	if (o->ctr_list(w->a->rt, &v, &n, &e) == 0) {
		size_t ul = strlen(w->uid);

		for (size_t i = 0; i < n; i++) {
			if (!strncmp(v[i], w->uid, ul) && v[i][ul] == '_') {
				o->ctr_kill(w->a->rt, v[i], SIGKILL, &e);
				o->ctr_remove(w->a->rt, v[i], &e);
			}
			free(v[i]);
		}
		free(v);
	}
	release_sandbox(w);
	if (w->vols) {
		o->vol_free(w->vols);
		w->vols = NULL;
	}
	o->vol_teardown(w->a->data_dir, w->uid, &e);
	w->torn_down = true;
}

static int64_t deletion_grace(const cJSON *pod)
{
	int64_t g = 30;

	if (json_get_int(pod, "metadata.deletionGracePeriodSeconds", &g) < 0)
		json_get_int(pod, "spec.terminationGracePeriodSeconds", &g);
	return g < 0 ? 0 : g;
}

static void delete_for_good(struct pod_worker *w)
{
	char *path = xasprintf("/api/v1/namespaces/%s/pods/%s",
			       json_get_str(w->pod, "metadata.namespace"),
			       json_get_str(w->pod, "metadata.name"));
	cJSON *opt = cJSON_CreateObject();

	json_set_str(opt, "apiVersion", "v1");
	json_set_str(opt, "kind", "DeleteOptions");
	json_set_int(opt, "gracePeriodSeconds", 0);
	json_set_str(opt, "preconditions.uid", w->uid);
	agent_call(w->a, "DELETE", path, opt, NULL);
	cJSON_Delete(opt);
	free(path);
}

/* ---- status ---- */

static void write_status(struct pod_worker *w)
{
	struct ps_ctr *obs = xcalloc((size_t)w->nctrs + 1, sizeof(*obs));
	char (*cids)[192] = xcalloc((size_t)w->nctrs + 1, sizeof(*cids));
	struct ps_pod p = {
		.pod = w->pod, .init = obs, .ninit = w->ninit,
		.ctrs = obs + w->ninit, .nctrs = w->nctrs - w->ninit,
		.sandbox_ready = w->sandbox_ready, .terminal = w->terminal,
		.pod_ip = w->pod_ip[0] ? w->pod_ip : NULL,
		.host_ip = w->a->host_ip, .start_ns = w->start_ns,
		.now_ns = agent_now_ns(),
	};
	cJSON *st, *body;
	char *path;

	for (int i = 0; i < w->nctrs; i++)
		ctr_observation(w, &w->ctrs[i], pod_ctr_spec(w, &w->ctrs[i]),
				&obs[i], cids[i], sizeof(cids[i]));
	st = podstatus_build(&p);
	free(obs);
	free(cids);
	if (w->last_status && json_equal(st, w->last_status)) {
		cJSON_Delete(st);
		return;
	}
	body = json_dup(w->pod);
	json_set(body, "status", json_dup(st));
	path = xasprintf("/api/v1/namespaces/%s/pods/%s/status",
			 json_get_str(w->pod, "metadata.namespace"),
			 json_get_str(w->pod, "metadata.name"));
	if (agent_call(w->a, "PUT", path, body, NULL) == 200) {
		cJSON_Delete(w->last_status);
		w->last_status = st;
	} else {
		cJSON_Delete(st);	/* conflict: again with the next copy */
	}
	cJSON_Delete(body);
	free(path);
}

/* ---- the thread ---- */

static void release(struct pod_worker *w);

static void sync_pod(struct pod_worker *w, bool refresh_now)
{
	if (w->frozen)
		return;
	if (!w->terminal) {
		if (!w->sandbox_ready)
			sandbox(w);
		if (w->sandbox_ready && !w->vols_ready)
			volumes(w);
		if (!w->last_status)	/* ContainerCreating, as kubelet */
			write_status(w);
		if (w->vols_ready) {
			refresh(w, refresh_now);
			run_containers(w);
		}
	}
	if (w->terminal && !w->torn_down && w->sandbox_ready) {
		int64_t g = 30;

		json_get_int(w->pod, "spec.terminationGracePeriodSeconds", &g);
		stop_all(w, g);
		release_sandbox(w);
	}
	for (int i = 0; i < w->nctrs; i++)
		ctr_observe(w, &w->ctrs[i]);
	write_status(w);
}

/* Wait for work; false when the worker is to end (flags in *stop...). */
static bool next(struct pod_worker *w, bool *gone, bool *refresh_now)
{
	struct timespec dl;
	bool go;

	pthread_mutex_lock(&w->mu);
	if (!w->wake && !w->stop && !w->gone) {
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 1;
		pthread_cond_timedwait(&w->cond, &w->mu, &dl);
	}
	w->wake = false;
	if (w->incoming) {
		cJSON_Delete(w->pod);
		w->pod = w->incoming;
		w->incoming = NULL;
	}
	*gone = w->gone;
	*refresh_now = w->refresh;
	w->refresh = false;
	go = !w->stop;
	pthread_mutex_unlock(&w->mu);
	return go;
}

/*
 * End the pod.  A deleted pod's final status (containers terminated, a
 * terminal phase, as the kubelet reports since 1.27) is written before
 * its DELETE: a pod held by finalizers keeps showing it.
 */
static void finish(struct pod_worker *w, bool delete_pod)
{
	bool deleting = json_get(w->pod, "metadata.deletionTimestamp") != NULL;

	stop_all(w, delete_pod && deleting ? deletion_grace(w->pod) : 0);
	if (delete_pod && deleting) {
		w->terminal = true;
		write_status(w);
	}
	teardown(w);
	if (delete_pod && deleting)
		delete_for_good(w);
}

static void *worker_main(void *arg)
{
	struct pod_worker *w = arg;
	bool gone = false, refresh_now = false, stop_pods;

	adopt(w);
	adopt_last(w);
	while (next(w, &gone, &refresh_now)) {
		if (gone) {		/* removed from the store: kill now */
			finish(w, false);
			break;
		}
		if (json_get(w->pod, "metadata.deletionTimestamp")) {
			finish(w, true);
			break;
		}
		sync_pod(w, refresh_now);
	}
	pthread_mutex_lock(&w->mu);
	stop_pods = w->stop && w->stop_pods;
	pthread_mutex_unlock(&w->mu);
	if (stop_pods && !w->torn_down) {
		int64_t g = deletion_grace(w->pod);

		stop_all(w, g > DOWN_GRACE_MAX_S ? DOWN_GRACE_MAX_S : g);
		teardown(w);
	}
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct pod_worker *pod_worker_new(struct agent *a, const cJSON *pod)
{
	struct pod_worker *w = xcalloc(1, sizeof(*w));
	const char *phase;
	struct ktime t;

	w->a = a;
	w->uid = xstrdup(json_get_str(pod, "metadata.uid"));
	w->pod = json_dup(pod);
	w->seen_rv = xstrdup(json_get_str(pod, "metadata.resourceVersion"));
	w->wake = true;
	w->start_ns = agent_now_ns();
	if (ktime_parse(json_get_str(pod, "status.startTime") ?: "", &t,
			NULL) == 0)
		w->start_ns = t.sec * SEC;
	snprintf(w->pod_ip, sizeof(w->pod_ip), "%s",
		 json_get_str(pod, "status.podIP") ?: "");
	phase = json_get_str(pod, "status.phase");
	w->frozen = phase && (!strcmp(phase, "Succeeded") ||
			      !strcmp(phase, "Failed"));
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	init_ctrs(w);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		release(w);
		return NULL;
	}
	return w;
}

void pod_worker_update(struct pod_worker *w, const cJSON *pod)
{
	pthread_mutex_lock(&w->mu);
	if (!pod) {
		w->gone = true;
	} else if (strcmp(json_get_str(pod, "metadata.resourceVersion") ?: "",
			  w->seen_rv ? w->seen_rv : "")) {
		cJSON_Delete(w->incoming);
		w->incoming = json_dup(pod);
		free(w->seen_rv);
		w->seen_rv = xstrdup(json_get_str(pod,
						  "metadata.resourceVersion"));
	} else {
		pthread_mutex_unlock(&w->mu);
		return;
	}
	w->wake = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

void pod_worker_wake(struct pod_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->wake = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

bool pod_worker_done(struct pod_worker *w)
{
	bool d;

	pthread_mutex_lock(&w->mu);
	d = w->done;
	pthread_mutex_unlock(&w->mu);
	return d;
}

void pod_worker_free(struct pod_worker *w, bool stop_pods)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	w->stop_pods = w->stop_pods || stop_pods;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	release(w);
}

static void release(struct pod_worker *w)
{
	for (int i = 0; i < w->nctrs; i++)
		ctr_clear(&w->ctrs[i]);
	free(w->ctrs);
	if (w->vols)
		w->a->ops->vol_free(w->vols);
	cJSON_Delete(w->pod);
	cJSON_Delete(w->incoming);
	free(w->seen_rv);
	cJSON_Delete(w->last_status);
	free(w->netns);
	free(w->uid);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond);
	free(w);
}
