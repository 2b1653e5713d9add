/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dns_server: the cluster DNS server.  One thread polls the UDP socket,
 * the TCP listener and one upstream socket.  Names of the cluster domain
 * are answered from the current Service model (dns.c); every other query
 * goes to the first upstream server with a fresh id whose low bits name
 * a slot of the pending table, and the upstream's reply goes back to the
 * client with the client's id.  An ExternalName's CNAME goes out the
 * same way as a query for its target, whose answer is appended to the
 * CNAME (dns_chase.c).  Unanswered forwards are forgotten after
 * PEND_TTL_MS (the client's resolver retries).  TCP connections (clients
 * retry over TCP after a truncated UDP reply) get a thread each, at most
 * TCP_MAX at once, forwarding over UDP with a timeout.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "cluster/net/dns.h"
#include "common/mem.h"

#define NPEND 1024		/* pending forwards; a power of two */
#define PEND_TTL_MS 4000
#define MAX_UP 3
#define TCP_MAX 16
#define TCP_IDLE_MS 5000
#define MSG_MAX 65535

struct pending {
	bool used;
	uint16_t id, orig_id;
	struct sockaddr_in client;
	int64_t at_ms;
	uint8_t *chase;		/* chasing: our CNAME reply, else NULL */
	size_t chase_len;
};

struct tcp_conn {
	struct dns_server *s;
	pthread_t th;
	int fd;
	bool used, done;	/* done: set by the thread under s->mu */
};

struct dns_server {
	int udp, tcp, up, wake[2];
	pthread_t thread;
	pthread_mutex_t mu;	/* model, stopping, conns[].done */
	struct svc_model *model;
	bool stopping;
	char *domain;
	struct sockaddr_in upstream[MAX_UP];
	size_t nup;
	struct pending pend[NPEND];
	uint32_t next;
	struct tcp_conn conns[TCP_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct svc_model *current(struct dns_server *s)
{
	struct svc_model *m;

	pthread_mutex_lock(&s->mu);
	m = svc_model_ref(s->model);
	pthread_mutex_unlock(&s->mu);
	return m;
}

/* ---- UDP and forwarding ---- */

/*
 * Send q upstream for client from; chase (ours, may be NULL) is the
 * CNAME reply the upstream's answer completes.
 */
static void forward(struct dns_server *s, uint8_t *q, size_t len,
		    const struct sockaddr_in *from, uint8_t *chase,
		    size_t chase_len)
{
	int64_t now = now_ms();
	struct pending *p = NULL;
	uint32_t slot = 0;

	for (uint32_t i = 0; i < NPEND && !p; i++) {
		slot = (s->next + i) & (NPEND - 1);
		if (!s->pend[slot].used ||
		    now - s->pend[slot].at_ms > PEND_TTL_MS)
			p = &s->pend[slot];
	}
	if (!p) {
		free(chase);
		return;		/* all busy: drop, the client retries */
	}
	s->next = slot + 1;
	free(p->chase);
	p->chase = chase;
	p->chase_len = chase_len;
	p->used = true;
	p->orig_id = (uint16_t)(q[0] << 8 | q[1]);
	p->id = (uint16_t)(((uint32_t)rand() << 10 & 0xfc00) | slot);
	p->client = *from;
	p->at_ms = now;
	q[0] = (uint8_t)(p->id >> 8);
	q[1] = (uint8_t)p->id;
	if (sendto(s->up, q, len, 0, (const struct sockaddr *)&s->upstream[0],
		   sizeof(s->upstream[0])) < 0)
		p->used = false;
}

static void reply_udp(struct dns_server *s, const void *r, size_t n,
		      const struct sockaddr_in *to)
{
	if (sendto(s->udp, r, n, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0 && errno != EAGAIN)
		return;		/* the client is gone; nothing to do */
}

static void on_query(struct dns_server *s)
{
	uint8_t buf[4096], *out = NULL;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s->udp, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
	struct svc_model *m;
	uint8_t *cq = NULL;
	size_t olen = 0, cqlen = 0;

	if (n <= 0)
		return;
	m = current(s);
	switch (dns_answer(m, s->domain, buf, (size_t)n, true, &out, &olen)) {
	case DNS_REPLY:
		if (s->nup && dns_chase_query(out, olen, s->domain, &cq,
					      &cqlen) == 0) {
			forward(s, cq, cqlen, &from, out, olen);
			out = NULL;	/* the pending entry has it */
		} else {
			reply_udp(s, out, olen, &from);
		}
		break;
	case DNS_FORWARD:
		if (s->nup)
			forward(s, buf, (size_t)n, &from, NULL, 0);
		else if (dns_error_reply(buf, (size_t)n, LDNS_RCODE_SERVFAIL,
					 &out, &olen) == 0)
			reply_udp(s, out, olen, &from);
		break;
	case DNS_DROP:
		break;
	}
	free(cq);
	free(out);
	svc_model_unref(m);
}

static void on_upstream(struct dns_server *s)
{
	uint8_t buf[4096];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s->up, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
	struct pending *p;
	uint8_t *merged = NULL;
	size_t mlen = 0;
	uint16_t id;

	if (n < 12 || from.sin_addr.s_addr != s->upstream[0].sin_addr.s_addr)
		return;
	id = (uint16_t)(buf[0] << 8 | buf[1]);
	p = &s->pend[id & (NPEND - 1)];
	if (!p->used || p->id != id)
		return;		/* late or forged */
	p->used = false;
	buf[0] = (uint8_t)(p->orig_id >> 8);
	buf[1] = (uint8_t)p->orig_id;
	if (!p->chase) {
		reply_udp(s, buf, (size_t)n, &p->client);
		return;
	}
	if (dns_chase_merge(p->chase, p->chase_len, buf, (size_t)n, true,
			    &merged, &mlen) == 0)
		reply_udp(s, merged, mlen, &p->client);
	else
		reply_udp(s, p->chase, p->chase_len, &p->client);
	free(merged);
	free(p->chase);
	p->chase = NULL;
}

/* ---- TCP ---- */

static bool stopping(struct dns_server *s)
{
	bool st;

	pthread_mutex_lock(&s->mu);
	st = s->stopping;
	pthread_mutex_unlock(&s->mu);
	return st;
}

/* Read exactly n bytes within TCP_IDLE_MS, watching for stop. */
static int read_full(struct tcp_conn *c, uint8_t *p, size_t n)
{
	int64_t end = now_ms() + TCP_IDLE_MS;
	size_t got = 0;

	while (got < n) {
		struct pollfd pf = { .fd = c->fd, .events = POLLIN };
		ssize_t r;

		if (stopping(c->s) || now_ms() > end)
			return -1;
		if (poll(&pf, 1, 500) <= 0)
			continue;
		r = read(c->fd, p + got, n - got);
		if (r <= 0 && !(r < 0 && errno == EINTR))
			return -1;
		if (r > 0)
			got += (size_t)r;
	}
	return 0;
}

/* Ask the upstream over UDP from a socket of our own; -1 on timeout. */
static int ask_upstream(struct dns_server *s, const uint8_t *q, size_t len,
			uint8_t *out, size_t *outlen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&s->upstream[0],
		    sizeof(s->upstream[0])) == 0 &&
	    send(fd, q, len, 0) == (ssize_t)len && poll(&pf, 1, 2000) > 0 &&
	    (n = recv(fd, out, MSG_MAX, 0)) >= 12 && !memcmp(out, q, 2)) {
		*outlen = (size_t)n;
		rc = 0;
	}
	close(fd);
	return rc;
}

static void send_framed(int fd, const uint8_t *p, size_t n)
{
	uint8_t hdr[2] = { (uint8_t)(n >> 8), (uint8_t)n };
	struct iovec iov[2] = { { hdr, 2 }, { (void *)p, n } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return;		/* the client left */
}

/* Send our reply; an ExternalName's CNAME with the target chased. */
static void tcp_reply(struct tcp_conn *c, const uint8_t *r, size_t len)
{
	struct dns_server *s = c->s;
	uint8_t *cq = NULL, *up = NULL, *merged = NULL;
	size_t cqlen = 0, ulen = 0, mlen = 0;

	if (s->nup && dns_chase_query(r, len, s->domain, &cq, &cqlen) == 0) {
		up = xmalloc(MSG_MAX);
		if (ask_upstream(s, cq, cqlen, up, &ulen) == 0 &&
		    dns_chase_merge(r, len, up, ulen, false, &merged,
				    &mlen) == 0) {
			r = merged;
			len = mlen;
		}
	}
	send_framed(c->fd, r, len);
	free(merged);
	free(up);
	free(cq);
}

static void tcp_one(struct tcp_conn *c, uint8_t *q, size_t len)
{
	struct dns_server *s = c->s;
	struct svc_model *m = current(s);
	uint8_t *out = NULL, *up = NULL;
	size_t olen = 0;

	switch (dns_answer(m, s->domain, q, len, false, &out, &olen)) {
	case DNS_REPLY:
		tcp_reply(c, out, olen);
		break;
	case DNS_FORWARD:
		up = xmalloc(MSG_MAX);
		if (s->nup && ask_upstream(s, q, len, up, &olen) == 0)
			send_framed(c->fd, up, olen);
		else if (dns_error_reply(q, len, LDNS_RCODE_SERVFAIL, &out,
					 &olen) == 0)
			send_framed(c->fd, out, olen);
		break;
	case DNS_DROP:
		break;
	}
	free(up);
	free(out);
	svc_model_unref(m);
}

static void *tcp_thread(void *arg)
{
	struct tcp_conn *c = arg;
	uint8_t *q = xmalloc(MSG_MAX);

	for (int i = 0; i < 16; i++) {	/* a few queries per connection */
		uint8_t hdr[2];
		size_t len;

		if (read_full(c, hdr, 2) < 0)
			break;
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (!len || read_full(c, q, len) < 0)
			break;
		tcp_one(c, q, len);
	}
	free(q);
	close(c->fd);
	pthread_mutex_lock(&c->s->mu);
	c->done = true;
	pthread_mutex_unlock(&c->s->mu);
	return NULL;
}

/* Join finished connection threads; all of them when all is set. */
static void reap(struct dns_server *s, bool all)
{
	for (int i = 0; i < TCP_MAX; i++) {
		struct tcp_conn *c = &s->conns[i];
		bool done;

		pthread_mutex_lock(&s->mu);
		done = c->done;
		pthread_mutex_unlock(&s->mu);
		if (c->used && (done || all)) {
			pthread_join(c->th, NULL);
			c->used = c->done = false;
		}
	}
}

static void on_accept(struct dns_server *s)
{
	int fd = accept4(s->tcp, NULL, NULL, SOCK_CLOEXEC);
	struct tcp_conn *c = NULL;

	if (fd < 0)
		return;
	reap(s, false);
	for (int i = 0; i < TCP_MAX && !c; i++)
		if (!s->conns[i].used)
			c = &s->conns[i];
	if (!c) {
		close(fd);	/* busy: the client retries */
		return;
	}
	c->s = s;
	c->fd = fd;
	c->done = false;
	c->used = pthread_create(&c->th, NULL, tcp_thread, c) == 0;
	if (!c->used)
		close(fd);
}

static void *server_thread(void *arg)
{
	struct dns_server *s = arg;

	while (!stopping(s)) {
		struct pollfd pf[4] = {
		    { .fd = s->wake[0], .events = POLLIN },
		    { .fd = s->udp, .events = POLLIN },
		    { .fd = s->tcp, .events = POLLIN },
		    { .fd = s->up, .events = POLLIN },
		};

		if (poll(pf, 4, 1000) <= 0)
			continue;
		if (pf[1].revents & POLLIN)
			on_query(s);
		if (pf[2].revents & POLLIN)
			on_accept(s);
		if (pf[3].revents & POLLIN)
			on_upstream(s);
	}
	return NULL;
}

/* ---- life ---- */

int dns_parse_addr(const char *text, int def_port, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strchr(text, ':');
	int port = def_port;

	memset(a, 0, sizeof(*a));
	if (colon) {
		if ((size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
		port = atoi(colon + 1);
	} else {
		snprintf(host, sizeof(host), "%s", text);
	}
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return port > 0 && port < 65536 &&
		       inet_pton(AF_INET, host, &a->sin_addr) == 1
		   ? 0
		   : -1;
}

static int open_sockets(struct dns_server *s,
			const struct dns_server_config *cfg, struct err *e)
{
	struct sockaddr_in a;
	int one = 1;

	if (dns_parse_addr(cfg->addr, cfg->port, &a) < 0)
		return err_set(e, ERR_INVALID, "cluster DNS: bad address %s",
			       cfg->addr);
	s->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	s->tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	s->up = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->udp < 0 || s->tcp < 0 || s->up < 0)
		return err_set(e, ERR_IO, "cluster DNS: socket: %s",
			       strerror(errno));
	setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->udp, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    bind(s->tcp, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->tcp, 16) < 0)
		return err_set(e, ERR_IO, "cluster DNS: listen on %s:%d: %s",
			       cfg->addr, cfg->port, strerror(errno));
	return 0;
}

int dns_server_start(const struct dns_server_config *cfg,
		     struct dns_server **out, struct err *e)
{
	struct dns_server *s = xcalloc(1, sizeof(*s));

	s->udp = s->tcp = s->up = s->wake[0] = s->wake[1] = -1;
	s->domain = xstrdup(cfg->domain ? cfg->domain : "cluster.local");
	pthread_mutex_init(&s->mu, NULL);
	for (size_t i = 0; cfg->upstream && cfg->upstream[i] && s->nup < MAX_UP;
	     i++)
		if (dns_parse_addr(cfg->upstream[i], 53, &s->upstream[s->nup]) == 0)
			s->nup++;
	if (open_sockets(s, cfg, e) < 0)
		goto fail;
	if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		err_set(e, ERR_IO, "cluster DNS: pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&s->thread, NULL, server_thread, s) != 0) {
		err_set(e, ERR_INTERNAL, "cluster DNS: cannot start thread");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	s->stopping = true;	/* no thread to stop */
	dns_server_stop(s);
	return -1;
}

void dns_server_set_model(struct dns_server *s, struct svc_model *m)
{
	struct svc_model *old;

	pthread_mutex_lock(&s->mu);
	old = s->model;
	s->model = svc_model_ref(m);
	pthread_mutex_unlock(&s->mu);
	svc_model_unref(old);
}

static void close_fds(struct dns_server *s)
{
	int fds[] = { s->udp, s->tcp, s->up, s->wake[0], s->wake[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void dns_server_stop(struct dns_server *s)
{
	bool running;

	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	running = !s->stopping;
	s->stopping = true;
	pthread_mutex_unlock(&s->mu);
	if (running) {
		if (write(s->wake[1], "s", 1) < 0 && errno != EAGAIN)
			fprintf(stderr, "kdeck: dns: wake: %s\n",
				strerror(errno));
		pthread_join(s->thread, NULL);
	}
	reap(s, true);
	close_fds(s);
	svc_model_unref(s->model);
	for (size_t i = 0; i < NPEND; i++)
		free(s->pend[i].chase);
	pthread_mutex_destroy(&s->mu);
	free(s->domain);
	free(s);
}

char **dns_upstreams(const char *resolv_conf, const char *skip)
{
	FILE *f = fopen(resolv_conf, "r");
	char line[512], **v = xcalloc(MAX_UP + 1, sizeof(*v));
	size_t n = 0;

	while (f && n < MAX_UP && fgets(line, sizeof(line), f)) {
		char addr[64];
		struct in_addr a;

		if (sscanf(line, " nameserver %63s", addr) != 1 ||
		    inet_pton(AF_INET, addr, &a) != 1 ||
		    (skip && !strcmp(addr, skip)))
			continue;
		v[n++] = xstrdup(addr);
	}
	if (f)
		fclose(f);
	return v;
}
