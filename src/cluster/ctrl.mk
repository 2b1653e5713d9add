# SPDX-License-Identifier: Apache-2.0
# Controllers, scheduler and simulated nodes of the embedded cluster.
libkdeck_a_SOURCES += \
	src/cluster/ctrl.c src/cluster/ctrl.h src/cluster/ctrl_int.h \
	src/cluster/sched.c src/cluster/simnode.c src/cluster/ctrl_rs.c \
	src/cluster/ctrl_deploy.c src/cluster/ctrl_gc.c \
	src/cluster/ctrl_ep.c src/cluster/cron.c src/cluster/cron.h \
	src/cluster/ctrl_job.c src/cluster/ctrl_ttl.c src/cluster/ctrl_cron.c \
	src/cluster/ctrl_sts.c src/cluster/ctrl_ds.c src/cluster/ctrl_pv.c \
	src/cluster/evrec.c src/cluster/evrec.h src/cluster/evrec_rec.c \
	src/cluster/ctrl_cache.c src/cluster/ctrl_cache.h \
	src/cluster/ctrl_queue.c src/cluster/ctrl_queue.h

TESTS += tests/integration/ctrl_nodes.sh
EXTRA_DIST += tests/integration/ctrl_nodes.sh
TESTS += tests/integration/ctrl_deploy.sh
EXTRA_DIST += tests/integration/ctrl_deploy.sh
TESTS += tests/integration/ctrl_gc.sh
EXTRA_DIST += tests/integration/ctrl_gc.sh
TESTS += tests/integration/ctrl_job.sh
EXTRA_DIST += tests/integration/ctrl_job.sh
TESTS += tests/integration/ctrl_sts.sh
EXTRA_DIST += tests/integration/ctrl_sts.sh
TESTS += tests/integration/ctrl_cron.sh
EXTRA_DIST += tests/integration/ctrl_cron.sh
TESTS += tests/integration/ctrl_ds.sh
EXTRA_DIST += tests/integration/ctrl_ds.sh
TESTS += tests/integration/ctrl_pv.sh
EXTRA_DIST += tests/integration/ctrl_pv.sh
BENCH_SHS += tests/bench/bench_sched.sh
EXTRA_DIST += tests/bench/bench_sched.sh

check_PROGRAMS += tests/unit/test_cron
TESTS += tests/unit/test_cron
tests_unit_test_cron_LDADD = $(KDECK_LIBS)
FUZZ_TARGETS += tests/fuzz/fuzz_cron
check_PROGRAMS += tests/fuzz/fuzz_cron
tests_fuzz_fuzz_cron_LDADD = $(KDECK_FUZZ_LIBS)
check_PROGRAMS += tests/unit/test_evrec
TESTS += tests/unit/test_evrec
tests_unit_test_evrec_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/events_agg.sh
EXTRA_DIST += tests/integration/events_agg.sh

# The scheduler (sched*.c): filters, scoring, preemption, priority.
libkdeck_a_SOURCES += src/cluster/sched.h src/cluster/sched_int.h \
	src/cluster/sched_state.c src/cluster/sched_filter.c \
	src/cluster/sched_podrules.c src/cluster/sched_podrules.h \
	src/cluster/sched_score.c src/cluster/sched_preempt.c \
	src/cluster/sched_prio.c src/cluster/sched_bind.c
check_PROGRAMS += tests/unit/test_sched
TESTS += tests/unit/test_sched
tests_unit_test_sched_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_sched.sh
EXTRA_DIST += tests/integration/ctrl_sched.sh
EXTRA_PROGRAMS += tests/bench/bench_sched
BENCH_BINS += tests/bench/bench_sched
tests_bench_bench_sched_LDADD = $(KDECK_LIBS)
EXTRA_PROGRAMS += tests/bench/bench_bind
BENCH_BINS += tests/bench/bench_bind
tests_bench_bench_bind_LDADD = $(KDECK_LIBS)
FUZZ_TARGETS += tests/fuzz/fuzz_sched
check_PROGRAMS += tests/fuzz/fuzz_sched
tests_fuzz_fuzz_sched_LDADD = $(KDECK_FUZZ_LIBS)

# Workload controllers' policies (Job podFailurePolicy, successPolicy,
# index sets): pure functions and their unit test.
libkdeck_a_SOURCES += src/cluster/ctrl_job_policy.c
check_PROGRAMS += tests/unit/test_job_policy
TESTS += tests/unit/test_job_policy
tests_unit_test_job_policy_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_job_policy.sh
EXTRA_DIST += tests/integration/ctrl_job_policy.sh
TESTS += tests/integration/ctrl_sts_policy.sh
EXTRA_DIST += tests/integration/ctrl_sts_policy.sh
FUZZ_TARGETS += tests/fuzz/fuzz_job_policy
check_PROGRAMS += tests/fuzz/fuzz_job_policy
tests_fuzz_fuzz_job_policy_LDADD = $(KDECK_FUZZ_LIBS)
TESTS += tests/integration/ctrl_ds_surge.sh
EXTRA_DIST += tests/integration/ctrl_ds_surge.sh

# Informer cache and work queues (ctrl_cache.c, ctrl_queue.c).
check_PROGRAMS += tests/unit/test_ctrl_cache tests/unit/test_ctrl_queue
TESTS += tests/unit/test_ctrl_cache tests/unit/test_ctrl_queue
tests_unit_test_ctrl_cache_LDADD = $(KDECK_LIBS)
tests_unit_test_ctrl_queue_LDADD = $(KDECK_LIBS)
TESTS += tests/integration/ctrl_rs_backoff.sh
EXTRA_DIST += tests/integration/ctrl_rs_backoff.sh

# Controller semantics of issue #5's second round (ctrlgap5).
include src/cluster/ctrlgap.mk
# Issue #5's third round (ctrl6).
include src/cluster/ctrl6.mk
