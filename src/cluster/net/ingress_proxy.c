/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_proxy: the Ingress controller's HTTP side.  libmicrohttpd
 * parses requests (a thread per connection); the route is picked from
 * the head, and a forward (ingress_fwd.c) starts at once, so the request
 * body streams to the endpoint as it arrives and the response streams
 * back (the backend's Content-Length is kept, else chunked).
 * WebSocket and other upgrades are relayed (ingress_upgrade.c); HTTPS
 * listeners pick certificates with ingress_tls.c.
 * The raw request target (path and query, as sent) comes from
 * libmicrohttpd's URI log callback, so it reaches the backend unchanged.
 * Hop-by-hop headers are dropped both ways; X-Forwarded-For, -Host and
 * -Proto and X-Real-IP are added, as ingress-nginx does.  Errors are
 * plain-text pages: 404 (no rule), 503 (no endpoint), 502 (the endpoint
 * failed before its response began; later, the response is cut short).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "cluster/net/dns.h"
#include "cluster/net/ingress.h"
#include "cluster/net/ingress_int.h"
#include "common/mem.h"

#define BLOCK (64u << 10)	/* response bytes per read */

struct ingress_proxy {
	struct MHD_Daemon *mhd;
	pthread_mutex_t mu;
	struct ingress_routes *routes;
	bool tls;		/* an HTTPS listener */
	bool stop;		/* stopping: upgraded connections end */
};

struct preq {
	char *uri;		/* raw request target */
	struct ingress_fwd *fwd;	/* NULL: no route (status, msg) */
	struct ingress_upgrade *upg;	/* an upgraded connection's relay */
	char ip[16];		/* the route's endpoint */
	int port;
	bool headers_seen;	/* the first call: headers only */
	int status;
	char msg[300];
};

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct preq *r = xcalloc(1, sizeof(*r));

	(void)cls;
	(void)c;
	r->uri = xstrdup(uri ? uri : "/");
	return r;
}

enum MHD_Result ingress_page(struct MHD_Connection *c, unsigned status,
			     const char *fmt, const char *detail)
{
	char *text = xasprintf(fmt, detail);
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    strlen(text), text, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	MHD_add_response_header(resp, "Content-Type",
				"text/plain; charset=utf-8");
	rc = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	struct curl_slist **l = cls;
	char *line;

	(void)kind;
	if (ingress_hop_by_hop(key, strlen(key)))
		return MHD_YES;
	line = xasprintf("%s: %s", key, value ? value : "");
	*l = curl_slist_append(*l, line);
	free(line);
	return MHD_YES;
}

static void client_ip(struct MHD_Connection *c, char out[64])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr_in *a =
	    ci ? (const struct sockaddr_in *)ci->client_addr : NULL;

	snprintf(out, 64, "unknown");
	if (a && a->sin_family == AF_INET)
		inet_ntop(AF_INET, &a->sin_addr, out, 64);
}

/* Request headers for the backend. */
static struct curl_slist *backend_headers(struct MHD_Connection *c,
					  const char *host, bool tls)
{
	struct curl_slist *h = NULL;
	char ip[64], *line;

	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &h);
	client_ip(c, ip);
	line = xasprintf("Host: %s", host);
	h = curl_slist_append(h, line);
	free(line);
	line = xasprintf("X-Forwarded-For: %s", ip);
	h = curl_slist_append(h, line);
	free(line);
	line = xasprintf("X-Real-IP: %s", ip);
	h = curl_slist_append(h, line);
	free(line);
	line = xasprintf("X-Forwarded-Host: %s", host);
	h = curl_slist_append(h, line);
	free(line);
	h = curl_slist_append(h, tls ? "X-Forwarded-Proto: https"
				     : "X-Forwarded-Proto: http");
	return curl_slist_append(h, "Expect:");
}

static ssize_t body_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	ssize_t n = ingress_fwd_read(cls, buf, max);

	(void)pos;
	if (n > 0)
		return n;
	return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
		      : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* Route the request and start its forward (the first call). */
static void begin(struct ingress_proxy *p, struct MHD_Connection *c,
		  struct preq *r, const char *method, bool upgrade)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Host");
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Content-Length");
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Transfer-Encoding");
	struct ingress_routes *routes;
	struct ingress_fwd_req fr = { .method = method, .body_len = -1 };
	char *path = xstrndup(r->uri, strcspn(r->uri, "?#")), *url;

	pthread_mutex_lock(&p->mu);
	routes = ingress_routes_ref(p->routes);
	pthread_mutex_unlock(&p->mu);
	if (ingress_route(routes, host ? host : "", path, r->ip, &r->port,
			  &r->status, r->msg, sizeof(r->msg)) == 0 &&
	    !upgrade) {
		url = xasprintf("http://%s:%d%s", r->ip, r->port, r->uri);
		fr.url = url;
		fr.hdrs = backend_headers(c, host ? host : "", p->tls);
		fr.body = (cl && strtoll(cl, NULL, 10) > 0) ||
			  (te && strcasecmp(te, "identity"));
		if (cl && !te)
			fr.body_len = strtoll(cl, NULL, 10);
		r->fwd = ingress_fwd_start(&fr);
		free(url);
	}
	ingress_routes_unref(routes);
	free(path);
}

/* The request is in: answer with the backend's response, streamed. */
static enum MHD_Result respond(struct MHD_Connection *c, struct preq *r)
{
	const struct curl_slist *hdrs = NULL;
	struct MHD_Response *resp;
	enum MHD_Result rc;
	curl_off_t len = -1;
	long status = 502;
	char why[300];

	ingress_fwd_body_end(r->fwd);
	if (ingress_fwd_wait(r->fwd, &status, &hdrs, &len, why,
			     sizeof(why)) < 0)
		return ingress_page(c, MHD_HTTP_BAD_GATEWAY, "502 Bad Gateway: %s\n",
			    why);
	resp = MHD_create_response_from_callback(
	    len >= 0 ? (uint64_t)len : MHD_SIZE_UNKNOWN, BLOCK, body_reader,
	    r->fwd, NULL);
	for (const struct curl_slist *l = hdrs; l; l = l->next) {
		const char *colon = strchr(l->data, ':'), *v;
		char *name;

		if (!colon)
			continue;
		name = xstrndup(l->data, (size_t)(colon - l->data));
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		MHD_add_response_header(resp, name, v);
		free(name);
	}
	rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result upgrade(struct ingress_proxy *p,
			       struct MHD_Connection *c, struct preq *r,
			       const char *method)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Host");
	struct curl_slist *h = backend_headers(c, host ? host : "", p->tls);
	enum MHD_Result rc = ingress_upgrade(c, &p->stop, method, r->uri,
					     r->ip, r->port, h, &r->upg);

	curl_slist_free_all(h);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **ctx)
{
	struct ingress_proxy *p = cls;
	struct preq *r = *ctx;
	const char *up;

	(void)url;
	(void)version;
	up = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Upgrade");
	if (!r->headers_seen) {
		r->headers_seen = true;
		begin(p, c, r, method, up != NULL);
		return MHD_YES;
	}
	if (*upload_size) {	/* streamed on; once it fails, dropped */
		if (r->fwd)
			ingress_fwd_body(r->fwd, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (up && r->port)
		return upgrade(p, c, r, method);
	if (!r->fwd)
		return ingress_page(c, (unsigned)r->status,
			    r->status == 404 ? "404 Not Found: %s\n"
					     : "503 Service Unavailable: %s\n",
			    r->msg);
	return respond(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode code)
{
	struct preq *r = *ctx;

	(void)cls;
	(void)c;
	(void)code;
	if (!r)
		return;
	ingress_fwd_free(r->fwd);
	ingress_upgrade_free(r->upg);
	free(r->uri);
	free(r);
	*ctx = NULL;
}

static int start(const char *addr, bool tls, struct ingress_proxy **out,
		 struct err *e)
{
	struct ingress_proxy *p;
	struct sockaddr_in sa;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_INTERNAL_POLLING_THREAD | MHD_ALLOW_UPGRADE;

	if (dns_parse_addr(addr, 0, &sa) < 0)
		return err_set(e, ERR_INVALID, "ingress: bad address %s", addr);
	if (tls && ingress_tls_open(e) < 0)
		return -1;
	p = xcalloc(1, sizeof(*p));
	p->tls = tls;
	pthread_mutex_init(&p->mu, NULL);
	p->mhd = MHD_start_daemon(
	    flags | (tls ? MHD_USE_TLS : 0), 0, NULL, NULL, on_request, p,
	    MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_URI_LOG_CALLBACK, uri_log, p,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, p,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END,
	    ingress_tls_callback(), MHD_OPTION_END);
	if (!p->mhd) {
		if (tls)
			ingress_tls_close();
		pthread_mutex_destroy(&p->mu);
		free(p);
		return err_set(e, ERR_IO, "ingress: cannot listen on %s", addr);
	}
	*out = p;
	return 0;
}

int ingress_proxy_start(const char *addr, struct ingress_proxy **out,
			struct err *e)
{
	return start(addr, false, out, e);
}

int ingress_proxy_start_tls(const char *addr, struct ingress_proxy **out,
			    struct err *e)
{
	return start(addr, true, out, e);
}

void ingress_proxy_set_certs(struct ingress_proxy *p, struct ingress_certs *c)
{
	if (p && p->tls)
		ingress_tls_set(c);
	else
		ingress_certs_free(c);
}

void ingress_proxy_set_routes(struct ingress_proxy *p,
			      struct ingress_routes *r)
{
	struct ingress_routes *old;

	pthread_mutex_lock(&p->mu);
	old = p->routes;
	p->routes = ingress_routes_ref(r);
	pthread_mutex_unlock(&p->mu);
	ingress_routes_unref(old);
}

void ingress_proxy_stop(struct ingress_proxy *p)
{
	if (!p)
		return;
	__atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
	MHD_stop_daemon(p->mhd);
	if (p->tls)
		ingress_tls_close();
	ingress_routes_unref(p->routes);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
