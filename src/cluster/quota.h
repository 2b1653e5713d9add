/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quota: ResourceQuota and LimitRange - the usage arithmetic (what an
 * object consumes, as pkg/quota/v1/evaluator/core counts it), the
 * admission plugins (LimitRanger: defaults and min/max/ratio checks;
 * ResourceQuota: refusing what would exceed a quota) and the helpers the
 * quota controller (ctrl_quota.c) shares.
 *
 * A resource list (struct qlist) is a small array of name -> quantity
 * pairs, kept sorted by name so that messages list resources in the same
 * order as Kubernetes' prettyPrint.
 *
 * Admission computes the namespace's usage from the store under one
 * process-wide lock held from the check to the write (quota_admit /
 * quota_admit_done), so concurrent creates cannot both fit in the last
 * slot.  Cost: every write of a quota'd kind in a namespace with quotas
 * lists that kind in the namespace.
 */
#ifndef KDECK_CLUSTER_QUOTA_H
#define KDECK_CLUSTER_QUOTA_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cluster/registry.h"
#include "cluster/store.h"
#include "common/err.h"
#include "common/quantity.h"

struct qent {
	char *name;
	struct quantity q;
};

struct qlist {
	struct qent *v;
	size_t n, cap;
};

#define QLIST_INIT { NULL, 0, 0 }

void qlist_free(struct qlist *l);
/* The entry of name, or NULL. */
struct qent *qlist_find(const struct qlist *l, const char *name);
/* l[name] += q (inserted when missing). */
void qlist_add(struct qlist *l, const char *name, const struct quantity *q);
/* l[name] = q. */
void qlist_set(struct qlist *l, const char *name, const struct quantity *q);
/* l[name] = max(l[name], q). */
void qlist_max(struct qlist *l, const char *name, const struct quantity *q);
/*
 * Parse a ResourceList object ({"cpu": "100m", ...}) into l (added to
 * what is there).  Entries that do not parse are skipped.
 */
void qlist_from_json(struct qlist *l, const cJSON *obj);
/* A ResourceList object of l with canonical quantity strings. */
cJSON *qlist_to_json(const struct qlist *l);
/*
 * "k=v,k=v" of the entries of l whose names are in mask (all when mask
 * is NULL), sorted, as quota's prettyPrint.  Caller frees.
 */
char *qlist_pretty(const struct qlist *l, const struct qlist *mask);

/*
 * What obj (of resource plural in group, "" for core) consumes: object
 * counts (count/<plural>[.<group>] and the legacy names pods, services,
 * configmaps, ...), pod compute resources (cpu, requests.*, limits.*),
 * Service node ports and load balancers, PVC storage.  Terminal pods
 * consume nothing.  Added to out.
 */
void quota_usage(const char *group, const char *plural, const cJSON *obj,
		 struct qlist *out);

/*
 * The resource (group, plural into the buffers) whose objects count
 * towards quota resource name; false if none is known.
 */
bool quota_resource_of(const char *name, char *group, size_t gn,
		       char *plural, size_t pn);

/*
 * The pod matches every scope of quota: spec.scopes and the requirements
 * of spec.scopeSelector (Terminating, NotTerminating, BestEffort,
 * NotBestEffort, PriorityClass with In/NotIn/Exists,
 * CrossNamespacePodAffinity); true when there are none.
 */
bool quota_scopes_match(const cJSON *quota, const char *plural,
			const cJSON *obj);

/*
 * Core defaulting Kubernetes applies before admission: a container's
 * missing request defaults to its limit.  And the pod's QoS class into
 * status.qosClass.
 */
void quota_pod_defaults(cJSON *pod);
void quota_pod_qos(cJSON *pod);
/*
 * The pod's effective "requests" or "limits" (field): the sum over its
 * containers, raised to any init container's value.  Added to out.
 */
void quota_pod_sum(const cJSON *pod, const char *field, struct qlist *out);

/*
 * LimitRanger, mutating + validating, for a new Pod or PVC (other kinds
 * pass): applies the namespace's LimitRange defaults and checks min, max
 * and maxLimitRequestRatio.  A new LimitRange gets its defaults
 * (default <- max, defaultRequest <- default <- min).  0, or -1 with
 * ERR_FORBIDDEN and the plugin's message.
 */
int limitrange_admit(struct store *st, const struct reg_kind *k,
		     const char *name, cJSON *obj, struct err *e);

/*
 * ValidateLimitRange (limitrange_valid.c): add a cause to e (err_cause,
 * FieldValueInvalid/Duplicate/Forbidden/Required) for every rule lr
 * breaks, with the API server's field paths and messages.
 */
void limitrange_validate(const cJSON *lr, struct err *e);

/*
 * ResourceQuota admission of a create (old NULL) or update of obj named
 * name.  Takes the quota lock when obj's namespace has quotas: *locked is
 * then true and the caller must call quota_admit_done() after its write
 * (on failure the lock is already released).  0, or -1 with
 * ERR_FORBIDDEN and Kubernetes' message.
 */
int quota_admit(struct store *st, const struct reg_kind *k, const char *name,
		const cJSON *old, const cJSON *obj, bool *locked,
		struct err *e);
void quota_admit_done(bool locked);

#endif
