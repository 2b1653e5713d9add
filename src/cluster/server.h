/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server: the embedded cluster's HTTPS front end: TLS terminated by
 * server_tls.c (GnuTLS), HTTP by libmicrohttpd.  It authenticates (authn), applies
 * impersonation, answers /healthz /livez /readyz /metrics itself and hands
 * every other request to api_handle() (see http.h), sending complete
 * bodies or chunked streams back.  Private to src/cluster (daemon.c).
 */
#ifndef KDECK_CLUSTER_SERVER_H
#define KDECK_CLUSTER_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster/api.h"
#include "cluster/authn.h"
#include "cluster/authz.h"
#include "cluster/pki.h"
#include "common/buf.h"
#include "common/err.h"

struct server_config {
	int listen_fd;	       /* listening socket; the server owns it */
	const struct pki *pki; /* serving cert/key and client CA */
	struct authn *authn;
	struct authz *authz; /* impersonation and /metrics checks */
	struct api *api;
	/* Extra /metrics and /readyz figures (e.g. the store's); may be NULL.
	 */
	void (*metrics_fn)(void *arg, struct buf *out);
	void *metrics_arg;
};

struct server;

/*
 * Bind a TCP listening socket on host:port (port 0 = any; host an IP or
 * "localhost").  When try_next is set and the port is taken, try the next
 * 100 ports.  *fd_out (O_CLOEXEC) and *port_out are set on success.
 */
int server_listen(const char *host, int port, bool try_next, int *fd_out,
		  int *port_out, struct err *e);

/* Start serving (threads); the config's objects must outlive the server. */
int server_start(const struct server_config *cfg, struct server **out,
		 struct err *e);

/* /readyz answers 200 once set (after bootstrap), 503 before and after. */
void server_set_ready(struct server *s, bool ready);

/* Response compression (server_gzip.c), as the API server does it. */
#define SERVER_GZIP_MIN (128 * 1024)
/* Does this Accept-Encoding value accept gzip (q > 0)? NULL is no. */
bool server_accepts_gzip(const char *accept_encoding);
/* gzip-encode data; *out is malloc'd.  -1 on a zlib failure. */
int server_gzip(const char *data, size_t len, char **out, size_t *out_len);

/*
 * Graceful stop: stop accepting, let in-flight requests finish (up to
 * grace_ms), end streams, join the connection threads, free.  NULL is
 * fine.
 */
void server_stop(struct server *s, int grace_ms);

/* Kubernetes Status JSON for a failure into b. */
void server_status_json(struct buf *b, int code, const char *reason,
			const char *message);

/* --- internal to server*.c: request figures for /metrics --- */
struct server_obs;
struct server_obs *server_obs_new(void);
void server_obs_free(struct server_obs *o);
/* A request arrived / finished (method, HTTP code, seconds it took). */
void server_obs_begin(struct server_obs *o);
void server_obs_end(struct server_obs *o, const char *method, int code,
		    double seconds);
void server_obs_stream(struct server_obs *o, int delta);
long server_obs_inflight(struct server_obs *o);
long server_obs_streams(struct server_obs *o);
/* Prometheus text of the figures above. */
void server_obs_render(struct server_obs *o, struct buf *out);

#endif
