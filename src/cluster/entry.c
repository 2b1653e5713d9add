/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder entry point until the embedded cluster lands (see the open issues). */
#include "config.h"

#include <stdio.h>

#include "cmd.h"

int cluster_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kdeck: the embedded cluster is not built yet\n");
	return 1;
}
