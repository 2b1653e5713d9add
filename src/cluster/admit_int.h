/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit_int: private header of admit.c and admit_kinds.c - the per-kind
 * rule table and the shared validators.
 */
#ifndef KDECK_CLUSTER_ADMIT_INT_H
#define KDECK_CLUSTER_ADMIT_INT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "common/err.h"

enum admit_name {
	ADMIT_NAME_SUBDOMAIN,
	ADMIT_NAME_LABEL,
	ADMIT_NAME_DNS1035,
	ADMIT_NAME_PATH,
};

struct admit_rule {
	const char *kind;
	enum admit_name name_rule;
	/* Fill defaults; create is false on update. */
	void (*defaults)(cJSON *obj, bool create);
	/* Add causes for invalid fields. */
	void (*validate)(const cJSON *obj, struct err *e);
	/* Add causes for changed immutable fields. */
	void (*immutable)(const cJSON *old, const cJSON *nw, struct err *e);
};

const struct admit_rule *admit_rule_for(const char *kind);

bool admit_is_label(const char *s);
/* The ServiceAccount token volume of a new pod's spec (admit_sa.c). */
void admit_sa_token_volume(cJSON *spec);
bool admit_is_subdomain(const char *s);
/* Cause `field: Invalid value: "value": detail`. */
void admit_invalid(struct err *e, const char *field, const char *value,
		   const char *detail);
void admit_immutable(const cJSON *old, const cJSON *nw, const char *path,
		     struct err *e);

#endif
