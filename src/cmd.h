/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd: the subcommands of the kdeck binary.  main.c holds the table; each
 * layer provides the entry points of its own commands.  An entry point
 * receives argv with argv[0] set to the subcommand name and returns the
 * process exit status (0 ok, 1 failure, 2 usage error).
 */
#ifndef KDECK_CMD_H
#define KDECK_CMD_H

struct cmd {
	const char *name;
	const char *args;	/* synopsis after the name */
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* src/cluster */
int cluster_main(int argc, char **argv);
/* src/client */
int client_get_main(int argc, char **argv);
int client_can_i_main(int argc, char **argv);
int client_logs_main(int argc, char **argv);
int client_ssh_main(int argc, char **argv);
int client_exec_main(int argc, char **argv);
int client_attach_main(int argc, char **argv);
int client_port_forward_main(int argc, char **argv);
/* src/tui */
int tui_main(int argc, char **argv);

#endif
