/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws: WebSocket endpoints on libwslay's event API (see ws.h).
 *
 * Design: one wslay context per endpoint, guarded by mu (wslay is not
 * thread safe).  Complete data messages are copied by the on_msg callback
 * into a FIFO that ws_recv drains.  Nobody holds mu while waiting in
 * poll(): a sender that would block drops mu, waits for POLLOUT and
 * retries, so the receiver keeps reading meanwhile (no deadlock when both
 * peers write at once).  send_mu keeps whole messages from interleaving
 * with each other's partial writes and serializes the blocking senders.
 * Control frames: wslay answers pings and close frames itself; we flush
 * its queue after every read.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <wslay/wslay.h>

#include "common/mem.h"
#include "common/ws.h"

struct ws_qmsg {
	struct ws_qmsg *next;
	struct ws_msg m;
};

struct ws {
	struct ws_io io;
	wslay_event_context_ptr ctx;
	pthread_mutex_t mu;		/* ctx, the queue, the flags */
	pthread_mutex_t send_mu;	/* one sending message at a time */
	uint8_t *pre;
	size_t prelen, preoff;
	struct ws_qmsg *head, *tail;
	bool eof;			/* transport reached end of stream */
	bool io_error;			/* transport failed */
	int io_errno;
};

/* --- wslay callbacks (called with mu held) ------------------------------ */

static ssize_t cb_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
		       int flags, void *user)
{
	struct ws *w = user;
	ssize_t n;

	(void)flags;
	if (w->preoff < w->prelen) {
		n = (ssize_t)(w->prelen - w->preoff);
		if ((size_t)n > len)
			n = (ssize_t)len;
		memcpy(buf, w->pre + w->preoff, (size_t)n);
		w->preoff += (size_t)n;
		return n;
	}
	n = w->io.recv(w->io.ctx, buf, len);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR)) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	if (n == 0) {
		w->eof = true;
	} else {
		w->io_error = true;
		w->io_errno = errno;
	}
	wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static ssize_t cb_send(wslay_event_context_ptr ctx, const uint8_t *data,
		       size_t len, int flags, void *user)
{
	struct ws *w = user;
	ssize_t n;

	(void)flags;
	n = w->io.send(w->io.ctx, data, len);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR)) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	w->io_error = true;
	w->io_errno = n < 0 ? errno : EPIPE;
	wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static int cb_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
		      void *user)
{
	(void)user;
	if (gnutls_rnd(GNUTLS_RND_NONCE, buf, len) < 0) {
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	return 0;
}

static void cb_msg(wslay_event_context_ptr ctx,
		   const struct wslay_event_on_msg_recv_arg *arg, void *user)
{
	struct ws *w = user;
	struct ws_qmsg *q;

	(void)ctx;
	if (arg->opcode != WS_TEXT && arg->opcode != WS_BINARY)
		return;		/* ping, pong, close: wslay handles them */
	q = xcalloc(1, sizeof(*q));
	q->m.opcode = arg->opcode;
	q->m.len = arg->msg_length;
	q->m.data = xmalloc(arg->msg_length + 1);
	if (arg->msg_length)
		memcpy(q->m.data, arg->msg, arg->msg_length);
	q->m.data[arg->msg_length] = 0;
	if (w->tail)
		w->tail->next = q;
	else
		w->head = q;
	w->tail = q;
}

static const struct wslay_event_callbacks ws_callbacks = {
	.recv_callback = cb_recv,
	.send_callback = cb_send,
	.genmask_callback = cb_genmask,
	.on_msg_recv_callback = cb_msg,
};

/* --- lifecycle ---------------------------------------------------------- */

struct ws *ws_new(const struct ws_io *io, bool server, const void *pre,
		  size_t prelen)
{
	struct ws *w = xcalloc(1, sizeof(*w));
	int rc;

	w->io = *io;
	if (prelen) {
		w->pre = xmalloc(prelen);
		memcpy(w->pre, pre, prelen);
		w->prelen = prelen;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->send_mu, NULL);
	if (server)
		rc = wslay_event_context_server_init(&w->ctx, &ws_callbacks, w);
	else
		rc = wslay_event_context_client_init(&w->ctx, &ws_callbacks, w);
	if (rc != 0)
		mem_oom();
	wslay_event_config_set_max_recv_msg_length(w->ctx, WS_MSG_MAX);
	return w;
}

void ws_free(struct ws *w)
{
	struct ws_qmsg *q, *next;

	if (!w)
		return;
	for (q = w->head; q; q = next) {
		next = q->next;
		free(q->m.data);
		free(q);
	}
	wslay_event_context_free(w->ctx);
	pthread_mutex_destroy(&w->mu);
	pthread_mutex_destroy(&w->send_mu);
	free(w->pre);
	free(w);
}

/* --- sending ------------------------------------------------------------ */

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/* Write what wslay has queued; mu held.  0, or -1 on a transport error. */
static int flush_locked(struct ws *w)
{
	if (!wslay_event_want_write(w->ctx))
		return 0;
	if (wslay_event_send(w->ctx) != 0 || w->io_error)
		return -1;
	return 0;
}

/*
 * Push everything queued to the transport, dropping mu while waiting for
 * the socket to drain.  mu held on entry and exit.
 */
static int drain_locked(struct ws *w, struct err *e)
{
	while (wslay_event_want_write(w->ctx)) {
		if (flush_locked(w) < 0)
			return err_set(e, ERR_IO, "websocket send: %s",
				       strerror(w->io_errno ? w->io_errno
							    : EPIPE));
		if (!wslay_event_want_write(w->ctx))
			break;
		pthread_mutex_unlock(&w->mu);
		wait_fd(w->io.fd, POLLOUT, 1000);
		pthread_mutex_lock(&w->mu);
	}
	return 0;
}

int ws_send(struct ws *w, int opcode, const void *data, size_t len,
	    struct err *e)
{
	struct wslay_event_msg m = {
		.opcode = (uint8_t)opcode, .msg = data, .msg_length = len,
	};
	int rc;

	pthread_mutex_lock(&w->send_mu);
	pthread_mutex_lock(&w->mu);
	if (w->io_error || wslay_event_get_close_sent(w->ctx)) {
		rc = err_set(e, ERR_IO, "websocket is closed");
		goto out;
	}
	if (wslay_event_queue_msg(w->ctx, &m) != 0) {
		rc = err_set(e, ERR_IO, "websocket is closed");
		goto out;
	}
	rc = drain_locked(w, e);
out:
	pthread_mutex_unlock(&w->mu);
	pthread_mutex_unlock(&w->send_mu);
	return rc;
}

int ws_send_channel(struct ws *w, uint8_t channel, const void *data,
		    size_t len, struct err *e)
{
	uint8_t stackbuf[4096];
	uint8_t *b = len + 1 <= sizeof(stackbuf) ? stackbuf
						 : xmalloc(len + 1);
	int rc;

	b[0] = channel;
	if (len)
		memcpy(b + 1, data, len);
	rc = ws_send(w, WS_BINARY, b, len + 1, e);
	if (b != stackbuf)
		free(b);
	return rc;
}

int ws_close(struct ws *w, uint16_t code, const char *reason)
{
	struct err e;
	int rc = 0;

	pthread_mutex_lock(&w->send_mu);
	pthread_mutex_lock(&w->mu);
	if (!wslay_event_get_close_sent(w->ctx) && !w->io_error) {
		wslay_event_queue_close(w->ctx, code, (const uint8_t *)reason,
					reason ? strlen(reason) : 0);
		rc = drain_locked(w, &e);
	}
	pthread_mutex_unlock(&w->mu);
	pthread_mutex_unlock(&w->send_mu);
	return rc;
}

/* --- receiving ---------------------------------------------------------- */

static bool pop_msg(struct ws *w, struct ws_msg *msg)
{
	struct ws_qmsg *q = w->head;

	if (!q)
		return false;
	w->head = q->next;
	if (!w->head)
		w->tail = NULL;
	*msg = q->m;
	free(q);
	return true;
}

/*
 * What the connection state means for the receiver once no message is
 * queued: 0 = go on reading, 1 = peer closed / end of stream, -1 = error.
 */
static int recv_state(struct ws *w, struct err *e)
{
	if (wslay_event_get_close_received(w->ctx))
		return 1;
	if (w->eof)		/* end of stream (a reply may then fail) */
		return 1;
	if (w->io_error)
		return err_set(e, ERR_IO, "websocket receive: %s",
			       strerror(w->io_errno));
	if (!wslay_event_get_read_enabled(w->ctx)) {
		/* wslay failed the connection: it queued our close code. */
		return err_set(e, ERR_PARSE, "websocket protocol error "
			       "(closed with %d)",
			       wslay_event_get_status_code_sent(w->ctx));
	}
	return 0;
}

/* One read round: wslay reads what is there, then answers pings/close. */
static int read_round(struct ws *w, struct err *e)
{
	int rc;

	pthread_mutex_lock(&w->mu);
	if (wslay_event_get_read_enabled(w->ctx) && !w->eof && !w->io_error)
		wslay_event_recv(w->ctx);
	flush_locked(w);
	rc = w->head ? 0 : recv_state(w, e);
	pthread_mutex_unlock(&w->mu);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ws_recv(struct ws *w, int timeout_ms, struct ws_msg *msg, struct err *e)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int rc, wait;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		if (pop_msg(w, msg)) {
			pthread_mutex_unlock(&w->mu);
			return 1;
		}
		/* Bytes already buffered in pre need no poll. */
		wait = w->preoff < w->prelen;
		pthread_mutex_unlock(&w->mu);
		if (!wait) {
			int left = -1;

			if (deadline >= 0) {
				long long d = deadline - now_ms();

				if (d <= 0)
					return -2;
				left = (int)d;
			}
			if (wait_fd(w->io.fd, POLLIN, left) == 0)
				return -2;
		}
		rc = read_round(w, e);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return 0;
	}
}

int ws_peer_close_code(const struct ws *w)
{
	struct ws *mw = (struct ws *)w;
	int code = 0;

	pthread_mutex_lock(&mw->mu);
	if (wslay_event_get_close_received(mw->ctx))
		code = wslay_event_get_status_code_received(mw->ctx);
	pthread_mutex_unlock(&mw->mu);
	return code;
}

/* --- handshake helpers -------------------------------------------------- */

int ws_accept_key(const char *client_key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	char cat[128];
	unsigned char sha[20];
	gnutls_datum_t raw = { sha, sizeof(sha) }, b64 = { NULL, 0 };
	size_t klen = client_key ? strlen(client_key) : 0;
	int rc = -1;

	if (klen == 0 || klen + sizeof(guid) > sizeof(cat))
		return -1;
	memcpy(cat, client_key, klen);
	memcpy(cat + klen, guid, sizeof(guid));
	if (gnutls_hash_fast(GNUTLS_DIG_SHA1, cat, klen + sizeof(guid) - 1,
			     sha) < 0)
		return -1;
	if (gnutls_base64_encode2(&raw, &b64) < 0)
		return -1;
	if (b64.size == 28) {
		memcpy(out, b64.data, 28);
		out[28] = 0;
		rc = 0;
	}
	gnutls_free(b64.data);
	return rc;
}

void ws_client_key(char out[25])
{
	unsigned char raw[16];
	gnutls_datum_t in = { raw, sizeof(raw) }, b64 = { NULL, 0 };

	if (gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw)) < 0 ||
	    gnutls_base64_encode2(&in, &b64) < 0 || b64.size != 24)
		mem_oom();
	memcpy(out, b64.data, 24);
	out[24] = 0;
	gnutls_free(b64.data);
}
