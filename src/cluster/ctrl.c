/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl: the worker thread and the plumbing of the control loops.
 *
 * Informers and passes, as kube-controller-manager: the kinds the loops
 * read (kinds[] below) live parsed in a shared informer cache
 * (ctrl_cache.c), filled by one list and kept current by store watches.
 * The watch callbacks run on the store's writer thread: they only queue
 * the event and signal the worker.  The worker runs passes: each step of
 * steps[] first crosses the cache's read-your-writes barrier (what the
 * previous step wrote is applied) and then reconciles from the cached,
 * borrowed arrays.  A pass runs when something changed, when a work queue
 * key comes due (the ReplicaSet controller's back-off, ctrl_rs.c) and at
 * the latest once a second (leases are renewed every ten).  Writes are
 * API calls through api_handle().
 *
 * KDECK_CTRL_AUDIT=1 checks after every step that it left the cached
 * objects it was given untouched (a loop must json_dup before editing)
 * and reports offenders on stderr (KDECK_CTRL_AUDIT=/file: appended to
 * that file); for tests, it costs a parse per object.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/ctrl_int.h"
#include "cluster/api.h"
#include "cluster/ctrl_cache.h"
#include "cluster/ctrl_queue.h"
#include "cluster/evrec.h"
#include "cluster/http.h"
#include "cluster/sched_int.h"
#include "common/env.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define LEASE_RENEW_S 10
#define GRACE_DEFAULT_S 40
#define HPA_PERIOD_DEFAULT_S 15
#define BARRIER_MS 2000

/* The cached kinds, in the order of enum ctrl_kind (ctrl_int.h). */
static const struct { const char *group, *res; } kinds[CTRL_K_COUNT] = {
	[CTRL_K_PODS] = { NULL, "pods" },
	[CTRL_K_NODES] = { NULL, "nodes" },
	[CTRL_K_RS] = { "apps", "replicasets" },
	[CTRL_K_DEPLOY] = { "apps", "deployments" },
	[CTRL_K_NS] = { NULL, "namespaces" },
	[CTRL_K_SVC] = { NULL, "services" },
	[CTRL_K_JOBS] = { "batch", "jobs" },
	[CTRL_K_CRONJOBS] = { "batch", "cronjobs" },
	[CTRL_K_STS] = { "apps", "statefulsets" },
	[CTRL_K_DS] = { "apps", "daemonsets" },
	[CTRL_K_PVC] = { NULL, "persistentvolumeclaims" },
	[CTRL_K_PV] = { NULL, "persistentvolumes" },
	[CTRL_K_QUOTA] = { NULL, "resourcequotas" },
	[CTRL_K_PDB] = { "policy", "poddisruptionbudgets" },
};

struct ctrl_rt {
	struct ctrl pub;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool dirty, stopping, started;
	bool renew;		/* this pass renews the simulated Leases */
	char *audit;		/* KDECK_CTRL_AUDIT: "1" or a file; NULL */
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

struct par {
	void (*fn)(void *arg, size_t i);
	void *arg;
	size_t n;
	_Atomic size_t next;
};

static void *par_main(void *arg)
{
	struct par *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->arg, i);
	return NULL;
}

void ctrl_parallel(size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
	struct par p = { fn, arg, n, 0 };
	pthread_t th[CTRL_PAR_MAX];
	size_t nth = 0;

	while (nth + 1 < n && nth + 1 < CTRL_PAR_MAX &&
	       pthread_create(&th[nth], NULL, par_main, &p) == 0)
		nth++;
	par_main(&p);
	for (size_t i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
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

const cJSON *ctrl_cached(struct ctrl *c, enum ctrl_kind k)
{
	return ctrl_cache_list(c->cache, (int)k);
}

/* Writer thread, after the cache queued an event: wake the worker. */
static void notify_cb(void *arg)
{
	struct ctrl_rt *r = arg;

	pthread_mutex_lock(&r->mu);
	r->dirty = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
}

/* Worker thread, while the cache applies: feed the work queues. */
static void change_cb(void *arg, int kind, const cJSON *old, const cJSON *cur)
{
	struct ctrl *c = arg;

	if (kind == CTRL_K_PODS || kind == CTRL_K_RS)
		rs_observe(c, kind == CTRL_K_PODS, old, cur);
	pdb_observe(c, kind, old, cur);
}

#define L(r, k) ctrl_cached(&(r)->pub, CTRL_K_##k)

static void step_sim(struct ctrl_rt *r)
{
	if (r->pub.sim)
		simnode_sync(&r->pub, L(r, PODS), r->renew);
}

static void step_sched(struct ctrl_rt *r)
{
	if (r->pub.cfg.scheduler)
		sched_sync(&r->pub, L(r, PODS), L(r, NODES));
}

static void step_nodelife(struct ctrl_rt *r)
{
	nodelife_sync(&r->pub, L(r, NODES), L(r, PODS));
}

static void step_taint(struct ctrl_rt *r)
{
	taint_evict_sync(&r->pub, L(r, NODES), L(r, PODS));
}

static void step_deploy(struct ctrl_rt *r)
{
	deploy_sync(&r->pub, L(r, DEPLOY), L(r, RS));
}

static void step_rs(struct ctrl_rt *r)
{
	rs_sync(&r->pub, L(r, RS), L(r, PODS));
}

static void step_rc(struct ctrl_rt *r)
{
	rc_sync(&r->pub);
}

static void step_pvcprot(struct ctrl_rt *r)
{
	pvcprot_sync(&r->pub, L(r, PVC), L(r, PODS));
}

static void step_ep(struct ctrl_rt *r)
{
	ep_sync(&r->pub, L(r, PODS));
}

static void step_hpa(struct ctrl_rt *r)
{
	hpa_sync(&r->pub);
}

static void step_cron(struct ctrl_rt *r)
{
	cron_sync(&r->pub, L(r, CRONJOBS), L(r, JOBS));
}

static void step_job(struct ctrl_rt *r)
{
	job_sync(&r->pub, L(r, JOBS), L(r, PODS));
}

static void step_ttl(struct ctrl_rt *r)
{
	ttl_sync(&r->pub, L(r, JOBS));
}

static void step_sts(struct ctrl_rt *r)
{
	sts_sync(&r->pub, L(r, STS), L(r, PODS));
}

static void step_ds(struct ctrl_rt *r)
{
	ds_sync(&r->pub, L(r, DS), L(r, PODS), L(r, NODES));
}

static void step_pv(struct ctrl_rt *r)
{
	pv_sync(&r->pub, L(r, PODS));
}

static void step_quota(struct ctrl_rt *r)
{
	quota_sync(&r->pub);
}

static void step_pdb(struct ctrl_rt *r)
{
	pdb_sync(&r->pub);
}

static void step_ns(struct ctrl_rt *r)
{
	ns_sync(&r->pub);
}

static void step_gc(struct ctrl_rt *r)
{
	gc_sync(&r->pub);
}

#define KB(k) (1u << CTRL_K_##k)

/* One pass, in order; kinds: the cached lists the step is handed. */
static const struct step {
	const char *name;
	void (*run)(struct ctrl_rt *r);
	unsigned kinds;
} steps[] = {
	{ "simnode", step_sim, KB(PODS) },
	{ "scheduler", step_sched, KB(PODS) | KB(NODES) },
	{ "nodelifecycle", step_nodelife, KB(PODS) | KB(NODES) },
	{ "taint-eviction", step_taint, KB(PODS) | KB(NODES) },
	{ "deployment", step_deploy, KB(DEPLOY) | KB(RS) },
	{ "replicaset", step_rs, KB(RS) | KB(PODS) },
	{ "replicationcontroller", step_rc, KB(PODS) },
	{ "endpoints", step_ep, KB(PODS) },
	{ "horizontalpodautoscaler", step_hpa, 0 },
	{ "cronjob", step_cron, KB(CRONJOBS) | KB(JOBS) },
	{ "job", step_job, KB(JOBS) | KB(PODS) },
	{ "ttl-after-finished", step_ttl, KB(JOBS) },
	{ "statefulset", step_sts, KB(STS) | KB(PODS) },
	{ "daemonset", step_ds, KB(DS) | KB(PODS) | KB(NODES) },
	{ "persistentvolume", step_pv, KB(PODS) },
	{ "pvc-protection", step_pvcprot, KB(PVC) | KB(PODS) },
	{ "resourcequota", step_quota, 0 },
	{ "disruption", step_pdb, 0 },
	{ "namespace", step_ns, 0 },
	{ "garbagecollector", step_gc, 0 },
};

/* Apply what earlier steps (and others) wrote, waiting for it briefly. */
static void barrier(struct ctrl_rt *r)
{
	struct err e;

	err_clear(&e);
	if (ctrl_cache_sync(r->pub.cache, BARRIER_MS, &e) < 0)
		fprintf(stderr, "kdeck: controllers: %s\n", e.msg);
}

/* KDECK_CTRL_AUDIT: did step modify the cached objects it was handed? */
static void audit(struct ctrl_rt *r, const struct step *s)
{
	char key[512];
	FILE *f;

	for (int k = 0; k < CTRL_K_COUNT; k++) {
		if (!(s->kinds & (1u << k)) ||
		    !ctrl_cache_audit(r->pub.cache, k, key, sizeof(key)))
			continue;
		f = r->audit[0] == '/' ? fopen(r->audit, "ae") : stderr;
		if (!f)
			continue;
		fprintf(f, "kdeck: controllers: audit: the %s loop modified "
			"the cached %s\n", s->name, key);
		if (f != stderr)
			fclose(f);
	}
}

static void pass(struct ctrl_rt *r)
{
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		barrier(r);
		steps[i].run(r);
		if (r->audit)
			audit(r, &steps[i]);
	}
}

/* Sleep until a change, the next due work queue key, or 1 s. */
static void idle(struct ctrl_rt *r)
{
	struct timespec dl;
	int64_t wait_ms = 1000, due = ctrl_queue_next_due(r->pub.rsq);

	if (due >= 0) {
		due -= ctrl_queue_now_ms();
		wait_ms = due < 1 ? 1 : due < wait_ms ? due : wait_ms;
	}
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += wait_ms / 1000;
	dl.tv_nsec += (wait_ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&r->cond, &r->mu, &dl);
}

static void *worker(void *arg)
{
	struct ctrl_rt *r = arg;
	time_t last_renew = 0;

	pthread_mutex_lock(&r->mu);
	while (!r->stopping) {
		time_t now = time(NULL);

		r->renew = now - last_renew >= r->pub.renew_s;
		r->dirty = false;
		pthread_mutex_unlock(&r->mu);
		if (r->renew)
			last_renew = now;
		pass(r);
		pthread_mutex_lock(&r->mu);
		if (r->dirty || r->stopping)
			continue;
		idle(r);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Grace period, Lease renewal and HPA sync period (ctrl_int.h). */
static void lifecycle_config(struct ctrl *c)
{
	c->started = time(NULL);
	c->grace_s = (int)env_long("KDECK_NODE_MONITOR_GRACE_PERIOD", GRACE_DEFAULT_S, 1, 86400);
	c->renew_s = c->grace_s / 4 < 1 ? 1 : c->grace_s / 4;
	if (c->renew_s > LEASE_RENEW_S)
		c->renew_s = LEASE_RENEW_S;
	c->hpa_period_s = (int)env_long("KDECK_HPA_SYNC_PERIOD", HPA_PERIOD_DEFAULT_S, 1, 86400);
}

/* The informer cache over kinds[], feeding the worker and the queues. */
static int cache_start(struct ctrl_rt *r, struct err *e)
{
	struct ctrl *c = &r->pub;

	c->cache = ctrl_cache_new(c->store);
	c->rsq = ctrl_queue_new();
	c->pdbq = ctrl_queue_new();
	ctrl_cache_set_hook(c->cache, change_cb, c);
	ctrl_cache_set_notify(c->cache, notify_cb, r);
	for (int k = 0; k < CTRL_K_COUNT; k++)
		if (ctrl_cache_add_kind(c->cache, kinds[k].group, kinds[k].res,
					e) < 0)
			return -1;
	return 0;
}

int ctrl_start(struct api *api, struct store *st,
	       const struct ctrl_config *cfg, struct ctrl **out,
	       struct err *e)
{
	struct ctrl_rt *r = xcalloc(1, sizeof(*r));
	const char *a = getenv("KDECK_CTRL_AUDIT");

	r->pub.api = api;
	r->pub.store = st;
	r->pub.events = evrec_new(api);
	r->pub.cfg = *cfg;
	r->pub.cfg.data_dir = cfg->data_dir ? xstrdup(cfg->data_dir) : NULL;
	r->audit = a && *a && strcmp(a, "0") ? xstrdup(a) : NULL;
	if (cfg->sim_nodes > 0)
		r->pub.sim = simnode_new(cfg->sim_nodes, cfg->sim_node_spec);
	lifecycle_config(&r->pub);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (cache_start(r, e) < 0)
		goto fail;
	r->pub.binder = sched_binder_new(&r->pub, notify_cb, r);
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
	pthread_mutex_lock(&r->mu);
	r->stopping = true;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->mu);
	if (r->started)
		pthread_join(r->thread, NULL);
	sched_binder_free(r->pub.binder);
	gc_state_free(r->pub.gc);
	ctrl_cache_free(r->pub.cache);
	ctrl_queue_free(r->pub.rsq);
	ctrl_queue_free(r->pub.pdbq);
	quota_state_free(r->pub.quota);
	simnode_free(r->pub.sim);
	hpa_state_free(r->pub.hpa);
	evrec_free(r->pub.events);
	free((char *)r->pub.cfg.data_dir);
	free(r->audit);
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
