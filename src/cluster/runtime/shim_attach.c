/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shim_attach: the shim's attach socket (containers/ID/attach.sock, as
 * CRI-O's conmon keeps one per container).  Clients name each
 * connection with its first byte (rt_int.h, RT_ATTACH_*):
 *
 *   stdout/stderr  get the container's output from then on (the
 *                  terminal's on stdout for tty containers), closed when
 *                  the container's output ends; a client that cannot
 *                  keep up (its socket buffer full) is dropped;
 *   stdin          feeds the container's stdin (a pipe, or the terminal)
 *                  through a small buffer: while it is full the shim
 *                  reads no client input.  With stdinOnce the first
 *                  stdin client's EOF closes the container's stdin (on a
 *                  terminal: a ^D);
 *   resize         + uint16 cols, rows: TIOCSWINSZ on the terminal.
 *
 * Runs on the shim's single thread, driven by its poll loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

#define MAX_CLIENTS 32
#define SNDBUF (1 << 20)

struct shim_client {
	int fd;
	char kind;		/* 0 until its first byte arrived */
};

struct rt_shim_att {
	int ls;			/* listening socket */
	int in_fd;		/* container stdin: pipe or master; -1 */
	int tty_fd;		/* master for resize, -1 */
	bool once, in_done;	/* stdinOnce; stdin closed (or ^D sent) */
	bool close_in;		/* close once the buffer drained */
	char buf[4096];		/* stdin not yet written */
	size_t len, off;
	struct shim_client c[MAX_CLIENTS];
	size_t n;
};

struct rt_shim_att *rt_shim_att_new(int in_fd, int tty_fd, bool once)
{
	struct rt_shim_att *a = xcalloc(1, sizeof(*a));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	a->in_fd = in_fd;
	a->tty_fd = tty_fd;
	a->once = once;
	if (in_fd >= 0)
		fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	memcpy(sa.sun_path, RT_ATTACH_SOCK, sizeof(RT_ATTACH_SOCK));
	unlink(RT_ATTACH_SOCK);
	a->ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (a->ls >= 0 && (bind(a->ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
			   listen(a->ls, 16) < 0)) {
		close(a->ls);
		a->ls = -1;
	}
	return a;
}

static void drop(struct rt_shim_att *a, size_t i)
{
	close(a->c[i].fd);
	a->c[i] = a->c[--a->n];
}

/* The container's stdin ends: after what is buffered. */
static void stdin_end(struct rt_shim_att *a)
{
	static const char eot = 4;	/* ^D: EOF for a terminal reader */

	if (a->len > a->off) {
		a->close_in = true;
		return;
	}
	a->close_in = false;
	a->in_done = true;
	if (a->in_fd < 0)
		return;
	if (a->tty_fd >= 0) {
		if (write(a->in_fd, &eot, 1) < 0)
			return;
	} else {
		close(a->in_fd);
		a->in_fd = -1;
	}
}

static void accept_all(struct rt_shim_att *a)
{
	int fd, sz = SNDBUF;

	while ((fd = accept4(a->ls, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		if (a->n == MAX_CLIENTS) {
			close(fd);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		a->c[a->n++] = (struct shim_client){ fd, 0 };
	}
}

static void do_resize(struct rt_shim_att *a, int fd)
{
	uint16_t size[2];
	struct winsize ws = { 0 };

	if (recv(fd, size, sizeof(size), MSG_WAITALL) != sizeof(size) ||
	    a->tty_fd < 0)
		return;
	ws.ws_col = size[0];
	ws.ws_row = size[1];
	ioctl(a->tty_fd, TIOCSWINSZ, &ws);
}

/* First byte of client i; false when it is to be dropped. */
static bool handshake(struct rt_shim_att *a, size_t i)
{
	char k;

	if (recv(a->c[i].fd, &k, 1, 0) != 1)
		return false;
	if (k == RT_ATTACH_RESIZE) {
		do_resize(a, a->c[i].fd);
		return false;
	}
	if (k == RT_ATTACH_STDIN && (a->in_done || a->in_fd < 0))
		return false;	/* stdin is closed: EOF to the writer */
	if (k != RT_ATTACH_STDOUT && k != RT_ATTACH_STDERR &&
	    k != RT_ATTACH_STDIN)
		return false;
	a->c[i].kind = k;
	if (k == RT_ATTACH_STDOUT || k == RT_ATTACH_STDERR)
		shutdown(a->c[i].fd, SHUT_RD);
	return true;
}

/* Input from stdin client i; false at its EOF. */
static bool client_input(struct rt_shim_att *a, size_t i)
{
	ssize_t n;

	if (a->len > a->off)
		return true;	/* another client filled the buffer */
	n = read(a->c[i].fd, a->buf, sizeof(a->buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		if (a->once && !a->in_done)
			stdin_end(a);
		return false;
	}
	a->len = (size_t)n;
	a->off = 0;
	return true;
}

static void flush_stdin(struct rt_shim_att *a)
{
	ssize_t n;

	if (a->in_fd < 0) {
		a->len = a->off = 0;
		return;
	}
	n = write(a->in_fd, a->buf + a->off, a->len - a->off);
	if (n > 0)
		a->off += (size_t)n;
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		a->off = a->len;	/* the container closed its stdin */
	if (a->off == a->len) {
		a->len = a->off = 0;
		if (a->close_in)
			stdin_end(a);
	}
}

size_t rt_shim_att_pollfds(struct rt_shim_att *a, struct pollfd *pf, size_t max)
{
	size_t k = 0;
	bool pending;

	if (!a || max < MAX_CLIENTS + 2)
		return 0;
	pending = a->len > a->off;
	pf[k++] = (struct pollfd){ a->ls, POLLIN, 0 };
	pf[k++] = (struct pollfd){ pending ? a->in_fd : -1, POLLOUT, 0 };
	for (size_t i = 0; i < a->n; i++) {
		bool reads = !a->c[i].kind ||
			     (a->c[i].kind == RT_ATTACH_STDIN && !pending);
		/* output clients: only hang-ups matter */
		pf[k++] = (struct pollfd){ a->c[i].fd, reads ? POLLIN : 0, 0 };
	}
	return k;
}

void rt_shim_att_handle(struct rt_shim_att *a, const struct pollfd *pf, size_t n)
{
	size_t nc;
	int fds[MAX_CLIENTS];

	if (!a || n < 2)
		return;
	nc = a->n;
	if (pf[1].revents)
		flush_stdin(a);
	/* pf[2..] match the clients as they were; drops reorder a->c */
	for (size_t i = 0; i < nc && i + 2 < n; i++)
		fds[i] = pf[i + 2].revents ? pf[i + 2].fd : -1;
	for (size_t i = 0; i < nc && i + 2 < n; i++) {
		size_t j = 0;
		bool keep = true;

		if (fds[i] < 0)
			continue;
		while (j < a->n && a->c[j].fd != fds[i])
			j++;
		if (j == a->n)
			continue;
		if (!a->c[j].kind)
			keep = handshake(a, j);
		else if (a->c[j].kind == RT_ATTACH_STDIN)
			keep = client_input(a, j);
		else
			keep = false;	/* an output client hung up */
		if (!keep)
			drop(a, j);
		else if (a->len > a->off)
			flush_stdin(a);
	}
	if (pf[0].revents & POLLIN)
		accept_all(a);
}

void rt_shim_att_output(struct rt_shim_att *a, int stream, const char *p, size_t n)
{
	char kind = stream == 0 ? RT_ATTACH_STDOUT : RT_ATTACH_STDERR;

	for (size_t i = 0; a && i < a->n;) {
		if (a->c[i].kind != kind) {
			i++;
			continue;
		}
		if (send(a->c[i].fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL) !=
		    (ssize_t)n)
			drop(a, i);	/* gone, or too slow to keep */
		else
			i++;
	}
}

void rt_shim_att_free(struct rt_shim_att *a)
{
	if (!a)
		return;
	while (a->n)
		drop(a, a->n - 1);
	if (a->in_fd >= 0 && a->tty_fd < 0)
		close(a->in_fd);	/* the stdin pipe; the master is the shim's */
	if (a->ls >= 0) {
		close(a->ls);
		unlink(RT_ATTACH_SOCK);
	}
	free(a);
}
