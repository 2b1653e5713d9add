/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podstatus: the pure part of the node agent's pod status, kept apart so
 * it can be tested without a runtime.  From what the pod worker observed
 * (per container: waiting/running/terminated, restarts, the previous
 * termination, readiness) it builds the pod's `status` exactly as kubelet
 * does: phase (kubelet's getPhase), the conditions PodReadyToStartContainers,
 * Initialized, Ready, ContainersReady and PodScheduled (transition times
 * kept while a condition's status does not change), containerStatuses,
 * initContainerStatuses, pod and host IPs, startTime and qosClass.  Also
 * the back-off arithmetic shared by crash loops and image pulls.
 *
 * Times are unix nanoseconds; 0 means unset.  No locking: pure functions.
 */
#ifndef KDECK_CLUSTER_NODE_PODSTATUS_H
#define KDECK_CLUSTER_NODE_PODSTATUS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#define PS_BACKOFF_INITIAL_NS (10LL * 1000000000LL)
#define PS_BACKOFF_MAX_NS (300LL * 1000000000LL)
/* A container that ran this long has its crash-loop back-off reset. */
#define PS_BACKOFF_RESET_NS (600LL * 1000000000LL)

enum ps_state { PS_WAITING, PS_RUNNING, PS_TERMINATED };

/* One termination (state.terminated or lastState.terminated). */
struct ps_term {
	int exit_code;
	const char *reason;	/* Completed, Error, OOMKilled, ... */
	const char *message;	/* termination message, may be NULL */
	int64_t started_ns, finished_ns;
	const char *container_id;	/* "runc://ID" */
};

/* What the worker observed of one container (strings borrowed). */
struct ps_ctr {
	const char *name, *image, *image_id;
	const char *container_id;	/* "runc://ID"; NULL before creation */
	enum ps_state state;
	const char *reason, *message;	/* waiting: ContainerCreating, ... */
	int64_t started_ns;		/* running */
	struct ps_term term;		/* terminated */
	bool has_last;
	struct ps_term last;		/* lastState.terminated */
	int restart_count;
	bool ready, started;
	bool sidecar;	/* init container with restartPolicy Always */
};

struct ps_pod {
	const cJSON *pod;	/* spec, and the old status for transitions */
	const struct ps_ctr *init;
	int ninit;
	const struct ps_ctr *ctrs;
	int nctrs;
	bool sandbox_ready;	/* sandbox and network are up */
	bool terminal;		/* containers will not be (re)started */
	const char *pod_ip, *host_ip;
	int64_t start_ns;	/* when the agent first saw the pod */
	int64_t now_ns;
};

/* kubelet's getPhase: "Pending", "Running", "Succeeded", "Failed". */
const char *podstatus_phase(const struct ps_pod *p);
/* "Guaranteed", "Burstable" or "BestEffort" for a pod spec. */
const char *podstatus_qos(const cJSON *spec);
/* The whole status object; caller frees. */
cJSON *podstatus_build(const struct ps_pod *p);
/* One container status entry (name, state, lastState, ...); caller frees. */
cJSON *podstatus_container(const struct ps_ctr *c);

/* Crash-loop/image back-off after a failure: 10 s, doubling, 5 min cap. */
int64_t podstatus_backoff_next(int64_t cur_ns);
/*
 * The back-off to keep once a container that started at started_ns ended
 * at finished_ns: 0 (reset) after PS_BACKOFF_RESET_NS of running.
 */
int64_t podstatus_backoff_keep(int64_t cur_ns, int64_t started_ns,
			       int64_t finished_ns);
/* "Completed", "Error" or "OOMKilled" for an exit. */
const char *podstatus_term_reason(int exit_code, bool oom_killed);
/* Container restart wanted after an exit, per restartPolicy. */
bool podstatus_should_restart(const char *restart_policy, int exit_code);

#endif
