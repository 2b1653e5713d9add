/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server_tls: TLS termination and the byte relay (see server_tls.h).
 *
 * Every socket is non-blocking and registered edge-triggered; any event
 * on a connection runs conn_pump(), which moves bytes both ways until
 * each direction blocks (EAGAIN) or ends, so no readiness is ever lost.
 * Bytes read are written at once from the thread's scratch buffer; only
 * what a full peer does not take is copied into a per-connection pending
 * buffer (at most one TLS record or one scratch read), and reading that
 * direction stops until it drains: memory per connection is bounded and
 * an idle connection holds no buffer at all.
 *
 * Ends: the client's close_notify or FIN half-closes the socketpair (MHD
 * reads EOF); MHD closing its end flushes what is pending, sends
 * close_notify and closes the client socket.  An error either side closes
 * both.  Handshakes have a deadline, checked once a second.
 *
 * Threads: a connection belongs to the relay thread that accepted it; the
 * peer-certificate table (keyed by the MHD-side socket number) is shared
 * and guarded by cert_mu.  add_mu makes quiesce wait for a hand-off in
 * progress, so none happens after server_tls_quiesce returns.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <uthash.h>

#include "cluster/server_tls.h"
#include "common/mem.h"
#include "common/vec.h"

#define SCRATCH	    (64 * 1024)
#define MAX_EVENTS  64
#define TAG_PAIR    ((uintptr_t)1)

enum conn_state { CONN_HANDSHAKE, CONN_RELAY };

struct relay;

struct conn {
	struct relay *rl;
	enum conn_state state;
	int tcp, pair, mhd_fd;
	gnutls_session_t ses;
	int64_t deadline_ms;
	struct sockaddr_storage sa;
	socklen_t salen;
	/* TLS -> pair bytes the pair did not take yet. */
	char *in;
	size_t in_len;
	/* pair -> TLS bytes of a gnutls_record_send that said EAGAIN. */
	char *out;
	size_t out_len;
	bool tls_eof, pair_eof, dead;
	bool gone; /* closed; freed after the current batch of events */
	void *cert;
	size_t cert_len;
	struct conn *prev, *next; /* the relay's connections */
	UT_hash_handle hh;	  /* server_tls.certs, by mhd_fd */
};

struct relay {
	struct server_tls *t;
	pthread_t th;
	bool started;
	int ep, wake;
	struct conn *conns;
	struct vec gone; /* struct conn *: to free after this batch */
	char scratch[SCRATCH];
};

struct server_tls {
	int listen_fd;
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t prio;
	server_tls_hand_fn hand;
	void *arg;
	unsigned max_conns;
	atomic_long nconns;
	atomic_bool stop;
	pthread_mutex_t add_mu;
	bool quiesced; /* add_mu */
	pthread_mutex_t cert_mu;
	struct conn *certs; /* cert_mu */
	struct relay rl[SERVER_TLS_THREADS];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cert_table_put(struct server_tls *t, struct conn *c)
{
	struct conn *old = NULL;

	pthread_mutex_lock(&t->cert_mu);
	/* A stale entry of a closed socket with the same number goes. */
	HASH_FIND_INT(t->certs, &c->mhd_fd, old);
	if (old) {
		HASH_DEL(t->certs, old);
		old->mhd_fd = -1;
	}
	HASH_ADD_INT(t->certs, mhd_fd, c);
	pthread_mutex_unlock(&t->cert_mu);
}

static void cert_table_drop(struct server_tls *t, struct conn *c)
{
	pthread_mutex_lock(&t->cert_mu);
	if (c->mhd_fd >= 0) {
		struct conn *cur = NULL;

		HASH_FIND_INT(t->certs, &c->mhd_fd, cur);
		if (cur == c)
			HASH_DEL(t->certs, c);
		c->mhd_fd = -1;
	}
	pthread_mutex_unlock(&t->cert_mu);
}

int server_tls_peer_cert(struct server_tls *t, int fd, void **der,
			 size_t *len)
{
	struct conn *c = NULL;
	int found = 0;

	pthread_mutex_lock(&t->cert_mu);
	HASH_FIND_INT(t->certs, &fd, c);
	if (c && c->cert) {
		*der = xmalloc(c->cert_len);
		memcpy(*der, c->cert, c->cert_len);
		*len = c->cert_len;
		found = 1;
	}
	pthread_mutex_unlock(&t->cert_mu);
	return found;
}

int server_tls_peer_addr(struct server_tls *t, int fd,
			 struct sockaddr_storage *sa)
{
	struct conn *c = NULL;

	pthread_mutex_lock(&t->cert_mu);
	HASH_FIND_INT(t->certs, &fd, c);
	if (c)
		*sa = c->sa;
	pthread_mutex_unlock(&t->cert_mu);
	return c ? 1 : 0;
}

long server_tls_conns(struct server_tls *t)
{
	return atomic_load(&t->nconns);
}

static void conn_free(struct conn *c)
{
	struct relay *rl = c->rl;

	cert_table_drop(rl->t, c);
	if (c->prev)
		c->prev->next = c->next;
	else
		rl->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->pair >= 0) {
		epoll_ctl(rl->ep, EPOLL_CTL_DEL, c->pair, NULL);
		close(c->pair);
	}
	if (c->tcp >= 0) {
		epoll_ctl(rl->ep, EPOLL_CTL_DEL, c->tcp, NULL);
		close(c->tcp);
	}
	gnutls_deinit(c->ses);
	free(c->in);
	free(c->out);
	free(c->cert);
	free(c);
	atomic_fetch_sub(&rl->t->nconns, 1);
}

static int ep_add(int ep, int fd, uintptr_t tag)
{
	struct epoll_event ev = {
	    .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
	    .data.u64 = tag,
	};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

/* --- relaying --- */

/*
 * Write data[0, len) to the pair; what it does not take is kept in c->in
 * (a copy unless data is c->in already).  false when some is left.
 */
static bool write_pair(struct conn *c, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(c->pair, data + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			c->dead = true;
			return false;
		}
		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (off == len) {
		free(c->in);
		c->in = NULL;
		c->in_len = 0;
		return true;
	}
	if (data == c->in) {
		memmove(c->in, c->in + off, len - off);
	} else {
		c->in = xmalloc(len - off);
		memcpy(c->in, data + off, len - off);
	}
	c->in_len = len - off;
	return false;
}

/* One step of TLS -> pair.  true when progress was made. */
static bool step_in(struct conn *c, char *scratch)
{
	ssize_t n;

	if (c->in && !write_pair(c, c->in, c->in_len))
		return false;
	if (c->tls_eof)
		return false;
	n = gnutls_record_recv(c->ses, scratch, SCRATCH);
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
		return false;
	if (n == GNUTLS_E_REHANDSHAKE || n == GNUTLS_E_WARNING_ALERT_RECEIVED)
		return true; /* refused / ignored; go on reading */
	if (n <= 0) {
		/* close_notify, a bare FIN or a broken session: MHD reads
		 * EOF and ends the request or stream itself. */
		c->tls_eof = true;
		if (n < 0 && n != GNUTLS_E_PREMATURE_TERMINATION)
			c->dead = true;
		shutdown(c->pair, SHUT_WR);
		return true;
	}
	write_pair(c, scratch, (size_t)n);
	return true;
}

/* Send out[0, len) over TLS; the part gnutls could not take is kept. */
static bool send_tls(struct conn *c, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = gnutls_record_send(c->ses, data + off, len - off);

		if (n == GNUTLS_E_INTERRUPTED)
			continue;
		if (n == GNUTLS_E_AGAIN) {
			/* gnutls keeps the encrypted record; retried later
			 * with the same length (gnutls_record_send). */
			if (data != c->out) {
				c->out = xmalloc(len - off);
				memcpy(c->out, data + off, len - off);
				c->out_len = len - off;
			} else if (off) {
				memmove(c->out, c->out + off, len - off);
				c->out_len = len - off;
			}
			return false;
		}
		if (n < 0) {
			c->dead = true;
			return false;
		}
		off += (size_t)n;
	}
	if (data == c->out) {
		free(c->out);
		c->out = NULL;
		c->out_len = 0;
	}
	return true;
}

/* One step of pair -> TLS.  true when progress was made. */
static bool step_out(struct conn *c, char *scratch)
{
	ssize_t n;

	if (c->out && !send_tls(c, c->out, c->out_len))
		return false;
	if (c->pair_eof)
		return false;
	n = recv(c->pair, scratch, SCRATCH, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n <= 0) {
		c->pair_eof = true;
		if (n < 0)
			c->dead = true;
		return true;
	}
	send_tls(c, scratch, (size_t)n);
	return true;
}

/* Move bytes both ways until blocked; false when the connection ended. */
static bool conn_relay(struct conn *c)
{
	char *scratch = c->rl->scratch;
	bool more = true;

	while (more && !c->dead) {
		more = step_in(c, scratch);
		more = step_out(c, scratch) || more;
	}
	if (c->dead)
		return false;
	if (c->pair_eof && !c->out) {
		/* MHD is done: say so (best effort) and close. */
		gnutls_bye(c->ses, GNUTLS_SHUT_WR);
		return false;
	}
	return true;
}

/* --- handshake and hand-off --- */

static void keep_peer_cert(struct conn *c)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(c->ses, &n);

	if (!certs || !n || !certs[0].size)
		return;
	c->cert = xmalloc(certs[0].size);
	memcpy(c->cert, certs[0].data, certs[0].size);
	c->cert_len = certs[0].size;
}

/* The socketpair, the certificate entry, then MHD.  -1: close. */
static int hand_off(struct conn *c)
{
	struct server_tls *t = c->rl->t;
	int sv[2], rc = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0 ||
	    ep_add(c->rl->ep, sv[0], (uintptr_t)c | TAG_PAIR) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	c->pair = sv[0];
	c->mhd_fd = sv[1];
	keep_peer_cert(c);
	cert_table_put(t, c);
	pthread_mutex_lock(&t->add_mu);
	if (!t->quiesced)
		rc = t->hand(t->arg, sv[1]);
	else
		close(sv[1]);
	pthread_mutex_unlock(&t->add_mu);
	if (rc < 0)
		cert_table_drop(t, c);
	return rc;
}

/* Advance a handshake; false when the connection is to be closed. */
static bool conn_handshake(struct conn *c)
{
	int rc;

	do {
		rc = gnutls_handshake(c->ses);
	} while (rc < 0 && !gnutls_error_is_fatal(rc) && rc != GNUTLS_E_AGAIN);
	if (rc == GNUTLS_E_AGAIN)
		return true;
	if (rc < 0 || hand_off(c) < 0)
		return false;
	c->state = CONN_RELAY;
	/* Application data may have come with the Finished message. */
	return conn_relay(c);
}

/*
 * Events of one batch may name a connection closed earlier in the batch:
 * a closed one is only marked (its sockets closed, so no new events) and
 * freed once the batch is done.
 */
static void conn_close(struct conn *c)
{
	if (c->gone)
		return;
	c->gone = true;
	cert_table_drop(c->rl->t, c);
	/* Deregister first: a child between fork and exec may hold a copy
	 * of a socket, and epoll follows the file, not the descriptor. */
	if (c->pair >= 0) {
		epoll_ctl(c->rl->ep, EPOLL_CTL_DEL, c->pair, NULL);
		close(c->pair);
	}
	epoll_ctl(c->rl->ep, EPOLL_CTL_DEL, c->tcp, NULL);
	close(c->tcp);
	c->pair = c->tcp = -1;
	vec_push(&c->rl->gone, c);
}

static void conn_event(struct conn *c)
{
	bool alive;

	if (c->gone)
		return;
	alive = c->state == CONN_HANDSHAKE ? conn_handshake(c) : conn_relay(c);
	if (!alive)
		conn_close(c);
}

static void sweep_gone(struct relay *rl)
{
	for (size_t i = 0; i < rl->gone.len; i++)
		conn_free(rl->gone.items[i]);
	rl->gone.len = 0;
}

static int session_new(struct server_tls *t, int fd, gnutls_session_t *out)
{
	gnutls_session_t ses;
	static const gnutls_datum_t alpn = {(unsigned char *)"http/1.1", 8};

	if (gnutls_init(&ses,
			GNUTLS_SERVER | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL) < 0)
		return -1;
	if (gnutls_priority_set(ses, t->prio) < 0 ||
	    gnutls_credentials_set(ses, GNUTLS_CRD_CERTIFICATE, t->cred) < 0 ||
	    gnutls_alpn_set_protocols(ses, &alpn, 1, 0) < 0) {
		gnutls_deinit(ses);
		return -1;
	}
	/* Ask for a client certificate, require none (tokens are fine). */
	gnutls_certificate_server_set_request(ses, GNUTLS_CERT_REQUEST);
	gnutls_transport_set_int(ses, fd);
	*out = ses;
	return 0;
}

/* A new client socket: its connection, in the handshake state. */
static void conn_accepted(struct relay *rl, int fd, struct sockaddr_storage *sa,
			  socklen_t salen)
{
	struct server_tls *t = rl->t;
	struct conn *c;
	gnutls_session_t ses;

	if (atomic_fetch_add(&t->nconns, 1) >= (long)t->max_conns ||
	    session_new(t, fd, &ses) < 0) {
		atomic_fetch_sub(&t->nconns, 1);
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->rl = rl;
	c->tcp = fd;
	c->pair = c->mhd_fd = -1;
	c->ses = ses;
	c->sa = *sa;
	c->salen = salen;
	c->deadline_ms = now_ms() + SERVER_TLS_HANDSHAKE_MS;
	c->next = rl->conns;
	if (rl->conns)
		rl->conns->prev = c;
	rl->conns = c;
	if (ep_add(rl->ep, fd, (uintptr_t)c) < 0)
		conn_free(c);
	/* the edge-triggered registration reports data already there */
}

static void accept_some(struct relay *rl)
{
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);
		int fd = accept4(rl->t->listen_fd, (struct sockaddr *)&sa, &sl,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			conn_accepted(rl, fd, &sa, sl);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE)
			usleep(10 * 1000); /* level-triggered: back off */
		else if (errno != EAGAIN && errno != EINTR &&
			 errno != ECONNABORTED)
			/* shut down (quiesce): stop watching it */
			epoll_ctl(rl->ep, EPOLL_CTL_DEL, rl->t->listen_fd, NULL);
		return;
	}
}

static void expire_handshakes(struct relay *rl, int64_t now)
{
	struct conn *c = rl->conns, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->state == CONN_HANDSHAKE && now >= c->deadline_ms)
			conn_close(c);
	}
}

static void *relay_main(void *arg)
{
	struct relay *rl = arg;
	struct epoll_event ev[MAX_EVENTS];
	int64_t next_check = now_ms() + 1000;

	while (!atomic_load(&rl->t->stop)) {
		int n = epoll_wait(rl->ep, ev, MAX_EVENTS, 1000);

		for (int i = 0; i < n; i++) {
			uintptr_t tag = (uintptr_t)ev[i].data.u64;

			if (tag == 0)
				accept_some(rl);
			else if (tag != 2) /* 2: the wake-up eventfd */
				conn_event((struct conn *)(tag & ~TAG_PAIR));
		}
		if (now_ms() >= next_check) {
			expire_handshakes(rl, now_ms());
			next_check = now_ms() + 1000;
		}
		sweep_gone(rl);
	}
	sweep_gone(rl);
	while (rl->conns)
		conn_free(rl->conns);
	return NULL;
}

/* --- life --- */

static int creds_load(struct server_tls *t, const struct pki *pki,
		      struct err *e)
{
	gnutls_datum_t cert = {(unsigned char *)pki->server_cert,
			       (unsigned)strlen(pki->server_cert)};
	gnutls_datum_t key = {(unsigned char *)pki->server_key,
			      (unsigned)strlen(pki->server_key)};
	gnutls_datum_t ca = {(unsigned char *)pki->ca_cert,
			     (unsigned)strlen(pki->ca_cert)};
	int rc;

	if (gnutls_certificate_allocate_credentials(&t->cred) < 0)
		return err_set(e, ERR_INTERNAL, "TLS: no credentials");
	rc = gnutls_certificate_set_x509_key_mem(t->cred, &cert, &key,
						 GNUTLS_X509_FMT_PEM);
	if (rc < 0)
		return err_set(e, ERR_INTERNAL, "TLS: serving key: %s",
			       gnutls_strerror(rc));
	/* The CA names the accepted issuers in the certificate request. */
	rc = gnutls_certificate_set_x509_trust_mem(t->cred, &ca,
						   GNUTLS_X509_FMT_PEM);
	if (rc < 0)
		return err_set(e, ERR_INTERNAL, "TLS: cluster CA: %s",
			       gnutls_strerror(rc));
	rc = gnutls_priority_init2(&t->prio, NULL, NULL, 0);
	if (rc < 0)
		return err_set(e, ERR_INTERNAL, "TLS: priorities: %s",
			       gnutls_strerror(rc));
	return 0;
}

static int relay_init(struct server_tls *t, struct relay *rl, struct err *e)
{
	struct epoll_event lev = {.events = EPOLLIN | EPOLLEXCLUSIVE,
				  .data.u64 = 0};
	struct epoll_event wev = {.events = EPOLLIN, .data.u64 = 2};

	rl->t = t;
	rl->ep = epoll_create1(EPOLL_CLOEXEC);
	rl->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rl->ep < 0 || rl->wake < 0 ||
	    epoll_ctl(rl->ep, EPOLL_CTL_ADD, t->listen_fd, &lev) < 0 ||
	    epoll_ctl(rl->ep, EPOLL_CTL_ADD, rl->wake, &wev) < 0)
		return err_set(e, ERR_IO, "TLS relay: epoll: %s",
			       strerror(errno));
	if (pthread_create(&rl->th, NULL, relay_main, rl) != 0)
		return err_set(e, ERR_IO, "TLS relay: no thread");
	rl->started = true;
	return 0;
}

int server_tls_start(int listen_fd, const struct pki *pki, unsigned max_conns,
		     server_tls_hand_fn hand, void *arg, struct server_tls **out,
		     struct err *e)
{
	struct server_tls *t = xcalloc(1, sizeof(*t));

	t->listen_fd = listen_fd;
	t->hand = hand;
	t->arg = arg;
	t->max_conns = max_conns;
	atomic_init(&t->nconns, 0);
	atomic_init(&t->stop, false);
	pthread_mutex_init(&t->add_mu, NULL);
	pthread_mutex_init(&t->cert_mu, NULL);
	for (int i = 0; i < SERVER_TLS_THREADS; i++)
		t->rl[i].ep = t->rl[i].wake = -1;
	if (fcntl(listen_fd, F_SETFL, O_NONBLOCK) < 0) {
		err_set(e, ERR_IO, "TLS: listening socket: %s", strerror(errno));
		goto fail;
	}
	if (creds_load(t, pki, e) < 0)
		goto fail;
	for (int i = 0; i < SERVER_TLS_THREADS; i++)
		if (relay_init(t, &t->rl[i], e) < 0)
			goto fail;
	*out = t;
	return 0;
fail:
	t->listen_fd = -1; /* still the caller's */
	server_tls_free(t);
	return -1;
}

void server_tls_quiesce(struct server_tls *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->add_mu);
	t->quiesced = true;
	pthread_mutex_unlock(&t->add_mu);
	/* accept() now fails; each relay stops watching the socket. */
	if (t->listen_fd >= 0)
		shutdown(t->listen_fd, SHUT_RDWR);
}

void server_tls_free(struct server_tls *t)
{
	uint64_t one = 1;

	if (!t)
		return;
	server_tls_quiesce(t);
	/* Let the relays flush what MHD wrote last (bounded: 0.5 s). */
	for (int i = 0; i < 50 && atomic_load(&t->nconns) > 0; i++)
		usleep(10 * 1000);
	atomic_store(&t->stop, true);
	for (int i = 0; i < SERVER_TLS_THREADS; i++) {
		struct relay *rl = &t->rl[i];

		if (rl->started) {
			if (write(rl->wake, &one, sizeof(one)) < 0) {
				/* the thread wakes within a second anyway */
			}
			pthread_join(rl->th, NULL);
		}
		if (rl->ep >= 0)
			close(rl->ep);
		if (rl->wake >= 0)
			close(rl->wake);
		vec_free(&rl->gone, NULL);
	}
	if (t->listen_fd >= 0)
		close(t->listen_fd);
	if (t->prio)
		gnutls_priority_deinit(t->prio);
	if (t->cred)
		gnutls_certificate_free_credentials(t->cred);
	pthread_mutex_destroy(&t->add_mu);
	pthread_mutex_destroy(&t->cert_mu);
	free(t);
}
