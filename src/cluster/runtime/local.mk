# SPDX-License-Identifier: Apache-2.0
# runtime: containers through runc/crun (see runtime/runtime.h).
libkdeck_a_SOURCES += src/cluster/runtime/runtime.h \
	src/cluster/runtime/rt_int.h \
	src/cluster/runtime/util.c \
	src/cluster/runtime/status.c \
	src/cluster/runtime/bundle.c \
	src/cluster/runtime/crilog.c \
	src/cluster/runtime/rootfs.c \
	src/cluster/runtime/sandbox.c \
	src/cluster/runtime/probe.c \
	src/cluster/runtime/container.c \
	src/cluster/runtime/exec.c \
	src/cluster/runtime/exec_io.c \
	src/cluster/runtime/attach.c \
	src/cluster/runtime/dial.c \
	src/cluster/runtime/shim.c \
	src/cluster/runtime/shim_attach.c \
	src/cluster/runtime/userns.c \
	src/cluster/runtime/hostproc.h \
	src/cluster/runtime/hostproc.c \
	src/cluster/runtime/hostproc_run.c

check_PROGRAMS += tests/unit/test_rt_bundle tests/unit/test_runtime
TESTS += tests/unit/test_rt_bundle tests/unit/test_runtime
tests_unit_test_rt_bundle_LDADD = $(KDECK_LIBS)
tests_unit_test_runtime_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_rt_status
check_PROGRAMS += tests/fuzz/fuzz_rt_status
tests_fuzz_fuzz_rt_status_LDADD = $(KDECK_FUZZ_LIBS)

EXTRA_PROGRAMS += tests/bench/bench_runtime
BENCH_BINS += tests/bench/bench_runtime
tests_bench_bench_runtime_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_runtime_exec
TESTS += tests/unit/test_runtime_exec
tests_unit_test_runtime_exec_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/node_host_process.sh
EXTRA_DIST += tests/integration/node_host_process.sh
TESTS += tests/integration/node_host_process_user.sh
EXTRA_DIST += tests/integration/node_host_process_user.sh
