/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws_pf: port-forward over WebSockets, one WebSocket per accepted local
 * connection (so connections never share a stream and a failing one
 * cannot stall the others).
 *
 * Threads: an accept thread polls the listener; each connection gets a
 * thread that opens the WebSocket (pods/P/portforward?ports=R, protocol
 * v4.channel.k8s.io) and copies local -> channel 0, plus a receiver
 * thread that copies channel 0 -> local and reports channel 1 (the
 * server's error text).  The first message on each channel carries the
 * port (kpf_chan_strip).  A connection ends when either side closes.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/stream.h"
#include "common/buf.h"
#include "common/mem.h"

#define KPF_POLL_MS 200

struct kpf_conn {
	struct kpf_conn *next;
	struct kpf *f;
	int fd;
	pthread_t th;
	bool finished;		/* under f->mu */
};

struct kpf {
	struct client *c;
	struct kpf_opts o;
	char *ns, *pod;
	int lfd, local_port;
	pthread_t th;
	pthread_mutex_t mu;
	bool stop;		/* under mu */
	struct kpf_conn *conns;	/* under mu */
	unsigned active, total;	/* under mu */
};

static const char *const kpf_protocols[] = { "v4.channel.k8s.io", NULL };

int kpf_chan_strip(struct kpf_chan *st, uint16_t port, const uint8_t *data,
		   size_t len, size_t *skip, struct err *e)
{
	if (st->seen) {
		*skip = 0;
		return 0;
	}
	if (len < 2)
		return err_set(e, ERR_PARSE, "port-forward: short port "
			       "prefix (%zu bytes)", len);
	if ((uint16_t)(data[0] | data[1] << 8) != port)
		return err_set(e, ERR_PARSE, "port-forward: stream for port "
			       "%u, want %u", (unsigned)(data[0] | data[1] << 8),
			       (unsigned)port);
	st->seen = true;
	*skip = 2;
	return 0;
}

static int kpf_port(const char *s, size_t n, bool zero_ok)
{
	long v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 65535 || (v == 0 && !zero_ok) ? -1 : (int)v;
}

int kpf_parse_spec(const char *s, int *local, int *remote)
{
	const char *colon = strchr(s, ':');
	int l, r;

	if (!colon) {
		l = r = kpf_port(s, strlen(s), false);
	} else {
		l = colon == s ? 0 : kpf_port(s, (size_t)(colon - s), true);
		r = kpf_port(colon + 1, strlen(colon + 1), false);
	}
	if (l < 0 || r < 0)
		return -1;
	*local = l;
	*remote = r;
	return 0;
}

static bool kpf_stopping(struct kpf *f)
{
	bool s;

	pthread_mutex_lock(&f->mu);
	s = f->stop;
	pthread_mutex_unlock(&f->mu);
	return s;
}

static void kpf_report(struct kpf *f, const struct err *e)
{
	if (f->o.on_error && e->code != ERR_OK)
		f->o.on_error(e, f->o.arg);
}

static int kpf_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One message from the pod; -1 ends the connection (e set on errors). */
static int kpf_from_pod(struct kpf_conn *k, struct kpf_chan ch[2],
			const struct ws_msg *m, struct err *e)
{
	size_t skip;
	uint16_t port = (uint16_t)k->f->o.remote_port;

	if (m->len == 0 || m->data[0] > 1)
		return 0;
	if (kpf_chan_strip(&ch[m->data[0]], port, m->data + 1, m->len - 1,
			   &skip, e) < 0)
		return -1;
	const uint8_t *p = m->data + 1 + skip;
	size_t n = m->len - 1 - skip;
	if (m->data[0] == 1) {
		if (n == 0)
			return 0;
		return err_set(e, ERR_UNAVAILABLE, "port-forward to %s:%d: "
			       "%.*s", k->f->pod, k->f->o.remote_port,
			       (int)(n > 512 ? 512 : n), (const char *)p);
	}
	return n && kpf_write_all(k->fd, p, n) < 0 ? -1 : 0;
}

struct kpf_rx {
	struct kpf_conn *k;
	struct ws *ws;
};

/* Receiver: pod -> local until either side ends. */
static void *kpf_rx_main(void *arg)
{
	struct kpf_rx *rx = arg;
	struct kpf_chan ch[2] = { { false }, { false } };
	struct ws_msg m;
	struct err e = { 0 };
	int r;

	while ((r = ws_recv(rx->ws, KPF_POLL_MS, &m, &e)) != 0) {
		if (r == -2) {
			if (kpf_stopping(rx->k->f))
				break;
			continue;
		}
		if (r < 0)
			break;
		r = kpf_from_pod(rx->k, ch, &m, &e);
		free(m.data);
		if (r < 0)
			break;
	}
	kpf_report(rx->k->f, &e);
	shutdown(rx->k->fd, SHUT_RDWR);	/* wakes the sender */
	return NULL;
}

/* Sender: local -> pod until the local side closes or rx ends. */
static void kpf_tx(struct kpf_conn *k, struct ws *ws)
{
	uint8_t buf[32768];
	struct err e = { 0 };

	for (;;) {
		struct pollfd p = { .fd = k->fd, .events = POLLIN };
		int r = poll(&p, 1, KPF_POLL_MS);
		if (kpf_stopping(k->f))
			break;
		if (r <= 0)
			continue;
		ssize_t n = recv(k->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || ws_send_channel(ws, 0, buf, (size_t)n, &e) < 0)
			break;
	}
	ws_close(ws, 1000, "");
}

static void *kpf_conn_main(void *arg)
{
	struct kpf_conn *k = arg;
	struct kpf *f = k->f;
	struct client_ws *w = NULL;
	struct err e = { 0 };
	char *path = xasprintf("/api/v1/namespaces/%s/pods/%s/portforward"
			       "?ports=%d", f->ns, f->pod, f->o.remote_port);

	if (client_ws_open(f->c, path, kpf_protocols, &w, &e) < 0) {
		kpf_report(f, &e);
	} else {
		struct kpf_rx rx = { k, client_ws_ws(w) };
		pthread_t th;
		if (pthread_create(&th, NULL, kpf_rx_main, &rx) == 0) {
			kpf_tx(k, rx.ws);
			shutdown(k->fd, SHUT_RDWR);
			pthread_join(th, NULL);
		}
	}
	client_ws_free(w);
	free(path);
	pthread_mutex_lock(&f->mu);
	close(k->fd);
	k->fd = -1;
	k->finished = true;
	f->active--;
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* Join and drop finished connections (all of them when all is set). */
static void kpf_reap(struct kpf *f, bool all)
{
	struct kpf_conn **pp = &f->conns, *k;

	pthread_mutex_lock(&f->mu);
	while ((k = *pp)) {
		if (!all && !k->finished) {
			pp = &k->next;
			continue;
		}
		*pp = k->next;
		pthread_mutex_unlock(&f->mu);
		pthread_join(k->th, NULL);
		free(k);
		pthread_mutex_lock(&f->mu);
	}
	pthread_mutex_unlock(&f->mu);
}

static void kpf_accept_one(struct kpf *f)
{
	int fd = accept(f->lfd, NULL, NULL);
	struct kpf_conn *k;

	if (fd < 0)
		return;
	k = xcalloc(1, sizeof(*k));
	k->f = f;
	k->fd = fd;
	pthread_mutex_lock(&f->mu);
	if (pthread_create(&k->th, NULL, kpf_conn_main, k) != 0) {
		pthread_mutex_unlock(&f->mu);
		close(fd);
		free(k);
		return;
	}
	k->next = f->conns;
	f->conns = k;
	f->active++;
	f->total++;
	pthread_mutex_unlock(&f->mu);
}

static void *kpf_accept_main(void *arg)
{
	struct kpf *f = arg;

	while (!kpf_stopping(f)) {
		struct pollfd p = { .fd = f->lfd, .events = POLLIN };
		if (poll(&p, 1, KPF_POLL_MS) > 0)
			kpf_accept_one(f);
		kpf_reap(f, false);
	}
	return NULL;
}

/* A listening socket on addr:port; the bound port in *bound. */
static int kpf_listen(const char *addr, int port, int *bound, struct err *e)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		sl = sizeof(*in4);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*in6);
	} else {
		return err_set(e, ERR_INVALID, "port-forward: bad address "
			       "\"%s\" (want an IP address)", addr);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, ERR_IO, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		err_set(e, ERR_IO, "port-forward: cannot listen on %s:%d: %s",
			addr, port, strerror(errno));
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*bound = ntohs(ss.ss_family == AF_INET ? in4->sin_port :
		       in6->sin6_port);
	return fd;
}

int kpf_start(struct client *c, const struct kpf_opts *o, struct kpf **out,
	      struct err *e)
{
	struct kpf *f;
	int bound = 0, fd;

	if (o->remote_port < 1 || o->remote_port > 65535 ||
	    o->local_port < 0 || o->local_port > 65535)
		return err_set(e, ERR_INVALID, "port-forward: ports must be "
			       "1-65535");
	fd = kpf_listen(o->address ? o->address : "127.0.0.1", o->local_port,
			&bound, e);
	if (fd < 0)
		return -1;
	f = xcalloc(1, sizeof(*f));
	f->c = c;
	f->o = *o;
	f->ns = xstrdup(o->ns);
	f->pod = xstrdup(o->pod);
	f->o.ns = f->o.pod = f->o.address = NULL;
	f->lfd = fd;
	f->local_port = bound;
	pthread_mutex_init(&f->mu, NULL);
	if (pthread_create(&f->th, NULL, kpf_accept_main, f) != 0) {
		close(fd);
		free(f->ns);
		free(f->pod);
		free(f);
		return err_set(e, ERR_IO, "port-forward: cannot start a "
			       "thread");
	}
	*out = f;
	return 0;
}

int kpf_local_port(const struct kpf *f)
{
	return f->local_port;
}

int kpf_remote_port(const struct kpf *f)
{
	return f->o.remote_port;
}

unsigned kpf_active(struct kpf *f)
{
	unsigned n;

	pthread_mutex_lock(&f->mu);
	n = f->active;
	pthread_mutex_unlock(&f->mu);
	return n;
}

unsigned kpf_total(struct kpf *f)
{
	unsigned n;

	pthread_mutex_lock(&f->mu);
	n = f->total;
	pthread_mutex_unlock(&f->mu);
	return n;
}

void kpf_free(struct kpf *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	for (struct kpf_conn *k = f->conns; k; k = k->next)
		if (k->fd >= 0)
			shutdown(k->fd, SHUT_RDWR);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->th, NULL);
	kpf_reap(f, true);
	close(f->lfd);
	pthread_mutex_destroy(&f->mu);
	free(f->ns);
	free(f->pod);
	free(f);
}
