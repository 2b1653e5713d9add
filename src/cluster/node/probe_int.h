/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe_int: private header of the probe module (probe.c: dispatch, port
 * resolution, exec and tcpSocket; probe_http.c: httpGet and grpc over
 * libcurl).  Messages follow kubelet's and Go's net/http wording.
 */
#ifndef KDECK_CLUSTER_NODE_PROBE_INT_H
#define KDECK_CLUSTER_NODE_PROBE_INT_H

#include <cjson/cJSON.h>

#include "cluster/node/probe.h"

#define PROBE_USER_AGENT "kube-probe/1.33"
#define PROBE_MAX_OUTPUT (10 * 1024)	/* kubelet's maxReadLength */

/* One action's inputs, resolved by probe.c. */
struct probe_target {
	const char *host;	/* IP or name */
	int port;
	int timeout_ms;
	const cJSON *action;	/* the httpGet / grpc object */
};

/* "host:port", IPv6 in brackets (Go's net.JoinHostPort) into out. */
void probe_join_host_port(const char *host, int port, char *out, size_t n);
/* Go's text of an errno ("connection refused": strerror, lower-cased). */
void probe_errno_text(int err, char *out, size_t n);

/*
 * HealthCheckResponse.status (0 UNKNOWN, 1 SERVING, ...) from one gRPC
 * length-prefixed message of n bytes; -1 when malformed or compressed.
 */
int probe_parse_health(const unsigned char *p, size_t n);

enum probe_result probe_http(const struct probe_target *t, char **msg);
enum probe_result probe_grpc(const struct probe_target *t, char **msg);

#endif
