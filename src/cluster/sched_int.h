/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sched_int: the scheduler's pure core, shared by sched*.c, the unit
 * test and the benchmark.  No API calls here: a per-pass snapshot
 * (struct sched_state) built from the listed pods and nodes, with the
 * indexes the filters need (per-node pod counts per distinct label
 * selector, topology domains per label key, existing pods' required
 * anti-affinity groups), kept up to date by sched_assume/sched_forget
 * as the pass binds or preempts.  One thread uses a state at a time.
 */
#ifndef KDECK_CLUSTER_SCHED_INT_H
#define KDECK_CLUSTER_SCHED_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SCHED_NAME "default-scheduler"

struct sched_port {
	int port;
	char proto[8];
	char ip[48];		/* "" = 0.0.0.0 */
};

/* A pod of the snapshot (the JSON is borrowed from the pass's list). */
struct sched_pod {
	const cJSON *pod;
	const char *ns, *name, *uid;
	const cJSON *labels;
	int64_t cpu, mem;		/* requests: milli-cpu, bytes */
	int64_t cpu_nz, mem_nz;		/* non-zero requests (scoring) */
	int64_t prio;
	int64_t created;		/* unix seconds */
	bool never;			/* preemptionPolicy Never */
	bool terminating;		/* deletionTimestamp */
	bool anti;			/* has pod (anti-)affinity terms */
	bool held;			/* assumed by a binding (sched_bind.c) */
	int node;			/* index into nodes, -1 pending */
	/* parts the filters read per node (borrowed, NULL when absent) */
	const char *want_node;
	const cJSON *node_sel, *node_terms, *node_prefs, *tolerations;
	struct sched_port *ports;
	size_t nports;
};

struct sched_node {
	const cJSON *node;
	const char *name;
	const cJSON *labels;
	const cJSON *taints;		/* spec.taints or NULL */
	bool unschedulable;
	int64_t cpu_cap, mem_cap, pods_cap;
	int64_t cpu, mem, pods, cpu_nz, mem_nz;	/* requested */
	struct sched_pod **pods_on;		/* pods bound here */
	size_t npods_on, pods_alloc;
};

/* Filter outcome of one node, as the framework's status codes. */
enum sched_code { SCHED_OK, SCHED_UNSCHED, SCHED_UNRESOLVABLE };

#define SCHED_MAX_REASONS 4

/* Why one node was rejected: interned reason texts (owned by state). */
struct sched_status {
	enum sched_code code;
	const char *reasons[SCHED_MAX_REASONS];
	int nr;
};

struct sched_count;
struct sched_topo;
struct sched_anti;
struct sched_intern;
struct sched_name;

struct sched_state {
	struct sched_node *nodes;
	size_t nnodes;
	struct sched_pod *pods;
	size_t npods;
	const cJSON *namespaces;	/* for namespaceSelector (may be NULL) */
	struct sched_count *counts;	/* uthash by key */
	struct sched_topo *topos;	/* uthash by label key */
	struct sched_anti *antis;	/* uthash by key */
	struct sched_intern *texts;	/* uthash: reason texts */
	struct sched_status *status;	/* [nnodes]: the last sched_find's */
	size_t *feasible;		/* [nnodes]: scratch of sched_find */
	int64_t *scores;		/* [nnodes * 8]: scratch of scoring */
	uint64_t rng;
	struct sched_name *names;	/* uthash: node name -> index */
	/* Default spread constraints' owners (sched_spread.c; may be unset):
	 * Services (array, borrowed) and the pod's controller by kind. */
	const cJSON *services;
	const cJSON *(*owner_get)(void *arg, const char *kind, const char *ns,
				  const char *name);
	void *owner_arg;
};

/*
 * Snapshot of pods and nodes (cJSON arrays, borrowed: they must outlive
 * the state); namespaces (array or NULL) resolves namespaceSelector.
 * Bound, non-terminal pods are accounted on their nodes.  seed makes the
 * tie-break among equally scored nodes reproducible.
 */
struct sched_state *sched_state_new(const cJSON *pods, const cJSON *nodes,
				    const cJSON *namespaces, uint64_t seed);
void sched_state_free(struct sched_state *s);

/* Account p on node (delta +1) or remove it (-1): usage and indexes. */
void sched_assume(struct sched_state *s, struct sched_pod *p, int node);
void sched_forget(struct sched_state *s, struct sched_pod *p);

/* Index of the node named name in s->nodes, -1 if none. */
int sched_node_index(const struct sched_state *s, const char *name);

/* The snapshot's pod with uid, or NULL. */
struct sched_pod *sched_pod_by_uid(struct sched_state *s, const char *uid);

/* Intern a reason text; the pointer lives as long as s. */
const char *sched_text(struct sched_state *s, const char *text);

/* --- filters (sched_filter.c) --- */

/* Node-only filters: unschedulable, nodeName, taints, node affinity. */
void sched_filter_node(struct sched_state *s, const struct sched_pod *p,
		       const struct sched_node *n, struct sched_status *st);
/* Host ports and resources against the node's current pods. */
void sched_filter_fit(struct sched_state *s, const struct sched_pod *p,
		      const struct sched_node *n, struct sched_status *st);
/* Pod's nodeSelector and required node affinity admit node. */
bool sched_node_selected(const struct sched_pod *p, const struct sched_node *n);
/* Pod tolerates the node's NoSchedule/NoExecute taints. */
bool sched_taints_ok(const struct sched_pod *p, const struct sched_node *n);
/* Sum of preferred node affinity weights node matches. */
int64_t sched_node_preference(const struct sched_pod *p,
			      const struct sched_node *n);

/* --- pod-to-pod rules (sched_podrules.c) --- */

/*
 * Per-pod evaluation context of topology spread and inter-pod
 * (anti-)affinity: domain counts computed once per pod from the
 * indexes, then O(1) per node.
 */
struct sched_podctx;
struct sched_podctx *sched_podctx_new(struct sched_state *s,
				      const struct sched_pod *p);
void sched_podctx_free(struct sched_podctx *c);
void sched_filter_pods(struct sched_state *s, const struct sched_podctx *c,
		       size_t node, struct sched_status *st);
/* Raw scores of node (higher is better) for preferred rules. */
int64_t sched_score_spread(const struct sched_podctx *c, size_t node);
int64_t sched_score_affinity(const struct sched_podctx *c, size_t node);

/*
 * The system default topology spread constraints of p (hostname maxSkew
 * 3, zone maxSkew 5, ScheduleAnyway) with its default selector from
 * s->services and s->owner_get, or NULL when nothing selects or owns it
 * (sched_spread.c).  Caller frees.
 */
cJSON *sched_default_spread(const struct sched_state *s,
			    const struct sched_pod *p);

/* --- one scheduling attempt (sched_score.c) --- */

struct sched_result {
	int node;			/* chosen node, -1 when none fits */
	struct sched_status *status;	/* [nnodes] per node */
};

/*
 * Run the filters over every node, then score the feasible ones and pick
 * the best (random among equal).  r->status ([nnodes]) is the state's
 * buffer: valid until the next sched_find on s.  sched_result_clear
 * forgets it.
 */
void sched_find(struct sched_state *s, const struct sched_pod *p,
		struct sched_result *r);
void sched_result_clear(struct sched_result *r);

/*
 * "0/N nodes are available: 1 reason, 2 reason." from the per-node
 * statuses (histogram sorted as sort.Strings does).  Caller frees.
 */
char *sched_fit_message(const struct sched_state *s,
			const struct sched_status *st);

/* --- preemption (sched_preempt.c) --- */

struct sched_preemption {
	int node;			/* nominated node, -1 when none */
	struct sched_pod **victims;	/* owned array, borrowed pods */
	size_t nvictims;
	char *msg;			/* "preemption: ..." when node < 0 */
};

/*
 * The default preemption plugin: for a pod that failed with statuses r,
 * find the node where removing the fewest, lowest-priority pods makes
 * room (PDB violations first minimized; pdbs may be NULL).  The state is
 * left as it was.  Free out with sched_preemption_clear.
 */
void sched_preempt(struct sched_state *s, const struct sched_pod *p,
		   const struct sched_result *r, const cJSON *pdbs,
		   struct sched_preemption *out);
void sched_preemption_clear(struct sched_preemption *pr);

/* --- asynchronous binding (sched_bind.c) --- */

struct ctrl;
struct sched_binder;

/*
 * A binder with its worker threads making bindings through c's API;
 * wake(arg) is called (on a worker) after a binding failed, so that a
 * pass retries the pod.  Free with sched_binder_free (waits for the
 * bindings queued).
 */
struct sched_binder *sched_binder_new(struct ctrl *c, void (*wake)(void *),
				      void *arg);
void sched_binder_free(struct sched_binder *b);
/*
 * Bind pod (borrowed; what is needed is copied) to node in the
 * background and remember it assumed there (Scheduled event on success).
 */
void sched_binder_bind(struct sched_binder *b, const cJSON *pod,
		       const char *node);
/*
 * At the start of a pass, with its snapshot: pods assumed by a binding
 * in flight or done but not yet bound in the snapshot are accounted on
 * their node and get p->held; assumptions the snapshot shows settled
 * (bound, gone, failed) are dropped.  Pass thread.
 */
void sched_binder_settle(struct sched_binder *b, struct sched_state *s);
/* Assumptions remembered (tests). */
size_t sched_binder_held(struct sched_binder *b);

#endif
