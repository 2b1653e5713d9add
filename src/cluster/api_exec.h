/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec: pods/exec and pods/attach (api_exec.c checks and answers,
 * api_exec_io.c runs the channel protocol after the upgrade).
 */
#ifndef KDECK_CLUSTER_API_EXEC_H
#define KDECK_CLUSTER_API_EXEC_H

#include <stdbool.h>

#include "cluster/http.h"
#include "cluster/nodeops.h"

struct api;
struct api_route;

/* Handlers for the subresource table (api_sub.c); GET or POST. */
void api_exec(struct api *api, const struct api_req *req,
	      struct api_route *rt, struct api_resp *resp);
void api_attach(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp);

/* A checked request, ready to start. */
struct exec_params {
	bool exec;			/* exec, else attach */
	struct nodeops ops;
	struct node_stdio_req req;	/* borrowed strings */
	char protocol[64];		/* v5.channel.k8s.io / v4... */
};

/*
 * Start the process (or attach) through p->ops and set resp->upgrade and
 * status 101 for a session that pumps its channels.  argv is copied.
 * -1 with e (the nodeops error) when it cannot start.
 */
int api_exec_start(const struct exec_params *p, char *const *argv,
		   struct api_resp *resp, struct err *e);

/* The final status for channel 3, as the kubelet writes it (malloc'd). */
char *api_exec_status(char *const *argv, bool exec, int exit_code);

#endif
