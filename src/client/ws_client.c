/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws_client: open a WebSocket on the client's server.  libcurl connects
 * (CONNECT_ONLY: TLS, proxy tunnel, SSH tunnel via CONNECT_TO and client
 * certificates exactly as for any request), then this file writes the
 * HTTP/1.1 upgrade with curl_easy_send, reads the answer head with
 * curl_easy_recv (ws_head.c decides) and hands the connection to
 * common/ws.h with an io over the same two calls.  curl easy handles are
 * not thread safe, so the io serializes both calls with a mutex; they
 * never block (CONNECT_ONLY I/O is nonblocking) so a sender never waits
 * behind a receiver.  Credentials are resolved with a private struct
 * client_auth (the client's own belongs to its I/O thread) seeded with the
 * exec credential the client already holds (auth_adopt), so a stream runs
 * an exec plugin only when no fresh credential exists (one stream at a
 * time: openers racing before any credential exists run it once), and
 * then shares its result with the client (auth_share); a cached credential
 * refused with 401 is dropped and the plugin runs once more before one
 * retry.  The upgrade carries a bearer token when there is one,
 * else the kubeconfig's username/password as HTTP basic auth, as kubectl
 * sends on its upgrade requests.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "client/stream.h"
#include "client/transport.h"
#include "common/buf.h"
#include "common/mem.h"

#define WS_CONNECT_MS 10000L
#define WS_HANDSHAKE_MS 15000
#define WS_ERRBODY_MAX 65536
#define WS_SLICE_MS 200		/* how often a waiting open looks at abandon */

struct client_ws {
	struct client *c;
	CURL *h;
	struct curl_slist *connect_to;
	pthread_mutex_t mu;
	int fd;
	struct ws *ws;
	char protocol[64];
};

static ssize_t cws_recv(void *ctx, void *buf, size_t len)
{
	struct client_ws *w = ctx;
	size_t n = 0;
	CURLcode rc;

	pthread_mutex_lock(&w->mu);
	rc = curl_easy_recv(w->h, buf, len, &n);
	pthread_mutex_unlock(&w->mu);
	if (rc == CURLE_OK)
		return (ssize_t)n;
	errno = rc == CURLE_AGAIN ? EAGAIN : EIO;
	return -1;
}

static ssize_t cws_send(void *ctx, const void *buf, size_t len)
{
	struct client_ws *w = ctx;
	size_t n = 0;
	CURLcode rc;

	pthread_mutex_lock(&w->mu);
	rc = curl_easy_send(w->h, buf, len, &n);
	pthread_mutex_unlock(&w->mu);
	if (rc == CURLE_OK)
		return (ssize_t)n;
	errno = rc == CURLE_AGAIN ? EAGAIN : EPIPE;
	return -1;
}

static long cws_ms_left(const struct timespec *start, int total_ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	long used = (now.tv_sec - start->tv_sec) * 1000 +
		    (now.tv_nsec - start->tv_nsec) / 1000000;
	return total_ms - used;
}

void client_ws_abandon(struct client *c)
{
	pthread_mutex_lock(&c->mu);
	c->ws_abandon = true;
	pthread_mutex_unlock(&c->mu);
}

static bool cws_abandoned(struct client *c)
{
	bool gone;

	pthread_mutex_lock(&c->mu);
	gone = c->ws_abandon;
	pthread_mutex_unlock(&c->mu);
	return gone;
}

/* curl's progress callback: stop a connect the owner abandoned. */
static int cws_progress(void *arg, curl_off_t dt, curl_off_t dn,
			curl_off_t ut, curl_off_t un)
{
	return cws_abandoned(arg) ? 1 : 0;
}

/* Wait for the socket in slices (abandon is checked between them); -1
 * with e on timeout or abandon. */
static int cws_wait(struct client_ws *w, short ev,
		    const struct timespec *start, struct err *e)
{
	for (;;) {
		long left = cws_ms_left(start, WS_HANDSHAKE_MS);
		struct pollfd p = { .fd = w->fd, .events = ev };

		if (cws_abandoned(w->c))
			return err_set(e, ERR_UNAVAILABLE,
				       "websocket: abandoned (closing)");
		if (left <= 0)
			return err_set(e, ERR_TIMEOUT,
				       "websocket: no answer from the server");
		if (poll(&p, 1, (int)(left < WS_SLICE_MS ? left : WS_SLICE_MS)) != 0)
			return 0;
	}
}

static int cws_send_all(struct client_ws *w, const char *p, size_t n,
			const struct timespec *start, struct err *e)
{
	while (n) {
		ssize_t k = cws_send(w, p, n);
		if (k > 0) {
			p += k;
			n -= (size_t)k;
		} else if (errno != EAGAIN) {
			return err_set(e, ERR_UNAVAILABLE,
				       "websocket: connection lost while "
				       "sending the upgrade");
		} else if (cws_wait(w, POLLOUT, start, e) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Read more into b; 0 ok, 1 end of stream, -1 error/timeout. */
static int cws_read_some(struct client_ws *w, struct buf *b,
			 const struct timespec *start, struct err *e)
{
	char tmp[4096];

	for (;;) {
		ssize_t k = cws_recv(w, tmp, sizeof(tmp));
		if (k > 0) {
			buf_add(b, tmp, (size_t)k);
			return 0;
		}
		if (k == 0)
			return 1;
		if (errno != EAGAIN)
			return err_set(e, ERR_UNAVAILABLE, "websocket: "
				       "connection lost during the upgrade");
		if (cws_wait(w, POLLIN, start, e) < 0)
			return -1;
	}
}

static void cws_header(struct buf *r, const char *name, const char *val)
{
	buf_printf(r, "%s: %s\r\n", name, val);
}

/* "Authorization: Basic base64(user:password)" (RFC 7617). */
static void cws_basic_auth(struct buf *r, const char *user, const char *pw)
{
	char *plain = xasprintf("%s:%s", user, pw);
	gnutls_datum_t raw = { (unsigned char *)plain,
			       (unsigned)strlen(plain) }, b64 = { NULL, 0 };

	if (gnutls_base64_encode2(&raw, &b64) == 0)
		buf_printf(r, "Authorization: Basic %.*s\r\n", (int)b64.size,
			   (const char *)b64.data);
	gnutls_free(b64.data);
	explicit_bzero(plain, strlen(plain));
	free(plain);
}

/* The upgrade request. */
static void cws_request(struct client *c, const char *path, const char *tok,
			const char *key, const char *const *protocols,
			struct buf *r)
{
	const struct kc_config *cfg = c->cfg;
	const char *sep = strstr(c->url_base, "://");
	const char *host = sep ? sep + 3 : c->url_base;
	size_t hl = strcspn(host, "/");

	/* url_base is scheme://host[:port][/prefix] */
	buf_printf(r, "GET %s%s HTTP/1.1\r\nHost: %.*s\r\n", host + hl, path,
		   (int)hl, host);
	cws_header(r, "User-Agent", "kdeck/" PACKAGE_VERSION);
	cws_header(r, "Connection", "Upgrade");
	cws_header(r, "Upgrade", "websocket");
	cws_header(r, "Sec-WebSocket-Version", "13");
	cws_header(r, "Sec-WebSocket-Key", key);
	buf_adds(r, "Sec-WebSocket-Protocol: ");
	for (int i = 0; protocols[i]; i++)
		buf_printf(r, "%s%s", i ? ", " : "", protocols[i]);
	buf_adds(r, "\r\n");
	if (tok)
		buf_printf(r, "Authorization: Bearer %s\r\n", tok);
	else if (cfg->username && cfg->password)
		cws_basic_auth(r, cfg->username, cfg->password);
	if (cfg->as)
		cws_header(r, "Impersonate-User", cfg->as);
	for (char **g = cfg->as_groups; g && *g; g++)
		cws_header(r, "Impersonate-Group", *g);
	buf_adds(r, "\r\n");
}

/* Connect with curl (CONNECT_ONLY) and find the socket. */
static int cws_connect(struct client *c, struct client_ws *w,
		       const struct client_auth *a, struct err *e)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	char *url = xasprintf("%s/", c->url_base);
	curl_socket_t s = CURL_SOCKET_BAD;
	CURLcode rc;

	curl_easy_setopt(w->h, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(w->h, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(w->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(w->h, CURLOPT_CONNECTTIMEOUT_MS, WS_CONNECT_MS);
	curl_easy_setopt(w->h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(w->h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(w->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(w->h, CURLOPT_XFERINFOFUNCTION, cws_progress);
	curl_easy_setopt(w->h, CURLOPT_XFERINFODATA, c);
	/* the upgrade is HTTP/1.1: no ALPN h2 */
	curl_easy_setopt(w->h, CURLOPT_HTTP_VERSION,
			 (long)CURL_HTTP_VERSION_1_1);
	client_curl_tls(c, a, w->h, &w->connect_to);
	if (c->cfg->proxy_url)
		curl_easy_setopt(w->h, CURLOPT_HTTPPROXYTUNNEL, 1L);
	rc = curl_easy_perform(w->h);
	curl_easy_setopt(w->h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(w->h, CURLOPT_NOPROGRESS, 1L);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return err_set(e, ERR_UNAVAILABLE, "websocket: abandoned (closing)");
	if (rc != CURLE_OK)
		return err_set(e, ERR_UNAVAILABLE, "%s: %s", c->server,
			       errbuf[0] ? errbuf : curl_easy_strerror(rc));
	if (curl_easy_getinfo(w->h, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK ||
	    s == CURL_SOCKET_BAD)
		return err_set(e, ERR_UNAVAILABLE, "%s: no socket", c->server);
	w->fd = (int)s;
	return 0;
}

/* The body of an error answer, as far as it comes within the limits. */
static void cws_error_body(struct client_ws *w, const struct ws_head *h,
			   struct buf *b, const struct timespec *start)
{
	struct err ignore;
	size_t want = h->content_length >= 0 ?
		h->head_len + (size_t)h->content_length : SIZE_MAX;

	while (b->len < want && b->len < h->head_len + WS_ERRBODY_MAX)
		if (cws_read_some(w, b, start, &ignore) != 0)
			break;
}

/* Send the upgrade and read the answer; on success w->ws is set. */
static int cws_handshake(struct client *c, struct client_ws *w,
			 const char *path, const char *tok,
			 const char *const *protocols, struct err *e)
{
	struct timespec start;
	struct buf req = BUF_INIT, in = BUF_INIT;
	struct ws_head h;
	char key[25];
	int rc = -1, r, chosen = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	ws_client_key(key);
	cws_request(c, path, tok, key, protocols, &req);
	if (cws_send_all(w, req.data, req.len, &start, e) < 0)
		goto out;
	while ((r = ws_head_parse(in.data ? in.data : "", in.len, &h, e)) == 0)
		if ((r = cws_read_some(w, &in, &start, e)) != 0) {
			if (r == 1)
				err_set(e, ERR_UNAVAILABLE, "websocket: the "
					"server closed the connection");
			goto out;
		}
	if (r < 0)
		goto out;
	if (h.status != 101)
		cws_error_body(w, &h, &in, &start);
	if (ws_head_check(&h, key, protocols, in.data + h.head_len,
			  in.len - h.head_len, &chosen, e) < 0)
		goto out;
	snprintf(w->protocol, sizeof(w->protocol), "%s", protocols[chosen]);
	struct ws_io io = { .ctx = w, .fd = w->fd, .recv = cws_recv,
			    .send = cws_send };
	w->ws = ws_new(&io, false, in.data + h.head_len, in.len - h.head_len);
	rc = 0;
out:
	buf_free(&req);
	buf_free(&in);
	return rc;
}

/* Take c->ws_auth_mu, looking at abandon every WS_SLICE_MS. */
static int cws_lock_auth(struct client *c, struct err *e)
{
	for (;;) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += WS_SLICE_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		if (pthread_mutex_timedlock(&c->ws_auth_mu, &t) == 0)
			return 0;
		if (cws_abandoned(c))
			return err_set(e, ERR_UNAVAILABLE,
				       "websocket: abandoned (closing)");
	}
}

/*
 * The credential for one upgrade into a (*tok borrowed from a).  With an
 * exec plugin, one open at a time decides (single flight): it adopts the
 * client's fresh credential, else runs the plugin and shares the result,
 * so openers that waited adopt it.  stale: the server refused a's
 * credential (401); it is dropped from the client (unless already
 * replaced) and a new one is taken.  *adopted: the credential came from
 * the client's cache (a 401 on it is worth one more run).
 */
static int cws_credential(struct client *c, struct client_auth *a,
			  bool stale, const char **tok, bool *adopted,
			  struct err *e)
{
	int rc;

	*adopted = false;
	if (!c->cfg->exec)
		return auth_token(a, tok, e);
	if (cws_lock_auth(c, e) < 0)
		return -1;
	if (stale) {
		auth_unshare(c, a);
		auth_invalidate(a);
	}
	*adopted = auth_adopt(c, a);
	rc = auth_token(a, tok, e);
	if (rc == 0 && !*adopted)
		auth_share(c, a);
	pthread_mutex_unlock(&c->ws_auth_mu);
	return rc;
}

/* A new easy handle for a second attempt (the first one's connection may
 * be closed by the server after its 401). */
static void cws_reset(struct client_ws *w)
{
	curl_easy_cleanup(w->h);
	if (!(w->h = curl_easy_init()))
		mem_oom();
	curl_slist_free_all(w->connect_to);
	w->connect_to = NULL;
	w->fd = -1;
}

int client_ws_open(struct client *c, const char *path,
		   const char *const *protocols, struct client_ws **out,
		   struct err *e)
{
	struct client_ws *w = xcalloc(1, sizeof(*w));
	struct client_auth a;
	const char *tok = NULL;
	bool adopted = false;
	int rc = -1;

	pthread_mutex_init(&w->mu, NULL);
	w->c = c;
	w->fd = -1;
	auth_init(&a, c->cfg);
	a.lend_tty = c->tty_cb == client_tty_lend;	/* command-line tools */
	if (!(w->h = curl_easy_init()))
		mem_oom();
	if (cws_abandoned(c)) {
		err_set(e, ERR_UNAVAILABLE, "websocket: abandoned (closing)");
		goto out;
	}
	/* a cached credential refused with 401 gets one more plugin run */
	for (int attempt = 0;; attempt++) {
		if (cws_credential(c, &a, attempt > 0, &tok, &adopted, e) < 0)
			goto out;
		if (cws_connect(c, w, &a, e) == 0 &&
		    cws_handshake(c, w, path, tok, protocols, e) == 0)
			break;
		if (attempt || !adopted || e->code != ERR_UNAUTHORIZED)
			goto out;
		cws_reset(w);
	}
	*out = w;
	w = NULL;
	rc = 0;
out:
	auth_done(&a);
	client_ws_free(w);
	return rc;
}

struct ws *client_ws_ws(struct client_ws *w)
{
	return w->ws;
}

const char *client_ws_protocol(const struct client_ws *w)
{
	return w->protocol;
}

void client_ws_free(struct client_ws *w)
{
	if (!w)
		return;
	if (w->ws) {
		ws_close(w->ws, 1000, "");
		ws_free(w->ws);
	}
	if (w->h)
		curl_easy_cleanup(w->h);
	curl_slist_free_all(w->connect_to);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
