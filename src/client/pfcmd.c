/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pfcmd: `kdeck port-forward POD [LOCAL:]REMOTE... [--address IP]`.
 * The pod is fetched first so a missing or not-running pod fails at once
 * (as kubectl does); then one listener per port spec, each accepted
 * connection getting its own WebSocket (ws_pf.c), until SIGINT/SIGTERM.
 * "R" listens on R, ":R" or "0:R" on a free port.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/get.h"
#include "client/private.h"
#include "client/stream.h"
#include "cmd.h"
#include "common/mem.h"

#define PF_MAX 16

struct pf_opts {
	struct get_args a;
	const char *address;
	int nspec;
	int local[PF_MAX], remote[PF_MAX];
};

static volatile sig_atomic_t pf_stop;

static const struct option pf_longopts[] = {
	{ "namespace", required_argument, NULL, 'n' },
	{ "address", required_argument, NULL, 'a' },
	{ "context", required_argument, NULL, 'C' },
	{ "kubeconfig", required_argument, NULL, 'K' },
	{ "ssh", required_argument, NULL, 'H' },
	{ "as", required_argument, NULL, 'A' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int pf_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "error: %s\n", msg);
	fprintf(stderr, "usage: kdeck port-forward POD [LOCAL:]REMOTE... "
		"[-n NS] [--address IP] [--context C] [--kubeconfig F] "
		"[--ssh USER@HOST[:PORT]] [--as USER]\n");
	return 2;
}

static int pf_opt(int ch, struct pf_opts *o)
{
	switch (ch) {
	case 'n': o->a.ns = optarg; break;
	case 'a': o->address = optarg; break;
	case 'C': o->a.context = optarg; break;
	case 'K': o->a.kubeconfig = optarg; break;
	case 'H': o->a.ssh = optarg; break;
	case 'A': o->a.as = optarg; break;
	case 'h': pf_usage(NULL); return 1;
	default: return pf_usage("unknown option");
	}
	return 0;
}

static int pf_parse(int argc, char **argv, struct pf_opts *o)
{
	int ch, rc;
	char *pod = NULL;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "n:h", pf_longopts, NULL)) != -1)
		if ((rc = pf_opt(ch, o)) != 0)
			return rc;
	for (; optind < argc; optind++) {
		char *s = argv[optind];
		if (!pod) {
			/* pod/NAME is accepted like kubectl */
			pod = strncmp(s, "pod/", 4) ? s : s + 4;
			continue;
		}
		if (o->nspec == PF_MAX)
			return pf_usage("too many ports");
		if (kpf_parse_spec(s, &o->local[o->nspec],
				   &o->remote[o->nspec]) < 0)
			return pf_usage("ports are [LOCAL:]REMOTE (1-65535)");
		o->nspec++;
	}
	if (!pod || !o->nspec)
		return pf_usage("want a pod and at least one port");
	o->a.pos[0] = pod;
	o->a.npos = 1;
	return 0;
}

/* The pod must exist and run. */
static int pf_check_pod(struct client *c, const char *ns, const char *pod)
{
	struct client_req req = { .prio = CLIENT_PRIO_INTERACTIVE };
	struct client_resp *resp = NULL;
	struct err e;
	char *path = xasprintf("/api/v1/namespaces/%s/pods/%s", ns, pod);
	int rc = 0;

	req.path = path;
	if (client_request_sync(c, &req, &resp, &e) < 0) {
		rc = get_print_err(&e);
	} else {
		const char *phase = client_jstr(resp->json, "status", "phase");
		if (!phase || strcmp(phase, "Running")) {
			fprintf(stderr, "error: unable to forward port because "
				"pod is not running. Current status=%s\n",
				phase ? phase : "Unknown");
			rc = 1;
		}
	}
	client_resp_free(resp);
	free(path);
	return rc;
}

static void pf_on_error(const struct err *e, void *arg)
{
	(void)arg;
	fprintf(stderr, "E: %s\n", e->msg);
}

static void pf_on_signal(int sig)
{
	(void)sig;
	pf_stop = 1;
}

static int pf_run(struct client *c, const struct pf_opts *o, const char *ns)
{
	struct kpf *f[PF_MAX] = { NULL };
	const char *addr = o->address ? o->address : "127.0.0.1";
	struct err e;
	int rc = 0, n;

	for (n = 0; n < o->nspec; n++) {
		struct kpf_opts ko = { .ns = ns, .pod = o->a.pos[0],
			.address = addr, .local_port = o->local[n],
			.remote_port = o->remote[n], .on_error = pf_on_error };
		if (kpf_start(c, &ko, &f[n], &e) < 0) {
			rc = get_print_err(&e);
			break;
		}
		printf("Forwarding from %s:%d -> %d\n", addr,
		       kpf_local_port(f[n]), o->remote[n]);
	}
	fflush(stdout);
	signal(SIGINT, pf_on_signal);
	signal(SIGTERM, pf_on_signal);
	while (!rc && !pf_stop) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < n; i++)
		kpf_free(f[i]);
	return rc;
}

int client_port_forward_main(int argc, char **argv)
{
	struct pf_opts o;
	struct client *c = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = pf_parse(argc, argv, &o)) != 0)
		return rc == 1 ? 0 : rc;
	if (get_connect(&o.a, &c) != 0)
		return 1;
	const char *ns = o.a.ns ? o.a.ns : client_namespace(c);
	rc = pf_check_pod(c, ns, o.a.pos[0]);
	if (!rc)
		rc = pf_run(c, &o, ns);
	client_free(c);
	return rc;
}
