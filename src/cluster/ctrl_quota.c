/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_quota: the resource quota controller
 * (pkg/controller/resourcequota).  Every pass recomputes each
 * ResourceQuota's usage from the objects of its namespace and writes
 * status.hard (= spec.hard, canonical quantities) and status.used (one
 * entry per hard resource, 0 when nothing counts) when they changed.
 * Admission (quota_admit.c) does not depend on this status: it sums the
 * store itself; the status is what `kubectl describe quota` shows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/ctrl_cache.h"
#include "cluster/ctrl_int.h"
#include "cluster/quota.h"
#include "cluster/store.h"
#include "common/json.h"

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

void quota_sync(struct ctrl *c)
{
	const cJSON *q;

	cJSON_ArrayForEach(q, ctrl_cached(c, CTRL_K_QUOTA)) {
		cJSON *st = quota_status(c, q), *nw;

		if (json_equal(st, json_get(q, "status"))) {
			cJSON_Delete(st);
			continue;
		}
		nw = json_dup(q);
		json_set(nw, "status", st);
		ctrl_put(c, nw, "resourcequotas", "status");
		cJSON_Delete(nw);
	}
}
