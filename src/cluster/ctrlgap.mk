# SPDX-License-Identifier: Apache-2.0
# ReplicationControllers, simulated node templates and restarts, and the
# scheduler/admission gaps of issue #5 (included from ctrl.mk).
libkdeck_a_SOURCES += src/cluster/ctrl_rc.c src/cluster/simnode_spec.c \
	src/cluster/simnode_pod.c src/cluster/simnode_int.h \
	src/cluster/limitrange_valid.c src/cluster/sched_gates.c \
	src/cluster/ctrl_pvcprot.c
TESTS += tests/integration/ctrl_rc.sh
EXTRA_DIST += tests/integration/ctrl_rc.sh
TESTS += tests/integration/ctrl_simspec.sh tests/integration/ctrl_simpod.sh
EXTRA_DIST += tests/integration/ctrl_simspec.sh tests/integration/ctrl_simpod.sh
check_PROGRAMS += tests/unit/test_limitrange_valid
TESTS += tests/unit/test_limitrange_valid
tests_unit_test_limitrange_valid_LDADD = $(KDECK_LIBS)
check_PROGRAMS += tests/unit/test_quota_scope
TESTS += tests/unit/test_quota_scope
tests_unit_test_quota_scope_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_gaps.sh
EXTRA_DIST += tests/integration/ctrl_gaps.sh
