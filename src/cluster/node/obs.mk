# SPDX-License-Identifier: Apache-2.0
# Probes (probe.h), pods/log and the metrics.k8s.io API.
libkdeck_a_SOURCES += src/cluster/node/probe.h \
	src/cluster/node/probe_int.h src/cluster/node/probe.c \
	src/cluster/node/probe_http.c \
	src/cluster/node/cri_log.h src/cluster/node/cri_log.c \
	src/cluster/api_log.c \
	src/cluster/metrics.h src/cluster/metrics.c src/cluster/api_top.c

FUZZ_TARGETS += tests/fuzz/fuzz_cri_log
check_PROGRAMS += tests/fuzz/fuzz_cri_log
tests_fuzz_fuzz_cri_log_LDADD = $(KDECK_FUZZ_LIBS)

check_PROGRAMS += tests/unit/test_cri_log
TESTS += tests/unit/test_cri_log
tests_unit_test_cri_log_LDADD = $(KDECK_LIBS)

check_PROGRAMS += tests/unit/test_metrics
TESTS += tests/unit/test_metrics
tests_unit_test_metrics_LDADD = $(KDECK_LIBS)

TESTS += tests/integration/logs_api.sh tests/integration/metrics_api.sh
EXTRA_DIST += tests/integration/logs_api.sh tests/integration/metrics_api.sh

check_PROGRAMS += tests/unit/test_probe
TESTS += tests/unit/test_probe
tests_unit_test_probe_LDADD = $(KDECK_LIBS)
EXTRA_DIST += tests/unit/probe_server.py

FUZZ_TARGETS += tests/fuzz/fuzz_grpc_health
check_PROGRAMS += tests/fuzz/fuzz_grpc_health
tests_fuzz_fuzz_grpc_health_LDADD = $(KDECK_FUZZ_LIBS)
