# SPDX-License-Identifier: Apache-2.0
# Controllers, scheduler and simulated nodes of the embedded cluster.
libkdeck_a_SOURCES += \
	src/cluster/ctrl.c src/cluster/ctrl.h src/cluster/ctrl_int.h \
	src/cluster/sched.c src/cluster/simnode.c src/cluster/ctrl_rs.c \
	src/cluster/ctrl_deploy.c src/cluster/ctrl_gc.c \
	src/cluster/ctrl_ep.c

TESTS += tests/integration/ctrl_nodes.sh
EXTRA_DIST += tests/integration/ctrl_nodes.sh
TESTS += tests/integration/ctrl_deploy.sh
EXTRA_DIST += tests/integration/ctrl_deploy.sh
TESTS += tests/integration/ctrl_gc.sh
EXTRA_DIST += tests/integration/ctrl_gc.sh
BENCH_SHS += tests/bench/bench_sched.sh
EXTRA_DIST += tests/bench/bench_sched.sh
