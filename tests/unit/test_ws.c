/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ws: WebSocket endpoints over a socketpair.  Both roles talk to each
 * other; hand-made frames check fragmentation, masking rules, control
 * frames and the failure paths (garbage, unmasked client frames, oversized
 * messages).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/mem.h"
#include "common/ws.h"
#include "tests/tap.h"

static ssize_t sock_recv(void *ctx, void *buf, size_t len)
{
	return recv(*(int *)ctx, buf, len, MSG_DONTWAIT);
}

static ssize_t sock_send(void *ctx, const void *buf, size_t len)
{
	return send(*(int *)ctx, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

struct pair {
	int fd[2];
	struct ws *srv, *cli;
};

static void pair_open(struct pair *p, bool with_client)
{
	struct ws_io io = { .recv = sock_recv, .send = sock_send };

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p->fd) < 0)
		abort();
	io.ctx = &p->fd[0];
	io.fd = p->fd[0];
	p->srv = ws_new(&io, true, NULL, 0);
	p->cli = NULL;
	if (with_client) {
		io.ctx = &p->fd[1];
		io.fd = p->fd[1];
		p->cli = ws_new(&io, false, NULL, 0);
	}
}

static void pair_close(struct pair *p)
{
	ws_free(p->srv);
	ws_free(p->cli);
	close(p->fd[0]);
	close(p->fd[1]);
}

/* A client frame, masked with a fixed key (or not, when mask is false). */
static size_t frame(uint8_t *out, int fin_op, const char *data, size_t len,
		    bool mask)
{
	static const uint8_t key[4] = { 0x11, 0x22, 0x33, 0x44 };
	size_t n = 0, i;

	out[n++] = (uint8_t)fin_op;
	out[n++] = (uint8_t)((mask ? 0x80 : 0) | len);	/* len < 126 */
	if (mask) {
		memcpy(out + n, key, 4);
		n += 4;
	}
	for (i = 0; i < len; i++)
		out[n++] = (uint8_t)data[i] ^ (mask ? key[i % 4] : 0);
	return n;
}

static void test_keys(void)
{
	char acc[29], key[25];

	ok(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", acc) == 0 &&
	   strcmp(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0,
	   "accept key of RFC 6455's example");
	ok(ws_accept_key("", acc) < 0, "empty key refused");
	ok(ws_accept_key(NULL, acc) < 0, "NULL key refused");
	ws_client_key(key);
	is_int((long long)strlen(key), 24, "client key is 24 base64 chars");
}

static void test_roundtrip(void)
{
	struct pair p;
	struct ws_msg m;
	struct err e;

	pair_open(&p, true);
	ok(ws_send(p.cli, WS_TEXT, "hello", 5, &e) == 0, "client sends");
	is_int(ws_recv(p.srv, 1000, &m, &e), 1, "server receives");
	ok(m.opcode == WS_TEXT && m.len == 5 &&
	   strcmp((char *)m.data, "hello") == 0, "text intact");
	free(m.data);
	ok(ws_send_channel(p.srv, 1, "out", 3, &e) == 0, "server sends ch 1");
	is_int(ws_recv(p.cli, 1000, &m, &e), 1, "client receives");
	ok(m.opcode == WS_BINARY && m.len == 4 && m.data[0] == 1 &&
	   memcmp(m.data + 1, "out", 3) == 0, "channel byte prefixed");
	free(m.data);
	ok(ws_send(p.cli, WS_BINARY, "", 0, &e) == 0, "empty message");
	is_int(ws_recv(p.srv, 1000, &m, &e), 1, "empty message arrives");
	is_int((long long)m.len, 0, "empty message has no bytes");
	free(m.data);
	is_int(ws_recv(p.srv, 50, &m, &e), -2, "timeout when idle");
	pair_close(&p);
}

struct big_arg {
	struct ws *w;
	size_t len;
	int rc;
};

static void *send_big(void *arg)
{
	struct big_arg *a = arg;
	uint8_t *b = xmalloc(a->len);
	struct err e;
	size_t i;

	for (i = 0; i < a->len; i++)
		b[i] = (uint8_t)(i * 7);
	a->rc = ws_send(a->w, WS_BINARY, b, a->len, &e);
	free(b);
	return NULL;
}

static void test_large(void)
{
	struct pair p;
	struct big_arg a;
	pthread_t t;
	struct ws_msg m;
	struct err e;
	bool same = true;
	size_t i;

	pair_open(&p, true);
	a.w = p.cli;
	a.len = 3 * 1024 * 1024 + 17;
	pthread_create(&t, NULL, send_big, &a);
	is_int(ws_recv(p.srv, 10000, &m, &e), 1, "3 MiB message received");
	pthread_join(t, NULL);
	is_int(a.rc, 0, "large send completes");
	is_int((long long)m.len, (long long)a.len, "large message length");
	for (i = 0; i < m.len && same; i++)
		same = m.data[i] == (uint8_t)(i * 7);
	ok(same, "large message content (masked by the client)");
	free(m.data);
	pair_close(&p);
}

static void test_fragmented(void)
{
	struct pair p;
	uint8_t raw[256], in[64];
	size_t n = 0;
	struct ws_msg m;
	struct err e;
	ssize_t got;

	pair_open(&p, false);
	n += frame(raw + n, 0x01, "hel", 3, true);	/* text, not final */
	n += frame(raw + n, 0x89, "pi", 2, true);	/* ping in between */
	n += frame(raw + n, 0x80, "lo", 2, true);	/* continuation, fin */
	ok(write(p.fd[1], raw, n) == (ssize_t)n, "raw frames written");
	is_int(ws_recv(p.srv, 1000, &m, &e), 1, "fragmented message");
	ok(m.len == 5 && strcmp((char *)m.data, "hello") == 0,
	   "fragments joined");
	free(m.data);
	got = read(p.fd[1], in, sizeof(in));
	ok(got == 4 && in[0] == 0x8a && in[1] == 2 &&
	   memcmp(in + 2, "pi", 2) == 0, "ping answered by an unmasked pong");
	pair_close(&p);
}

static void test_pre(void)
{
	struct ws_io io = { .recv = sock_recv, .send = sock_send };
	uint8_t raw[64];
	size_t n;
	int fd[2];
	struct ws *w;
	struct ws_msg m;
	struct err e;

	socketpair(AF_UNIX, SOCK_STREAM, 0, fd);
	io.ctx = &fd[0];
	io.fd = fd[0];
	n = frame(raw, 0x82, "early", 5, true);
	w = ws_new(&io, true, raw, n);
	is_int(ws_recv(w, 1000, &m, &e), 1, "message from pre bytes");
	ok(m.len == 5 && memcmp(m.data, "early", 5) == 0, "pre content");
	free(m.data);
	ws_free(w);
	close(fd[0]);
	close(fd[1]);
}

/* Feed raw bytes to a server; expect a failure and this close code. */
static void expect_fail(const char *name, const uint8_t *raw, size_t n,
			int code)
{
	struct pair p;
	struct ws_msg m;
	struct err e;
	uint8_t in[64];
	ssize_t got;

	pair_open(&p, false);
	if (write(p.fd[1], raw, n) != (ssize_t)n)
		abort();
	is_int(ws_recv(p.srv, 1000, &m, &e), -1, "%s: error", name);
	got = read(p.fd[1], in, sizeof(in));
	ok(got >= 4 && in[0] == 0x88 && (in[2] << 8 | in[3]) == code,
	   "%s: closed with %d", name, code);
	ok(ws_send(p.srv, WS_TEXT, "x", 1, &e) < 0, "%s: no send after", name);
	pair_close(&p);
}

static void test_failures(void)
{
	uint8_t raw[64];
	size_t n;
	static const uint8_t garbage[] = { 0x8f, 0x85, 1, 2, 3, 4, 9, 9, 9,
					   9, 9 };
	static const uint8_t huge[] = { 0x82, 0xff, 0, 0, 0, 0, 0x02, 0, 0,
					0, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t rsv[] = { 0xc2, 0x80, 1, 2, 3, 4 };

	n = frame(raw, 0x82, "abc", 3, false);
	expect_fail("unmasked client frame", raw, n, 1002);
	expect_fail("unknown opcode", garbage, sizeof(garbage), 1002);
	expect_fail("reserved bit set", rsv, sizeof(rsv), 1002);
	expect_fail("32 MiB message", huge, sizeof(huge), 1009);
	n = frame(raw, 0x80, "zz", 2, true);
	expect_fail("continuation without start", raw, n, 1002);
	n = frame(raw, 0x81, "\xff\xfe", 2, true);
	expect_fail("invalid UTF-8 text", raw, n, 1007);
}

static void test_close(void)
{
	struct pair p;
	struct ws_msg m;
	struct err e;

	pair_open(&p, true);
	ok(ws_close(p.cli, 1000, "bye") == 0, "client closes");
	is_int(ws_recv(p.srv, 1000, &m, &e), 0, "server sees the close");
	is_int(ws_peer_close_code(p.srv), 1000, "peer close code");
	is_int(ws_recv(p.cli, 1000, &m, &e), 0, "client gets the reply");
	is_int(ws_peer_close_code(p.cli), 1000, "echoed close code");
	ok(ws_close(p.cli, 1000, NULL) == 0, "second close is a no-op");
	ok(ws_send(p.cli, WS_TEXT, "late", 4, &e) < 0, "send after close");
	pair_close(&p);

	pair_open(&p, true);
	shutdown(p.fd[1], SHUT_RDWR);
	is_int(ws_recv(p.srv, 1000, &m, &e), 0, "end of stream is the end");
	is_int(ws_peer_close_code(p.srv), 0, "no close code at EOF");
	pair_close(&p);
}

#define NSENDERS 4
#define NMSG 300

struct conc_arg {
	struct ws *w;
	uint8_t id;
	int fails;
};

static void *send_many(void *arg)
{
	struct conc_arg *a = arg;
	char buf[600];
	struct err e;
	int i;

	for (i = 0; i < NMSG; i++) {
		size_t len = (size_t)(i % 5) * 100 + 8;

		memset(buf, 'a' + a->id, len);
		memcpy(buf, &i, sizeof(i));
		if (ws_send_channel(a->w, a->id, buf, len, &e) < 0)
			a->fails++;
	}
	return NULL;
}

static void test_concurrent(void)
{
	struct pair p;
	struct conc_arg a[NSENDERS];
	pthread_t t[NSENDERS];
	int next[NSENDERS] = { 0 }, bad = 0, fails = 0, got = 0, i;
	struct ws_msg m;
	struct err e;

	pair_open(&p, true);
	for (i = 0; i < NSENDERS; i++) {
		a[i] = (struct conc_arg){ .w = p.srv, .id = (uint8_t)i };
		pthread_create(&t[i], NULL, send_many, &a[i]);
	}
	while (got < NSENDERS * NMSG &&
	       ws_recv(p.cli, 5000, &m, &e) == 1) {
		int seq, id = m.data[0];

		memcpy(&seq, m.data + 1, sizeof(seq));
		if (id >= NSENDERS || seq != next[id] ||
		    m.len != (size_t)(seq % 5) * 100 + 9 ||
		    m.data[m.len - 1] != 'a' + id)
			bad++;
		else
			next[id]++;
		free(m.data);
		got++;
	}
	for (i = 0; i < NSENDERS; i++) {
		pthread_join(t[i], NULL);
		fails += a[i].fails;
	}
	is_int(got, NSENDERS * NMSG, "all concurrent messages arrive");
	is_int(bad, 0, "no interleaving, per-sender order kept");
	is_int(fails, 0, "no send failed");
	pair_close(&p);
}

int main(void)
{
	test_keys();
	test_roundtrip();
	test_large();
	test_fragmented();
	test_pre();
	test_failures();
	test_close();
	test_concurrent();
	return tap_done();
}
