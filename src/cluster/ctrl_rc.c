/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_rc: the ReplicationController controller (core/v1): the
 * ReplicaSet controller's core (ctrl_replicas.c) run on RCs, as
 * kube-controller-manager's replication manager is, with events from
 * "replication-controller".
 *
 * ReplicationControllers are not among the informer cache's kinds: each
 * pass lists them from the store (few exist; nothing is read when there
 * are none) and takes the pods from the cache.  An RC's selector is an
 * equality map, given to the core as matchLabels; an empty one means the
 * template's labels (the API's default).
 */
#include "config.h"

#include <stdlib.h>

#include "cluster/ctrl_int.h"
#include "cluster/ctrl_replicas.h"
#include "cluster/store.h"
#include "common/json.h"

static const struct ctrl_rep_kind rc_kind = {
	"replication-controller", "replicationcontrollers", NULL,
};

/* {"matchLabels": spec.selector or the template's labels}; caller frees. */
static cJSON *rc_selector(const cJSON *rc)
{
	const cJSON *sel = json_get(rc, "spec.selector");
	cJSON *ls = cJSON_CreateObject();

	if (!cJSON_IsObject(sel) || !sel->child)
		sel = json_get(rc, "spec.template.metadata.labels");
	if (cJSON_IsObject(sel))
		cJSON_AddItemToObject(ls, "matchLabels", json_dup(sel));
	return ls;
}

void rc_sync(struct ctrl *c)
{
	char *k = store_key(NULL, "replicationcontrollers", NULL, NULL);
	cJSON *rcs = ctrl_list(c, k);
	const cJSON *rc, *pods = NULL;

	cJSON_ArrayForEach(rc, rcs) {
		cJSON *sel;

		if (json_get(rc, "metadata.deletionTimestamp"))
			continue;
		if (!pods)
			pods = ctrl_cached(c, CTRL_K_PODS);
		sel = rc_selector(rc);
		ctrl_replicas_sync(c, &rc_kind, rc, sel, pods);
		cJSON_Delete(sel);
	}
	cJSON_Delete(rcs);
	free(k);
}
