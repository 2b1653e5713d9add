/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_podrules: the pod-to-pod indexes of a scheduler pass
 * (sched_podrules.c), maintained by sched_state.c.  Private.
 */
#ifndef KDECK_CLUSTER_SCHED_PODRULES_H
#define KDECK_CLUSTER_SCHED_PODRULES_H

#include "cluster/sched_int.h"

/* p was bound to (delta 1) or removed from (delta -1) node. */
void sched_index_add(struct sched_state *s, const struct sched_pod *p,
		     size_t node, int delta);
/* Free every index of s. */
void sched_index_free(struct sched_state *s);

#endif
