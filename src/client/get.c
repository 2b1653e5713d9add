/* SPDX-License-Identifier: Apache-2.0 */
/*
 * get: `kdeck get` and `kdeck can-i`, the command-line face of the client
 * layer, built on the synchronous wrappers.  Human output prints the
 * server's Table like kubectl: priority-0 columns (all with -o wide), an
 * extra NAMESPACE column with -A, upper-case headers, columns padded to
 * the widest cell plus three spaces.  -o json/yaml print the object or a
 * v1 List (items get kind/apiVersion filled in, as kubectl does).
 * Exit status: 0 ok, 1 server or connection error, 2 usage error.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/get.h"
#include "cmd.h"
#include "common/mem.h"

enum get_output { OUT_TABLE, OUT_WIDE, OUT_JSON, OUT_YAML, OUT_NAME };

static const struct { const char *name; enum get_output out; } get_outputs[] = {
	{ "wide", OUT_WIDE }, { "json", OUT_JSON }, { "yaml", OUT_YAML },
	{ "name", OUT_NAME },
};

static const struct option get_longopts[] = {
	{ "namespace", required_argument, NULL, 'n' },
	{ "all-namespaces", no_argument, NULL, 'A' },
	{ "selector", required_argument, NULL, 'l' },
	{ "field-selector", required_argument, NULL, 'F' },
	{ "output", required_argument, NULL, 'o' },
	{ "context", required_argument, NULL, 'C' },
	{ "kubeconfig", required_argument, NULL, 'K' },
	{ "as", required_argument, NULL, 'U' },
	{ "ssh", required_argument, NULL, 'S' },
	{ "watch", no_argument, NULL, 'w' },
	{ "watch-events", required_argument, NULL, 'E' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int get_usage(const char *cmd, const char *msg)
{
	if (msg)
		fprintf(stderr, "error: %s\n", msg);
	if (!strcmp(cmd, "can-i"))
		fprintf(stderr, "usage: kdeck can-i VERB RESOURCE [NAME] "
			"[-n NS] [-A] [--as USER] [--context C] "
			"[--kubeconfig F]\n");
	else
		fprintf(stderr, "usage: kdeck get KIND [NAME] [-n NS] [-A] "
			"[-l SEL] [--field-selector SEL] "
			"[-o json|yaml|wide|name] [-w] [--context C] "
			"[--kubeconfig F] [--ssh USER@HOST[:PORT]]\n");
	return 2;
}

/* Parse the shared options; positional arguments land in a->pos. */
static int get_parse(int argc, char **argv, struct get_args *a)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+n:Al:o:wh", get_longopts,
				 NULL)) != -1 || optind < argc) {
		if (ch == -1) {	/* a positional: keep it, go on */
			if (a->npos < GET_MAX_POS)
				a->pos[a->npos++] = argv[optind];
			else
				return get_usage(argv[0], "too many arguments");
			optind++;
			continue;
		}
		switch (ch) {
		case 'n': a->ns = optarg; break;
		case 'A': a->all_ns = true; break;
		case 'l': a->label = optarg; break;
		case 'F': a->field = optarg; break;
		case 'C': a->context = optarg; break;
		case 'K': a->kubeconfig = optarg; break;
		case 'U': a->as = optarg; break;
		case 'S': a->ssh = optarg; break;
		case 'w': a->watch = true; break;
		case 'E': a->watch_events = strtol(optarg, NULL, 10); break;
		case 'o':
			a->output = optarg;
			break;
		case 'h': return get_usage(argv[0], NULL);
		default:
			fprintf(stderr, "error: unknown flag: %s\n",
				argv[optind - 1]);
			return get_usage(argv[0], NULL);
		}
	}
	return 0;
}

static int get_output_kind(const char *o, enum get_output *out)
{
	*out = OUT_TABLE;
	if (!o)
		return 0;
	for (size_t i = 0; i < sizeof(get_outputs) / sizeof(get_outputs[0]); i++)
		if (!strcmp(o, get_outputs[i].name)) {
			*out = get_outputs[i].out;
			return 0;
		}
	return -1;
}

/* Print the server's message the way kubectl does. */
int get_print_err(const struct err *e)
{
	if (e->code == ERR_UNAVAILABLE || e->code == ERR_TIMEOUT ||
	    e->code == ERR_IO || e->code == ERR_PARSE || e->code == ERR_OK)
		fprintf(stderr, "error: %s\n", e->msg);
	else
		fprintf(stderr, "Error from server (%s): %s\n",
			err_reason(e->code), e->msg);
	return 1;
}

int get_connect(const struct get_args *a, struct client **c)
{
	struct client_options o = { .kubeconfig = a->kubeconfig,
		.context = a->context, .namespace = a->ns, .as = a->as,
		.ssh = a->ssh, .hostkey_cb = client_tty_hostkey,
		.passphrase_cb = client_tty_passphrase,
		.exec_tty_cb = client_tty_lend };
	struct err e = { 0 };

	if (client_new(&o, c, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 1;
	}
	return 0;
}

static int get_run(const struct get_args *a, enum get_output out)
{
	struct client *c = NULL;
	struct client_gvr r;
	struct err e = { 0 };
	int rc;

	if (get_connect(a, &c))
		return 1;
	if (client_resolve(c, a->pos[0], &r, &e) < 0) {
		rc = e.code == ERR_NOT_FOUND ? (fprintf(stderr, "error: %s\n",
							 e.msg), 1)
					     : get_print_err(&e);
		goto out;
	}
	if (a->watch && !a->name) {
		rc = get_watch(c, a, &r, out == OUT_NAME, a->watch_events);
		goto out;
	}
	rc = get_show(c, a, &r, out == OUT_TABLE ? "" :
		      out == OUT_WIDE ? "wide" : out == OUT_JSON ? "json" :
		      out == OUT_YAML ? "yaml" : "name");
out:
	client_free(c);
	return rc;
}

int client_get_main(int argc, char **argv)
{
	struct get_args a = { 0 };
	enum get_output out;
	int rc = get_parse(argc, argv, &a);

	if (rc)
		return rc;
	if (a.npos < 1 || a.npos > 2)
		return get_usage("get", a.npos ? "too many arguments" :
				 "you must specify the type of resource to get");
	if (get_output_kind(a.output, &out) < 0)
		return get_usage("get", "unknown output format (want json, "
				 "yaml, wide or name)");
	/* KIND/NAME */
	char *slash = strchr(a.pos[0], '/');
	char *kind = NULL;
	if (slash && a.npos == 1) {
		kind = xstrndup(a.pos[0], (size_t)(slash - a.pos[0]));
		a.pos[1] = slash + 1;
		a.pos[0] = kind;
		a.npos = 2;
	}
	a.name = a.npos == 2 ? a.pos[1] : NULL;
	rc = get_run(&a, out);
	free(kind);
	return rc;
}

int client_can_i_main(int argc, char **argv)
{
	struct get_args a = { 0 };
	struct client *c = NULL;
	struct client_gvr r;
	struct err e = { 0 };
	char reason[256], *res = NULL, *sub = NULL;
	bool allowed = false;
	int rc = get_parse(argc, argv, &a);

	if (rc)
		return rc;
	if (a.npos < 2 || a.npos > 3)
		return get_usage("can-i", "you must specify two or three "
				 "arguments: verb, resource, and optional "
				 "resourceName");
	if (get_connect(&a, &c))
		return 1;
	res = xstrdup(a.pos[1]);
	if ((sub = strchr(res, '/')))
		*sub++ = '\0';
	memset(&r, 0, sizeof(r));
	if (!strcmp(res, "*") || client_resolve(c, res, &r, &e) < 0) {
		if (strcmp(res, "*"))
			fprintf(stderr, "Warning: the server doesn't have a "
				"resource type '%s'\n", res);
		snprintf(r.resource, sizeof(r.resource), "%s", res);
	}
	rc = client_can_i_sync(c, a.pos[0], r.group, r.resource, sub,
			       a.all_ns ? "" : client_namespace(c),
			       a.npos == 3 ? a.pos[2] : NULL, &allowed, reason,
			       sizeof(reason), &e);
	if (rc < 0)
		rc = get_print_err(&e);
	else {
		printf("%s\n", allowed ? "yes" : "no");
		rc = allowed ? 0 : 1;
	}
	free(res);
	client_free(c);
	return rc;
}
