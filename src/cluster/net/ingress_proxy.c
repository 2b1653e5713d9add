/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_proxy: the Ingress controller's HTTP side.  libmicrohttpd
 * parses requests (a thread per connection), libcurl makes the request
 * to the chosen endpoint.  The request body and the response are
 * buffered (up to BODY_MAX and RESP_MAX): enough for web pages and APIs,
 * not for streaming responses or WebSocket upgrades, which get 501.
 * The raw request target (path and query, as sent) comes from
 * libmicrohttpd's URI log callback, so it reaches the backend unchanged.
 * Hop-by-hop headers are dropped both ways; X-Forwarded-For, -Host and
 * -Proto and X-Real-IP are added, as ingress-nginx does.  Errors are
 * plain-text pages: 404 (no rule), 503 (no endpoint), 502 (the endpoint
 * failed), 413 (body too large).
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
#include "common/buf.h"
#include "common/mem.h"

#define BODY_MAX (16u << 20)
#define RESP_MAX (64u << 20)

struct ingress_proxy {
	struct MHD_Daemon *mhd;
	pthread_mutex_t mu;
	struct ingress_routes *routes;
};

struct preq {
	char *uri;		/* raw request target */
	struct buf body;
	bool headers_seen;	/* the first call: headers only */
	bool too_big;
};

struct presp {
	struct buf body;
	struct curl_slist *hdrs;	/* "Name: value" to pass back */
	bool too_big;
};

static const char *const hop[] = {
    "connection", "keep-alive", "proxy-connection", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding",
    "upgrade", "content-length", "expect", "host", NULL};

static bool hop_by_hop(const char *name, size_t len)
{
	for (size_t i = 0; hop[i]; i++)
		if (strlen(hop[i]) == len && !strncasecmp(hop[i], name, len))
			return true;
	return false;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct preq *r = xcalloc(1, sizeof(*r));

	(void)cls;
	(void)c;
	r->uri = xstrdup(uri ? uri : "/");
	return r;
}

static enum MHD_Result page(struct MHD_Connection *c, unsigned status,
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
	if (hop_by_hop(key, strlen(key)))
		return MHD_YES;
	line = xasprintf("%s: %s", key, value ? value : "");
	*l = curl_slist_append(*l, line);
	free(line);
	return MHD_YES;
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct presp *r = arg;

	if (r->body.len + sz * n > RESP_MAX) {
		r->too_big = true;
		return 0;
	}
	buf_add(&r->body, p, sz * n);
	return sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct presp *r = arg;
	size_t len = sz * n, name;
	char *line;

	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {	/* a new response */
		curl_slist_free_all(r->hdrs);
		r->hdrs = NULL;
		return len;
	}
	name = strcspn(p, ":");
	if (name == len || hop_by_hop(p, name))
		return len;
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	line = xasprintf("%.*s", (int)len, p);
	r->hdrs = curl_slist_append(r->hdrs, line);
	free(line);
	return sz * n;
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
					  const char *host)
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
	h = curl_slist_append(h, "X-Forwarded-Proto: http");
	return curl_slist_append(h, "Expect:");
}

static enum MHD_Result forward(struct MHD_Connection *c, struct preq *r,
			       const char *method, const char *host,
			       const char *ip, int port)
{
	CURL *h = curl_easy_init();
	struct presp pr = { .body = BUF_INIT };
	struct curl_slist *hdrs = backend_headers(c, host);
	char *url = xasprintf("http://%s:%d%s", ip, port, r->uri);
	struct MHD_Response *resp;
	enum MHD_Result rc;
	CURLcode cc;
	long status = 502;

	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &pr);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &pr);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (r->body.len || !strcmp(method, "POST") || !strcmp(method, "PUT") ||
	    !strcmp(method, "PATCH")) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS,
				 r->body.data ? r->body.data : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)r->body.len);
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK || status < 100) {
		char why[256];

		snprintf(why, sizeof(why), "%s:%d: %s", ip, port,
			 pr.too_big ? "response too large"
				    : curl_easy_strerror(cc));
		rc = page(c, MHD_HTTP_BAD_GATEWAY, "502 Bad Gateway: %s\n", why);
	} else {
		size_t len = pr.body.len;	/* before buf_take empties it */

		resp = MHD_create_response_from_buffer(
		    len, buf_take(&pr.body), MHD_RESPMEM_MUST_FREE);
		for (struct curl_slist *l = pr.hdrs; l; l = l->next) {
			char *colon = strchr(l->data, ':'), *v;

			if (!colon)
				continue;
			*colon = '\0';
			for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
				;
			MHD_add_response_header(resp, l->data, v);
		}
		rc = MHD_queue_response(c, (unsigned)status, resp);
		MHD_destroy_response(resp);
	}
	curl_slist_free_all(pr.hdrs);
	curl_slist_free_all(hdrs);
	buf_free(&pr.body);
	curl_easy_cleanup(h);
	free(url);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **ctx)
{
	struct ingress_proxy *p = cls;
	struct preq *r = *ctx;
	struct ingress_routes *routes;
	const char *host, *up;
	char ip[16], msg[300], *path;
	int port = 0, status = 404;
	enum MHD_Result rc;

	(void)url;
	(void)version;
	if (!r->headers_seen) {
		r->headers_seen = true;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->body.len + *upload_size > BODY_MAX)
			r->too_big = true;
		else
			buf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return page(c, MHD_HTTP_CONTENT_TOO_LARGE,
			    "413 Request Entity Too Large%s\n", "");
	up = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Upgrade");
	if (up)
		return page(c, MHD_HTTP_NOT_IMPLEMENTED,
			    "501 Not Implemented: the kdeck ingress does not "
			    "relay %s upgrades\n", up);
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	path = xstrndup(r->uri, strcspn(r->uri, "?#"));
	pthread_mutex_lock(&p->mu);
	routes = ingress_routes_ref(p->routes);
	pthread_mutex_unlock(&p->mu);
	if (ingress_route(routes, host ? host : "", path, ip, &port, &status,
			  msg, sizeof(msg)) < 0)
		rc = page(c, (unsigned)status,
			  status == 404 ? "404 Not Found: %s\n"
					: "503 Service Unavailable: %s\n",
			  msg);
	else
		rc = forward(c, r, method, host ? host : "", ip, port);
	ingress_routes_unref(routes);
	free(path);
	return rc;
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
	free(r->uri);
	buf_free(&r->body);
	free(r);
	*ctx = NULL;
}

int ingress_proxy_start(const char *addr, struct ingress_proxy **out,
			struct err *e)
{
	struct ingress_proxy *p;
	struct sockaddr_in sa;

	if (dns_parse_addr(addr, 0, &sa) < 0)
		return err_set(e, ERR_INVALID, "ingress: bad address %s", addr);
	p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	p->mhd = MHD_start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
	    0, NULL, NULL, on_request, p, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, p,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, p,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	if (!p->mhd) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		return err_set(e, ERR_IO, "ingress: cannot listen on %s", addr);
	}
	*out = p;
	return 0;
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
	MHD_stop_daemon(p->mhd);
	ingress_routes_unref(p->routes);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
