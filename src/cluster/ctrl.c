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
#include "cluster/http.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define LEASE_RENEW_S 10

struct ctrl_rt {
	struct ctrl pub;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool dirty, stopping, started;
	struct store_watch *wpods, *wnodes, *wrs, *wdep, *wns, *wsvc;
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
	struct ktime t = ktime_now();
	char now[KTIME_STR_MAX], micro[KTIME_STR_MAX], path[320];
	const char *ns = json_get_str(obj, "metadata.namespace");
	cJSON *ev = cJSON_CreateObject();

	ktime_format(&t, now);
	ktime_format_micro(&t, micro);
	if (!ns)
		ns = "default";
	json_set_str(ev, "apiVersion", "v1");
	json_set_str(ev, "kind", "Event");
	json_set_str(ev, "metadata.generateName",
		     json_get_str(obj, "metadata.name"));
	json_set_str(ev, "metadata.namespace", ns);
	json_set_str(ev, "involvedObject.apiVersion",
		     json_get_str(obj, "apiVersion"));
	json_set_str(ev, "involvedObject.kind", json_get_str(obj, "kind"));
	if (json_get_str(obj, "metadata.namespace"))
		json_set_str(ev, "involvedObject.namespace", ns);
	json_set_str(ev, "involvedObject.name", json_get_str(obj, "metadata.name"));
	json_set_str(ev, "involvedObject.uid", json_get_str(obj, "metadata.uid"));
	json_set_str(ev, "involvedObject.resourceVersion",
		     json_get_str(obj, "metadata.resourceVersion"));
	json_set_str(ev, "reason", reason);
	json_set_str(ev, "message", msg);
	json_set_str(ev, "type", type);
	json_set_str(ev, "source.component", component);
	json_set_str(ev, "reportingComponent", component);
	json_set_str(ev, "reportingInstance", component);
	json_set_str(ev, "action", action);
	json_set_str(ev, "firstTimestamp", now);
	json_set_str(ev, "lastTimestamp", now);
	json_set_str(ev, "eventTime", micro);
	json_set_int(ev, "count", 1);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/events", ns);
	ctrl_call(c, user, "POST", path, ev, NULL);
	cJSON_Delete(ev);
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
	workloads(r);
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
		bool renew = now - last_renew >= LEASE_RENEW_S;

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
	r->pub.cfg = *cfg;
	if (cfg->sim_nodes > 0)
		r->pub.sim = simnode_new(cfg->sim_nodes);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (watch_prefix(r, NULL, "pods", &r->wpods, e) < 0 ||
	    watch_prefix(r, NULL, "nodes", &r->wnodes, e) < 0 ||
	    watch_prefix(r, "apps", "replicasets", &r->wrs, e) < 0 ||
	    watch_prefix(r, "apps", "deployments", &r->wdep, e) < 0 ||
	    watch_prefix(r, NULL, "namespaces", &r->wns, e) < 0 ||
	    watch_prefix(r, NULL, "services", &r->wsvc, e) < 0)
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
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
	if (r->started)
		pthread_join(r->thread, NULL);
	simnode_free(r->pub.sim);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cond);
	free(r);
}
