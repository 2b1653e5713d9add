# SPDX-License-Identifier: Apache-2.0
# Issue #5's third round (ctrl6): scheduling gates on the API side, the
# binder's unit test, shared replica management, CrashLoopBackOff of
# simulated nodes (included from ctrl.mk).
libkdeck_a_SOURCES += src/cluster/admit_sched_gates.c src/cluster/sched_spread.c \
	src/cluster/ctrl_replicas.c src/cluster/ctrl_replicas.h \
	src/cluster/simnode_backoff.c
check_PROGRAMS += tests/unit/test_sched_bind
TESTS += tests/unit/test_sched_bind
tests_unit_test_sched_bind_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_gates.sh
EXTRA_DIST += tests/integration/ctrl_gates.sh
TESTS += tests/integration/ctrl_crashloop.sh
EXTRA_DIST += tests/integration/ctrl_crashloop.sh
TESTS += tests/integration/ctrl_gc_fg.sh
EXTRA_DIST += tests/integration/ctrl_gc_fg.sh
EXTRA_PROGRAMS += tests/bench/bench_quota_pdb
BENCH_BINS += tests/bench/bench_quota_pdb
tests_bench_bench_quota_pdb_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_job_policy2.sh
EXTRA_DIST += tests/integration/ctrl_job_policy2.sh
EXTRA_DIST += tests/integration/job_policy_lib.sh
