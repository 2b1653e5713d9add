/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client_tool: drives the client layer directly for client_auth.sh, where
 * the CLI cannot show what matters (what the owner thread sees while an
 * exec plugin runs, cancelling discovery).  $KUBECONFIG names the config.
 *
 *   client_tool get CTX N          N parallel GETs of configmaps/x; prints
 *                                  "token=T runs=R" (T: the bearer token
 *                                  the server saw) or "error: MSG"
 *   client_tool watch-login CTX OTHER
 *                                  watch configmaps on CTX and on OTHER;
 *                                  after 3 s GET configmaps/x on CTX (whose
 *                                  plugin then runs slowly); prints the
 *                                  events each watch delivered between 0.5
 *                                  and 2.5 s after the GET, and the GET
 *   client_tool hook CTX accept|decline
 *                                  GET configmaps/x with a terminal hook
 *                                  that lends the terminal or declines
 *   client_tool discover CTX cancel|quit
 *                                  start discovery, then after 0.5 s
 *                                  cancel it (and free) or just free the
 *                                  client; prints "ms=M cb=0|1"
 *   client_tool ws CTX N           N threads open an exec WebSocket on pod
 *                                  "web" at once (nothing fetched before);
 *                                  prints "ok" or "error: MSG" per thread
 *   client_tool prio CTX N         at 4 requests/s (burst 1), queue N
 *                                  background GETs of /version, then one
 *                                  interactive GET; prints how many
 *                                  background GETs finished before it
 *                                  ("before=K of N") and its wait in ms
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/stream.h"
#include "client/transport.h"
#include "common/mem.h"

static const struct client_req get_x = {
	.path = "/api/v1/namespaces/default/configmaps/x",
};

static int64_t ms_since(int64_t t0)
{
	return (client_now_ns() - t0) / 1000000;
}

static struct client *open_ctx(const char *ctx, client_tty_cb hook)
{
	struct client_options o = { .context = ctx, .exec_tty_cb = hook };
	struct client *c = NULL;
	struct err e = { 0 };

	if (client_new(&o, &c, &e) < 0) {
		printf("error: %s\n", e.msg);
		exit(1);
	}
	return c;
}

struct got {
	int left;
	char token[128];
	char error[256];
};

static void got_cb(struct client_resp *r, void *arg)
{
	struct got *g = arg;
	const char *t = client_jstr(client_jget(r->json, "data", NULL),
				    "token", NULL);

	g->left--;
	if (r->err.code != ERR_OK)
		snprintf(g->error, sizeof(g->error), "%s", r->err.msg);
	else
		snprintf(g->token, sizeof(g->token), "%s", t ? t : "?");
}

static void print_got(struct client *c, const struct got *g)
{
	if (g->error[0])
		printf("error: %s\n", g->error);
	else
		printf("token=%s runs=%u\n", g->token, c->auth.exec_runs);
}

static int cmd_get(const char *ctx, int n)
{
	struct client *c = open_ctx(ctx, NULL);
	struct got g = { .left = n };

	for (int i = 0; i < n; i++)
		client_request(c, &get_x, got_cb, &g);
	while (g.left > 0)
		client_wait(c, 1000);
	print_got(c, &g);
	client_free(c);
	return g.error[0] ? 1 : 0;
}

struct counter {
	int64_t from, to;	/* window, monotonic ns */
	int total, in_window;
};

static void count_ev(enum watch_type t, cJSON *obj, void *arg)
{
	struct counter *k = arg;
	int64_t now = client_now_ns();

	(void)t;
	k->total++;
	if (k->from && now >= k->from && now <= k->to)
		k->in_window++;
	cJSON_Delete(obj);
}

static void ignore_done(struct client_resp *r, void *arg)
{
	(void)r;
	(void)arg;
}

static int cmd_watch_login(const char *ctx, const char *other)
{
	struct client *c[2] = { open_ctx(ctx, NULL), open_ctx(other, NULL) };
	struct counter k[2] = { { 0 } };
	struct client_req w = {
		.path = "/api/v1/namespaces/default/configmaps?watch=1" };
	struct got g = { .left = 1 };
	int64_t t0 = client_now_ns(), t_get = 0, get_ms = 0;

	for (int i = 0; i < 2; i++)
		client_stream(c[i], &w, count_ev, ignore_done, &k[i]);
	while (g.left > 0 && ms_since(t0) < 20000) {
		if (!t_get && ms_since(t0) >= 3000) {
			t_get = client_now_ns();
			for (int i = 0; i < 2; i++) {
				k[i].from = t_get + 500LL * 1000000;
				k[i].to = t_get + 2500LL * 1000000;
			}
			client_request(c[0], &get_x, got_cb, &g);
		}
		for (int i = 0; i < 2; i++)
			client_wait(c[i], 20);
		if (t_get && g.left == 0)
			get_ms = ms_since(t_get);
	}
	printf("before=%d during=%d other=%d get_ms_ge_2500=%d\n",
	       k[0].total - k[0].in_window > 0, k[0].in_window,
	       k[1].in_window, get_ms >= 2500);
	print_got(c[0], &g);
	client_free(c[0]);
	client_free(c[1]);
	return 0;
}

static int hook_accept(bool required, void (*run)(void *), void *run_arg,
		       void *arg)
{
	fprintf(stderr, "hook: required=%d, lending the terminal\n", required);
	(void)arg;
	run(run_arg);
	fprintf(stderr, "hook: terminal back\n");
	return 0;
}

static int hook_decline(bool required, void (*run)(void *), void *run_arg,
			void *arg)
{
	fprintf(stderr, "hook: required=%d, declined\n", required);
	(void)run;
	(void)run_arg;
	(void)arg;
	return -1;
}

static int cmd_hook(const char *ctx, const char *how)
{
	struct client *c = open_ctx(ctx, strcmp(how, "accept") ? hook_decline :
				    hook_accept);
	struct got g = { .left = 1 };

	client_request(c, &get_x, got_cb, &g);
	while (g.left > 0)
		client_wait(c, 1000);
	print_got(c, &g);
	client_free(c);
	return g.error[0] ? 1 : 0;
}

static void disc_cb(struct client_resp *r, void *arg)
{
	(void)r;
	*(int *)arg = 1;
}

static int cmd_discover(const char *ctx, const char *how)
{
	struct client *c = open_ctx(ctx, NULL);
	int called = 0;
	uint64_t id = client_discover(c, true, disc_cb, &called);
	int64_t t0 = client_now_ns();

	int64_t ms = 0;

	while (ms_since(t0) < 500)
		client_wait(c, 100);
	if (!strcmp(how, "cancel")) {
		t0 = client_now_ns();
		client_cancel(c, id);
		ms = ms_since(t0);
		/* a cancelled run stays quiet */
		for (int i = 0; i < 3; i++)
			client_wait(c, 100);
	}
	t0 = client_now_ns();
	client_free(c);
	ms += ms_since(t0);
	printf("id=%d ms=%lld cb=%d\n", id != 0, (long long)ms, called);
	return 0;
}

struct opener {
	struct client *c;
	pthread_t t;
	struct err e;
	int rc;
};

static void *open_one(void *arg)
{
	static const char *const protos[] = { "v5.channel.k8s.io", NULL };
	struct opener *o = arg;
	struct client_ws *w = NULL;

	o->rc = client_ws_open(o->c, "/api/v1/namespaces/default/pods/web/"
			       "exec?command=echo&command=hi&stdout=true",
			       protos, &w, &o->e);
	client_ws_free(w);
	return NULL;
}

static int cmd_ws(const char *ctx, int n)
{
	struct client *c = open_ctx(ctx, NULL);
	struct opener o[8] = { { 0 } };
	int bad = 0;

	n = n < 1 ? 1 : n > 8 ? 8 : n;
	for (int i = 0; i < n; i++) {
		o[i].c = c;
		if (pthread_create(&o[i].t, NULL, open_one, &o[i]) != 0)
			return 1;
	}
	for (int i = 0; i < n; i++) {
		pthread_join(o[i].t, NULL);
		if (o[i].rc < 0)
			printf("error: %s\n", o[i].e.msg);
		else
			printf("ok\n");
		bad += o[i].rc < 0;
	}
	client_free(c);
	return bad ? 1 : 0;
}

struct order {
	int background_done, before, left;
	int64_t t0, wait_ms;
};

static void bg_cb(struct client_resp *r, void *arg)
{
	struct order *o = arg;

	(void)r;
	o->background_done++;
	o->left--;
}

static void fg_cb(struct client_resp *r, void *arg)
{
	struct order *o = arg;

	o->before = o->background_done;
	o->wait_ms = ms_since(o->t0);
	o->left--;
	if (r->err.code != ERR_OK)
		printf("error: %s\n", r->err.msg);
}

static int cmd_prio(const char *ctx, int n)
{
	struct client_options opt = { .context = ctx, .qps = 4, .burst = 1 };
	struct client_req bg = { .path = "/version" };
	struct client_req fg = { .path = "/version",
				 .prio = CLIENT_PRIO_INTERACTIVE };
	struct order o = { .left = n + 1 };
	struct client *c = NULL;
	struct err e = { 0 };

	if (client_new(&opt, &c, &e) < 0) {
		printf("error: %s\n", e.msg);
		return 1;
	}
	for (int i = 0; i < n; i++)
		client_request(c, &bg, bg_cb, &o);
	o.t0 = client_now_ns();
	client_request(c, &fg, fg_cb, &o);
	while (o.left > 0 && ms_since(o.t0) < 60000)
		client_wait(c, 1000);
	printf("before=%d of %d wait_ms_lt_1000=%d\n", o.before, n,
	       o.wait_ms < 1000);
	client_free(c);
	return o.left ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4 && !strcmp(argv[1], "get"))
		return cmd_get(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "watch-login"))
		return cmd_watch_login(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "hook"))
		return cmd_hook(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "discover"))
		return cmd_discover(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "prio"))
		return cmd_prio(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "ws"))
		return cmd_ws(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: client_tool get|watch-login|hook|discover|ws|prio "
		"CTX ARG\n");
	return 2;
}
