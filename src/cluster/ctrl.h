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

#include "cluster/store.h"
#include "common/err.h"

struct api;
struct ctrl;

struct ctrl_config {
	int sim_nodes;		/* kdeck-sim-1..N; 0 = none */
	bool scheduler;		/* run the default scheduler */
	const char *data_dir;	/* local-path volumes in <data_dir>/volumes;
				   NULL = no provisioner (copied) */
};

/* Start the worker thread.  *out owns it; stop with ctrl_stop. */
int ctrl_start(struct api *api, struct store *st,
	       const struct ctrl_config *cfg, struct ctrl **out,
	       struct err *e);
/* Remove the watches, join the worker, free.  NULL is fine. */
void ctrl_stop(struct ctrl *c);

#endif
