/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main: subcommand dispatch only.  `kdeck` with no subcommand (or only
 * dashboard options) opens the dashboard; everything else is looked up in
 * the command table below.  Usage errors go to stderr with exit status 2.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cluster/image/image.h"
#include "cluster/runtime/runtime.h"
#include "cmd.h"

static int version_main(int argc, char **argv);
static int help_main(int argc, char **argv);

static const struct cmd commands[] = {
	{ "cluster", "up|down|status|reset [options]",
	  "run the embedded single-node cluster", cluster_main },
	{ "image", "import|ls|rm|pull [options]",
	  "manage the node's container images", image_main },
	{ "get", "KIND [NAME] [-n NS] [-A] [-l SEL] [-o json|yaml|wide]",
	  "list or show objects (non-interactive)", client_get_main },
	{ "can-i", "VERB RESOURCE [NAME] [-n NS]",
	  "ask the server whether an action is allowed", client_can_i_main },
	{ "logs", "POD [-c CONTAINER] [-f] [--tail N]",
	  "print or follow a container's log", client_logs_main },
	{ "exec", "POD [-c CONTAINER] [-i] [-t] -- COMMAND...",
	  "run a command in a container", client_exec_main },
	{ "attach", "POD [-c CONTAINER] [-i] [-t]",
	  "attach to a container's main process", client_attach_main },
	{ "port-forward", "POD [LOCAL:]REMOTE... [--address IP]",
	  "forward local ports to a pod", client_port_forward_main },
	{ "ssh", "USER@HOST[:PORT] [-J JUMP] [--no-dashboard]",
	  "fetch a remote cluster's kubeconfig over SSH and open it", client_ssh_main },
	{ "version", "", "print the version", version_main },
	{ "help", "", "show this help", help_main },
	/* internal: no summary, not listed by usage() */
	{ "shim", "RUN_DIR ID", NULL, rt_shim_main },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	fprintf(fp, "usage: kdeck [--context NAME] [-n NAMESPACE|-A] [--readonly]\n"
		    "             [--kubeconfig FILE] [--theme NAME] [--no-mouse]\n"
		    "             [--ssh USER@HOST[:PORT]]\n"
		    "       kdeck COMMAND [ARGS]\n\n"
		    "With no command, kdeck opens the dashboard on the current\n"
		    "kubeconfig context, or starts the embedded cluster when there is none.\n\n"
		    "Commands:\n");
	/* "  NAME ARGS" then the summary indented on the next line */
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (commands[i].summary)
			fprintf(fp, "  %s %s\n      %s\n", commands[i].name,
				commands[i].args, commands[i].summary);
	fprintf(fp, "\nSee kdeck(1) for details.\n");
}

static int version_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kdeck %s\n", PACKAGE_VERSION);
	return 0;
}

static int help_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;

	if (self && !strcmp(self + 1, RT_HOSTPROC_NAME))
		return rt_hostproc_main(argc, argv);
	if (!name || name[0] == '-') {
		if (name && (!strcmp(name, "--version") || !strcmp(name, "-V")))
			return version_main(argc - 1, argv + 1);
		if (name && (!strcmp(name, "--help") || !strcmp(name, "-h")))
			return help_main(argc - 1, argv + 1);
		return tui_main(argc, argv);
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kdeck: unknown command \"%s\"\n", name);
	usage(stderr);
	return 2;
}
