/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logs: `kdeck logs POD [-c CONTAINER] [-f] [--tail N] [--since-time T]
 * [--timestamps] [--previous]`, kubectl logs' common options on the
 * client layer.  Without -f the log is one GET of pods/log; with -f it is
 * one raw stream (client_stream_raw) copied to stdout as it arrives, until
 * the server ends it (the container stopped) or the user interrupts.
 * Exit status: 0 ok, 1 server or connection error, 2 usage error.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/get.h"
#include "cmd.h"
#include "common/buf.h"
#include "common/mem.h"

struct logs_opts {
	struct get_args a;
	const char *container, *since_time;
	long tail;		/* -1: all */
	bool follow, timestamps, previous;
};

static const struct option logs_longopts[] = {
	{ "namespace", required_argument, NULL, 'n' },
	{ "container", required_argument, NULL, 'c' },
	{ "follow", no_argument, NULL, 'f' },
	{ "tail", required_argument, NULL, 'T' },
	{ "since-time", required_argument, NULL, 'S' },
	{ "timestamps", no_argument, NULL, 't' },
	{ "previous", no_argument, NULL, 'p' },
	{ "context", required_argument, NULL, 'C' },
	{ "kubeconfig", required_argument, NULL, 'K' },
	{ "ssh", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int logs_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "error: %s\n", msg);
	fprintf(stderr, "usage: kdeck logs POD [-c CONTAINER] [-n NS] [-f] "
		"[--tail N] [--since-time RFC3339] [--timestamps] [--previous] "
		"[--context C] [--kubeconfig F] [--ssh USER@HOST[:PORT]]\n");
	return 2;
}

static int logs_opt(int ch, struct logs_opts *o)
{
	char *end;

	switch (ch) {
	case 'n': o->a.ns = optarg; break;
	case 'c': o->container = optarg; break;
	case 'f': o->follow = true; break;
	case 't': o->timestamps = true; break;
	case 'p': o->previous = true; break;
	case 'S': o->since_time = optarg; break;
	case 'C': o->a.context = optarg; break;
	case 'K': o->a.kubeconfig = optarg; break;
	case 'H': o->a.ssh = optarg; break;
	case 'T':
		o->tail = strtol(optarg, &end, 10);
		if (*optarg == '\0' || *end || o->tail < -1)
			return logs_usage("--tail wants a number (-1: all)");
		break;
	case 'h': logs_usage(NULL); return 1;
	default: return logs_usage("unknown option");
	}
	return 0;
}

static int logs_parse(int argc, char **argv, struct logs_opts *o)
{
	int ch, rc;

	optind = 1;
	opterr = 0;
	o->tail = -1;
	while ((ch = getopt_long(argc, argv, "+n:c:fpth", logs_longopts,
				 NULL)) != -1 || optind < argc) {
		if (ch == -1) {
			if (o->a.npos == GET_MAX_POS)
				return logs_usage("too many arguments");
			o->a.pos[o->a.npos++] = argv[optind++];
			continue;
		}
		if ((rc = logs_opt(ch, o)) != 0)
			return rc;
	}
	if (o->a.npos != 1)
		return logs_usage("want exactly one pod name");
	if (o->follow && o->previous)
		return logs_usage("--previous and --follow do not go together");
	return 0;
}

/* The pods/log path with the query kubectl would send. */
static char *logs_path(struct client *c, const struct logs_opts *o)
{
	struct client_gvr pods;
	struct buf q = BUF_INIT;
	char *base;

	memset(&pods, 0, sizeof(pods));
	snprintf(pods.version, sizeof(pods.version), "v1");
	snprintf(pods.resource, sizeof(pods.resource), "pods");
	pods.namespaced = true;
	base = client_path(&pods, o->a.ns ? o->a.ns : client_namespace(c),
			   o->a.pos[0], "log");
	buf_adds(&q, base);
	buf_addc(&q, '?');
	if (o->follow)
		buf_adds(&q, "follow=true&");
	if (o->container)
		buf_printf(&q, "container=%s&", o->container);
	if (o->tail >= 0)
		buf_printf(&q, "tailLines=%ld&", o->tail);
	if (o->since_time)
		buf_printf(&q, "sinceTime=%s&", o->since_time);
	if (o->timestamps)
		buf_adds(&q, "timestamps=true&");
	if (o->previous)
		buf_adds(&q, "previous=true&");
	q.data[--q.len] = '\0';		/* the last '&' or the lone '?' */
	free(base);
	return buf_take(&q);
}

struct follow_state {
	bool done;
	struct err err;
};

static void follow_data(const char *data, size_t len, void *arg)
{
	(void)arg;
	fwrite(data, 1, len, stdout);
	fflush(stdout);
}

static void follow_done(struct client_resp *resp, void *arg)
{
	struct follow_state *st = arg;

	st->done = true;
	st->err = resp->err;
}

int client_logs_main(int argc, char **argv)
{
	struct logs_opts o;
	struct client *c = NULL;
	struct client_req req = { .accept = "text/plain",
				  .prio = CLIENT_PRIO_INTERACTIVE };
	struct client_resp *resp = NULL;
	struct follow_state st = { .done = false };
	struct err e;
	char *path;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = logs_parse(argc, argv, &o)) != 0)
		return rc == 1 ? 0 : rc;
	if (get_connect(&o.a, &c) != 0)
		return 1;
	path = logs_path(c, &o);
	req.path = path;
	if (o.follow) {
		client_stream_raw(c, &req, follow_data, follow_done, &st);
		while (!st.done)
			client_wait(c, -1);
		rc = st.err.code == ERR_OK ? 0 : get_print_err(&st.err);
	} else if (client_request_sync(c, &req, &resp, &e) < 0) {
		rc = get_print_err(&e);
	} else {
		fwrite(resp->body.data, 1, resp->body.len, stdout);
		rc = 0;
	}
	client_resp_free(resp);
	free(path);
	client_free(c);
	return rc;
}
