/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent: the node agent's lifetime and its dispatch loop.
 *
 * agent_start opens the machine's parts (runtime, image store, pod
 * network; any of them failing makes the whole agent ERR_UNAVAILABLE, no
 * half-running pods), registers the Node, removes what belongs to no pod
 * bound here (restart safety: containers, sandboxes and addresses of
 * pods deleted while the daemon was down), then runs one thread that is
 * level-triggered like the controllers: store watches on pods,
 * ConfigMaps and Secrets only write a byte to a pipe; the thread lists
 * the pods bound to this node, starts a worker per new pod uid, hands
 * each worker its pod's latest state, and at least once a second does
 * the heartbeats (agent_node.c).  Container exits (the runtime's event
 * fd) wake every worker.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cluster/api.h"
#include "cluster/evrec.h"
#include "cluster/node/agent_int.h"
#include "cluster/node/layout.h"
#include "cluster/satoken.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define REFRESH_S 20

int64_t agent_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * KTIME_NS_PER_SEC + ts.tv_nsec;
}

int agent_call(struct agent *a, const char *method, const char *path,
	       const cJSON *body, cJSON **out)
{
	return api_call(a->api, a->user, NULL, method, path, body, out);
}

void agent_event(struct agent *a, const cJSON *pod, const char *field_path,
		 const char *type, const char *reason, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* aggregated like kubelet's recorder (evrec.c) */
	evrec_emit_field(a->events, "kubelet", a->node_name, a->user, pod,
			 field_path, type, reason, NULL, msg);
	free(msg);
}

/* ---- what podspec reads (struct podspec_env) ---- */

static cJSON *env_get(void *arg, const char *ns, const char *resource,
		      const char *name)
{
	struct agent *a = arg;
	/* a NULL name lists (the List object) */
	char *path = ns ? xasprintf("/api/v1/namespaces/%s/%s%s%s", ns,
				    resource, name ? "/" : "", name ? name : "")
			: xasprintf("/api/v1/%s%s%s", resource, name ? "/" : "",
				    name ? name : "");
	cJSON *out = NULL;
	int st = agent_call(a, "GET", path, NULL, &out);

	free(path);
	if (st == 200)
		return out;
	cJSON_Delete(out);
	return NULL;
}

static int env_token(void *arg, const cJSON *pod, const char *audience,
		     int64_t expiration_seconds, char **token, struct err *e)
{
	struct agent *a = arg;
	const char *auds[] = { audience, NULL };
	const char *sa = json_get_str(pod, "spec.serviceAccountName");
	char *path, *uid = NULL;
	cJSON *obj = NULL;
	struct satoken_req req;
	int rc;

	if (!a->sa)
		return err_set(e, ERR_UNAVAILABLE, "no token signer");
	if (!sa)
		sa = "default";
	path = xasprintf("/api/v1/namespaces/%s/serviceaccounts/%s",
			 json_get_str(pod, "metadata.namespace"), sa);
	if (agent_call(a, "GET", path, NULL, &obj) == 200)
		uid = xstrdup(json_get_str(obj, "metadata.uid"));
	cJSON_Delete(obj);
	free(path);
	memset(&req, 0, sizeof(req));
	req.namespace = json_get_str(pod, "metadata.namespace");
	req.name = sa;
	req.uid = uid ? uid : "";
	req.audiences = audience && *audience ? auds : NULL;
	req.expiration_seconds = expiration_seconds;
	rc = satoken_issue(a->sa, &req, token, NULL, e);
	free(uid);
	return rc;
}

/* ---- watches: flag work, never block ---- */

static void watch_cb(void *arg, const struct store_event *ev)
{
	struct agent *a = arg;
	char b = 'p';

	(void)ev;
	pthread_mutex_lock(&a->mu);
	a->dirty = true;
	pthread_mutex_unlock(&a->mu);
	if (write(a->wake[1], &b, 1) < 0 && errno != EAGAIN)
		return;
}

static void config_cb(void *arg, const struct store_event *ev)
{
	struct agent *a = arg;

	pthread_mutex_lock(&a->mu);
	a->configs_dirty = true;
	pthread_mutex_unlock(&a->mu);
	watch_cb(arg, ev);
}

/* ---- dispatch ---- */

struct bound {
	struct agent *a;
	cJSON *pods;
};

static int bound_cb(void *arg, const struct store_obj *o)
{
	struct bound *b = arg;
	char *needle = xasprintf("\"nodeName\":\"%s\"", b->a->node_name);
	cJSON *p;

	if (strstr(o->json, needle)) {
		p = store_obj_parse(o);
		if (!strcmp(json_get_str(p, "spec.nodeName") ?: "",
			    b->a->node_name))
			cJSON_AddItemToArray(b->pods, p);
		else
			cJSON_Delete(p);
	}
	free(needle);
	return 0;
}

/* Pods whose spec.nodeName is this node; caller frees. */
static cJSON *bound_pods(struct agent *a)
{
	char *k = store_key(NULL, "pods", NULL, NULL);
	struct bound b = { a, cJSON_CreateArray() };
	struct err e;

	err_clear(&e);
	store_list(a->store, k, NULL, bound_cb, &b, NULL, &e);
	free(k);
	return b.pods;
}

/*
 * Was this pod's deletion already carried out here?  A pod with
 * finalizers stays in the store after its containers are gone and the
 * agent's DELETE; it must not get a new worker every second.
 */
static bool finished_pod(struct agent *a, const cJSON *p, const char *uid)
{
	struct finished_pod *f;

	HASH_FIND_STR(a->finished, uid, f);
	if (f && json_get(p, "metadata.deletionTimestamp")) {
		f->seen = true;
		return true;
	}
	return false;
}

static void remember_finished(struct agent *a, struct pod_worker *w)
{
	struct finished_pod *f;

	pthread_mutex_lock(&w->mu);
	if (!w->pod || !json_get(w->pod, "metadata.deletionTimestamp") ||
	    w->stop) {
		pthread_mutex_unlock(&w->mu);
		return;
	}
	pthread_mutex_unlock(&w->mu);
	HASH_FIND_STR(a->finished, w->uid, f);
	if (f)
		return;
	f = xcalloc(1, sizeof(*f));
	f->uid = xstrdup(w->uid);
	f->seen = true;
	HASH_ADD_KEYPTR(hh, a->finished, f->uid, strlen(f->uid), f);
}

/* Forget finished pods that left the store (sweep after a listing). */
static void prune_finished(struct agent *a)
{
	struct finished_pod *f, *tmp;

	HASH_ITER(hh, a->finished, f, tmp) {
		if (f->seen) {
			f->seen = false;
			continue;
		}
		HASH_DEL(a->finished, f);
		free(f->uid);
		free(f);
	}
}

static void dispatch(struct agent *a, bool refresh)
{
	cJSON *pods = bound_pods(a), *p;
	struct pod_worker *w, *tmp;

	HASH_ITER(hh, a->workers, w, tmp)	/* mark */
		w->seen = false;
	cJSON_ArrayForEach(p, pods) {
		const char *uid = json_get_str(p, "metadata.uid");

		if (!uid)
			continue;
		HASH_FIND_STR(a->workers, uid, w);
		if (!w && finished_pod(a, p, uid))
			continue;
		if (!w) {
			w = pod_worker_new(a, p);
			if (w)
				HASH_ADD_KEYPTR(hh, a->workers, w->uid,
						strlen(w->uid), w);
		} else {
			pod_worker_update(w, p);
		}
		if (w)
			w->seen = true;
		if (w && refresh) {
			pthread_mutex_lock(&w->mu);
			w->refresh = true;
			pthread_mutex_unlock(&w->mu);
		}
	}
	HASH_ITER(hh, a->workers, w, tmp) {
		if (pod_worker_done(w)) {
			remember_finished(a, w);
			HASH_DEL(a->workers, w);
			pod_worker_free(w, false);
		} else if (!w->seen) {
			pod_worker_update(w, NULL);
		}
	}
	prune_finished(a);
	cJSON_Delete(pods);
}

static void wake_all(struct agent *a)
{
	struct pod_worker *w, *tmp;

	HASH_ITER(hh, a->workers, w, tmp)
		pod_worker_wake(w);
}

static void wait_work(struct agent *a)
{
	struct pollfd pf[2];
	int n = 1;
	char buf[256];

	pf[0].fd = a->wake[0];
	pf[0].events = POLLIN;
	pf[1].fd = a->ops->events_fd ? a->ops->events_fd(a->rt) : -1;
	pf[1].events = POLLIN;
	if (pf[1].fd >= 0)
		n = 2;
	if (poll(pf, (nfds_t)n, 1000) <= 0)
		return;
	if (pf[0].revents & POLLIN)
		while (read(a->wake[0], buf, sizeof(buf)) > 0)
			;
	if (n == 2 && (pf[1].revents & POLLIN)) {
		a->ops->events_drain(a->rt);
		wake_all(a);
	}
}

static void *agent_thread(void *arg)
{
	struct agent *a = arg;

	for (;;) {
		bool refresh;

		pthread_mutex_lock(&a->mu);
		if (a->stopping) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		a->dirty = false;
		refresh = a->configs_dirty;
		a->configs_dirty = false;
		pthread_mutex_unlock(&a->mu);
		dispatch(a, refresh);
		agent_node_heartbeat(a);
		agent_image_gc_tick(a);
		wait_work(a);
	}
	return NULL;
}

/* ---- restart safety ---- */

static bool uid_bound(const cJSON *pods, const char *uid)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, pods) {
		if (!strcmp(json_get_str(p, "metadata.uid") ?: "", uid))
			return true;
	}
	return false;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Remove containers, sandboxes and addresses of pods not bound here. */
static void remove_orphans(struct agent *a)
{
	cJSON *pods = bound_pods(a);
	char **v = NULL;
	size_t n = 0;
	struct err e;

	err_clear(&e);
	if (a->ops->ctr_list(a->rt, &v, &n, &e) == 0) {
		for (size_t i = 0; i < n; i++) {
			char *buf;
			const char *uid, *ctr;
			int attempt;

			if (layout_parse_container_id(v[i], &buf, &uid, &ctr,
						      &attempt) < 0)
				continue;
			if (!uid_bound(pods, uid)) {
				a->ops->ctr_kill(a->rt, v[i], 9, &e);
				a->ops->ctr_remove(a->rt, v[i], &e);
			}
			free(buf);
		}
		free_list(v, n);
	}
	err_clear(&e);
	if (a->ops->sandbox_list(a->rt, &v, &n, &e) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!uid_bound(pods, v[i])) {
				a->ops->sandbox_remove(a->rt, v[i], &e);
				a->ops->vol_teardown(a->data_dir, v[i], &e);
			}
		free_list(v, n);
	}
	err_clear(&e);
	if (a->net && a->ops->net_list(a->net, &v, &n, &e) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!uid_bound(pods, v[i]))
				a->ops->net_teardown(a->net, v[i], &e);
		free_list(v, n);
	}
	cJSON_Delete(pods);
}

/* ---- start and stop ---- */

static int open_parts(struct agent *a, const struct agent_config *cfg,
		      struct err *e)
{
	const struct agent_ops *o = a->ops;
	char *run = layout_run_dir(cfg->data_dir);
	char *img = layout_images_dir(cfg->data_dir);
	char *reg = layout_registries_file(cfg->data_dir);
	char *net = layout_net_dir(cfg->data_dir);
	struct rt_config rc = { .run_dir = run, .self_exe = cfg->self_exe,
				.host_process = agent_host_process(cfg) };
	struct podnet_config nc = { .state_dir = net }; /* its own network */
	int rv = -1;

	if (o->missing) {
		err_set(e, ERR_UNAVAILABLE, "%s", o->missing);
		goto out;
	}
	if (o->rt_open(&rc, &a->rt, e) < 0 ||
	    o->img_open(img, reg, &a->images, e) < 0)
		goto out;
	if (rc.host_process) {	/* pods are on the host's network */
		a->describe = xasprintf("node %s: runs pods with %s",
					a->node_name, o->rt_describe(a->rt));
		rv = 0;
		goto out;
	}
	if (o->net_open(&nc, &a->net, e) < 0) {
		if (e->code == ERR_FORBIDDEN)
			e->code = ERR_UNAVAILABLE;
		goto out;
	}
	free(a->pod_cidr); /* the network's choice is the Node's podCIDR */
	a->pod_cidr = xstrdup(o->net_cidr(a->net));
	a->describe = xasprintf("node %s: runs pods with %s; pod network: %s",
				a->node_name, o->rt_describe(a->rt),
				o->net_describe(a->net));
	rv = 0;
out:
	free(run);
	free(img);
	free(reg);
	free(net);
	return rv;
}

static void env_init(struct agent *a)
{
	a->env.data_dir = a->data_dir;
	a->env.node_name = a->node_name;
	a->env.node_ip = a->host_ip;
	a->env.dns_server = NULL;
	a->env.cluster_domain = "cluster.local";
	a->env.get = env_get;
	a->env.token = env_token;
	a->env.arg = a;
}

static int watch_all(struct agent *a, struct err *e)
{
	static const char *const res[] = { "pods", "configmaps", "secrets" };
	struct store_watch **w[] = { &a->wpods, &a->wcm, &a->wsec };

	for (size_t i = 0; i < 3; i++) {
		char *k = store_key(NULL, res[i], NULL, NULL);
		int rc = store_watch(a->store, k, 0, i ? config_cb : watch_cb,
				     a, w[i], e);

		free(k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void parts_free(struct agent *a)
{
	if (a->net)
		a->ops->net_free(a->net);
	if (a->images)
		a->ops->img_free(a->images);
	if (a->rt)
		a->ops->rt_free(a->rt);
}

static void agent_free(struct agent *a)
{
	struct finished_pod *f, *tmp;

	HASH_ITER(hh, a->finished, f, tmp) {
		HASH_DEL(a->finished, f);
		free(f->uid);
		free(f);
	}
	store_unwatch(a->wpods);
	store_unwatch(a->wcm);
	store_unwatch(a->wsec);
	agent_svc_stop(a);
	parts_free(a);
	evrec_free(a->events);
	free(a->git_version);
	free(a->data_dir);
	free(a->node_name);
	free(a->pod_cidr);
	free(a->user);
	free(a->host_ip);
	free(a->describe);
	for (int i = 0; i < 2; i++)
		if (a->wake[i] >= 0)
			close(a->wake[i]);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cond);
	free(a);
}

static int wake_pipe(struct agent *a, struct err *e)
{
	if (pipe2(a->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return err_set(e, ERR_IO, "pipe: %s", strerror(errno));
	return 0;
}

static void add_services(struct agent *a)
{
	char *svc = agent_svc_start(a), *d;

	d = xasprintf("%s; %s", a->describe, svc);
	free(a->describe);
	free(svc);
	a->describe = d;
}

int agent_start(struct api *api, struct store *st,
		const struct agent_config *cfg, struct agent **out,
		struct err *e)
{
	struct agent *a = xcalloc(1, sizeof(*a));

	a->api = api;
	a->store = st;
	a->ops = &agent_ops_machine;
	a->sa = cfg->sa;
	a->data_dir = xstrdup(cfg->data_dir);
	a->node_name = xstrdup(cfg->node_name);
	a->pod_cidr = xstrdup(cfg->pod_cidr ? cfg->pod_cidr : "10.244.0.0/24");
	a->git_version = xstrdup(cfg->git_version);
	a->user = xasprintf(AGENT_USER_PREFIX "%s", cfg->node_name);
	a->host_ip = agent_node_ip();
	a->boot_ns = agent_now_ns();
	a->wake[0] = a->wake[1] = -1;
	a->events = evrec_new(api);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cond, NULL);
	env_init(a);
	if (wake_pipe(a, e) < 0 || open_parts(a, cfg, e) < 0 ||
	    agent_node_register(a, e) < 0)
		goto fail;
	remove_orphans(a);
	add_services(a);
	if (watch_all(a, e) < 0)
		goto fail;
	if (pthread_create(&a->thread, NULL, agent_thread, a) != 0) {
		err_set(e, ERR_INTERNAL, "cannot start the node agent thread");
		goto fail;
	}
	a->started = true;
	*out = a;
	return 0;
fail:
	agent_free(a);
	return -1;
}

bool agent_host_process(const struct agent_config *cfg)
{
	return cfg->runtime && !strcmp(cfg->runtime, AGENT_RUNTIME_HOST_PROCESS);
}

/* The last agent on data_dir ran the host-process runtime (reset). */
static bool ran_host_process(const char *data_dir)
{
	char *run = layout_run_dir(data_dir);
	char *link = xasprintf("%s/" RT_HOSTPROC_NAME, run);
	struct stat st;
	bool yes = lstat(link, &st) == 0;

	free(link);
	free(run);
	return yes;
}

char *agent_prepare(const char *data_dir, const char *runtime)
{
	char *how = NULL, *m, *run = layout_run_dir(data_dir);
	struct err e;
	int rc;

	if (runtime && !strcmp(runtime, AGENT_RUNTIME_HOST_PROCESS)) {
		free(run);
		return xstrdup("containers: the host-process runtime "
			       "(--runtime host-process): pods run as plain "
			       "host processes, NOT isolated from the machine "
			       "or each other");
	}
	if (geteuid() == 0) {
		free(run);
		return NULL;
	}
	err_clear(&e);
	rc = rt_userns_join(run, &how, &e);
	free(run);
	if (rc < 0 && e.code == ERR_NOT_FOUND) {
		err_clear(&e);
		rc = rt_userns_enter(&how, &e);
	}
	if (rc < 0)
		return xasprintf("rootless containers: no: %s", e.msg);
	m = xasprintf("rootless containers: yes: %s", how);
	free(how);
	return m;
}

const char *agent_describe(const struct agent *a)
{
	return a ? a->describe : "";
}

void agent_stop(struct agent *a, bool stop_pods)
{
	struct pod_worker *w, *tmp;
	char b = 's';

	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	a->stopping = true;
	pthread_mutex_unlock(&a->mu);
	if (write(a->wake[1], &b, 1) < 0 && errno != EAGAIN)
		fprintf(stderr, "kdeck: agent: wake: %s\n", strerror(errno));
	if (a->started)
		pthread_join(a->thread, NULL);
	store_unwatch(a->wpods);
	store_unwatch(a->wcm);
	store_unwatch(a->wsec);
	a->wpods = a->wcm = a->wsec = NULL;
	HASH_ITER(hh, a->workers, w, tmp) {	/* stop them all at once */
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		w->stop_pods = stop_pods;
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->mu);
	}
	HASH_ITER(hh, a->workers, w, tmp) {
		HASH_DEL(a->workers, w);
		pod_worker_free(w, stop_pods);
	}
	agent_free(a);
}

int agent_cleanup(const char *data_dir, struct err *e)
{
	const struct agent_ops *o = &agent_ops_machine;
	char *run = layout_run_dir(data_dir), *net = layout_net_dir(data_dir);
	struct rt_config rc = { .run_dir = run, .self_exe = "/proc/self/exe",
				.host_process = ran_host_process(data_dir) };
	struct podnet_config nc = { .state_dir = net }; /* its own network */
	struct rt *r = NULL;
	char **v = NULL;
	size_t n = 0;
	int rv = 0;

	if (o->missing)
		goto out;
	if (geteuid() != 0 && !rc.host_process)	/* rootless: their namespaces */
		free(agent_prepare(data_dir, NULL));
	if (o->rt_open(&rc, &r, e) == 0) {
		if (o->ctr_list(r, &v, &n, e) == 0) {
			for (size_t i = 0; i < n; i++) {
				o->ctr_kill(r, v[i], 9, e);
				o->ctr_remove(r, v[i], e);
			}
			free_list(v, n);
		}
		if (o->sandbox_list(r, &v, &n, e) == 0) {
			for (size_t i = 0; i < n; i++) {
				o->sandbox_remove(r, v[i], e);
				o->vol_teardown(data_dir, v[i], e);
			}
			free_list(v, n);
		}
		o->rt_free(r);
	}
	err_clear(e);
	rv = o->net_destroy(&nc, e);
out:
	free(run);
	free(net);
	return rv;
}
