/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_int: the ingress proxy's backend side (ingress_fwd.c), used by
 * its HTTP side (ingress_proxy.c).  A forward is one request to one
 * endpoint made by libcurl on a thread of its own; the request body goes
 * to it and the response body comes back through socket pairs, so both
 * stream with bounded memory (the kernel's socket buffers).
 */
#ifndef KDECK_CLUSTER_NET_INGRESS_INT_H
#define KDECK_CLUSTER_NET_INGRESS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <curl/curl.h>
#include <gnutls/abstract.h>
#include <microhttpd.h>

#include "cluster/net/ingress.h"

struct ingress_fwd;

struct ingress_fwd_req {
	const char *method;
	const char *url;
	struct curl_slist *hdrs;	/* taken over by the forward */
	bool body;			/* the request has a body */
	curl_off_t body_len;		/* its length, -1: unknown (chunked) */
};

/* Start a forward (never fails: errors come from ingress_fwd_wait). */
struct ingress_fwd *ingress_fwd_start(const struct ingress_fwd_req *r);
/*
 * Pass n bytes of the request body on (blocking while the backend is
 * slow to take them); -1 when it no longer takes any.
 */
int ingress_fwd_body(struct ingress_fwd *f, const char *p, size_t n);
/* The request body is complete. */
void ingress_fwd_body_end(struct ingress_fwd *f);
/*
 * Wait for the response's head: 0 with *status, *hdrs (end-to-end
 * headers as "Name: value", still the forward's) and *len (the body's
 * length, -1 unknown); -1 with why when the backend failed.
 */
int ingress_fwd_wait(struct ingress_fwd *f, long *status,
		     const struct curl_slist **hdrs, curl_off_t *len,
		     char *why, size_t whylen);
/* Up to max bytes of the response body: >0, 0 at its end, -1 failed. */
ssize_t ingress_fwd_read(struct ingress_fwd *f, char *buf, size_t max);
/* Abandon or finish the forward and free it; NULL is a no-op. */
void ingress_fwd_free(struct ingress_fwd *f);
/* Is header name[0..len) hop-by-hop (never forwarded)? */
bool ingress_hop_by_hop(const char *name, size_t len);

/* A plain-text page: status, fmt with one %s for detail. */
enum MHD_Result ingress_page(struct MHD_Connection *c, unsigned status,
			     const char *fmt, const char *detail);

/* ---- ingress_upgrade.c: Upgrade requests (WebSockets) ---- */

struct ingress_upgrade;
/*
 * Relay the Upgrade request on c (headers hdrs, without hop-by-hop ones)
 * to ip:port; on a 101 the connection is relayed until either side
 * closes or *stop is set, and *out is the relay's, to free once the
 * request completes.  Any other outcome queues a 502.
 */
enum MHD_Result ingress_upgrade(struct MHD_Connection *c, const bool *stop,
				const char *method, const char *uri,
				const char *ip, int port,
				const struct curl_slist *hdrs,
				struct ingress_upgrade **out);
/* Close the endpoint's connection and free; NULL is a no-op. */
void ingress_upgrade_free(struct ingress_upgrade *u);

/* ---- ingress_tls.c: the HTTPS listener's certificate store ---- */

/* Open the store (with a fresh default certificate); ERR_CONFLICT when
 * it is open already. */
int ingress_tls_open(struct err *e);
/* Use c from now on, unless it is the same as the current set (c is
 * taken over either way). */
void ingress_tls_set(struct ingress_certs *c);
/* Close the store and free every set. */
void ingress_tls_close(void);
/* libmicrohttpd's MHD_OPTION_HTTPS_CERT_CALLBACK, picking from the store. */
gnutls_certificate_retrieve_function2 *ingress_tls_callback(void);

#endif
