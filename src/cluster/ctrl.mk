# SPDX-License-Identifier: Apache-2.0
# Controllers, scheduler and simulated nodes of the embedded cluster.
libkdeck_a_SOURCES += \
	src/cluster/ctrl.c src/cluster/ctrl.h src/cluster/ctrl_int.h \
	src/cluster/sched.c src/cluster/simnode.c src/cluster/ctrl_rs.c

TESTS += tests/integration/ctrl_nodes.sh
EXTRA_DIST += tests/integration/ctrl_nodes.sh
