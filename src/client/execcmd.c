/* SPDX-License-Identifier: Apache-2.0 */
/*
 * execcmd: `kdeck exec POD [-c C] [-i] [-t] -- CMD...` and `kdeck attach
 * POD [-c C] [-i] [-t]`, kubectl's surface over a kexec session.
 *
 * The session thread writes stdout/stderr straight to fds 1 and 2 and
 * signals the end through a pipe; the main thread polls stdin (with -i),
 * that pipe and a SIGWINCH self-pipe (with -t: the terminal is raw and
 * size changes are sent on the resize channel).  Exit status: the remote
 * process's (like kubectl), 1 when the session could not run, 2 on usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "client/get.h"
#include "client/stream.h"
#include "cmd.h"
#include "common/mem.h"

struct exec_opts {
	struct get_args a;
	const char *container;
	bool in, tty, attach;
	char **command;
};

struct exec_run {
	int done_pipe[2];
	int code;
	struct err err;
};

static int exec_winch_pipe[2] = { -1, -1 };

static const struct option exec_longopts[] = {
	{ "namespace", required_argument, NULL, 'n' },
	{ "container", required_argument, NULL, 'c' },
	{ "stdin", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "context", required_argument, NULL, 'C' },
	{ "kubeconfig", required_argument, NULL, 'K' },
	{ "ssh", required_argument, NULL, 'H' },
	{ "as", required_argument, NULL, 'A' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int exec_usage(bool attach, const char *msg)
{
	if (msg)
		fprintf(stderr, "error: %s\n", msg);
	fprintf(stderr, "usage: kdeck %s POD [-c CONTAINER] [-n NS] [-i] [-t] "
		"[--context C] [--kubeconfig F] [--ssh USER@HOST[:PORT]] "
		"[--as USER]%s\n", attach ? "attach" : "exec",
		attach ? "" : " -- COMMAND [ARGS...]");
	return 2;
}

static int exec_opt(int ch, struct exec_opts *o)
{
	switch (ch) {
	case 'n': o->a.ns = optarg; break;
	case 'c': o->container = optarg; break;
	case 'i': o->in = true; break;
	case 't': o->tty = true; break;
	case 'C': o->a.context = optarg; break;
	case 'K': o->a.kubeconfig = optarg; break;
	case 'H': o->a.ssh = optarg; break;
	case 'A': o->a.as = optarg; break;
	case 'h': exec_usage(o->attach, NULL); return 1;
	default: return exec_usage(o->attach, "unknown option");
	}
	return 0;
}

static int exec_parse(int argc, char **argv, struct exec_opts *o)
{
	int ch, rc;

	optind = 1;
	opterr = 0;
	for (;;) {
		ch = getopt_long(argc, argv, "+n:c:ith", exec_longopts, NULL);
		if (ch != -1) {
			if ((rc = exec_opt(ch, o)) != 0)
				return rc;
			continue;
		}
		if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
			o->command = argv + optind;
			break;
		}
		if (optind >= argc)
			break;
		if (o->a.npos == GET_MAX_POS)
			return exec_usage(o->attach, "too many arguments");
		o->a.pos[o->a.npos++] = argv[optind++];
	}
	if (o->a.npos != 1)
		return exec_usage(o->attach, "want exactly one pod name");
	if (!o->attach && (!o->command || !o->command[0]))
		return exec_usage(o->attach, "want a command after --");
	if (o->attach && o->command)
		return exec_usage(o->attach, "attach takes no command");
	return 0;
}

static void exec_write_fd(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		p += k;
		n -= (size_t)k;
	}
}

static void exec_output(int chan, const void *data, size_t len, void *arg)
{
	(void)arg;
	exec_write_fd(chan == KEXEC_STDERR ? 2 : 1, data, len);
}

static void exec_end(int code, const struct err *e, void *arg)
{
	struct exec_run *r = arg;

	r->code = code;
	err_copy(&r->err, e);
	exec_write_fd(r->done_pipe[1], "x", 1);
}

static void exec_on_winch(int sig)
{
	int saved = errno;

	(void)sig;
	if (write(exec_winch_pipe[1], "w", 1) < 0) {
		/* the pipe is full: a resize is pending anyway */
	}
	errno = saved;
}

static void exec_send_size(struct kexec *x)
{
	struct winsize ws;
	struct err e;

	if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row)
		kexec_resize(x, ws.ws_col, ws.ws_row, &e);
}

/* Copy stdin to the session; false at end of input. */
static bool exec_stdin(struct kexec *x)
{
	char buf[8192];
	struct err e;
	ssize_t n = read(0, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		kexec_write(x, NULL, 0, &e);
		return false;
	}
	return kexec_write(x, buf, (size_t)n, &e) == 0;
}

/* Poll stdin, the end pipe and resizes until the session ends. */
static void exec_loop(struct kexec *x, struct exec_run *r,
		      const struct exec_opts *o)
{
	bool in = o->in;
	char drain[64];

	if (o->tty)
		exec_send_size(x);
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = r->done_pipe[0], .events = POLLIN },
			{ .fd = exec_winch_pipe[0], .events = POLLIN },
			{ .fd = in ? 0 : -1, .events = POLLIN },
		};
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN) {
			if (read(exec_winch_pipe[0], drain, sizeof(drain)) > 0 &&
			    o->tty)
				exec_send_size(x);
		}
		if (p[2].revents)
			in = exec_stdin(x);
	}
}

static void exec_pipes(void)
{
	struct sigaction sa;

	if (exec_winch_pipe[0] < 0 &&
	    pipe2(exec_winch_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		abort();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = exec_on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
}

/* Connect, run the session, restore the terminal; the exit status. */
static int exec_session(struct client *c, const struct exec_opts *o)
{
	struct exec_run r = { .code = -1 };
	struct kexec_opts ko = { .ns = o->a.ns ? o->a.ns : client_namespace(c),
		.pod = o->a.pos[0], .container = o->container,
		.command = (const char *const *)o->command,
		.attach = o->attach, .stdin_on = o->in, .tty = o->tty,
		.on_output = exec_output, .on_end = exec_end, .arg = &r };
	struct termios saved, raw;
	bool restore = false;
	struct kexec *x = NULL;
	struct err e;

	if (pipe2(r.done_pipe, O_CLOEXEC) < 0)
		abort();
	exec_pipes();
	if (o->tty && o->in && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(0, TCSADRAIN, &raw) == 0;
	}
	if (kexec_start(c, &ko, &x, &e) == 0)
		exec_loop(x, &r, o);
	else
		err_copy(&r.err, &e);
	kexec_free(x);
	if (restore)
		tcsetattr(0, TCSADRAIN, &saved);
	close(r.done_pipe[0]);
	close(r.done_pipe[1]);
	if (r.code < 0)
		return get_print_err(&r.err);
	return r.code;
}

static int exec_main(int argc, char **argv, bool attach)
{
	struct exec_opts o;
	struct client *c = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.attach = attach;
	if ((rc = exec_parse(argc, argv, &o)) != 0)
		return rc == 1 ? 0 : rc;
	if (o.tty && !isatty(0)) {
		fprintf(stderr, "Unable to use a TTY - input is not a terminal "
			"or the right kind of file\n");
		o.tty = false;
	}
	if (get_connect(&o.a, &c) != 0)
		return 1;
	rc = exec_session(c, &o);
	client_free(c);
	return rc;
}

int client_exec_main(int argc, char **argv)
{
	return exec_main(argc, argv, false);
}

int client_attach_main(int argc, char **argv)
{
	return exec_main(argc, argv, true);
}
