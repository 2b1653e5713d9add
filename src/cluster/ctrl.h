/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl: the embedded cluster's control loops (simulated nodes and the
 * scheduler so far).  Started by the daemon after api_bootstrap, stopped
 * before api_free.  Reads come from the store (store_list), change
 * notifications from store_watch (the callbacks only flag work and wake
 * the worker), and every write goes through api_handle() as a
 * synthesized request by a system user in group system:masters, so
 * validation, defaulting and watch events match HTTP clients.
 */
#ifndef KDECK_CLUSTER_CTRL_H
#define KDECK_CLUSTER_CTRL_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cluster/store.h"
#include "common/err.h"

struct api;
struct ctrl;

struct ctrl_config {
	int sim_nodes;		/* kdeck-sim-1..N; 0 = none */
	bool scheduler;		/* run the default scheduler */
	const char *data_dir;	/* local-path volumes in <data_dir>/volumes;
				   NULL = no provisioner (copied) */
	const char *sim_node_spec; /* JSON of the simulated Node template
				      (ctrl_sim_spec_load) or NULL; parsed
				      by ctrl_start */
};

/*
 * --simulated-node-spec FILE (simnode.c): read a YAML or JSON Node
 * template (kind Node when kind is given; metadata.labels/annotations,
 * spec.taints/unschedulable, status.capacity/allocatable are used) and
 * return it as compact JSON in *out (caller frees).  -1 with e filled
 * when unreadable or not a Node object.
 */
int ctrl_sim_spec_load(const char *path, char **out, struct err *e);

/*
 * StorageObjectInUseProtection admission (ctrl_pvcprot.c), the
 * PersistentVolumeClaim defaults of the admission rule table: a new claim
 * (create true) gets the kubernetes.io/pvc-protection finalizer.
 */
void pvcprot_defaults(cJSON *pvc, bool create);

/* Start the worker thread.  *out owns it; stop with ctrl_stop. */
int ctrl_start(struct api *api, struct store *st,
	       const struct ctrl_config *cfg, struct ctrl **out,
	       struct err *e);
/* Remove the watches, join the worker, free.  NULL is fine. */
void ctrl_stop(struct ctrl *c);

#endif
