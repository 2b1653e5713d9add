/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api: the Kubernetes REST API of the embedded cluster (routing, the
 * registry of resource kinds, discovery, CRUD, watch, Table output,
 * admission).  Created by the cluster daemon after the store and the
 * authorizer; the HTTP server hands every authenticated request to
 * api_handle() (see http.h).
 */
#ifndef KDECK_CLUSTER_API_H
#define KDECK_CLUSTER_API_H

#include <cjson/cJSON.h>

#include "cluster/authz.h"
#include "cluster/http.h"
#include "cluster/store.h"
#include "common/buf.h"
#include "common/err.h"

struct satoken;

struct api_config {
	const char *git_version;	/* "/version" gitVersion, e.g. "v1.33.0-kdeck" */
	const char *service_cidr;	/* "10.96.0.0/12" */
	const char *cluster_ip_first;	/* kubernetes Service IP, "10.96.0.1" */
	int node_port_min, node_port_max;	/* 30000-32767 */
	const char *advertise_host;	/* for the default kubernetes Endpoints */
	int advertise_port;
	const char *data_dir;		/* pods/log reads DATA/logs (node/layout.h) */
	const char *node_name;		/* the real node's name, NULL when none */
	const struct satoken *sa;	/* signs TokenRequest tokens; may be NULL */
	const char *ca_pem;		/* published as kube-root-ca.crt; may be NULL */
};

int api_new(const struct api_config *cfg, struct store *st,
	    struct authz *az, struct api **out, struct err *e);
void api_free(struct api *api);

/*
 * Create what a new cluster has (idempotent, at every start): namespaces
 * default, kube-system, kube-public, kube-node-lease, the default
 * ServiceAccounts, the kubernetes Service.
 */
int api_bootstrap(struct api *api, struct err *e);

/*
 * One in-process request (api_call.c) by user in groups (NULL-terminated;
 * NULL = system:masters and system:authenticated): method on path with
 * body (may be NULL; sent as JSON).  Returns the HTTP status; *out (may be
 * NULL) gets the parsed response body, caller frees (cJSON_Delete).
 */

int api_call(struct api *api, const char *user, const char *const *groups,
	     const char *method, const char *path, const cJSON *body,
	     cJSON **out);
/*
 * api_call with the request's Content-Type (e.g. a PATCH body as
 * application/strategic-merge-patch+json); api_call sends application/json.
 */
int api_call_ct(struct api *api, const char *user, const char *const *groups,
		const char *method, const char *path, const char *content_type,
		const cJSON *body, cJSON **out);

/* Append Prometheus text-format figures (requests, latencies, watches). */
void api_metrics(struct api *api, struct buf *out);

#endif
