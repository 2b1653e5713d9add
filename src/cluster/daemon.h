/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon: the cluster daemon's life (lock, PKI, kubeconfig, store, authz,
 * api, HTTPS server, signals) and what `kdeck cluster status/down` need
 * to find a running daemon, and the `kdeck cluster` subcommands.  Private
 * to src/cluster (entry.c, cli.c).
 */
#ifndef KDECK_CLUSTER_DAEMON_H
#define KDECK_CLUSTER_DAEMON_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/err.h"

struct daemon_opts {
	const char *data_dir;
	const char *host; /* listen host, e.g. "127.0.0.1" */
	int port;
	bool port_fallback; /* take the next free port if taken */
	int sim_nodes;	    /* --simulated-nodes N (ctrl/simnode.c) */
	const char *sim_node_spec; /* its Node template as JSON, or NULL */
	bool node;	    /* run the node agent (node/agent.h); --no-node */
	const char *runtime; /* --runtime: NULL/"auto" or "host-process" */
};

/*
 * Run the daemon until SIGTERM/SIGINT; returns the exit status (0 after a
 * clean stop, 1 when start-up failed).  Progress goes to notify_fd (-1 =
 * stderr/stdout) as lines: "msg TEXT" (tell the user), "ok URL" (ready),
 * "err TEXT" (start-up failed); notify_fd is closed once ready or failed.
 */
int daemon_run(const struct daemon_opts *o, int notify_fd);

/* What the lock file says about a data directory. */
struct daemon_info {
	bool running; /* the lock is held by a live process */
	pid_t pid;
	char url[256];
	long started; /* unix seconds */
};

/* Inspect DIR/lock without disturbing a running daemon. */
int daemon_probe(const char *dir, struct daemon_info *out, struct err *e);

/* Paths under the data directory; caller frees. */
char *daemon_path(const char *dir, const char *name);

/*
 * Write DIR/kubeconfig.yaml and merge the kdeck cluster, user and context
 * into the user's kubeconfig (daemon_kubeconfig.c).  Messages about what
 * was done go to note(arg, text).
 */
struct pki;
int daemon_kubeconfig(const char *dir, const char *url, const struct pki *p,
		      void (*note)(void *arg, const char *text), void *arg,
		      struct err *e);

/* The `kdeck cluster` subcommands (cli.c), dispatched by entry.c. */
struct cli_opts {
	char *data_dir; /* always set (entry.c fills the default) */
	char *listen;	/* NULL = 127.0.0.1:6443 or the next free port */
	bool foreground, yes, json, no_node;
	int sim_nodes; /* --simulated-nodes N */
	char *sim_node_spec; /* --simulated-node-spec FILE */
	char *runtime; /* --runtime auto|host-process */
};
int cli_up(struct cli_opts *o);
int cli_down(struct cli_opts *o);
/* Exit status 0 running, 3 stopped, 1 error. */
int cli_status(struct cli_opts *o);
int cli_reset(struct cli_opts *o);

#endif
