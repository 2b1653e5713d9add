/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec: pods/exec and pods/attach (api_exec.c checks and answers,
 * api_exec_io.c runs the session after the upgrade over a channel
 * transport: WebSocket channels in api_exec_io.c, SPDY/3.1 streams in
 * api_exec_spdy.c).
 */
#ifndef KDECK_CLUSTER_API_EXEC_H
#define KDECK_CLUSTER_API_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	bool spdy;			/* SPDY/3.1 streams, else websocket */
};

/* Channels, numbered as the WebSocket protocol numbers them. */
enum exec_ch { EXEC_CH_STDIN, EXEC_CH_STDOUT, EXEC_CH_STDERR,
	       EXEC_CH_ERROR, EXEC_CH_RESIZE, EXEC_CH_N };

/* One message from the client. */
struct exec_msg {
	int ch;			/* EXEC_CH_STDIN or EXEC_CH_RESIZE (others
				 * are passed on and ignored) */
	uint8_t *data;		/* owned (free); NULL when len is 0 */
	size_t len;
	bool eof;		/* the channel ended after data (stdin's
				 * half-close) */
};

/*
 * The transport a session runs on, after the 101.  One thread calls open,
 * recv; send and finish may come from another (they serialize
 * themselves).  free is called once, after both threads are done.
 */
struct exec_tport {
	void *ctx;
	/* Ready the channels (SPDY: wait for the client's streams, bounded);
	 * -1 when the client never did: the session ends at once. */
	int (*open)(void *ctx);
	/* Write data on an output channel; -1 once the client is gone. */
	int (*send)(void *ctx, int ch, const void *d, size_t n);
	/* The next client message: 1 with *m, 0 when the client ended the
	 * connection, -2 when none came (within timeout_ms; may be sooner),
	 * -1 on an error. */
	int (*recv)(void *ctx, int timeout_ms, struct exec_msg *m);
	/* End the output channels, write status (a Status JSON, as the
	 * kubelet makes it; NULL: none, the client is gone) the protocol's
	 * way and close. */
	void (*finish)(void *ctx, const char *status);
	void (*free)(void *ctx);
};

/*
 * A SPDY/3.1 transport on the upgraded socket fd (pre: bytes already read
 * past the request), for the negotiated protocol (v4.channel.k8s.io ...
 * channel.k8s.io, "" for v1) and the streams r asks for.  Fills *t.
 */
void exec_tport_spdy(struct exec_tport *t, int fd, const char *pre,
		     size_t prelen, const char *protocol,
		     const struct node_stdio_req *r);

/* The WebSocket channel transport (api_exec_ws.c), for protocol; open
 * sends the kubelet's empty message on the lowest writable channel of r
 * (stdout, else stderr, else the error channel). */
void exec_tport_ws(struct exec_tport *t, int fd, const char *pre,
		   size_t prelen, const char *protocol,
		   const struct node_stdio_req *r);

/* How long open waits for the client's streams (kubelet: 30 s). */
#define EXEC_STREAM_WAIT_MS 30000

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
