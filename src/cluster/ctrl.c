/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl: the worker thread and the plumbing of the control loops.
 *
 * Level-triggered: watches on pods and nodes only set a dirty flag and
 * signal the worker (they run on the store's writer thread and must not
 * block); the worker then lists the current state and lets every loop
 * reconcile all of it, at the latest once a second (leases are renewed
 * every ten).  Writes are API calls through api_handle().
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/api.h"
#include "cluster/evrec.h"
#include "cluster/http.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define LEASE_RENEW_S 10
#define GRACE_DEFAULT_S 40
#define HPA_PERIOD_DEFAULT_S 15

struct ctrl_rt {
	struct ctrl pub;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool dirty, stopping, started;
	struct store_watch *wpods, *wnodes, *wrs, *wdep, *wns, *wsvc;
	struct store_watch *wbatch[8];	/* the workload kinds of wkinds[] */
};

int ctrl_call(struct ctrl *c, const char *user, const char *method,
	      const char *path, const cJSON *body, cJSON **out)
{
	return api_call(c->api, user, NULL, method, path, body, out);
}

void ctrl_event(struct ctrl *c, const char *component, const char *user,
		const cJSON *obj, const char *type, const char *reason,
		const char *action, const char *msg)
{
	evrec_emit(c->events, component, NULL, user, obj, type, reason, action,
		   msg);
}

static int list_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

cJSON *ctrl_list(struct ctrl *c, const char *prefix)
{
	cJSON *arr = cJSON_CreateArray();
	struct err e;

	err_clear(&e);
	if (store_list(c->store, prefix, NULL, list_cb, arr, NULL, &e) < 0)
		err_clear(&e);
	return arr;
}

static void watch_cb(void *arg, const struct store_event *ev)
{
	struct ctrl_rt *r = arg;

	(void)ev;
	pthread_mutex_lock(&r->mu);
	r->dirty = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
}

/* Kinds of the workload loops: watched, listed per pass. */
static const struct { const char *group, *res; } wkinds[] = {
	{ "batch", "jobs" }, { "batch", "cronjobs" },
	{ "apps", "statefulsets" }, { "apps", "daemonsets" },
	{ NULL, "persistentvolumeclaims" }, { NULL, "persistentvolumes" },
	{ NULL, "resourcequotas" }, { "policy", "poddisruptionbudgets" },
};

static cJSON *list_kind(struct ctrl *c, const char *group, const char *res)
{
	char *k = store_key(group, res, NULL, NULL);
	cJSON *l = ctrl_list(c, k);

	free(k);
	return l;
}

/* CronJobs, Jobs (and their TTL), StatefulSets, DaemonSets, volumes. */
static void batch_loops(struct ctrl_rt *r)
{
	struct ctrl *c = &r->pub;
	cJSON *cjs = list_kind(c, "batch", "cronjobs");
	cJSON *jobs = list_kind(c, "batch", "jobs"), *pods, *x;

	cron_sync(c, cjs, jobs);
	cJSON_Delete(cjs);
	cJSON_Delete(jobs);
	pods = list_kind(c, NULL, "pods");
	jobs = list_kind(c, "batch", "jobs");
	job_sync(c, jobs, pods);
	ttl_sync(c, jobs);
	cJSON_Delete(jobs);
	x = list_kind(c, "apps", "statefulsets");
	sts_sync(c, x, pods);
	cJSON_Delete(x);
	cJSON_Delete(pods);
	pods = list_kind(c, NULL, "pods");
	x = list_kind(c, NULL, "nodes");
	jobs = list_kind(c, "apps", "daemonsets");
	ds_sync(c, jobs, pods, x);
	cJSON_Delete(jobs);
	cJSON_Delete(x);
	pv_sync(c, pods);
	cJSON_Delete(pods);
}

/* Deployments, then ReplicaSets over fresh lists. */
static void workloads(struct ctrl_rt *r)
{
	char *pk = store_key(NULL, "pods", NULL, NULL);
	char *rk = store_key("apps", "replicasets", NULL, NULL);
	char *dk = store_key("apps", "deployments", NULL, NULL);
	cJSON *deps = ctrl_list(&r->pub, dk), *rss = ctrl_list(&r->pub, rk);
	cJSON *pods;

	deploy_sync(&r->pub, deps, rss);
	cJSON_Delete(deps);
	cJSON_Delete(rss);
	free(dk);
	rss = ctrl_list(&r->pub, rk);
	pods = ctrl_list(&r->pub, pk);
	rs_sync(&r->pub, rss, pods);
	ep_sync(&r->pub, pods);
	cJSON_Delete(rss);
	cJSON_Delete(pods);
	free(pk);
	free(rk);
}

static void pass(struct ctrl_rt *r, bool renew, bool gc)
{
	char *pk = store_key(NULL, "pods", NULL, NULL);
	char *nk = store_key(NULL, "nodes", NULL, NULL);
	cJSON *pods = ctrl_list(&r->pub, pk);
	cJSON *nodes;

	if (r->pub.sim)
		simnode_sync(&r->pub, pods, renew);
	if (r->pub.cfg.scheduler) {
		cJSON_Delete(pods);
		pods = ctrl_list(&r->pub, pk);
		nodes = ctrl_list(&r->pub, nk);
		sched_sync(&r->pub, pods, nodes);
		cJSON_Delete(nodes);
	}
	cJSON_Delete(pods);
	pods = ctrl_list(&r->pub, pk);
	nodes = ctrl_list(&r->pub, nk);
	nodelife_sync(&r->pub, nodes, pods);
	taint_evict_sync(&r->pub, nodes, pods);
	cJSON_Delete(nodes);
	cJSON_Delete(pods);
	workloads(r);
	hpa_sync(&r->pub);
	batch_loops(r);
	quota_sync(&r->pub);
	pdb_sync(&r->pub);
	ns_sync(&r->pub);
	if (gc)
		gc_sync(&r->pub);
	free(pk);
	free(nk);
}

static void *worker(void *arg)
{
	struct ctrl_rt *r = arg;
	time_t last_renew = 0;

	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		struct timespec dl;
		time_t now = time(NULL);
		bool renew = now - last_renew >= r->pub.renew_s;

		r->dirty = false;
		pthread_mutex_unlock(&r->mu);
		if (renew)
			last_renew = now;
		pass(r, renew, true);
		pthread_mutex_lock(&r->mu);
		if (r->dirty || r->stopping)
			continue;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 1;
		pthread_cond_timedwait(&r->cond, &r->mu, &dl);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* A positive number of seconds from the environment, else def. */
static int env_seconds(const char *name, int def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	n = strtol(v, &end, 10);
	return *end || n < 1 || n > 86400 ? def : (int)n;
}

/* Grace period, Lease renewal and HPA sync period (ctrl_int.h). */
static void lifecycle_config(struct ctrl *c)
{
	c->started = time(NULL);
	c->grace_s = env_seconds("KDECK_NODE_MONITOR_GRACE_PERIOD", GRACE_DEFAULT_S);
	c->renew_s = c->grace_s / 4 < 1 ? 1 : c->grace_s / 4;
	if (c->renew_s > LEASE_RENEW_S)
		c->renew_s = LEASE_RENEW_S;
	c->hpa_period_s = env_seconds("KDECK_HPA_SYNC_PERIOD", HPA_PERIOD_DEFAULT_S);
}

static int watch_prefix(struct ctrl_rt *r, const char *group,
			const char *res, struct store_watch **w, struct err *e)
{
	char *k = store_key(group, res, NULL, NULL);
	int rc = store_watch(r->pub.store, k, 0, watch_cb, r, w, e);

	free(k);
	return rc;
}

int ctrl_start(struct api *api, struct store *st,
	       const struct ctrl_config *cfg, struct ctrl **out,
	       struct err *e)
{
	struct ctrl_rt *r = xcalloc(1, sizeof(*r));

	r->pub.api = api;
	r->pub.store = st;
	r->pub.events = evrec_new(api);
	r->pub.cfg = *cfg;
	r->pub.cfg.data_dir = cfg->data_dir ? xstrdup(cfg->data_dir) : NULL;
	if (cfg->sim_nodes > 0)
		r->pub.sim = simnode_new(cfg->sim_nodes);
	lifecycle_config(&r->pub);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (watch_prefix(r, NULL, "pods", &r->wpods, e) < 0 ||
	    watch_prefix(r, NULL, "nodes", &r->wnodes, e) < 0 ||
	    watch_prefix(r, "apps", "replicasets", &r->wrs, e) < 0 ||
	    watch_prefix(r, "apps", "deployments", &r->wdep, e) < 0 ||
	    watch_prefix(r, NULL, "namespaces", &r->wns, e) < 0 ||
	    watch_prefix(r, NULL, "services", &r->wsvc, e) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(wkinds) / sizeof(wkinds[0]); i++)
		if (watch_prefix(r, wkinds[i].group, wkinds[i].res, &r->wbatch[i], e) < 0)
			goto fail;
	if (pthread_create(&r->thread, NULL, worker, r) != 0) {
		err_set(e, ERR_INTERNAL, "cannot start the controller thread");
		goto fail;
	}
	r->started = true;
	*out = &r->pub;
	return 0;
fail:
	ctrl_stop(&r->pub);
	return -1;
}

void ctrl_stop(struct ctrl *c)
{
	struct ctrl_rt *r = (struct ctrl_rt *)c;

	if (!r)
		return;
	store_unwatch(r->wpods);
	store_unwatch(r->wnodes);
	store_unwatch(r->wrs);
	store_unwatch(r->wdep);
	store_unwatch(r->wns);
	store_unwatch(r->wsvc);
	for (size_t i = 0; i < sizeof(r->wbatch) / sizeof(r->wbatch[0]); i++)
		store_unwatch(r->wbatch[i]);
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
	if (r->started)
		pthread_join(r->thread, NULL);
	simnode_free(r->pub.sim);
	hpa_state_free(r->pub.hpa);
	evrec_free(r->pub.events);
	free((char *)r->pub.cfg.data_dir);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cond);
	free(r);
}

/* --- helpers of the workload loops --- */

int64_t ctrl_time(const cJSON *obj, const char *path)
{
	const char *s = json_get_str(obj, path);
	struct ktime t;
	struct err e;

	return s && ktime_parse(s, &t, &e) == 0 ? t.sec : 0;
}

char *ctrl_time_str(int64_t t, char *out)
{
	struct ktime k = { t, 0 };

	return ktime_format(&k, out);
}

const cJSON *ctrl_condition(const cJSON *obj, const char *type)
{
	const cJSON *cd;

	cJSON_ArrayForEach(cd, json_get(obj, "status.conditions"))
		if (!strcmp(json_get_str(cd, "type") ?: "", type))
			return cd;
	return NULL;
}

bool ctrl_condition_true(const cJSON *obj, const char *type)
{
	const cJSON *cd = ctrl_condition(obj, type);

	return cd && !strcmp(json_get_str(cd, "status") ?: "", "True");
}

bool ctrl_set_condition(cJSON *obj, const char *type, const char *status,
			const char *reason, const char *msg, bool probe)
{
	cJSON *cd = (cJSON *)ctrl_condition(obj, type), *conds;
	char now[KTIME_STR_MAX];
	struct ktime t = ktime_now();

	ktime_format(&t, now);
	if (cd && !strcmp(json_get_str(cd, "status") ?: "", status) &&
	    !strcmp(json_get_str(cd, "reason") ?: "", reason ?: "") &&
	    !strcmp(json_get_str(cd, "message") ?: "", msg ?: ""))
		return false;
	if (!cd) {
		conds = json_get(obj, "status.conditions");
		if (!cJSON_IsArray(conds)) {
			conds = cJSON_CreateArray();
			json_set(obj, "status.conditions", conds);
		}
		cd = cJSON_CreateObject();
		cJSON_AddItemToArray(conds, cd);
		json_set_str(cd, "type", type);
	}
	if (strcmp(json_get_str(cd, "status") ?: "", status))
		json_set_str(cd, "lastTransitionTime", now);
	if (probe)
		json_set_str(cd, "lastProbeTime", now);
	json_set_str(cd, "status", status);
	json_del(cd, "reason");
	json_del(cd, "message");
	if (reason)
		json_set_str(cd, "reason", reason);
	if (msg)
		json_set_str(cd, "message", msg);
	return true;
}

void ctrl_obj_path(const cJSON *obj, const char *plural, const char *sub,
		   char *out, size_t n)
{
	const char *av = json_get_str(obj, "apiVersion") ?: "v1";
	const char *ns = json_get_str(obj, "metadata.namespace");

	snprintf(out, n, "/%s/%s%s%s/%s/%s%s%s", strchr(av, '/') ? "apis" : "api",
		 av, ns ? "/namespaces/" : "", ns ? ns : "", plural,
		 json_get_str(obj, "metadata.name") ?: "", sub ? "/" : "",
		 sub ? sub : "");
}

int ctrl_put(struct ctrl *c, const cJSON *obj, const char *plural,
	     const char *sub)
{
	char path[512];

	ctrl_obj_path(obj, plural, sub, path, sizeof(path));
	return ctrl_call(c, CTRL_USER_CM, "PUT", path, obj, NULL);
}

cJSON *ctrl_pod_from_template(const cJSON *owner, const char *tmpl_path,
			      const char *name)
{
	const cJSON *tmpl = json_get(owner, tmpl_path);
	cJSON *p = cJSON_CreateObject(), *refs = cJSON_CreateArray();

	json_set_str(p, "apiVersion", "v1");
	json_set_str(p, "kind", "Pod");
	json_set(p, "metadata", json_dup(json_get(tmpl, "metadata")));
	if (!cJSON_IsObject(json_get(p, "metadata")))
		json_set(p, "metadata", cJSON_CreateObject());
	json_del(p, "metadata.generateName");
	json_set_str(p, "metadata.name", name);
	json_set_str(p, "metadata.namespace",
		     json_get_str(owner, "metadata.namespace"));
	cJSON_AddItemToArray(refs, ctrl_owner_ref(owner));
	json_set(p, "metadata.ownerReferences", refs);
	json_set(p, "spec", json_dup(json_get(tmpl, "spec")));
	if (!cJSON_IsObject(json_get(p, "spec")))
		json_set(p, "spec", cJSON_CreateObject());
	return p;
}

void ctrl_failed_create(struct ctrl *c, const char *component,
			const cJSON *owner, int status, const cJSON *resp)
{
	char msg[1200];

	if (status != 403)
		return;
	snprintf(msg, sizeof(msg), "Error creating: %s",
		 json_get_str(resp, "message") ?: "forbidden");
	ctrl_event(c, component, CTRL_USER_CM, owner, "Warning",
		   "FailedCreate", "Create", msg);
}

bool ctrl_create_pod(struct ctrl *c, const char *component,
		     const cJSON *owner, const cJSON *pod)
{
	char path[320], msg[400];
	cJSON *out = NULL;
	int st;

	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods",
		 json_get_str(pod, "metadata.namespace"));
	st = ctrl_call(c, CTRL_USER_CM, "POST", path, pod, &out);
	ctrl_failed_create(c, component, owner, st, out);
	cJSON_Delete(out);
	if (st != 201)
		return false;
	snprintf(msg, sizeof(msg), "Created pod: %s",
		 json_get_str(pod, "metadata.name"));
	ctrl_event(c, component, CTRL_USER_CM, owner, "Normal",
		   "SuccessfulCreate", "Create", msg);
	return true;
}

bool ctrl_delete_pod(struct ctrl *c, const char *component,
		     const cJSON *owner, const cJSON *pod)
{
	char path[512], msg[400];

	ctrl_obj_path(pod, "pods", NULL, path, sizeof(path));
	if (ctrl_call(c, CTRL_USER_CM, "DELETE", path, NULL, NULL) != 200)
		return false;
	snprintf(msg, sizeof(msg), "Deleted pod: %s",
		 json_get_str(pod, "metadata.name"));
	ctrl_event(c, component, CTRL_USER_CM, owner, "Normal",
		   "SuccessfulDelete", "Delete", msg);
	return true;
}

bool ctrl_pod_terminal(const cJSON *pod)
{
	const char *ph = json_get_str(pod, "status.phase");

	return ph && (!strcmp(ph, "Succeeded") || !strcmp(ph, "Failed"));
}

bool ctrl_owned_by(const cJSON *obj, const char *uid)
{
	const cJSON *ref = ctrl_controller_ref(obj);
	const char *u = ref ? json_get_str(ref, "uid") : NULL;

	return u && uid && !strcmp(u, uid);
}

void ctrl_random_suffix(char out[6])
{
	static const char alpha[] = "bcdfghjklmnpqrstvwxz2456789";

	for (int i = 0; i < 5; i++)
		out[i] = alpha[(unsigned)rand() % (sizeof(alpha) - 1)];
	out[5] = '\0';
}

void ctrl_ensure_revision(struct ctrl *c, const cJSON *owner,
			  const char *name, const char *hash)
{
	const char *ns = json_get_str(owner, "metadata.namespace");
	char path[512];
	cJSON *cr, *refs;
	int64_t rev = 1;

	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/controllerrevisions/%s", ns, name);
	if (ctrl_call(c, CTRL_USER_CM, "GET", path, NULL, NULL) == 200)
		return;
	json_get_int(owner, "metadata.generation", &rev);
	cr = cJSON_CreateObject();
	refs = cJSON_CreateArray();
	json_set_str(cr, "apiVersion", "apps/v1");
	json_set_str(cr, "kind", "ControllerRevision");
	json_set_str(cr, "metadata.name", name);
	json_set_str(cr, "metadata.namespace", ns);
	json_set(cr, "metadata.labels",
		 json_dup(json_get(owner, "spec.template.metadata.labels")));
	if (!json_get(cr, "metadata.labels"))
		json_set(cr, "metadata.labels", cJSON_CreateObject());
	json_set_str(cr, "metadata.labels.controller-revision-hash", hash);
	cJSON_AddItemToArray(refs, ctrl_owner_ref(owner));
	json_set(cr, "metadata.ownerReferences", refs);
	json_set(cr, "data.spec.template", json_dup(json_get(owner, "spec.template")));
	json_set_str(cr, "data.spec.template.$patch", "replace");
	json_set_int(cr, "revision", rev);
	snprintf(path, sizeof(path),
		 "/apis/apps/v1/namespaces/%s/controllerrevisions", ns);
	ctrl_call(c, CTRL_USER_CM, "POST", path, cr, NULL);
	cJSON_Delete(cr);
}
