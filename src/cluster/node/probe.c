/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: one run of a probe's action (probe.h), as kubelet's prober does
 * it.  This file picks the action (a table), resolves ports (a number,
 * a container port's name, or a number written as a string, as
 * probe.ResolveContainerPort) and hosts (the action's host, else the pod
 * IP), and runs exec (rt_exec_sync; output at most 10 KiB, trimmed; a
 * timeout is a failure "command \"...\" timed out" as with the
 * ExecProbeTimeout gate on) and tcpSocket (a non-blocking connect bounded
 * by timeoutSeconds, Go's "dial tcp IP:PORT: connect: connection refused"
 * and "i/o timeout" texts).  httpGet and grpc are in probe_http.c.
 *
 * Thread-safe; blocks for at most the probe's timeout.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cluster/node/probe_int.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/mem.h"

void probe_join_host_port(const char *host, int port, char *out, size_t n)
{
	if (strchr(host, ':'))
		snprintf(out, n, "[%s]:%d", host, port);
	else
		snprintf(out, n, "%s:%d", host, port);
}

void probe_errno_text(int err, char *out, size_t n)
{
	snprintf(out, n, "%s", strerror(err));
	if (out[0])
		out[0] = (char)tolower((unsigned char)out[0]);
}

static enum probe_result fail(char **msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum probe_result fail(char **msg, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (msg)
		*msg = buf_take(&b);
	buf_free(&b);
	return PROBE_FAILURE;
}

/* --- ports and hosts --- */

/* probe.ResolveContainerPort: 0 and *port, or -1 with kubelet's error. */
static int resolve_port(const cJSON *ctr, const cJSON *p, int *port,
			char *err, size_t n)
{
	const cJSON *cp;
	char *end;
	long v = -1;

	if (cJSON_IsNumber(p)) {
		v = (long)p->valuedouble;
	} else if (cJSON_IsString(p)) {
		cJSON_ArrayForEach(cp, json_get(ctr, "ports"))
			if (!strcmp(json_get_str(cp, "name") ?: "", p->valuestring))
				v = (long)cJSON_GetNumberValue(json_get(cp, "containerPort"));
		if (v < 0) {
			v = strtol(p->valuestring, &end, 10);
			if (!p->valuestring[0] || *end) {
				snprintf(err, n, "strconv.Atoi: parsing \"%s\": invalid syntax",
					 p->valuestring);
				return -1;
			}
		}
	} else {
		snprintf(err, n, "intOrString had no kind");
		return -1;
	}
	if (v <= 0 || v >= 65536) {
		snprintf(err, n, "invalid port number: %ld", v);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* --- exec --- */

static void trim(struct buf *b)
{
	size_t s = 0;

	while (b->len && isspace((unsigned char)b->data[b->len - 1]))
		b->len--;
	while (s < b->len && isspace((unsigned char)b->data[s]))
		s++;
	if (s)	/* empty output: data is NULL */
		memmove(b->data, b->data + s, b->len - s);
	b->len -= s;
}

static enum probe_result run_exec(struct rt *rt, const char *id,
				  const cJSON *action, int timeout_ms,
				  char **msg)
{
	const cJSON *cmd = json_get(action, "command"), *c;
	size_t n = (size_t)cJSON_GetArraySize(cmd), i = 0;
	char **argv = xcalloc(n + 1, sizeof(*argv));
	struct buf out = BUF_INIT, line = BUF_INIT;
	enum probe_result r = PROBE_FAILURE;
	struct err e;
	int code = -1;

	cJSON_ArrayForEach(c, cmd) {
		argv[i++] = cJSON_IsString(c) ? c->valuestring : (char *)"";
		buf_printf(&line, "%s%s", line.len ? " " : "", argv[i - 1]);
	}
	err_clear(&e);
	if (!n)
		fail(msg, "exec probe: no command");
	else if (!rt || !id)
		fail(msg, "exec probe: no container runtime to run \"%s\" in", buf_cstr(&line));
	else if (rt_exec_sync(rt, id, argv, timeout_ms, PROBE_MAX_OUTPUT, &out,
			      &code, &e) < 0 && e.code == ERR_TIMEOUT)
		fail(msg, "command \"%s\" timed out", buf_cstr(&line));
	else if (e.code != ERR_OK)
		fail(msg, "%s", e.msg);
	else {
		trim(&out);
		r = code == 0 ? PROBE_SUCCESS : PROBE_FAILURE;
		if (msg)
			*msg = xstrdup(code == 0 ? "" : buf_cstr(&out));
	}
	buf_free(&out);
	buf_free(&line);
	free(argv);
	return r;
}

/* --- tcpSocket --- */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connect to ai within deadline: 0, or an errno (ETIMEDOUT on timeout). */
static int connect_one(const struct addrinfo *ai, int64_t deadline)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			ai->ai_protocol), err = 0;
	socklen_t len = sizeof(err);
	struct pollfd p;

	if (fd < 0)
		return errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto out;
	if (errno != EINPROGRESS) {
		err = errno;
		goto out;
	}
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	for (;;) {
		int64_t left = deadline - mono_ms();
		int rc = left > 0 ? poll(&p, 1, (int)left) : 0;

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			err = ETIMEDOUT;
			goto out;
		}
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
out:
	close(fd);
	return err;
}

static enum probe_result run_tcp(const struct probe_target *t, char **msg)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	int64_t deadline = mono_ms() + t->timeout_ms;
	char addr[300], port[16], text[128];
	int err;

	probe_join_host_port(t->host, t->port, addr, sizeof(addr));
	snprintf(port, sizeof(port), "%d", t->port);
	if (getaddrinfo(t->host, port, &hints, &res) != 0 || !res)
		return fail(msg, "dial tcp: lookup %s: no such host", t->host);
	err = connect_one(res, deadline);
	freeaddrinfo(res);
	if (err == ETIMEDOUT)
		return fail(msg, "dial tcp %s: i/o timeout", addr);
	if (err) {
		probe_errno_text(err, text, sizeof(text));
		return fail(msg, "dial tcp %s: connect: %s", addr, text);
	}
	if (msg)
		*msg = xstrdup("");
	return PROBE_SUCCESS;
}

/* --- dispatch --- */

enum kind { K_EXEC, K_HTTP, K_TCP, K_GRPC };

static const struct {
	const char *field;
	enum kind kind;
} actions[] = {
	{ "exec", K_EXEC }, { "httpGet", K_HTTP },
	{ "tcpSocket", K_TCP }, { "grpc", K_GRPC },
};

/* Host and port of a network action into t; -1 with *msg set. */
static int target(const cJSON *ctr, const cJSON *action, const char *pod_ip,
		  struct probe_target *t, char **msg)
{
	char err[256];
	const char *host = json_get_str(action, "host");

	t->action = action;
	t->host = host && *host ? host : pod_ip;
	if (!t->host || !*t->host) {
		fail(msg, "the pod has no IP address yet");
		return -1;
	}
	if (resolve_port(ctr, json_get(action, "port"), &t->port, err,
			 sizeof(err)) < 0) {
		fail(msg, "%s", err);
		return -1;
	}
	return 0;
}

enum probe_result probe_run(struct rt *rt, const char *container_id,
			    const char *pod_ip, const cJSON *ctr,
			    const cJSON *probe, char **msg)
{
	struct probe_target t = { 0 };
	int64_t secs = 1;
	const cJSON *action = NULL;
	size_t i;

	json_get_int(probe, "timeoutSeconds", &secs);
	t.timeout_ms = (int)(secs > 0 && secs < 86400 ? secs : 1) * 1000;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]) && !action; i++)
		action = json_get(probe, actions[i].field);
	if (!action)
		return fail(msg, "missing probe handler");
	switch (actions[i - 1].kind) {
	case K_EXEC:
		return run_exec(rt, container_id, action, t.timeout_ms, msg);
	case K_TCP:
		return target(ctr, action, pod_ip, &t, msg) < 0 ? PROBE_FAILURE
								 : run_tcp(&t, msg);
	case K_HTTP:
		return target(ctr, action, pod_ip, &t, msg) < 0 ? PROBE_FAILURE
								 : probe_http(&t, msg);
	case K_GRPC:
		/* grpc has no host field: always the pod IP */
		return target(ctr, action, pod_ip, &t, msg) < 0 ? PROBE_FAILURE
								 : probe_grpc(&t, msg);
	}
	return fail(msg, "missing probe handler");
}
