/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nodeops: what the API server asks of the node agent for the streaming
 * subresources pods/exec, pods/attach and pods/portforward -- the calls
 * kube-apiserver proxies to the kubelet.  The node agent implements them
 * (agent_nodeops(), node/agent.h); the daemon registers them with
 * api_set_nodeops() after agent_start.  Without them (--no-node, a pod on
 * a simulated node) the API handlers answer as kube-apiserver does when it
 * cannot reach a kubelet.
 *
 * Threads: every function may be called from any thread, concurrently
 * (one connection thread per stream).  Error codes follow err.h and become
 * the Status the handler sends: ERR_NOT_FOUND (pod or container unknown),
 * ERR_BAD_REQUEST ("container x is not valid for pod y", tty with stderr),
 * ERR_CONFLICT-class / ERR_UNAVAILABLE ("container not running (x)").
 */
#ifndef KDECK_CLUSTER_NODEOPS_H
#define KDECK_CLUSTER_NODEOPS_H

#include <stdbool.h>

#include "common/err.h"

/* A process started by exec, or an attach session to a container. */
struct node_proc;

struct node_stdio_req {
	const char *ns, *pod;
	const char *container;	/* resolved by the handler (never NULL) */
	char *const *argv;	/* exec: the command (NULL-terminated);
				 * attach: NULL */
	bool tty;		/* allocate / use a terminal */
	bool in, out, err;	/* which streams the client asked for */
};

/*
 * The process side of a session.  Each fd is owned by the node_proc
 * (closed by close()); -1 when the stream was not requested or does not
 * exist (err_fd with tty: output arrives on out_fd).
 */
struct node_proc_io {
	int in_fd;	/* write the client's stdin here; close() = EOF */
	int out_fd;	/* read stdout (or the terminal's output) */
	int err_fd;	/* read stderr */
};

struct nodeops {
	void *ctx;
	/* Start argv in the container (as `kubectl exec`). */
	int (*exec)(void *ctx, const struct node_stdio_req *r,
		    struct node_proc **out, struct node_proc_io *io,
		    struct err *e);
	/*
	 * Attach to the container's own stdio (as `kubectl attach` and
	 * `kubectl run -it`): its stdin (when the container has stdin: true)
	 * and its output from now on.
	 */
	int (*attach)(void *ctx, const struct node_stdio_req *r,
		      struct node_proc **out, struct node_proc_io *io,
		      struct err *e);
	/* Set the terminal size of a tty session; -1 when there is none. */
	int (*resize)(struct node_proc *p, unsigned cols, unsigned rows);
	/*
	 * Block until the exec'd process exits (attach: until the container
	 * stops or the session ends); *exit_code gets its exit status (128+N
	 * for a signal), -1 when unknown.  Call after out/err reached EOF.
	 */
	int (*wait)(struct node_proc *p, int *exit_code);
	/* End the session: kills an exec'd process still running, closes
	 * the fds, frees.  NULL is fine. */
	void (*close)(struct node_proc *p);
	/*
	 * Connect to TCP port in the pod's network namespace (localhost of
	 * the pod, as the kubelet's port-forward does).  *fd_out is a
	 * connected, blocking socket (O_CLOEXEC) owned by the caller.
	 */
	int (*dial)(void *ctx, const char *ns, const char *pod, int port,
		    int *fd_out, struct err *e);
};

struct api;
/* Register the node's operations (copied); NULL removes them. */
void api_set_nodeops(struct api *api, const struct nodeops *ops);

#endif
