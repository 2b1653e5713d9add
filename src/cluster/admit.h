/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admit: admission for built-in kinds - defaulting and validation with
 * Kubernetes' messages.  Pure functions over cJSON objects (no store):
 * the REST layer calls admit_create / admit_update after decoding and
 * before writing; what needs cluster state (namespace existence, Service
 * IP/port allocation) stays in api_rest.c.
 *
 * Errors are ERR_INVALID with one err_cause per field error (reason,
 * field, and the error body such as "Required value"); admit_finish()
 * composes Kubernetes' Status message
 * `Pod "x" is invalid: spec.containers: Required value`.
 */
#ifndef KDECK_CLUSTER_ADMIT_H
#define KDECK_CLUSTER_ADMIT_H

#include <cjson/cJSON.h>

#include "cluster/registry.h"
#include "common/err.h"

/* Apply defaults then validate a new object.  0 or -1 (ERR_INVALID). */
int admit_create(const struct reg_kind *k, cJSON *obj, struct err *e);

/*
 * The decoder's view of obj as kind k: 0, or -1 with ERR_BAD_REQUEST and
 * the API server's text when a resource quantity does not parse
 * (`Pod in version "v1" cannot be handled as a Pod: quantities must
 * match the regular expression ...`).  Run before admission.
 */
int admit_decode_check(const struct reg_kind *k, const cJSON *obj,
		       struct err *e);

/*
 * ServiceAccount admission of a new pod (admit_sa.c), after admit_create:
 * the pod's ServiceAccount must exist in ns (else ERR_FORBIDDEN with the
 * API server's text), the kube-api-access-* volume is added unless the
 * pod's or else the ServiceAccount's automountServiceAccountToken is
 * false, and the ServiceAccount's imagePullSecrets are copied when the
 * pod has none.
 */
struct store;
int admit_sa_pod(struct store *st, const char *ns, const char *pod_name,
		 cJSON *pod, struct err *e);

/*
 * Validate an update of old into obj (defaults applied to obj first):
 * immutable fields, then the same rules as create.
 */
int admit_update(const struct reg_kind *k, const cJSON *old, cJSON *obj,
		 struct err *e);

/*
 * Admission that reads the store, after admit_create / admit_update (old
 * NULL on create): the Priority plugin's single globalDefault
 * PriorityClass (ERR_FORBIDDEN).  0 or -1.
 */
int admit_store(struct store *st, const struct reg_kind *k, const cJSON *old,
		const cJSON *obj, struct err *e);

/* Name validation for kind (DNS-1123 subdomain or label); NULL if valid,
 * else the error body into buf. */
const char *admit_check_name(const struct reg_kind *k, const char *name,
			     char *buf, size_t n);

/*
 * The GroupKind the API server names in Invalid messages: "Pod" for the
 * core group, "Deployment.apps" for named groups, the CRD's kind.group
 * for custom kinds.  Returns buf.
 */
const char *admit_qualified_kind(const struct reg_kind *k, char *buf, size_t n);

/*
 * Turn accumulated causes into the Invalid Status message for
 * kind/name.  Returns -1 when e has causes (ERR_INVALID), else 0.
 */
int admit_finish(struct err *e, const char *kind, const char *name);

/*
 * pods/binding of pod (the stored object, about to be written): -1 with
 * a Conflict while it has scheduling gates, else 0 (admit_sched_gates.c).
 */
int admit_binding_pod(const char *name, cJSON *pod, struct err *e);

#endif
