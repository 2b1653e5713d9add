/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shim_attach: the shim's attach socket (containers/ID/attach.sock, as
 * CRI-O's conmon keeps one per container).  Clients name each
 * connection with its first byte (rt_int.h, RT_ATTACH_*):
 *
 *   stdout/stderr  get the container's output from then on (the
 *                  terminal's on stdout for tty containers), closed when
 *                  the container's output ends.  Back-pressure: what a
 *                  client's socket does not take is kept (at most one
 *                  read of output) and, while any client is behind, the
 *                  shim reads no more output (rt_shim_att_behind): the
 *                  container's writes block, as on a terminal, and
 *                  memory stays bounded.  A client behind for STALL_MS
 *                  is dropped, so a client that stopped reading for good
 *                  does not hold the container forever;
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
#include <time.h>
#include <unistd.h>

#include "cluster/runtime/rt_int.h"
#include "common/mem.h"

#define MAX_CLIENTS 32
#define SNDBUF (256 * 1024)	/* back-pressure makes more useless */
#define STALL_MS 30000

struct shim_client {
	int fd;
	char kind;		/* 0 until its first byte arrived */
	char *pend;		/* output its socket did not take yet */
	size_t plen, poff;
	int64_t since_ms;	/* behind since (pend non-empty) */
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

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(struct rt_shim_att *a, size_t i)
{
	close(a->c[i].fd);
	free(a->c[i].pend);
	a->c[i] = a->c[--a->n];
}

/* Send what client c has pending; false when it is gone. */
static bool client_flush(struct shim_client *c)
{
	ssize_t n;

	while (c->poff < c->plen) {
		n = send(c->fd, c->pend + c->poff, c->plen - c->poff,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)
			return false;
		c->poff += (size_t)n;
	}
	c->plen = c->poff = 0;
	return true;
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
		a->c[a->n++] = (struct shim_client){ .fd = fd };
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
		/* output clients: hang-ups, and room for what is pending */
		short ev = reads ? POLLIN : a->c[i].plen ? POLLOUT : 0;

		pf[k++] = (struct pollfd){ a->c[i].fd, ev, 0 };
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
		else	/* an output client: room, or a hang-up */
			keep = !(pf[i + 2].revents & (POLLHUP | POLLERR)) &&
			       client_flush(&a->c[j]);
		if (!keep)
			drop(a, j);
		else if (a->len > a->off)
			flush_stdin(a);
	}
	if (pf[0].revents & POLLIN)
		accept_all(a);
}

/*
 * Send p to client c, keeping what its socket does not take; false when
 * it is gone.  The shim reads no output while a client is behind, so
 * the pending bytes stay within one read.
 */
static bool client_send(struct shim_client *c, const char *p, size_t n)
{
	if (!client_flush(c))
		return false;
	if (c->poff) {
		memmove(c->pend, c->pend + c->poff, c->plen - c->poff);
		c->plen -= c->poff;
		c->poff = 0;
	}
	if (!c->plen)
		c->since_ms = mono_ms();
	c->pend = xrealloc(c->pend, c->plen + n);
	memcpy(c->pend + c->plen, p, n);
	c->plen += n;
	return client_flush(c);
}

void rt_shim_att_output(struct rt_shim_att *a, int stream, const char *p, size_t n)
{
	char kind = stream == 0 ? RT_ATTACH_STDOUT : RT_ATTACH_STDERR;

	for (size_t i = 0; a && i < a->n;) {
		if (a->c[i].kind == kind && !client_send(&a->c[i], p, n))
			drop(a, i);	/* gone */
		else
			i++;
	}
}

int rt_shim_att_behind(struct rt_shim_att *a)
{
	int64_t now = mono_ms(), wait = -1;

	for (size_t i = 0; a && i < a->n;) {
		int64_t left;

		if (!a->c[i].plen) {
			i++;
			continue;
		}
		left = a->c[i].since_ms + STALL_MS - now;
		if (left <= 0) {
			drop(a, i);	/* stalled for good */
			continue;
		}
		if (wait < 0 || left < wait)
			wait = left;
		i++;
	}
	return (int)wait;
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
