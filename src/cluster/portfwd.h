/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portfwd: the port-forward sessions behind pods/NAME/portforward, private
 * to the API server (api_pf.c routes and upgrades; pf_spdy.c and pf_ws.c
 * run the protocols on the upgraded connection's thread).
 *
 *   SPDY/3.1 (pf_spdy.c): kubectl.  The client opens an error stream and a
 *   data stream per local connection (headers streamtype, port,
 *   requestid); the bytes arrive either straight on the socket (POST,
 *   Upgrade: SPDY/3.1) or inside binary WebSocket messages (GET,
 *   Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io).
 *   WebSocket channels (pf_ws.c): the Python client and kdeck.  Ports come
 *   from ?ports=; channel 2i carries port i's data, 2i+1 its errors; the
 *   first message on each channel is the port, 2 bytes little-endian.
 *
 * Errors reaching a port are written on its error stream/channel the way
 * the kubelet writes them, and the session goes on.
 */
#ifndef KDECK_CLUSTER_PORTFWD_H
#define KDECK_CLUSTER_PORTFWD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/buf.h"
#include "common/err.h"

struct ws;

/* How a session reaches the pod's ports (borrowed for the session). */
struct pf_target {
	void *ctx;
	/* A connected blocking socket to port in the pod, or -1 with e. */
	int (*dial)(void *ctx, int port, int *fd, struct err *e);
	const char *pod;	/* for error messages */
	const char *uid;
};

/* The byte stream a SPDY session runs on. */
struct pf_io {
	void *ctx;
	/* Block until bytes arrive and append them to in: the count (> 0),
	 * 0 at the end of the stream, -1 on error. */
	ssize_t (*recv)(void *ctx, struct buf *in);
	/* Write all of data (called with the session's send lock held);
	 * -1 when the connection failed. */
	int (*send)(void *ctx, const void *data, size_t len);
};

/* Most ports in one WebSocket session, stream pairs in a SPDY one. */
#define PF_PORTS_MAX 64
#define PF_PAIRS_MAX 1024

/*
 * Serve one SPDY/3.1 port-forward connection until the client ends it
 * (end of stream, GOAWAY, a malformed frame), then close every forwarded
 * connection and return.  Runs on the caller's thread; one extra thread
 * per forwarded connection.
 */
void pf_spdy_run(const struct pf_io *io, const struct pf_target *t);

/*
 * Serve one WebSocket channel port-forward session on w for ports[0..n)
 * until every port is done or the client closes; closes w (1000) at the
 * end.  Runs on the caller's thread; one extra thread per port.
 */
void pf_ws_run(struct ws *w, const int *ports, size_t n,
	       const struct pf_target *t);

/* "error forwarding port P to pod X, uid U: <cause>" as the kubelet says. */
void pf_error_text(const struct pf_target *t, int port, const char *cause,
		   struct buf *out);

/* write(2) all of data to a socket; -1 on error. */
int pf_write_all(int fd, const void *data, size_t len);

#endif
