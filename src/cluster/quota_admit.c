/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quota_admit: the ResourceQuota admission plugin
 * (plugin/pkg/admission/resourcequota, checkRequest).  For each quota of
 * the namespace that matches the object (its scopes, and a hard resource
 * counted on the object's kind): a pod must state every cpu/memory
 * request or limit the quota constrains ("failed quota: ... must
 * specify"), and the object's usage (its delta on update) added to the
 * namespace's current usage must stay within spec.hard ("exceeded
 * quota: ...").
 *
 * Usage is summed from the store, not read from status.used: the check
 * and the caller's write happen under quota_mu, so the store is the
 * exact usage and concurrent creates are serialized.  The lock is only
 * taken in namespaces that have quotas.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/quota.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

static pthread_mutex_t quota_mu = PTHREAD_MUTEX_INITIALIZER;

static int list_cb(void *arg, const struct store_obj *o)
{
	cJSON_AddItemToArray(arg, store_obj_parse(o));
	return 0;
}

static cJSON *ns_list(struct store *st, const char *group,
		      const char *plural, const char *ns)
{
	char *k = store_key(group, plural, ns, NULL);
	cJSON *arr = cJSON_CreateArray();
	struct err e;

	if (store_list(st, k, NULL, list_cb, arr, NULL, &e) < 0)
		err_clear(&e);
	free(k);
	return arr;
}

/* Hard resources of quota counted on objects of k, into out. */
static void restricted(const cJSON *quota, const struct reg_kind *k,
		       struct qlist *out)
{
	struct qlist hard = QLIST_INIT;
	char g[128], p[128];

	qlist_from_json(&hard, json_get(quota, "spec.hard"));
	for (size_t i = 0; i < hard.n; i++)
		if (quota_resource_of(hard.v[i].name, g, sizeof(g), p, sizeof(p)) &&
		    !strcmp(g, k->group) && !strcmp(p, k->plural))
			qlist_set(out, hard.v[i].name, &hard.v[i].q);
	qlist_free(&hard);
}

/* The names a container's requests/limits cover (podComputeUsageHelper). */
static void container_set(const cJSON *c, struct qlist *out)
{
	static const char *const std[] = { "cpu", "memory" };
	struct quantity z = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
	char n[64];

	for (size_t i = 0; i < 2; i++) {
		if (cJSON_GetObjectItemCaseSensitive(json_get(c, "resources.requests"), std[i])) {
			qlist_set(out, std[i], &z);
			snprintf(n, sizeof(n), "requests.%s", std[i]);
			qlist_set(out, n, &z);
		}
		if (cJSON_GetObjectItemCaseSensitive(json_get(c, "resources.limits"), std[i])) {
			snprintf(n, sizeof(n), "limits.%s", std[i]);
			qlist_set(out, n, &z);
		}
	}
}

static bool validated(const char *r)
{
	static const char *const v[] = {
		"requests.cpu", "requests.memory", "limits.cpu",
		"limits.memory", "cpu", "memory", NULL
	};

	for (size_t i = 0; v[i]; i++)
		if (!strcmp(r, v[i]))
			return true;
	return false;
}

/* Containers (sorted, comma-joined) lacking r; NULL when none. */
static char *missing_for(const cJSON *pod, const char *r)
{
	static const char *const lists[] = { "spec.containers", "spec.initContainers" };
	struct qlist names = QLIST_INIT;
	struct quantity z = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
	struct buf b = BUF_INIT;
	const cJSON *c;

	for (size_t i = 0; i < 2; i++)
		cJSON_ArrayForEach(c, json_get(pod, lists[i])) {
			struct qlist have = QLIST_INIT;

			container_set(c, &have);
			if (!qlist_find(&have, r))
				qlist_set(&names, json_get_str(c, "name") ?: "", &z);
			qlist_free(&have);
		}
	for (size_t i = 0; i < names.n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", names.v[i].name);
	qlist_free(&names);
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* podEvaluator.Constraints: "must specify ..." into b; false if none. */
static bool constraints(const cJSON *pod, const struct qlist *req,
			struct buf *b)
{
	for (size_t i = 0; i < req->n; i++) {
		char *m;

		if (!validated(req->v[i].name) ||
		    !(m = missing_for(pod, req->v[i].name)))
			continue;
		buf_printf(b, "%s%s for: %s", b->len ? "; " : "must specify ",
			   req->v[i].name, m);
		free(m);
	}
	return b->len > 0;
}

/* Usage of the kind's objects in ns that quota's scopes select. */
static void ns_usage(struct store *st, const struct reg_kind *k,
		     const char *ns, const cJSON *quota, struct qlist *out)
{
	cJSON *objs = ns_list(st, k->group, k->plural, ns), *o;

	cJSON_ArrayForEach(o, objs)
		if (quota_scopes_match(quota, k->plural, o))
			quota_usage(k->group, k->plural, o, out);
	cJSON_Delete(objs);
}

/* new - old, entries below zero dropped (SubtractWithNonNegativeResult). */
static void delta(const struct reg_kind *k, const cJSON *old,
		  const cJSON *obj, struct qlist *out)
{
	struct qlist prev = QLIST_INIT;

	quota_usage(k->group, k->plural, obj, out);
	if (!old)
		return;
	quota_usage(k->group, k->plural, old, &prev);
	for (size_t i = 0; i < out->n; i++) {
		const struct qent *p = qlist_find(&prev, out->v[i].name);

		if (p)
			out->v[i].q.nano -= p->q.nano;
		if (out->v[i].q.nano < 0)
			out->v[i].q.nano = 0;
	}
	qlist_free(&prev);
}

struct req_ctx {
	struct store *st;
	const struct reg_kind *k;
	const char *ns, *res, *name;
	const cJSON *obj;
	const struct qlist *delta;
};

/* One quota: 0 or -1 with the Forbidden message. */
static int check_quota(const struct req_ctx *x, const cJSON *quota,
		       struct err *e)
{
	const char *qn = json_get_str(quota, "metadata.name") ?: "";
	struct qlist hard = QLIST_INIT, req = QLIST_INIT, used = QLIST_INIT;
	struct qlist over = QLIST_INIT;
	struct buf b = BUF_INIT;
	int rc = 0;

	restricted(quota, x->k, &hard);
	if (!hard.n || !quota_scopes_match(quota, x->k->plural, x->obj))
		goto out;
	if (!strcmp(x->k->plural, "pods") && !x->k->group[0] &&
	    constraints(x->obj, &hard, &b)) {
		rc = err_set(e, ERR_FORBIDDEN, "%s \"%s\" is forbidden: failed quota: %s: %s",
			     x->res, x->name, qn, buf_cstr(&b));
		goto out;
	}
	for (size_t i = 0; i < x->delta->n; i++)
		if (qlist_find(&hard, x->delta->v[i].name) && !quantity_is_zero(&x->delta->v[i].q))
			qlist_set(&req, x->delta->v[i].name, &x->delta->v[i].q);
	if (!req.n)
		goto out;
	ns_usage(x->st, x->k, x->ns, quota, &used);
	for (size_t i = 0; i < req.n; i++) {
		struct quantity sum = quantity_from_int64(0, QUANTITY_DECIMAL_SI);
		const struct qent *u = qlist_find(&used, req.v[i].name);
		struct err ae;

		if (u)
			sum = u->q;
		else
			qlist_set(&used, req.v[i].name, &sum);
		if (quantity_add(&sum, &req.v[i].q, &ae) < 0 ||
		    quantity_cmp(&sum, &qlist_find(&hard, req.v[i].name)->q) > 0)
			qlist_set(&over, req.v[i].name, &sum);
	}
	if (over.n) {
		char *r = qlist_pretty(&req, &over), *u = qlist_pretty(&used, &over);
		char *h = qlist_pretty(&hard, &over);

		rc = err_set(e, ERR_FORBIDDEN, "%s \"%s\" is forbidden: exceeded quota: %s, requested: %s, used: %s, limited: %s",
			     x->res, x->name, qn, r, u, h);
		free(r);
		free(u);
		free(h);
	}
out:
	buf_free(&b);
	qlist_free(&hard);
	qlist_free(&req);
	qlist_free(&used);
	qlist_free(&over);
	return rc;
}

/* The namespace has at least one ResourceQuota. */
static bool has_quotas(struct store *st, const char *ns)
{
	char *k = store_key(NULL, "resourcequotas", ns, NULL);
	size_t n = store_count(st, k);

	free(k);
	return n > 0;
}

int quota_admit(struct store *st, const struct reg_kind *k, const char *name,
		const cJSON *old, const cJSON *obj, bool *locked,
		struct err *e)
{
	const char *ns = json_get_str(obj, "metadata.namespace");
	struct qlist d = QLIST_INIT;
	char res[300];
	cJSON *quotas, *q;
	int rc = 0;

	*locked = false;
	if (!ns || !*ns || !has_quotas(st, ns))
		return 0;
	pthread_mutex_lock(&quota_mu);
	*locked = true;
	snprintf(res, sizeof(res), "%s%s%s", k->plural, k->group[0] ? "." : "",
		 k->group);
	delta(k, old, obj, &d);
	quotas = ns_list(st, "", "resourcequotas", ns);
	cJSON_ArrayForEach(q, quotas) {
		struct req_ctx x = { st, k, ns, res, name, obj, &d };

		if ((rc = check_quota(&x, q, e)) < 0)
			break;
	}
	cJSON_Delete(quotas);
	qlist_free(&d);
	if (rc < 0) {
		pthread_mutex_unlock(&quota_mu);
		*locked = false;
	}
	return rc;
}

void quota_admit_done(bool locked)
{
	if (locked)
		pthread_mutex_unlock(&quota_mu);
}
