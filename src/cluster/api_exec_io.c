/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_exec_io: one exec/attach session after the 101, over a channel
 * transport (struct exec_tport: WebSocket channels in api_exec_ws.c,
 * SPDY/3.1 streams in api_exec_spdy.c): 0 stdin, 1 stdout, 2 stderr,
 * 3 status, 4 resize.
 *
 * Two threads: the upgrade thread (run) opens the transport, copies the
 * process's output to channels 1 and 2 and, once both reach EOF, waits
 * for the exit status and lets the transport write it as the kubelet does
 * and close.  A receiver thread reads the client's messages (stdin,
 * resize, stdin's end).
 * When the client goes away first, the receiver wakes run through a pipe
 * and nodeops close() ends the process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/api_exec.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

struct sess {
	struct exec_params p;
	char **argv;			/* owned copy (exec) */
	struct node_proc *proc;
	struct node_proc_io io;
	struct exec_tport tp;		/* set in run */
	int wake[2];			/* receiver -> run: client gone */
	char *fail;			/* start failed: this Status, no proc */
	atomic_bool done, gone;
};

char *api_exec_status(char *const *argv, bool exec, int exit_code)
{
	struct buf cmd = BUF_INIT, b = BUF_INIT;
	char *msg;

	if (!exec || exit_code <= 0)
		return xstrdup("{\"metadata\":{},\"status\":\"Success\"}");
	for (size_t i = 0; argv && argv[i]; i++)
		buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	msg = xasprintf("command terminated with non-zero exit code: error "
			"executing command [%s], exit code %d",
			buf_cstr(&cmd), exit_code);
	buf_adds(&b, "{\"metadata\":{},\"status\":\"Failure\",\"message\":");
	buf_add_json_str(&b, msg);
	buf_printf(&b, ",\"reason\":\"NonZeroExitCode\",\"details\":"
		       "{\"causes\":[{\"reason\":\"ExitCode\",\"message\":"
		       "\"%d\"}]}}", exit_code);
	free(msg);
	buf_free(&cmd);
	return buf_take(&b);
}

/* --- client -> process --------------------------------------------------- */

/* Write all of data to the process's stdin; false when it is gone. */
static bool write_stdin(struct sess *s, const uint8_t *d, size_t n)
{
	while (n > 0 && !atomic_load(&s->done)) {
		ssize_t w = write(s->io.in_fd, d, n);

		if (w > 0) {
			d += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { .fd = s->io.in_fd,
					    .events = POLLOUT };

			poll(&p, 1, 200);
		} else {
			return false;
		}
	}
	return true;
}

static void stdin_eof(struct sess *s)
{
	/* A terminal's in_fd is its output too: leave it open. */
	if (s->io.in_fd < 0 || s->p.req.tty)
		return;
	close(s->io.in_fd);	/* nodeops: closing it is the EOF */
	s->io.in_fd = -1;
}

static void resize(struct sess *s, const uint8_t *d, size_t n)
{
	cJSON *j = cJSON_ParseWithLength((const char *)d, n);
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "Width");
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "Height");

	if (cJSON_IsNumber(w) && cJSON_IsNumber(h) && w->valuedouble > 0 &&
	    h->valuedouble > 0 && w->valuedouble < 65536 &&
	    h->valuedouble < 65536 && s->p.ops.resize)
		s->p.ops.resize(s->proc, (unsigned)w->valuedouble,
				(unsigned)h->valuedouble);
	cJSON_Delete(j);
}

static void client_msg(struct sess *s, const struct exec_msg *m)
{
	if (m->ch == EXEC_CH_STDIN) {
		if (s->io.in_fd >= 0 && m->len &&
		    !write_stdin(s, m->data, m->len))
			stdin_eof(s);
		if (m->eof)
			stdin_eof(s);
	} else if (m->ch == EXEC_CH_RESIZE && m->len) {
		resize(s, m->data, m->len);
	}
}

static void *receiver(void *arg)
{
	struct sess *s = arg;
	struct exec_msg m;
	int rc, idle = 0;

	for (;;) {
		rc = s->tp.recv(s->tp.ctx, 200, &m);
		if (rc == -2) {
			if (atomic_load(&s->done) && ++idle >= 10)
				break;
			continue;
		}
		if (rc <= 0)
			break;
		client_msg(s, &m);
		free(m.data);
	}
	if (!atomic_load(&s->done)) {
		atomic_store(&s->gone, true);
		if (write(s->wake[1], "x", 1) < 0) {
			/* run polls the pipe; a full pipe is awake already */
		}
	}
	stdin_eof(s);
	return NULL;
}

/* --- process -> client --------------------------------------------------- */

/*
 * Copy output to channels until both streams end (true) or the client is
 * gone (false).
 */
static bool pump_output(struct sess *s)
{
	struct pollfd pf[3] = {
		{ .fd = s->io.out_fd, .events = POLLIN },
		{ .fd = s->p.req.tty ? -1 : s->io.err_fd, .events = POLLIN },
		{ .fd = s->wake[0], .events = POLLIN },
	};
	static const int chan[2] = { EXEC_CH_STDOUT, EXEC_CH_STDERR };
	char buf[32 * 1024];

	while (pf[0].fd >= 0 || pf[1].fd >= 0) {
		if (poll(pf, 3, -1) < 0 && errno != EINTR)
			return false;
		if (pf[2].revents || atomic_load(&s->gone))
			return false;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			n = read(pf[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {	/* EOF, or EIO from a closed tty */
				pf[i].fd = -1;
				continue;
			}
			if (s->tp.send(s->tp.ctx, chan[i], buf,
				       (size_t)n) < 0)
				return false;
		}
	}
	return true;
}

static void finish(struct sess *s)
{
	int code = -1;
	char *st;

	if (s->p.ops.wait)
		s->p.ops.wait(s->proc, &code);
	st = api_exec_status(s->argv, s->p.exec, code);
	s->tp.finish(s->tp.ctx, st);
	free(st);
}

static void sess_run(void *ctx, int fd, const char *pre, size_t prelen)
{
	struct sess *s = ctx;
	pthread_t t;
	bool ended;

	if (s->p.spdy)
		exec_tport_spdy(&s->tp, fd, pre, prelen, s->p.protocol,
				&s->p.req);
	else
		exec_tport_ws(&s->tp, fd, pre, prelen, s->p.protocol,
			      &s->p.req);
	if (s->tp.open(s->tp.ctx) < 0)
		return;
	if (s->fail) {
		s->tp.finish(s->tp.ctx, s->fail);
		return;
	}
	if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	if (s->io.in_fd >= 0)
		fcntl(s->io.in_fd, F_SETFL,
		      fcntl(s->io.in_fd, F_GETFL) | O_NONBLOCK);
	if (pthread_create(&t, NULL, receiver, s) != 0)
		return;
	ended = s->io.out_fd < 0 && s->io.err_fd < 0
			? true : pump_output(s);
	if (ended)
		finish(s);
	else
		s->tp.finish(s->tp.ctx, NULL);
	atomic_store(&s->done, true);
	pthread_join(t, NULL);
}

static void sess_free(void *ctx)
{
	struct sess *s = ctx;

	if (s->p.ops.close && s->proc)
		s->p.ops.close(s->proc);
	free(s->fail);
	if (s->tp.free)
		s->tp.free(s->tp.ctx);
	if (s->wake[0] >= 0) {
		close(s->wake[0]);
		close(s->wake[1]);
	}
	for (size_t i = 0; s->argv && s->argv[i]; i++)
		free(s->argv[i]);
	free(s->argv);
	free(s);
}

/* The Status for a runtime failure, as kubelet's stream server sends it. */
static char *start_failure(bool exec, const char *why)
{
	struct buf b = BUF_INIT;
	char *msg = xasprintf("%s: %s", exec ? "error executing command in "
			      "container" : "error attaching to container",
			      why);
	char *full = xasprintf("Internal error occurred: %s", msg);

	buf_adds(&b, "{\"metadata\":{},\"status\":\"Failure\",\"message\":");
	buf_add_json_str(&b, full);
	buf_adds(&b, ",\"reason\":\"InternalError\",\"details\":"
		     "{\"causes\":[{\"message\":");
	buf_add_json_str(&b, msg);
	buf_adds(&b, "}]},\"code\":500}");
	free(msg);
	free(full);
	return buf_take(&b);
}

static char **argv_copy(char *const *argv)
{
	size_t n = 0;
	char **c;

	while (argv && argv[n])
		n++;
	c = xcalloc(n + 1, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(argv[i]);
	return c;
}

int api_exec_start(const struct exec_params *p, char *const *argv,
		   struct api_resp *resp, struct err *e)
{
	struct sess *s = xcalloc(1, sizeof(*s));
	int (*start)(void *, const struct node_stdio_req *,
		     struct node_proc **, struct node_proc_io *, struct err *);
	struct api_upgrade *up;

	s->p = *p;
	s->argv = argv_copy(p->exec ? argv : NULL);
	s->p.req.argv = p->exec ? s->argv : NULL;
	s->wake[0] = s->wake[1] = -1;
	start = p->exec ? p->ops.exec : p->ops.attach;
	if (!start) {
		sess_free(s);
		return err_set(e, ERR_BAD_REQUEST, "the node does not "
			       "support %s", p->exec ? "exec" : "attach");
	}
	if (start(p->ops.ctx, &s->p.req, &s->proc, &s->io, e) < 0) {
		if (e->code != ERR_INTERNAL && e->code != ERR_UNAVAILABLE) {
			sess_free(s);
			return -1;
		}
		/* The runtime failed: kubelet reports it after the upgrade. */
		s->fail = start_failure(p->exec, e->msg);
		s->proc = NULL;
	}
	/* The names were the request's: only the flags are used from now. */
	s->p.req.ns = s->p.req.pod = s->p.req.container = NULL;
	up = xcalloc(1, sizeof(*up));
	up->ctx = s;
	memcpy(up->protocol, p->protocol, sizeof(up->protocol));
	up->spdy = p->spdy;
	up->run = sess_run;
	up->free = sess_free;
	resp->upgrade = up;
	resp->status = 101;
	return 0;
}
