/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf_ws: the WebSocket channel port-forward protocol, as the kubelet
 * serves it (pkg/kubelet/cri/streaming/portforward/websocket.go) for the
 * Python client and kdeck's own client.
 *
 * One session forwards one connection per requested port.  Port i owns
 * channel 2i (data, both ways) and 2i+1 (errors, server -> client); the
 * server's first message on each is the port as 2 bytes little-endian.
 * Every port is dialled when the session starts; a failure is written on
 * the error channel as text.  A pump thread per port copies pod ->
 * client; the reader (the caller's thread) copies client -> pod.  When
 * every port is done the session closes the WebSocket (1000), as the
 * kubelet does once all its forwarders returned.
 *
 * Locks: s->lock guards running (pumps still copying); ws_send is thread
 * safe by itself.  Sockets live until the end of the session.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/portfwd.h"
#include "common/mem.h"
#include "common/ws.h"

struct slot {
	struct wsess *s;
	int index;
	int port;
	int fd;			/* -1 when the dial failed */
	bool thread;		/* a pump runs (join it) */
	pthread_t th;
};

struct wsess {
	struct ws *w;
	const struct pf_target *t;
	struct slot *slots;
	size_t n;
	pthread_mutex_t lock;
	int running;
};

static void *pump(void *arg)
{
	struct slot *sl = arg;
	struct wsess *s = sl->s;
	char buf[32768];
	ssize_t n;
	struct err e;

	while ((n = read(sl->fd, buf, sizeof(buf))) > 0)
		if (ws_send_channel(s->w, (uint8_t)(2 * sl->index), buf,
				    (size_t)n, &e) < 0)
			break;
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Announce port i on both its channels, dial it, start its pump. */
static void slot_open(struct wsess *s, struct slot *sl)
{
	uint8_t le[2] = { (uint8_t)(sl->port & 0xff), (uint8_t)(sl->port >> 8) };
	uint8_t data_ch = (uint8_t)(2 * sl->index), err_ch = (uint8_t)(data_ch + 1);
	struct err e;

	sl->fd = -1;
	ws_send_channel(s->w, data_ch, le, 2, &e);
	ws_send_channel(s->w, err_ch, le, 2, &e);
	if (s->t->dial(s->t->ctx, sl->port, &sl->fd, &e) < 0) {
		struct buf msg = BUF_INIT;

		sl->fd = -1;
		pf_error_text(s->t, sl->port, e.msg, &msg);
		ws_send_channel(s->w, err_ch, msg.data, msg.len, &e);
		buf_free(&msg);
		return;
	}
	pthread_mutex_lock(&s->lock);
	s->running++;
	pthread_mutex_unlock(&s->lock);
	if (pthread_create(&sl->th, NULL, pump, sl) == 0) {
		sl->thread = true;
		return;
	}
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_mutex_unlock(&s->lock);
}

static bool all_done(struct wsess *s)
{
	bool d;

	pthread_mutex_lock(&s->lock);
	d = s->running == 0;
	pthread_mutex_unlock(&s->lock);
	return d;
}

/* One client message: channel byte, then data for that port. */
static void on_message(struct wsess *s, const struct ws_msg *m)
{
	unsigned ch;

	if (m->opcode != WS_BINARY || m->len < 1)
		return;
	ch = m->data[0];
	if (ch % 2 || ch / 2 >= s->n || s->slots[ch / 2].fd < 0)
		return;		/* error channels are server -> client */
	(void)pf_write_all(s->slots[ch / 2].fd, m->data + 1, m->len - 1);
}

/* Client -> pods until the client leaves or every port is done.
 * Returns true when the ports are done (the server closes). */
static bool read_loop(struct wsess *s)
{
	struct ws_msg m;
	struct err e;
	int rc;

	for (;;) {
		if (all_done(s))
			return true;
		rc = ws_recv(s->w, 500, &m, &e);
		if (rc == -2)
			continue;
		if (rc != 1)
			return false;
		on_message(s, &m);
		free(m.data);
	}
}

void pf_ws_run(struct ws *w, const int *ports, size_t n,
	       const struct pf_target *t)
{
	struct wsess s;

	memset(&s, 0, sizeof(s));
	s.w = w;
	s.t = t;
	s.n = n;
	s.slots = xcalloc(n ? n : 1, sizeof(*s.slots));
	pthread_mutex_init(&s.lock, NULL);
	for (size_t i = 0; i < n; i++) {
		s.slots[i].s = &s;
		s.slots[i].index = (int)i;
		s.slots[i].port = ports[i];
		slot_open(&s, &s.slots[i]);
	}
	if (read_loop(&s))
		ws_close(w, 1000, "");
	for (size_t i = 0; i < n; i++)
		if (s.slots[i].fd >= 0)
			shutdown(s.slots[i].fd, SHUT_RDWR);
	for (size_t i = 0; i < n; i++) {
		if (s.slots[i].thread)
			pthread_join(s.slots[i].th, NULL);
		if (s.slots[i].fd >= 0)
			close(s.slots[i].fd);
	}
	pthread_mutex_destroy(&s.lock);
	free(s.slots);
}
