/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_exec: the exec/attach session over a socketpair with fake
 * nodeops: output on channels 1 and 2, the kubelet's final Status on
 * channel 3, stdin and v5 stdin-close, resize, a client leaving early,
 * and the Status texts.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/api_exec.h"
#include "common/buf.h"
#include "common/mem.h"
#include "common/ws.h"
#include "tests/tap.h"

/* The fake process: the test plays it through the other pipe ends. */
struct node_proc {
	int in_r, out_w, err_w;	/* our ends */
	int code;
	unsigned cols, rows;
	bool closed;
};

static struct node_proc fake;

static int fake_start(void *ctx, const struct node_stdio_req *r,
		      struct node_proc **out, struct node_proc_io *io,
		      struct err *e)
{
	int in[2], o[2], er[2];

	(void)ctx;
	(void)r;
	(void)e;
	if (pipe(in) < 0 || pipe(o) < 0 || pipe(er) < 0)
		abort();
	fake.in_r = in[0];
	fake.out_w = o[1];
	fake.err_w = er[1];
	*io = (struct node_proc_io){ in[1], o[0], er[0] };
	*out = &fake;
	return 0;
}

static int fake_fail(void *ctx, const struct node_stdio_req *r,
		     struct node_proc **out, struct node_proc_io *io,
		     struct err *e)
{
	(void)ctx; (void)r; (void)out; (void)io;
	return err_set(e, ERR_CONFLICT, "container not running (c)");
}

static int fake_broken(void *ctx, const struct node_stdio_req *r,
		       struct node_proc **out, struct node_proc_io *io,
		       struct err *e)
{
	(void)ctx; (void)r; (void)out; (void)io;
	return err_set(e, ERR_INTERNAL, "exec: \"nope\": not found");
}

static int fake_resize(struct node_proc *p, unsigned c, unsigned r)
{
	p->cols = c;
	p->rows = r;
	return 0;
}

static int fake_wait(struct node_proc *p, int *code)
{
	*code = p->code;
	return 0;
}

static void fake_close(struct node_proc *p)
{
	p->closed = true;
}

static ssize_t sk_recv(void *ctx, void *b, size_t n)
{
	return recv(*(int *)ctx, b, n, MSG_DONTWAIT);
}

static ssize_t sk_send(void *ctx, const void *b, size_t n)
{
	return send(*(int *)ctx, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

struct run_arg {
	struct api_upgrade *up;
	int fd;
};

static void *run_thread(void *arg)
{
	struct run_arg *a = arg;

	a->up->run(a->up->ctx, a->fd, NULL, 0);
	return NULL;
}

struct session {
	int sv[2];
	pthread_t t;
	struct run_arg ra;
	struct ws *cli;
	struct api_resp resp;
};

static int next(struct session *s, const char **text);

/* The kubelet's empty first message on the lowest writable channel. */
static void expect_ready(struct session *s)
{
	const char *t = NULL;
	int ch = next(s, &t);

	ok((ch == 1 || ch == '1') && t && !*t, "empty ready message on stdout (%d)", ch);
}

static void open_session(struct session *s, const char *proto, bool tty)
{
	static char *argv[] = { "sh", "-c", "exit 3", NULL };
	struct exec_params p = { .exec = true };
	struct ws_io io = { .recv = sk_recv, .send = sk_send };
	struct err e;

	memset(&fake, 0, sizeof(fake));
	p.ops = (struct nodeops){ .exec = fake_start, .resize = fake_resize,
				  .wait = fake_wait, .close = fake_close };
	p.req = (struct node_stdio_req){ .ns = "default", .pod = "p",
					 .container = "c", .argv = argv,
					 .in = true, .out = true,
					 .err = !tty, .tty = tty };
	snprintf(p.protocol, sizeof(p.protocol), "%s", proto);
	memset(&s->resp, 0, sizeof(s->resp));
	if (api_exec_start(&p, argv, &s->resp, &e) < 0)
		abort();
	socketpair(AF_UNIX, SOCK_STREAM, 0, s->sv);
	s->ra = (struct run_arg){ s->resp.upgrade, s->sv[0] };
	pthread_create(&s->t, NULL, run_thread, &s->ra);
	io.ctx = &s->sv[1];
	io.fd = s->sv[1];
	s->cli = ws_new(&io, false, NULL, 0);
	expect_ready(s);
}

static void close_session(struct session *s)
{
	pthread_join(s->t, NULL);
	s->resp.upgrade->free(s->resp.upgrade->ctx);
	free(s->resp.upgrade);
	ws_free(s->cli);
	close(s->sv[0]);
	close(s->sv[1]);
	close(fake.in_r);
	if (fake.out_w >= 0)
		close(fake.out_w);
	if (fake.err_w >= 0)
		close(fake.err_w);
}

/* Next message on the client: channel and text (static buffer). */
static int next(struct session *s, const char **text)
{
	static char last[4096];
	struct ws_msg m;
	struct err e;
	int ch;

	if (ws_recv(s->cli, 3000, &m, &e) != 1)
		return -1;
	ch = m.len ? m.data[0] : -1;
	snprintf(last, sizeof(last), "%.*s", (int)(m.len ? m.len - 1 : 0),
		 (char *)m.data + 1);
	free(m.data);
	*text = last;
	return ch;
}

static void test_exit_code(void)
{
	struct session s;
	const char *t;
	struct err e;
	char got[64] = "";
	ssize_t n;

	open_session(&s, "v5.channel.k8s.io", false);
	fake.code = 3;
	ws_send_channel(s.cli, 0, "data", 4, &e);
	ws_send_channel(s.cli, 255, "\0", 1, &e);
	n = read(fake.in_r, got, sizeof(got) - 1);
	is_str(n > 0 ? got : "", "data", "stdin reaches the process");
	n = read(fake.in_r, got, sizeof(got));
	is_int(n, 0, "v5 close [0] is stdin EOF");
	ws_send_channel(s.cli, 4, "{\"Width\":100,\"Height\":30}\n", 26, &e);
	if (write(fake.out_w, "hi\n", 3) != 3 || write(fake.err_w, "err\n", 4) != 4)
		abort();
	close(fake.out_w);
	close(fake.err_w);
	fake.out_w = fake.err_w = -1;
	{
		int c1 = next(&s, &t);
		char a[64];

		snprintf(a, sizeof(a), "%d:%s", c1, t);
		c1 = next(&s, &t);
		ok((!strcmp(a, "1:hi\n") && c1 == 2 && !strcmp(t, "err\n")) ||
		   (!strcmp(a, "2:err\n") && c1 == 1 && !strcmp(t, "hi\n")),
		   "stdout on 1, stderr on 2");
	}
	is_int(next(&s, &t), 3, "status on channel 3");
	is_str(t, "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
	       "\"command terminated with non-zero exit code: error executing "
	       "command [sh -c exit 3], exit code 3\",\"reason\":"
	       "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
	       "\"ExitCode\",\"message\":\"3\"}]}}", "kubelet's status");
	is_int(next(&s, &t), -1, "then the close");
	is_int(ws_peer_close_code(s.cli), 1000, "normal closure");
	ws_close(s.cli, 1000, NULL);
	close_session(&s);
	ok(fake.cols == 100 && fake.rows == 30, "resize reached the terminal");
	ok(fake.closed, "process closed");
}

static void test_success_v4(void)
{
	struct session s;
	const char *t;

	open_session(&s, "v4.channel.k8s.io", true);
	if (write(fake.out_w, "ok", 2) != 2)
		abort();
	close(fake.out_w);
	fake.out_w = -1;
	is_int(next(&s, &t), 1, "v4 tty output on 1");
	is_str(t, "ok", "tty output");
	is_int(next(&s, &t), 3, "v4 status");
	is_str(t, "{\"metadata\":{},\"status\":\"Success\"}", "Success");
	ws_close(s.cli, 1000, NULL);
	close_session(&s);
}

static void test_client_leaves(void)
{
	struct session s;

	open_session(&s, "v5.channel.k8s.io", false);
	ws_close(s.cli, 1000, NULL);
	pthread_join(s.t, NULL);
	ok(1, "session ends when the client closes mid-stream");
	s.resp.upgrade->free(s.resp.upgrade->ctx);
	ok(fake.closed, "the process is closed (killed)");
	free(s.resp.upgrade);
	ws_free(s.cli);
	close(s.sv[0]);
	close(s.sv[1]);
	close(fake.in_r);
	close(fake.out_w);
	close(fake.err_w);
}

static void test_start_error(void)
{
	static char *argv[] = { "true", NULL };
	struct exec_params p = { .exec = true };
	struct api_resp resp;
	struct err e;

	memset(&resp, 0, sizeof(resp));
	p.ops.exec = fake_fail;
	p.req.argv = argv;
	ok(api_exec_start(&p, argv, &resp, &e) < 0 && e.code == ERR_CONFLICT,
	   "nodeops error comes back");
	ok(!resp.upgrade, "no upgrade on error");
	p.ops.exec = NULL;
	ok(api_exec_start(&p, argv, &resp, &e) < 0, "no exec op: error");
	p.ops.exec = fake_broken;
	ok(api_exec_start(&p, argv, &resp, &e) == 0 && resp.upgrade,
	   "a runtime failure still upgrades");
	if (resp.upgrade) {
		int sv[2];
		struct ws_io io = { .recv = sk_recv, .send = sk_send };
		struct ws *cli;
		struct ws_msg m;

		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		io.ctx = &sv[1];
		io.fd = sv[1];
		cli = ws_new(&io, false, NULL, 0);
		resp.upgrade->run(resp.upgrade->ctx, sv[0], NULL, 0);
		if (ws_recv(cli, 1000, &m, &e) == 1)	/* the empty ready message */
			free(m.data);
		ok(ws_recv(cli, 1000, &m, &e) == 1 && m.data[0] == 3 &&
		   strstr((char *)m.data, "\"Internal error occurred: error "
			  "executing command in container: exec: \\\"nope\\\": "
			  "not found\",\"reason\":\"InternalError\""),
		   "the failure is the status on channel 3");
		free(m.data);
		resp.upgrade->free(resp.upgrade->ctx);
		free(resp.upgrade);
		ws_free(cli);
		close(sv[0]);
		close(sv[1]);
	}
}

static void test_status_texts(void)
{
	static char *argv[] = { "ls", NULL };
	char *s = api_exec_status(argv, true, 0);

	is_str(s, "{\"metadata\":{},\"status\":\"Success\"}", "exit 0");
	free(s);
	s = api_exec_status(NULL, false, 7);
	is_str(s, "{\"metadata\":{},\"status\":\"Success\"}", "attach exit");
	free(s);
	s = api_exec_status(argv, true, 137);
	ok(strstr(s, "[ls], exit code 137") && strstr(s, "\"message\":\"137\""),
	   "signal exit code");
	free(s);
}

int main(void)
{
	test_status_texts();
	test_start_error();
	test_exit_code();
	test_success_v4();
	test_client_leaves();
	return tap_done();
}
