/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent: the node agent (kdeck's kubelet).  Registers this machine as a
 * Node (capacity from the machine, conditions, nodeInfo, Lease heartbeats
 * in kube-node-lease) and runs every pod bound to it as real containers:
 * image pulls (image/image.h), sandboxes and containers (runtime/
 * runtime.h), pod IPs (net/podnet.h), volumes, env and command lines
 * (node/podspec.h), probes (node/probe.h), with kubelet's exact states,
 * reasons, events and back-off, reporting through pods/status.
 *
 * Runs inside the cluster daemon as an in-process client of the API
 * (writes through api_handle as user system:node:NAME), like the
 * controllers (ctrl.h).  Pod workers run on their own threads.
 */
#ifndef KDECK_CLUSTER_NODE_AGENT_H
#define KDECK_CLUSTER_NODE_AGENT_H

#include <stdbool.h>

#include "cluster/store.h"
#include "common/err.h"

struct api;
struct agent;
struct satoken;

struct agent_config {
	const char *data_dir;
	const char *node_name;	/* lower-cased host name */
	const char *self_exe;	/* the kdeck binary (for the runtime's shim) */
	const char *pod_cidr;	/* unused: the pod network picks (podnet.h) */
	const struct satoken *sa;	/* projected serviceAccountToken volumes */
	const char *git_version;	/* nodeInfo.kubeletVersion; NULL = default */
	const char *runtime;	/* NULL/"auto": runc or crun; or
				   AGENT_RUNTIME_HOST_PROCESS (opt-in) */
};

/* `kdeck cluster up --runtime host-process` (runtime/runtime.h). */
#define AGENT_RUNTIME_HOST_PROCESS "host-process"
/* cfg asks for the host-process runtime. */
bool agent_host_process(const struct agent_config *cfg);

/*
 * Call once, before the process starts any thread, when the cluster will
 * run a node agent on data_dir.  As root it does nothing (returns NULL).
 * As an ordinary user it moves the process into the user and mount
 * namespaces of the containers an earlier daemon left running (killed
 * with -9: rt_userns_join), else into a user namespace of its own
 * (rt_userns_enter), so agent_start can run (and find again) rootless
 * pods, and returns one line for `kdeck cluster up` saying what that
 * allows or why not (caller frees).  runtime: agent_config.runtime; the
 * host-process runtime needs no namespace (it says so plainly instead).
 */
char *agent_prepare(const char *data_dir, const char *runtime);

/*
 * Start the agent.  When this machine cannot run containers (no runtime,
 * no privileges) it fails with ERR_UNAVAILABLE and a message that says
 * plainly why; the daemon then runs without a real node and says so.
 */
int agent_start(struct api *api, struct store *st,
		const struct agent_config *cfg, struct agent **out,
		struct err *e);
/* One line for `kdeck cluster up`: what runs pods here and how. */
const char *agent_describe(const struct agent *a);
/*
 * Stop the agent.  stop_pods: kill every container and remove sandboxes
 * and pod networks (cluster down); otherwise leave them running (they are
 * found again by the next start).  NULL is fine.
 */
void agent_stop(struct agent *a, bool stop_pods);

/*
 * Remove whatever the agent left under data_dir and on the machine
 * (containers, sandboxes, the bridge): `kdeck cluster reset`.  As an
 * ordinary user (single-threaded callers only) it first enters the
 * containers' user namespace (agent_prepare), where the files that
 * containers wrote with subordinate ids can be deleted: the caller's
 * removal of data_dir afterwards runs in it too.
 */
int agent_cleanup(const char *data_dir, struct err *e);

struct nodeops;
/*
 * The node's exec/attach/port-forward operations (cluster/nodeops.h) for
 * api_set_nodeops.  They use a: remove them (api_set_nodeops(api, NULL))
 * before agent_stop.
 */
void agent_nodeops(struct agent *a, struct nodeops *out);

#endif
