/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pdb: what the disruption controller (ctrl_pdb.c) and the eviction
 * subresource (api_evict.c) share about PodDisruptionBudgets.
 */
#ifndef KDECK_CLUSTER_PDB_H
#define KDECK_CLUSTER_PDB_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* A disrupted pod not deleted within this many seconds counts again. */
#define PDB_DELETION_TIMEOUT_S 120

/*
 * pdb's spec.selector selects pod (same namespace assumed; policy/v1:
 * an empty selector selects every pod, a missing one none).
 */
bool pdb_selects(const cJSON *pdb, const cJSON *pod);

/*
 * Set condition DisruptionAllowed from status.disruptionsAllowed
 * (True/SufficientPods when > 0, else False/InsufficientPods), as
 * pdbhelper.UpdateDisruptionAllowedCondition.
 */
void pdb_update_condition(cJSON *pdb);

#endif
