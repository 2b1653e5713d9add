/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_int: private to the node agent's files (agent.c: lifetime, pod
 * dispatch, restart safety; agent_node.c: Node and Lease; agent_pod.c:
 * the pod worker; agent_ctr.c: one container's life; agent_ops.c: the
 * machine's parts).
 *
 * The node parts (runtime, image store, pod network, podspec, probes) are
 * reached through struct agent_ops, a table of their functions: the
 * agent compiles and can say plainly what is missing when a part is not
 * built in, and tests may substitute parts.
 *
 * Locking: agent.mu guards the worker table; each worker's mu guards its
 * pod copy and flags.  Workers call the parts (all thread-safe) and
 * api_call without holding either lock.
 */
#ifndef KDECK_CLUSTER_NODE_AGENT_INT_H
#define KDECK_CLUSTER_NODE_AGENT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <uthash.h>

#include "cluster/image/image.h"
#include "cluster/net/podnet.h"
#include "cluster/node/agent.h"
#include "cluster/node/podspec.h"
#include "cluster/node/podstatus.h"
#include "cluster/node/probe.h"
#include "cluster/runtime/runtime.h"

#define AGENT_USER_PREFIX "system:node:"

/* The Node condition type saying whether pod limits are enforced
 * (rootless nodes only). */
#define AGENT_LIMITS_CONDITION "kdeck.io/ResourceLimitsEnforced"
/* False on host-process nodes: pods are not isolated (runtime.h). */
#define AGENT_ISOLATION_CONDITION "kdeck.io/PodsIsolated"

struct agent_ops {
	/* non-NULL: the parts are not usable; the reason for the user */
	const char *missing;
	int (*rt_open)(const struct rt_config *, struct rt **, struct err *);
	void (*rt_free)(struct rt *);
	const char *(*rt_name)(const struct rt *);
	const char *(*rt_version)(const struct rt *);
	int (*rt_cgroup_version)(const struct rt *);
	const char *(*rt_describe)(const struct rt *);
	bool (*rt_rootless)(const struct rt *);
	bool (*rt_host_process)(const struct rt *);
	bool (*rt_limits_enforced)(const struct rt *, const char **);
	int (*sandbox_create)(struct rt *, const struct rt_sandbox_spec *,
			      char **, struct err *);
	int (*sandbox_remove)(struct rt *, const char *, struct err *);
	int (*sandbox_list)(struct rt *, char ***, size_t *, struct err *);
	int (*ctr_start)(struct rt *, const struct rt_container_spec *,
			 struct err *);
	int (*ctr_status)(struct rt *, const char *, struct rt_status *,
			  struct err *);
	int (*ctr_kill)(struct rt *, const char *, int, struct err *);
	int (*ctr_remove)(struct rt *, const char *, struct err *);
	int (*ctr_list)(struct rt *, char ***, size_t *, struct err *);
	int (*events_fd)(struct rt *);
	void (*events_drain)(struct rt *);

	int (*img_open)(const char *, const char *, struct image_store **,
			struct err *);
	void (*img_free)(struct image_store *);
	int (*img_normalize)(const char *, char **, struct err *);
	bool (*img_present)(struct image_store *, const char *);
	int (*img_pull)(struct image_store *, const char *,
			const char *const *, struct err *);
	int (*img_get)(struct image_store *, const char *,
		       struct image_config **, struct err *);
	void (*img_config_free)(struct image_config *);
	int (*img_list)(struct image_store *, struct image_info **, size_t *,
			struct err *);
	void (*img_info_free)(struct image_info *, size_t);
	int (*img_gc)(struct image_store *, const char *const *, int64_t,
		      int64_t, int64_t *, struct err *);

	int (*net_open)(const struct podnet_config *, struct podnet **,
			struct err *);
	void (*net_free)(struct podnet *);
	int (*net_destroy)(const struct podnet_config *, struct err *);
	const char *(*net_describe)(const struct podnet *);
	const char *(*net_cidr)(const struct podnet *);
	int (*net_setup)(struct podnet *, const char *, const char *,
			 char[64], struct err *);
	int (*net_teardown)(struct podnet *, const char *, struct err *);
	int (*net_host_ports)(struct podnet *, const char *, const char *,
			      const struct podnet_port *, size_t,
			      struct err *);
	int (*net_list)(struct podnet *, char ***, size_t *, struct err *);

	int (*vol_setup)(const struct podspec_env *, const cJSON *,
			 struct podvol **, struct err *);
	int (*vol_refresh)(const struct podspec_env *, const cJSON *,
			   struct podvol *, struct err *);
	void (*vol_free)(struct podvol *);
	int (*vol_teardown)(const char *, const char *, struct err *);
	int (*spec_container)(const struct podspec_env *, const cJSON *,
			      const cJSON *, const struct image_config *,
			      const struct podvol *, const char *, int,
			      struct podspec_out *, struct err *);
	void (*spec_done)(struct podspec_out *);

	enum probe_result (*probe)(struct rt *, const char *, const char *,
				   const cJSON *, const cJSON *, char **);
};

/* The machine's parts (agent_ops.c). */
extern const struct agent_ops agent_ops_machine;

/* Probe bookkeeping of one container (startup, liveness, readiness). */
struct probe_state {
	int64_t next_ns;	/* next run; 0 = not scheduled yet */
	int successes, failures;
};

enum { PR_STARTUP, PR_LIVENESS, PR_READINESS, PR_N };

/* One container of a pod, as its worker knows it (worker thread only). */
struct ctr {
	char *name;
	bool init, sidecar;
	int attempt;		/* restarts so far: restartCount */
	char *id;		/* current container id, NULL before a start */
	struct rt_status st;	/* last observed state of id */
	bool have_st;
	char *wreason, *wmsg;	/* waiting reason and message */
	char *image_id;		/* "docker.io/library/x@sha256:..." */
	bool has_last;
	struct ps_term last;	/* strings below are owned */
	char *last_reason, *last_cid;
	int64_t backoff_ns, next_start_ns;	/* crash-loop back-off */
	int64_t pull_backoff_ns, next_pull_ns;	/* image pull back-off */
	bool started, ready, hook_done, killing;
	char *term_log;		/* host file of terminationMessagePath */
	char *term_msg;		/* its text, read once the container exited */
	struct probe_state pr[PR_N];
	bool gone;		/* vanished while the agent was down and not
				   to be restarted: st is the recorded final
				   state (agent_gone.c) */
	char *gone_reason;	/* its terminated reason */
};

struct pod_worker {
	char *uid;
	UT_hash_handle hh;
	bool seen;		/* agent thread: bound in the last listing */
	struct agent *a;
	pthread_t thread;
	pthread_mutex_t mu;	/* pod, flags below */
	pthread_cond_t cond;
	cJSON *incoming;	/* latest state from the store, not taken */
	char *seen_rv;		/* its resourceVersion */
	bool gone, wake, stop, stop_pods, done, refresh;
	cJSON *pod;		/* worker thread: the state it works on */

	/* worker thread only */
	struct ctr *ctrs;	/* init containers first */
	int ninit, nctrs;
	char *netns;
	char pod_ip[64];
	bool sandbox_ready, vols_ready, terminal, torn_down;
	bool frozen;		/* finished before this worker: hands off */
	struct podvol *vols;
	int64_t start_ns, vol_next_ns, vol_backoff_ns, refresh_ns;
	cJSON *last_status;
};

struct evrec;

/* A pod whose deletion the agent finished (its DELETE may be blocked by
 * finalizers): not given a new worker while it stays (agent.c). */
struct finished_pod {
	char *uid;
	bool seen;
	UT_hash_handle hh;
};

struct agent {
	struct api *api;
	struct store *store;
	const struct agent_ops *ops;
	char *data_dir, *node_name, *pod_cidr, *user, *host_ip;
	const struct satoken *sa;
	struct rt *rt;
	struct image_store *images;
	struct podnet *net;
	struct podspec_env env;
	char *describe;
	struct evrec *events;	/* aggregating Event recorder */
	int64_t boot_ns;

	pthread_t thread;
	int wake[2];		/* pipe: watches wake the thread */
	pthread_mutex_t mu;	/* workers, dirty, stopping */
	pthread_cond_t cond;
	bool dirty, stopping, stop_pods, started;
	struct store_watch *wpods, *wcm, *wsec;
	struct agent_svc *svc;	/* Service IPs and cluster DNS, or NULL */
	struct pod_worker *workers;	/* by uid (uthash) */
	struct finished_pod *finished;	/* by uid (uthash), agent thread */
	char *git_version;	/* nodeInfo.kubeletVersion */
	time_t last_lease, last_node, last_status_check, last_image_gc;
	bool configs_dirty;	/* a ConfigMap or Secret changed */
};

/* ---- agent.c ---- */
/* One API request as this node; returns the HTTP status. */
int agent_call(struct agent *a, const char *method, const char *path,
	       const cJSON *body, cJSON **out);
/* Record an event about pod (type Normal/Warning), as kubelet. */
void agent_event(struct agent *a, const cJSON *pod, const char *field_path,
		 const char *type, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int64_t agent_now_ns(void);

/* ---- agent_gc.c ---- */
/* Image GC when the data dir's file system is above the threshold;
 * returns the bytes it wanted to free.  Agent thread. */
int64_t agent_image_gc(struct agent *a);
/* Run agent_image_gc once per period (heartbeat). */
void agent_image_gc_tick(struct agent *a);

/* ---- agent_node.c ---- */
/* Create or update the Node; 0 on success. */
int agent_node_register(struct agent *a, struct err *e);
/* Heartbeat: Node status every 10 s (written when changed or each
 * minute), Lease renewal every 10 s. */
void agent_node_heartbeat(struct agent *a);
/* The host's primary address (status.hostIP); malloc'd. */
char *agent_node_ip(void);

/* ---- agent_pod.c: one worker thread per pod ---- */
/* Start a worker for pod (copied); NULL when the thread cannot start. */
struct pod_worker *pod_worker_new(struct agent *a, const cJSON *pod);
/* Hand the worker the pod's latest state (copied); NULL = gone for good. */
void pod_worker_update(struct pod_worker *w, const cJSON *pod);
void pod_worker_wake(struct pod_worker *w);
/* The worker's thread has ended (its pod was deleted). */
bool pod_worker_done(struct pod_worker *w);
/*
 * Stop the thread, join it and free.  stop_pods: kill the containers and
 * tear the pod down first (cluster down); otherwise leave them running.
 */
void pod_worker_free(struct pod_worker *w, bool stop_pods);

/* ---- agent_ctr.c: one container (worker thread) ---- */
void ctr_clear(struct ctr *c);
/* Read the runtime's state of c->id into c->st. */
void ctr_observe(struct pod_worker *w, struct ctr *c);
/*
 * Move c forward one step: pull its image, create and start it, restart
 * it after back-off, run its probes.  spec is its entry in the pod spec.
 */
void ctr_sync(struct pod_worker *w, struct ctr *c, const cJSON *spec);
/*
 * Stop the running ones of v[0..n) together: Killing events and preStop
 * hooks, SIGTERM, up to grace_s for them to exit, then SIGKILL.  why is
 * the Killing event's message (NULL: "Stopping container").  Blocking.
 */
void ctrs_stop(struct pod_worker *w, struct ctr **v, int n, int64_t grace_s,
	       const char *why);
void ctr_stop(struct pod_worker *w, struct ctr *c, const cJSON *spec,
	      int64_t grace_s, const char *why);
/*
 * c (no runtime container found after a restart) ran before: when its
 * pod's restartPolicy would not start it again, record its last known
 * state as terminated (137/ContainerStatusUnknown if it was running) and
 * return true; else false (c unchanged).  agent_gone.c.
 */
bool ctr_adopt_gone(struct pod_worker *w, struct ctr *c);
/* The exited container c is to be started again (restartPolicy). */
bool ctr_will_restart(const struct pod_worker *w, const struct ctr *c);
/* c's entry in spec.containers or spec.initContainers of w's pod. */
const cJSON *pod_ctr_spec(const struct pod_worker *w, const struct ctr *c);
/* Fill o (strings borrowed from c) for podstatus. */
void ctr_observation(const struct pod_worker *w, const struct ctr *c,
		     const cJSON *spec, struct ps_ctr *o, char *cid,
		     size_t cid_size);
/* The pod's "name_namespace(uid)", as kubelet's messages write it. */
char *pod_ref(const cJSON *pod);

/*
 * Service virtual IPs and cluster DNS (agent_svc.c).  start: after the
 * pod network is open and before pods start (it sets env.dns_server);
 * returns a line for the node's description (caller frees), never
 * fails the agent.  stop: NULL-safe, leaves the rules in place.
 */
char *agent_svc_start(struct agent *a);
void agent_svc_stop(struct agent *a);

#endif
