/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_upgrade: HTTP Upgrade (WebSockets and the like) through the
 * ingress.  The request head goes to the endpoint over a TCP connection
 * of our own, with Connection: Upgrade and the client's Upgrade header
 * kept; when the endpoint switches protocols (101), libmicrohttpd hands
 * us the client's connection (MHD_create_response_for_upgrade) and the
 * bytes are relayed both ways until either side closes.  Any other
 * answer becomes a 502 that names it.  libcurl cannot hand over a
 * connection after a 101, so the endpoint's response head (a status
 * line and header lines, at most HEAD_MAX bytes) is split here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/net/ingress_int.h"
#include "common/buf.h"
#include "common/mem.h"

#define HEAD_MAX (16u << 10)
#define CONNECT_MS 5000
#define HEAD_MS 10000
#define TICK_MS 500

struct ingress_upgrade {
	int fd;			/* the endpoint */
	char *extra;		/* bytes after the endpoint's head */
	size_t nextra;
	const bool *stop;	/* the proxy is stopping */
};

static int wait_fd(int fd, short ev, int ms)
{
	struct pollfd pf = { .fd = fd, .events = ev };
	int n;

	do
		n = poll(&pf, 1, ms);
	while (n < 0 && errno == EINTR);
	return n;
}

static int dial(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (fd < 0 || inet_pton(AF_INET, ip, &a.sin_addr) != 1)
		goto fail;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 &&
	    (errno != EINPROGRESS || wait_fd(fd, POLLOUT, CONNECT_MS) <= 0 ||
	     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr))
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Write all of p to fd (non-blocking), giving up after ms of no room. */
static int send_all(int fd, const char *p, size_t n, int ms)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			return -1;
		} else if (w < 0 && errno == EAGAIN &&
			   wait_fd(fd, POLLOUT, ms) <= 0) {
			return -1;
		}
	}
	return 0;
}

/* Read the endpoint's response head into b; its length, or -1. */
static long read_head(int fd, struct buf *b)
{
	while (b->len < HEAD_MAX) {
		char tmp[4096];
		const char *end;
		ssize_t n;

		if (wait_fd(fd, POLLIN, HEAD_MS) <= 0)
			return -1;
		n = recv(fd, tmp, sizeof(tmp), 0);
		if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR)))
			return -1;
		if (n > 0)
			buf_add(b, tmp, (size_t)n);
		if ((end = memmem(b->data, b->len, "\r\n\r\n", 4)))
			return (long)(end - b->data) + 4;
	}
	return -1;
}

/* The endpoint's head lines (after the status line) onto resp. */
static void copy_headers(struct MHD_Response *resp, char *head)
{
	char *save = NULL, *line = strtok_r(head, "\r\n", &save);

	while ((line = strtok_r(NULL, "\r\n", &save))) {
		char *colon = strchr(line, ':'), *v;

		if (!colon)
			continue;
		*colon = '\0';
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		MHD_add_response_header(resp, line, v);
	}
}

/* Copy what fd from has to fd to; false when from is done. */
static bool pump(int from, int to)
{
	char b[16384];
	ssize_t n = recv(from, b, sizeof(b), MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	return n > 0 && send_all(to, b, (size_t)n, HEAD_MS) == 0;
}

static void relay(void *cls, struct MHD_Connection *c, void *con_cls,
		  const char *extra_in, size_t extra_in_size, MHD_socket sock,
		  struct MHD_UpgradeResponseHandle *urh)
{
	struct ingress_upgrade *u = cls;
	bool up = true;

	(void)c;
	(void)con_cls;
	if (send_all(u->fd, extra_in, extra_in_size, HEAD_MS) < 0 ||
	    send_all(sock, u->extra, u->nextra, HEAD_MS) < 0)
		up = false;
	while (up && !__atomic_load_n(u->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd pf[2] = { { .fd = sock, .events = POLLIN },
					{ .fd = u->fd, .events = POLLIN } };

		if (poll(pf, 2, TICK_MS) <= 0)
			continue;
		if (pf[0].revents)
			up = pump(sock, u->fd);
		if (up && pf[1].revents)
			up = pump(u->fd, sock);
	}
	shutdown(u->fd, SHUT_RDWR);	/* closed by ingress_upgrade_free */
	MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
}

void ingress_upgrade_free(struct ingress_upgrade *u)
{
	if (!u)
		return;
	close(u->fd);
	free(u->extra);
	free(u);
}

enum MHD_Result ingress_upgrade(struct MHD_Connection *c, const bool *stop,
				const char *method, const char *uri,
				const char *ip, int port,
				const struct curl_slist *hdrs,
				struct ingress_upgrade **out)
{
	const char *up = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Upgrade");
	struct buf req = BUF_INIT, head = BUF_INIT;
	struct MHD_Response *resp;
	struct ingress_upgrade *u;
	enum MHD_Result rc;
	int fd = dial(ip, port), status = 0;
	long hl = -1;
	char why[160];

	buf_printf(&req, "%s %s HTTP/1.1\r\n", method, uri);
	for (const struct curl_slist *l = hdrs; l; l = l->next)
		if (strcasecmp(l->data, "Expect:"))
			buf_printf(&req, "%s\r\n", l->data);
	buf_printf(&req, "Connection: Upgrade\r\nUpgrade: %s\r\n\r\n", up);
	if (fd >= 0 && send_all(fd, req.data, req.len, HEAD_MS) == 0)
		hl = read_head(fd, &head);
	if (hl > 0)
		sscanf(head.data, "HTTP/%*s %d", &status);
	buf_free(&req);
	if (status != 101) {
		snprintf(why, sizeof(why), "%s:%d: %s", ip, port,
			 fd < 0 ? "cannot connect"
			 : status ? "the endpoint did not switch protocols"
				  : "no response to the upgrade");
		if (fd >= 0)
			close(fd);
		buf_free(&head);
		return ingress_page(c, MHD_HTTP_BAD_GATEWAY,
				    "502 Bad Gateway: %s\n", why);
	}
	*out = u = xcalloc(1, sizeof(*u));
	u->fd = fd;
	u->stop = stop;
	u->nextra = head.len - (size_t)hl;
	u->extra = xmalloc(u->nextra ? u->nextra : 1);
	memcpy(u->extra, head.data + hl, u->nextra);
	head.data[hl] = '\0';
	resp = MHD_create_response_for_upgrade(relay, u);
	copy_headers(resp, head.data);
	rc = MHD_queue_response(c, MHD_HTTP_SWITCHING_PROTOCOLS, resp);
	MHD_destroy_response(resp);
	buf_free(&head);
	return rc;
}
