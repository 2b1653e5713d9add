/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec: the pods/exec and pods/attach subresources over WebSocket
 * (v5.channel.k8s.io preferred, v4.channel.k8s.io, the base64 variants
 * v4.base64.channel.k8s.io and base64.channel.k8s.io, and channel.k8s.io)
 * or SPDY/3.1 (X-Stream-Protocol-Version v4.channel.k8s.io preferred, v3,
 * v2, channel.k8s.io; none asked for is v1).  A real apiserver
 * proxies them to the kubelet; here the handler checks what apiserver and
 * kubelet check (pod, host, container, streams, the upgrade itself),
 * starts the process through the node agent's nodeops before answering,
 * so every error is a plain HTTP answer, and then answers 101.  The
 * session (api_exec_io.c) pumps the channels on the server's upgrade
 * thread.
 *
 * Threads: the handler runs on a connection thread; nodeops are thread
 * safe.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>

#include "cluster/api_exec.h"
#include "cluster/api_int.h"
#include "common/json.h"
#include "common/mem.h"

/* WebSocket subprotocols, best first. */
static const char *const protocols[] = {
	"v5.channel.k8s.io", "v4.channel.k8s.io", "v4.base64.channel.k8s.io",
	"channel.k8s.io", "base64.channel.k8s.io",
};

/* X-Stream-Protocol-Version values for SPDY, best first. */
static const char *const spdy_protocols[] = {
	"v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
	"channel.k8s.io",
};

#define NPROTO(a) (sizeof(a) / sizeof((a)[0]))

/* "a, b, c" of a protocol table, into out. */
static void list_names(const char *const *names, size_t n, char *out,
		       size_t size)
{
	size_t off = 0;

	out[0] = 0;
	for (size_t i = 0; i < n && off < size; i++)
		off += (size_t)snprintf(out + off, size - off, "%s%s",
					i ? ", " : "", names[i]);
}

static bool query_bool(const struct api_req *req, const char *key)
{
	const char *v = api_query(req, key);

	return v && (!strcasecmp(v, "true") || !strcmp(v, "1"));
}

/* The repeated command= parameters, NULL-terminated (vector of borrowed). */
static char **query_command(const struct api_req *req, size_t *n)
{
	char **argv = xcalloc(req->nquery + 1, sizeof(*argv));

	*n = 0;
	for (size_t i = 0; i < req->nquery; i++)
		if (!strcmp(req->query[i].key, "command") && req->query[i].value)
			argv[(*n)++] = (char *)req->query[i].value;
	return argv;
}

static bool pod_has_container(const cJSON *pod, const char *name)
{
	static const char *const lists[] = { "spec.containers",
					     "spec.initContainers",
					     "spec.ephemeralContainers" };
	const cJSON *c;

	for (size_t i = 0; i < 3; i++)
		cJSON_ArrayForEach(c, json_get(pod, lists[i]))
			if (!strcmp(json_get_str(c, "name") ?: "", name))
				return true;
	return false;
}

/* The apiserver's container defaulting (plus kubectl's annotation). */
static int pick_container(const cJSON *pod, const char *podname,
			  const char *want, const char **out, struct err *e)
{
	const cJSON *ctrs = json_get(pod, "spec.containers"), *c;
	const char *def = json_get_str(
	    pod, "metadata.annotations.kubectl\\.kubernetes\\.io/default-container");
	struct buf names = BUF_INIT;

	if (!want && def && pod_has_container(pod, def))
		want = def;
	if (want) {
		if (!pod_has_container(pod, want))
			return err_set(e, ERR_BAD_REQUEST,
				       "container %s is not valid for pod %s",
				       want, podname);
		*out = want;
		return 0;
	}
	if (cJSON_GetArraySize(ctrs) == 1) {
		*out = json_get_str(cJSON_GetArrayItem(ctrs, 0), "name") ?: "";
		return 0;
	}
	cJSON_ArrayForEach(c, ctrs)
		buf_printf(&names, "%s%s", names.len ? " " : "",
			   json_get_str(c, "name") ?: "");
	err_set(e, ERR_BAD_REQUEST, "a container name must be specified for "
		"pod %s, choose one of: [%s]", podname, buf_cstr(&names));
	buf_free(&names);
	return -1;
}

/* Is the container running per the pod's status? */
static bool container_running(const cJSON *pod, const char *name)
{
	static const char *const lists[] = { "status.containerStatuses",
					     "status.initContainerStatuses",
					     "status.ephemeralContainerStatuses" };
	const cJSON *cs;

	for (size_t i = 0; i < 3; i++)
		cJSON_ArrayForEach(cs, json_get(pod, lists[i]))
			if (!strcmp(json_get_str(cs, "name") ?: "", name))
				return json_get(cs, "state.running") != NULL;
	return false;
}

/*
 * The websocket handshake: version 13, a 16-byte key, a channel protocol.
 * Fills proto with the chosen one.  Texts as the Go websocket servers.
 */
static int check_ws(const struct api_req *req, char proto[64],
		    struct err *e)
{
	gnutls_datum_t in, raw = { NULL, 0 };
	char names[256];
	size_t klen;
	bool key_ok;

	if (!req->ws_version || strcmp(req->ws_version, "13"))
		return err_set(e, ERR_BAD_REQUEST, "websocket: unsupported "
			       "version: 13 not found in "
			       "'Sec-Websocket-Version' header");
	klen = req->ws_key ? strlen(req->ws_key) : 0;
	in = (gnutls_datum_t){ (unsigned char *)req->ws_key,
			       (unsigned)klen };
	key_ok = klen == 24 && gnutls_base64_decode2(&in, &raw) >= 0 &&
		 raw.size == 16;
	gnutls_free(raw.data);
	if (!key_ok)
		return err_set(e, ERR_BAD_REQUEST, "websocket: not a websocket "
			       "handshake: 'Sec-WebSocket-Key' header must be "
			       "Base64 encoded value of 16-byte length");
	for (size_t i = 0; i < NPROTO(protocols); i++)
		if (api_list_has(req->ws_protocol, protocols[i])) {
			snprintf(proto, 64, "%s", protocols[i]);
			return 0;
		}
	list_names(protocols, NPROTO(protocols), names, sizeof(names));
	return err_set(e, ERR_BAD_REQUEST, "unable to upgrade: no supported "
		       "websocket sub-protocol requested (supported: %s)",
		       names);
}

/*
 * The SPDY handshake: the best X-Stream-Protocol-Version the client
 * offers, "" (v1) when it offers none; 403 when none is ours, as the
 * kubelet's httpstream.Handshake answers.
 */
static int check_spdy(const struct api_req *req, char proto[64],
		      struct err *e)
{
	const char *v = req->stream_protocol;
	char names[256];

	if (!v || !*v) {
		proto[0] = 0;
		return 0;
	}
	for (size_t i = 0; i < NPROTO(spdy_protocols); i++)
		if (api_list_has(v, spdy_protocols[i])) {
			snprintf(proto, 64, "%s", spdy_protocols[i]);
			return 0;
		}
	list_names(spdy_protocols, NPROTO(spdy_protocols), names,
		   sizeof(names));
	return err_set(e, ERR_FORBIDDEN, "unable to upgrade: unable to "
		       "negotiate protocol: client supports [%s], server "
		       "supports [%s]", v, names);
}

/* Option checks shared by exec and attach (kubelet's NewOptions). */
static int check_streams(struct node_stdio_req *r, bool exec, struct err *e)
{
	if (r->tty && r->err)
		r->err = false;	/* kubelet drops stderr with a tty */
	if (!r->in && !r->out && !r->err)
		return err_set(e, ERR_BAD_REQUEST, "you must specify at least "
			       "1 of stdin, stdout, stderr");
	if (exec && (!r->argv || !r->argv[0]))
		return err_set(e, ERR_BAD_REQUEST, "you must specify at least "
			       "one command for the container");
	return 0;
}

/* Where the pod runs: a node whose agent is ours, with nodeops. */
static int node_ops(struct api *api, const cJSON *pod, const char *podname,
		    struct nodeops *ops, struct err *e)
{
	const char *node = json_get_str(pod, "spec.nodeName");
	const char *ip = json_get_str(pod, "status.hostIP");
	bool have;

	if (!node || !*node)
		return err_set(e, ERR_BAD_REQUEST,
			       "pod %s does not have a host assigned", podname);
	pthread_mutex_lock(&api->lock);
	have = api->have_nodeops && api->node_name &&
	       !strcmp(api->node_name, node);
	if (have)
		*ops = api->nodeops;
	pthread_mutex_unlock(&api->lock);
	if (!have)	/* kube-apiserver when the kubelet does not answer */
		return err_set(e, ERR_INTERNAL, "error dialing backend: dial "
			       "tcp %s:10250: connect: connection refused",
			       ip && *ip ? ip : node);
	return 0;
}

/* A text/plain refusal, as the kubelet's upgrade errors reach kubectl. */
static void reply_text(struct api_resp *resp, int status, const char *msg)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	buf_adds(&resp->body, msg);
	buf_adds(&resp->body, "\n");
}

static void handle(struct api *api, const struct api_req *req,
		   struct api_route *rt, struct api_resp *resp, bool exec)
{
	const struct store_obj *so = NULL;
	struct node_stdio_req r = { .ns = rt->ns, .pod = rt->name };
	struct exec_params p = { .exec = exec };
	cJSON *pod = NULL;
	char **argv = NULL;
	char text[600];
	size_t argc = 0;
	struct err e;

	err_clear(&e);
	if (api_load(api, rt, &so, &pod, &e) < 0)
		goto fail;
	argv = query_command(req, &argc);
	r.argv = exec ? argv : NULL;
	r.in = query_bool(req, "stdin");
	r.out = query_bool(req, "stdout");
	r.err = query_bool(req, "stderr");
	r.tty = query_bool(req, "tty");
	if (pick_container(pod, rt->name, api_query(req, "container"),
			   &r.container, &e) < 0 ||
	    check_streams(&r, exec, &e) < 0 ||
	    node_ops(api, pod, rt->name, &p.ops, &e) < 0)
		goto fail;
	if (!container_running(pod, r.container)) {
		snprintf(text, sizeof(text), "container not found (\"%s\")",
			 r.container);
		reply_text(resp, 404, text);
		goto out;
	}
	if (!req->upgrade) {
		err_set(&e, ERR_BAD_REQUEST, "Upgrade request required");
		goto fail;
	}
	p.spdy = !strcasecmp(req->upgrade, "SPDY/3.1");
	if (!p.spdy && strcasecmp(req->upgrade, "websocket")) {
		err_set(&e, ERR_BAD_REQUEST, "unable to upgrade connection: "
			"unsupported protocol %s for pods/%s (websocket or "
			"SPDY/3.1)", req->upgrade, exec ? "exec" : "attach");
		goto fail;
	}
	if ((p.spdy ? check_spdy(req, p.protocol, &e)
		    : check_ws(req, p.protocol, &e)) < 0)
		goto fail;
	p.req = r;
	if (api_exec_start(&p, argv, resp, &e) < 0)
		goto fail;
	goto out;
fail:
	api_reply_err(resp, &e, rt);
out:
	free(argv);
	store_obj_unref(so);
	cJSON_Delete(pod);
}

void api_exec(struct api *api, const struct api_req *req,
	      struct api_route *rt, struct api_resp *resp)
{
	handle(api, req, rt, resp, true);
}

void api_attach(struct api *api, const struct api_req *req,
		struct api_route *rt, struct api_resp *resp)
{
	handle(api, req, rt, resp, false);
}
