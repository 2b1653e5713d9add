/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crd_ctrl: the CRD controller.  A store watch on CRDs only flags work
 * and wakes the thread; each pass lists every CRD, decides which names
 * are accepted (first come by name order; a later CRD of the same group
 * reusing an accepted kind, plural, singular, short name or list kind
 * gets NamesAccepted False; CRDs whose names were accepted before go
 * first, then by creation time), publishes the rows (crd.c), then writes each
 * CRD's status when it differs, and finishes deleting CRDs: all custom
 * resources are removed from the store, then the cleanup finalizer.
 * Writes go through api_call as system:masters.  A pass also runs every
 * second, so a missed wake-up only delays.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/api.h"
#include "cluster/crd_int.h"
#include "cluster/store.h"
#include "common/json.h"
#include "common/ktime.h"
#include "common/mem.h"

#define CRD_USER "system:apiextensions-controller"
#define CRD_PREFIX_GROUP "apiextensions.k8s.io"
#define CRD_RES "customresourcedefinitions"

struct crd {
	struct api *api;
	struct store *st;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool dirty, stopping, started;
	struct store_watch *w;
};

static int list_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

static cJSON *list_prefix(struct store *st, const char *prefix)
{
	cJSON *arr = cJSON_CreateArray();
	struct err e;

	if (store_list(st, prefix, NULL, list_cb, arr, NULL, &e) < 0)
		err_clear(&e);
	return arr;
}

/* --- names --- */

static bool was_accepted(const cJSON *crd)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(crd, "status.conditions"))
		if (!strcmp(json_get_str(it, "type") ?: "", "NamesAccepted"))
			return !strcmp(json_get_str(it, "status") ?: "", "True");
	return false;
}

/* Earlier accepted first, then older first, then by name. */
static int crd_order(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	bool ax = was_accepted(x), ay = was_accepted(y);
	int c;

	if (ax != ay)
		return ax ? -1 : 1;
	c = strcmp(json_get_str(x, "metadata.creationTimestamp") ?: "",
		   json_get_str(y, "metadata.creationTimestamp") ?: "");
	return c ? c : strcmp(json_get_str(x, "metadata.name") ?: "",
			      json_get_str(y, "metadata.name") ?: "");
}

/* The list's items in acceptance order (a new array of the same items). */
static cJSON *sorted(cJSON *crds)
{
	int n = cJSON_GetArraySize(crds), i = 0;
	cJSON **v = xcalloc((size_t)n + 1, sizeof(*v)), *out = cJSON_CreateArray();

	while (crds->child)
		v[i++] = cJSON_DetachItemViaPointer(crds, crds->child);
	qsort(v, (size_t)n, sizeof(*v), crd_order);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, v[i]);
	free(v);
	cJSON_Delete(crds);
	return out;
}

static bool names_clash(const cJSON *a, const cJSON *b, char *msg, size_t n)
{
	static const char *const single[] = { "plural", "singular", "kind", "listKind", NULL };
	const cJSON *s, *t;

	for (size_t i = 0; single[i]; i++) {
		const char *x = json_get_str(a, single[i]);

		if (x && json_get_str(b, single[i]) && !strcmp(x, json_get_str(b, single[i]))) {
			snprintf(msg, n, "\"%s\" is already in use", x);
			return true;
		}
	}
	cJSON_ArrayForEach(s, json_get(a, "shortNames"))
		cJSON_ArrayForEach(t, json_get(b, "shortNames"))
			if (cJSON_IsString(s) && cJSON_IsString(t) &&
			    !strcmp(s->valuestring, t->valuestring)) {
				snprintf(msg, n, "\"%s\" is already in use", s->valuestring);
				return true;
			}
	return false;
}

/* accepted[i] and, for a refused one, the conflict message in msgs. */
static void accept_names(const cJSON *crds, bool *accepted, char (*msgs)[160])
{
	int n = cJSON_GetArraySize(crds);

	for (int i = 0; i < n; i++) {
		const cJSON *c = cJSON_GetArrayItem(crds, i);
		cJSON *ni = crd_accepted_names(c);

		accepted[i] = true;
		msgs[i][0] = 0;
		for (int j = 0; j < i && accepted[i]; j++) {
			const cJSON *d = cJSON_GetArrayItem(crds, j);
			cJSON *nj;

			if (!accepted[j] || strcmp(json_get_str(c, "spec.group") ?: "",
						   json_get_str(d, "spec.group") ?: ""))
				continue;
			nj = crd_accepted_names(d);
			if (names_clash(ni, nj, msgs[i], sizeof(msgs[i])))
				accepted[i] = false;
			cJSON_Delete(nj);
		}
		cJSON_Delete(ni);
	}
}

/* --- status --- */

static cJSON *condition(const cJSON *old, const char *type, bool ok,
			const char *reason, const char *msg)
{
	cJSON *c = cJSON_CreateObject(), *it;
	const char *st = ok ? "True" : "False";
	char ts[KTIME_STR_MAX];
	struct ktime now = ktime_now();

	ktime_format(&now, ts);
	cJSON_ArrayForEach(it, json_get(old, "status.conditions"))
		if (!strcmp(json_get_str(it, "type") ?: "", type) &&
		    !strcmp(json_get_str(it, "status") ?: "", st) &&
		    json_get_str(it, "lastTransitionTime"))
			snprintf(ts, sizeof(ts), "%s", json_get_str(it, "lastTransitionTime"));
	json_set_str(c, "type", type);
	json_set_str(c, "status", st);
	json_set_str(c, "lastTransitionTime", ts);
	json_set_str(c, "reason", reason);
	json_set_str(c, "message", msg);
	return c;
}

static cJSON *stored_versions(const cJSON *crd)
{
	cJSON *sv = json_dup(json_get(crd, "status.storedVersions")), *it, *v;
	const char *want = NULL;

	if (!cJSON_IsArray(sv)) {
		cJSON_Delete(sv);
		sv = cJSON_CreateArray();
	}
	cJSON_ArrayForEach(v, json_get(crd, "spec.versions"))
		if (json_get_bool(v, "storage", false))
			want = json_get_str(v, "name");
	if (!want)
		return sv;
	cJSON_ArrayForEach(it, sv)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, want))
			return sv;
	cJSON_AddItemToArray(sv, cJSON_CreateString(want));
	return sv;
}

static cJSON *desired_status(const cJSON *crd, bool ok, const char *conflict)
{
	cJSON *st = cJSON_CreateObject(), *conds = cJSON_CreateArray();
	bool deleting = json_get(crd, "metadata.deletionTimestamp") != NULL;

	cJSON_AddItemToObject(st, "acceptedNames", ok ? crd_accepted_names(crd)
						     : cJSON_CreateObject());
	if (!ok)
		json_set_str(st, "acceptedNames.kind", "");
	cJSON_AddItemToArray(conds, condition(crd, "NamesAccepted", ok,
					      ok ? "NoConflicts" : "AlreadyInUse",
					      ok ? "no conflicts found" : conflict));
	cJSON_AddItemToArray(conds, condition(crd, "Established", ok,
					      ok ? "InitialNamesAccepted" : "NotAccepted",
					      ok ? "the initial names have been accepted"
						 : "not all names are accepted"));
	if (deleting)
		cJSON_AddItemToArray(conds, condition(crd, "Terminating", true,
						      "InstanceDeletionInProgress",
						      "CustomResource deletion is in progress"));
	cJSON_AddItemToObject(st, "conditions", conds);
	cJSON_AddItemToObject(st, "storedVersions", stored_versions(crd));
	return st;
}

static void write_status(struct crd *c, const cJSON *crd, cJSON *want)
{
	cJSON *body = json_dup(crd);
	char *path = xasprintf("/apis/%s/v1/%s/%s/status", CRD_PREFIX_GROUP, CRD_RES,
			       json_get_str(crd, "metadata.name") ?: "");

	json_set(body, "status", want);
	api_call(c->api, CRD_USER, NULL, "PUT", path, body, NULL);
	cJSON_Delete(body);
	free(path);
}

/* --- deletion --- */

static int del_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, cJSON_CreateString(o->key));
	return 0;
}

/* Remove every custom resource of crd; then its finalizer. */
static void finish_delete(struct crd *c, const cJSON *crd)
{
	char *res = xasprintf("%s", json_get_str(crd, "spec.names.plural") ?: "");
	char *prefix = store_key(json_get_str(crd, "spec.group"), res, NULL, NULL);
	cJSON *keys = cJSON_CreateArray(), *it, *body, *fin;
	char *path;
	struct err e;

	if (store_list(c->st, prefix, NULL, del_cb, keys, NULL, &e) < 0)
		err_clear(&e);
	cJSON_ArrayForEach(it, keys)
		if (store_delete(c->st, it->valuestring, 0, NULL, &e) < 0)
			err_clear(&e);
	body = json_dup(crd);
	fin = cJSON_CreateArray();
	cJSON_ArrayForEach(it, json_get(crd, "metadata.finalizers"))
		if (cJSON_IsString(it) && strcmp(it->valuestring, CRD_FINALIZER))
			cJSON_AddItemToArray(fin, json_dup(it));
	json_set(body, "metadata.finalizers", fin);
	json_del(body, "metadata.resourceVersion");
	path = xasprintf("/apis/%s/v1/%s/%s", CRD_PREFIX_GROUP, CRD_RES,
			 json_get_str(crd, "metadata.name") ?: "");
	api_call(c->api, CRD_USER, NULL, "PUT", path, body, NULL);
	free(path);
	cJSON_Delete(body);
	cJSON_Delete(keys);
	free(prefix);
	free(res);
}

static bool has_finalizer(const cJSON *crd)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, json_get(crd, "metadata.finalizers"))
		if (cJSON_IsString(it) && !strcmp(it->valuestring, CRD_FINALIZER))
			return true;
	return false;
}

/* --- the pass --- */

static void sync_pass(struct crd *c)
{
	char *prefix = store_key(CRD_PREFIX_GROUP, CRD_RES, NULL, NULL);
	cJSON *crds = sorted(list_prefix(c->st, prefix));
	int n = cJSON_GetArraySize(crds), i = 0;
	bool *acc = xcalloc((size_t)n + 1, sizeof(*acc));
	char (*msgs)[160] = xcalloc((size_t)n + 1, sizeof(*msgs));
	const cJSON *crd;

	accept_names(crds, acc, msgs);
	crd_publish(crds, acc);
	cJSON_ArrayForEach(crd, crds) {
		cJSON *want = desired_status(crd, acc[i], msgs[i]);

		if (!json_equal(want, json_get(crd, "status")))
			write_status(c, crd, want);
		else
			cJSON_Delete(want);
		if (json_get(crd, "metadata.deletionTimestamp") && has_finalizer(crd))
			finish_delete(c, crd);
		i++;
	}
	free(acc);
	free(msgs);
	cJSON_Delete(crds);
	free(prefix);
}

static void watch_cb(void *arg, const struct store_event *ev)
{
	struct crd *c = arg;

	(void)ev;
	pthread_mutex_lock(&c->mu);
	c->dirty = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->mu);
}

static void *worker(void *arg)
{
	struct crd *c = arg;

	pthread_mutex_lock(&c->mu);
	while (!c->stopping) {
		struct timespec dl;

		c->dirty = false;
		pthread_mutex_unlock(&c->mu);
		sync_pass(c);
		pthread_mutex_lock(&c->mu);
		if (c->dirty || c->stopping)
			continue;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 1;
		pthread_cond_timedwait(&c->cond, &c->mu, &dl);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int crd_start(struct api *api, struct store *st, struct crd **out,
	      struct err *e)
{
	struct crd *c = xcalloc(1, sizeof(*c));
	char *prefix = store_key(CRD_PREFIX_GROUP, CRD_RES, NULL, NULL);
	int rc;

	c->api = api;
	c->st = st;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cond, NULL);
	rc = store_watch(st, prefix, 0, watch_cb, c, &c->w, e);
	free(prefix);
	if (rc < 0)
		goto fail;
	sync_pass(c);
	if (pthread_create(&c->thread, NULL, worker, c) != 0) {
		err_set(e, ERR_INTERNAL, "cannot start the CRD controller");
		goto fail;
	}
	c->started = true;
	*out = c;
	return 0;
fail:
	crd_stop(c);
	return -1;
}

void crd_stop(struct crd *c)
{
	if (!c)
		return;
	store_unwatch(c->w);
	pthread_mutex_lock(&c->mu);
	c->stopping = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->mu);
	if (c->started)
		pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cond);
	free(c);
}
