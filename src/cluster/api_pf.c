/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_pf: pods/NAME/portforward, the upgrade half.  What the client asks
 * for picks the protocol:
 *
 *   GET,  Upgrade: websocket, Sec-WebSocket-Protocol
 *         SPDY/3.1+portforward.k8s.io      SPDY tunnelled in WebSocket
 *                                           (kubectl >= 1.31)
 *         v4.channel.k8s.io, channel.k8s.io, portforward.k8s.io or none
 *                                           WebSocket channels, ?ports=
 *   POST, Upgrade: SPDY/3.1, X-Stream-Protocol-Version: portforward.k8s.io
 *                                           SPDY on the socket (kubectl's
 *                                           fallback, older kubectl)
 *
 * Checks before the 101, as kube-apiserver and the kubelet make them: the
 * pod exists (404), is bound to a node and Running (400), the ports parse
 * (400).  A WebSocket GET must also be allowed to `create`
 * pods/portforward (AuthorizePodWebsocketUpgradeCreatePermission, on by
 * default since 1.35); the POST already went through `create`.
 *
 * The pod's ports are reached through the node agent's dial (nodeops.h).
 * A pod on another node (simulated) or a cluster without a node agent
 * gets kube-apiserver's answer when the kubelet does not respond (500
 * "error dialing backend").
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/api_int.h"
#include "cluster/authz.h"
#include "cluster/nodeops.h"
#include "cluster/portfwd.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/ws.h"

enum pf_mode { PF_SPDY, PF_TUNNEL, PF_CHANNELS };

/* One upgraded connection: everything the session needs, owned. */
struct pf_conn {
	enum pf_mode mode;
	struct nodeops ops;	/* the node agent's, dial set */
	char ns[254], pod[254], uid[64];
	int ports[PF_PORTS_MAX];
	size_t nports;
	struct pf_target t;
	int fd;			/* the upgraded socket, during run */
	const char *pre;
	size_t prelen;
};

/* WebSocket subprotocols, best first, and the mode each selects. */
static const struct {
	const char *name;
	enum pf_mode mode;
} ws_protocols[] = {
	{ "SPDY/3.1+portforward.k8s.io", PF_TUNNEL },
	{ "v4.channel.k8s.io", PF_CHANNELS },
	{ "portforward.k8s.io", PF_CHANNELS },
	{ "channel.k8s.io", PF_CHANNELS },
};

void pf_error_text(const struct pf_target *t, int port, const char *cause,
		   struct buf *out)
{
	buf_printf(out, "error forwarding port %d to pod %s, uid %s: %s", port,
		   t->pod, t->uid, cause);
}

int pf_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			poll(&pfd, 1, 1000);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int pf_dial(void *ctx, int port, int *fd, struct err *e)
{
	struct pf_conn *c = ctx;

	return c->ops.dial(c->ops.ctx, c->ns, c->pod, port, fd, e);
}

/* Blocking transport over the raw socket (direct SPDY). */
static ssize_t sock_recv(void *ctx, struct buf *in)
{
	struct pf_conn *c = ctx;
	char tmp[65536];
	ssize_t n;

	if (c->prelen) {
		buf_add(in, c->pre, c->prelen);
		n = (ssize_t)c->prelen;
		c->prelen = 0;
		return n;
	}
	for (;;) {
		n = recv(c->fd, tmp, sizeof(tmp), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = c->fd, .events = POLLIN };

			poll(&pfd, 1, 1000);
			continue;
		}
		if (n > 0)
			buf_add(in, tmp, (size_t)n);
		return n;
	}
}

static int sock_send(void *ctx, const void *data, size_t len)
{
	struct pf_conn *c = ctx;

	return pf_write_all(c->fd, data, len);
}

/* Nonblocking I/O for ws.c on the upgraded socket. */
static ssize_t ws_io_recv(void *ctx, void *buf, size_t len)
{
	struct pf_conn *c = ctx;

	return recv(c->fd, buf, len, MSG_DONTWAIT);
}

static ssize_t ws_io_send(void *ctx, const void *buf, size_t len)
{
	struct pf_conn *c = ctx;

	return send(c->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* SPDY bytes carried in binary WebSocket messages (no channel byte). */
static ssize_t tunnel_recv(void *ctx, struct buf *in)
{
	struct ws_msg m;
	struct err e;
	int rc = ws_recv(ctx, -1, &m, &e);
	ssize_t n;

	if (rc != 1)
		return rc == 0 ? 0 : -1;
	if (m.opcode != WS_BINARY) {
		free(m.data);
		return -1;
	}
	buf_add(in, m.data, m.len);
	n = (ssize_t)m.len;
	free(m.data);
	return n ? n : 1;	/* an empty message is not the end */
}

static int tunnel_send(void *ctx, const void *data, size_t len)
{
	struct err e;

	return ws_send(ctx, WS_BINARY, data, len, &e);
}

static void pf_run(void *ctx, int fd, const char *pre, size_t prelen)
{
	struct pf_conn *c = ctx;
	struct ws_io wio = { c, fd, ws_io_recv, ws_io_send };
	struct ws *w;

	c->fd = fd;
	c->pre = pre;
	c->prelen = prelen;
	if (c->mode == PF_SPDY) {
		struct pf_io io = { c, sock_recv, sock_send };

		pf_spdy_run(&io, &c->t);
		return;
	}
	w = ws_new(&wio, true, pre, prelen);
	if (c->mode == PF_TUNNEL) {
		struct pf_io io = { w, tunnel_recv, tunnel_send };

		pf_spdy_run(&io, &c->t);
		ws_close(w, 1000, "");
	} else {
		pf_ws_run(w, c->ports, c->nports, &c->t);
	}
	ws_free(w);
}

static void pf_conn_free(void *ctx)
{
	free(ctx);
}

/* The protocol the request asks for, and the name to answer with. */
static int pick_mode(const struct api_req *req, enum pf_mode *mode,
		     const char **proto, struct err *e)
{
	const char *up = req->upgrade;

	if (up && !strcasecmp(up, "websocket") && !strcmp(req->method, "GET")) {
		const char *offered = req->ws_protocol;

		for (size_t i = 0; i < sizeof(ws_protocols) / sizeof(ws_protocols[0]); i++) {
			if (api_list_has(offered, ws_protocols[i].name)) {
				*mode = ws_protocols[i].mode;
				*proto = ws_protocols[i].name;
				return 0;
			}
		}
		if (offered && *offered)
			return err_set(e, ERR_BAD_REQUEST, "unable to upgrade: unsupported websocket protocols %s; supported: v4.channel.k8s.io, SPDY/3.1+portforward.k8s.io",
				       offered);
		*mode = PF_CHANNELS;
		*proto = "";
		return 0;
	}
	if (up && !strcasecmp(up, "SPDY/3.1") && !strcmp(req->method, "POST")) {
		const char *v = req->stream_protocol;

		if (v && *v && !api_list_has(v, "portforward.k8s.io"))
			return err_set(e, ERR_FORBIDDEN, "unable to upgrade: unable to negotiate protocol: client supports [%s], server supports [portforward.k8s.io]", v);
		*mode = PF_SPDY;
		*proto = "portforward.k8s.io";
		return 0;
	}
	return err_set(e, ERR_BAD_REQUEST, "Upgrade request required");
}

/* ?ports=80&ports=443,8080 as the kubelet reads it. */
static int parse_ports(const struct api_req *req, struct pf_conn *c,
		       struct err *e)
{
	for (size_t i = 0; i < req->nquery; i++) {
		const char *p = req->query[i].value;

		if (strcmp(req->query[i].key, "ports"))
			continue;
		if (!*p)
			return err_set(e, ERR_BAD_REQUEST, "query parameter \"ports\" cannot be empty");
		while (p) {
			char *end;
			long v = strtol(p, &end, 10);

			if (end == p || (*end && *end != ',') || v < 0 || v > 65535)
				return err_set(e, ERR_BAD_REQUEST, "unable to parse \"%s\" as a port", req->query[i].value);
			if (v < 1)
				return err_set(e, ERR_BAD_REQUEST, "port \"%s\" must be > 0", req->query[i].value);
			if (c->nports >= PF_PORTS_MAX)
				return err_set(e, ERR_BAD_REQUEST, "too many ports (at most %d)", PF_PORTS_MAX);
			c->ports[c->nports++] = (int)v;
			p = *end ? end + 1 : NULL;
		}
	}
	if (!c->nports)
		return err_set(e, ERR_BAD_REQUEST, "query parameter \"ports\" is required");
	return 0;
}

/* A WebSocket GET also needs `create` (kube-apiserver >= 1.35). */
static int may_create(struct api *api, const struct api_req *req,
		      const struct api_route *rt, struct err *e)
{
	struct authz_attrs a = {
		.verb = "create", .resource_request = true,
		.group = rt->k->group, .version = rt->k->version,
		.resource = rt->k->plural, .subresource = rt->sub,
		.namespace = rt->ns, .name = rt->name, .path = req->path,
	};
	char reason[256] = "";
	char *msg;

	if (!api->az || !strcmp(req->method, "POST") ||
	    authz_allowed(api->az, req->user, &a, reason, sizeof(reason)))
		return 0;
	msg = authz_forbidden_message(req->user, &a);
	err_set(e, ERR_FORBIDDEN, "%s%s%s", msg, reason[0] ? ": " : "", reason);
	free(msg);
	return -1;
}

/* The pod must be bound and Running; fills c's pod fields. */
static int pod_check(const cJSON *pod, const char *name, struct pf_conn *c,
		     struct err *e)
{
	const char *phase = json_get_str(pod, "status.phase");

	if (!*(json_get_str(pod, "spec.nodeName") ?: ""))
		return err_set(e, ERR_BAD_REQUEST, "pod %s does not have a host assigned", name);
	if (!phase || strcmp(phase, "Running"))
		return err_set(e, ERR_BAD_REQUEST, "unable to do port forwarding: pod %s is not running", name);
	snprintf(c->uid, sizeof(c->uid), "%s", json_get_str(pod, "metadata.uid") ?: "");
	return 0;
}

/* The node agent's operations when the pod runs on our node. */
static int node_ops(struct api *api, const cJSON *pod, struct nodeops *ops,
		    struct err *e)
{
	const char *node = json_get_str(pod, "spec.nodeName");
	const char *ip = json_get_str(pod, "status.hostIP");
	bool have;

	pthread_mutex_lock(&api->lock);
	have = api->have_nodeops && api->nodeops.dial && api->node_name &&
	       node && !strcmp(api->node_name, node);
	if (have)
		*ops = api->nodeops;
	pthread_mutex_unlock(&api->lock);
	if (!have)	/* kube-apiserver when the kubelet does not answer */
		return err_set(e, ERR_INTERNAL, "error dialing backend: dial tcp %s:10250: connect: connection refused",
			       ip && *ip ? ip : node ? node : "");
	return 0;
}

void api_pf(struct api *api, const struct api_req *req, struct api_route *rt,
	    struct api_resp *resp)
{
	struct pf_conn *c = xcalloc(1, sizeof(*c));
	const struct store_obj *so = NULL;
	cJSON *pod = NULL;
	const char *proto = "";
	bool notfound = false;
	struct err e;

	err_clear(&e);
	if (may_create(api, req, rt, &e) < 0)
		goto fail;
	if (api_load(api, rt, &so, &pod, &e) < 0) {
		notfound = true;
		goto fail;
	}
	if (pod_check(pod, rt->name, c, &e) < 0 ||
	    pick_mode(req, &c->mode, &proto, &e) < 0 ||
	    node_ops(api, pod, &c->ops, &e) < 0 ||
	    (c->mode == PF_CHANNELS && parse_ports(req, c, &e) < 0))
		goto fail;
	snprintf(c->ns, sizeof(c->ns), "%s", rt->ns);
	snprintf(c->pod, sizeof(c->pod), "%s", rt->name);
	c->t = (struct pf_target){ c, pf_dial, c->pod, c->uid };
	c->fd = -1;
	resp->upgrade = xcalloc(1, sizeof(*resp->upgrade));
	resp->upgrade->ctx = c;
	snprintf(resp->upgrade->protocol, sizeof(resp->upgrade->protocol), "%s", proto);
	resp->upgrade->spdy = c->mode == PF_SPDY;
	resp->upgrade->run = pf_run;
	resp->upgrade->free = pf_conn_free;
	resp->status = 101;
	c = NULL;
	goto out;
fail:
	api_reply_err(resp, &e, notfound ? rt : NULL);
out:
	free(c);
	store_obj_unref(so);
	cJSON_Delete(pod);
}
