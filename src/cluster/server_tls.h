/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_tls: the API server's own TLS termination (GnuTLS), in front of
 * libmicrohttpd.  libmicrohttpd 0.9.75 relays upgraded TLS connections
 * (exec, attach, port-forward) through a few bytes at a time; here MHD
 * sees plain sockets only, so upgraded connections run at socket speed.
 *
 * Shape: SERVER_TLS_THREADS relay threads, each with an epoll set holding
 * the listening socket (EPOLLEXCLUSIVE) and its own connections.  A
 * connection is accepted, handshaken (non-blocking, with a deadline), then
 * given a socketpair whose other end goes to the hand-off callback
 * (MHD_add_connection); from then on the thread pumps bytes between the
 * TLS session and the socketpair.  No thread per connection.
 *
 * Peer certificates: the leaf the client presented (unverified here;
 * authn verifies it against the cluster CA) is kept with the connection
 * and found by the MHD-side socket number (server_tls_peer_cert), as is
 * the client's address (server_tls_peer_addr).
 */
#ifndef KDECK_CLUSTER_SERVER_TLS_H
#define KDECK_CLUSTER_SERVER_TLS_H

#include <stddef.h>
#include <sys/socket.h>

#include "cluster/pki.h"
#include "common/err.h"

#define SERVER_TLS_THREADS 2
/* A handshake not done within this is dropped (slow or silent clients). */
#define SERVER_TLS_HANDSHAKE_MS 10000

/*
 * Hand a handshaken connection's plain socket (fd) to the HTTP server
 * (the client's address: server_tls_peer_addr).  0: taken; -1: refused.  The callee owns fd
 * in both cases (MHD_add_connection closes it on failure).  Called on a
 * relay thread, never after server_tls_quiesce returned.
 */
typedef int (*server_tls_hand_fn)(void *arg, int fd);

struct server_tls;

/*
 * Start the relay threads on listen_fd (taken on success: closed by
 * server_tls_free).
 * pki's serving certificate and key are loaded; its CA is named in the
 * certificate request.  max_conns caps open client connections (more are
 * closed at once).
 */
int server_tls_start(int listen_fd, const struct pki *pki, unsigned max_conns,
		     server_tls_hand_fn hand, void *arg, struct server_tls **out,
		     struct err *e);

/* Stop accepting and handing off; open connections keep relaying. */
void server_tls_quiesce(struct server_tls *t);

/*
 * Close every connection, join the threads, free.  Call after the HTTP
 * server stopped (its sockets closed).  NULL is fine.
 */
void server_tls_free(struct server_tls *t);

/*
 * The DER leaf certificate the client of the connection whose MHD-side
 * socket is fd presented: 1 with *der (malloc'd, the caller's) and *len
 * set; 0 when none.  Any thread.
 */
int server_tls_peer_cert(struct server_tls *t, int fd, void **der,
			 size_t *len);

/* The client's address of that connection: 1 with *sa set, else 0. */
int server_tls_peer_addr(struct server_tls *t, int fd,
			 struct sockaddr_storage *sa);

/* Open client connections (handshaking or relaying). */
long server_tls_conns(struct server_tls *t);

#endif
