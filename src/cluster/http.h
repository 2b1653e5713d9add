/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http: the boundary between the HTTP(S) server (server.c, which owns
 * libmicrohttpd, TLS and authentication) and the API handlers (api*.c,
 * which own routing, REST semantics, watch and discovery).
 *
 * The server authenticates every request, applies impersonation, reads the
 * whole body (up to API_BODY_MAX), fills a struct api_req and calls
 * api_handle(), which fills a struct api_resp.  A response is either a
 * complete body or a stream (watch, follow logs): the server then calls
 * stream->read from the connection's thread until it returns 0 (end) or
 * -1 (abort), and stream->close once, also when the client went away.
 */
#ifndef KDECK_CLUSTER_HTTP_H
#define KDECK_CLUSTER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"

#define API_BODY_MAX (3 * 1024 * 1024 + 512 * 1024)

/* An authenticated identity (after impersonation). */
struct user_info {
	char *name;		/* "kubernetes-admin", "system:serviceaccount:ns:sa" */
	char *uid;
	char **groups;		/* NULL-terminated; includes system:authenticated */
	/* user.Info extra: NULL-terminated pairs key, value, key, value...
	 * (a key repeats for each of its values); NULL when none. */
	char **extra;
};

struct api_query_param {
	char *key;
	char *value;
};

struct api_req {
	const char *method;		/* "GET", "POST", ... */
	const char *path;		/* decoded path, no query string */
	struct api_query_param *query;	/* in request order; repeated keys kept */
	size_t nquery;
	const char *content_type;	/* NULL when absent */
	const char *accept;		/* NULL when absent */
	const char *user_agent;
	const char *if_none_match;	/* NULL when absent */
	const char *body;		/* not NUL-terminated */
	size_t body_len;
	const struct user_info *user;	/* never NULL once authenticated */
	const char *remote_addr;
	/* Connection upgrades (exec, attach, port-forward); NULL when absent. */
	const char *upgrade;		/* Upgrade: "websocket", "SPDY/3.1" */
	const char *ws_key;		/* Sec-WebSocket-Key */
	const char *ws_version;		/* Sec-WebSocket-Version */
	const char *ws_protocol;	/* Sec-WebSocket-Protocol (comma list) */
	const char *stream_protocol;	/* X-Stream-Protocol-Version values,
					 * joined with ", " (SPDY) */
};

/* First value of query parameter key, or NULL. */
const char *api_query(const struct api_req *r, const char *key);
/* Whether a comma-separated header value (list may be NULL) has token,
 * trimmed, compared exactly (protocol lists of upgrades). */
bool api_list_has(const char *list, const char *token);

struct api_stream {
	void *ctx;
	/*
	 * Block until bytes are available (or timeout), copy at most max
	 * into buf.  Return the count (>0), 0 at the end, -1 on error.
	 * Must return within a few seconds with a keep-alive or 0 so the
	 * server can notice shutdown: returning -2 means "nothing yet, ask
	 * again" (the server checks for shutdown and closed connections).
	 */
	ssize_t (*read)(void *ctx, char *buf, size_t max);
	void (*close)(void *ctx);
};

/*
 * An upgraded connection (pods/exec, pods/attach, pods/portforward).  The
 * handler sets resp->upgrade and resp->status = 101; the server answers
 * 101 (Upgrade: websocket with Sec-WebSocket-Accept and
 * Sec-WebSocket-Protocol: protocol, or Upgrade: SPDY/3.1 with
 * X-Stream-Protocol-Version: protocol when spdy is set) and then calls run
 * on a thread of its own with the raw byte stream (TLS is terminated by
 * the server; fd is a plain socket).  pre holds bytes the client sent past
 * the request.  run returns when the protocol is done; the server then
 * closes the connection and calls free.  At server_stop the server shuts
 * fd down (read and write) so run sees the end of the stream.
 */
struct api_upgrade {
	void *ctx;
	char protocol[64];
	bool spdy;
	void (*run)(void *ctx, int fd, const char *pre, size_t prelen);
	void (*free)(void *ctx);
};

#define API_MAX_HEADERS 8

struct api_resp {
	int status;			/* HTTP status */
	const char *content_type;	/* static string */
	struct buf body;		/* complete body, when stream is NULL */
	struct api_stream *stream;	/* heap; server frees after close */
	struct api_upgrade *upgrade;	/* heap; see struct api_upgrade */
	size_t nheaders;
	struct {
		char name[64];
		char value[512];
	} headers[API_MAX_HEADERS];	/* e.g. Warning, ETag */
};

void api_resp_header(struct api_resp *resp, const char *name,
		     const char *value);

/*
 * The API handler entry point, implemented by the api module.  ctx is the
 * cluster's api context (see api.h).  Must not block except to do the
 * request's own work; streams do their waiting in read.
 */
struct api;
void api_handle(struct api *api, const struct api_req *req,
		struct api_resp *resp);

#endif
