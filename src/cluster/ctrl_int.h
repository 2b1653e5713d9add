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
struct evrec;
struct ctrl_cache;
struct ctrl_queue;
struct sched_binder;
struct gc_state;
struct quota_state;

/* The kinds the informer cache holds (ctrl.c registers them in order). */
enum ctrl_kind {
	CTRL_K_PODS, CTRL_K_NODES, CTRL_K_RS, CTRL_K_DEPLOY, CTRL_K_NS,
	CTRL_K_SVC, CTRL_K_JOBS, CTRL_K_CRONJOBS, CTRL_K_STS, CTRL_K_DS,
	CTRL_K_PVC, CTRL_K_PV, CTRL_K_QUOTA, CTRL_K_PDB,
	CTRL_K_COUNT
};

struct ctrl {
	struct api *api;
	struct store *store;
	struct ctrl_config cfg;
	struct simnode *sim;
	struct evrec *events;	/* aggregating recorder (evrec.c) */
	bool class_made;	/* StorageClass standard exists (ctrl_pv.c) */
	/* Lifecycle (ctrl_nodelife.c, ctrl_hpa.c): from the environment at start. */
	int64_t started;	/* unix seconds of ctrl_start */
	int grace_s;		/* KDECK_NODE_MONITOR_GRACE_PERIOD, 40 */
	int renew_s;		/* simulated Lease renewal: grace/4 in 1..10 */
	int hpa_period_s;	/* KDECK_HPA_SYNC_PERIOD, 15 */
	struct hpa_state *hpa;	/* recommendations and scale events */
	/* Informers and work queues (ctrl.c, ctrl_cache.c, ctrl_queue.c). */
	struct ctrl_cache *cache;	/* the kinds of enum ctrl_kind, parsed */
	struct ctrl_queue *rsq;		/* ReplicaSet keys "ns/name" (ctrl_rs.c) */
	int64_t rs_resync_ms;		/* last full ReplicaSet resync */
	struct sched_binder *binder;	/* the scheduler's bindings (sched_bind.c) */
	struct gc_state *gc;		/* the collector's watch (ctrl_gc.c) */
	struct quota_state *quota;	/* namespaces changed (ctrl_quota.c) */
	struct ctrl_queue *pdbq;	/* PDB work (ctrl_pdb.c, pdb_observe) */
	int64_t pdb_resync_ms;		/* last full PDB resync */
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
 * metadata) in its namespace ("default" for cluster-scoped ones);
 * repeats are aggregated (evrec.h).  Thread safe.
 */
void ctrl_event(struct ctrl *c, const char *component, const char *user,
		const cJSON *obj, const char *type, const char *reason,
		const char *action, const char *msg);

/*
 * Run fn(arg, i) for every i in [0, n) on up to CTRL_PAR_MAX threads (the
 * caller's included) and return when all are done.  For independent API
 * writes (a slow-start batch of creations, kubelet status updates): the
 * store commits concurrent writes together (one fsync), so n writes cost
 * about one write's latency.  fn must be thread safe: it may read shared
 * cJSON objects and call ctrl_call and ctrl_event.
 */
#define CTRL_PAR_MAX 16
void ctrl_parallel(size_t n, void (*fn)(void *arg, size_t i), void *arg);

/*
 * A parsed snapshot of every live object under prefix (a cJSON array,
 * caller frees).  Parses from the store: the kinds of enum ctrl_kind are
 * cheaper through ctrl_cached().
 */
cJSON *ctrl_list(struct ctrl *c, const char *prefix);
/*
 * The informer cache's objects of kind k, in key order: borrowed, read
 * only (json_dup before editing), valid until the worker's next barrier
 * (the next loop).  Worker thread only.
 */
const cJSON *ctrl_cached(struct ctrl *c, enum ctrl_kind k);

/* Simulated nodes (simnode.c): per-pass reconcile; state in c->sim. */
/* n nodes; spec: JSON of the Node template (ctrl_sim_spec_load) or NULL. */
struct simnode *simnode_new(int n, const char *spec);
void simnode_free(struct simnode *s);
/*
 * The Node template (simnode_spec.c, may be NULL: no-op) onto a simulated
 * node: labels, annotations, taints, unschedulable (meta) and capacity /
 * allocatable (status, after the defaults are set).
 */
void simnode_spec_meta(const cJSON *spec, cJSON *node);
void simnode_spec_status(const cJSON *spec, cJSON *node);
void simnode_sync(struct ctrl *c, const cJSON *pods, bool renew);

/* The scheduler (sched.c): bind every pending pod that fits somewhere. */
void sched_sync(struct ctrl *c, const cJSON *pods, const cJSON *nodes);
/* pod's tolerations tolerate taint (key, value, effect). */
bool sched_tolerates(const cJSON *pod, const cJSON *taint);
/* pod's required node affinity (if any) admits node. */
bool sched_affinity_ok(const cJSON *pod, const cJSON *node);

/*
 * ReplicaSets (ctrl_rs.c) and the helpers other loops share.  rs_sync
 * syncs the ReplicaSets whose keys are due in c->rsq (all of them every
 * RS_RESYNC_S, and all when c->rsq is NULL); rs_observe queues the keys a
 * changed pod (is_pod) or ReplicaSet concerns (old/cur as the cache hook).
 */
void rs_sync(struct ctrl *c, const cJSON *rss, const cJSON *pods);
void rs_observe(struct ctrl *c, bool is_pod, const cJSON *old,
		const cJSON *cur);
/*
 * pvc-protection (ctrl_pvcprot.c): release claims being deleted that no
 * pod uses.  pvcprot_defaults (admission) is declared in ctrl.h.
 */
void pvcprot_sync(struct ctrl *c, const cJSON *pvcs, const cJSON *pods);
/* ReplicationControllers (ctrl_rc.c): every one, listed from the store. */
void rc_sync(struct ctrl *c);
/* Deployments (ctrl_deploy.c). */
void deploy_sync(struct ctrl *c, const cJSON *deps, const cJSON *rss);
/* Garbage collector and namespace controller (ctrl_gc.c). */
void gc_sync(struct ctrl *c);
void gc_state_free(struct gc_state *s);
void ns_sync(struct ctrl *c);
/* Endpoints and EndpointSlices of selector Services (ctrl_ep.c). */
void ep_sync(struct ctrl *c, const cJSON *pods);
/* obj's controller ownerReference (borrowed), or NULL. */
const cJSON *ctrl_controller_ref(const cJSON *obj);
/* A new controller ownerReference naming owner. */
cJSON *ctrl_owner_ref(const cJSON *owner);
/* Condition Ready is True. */
bool ctrl_pod_ready(const cJSON *pod);

/* --- helpers of the workload loops (ctrl.c) --- */

/* Unix seconds of the RFC 3339 time at path in obj; 0 if absent. */
int64_t ctrl_time(const cJSON *obj, const char *path);
/* metav1.Time text of t (unix seconds) into out[40]. */
char *ctrl_time_str(int64_t t, char *out);
/* The status.conditions entry of type, or NULL (borrowed). */
const cJSON *ctrl_condition(const cJSON *obj, const char *type);
/* ctrl_condition(obj, type) exists with status "True". */
bool ctrl_condition_true(const cJSON *obj, const char *type);
/*
 * Set condition type in obj's status.conditions (created when missing):
 * lastTransitionTime changes only when status does; lastProbeTime is
 * added when probe is true (Jobs carry it).  Returns true if anything
 * changed.
 */
bool ctrl_set_condition(cJSON *obj, const char *type, const char *status,
			const char *reason, const char *msg, bool probe);
/*
 * The API path of obj (apiVersion, metadata.namespace/name) in resource
 * plural, plus "/sub" when sub is not NULL, into out.
 */
void ctrl_obj_path(const cJSON *obj, const char *plural, const char *sub,
		   char *out, size_t n);
/*
 * PUT obj (a modified copy of a listed object) to its path (with sub,
 * e.g. "status").  Returns the HTTP status.
 */
int ctrl_put(struct ctrl *c, const cJSON *obj, const char *plural,
	     const char *sub);
/*
 * A Pod named name in owner's namespace from the template at tmpl_path
 * of owner (metadata and spec) with owner's controller reference.
 * Caller frees.
 */
cJSON *ctrl_pod_from_template(const cJSON *owner, const char *tmpl_path,
			      const char *name);
/*
 * A pod create answered status with resp: when refused by admission
 * (403: quota, LimitRange), record Warning FailedCreate "Error creating:
 * <message>" on owner, as the workload controllers do.
 */
void ctrl_failed_create(struct ctrl *c, const char *component,
			const cJSON *owner, int status, const cJSON *resp);
/* Create pod; on success record SuccessfulCreate on owner.  True if created. */
bool ctrl_create_pod(struct ctrl *c, const char *component,
		     const cJSON *owner, const cJSON *pod);
/* Delete pod; on success record SuccessfulDelete on owner. */
bool ctrl_delete_pod(struct ctrl *c, const char *component,
		     const cJSON *owner, const cJSON *pod);
/* Phase Succeeded or Failed. */
bool ctrl_pod_terminal(const cJSON *pod);
/* Every key=value of the map want is in the map have (ctrl_replicas.c). */
bool ctrl_labels_subset(const cJSON *have, const cJSON *want);
/* Owned by uid through the controller reference. */
bool ctrl_owned_by(const cJSON *obj, const char *uid);
/* Five random characters of the Kubernetes name alphabet, NUL-ended. */
void ctrl_random_suffix(char out[6]);

/*
 * Create ControllerRevision name (apps/v1, owned by owner, data = its
 * spec.template, revision = its generation, label
 * controller-revision-hash=hash) unless it exists.
 */
void ctrl_ensure_revision(struct ctrl *c, const cJSON *owner,
			  const char *name, const char *hash);

/*
 * Node lifecycle and taint eviction (ctrl_nodelife.c).  evict_at: when
 * pod must leave a node with taints: 0 now, -1 never, else unix seconds.
 */
void nodelife_sync(struct ctrl *c, const cJSON *nodes, const cJSON *pods);
void taint_evict_sync(struct ctrl *c, const cJSON *nodes, const cJSON *pods);
int64_t nodelife_evict_at(const cJSON *pod, const cJSON *taints);
/* HorizontalPodAutoscalers (ctrl_hpa.c), every c->hpa_period_s. */
void hpa_sync(struct ctrl *c);
void hpa_state_free(struct hpa_state *s);

/* Workload loops, each with the lists of the pass (borrowed). */
void sts_sync(struct ctrl *c, const cJSON *stss, const cJSON *pods);
void job_sync(struct ctrl *c, const cJSON *jobs, const cJSON *pods);
void cron_sync(struct ctrl *c, const cJSON *cjs, const cJSON *jobs);
void ttl_sync(struct ctrl *c, const cJSON *jobs);
void ds_sync(struct ctrl *c, const cJSON *dss, const cJSON *pods,
	     const cJSON *nodes);
void pv_sync(struct ctrl *c, const cJSON *pods);
/* ResourceQuota status (ctrl_quota.c), PodDisruptionBudget status (ctrl_pdb.c). */
/*
 * ResourceQuota status of the namespaces where something changed (a store
 * watch on every key), all of them every 60 s (ctrl_quota.c).
 */
void quota_sync(struct ctrl *c);
void quota_state_free(struct quota_state *s);
/*
 * PodDisruptionBudget status from c->pdbq: a PDB that changed, the PDBs
 * selecting a pod that changed (old or new labels), those of a namespace
 * whose ReplicaSets, Deployments or StatefulSets changed, all every 30 s
 * (disrupted pods expire).  pdb_observe is the cache hook's part (worker
 * thread, during the cache's apply: it only queues).
 */
void pdb_sync(struct ctrl *c);
void pdb_observe(struct ctrl *c, int kind, const cJSON *old, const cJSON *cur);

/* --- Job policies (ctrl_job_policy.c): pure functions, unit-tested --- */

enum jobpol_action {
	JOBPOL_NONE,		/* no rule matched: count the failure */
	JOBPOL_COUNT,
	JOBPOL_IGNORE,		/* not counted against backoffLimit */
	JOBPOL_FAIL_JOB,
	JOBPOL_FAIL_INDEX,
};

/* An onExitCodes requirement (operator In/NotIn, values) admits code. */
bool jobpol_exit_code_matches(const cJSON *req, int64_t code);
/*
 * The action of the first rule of spec.podFailurePolicy (policy) that the
 * failed pod matches.  For FailJob, *msg (when msg is not NULL) gets the
 * Job failure message, caller frees; otherwise it is left alone.
 */
enum jobpol_action jobpol_match(const cJSON *policy, const cJSON *pod, char **msg);
/* Index set text "1,3-5" into set[0..n) (set, never cleared; junk ends it). */
void jobidx_parse(const char *text, unsigned char *set, int64_t n);
/* set[0..n) as index set text ("" when empty); caller frees. */
char *jobidx_format(const unsigned char *set, int64_t n);
int64_t jobidx_count(const unsigned char *set, int64_t n);
/*
 * spec.successPolicy (policy, may be NULL) is met by the succeeded indexes
 * done[0..n): *msg gets "Matched rules at index N", caller frees.
 */
bool jobpol_success(const cJSON *policy, const unsigned char *done, int64_t n,
		    char **msg);
/* Container restarts of pod (init and app containers). */
int64_t jobpol_restarts(const cJSON *pod);

/*
 * pod is available: not being deleted, Ready, and Ready for longer than
 * min_ready seconds at now (podutil.IsPodAvailable).  ctrl_ds.c; for
 * every loop with minReadySeconds (ReplicaSets, StatefulSets too).
 */
bool ctrl_pod_available(const cJSON *pod, int64_t min_ready, int64_t now);

#endif
