/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client: the owner-thread side of a client.  Creation resolves the
 * kubeconfig and starts the I/O thread (transport.c); requests are queued
 * with a pending record (id -> callback) kept here, so cancelling is just
 * forgetting the record; client_drain matches finished items from the I/O
 * thread against those records and runs the callbacks.  Everything in
 * this file runs on the owner thread except what is under c->mu.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "client/ssh.h"
#include "client/xfer.h"
#include "common/mem.h"

static pthread_once_t client_curl_once = PTHREAD_ONCE_INIT;

static void client_curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* tls-server-name: ask curl for https://NAME:port and connect it to the
 * real host, so SNI and verification use NAME. */
static void client_sni(struct client *c)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;

	c->url_base = xstrdup(c->server);
	if (!c->cfg->tls_server_name || !u)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, c->server, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
		goto out;
	c->connect_to = xasprintf("%s:%s:%s:%s", c->cfg->tls_server_name,
				  port, host, port);
	curl_url_set(u, CURLUPART_HOST, c->cfg->tls_server_name, 0);
	free(c->url_base);
	c->url_base = NULL;
	char *url = NULL;
	curl_url_get(u, CURLUPART_URL, &url, 0);
	c->url_base = xstrdup(url ? url : c->server);
	curl_free(url);
	size_t n = strlen(c->url_base);
	if (n && c->url_base[n - 1] == '/')
		c->url_base[n - 1] = '\0';
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* host and port of a URL (port defaulted by scheme); caller frees. */
static int client_host_port(const char *url, char **host, int *port)
{
	CURLU *u = curl_url();
	char *h = NULL, *p = NULL;
	int rc = -1;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &h, 0) &&
	    !curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT)) {
		size_t n = strlen(h);
		/* IPv6 literals come back bracketed */
		*host = h[0] == '[' ? xstrndup(h + 1, n - 2) : xstrdup(h);
		*port = atoi(p);
		rc = 0;
	}
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

/* --ssh or the kdeck extension: tunnel, and point curl at it while the
 * URL keeps the real name (TLS verifies the real server). */
static int client_ssh(struct client *c, const struct client_options *o,
		      struct err *e)
{
	const char *dest = o->ssh && *o->ssh ? o->ssh : c->cfg->ssh;
	struct ssh_tunnel_opts so = { .dest = dest,
		.jump = o->ssh && *o->ssh ? NULL : c->cfg->ssh_jump,
		.identity = c->cfg->ssh_identity,
		.cb = { o->hostkey_cb, o->passphrase_cb, o->cb_arg } };
	char *target = NULL, *urlhost = NULL;
	int tport = 0, uport = 0, rc = -1;

	if (!dest)
		return 0;
	if (client_host_port(c->server, &target, &tport) < 0 ||
	    client_host_port(c->url_base, &urlhost, &uport) < 0) {
		err_set(e, ERR_INVALID, "ssh: cannot parse server URL %s",
			c->server);
		goto out;
	}
	so.target_host = target;
	so.target_port = tport;
	if (ssh_tunnel_start(&so, &c->tunnel, e) < 0)
		goto out;
	free(c->connect_to);
	c->connect_to = xasprintf("%s:%d:127.0.0.1:%d", urlhost, uport,
				  ssh_tunnel_port(c->tunnel));
	rc = 0;
out:
	free(target);
	free(urlhost);
	return rc;
}

static void client_apply_options(struct client *c,
				 const struct client_options *o)
{
	size_t n;

	if (o->namespace && *o->namespace) {
		free(c->cfg->namespace);
		c->cfg->namespace = xstrdup(o->namespace);
	}
	if (o->as && *o->as) {
		free(c->cfg->as);
		c->cfg->as = xstrdup(o->as);
	}
	if (o->as_groups) {
		kc_strv_free(c->cfg->as_groups);
		for (n = 0; o->as_groups[n]; n++)
			;
		c->cfg->as_groups = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			c->cfg->as_groups[i] = xstrdup(o->as_groups[i]);
	}
	c->server = xstrdup(c->cfg->server);
	n = strlen(c->server);
	while (n && c->server[n - 1] == '/')
		c->server[--n] = '\0';
	c->namespace = c->cfg->namespace;
	c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	ratelimit_init(&c->rl, o->qps, o->burst, client_now_ns());
}

int client_new(const struct client_options *o, struct client **out,
	       struct err *e)
{
	static const struct client_options none = { 0 };
	struct kc *kc = NULL;
	struct kc_config *cfg = NULL;
	struct client *c;

	o = o ? o : &none;
	if (kc_load(o->kubeconfig, &kc, e) < 0)
		return -1;
	if (kc_resolve(kc, o->context, &cfg, e) < 0) {
		kc_free(kc);
		return -1;
	}
	kc_free(kc);
	pthread_once(&client_curl_once, client_curl_init);
	c = xcalloc(1, sizeof(*c));
	c->cfg = cfg;
	c->tty_cb = o->exec_tty_cb;
	c->cb_arg = o->cb_arg;
	client_apply_options(c, o);
	client_sni(c);
	c->efd = -1;
	if (client_ssh(c, o, e) < 0) {
		client_free(c);
		return -1;
	}
	auth_init(&c->auth, c->cfg);
	auth_init(&c->shared, c->cfg);
	c->next_id = 1;
	c->submit_tail = &c->submit_head;
	c->done_tail = &c->done_head;
	pthread_mutex_init(&c->mu, NULL);
	pthread_mutex_init(&c->ws_auth_mu, NULL);
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->multi = curl_multi_init();
	if (c->efd < 0 || !c->multi) {
		client_free(c);
		return err_set(e, ERR_IO, "client: %s", strerror(errno));
	}
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  o->max_connections > 0 ? (long)o->max_connections : 6L);
	if (pthread_create(&c->thread, NULL, client_io_main, c) != 0) {
		client_free(c);
		return err_set(e, ERR_IO, "client: cannot start I/O thread");
	}
	c->thread_started = true;
	*out = c;
	return 0;
}

static void client_free_cevs(struct cev *ev)
{
	while (ev) {
		struct cev *next = ev->next;
		cJSON_Delete(ev->obj);
		free(ev->data);
		client_resp_free(ev->resp);
		if (ev->auth_job)
			auth_job_drop(ev->auth_job);
		free(ev);
		ev = next;
	}
}

void client_free(struct client *c)
{
	struct pending *p, *tmp;

	if (!c)
		return;
	while (c->informers.len)
		informer_free(c->informers.items[c->informers.len - 1]);
	vec_free(&c->informers, NULL);
	if (c->disc_runs.len)
		client_discover_cancel(c, 0);
	vec_free(&c->disc_runs, NULL);
	if (c->thread_started) {
		pthread_mutex_lock(&c->mu);
		c->stop = true;
		pthread_mutex_unlock(&c->mu);
		curl_multi_wakeup(c->multi);
		pthread_join(c->thread, NULL);
	}
	auth_done(&c->auth);	/* before the multi handle a plugin wakes */
	auth_done(&c->shared);
	while (c->submit_head) {
		struct xfer *x = c->submit_head;
		c->submit_head = x->next;
		xfer_free(x);
	}
	client_free_cevs(c->done_head);
	HASH_ITER(hh, c->pending, p, tmp) {
		HASH_DEL(c->pending, p);
		free(p);
	}
	vec_free(&c->cancels, NULL);
	vec_free(&c->resources, free);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->efd >= 0)
		close(c->efd);
	ssh_tunnel_stop(c->tunnel);
	if (c->submit_tail) {
		pthread_mutex_destroy(&c->mu);
		pthread_mutex_destroy(&c->ws_auth_mu);
	}
	free(c->server);
	free(c->url_base);
	free(c->connect_to);
	kc_config_free(c->cfg);
	free(c);
}

const char *client_context(const struct client *c)
{
	return c->cfg->context ? c->cfg->context : "";
}

const char *client_namespace(const struct client *c)
{
	return c->namespace;
}

const char *client_server(const struct client *c)
{
	return c->server;
}

const char *client_user(const struct client *c)
{
	return c->cfg->user_name ? c->cfg->user_name : "";
}

int client_fd(const struct client *c)
{
	return c->efd;
}

static uint64_t client_submit(struct client *c, const struct client_req *r,
			      bool stream, client_event_cb ev_cb,
			      client_data_cb data_cb, client_cb cb, void *arg)
{
	struct xfer *x = xcalloc(1, sizeof(*x));
	struct pending *p = xcalloc(1, sizeof(*p));

	x->c = c;
	x->id = p->id = c->next_id++;
	x->method = xstrdup(r->method ? r->method : "GET");
	x->path = xstrdup(r->path);
	x->accept = xstrdup(r->accept);
	x->ctype = xstrdup(r->content_type);
	if (r->body) {
		x->body = xmalloc(r->body_len + 1);
		memcpy(x->body, r->body, r->body_len);
		x->body[r->body_len] = '\0';
		x->body_len = r->body_len;
	}
	x->prio = r->prio;
	x->timeout_ms = r->timeout_ms;
	if (r->delay_ms > 0)
		x->not_before = client_now_ns() + (int64_t)r->delay_ms * 1000000;
	x->stream = stream;
	x->raw = data_cb != NULL;
	x->drop_mf = r->drop_managed_fields;
	x->as = xstrdup(r->as);
	if (r->as && r->as_groups) {
		size_t n = 0;

		while (r->as_groups[n] && n < 8)
			n++;
		x->as_groups = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			x->as_groups[i] = xstrdup(r->as_groups[i]);
	}
	p->cb = cb;
	p->ev_cb = ev_cb;
	p->data_cb = data_cb;
	p->arg = arg;
	HASH_ADD(hh, c->pending, id, sizeof(p->id), p);
	pthread_mutex_lock(&c->mu);
	*c->submit_tail = x;
	c->submit_tail = &x->next;
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
	return p->id;
}

uint64_t client_request(struct client *c, const struct client_req *req,
			client_cb cb, void *arg)
{
	return client_submit(c, req, false, NULL, NULL, cb, arg);
}

uint64_t client_stream(struct client *c, const struct client_req *req,
		       client_event_cb on_event, client_cb on_done,
		       void *arg)
{
	return client_submit(c, req, true, on_event, NULL, on_done, arg);
}

uint64_t client_stream_raw(struct client *c, const struct client_req *req,
			   client_data_cb on_data, client_cb on_done,
			   void *arg)
{
	return client_submit(c, req, true, NULL, on_data, on_done, arg);
}

void client_cancel(struct client *c, uint64_t id)
{
	struct pending *p = NULL;

	HASH_FIND(hh, c->pending, &id, sizeof(id), p);
	if (!p) {
		if (id)
			client_discover_cancel(c, id);
		return;
	}
	HASH_DEL(c->pending, p);
	free(p);
	pthread_mutex_lock(&c->mu);
	vec_push(&c->cancels, (void *)(uintptr_t)id);
	pthread_mutex_unlock(&c->mu);
	curl_multi_wakeup(c->multi);
}

/* Run one finished item's callback, if its request is still wanted. */
static void client_dispatch(struct client *c, struct cev *ev)
{
	struct pending *p = NULL;

	if (ev->auth_job) {
		auth_job_tty(c, ev->auth_job);
		ev->auth_job = NULL;
		return;
	}
	HASH_FIND(hh, c->pending, &ev->id, sizeof(ev->id), p);
	if (!p)
		return;
	if (ev->is_event) {
		if (p->data_cb) {
			p->data_cb(ev->data, ev->len, p->arg);
			return;
		}
		if (p->ev_cb) {
			p->ev_cb(ev->wt, ev->obj, p->arg);
			ev->obj = NULL;
		}
		return;
	}
	HASH_DEL(c->pending, p);
	if (p->cb)
		p->cb(ev->resp, p->arg);
	free(p);
}

size_t client_drain(struct client *c)
{
	struct cev *ev, *next;
	uint64_t junk;
	size_t n = 0;

	if (read(c->efd, &junk, sizeof(junk)) < 0 && errno != EAGAIN)
		return 0;
	pthread_mutex_lock(&c->mu);
	ev = c->done_head;
	c->done_head = NULL;
	c->done_tail = &c->done_head;
	pthread_mutex_unlock(&c->mu);
	for (; ev; ev = next) {
		next = ev->next;
		ev->next = NULL;
		client_dispatch(c, ev);
		client_free_cevs(ev);
		n++;
	}
	return n;
}

size_t client_wait(struct client *c, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->efd, .events = POLLIN };

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	return client_drain(c);
}

void client_resp_free(struct client_resp *r)
{
	if (!r)
		return;
	buf_free(&r->body);
	cJSON_Delete(r->json);
	free(r);
}

struct client_sync {
	bool done;
	struct client_resp *resp;
};

static void client_sync_cb(struct client_resp *r, void *arg)
{
	struct client_sync *s = arg;
	struct client_resp *copy = xcalloc(1, sizeof(*copy));

	*copy = *r;
	r->json = NULL;
	buf_init(&r->body);
	s->resp = copy;
	s->done = true;
}

int client_request_sync(struct client *c, const struct client_req *req,
			struct client_resp **out, struct err *e)
{
	struct client_sync s = { 0 };

	client_request(c, req, client_sync_cb, &s);
	while (!s.done)
		client_wait(c, 1000);
	if (s.resp->err.code != ERR_OK) {
		err_copy(e, &s.resp->err);
		client_resp_free(s.resp);
		return -1;
	}
	*out = s.resp;
	return 0;
}
