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
/* ValidateLabelName (IsQualifiedName) and IsValidLabelValue causes. */
void admit_label_name(struct err *e, const char *field, const char *key);
void admit_label_value(struct err *e, const char *field, const char *v);
void admit_immutable(const cJSON *old, const cJSON *nw, const char *path,
		     struct err *e);

/* Field errors as apimachinery words them (admit_util.c). */
struct buf;
void admit_field(char *out, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void admit_required(struct err *e, const char *field, const char *detail);
void admit_forbidden(struct err *e, const char *field, const char *detail);
void admit_invalid_int(struct err *e, const char *field, long long v,
		       const char *detail);
void admit_not_found(struct err *e, const char *field, const char *value);
void admit_duplicate(struct err *e, const char *field, const char *value);
/* valid: NULL-terminated, in the order the API server lists them. */
void admit_not_supported(struct err *e, const char *field, const char *value,
			 const char *const *valid);
bool admit_one_of(const char *v, const char *const *valid);
size_t admit_port_name_msgs(const char *s, const char **msgs);
void admit_port_name(struct err *e, const char *field, const char *name);
void admit_port_num(struct err *e, const char *field, long long v);
void admit_port_num_or_name(struct err *e, const char *field, const cJSON *v);
void admit_host(struct err *e, const char *field, const char *host);
void admit_go_strings(const cJSON *arr, struct buf *b);

/* Pod spec rules (admit_pod.c): volumes, containers' ports, env, mounts,
 * resources and probes, restartPolicy, dnsPolicy; base is the spec's
 * field path ("spec", "spec.template.spec"). */
void admit_podspec(const cJSON *spec, const char *base, struct err *e);
/* The volumes part, which the API server checks before the containers. */
void admit_pod_volumes(const cJSON *spec, const char *base, struct err *e);
/* Containers (key "containers" or "initContainers") of spec (admit_pod_ctr.c). */
void admit_containers(const cJSON *spec, const char *key, const char *base,
		      struct err *e);
/* validateLocalDescendingPath (+ validateLocalNonReservedPath). */
void admit_local_path(struct err *e, const char *field, const char *p,
		      bool reserved);
/* Pod and container securityContext (admit_pod_sec.c); hostUsers is the
 * pod's spec.hostUsers (absent: true). */
void admit_pod_security(const cJSON *spec, const char *base, struct err *e);
void admit_ctr_security(const cJSON *c, const char *cp, bool host_users,
			struct err *e);
/* Affinity, tolerations, topologySpreadConstraints (admit_pod_sched.c). */
void admit_pod_affinity(const cJSON *spec, const char *base, struct err *e);
void admit_pod_spread(const cJSON *spec, const char *base, struct err *e);
void admit_tolerations(const cJSON *tols, const char *field, struct err *e);
/* A new pod's matchLabelKeys/mismatchLabelKeys of pod (anti-)affinity terms
 * merged into their labelSelector as "key In/NotIn (the pod's value)",
 * as the API server's pod strategy does before validation. */
void admit_pod_match_keys(cJSON *pod);
/* Pod update rules (admit_pod_upd.c). */
void admit_pod_update(const cJSON *old, const cJSON *nw, struct err *e);
/* Probe defaults of a container. */
void admit_probe_defaults(cJSON *container);

/* Rules of other kinds, one file each. */
void admit_role_validate(const cJSON *obj, struct err *e);
void admit_clusterrole_validate(const cJSON *obj, struct err *e);
void admit_binding_defaults(cJSON *obj, bool create);
void admit_rolebinding_validate(const cJSON *obj, struct err *e);
void admit_crb_validate(const cJSON *obj, struct err *e);
void admit_binding_immutable(const cJSON *old, const cJSON *nw, struct err *e);
void admit_prio_defaults(cJSON *obj, bool create);
void admit_prio_validate(const cJSON *obj, struct err *e);
void admit_prio_immutable(const cJSON *old, const cJSON *nw, struct err *e);
void admit_ingress_validate(const cJSON *obj, struct err *e);
void admit_ingclass_validate(const cJSON *obj, struct err *e);
void admit_ingclass_immutable(const cJSON *old, const cJSON *nw, struct err *e);

#endif
