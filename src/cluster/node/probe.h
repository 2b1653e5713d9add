/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: one run of a liveness, readiness or startup probe's action, as
 * kubelet's prober does it: exec (in the container, through the
 * runtime), httpGet (scheme, host, port by number or name, path,
 * httpHeaders; 200..399 is success, redirects to the same host
 * followed), tcpSocket (connect), grpc (grpc.health.v1.Health/Check over
 * h2c, service name).  Timing (initialDelaySeconds, periodSeconds,
 * thresholds) is the caller's (the agent); the action's timeout is
 * timeoutSeconds.  Blocking: call from a pod worker.
 */
#ifndef KDECK_CLUSTER_NODE_PROBE_H
#define KDECK_CLUSTER_NODE_PROBE_H

#include <cjson/cJSON.h>

#include "cluster/runtime/runtime.h"

enum probe_result { PROBE_SUCCESS, PROBE_FAILURE, PROBE_WARNING };

/*
 * Run probe (a container's livenessProbe/readinessProbe/startupProbe
 * object) against container ctr (its spec, for named ports) with id
 * container_id in a pod with IP pod_ip.  *msg (may be NULL) gets the
 * output kubelet puts in events, e.g. "HTTP probe failed with statuscode:
 * 500", "dial tcp 10.244.0.5:80: connect: connection refused", the exec
 * output, or "" on success; caller frees.
 */
enum probe_result probe_run(struct rt *rt, const char *container_id,
			    const char *pod_ip, const cJSON *ctr,
			    const cJSON *probe, char **msg);

#endif
