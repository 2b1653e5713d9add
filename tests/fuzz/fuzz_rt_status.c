/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the container status file parser (runtime/status.c), the one
 * thing the daemon reads back from a shim.  Properties: no crash on any
 * input; what parses formats and parses back to the same status.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/runtime/rt_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_status st, back;
	struct err e;
	pid_t shim = 0, shim2 = 0;
	char *text;

	if (rt_status_parse((const char *)data, size, &st, &shim, &e) < 0)
		return 0;
	text = rt_status_format(&st, shim);
	if (rt_status_parse(text, strlen(text), &back, &shim2, &e) < 0 ||
	    back.state != st.state || back.exit_code != st.exit_code ||
	    back.pid != st.pid || shim2 != shim ||
	    back.oom_killed != st.oom_killed ||
	    back.created_ns != st.created_ns ||
	    back.started_ns != st.started_ns ||
	    back.finished_ns != st.finished_ns ||
	    strcmp(back.message, st.message) != 0)
		abort();
	free(text);
	return 0;
}
