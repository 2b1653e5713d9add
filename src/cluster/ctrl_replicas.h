/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_replicas: the replica-management core shared by the ReplicaSet
 * controller (ctrl_rs.c) and the ReplicationController controller
 * (ctrl_rc.c) - kube-controller-manager runs the same ReplicaSet
 * controller for both kinds.  The front ends only differ in how they
 * find their objects (work queue or list), their selector's form and
 * their event source.
 */
#ifndef KDECK_CLUSTER_CTRL_REPLICAS_H
#define KDECK_CLUSTER_CTRL_REPLICAS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct ctrl;

/* What differs between the kinds. */
struct ctrl_rep_kind {
	const char *component;	/* event source: "replicaset-controller" */
	const char *plural;	/* "replicasets": the status PUT's resource */
	/*
	 * Sync owner again in after_ms (a Ready pod becomes available after
	 * minReadySeconds); NULL when every pass syncs the kind anyway.
	 */
	void (*requeue)(struct ctrl *c, const cJSON *owner, int64_t after_ms);
};

/*
 * One sync of owner (a ReplicaSet or ReplicationController, borrowed)
 * toward spec.replicas.  selector is its LabelSelector in JSON form
 * (an RC's map as {"matchLabels": map}); an empty or invalid one adopts
 * nothing.  pods: the cached pods (all namespaces).  Orphans matching
 * the selector are adopted; pods are created in slow-start batches (at
 * most 500 a sync) or deleted (unscheduled < pending < not ready < ready
 * first), and status is written when it changed.  Returns false when
 * the sync must be retried (a creation refused, a write failed).
 * Worker thread.
 */
bool ctrl_replicas_sync(struct ctrl *c, const struct ctrl_rep_kind *k,
			const cJSON *owner, const cJSON *selector,
			const cJSON *pods);

#endif
