/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_prio: pod priority.  The Priority admission plugin resolves a new
 * pod's priorityClassName (or, without one, the globalDefault class) into
 * spec.priority and spec.preemptionPolicy with the plugin's Forbidden
 * messages; no default class means priority 0.  The two system classes
 * exist from bootstrap on.  PriorityClass objects themselves (reserved
 * "system-" names, value limits, a single globalDefault) are validated
 * in admit_prio.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/sched.h"
#include "common/json.h"
#include "common/mem.h"

static const struct {
	const char *name;
	int64_t value;
	const char *desc;
} builtin[] = {
	{ "system-node-critical", 2000001000,
	  "Used for system critical pods that must not be moved from their current node." },
	{ "system-cluster-critical", 2000000000,
	  "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." },
};

cJSON *sched_prio_builtin(size_t i, char **key)
{
	cJSON *pc;

	if (i >= sizeof(builtin) / sizeof(builtin[0]))
		return NULL;
	pc = cJSON_CreateObject();
	json_set_str(pc, "apiVersion", "scheduling.k8s.io/v1");
	json_set_str(pc, "kind", "PriorityClass");
	json_set_str(pc, "metadata.name", builtin[i].name);
	json_set_int(pc, "value", builtin[i].value);
	json_set_str(pc, "description", builtin[i].desc);
	json_set_str(pc, "preemptionPolicy", "PreemptLowerPriority");
	cJSON_AddFalseToObject(pc, "globalDefault");
	*key = store_key("scheduling.k8s.io", "priorityclasses", NULL, builtin[i].name);
	return pc;
}

static int find_default(void *arg, const struct store_obj *o)
{
	cJSON **best = arg, *pc = store_obj_parse(o);
	int64_t v = 0, bv = 0;

	json_get_int(pc, "value", &v);
	json_get_int(*best, "value", &bv);
	if (json_get_bool(pc, "globalDefault", false) && (!*best || v > bv)) {
		cJSON_Delete(*best);
		*best = pc;
	} else {
		cJSON_Delete(pc);
	}
	return 0;
}

/* The named class (NULL name: the global default), or NULL. */
static cJSON *get_class(struct store *st, const char *name)
{
	const struct store_obj *so = NULL;
	cJSON *pc = NULL;
	char *key;
	struct err e;

	if (!name) {
		key = store_key("scheduling.k8s.io", "priorityclasses", NULL, NULL);
		if (store_list(st, key, NULL, find_default, &pc, NULL, &e) < 0)
			err_clear(&e);
	} else {
		key = store_key("scheduling.k8s.io", "priorityclasses", NULL, name);
		if (store_get(st, key, &so, &e) == 0) {
			pc = store_obj_parse(so);
			store_obj_unref(so);
		}
	}
	free(key);
	return pc;
}

int sched_prio_admit(struct store *st, cJSON *pod, struct err *e)
{
	const char *name = json_get_str(pod, "spec.priorityClassName");
	const char *pod_name = json_get_str(pod, "metadata.name") ?: "";
	const char *want, *have;
	cJSON *pc = get_class(st, name && *name ? name : NULL);
	int64_t prio = 0, given;
	int rc = 0;

	if (name && *name && !pc)
		return err_set(e, ERR_FORBIDDEN,
			       "pods \"%s\" is forbidden: no PriorityClass with name %s was found",
			       pod_name, name);
	json_get_int(pc, "value", &prio);
	if (json_get_int(pod, "spec.priority", &given) == 0 && given != prio) {
		rc = err_set(e, ERR_FORBIDDEN,
			     "pods \"%s\" is forbidden: the integer value of priority (%lld) must not be provided in pod spec; priority admission controller computed %lld from the given PriorityClass name",
			     pod_name, (long long)given, (long long)prio);
		goto out;
	}
	want = pc ? json_get_str(pc, "preemptionPolicy") ?: "PreemptLowerPriority" : NULL;
	have = json_get_str(pod, "spec.preemptionPolicy");
	if (want && have && strcmp(want, have)) {
		rc = err_set(e, ERR_FORBIDDEN,
			     "pods \"%s\" is forbidden: the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority admission controller computed %s from the given PriorityClass name",
			     pod_name, have, want);
		goto out;
	}
	if (pc && cJSON_IsObject(json_get(pod, "spec"))) {
		json_set_str(pod, "spec.priorityClassName", json_get_str(pc, "metadata.name"));
		json_set_str(pod, "spec.preemptionPolicy", want);
	}
	if (cJSON_IsObject(json_get(pod, "spec")))
		json_set_int(pod, "spec.priority", prio);
out:
	cJSON_Delete(pc);
	return rc;
}
