/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport: the I/O thread of a client.  One libcurl multi handle runs
 * every request and watch of the client (HTTP/2 multiplexed over one TLS
 * connection when the server offers h2, else a small pool of reused
 * HTTP/1.1 connections).
 *
 * Flow: the owner thread queues a struct xfer on submit_head and wakes the
 * multi handle (curl_multi_wakeup is thread-safe).  The I/O thread moves
 * it to a per-priority FIFO, starts it when the token bucket allows
 * (watches bypass the bucket, interactive requests go first), and on
 * completion pushes a struct cev onto done_head and bumps the eventfd.
 * Idempotent requests are retried with back-off (200 ms doubling, 3
 * tries) on connection errors, 429 and 503; a 401 with an exec plugin or
 * tokenFile drops the cached credential and retries once.  A request
 * whose exec credential is being fetched stays queued while the plugin
 * runs elsewhere (auth_job.c), so a slow login never stalls the others.
 *
 * Only this file's thread touches curl handles, the auth cache and the
 * rate limiter; the owner side (client.c) only sees cevs.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "client/xfer.h"
#include <stdio.h>
#include "common/mem.h"

#define XFER_MAX_ATTEMPTS 3
#define XFER_BACKOFF_NS (200LL * 1000 * 1000)

int64_t client_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->h) {
		if (x->c && x->c->multi)
			curl_multi_remove_handle(x->c->multi, x->h);
		curl_easy_cleanup(x->h);
	}
	curl_slist_free_all(x->hdrs);
	curl_slist_free_all(x->connect_to);
	free(x->method);
	free(x->path);
	free(x->accept);
	free(x->ctype);
	free(x->body);
	free(x->as);
	for (char **g = x->as_groups; g && *g; g++)
		free(*g);
	free(x->as_groups);
	buf_free(&x->resp);
	watch_dec_free(x->dec);
	free(x);
}

/* Queue a finished item for the owner thread and signal the eventfd. */
void client_post(struct client *c, struct cev *ev)
{
	uint64_t one = 1;

	pthread_mutex_lock(&c->mu);
	*c->done_tail = ev;
	c->done_tail = &ev->next;
	pthread_mutex_unlock(&c->mu);
	if (write(c->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		abort();
}

static int xfer_on_event(enum watch_type t, cJSON *obj, void *arg)
{
	struct xfer *x = arg;
	struct cev *ev = xcalloc(1, sizeof(*ev));

	ev->id = x->id;
	ev->is_event = true;
	ev->wt = t;
	ev->obj = obj;
	client_post(x->c, ev);
	return 0;
}

/* A raw stream's chunk to the owner thread. */
static void xfer_on_data(struct xfer *x, const char *p, size_t n)
{
	struct cev *ev = xcalloc(1, sizeof(*ev));

	ev->id = x->id;
	ev->is_event = true;
	ev->data = xmalloc(n + 1);
	memcpy(ev->data, p, n);
	ev->data[n] = '\0';
	ev->len = n;
	client_post(x->c, ev);
}

/* A list of 10,000 pods is tens of MB: size the body once from
 * Content-Length (the compressed size under gzip: a floor) instead of
 * growing it by doubling, each step a copy. */
static void xfer_reserve(struct xfer *x)
{
	curl_off_t cl = -1;

	if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
	    CURLE_OK && cl > 0 && cl <= (curl_off_t)CLIENT_MAX_BODY)
		buf_reserve(&x->resp, (size_t)cl + 1);
}

static size_t xfer_write(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	long code = 0;

	n *= size;
	if (x->raw) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code < 300) {
			xfer_on_data(x, p, n);
			return n;
		}
	}
	if (x->stream && !x->raw && !x->stream_failed) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code < 300) {
			if (watch_dec_feed(x->dec, p, n, xfer_on_event, x,
					   &x->stream_err) < 0) {
				x->stream_failed = true;
				return 0;	/* abort the transfer */
			}
			return n;
		}
	}
	if (x->resp.len + n > CLIENT_MAX_BODY)
		return 0;
	if (!x->resp.len)
		xfer_reserve(x);
	buf_add(&x->resp, p, n);
	return n;
}

/* Authorization (tok: bearer token or NULL) and impersonation headers. */
static void xfer_auth_headers(struct client *c, struct xfer *x,
			      const char *tok)
{
	const struct kc_config *cfg = c->cfg;
	char *h;

	x->auth_gen = c->auth.gen;
	if (tok) {
		h = xasprintf("Authorization: Bearer %s", tok);
		x->hdrs = curl_slist_append(x->hdrs, h);
		free(h);
	} else if (cfg->username && cfg->password) {
		curl_easy_setopt(x->h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(x->h, CURLOPT_USERNAME, cfg->username);
		curl_easy_setopt(x->h, CURLOPT_PASSWORD, cfg->password);
	}
	if (x->as || cfg->as) {
		h = xasprintf("Impersonate-User: %s", x->as ? x->as : cfg->as);
		x->hdrs = curl_slist_append(x->hdrs, h);
		free(h);
	}
	for (char **g = x->as ? x->as_groups : cfg->as_groups; g && *g; g++) {
		h = xasprintf("Impersonate-Group: %s", *g);
		x->hdrs = curl_slist_append(x->hdrs, h);
		free(h);
	}
}

static void xfer_blob(CURL *h, CURLoption opt, const struct buf *b)
{
	struct curl_blob blob = { b->data, b->len, CURL_BLOB_COPY };

	if (b->len)
		curl_easy_setopt(h, opt, &blob);
}

/* proxy-url; an https:// proxy is verified like the cluster (its CA,
 * insecure-skip-tls-verify), as client-go dials it with the cluster's TLS
 * configuration. */
static void client_curl_proxy(const struct kc_config *cfg, CURL *h)
{
	curl_easy_setopt(h, CURLOPT_PROXY, cfg->proxy_url);
	if (strncasecmp(cfg->proxy_url, "https://", 8))
		return;
	if (cfg->insecure) {
		curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
	}
	xfer_blob(h, CURLOPT_PROXY_CAINFO_BLOB, &cfg->ca);
}

void client_curl_tls(struct client *c, const struct client_auth *a,
		     CURL *h, struct curl_slist **connect_to)
{
	const struct kc_config *cfg = c->cfg;
	bool exec_cert = a->exec_cert.len && a->exec_key.len;

	if (cfg->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	xfer_blob(h, CURLOPT_CAINFO_BLOB, &cfg->ca);
	xfer_blob(h, CURLOPT_SSLCERT_BLOB,
		  exec_cert ? &a->exec_cert : &cfg->cert);
	xfer_blob(h, CURLOPT_SSLKEY_BLOB,
		  exec_cert ? &a->exec_key : &cfg->key);
	if (cfg->cert.len || exec_cert) {
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (cfg->proxy_url)
		client_curl_proxy(cfg, h);
	if (c->connect_to) {
		*connect_to = curl_slist_append(NULL, c->connect_to);
		curl_easy_setopt(h, CURLOPT_CONNECT_TO, *connect_to);
	}
}

static void xfer_tls(struct client *c, struct xfer *x)
{
	client_curl_tls(c, &c->auth, x->h, &x->connect_to);
}

static void xfer_headers(struct xfer *x)
{
	char *h = xasprintf("Accept: %s", x->accept ? x->accept :
			    CLIENT_ACCEPT_JSON);

	x->hdrs = curl_slist_append(x->hdrs, h);
	free(h);
	if (x->body) {
		h = xasprintf("Content-Type: %s", x->ctype ? x->ctype :
			      "application/json");
		x->hdrs = curl_slist_append(x->hdrs, h);
		free(h);
	}
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
}

/* Create the easy handle and add it to the multi handle. */
static void xfer_start(struct client *c, struct xfer *x, const char *tok)
{
	char *url = xasprintf("%s%s", c->url_base, x->path);
	CURL *h = x->h = curl_easy_init();

	if (!h)
		mem_oom();
	curl_easy_setopt(h, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kdeck/" PACKAGE_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, xfer_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	if (!x->stream)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(x->timeout_ms ?
					x->timeout_ms : c->timeout_ms));
	if (strcmp(x->method, "GET"))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
	if (x->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)x->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, x->body);
	}
	xfer_headers(x);
	xfer_auth_headers(c, x, tok);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
	xfer_tls(c, x);
	if (x->stream && !x->raw)
		x->dec = watch_dec_new(0);
	curl_multi_add_handle(c->multi, h);
	x->next = c->running;
	c->running = x;
}

/* Hand the result to the owner thread and free x. */
/* Drop metadata.managedFields of every item or Table row object. */
static void xfer_drop_mf(cJSON *list)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(list, "items"), *it;
	bool rows = !arr;

	if (rows)
		arr = cJSON_GetObjectItemCaseSensitive(list, "rows");
	cJSON_ArrayForEach(it, arr) {
		cJSON *o = rows ? cJSON_GetObjectItemCaseSensitive(it, "object") : it;
		cJSON_DeleteItemFromObjectCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(o, "metadata"),
			"managedFields");
	}
}

static void xfer_complete(struct client *c, struct xfer *x, int status,
			  const struct err *terr)
{
	struct client_resp *r = xcalloc(1, sizeof(*r));
	struct cev *ev = xcalloc(1, sizeof(*ev));
	char *ct = NULL;

	r->id = x->id;
	r->status = status;
	if (x->h && curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ct) ==
	    CURLE_OK && ct)
		snprintf(r->content_type, sizeof(r->content_type), "%s", ct);
	r->body = x->resp;
	buf_init(&x->resp);
	if (r->body.len && (strstr(r->content_type, "json") ||
			    r->body.data[0] == '{'))
		r->json = cJSON_ParseWithLength(r->body.data, r->body.len);
	if (x->drop_mf && status >= 200 && status < 300)
		xfer_drop_mf(r->json);
	if (terr && terr->code != ERR_OK)
		err_copy(&r->err, terr);
	else if (status < 200 || status >= 300)
		client_status_err(status, r->json, r->body.data, r->body.len,
				  &r->err);
	ev->id = x->id;
	ev->resp = r;
	xfer_free(x);
	client_post(c, ev);
}

static void xfer_unlink(struct xfer **list, struct xfer *x)
{
	for (; *list; list = &(*list)->next)
		if (*list == x) {
			*list = x->next;
			x->next = NULL;
			return;
		}
}

static void xfer_enqueue(struct client *c, struct xfer *x)
{
	struct xfer **p = &c->waiting[x->prio ? 1 : 0];

	while (*p)
		p = &(*p)->next;
	x->next = NULL;
	*p = x;
}

/* Put x back in its queue for another attempt after back-off. */
static void xfer_retry(struct client *c, struct xfer *x, int64_t delay_ns)
{
	curl_multi_remove_handle(c->multi, x->h);
	curl_easy_cleanup(x->h);
	x->h = NULL;
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	curl_slist_free_all(x->connect_to);
	x->connect_to = NULL;
	watch_dec_free(x->dec);
	x->dec = NULL;
	buf_reset(&x->resp);
	x->not_before = client_now_ns() + delay_ns;
	xfer_enqueue(c, x);
}

static bool xfer_should_retry(struct client *c, struct xfer *x,
			      CURLcode rc, long status)
{
	bool idem = !strcmp(x->method, "GET") || !strcmp(x->method, "HEAD");

	if (status == 401 && !x->auth_retried &&
	    (c->cfg->exec || c->cfg->token_file)) {
		x->auth_retried = true;
		x->auth_seq = 0;
		auth_invalidate_gen(&c->auth, x->auth_gen);
		if (!auth_exec_fresh(&c->auth))
			auth_share(c, &c->auth);	/* streams drop it too */
		xfer_retry(c, x, 0);
		return true;
	}
	if (!idem || x->stream || x->stream_failed ||
	    ++x->attempts >= XFER_MAX_ATTEMPTS)
		return false;
	if ((rc != CURLE_OK && rc != CURLE_OPERATION_TIMEDOUT) ||
	    status == 429 || status == 503) {
		xfer_retry(c, x, XFER_BACKOFF_NS << (x->attempts - 1));
		return true;
	}
	return false;
}

static void xfer_done(struct client *c, struct xfer *x, CURLcode rc)
{
	long status = 0;
	struct err e = { 0 };

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	xfer_unlink(&c->running, x);
	if (xfer_should_retry(c, x, rc, status))
		return;
	if (x->stream_failed)
		err_copy(&e, &x->stream_err);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		err_set(&e, ERR_TIMEOUT, "%s %s: %s", x->method, x->path,
			x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	else if (rc != CURLE_OK)
		err_set(&e, ERR_UNAVAILABLE, "%s%s: %s", c->server, x->path,
			x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	xfer_complete(c, x, (int)status, &e);
}

/* Move submitted requests and cancellations into the thread's own lists. */
static bool io_take_submissions(struct client *c)
{
	struct xfer *x, *next;
	struct vec cancels;
	bool stop;

	pthread_mutex_lock(&c->mu);
	x = c->submit_head;
	c->submit_head = NULL;
	c->submit_tail = &c->submit_head;
	cancels = c->cancels;
	memset(&c->cancels, 0, sizeof(c->cancels));
	stop = c->stop;
	pthread_mutex_unlock(&c->mu);
	for (; x; x = next) {
		next = x->next;
		xfer_enqueue(c, x);
	}
	for (size_t i = 0; i < cancels.len; i++) {
		uint64_t id = (uint64_t)(uintptr_t)cancels.items[i];
		struct xfer **lists[] = { &c->waiting[0], &c->waiting[1],
					  &c->running };
		for (size_t l = 0; l < 3; l++)
			for (struct xfer *y = *lists[l]; y; y = y->next)
				if (y->id == id) {
					xfer_unlink(lists[l], y);
					xfer_free(y);
					break;
				}
	}
	vec_free(&cancels, NULL);
	return stop;
}

/* Start what may start now; returns ms until something else may. */
static long io_start_ready(struct client *c)
{
	int64_t now = client_now_ns(), wait_ns = 1000LL * 1000 * 1000;
	bool limited = false;

	for (int p = 1; p >= 0; p--) {
		struct xfer *x = c->waiting[p], *next;
		for (; x; x = next) {
			next = x->next;
			if (x->not_before > now) {
				if (x->not_before - now < wait_ns)
					wait_ns = x->not_before - now;
				continue;
			}
			struct err e = { 0 };
			const char *tok = NULL;
			enum auth_wait aw = auth_token_async(c, &x->auth_seq,
							     &tok, &e);
			if (aw == AUTH_PENDING)
				continue;	/* woken when the plugin ends */
			if (aw == AUTH_FAILED) {
				xfer_unlink(&c->waiting[p], x);
				xfer_complete(c, x, 0, &e);
				continue;
			}
			if (!x->stream) {
				int64_t d = limited ? 1 :
					ratelimit_take(&c->rl, now);
				if (d > 0) {
					limited = true;
					if (d < wait_ns)
						wait_ns = d;
					continue;
				}
			}
			xfer_unlink(&c->waiting[p], x);
			xfer_start(c, x, tok);
		}
	}
	return (long)(wait_ns / 1000000) + 1;
}

static void io_collect(struct client *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct xfer *x = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &x);
		xfer_done(c, x, m->data.result);
	}
}

void *client_io_main(void *arg)
{
	struct client *c = arg;
	int running = 0;

	for (;;) {
		if (io_take_submissions(c))
			break;
		auth_collect(c);
		long wait_ms = io_start_ready(c);
		curl_multi_perform(c->multi, &running);
		io_collect(c);
		long curl_ms = -1;
		curl_multi_timeout(c->multi, &curl_ms);
		if (curl_ms >= 0 && curl_ms < wait_ms)
			wait_ms = curl_ms;
		curl_multi_poll(c->multi, NULL, 0, (int)wait_ms, NULL);
	}
	for (int p = 0; p < 2; p++)
		while (c->waiting[p]) {
			struct xfer *x = c->waiting[p];
			c->waiting[p] = x->next;
			xfer_free(x);
		}
	while (c->running) {
		struct xfer *x = c->running;
		c->running = x->next;
		xfer_free(x);
	}
	return NULL;
}
