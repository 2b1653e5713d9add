/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctrl_int: what the control loops share (ctrl.c, simnode.c, sched.c):
 * the api call helper and list snapshots.  Private to these files.
 */
#ifndef KDECK_CLUSTER_CTRL_INT_H
#define KDECK_CLUSTER_CTRL_INT_H

#include <cjson/cJSON.h>

#include "cluster/ctrl.h"

#define CTRL_USER_CM    "system:kube-controller-manager"
#define CTRL_USER_SCHED "system:kube-scheduler"
#define CTRL_SIM_PREFIX "kdeck-sim-"

struct simnode;

struct ctrl {
	struct api *api;
	struct store *store;
	struct ctrl_config cfg;
	struct simnode *sim;
};

/*
 * One API call: method on path with body (may be NULL; serialized as
 * JSON).  Returns the HTTP status (0 if it could not be made); *out (may
 * be NULL) gets the parsed response body, caller frees.
 */
int ctrl_call(struct ctrl *c, const char *user, const char *method,
	      const char *path, const cJSON *body, cJSON **out);

/*
 * Record an Event about obj (a listed object with apiVersion, kind and
 * metadata) in its namespace ("default" for cluster-scoped ones).
 */
void ctrl_event(struct ctrl *c, const char *component, const char *user,
		const cJSON *obj, const char *type, const char *reason,
		const char *action, const char *msg);

/* A parsed snapshot of every live object under prefix (a cJSON array). */
cJSON *ctrl_list(struct ctrl *c, const char *prefix);

/* Simulated nodes (simnode.c): per-pass reconcile; state in c->sim. */
struct simnode *simnode_new(int n);
void simnode_free(struct simnode *s);
void simnode_sync(struct ctrl *c, const cJSON *pods, bool renew);

/* The scheduler (sched.c): bind every pending pod that fits somewhere. */
void sched_sync(struct ctrl *c, const cJSON *pods, const cJSON *nodes);

/* ReplicaSets (ctrl_rs.c) and the helpers other loops share. */
void rs_sync(struct ctrl *c, const cJSON *rss, const cJSON *pods);
/* Deployments (ctrl_deploy.c). */
void deploy_sync(struct ctrl *c, const cJSON *deps, const cJSON *rss);
/* Garbage collector and namespace controller (ctrl_gc.c). */
void gc_sync(struct ctrl *c);
void ns_sync(struct ctrl *c);
/* Endpoints and EndpointSlices of selector Services (ctrl_ep.c). */
void ep_sync(struct ctrl *c, const cJSON *pods);
/* obj's controller ownerReference (borrowed), or NULL. */
const cJSON *ctrl_controller_ref(const cJSON *obj);
/* A new controller ownerReference naming owner. */
cJSON *ctrl_owner_ref(const cJSON *owner);
/* Condition Ready is True. */
bool ctrl_pod_ready(const cJSON *pod);

#endif
