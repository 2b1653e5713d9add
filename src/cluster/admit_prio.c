/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_prio: PriorityClass rules - pkg/apis/scheduling/validation (names
 * with the "system-" prefix reserved for the two system classes with
 * their exact value and globalDefault, user values at most one billion,
 * preemptionPolicy enum, value and preemptionPolicy immutable) and the
 * Priority admission plugin's single globalDefault (admit_store, which
 * reads the stored classes; 403 Forbidden like the plugin).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/admit.h"
#include "cluster/admit_int.h"
#include "cluster/store.h"
#include "common/json.h"

#define HIGHEST_USER_PRIORITY 1000000000LL

static const struct {
	const char *name;
	int64_t value;
} system_classes[] = {
	{ "system-node-critical", 2000001000 },
	{ "system-cluster-critical", 2000000000 },
};

void admit_prio_defaults(cJSON *obj, bool create)
{
	(void)create;
	if (!json_get(obj, "preemptionPolicy"))
		json_set_str(obj, "preemptionPolicy", "PreemptLowerPriority");
}

/* IsKnownSystemPriorityClass: NULL or why not, into buf. */
static const char *known_system(const char *name, int64_t v, bool def,
				char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof(system_classes) / sizeof(system_classes[0]); i++) {
		if (strcmp(system_classes[i].name, name))
			continue;
		if (system_classes[i].value != v)
			snprintf(buf, n, "value of %s PriorityClass must be %lld", name,
				 (long long)system_classes[i].value);
		else if (def)
			snprintf(buf, n, "globalDefault of %s PriorityClass must be false", name);
		else
			return NULL;
		return buf;
	}
	snprintf(buf, n, "%s is not a known system priority class", name);
	return buf;
}

void admit_prio_validate(const cJSON *obj, struct err *e)
{
	static const char *const policies[] = { "PreemptLowerPriority", "Never", NULL };
	const char *name = json_get_str(obj, "metadata.name") ?: "";
	const char *pp = json_get_str(obj, "preemptionPolicy");
	int64_t v = 0;
	char why[200], msg[300];
	const char *bad;

	json_get_int(obj, "value", &v);
	if (!strncmp(name, "system-", 7)) {
		bad = known_system(name, v, json_get_bool(obj, "globalDefault", false),
				   why, sizeof(why));
		if (bad) {
			snprintf(msg, sizeof(msg), "priority class names with 'system-' prefix are reserved for system use only. error: %s", bad);
			admit_forbidden(e, "metadata.name", msg);
		}
	} else if (v > HIGHEST_USER_PRIORITY) {
		admit_forbidden(e, "value", "maximum allowed value of a user defined priority is 1000000000");
	}
	if (pp && !admit_one_of(pp, policies))
		admit_not_supported(e, "preemptionPolicy", pp, policies);
}

void admit_prio_immutable(const cJSON *old, const cJSON *nw, struct err *e)
{
	if (!json_equal(json_get(old, "value"), json_get(nw, "value")))
		admit_forbidden(e, "value", "may not be changed in an update.");
	admit_immutable(old, nw, "preemptionPolicy", e);
}

struct other_default {
	const char *self;
	char name[256];
};

static int find_other_default(void *arg, const struct store_obj *so)
{
	struct other_default *d = arg;
	cJSON *pc = store_obj_parse(so);
	const char *n = json_get_str(pc, "metadata.name");

	if (n && json_get_bool(pc, "globalDefault", false) &&
	    (!d->self || strcmp(n, d->self)) && !d->name[0])
		snprintf(d->name, sizeof(d->name), "%s", n);
	cJSON_Delete(pc);
	return 0;
}

/* The Priority plugin: one globalDefault class at most. */
static int prio_default(struct store *st, const cJSON *old, const cJSON *obj,
			struct err *e)
{
	const char *name = json_get_str(obj, "metadata.name") ?: "";
	struct other_default d = { .self = old ? name : NULL };
	char *prefix;
	int rc;

	if (!json_get_bool(obj, "globalDefault", false))
		return 0;
	prefix = store_key("scheduling.k8s.io", "priorityclasses", NULL, NULL);
	rc = store_list(st, prefix, NULL, find_other_default, &d, NULL, e);
	free(prefix);
	if (rc < 0)
		return err_set(e, ERR_INTERNAL, "failed to get default priority class: %s", e->msg);
	if (d.name[0])
		return err_set(e, ERR_FORBIDDEN,
			       "priorityclasses.scheduling.k8s.io \"%s\" is forbidden: PriorityClass %s is already marked as default. Only one default can exist",
			       name, d.name);
	return 0;
}

int admit_store(struct store *st, const struct reg_kind *k, const cJSON *old,
		const cJSON *obj, struct err *e)
{
	if (!strcmp(k->group, "scheduling.k8s.io") && !strcmp(k->kind, "PriorityClass"))
		return prio_default(st, old, obj, e);
	return 0;
}
