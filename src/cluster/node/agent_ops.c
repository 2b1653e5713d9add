/* SPDX-License-Identifier: Apache-2.0 */
/*
 * agent_ops: the machine's node parts as the agent's table of functions
 * (agent_int.h).  The container runtime is not built into this kdeck
 * yet, so the table says so and the agent refuses to start: the daemon
 * then runs without a real node and tells the user.
 */
#include "config.h"

#include "cluster/node/agent_int.h"

const struct agent_ops agent_ops_machine = {
	.missing = "this kdeck is built without the container runtime",
};
