# SPDX-License-Identifier: Apache-2.0
# Lifecycle controllers: HorizontalPodAutoscaler, node lifecycle and
# taint-based eviction; cascading deletion lives in api_delete.c/ctrl_gc.c.
TESTS += tests/integration/ctrl_cascade.sh
EXTRA_DIST += tests/integration/ctrl_cascade.sh
libkdeck_a_SOURCES += src/cluster/ctrl_nodelife.c src/cluster/ctrl_hpa.c \
	src/cluster/hpa.h src/cluster/hpa_calc.c
TESTS += tests/integration/ctrl_nodelife.sh
EXTRA_DIST += tests/integration/ctrl_nodelife.sh
TESTS += tests/integration/ctrl_hpa.sh
EXTRA_DIST += tests/integration/ctrl_hpa.sh
check_PROGRAMS += tests/unit/test_hpa
TESTS += tests/unit/test_hpa
tests_unit_test_hpa_LDADD = $(KDECK_LIBS)
