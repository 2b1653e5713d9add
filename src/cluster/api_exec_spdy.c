/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec_spdy: the SPDY/3.1 transport of an exec/attach session, as the
 * kubelet serves it (pkg/kubelet/cri/streaming/remotecommand/httpstream.go)
 * for kubectl before 1.30 and any kubectl with
 * KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false.
 *
 * The client opens one stream per channel, its kind in the streamtype
 * header (error, stdin, stdout, stderr, resize); every SYN_STREAM is
 * answered with a SYN_REPLY at once (the client waits for it).  open
 * waits, bounded by EXEC_STREAM_WAIT_MS like the kubelet's stream
 * creation timeout, until the expected set is there: error always, stdin
 * when asked for, stdout when asked for, stderr when asked for without a
 * tty, resize with a tty from v3 on.  Then:
 *
 *   stdin    DATA frames become stdin; its FIN (or RST) is stdin's end.
 *   resize   JSON objects {"Width":..,"Height":..}, one a line (Go's
 *            json.Encoder), become resize messages.
 *   stdout, stderr   the process's output; FIN at its end.
 *   error    v4: the final Status as JSON (Success too); v1-v3: only a
 *            failure's message text.  FIN after it.
 *
 * Flow control is not enforced either way (spdystream does not either).
 *
 * Threads: recv and open run on one thread (the receiver), which alone
 * touches the input buffer and the codec's inflate side and sets the
 * stream ids; send and finish take x->mu, which guards the deflate side,
 * the socket writes, the stream ids and their FIN flags.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cluster/api_exec.h"
#include "cluster/portfwd.h"
#include "cluster/spdy.h"
#include "common/json.h"
#include "common/mem.h"

#define RESIZE_LINE_MAX 4096

struct xspdy {
	int fd;
	struct spdy_codec *codec;
	pthread_mutex_t mu;
	struct buf out;			/* under mu */
	bool dead;			/* under mu: a write failed */
	uint32_t id[EXEC_CH_N];		/* under mu (written by recv) */
	bool fin[EXEC_CH_N];		/* under mu: FIN sent */
	bool want[EXEC_CH_N];		/* streams open waits for */
	int version;			/* 1..4 */
	struct buf in;			/* recv thread */
	struct buf resize;		/* recv thread: partial lines */
	bool stdin_ended;		/* recv thread */
	bool have_pending;		/* recv thread: a message open read */
	struct exec_msg pending;
};

static const struct {
	const char *name;
	int ch;
} stream_types[] = {
	{ "error", EXEC_CH_ERROR },   { "stdin", EXEC_CH_STDIN },
	{ "stdout", EXEC_CH_STDOUT }, { "stderr", EXEC_CH_STDERR },
	{ "resize", EXEC_CH_RESIZE },
};

/* Serialize and write f.  mu held. */
static void send_locked(struct xspdy *x, const struct spdy_frame *f)
{
	struct err e;

	buf_reset(&x->out);
	if (!x->dead && spdy_serialize(x->codec, f, &x->out, &e) == 0 &&
	    pf_write_all(x->fd, x->out.data, x->out.len) < 0)
		x->dead = true;
}

static void send_frame(struct xspdy *x, const struct spdy_frame *f)
{
	pthread_mutex_lock(&x->mu);
	send_locked(x, f);
	pthread_mutex_unlock(&x->mu);
}

/* Data (and FIN) on channel ch's stream, if the client opened it.  mu. */
static void data_locked(struct xspdy *x, int ch, uint8_t flags,
			const void *d, size_t n)
{
	struct spdy_frame f = { .type = SPDY_DATA, .stream_id = x->id[ch],
				.flags = flags, .data = d, .len = n };

	if (!x->id[ch] || x->fin[ch])
		return;
	send_locked(x, &f);
	if (flags & SPDY_FLAG_FIN)
		x->fin[ch] = true;
}

static int x_send(void *ctx, int ch, const void *d, size_t n)
{
	struct xspdy *x = ctx;
	int rc;

	pthread_mutex_lock(&x->mu);
	while (n > 0 && !x->dead) {
		size_t k = n < SPDY_FRAME_MAX / 2 ? n : SPDY_FRAME_MAX / 2;

		data_locked(x, ch, 0, d, k);
		d = (const char *)d + k;
		n -= k;
	}
	rc = x->dead ? -1 : 0;
	pthread_mutex_unlock(&x->mu);
	return rc;
}

/* A new stream: answer it, and note it when it is a channel we lack. */
static void on_syn_stream(struct xspdy *x, const struct spdy_frame *f)
{
	struct spdy_frame reply = { .type = SPDY_SYN_REPLY,
				    .stream_id = f->stream_id };
	const char *type = spdy_header_get(f, "streamtype");

	pthread_mutex_lock(&x->mu);
	send_locked(x, &reply);
	for (size_t i = 0; type && i < sizeof(stream_types) /
					   sizeof(stream_types[0]); i++)
		if (!strcmp(type, stream_types[i].name) &&
		    !x->id[stream_types[i].ch])
			x->id[stream_types[i].ch] = f->stream_id;
	pthread_mutex_unlock(&x->mu);
}

/* The channel of stream id, or -1 (only the recv thread writes ids). */
static int chan_of(const struct xspdy *x, uint32_t id)
{
	for (int ch = 0; ch < EXEC_CH_N; ch++)
		if (id && x->id[ch] == id)
			return ch;
	return -1;
}

/* A complete resize line into m; false when none is buffered. */
static bool resize_line(struct xspdy *x, struct exec_msg *m)
{
	const char *nl;
	size_t n, take;

	if (!x->resize.len)
		return false;
	nl = memchr(x->resize.data, '\n', x->resize.len);
	if (nl) {
		n = (size_t)(nl - x->resize.data);
		take = n + 1;
	} else if (x->resize.data[x->resize.len - 1] == '}') {
		n = take = x->resize.len;
	} else {
		if (x->resize.len > RESIZE_LINE_MAX)
			buf_reset(&x->resize);
		return false;
	}
	memset(m, 0, sizeof(*m));
	m->ch = EXEC_CH_RESIZE;
	m->data = xmalloc(n + 1);
	memcpy(m->data, x->resize.data, n);
	m->len = n;
	memmove(x->resize.data, x->resize.data + take, x->resize.len - take);
	x->resize.len -= take;
	return true;
}

/* stdin's data and/or end into m: 1, or -2 when there is nothing. */
static int stdin_msg(struct xspdy *x, const uint8_t *d, size_t n, bool eof,
		     struct exec_msg *m)
{
	if (x->stdin_ended || (!n && !eof))
		return -2;
	memset(m, 0, sizeof(*m));
	m->ch = EXEC_CH_STDIN;
	m->eof = eof;
	x->stdin_ended = eof;
	if (n) {
		m->data = xmalloc(n);
		memcpy(m->data, d, n);
		m->len = n;
	}
	return 1;
}

/* Act on one frame: 1 with *m, 0 at GOAWAY, -2 to read on, -3 after a
 * new stream (open rechecks its set). */
static int on_frame(struct xspdy *x, const struct spdy_frame *f,
		    struct exec_msg *m)
{
	struct spdy_frame ping = { .type = SPDY_PING, .code = f->code };
	int ch;

	switch (f->type) {
	case SPDY_SYN_STREAM:
		on_syn_stream(x, f);
		return -3;
	case SPDY_DATA:
		ch = chan_of(x, f->stream_id);
		if (ch == EXEC_CH_STDIN)
			return stdin_msg(x, f->data, f->len,
					 f->flags & SPDY_FLAG_FIN, m);
		if (ch == EXEC_CH_RESIZE && f->len)
			buf_add(&x->resize, f->data, f->len);
		return -2;
	case SPDY_RST_STREAM:
		if (chan_of(x, f->stream_id) == EXEC_CH_STDIN)
			return stdin_msg(x, NULL, 0, true, m);
		return -2;
	case SPDY_PING:
		send_frame(x, &ping);
		return -2;
	case SPDY_GOAWAY:
		return 0;
	default:	/* SYN_REPLY, SETTINGS, WINDOW_UPDATE, HEADERS */
		return -2;
	}
}

/* Read more bytes within timeout_ms: 1, 0 at the end, -2, -1. */
static int fill(struct xspdy *x, int timeout_ms)
{
	struct pollfd p = { .fd = x->fd, .events = POLLIN };
	char tmp[65536];
	ssize_t n;
	int rc = poll(&p, 1, timeout_ms);

	if (rc == 0 || (rc < 0 && errno == EINTR))
		return -2;
	if (rc < 0)
		return -1;
	n = recv(x->fd, tmp, sizeof(tmp), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -2;
	if (n <= 0)
		return n == 0 ? 0 : -1;
	buf_add(&x->in, tmp, (size_t)n);
	return 1;
}

static int x_recv(void *ctx, int timeout_ms, struct exec_msg *m)
{
	struct xspdy *x = ctx;
	struct spdy_frame f;
	struct err e;
	size_t used;
	int rc;

	if (x->have_pending) {
		*m = x->pending;
		x->have_pending = false;
		return 1;
	}
	for (;;) {
		if (resize_line(x, m))
			return 1;
		rc = spdy_parse(x->codec, (const uint8_t *)x->in.data,
				x->in.len, &used, &f, &e);
		if (rc < 0) {
			struct spdy_frame ga = { .type = SPDY_GOAWAY,
						 .code = SPDY_PROTOCOL_ERROR };

			send_frame(x, &ga);
			return -1;
		}
		if (rc == 0) {
			if ((rc = fill(x, timeout_ms)) != 1)
				return rc;
			continue;
		}
		rc = on_frame(x, &f, m);	/* copies what it keeps */
		spdy_frame_clear(&f);
		memmove(x->in.data, x->in.data + used, x->in.len - used);
		x->in.len -= used;
		if (rc == -3)
			return -2;	/* a new stream: let open look */
		if (rc != -2)
			return rc;
	}
}

static bool all_there(struct xspdy *x)
{
	bool ok = true;

	pthread_mutex_lock(&x->mu);
	for (int ch = 0; ch < EXEC_CH_N; ch++)
		if (x->want[ch] && !x->id[ch])
			ok = false;
	pthread_mutex_unlock(&x->mu);
	return ok;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Wait for the expected streams; a message read meanwhile is kept. */
static int x_open(void *ctx)
{
	struct xspdy *x = ctx;
	long deadline = now_ms() + EXEC_STREAM_WAIT_MS;
	struct exec_msg m;
	int rc;

	while (!all_there(x)) {
		long left = deadline - now_ms();

		if (left <= 0)
			return -1;	/* kubelet: timed out waiting */
		rc = x_recv(x, (int)(left < 1000 ? left : 1000), &m);
		if (rc == 0 || rc == -1)
			return -1;
		if (rc == 1 && x->have_pending) {
			free(m.data);	/* one is kept; clients send none */
		} else if (rc == 1) {
			x->pending = m;
			x->have_pending = true;
		}
	}
	return 0;
}

/* What the error stream carries for status in this protocol version. */
static char *error_text(const struct xspdy *x, const char *status)
{
	cJSON *j;
	char *msg = NULL;

	if (x->version >= 4)
		return xstrdup(status);
	if ((j = cJSON_Parse(status))) {
		const char *st = json_get_str(j, "status");
		const char *m = json_get_str(j, "message");

		if (st && strcmp(st, "Success") && m)
			msg = xstrdup(m);
		cJSON_Delete(j);
	}
	return msg;
}

static void x_finish(void *ctx, const char *status)
{
	struct xspdy *x = ctx;
	char *text = status ? error_text(x, status) : NULL;

	pthread_mutex_lock(&x->mu);
	data_locked(x, EXEC_CH_STDOUT, SPDY_FLAG_FIN, NULL, 0);
	data_locked(x, EXEC_CH_STDERR, SPDY_FLAG_FIN, NULL, 0);
	if (text)
		data_locked(x, EXEC_CH_ERROR, 0, text, strlen(text));
	data_locked(x, EXEC_CH_ERROR, SPDY_FLAG_FIN, NULL, 0);
	data_locked(x, EXEC_CH_STDIN, SPDY_FLAG_FIN, NULL, 0);
	pthread_mutex_unlock(&x->mu);
	free(text);
}

static void x_free(void *ctx)
{
	struct xspdy *x = ctx;

	if (x->have_pending)
		free(x->pending.data);
	spdy_codec_free(x->codec);
	buf_free(&x->out);
	buf_free(&x->in);
	buf_free(&x->resize);
	pthread_mutex_destroy(&x->mu);
	free(x);
}

void exec_tport_spdy(struct exec_tport *t, int fd, const char *pre,
		     size_t prelen, const char *protocol,
		     const struct node_stdio_req *r)
{
	struct xspdy *x = xcalloc(1, sizeof(*x));

	x->fd = fd;
	x->codec = spdy_codec_new();
	pthread_mutex_init(&x->mu, NULL);
	buf_init(&x->out);
	buf_init(&x->in);
	buf_init(&x->resize);
	if (prelen)
		buf_add(&x->in, pre, prelen);
	x->version = protocol[0] == 'v' && protocol[1] >= '2' &&
			     protocol[1] <= '4' ? protocol[1] - '0' : 1;
	x->want[EXEC_CH_ERROR] = true;
	x->want[EXEC_CH_STDIN] = r->in;
	x->want[EXEC_CH_STDOUT] = r->out;
	x->want[EXEC_CH_STDERR] = r->err && !r->tty;
	x->want[EXEC_CH_RESIZE] = r->tty && x->version >= 3;
	*t = (struct exec_tport){ .ctx = x, .open = x_open, .send = x_send,
				  .recv = x_recv, .finish = x_finish,
				  .free = x_free };
}
