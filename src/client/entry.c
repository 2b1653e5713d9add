/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder entry point until kdeck get lands (see the open issues). */
#include "config.h"

#include <stdio.h>

#include "cmd.h"

int client_get_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kdeck: kdeck get is not built yet\n");
	return 1;
}

int client_can_i_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kdeck: can-i is not built yet\n");
	return 1;
}
