# src/cluster/patch: JSON patch, merge patch, strategic merge patch.
libkdeck_a_SOURCES += src/cluster/patch.c src/cluster/patch.h

check_PROGRAMS += tests/unit/test_patch
TESTS += tests/unit/test_patch
tests_unit_test_patch_LDADD = $(KDECK_LIBS)

FUZZ_TARGETS += tests/fuzz/fuzz_patch
check_PROGRAMS += tests/fuzz/fuzz_patch
tests_fuzz_fuzz_patch_LDADD = $(KDECK_FUZZ_LIBS)
