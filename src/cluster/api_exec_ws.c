/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec_ws: the WebSocket channel transport of an exec/attach session
 * (apimachinery's wsstream framing, as the kubelet serves it):
 *
 *   v5.channel.k8s.io, v4.channel.k8s.io   binary messages, first byte
 *       the channel; v5 adds channel 255 = close, [0] closing stdin.
 *   v4.base64.channel.k8s.io, base64.channel.k8s.io   text messages, the
 *       channel as an ASCII digit followed by the data in base64.
 *
 * The v4 protocols write the final Status as JSON on channel 3; the plain
 * base64 one (v1 semantics) writes only a failure's message text.
 *
 * Threads: send/finish are thread safe (ws_send is); recv runs on one
 * receiver thread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gnutls/gnutls.h>

#include "cluster/api_exec.h"
#include "common/json.h"
#include "common/mem.h"
#include "common/ws.h"

enum { CH_CLOSE = 255 };

struct xws {
	int fd;
	struct ws *ws;
	bool v5;		/* channel 255 */
	bool b64;		/* text messages, base64 data */
	int first_out;		/* the lowest writable channel */
	bool status_json;	/* v4/v5: Status JSON; else failure text */
};

static ssize_t sock_recv(void *ctx, void *buf, size_t len)
{
	return recv(*(int *)ctx, buf, len, MSG_DONTWAIT);
}

static ssize_t sock_send(void *ctx, const void *buf, size_t len)
{
	return send(*(int *)ctx, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int x_send(void *ctx, int ch, const void *d, size_t n);

/*
 * The kubelet's "connection established" signal: an empty message on the
 * lowest writable channel (its createWebSocketStreams does the same).
 */
static int x_open(void *ctx)
{
	struct xws *x = ctx;

	return x_send(x, x->first_out, "", 0) < 0 ? -1 : 0;
}

/* One base64 message: the channel digit, then the data encoded. */
static int send_b64(struct xws *x, int ch, const void *d, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)d, (unsigned)n };
	gnutls_datum_t out = { NULL, 0 };
	struct buf b = BUF_INIT;
	struct err e;
	int rc = -1;

	buf_addc(&b, (char)('0' + ch));
	if (n && gnutls_base64_encode2(&in, &out) < 0)
		goto out;
	if (n)
		buf_add(&b, out.data, out.size);
	rc = ws_send(x->ws, WS_TEXT, b.data, b.len, &e);
out:
	gnutls_free(out.data);
	buf_free(&b);
	return rc;
}

static int x_send(void *ctx, int ch, const void *d, size_t n)
{
	struct xws *x = ctx;
	struct err e;

	if (x->b64)
		return send_b64(x, ch, d, n);
	return ws_send_channel(x->ws, (uint8_t)ch, d, n, &e);
}

/* Decode a base64 message's payload into m (false: not base64). */
static bool decode_b64(const uint8_t *d, size_t n, struct exec_msg *m)
{
	gnutls_datum_t in = { (unsigned char *)d, (unsigned)n };
	gnutls_datum_t out = { NULL, 0 };

	if (!n)
		return true;
	if (gnutls_base64_decode2(&in, &out) < 0)
		return false;
	m->data = xmalloc(out.size ? out.size : 1);
	memcpy(m->data, out.data, out.size);
	m->len = out.size;
	gnutls_free(out.data);
	return true;
}

/* Turn one WebSocket message into a channel message; false: skip it. */
static bool to_msg(struct xws *x, const struct ws_msg *w, struct exec_msg *m)
{
	const uint8_t *d = w->data + 1;
	size_t n = w->len - 1;

	memset(m, 0, sizeof(*m));
	if (w->len < 1)
		return false;
	m->ch = x->b64 ? w->data[0] - '0' : w->data[0];
	if (x->v5 && m->ch == CH_CLOSE) {
		if (n < 1 || d[0] != EXEC_CH_STDIN)
			return false;
		m->ch = EXEC_CH_STDIN;
		m->eof = true;
		return true;
	}
	if (m->ch < 0 || m->ch >= EXEC_CH_N)
		return false;
	if (x->b64)
		return decode_b64(d, n, m);
	if (n) {
		m->data = xmalloc(n);
		memcpy(m->data, d, n);
		m->len = n;
	}
	return true;
}

static int x_recv(void *ctx, int timeout_ms, struct exec_msg *m)
{
	struct xws *x = ctx;
	struct ws_msg w;
	struct err e;
	int rc;

	for (;;) {
		rc = ws_recv(x->ws, timeout_ms, &w, &e);
		if (rc != 1)
			return rc;
		if (to_msg(x, &w, m)) {
			free(w.data);
			return 1;
		}
		free(w.data);
	}
}

static void x_finish(void *ctx, const char *status)
{
	struct xws *x = ctx;
	cJSON *j;

	if (!status) {
		/* the client is gone: only close */
	} else if (x->status_json) {
		x_send(x, EXEC_CH_ERROR, status, strlen(status));
	} else if ((j = cJSON_Parse(status))) {
		const char *st = json_get_str(j, "status");
		const char *msg = json_get_str(j, "message");

		if (st && strcmp(st, "Success") && msg)
			x_send(x, EXEC_CH_ERROR, msg, strlen(msg));
		cJSON_Delete(j);
	}
	ws_close(x->ws, 1000, NULL);
}

static void x_free(void *ctx)
{
	struct xws *x = ctx;

	ws_free(x->ws);
	free(x);
}

/*
 * The WebSocket transport on fd for protocol (one of api_exec.c's
 * accepted names).  Fills *t.
 */
void exec_tport_ws(struct exec_tport *t, int fd, const char *pre,
		   size_t prelen, const char *protocol,
		   const struct node_stdio_req *r)
{
	struct xws *x = xcalloc(1, sizeof(*x));
	struct ws_io io = { .ctx = &x->fd, .fd = fd, .recv = sock_recv,
			    .send = sock_send };

	x->fd = fd;
	x->ws = ws_new(&io, true, pre, prelen);
	x->v5 = !strcmp(protocol, "v5.channel.k8s.io");
	x->b64 = strstr(protocol, "base64.") != NULL;
	x->first_out = r->out ? EXEC_CH_STDOUT : r->err ? EXEC_CH_STDERR : EXEC_CH_ERROR;
	x->status_json = strcmp(protocol, "channel.k8s.io") &&
			 strcmp(protocol, "base64.channel.k8s.io");
	*t = (struct exec_tport){ .ctx = x, .open = x_open, .send = x_send,
				  .recv = x_recv, .finish = x_finish,
				  .free = x_free };
}
