/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_quota: the resource quota controller
 * (pkg/controller/resourcequota).  A ResourceQuota's usage is recomputed
 * from the objects of its namespace when something in that namespace
 * changed - a store watch on every key (writer thread, text only) notes
 * the namespace of each write - and for every quota at the start and
 * every QUOTA_RESYNC_S, as the real controller's resync; a pass with
 * nothing noted costs nothing.  status.hard (= spec.hard, canonical
 * quantities) and status.used (one entry per hard resource, 0 when
 * nothing counts) are written when they changed.
 * Admission (quota_admit.c) does not depend on this status: it sums the
 * store itself; the status is what `kubectl describe quota` shows.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <uthash.h>

#include "cluster/ctrl_cache.h"
#include "cluster/ctrl_int.h"
#include "cluster/quota.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/mem.h"

#define QUOTA_RESYNC_S 60

/* A namespace noted by the watch. */
struct quota_ns {
	char *ns;
	UT_hash_handle hh;
};

struct quota_state {
	pthread_mutex_t mu;
	struct store_watch *w;
	struct quota_ns *dirty;	/* uthash by name */
	bool all;
	int64_t last_all;
};

/*
 * Add the usage of every (group, plural) object of ns quota selects: from
 * the informer cache when it holds the kind, else listed from the store.
 */
static void kind_usage(struct ctrl *c, const cJSON *quota, const char *ns,
		       const char *group, const char *plural,
		       const struct qlist *hard, struct qlist *used)
{
	int kind = ctrl_cache_kind(c->cache, *group ? group : NULL, plural);
	cJSON *objs = NULL;
	const cJSON *o, *from;

	if (kind < 0) {
		char *k = store_key(group, plural, ns, NULL);

		objs = ctrl_list(c, k);
		free(k);
	}
	from = objs ? objs : ctrl_cache_list(c->cache, kind);
	cJSON_ArrayForEach(o, from) {
		struct qlist one = QLIST_INIT;

		if (!objs && strcmp(json_get_str(o, "metadata.namespace") ?: "", ns))
			continue;
		if (!quota_scopes_match(quota, plural, o))
			continue;
		quota_usage(group, plural, o, &one);
		for (size_t i = 0; i < one.n; i++)
			if (qlist_find(hard, one.v[i].name))
				qlist_add(used, one.v[i].name, &one.v[i].q);
		qlist_free(&one);
	}
	cJSON_Delete(objs);
}

/* The status quota should have (caller frees). */
static cJSON *quota_status(struct ctrl *c, const cJSON *quota)
{
	const char *ns = json_get_str(quota, "metadata.namespace");
	struct qlist hard = QLIST_INIT, used = QLIST_INIT, done = QLIST_INIT;
	struct quantity z = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
	cJSON *st = cJSON_CreateObject();
	char g[128], p[128], key[300];

	qlist_from_json(&hard, json_get(quota, "spec.hard"));
	for (size_t i = 0; i < hard.n; i++) {
		qlist_add(&used, hard.v[i].name, &z);
		if (!quota_resource_of(hard.v[i].name, g, sizeof(g), p, sizeof(p)))
			continue;
		snprintf(key, sizeof(key), "%s/%s", g, p);
		if (qlist_find(&done, key))
			continue;
		qlist_set(&done, key, &z);
		kind_usage(c, quota, ns, g, p, &hard, &used);
	}
	cJSON_AddItemToObject(st, "hard", qlist_to_json(&hard));
	cJSON_AddItemToObject(st, "used", qlist_to_json(&used));
	qlist_free(&hard);
	qlist_free(&used);
	qlist_free(&done);
	return st;
}

static void ns_set_free(struct quota_ns *set)
{
	struct quota_ns *n, *tmp;

	HASH_ITER(hh, set, n, tmp) {
		HASH_DEL(set, n);
		free(n->ns);
		free(n);
	}
}

/*
 * The watch (writer thread): note the namespace of a namespaced key,
 * "/registry/<resource>/<ns>/<name>".
 */
static void quota_watch_cb(void *arg, const struct store_event *ev)
{
	struct quota_state *s = arg;
	const char *k = ev->obj ? ev->obj->key : NULL, *ns, *end;
	struct quota_ns *n;
	size_t len;

	if (!k || strncmp(k, "/registry/", 10) ||
	    !strncmp(k, "/registry/events", 16))	/* the resync counts them */
		return;
	ns = strchr(k + 10, '/');
	end = ns ? strchr(ns + 1, '/') : NULL;
	if (!end || strchr(end + 1, '/'))
		return;
	ns++;
	len = (size_t)(end - ns);
	pthread_mutex_lock(&s->mu);
	HASH_FIND(hh, s->dirty, ns, len, n);
	if (!n) {
		n = xcalloc(1, sizeof(*n));
		n->ns = xstrndup(ns, len);
		HASH_ADD_KEYPTR(hh, s->dirty, n->ns, len, n);
	}
	pthread_mutex_unlock(&s->mu);
}

static void quota_start(struct ctrl *c)
{
	struct err e;

	c->quota = xcalloc(1, sizeof(*c->quota));
	pthread_mutex_init(&c->quota->mu, NULL);
	c->quota->all = true;
	if (store_watch(c->store, "/registry/", 0, quota_watch_cb, c->quota,
			&c->quota->w, &e) < 0) {
		fprintf(stderr, "kdeck: resource quota: %s; full passes only\n",
			e.msg);
		c->quota->w = NULL;
	}
}

void quota_state_free(struct quota_state *s)
{
	if (!s)
		return;
	store_unwatch(s->w);
	ns_set_free(s->dirty);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* Recompute q's status and write it when it changed. */
static void quota_sync_one(struct ctrl *c, const cJSON *q)
{
	cJSON *st = quota_status(c, q), *nw;

	if (json_equal(st, json_get(q, "status"))) {
		cJSON_Delete(st);
		return;
	}
	nw = json_dup(q);
	json_set(nw, "status", st);
	ctrl_put(c, nw, "resourcequotas", "status");
	cJSON_Delete(nw);
}

void quota_sync(struct ctrl *c)
{
	int64_t now = (int64_t)time(NULL);
	struct quota_ns *dirty, *n = NULL;
	const cJSON *q, *quotas;
	bool all;

	if (!c->quota)
		quota_start(c);
	pthread_mutex_lock(&c->quota->mu);
	dirty = c->quota->dirty;
	c->quota->dirty = NULL;
	all = c->quota->all || !c->quota->w ||
	      now - c->quota->last_all >= QUOTA_RESYNC_S;
	c->quota->all = false;
	pthread_mutex_unlock(&c->quota->mu);
	if (all)
		c->quota->last_all = now;
	quotas = all || dirty ? ctrl_cached(c, CTRL_K_QUOTA) : NULL;
	cJSON_ArrayForEach(q, quotas) {
		const char *ns = json_get_str(q, "metadata.namespace") ?: "";

		if (!all)
			HASH_FIND_STR(dirty, ns, n);
		if (all || n)
			quota_sync_one(c, q);
	}
	ns_set_free(dirty);
}
