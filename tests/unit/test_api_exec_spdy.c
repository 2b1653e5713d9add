/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_exec_spdy: the exec/attach session over SPDY/3.1 streams on a
 * socketpair with fake nodeops, the test playing kubectl with its own
 * codec: a SYN_REPLY per stream, stdin and its FIN, output and FIN on
 * stdout/stderr, the v4 Status JSON and the v1-v3 text on the error
 * stream, resize lines with a tty, PING, and a client that leaves before
 * opening its streams.
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/api_exec.h"
#include "cluster/spdy.h"
#include "common/buf.h"
#include "common/mem.h"
#include "tests/tap.h"

struct node_proc {
	int in_r, out_w, err_w;
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

	(void)ctx; (void)r; (void)e;
	if (pipe(in) < 0 || pipe(o) < 0 || pipe(er) < 0)
		abort();
	fake.in_r = in[0];
	fake.out_w = o[1];
	fake.err_w = er[1];
	*io = (struct node_proc_io){ in[1], o[0], r->tty ? -1 : er[0] };
	if (r->tty)
		close(er[0]);
	*out = &fake;
	return 0;
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

/* The test's side: a kubectl of sorts. */
struct cli {
	int sv[2];
	pthread_t t;
	struct api_resp resp;
	struct spdy_codec *codec;
	struct buf in;
	/* what arrived per stream id (1..9): data and whether FIN came */
	struct buf got[10];
	bool fin[10], replied[10];
};

static void *run_thread(void *arg)
{
	struct cli *c = arg;

	c->resp.upgrade->run(c->resp.upgrade->ctx, c->sv[0], NULL, 0);
	return NULL;
}

static void cli_send(struct cli *c, const struct spdy_frame *f)
{
	struct buf b = BUF_INIT;
	struct err e;

	if (spdy_serialize(c->codec, f, &b, &e) < 0 ||
	    write(c->sv[1], b.data, b.len) != (ssize_t)b.len)
		abort();
	buf_free(&b);
}

static void cli_stream(struct cli *c, uint32_t id, const char *type)
{
	struct spdy_header h = { "streamtype", (char *)type, strlen(type) };
	struct spdy_frame f = { .type = SPDY_SYN_STREAM, .stream_id = id,
				.hdrs = &h, .nhdrs = 1 };

	cli_send(c, &f);
}

static void cli_data(struct cli *c, uint32_t id, const char *d, bool fin)
{
	struct spdy_frame f = { .type = SPDY_DATA, .stream_id = id,
				.flags = fin ? SPDY_FLAG_FIN : 0,
				.data = (const uint8_t *)d, .len = strlen(d) };

	cli_send(c, &f);
}

/* Read frames for up to ms; false at the end of the connection. */
static bool cli_pump(struct cli *c, int ms, uint32_t *ping)
{
	struct pollfd p = { .fd = c->sv[1], .events = POLLIN };
	char tmp[65536];
	ssize_t n;

	while (poll(&p, 1, ms) > 0) {
		struct spdy_frame f;
		struct err e;
		size_t used;

		if ((n = read(c->sv[1], tmp, sizeof(tmp))) <= 0)
			return false;
		buf_add(&c->in, tmp, (size_t)n);
		while (spdy_parse(c->codec, (uint8_t *)c->in.data, c->in.len,
				  &used, &f, &e) == 1) {
			uint32_t id = f.stream_id < 10 ? f.stream_id : 0;

			if (f.type == SPDY_SYN_REPLY)
				c->replied[id] = true;
			if (f.type == SPDY_DATA)
				buf_add(&c->got[id], f.data, f.len);
			if (f.type == SPDY_DATA && (f.flags & SPDY_FLAG_FIN))
				c->fin[id] = true;
			if (f.type == SPDY_PING && ping)
				*ping = f.code;
			spdy_frame_clear(&f);
			memmove(c->in.data, c->in.data + used, c->in.len - used);
			c->in.len -= used;
		}
	}
	return true;
}

static void cli_open(struct cli *c, const char *proto, bool tty,
		     bool in)
{
	static char *argv[] = { "sh", "-c", "exit 3", NULL };
	struct exec_params p = { .exec = true, .spdy = true };
	struct err e;

	memset(&fake, 0, sizeof(fake));
	memset(c, 0, sizeof(*c));
	p.ops = (struct nodeops){ .exec = fake_start, .resize = fake_resize,
				  .wait = fake_wait, .close = fake_close };
	p.req = (struct node_stdio_req){ .ns = "default", .pod = "p",
					 .container = "c", .argv = argv,
					 .in = in, .out = true, .err = !tty,
					 .tty = tty };
	snprintf(p.protocol, sizeof(p.protocol), "%s", proto);
	if (api_exec_start(&p, argv, &c->resp, &e) < 0)
		abort();
	c->codec = spdy_codec_new();
	socketpair(AF_UNIX, SOCK_STREAM, 0, c->sv);
	pthread_create(&c->t, NULL, run_thread, c);
}

static void cli_close(struct cli *c)
{
	close(c->sv[1]);
	pthread_join(c->t, NULL);
	c->resp.upgrade->free(c->resp.upgrade->ctx);
	free(c->resp.upgrade);
	close(c->sv[0]);
	close(fake.in_r);
	if (fake.out_w >= 0)
		close(fake.out_w);
	if (fake.err_w >= 0)
		close(fake.err_w);
	spdy_codec_free(c->codec);
	buf_free(&c->in);
	for (int i = 0; i < 10; i++)
		buf_free(&c->got[i]);
}

static void end_output(void)
{
	close(fake.out_w);
	close(fake.err_w);
	fake.out_w = fake.err_w = -1;
}

static void test_v4(void)
{
	struct cli c;
	char got[64] = "";
	uint32_t ping = 0;
	ssize_t n;

	cli_open(&c, "v4.channel.k8s.io", false, true);
	fake.code = 3;
	cli_stream(&c, 1, "error");
	cli_stream(&c, 3, "stdin");
	cli_stream(&c, 5, "stdout");
	cli_stream(&c, 7, "stderr");
	cli_pump(&c, 300, NULL);
	ok(c.replied[1] && c.replied[3] && c.replied[5] && c.replied[7],
	   "a SYN_REPLY for every stream");
	cli_data(&c, 3, "data", true);
	n = read(fake.in_r, got, sizeof(got) - 1);
	is_str(n > 0 ? got : "", "data", "stdin reaches the process");
	n = read(fake.in_r, got, sizeof(got));
	is_int(n, 0, "stdin's FIN is its EOF");
	{
		struct spdy_frame f = { .type = SPDY_PING, .code = 7 };

		cli_send(&c, &f);
	}
	if (write(fake.out_w, "hi\n", 3) != 3 || write(fake.err_w, "err\n", 4) != 4)
		abort();
	end_output();
	cli_pump(&c, 1000, &ping);
	is_int((int)ping, 7, "PING answered");
	is_str(buf_cstr(&c.got[5]), "hi\n", "stdout on its stream");
	is_str(buf_cstr(&c.got[7]), "err\n", "stderr on its stream");
	ok(c.fin[5] && c.fin[7] && c.fin[1], "FIN on stdout, stderr, error");
	is_str(buf_cstr(&c.got[1]), "{\"metadata\":{},\"status\":\"Failure\","
	       "\"message\":\"command terminated with non-zero exit code: error "
	       "executing command [sh -c exit 3], exit code 3\",\"reason\":"
	       "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
	       "\"ExitCode\",\"message\":\"3\"}]}}", "v4: kubelet's Status");
	cli_close(&c);
	ok(fake.closed, "process closed");
}

static void test_v2_text(void)
{
	struct cli c;

	cli_open(&c, "v2.channel.k8s.io", false, false);
	fake.code = 2;
	cli_stream(&c, 1, "error");
	cli_stream(&c, 3, "stdout");
	cli_stream(&c, 5, "stderr");
	end_output();
	cli_pump(&c, 1000, NULL);
	is_str(buf_cstr(&c.got[1]), "command terminated with non-zero exit "
	       "code: error executing command [sh -c exit 3], exit code 2",
	       "v2: the message text alone");
	cli_close(&c);

	cli_open(&c, "channel.k8s.io", false, false);
	cli_stream(&c, 1, "error");
	cli_stream(&c, 3, "stdout");
	cli_stream(&c, 5, "stderr");
	end_output();
	cli_pump(&c, 1000, NULL);
	ok(c.fin[1] && c.got[1].len == 0, "v1 success: an empty error stream");
	cli_close(&c);
}

static void test_tty_resize(void)
{
	struct cli c;

	cli_open(&c, "v3.channel.k8s.io", true, true);
	cli_stream(&c, 1, "error");
	cli_stream(&c, 3, "stdin");
	cli_stream(&c, 5, "stdout");
	cli_stream(&c, 7, "resize");
	cli_data(&c, 7, "{\"Width\":100,\"Height\":30}\n{\"Wid", false);
	cli_data(&c, 7, "th\":90,\"Height\":25}\n", false);
	cli_pump(&c, 300, NULL);
	is_int((int)fake.cols, 90, "the last resize's width");
	is_int((int)fake.rows, 25, "and height (split across frames)");
	if (write(fake.out_w, "ok", 2) != 2)
		abort();
	end_output();
	cli_pump(&c, 1000, NULL);
	is_str(buf_cstr(&c.got[5]), "ok", "tty output on stdout");
	ok(c.fin[1] && c.got[1].len == 0, "v3 success: nothing on error");
	cli_close(&c);
}

static void test_client_leaves(void)
{
	struct cli c;

	cli_open(&c, "v4.channel.k8s.io", false, true);
	cli_stream(&c, 1, "error");
	shutdown(c.sv[1], SHUT_RDWR);
	pthread_join(c.t, NULL);
	ok(1, "a client gone before its streams ends the session");
	c.resp.upgrade->free(c.resp.upgrade->ctx);
	ok(fake.closed, "the process is closed");
	free(c.resp.upgrade);
	close(c.sv[0]);
	close(c.sv[1]);
	close(fake.in_r);
	end_output();
	spdy_codec_free(c.codec);
	buf_free(&c.in);
}

static void test_garbage(void)
{
	struct cli c;
	static const char junk[] = "\x80\x03\x00\x01\x00\x00\x00\x02xx";

	cli_open(&c, "v4.channel.k8s.io", false, false);
	if (write(c.sv[1], junk, sizeof(junk) - 1) < 0)
		abort();
	pthread_join(c.t, NULL);
	ok(1, "a malformed frame ends the session");
	c.resp.upgrade->free(c.resp.upgrade->ctx);
	free(c.resp.upgrade);
	close(c.sv[0]);
	close(c.sv[1]);
	close(fake.in_r);
	end_output();
	spdy_codec_free(c.codec);
	buf_free(&c.in);
}

int main(void)
{
	test_v4();
	test_v2_text();
	test_tty_resize();
	test_client_leaves();
	test_garbage();
	return tap_done();
}
