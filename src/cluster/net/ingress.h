/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress: the node's Ingress controller (class "kdeck").  Routes are
 * built from the Ingress and IngressClass objects with Ingress v1's
 * matching rules, and resolved against a Service model (svcmodel.h) to
 * a ready endpoint; ingress_proxy serves them as an HTTP reverse proxy.
 *
 * Served Ingresses: those of class "kdeck", those without a class (the
 * "kdeck" IngressClass is the default one), and those naming a class for
 * which no IngressClass object exists (manifests written for another
 * cluster's controller, e.g. "nginx", still work here).
 */
#ifndef KDECK_CLUSTER_NET_INGRESS_H
#define KDECK_CLUSTER_NET_INGRESS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cluster/net/svcmodel.h"
#include "common/err.h"

#define INGRESS_CLASS "kdeck"
#define INGRESS_CONTROLLER "kdeck.io/ingress-controller"
/* the subject of the HTTPS listener's self-signed default certificate */
#define INGRESS_DEFAULT_CN "kdeck-ingress-default"

struct ingress_routes;

/*
 * Build routes from the items of an Ingress list and an IngressClass
 * list (either may be NULL) over m (a reference is taken; m may be
 * NULL).  One reference to the result.
 */
struct ingress_routes *ingress_routes_build(const cJSON *ingresses,
					    const cJSON *classes,
					    struct svc_model *m);
struct ingress_routes *ingress_routes_ref(struct ingress_routes *r);
void ingress_routes_unref(struct ingress_routes *r);
/* Is this Ingress one the controller serves (see above)? */
bool ingress_served(const cJSON *ing, const cJSON *classes);

/*
 * The backend for a request to host (the Host header, port and case
 * ignored) and path: a ready endpoint picked at random.  0 with ip and
 * port set; else -1 with *status 404 (no rule matches) or 503 (the
 * Service or its port is missing, or it has no ready endpoint) and why
 * (a sentence) in msg.
 */
int ingress_route(const struct ingress_routes *r, const char *host,
		  const char *path, char ip[16], int *port, int *status,
		  char *msg, size_t msglen);

/*
 * The certificates of the served Ingresses' spec.tls entries, each for
 * its hosts, from the items of a Secret list (the kubernetes.io/tls
 * Secrets they name; entries whose Secret is missing or does not load
 * are left out).  Never fails.
 */
struct ingress_certs;
struct ingress_certs *ingress_certs_build(const cJSON *ingresses,
					  const cJSON *classes,
					  const cJSON *secrets);
void ingress_certs_free(struct ingress_certs *c);

struct ingress_proxy;

/* Listen on addr ("IP:PORT") and serve r's routes; ERR_IO on failure. */
int ingress_proxy_start(const char *addr, struct ingress_proxy **out,
			struct err *e);
/* Route with r from now on (takes a reference of its own). */
void ingress_proxy_set_routes(struct ingress_proxy *p,
			      struct ingress_routes *r);
/*
 * The same over HTTPS: the certificate comes from the Ingresses' spec.tls
 * by the client's SNI name (ingress_proxy_set_certs), else it is a
 * self-signed one for INGRESS_DEFAULT_CN.  One HTTPS listener per
 * process (ERR_CONFLICT for a second).
 */
int ingress_proxy_start_tls(const char *addr, struct ingress_proxy **out,
			    struct err *e);
/* Serve HTTPS with the certificates c from now on (c is taken over). */
void ingress_proxy_set_certs(struct ingress_proxy *p,
			     struct ingress_certs *c);
/* Stop serving and free; NULL is a no-op. */
void ingress_proxy_stop(struct ingress_proxy *p);

#endif
