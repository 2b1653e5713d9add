/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf_spdy: one SPDY/3.1 port-forward connection, as the kubelet serves
 * it (pkg/kubelet/cri/streaming/portforward/httpstream.go).
 *
 * The client opens two streams per forwarded connection, an error stream
 * and a data stream, tied by the requestid header.  Every SYN_STREAM is
 * answered with a SYN_REPLY at once (the client waits for it).  When both
 * streams of a pair are there, the pod's port is dialled (on the reader
 * thread, so frames for the pair cannot overtake it) and a pump thread
 * copies pod -> client; the reader thread copies client -> pod.  When the
 * pod side ends, the pump half-closes both streams (empty DATA with FIN):
 * kubectl waits for the error stream's end before closing its local
 * connection.  A dial failure is written on the error stream as text.
 *
 * A pair still missing one of its streams after the stream creation
 * timeout (30 s as the kubelet's; KDECK_PF_STREAM_TIMEOUT seconds) is
 * dropped by a reaper thread: "timed out waiting for streams" on its
 * error stream when that one came, FIN on what it has.
 *
 * Flow control: like the Go implementation kubectl talks to (spdystream),
 * windows are not enforced in either direction; WINDOW_UPDATE, SETTINGS
 * and HEADERS are read and ignored.
 *
 * Locks: s->lock guards the pair list, pair flags and refcounts; s->send
 * guards the deflate side of the codec and the transport's send.  Never
 * held together.  A pair is freed (its socket closed) at its last unref:
 * the list holds one reference, a running pump one, the reader one while
 * it writes to the socket.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/portfwd.h"
#include "cluster/spdy.h"
#include "common/mem.h"

struct pair {
	struct pair *next;
	char reqid[64];
	uint32_t data_id, err_id;	/* 0 until the stream arrives */
	int port;			/* the data stream's port header */
	int fd;				/* -1 until dialled */
	int refs;
	bool reset;			/* the client reset a stream: stay quiet */
	long born_ms;			/* monotonic, its first stream */
};

struct sess {
	const struct pf_io *io;
	const struct pf_target *t;
	struct spdy_codec *codec;
	pthread_mutex_t lock;
	pthread_mutex_t send;
	pthread_cond_t cond;
	struct pair *pairs;
	size_t npairs;
	int pumps;
	bool dead;		/* the transport failed: send nothing more */
	struct buf out;		/* under send */
	long half_open_ms;	/* how long a pair may miss a stream */
	bool ending;		/* under lock: the reaper stops */
};

struct pump_arg {
	struct sess *s;
	struct pair *p;
};

static void send_frame(struct sess *s, const struct spdy_frame *f)
{
	struct err e;

	pthread_mutex_lock(&s->send);
	buf_reset(&s->out);
	if (!s->dead && spdy_serialize(s->codec, f, &s->out, &e) == 0 &&
	    s->io->send(s->io->ctx, s->out.data, s->out.len) < 0)
		s->dead = true;
	pthread_mutex_unlock(&s->send);
}

static bool is_dead(struct sess *s)
{
	bool d;

	pthread_mutex_lock(&s->send);
	d = s->dead;
	pthread_mutex_unlock(&s->send);
	return d;
}

static void send_data(struct sess *s, uint32_t id, uint8_t flags,
		      const void *data, size_t len)
{
	struct spdy_frame f = { .type = SPDY_DATA, .stream_id = id,
				.flags = flags, .data = data, .len = len };

	send_frame(s, &f);
}

static void send_ctl(struct sess *s, int type, uint32_t id, uint32_t code)
{
	struct spdy_frame f = { .type = type, .stream_id = id, .code = code };

	send_frame(s, &f);
}

/* Drop one reference; the last closes the socket.  Lock held. */
static void pair_unref_locked(struct pair *p)
{
	if (--p->refs > 0)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

static void pair_unref(struct sess *s, struct pair *p)
{
	pthread_mutex_lock(&s->lock);
	pair_unref_locked(p);
	pthread_mutex_unlock(&s->lock);
}

/* Take p out of the list (dropping the list's reference).  Lock held. */
static void pair_unlink_locked(struct sess *s, struct pair *p)
{
	for (struct pair **pp = &s->pairs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			s->npairs--;
			pair_unref_locked(p);
			return;
		}
	}
}

/* The pair owning stream id (either kind), or NULL.  Lock held. */
static struct pair *pair_by_stream(struct sess *s, uint32_t id)
{
	for (struct pair *p = s->pairs; p; p = p->next)
		if (p->data_id == id || p->err_id == id)
			return p;
	return NULL;
}

static struct pair *pair_by_reqid(struct sess *s, const char *reqid)
{
	for (struct pair *p = s->pairs; p; p = p->next)
		if (!strcmp(p->reqid, reqid))
			return p;
	return NULL;
}

/* Pod -> client for one pair, then half-close both streams. */
static void *pump(void *arg)
{
	struct pump_arg *a = arg;
	struct sess *s = a->s;
	struct pair *p = a->p;
	char buf[32768];
	ssize_t n;
	bool quiet;

	free(a);
	while ((n = read(p->fd, buf, sizeof(buf))) > 0)
		send_data(s, p->data_id, 0, buf, (size_t)n);
	pthread_mutex_lock(&s->lock);
	quiet = p->reset;
	pair_unlink_locked(s, p);
	pthread_mutex_unlock(&s->lock);
	if (!quiet) {
		send_data(s, p->data_id, SPDY_FLAG_FIN, NULL, 0);
		send_data(s, p->err_id, SPDY_FLAG_FIN, NULL, 0);
	}
	pthread_mutex_lock(&s->lock);
	pair_unref_locked(p);
	s->pumps--;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Report cause on p's error stream and end both streams. */
static void pair_fail(struct sess *s, struct pair *p, const char *cause)
{
	struct buf msg = BUF_INIT;

	pf_error_text(s->t, p->port, cause, &msg);
	send_data(s, p->err_id, 0, msg.data, msg.len);
	send_data(s, p->err_id, SPDY_FLAG_FIN, NULL, 0);
	send_data(s, p->data_id, SPDY_FLAG_FIN, NULL, 0);
	buf_free(&msg);
	pthread_mutex_lock(&s->lock);
	pair_unlink_locked(s, p);
	pthread_mutex_unlock(&s->lock);
}

/* Both streams are there: dial and start the pump. */
static void pair_start(struct sess *s, struct pair *p)
{
	struct pump_arg *a;
	pthread_attr_t at;
	pthread_t th;
	struct err e;
	int fd;

	if (s->t->dial(s->t->ctx, p->port, &fd, &e) < 0) {
		pair_fail(s, p, e.msg);
		return;
	}
	a = xmalloc(sizeof(*a));
	a->s = s;
	a->p = p;
	pthread_mutex_lock(&s->lock);
	p->fd = fd;
	p->refs++;
	s->pumps++;
	pthread_mutex_unlock(&s->lock);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, pump, a) != 0) {
		free(a);
		pthread_mutex_lock(&s->lock);
		p->refs--;
		s->pumps--;
		pthread_mutex_unlock(&s->lock);
		pair_fail(s, p, "cannot start a thread");
	}
	pthread_attr_destroy(&at);
}

static long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* KDECK_PF_STREAM_TIMEOUT (seconds, fractions allowed), else 30 s. */
static long half_open_timeout(void)
{
	const char *v = getenv("KDECK_PF_STREAM_TIMEOUT");
	char *end;
	double d = v ? strtod(v, &end) : 0;

	if (!v || end == v || *end || !(d > 0) || d > 86400)
		return 30000;
	return (long)(d * 1000);
}

/* Drop a pair that lacks a stream, as monitorStreamPair does. */
static void pair_expire(struct sess *s, struct pair *p)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "(conn=%p, request=%s) timed out waiting "
		 "for streams", (void *)s, p->reqid);
	if (p->err_id) {
		send_data(s, p->err_id, 0, msg, strlen(msg));
		send_data(s, p->err_id, SPDY_FLAG_FIN, NULL, 0);
	}
	if (p->data_id)
		send_data(s, p->data_id, SPDY_FLAG_FIN, NULL, 0);
}

/* The first half-open pair past its time, referenced; else NULL with
 * *wait_ms the time to the next deadline (-1: none).  Lock held. */
static struct pair *overdue_locked(struct sess *s, long *wait_ms)
{
	long now = mono_ms();

	*wait_ms = -1;
	for (struct pair *p = s->pairs; p; p = p->next) {
		long left = p->born_ms + s->half_open_ms - now;

		if (p->data_id && p->err_id)
			continue;
		if (left <= 0) {
			p->refs++;
			return p;
		}
		if (*wait_ms < 0 || left < *wait_ms)
			*wait_ms = left;
	}
	return NULL;
}

static void *reaper(void *arg)
{
	struct sess *s = arg;
	struct pair *p;
	long wait_ms;

	pthread_mutex_lock(&s->lock);
	while (!s->ending) {
		if ((p = overdue_locked(s, &wait_ms))) {
			pair_unlink_locked(s, p);
			pthread_mutex_unlock(&s->lock);
			pair_expire(s, p);
			pthread_mutex_lock(&s->lock);
			pair_unref_locked(p);
		} else if (wait_ms < 0) {
			pthread_cond_wait(&s->cond, &s->lock);
		} else {
			struct timespec dl;

			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += wait_ms / 1000;
			dl.tv_nsec += (wait_ms % 1000) * 1000000L;
			if (dl.tv_nsec >= 1000000000L) {
				dl.tv_sec++;
				dl.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&s->cond, &s->lock, &dl);
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Check the headers of a new stream as httpStreamReceived does. */
static int stream_headers(const struct spdy_frame *f, bool *is_data,
			  int *port, char reqid[64])
{
	const char *type = spdy_header_get(f, "streamtype");
	const char *ps = spdy_header_get(f, "port");
	const char *rid = spdy_header_get(f, "requestid");
	char *end;
	unsigned long v;

	if (!type || !ps || !*ps)
		return -1;
	if (strcmp(type, "data") && strcmp(type, "error"))
		return -1;
	v = strtoul(ps, &end, 10);
	if (*end || v < 1 || v > 65535 || *ps == '-' || *ps == '+')
		return -1;
	*is_data = !strcmp(type, "data");
	*port = (int)v;
	if (rid && *rid)
		snprintf(reqid, 64, "%s", rid);
	else	/* old clients: ids of a pair are consecutive odd numbers */
		snprintf(reqid, 64, "%ld",
			 (long)f->stream_id - (*is_data ? 2 : 0));
	return 0;
}

/* Attach a new stream to its pair.  Returns the pair when now complete,
 * NULL otherwise; *refuse gets an RST status when the stream is bad. */
static struct pair *stream_attach(struct sess *s, const struct spdy_frame *f,
				  uint32_t *refuse)
{
	struct pair *p, *done = NULL;
	bool is_data;
	int port;
	char reqid[64];

	*refuse = 0;
	if (stream_headers(f, &is_data, &port, reqid) < 0) {
		*refuse = SPDY_CANCEL;
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	if (pair_by_stream(s, f->stream_id)) {
		*refuse = SPDY_PROTOCOL_ERROR;
	} else if (!(p = pair_by_reqid(s, reqid)) && s->npairs >= PF_PAIRS_MAX) {
		*refuse = SPDY_REFUSED_STREAM;
	} else {
		if (!p) {
			p = xcalloc(1, sizeof(*p));
			snprintf(p->reqid, sizeof(p->reqid), "%s", reqid);
			p->fd = -1;
			p->refs = 1;
			p->born_ms = mono_ms();
			pthread_cond_broadcast(&s->cond);	/* the reaper */
			p->next = s->pairs;
			s->pairs = p;
			s->npairs++;
		}
		if (is_data ? p->data_id != 0 : p->err_id != 0) {
			*refuse = SPDY_PROTOCOL_ERROR;
		} else if (is_data) {
			p->data_id = f->stream_id;
			p->port = port;
		} else {
			p->err_id = f->stream_id;
		}
		if (!*refuse && p->data_id && p->err_id)
			done = p;
	}
	pthread_mutex_unlock(&s->lock);
	return done;
}

static void on_syn_stream(struct sess *s, const struct spdy_frame *f)
{
	struct spdy_frame reply = { .type = SPDY_SYN_REPLY,
				    .stream_id = f->stream_id };
	uint32_t refuse;
	struct pair *p = stream_attach(s, f, &refuse);

	if (refuse) {
		send_ctl(s, SPDY_RST_STREAM, f->stream_id, refuse);
		return;
	}
	send_frame(s, &reply);
	if (p)
		pair_start(s, p);
}

static void on_data(struct sess *s, const struct spdy_frame *f)
{
	struct pair *p;

	pthread_mutex_lock(&s->lock);
	p = pair_by_stream(s, f->stream_id);
	if (p && (p->data_id != f->stream_id || p->fd < 0))
		p = NULL;	/* error stream input, or not dialled */
	if (p)
		p->refs++;
	pthread_mutex_unlock(&s->lock);
	if (!p)
		return;
	if (f->len)
		(void)pf_write_all(p->fd, f->data, f->len);
	if (f->flags & SPDY_FLAG_FIN)
		shutdown(p->fd, SHUT_WR);
	pair_unref(s, p);
}

static void on_rst(struct sess *s, const struct spdy_frame *f)
{
	struct pair *p;

	pthread_mutex_lock(&s->lock);
	if ((p = pair_by_stream(s, f->stream_id))) {
		p->reset = true;
		if (p->fd >= 0)
			shutdown(p->fd, SHUT_RDWR);	/* the pump unlinks */
		else
			pair_unlink_locked(s, p);
	}
	pthread_mutex_unlock(&s->lock);
}

/* Act on one frame; false ends the session. */
static bool on_frame(struct sess *s, const struct spdy_frame *f)
{
	switch (f->type) {
	case SPDY_SYN_STREAM:
		on_syn_stream(s, f);
		break;
	case SPDY_DATA:
		on_data(s, f);
		break;
	case SPDY_RST_STREAM:
		on_rst(s, f);
		break;
	case SPDY_PING:
		send_ctl(s, SPDY_PING, 0, f->code);
		break;
	case SPDY_GOAWAY:
		return false;
	default:	/* SETTINGS, WINDOW_UPDATE, HEADERS, unknown */
		break;
	}
	return !is_dead(s);
}

/* Parse and act on every complete frame in in; false ends the session. */
static bool drain(struct sess *s, struct buf *in)
{
	size_t off = 0, used;
	bool go = true;
	struct err e;

	while (go && off < in->len) {
		struct spdy_frame f;
		int rc = spdy_parse(s->codec, (const uint8_t *)in->data + off,
				    in->len - off, &used, &f, &e);

		if (rc == 0)
			break;
		if (rc < 0) {
			send_ctl(s, SPDY_GOAWAY, 0, SPDY_PROTOCOL_ERROR);
			return false;
		}
		off += used;
		go = on_frame(s, &f);
		spdy_frame_clear(&f);
	}
	if (off) {
		memmove(in->data, in->data + off, in->len - off);
		in->len -= off;
	}
	return go;
}

/* End every forwarded connection and wait for the pumps. */
static void teardown(struct sess *s)
{
	pthread_mutex_lock(&s->lock);
	s->ending = true;
	pthread_cond_broadcast(&s->cond);
	for (struct pair *p = s->pairs; p; p = p->next) {
		p->reset = true;
		if (p->fd >= 0)
			shutdown(p->fd, SHUT_RDWR);
	}
	while (s->pumps > 0)
		pthread_cond_wait(&s->cond, &s->lock);
	while (s->pairs)
		pair_unlink_locked(s, s->pairs);
	pthread_mutex_unlock(&s->lock);
}

void pf_spdy_run(const struct pf_io *io, const struct pf_target *t)
{
	struct sess s;
	struct buf in = BUF_INIT;
	pthread_t rt;
	bool reaping;

	memset(&s, 0, sizeof(s));
	s.io = io;
	s.t = t;
	s.codec = spdy_codec_new();
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.send, NULL);
	pthread_cond_init(&s.cond, NULL);
	buf_init(&s.out);
	s.half_open_ms = half_open_timeout();
	reaping = pthread_create(&rt, NULL, reaper, &s) == 0;
	while (drain(&s, &in) && io->recv(io->ctx, &in) > 0)
		;
	teardown(&s);
	if (reaping)
		pthread_join(rt, NULL);
	buf_free(&in);
	buf_free(&s.out);
	spdy_codec_free(s.codec);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.send);
	pthread_mutex_destroy(&s.lock);
}
