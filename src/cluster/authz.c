/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authz: RBAC decisions over an index kept current from the store.
 *
 * authz_new lists the four RBAC kinds into an rbac_index and watches the
 * whole key space from the list's revision.  RBAC events update the index
 * under the write lock; every event, RBAC or not, advances applied_rev,
 * the last store revision the authorizer has seen.
 *
 * Freshness.  Kubernetes' RBAC authorizer reads informer caches and is
 * eventually consistent: a RoleBinding may take effect a few milliseconds
 * after its create returned.  kdeck does better at a small price: a
 * decision first waits (at most AUTHZ_SYNC_MS) until applied_rev reaches
 * the store's committed revision, so a decision made after a write
 * returned sees it.  The wait is normally zero or a few microseconds (the
 * watch fan-out follows the commit); if the watch is stuck, the decision
 * proceeds with the index as it is, which is Kubernetes' behaviour.
 *
 * Aggregation.  ClusterRole events mark the aggregation dirty; a worker
 * thread recomputes every ClusterRole with an aggregationRule and writes
 * changed rules back with store_update (conditional on the revision it
 * read), as the clusterrole-aggregation controller does.  Those writes
 * come back as events, so chains (view -> edit -> admin) settle.
 *
 * The watch callback runs on the store's writer thread and takes the
 * index's write lock; readers hold it only for the few microseconds a
 * decision takes, so the writer is never held up for long.
 *
 * With st == NULL the authorizer is purely in memory (unit tests, and
 * callers without a store): authz_put/authz_delete feed it and
 * aggregation runs inline.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/authz_int.h"
#include "common/mem.h"

#define AUTHZ_SYNC_MS 500
#define AUTHZ_AGG_ROUNDS 16

bool authz_is_master(const struct user_info *user)
{
	for (size_t i = 0; user && user->groups && user->groups[i]; i++)
		if (strcmp(user->groups[i], RBAC_MASTERS) == 0)
			return true;
	return false;
}

/* ---- errors aggregate ---- */

void authz_errs_add(struct authz_errs *x, const char *msg)
{
	for (size_t i = 0; i < x->msgs.len; i++)
		if (strcmp(x->msgs.items[i], msg) == 0)
			return;
	vec_push(&x->msgs, xstrdup(msg));
}

void authz_errs_format(const struct authz_errs *x, struct buf *b)
{
	if (x->msgs.len == 1) {
		buf_adds(b, x->msgs.items[0]);
		return;
	}
	if (x->msgs.len == 0)
		return;
	buf_addc(b, '[');
	for (size_t i = 0; i < x->msgs.len; i++)
		buf_printf(b, "%s%s", i ? ", " : "",
			   (const char *)x->msgs.items[i]);
	buf_addc(b, ']');
}

void authz_errs_done(struct authz_errs *x)
{
	vec_free(&x->msgs, free);
}

/* ---- index upkeep ---- */

static const char *meta_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "metadata"), key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The RBAC kind of a store key, or -1. */
static int key_kind(const char *key)
{
	static const char pre[] = "/registry/";
	size_t gl = strlen(RBAC_GROUP);
	const char *res, *dot;
	char buf[32];

	if (strncmp(key, pre, sizeof(pre) - 1) != 0)
		return -1;
	res = key + sizeof(pre) - 1;
	dot = strchr(res, '.');
	if (!dot || (size_t)(dot - res) >= sizeof(buf) ||
	    strncmp(dot + 1, RBAC_GROUP, gl) != 0 || dot[1 + gl] != '/')
		return -1;
	memcpy(buf, res, (size_t)(dot - res));
	buf[dot - res] = '\0';
	return rbac_kind_from_resource(buf);
}

static void run_aggregation_inline(struct authz *az);

/* Apply one object under the write lock (takes obj). */
static void apply(struct authz *az, enum rbac_kind k, cJSON *obj,
		  bool deleted)
{
	pthread_rwlock_wrlock(&az->lock);
	if (deleted) {
		rbac_index_del(az->ix, k, meta_str(obj, "namespace"),
			       meta_str(obj, "name"));
		cJSON_Delete(obj);
	} else {
		rbac_index_put(az->ix, k, obj);
	}
	pthread_rwlock_unlock(&az->lock);
}

static void on_event(void *arg, const struct store_event *ev)
{
	struct authz *az = arg;
	int k = key_kind(ev->obj->key);

	if (k >= 0)
		apply(az, (enum rbac_kind)k, store_obj_parse(ev->obj),
		      ev->type == STORE_DELETED);
	pthread_mutex_lock(&az->mu);
	if (ev->obj->rev > az->applied_rev)
		az->applied_rev = ev->obj->rev;
	if (k == RBAC_CLUSTER_ROLE)
		az->agg_dirty = true;
	pthread_cond_broadcast(&az->cond);
	pthread_mutex_unlock(&az->mu);
}

static int list_one(void *arg, const struct store_obj *o)
{
	struct authz *az = arg;
	int k = key_kind(o->key);

	if (k >= 0)
		apply(az, (enum rbac_kind)k, store_obj_parse(o), false);
	return 0;
}

int authz_put(struct authz *az, const cJSON *obj)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	int k = rbac_kind_from_kind(cJSON_IsString(kind) ? kind->valuestring
							 : NULL);

	if (k < 0)
		return -1;
	apply(az, (enum rbac_kind)k, cJSON_Duplicate(obj, true), false);
	if (!az->st && !az->batching && k == RBAC_CLUSTER_ROLE)
		run_aggregation_inline(az);
	return 0;
}

int authz_delete(struct authz *az, const char *kind, const char *ns,
		 const char *name)
{
	int k = rbac_kind_from_kind(kind);

	if (k < 0)
		return -1;
	pthread_rwlock_wrlock(&az->lock);
	rbac_index_del(az->ix, (enum rbac_kind)k, ns, name);
	pthread_rwlock_unlock(&az->lock);
	if (!az->st && k == RBAC_CLUSTER_ROLE)
		run_aggregation_inline(az);
	return 0;
}

/* ---- aggregation ---- */

/*
 * New versions of every ClusterRole whose aggregated rules changed
 * (full objects, owned), computed under the read lock.
 */
static void aggregation_changes(struct authz *az, struct vec *out)
{
	struct vec all = VEC_INIT;

	pthread_rwlock_rdlock(&az->lock);
	rbac_index_all(az->ix, RBAC_CLUSTER_ROLE, &all);
	for (size_t i = 0; i < all.len; i++) {
		cJSON *rules = rbac_aggregate(az->ix, all.items[i]);
		cJSON *o;

		if (!rules)
			continue;
		o = cJSON_Duplicate(all.items[i], true);
		cJSON_DeleteItemFromObjectCaseSensitive(o, "rules");
		cJSON_AddItemToObject(o, "rules", rules);
		vec_push(out, o);
	}
	pthread_rwlock_unlock(&az->lock);
	vec_free(&all, NULL);
}

static void obj_free(void *p)
{
	cJSON_Delete(p);
}

static void run_aggregation_inline(struct authz *az)
{
	for (int round = 0; round < AUTHZ_AGG_ROUNDS; round++) {
		struct vec ch = VEC_INIT;

		aggregation_changes(az, &ch);
		if (ch.len == 0) {
			vec_free(&ch, NULL);
			return;
		}
		for (size_t i = 0; i < ch.len; i++)
			apply(az, RBAC_CLUSTER_ROLE, ch.items[i], false);
		vec_free(&ch, NULL);
	}
}

/* Write one aggregated ClusterRole back; conflicts retry on the next event. */
static void write_back(struct authz *az, cJSON *cr)
{
	char *key = store_key(RBAC_GROUP, "clusterroles", NULL,
			      meta_str(cr, "name"));
	int64_t rev = strtoll(meta_str(cr, "resourceVersion"), NULL, 10);
	struct err e;

	store_update(az->st, key, rev, cr, NULL, &e);
	free(key);
}

static void *aggregation_worker(void *arg)
{
	struct authz *az = arg;

	pthread_mutex_lock(&az->mu);
	for (;;) {
		struct vec ch = VEC_INIT;

		while (!az->agg_dirty && !az->stopping)
			pthread_cond_wait(&az->cond, &az->mu);
		if (az->stopping)
			break;
		az->agg_dirty = false;
		pthread_mutex_unlock(&az->mu);
		aggregation_changes(az, &ch);
		for (size_t i = 0; i < ch.len; i++)
			write_back(az, ch.items[i]);
		vec_free(&ch, obj_free);
		pthread_mutex_lock(&az->mu);
	}
	pthread_mutex_unlock(&az->mu);
	return NULL;
}

/* ---- lifecycle ---- */

static int start_store(struct authz *az, struct err *e)
{
	int64_t from = 0;

	for (int k = 0; k < RBAC__KINDS; k++) {
		char *pre = xasprintf("/registry/%s.%s/",
				      rbac_kind_resource((enum rbac_kind)k),
				      RBAC_GROUP);
		int64_t rev = 0;
		int rc = store_list(az->st, pre, NULL, list_one, az, &rev, e);

		free(pre);
		if (rc < 0)
			return -1;
		if (from == 0 || rev < from)
			from = rev;
	}
	az->applied_rev = from;
	az->agg_dirty = true;
	if (store_watch(az->st, "/registry/", from, on_event, az, &az->watch,
			e) < 0)
		return -1;
	if (pthread_create(&az->worker, NULL, aggregation_worker, az) != 0)
		return err_set(e, ERR_INTERNAL, "authz: cannot start thread");
	az->worker_started = true;
	return 0;
}

int authz_new(struct store *st, struct authz **out, struct err *e)
{
	struct authz *az = xcalloc(1, sizeof(*az));

	az->st = st;
	az->ix = rbac_index_new();
	pthread_rwlock_init(&az->lock, NULL);
	pthread_mutex_init(&az->mu, NULL);
	pthread_cond_init(&az->cond, NULL);
	if (st && start_store(az, e) < 0) {
		err_wrap(e, "authz");
		authz_free(az);
		return -1;
	}
	*out = az;
	return 0;
}

void authz_free(struct authz *az)
{
	if (!az)
		return;
	store_unwatch(az->watch);
	if (az->worker_started) {
		pthread_mutex_lock(&az->mu);
		az->stopping = true;
		pthread_cond_broadcast(&az->cond);
		pthread_mutex_unlock(&az->mu);
		pthread_join(az->worker, NULL);
	}
	rbac_index_free(az->ix);
	pthread_rwlock_destroy(&az->lock);
	pthread_mutex_destroy(&az->mu);
	pthread_cond_destroy(&az->cond);
	free(az);
}

/* In memory: add obj, or complete the existing one (rbac_reconcile). */
static void bootstrap_memory(struct authz *az, enum rbac_kind k, cJSON *obj)
{
	cJSON *have = NULL, *fixed;

	pthread_rwlock_rdlock(&az->lock);
	if (rbac_index_get(az->ix, k, "", meta_str(obj, "name")))
		have = cJSON_Duplicate(
			rbac_index_get(az->ix, k, "", meta_str(obj, "name")),
			true);
	pthread_rwlock_unlock(&az->lock);
	fixed = have ? rbac_reconcile(have, obj) : NULL;
	if (!have || fixed)
		authz_put(az, fixed ? fixed : obj);
	cJSON_Delete(have);
	cJSON_Delete(fixed);
}

/* In the store: complete an existing default object, retrying conflicts. */
static int reconcile_stored(struct authz *az, const char *key,
			    const cJSON *obj, struct err *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		const struct store_obj *o = NULL;
		cJSON *have, *fixed;
		int rc = 0;

		if (store_get(az->st, key, &o, e) < 0)
			return e->code == ERR_NOT_FOUND ? 0 : -1;
		have = store_obj_parse(o);
		fixed = rbac_reconcile(have, obj);
		if (fixed)
			rc = store_update(az->st, key, o->rev, fixed, NULL, e);
		store_obj_unref(o);
		cJSON_Delete(have);
		cJSON_Delete(fixed);
		if (rc == 0 || e->code != ERR_CONFLICT)
			return rc;
	}
	return -1;
}

static int bootstrap_one(struct authz *az, enum rbac_kind k, cJSON *obj,
			 struct err *e)
{
	const struct store_obj *have = NULL;
	char *key;
	int rc;

	if (!az->st) {
		bootstrap_memory(az, k, obj);
		return 0;
	}
	key = store_key(RBAC_GROUP, rbac_kind_resource(k), NULL,
			meta_str(obj, "name"));
	/* At a restart every default object exists: compare it in memory
	 * and write only what changed, without a create that fails. */
	if (store_get(az->st, key, &have, e) == 0) {
		store_obj_unref(have);
		rc = reconcile_stored(az, key, obj, e);
		free(key);
		return rc;
	}
	err_clear(e);
	rc = store_create(az->st, key, obj, NULL, e);
	if (rc < 0 && e->code == ERR_ALREADY_EXISTS) {
		err_clear(e);
		rc = reconcile_stored(az, key, obj, e);
	}
	free(key);
	return rc;
}

int authz_bootstrap(struct authz *az, struct err *e)
{
	cJSON *sets[2] = { rbac_bootstrap_cluster_roles(),
			   rbac_bootstrap_cluster_role_bindings() };
	static const enum rbac_kind kinds[2] = { RBAC_CLUSTER_ROLE,
						 RBAC_CLUSTER_ROLE_BINDING };
	const cJSON *o;
	int rc = 0;

	az->batching = true;	/* in memory: aggregate once at the end */
	for (int s = 0; s < 2 && rc == 0; s++) {
		cJSON_ArrayForEach(o, sets[s]) {
			rc = bootstrap_one(az, kinds[s], (cJSON *)o, e);
			if (rc < 0)
				break;
		}
	}
	az->batching = false;
	if (!az->st)
		run_aggregation_inline(az);
	cJSON_Delete(sets[0]);
	cJSON_Delete(sets[1]);
	return rc < 0 ? err_wrap(e, "rbac bootstrap") : 0;
}

/* ---- decisions ---- */

/* Wait (bounded) until the index reflects every committed write. */
static void sync_rev(struct authz *az)
{
	struct timespec until;
	int64_t want;

	if (!az->st)
		return;
	want = store_rev(az->st);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += AUTHZ_SYNC_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&az->mu);
	while (az->applied_rev < want && !az->stopping) {
		if (pthread_cond_timedwait(&az->cond, &az->mu, &until) ==
		    ETIMEDOUT) {
			/* A revision without an event: never wait for it again. */
			az->applied_rev = want;
			break;
		}
	}
	pthread_mutex_unlock(&az->mu);
}

struct decide {
	const struct authz_attrs *a;
	bool allowed;
	struct authz_errs errs;
};

static bool decide_visit(void *arg, const cJSON *rules, const char *err)
{
	struct decide *d = arg;

	if (err) {
		authz_errs_add(&d->errs, err);
		return true;
	}
	d->allowed = rbac_rules_allow(rules, d->a);
	return !d->allowed;
}

bool authz_allowed(struct authz *az, const struct user_info *user,
		   const struct authz_attrs *a, char *reason,
		   size_t reason_len)
{
	struct decide d = { a, false, { VEC_INIT } };
	struct buf b = BUF_INIT;

	if (reason && reason_len)
		reason[0] = '\0';
	if (authz_is_master(user))
		return true;
	sync_rev(az);
	pthread_rwlock_rdlock(&az->lock);
	rbac_index_visit(az->ix, user, a->namespace, decide_visit, &d);
	pthread_rwlock_unlock(&az->lock);
	if (!d.allowed && d.errs.msgs.len > 0 && reason && reason_len) {
		buf_adds(&b, "RBAC: ");
		authz_errs_format(&d.errs, &b);
		snprintf(reason, reason_len, "%s", buf_cstr(&b));
	}
	buf_free(&b);
	authz_errs_done(&d.errs);
	return d.allowed;
}

struct collect {
	cJSON *rules;
	struct authz_errs *errs;
};

static bool collect_visit(void *arg, const cJSON *rules, const char *err)
{
	struct collect *c = arg;
	const cJSON *r;

	if (err) {
		authz_errs_add(c->errs, err);
		return true;
	}
	cJSON_ArrayForEach(r, rules)
		cJSON_AddItemReferenceToArray(c->rules, (cJSON *)r);
	return true;
}

cJSON *authz_rules_for_locked(struct authz *az, const struct user_info *user,
			      const char *ns, struct authz_errs *errs)
{
	struct collect c = { cJSON_CreateArray(), errs };

	rbac_index_visit(az->ix, user, ns, collect_visit, &c);
	return c.rules;
}
