# src/common/kube.mk: Kubernetes value types (quantity, time, selectors).
libkdeck_a_SOURCES += \
	src/common/quantity.c src/common/quantity.h \
	src/common/ktime.c src/common/ktime.h \
	src/common/selector.c src/common/selector_field.c src/common/selector.h \
	src/common/selector_check.c src/common/selector_priv.h

check_PROGRAMS += tests/unit/test_quantity
TESTS += tests/unit/test_quantity
tests_unit_test_quantity_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_quantity
check_PROGRAMS += tests/fuzz/fuzz_quantity
tests_fuzz_fuzz_quantity_LDADD = $(KDECK_FUZZ_LIBS)

check_PROGRAMS += tests/unit/test_selector
TESTS += tests/unit/test_selector
tests_unit_test_selector_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_selector
check_PROGRAMS += tests/fuzz/fuzz_selector
tests_fuzz_fuzz_selector_LDADD = $(KDECK_FUZZ_LIBS)

check_PROGRAMS += tests/unit/test_ktime
TESTS += tests/unit/test_ktime
tests_unit_test_ktime_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_ktime
check_PROGRAMS += tests/fuzz/fuzz_ktime
tests_fuzz_fuzz_ktime_LDADD = $(KDECK_FUZZ_LIBS)
