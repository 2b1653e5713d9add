/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ws_exec: exec and attach sessions over a WebSocket
 * (v5.channel.k8s.io, falling back to v4.channel.k8s.io when the server
 * only knows that one: both are offered in one upgrade).
 *
 * One thread per session connects, then receives: stdout/stderr go to
 * on_output, the status channel carries the final v1.Status (exit code),
 * and the end of the stream or a failure runs on_end once.  Writers
 * (stdin, resize) run on any thread: they wait until the connection is
 * up, then send directly (common/ws.h serializes sends).
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/private.h"
#include "client/stream.h"
#include "common/buf.h"
#include "common/mem.h"

#define KEXEC_POLL_MS 200

enum kexec_state { KX_CONNECTING, KX_OPEN, KX_ENDED };

struct kexec {
	struct client *c;
	struct kexec_opts o;
	char *path;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	enum kexec_state state;	/* under mu */
	bool stop;		/* under mu */
	bool v5;
	struct client_ws *w;	/* set before state leaves CONNECTING */
	struct err end_err;	/* why it ended, under mu */
};

static const char *const kexec_protocols[] = {
	"v5.channel.k8s.io", "v4.channel.k8s.io", NULL
};

/* The ExitCode cause of a NonZeroExitCode Status, or -1. */
static int kexec_exit_cause(const cJSON *st)
{
	const cJSON *c;
	const cJSON *causes = client_jget(st, "details", "causes");

	cJSON_ArrayForEach(c, causes) {
		const char *r = client_jstr(c, "reason", NULL);
		const char *m = client_jstr(c, "message", NULL);
		if (r && m && !strcmp(r, "ExitCode")) {
			char *end;
			long v = strtol(m, &end, 10);
			if (*m && !*end && v >= 0 && v <= 255)
				return (int)v;
		}
	}
	return -1;
}

int kexec_status_exit(const char *json, size_t len, int *code,
		      struct err *e)
{
	cJSON *st = cJSON_ParseWithLength(json, len);
	const char *status = client_jstr(st, "status", NULL);
	const char *reason = client_jstr(st, "reason", NULL);
	int rc = -1, v;

	if (!cJSON_IsObject(st)) {
		err_set(e, ERR_PARSE, "exec: malformed status message");
		goto out;
	}
	if (status && !strcmp(status, "Success")) {
		*code = 0;
		rc = 0;
	} else if (reason && !strcmp(reason, "NonZeroExitCode") &&
		   (v = kexec_exit_cause(st)) >= 0) {
		*code = v;
		rc = 0;
	} else {
		const cJSON *hc = cJSON_GetObjectItemCaseSensitive(st, "code");
		/* the status channel's Status carries no kind */
		if (!cJSON_GetObjectItemCaseSensitive(st, "kind"))
			cJSON_AddStringToObject(st, "kind", "Status");
		client_status_err(cJSON_IsNumber(hc) ? hc->valueint : 500, st,
				  json, len, e);
	}
out:
	cJSON_Delete(st);
	return rc;
}

char *kexec_path(const char *ns, const char *pod, const char *container,
		 const char *const *command, bool attach, bool stdin_on,
		 bool tty)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "/api/v1/namespaces/");
	client_url_escape(&b, ns);
	buf_adds(&b, "/pods/");
	client_url_escape(&b, pod);
	buf_adds(&b, attach ? "/attach" : "/exec");
	for (size_t i = 0; !attach && command && command[i]; i++)
		client_url_param(&b, "command", command[i]);
	if (container)
		client_url_param(&b, "container", container);
	if (stdin_on)
		client_url_param(&b, "stdin", "true");
	client_url_param(&b, "stdout", "true");
	if (!tty)
		client_url_param(&b, "stderr", "true");
	if (tty)
		client_url_param(&b, "tty", "true");
	return buf_take(&b);
}

static void kexec_set_state(struct kexec *x, enum kexec_state s,
			    const struct err *e)
{
	pthread_mutex_lock(&x->mu);
	x->state = s;
	if (e)
		err_copy(&x->end_err, e);
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

static bool kexec_stopping(struct kexec *x)
{
	bool s;

	pthread_mutex_lock(&x->mu);
	s = x->stop;
	pthread_mutex_unlock(&x->mu);
	return s;
}

/* One received message; returns 1 when the status arrived. */
static int kexec_msg(struct kexec *x, const struct ws_msg *m, int *code,
		     struct err *e)
{
	if (m->len == 0)
		return 0;
	int ch = m->data[0];
	if (ch == KEXEC_STDOUT || ch == KEXEC_STDERR) {
		if (m->len > 1 && x->o.on_output)
			x->o.on_output(ch, m->data + 1, m->len - 1, x->o.arg);
	} else if (ch == KEXEC_STATUS) {
		if (kexec_status_exit((const char *)m->data + 1, m->len - 1,
				      code, e) < 0)
			*code = -1;
		return 1;
	}
	return 0;
}

/* Receive until the end; returns the exit code or -1 with e. */
static int kexec_pump(struct kexec *x, struct err *e)
{
	struct ws *ws = client_ws_ws(x->w);
	struct ws_msg m;
	int code = 0, r;
	bool have_status = false;

	for (;;) {
		if (kexec_stopping(x))
			return err_set(e, ERR_UNAVAILABLE, "session closed");
		r = ws_recv(ws, KEXEC_POLL_MS, &m, e);
		if (r == -2)
			continue;
		if (r <= 0)
			break;
		if (kexec_msg(x, &m, &code, e) == 1) {
			have_status = true;
			if (code < 0) {
				free(m.data);
				return -1;
			}
		}
		free(m.data);
	}
	if (r < 0 && !have_status)
		return -1;
	err_clear(e);
	return code;
}

static void *kexec_main(void *arg)
{
	struct kexec *x = arg;
	struct err e = { 0 };
	int code = -1;

	if (client_ws_open(x->c, x->path, kexec_protocols, &x->w, &e) == 0) {
		x->v5 = !strcmp(client_ws_protocol(x->w), kexec_protocols[0]);
		kexec_set_state(x, KX_OPEN, NULL);
		code = kexec_pump(x, &e);
	}
	kexec_set_state(x, KX_ENDED, &e);
	if (x->o.on_end)
		x->o.on_end(code, &e, x->o.arg);
	return NULL;
}

int kexec_start(struct client *c, const struct kexec_opts *o,
		struct kexec **out, struct err *e)
{
	struct kexec *x = xcalloc(1, sizeof(*x));

	x->c = c;
	x->o = *o;
	x->path = kexec_path(o->ns, o->pod, o->container, o->command,
			     o->attach, o->stdin_on, o->tty);
	x->o.ns = x->o.pod = x->o.container = NULL;
	x->o.command = NULL;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if (pthread_create(&x->th, NULL, kexec_main, x) != 0) {
		free(x->path);
		free(x);
		return err_set(e, ERR_IO, "exec: cannot start a thread");
	}
	*out = x;
	return 0;
}

/* Wait for the connection; the ws, or NULL with e when it ended. */
static struct ws *kexec_ws(struct kexec *x, struct err *e)
{
	enum kexec_state s;

	pthread_mutex_lock(&x->mu);
	while (x->state == KX_CONNECTING)
		pthread_cond_wait(&x->cv, &x->mu);
	s = x->state;
	pthread_mutex_unlock(&x->mu);
	if (s != KX_OPEN) {
		err_set(e, ERR_UNAVAILABLE, "exec: the session has ended");
		return NULL;
	}
	return client_ws_ws(x->w);
}

int kexec_write(struct kexec *x, const void *data, size_t len,
		struct err *e)
{
	static const uint8_t close_stdin = KEXEC_STDIN;
	struct ws *ws = kexec_ws(x, e);

	if (!ws)
		return -1;
	if (len == 0)
		return x->v5 ? ws_send_channel(ws, KEXEC_CLOSE, &close_stdin,
					       1, e) : 0;
	return ws_send_channel(ws, KEXEC_STDIN, data, len, e);
}

int kexec_resize(struct kexec *x, int cols, int rows, struct err *e)
{
	struct ws *ws = kexec_ws(x, e);
	char msg[64];
	int n;

	if (!ws)
		return -1;
	n = snprintf(msg, sizeof(msg), "{\"Width\":%d,\"Height\":%d}", cols,
		     rows);
	return ws_send_channel(ws, KEXEC_RESIZE, msg, (size_t)n, e);
}

bool kexec_open(struct kexec *x)
{
	bool o;

	pthread_mutex_lock(&x->mu);
	o = x->state == KX_OPEN;
	pthread_mutex_unlock(&x->mu);
	return o;
}

bool kexec_done(struct kexec *x)
{
	bool d;

	pthread_mutex_lock(&x->mu);
	d = x->state == KX_ENDED;
	pthread_mutex_unlock(&x->mu);
	return d;
}

void kexec_free(struct kexec *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&x->mu);
	x->stop = true;
	pthread_mutex_unlock(&x->mu);
	pthread_join(x->th, NULL);
	client_ws_free(x->w);
	pthread_cond_destroy(&x->cv);
	pthread_mutex_destroy(&x->mu);
	free(x->path);
	free(x);
}
