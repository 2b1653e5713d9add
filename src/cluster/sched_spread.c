/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_spread: PodTopologySpread's system default constraints, which
 * kube-scheduler's default profile applies (defaultingType System) to a
 * pod that declares none:
 *
 *   kubernetes.io/hostname       maxSkew 3  ScheduleAnyway
 *   topology.kubernetes.io/zone  maxSkew 5  ScheduleAnyway
 *
 * both with the pod's "default selector" (helper.DefaultSelector): the
 * selectors of the Services in its namespace that select it, merged,
 * plus the selector of its controller when that is a
 * ReplicationController, ReplicaSet or StatefulSet.  A pod no Service
 * selects and no such controller owns gets no default constraint.  Being
 * ScheduleAnyway they only score (spread replicas over nodes and zones);
 * nodes without a zone label simply skip the zone constraint.
 *
 * The owners come from the pass (sched.c fills s->services and
 * s->owner_get); the unit test fills them by hand.
 */
#include "config.h"

#include <string.h>

#include "cluster/ctrl_int.h"
#include "cluster/sched_int.h"
#include "common/json.h"

static const struct {
	const char *key;
	int skew;
} defaults[] = {
	{ "kubernetes.io/hostname", 3 },
	{ "topology.kubernetes.io/zone", 5 },
};

/* Map-form selector sel selects labels (an empty map selects nothing). */
static bool map_selects(const cJSON *sel, const cJSON *labels)
{
	return cJSON_GetArraySize(sel) > 0 && ctrl_labels_subset(labels, sel);
}

static void merge_map(cJSON *ls, const cJSON *map)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, map)
		if (cJSON_IsString(kv))
			json_set_str(json_obj_ensure(ls, "matchLabels"),
				     kv->string, kv->valuestring);
}

/* A LabelSelector's requirements, as matchExpressions of ls. */
static void merge_selector(cJSON *ls, const cJSON *sel)
{
	const cJSON *kv, *ex;
	cJSON *exprs;

	if (!cJSON_IsObject(sel))
		return;
	exprs = json_get(ls, "matchExpressions");
	if (!exprs)
		exprs = cJSON_AddArrayToObject(ls, "matchExpressions");
	cJSON_ArrayForEach(kv, json_get(sel, "matchLabels")) {
		cJSON *req = cJSON_CreateObject();
		const char *v[1] = { kv->valuestring ? kv->valuestring : "" };

		json_set_str(req, "key", kv->string);
		json_set_str(req, "operator", "In");
		cJSON_AddItemToObject(req, "values", cJSON_CreateStringArray(v, 1));
		cJSON_AddItemToArray(exprs, req);
	}
	cJSON_ArrayForEach(ex, json_get(sel, "matchExpressions"))
		cJSON_AddItemToArray(exprs, cJSON_Duplicate(ex, true));
}

/* The controller's selector merged into ls (RC: a map; RS, STS: a
 * LabelSelector). */
static void merge_owner(const struct sched_state *s, const struct sched_pod *p,
			cJSON *ls)
{
	const cJSON *ref, *owner;
	const char *kind, *av;

	cJSON_ArrayForEach(ref, json_get(p->pod, "metadata.ownerReferences"))
		if (cJSON_IsTrue(json_get(ref, "controller")))
			break;
	if (!ref || !s->owner_get)
		return;
	kind = json_get_str(ref, "kind") ?: "";
	av = json_get_str(ref, "apiVersion") ?: "";
	if (!(!strcmp(kind, "ReplicationController") && !strcmp(av, "v1")) &&
	    !(!strcmp(av, "apps/v1") &&
	      (!strcmp(kind, "ReplicaSet") || !strcmp(kind, "StatefulSet"))))
		return;
	owner = s->owner_get(s->owner_arg, kind, p->ns,
			     json_get_str(ref, "name") ?: "");
	if (!owner)
		return;
	if (!strcmp(kind, "ReplicationController"))
		merge_map(ls, json_get(owner, "spec.selector"));
	else
		merge_selector(ls, json_get(owner, "spec.selector"));
}

cJSON *sched_default_spread(const struct sched_state *s,
			    const struct sched_pod *p)
{
	cJSON *ls = cJSON_CreateObject(), *out;
	const cJSON *svc;

	cJSON_ArrayForEach(svc, s->services) {
		const char *ns = json_get_str(svc, "metadata.namespace");
		const cJSON *sel = json_get(svc, "spec.selector");

		if (ns && !strcmp(ns, p->ns) && map_selects(sel, p->labels))
			merge_map(ls, sel);
	}
	merge_owner(s, p, ls);
	if (cJSON_GetArraySize(json_get(ls, "matchLabels")) == 0 &&
	    cJSON_GetArraySize(json_get(ls, "matchExpressions")) == 0) {
		cJSON_Delete(ls);
		return NULL;
	}
	out = cJSON_CreateArray();
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		cJSON *con = cJSON_CreateObject();

		cJSON_AddNumberToObject(con, "maxSkew", defaults[i].skew);
		json_set_str(con, "topologyKey", defaults[i].key);
		json_set_str(con, "whenUnsatisfiable", "ScheduleAnyway");
		cJSON_AddItemToObject(con, "labelSelector", cJSON_Duplicate(ls, true));
		cJSON_AddItemToArray(out, con);
	}
	cJSON_Delete(ls);
	return out;
}
