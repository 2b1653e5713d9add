# SPDX-License-Identifier: Apache-2.0
# The node agent (agent.h) and the conventions all node parts share.
libkdeck_a_SOURCES += src/cluster/node/agent.h \
	src/cluster/node/layout.h src/cluster/node/layout.c \
	src/cluster/node/agent_int.h src/cluster/node/agent.c \
	src/cluster/node/agent_node.c src/cluster/node/agent_pod.c \
	src/cluster/node/agent_ctr.c src/cluster/node/agent_ops.c \
	src/cluster/node/agent_gone.c \
	src/cluster/node/agent_gc.c src/cluster/node/agent_exec.c
# api_set_nodeops (nodeops.h): the API side's store of the node's ops
libkdeck_a_SOURCES += src/cluster/api_nodeops.c src/cluster/nodeops.h
libkdeck_a_SOURCES += src/cluster/node/podstatus.h src/cluster/node/podstatus.c

check_PROGRAMS += tests/unit/test_podstatus
TESTS += tests/unit/test_podstatus
tests_unit_test_podstatus_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/node_basic.sh tests/integration/node_upkeep.sh \
	tests/integration/node_rootless.sh tests/integration/node_restart_never.sh
EXTRA_DIST += tests/integration/node_basic.sh tests/integration/node_upkeep.sh \
	tests/integration/node_rootless.sh tests/integration/node_restart_never.sh
TESTS += tests/integration/node_demos.sh
EXTRA_DIST += tests/integration/node_demos.sh
TESTS += tests/integration/node_exec.sh
EXTRA_DIST += tests/integration/node_exec.sh

BENCH_SHS += tests/bench/bench_podstart.sh
TESTS += tests/integration/node_exec_bulk.sh
EXTRA_DIST += tests/integration/node_exec_bulk.sh
TESTS += tests/integration/node_rootless_restart.sh
EXTRA_DIST += tests/integration/node_rootless_restart.sh
BENCH_SHS += tests/bench/bench_exec.sh
