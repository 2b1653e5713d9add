/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholder entry point until the dashboard lands (see the open issues). */
#include "config.h"

#include <stdio.h>

#include "cmd.h"

int tui_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "kdeck: the dashboard is not built yet\n");
	return 1;
}
