/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_portfwd: the port-forward sessions over a socketpair, with a fake
 * pod whose port 8080 answers "hello <line>" and closes, and whose other
 * ports refuse.  SPDY: PING, one forwarded connection, a refused port,
 * ten concurrent pairs, a stream without headers, RST, garbage -> GOAWAY.
 * WebSocket channels: port announcements, data, the error text, close.
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

#include "cluster/portfwd.h"
#include "cluster/spdy.h"
#include "common/ws.h"
#include "tests/tap.h"

static int pod_port;	/* the fake pod's 8080, on 127.0.0.1 */

static void *pod_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char line[256], out[300];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(line) - 1 && (r = read(fd, line + n, 1)) == 1 &&
	       line[n++] != '\n')
		;
	line[n] = '\0';
	snprintf(out, sizeof(out), "hello %s", line);
	pf_write_all(fd, out, strlen(out));
	close(fd);
	return NULL;
}

static void *pod_accept(void *arg)
{
	int lfd = (int)(intptr_t)arg, fd;
	pthread_t th;

	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		pthread_create(&th, NULL, pod_conn, (void *)(intptr_t)fd);
		pthread_detach(th);
	}
	return NULL;
}

static void pod_start(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	pthread_t th;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(lfd, (struct sockaddr *)&sa, sizeof(sa));
	listen(lfd, 64);
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	pod_port = ntohs(sa.sin_port);
	pthread_create(&th, NULL, pod_accept, (void *)(intptr_t)lfd);
	pthread_detach(th);
}

static int fake_dial(void *ctx, int port, int *fd, struct err *e)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int s;

	(void)ctx;
	if (port != 8080)
		return err_set(e, ERR_UNAVAILABLE, "dial tcp4 10.0.0.9:%d: connect: connection refused", port);
	sa.sin_port = htons((uint16_t)pod_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		return err_set(e, ERR_IO, "connect: %s", strerror(errno));
	}
	*fd = s;
	return 0;
}

static const struct pf_target target = { NULL, fake_dial, "web", "u1" };

/* ---- SPDY ---- */

static ssize_t fd_recv(void *ctx, struct buf *in)
{
	char tmp[4096];
	ssize_t n = read((int)(intptr_t)ctx, tmp, sizeof(tmp));

	if (n > 0)
		buf_add(in, tmp, (size_t)n);
	return n;
}

static int fd_send(void *ctx, const void *d, size_t n)
{
	return pf_write_all((int)(intptr_t)ctx, d, n);
}

static void *spdy_server(void *arg)
{
	struct pf_io io = { arg, fd_recv, fd_send };

	pf_spdy_run(&io, &target);
	return NULL;
}

struct client {
	int fd;
	struct spdy_codec *c;
	struct buf in;
};

static void csend(struct client *cl, const struct spdy_frame *f)
{
	struct buf b = BUF_INIT;
	struct err e;

	spdy_serialize(cl->c, f, &b, &e);
	pf_write_all(cl->fd, b.data, b.len);
	buf_free(&b);
}

static void syn(struct client *cl, uint32_t id, const char *type,
		const char *port, const char *reqid)
{
	struct spdy_header h[3] = {
		{ "streamtype", (char *)type, strlen(type) },
		{ "port", (char *)port, strlen(port) },
		{ "requestid", (char *)reqid, reqid ? strlen(reqid) : 0 },
	};
	struct spdy_frame f = { .type = SPDY_SYN_STREAM, .stream_id = id,
				.hdrs = h, .nhdrs = reqid ? 3 : 2 };

	csend(cl, &f);
}

static void data(struct client *cl, uint32_t id, uint8_t flags, const char *s)
{
	struct spdy_frame f = { .type = SPDY_DATA, .stream_id = id,
				.flags = flags, .data = (const uint8_t *)s,
				.len = s ? strlen(s) : 0 };

	csend(cl, &f);
}

/* Next frame (5 s at most): 1, or 0 at the end / timeout.  Data payloads
 * are copied into *payload (caller frees) as f->data would dangle. */
static int next(struct client *cl, struct spdy_frame *f, char **payload)
{
	struct err e;
	size_t used;

	for (;;) {
		int rc = spdy_parse(cl->c, (const uint8_t *)cl->in.data,
				    cl->in.len, &used, f, &e);
		struct pollfd p = { .fd = cl->fd, .events = POLLIN };

		if (rc == 1) {
			*payload = strndup((const char *)f->data ? (const char *)f->data : "", f->len);
			memmove(cl->in.data, cl->in.data + used, cl->in.len - used);
			cl->in.len -= used;
			f->data = NULL;
			return 1;
		}
		if (rc < 0 || poll(&p, 1, 5000) != 1 || fd_recv((void *)(intptr_t)cl->fd, &cl->in) <= 0)
			return 0;
	}
}

static void test_spdy_basic(struct client *cl)
{
	struct spdy_frame f, ping = { .type = SPDY_PING, .code = 7 };
	char *p;
	struct buf got = BUF_INIT;
	int fins = 0, replies = 0;

	csend(cl, &ping);
	ok(next(cl, &f, &p) && f.type == SPDY_PING && f.code == 7, "PING answered");
	free(p);
	spdy_frame_clear(&f);
	syn(cl, 1, "error", "8080", "0");
	syn(cl, 3, "data", "8080", "0");
	data(cl, 3, 0, "abc\n");
	while (fins < 2 && next(cl, &f, &p)) {
		replies += f.type == SPDY_SYN_REPLY;
		if (f.type == SPDY_DATA && f.stream_id == 3)
			buf_adds(&got, p);
		fins += f.type == SPDY_DATA && (f.flags & SPDY_FLAG_FIN);
		free(p);
		spdy_frame_clear(&f);
	}
	is_int(replies, 2, "SYN_REPLY for both streams");
	is_str(buf_cstr(&got), "hello abc\n", "pod's answer on the data stream");
	is_int(fins, 2, "both streams half-closed at the pod's end");
	buf_free(&got);
}

static void test_spdy_refused(struct client *cl)
{
	struct spdy_frame f;
	char *p;
	struct buf err = BUF_INIT;
	int fins = 0;

	syn(cl, 5, "error", "9999", "1");
	syn(cl, 7, "data", "9999", "1");
	while (fins < 2 && next(cl, &f, &p)) {
		if (f.type == SPDY_DATA && f.stream_id == 5)
			buf_adds(&err, p);
		fins += f.type == SPDY_DATA && (f.flags & SPDY_FLAG_FIN);
		free(p);
		spdy_frame_clear(&f);
	}
	is_str(buf_cstr(&err), "error forwarding port 9999 to pod web, uid u1: dial tcp4 10.0.0.9:9999: connect: connection refused",
	       "refused port reported on the error stream");
	buf_free(&err);
}

static void test_spdy_parallel(struct client *cl)
{
	struct buf got[10];
	struct spdy_frame f;
	char *p, rid[16], line[32];
	int fins = 0, good = 0;

	for (int i = 0; i < 10; i++) {
		buf_init(&got[i]);
		snprintf(rid, sizeof(rid), "%d", 10 + i);
		syn(cl, (uint32_t)(101 + 4 * i), "error", "8080", rid);
		syn(cl, (uint32_t)(103 + 4 * i), "data", "8080", rid);
	}
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "n%d\n", i);
		data(cl, (uint32_t)(103 + 4 * i), 0, line);
	}
	while (fins < 20 && next(cl, &f, &p)) {
		int i = ((int)f.stream_id - 103) / 4;

		if (f.type == SPDY_DATA && f.stream_id >= 103 && (f.stream_id - 103) % 4 == 0 && i < 10)
			buf_adds(&got[i], p);
		fins += f.type == SPDY_DATA && (f.flags & SPDY_FLAG_FIN);
		free(p);
		spdy_frame_clear(&f);
	}
	for (int i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "hello n%d\n", i);
		good += !strcmp(buf_cstr(&got[i]), line);
		buf_free(&got[i]);
	}
	is_int(good, 10, "10 concurrent connections each got their answer");
}

/* Pairs missing a stream are dropped after KDECK_PF_STREAM_TIMEOUT. */
static void test_spdy_half_open(struct client *cl)
{
	struct spdy_frame f;
	char *p;
	struct buf err = BUF_INIT;
	bool err_fin = false, data_fin = false;

	syn(cl, 301, "error", "8080", "h1");
	syn(cl, 303, "data", "8080", "h2");
	while (!(err_fin && data_fin) && next(cl, &f, &p)) {
		if (f.type == SPDY_DATA && f.stream_id == 301)
			buf_adds(&err, p);
		err_fin |= f.type == SPDY_DATA && f.stream_id == 301 &&
			   (f.flags & SPDY_FLAG_FIN);
		data_fin |= f.type == SPDY_DATA && f.stream_id == 303 &&
			    (f.flags & SPDY_FLAG_FIN);
		free(p);
		spdy_frame_clear(&f);
	}
	ok(strstr(buf_cstr(&err), ", request=h1) timed out waiting for streams") != NULL,
	   "a lone error stream is told it timed out");
	ok(err_fin && data_fin, "both half-open pairs end (FIN)");
	syn(cl, 305, "error", "8080", "h3");
	syn(cl, 307, "data", "8080", "h3");
	data(cl, 307, 0, "late\n");
	buf_reset(&err);
	err_fin = data_fin = false;
	while (!(err_fin && data_fin) && next(cl, &f, &p)) {
		if (f.type == SPDY_DATA && f.stream_id == 307)
			buf_adds(&err, p);
		err_fin |= f.type == SPDY_DATA && f.stream_id == 305 &&
			   (f.flags & SPDY_FLAG_FIN);
		data_fin |= f.type == SPDY_DATA && f.stream_id == 307 &&
			    (f.flags & SPDY_FLAG_FIN);
		free(p);
		spdy_frame_clear(&f);
	}
	is_str(buf_cstr(&err), "hello late\n", "a complete pair still works after");
	buf_free(&err);
}

static void test_spdy_bad(struct client *cl, pthread_t th)
{
	struct spdy_frame f;
	char *p;
	static const char junk[] = "\x80\x03\x00\x01\x00\x00\x00\x0a" "0123456789";

	syn(cl, 201, "video", "8080", "x");
	ok(next(cl, &f, &p) && f.type == SPDY_RST_STREAM && f.stream_id == 201 &&
	   f.code == SPDY_CANCEL, "stream with a bad streamtype reset");
	free(p);
	spdy_frame_clear(&f);
	pf_write_all(cl->fd, junk, sizeof(junk) - 1);
	ok(next(cl, &f, &p) && f.type == SPDY_GOAWAY && f.code == SPDY_PROTOCOL_ERROR,
	   "garbage frame answered with GOAWAY");
	free(p);
	spdy_frame_clear(&f);
	ok(pthread_join(th, NULL) == 0, "session ended");
}

static void test_spdy(void)
{
	int sv[2];
	pthread_t th;
	struct client cl;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pthread_create(&th, NULL, spdy_server, (void *)(intptr_t)sv[1]);
	cl.fd = sv[0];
	cl.c = spdy_codec_new();
	buf_init(&cl.in);
	test_spdy_basic(&cl);
	test_spdy_refused(&cl);
	test_spdy_parallel(&cl);
	test_spdy_half_open(&cl);
	test_spdy_bad(&cl, th);
	spdy_codec_free(cl.c);
	buf_free(&cl.in);
	close(sv[0]);
	close(sv[1]);
}

/* ---- WebSocket channels ---- */

static ssize_t sp_recv(void *ctx, void *b, size_t n)
{
	return recv((int)(intptr_t)ctx, b, n, MSG_DONTWAIT);
}

static ssize_t sp_send(void *ctx, const void *b, size_t n)
{
	return send((int)(intptr_t)ctx, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void *ws_server(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct ws_io io = { arg, fd, sp_recv, sp_send };
	struct ws *w = ws_new(&io, true, NULL, 0);
	static const int ports[] = { 8080, 9999 };

	pf_ws_run(w, ports, 2, &target);
	ws_free(w);
	return NULL;
}

static void test_ws(void)
{
	int sv[2], announced = 0;
	pthread_t th;
	struct ws *w;
	struct ws_io io;
	struct ws_msg m;
	struct err e;
	struct buf data = BUF_INIT, errs = BUF_INIT;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	io = (struct ws_io){ (void *)(intptr_t)sv[0], sv[0], sp_recv, sp_send };
	pthread_create(&th, NULL, ws_server, (void *)(intptr_t)sv[1]);
	w = ws_new(&io, false, NULL, 0);
	ws_send_channel(w, 0, "abc\n", 4, &e);
	ws_send_channel(w, 3, "ignored", 7, &e);
	while (ws_recv(w, 5000, &m, &e) == 1) {
		int ch = m.len ? m.data[0] : -1;

		if (m.len == 3 && (ch == 0 || ch == 1) && m.data[1] == (8080 & 0xff) &&
		    m.data[2] == 8080 >> 8 && !(announced & (1 << ch)))
			announced |= 1 << ch;
		else if (m.len == 3 && (ch == 2 || ch == 3) && m.data[1] == (9999 & 0xff) &&
			 m.data[2] == 9999 >> 8 && !(announced & (1 << ch)))
			announced |= 1 << ch;
		else if (ch == 0)
			buf_add(&data, m.data + 1, m.len - 1);
		else if (ch == 3)
			buf_add(&errs, m.data + 1, m.len - 1);
		free(m.data);
	}
	is_int(announced, 15, "each channel starts with its port (little-endian)");
	is_str(buf_cstr(&data), "hello abc\n", "data channel carries the pod's answer");
	is_str(buf_cstr(&errs), "error forwarding port 9999 to pod web, uid u1: dial tcp4 10.0.0.9:9999: connect: connection refused",
	       "refused port reported on its error channel");
	is_int(ws_peer_close_code(w), 1000, "server closes (1000) once every port is done");
	ok(pthread_join(th, NULL) == 0, "session ended");
	ws_free(w);
	buf_free(&data);
	buf_free(&errs);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	pod_start();
	setenv("KDECK_PF_STREAM_TIMEOUT", "0.5", 1);
	test_spdy();
	test_ws();
	return tap_done();
}
