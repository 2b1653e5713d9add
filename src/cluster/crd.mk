# SPDX-License-Identifier: Apache-2.0
# src/cluster/crd: CustomResourceDefinitions served for real (dynamic
# registry rows, CRD controller, structural schema, printer columns).
# CRD `pattern`s are compiled with PCRE2 (crd_schema_re.c).
AM_CPPFLAGS += $(PCRE2_CFLAGS)
KDECK_LIBS += $(PCRE2_LIBS)

libkdeck_a_SOURCES += src/cluster/crd.c src/cluster/crd.h \
	src/cluster/crd_int.h src/cluster/crd_ctrl.c \
	src/cluster/crd_schema.c src/cluster/crd_schema.h src/cluster/crd_schema_fmt.c \
	src/cluster/crd_schema_re.c \
	src/cluster/crd_table.c

check_PROGRAMS += tests/unit/test_crd_schema tests/unit/test_crd
TESTS += tests/unit/test_crd_schema tests/unit/test_crd
tests_unit_test_crd_schema_LDADD = $(KDECK_LIBS)
tests_unit_test_crd_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_crd_schema tests/fuzz/fuzz_crd_pattern
check_PROGRAMS += tests/fuzz/fuzz_crd_schema tests/fuzz/fuzz_crd_pattern
tests_fuzz_fuzz_crd_schema_LDADD = $(KDECK_FUZZ_LIBS)
tests_fuzz_fuzz_crd_pattern_LDADD = $(KDECK_FUZZ_LIBS)

TESTS += tests/integration/crd_kubectl.sh tests/integration/crd_validate.sh \
	tests/integration/crd_lifecycle.sh
EXTRA_DIST += tests/integration/crd_kubectl.sh tests/integration/crd_validate.sh \
	tests/integration/crd_lifecycle.sh \
	tests/integration/crd_common.sh tests/data/crd
