/* SPDX-License-Identifier: Apache-2.0 */
/*
 * entry: `kdeck cluster COMMAND [options]` parsing and dispatch.  The
 * subcommands live in cli.c; this file is the table of them and the
 * getopt_long parsing they share.  Misuse prints usage on stderr and
 * exits 2; --help prints it on stdout and exits 0.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/daemon.h"
#include "cmd.h"
#include "common/file.h"
#include "common/mem.h"

struct sub {
	const char *name, *args, *summary;
	int (*run)(struct cli_opts *o);
	const char *opts; /* the option letters it takes */
};

static const struct sub subs[] = {
    {"up", "[--data-dir DIR] [--listen ADDR:PORT] [--foreground]\n"
     "          [--simulated-nodes N] [--simulated-node-spec FILE]\n"
     "          [--no-node] [--runtime auto|host-process]",
     "start the cluster", cli_up, "dlfnNsr"},
    {"down", "[--data-dir DIR]", "stop the cluster", cli_down, "d"},
    {"status", "[--data-dir DIR] [-o json]", "show whether it runs", cli_status,
     "do"},
    {"reset", "[--data-dir DIR] [--yes]", "delete the cluster's state",
     cli_reset, "dy"},
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static const struct option long_opts[] = {
    {"data-dir", required_argument, NULL, 'd'},
    {"listen", required_argument, NULL, 'l'},
    {"foreground", no_argument, NULL, 'f'},
    {"yes", no_argument, NULL, 'y'},
    {"output", required_argument, NULL, 'o'},
    {"simulated-nodes", required_argument, NULL, 'n'},
    {"no-node", no_argument, NULL, 'N'},
    {"simulated-node-spec", required_argument, NULL, 's'},
    {"runtime", required_argument, NULL, 'r'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: kdeck cluster COMMAND [options]\n\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(fp, "  %-7s %-52s %s\n", subs[i].name, subs[i].args,
			subs[i].summary);
	fprintf(fp,
		"\nDIR defaults to $XDG_DATA_HOME/kdeck/cluster; ADDR:PORT to "
		"127.0.0.1:6443 (or the next free port).\n");
}


/* --simulated-nodes N: 0..1000 (controllers, ctrl.c). */
static int sim_nodes_arg(const char *arg, struct cli_opts *o)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || n < 0 || n > 1000) {
		fprintf(stderr, "kdeck: invalid --simulated-nodes \"%s\" "
			"(want 0..1000)\n", arg);
		return -1;
	}
	o->sim_nodes = (int)n;
	return 0;
}

/* One option; 0 ok, 2 misuse. */
static int take_opt(const struct sub *sub, int c, const char *arg,
		    struct cli_opts *o)
{
	if (c == '?')
		return 2;
	if (!strchr(sub->opts, c)) {
		fprintf(stderr, "kdeck: cluster %s does not take that option\n",
			sub->name);
		return 2;
	}
	if (c == 'r' && strcmp(arg, "auto") && strcmp(arg, "host-process")) {
		fprintf(stderr, "kdeck: unknown --runtime \"%s\" (want auto or "
			"host-process)\n", arg);
		return 2;
	}
	if (c == 'r')
		o->runtime = strcmp(arg, "auto") ? (char *)arg : NULL;
	if (c == 'o' && strcmp(arg, "json")) {
		fprintf(stderr,
			"kdeck: unknown output format \"%s\" (want json)\n",
			arg);
		return 2;
	}
	if (c == 'd')
		o->data_dir = (char *)arg;
	else if (c == 'l')
		o->listen = (char *)arg;
	else if (c == 's')
		o->sim_node_spec = (char *)arg;
	else if (c == 'n' && sim_nodes_arg(arg, o) < 0)
		return 2;
	o->foreground |= c == 'f';
	o->yes |= c == 'y';
	o->no_node |= c == 'N';
	o->json |= c == 'o';
	return 0;
}

/* Parse options for sub; 0 ok, 2 misuse, 1 help printed. */
static int parse_opts(const struct sub *sub, int argc, char **argv,
		      struct cli_opts *o)
{
	int c;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "d:o:yh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: kdeck cluster %s %s\n", sub->name,
			       sub->args);
			return 1;
		}
		if (take_opt(sub, c, optarg, o))
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "kdeck: unexpected argument \"%s\"\n",
			argv[optind]);
		return 2;
	}
	return 0;
}

int cluster_main(int argc, char **argv)
{
	struct cli_opts o = {0};
	char *dflt = NULL;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NSUBS; i++) {
		if (strcmp(subs[i].name, argv[1]))
			continue;
		rc = parse_opts(&subs[i], argc - 1, argv + 1, &o);
		if (rc)
			return rc == 1 ? 0 : (usage(stderr), 2);
		if (!o.data_dir)
			o.data_dir = dflt = file_cluster_dir();
		rc = subs[i].run(&o);
		free(dflt);
		return rc;
	}
	fprintf(stderr, "kdeck: unknown cluster command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
