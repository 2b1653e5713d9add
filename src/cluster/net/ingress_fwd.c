/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingress_fwd: one proxied request, streamed (see ingress_int.h).  The
 * forward's thread runs curl_easy_perform; curl's read callback takes
 * the request body from one socket pair, its write callback puts the
 * response body into another, and its header callback collects the
 * response head and wakes the waiting HTTP side once the final (non-1xx)
 * head is complete.  Closing our ends makes curl's callbacks fail, which
 * aborts a transfer nobody wants any more (so does the progress
 * callback, within a second, while curl waits on the backend).  A
 * backend that sends or takes nothing for IDLE_S seconds is given up.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/net/ingress_int.h"
#include "common/mem.h"

#define IDLE_S 60

struct ingress_fwd {
	CURL *h;
	struct curl_slist *req_hdrs, *hdrs;
	pthread_t th;
	pthread_mutex_t mu;	/* head, done, failed, why */
	pthread_cond_t cv;
	bool head, done, failed;
	bool head_seen;		/* the curl thread's own copy of head */
	bool abandon;		/* set (atomically) by ingress_fwd_free */
	CURLcode cc;		/* the transfer's result, once done */
	long status;
	curl_off_t len;
	char why[256];
	int up[2];	/* request body: [0] curl reads, [1] we write */
	int dn[2];	/* response body: [0] we read, [1] curl writes */
};

static const char *const hop[] = {
    "connection", "keep-alive", "proxy-connection", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding",
    "upgrade", "content-length", "expect", "host", NULL};

bool ingress_hop_by_hop(const char *name, size_t len)
{
	for (size_t i = 0; hop[i]; i++)
		if (strlen(hop[i]) == len && !strncasecmp(hop[i], name, len))
			return true;
	return false;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Wait until fd is ready for events, at most IDLE_S; false on timeout. */
static bool ready(int fd, short events)
{
	struct pollfd pf = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&pf, 1, IDLE_S * 1000);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

static void mark_head(struct ingress_fwd *f)
{
	pthread_mutex_lock(&f->mu);
	f->head = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct ingress_fwd *f = arg;
	size_t len = sz * n, name = strcspn(p, ":");
	char *line;

	if (f->head_seen)
		return len;	/* trailers: the head went out already */
	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {	/* a new head */
		curl_slist_free_all(f->hdrs);
		f->hdrs = NULL;
		return len;
	}
	if (len <= 2) {		/* the end of a head */
		curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, &f->status);
		curl_easy_getinfo(f->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
				  &f->len);
		if (f->status >= 200) {
			f->head_seen = true;
			mark_head(f);
		}
		return len;
	}
	if (name == len || ingress_hop_by_hop(p, name))
		return len;
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	line = xasprintf("%.*s", (int)len, p);
	f->hdrs = curl_slist_append(f->hdrs, line);
	free(line);
	return sz * n;
}

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct ingress_fwd *f = arg;
	size_t len = sz * n, off = 0;

	while (off < len) {
		ssize_t w;

		if (!ready(f->dn[1], POLLOUT))
			return 0;
		w = send(f->dn[1], p + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno != EINTR && errno != EAGAIN)
			return 0;	/* the client is gone: abort */
		if (w > 0)
			off += (size_t)w;
	}
	return len;
}

static size_t on_read(char *p, size_t sz, size_t n, void *arg)
{
	struct ingress_fwd *f = arg;
	ssize_t r;

	for (;;) {
		if (!ready(f->up[0], POLLIN))
			return CURL_READFUNC_ABORT;
		r = recv(f->up[0], p, sz * n, 0);
		if (r >= 0)
			return (size_t)r;
		if (errno != EINTR && errno != EAGAIN)
			return CURL_READFUNC_ABORT;
	}
}

/* curl asks about once a second: stop when nobody wants the answer. */
static int on_progress(void *arg, curl_off_t dt, curl_off_t dn,
		       curl_off_t ut, curl_off_t un)
{
	struct ingress_fwd *f = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return __atomic_load_n(&f->abandon, __ATOMIC_ACQUIRE) ? 1 : 0;
}

static void *fwd_thread(void *arg)
{
	struct ingress_fwd *f = arg;
	CURLcode cc = curl_easy_perform(f->h);

	pthread_mutex_lock(&f->mu);
	if (!f->head) {
		f->failed = true;
		snprintf(f->why, sizeof(f->why), "%s",
			 cc == CURLE_OK ? "no response"
					: curl_easy_strerror(cc));
	}
	f->cc = cc;
	f->head = f->done = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	close_fd(&f->dn[1]);	/* the reader sees the end */
	close_fd(&f->up[0]);	/* and a writer of the body, an error */
	return NULL;
}

static void setup(struct ingress_fwd *f, const struct ingress_fwd_req *r)
{
	CURL *h = f->h;

	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)IDLE_S);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, f->req_hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, f);
	curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(h, CURLOPT_HTTP_TRANSFER_DECODING, 1L);
	if (!strcmp(r->method, "HEAD"))
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(r->method, "GET") || r->body)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
	if (r->body && r->body_len != 0) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(h, CURLOPT_READDATA, f);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, r->body_len);
	} else if (r->body || !strcmp(r->method, "POST") ||
		   !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH")) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)0);
	}
}

struct ingress_fwd *ingress_fwd_start(const struct ingress_fwd_req *r)
{
	struct ingress_fwd *f = xcalloc(1, sizeof(*f));

	f->up[0] = f->up[1] = f->dn[0] = f->dn[1] = -1;
	f->len = -1;
	f->req_hdrs = r->hdrs;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (!(f->h = curl_easy_init()) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->up) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->dn) < 0) {
		snprintf(f->why, sizeof(f->why), "%s", strerror(errno));
		f->failed = f->head = f->done = true;
		return f;
	}
	setup(f, r);
	if (pthread_create(&f->th, NULL, fwd_thread, f) != 0) {
		snprintf(f->why, sizeof(f->why), "cannot start a thread");
		f->failed = f->head = f->done = true;
		curl_easy_cleanup(f->h);
		f->h = NULL;
	}
	return f;
}

int ingress_fwd_body(struct ingress_fwd *f, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n && f->up[1] >= 0) {
		ssize_t w;

		if (!ready(f->up[1], POLLOUT))
			break;
		w = send(f->up[1], p + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno != EINTR && errno != EAGAIN)
			break;
		if (w > 0)
			off += (size_t)w;
	}
	if (off == n)
		return 0;
	close_fd(&f->up[1]);
	return -1;
}

void ingress_fwd_body_end(struct ingress_fwd *f)
{
	if (f->up[1] >= 0)
		shutdown(f->up[1], SHUT_WR);
}

int ingress_fwd_wait(struct ingress_fwd *f, long *status,
		     const struct curl_slist **hdrs, curl_off_t *len,
		     char *why, size_t whylen)
{
	int rc = 0;

	pthread_mutex_lock(&f->mu);
	while (!f->head)
		pthread_cond_wait(&f->cv, &f->mu);
	if (f->failed || f->status < 100) {
		snprintf(why, whylen, "%s", f->failed ? f->why : "no status");
		rc = -1;
	} else {
		*status = f->status;
		*hdrs = f->hdrs;
		*len = f->len;
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

ssize_t ingress_fwd_read(struct ingress_fwd *f, char *buf, size_t max)
{
	for (;;) {
		ssize_t r;

		if (f->dn[0] < 0 || !ready(f->dn[0], POLLIN))
			return -1;
		r = recv(f->dn[0], buf, max, 0);
		if (r > 0)
			return r;
		if (r == 0) {	/* curl is done: was the body whole? */
			bool bad;

			pthread_mutex_lock(&f->mu);
			while (!f->done)
				pthread_cond_wait(&f->cv, &f->mu);
			bad = f->failed || f->cc != CURLE_OK;
			pthread_mutex_unlock(&f->mu);
			return bad ? -1 : 0;
		}
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

void ingress_fwd_free(struct ingress_fwd *f)
{
	if (!f)
		return;
	__atomic_store_n(&f->abandon, true, __ATOMIC_RELEASE);
	close_fd(&f->up[1]);
	close_fd(&f->dn[0]);
	if (f->h) {
		pthread_join(f->th, NULL);
		curl_easy_cleanup(f->h);
	}
	close_fd(&f->up[0]);
	close_fd(&f->dn[1]);
	curl_slist_free_all(f->hdrs);
	curl_slist_free_all(f->req_hdrs);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
