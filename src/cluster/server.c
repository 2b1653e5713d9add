/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server: HTTPS with libmicrohttpd + GnuTLS (see server.h).
 *
 * Threading: one thread per connection (MHD_USE_THREAD_PER_CONNECTION with
 * poll()).  The API contract (http.h) lets a stream's read block for a
 * few seconds and lets handlers do their own blocking work (durable store
 * writes), which a polling loop with suspend/resume could only serve by
 * adding a worker pool and a wake-up path per stream; a thread per
 * connection keeps that code straight.  Idle watches then cost one thread
 * each: stacks are small (STACK_SIZE, virtual; only touched pages count)
 * so thousands of watches stay within tens of megabytes.
 *
 * TLS: terminated by server_tls.c, which hands MHD plain sockets (MHD
 * 0.9.75's own TLS relays upgraded connections a few bytes at a time).
 * The client is asked for a certificate without requiring one; the leaf
 * it presented (server_tls_peer_cert, by the connection's socket) is
 * verified against the CA by authn (a wrong-CA certificate gets 401, like
 * kube-apiserver).  ALPN offers only http/1.1, so kubectl and helm (which
 * offer h2 too) speak 1.1.
 *
 * Request life: the first access-handler call authenticates and rejects
 * early (401, 413 by Content-Length, 415 for Content-Encoding); body
 * chunks are collected up to API_BODY_MAX; the last call dispatches.
 * Gzip of responses is not done.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "cluster/server.h"
#include "cluster/server_tls.h"
#include "common/mem.h"
#include "common/ws.h"

#if defined(__SANITIZE_ADDRESS__)
#define STACK_SIZE (2u * 1024 * 1024)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STACK_SIZE (2u * 1024 * 1024)
#endif
#endif
#ifndef STACK_SIZE
#define STACK_SIZE (512u * 1024)
#endif

#define MAX_CONNECTIONS 8192
#define STREAM_BLOCK	(32 * 1024)

struct server {
	struct server_config cfg;
	struct MHD_Daemon *mhd;
	struct server_tls *tls;
	struct server_obs *obs;
	atomic_bool ready, stopping;
	/* Upgraded connections (server_upgrade below); up_mu guards them. */
	pthread_mutex_t up_mu;
	pthread_cond_t up_cv;
	struct upgrade_sess *ups;
};

/* One upgraded connection: its protocol runs on a thread of its own. */
struct upgrade_sess {
	struct server *s;
	struct api_upgrade *up;
	struct MHD_UpgradeResponseHandle *urh;
	int fd;
	char *pre;
	size_t prelen;
	struct upgrade_sess *next;
};

/* Per-request state, from the first access-handler call to completion. */
struct req {
	struct timespec start;
	struct user_info *user; /* authenticated (after impersonation) */
	struct buf body;
	bool too_large;
	bool counted; /* figures recorded */
	/* A 101 queued whose upgrade callback has not run yet: freed at
	 * completion when the client went away before the 101 went out. */
	struct upgrade_sess *pending_up;
};

struct stream_ctx {
	struct server *s;
	struct api_stream *st;
	int fd;
};

static const char *const public_paths[] = {
    "/healthz", "/livez", "/readyz", "/version", NULL,
};

static const char *const known_methods[] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", NULL,
};

const char *api_query(const struct api_req *r, const char *key)
{
	for (size_t i = 0; i < r->nquery; i++)
		if (!strcmp(r->query[i].key, key))
			return r->query[i].value;
	return NULL;
}

bool api_list_has(const char *list, const char *token)
{
	size_t tl = strlen(token);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = end ? (size_t)(end - p) : strlen(p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == tl && !strncmp(p, token, tl))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

void api_resp_header(struct api_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= API_MAX_HEADERS)
		return;
	snprintf(resp->headers[resp->nheaders].name,
		 sizeof(resp->headers[0].name), "%s", name);
	snprintf(resp->headers[resp->nheaders].value,
		 sizeof(resp->headers[0].value), "%s", value);
	resp->nheaders++;
}

void server_status_json(struct buf *b, int code, const char *reason,
			const char *message)
{
	buf_adds(b,
		 "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
		 "\"status\":\"Failure\",\"message\":");
	buf_add_json_str(b, message);
	buf_adds(b, ",\"reason\":");
	buf_add_json_str(b, reason);
	buf_printf(b, ",\"code\":%d}", code);
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static const char *method_label(const char *m)
{
	for (size_t i = 0; known_methods[i]; i++)
		if (!strcmp(known_methods[i], m))
			return m;
	return "other";
}

static void record(struct server *s, struct req *r, const char *method,
		   int code)
{
	if (r->counted)
		return;
	r->counted = true;
	server_obs_end(s->obs, method_label(method), code, since(&r->start));
}

/* Queue a complete response with body b (taken). */
static enum MHD_Result send_body(struct MHD_Connection *c, int code,
				 const char *ctype, struct buf *b)
{
	size_t len = b->len;
	char *data = buf_take(b);
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-cache, private");
	ret = MHD_queue_response(c, (unsigned)code, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_status(struct server *s, struct MHD_Connection *c,
				   struct req *r, const char *method,
				   enum err_code code, const char *msg)
{
	struct buf b = BUF_INIT;
	int http = err_http_status(code);

	server_status_json(&b, http, err_reason(code), msg);
	record(s, r, method, http);
	return send_body(c, http, "application/json", &b);
}

/*
 * The leaf certificate the client presented (DER, malloc'd into *der), if
 * any: 1 when there is one.
 */
static int peer_cert(struct server *s, struct MHD_Connection *c, void **der,
		     size_t *len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

	if (!ci || !s->tls)
		return 0;
	return server_tls_peer_cert(s->tls, ci->connect_fd, der, len);
}

static bool is_public(const char *url)
{
	for (size_t i = 0; public_paths[i]; i++) {
		size_t n = strlen(public_paths[i]);

		if (!strncmp(url, public_paths[i], n) &&
		    (url[n] == '\0' || url[n] == '/'))
			return true;
	}
	return false;
}

/* Collect repeated Impersonate-Group headers. */
struct imp_groups {
	const char *v[33];
	size_t n;
	char *extra[65];	/* key, value pairs, NULL-terminated */
	size_t nextra;
};

/* An Impersonate-Extra-<key> header's key: lower case, %XX unescaped. */
static char *extra_key(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		unsigned int v;

		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1 && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			*o++ = (char)v;
			s += 2;
		} else {
			*o++ = (char)tolower((unsigned char)*s);
		}
	}
	*o = 0;
	return out;
}

static enum MHD_Result collect_group(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct imp_groups *g = cls;

	if (!strcasecmp(key, "Impersonate-Group") && value && g->n < 32)
		g->v[g->n++] = value;
	if (!strncasecmp(key, "Impersonate-Extra-", 18) && key[18] && value &&
	    g->nextra + 2 < sizeof(g->extra) / sizeof(g->extra[0])) {
		g->extra[g->nextra++] = extra_key(key + 18);
		g->extra[g->nextra++] = xstrdup(value);
	}
	return MHD_YES;
}

/* Authenticate and impersonate; fills r->user.  -1 with e on failure. */
static int identify(struct server *s, struct MHD_Connection *c, const char *url,
		    struct req *r, struct err *e)
{
	static const char *const unauth[] = {"system:unauthenticated", NULL};
	void *cert = NULL;
	size_t cert_len = 0;
	bool has_cert;
	const char *authz_hdr = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *imp_user =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Impersonate-User");
	const char *imp_uid =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Impersonate-Uid");
	struct imp_groups g = {{NULL}, 0, {NULL}, 0};
	struct user_info *u = NULL, *imp = NULL;
	int rc = 0;

	has_cert = peer_cert(s, c, &cert, &cert_len) == 1;
	rc = authn_request(s->cfg.authn, cert, cert_len, authz_hdr, &u, e);
	free(cert);
	if (rc < 0) {
		if (!is_public(url) || (authz_hdr && *authz_hdr) || has_cert)
			return -1;
		r->user = authn_user_new("system:anonymous", "", unauth);
		return 0;
	}
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_group, &g);
	if ((imp_user || g.n || imp_uid || g.nextra) && !s->cfg.authz) {
		authn_user_free(u);
		rc = err_set(e, ERR_FORBIDDEN, "impersonation is not available");
		goto out;
	}
	if (imp_user || g.n || imp_uid || g.nextra) {
		rc = authn_impersonate(s->cfg.authz, u, imp_user, g.v, imp_uid,
				       (const char *const *)g.extra, &imp, e);
		authn_user_free(u);
		if (rc < 0)
			goto out;
		u = imp;
	}
	r->user = u;
out:
	for (size_t i = 0; i < g.nextra; i++)
		free(g.extra[i]);
	return rc;
}

/* First call: authenticate, reject what can be rejected before the body. */
static enum MHD_Result first_call(struct server *s, struct MHD_Connection *c,
				  const char *url, const char *method,
				  struct req *r)
{
	const char *ce = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_ENCODING);
	const char *cl = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	struct err e;

	err_clear(&e);
	if (identify(s, c, url, r, &e) < 0)
		return send_status(s, c, r, method, e.code,
				   e.code == ERR_UNAUTHORIZED ? "Unauthorized"
							      : e.msg);
	if (ce && *ce && strcasecmp(ce, "identity"))
		return send_status(s, c, r, method, ERR_MEDIA_TYPE,
				   "unsupported Content-Encoding");
	if (cl && strtoull(cl, NULL, 10) > API_BODY_MAX)
		return send_status(s, c, r, method, ERR_TOO_LARGE,
				   "the request body is too large");
	return MHD_YES;
}

struct query_fill {
	struct api_query_param *q;
	size_t n, cap;
};

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct query_fill *f = cls;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->q = xrealloc(f->q, f->cap * sizeof(*f->q));
	}
	f->q[f->n].key = (char *)key;
	f->q[f->n].value = (char *)(value ? value : "");
	f->n++;
	return MHD_YES;
}

/* The client's IP (MHD sees the socketpair; server_tls knows the peer). */
static void remote_addr(struct server *s, struct MHD_Connection *c, char *out,
			size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct sockaddr_storage ss;

	snprintf(out, n, "unknown");
	if (!ci || !s->tls || !server_tls_peer_addr(s->tls, ci->connect_fd, &ss))
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&ss)->sin_addr,
			  out, (socklen_t)n);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)&ss)->sin6_addr, out,
			  (socklen_t)n);
}

/* Has the peer hung up?  (POLLRDHUP: also after a TLS close_notify + FIN.) */
static bool peer_gone(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLRDHUP};

	return fd >= 0 && poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream_ctx *sc = cls;

	for (;;) {
		ssize_t n;

		if (atomic_load(&sc->s->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		n = sc->st->read(sc->st->ctx, buf, max);
		if (n > 0)
			return n;
		if (n == 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (n != -2 || peer_gone(sc->fd))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

static void stream_free(void *cls)
{
	struct stream_ctx *sc = cls;

	sc->st->close(sc->st->ctx);
	free(sc->st);
	server_obs_stream(sc->s->obs, -1);
	free(sc);
}

static void add_headers(struct MHD_Response *m, const struct api_resp *resp)
{
	if (resp->content_type)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
					resp->content_type);
	MHD_add_response_header(m, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-cache, private");
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(m, resp->headers[i].name,
					resp->headers[i].value);
}

/* Send what api_handle produced (body or stream). */
static enum MHD_Result send_api(struct server *s, struct MHD_Connection *c,
				struct api_resp *resp, bool gzip_ok)
{
	bool gzipped = false;
	struct MHD_Response *m;
	enum MHD_Result ret;
	int code = resp->status ? resp->status : 500;

	if (resp->stream) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct stream_ctx *sc = xcalloc(1, sizeof(*sc));

		sc->s = s;
		sc->st = resp->stream;
		sc->fd = ci ? ci->connect_fd : -1;
		server_obs_stream(s->obs, 1);
		m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
						      STREAM_BLOCK, stream_read,
						      sc, stream_free);
		if (!m) {
			stream_free(sc);
			return MHD_NO;
		}
	} else {
		size_t len = resp->body.len, zlen;
		char *z;

		if (gzip_ok && len >= SERVER_GZIP_MIN &&
		    server_gzip(resp->body.data, len, &z, &zlen) == 0) {
			buf_free(&resp->body);
			m = MHD_create_response_from_buffer(zlen, z,
							    MHD_RESPMEM_MUST_FREE);
			gzipped = true;
		} else {
			m = MHD_create_response_from_buffer(
			    len, buf_take(&resp->body), MHD_RESPMEM_MUST_FREE);
		}
		if (!m)
			return MHD_NO;
	}
	add_headers(m, resp);
	if (gzipped)
		MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_ENCODING,
					"gzip");
	ret = MHD_queue_response(c, (unsigned)code, m);
	MHD_destroy_response(m);
	return ret;
}

/* --- upgraded connections (pods/exec, attach, portforward) --- */

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (!strcasecmp(key, "X-Stream-Protocol-Version") && value) {
		if (b->len)
			buf_adds(b, ", ");
		buf_adds(b, value);
	}
	return MHD_YES;
}

/* A token in a comma-separated header value (case-insensitive). */
static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!strncasecmp(p, tok, n) &&
		    (p[n] == 0 || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

/*
 * The upgrade request headers.  req->upgrade is set only for a real
 * upgrade request (Connection: Upgrade too), so a stray Upgrade header on
 * a plain request changes nothing.  sp collects X-Stream-Protocol-Version.
 */
static void upgrade_headers(struct MHD_Connection *c, struct api_req *req,
			    struct buf *sp)
{
	const char *conn = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONNECTION);
	const char *up = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_UPGRADE);

	if (!up || !conn || !has_token(conn, "upgrade"))
		return;
	req->upgrade = up;
	req->ws_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						  "Sec-WebSocket-Key");
	req->ws_version = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, "Sec-WebSocket-Version");
	req->ws_protocol = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, "Sec-WebSocket-Protocol");
	MHD_get_connection_values(c, MHD_HEADER_KIND, join_header, sp);
	if (sp->len)
		req->stream_protocol = buf_cstr(sp);
}

static void upgrade_sess_free(struct upgrade_sess *u)
{
	if (u->up->free)
		u->up->free(u->up->ctx);
	free(u->up);
	free(u->pre);
	free(u);
}

static void *upgrade_main(void *arg)
{
	struct upgrade_sess *u = arg, **pp;
	struct server *s = u->s;

	/* The socket is the plain one server_tls relays: the client's
	 * hang-up reaches the protocol as EOF. */
	u->up->run(u->up->ctx, u->fd, u->pre, u->prelen);
	pthread_mutex_lock(&s->up_mu);
	for (pp = &s->ups; *pp; pp = &(*pp)->next)
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	MHD_upgrade_action(u->urh, MHD_UPGRADE_ACTION_CLOSE);
	pthread_cond_broadcast(&s->up_cv);
	pthread_mutex_unlock(&s->up_mu);
	upgrade_sess_free(u);
	return NULL;
}

/*
 * MHD's upgrade callback, on the connection thread.  The protocol starts
 * on a detached thread of its own so that the callback returns at once.
 */
static void on_upgrade(void *cls, struct MHD_Connection *c, void *con_cls,
		       const char *extra_in, size_t extra_in_size,
		       MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	struct upgrade_sess *u = cls;
	struct server *s = u->s;
	struct req *r = con_cls;
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	(void)c;
	if (r && r->pending_up == u)
		r->pending_up = NULL;	/* the session owns u from now */
	u->urh = urh;
	u->fd = sock;
	if (extra_in_size) {
		u->pre = xmalloc(extra_in_size);
		memcpy(u->pre, extra_in, extra_in_size);
		u->prelen = extra_in_size;
	}
	pthread_mutex_lock(&s->up_mu);
	u->next = s->ups;
	s->ups = u;
	if (atomic_load(&s->stopping))
		shutdown(sock, SHUT_RDWR);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	rc = pthread_create(&t, &attr, upgrade_main, u);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		s->ups = u->next;
		MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
		pthread_mutex_unlock(&s->up_mu);
		upgrade_sess_free(u);
		return;
	}
	pthread_mutex_unlock(&s->up_mu);
}

/*
 * Answer 101 for an api_upgrade (websocket or SPDY/3.1).  Until MHD calls
 * on_upgrade, r->pending_up owns the session: a client gone before the
 * 101 went out leaves it to on_completed.
 */
static enum MHD_Result send_upgrade(struct server *s, struct MHD_Connection *c,
				    const struct api_req *req,
				    struct api_resp *resp, struct req *r)
{
	struct upgrade_sess *u = xcalloc(1, sizeof(*u));
	struct api_upgrade *up = resp->upgrade;
	struct MHD_Response *m;
	enum MHD_Result ret;
	char acc[29];

	resp->upgrade = NULL;
	u->s = s;
	u->up = up;
	u->fd = -1;
	if (!up->spdy && ws_accept_key(req->ws_key, acc) < 0) {
		struct buf b = BUF_INIT;

		upgrade_sess_free(u);
		server_status_json(&b, 400, "BadRequest",
				   "missing Sec-WebSocket-Key");
		return send_body(c, 400, "application/json", &b);
	}
	m = MHD_create_response_for_upgrade(on_upgrade, u);
	if (!m) {
		upgrade_sess_free(u);
		return MHD_NO;
	}
	if (up->spdy) {
		MHD_add_response_header(m, MHD_HTTP_HEADER_UPGRADE, "SPDY/3.1");
		if (up->protocol[0])
			MHD_add_response_header(m, "X-Stream-Protocol-Version",
						up->protocol);
	} else {
		MHD_add_response_header(m, MHD_HTTP_HEADER_UPGRADE, "websocket");
		MHD_add_response_header(m, "Sec-WebSocket-Accept", acc);
		if (up->protocol[0])
			MHD_add_response_header(m, "Sec-WebSocket-Protocol",
						up->protocol);
	}
	ret = MHD_queue_response(c, MHD_HTTP_SWITCHING_PROTOCOLS, m);
	MHD_destroy_response(m);
	if (ret != MHD_YES)
		upgrade_sess_free(u);
	else
		r->pending_up = u;
	return ret;
}

/* server_stop: end every upgraded connection and wait for its thread. */
static void upgrades_end(struct server *s)
{
	struct timespec dl;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 10;
	pthread_mutex_lock(&s->up_mu);
	for (struct upgrade_sess *u = s->ups; u; u = u->next)
		shutdown(u->fd, SHUT_RDWR);
	while (s->ups &&
	       pthread_cond_timedwait(&s->up_cv, &s->up_mu, &dl) == 0)
		;
	pthread_mutex_unlock(&s->up_mu);
}

static enum MHD_Result serve_api(struct server *s, struct MHD_Connection *c,
				 const char *url, const char *method,
				 struct req *r)
{
	struct query_fill q = {NULL, 0, 0};
	struct api_resp resp;
	struct api_req req;
	char addr[INET6_ADDRSTRLEN + 1];
	struct buf sp = BUF_INIT;
	enum MHD_Result ret;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &q);
	remote_addr(s, c, addr, sizeof(addr));
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	req.query = q.q;
	req.nquery = q.n;
	req.content_type = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	req.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_ACCEPT);
	req.user_agent = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	req.if_none_match = MHD_lookup_connection_value(
	    c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	upgrade_headers(c, &req, &sp);
	req.body = r->body.data ? r->body.data : "";
	req.body_len = r->body.len;
	req.user = r->user;
	req.remote_addr = addr;
	memset(&resp, 0, sizeof(resp));
	buf_init(&resp.body);
	api_handle(s->cfg.api, &req, &resp);
	free(q.q);
	record(s, r, method, resp.status ? resp.status : 500);
	if (resp.upgrade)
		ret = send_upgrade(s, c, &req, &resp, r);
	else
		ret = send_api(s, c, &resp,
		       server_accepts_gzip(MHD_lookup_connection_value(
			   c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING)));
	buf_free(&resp.body);
	buf_free(&sp);
	return ret;
}

/* Health endpoints: /healthz /livez /readyz and their ?verbose form. */
static enum MHD_Result serve_health(struct server *s, struct MHD_Connection *c,
				    const char *url, const char *method,
				    struct req *r)
{
	bool readyz = !strncmp(url, "/readyz", 7);
	bool ok =
	    !readyz || (atomic_load(&s->ready) && !atomic_load(&s->stopping));
	const char *v = NULL;
	size_t vlen = 0;
	bool verbose =
	    MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "verbose",
					  7, &v, &vlen) == MHD_YES;
	struct buf b = BUF_INIT;
	int code = ok ? 200 : 503;

	if (!verbose) {
		buf_adds(&b, ok ? "ok" : "[-]readyz failed: not ready\n");
	} else {
		buf_adds(&b, "[+]ping ok\n[+]log ok\n[+]tls ok\n");
		if (readyz)
			buf_printf(
			    &b, "[%c]api-bootstrap %s\n[%c]shutdown %s\n",
			    atomic_load(&s->ready) ? '+' : '-',
			    atomic_load(&s->ready) ? "ok"
						   : "failed: not finished",
			    atomic_load(&s->stopping) ? '-' : '+',
			    atomic_load(&s->stopping) ? "failed: shutting down"
						      : "ok");
		buf_printf(&b, "%s check %s\n", url + 1,
			   ok ? "passed" : "failed");
	}
	record(s, r, method, code);
	return send_body(c, code, "text/plain; charset=utf-8", &b);
}

static enum MHD_Result serve_metrics(struct server *s, struct MHD_Connection *c,
				     const char *method, struct req *r)
{
	struct authz_attrs at = {
	    .verb = "get",
	    .resource_request = false,
	    .group = "",
	    .version = "",
	    .resource = "",
	    .subresource = "",
	    .namespace = "",
	    .name = "",
	    .path = "/metrics",
	};
	struct buf b = BUF_INIT;

	if (s->cfg.authz &&
	    !authz_allowed(s->cfg.authz, r->user, &at, NULL, 0)) {
		char *msg = xasprintf(
		    "forbidden: User \"%s\" cannot get path \"/metrics\"",
		    r->user->name);
		enum MHD_Result ret =
		    send_status(s, c, r, method, ERR_FORBIDDEN, msg);

		free(msg);
		return ret;
	}
	record(s, r, method, 200);
	server_obs_render(s->obs, &b);
	if (s->cfg.api)
		api_metrics(s->cfg.api, &b);
	if (s->cfg.metrics_fn)
		s->cfg.metrics_fn(s->cfg.metrics_arg, &b);
	return send_body(c, 200, "text/plain; version=0.0.4; charset=utf-8",
			 &b);
}

static bool health_path(const char *url)
{
	static const char *const p[] = {"/healthz", "/livez", "/readyz", NULL};

	for (size_t i = 0; p[i]; i++)
		if (!strcmp(url, p[i]))
			return true;
	return false;
}

static enum MHD_Result dispatch(struct server *s, struct MHD_Connection *c,
				const char *url, const char *method,
				struct req *r)
{
	if (r->too_large)
		return send_status(s, c, r, method, ERR_TOO_LARGE,
				   "the request body is too large");
	if (health_path(url) &&
	    (!strcmp(method, "GET") || !strcmp(method, "HEAD")))
		return serve_health(s, c, url, method, r);
	if (!strcmp(url, "/metrics") && !strcmp(method, "GET"))
		return serve_metrics(s, c, method, r);
	return serve_api(s, c, url, method, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct req *r = *con_cls;

	if (!r) {
		r = xcalloc(1, sizeof(*r));
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		buf_init(&r->body);
		*con_cls = r;
		server_obs_begin(s->obs);
		return first_call(s, c, url, method, r);
	}
	if (*upload_size) {
		if (!r->too_large &&
		    r->body.len + *upload_size > API_BODY_MAX) {
			r->too_large = true;
			buf_free(&r->body);
		}
		if (!r->too_large)
			buf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(s, c, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct req *r = *con_cls;

	if (!r)
		return;
	if (!r->counted)
		server_obs_end(s->obs, "other", 0, since(&r->start));
	if (r->pending_up)	/* no 101 went out: end the session now */
		upgrade_sess_free(r->pending_up);
	authn_user_free(r->user);
	buf_free(&r->body);
	free(r);
	*con_cls = NULL;
}

/*
 * MHD's messages, less its complaints about TCP options on the
 * socketpairs server_tls hands it (0.9.75 tries them on every socket;
 * a Unix socket has no Nagle delay to lose).
 */
static const char *const mhd_quiet[] = {
    "Setting %s option to %s state failed: ", "Failed to push the data",
    NULL,
};

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	for (size_t i = 0; mhd_quiet[i]; i++)
		if (!strncmp(fmt, mhd_quiet[i], strlen(mhd_quiet[i])))
			return;
	fprintf(stderr, "kdeck: http: ");
	vfprintf(stderr, fmt, ap);
}

/* One bind attempt on host:port; the fd or -1 (errno kept). */
static int bind_one(const char *host, int port)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char ps[16];
	int fd = -1, one = 1, saved = 0;

	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(host, ps, &hints, &res) != 0 || !res) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	     bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
	     listen(fd, 512) < 0)) {
		saved = errno;
		close(fd);
		fd = -1;
		errno = saved;
	}
	freeaddrinfo(res);
	return fd;
}

int server_listen(const char *host, int port, bool try_next, int *fd_out,
		  int *port_out, struct err *e)
{
	int tries = try_next ? 100 : 1;

	for (int i = 0; i < tries && port + i <= 65535; i++) {
		int fd = bind_one(host, port + i);

		if (fd >= 0) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);

			*fd_out = fd;
			*port_out = port + i;
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
				*port_out =
				    ntohs(ss.ss_family == AF_INET6
					      ? ((struct sockaddr_in6 *)&ss)
						    ->sin6_port
					      : ((struct sockaddr_in *)&ss)
						    ->sin_port);
			return 0;
		}
		if (errno != EADDRINUSE)
			return err_set(e, ERR_IO, "listen on %s:%d: %s", host,
				       port + i, strerror(errno));
	}
	return err_set(e, ERR_IO, "listen on %s:%d: %s", host, port,
		       try_next ? "no free port in the next 100"
				: strerror(EADDRINUSE));
}

/*
 * server_tls hands a handshaken connection's plain socket to MHD.  The
 * address given is AF_UNIX (what the socket is), so that MHD does not try
 * TCP options on it; remote_addr asks server_tls for the client's.
 */
static int hand_to_mhd(void *arg, int fd)
{
	struct server *s = arg;
	struct sockaddr_un un = {.sun_family = AF_UNIX};

	return MHD_add_connection(s->mhd, fd, (struct sockaddr *)&un,
				  sizeof(un)) == MHD_YES
		   ? 0
		   : -1;
}

int server_start(const struct server_config *cfg, struct server **out,
		 struct err *e)
{
	struct server *s = xcalloc(1, sizeof(*s));
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_UPGRADE;

	s->cfg = *cfg;
	pthread_mutex_init(&s->up_mu, NULL);
	pthread_cond_init(&s->up_cv, NULL);
	s->obs = server_obs_new();
	atomic_init(&s->ready, false);
	atomic_init(&s->stopping, false);
	s->mhd = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
	    mhd_log, s, MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_SIZE,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->mhd) {
		err_set(e, ERR_IO, "cannot start the HTTP server (libmicrohttpd)");
		goto fail;
	}
	if (server_tls_start(cfg->listen_fd, cfg->pki, MAX_CONNECTIONS,
			     hand_to_mhd, s, &s->tls, e) < 0) {
		MHD_stop_daemon(s->mhd);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	server_obs_free(s->obs);
	pthread_mutex_destroy(&s->up_mu);
	pthread_cond_destroy(&s->up_cv);
	free(s);
	return -1;
}

void server_set_ready(struct server *s, bool ready)
{
	atomic_store(&s->ready, ready);
}

void server_stop(struct server *s, int grace_ms)
{
	if (!s)
		return;
	atomic_store(&s->ready, false);
	server_tls_quiesce(s->tls); /* no new connections */
	/* In-flight (non-stream) requests finish first, then streams end. */
	for (int waited = 0;
	     waited < grace_ms && server_obs_inflight(s->obs) > 0; waited += 20)
		usleep(20 * 1000);
	atomic_store(&s->stopping, true);
	upgrades_end(s);
	MHD_stop_daemon(s->mhd);
	/* MHD closed its sockets: the relays flush and close theirs. */
	server_tls_free(s->tls);
	server_obs_free(s->obs);
	pthread_mutex_destroy(&s->up_mu);
	pthread_cond_destroy(&s->up_cv);
	free(s);
}
